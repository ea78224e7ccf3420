//! Per-user API tokens for scripts, hashed at rest: the server shows a token once and
//! gives the store only its hash.

use crate::db_types::{DbTime, DbUuid};
use crate::error::{StoreError, on_write};
use crate::{Store, user, with_pool};
use serde::Serialize;
use sijill_model::account::{TokenId, User, UserId};
use time::OffsetDateTime;

/// An active API token, without its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiToken {
    /// Its id.
    pub id: TokenId,
    /// Whose token it is.
    pub user_id: UserId,
    /// The name the user gave it (unique among the user's active tokens).
    pub name: String,
    /// When it was made.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// When it was last used, if ever.
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_used_at: Option<OffsetDateTime>,
}

/// How precisely `last_used_at` is kept.
const LAST_USED_RESOLUTION: time::Duration = time::Duration::minutes(1);

/// Longest accepted token name, in characters.
const MAX_NAME: usize = 100;

impl Store {
    /// Records a new token for `user`. The name is trimmed and must be non-empty and not
    /// used by another active token of the same user ([`StoreError::Conflict`]).
    pub async fn create_api_token(
        &self,
        user: UserId,
        name: &str,
        token_hash: &str,
    ) -> Result<TokenId, StoreError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::Invalid("the token name is empty".into()));
        }
        if name.chars().count() > MAX_NAME {
            return Err(StoreError::Invalid(format!(
                "the token name is longer than {MAX_NAME} characters"
            )));
        }
        if token_hash.is_empty() {
            return Err(StoreError::Invalid("the token hash is empty".into()));
        }
        let id = TokenId::new();
        with_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(DbUuid::from(id.as_uuid()))
            .bind(DbUuid::from(user.as_uuid()))
            .bind(name)
            .bind(token_hash)
            .bind(DbTime::now())
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })
        .map_err(|e| {
            on_write(
                e,
                "an active token with this name already exists",
                "the user does not exist",
            )
        })?;
        Ok(id)
    }

    /// The user owning the active token with this hash, and records the use (to the
    /// minute) in `last_used_at`. Revoked tokens and disabled users give `None`.
    pub async fn user_by_api_token(&self, token_hash: &str) -> Result<Option<User>, StoreError> {
        let sql = format!(
            "SELECT {}, t.id, t.last_used_at FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled = $2",
            user::COLUMNS
        );
        type Row = (
            DbUuid,
            String,
            String,
            DbUuid,
            String,
            bool,
            bool,
            DbTime,
            DbUuid,
            Option<DbTime>,
        );
        let row: Option<Row> = with_pool!(self, |pool| {
            sqlx::query_as(&sql)
                .bind(token_hash)
                .bind(false)
                .fetch_optional(pool)
                .await
        })?;
        let Some((a, b, c, d, e, f, g, h, token_id, last_used)) = row else {
            return Ok(None);
        };
        let now = DbTime::now();
        // Record the use at most once a minute, so a busy script does not turn every
        // read into a write.
        let recent = last_used.is_some_and(|t| now.get() - t.get() < LAST_USED_RESOLUTION);
        if !recent {
            with_pool!(self, |pool| {
                sqlx::query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1")
                    .bind(token_id)
                    .bind(now)
                    .execute(pool)
                    .await
                    .map(|r| r.rows_affected())
            })?;
        }
        Ok(Some(user::from_row((a, b, c, d, e, f, g, h))?))
    }

    /// The active tokens of a user, oldest first.
    pub async fn list_api_tokens(&self, user: UserId) -> Result<Vec<ApiToken>, StoreError> {
        let rows: Vec<(DbUuid, DbUuid, String, DbTime, Option<DbTime>)> =
            with_pool!(self, |pool| {
                sqlx::query_as(
                    "SELECT id, user_id, name, created_at, last_used_at FROM api_tokens \
                 WHERE user_id = $1 AND revoked_at IS NULL ORDER BY created_at, id",
                )
                .bind(DbUuid::from(user.as_uuid()))
                .fetch_all(pool)
                .await
            })?;
        Ok(rows
            .into_iter()
            .map(|(id, user_id, name, created_at, last_used_at)| ApiToken {
                id: TokenId::from_uuid(id.0),
                user_id: UserId::from_uuid(user_id.0),
                name,
                created_at: created_at.get(),
                last_used_at: last_used_at.map(DbTime::get),
            })
            .collect())
    }

    /// Revokes one of `user`'s active tokens. A token that does not exist, belongs to
    /// someone else or is already revoked is [`StoreError::NotFound`].
    pub async fn revoke_api_token(&self, user: UserId, token: TokenId) -> Result<(), StoreError> {
        let n = with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL",
            )
            .bind(DbUuid::from(token.as_uuid()))
            .bind(DbUuid::from(user.as_uuid()))
            .bind(DbTime::now())
            .execute(pool)
            .await?
            .rows_affected()
        });
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }
}
