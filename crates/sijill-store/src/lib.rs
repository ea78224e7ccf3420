//! The only crate of sijill that speaks SQL.
//!
//! A [`Store`] is opened once from a URL and then used everywhere through its methods;
//! nothing outside this crate writes SQL or sees a connection.
//!
//! ```
//! # async fn demo() -> Result<(), sijill_store::StoreError> {
//! use sijill_model::account::{NewOrganization, OrgKind};
//! use sijill_store::{Backend, Store};
//!
//! let store = Store::open("sqlite::memory:").await?;
//! assert_eq!(store.backend(), Backend::Sqlite);
//! let org = store
//!     .create_org(&NewOrganization {
//!         name: "Coastal Relief".into(),
//!         name_ar: Some("الإغاثة الساحلية".into()),
//!         kind: OrgKind::Relief,
//!         network_member: true,
//!     })
//!     .await?;
//! assert_eq!(store.org_by_name("Coastal Relief").await?, Some(org));
//! # Ok(())
//! # }
//! # tokio::runtime::Builder::new_current_thread()
//! #     .enable_all()
//! #     .build()
//! #     .unwrap()
//! #     .block_on(demo())
//! #     .unwrap();
//! ```
//!
//! # Backends
//!
//! - **SQLite** (the embedded default): `sqlite:PATH`, `sqlite://PATH` or a bare path.
//!   The file is created if missing (readable by its owner only: it holds password
//!   hashes and personal data) and opened in WAL mode with foreign keys on, a
//!   5-second busy timeout and `synchronous=FULL`. FULL rather than NORMAL because in
//!   WAL mode NORMAL may lose the last committed transactions on power loss, and sijill
//!   holds documentation that must survive a crash once acknowledged; the cost is one
//!   WAL fsync per commit (measured with `benches/writes.rs` on a shared 2-core VM:
//!   about 1,300 single-row commits a second against 3,300 with NORMAL), which bulk
//!   writers avoid by batching rows in one transaction.
//!   `sqlite::memory:` gives a private in-memory database (one connection), for tests.
//! - **PostgreSQL**: `postgres://…` or `postgresql://…`, for a network that shares one
//!   server. TLS (rustls, Mozilla's roots) follows the URL's `sslmode` (default
//!   `prefer`; use `sslmode=verify-full`, and `sslrootcert=…` for a private CA, on a
//!   managed service). The URL's user must be able to create tables, indexes and a
//!   trigger function in the database (owning it is simplest; since PostgreSQL 15 the
//!   `public` schema is not writable by everyone).
//!
//! The backend is picked once, from the URL, in [`Store::open`]. Inside, the store holds
//! an enum of typed sqlx pools rather than sqlx's `Any` driver: `Any` only knows
//! integers, floats, text and bytes, while typed pools keep native `uuid`, `timestamptz`
//! and `boolean` columns on PostgreSQL. Every query is written once, with `$1, $2 …`
//! placeholders (which SQLite also accepts, including reuse and any order), and compiled
//! for both pools by a small dispatch macro. Queries are built at run time (no
//! compile-time query macros, so no database is needed to build).
//!
//! # Schema and migrations
//!
//! Migrations are numbered SQL files under `migrations/sqlite/` and
//! `migrations/postgres/`, embedded in the binary at compile time and applied by sqlx's
//! migrator (checksummed; a changed, already-applied migration is refused).
//! [`Store::open`] applies pending migrations; [`Store::migrate`] does it again
//! explicitly and is idempotent.
//!
//! Ids are UUIDs made by the application (v7, time-ordered), so records made on
//! different instances can be merged later; on SQLite they are hyphenated text. Times are
//! UTC and kept to the microsecond on both backends (SQLite stores fixed-width
//! `YYYY-MM-DDTHH:MM:SS.ffffffZ` text, so text order is time order).
//!
//! # Errors
//!
//! Every method returns [`StoreError`]. Unique violations become
//! [`StoreError::Conflict`] with a message naming what already exists. Error messages
//! never contain SQL text, bound values or the database URL, so they can be shown to
//! users and logged; sqlx's own statement logging is turned off for the same reason.
//!
//! # Growth
//!
//! One module per resource (`org`, `user`, `session`, `api_token`, `setting`, `audit`),
//! each adding `impl Store` methods; a new resource adds a module and a numbered
//! migration for each backend. Inside a module, `with_pool!` runs one query text on
//! whichever pool is open and `with_write_tx!` opens a write transaction (on SQLite
//! `BEGIN IMMEDIATE`, so read-then-write transactions wait instead of failing). Ids
//! and times are bound through the crate's `DbUuid` and `DbTime` column types.
//!
//! # API at a glance
//!
//! - [`Store::open`], [`Store::backend`], [`Store::migrate`], [`Store::health_check`],
//!   [`Store::close`]
//! - organizations: [`Store::create_org`], [`Store::list_orgs`], [`Store::org`],
//!   [`Store::org_by_name`]
//! - users: [`Store::create_user`], [`Store::user`], [`Store::user_by_username`],
//!   [`Store::user_credentials`], [`Store::list_users`], [`Store::set_password_hash`],
//!   [`Store::set_user_disabled`], [`Store::count_users`]
//! - sessions: [`Store::create_session`], [`Store::session`], [`Store::delete_session`],
//!   [`Store::delete_user_sessions`], [`Store::purge_expired_sessions`]
//! - API tokens: [`Store::create_api_token`], [`Store::user_by_api_token`],
//!   [`Store::list_api_tokens`], [`Store::revoke_api_token`]
//! - settings: [`Store::setting`], [`Store::set_setting`]
//! - audit: [`Store::append_audit`], [`Store::recent_audit`], [`Store::verify_audit`]

mod api_token;
mod area;
mod audit;
pub mod backup;
pub mod crypto;
pub mod crypto_shred;
mod db_types;
pub mod document_evidence;
pub mod document_field;
pub mod document_incident;
pub mod document_links;
pub mod document_testimony;
pub mod document_types;
mod error;
mod group_commit;
mod migrate;
mod org;
pub mod reconcile_claims;
pub mod reconcile_lists;
mod respond_household;
mod respond_people;
mod respond_relief;
mod session;
mod setting;
mod sync_db;
pub mod sync_evidence;
mod sync_kinds;
mod sync_merge;
pub mod sync_revisions;
pub mod sync_types;
mod user;

pub use api_token::ApiToken;
pub use audit::{AuditBreak, AuditEntry, AuditRecord, AuditReport, GENESIS_HASH};
pub use backup::{BackupSummary, TableDigests};
pub use crypto::{CryptoError, Keyring};
pub use crypto_shred::{ErasableKind, KINDS as ERASABLE_KINDS, ResealReport, SealedCensus};
pub use error::StoreError;
pub use reconcile_claims::Actor;
pub use respond_household::{
    CASH_GUARD_DAYS, CashTransfer, Household, Identity, Modality, NewCashTransfer, NewHousehold,
    PriorPayment, Reach, Vulnerability,
};
pub use respond_people::{Dialogue, NewVolunteer, Participants, PeopleTotals, Volunteer};
pub use respond_relief::{
    Campaign, Distribution, FourW, FourWCell, FourWDays, FourWFilter, FourWSum, FourWSummary, Gap,
    ImportOutcome, Item, ItemTotal, NewCampaign, NewDistribution,
};
pub use session::{NewSession, Session};
pub use sync_revisions::ExportFilter;
pub use sync_types::{
    ApplyOutcome, Batch, Candidate, Conflict, Fields, PullPage, Revision, SyncScope,
};

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{ConnectOptions, Connection};
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// Which database a [`Store`] runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    /// An embedded SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Backend {
    /// `"sqlite"` or `"postgres"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// The database of one sijill instance. Cheap to clone (a connection pool inside).
#[derive(Clone)]
pub struct Store {
    pool: Pool,
    keyring: Option<std::sync::Arc<crypto::Keyring>>,
    shred: Option<std::sync::Arc<crypto_shred::Shred>>,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the URL: it may carry a password.
        f.debug_struct("Store")
            .field("backend", &self.backend())
            .finish_non_exhaustive()
    }
}

/// Runs `$body` with `$pool` bound to the typed pool of `$store`, compiling the same
/// code once per backend.
macro_rules! with_pool {
    ($store:expr, |$pool:ident| $body:expr) => {
        match &$store.pool {
            $crate::Pool::Sqlite($pool) => $body,
            $crate::Pool::Postgres($pool) => $body,
        }
    };
}
pub(crate) use with_pool;

/// Runs `$body` with `$tx` bound to a new write transaction of `$store`; the body must
/// commit it. On SQLite the transaction starts with `BEGIN IMMEDIATE`, taking the write
/// lock up front (waiting up to the busy timeout), so a transaction that reads before
/// it writes cannot fail with `SQLITE_BUSY` when it upgrades; on PostgreSQL it is a
/// plain `BEGIN`.
macro_rules! with_write_tx {
    ($store:expr, |$tx:ident| $body:expr) => {
        match &$store.pool {
            $crate::Pool::Sqlite(pool) => {
                let mut $tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                $body
            }
            $crate::Pool::Postgres(pool) => {
                let mut $tx = pool.begin().await?;
                $body
            }
        }
    };
}
pub(crate) use with_write_tx;

/// How long a SQLite writer waits for the write lock before giving up.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a caller waits for a free pooled connection.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

impl Store {
    /// Opens (creating if needed) the database at `url` and applies pending migrations.
    ///
    /// `url` is `sqlite:PATH`, `sqlite://PATH`, a bare file path, `sqlite::memory:`, or
    /// `postgres://…` / `postgresql://…`.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let url = url.trim();
        let pool = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options = PgConnectOptions::from_str(url)
                .map_err(|_| StoreError::Invalid("the PostgreSQL URL is not valid".into()))?
                .application_name("sijill")
                .disable_statement_logging();
            // One direct attempt first: the pool retries failed connections until its
            // acquire timeout and then reports only the timeout, while this reports
            // why (refused, unknown database, bad password) at once.
            options
                .connect()
                .await
                .map_err(error::connect_error)?
                .close()
                .await
                .map_err(error::connect_error)?;
            let pool = PgPoolOptions::new()
                .max_connections(10)
                .acquire_timeout(ACQUIRE_TIMEOUT)
                .connect_with(options)
                .await
                .map_err(error::connect_error)?;
            Pool::Postgres(pool)
        } else {
            Pool::Sqlite(open_sqlite(url).await?)
        };
        let store = Store {
            pool,
            keyring: None,
            shred: None,
        };
        store.migrate().await?;
        // The URL is never logged: it may carry a password.
        tracing::info!(backend = %store.backend(), "database opened and migrated");
        Ok(store)
    }

    /// Which backend this store runs on.
    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// Applies the embedded migrations that are not applied yet. Idempotent.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        migrate::run(self).await
    }

    /// Checks that the database answers (for `/healthz`).
    pub async fn health_check(&self) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            sqlx::query("SELECT 1").execute(pool).await?;
        });
        Ok(())
    }

    /// Closes every pooled connection, waiting for those in use. On SQLite this lets
    /// the last connection checkpoint the WAL into the main file.
    pub async fn close(&self) {
        with_pool!(self, |pool| pool.close().await)
    }
}

async fn open_sqlite(url: &str) -> Result<SqlitePool, StoreError> {
    let invalid = || StoreError::Invalid("the SQLite URL or path is not valid".into());
    let options = if url.starts_with("sqlite:") {
        SqliteConnectOptions::from_str(url).map_err(|_| invalid())?
    } else if url.is_empty() {
        return Err(invalid());
    } else {
        SqliteConnectOptions::new().filename(url)
    };
    let in_memory = url.starts_with("sqlite::memory:") || url.contains("mode=memory");
    if !in_memory {
        create_private_file(options.get_filename())?;
    }
    let options = options
        .create_if_missing(true)
        .foreign_keys(true)
        .busy_timeout(SQLITE_BUSY_TIMEOUT)
        .synchronous(SqliteSynchronous::Full)
        .disable_statement_logging();
    let (options, pool_options) = if in_memory {
        // An in-memory database lives as long as its connections: keep exactly one.
        (
            options.journal_mode(SqliteJournalMode::Memory),
            SqlitePoolOptions::new()
                .max_connections(1)
                .min_connections(1)
                .idle_timeout(None)
                .max_lifetime(None),
        )
    } else {
        (
            options.journal_mode(SqliteJournalMode::Wal),
            SqlitePoolOptions::new().max_connections(8),
        )
    };
    pool_options
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .connect_with(options)
        .await
        .map_err(error::connect_error)
}

/// Creates a missing database file readable and writable by its owner only (it holds
/// password hashes and personal data); SQLite gives its `-wal` and `-shm` files the
/// same permissions. An existing file is left as it is.
fn create_private_file(path: &std::path::Path) -> Result<(), StoreError> {
    let mut open = std::fs::OpenOptions::new();
    open.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut open, 0o600);
    match open.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(StoreError::Database(
            "cannot open the database: the SQLite file cannot be opened: check that its directory exists and is writable".into(),
        )),
        Err(e) => Err(StoreError::Database(format!(
            "cannot create the SQLite file ({})",
            e.kind()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn placeholders(store: &Store) {
        // Reused and out-of-order numbered placeholders bind the same way on both
        // backends.
        let got: String = with_pool!(store, |pool| {
            sqlx::query_scalar(
                "SELECT CAST($2 AS TEXT) || '-' || CAST($1 AS TEXT) || '-' || CAST($2 AS TEXT)",
            )
            .bind("a")
            .bind("b")
            .fetch_one(pool)
            .await
            .unwrap()
        });
        assert_eq!(got, "b-a-b", "{}", store.backend());
        let n: i64 = with_pool!(store, |pool| {
            sqlx::query_scalar(
                "SELECT CAST($1 AS BIGINT) + CAST($1 AS BIGINT) * CAST($2 AS BIGINT)",
            )
            .bind(3_i64)
            .bind(10_i64)
            .fetch_one(pool)
            .await
            .unwrap()
        });
        assert_eq!(n, 33, "{}", store.backend());
    }

    #[tokio::test]
    async fn placeholders_sqlite() {
        let db = sijill_testkit::sqlite_url();
        let store = Store::open(db.url()).await.unwrap();
        assert_eq!(store.backend(), Backend::Sqlite);
        placeholders(&store).await;
    }

    #[tokio::test]
    async fn placeholders_postgres() {
        let Some(pg) = sijill_testkit::postgres() else {
            return;
        };
        let store = Store::open(pg.url()).await.unwrap();
        assert_eq!(store.backend(), Backend::Postgres);
        placeholders(&store).await;
    }

    #[tokio::test]
    async fn bad_urls_are_invalid_and_do_not_echo() {
        let err = Store::open("postgres://user:s3cret@[::1")
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
        assert!(!err.to_string().contains("s3cret"));
        assert!(matches!(
            Store::open("  ").await.unwrap_err(),
            StoreError::Invalid(_)
        ));
    }

    #[tokio::test]
    async fn missing_directory_says_so() {
        let db = sijill_testkit::sqlite_url();
        let url = format!("sqlite:{}", db.path().join("no/such/dir/x.db").display());
        let err = Store::open(&url).await.unwrap_err();
        assert!(matches!(err, StoreError::Database(_)), "{err:?}");
        assert!(err.to_string().contains("directory exists"), "{err}");
        assert!(!err.to_string().contains("no/such"), "{err}");
    }

    #[tokio::test]
    async fn not_a_database_says_so() {
        let db = sijill_testkit::sqlite_url();
        std::fs::write(
            db.path(),
            b"this is a text file, not a database, padded to a page",
        )
        .unwrap();
        let err = Store::open(db.url()).await.unwrap_err();
        assert!(err.to_string().contains("not a SQLite database"), "{err}");
    }

    #[tokio::test]
    async fn postgres_errors_say_what_to_check() {
        // Nothing listens on port 1 (privileged, unused).
        let err = Store::open("postgres://u:p@127.0.0.1:1/db")
            .await
            .unwrap_err();
        assert!(err.to_string().contains("refused"), "{err}");
        let Some(pg) = sijill_testkit::postgres() else {
            return;
        };
        let missing = format!("{}_missing", pg.url());
        let err = Store::open(&missing).await.unwrap_err();
        assert!(err.to_string().contains("does not exist"), "{err}");
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn new_database_files_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let db = sijill_testkit::sqlite_url();
        let store = Store::open(db.url()).await.unwrap();
        store.set_setting("k", "v").await.unwrap();
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(db.path()), 0o600);
        let wal = db.path().with_extension("db-wal");
        assert!(wal.exists());
        assert_eq!(mode(&wal), 0o600);
        store.close().await;
    }

    #[tokio::test]
    async fn postgres_over_tls() {
        let Some(pg) = sijill_testkit::postgres_tls() else {
            return;
        };
        // The cluster refuses TCP connections without TLS, so opening proves TLS works,
        // with the certificate checked against the given root.
        let store = Store::open(pg.url()).await.unwrap();
        store.set_setting("k", "v").await.unwrap();
        let on_tls: bool = with_pool!(store, |pool| {
            sqlx::query_scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
                .fetch_one(pool)
                .await
                .unwrap()
        });
        assert!(on_tls);
        let plain = pg.url().replace("sslmode=verify-full", "sslmode=disable");
        assert!(Store::open(&plain).await.is_err());
        // Without the self-signed root the certificate is refused, and the error says
        // where to look.
        let untrusted = pg
            .url()
            .split("&sslrootcert")
            .next()
            .unwrap_or_default()
            .to_owned();
        let err = Store::open(&untrusted).await.unwrap_err();
        assert!(err.to_string().contains("TLS"), "{err}");
    }

    #[tokio::test]
    async fn in_memory_database_works() {
        let store = Store::open("sqlite::memory:").await.unwrap();
        store.set_setting("k", "v").await.unwrap();
        // A second round trip on the same pool still sees the data.
        assert_eq!(store.setting("k").await.unwrap().as_deref(), Some("v"));
    }

    #[tokio::test]
    async fn pragmas_are_set() {
        let db = sijill_testkit::sqlite_url();
        let store = Store::open(db.url()).await.unwrap();
        let Pool::Sqlite(pool) = &store.pool else {
            unreachable!("opened a SQLite URL")
        };
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!(mode, "wal");
        let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!(fk, 1);
        let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!(sync, 2, "FULL");
        let busy: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!(busy, 5000);
    }
}
