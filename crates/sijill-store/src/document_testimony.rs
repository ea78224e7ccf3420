//! Testimonies: what a witness or a victim's family told an interviewer, with the scope
//! of their consent. The content is sealed with the keyring (context
//! `testimonies.content:<id>`) and only the recording organization, and organizations
//! it shares a testimony with, can list or read it: every read method takes the
//! reader's organization and filters in SQL.

use crate::db_types::{DbTime, DbUuid};
use crate::document_types::{Actor, ConsentScope, Day, required};
use crate::error::{StoreError, corrupt, on_write};
use crate::{AuditEntry, Store, with_pool};
use sijill_model::account::{OrgId, UserId};
use std::fmt;
use time::OffsetDateTime;
use uuid::Uuid;

/// A new testimony.
#[derive(Clone, PartialEq, Eq)]
pub struct NewTestimony {
    /// The incident it is about, if any.
    pub incident_id: Option<Uuid>,
    /// What the witness agreed to.
    pub consent: ConsentScope,
    /// Who interviewed (a staff member).
    pub interviewer: String,
    /// When.
    pub interviewed_on: Day,
    /// What was said (sealed before storage).
    pub content: String,
}

impl fmt::Debug for NewTestimony {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the content.
        f.debug_struct("NewTestimony")
            .field("consent", &self.consent)
            .finish_non_exhaustive()
    }
}

/// A testimony as its organization (or one it was shared with) sees it.
#[derive(Clone, PartialEq, Eq, serde::Serialize)]
pub struct Testimony {
    /// Its id.
    pub id: Uuid,
    /// The recording organization.
    pub org_id: OrgId,
    /// The incident.
    pub incident_id: Option<Uuid>,
    /// Consent scope.
    pub consent: ConsentScope,
    /// Interviewer.
    pub interviewer: String,
    /// Interview date.
    pub interviewed_on: Day,
    /// The content, unsealed.
    pub content: String,
    /// Organizations it is shared with.
    pub shared_with: Vec<OrgId>,
    /// Who recorded it.
    pub created_by: Option<UserId>,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

impl fmt::Debug for Testimony {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Testimony")
            .field("id", &self.id)
            .field("org_id", &self.org_id)
            .field("consent", &self.consent)
            .finish_non_exhaustive()
    }
}

const COLUMNS: &str = "t.id, t.org_id, t.incident_id, t.consent, t.interviewer, t.interviewed_on, \
                       t.content_sealed, t.created_by, t.created_at";
type Row = (
    DbUuid,
    DbUuid,
    Option<DbUuid>,
    String,
    String,
    String,
    String,
    Option<DbUuid>,
    DbTime,
);
/// Rows `$1` (the reader's organization) may see.
const VISIBLE: &str = "(t.org_id = $1 OR EXISTS (SELECT 1 FROM testimony_shares s \
                       WHERE s.testimony_id = t.id AND s.org_id = $1))";

const MAX_CONTENT: usize = 100_000;

fn context(id: Uuid) -> String {
    format!("testimonies.content:{}", id.hyphenated())
}

impl Store {
    fn testimony_from_row(&self, r: Row) -> Result<Testimony, StoreError> {
        let (id, org, inc, consent, interviewer, on, sealed, by, at) = r;
        Ok(Testimony {
            id: id.0,
            org_id: OrgId::from_uuid(org.0),
            incident_id: inc.map(|u| u.0),
            consent: consent.parse().map_err(|_| corrupt("consent scope"))?,
            interviewer,
            interviewed_on: Day::parse(&on).map_err(|_| corrupt("interview date"))?,
            content: self.unseal(&context(id.0), &sealed)?,
            shared_with: Vec::new(),
            created_by: by.map(|u| UserId::from_uuid(u.0)),
            created_at: at.get(),
        })
    }

    /// Records a testimony for `by.org`, its content sealed. Needs the keyring.
    pub async fn create_testimony(
        &self,
        new: &NewTestimony,
        by: Actor,
    ) -> Result<Testimony, StoreError> {
        let interviewer = required(&new.interviewer, "interviewer", 200)?;
        let content = required(&new.content, "testimony", MAX_CONTENT)?;
        let id = Uuid::now_v7();
        let sealed = self.seal(&context(id), &content)?;
        let now = DbTime::now();
        with_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO testimonies (id, org_id, incident_id, consent, interviewer, interviewed_on, \
                 content_sealed, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(DbUuid(id))
            .bind(DbUuid::from(by.org.as_uuid()))
            .bind(new.incident_id.map(DbUuid))
            .bind(new.consent.as_str())
            .bind(&interviewer)
            .bind(new.interviewed_on.to_text())
            .bind(&sealed)
            .bind(by.user.map(|u| DbUuid::from(u.as_uuid())))
            .bind(now)
            .execute(pool)
            .await
            .map(|_| ())
        })
        .map_err(|e| on_write(e, "this testimony already exists", "unknown organization, incident or user"))?;
        self.append_audit(&AuditEntry {
            actor: by.user,
            org: Some(by.org),
            action: "testimony.create".into(),
            entity: "testimony".into(),
            entity_id: Some(id.to_string()),
            detail: serde_json::json!({"consent": new.consent.as_str()}),
        })
        .await?;
        Ok(Testimony {
            id,
            org_id: by.org,
            incident_id: new.incident_id,
            consent: new.consent,
            interviewer,
            interviewed_on: new.interviewed_on,
            content,
            shared_with: Vec::new(),
            created_by: by.user,
            created_at: now.get(),
        })
    }

    /// The testimonies `reader` may see (its own and those shared with it), newest first.
    pub async fn testimonies_visible_to(
        &self,
        reader: OrgId,
    ) -> Result<Vec<Testimony>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM testimonies t WHERE {VISIBLE} ORDER BY t.created_at DESC, t.id DESC"
        );
        let rows: Vec<Row> = with_pool!(self, |pool| {
            sqlx::query_as(&sql)
                .bind(DbUuid::from(reader.as_uuid()))
                .fetch_all(pool)
                .await
        })?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let mut t = self.testimony_from_row(r)?;
            t.shared_with = self.testimony_shares(t.id).await?;
            out.push(t);
        }
        Ok(out)
    }

    /// One testimony if `reader` may see it; `None` both when it does not exist and
    /// when it is not theirs (so its existence does not leak).
    pub async fn testimony(
        &self,
        id: Uuid,
        reader: OrgId,
    ) -> Result<Option<Testimony>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM testimonies t WHERE t.id = $2 AND {VISIBLE}");
        let row: Option<Row> = with_pool!(self, |pool| {
            sqlx::query_as(&sql)
                .bind(DbUuid::from(reader.as_uuid()))
                .bind(DbUuid(id))
                .fetch_optional(pool)
                .await
        })?;
        let Some(r) = row else { return Ok(None) };
        let mut t = self.testimony_from_row(r)?;
        t.shared_with = self.testimony_shares(t.id).await?;
        Ok(Some(t))
    }

    async fn testimony_shares(&self, id: Uuid) -> Result<Vec<OrgId>, StoreError> {
        let rows: Vec<(DbUuid,)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT org_id FROM testimony_shares WHERE testimony_id = $1 ORDER BY org_id",
            )
            .bind(DbUuid(id))
            .fetch_all(pool)
            .await
        })?;
        Ok(rows.into_iter().map(|(o,)| OrgId::from_uuid(o.0)).collect())
    }

    /// Shares a testimony with another organization. Only its own organization may
    /// share it ([`StoreError::NotFound`] otherwise), and only if the consent scope is
    /// not `internal`. Audited.
    pub async fn share_testimony(
        &self,
        id: Uuid,
        with: OrgId,
        by: Actor,
    ) -> Result<(), StoreError> {
        let Some(t) = self.testimony(id, by.org).await? else {
            return Err(StoreError::NotFound);
        };
        if t.org_id != by.org {
            return Err(StoreError::NotFound);
        }
        if t.consent == crate::document_types::ConsentScope::Internal {
            return Err(StoreError::Invalid(
                "the witness consented to internal use only; this testimony cannot be shared"
                    .into(),
            ));
        }
        if with == by.org {
            return Ok(());
        }
        with_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO testimony_shares (testimony_id, org_id, shared_by, created_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (testimony_id, org_id) DO NOTHING",
            )
            .bind(DbUuid(id))
            .bind(DbUuid::from(with.as_uuid()))
            .bind(by.user.map(|u| DbUuid::from(u.as_uuid())))
            .bind(DbTime::now())
            .execute(pool)
            .await
            .map(|_| ())
        })
        .map_err(|e| on_write(e, "already shared", "unknown organization"))?;
        self.append_audit(&AuditEntry {
            actor: by.user,
            org: Some(by.org),
            action: "testimony.share".into(),
            entity: "testimony".into(),
            entity_id: Some(id.to_string()),
            detail: serde_json::json!({"with_org": with.to_string()}),
        })
        .await?;
        Ok(())
    }
}
