//! Backup and restore of the whole database, while the server runs.
//!
//! - **SQLite**: `VACUUM INTO` a new file beside the target, then a rename: one read
//!   transaction, so the copy is consistent while writers carry on; the result is an
//!   ordinary SQLite database (open it, or restore it with [`restore_sqlite_file`]).
//! - **PostgreSQL**: a portable dump written by the application (no `pg_dump` needed, any
//!   server version): every table's rows as JSON (`to_jsonb`), read in one
//!   `REPEATABLE READ, READ ONLY` transaction, so all tables come from one snapshot.
//!   [`Store::restore_dump`] loads it into an empty database of the same schema version,
//!   parents before children, in one transaction (all or nothing).
//!
//! Both are written to a temporary file and renamed into place, so a backup file is never
//! partial, and are readable by their owner only. Neither holds the key file or the
//! evidence files: back those up too.
//!
//! [`Store::table_digests`] gives each table's row count and a hash of its rows, so a
//! restore can be compared with its source table by table.

use crate::db_types::DbTime;
use crate::error::StoreError;
use crate::{Backend, Pool, Store, with_pool};
use sha2::{Digest, Sha256};
use sqlx::ConnectOptions;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

/// The first line of a PostgreSQL dump.
const DUMP_FORMAT: &str = "sijill-dump";

/// What a backup wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSummary {
    /// Tables copied (without the migration bookkeeping).
    pub tables: usize,
    /// Rows copied.
    pub rows: u64,
    /// Size of the file in bytes.
    pub bytes: u64,
}

/// Per table: row count and the SHA-256 of its rows in a canonical order.
pub type TableDigests = BTreeMap<String, (u64, String)>;

fn io(what: &str, path: &Path, e: std::io::Error) -> StoreError {
    StoreError::Invalid(format!("{what} {}: {}", path.display(), e.kind()))
}

/// A new, empty, owner-only file next to `target` (which must not exist).
fn partial_file(target: &Path) -> Result<PathBuf, StoreError> {
    if target.exists() {
        return Err(StoreError::Conflict(format!(
            "{} exists already; choose a new file",
            target.display()
        )));
    }
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    let tmp = target.with_file_name(name);
    let _ = std::fs::remove_file(&tmp);
    let mut open = std::fs::OpenOptions::new();
    open.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut open, 0o600);
    open.open(&tmp).map_err(|e| io("cannot write", &tmp, e))?;
    Ok(tmp)
}

fn finish(tmp: &Path, target: &Path) -> Result<u64, StoreError> {
    let f = std::fs::File::open(tmp).map_err(|e| io("cannot read", tmp, e))?;
    f.sync_all().map_err(|e| io("cannot sync", tmp, e))?;
    std::fs::rename(tmp, target).map_err(|e| io("cannot write", target, e))?;
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty())
        && let Ok(d) = std::fs::File::open(dir)
    {
        let _ = d.sync_all();
    }
    Ok(std::fs::metadata(target).map(|m| m.len()).unwrap_or(0))
}

/// Whether `path` starts like an SQLite database file.
pub fn is_sqlite_file(path: &Path) -> bool {
    let mut head = [0u8; 16];
    std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
        .is_ok()
        && &head == b"SQLite format 3\0"
}

/// Restores an SQLite backup by copying it to `target`, which must not exist: checks the
/// backup's integrity first, and writes through a temporary file and a rename.
pub async fn restore_sqlite_file(backup: &Path, target: &Path) -> Result<(), StoreError> {
    if !is_sqlite_file(backup) {
        return Err(StoreError::Invalid(format!(
            "{} is not an SQLite backup",
            backup.display()
        )));
    }
    let check = read_only(backup).await?;
    let ok: Result<String, _> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&check)
        .await;
    let tables: Result<i64, _> =
        sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 'audit_log'")
            .fetch_one(&check)
            .await;
    check.close().await;
    if !matches!(tables, Ok(1)) {
        return Err(StoreError::Invalid(format!(
            "{} is not a sijill database",
            backup.display()
        )));
    }
    if ok.ok().as_deref() != Some("ok") {
        return Err(StoreError::Invalid(format!(
            "{} fails SQLite's integrity check",
            backup.display()
        )));
    }
    let tmp = partial_file(target)?;
    std::fs::copy(backup, &tmp).map_err(|e| io("cannot write", &tmp, e))?;
    finish(&tmp, target)?;
    Ok(())
}

/// A read-only connection to an SQLite file, without migrating it.
async fn read_only(path: &Path) -> Result<sqlx::SqlitePool, StoreError> {
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .disable_statement_logging();
    sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .map_err(|_| StoreError::Invalid(format!("{} cannot be opened as SQLite", path.display())))
}

impl Store {
    /// The application tables (everything but the migration bookkeeping), in an order
    /// where every table comes after the tables it references.
    pub async fn table_names(&self) -> Result<Vec<String>, StoreError> {
        let (tables, edges): (Vec<String>, Vec<(String, String)>) = match &self.pool {
            Pool::Sqlite(pool) => {
                let tables: Vec<String> = sqlx::query_scalar(
                    "SELECT name FROM sqlite_master WHERE type = 'table' \
                     AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
                )
                .fetch_all(pool)
                .await?;
                let mut edges = Vec::new();
                for t in &tables {
                    let refs: Vec<String> =
                        sqlx::query_scalar("SELECT \"table\" FROM pragma_foreign_key_list($1)")
                            .bind(t)
                            .fetch_all(pool)
                            .await?;
                    edges.extend(refs.into_iter().map(|r| (t.clone(), r)));
                }
                (tables, edges)
            }
            Pool::Postgres(pool) => {
                let tables: Vec<String> = sqlx::query_scalar(
                    "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
                     WHERE c.relkind = 'r' AND n.nspname = current_schema() \
                     AND c.relname <> '_sqlx_migrations' ORDER BY 1",
                )
                .fetch_all(pool)
                .await?;
                let edges: Vec<(String, String)> = sqlx::query_as(
                    "SELECT cl.relname::text, cf.relname::text FROM pg_constraint co \
                     JOIN pg_class cl ON cl.oid = co.conrelid JOIN pg_class cf ON cf.oid = co.confrelid \
                     JOIN pg_namespace n ON n.oid = cl.relnamespace \
                     WHERE co.contype = 'f' AND n.nspname = current_schema()",
                )
                .fetch_all(pool)
                .await?;
                (tables, edges)
            }
        };
        // Parents first (self-references are loaded in one statement).
        let mut placed: Vec<String> = Vec::with_capacity(tables.len());
        let mut left: BTreeSet<String> = tables.iter().cloned().collect();
        while !left.is_empty() {
            let ready: Vec<String> = left
                .iter()
                .filter(|t| {
                    edges
                        .iter()
                        .all(|(c, p)| c != *t || p == *t || !left.contains(p))
                })
                .cloned()
                .collect();
            if ready.is_empty() {
                return Err(StoreError::Invalid(
                    "the tables reference each other in a cycle; cannot order them".into(),
                ));
            }
            for t in ready {
                left.remove(&t);
                placed.push(t);
            }
        }
        Ok(placed)
    }

    /// Each table's row count and a SHA-256 over its rows (rendered as text, sorted).
    pub async fn table_digests(&self) -> Result<TableDigests, StoreError> {
        let mut out = BTreeMap::new();
        for t in self.table_names().await? {
            let mut rows: Vec<String> = match &self.pool {
                Pool::Sqlite(pool) => {
                    let cols: Vec<String> =
                        sqlx::query_scalar("SELECT name FROM pragma_table_info($1) ORDER BY cid")
                            .bind(&t)
                            .fetch_all(pool)
                            .await?;
                    let expr = cols
                        .iter()
                        .map(|c| format!("quote(\"{c}\")"))
                        .collect::<Vec<_>>()
                        .join(" || ',' || ");
                    sqlx::query_scalar(&format!("SELECT {expr} FROM \"{t}\""))
                        .fetch_all(pool)
                        .await?
                }
                Pool::Postgres(pool) => {
                    sqlx::query_scalar(&format!("SELECT to_jsonb(t)::text FROM \"{t}\" t"))
                        .fetch_all(pool)
                        .await?
                }
            };
            rows.sort();
            let mut h = Sha256::new();
            for r in &rows {
                h.update(r.as_bytes());
                h.update(b"\n");
            }
            out.insert(t, (rows.len() as u64, hex::encode(h.finalize())));
        }
        Ok(out)
    }

    /// Writes a consistent backup of the whole database to `target` (which must not
    /// exist) while other connections keep writing; see the module docs for the format.
    pub async fn backup_to(&self, target: &Path) -> Result<BackupSummary, StoreError> {
        match &self.pool {
            Pool::Sqlite(pool) => {
                let tmp = partial_file(target)?;
                let done = sqlx::query("VACUUM INTO $1")
                    .bind(tmp.to_string_lossy().into_owned())
                    .execute(pool)
                    .await;
                if let Err(e) = done {
                    let _ = std::fs::remove_file(&tmp);
                    return Err(e.into());
                }
                let bytes = finish(&tmp, target)?;
                let copy = Store {
                    pool: Pool::Sqlite(read_only(target).await?),
                    keyring: None,
                    shred: None,
                };
                let digests = copy.table_digests().await;
                copy.close().await;
                let digests = digests?;
                Ok(BackupSummary {
                    tables: digests.len(),
                    rows: digests.values().map(|d| d.0).sum(),
                    bytes,
                })
            }
            Pool::Postgres(pool) => {
                let tables = self.table_names().await?;
                let tmp = partial_file(target)?;
                let result = async {
                    let mut tx = pool.begin().await?;
                    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                        .execute(&mut *tx)
                        .await?;
                    let versions: Vec<i64> =
                        sqlx::query_scalar("SELECT version FROM _sqlx_migrations ORDER BY version")
                            .fetch_all(&mut *tx)
                            .await?;
                    let file =
                        std::fs::File::create(&tmp).map_err(|e| io("cannot write", &tmp, e))?;
                    let mut w = std::io::BufWriter::new(file);
                    let head = serde_json::json!({
                        "format": DUMP_FORMAT,
                        "version": 1,
                        "migrations": versions,
                        "made_at": DbTime::now().to_text(),
                    });
                    let wr = |e| io("cannot write", &tmp, e);
                    writeln!(w, "{head}").map_err(wr)?;
                    let mut rows_total = 0u64;
                    for t in &tables {
                        let rows: Vec<String> =
                            sqlx::query_scalar(&format!("SELECT to_jsonb(t)::text FROM \"{t}\" t"))
                                .fetch_all(&mut *tx)
                                .await?;
                        writeln!(w, "{}", serde_json::json!({"table": t, "rows": rows.len()}))
                            .map_err(wr)?;
                        for r in &rows {
                            writeln!(w, "{r}").map_err(wr)?;
                        }
                        rows_total += rows.len() as u64;
                    }
                    w.flush().map_err(wr)?;
                    tx.commit().await?;
                    Ok::<u64, StoreError>(rows_total)
                }
                .await;
                match result {
                    Ok(rows) => {
                        let bytes = finish(&tmp, target)?;
                        Ok(BackupSummary {
                            tables: tables.len(),
                            rows,
                            bytes,
                        })
                    }
                    Err(e) => {
                        let _ = std::fs::remove_file(&tmp);
                        Err(e)
                    }
                }
            }
        }
    }

    /// Whether the database holds nothing but what the migrations put there (no
    /// organization, user or audit entry).
    pub async fn is_empty(&self) -> Result<bool, StoreError> {
        let n: i64 = with_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT (SELECT COUNT(*) FROM organizations) + (SELECT COUNT(*) FROM users) \
                 + (SELECT COUNT(*) FROM audit_log)",
            )
            .fetch_one(pool)
            .await?
        });
        Ok(n == 0)
    }

    /// Loads a PostgreSQL dump made by [`Store::backup_to`] into this database, which must
    /// be empty and at the same schema version; one transaction, all or nothing. Returns
    /// the rows loaded.
    pub async fn restore_dump(&self, dump: &Path) -> Result<u64, StoreError> {
        let Pool::Postgres(pool) = &self.pool else {
            return Err(StoreError::Invalid(
                "a PostgreSQL dump restores into PostgreSQL; restore an SQLite backup by copying it"
                    .into(),
            ));
        };
        if !self.is_empty().await? {
            return Err(StoreError::Conflict(
                "the target database is not empty; restore into a new, empty database".into(),
            ));
        }
        let bad = |line: usize, what: &str| {
            StoreError::Invalid(format!("{}:{line}: {what}", dump.display()))
        };
        let file = std::fs::File::open(dump).map_err(|e| io("cannot read", dump, e))?;
        let mut lines = std::io::BufReader::new(file).lines().enumerate();
        let ended = |what: &str| bad(0, &format!("ends early, {what} missing"));
        let (n, head) = next_line(&mut lines, dump)?.ok_or_else(|| ended("the header"))?;
        let head: serde_json::Value =
            serde_json::from_str(&head).map_err(|_| bad(n, "not a sijill dump"))?;
        if head["format"] != DUMP_FORMAT || head["version"] != 1 {
            return Err(bad(n, "not a sijill dump of a version this sijill reads"));
        }
        let versions: Vec<i64> =
            sqlx::query_scalar("SELECT version FROM _sqlx_migrations ORDER BY version")
                .fetch_all(pool)
                .await?;
        if head["migrations"] != serde_json::json!(versions) {
            return Err(bad(
                n,
                "the dump's schema version differs from this database's; restore with the sijill version that made it",
            ));
        }
        let tables = self.table_names().await?;
        let mut tx = pool.begin().await?;
        // Rows the migrations seeded (the item catalogue …) come back from the dump.
        for t in tables.iter().rev() {
            sqlx::query(&format!("DELETE FROM \"{t}\""))
                .execute(&mut *tx)
                .await?;
        }
        let mut total = 0u64;
        let mut seen = BTreeSet::new();
        while let Some((n, line)) = next_line(&mut lines, dump)? {
            if line.trim().is_empty() {
                break;
            }
            let section: serde_json::Value =
                serde_json::from_str(&line).map_err(|_| bad(n, "expected a table header"))?;
            let (Some(t), Some(count)) = (section["table"].as_str(), section["rows"].as_u64())
            else {
                return Err(bad(n, "expected a table header"));
            };
            if !tables.iter().any(|x| x == t) || !seen.insert(t.to_owned()) {
                return Err(bad(n, &format!("unknown or repeated table {t:?}")));
            }
            let mut rows = Vec::with_capacity(usize::try_from(count).unwrap_or(0));
            for _ in 0..count {
                let (n, l) = next_line(&mut lines, dump)?.ok_or_else(|| ended("a row"))?;
                let v: serde_json::Value =
                    serde_json::from_str(&l).map_err(|_| bad(n, "a row is not JSON"))?;
                rows.push(v);
            }
            if !rows.is_empty() {
                sqlx::query(&format!(
                    "INSERT INTO \"{t}\" OVERRIDING SYSTEM VALUE \
                     SELECT * FROM jsonb_populate_recordset(NULL::\"{t}\", $1::jsonb)"
                ))
                .bind(serde_json::Value::Array(rows).to_string())
                .execute(&mut *tx)
                .await?;
            }
            // Identity columns continue after the restored values.
            let ids: Vec<String> = sqlx::query_scalar(
                "SELECT column_name::text FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1 AND is_identity = 'YES'",
            )
            .bind(t)
            .fetch_all(&mut *tx)
            .await?;
            for c in ids {
                sqlx::query(&format!(
                    "SELECT setval(pg_get_serial_sequence('\"{t}\"', '{c}'), \
                     COALESCE((SELECT MAX(\"{c}\") FROM \"{t}\"), 0) + 1, false)"
                ))
                .execute(&mut *tx)
                .await?;
            }
            total += count;
        }
        tx.commit().await?;
        Ok(total)
    }

    /// Which backend a restore needs for `file`: SQLite for an SQLite file, PostgreSQL
    /// for a dump.
    pub fn backend_of_backup(file: &Path) -> Backend {
        if is_sqlite_file(file) {
            Backend::Sqlite
        } else {
            Backend::Postgres
        }
    }
}

/// The next line with its number, or `None` at the end of the file.
fn next_line(
    lines: &mut impl Iterator<Item = (usize, std::io::Result<String>)>,
    file: &Path,
) -> Result<Option<(usize, String)>, StoreError> {
    match lines.next() {
        None => Ok(None),
        Some((i, Ok(l))) => Ok(Some((i + 1, l))),
        Some((i, Err(_))) => Err(StoreError::Invalid(format!(
            "{}:{}: cannot be read",
            file.display(),
            i + 1
        ))),
    }
}
