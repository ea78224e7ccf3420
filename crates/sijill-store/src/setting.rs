//! Instance settings: a small key–value table (instance id, first-start markers …).

use crate::db_types::DbTime;
use crate::error::StoreError;
use crate::{Store, with_pool};

impl Store {
    /// The value of a setting, if set.
    pub async fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
                .bind(key)
                .fetch_optional(pool)
                .await?
        }))
    }

    /// Sets (inserts or replaces) a setting.
    pub async fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        if key.trim().is_empty() {
            return Err(StoreError::Invalid("the setting name is empty".into()));
        }
        with_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            )
            .bind(key)
            .bind(value)
            .bind(DbTime::now())
            .execute(pool)
            .await?;
        });
        Ok(())
    }
}
