//! Login sessions. The server hashes the cookie token (SHA-256, hex) before it reaches
//! the store, so a leaked database does not hold usable cookies.

use crate::db_types::{DbTime, DbUuid};
use crate::error::{StoreError, on_write};
use crate::{Store, with_pool};
use sijill_model::account::{User, UserId};
use std::fmt;
use time::OffsetDateTime;

/// A session to record.
#[derive(Clone)]
pub struct NewSession {
    /// The hash of the cookie token (the token itself is never stored).
    pub token_hash: String,
    /// Whose session it is.
    pub user_id: UserId,
    /// The CSRF token bound to the session.
    pub csrf_token: String,
    /// When it stops being valid.
    pub expires_at: OffsetDateTime,
}

impl fmt::Debug for NewSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewSession")
            .field("user_id", &self.user_id)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// A live session, as found by its token hash.
#[derive(Clone, PartialEq, Eq)]
pub struct Session {
    /// Whose session it is.
    pub user_id: UserId,
    /// The CSRF token bound to the session.
    pub csrf_token: String,
    /// When it was made.
    pub created_at: OffsetDateTime,
    /// When it stops being valid (always in the future when returned).
    pub expires_at: OffsetDateTime,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("user_id", &self.user_id)
            .field("created_at", &self.created_at)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Records a session. A token hash already in use is [`StoreError::Conflict`]; an
    /// unknown user is [`StoreError::Invalid`].
    pub async fn create_session(&self, new: &NewSession) -> Result<(), StoreError> {
        if new.token_hash.is_empty() || new.csrf_token.is_empty() {
            return Err(StoreError::Invalid(
                "a session needs a token hash and a CSRF token".into(),
            ));
        }
        with_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&new.token_hash)
            .bind(DbUuid::from(new.user_id.as_uuid()))
            .bind(&new.csrf_token)
            .bind(DbTime::now())
            .bind(DbTime::from(new.expires_at))
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })
        .map_err(|e| on_write(e, "this session already exists", "the user does not exist"))?;
        Ok(())
    }

    /// The session with this token hash, if it exists and has not expired.
    pub async fn session(&self, token_hash: &str) -> Result<Option<Session>, StoreError> {
        let row: Option<(DbUuid, String, DbTime, DbTime)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT user_id, csrf_token, created_at, expires_at FROM sessions \
                 WHERE token_hash = $1 AND expires_at > $2",
            )
            .bind(token_hash)
            .bind(DbTime::now())
            .fetch_optional(pool)
            .await
        })?;
        Ok(
            row.map(|(user_id, csrf_token, created_at, expires_at)| Session {
                user_id: UserId::from_uuid(user_id.0),
                csrf_token,
                created_at: created_at.get(),
                expires_at: expires_at.get(),
            }),
        )
    }

    /// The session with this token hash and its user, read in one query, if the session
    /// exists and has not expired (what every signed-in page asks first).
    pub async fn session_with_user(
        &self,
        token_hash: &str,
    ) -> Result<Option<(Session, User)>, StoreError> {
        type Joined = (
            String,
            DbTime,
            DbTime,
            DbUuid,
            String,
            String,
            DbUuid,
            String,
            bool,
            bool,
            DbTime,
        );
        let sql = format!(
            "SELECT s.csrf_token, s.created_at, s.expires_at, {} \
             FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2",
            crate::user::COLUMNS
        );
        let row: Option<Joined> = with_pool!(self, |pool| {
            sqlx::query_as(&sql)
                .bind(token_hash)
                .bind(DbTime::now())
                .fetch_optional(pool)
                .await
        })?;
        let Some((
            csrf_token,
            created_at,
            expires_at,
            id,
            username,
            name,
            org,
            role,
            disabled,
            must,
            at,
        )) = row
        else {
            return Ok(None);
        };
        let user = crate::user::from_row((id, username, name, org, role, disabled, must, at))?;
        let session = Session {
            user_id: user.id,
            csrf_token,
            created_at: created_at.get(),
            expires_at: expires_at.get(),
        };
        Ok(Some((session, user)))
    }

    /// Ends one session (logout). Ending a session that does not exist is not an error.
    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(token_hash)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Ends every session of a user; returns how many there were.
    pub async fn delete_user_sessions(&self, user: UserId) -> Result<u64, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(DbUuid::from(user.as_uuid()))
                .execute(pool)
                .await?
                .rows_affected()
        }))
    }

    /// Deletes expired sessions; returns how many.
    pub async fn purge_expired_sessions(&self) -> Result<u64, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
                .bind(DbTime::now())
                .execute(pool)
                .await?
                .rows_affected()
        }))
    }
}
