//! Group commit of small concurrent audited writes, on SQLite and on PostgreSQL.
//!
//! Every commit waits for the log to reach the disk (SQLite with `synchronous=FULL`
//! fsyncs its WAL; PostgreSQL with `synchronous_commit=on` flushes its WAL), so
//! single-row transactions from many requests top out near the disk's flush rate (about
//! 1,300 a second on the shared 2-core VM). Each audited write also extends the audit
//! chain, which is serialized (SQLite's write lock, PostgreSQL's exclusive lock on
//! `audit_log`), so on PostgreSQL the writers queue on that lock one flush at a time.
//! Here one task per database takes the writes that are waiting, runs them in one
//! transaction (SQLite `BEGIN IMMEDIATE`; PostgreSQL `BEGIN` and the audit lock) — each
//! inside its own savepoint, so a write that fails (a duplicate key, say) is undone
//! alone — commits once, and only then answers each caller. Durability is unchanged:
//! nobody hears "done" before the commit that holds their write has returned, and a
//! failed commit fails every write in it.
//!
//! The writer is found by the database (a SQLite file's path; a PostgreSQL server's
//! host, port and database), not kept in [`crate::Store`], started on first use on the
//! current tokio runtime, and replaced when its pool was closed or its task ended.
//! In-memory databases are not grouped, and neither is anything when the environment
//! variable `SIJILL_NO_GROUP_COMMIT` is set (one commit per write, for comparison
//! measurements: `bench/load/run.sh` reports both).
//!
//! [`Store::write_version`](crate::Store::write_version) reads the head of the audit
//! chain these commits extend: the server's read cache keeps page parts while it stays
//! the same.

use crate::{Pool, StoreError};
use sqlx::postgres::PgConnection;
use sqlx::sqlite::SqliteConnection;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use tokio::sync::{mpsc, oneshot};

/// A boxed future borrowing the connection for `'c`.
pub(crate) type Fut<'c, T> = Pin<Box<dyn Future<Output = T> + Send + 'c>>;

/// Hands a write's outcome to its caller once the batch's commit is known.
type Deliver = Box<dyn FnOnce(Result<(), String>) + Send>;
/// One write: runs on the batch's connection, says whether it succeeded.
type Job = Box<dyn for<'c> FnOnce(Conn<'c>) -> Fut<'c, (bool, Deliver)> + Send>;

/// The connection of the group transaction a write runs on.
pub(crate) enum Conn<'c> {
    /// On SQLite.
    Sqlite(&'c mut SqliteConnection),
    /// On PostgreSQL.
    Postgres(&'c mut PgConnection),
}

/// The most writes in one transaction.
const MAX_BATCH: usize = 512;

/// A handle on the writer task of one database file.
#[derive(Clone)]
pub(crate) struct Writer {
    jobs: mpsc::Sender<Job>,
}

static WRITERS: Mutex<Vec<(String, Pool, Writer)>> = Mutex::new(Vec::new());

/// Which database a pool reaches; `None` for an in-memory SQLite database.
fn database_key(pool: &Pool) -> Option<String> {
    match pool {
        Pool::Sqlite(pool) => {
            let options = pool.connect_options();
            let name = options.get_filename().to_string_lossy().into_owned();
            if name.is_empty() || name.contains(":memory:") || name.contains("mode=memory") {
                return None;
            }
            Some(format!("sqlite:{name}"))
        }
        Pool::Postgres(pool) => {
            let options = pool.connect_options();
            Some(format!(
                "postgres:{}:{}/{}",
                options.get_host(),
                options.get_port(),
                options.get_database().unwrap_or_default()
            ))
        }
    }
}

fn is_closed(pool: &Pool) -> bool {
    match pool {
        Pool::Sqlite(p) => p.is_closed(),
        Pool::Postgres(p) => p.is_closed(),
    }
}

/// The writer of `pool`'s database, started if needed; `None` for an in-memory
/// database, outside a tokio runtime, or when group commit is switched off.
pub(crate) fn writer(pool: &Pool) -> Option<Writer> {
    static OFF: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if *OFF.get_or_init(|| std::env::var_os("SIJILL_NO_GROUP_COMMIT").is_some()) {
        return None;
    }
    let key = database_key(pool)?;
    tokio::runtime::Handle::try_current().ok()?;
    let mut all = WRITERS.lock().unwrap_or_else(|p| p.into_inner());
    all.retain(|(_, p, w)| !is_closed(p) && !w.jobs.is_closed());
    if let Some((_, _, w)) = all.iter().find(|(k, _, _)| *k == key) {
        return Some(w.clone());
    }
    let (jobs, rx) = mpsc::channel(MAX_BATCH * 4);
    tokio::spawn(run(pool.clone(), rx));
    let w = Writer { jobs };
    all.push((key, pool.clone(), w.clone()));
    Some(w)
}

impl Writer {
    /// Runs `f` inside the next group transaction and returns its result once that
    /// transaction is committed. An error from `f` undoes `f`'s writes only.
    pub(crate) async fn write<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(Conn<'c>) -> Fut<'c, Result<T, StoreError>> + Send + 'static,
    {
        let (done, wait) = oneshot::channel();
        let job: Job = Box::new(move |conn| {
            Box::pin(async move {
                let out = f(conn).await;
                let ok = out.is_ok();
                let deliver: Deliver = Box::new(move |batch| {
                    let _ = done.send(batch.map_err(StoreError::Database).and(out));
                });
                (ok, deliver)
            })
        });
        let stopped = || StoreError::Database("the write could not be committed".into());
        self.jobs.send(job).await.map_err(|_| stopped())?;
        wait.await.map_err(|_| stopped())?
    }
}

async fn run(pool: Pool, mut rx: mpsc::Receiver<Job>) {
    let mut jobs = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut jobs, MAX_BATCH).await > 0 {
        let batch = std::mem::take(&mut jobs);
        let mut delivers = Vec::with_capacity(batch.len());
        let outcome = commit(&pool, batch, &mut delivers)
            .await
            .map_err(|e| e.to_string());
        for d in delivers {
            d(outcome.clone());
        }
    }
}

/// Runs the jobs in one transaction, each in a savepoint. Jobs not reached because the
/// transaction failed are dropped, and their callers told so.
async fn commit(
    pool: &Pool,
    batch: Vec<Job>,
    delivers: &mut Vec<Deliver>,
) -> Result<(), StoreError> {
    match pool {
        Pool::Sqlite(pool) => {
            let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
            for job in batch {
                sqlx::query("SAVEPOINT grouped").execute(&mut *tx).await?;
                let (ok, deliver) = job(Conn::Sqlite(&mut tx)).await;
                delivers.push(deliver);
                if !ok {
                    sqlx::query("ROLLBACK TO grouped").execute(&mut *tx).await?;
                }
                sqlx::query("RELEASE grouped").execute(&mut *tx).await?;
            }
            tx.commit().await?;
        }
        Pool::Postgres(pool) => {
            let mut tx = pool.begin().await?;
            // The lock every audit append takes (see `audit`), once for the batch.
            sqlx::query("LOCK TABLE audit_log IN EXCLUSIVE MODE")
                .execute(&mut *tx)
                .await?;
            for job in batch {
                sqlx::query("SAVEPOINT grouped").execute(&mut *tx).await?;
                let (ok, deliver) = job(Conn::Postgres(&mut tx)).await;
                delivers.push(deliver);
                if !ok {
                    // A failed statement aborts the whole transaction on PostgreSQL
                    // until it is rolled back to the savepoint.
                    sqlx::query("ROLLBACK TO SAVEPOINT grouped")
                        .execute(&mut *tx)
                        .await?;
                }
                sqlx::query("RELEASE SAVEPOINT grouped")
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
        }
    }
    Ok(())
}

impl crate::Store {
    /// The store's write version: the sequence number and hash of the audit chain's
    /// head, `(0, GENESIS_HASH)` while the log is empty. Every write is audited (in the
    /// writing transaction on the group-commit path, right after it elsewhere), so the
    /// version moves with every write, also with those of another process on the same
    /// database; the server keeps page parts while it stays the same. One read of the
    /// primary key's last entry.
    pub async fn write_version(&self) -> Result<(u64, String), StoreError> {
        let head: Option<(i64, String)> = crate::with_pool!(self, |pool| {
            sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
                .fetch_optional(pool)
                .await
        })?;
        match head {
            Some((seq, hash)) => {
                let seq = u64::try_from(seq)
                    .map_err(|_| crate::error::corrupt("audit sequence number"))?;
                Ok((seq, hash))
            }
            None => Ok((0, crate::GENESIS_HASH.to_owned())),
        }
    }
}
