//! The store's error type, and the translation of sqlx errors into messages that are safe
//! to show and to log: no SQL text, no bound values, no URL, no database message text
//! (PostgreSQL messages may quote the offending value).

use sqlx::error::ErrorKind;

/// What went wrong in the store. Every message is safe to show to users and to log.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// The record asked for does not exist.
    #[error("not found")]
    NotFound,
    /// A unique value is taken; the message says which (e.g. "a user with this username
    /// already exists").
    #[error("{0}")]
    Conflict(String),
    /// The input cannot be stored; the message says what to fix.
    #[error("{0}")]
    Invalid(String),
    /// The database failed or refused; the message names the kind of failure (and the
    /// SQLSTATE and constraint where there is one), never the statement or the values.
    #[error("database error: {0}")]
    Database(String),
    /// Applying the embedded migrations failed.
    #[error("migration failed: {0}")]
    Migration(String),
    /// A key file or a sealed personal field failed (wrong or missing key, tampering).
    #[error(transparent)]
    Crypto(#[from] crate::crypto::CryptoError),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        StoreError::Database(describe(&e))
    }
}

/// A safe one-line description of a sqlx error.
pub(crate) fn describe(e: &sqlx::Error) -> String {
    use sqlx::Error as E;
    match e {
        E::Database(db) => {
            let mut s = String::from("the database refused the operation");
            if let Some(code) = db.code() {
                s.push_str(&format!(" (code {code})"));
            }
            if let Some(c) = db.constraint() {
                s.push_str(&format!(" on constraint {c}"));
            }
            s
        }
        E::Io(io) => format!("i/o error ({})", io.kind()),
        E::Tls(_) => "TLS error".into(),
        E::Protocol(_) => "protocol error talking to the database".into(),
        E::RowNotFound => "no row where one was expected".into(),
        E::TypeNotFound { .. } => "a database type is missing".into(),
        E::ColumnIndexOutOfBounds { .. } | E::ColumnNotFound(_) => {
            "the schema does not match this version of sijill".into()
        }
        E::ColumnDecode { index, .. } => format!("cannot decode column {index}"),
        E::Encode(_) => "cannot encode a value".into(),
        E::Decode(_) => "cannot decode a value".into(),
        E::PoolTimedOut => "timed out waiting for a database connection".into(),
        E::PoolClosed => "the database connection pool is closed".into(),
        E::WorkerCrashed => "the database worker stopped".into(),
        E::Configuration(_) => "invalid database configuration".into(),
        E::Migrate(m) => describe_migrate(m),
        _ => "unexpected database error".into(),
    }
}

pub(crate) fn describe_migrate(e: &sqlx::migrate::MigrateError) -> String {
    use sqlx::migrate::MigrateError as M;
    match e {
        M::Execute(inner) => format!("a migration failed to apply: {}", describe(inner)),
        M::ExecuteMigration(inner, v) => {
            format!("migration {v} failed to apply: {}", describe(inner))
        }
        M::VersionMissing(v) => format!(
            "migration {v} was applied to this database but is unknown to this version of sijill (is the binary older than the database?)"
        ),
        M::VersionMismatch(v) => {
            format!("migration {v} was applied with different content; refusing to continue")
        }
        M::VersionNotPresent(v) => format!("migration {v} is not present"),
        M::VersionTooOld(v, latest) => {
            format!("migration {v} is older than the latest applied migration {latest}")
        }
        M::VersionTooNew(v, latest) => {
            format!("migration {v} is newer than the latest applied migration {latest}")
        }
        M::Dirty(v) => {
            format!("migration {v} was left partially applied; restore a backup before continuing")
        }
        _ => "the migrations could not be applied".into(),
    }
}

const TLS_HINT: &str =
    "the TLS connection failed: check sslmode, sslrootcert and the server's certificate";

/// Maps a failed connection attempt, saying what to check for the common causes.
pub(crate) fn connect_error(e: sqlx::Error) -> StoreError {
    let hint = match &e {
        sqlx::Error::Configuration(_) => {
            return StoreError::Invalid("the database URL is not valid".into());
        }
        sqlx::Error::Database(db) => match db.code().as_deref() {
            // SQLite result codes (the primary code is the low byte of an extended one).
            Some(c) if c.parse::<u32>().is_ok_and(|n| n & 0xff == 14) => Some(
                "the SQLite file cannot be opened: check that its directory exists and is writable",
            ),
            Some(c) if c.parse::<u32>().is_ok_and(|n| n & 0xff == 26) => {
                Some("the file is not a SQLite database")
            }
            Some(c) if c.parse::<u32>().is_ok_and(|n| n & 0xff == 8) => {
                Some("the SQLite file is read-only")
            }
            // PostgreSQL SQLSTATEs.
            Some("3D000") => Some("the PostgreSQL database does not exist"),
            Some("28P01" | "28000") => {
                Some("PostgreSQL refused the login: check the user and password")
            }
            Some("42501") => Some("the PostgreSQL user lacks a needed privilege"),
            _ => None,
        },
        // rustls reports a rejected certificate as invalid data on the socket.
        sqlx::Error::Tls(_) => Some(TLS_HINT),
        sqlx::Error::Io(io) if io.kind() == std::io::ErrorKind::InvalidData => Some(TLS_HINT),
        sqlx::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            Some("the connection was refused: is PostgreSQL running at that host and port?")
        }
        _ => None,
    };
    match hint {
        Some(h) => StoreError::Database(format!("cannot open the database: {h}")),
        None => StoreError::Database(format!("cannot open the database: {}", describe(&e))),
    }
}

/// Maps a write error: a unique violation becomes `Conflict(what)`, a foreign-key
/// violation `Invalid(missing)`, anything else `Database`.
pub(crate) fn on_write(e: sqlx::Error, what: &str, missing: &str) -> StoreError {
    if let sqlx::Error::Database(db) = &e {
        match db.kind() {
            ErrorKind::UniqueViolation => return StoreError::Conflict(what.into()),
            ErrorKind::ForeignKeyViolation => return StoreError::Invalid(missing.into()),
            _ => {}
        }
    }
    StoreError::from(e)
}

/// A value read from the database does not parse: the database was changed outside
/// sijill.
pub(crate) fn corrupt(what: &str) -> StoreError {
    StoreError::Database(format!("a stored {what} is not valid"))
}
