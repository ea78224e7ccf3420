//! The embedded migrations: numbered SQL files compiled into the binary, one directory
//! per backend, applied by sqlx's migrator (which records each applied version with a
//! checksum and refuses a changed or unknown one).
//!
//! To add a migration, add `NNNN_name.sql` under both `migrations/sqlite/` and
//! `migrations/postgres/` and list it in both tables below; never edit one that has
//! shipped.

use crate::{Store, error, with_pool};
use sqlx::error::BoxDynError;
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use std::future::Future;
use std::pin::Pin;

type Embedded = &'static [(i64, &'static str, &'static str)];

const SQLITE: Embedded = &[
    (
        1,
        "accounts",
        include_str!("../migrations/sqlite/0001_accounts.sql"),
    ),
    (
        50,
        "areas",
        include_str!("../migrations/sqlite/0050_areas.sql"),
    ),
    (
        100,
        "reconcile",
        include_str!("../migrations/sqlite/0100_reconcile.sql"),
    ),
    (
        200,
        "document",
        include_str!("../migrations/sqlite/0200_document.sql"),
    ),
    (
        201,
        "document_links",
        include_str!("../migrations/sqlite/0201_document_links.sql"),
    ),
    (
        300,
        "respond",
        include_str!("../migrations/sqlite/0300_respond.sql"),
    ),
    (
        301,
        "respond_read_indexes",
        include_str!("../migrations/sqlite/0301_respond_read_indexes.sql"),
    ),
    (
        302,
        "respond_4w_days",
        include_str!("../migrations/sqlite/0302_respond_4w_days.sql"),
    ),
    (
        303,
        "respond_4w_days_covering",
        include_str!("../migrations/sqlite/0303_respond_4w_days_covering.sql"),
    ),
    (
        400,
        "sync",
        include_str!("../migrations/sqlite/0400_sync.sql"),
    ),
    (
        401,
        "sync_kinds",
        include_str!("../migrations/sqlite/0401_sync_kinds.sql"),
    ),
    (
        402,
        "sync_held",
        include_str!("../migrations/sqlite/0402_sync_held.sql"),
    ),
    (
        403,
        "sync_authors",
        include_str!("../migrations/sqlite/0403_sync_authors.sql"),
    ),
    (
        500,
        "protect",
        include_str!("../migrations/sqlite/0500_protect.sql"),
    ),
];

const POSTGRES: Embedded = &[
    (
        1,
        "accounts",
        include_str!("../migrations/postgres/0001_accounts.sql"),
    ),
    (
        50,
        "areas",
        include_str!("../migrations/postgres/0050_areas.sql"),
    ),
    (
        100,
        "reconcile",
        include_str!("../migrations/postgres/0100_reconcile.sql"),
    ),
    (
        200,
        "document",
        include_str!("../migrations/postgres/0200_document.sql"),
    ),
    (
        201,
        "document_links",
        include_str!("../migrations/postgres/0201_document_links.sql"),
    ),
    (
        300,
        "respond",
        include_str!("../migrations/postgres/0300_respond.sql"),
    ),
    (
        301,
        "respond_read_indexes",
        include_str!("../migrations/postgres/0301_respond_read_indexes.sql"),
    ),
    (
        302,
        "respond_4w_days",
        include_str!("../migrations/postgres/0302_respond_4w_days.sql"),
    ),
    (
        303,
        "respond_4w_days_covering",
        include_str!("../migrations/postgres/0303_respond_4w_days_covering.sql"),
    ),
    (
        400,
        "sync",
        include_str!("../migrations/postgres/0400_sync.sql"),
    ),
    (
        401,
        "sync_kinds",
        include_str!("../migrations/postgres/0401_sync_kinds.sql"),
    ),
    (
        402,
        "sync_held",
        include_str!("../migrations/postgres/0402_sync_held.sql"),
    ),
    (
        403,
        "sync_authors",
        include_str!("../migrations/postgres/0403_sync_authors.sql"),
    ),
    (
        500,
        "protect",
        include_str!("../migrations/postgres/0500_protect.sql"),
    ),
];

/// A migration source backed by one of the tables above.
#[derive(Debug)]
struct Source(Embedded);

impl<'s> MigrationSource<'s> for Source {
    fn resolve(
        self,
    ) -> Pin<Box<dyn Future<Output = Result<Vec<Migration>, BoxDynError>> + Send + 's>> {
        Box::pin(async move {
            Ok(self
                .0
                .iter()
                .map(|&(version, name, sql)| {
                    Migration::new(
                        version,
                        name.into(),
                        MigrationType::Simple,
                        sql.into(),
                        false,
                    )
                })
                .collect())
        })
    }
}

pub(crate) async fn run(store: &Store) -> Result<(), error::StoreError> {
    let source = match store.backend() {
        crate::Backend::Sqlite => Source(SQLITE),
        crate::Backend::Postgres => Source(POSTGRES),
    };
    let migrator = Migrator::new(source)
        .await
        .map_err(|e| error::StoreError::Migration(error::describe_migrate(&e)))?;
    with_pool!(store, |pool| migrator.run(pool).await)
        .map_err(|e| error::StoreError::Migration(error::describe_migrate(&e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_backends_have_the_same_versions() {
        let v = |t: Embedded| t.iter().map(|m| (m.0, m.1)).collect::<Vec<_>>();
        assert_eq!(v(SQLITE), v(POSTGRES));
        // Each area of the schema has its own range of versions (accounts and reference
        // data 1–99, reconcile 100–199, document 200–299, respond 300–399 …), so versions
        // increase but need not be consecutive.
        for w in SQLITE.windows(2) {
            assert!(
                w[0].0 < w[1].0,
                "versions increase: {} then {}",
                w[0].0,
                w[1].0
            );
        }
    }

    #[test]
    fn every_file_is_listed() {
        // A migration file that is not in the table would silently never run.
        for (dir, table) in [("sqlite", SQLITE), ("postgres", POSTGRES)] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("migrations")
                .join(dir);
            let mut files: Vec<String> = std::fs::read_dir(&path)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            files.sort();
            let listed: Vec<String> = table
                .iter()
                .map(|(v, name, _)| format!("{v:04}_{name}.sql"))
                .collect();
            assert_eq!(files, listed, "migrations/{dir}");
        }
    }
}
