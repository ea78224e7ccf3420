//! The audit log: append-only and hash-chained, so that a changed, removed or
//! reordered entry is detected by [`Store::verify_audit`].
//!
//! Each row stores `hash = hex(SHA-256(prev_hash ‖ "\n" ‖ canonical))`, where
//! `prev_hash` is the previous row's hash ([`GENESIS_HASH`] for the first row) and
//! `canonical` is the JSON array
//! `[seq, at, actor_id, org_id, action, entity, entity_id, detail]` with `at` in the
//! fixed form `YYYY-MM-DDTHH:MM:SS.ffffffZ` and `detail` the exact JSON text stored.
//! Rows are numbered 1, 2, 3 … without gaps; appends are serialized (SQLite
//! `BEGIN IMMEDIATE`, PostgreSQL `LOCK TABLE … IN EXCLUSIVE MODE`) so the chain never
//! forks. Dropping rows from the end cannot be detected from inside the database:
//! keep the reported head hash somewhere else (a printed report, a backup) to anchor it.
//!
//! The detail is written as given; callers keep personal data out of it (ids, counts
//! and field names, not names or testimony).

use crate::db_types::{DbTime, DbUuid};
use crate::error::{StoreError, corrupt};
use crate::{Pool, Store};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sijill_model::account::{OrgId, UserId};
use std::fmt;
use time::OffsetDateTime;

/// The `prev_hash` of the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Something that happened, to append to the log.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    /// Who did it (`None` for the system, e.g. first start).
    pub actor: Option<UserId>,
    /// On behalf of which organization.
    pub org: Option<OrgId>,
    /// What was done, a stable dotted name such as `user.create` or `export.csv`.
    pub action: String,
    /// The kind of record acted on, such as `user` or `organization`.
    pub entity: String,
    /// The id of the record acted on, when there is one.
    pub entity_id: Option<String>,
    /// Further non-personal facts (row counts, changed field names …).
    pub detail: serde_json::Value,
}

/// An entry as stored, with its place in the chain.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditRecord {
    /// Position in the log, from 1.
    pub seq: u64,
    /// When it was appended (UTC).
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// Who did it.
    pub actor: Option<UserId>,
    /// On behalf of which organization.
    pub org: Option<OrgId>,
    /// What was done.
    pub action: String,
    /// The kind of record acted on.
    pub entity: String,
    /// The id of the record acted on.
    pub entity_id: Option<String>,
    /// Further facts.
    pub detail: serde_json::Value,
    /// The previous entry's hash.
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

/// Where and how the chain is broken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum AuditBreak {
    /// An entry is missing: `found` follows where `expected` should be.
    Gap {
        /// The sequence number that should come next.
        expected: u64,
        /// The sequence number found instead.
        found: u64,
    },
    /// The entry does not point at the previous entry's hash (removed or reordered).
    Link {
        /// The entry.
        seq: u64,
    },
    /// The entry's content does not match its hash (changed after it was written).
    Content {
        /// The entry.
        seq: u64,
    },
}

impl fmt::Display for AuditBreak {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuditBreak::Gap { expected, found } => {
                write!(f, "entry {expected} is missing (next entry is {found})")
            }
            AuditBreak::Link { seq } => {
                write!(f, "entry {seq} does not follow the entry before it")
            }
            AuditBreak::Content { seq } => {
                write!(f, "entry {seq} was changed after it was written")
            }
        }
    }
}

/// The result of [`Store::verify_audit`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditReport {
    /// How many entries were checked (up to the first break).
    pub checked: u64,
    /// The hash of the last good entry (`None` for an empty log); record it outside the
    /// database to detect later truncation.
    pub head: Option<String>,
    /// The first break found, if any.
    pub first_break: Option<AuditBreak>,
}

impl AuditReport {
    /// Whether the whole chain verified.
    pub fn is_intact(&self) -> bool {
        self.first_break.is_none()
    }
}

#[allow(clippy::too_many_arguments)]
fn chain_hash(
    prev_hash: &str,
    seq: u64,
    at: DbTime,
    actor: Option<DbUuid>,
    org: Option<DbUuid>,
    action: &str,
    entity: &str,
    entity_id: Option<&str>,
    detail: &str,
) -> String {
    let id = |u: Option<DbUuid>| u.map(|u| u.0.hyphenated().to_string());
    let canonical = serde_json::json!([
        seq,
        at.to_text(),
        id(actor),
        id(org),
        action,
        entity,
        entity_id,
        detail
    ])
    .to_string();
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(b"\n");
    h.update(canonical.as_bytes());
    hex::encode(h.finalize())
}

type Row = (
    i64,
    DbTime,
    Option<DbUuid>,
    Option<DbUuid>,
    String,
    String,
    Option<String>,
    String,
    String,
    String,
);

const COLUMNS: &str =
    "seq, at, actor_id, org_id, action, entity, entity_id, detail, prev_hash, hash";

fn seq_of(n: i64) -> Result<u64, StoreError> {
    u64::try_from(n).map_err(|_| corrupt("audit sequence number"))
}

/// Appends inside an open transaction `$tx` whose writes to the log are serialized; the
/// caller commits.
macro_rules! append_in {
    ($tx:ident, $entry:expr, $detail:expr) => {{
        let last: Option<(i64, String)> =
            sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
                .fetch_optional(&mut *$tx)
                .await?;
        let (seq, prev_hash) = match last {
            Some((n, h)) => (seq_of(n)? + 1, h),
            None => (1, GENESIS_HASH.to_owned()),
        };
        let at = DbTime::now();
        let actor = $entry.actor.map(DbUuid::from);
        let org = $entry.org.map(DbUuid::from);
        let hash = chain_hash(
            &prev_hash,
            seq,
            at,
            actor,
            org,
            &$entry.action,
            &$entry.entity,
            $entry.entity_id.as_deref(),
            &$detail,
        );
        let seq_db = i64::try_from(seq).map_err(|_| corrupt("audit sequence number"))?;
        sqlx::query(
            "INSERT INTO audit_log (seq, at, actor_id, org_id, action, entity, entity_id, detail, prev_hash, hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(seq_db)
        .bind(at)
        .bind(actor)
        .bind(org)
        .bind(&$entry.action)
        .bind(&$entry.entity)
        .bind(&$entry.entity_id)
        .bind(&$detail)
        .bind(&prev_hash)
        .bind(&hash)
        .execute(&mut *$tx)
        .await?;
        AuditRecord {
            seq,
            at: at.get(),
            actor: $entry.actor,
            org: $entry.org,
            action: $entry.action.clone(),
            entity: $entry.entity.clone(),
            entity_id: $entry.entity_id.clone(),
            detail: $entry.detail.clone(),
            prev_hash,
            hash,
        }
    }};
}

/// Appends `entry` on the connection of a write transaction the caller holds, with the
/// log's appends serialized, and commits (the group commit of [`crate::group_commit`]).
pub(crate) async fn append_on(
    conn: crate::group_commit::Conn<'_>,
    entry: &AuditEntry,
) -> Result<AuditRecord, StoreError> {
    if entry.action.trim().is_empty() || entry.entity.trim().is_empty() {
        return Err(StoreError::Invalid(
            "an audit entry needs an action and an entity".into(),
        ));
    }
    let detail = entry.detail.to_string();
    Ok(match conn {
        crate::group_commit::Conn::Sqlite(c) => append_in!(c, entry, detail),
        crate::group_commit::Conn::Postgres(c) => append_in!(c, entry, detail),
    })
}

impl Store {
    /// Appends an entry to the audit log and returns it as stored.
    pub async fn append_audit(&self, entry: &AuditEntry) -> Result<AuditRecord, StoreError> {
        if entry.action.trim().is_empty() || entry.entity.trim().is_empty() {
            return Err(StoreError::Invalid(
                "an audit entry needs an action and an entity".into(),
            ));
        }
        let detail = entry.detail.to_string();
        let record = match &self.pool {
            Pool::Sqlite(pool) => {
                // IMMEDIATE takes the write lock before reading the head, so two
                // appends cannot both extend the same entry.
                let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                let record = append_in!(tx, entry, detail);
                tx.commit().await?;
                record
            }
            Pool::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                sqlx::query("LOCK TABLE audit_log IN EXCLUSIVE MODE")
                    .execute(&mut *tx)
                    .await?;
                let record = append_in!(tx, entry, detail);
                tx.commit().await?;
                record
            }
        };
        Ok(record)
    }

    /// The most recent `limit` entries, newest first.
    pub async fn recent_audit(&self, limit: u32) -> Result<Vec<AuditRecord>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM audit_log ORDER BY seq DESC LIMIT $1");
        let rows: Vec<Row> = crate::with_pool!(self, |pool| {
            sqlx::query_as(&sql)
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await
        })?;
        rows.into_iter()
            .map(
                |(seq, at, actor, org, action, entity, entity_id, detail, prev_hash, hash)| {
                    Ok(AuditRecord {
                        seq: seq_of(seq)?,
                        at: at.get(),
                        actor: actor.map(|u| UserId::from_uuid(u.0)),
                        org: org.map(|u| OrgId::from_uuid(u.0)),
                        action,
                        entity,
                        entity_id,
                        detail: serde_json::from_str(&detail)
                            .map_err(|_| corrupt("audit detail"))?,
                        prev_hash,
                        hash,
                    })
                },
            )
            .collect()
    }

    /// Whether an entry with this hash is in the log (a head recorded earlier must stay).
    pub async fn audit_has_hash(&self, hash: &str) -> Result<bool, StoreError> {
        let n: i64 = crate::with_pool!(self, |pool| {
            sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE hash = $1")
                .bind(hash.trim())
                .fetch_one(pool)
                .await
        })?;
        Ok(n > 0)
    }

    /// Walks the whole log in order and checks numbering, links and hashes; stops at
    /// the first break. Reads in pages, so memory stays flat however long the log is.
    pub async fn verify_audit(&self) -> Result<AuditReport, StoreError> {
        self.verify_audit_paged(1000).await
    }

    async fn verify_audit_paged(&self, page: i64) -> Result<AuditReport, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2");
        let mut checked = 0_u64;
        let mut head: Option<String> = None;
        let mut after = 0_i64;
        loop {
            let rows: Vec<Row> = crate::with_pool!(self, |pool| {
                sqlx::query_as(&sql)
                    .bind(after)
                    .bind(page)
                    .fetch_all(pool)
                    .await
            })?;
            let page_len = rows.len();
            for (seq, at, actor, org, action, entity, entity_id, detail, prev_hash, hash) in rows {
                let seq_u = seq_of(seq)?;
                let expected = checked + 1;
                let report = |b| AuditReport {
                    checked,
                    head: head.clone(),
                    first_break: Some(b),
                };
                if seq_u != expected {
                    return Ok(report(AuditBreak::Gap {
                        expected,
                        found: seq_u,
                    }));
                }
                if prev_hash != head.as_deref().unwrap_or(GENESIS_HASH) {
                    return Ok(report(AuditBreak::Link { seq: seq_u }));
                }
                let want = chain_hash(
                    &prev_hash,
                    seq_u,
                    at,
                    actor,
                    org,
                    &action,
                    &entity,
                    entity_id.as_deref(),
                    &detail,
                );
                if want != hash {
                    return Ok(report(AuditBreak::Content { seq: seq_u }));
                }
                checked = expected;
                head = Some(hash);
                after = seq;
            }
            if i64::try_from(page_len).unwrap_or(i64::MAX) < page {
                return Ok(AuditReport {
                    checked,
                    head,
                    first_break: None,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn verification_crosses_page_boundaries() {
        let db = sijill_testkit::sqlite_url();
        let store = Store::open(db.url()).await.unwrap();
        for i in 0..7 {
            store
                .append_audit(&AuditEntry {
                    actor: None,
                    org: None,
                    action: "test.append".into(),
                    entity: "test".into(),
                    entity_id: None,
                    detail: serde_json::json!({ "i": i }),
                })
                .await
                .unwrap();
        }
        let whole = store.verify_audit().await.unwrap();
        assert!(whole.is_intact());
        assert_eq!(whole.checked, 7);
        for page in [1, 2, 3, 7, 8] {
            assert_eq!(
                store.verify_audit_paged(page).await.unwrap(),
                whole,
                "page {page}"
            );
        }
    }

    #[test]
    fn hash_depends_on_every_field() {
        let at = DbTime::now();
        let base = chain_hash(GENESIS_HASH, 1, at, None, None, "a", "e", None, "{}");
        assert_eq!(base.len(), 64);
        assert_eq!(
            base,
            chain_hash(GENESIS_HASH, 1, at, None, None, "a", "e", None, "{}")
        );
        let variants = [
            chain_hash(&"1".repeat(64), 1, at, None, None, "a", "e", None, "{}"),
            chain_hash(GENESIS_HASH, 2, at, None, None, "a", "e", None, "{}"),
            chain_hash(GENESIS_HASH, 1, at, None, None, "b", "e", None, "{}"),
            chain_hash(GENESIS_HASH, 1, at, None, None, "a", "f", None, "{}"),
            chain_hash(GENESIS_HASH, 1, at, None, None, "a", "e", Some("x"), "{}"),
            chain_hash(GENESIS_HASH, 1, at, None, None, "a", "e", None, "{\"n\":1}"),
            chain_hash(
                GENESIS_HASH,
                1,
                at,
                Some(DbUuid(uuid::Uuid::nil())),
                None,
                "a",
                "e",
                None,
                "{}",
            ),
            // Field boundaries are unambiguous: moving text between fields changes the hash.
            chain_hash(GENESIS_HASH, 1, at, None, None, "ae", "", None, "{}"),
        ];
        for v in variants {
            assert_ne!(v, base);
        }
    }
}
