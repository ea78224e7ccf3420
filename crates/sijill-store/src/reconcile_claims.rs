//! Published figures: claim sources, their documents (text kept with its SHA-256) and
//! the claims read from them, each with its status.
//!
//! Claims are public statements, not personal data, so nothing here is sealed; they are
//! shared by every organization of the instance. Every write is audited.

use crate::db_types::{DbTime, DbUuid};
use crate::error::{StoreError, corrupt, on_write};
use crate::{AuditEntry, Store, with_pool, with_write_tx};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sijill_model::account::{OrgId, UserId};
use sqlx::Row;
use time::OffsetDateTime;
use uuid::Uuid;

/// Who makes a change, for the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    /// The user, `None` for the system (demo seeding, CLI without a user).
    pub user: Option<UserId>,
    /// The user's organization.
    pub org: OrgId,
}

/// How far a claim is borne out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimStatus {
    /// Nobody has checked it yet.
    Unverified,
    /// Other sources agree.
    Corroborated,
    /// Other sources disagree.
    Contested,
    /// Its author withdrew it.
    Retracted,
}

impl ClaimStatus {
    /// Every status, in display order.
    pub const ALL: [ClaimStatus; 4] = [
        ClaimStatus::Unverified,
        ClaimStatus::Corroborated,
        ClaimStatus::Contested,
        ClaimStatus::Retracted,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimStatus::Unverified => "unverified",
            ClaimStatus::Corroborated => "corroborated",
            ClaimStatus::Contested => "contested",
            ClaimStatus::Retracted => "retracted",
        }
    }

    /// Reads a stored name.
    pub fn parse(s: &str) -> Option<ClaimStatus> {
        ClaimStatus::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// Who publishes documents: a monitor, an agency, an outlet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClaimSource {
    /// Stable id.
    pub id: Uuid,
    /// The name as published.
    pub name: String,
    /// `monitor`, `media`, `un`, `government`, `activists` or `other`.
    pub kind: String,
}

/// A document to add.
#[derive(Debug, Clone, PartialEq)]
pub struct NewDocument {
    /// Its source.
    pub source_id: Uuid,
    /// Title.
    pub title: String,
    /// Where it was published.
    pub url: Option<String>,
    /// Publication day, `YYYY-MM-DD`.
    pub published_on: Option<String>,
    /// `en` or `ar`.
    pub lang: String,
    /// The full text.
    pub body: String,
}

/// A stored document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    /// Stable id.
    pub id: Uuid,
    /// Its source.
    pub source_id: Uuid,
    /// The source's name.
    pub source_name: String,
    /// Title.
    pub title: String,
    /// Where it was published.
    pub url: Option<String>,
    /// Publication day.
    pub published_on: Option<String>,
    /// `en` or `ar`.
    pub lang: String,
    /// The full text.
    pub body: String,
    /// SHA-256 of the text (UTF-8), lower-case hex.
    pub sha256: String,
}

/// The fields of a claim, as entered or extracted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClaimFields {
    /// A single figure.
    pub value: Option<f64>,
    /// The lower end of a range.
    pub low: Option<f64>,
    /// The upper end of a range.
    pub high: Option<f64>,
    /// `over`, `at_least`, `nearly`, `about`, `up_to`, `under`, `indefinite` or none.
    pub qualifier: Option<String>,
    /// What is counted (`killed_civilians` …).
    pub measure: String,
    /// P-code of the area the figure covers.
    pub scope_pcode: Option<String>,
    /// First day of the period covered.
    pub period_from: Option<String>,
    /// Last day of the period covered.
    pub period_to: Option<String>,
    /// The day the figure counts up to.
    pub as_of: Option<String>,
    /// Who published the figure.
    pub claimant: Option<String>,
    /// The sentence it is in.
    pub quote: String,
    /// Its status.
    pub status: ClaimStatus,
}

/// A stored claim with its document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Claim {
    /// Stable id.
    pub id: Uuid,
    /// Its document.
    pub document_id: Uuid,
    /// The document's title.
    pub document_title: String,
    /// The document's source.
    pub source_name: String,
    /// The figures and their context.
    #[serde(flatten)]
    pub fields: ClaimFields,
    /// Last change.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

const QUALIFIERS: [&str; 7] = [
    "over",
    "at_least",
    "nearly",
    "about",
    "up_to",
    "under",
    "indefinite",
];

fn is_day(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

fn check_day(s: &Option<String>, what: &str) -> Result<(), StoreError> {
    match s {
        Some(d) if !is_day(d) => Err(StoreError::Invalid(format!(
            "the {what} must be a day written YYYY-MM-DD"
        ))),
        _ => Ok(()),
    }
}

impl ClaimFields {
    fn check(&self) -> Result<(), StoreError> {
        if self.value.is_none()
            && self.low.is_none()
            && self.high.is_none()
            && self.qualifier.as_deref() != Some("indefinite")
        {
            return Err(StoreError::Invalid(
                "a claim needs a value or a range".into(),
            ));
        }
        for v in [self.value, self.low, self.high].into_iter().flatten() {
            if !v.is_finite() || v < 0.0 {
                return Err(StoreError::Invalid(
                    "a figure must be a number of zero or more".into(),
                ));
            }
        }
        if let (Some(l), Some(h)) = (self.low, self.high)
            && l > h
        {
            return Err(StoreError::Invalid(
                "the lower end of a range is above its upper end".into(),
            ));
        }
        if let Some(q) = &self.qualifier
            && !QUALIFIERS.contains(&q.as_str())
        {
            return Err(StoreError::Invalid("unknown qualifier".into()));
        }
        if self.measure.trim().is_empty() {
            return Err(StoreError::Invalid("the measure is empty".into()));
        }
        check_day(&self.as_of, "as-of date")?;
        check_day(&self.period_from, "start of the period")?;
        check_day(&self.period_to, "end of the period")?;
        Ok(())
    }
}

/// SHA-256 of bytes, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

macro_rules! claim_from_row {
    ($r:expr) => {{
        let r = $r;
        let status: String = r.try_get(13)?;
        let id: DbUuid = r.try_get(0)?;
        let document_id: DbUuid = r.try_get(1)?;
        let updated_at: DbTime = r.try_get(14)?;
        Ok::<_, StoreError>(Claim {
            id: id.0,
            document_id: document_id.0,
            fields: ClaimFields {
                value: r.try_get(2)?,
                low: r.try_get(3)?,
                high: r.try_get(4)?,
                qualifier: r.try_get(5)?,
                measure: r.try_get(6)?,
                scope_pcode: r.try_get(7)?,
                period_from: r.try_get(8)?,
                period_to: r.try_get(9)?,
                as_of: r.try_get(10)?,
                claimant: r.try_get(11)?,
                quote: r.try_get(12)?,
                status: ClaimStatus::parse(&status).ok_or_else(|| corrupt("claim status"))?,
            },
            updated_at: updated_at.get(),
            document_title: r.try_get(15)?,
            source_name: r.try_get(16)?,
        })
    }};
}

const CLAIM_SELECT: &str = "SELECT c.id, c.document_id, c.value, c.low, c.high, c.qualifier, c.measure, \
     c.scope_pcode, c.period_from, c.period_to, c.as_of, c.claimant, c.quote, c.status, c.updated_at, \
     d.title, s.name FROM claims c JOIN claim_documents d ON d.id = c.document_id \
     JOIN claim_sources s ON s.id = d.source_id";

impl Store {
    /// The source with this name, created (with `kind`) if there is none.
    pub async fn ensure_claim_source(
        &self,
        by: Actor,
        name: &str,
        kind: &str,
    ) -> Result<ClaimSource, StoreError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(StoreError::Invalid(
                "a source name must have 1 to 200 characters".into(),
            ));
        }
        let found: Option<(DbUuid, String)> = with_pool!(self, |pool| {
            sqlx::query_as("SELECT id, kind FROM claim_sources WHERE name = $1")
                .bind(name)
                .fetch_optional(pool)
                .await
        })?;
        if let Some((id, kind)) = found {
            return Ok(ClaimSource {
                id: id.0,
                name: name.into(),
                kind,
            });
        }
        let id = Uuid::now_v7();
        with_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO claim_sources (id, name, kind, created_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(DbUuid(id))
            .bind(name)
            .bind(kind)
            .bind(DbTime::now())
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })
        .map_err(|e| {
            on_write(
                e,
                "a source with this name already exists",
                "invalid source",
            )
        })?;
        self.audit(
            by,
            "claim_source.create",
            "claim_source",
            id,
            serde_json::json!({}),
        )
        .await?;
        Ok(ClaimSource {
            id,
            name: name.into(),
            kind: kind.into(),
        })
    }

    /// Every claim source, by name.
    pub async fn claim_sources(&self) -> Result<Vec<ClaimSource>, StoreError> {
        let rows: Vec<(DbUuid, String, String)> = with_pool!(self, |pool| {
            sqlx::query_as("SELECT id, name, kind FROM claim_sources ORDER BY name")
                .fetch_all(pool)
                .await
        })?;
        Ok(rows
            .into_iter()
            .map(|(id, name, kind)| ClaimSource {
                id: id.0,
                name,
                kind,
            })
            .collect())
    }

    /// Adds a document; the same text of the same source again returns the stored one
    /// (`false`: nothing was added).
    pub async fn add_claim_document(
        &self,
        by: Actor,
        new: &NewDocument,
    ) -> Result<(Document, bool), StoreError> {
        if new.body.trim().is_empty() {
            return Err(StoreError::Invalid("the document has no text".into()));
        }
        if new.title.trim().is_empty() {
            return Err(StoreError::Invalid("the document has no title".into()));
        }
        check_day(&new.published_on, "publication day")?;
        let sha = sha256_hex(new.body.as_bytes());
        let existing: Option<DbUuid> = with_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT id FROM claim_documents WHERE source_id = $1 AND sha256 = $2",
            )
            .bind(DbUuid(new.source_id))
            .bind(&sha)
            .fetch_optional(pool)
            .await
        })?;
        if let Some(id) = existing {
            let doc = self
                .claim_document(id.0)
                .await?
                .ok_or(StoreError::NotFound)?;
            return Ok((doc, false));
        }
        let id = Uuid::now_v7();
        with_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO claim_documents (id, source_id, title, url, published_on, lang, body, sha256, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(DbUuid(id))
            .bind(DbUuid(new.source_id))
            .bind(new.title.trim())
            .bind(&new.url)
            .bind(&new.published_on)
            .bind(&new.lang)
            .bind(&new.body)
            .bind(&sha)
            .bind(DbTime::now())
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })
        .map_err(|e| on_write(e, "this document is already stored", "the source does not exist"))?;
        self.audit(
            by,
            "claim_document.create",
            "claim_document",
            id,
            serde_json::json!({"sha256": sha, "bytes": new.body.len()}),
        )
        .await?;
        let doc = self.claim_document(id).await?.ok_or(StoreError::NotFound)?;
        Ok((doc, true))
    }

    /// The document with this id.
    pub async fn claim_document(&self, id: Uuid) -> Result<Option<Document>, StoreError> {
        let rows = self.documents_where("WHERE d.id = $1", Some(id)).await?;
        Ok(rows.into_iter().next())
    }

    /// Every document, newest publication first.
    pub async fn claim_documents(&self) -> Result<Vec<Document>, StoreError> {
        self.documents_where("", None).await
    }

    async fn documents_where(
        &self,
        filter: &str,
        id: Option<Uuid>,
    ) -> Result<Vec<Document>, StoreError> {
        let sql = format!(
            "SELECT d.id, d.source_id, s.name, d.title, d.url, d.published_on, d.lang, d.body, d.sha256 \
             FROM claim_documents d JOIN claim_sources s ON s.id = d.source_id {filter} \
             ORDER BY d.published_on DESC, d.id"
        );
        with_pool!(self, |pool| {
            let mut q = sqlx::query(&sql);
            if let Some(id) = id {
                q = q.bind(DbUuid(id));
            }
            let rows = q.fetch_all(pool).await?;
            rows.iter()
                .map(|r| {
                    let id: DbUuid = r.try_get(0)?;
                    let source_id: DbUuid = r.try_get(1)?;
                    Ok(Document {
                        id: id.0,
                        source_id: source_id.0,
                        source_name: r.try_get(2)?,
                        title: r.try_get(3)?,
                        url: r.try_get(4)?,
                        published_on: r.try_get(5)?,
                        lang: r.try_get(6)?,
                        body: r.try_get(7)?,
                        sha256: r.try_get(8)?,
                    })
                })
                .collect::<Result<Vec<_>, StoreError>>()
        })
    }

    /// Adds claims of one document, all or none.
    pub async fn add_claims(
        &self,
        by: Actor,
        document_id: Uuid,
        claims: &[ClaimFields],
    ) -> Result<Vec<Uuid>, StoreError> {
        for c in claims {
            c.check()?;
        }
        let now = DbTime::now();
        let ids: Vec<Uuid> = claims.iter().map(|_| Uuid::now_v7()).collect();
        with_write_tx!(self, |tx| {
            for (id, c) in ids.iter().zip(claims) {
                sqlx::query(
                    "INSERT INTO claims (id, document_id, value, low, high, qualifier, measure, scope_pcode, \
                     period_from, period_to, as_of, claimant, quote, status, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)",
                )
                .bind(DbUuid(*id))
                .bind(DbUuid(document_id))
                .bind(c.value)
                .bind(c.low)
                .bind(c.high)
                .bind(&c.qualifier)
                .bind(c.measure.trim())
                .bind(&c.scope_pcode)
                .bind(&c.period_from)
                .bind(&c.period_to)
                .bind(&c.as_of)
                .bind(&c.claimant)
                .bind(&c.quote)
                .bind(c.status.as_str())
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(|e| on_write(e, "claim exists", "the document does not exist"))?;
            }
            tx.commit().await?;
        });
        self.audit(
            by,
            "claim.create",
            "claim_document",
            document_id,
            serde_json::json!({"claims": ids.len()}),
        )
        .await?;
        Ok(ids)
    }

    /// Replaces a claim's fields.
    pub async fn update_claim(
        &self,
        by: Actor,
        id: Uuid,
        c: &ClaimFields,
    ) -> Result<(), StoreError> {
        c.check()?;
        let n = with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE claims SET value = $2, low = $3, high = $4, qualifier = $5, measure = $6, \
                 scope_pcode = $7, period_from = $8, period_to = $9, as_of = $10, claimant = $11, \
                 quote = $12, status = $13, updated_at = $14 WHERE id = $1",
            )
            .bind(DbUuid(id))
            .bind(c.value)
            .bind(c.low)
            .bind(c.high)
            .bind(&c.qualifier)
            .bind(c.measure.trim())
            .bind(&c.scope_pcode)
            .bind(&c.period_from)
            .bind(&c.period_to)
            .bind(&c.as_of)
            .bind(&c.claimant)
            .bind(&c.quote)
            .bind(c.status.as_str())
            .bind(DbTime::now())
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        self.audit(
            by,
            "claim.update",
            "claim",
            id,
            serde_json::json!({"status": c.status.as_str()}),
        )
        .await?;
        Ok(())
    }

    /// The claim with this id.
    pub async fn claim(&self, id: Uuid) -> Result<Option<Claim>, StoreError> {
        let sql = format!("{CLAIM_SELECT} WHERE c.id = $1");
        with_pool!(self, |pool| {
            let row = sqlx::query(&sql)
                .bind(DbUuid(id))
                .fetch_optional(pool)
                .await?;
            match row {
                Some(r) => claim_from_row!(&r).map(Some),
                None => Ok(None),
            }
        })
    }

    /// Claims, optionally of one document or one measure, by as-of date.
    pub async fn claims(
        &self,
        document: Option<Uuid>,
        measure: Option<&str>,
    ) -> Result<Vec<Claim>, StoreError> {
        let sql = format!(
            "{CLAIM_SELECT} WHERE ($1 IS NULL OR c.document_id = $1) AND ($2 IS NULL OR c.measure = $2) \
             ORDER BY c.as_of, c.id"
        );
        with_pool!(self, |pool| {
            let rows = sqlx::query(&sql)
                .bind(document.map(DbUuid))
                .bind(measure)
                .fetch_all(pool)
                .await?;
            rows.iter()
                .map(|r| claim_from_row!(r))
                .collect::<Result<Vec<_>, StoreError>>()
        })
    }

    pub(crate) async fn audit(
        &self,
        by: Actor,
        action: &str,
        entity: &str,
        id: Uuid,
        detail: serde_json::Value,
    ) -> Result<(), StoreError> {
        self.append_audit(&AuditEntry {
            actor: by.user,
            org: Some(by.org),
            action: action.into(),
            entity: entity.into(),
            entity_id: Some(id.to_string()),
            detail,
        })
        .await
        .map(|_| ())
    }
}
