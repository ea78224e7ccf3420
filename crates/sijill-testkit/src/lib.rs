//! Test support for sijill: fresh databases for tests, on both backends.
//!
//! - [`sqlite_url`] gives a fresh SQLite file in a temporary directory.
//! - [`postgres`] gives a fresh, empty database on a throwaway PostgreSQL cluster that
//!   the harness starts itself with the installed PostgreSQL (`initdb` and `pg_ctl`
//!   under `/usr/lib/postgresql/*/bin`, or `$SIJILL_PG_BIN`, or `PATH`), in a temporary
//!   directory, on a free port, with its unix socket in that directory. Tests of one
//!   process that run at the same time share one cluster (each gets its own database);
//!   the cluster is stopped and deleted when the last handle is dropped.
//!   Without PostgreSQL installed it returns `None` and prints a note, so the
//!   PostgreSQL half of a suite is skipped; with `CI=true` it panics instead, failing
//!   the test. A PostgreSQL that is installed but fails to start always fails.
//! - [`postgres_tls`] is the same on a second cluster that only accepts TLS over TCP,
//!   with a self-signed certificate, to test encrypted connections.
//! - [`backends`] gives both (SQLite first), for suites that run one story per backend.
//!
//! A test process that is killed (rather than failing) cannot stop its cluster: look
//! for leftover `sijill-pg-*` directories under the temporary directory and stop them
//! with `pg_ctl stop -D <dir>/data`.
//!
//! As root, `initdb` refuses to run, so the harness runs the PostgreSQL programs as the
//! `postgres` system user (`runuser -u postgres --`) in a directory it hands over to
//! that user. The cluster trusts local connections: it only lives for the tests.

mod postgres;

pub use postgres::{PgDatabase, postgres, postgres_tls};

use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// A fresh SQLite database file; the directory holding it is deleted on drop.
#[derive(Debug)]
pub struct SqliteDb {
    _dir: TempDir,
    path: PathBuf,
    url: String,
}

impl SqliteDb {
    /// The `sqlite:` URL of the database (the file does not exist until opened).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The path of the database file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// A fresh SQLite database in a new temporary directory.
///
/// # Panics
/// If no temporary directory can be made (a broken test machine).
pub fn sqlite_url() -> SqliteDb {
    let dir = tempfile::Builder::new()
        .prefix("sijill-test-")
        .tempdir()
        .expect("cannot create a temporary directory for a test database");
    let path = dir.path().join("test.db");
    let url = format!("sqlite:{}", path.display());
    SqliteDb {
        _dir: dir,
        path,
        url,
    }
}

/// A test database on one backend; keeps it alive while held.
#[derive(Debug)]
pub enum TestDb {
    /// A temporary SQLite file.
    Sqlite(SqliteDb),
    /// A database on the throwaway PostgreSQL cluster.
    Postgres(PgDatabase),
}

impl TestDb {
    /// The URL to open.
    pub fn url(&self) -> &str {
        match self {
            TestDb::Sqlite(db) => db.url(),
            TestDb::Postgres(db) => db.url(),
        }
    }

    /// `"sqlite"` or `"postgres"`, for test messages.
    pub fn name(&self) -> &'static str {
        match self {
            TestDb::Sqlite(_) => "sqlite",
            TestDb::Postgres(_) => "postgres",
        }
    }
}

/// A fresh database on every available backend: SQLite always, PostgreSQL when
/// installed (see [`postgres`] for the `CI=true` rule).
pub fn backends() -> Vec<TestDb> {
    let mut v = vec![TestDb::Sqlite(sqlite_url())];
    if let Some(pg) = postgres() {
        v.push(TestDb::Postgres(pg));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_are_fresh_and_cleaned_up() {
        let a = sqlite_url();
        let b = sqlite_url();
        assert_ne!(a.url(), b.url());
        assert!(a.url().starts_with("sqlite:"));
        let dir = a.path().parent().unwrap().to_owned();
        assert!(dir.is_dir());
        drop(a);
        assert!(!dir.exists());
    }
}
