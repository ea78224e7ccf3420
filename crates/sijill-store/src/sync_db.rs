//! One write (or read) transaction on either backend with text-in, text-out helpers, so
//! the sync engine is written once: every value it reads comes back as optional text
//! (queries cast columns to text), every value it writes is bound as a [`Val`].

use crate::db_types::{DbTime, DbUuid};
use crate::error::StoreError;
use crate::{Backend, Pool, Store};
use sqlx::{Postgres, Row, Sqlite, Transaction};

/// A value bound to a placeholder.
#[derive(Clone)]
pub(crate) enum Val {
    Text(Option<String>),
    Int(i64),
    Bool(bool),
    Uuid(DbUuid),
    Time(DbTime),
}

impl Val {
    pub(crate) fn text(s: impl Into<String>) -> Val {
        Val::Text(Some(s.into()))
    }
    pub(crate) fn uuid(id: uuid::Uuid) -> Val {
        Val::Uuid(DbUuid(id))
    }
}

/// An open transaction of either backend.
pub(crate) enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

macro_rules! bind_vals {
    ($q:expr, $vals:expr) => {{
        let mut q = $q;
        for v in $vals {
            q = match v {
                Val::Text(t) => q.bind(t.clone()),
                Val::Int(i) => q.bind(*i),
                Val::Bool(b) => q.bind(*b),
                Val::Uuid(u) => q.bind(*u),
                Val::Time(t) => q.bind(*t),
            };
        }
        q
    }};
}

impl Tx {
    /// A write transaction (`BEGIN IMMEDIATE` on SQLite, so writers queue up front; on
    /// PostgreSQL the revisions table is locked so arrival order is commit order).
    pub(crate) async fn write(store: &Store) -> Result<Tx, StoreError> {
        Ok(match &store.pool {
            Pool::Sqlite(pool) => Tx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?),
            Pool::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                sqlx::query("LOCK TABLE sync_revisions IN EXCLUSIVE MODE")
                    .execute(&mut *tx)
                    .await?;
                Tx::Postgres(tx)
            }
        })
    }

    /// A read-only snapshot.
    pub(crate) async fn read(store: &Store) -> Result<Tx, StoreError> {
        Ok(match &store.pool {
            Pool::Sqlite(pool) => Tx::Sqlite(pool.begin().await?),
            Pool::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    pub(crate) fn backend(&self) -> Backend {
        match self {
            Tx::Sqlite(_) => Backend::Sqlite,
            Tx::Postgres(_) => Backend::Postgres,
        }
    }

    /// Runs a statement; the number of rows it touched.
    pub(crate) async fn exec(&mut self, sql: &str, vals: &[Val]) -> Result<u64, StoreError> {
        Ok(match self {
            Tx::Sqlite(tx) => bind_vals!(sqlx::query(sql), vals)
                .execute(&mut **tx)
                .await?
                .rows_affected(),
            Tx::Postgres(tx) => bind_vals!(sqlx::query(sql), vals)
                .execute(&mut **tx)
                .await?
                .rows_affected(),
        })
    }

    /// Runs a query whose every column is text (or cast to it).
    pub(crate) async fn rows(
        &mut self,
        sql: &str,
        vals: &[Val],
    ) -> Result<Vec<Vec<Option<String>>>, StoreError> {
        fn collect<R: Row>(rows: Vec<R>) -> Result<Vec<Vec<Option<String>>>, StoreError>
        where
            for<'r> Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
            usize: sqlx::ColumnIndex<R>,
        {
            rows.iter()
                .map(|r| {
                    (0..r.len())
                        .map(|i| {
                            r.try_get::<Option<String>, usize>(i)
                                .map_err(StoreError::from)
                        })
                        .collect()
                })
                .collect()
        }
        match self {
            Tx::Sqlite(tx) => collect(
                bind_vals!(sqlx::query(sql), vals)
                    .fetch_all(&mut **tx)
                    .await?,
            ),
            Tx::Postgres(tx) => collect(
                bind_vals!(sqlx::query(sql), vals)
                    .fetch_all(&mut **tx)
                    .await?,
            ),
        }
    }

    /// The first column of the first row, if any.
    pub(crate) async fn scalar(
        &mut self,
        sql: &str,
        vals: &[Val],
    ) -> Result<Option<String>, StoreError> {
        Ok(self
            .rows(sql, vals)
            .await?
            .into_iter()
            .next()
            .and_then(|r| r.into_iter().next().flatten()))
    }

    /// The transaction's connection, for an audit append inside it.
    pub(crate) fn conn(&mut self) -> crate::group_commit::Conn<'_> {
        match self {
            Tx::Sqlite(tx) => crate::group_commit::Conn::Sqlite(tx),
            Tx::Postgres(tx) => crate::group_commit::Conn::Postgres(tx),
        }
    }

    pub(crate) async fn commit(self) -> Result<(), StoreError> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await?,
            Tx::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }
}
