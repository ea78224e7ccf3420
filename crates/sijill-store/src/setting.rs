//! Instance settings: a small key–value table (instance id, first-start markers …).

use crate::crypto::{CHECK_SETTING_PREFIX, CryptoError, Keyring, check_setting};
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

    /// Every setting whose key starts with `prefix`, in key order.
    pub async fn settings_with_prefix(
        &self,
        prefix: &str,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let pattern = format!("{}%", prefix.replace(['%', '_'], ""));
        let rows: Vec<(String, String)> = with_pool!(self, |pool| {
            sqlx::query_as("SELECT key, value FROM settings WHERE key LIKE $1 ORDER BY key")
                .bind(&pattern)
                .fetch_all(pool)
                .await?
        });
        Ok(rows
            .into_iter()
            .filter(|(k, _)| k.starts_with(prefix))
            .collect())
    }

    /// Attaches the keyring that seals personal fields, after checking it against the
    /// database: every key the database has used must be in the keyring and be the same
    /// key ([`crate::CryptoError::MissingKey`], [`crate::CryptoError::WrongKey`]
    /// otherwise — nothing is read or written then). Keys new to the database get their
    /// check value stored.
    pub async fn with_keyring(mut self, keyring: Keyring) -> Result<Store, StoreError> {
        for (key, value) in self.settings_with_prefix(CHECK_SETTING_PREFIX).await? {
            let n: u32 = key[CHECK_SETTING_PREFIX.len()..]
                .parse()
                .map_err(|_| StoreError::Invalid("a key check setting is malformed".into()))?;
            keyring.verify_check(n, &value)?;
        }
        for n in keyring.key_numbers() {
            if self.setting(&check_setting(n)).await?.is_none() {
                self.set_setting(&check_setting(n), &keyring.check_value(n))
                    .await?;
            }
        }
        self.shred = Some(self.attach_shred(&keyring).await?);
        self.keyring = Some(std::sync::Arc::new(keyring));
        Ok(self)
    }

    /// The attached keyring, if any.
    pub fn keyring(&self) -> Option<&Keyring> {
        self.keyring.as_deref()
    }

    /// Seals a personal field for storage; `context` names where it is stored (e.g.
    /// `households.name:<id>`), so the value cannot be moved to another row or column.
    /// A field of an erasable record (`<table>.<column>:<row id>` of a table in
    /// [`crate::crypto_shred::KINDS`]) is sealed under that record's own key, so it can be
    /// erased by destroying the key ([`Store::erase_record`]).
    pub fn seal(&self, context: &str, plaintext: &str) -> Result<String, StoreError> {
        let k = self.keyring.as_ref().ok_or(CryptoError::NoKeyring)?;
        self.seal_record(k, context, plaintext)
    }

    /// Opens a field sealed by [`Store::seal`] with the same `context`. A field of an
    /// erased record reads as its column's tombstone (an empty value).
    pub fn unseal(&self, context: &str, sealed: &str) -> Result<String, StoreError> {
        let k = self.keyring.as_ref().ok_or(CryptoError::NoKeyring)?;
        match self.unseal_record(k, context, sealed) {
            Err(StoreError::Crypto(CryptoError::Erased)) => Ok(Store::tombstone(context)),
            other => other,
        }
    }
}
