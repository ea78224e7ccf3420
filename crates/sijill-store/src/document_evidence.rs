//! Evidence: files kept content-addressed on disk, their capture metadata, and a
//! hash-chained custody log.
//!
//! # Files
//! [`EvidenceFiles`] is a directory (by default beside the SQLite database:
//! `<db>.evidence/`). A file is stored once under `sha256/<first two hex>/<sha256>`,
//! written to a temporary name, synced and renamed, then made read-only: the stored
//! bytes are the original, never transcoded or renamed, so they are the evidentiary
//! copy. The name a file was uploaded under is kept in the database only.
//!
//! # Custody log
//! Every event (captured, viewed, transferred, exported, verified) is one row of
//! `evidence_custody`, chained like the audit log:
//! `hash = hex(SHA-256(prev_hash ‖ "\n" ‖ canonical))` with `canonical` the JSON array
//! `[seq, at, evidence_id, event, actor_id, org_id, note]` and the first row's
//! `prev_hash` [`crate::GENESIS_HASH`]. [`Store::verify_custody`] walks it.

use crate::db_types::{DbTime, DbUuid};
use crate::document_types::{Actor, CustodyEvent, Violation, optional_text, required};
use crate::error::{StoreError, corrupt, on_write};
use crate::{AuditEntry, GENESIS_HASH, Pool, Store, with_pool};
use sha2::{Digest, Sha256};
use sijill_model::account::{OrgId, UserId};
use std::io::Write;
use std::path::{Path, PathBuf};
use time::OffsetDateTime;
use uuid::Uuid;

/// Largest evidence file accepted, in bytes (a phone video of a few minutes).
pub const MAX_EVIDENCE_BYTES: usize = 256 * 1024 * 1024;

/// The hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The directory that holds evidence files, content-addressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceFiles {
    dir: PathBuf,
}

/// What re-hashing one stored file found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum FileCheck {
    /// The bytes hash to the recorded SHA-256.
    Intact,
    /// The file is not there.
    Missing,
    /// The bytes hash to something else.
    Mismatch {
        /// What the bytes hash to now.
        actual: String,
    },
}

impl EvidenceFiles {
    /// Files under `dir` (created when the first file is stored).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        EvidenceFiles { dir: dir.into() }
    }

    /// The directory beside a SQLite database URL or path: `<file>.evidence`; `None`
    /// for PostgreSQL or an in-memory database (give a directory then).
    pub fn beside(db_url: &str) -> Option<Self> {
        let u = db_url.trim();
        if u.starts_with("postgres") || u.contains(":memory:") || u.contains("mode=memory") {
            return None;
        }
        let path = u
            .strip_prefix("sqlite://")
            .or_else(|| u.strip_prefix("sqlite:"))
            .unwrap_or(u);
        let path = path.split('?').next().unwrap_or(path);
        if path.is_empty() {
            return None;
        }
        Some(EvidenceFiles::new(format!("{path}.evidence")))
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where the file with this SHA-256 is (or would be) kept.
    pub fn path_of(&self, sha256: &str) -> PathBuf {
        let prefix = sha256.get(..2).unwrap_or("xx");
        self.dir.join("sha256").join(prefix).join(sha256)
    }

    /// Stores `bytes` (if not stored already) and returns their SHA-256. Blocking IO:
    /// call from a blocking thread.
    pub fn put_blocking(&self, bytes: &[u8]) -> std::io::Result<String> {
        let sha = sha256_hex(bytes);
        let path = self.path_of(&sha);
        if let Ok(existing) = std::fs::read(&path)
            && sha256_hex(&existing) == sha
        {
            return Ok(sha);
        }
        let parent = path.parent().unwrap_or(&self.dir).to_path_buf();
        std::fs::create_dir_all(&parent)?;
        let tmp = parent.join(format!(".{sha}.{}.tmp", Uuid::now_v7()));
        {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(bytes)?;
            f.sync_all()?;
        }
        // A damaged copy left by an earlier failure is replaced; read-only files need
        // to be made writable on some systems first.
        if path.exists() {
            let mut p = std::fs::metadata(&path)?.permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            p.set_readonly(false);
            std::fs::set_permissions(&path, p)?;
        }
        std::fs::rename(&tmp, &path)?;
        let mut p = std::fs::metadata(&path)?.permissions();
        p.set_readonly(true);
        std::fs::set_permissions(&path, p)?;
        if let Ok(d) = std::fs::File::open(&parent) {
            let _ = d.sync_all();
        }
        Ok(sha)
    }

    /// The stored bytes with this SHA-256. Blocking IO.
    pub fn read_blocking(&self, sha256: &str) -> std::io::Result<Vec<u8>> {
        std::fs::read(self.path_of(sha256))
    }

    /// Re-hashes the stored file with this SHA-256. Blocking IO.
    pub fn check_blocking(&self, sha256: &str) -> FileCheck {
        match std::fs::read(self.path_of(sha256)) {
            Err(_) => FileCheck::Missing,
            Ok(b) => {
                let actual = sha256_hex(&b);
                if actual == sha256 {
                    FileCheck::Intact
                } else {
                    FileCheck::Mismatch { actual }
                }
            }
        }
    }
}

/// The setting that names the evidence directory of a running instance (written at
/// each start by `sijill serve` / `sijill demo`, read by the pages).
pub const EVIDENCE_DIR_SETTING: &str = "document.evidence_dir";

impl Store {
    /// Remembers where this instance keeps its evidence files.
    pub async fn set_evidence_files(&self, files: &EvidenceFiles) -> Result<(), StoreError> {
        let dir = files.dir().to_str().ok_or_else(|| {
            StoreError::Invalid("the evidence directory must be a UTF-8 path".into())
        })?;
        self.set_setting(EVIDENCE_DIR_SETTING, dir).await
    }

    /// Where this instance keeps its evidence files ([`StoreError::Invalid`] when no
    /// directory was set).
    pub async fn evidence_files(&self) -> Result<EvidenceFiles, StoreError> {
        match self.setting(EVIDENCE_DIR_SETTING).await? {
            Some(d) if !d.trim().is_empty() => Ok(EvidenceFiles::new(d)),
            _ => Err(StoreError::Invalid(
                "no evidence directory is set for this instance".into(),
            )),
        }
    }
}

/// Capture metadata of a new piece of evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvidence {
    /// The incident it documents, if known.
    pub incident_id: Option<Uuid>,
    /// The file name it came under (kept as metadata only).
    pub original_name: String,
    /// The media type, sniffed from the bytes by the caller.
    pub media_type: String,
    /// Where it was found (a post, a channel), if online.
    pub origin_url: Option<String>,
    /// When it was captured (downloaded, photographed).
    pub captured_at: OffsetDateTime,
    /// With what (a tool and version, a phone model).
    pub capture_tool: String,
    /// By whom (as they want to be named in the custody record).
    pub captured_by: String,
    /// The violation it documents.
    pub violation: Violation,
    /// A short description.
    pub description: String,
}

/// A stored piece of evidence.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Evidence {
    /// Its id.
    pub id: Uuid,
    /// The organization that holds it.
    pub org_id: OrgId,
    /// The incident it documents.
    pub incident_id: Option<Uuid>,
    /// SHA-256 of the file (hex).
    pub sha256: String,
    /// Size in bytes.
    pub size_bytes: u64,
    /// Media type sniffed from the bytes.
    pub media_type: String,
    /// The name it came under.
    pub original_name: String,
    /// Origin URL.
    pub origin_url: Option<String>,
    /// Capture time.
    #[serde(with = "time::serde::rfc3339")]
    pub captured_at: OffsetDateTime,
    /// Capture tool.
    pub capture_tool: String,
    /// Who captured it.
    pub captured_by: String,
    /// Violation category.
    pub violation: Violation,
    /// Description.
    pub description: String,
    /// Who recorded it.
    pub created_by: Option<UserId>,
    /// When it was recorded.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// One row of the custody log.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CustodyRecord {
    /// Position in the log, from 1.
    pub seq: u64,
    /// The evidence.
    pub evidence_id: Uuid,
    /// What happened.
    pub event: CustodyEvent,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// By whom.
    pub actor: Option<UserId>,
    /// For which organization.
    pub org: Option<OrgId>,
    /// A note (to whom it was transferred, which package …).
    pub note: String,
    /// The previous row's hash.
    pub prev_hash: String,
    /// This row's hash.
    pub hash: String,
}

/// The result of walking the custody log.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CustodyReport {
    /// Rows checked.
    pub checked: u64,
    /// The last row's hash.
    pub head: Option<String>,
    /// The first row whose link or hash is wrong.
    pub first_break: Option<u64>,
}

#[allow(clippy::too_many_arguments)]
fn custody_hash(
    prev: &str,
    seq: u64,
    at: DbTime,
    evidence: Uuid,
    event: &str,
    actor: Option<Uuid>,
    org: Option<Uuid>,
    note: &str,
) -> String {
    let id = |u: Option<Uuid>| u.map(|u| u.hyphenated().to_string());
    let canonical = serde_json::json!([
        seq,
        at.to_text(),
        evidence.hyphenated().to_string(),
        event,
        id(actor),
        id(org),
        note
    ])
    .to_string();
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(b"\n");
    h.update(canonical.as_bytes());
    hex::encode(h.finalize())
}

const COLUMNS: &str = "id, org_id, incident_id, sha256, size_bytes, media_type, original_name, \
     origin_url, captured_at, capture_tool, captured_by, violation, description, created_by, created_at";
type Row = (
    DbUuid,
    DbUuid,
    Option<DbUuid>,
    String,
    i64,
    String,
    String,
    Option<String>,
    DbTime,
    String,
    String,
    String,
    String,
    Option<DbUuid>,
    DbTime,
);

fn from_row(r: Row) -> Result<Evidence, StoreError> {
    let (id, org, inc, sha, size, mt, name, url, cap, tool, by_person, vio, desc, by, at) = r;
    Ok(Evidence {
        id: id.0,
        org_id: OrgId::from_uuid(org.0),
        incident_id: inc.map(|u| u.0),
        sha256: sha,
        size_bytes: u64::try_from(size).map_err(|_| corrupt("evidence size"))?,
        media_type: mt,
        original_name: name,
        origin_url: url,
        captured_at: cap.get(),
        capture_tool: tool,
        captured_by: by_person,
        violation: vio.parse().map_err(|_| corrupt("violation category"))?,
        description: desc,
        created_by: by.map(|u| UserId::from_uuid(u.0)),
        created_at: at.get(),
    })
}

type CRow = (
    i64,
    DbUuid,
    String,
    DbTime,
    Option<DbUuid>,
    Option<DbUuid>,
    String,
    String,
    String,
);
const CCOLUMNS: &str = "seq, evidence_id, event, at, actor_id, org_id, note, prev_hash, hash";

fn custody_from_row(r: CRow) -> Result<CustodyRecord, StoreError> {
    let (seq, ev, event, at, actor, org, note, prev_hash, hash) = r;
    Ok(CustodyRecord {
        seq: u64::try_from(seq).map_err(|_| corrupt("custody sequence number"))?,
        evidence_id: ev.0,
        event: event.parse().map_err(|_| corrupt("custody event"))?,
        at: at.get(),
        actor: actor.map(|u| UserId::from_uuid(u.0)),
        org: org.map(|u| OrgId::from_uuid(u.0)),
        note,
        prev_hash,
        hash,
    })
}

/// Appends a custody row inside the open, serialized transaction `$tx`.
macro_rules! custody_in {
    ($tx:ident, $evidence:expr, $event:expr, $by:expr, $note:expr) => {{
        let last: Option<(i64, String)> =
            sqlx::query_as("SELECT seq, hash FROM evidence_custody ORDER BY seq DESC LIMIT 1")
                .fetch_optional(&mut *$tx)
                .await?;
        let (seq, prev) = match last {
            Some((n, h)) => (n + 1, h),
            None => (1, GENESIS_HASH.to_owned()),
        };
        let at = DbTime::now();
        let actor = $by.user.map(|u| u.as_uuid());
        let org = Some($by.org.as_uuid());
        let hash = custody_hash(&prev, seq as u64, at, $evidence, $event.as_str(), actor, org, $note);
        sqlx::query(
            "INSERT INTO evidence_custody (seq, evidence_id, event, at, actor_id, org_id, note, prev_hash, hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(seq)
        .bind(DbUuid($evidence))
        .bind($event.as_str())
        .bind(at)
        .bind(actor.map(DbUuid))
        .bind(org.map(DbUuid))
        .bind($note)
        .bind(&prev)
        .bind(&hash)
        .execute(&mut *$tx)
        .await
        .map_err(|e| on_write(e, "custody row exists", "unknown evidence, user or organization"))?;
    }};
}

/// Opens a write transaction on `$store` in which custody appends are serialized,
/// runs `$body` with `$tx`, and commits.
macro_rules! custody_tx {
    ($store:expr, |$tx:ident| $body:expr) => {
        match &$store.pool {
            Pool::Sqlite(pool) => {
                let mut $tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                $body;
                $tx.commit().await?;
            }
            Pool::Postgres(pool) => {
                let mut $tx = pool.begin().await?;
                sqlx::query("LOCK TABLE evidence_custody IN EXCLUSIVE MODE")
                    .execute(&mut *$tx)
                    .await?;
                $body;
                $tx.commit().await?;
            }
        }
    };
}

const MAX_TEXT: usize = 2_000;
const MAX_SHORT: usize = 300;

impl Store {
    /// Stores an evidence file under `files` and records it with its capture metadata
    /// and a `captured` custody event, all or nothing (a file written for a record that
    /// then fails stays in storage unreferenced, harmless and deduplicated). Audited.
    pub async fn add_evidence(
        &self,
        files: &EvidenceFiles,
        new: &NewEvidence,
        bytes: Vec<u8>,
        by: Actor,
    ) -> Result<Evidence, StoreError> {
        if bytes.is_empty() {
            return Err(StoreError::Invalid("the evidence file is empty".into()));
        }
        if bytes.len() > MAX_EVIDENCE_BYTES {
            return Err(StoreError::Invalid("the evidence file is too large".into()));
        }
        let original_name = required(&new.original_name, "file name", MAX_SHORT)?;
        let origin_url = match new.origin_url.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(u) => Some(optional_text(u, "origin URL", MAX_SHORT)?),
        };
        let capture_tool = required(&new.capture_tool, "capture tool", MAX_SHORT)?;
        let captured_by = required(&new.captured_by, "person who captured it", MAX_SHORT)?;
        let description = optional_text(&new.description, "description", MAX_TEXT)?;
        let media_type = required(&new.media_type, "media type", 100)?;
        if let Some(inc) = new.incident_id
            && self.incident(inc).await?.is_none()
        {
            return Err(StoreError::Invalid("the incident does not exist".into()));
        }
        let size = bytes.len() as u64;
        let f = files.clone();
        let sha = tokio::task::spawn_blocking(move || f.put_blocking(&bytes))
            .await
            .map_err(|_| StoreError::Database("the evidence file could not be written".into()))?
            .map_err(|e| {
                StoreError::Database(format!(
                    "the evidence file could not be written ({})",
                    e.kind()
                ))
            })?;
        let now = DbTime::now();
        let ev = Evidence {
            id: Uuid::now_v7(),
            org_id: by.org,
            incident_id: new.incident_id,
            sha256: sha,
            size_bytes: size,
            media_type,
            original_name,
            origin_url,
            captured_at: DbTime::from(new.captured_at).get(),
            capture_tool,
            captured_by,
            violation: new.violation,
            description,
            created_by: by.user,
            created_at: now.get(),
        };
        let e = &ev;
        let note = format!("sha256 {}", e.sha256);
        custody_tx!(self, |tx| {
            sqlx::query(&format!(
                "INSERT INTO evidence ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
            ))
            .bind(DbUuid(e.id))
            .bind(DbUuid::from(e.org_id.as_uuid()))
            .bind(e.incident_id.map(DbUuid))
            .bind(&e.sha256)
            .bind(size as i64)
            .bind(&e.media_type)
            .bind(&e.original_name)
            .bind(&e.origin_url)
            .bind(DbTime::from(e.captured_at))
            .bind(&e.capture_tool)
            .bind(&e.captured_by)
            .bind(e.violation.as_str())
            .bind(&e.description)
            .bind(e.created_by.map(|u| DbUuid::from(u.as_uuid())))
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(|err| on_write(err, "this evidence already exists", "unknown organization, incident or user"))?;
            custody_in!(tx, e.id, CustodyEvent::Captured, by, &note)
        });
        self.append_audit(&AuditEntry {
            actor: by.user,
            org: Some(by.org),
            action: "evidence.create".into(),
            entity: "evidence".into(),
            entity_id: Some(ev.id.to_string()),
            detail: serde_json::json!({"sha256": ev.sha256, "bytes": ev.size_bytes}),
        })
        .await?;
        Ok(ev)
    }

    /// Appends a custody event for one piece of evidence.
    pub async fn record_custody(
        &self,
        evidence_id: Uuid,
        event: CustodyEvent,
        by: Actor,
        note: &str,
    ) -> Result<(), StoreError> {
        let note = optional_text(note, "custody note", MAX_SHORT)?;
        custody_tx!(self, |tx| custody_in!(tx, evidence_id, event, by, &note));
        Ok(())
    }

    /// Evidence, newest first; only that of one incident when given.
    pub async fn list_evidence(&self, incident: Option<Uuid>) -> Result<Vec<Evidence>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM evidence WHERE ($1 = '' OR CAST(incident_id AS TEXT) = $1) \
             ORDER BY created_at DESC, id DESC"
        );
        let rows: Vec<Row> = with_pool!(self, |pool| {
            sqlx::query_as(&sql)
                .bind(
                    incident
                        .map(|u| u.hyphenated().to_string())
                        .unwrap_or_default(),
                )
                .fetch_all(pool)
                .await
        })?;
        rows.into_iter().map(from_row).collect()
    }

    /// One piece of evidence.
    pub async fn evidence(&self, id: Uuid) -> Result<Option<Evidence>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM evidence WHERE id = $1");
        let row: Option<Row> = with_pool!(self, |pool| {
            sqlx::query_as(&sql)
                .bind(DbUuid(id))
                .fetch_optional(pool)
                .await
        })?;
        row.map(from_row).transpose()
    }

    /// The custody log, in order; only one evidence's rows when given.
    pub async fn custody_log(
        &self,
        evidence: Option<Uuid>,
    ) -> Result<Vec<CustodyRecord>, StoreError> {
        let sql = format!(
            "SELECT {CCOLUMNS} FROM evidence_custody WHERE ($1 = '' OR CAST(evidence_id AS TEXT) = $1) ORDER BY seq"
        );
        let rows: Vec<CRow> = with_pool!(self, |pool| {
            sqlx::query_as(&sql)
                .bind(
                    evidence
                        .map(|u| u.hyphenated().to_string())
                        .unwrap_or_default(),
                )
                .fetch_all(pool)
                .await
        })?;
        rows.into_iter().map(custody_from_row).collect()
    }

    /// Walks the whole custody log and checks numbering, links and hashes.
    pub async fn verify_custody(&self) -> Result<CustodyReport, StoreError> {
        let log = self.custody_log(None).await?;
        let mut prev = GENESIS_HASH.to_owned();
        let mut report = CustodyReport {
            checked: 0,
            head: None,
            first_break: None,
        };
        for (i, r) in log.iter().enumerate() {
            report.checked += 1;
            let want = custody_hash(
                &prev,
                r.seq,
                DbTime::from(r.at),
                r.evidence_id,
                r.event.as_str(),
                r.actor.map(|u| u.as_uuid()),
                r.org.map(|o| o.as_uuid()),
                &r.note,
            );
            if r.seq != i as u64 + 1 || r.prev_hash != prev || r.hash != want {
                report.first_break = Some(r.seq);
                break;
            }
            prev = r.hash.clone();
            report.head = Some(prev.clone());
        }
        Ok(report)
    }

    /// Re-hashes every stored evidence file like [`Store::check_evidence_files`] and
    /// appends a `verified` custody event for each file that matches — never for a
    /// missing or changed one. The event is `by`'s, or without a user the system's on
    /// behalf of the organization that holds the evidence.
    pub async fn verify_evidence_files(
        &self,
        files: &EvidenceFiles,
        by: Option<Actor>,
    ) -> Result<Vec<(Evidence, FileCheck)>, StoreError> {
        let checks = self.check_evidence_files(files).await?;
        for (e, c) in &checks {
            if *c == FileCheck::Intact {
                self.record_custody(
                    e.id,
                    CustodyEvent::Verified,
                    by.unwrap_or(Actor {
                        user: None,
                        org: e.org_id,
                    }),
                    &format!("re-hashed: sha256 {} matches", &e.sha256[..16]),
                )
                .await?;
            }
        }
        Ok(checks)
    }

    /// Re-hashes every stored evidence file; returns each evidence with what was found.
    /// Hashing runs on a blocking thread.
    pub async fn check_evidence_files(
        &self,
        files: &EvidenceFiles,
    ) -> Result<Vec<(Evidence, FileCheck)>, StoreError> {
        let all = self.list_evidence(None).await?;
        let f = files.clone();
        tokio::task::spawn_blocking(move || {
            all.into_iter()
                .map(|e| {
                    let c = f.check_blocking(&e.sha256);
                    (e, c)
                })
                .collect()
        })
        .await
        .map_err(|_| StoreError::Database("the evidence files could not be checked".into()))
    }
}
