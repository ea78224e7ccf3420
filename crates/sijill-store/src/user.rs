//! Users: accounts that belong to one organization and have one role. The password hash
//! is stored here but only leaves through [`Store::user_credentials`].

use crate::db_types::{DbTime, DbUuid};
use crate::error::{StoreError, corrupt, on_write};
use crate::{Store, with_pool, with_write_tx};
use sijill_model::account::{NewUser, OrgId, PasswordHash, User, UserId, Username};

/// The columns of [`User`], in the order of [`Row`]; `u` is the table alias.
pub(crate) const COLUMNS: &str = "u.id, u.username, u.display_name, u.org_id, u.role, u.disabled, u.must_change_password, u.created_at";
pub(crate) type Row = (DbUuid, String, String, DbUuid, String, bool, bool, DbTime);

pub(crate) fn from_row(
    (id, username, display_name, org_id, role, disabled, must_change_password, created_at): Row,
) -> Result<User, StoreError> {
    Ok(User {
        id: UserId::from_uuid(id.0),
        username: Username::parse(&username).map_err(|_| corrupt("username"))?,
        display_name,
        org_id: OrgId::from_uuid(org_id.0),
        role: role.parse().map_err(|_| corrupt("role"))?,
        disabled,
        must_change_password,
        created_at: created_at.get(),
    })
}

/// Longest accepted display name, in characters.
const MAX_DISPLAY_NAME: usize = 200;

impl Store {
    /// Makes a user account. A taken username is [`StoreError::Conflict`]; an unknown
    /// organization or an empty display name is [`StoreError::Invalid`].
    pub async fn create_user(&self, new: &NewUser) -> Result<User, StoreError> {
        let display_name = new.display_name.trim();
        if display_name.is_empty() {
            return Err(StoreError::Invalid("the display name is empty".into()));
        }
        if display_name.chars().count() > MAX_DISPLAY_NAME {
            return Err(StoreError::Invalid(format!(
                "the display name is longer than {MAX_DISPLAY_NAME} characters"
            )));
        }
        if new.password_hash.as_str().is_empty() {
            return Err(StoreError::Invalid("the password hash is empty".into()));
        }
        let now = DbTime::now();
        let user = User {
            id: UserId::new(),
            username: new.username.clone(),
            display_name: display_name.to_owned(),
            org_id: new.org_id,
            role: new.role,
            disabled: false,
            must_change_password: new.must_change_password,
            created_at: now.get(),
        };
        with_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO users (id, username, display_name, org_id, role, password_hash, disabled, must_change_password, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
            )
            .bind(DbUuid::from(user.id.as_uuid()))
            .bind(user.username.as_str())
            .bind(&user.display_name)
            .bind(DbUuid::from(user.org_id.as_uuid()))
            .bind(user.role.as_str())
            .bind(new.password_hash.as_str())
            .bind(false)
            .bind(user.must_change_password)
            .bind(now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })
        .map_err(|e| {
            on_write(
                e,
                "a user with this username already exists",
                "the organization does not exist",
            )
        })?;
        Ok(user)
    }

    /// The user with this id (disabled users included).
    pub async fn user(&self, id: UserId) -> Result<Option<User>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM users u WHERE u.id = $1");
        let row: Option<Row> = with_pool!(self, |pool| {
            sqlx::query_as(&sql)
                .bind(DbUuid::from(id.as_uuid()))
                .fetch_optional(pool)
                .await
        })?;
        row.map(from_row).transpose()
    }

    /// The user with this username (disabled users included).
    pub async fn user_by_username(&self, username: &Username) -> Result<Option<User>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM users u WHERE u.username = $1");
        let row: Option<Row> = with_pool!(self, |pool| {
            sqlx::query_as(&sql)
                .bind(username.as_str())
                .fetch_optional(pool)
                .await
        })?;
        row.map(from_row).transpose()
    }

    /// The user and the stored password hash, for logging in. Disabled users are
    /// returned too: the caller refuses them after verifying, so that timing does not
    /// tell which accounts exist.
    pub async fn user_credentials(
        &self,
        username: &Username,
    ) -> Result<Option<(User, PasswordHash)>, StoreError> {
        let sql = format!("SELECT {COLUMNS}, u.password_hash FROM users u WHERE u.username = $1");
        type CredRow = (
            DbUuid,
            String,
            String,
            DbUuid,
            String,
            bool,
            bool,
            DbTime,
            String,
        );
        let row: Option<CredRow> = with_pool!(self, |pool| {
            sqlx::query_as(&sql)
                .bind(username.as_str())
                .fetch_optional(pool)
                .await
        })?;
        let Some((a, b, c, d, e, f, g, h, hash)) = row else {
            return Ok(None);
        };
        Ok(Some((
            from_row((a, b, c, d, e, f, g, h))?,
            PasswordHash::new(hash),
        )))
    }

    /// Every user, by username.
    pub async fn list_users(&self) -> Result<Vec<User>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM users u ORDER BY u.username");
        let rows: Vec<Row> = with_pool!(self, |pool| sqlx::query_as(&sql).fetch_all(pool).await)?;
        rows.into_iter().map(from_row).collect()
    }

    /// Replaces a user's password hash and sets whether they must change it at the next
    /// login. Sessions are left alone (call [`Store::delete_user_sessions`] to end them).
    /// An unknown user is [`StoreError::NotFound`].
    pub async fn set_password_hash(
        &self,
        id: UserId,
        hash: &PasswordHash,
        must_change: bool,
    ) -> Result<(), StoreError> {
        if hash.as_str().is_empty() {
            return Err(StoreError::Invalid("the password hash is empty".into()));
        }
        let done = with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE users SET password_hash = $2, must_change_password = $3, updated_at = $4 WHERE id = $1",
            )
            .bind(DbUuid::from(id.as_uuid()))
            .bind(hash.as_str())
            .bind(must_change)
            .bind(DbTime::now())
            .execute(pool)
            .await?
            .rows_affected()
        });
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Disables or re-enables a user. Disabling also ends all the user's sessions, in
    /// the same transaction. An unknown user is [`StoreError::NotFound`].
    pub async fn set_user_disabled(&self, id: UserId, disabled: bool) -> Result<(), StoreError> {
        let uid = DbUuid::from(id.as_uuid());
        let done = with_write_tx!(self, |tx| {
            let n = sqlx::query("UPDATE users SET disabled = $2, updated_at = $3 WHERE id = $1")
                .bind(uid)
                .bind(disabled)
                .bind(DbTime::now())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if disabled {
                sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                    .bind(uid)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            n
        });
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// How many users exist (disabled included); zero means a fresh instance.
    pub async fn count_users(&self) -> Result<u64, StoreError> {
        let n: i64 = with_pool!(self, |pool| {
            sqlx::query_scalar("SELECT COUNT(*) FROM users")
                .fetch_one(pool)
                .await
        })?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}
