//! Incidents: when (with the precision it is known to), where (an area p-code and the
//! place as written), what (ACLED event and sub-event type), and, per source, whom the
//! source alleges did it and to whom — never merged into one "perpetrator" field, since
//! sources disagree.

use crate::db_types::{DbTime, DbUuid};
use crate::document_types::{
    Actor, DatePrecision, Day, EventType, SubEventType, known_area, optional_text, required,
};
use crate::error::{StoreError, corrupt, on_write};
use crate::{AuditEntry, Store, with_pool, with_write_tx};
use sijill_model::account::{OrgId, UserId};
use time::OffsetDateTime;
use uuid::Uuid;

/// What one source says about an incident.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct IncidentSource {
    /// Who reports it (a monitor, a witness's family, a news agency …).
    pub source: String,
    /// Where it was published, if anywhere.
    pub url: Option<String>,
    /// The alleged perpetrator, in the source's words.
    pub perpetrator: String,
    /// The targets or victims, in the source's words.
    pub target: String,
    /// What the source claims (a toll, a description), quoted.
    pub claim: String,
}

/// A new incident as entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIncident {
    /// The day (or first day of the month) it happened.
    pub occurred_on: Day,
    /// How exactly that date is known.
    pub precision: DatePrecision,
    /// The area's p-code (governorate, district, sub-district …).
    pub area: String,
    /// The place as written (village, neighbourhood, road).
    pub place: String,
    /// ACLED sub-event type (the event type follows from it).
    pub sub_event_type: SubEventType,
    /// A short neutral summary.
    pub summary: String,
    /// The sources, at least one.
    pub sources: Vec<IncidentSource>,
}

/// A stored incident.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Incident {
    /// Its id.
    pub id: Uuid,
    /// The organization that recorded it.
    pub org_id: OrgId,
    /// The date.
    pub occurred_on: Day,
    /// How exactly the date is known.
    pub precision: DatePrecision,
    /// Area p-code.
    pub area: String,
    /// Place as written.
    pub place: String,
    /// ACLED event type.
    pub event_type: EventType,
    /// ACLED sub-event type.
    pub sub_event_type: SubEventType,
    /// Summary.
    pub summary: String,
    /// Who recorded it.
    pub created_by: Option<UserId>,
    /// When it was recorded.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// The sources, in the order entered.
    pub sources: Vec<IncidentSource>,
}

/// Which incidents to list; every field narrows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IncidentFilter {
    /// Only in this area or below it (p-codes nest by prefix).
    pub area: Option<String>,
    /// Only of this event type.
    pub event_type: Option<EventType>,
    /// On or after this day.
    pub from: Option<Day>,
    /// On or before this day.
    pub to: Option<Day>,
}

const MAX_TEXT: usize = 2_000;
const MAX_SHORT: usize = 300;

const COLUMNS: &str = "id, org_id, occurred_on, date_precision, area_pcode, place, event_type, \
                       sub_event_type, summary, created_by, created_at";
type Row = (
    DbUuid,
    DbUuid,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<DbUuid>,
    DbTime,
);

fn from_row(r: Row) -> Result<Incident, StoreError> {
    let (id, org, on, precision, area, place, event, sub, summary, by, at) = r;
    Ok(Incident {
        id: id.0,
        org_id: OrgId::from_uuid(org.0),
        occurred_on: Day::parse(&on).map_err(|_| corrupt("incident date"))?,
        precision: precision.parse().map_err(|_| corrupt("date precision"))?,
        area,
        place,
        event_type: event.parse().map_err(|_| corrupt("event type"))?,
        sub_event_type: sub.parse().map_err(|_| corrupt("sub-event type"))?,
        summary,
        created_by: by.map(|u| UserId::from_uuid(u.0)),
        created_at: at.get(),
        sources: Vec::new(),
    })
}

fn clean_source(s: &IncidentSource) -> Result<IncidentSource, StoreError> {
    Ok(IncidentSource {
        source: required(&s.source, "source", MAX_SHORT)?,
        url: match s.url.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(u) => Some(optional_text(u, "source URL", MAX_SHORT)?),
        },
        perpetrator: optional_text(&s.perpetrator, "alleged perpetrator", MAX_SHORT)?,
        target: optional_text(&s.target, "target", MAX_SHORT)?,
        claim: optional_text(&s.claim, "claim", MAX_TEXT)?,
    })
}

impl Store {
    /// Records an incident with its sources, in one transaction, and audits it.
    pub async fn create_incident(
        &self,
        new: &NewIncident,
        by: Actor,
    ) -> Result<Incident, StoreError> {
        let area = known_area(self, &new.area).await?;
        let place = optional_text(&new.place, "place", MAX_SHORT)?;
        let summary = optional_text(&new.summary, "summary", MAX_TEXT)?;
        if new.sources.is_empty() {
            return Err(StoreError::Invalid(
                "an incident needs at least one source".into(),
            ));
        }
        let sources = new
            .sources
            .iter()
            .map(clean_source)
            .collect::<Result<Vec<_>, _>>()?;
        let now = DbTime::now();
        let incident = Incident {
            id: Uuid::now_v7(),
            org_id: by.org,
            occurred_on: new.occurred_on,
            precision: new.precision,
            area,
            place,
            event_type: new.sub_event_type.event_type(),
            sub_event_type: new.sub_event_type,
            summary,
            created_by: by.user,
            created_at: now.get(),
            sources,
        };
        let i = &incident;
        with_write_tx!(self, |tx| {
            sqlx::query(
                "INSERT INTO incidents (id, org_id, occurred_on, date_precision, area_pcode, place, \
                 event_type, sub_event_type, summary, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
            )
            .bind(DbUuid(i.id))
            .bind(DbUuid::from(i.org_id.as_uuid()))
            .bind(i.occurred_on.to_text())
            .bind(i.precision.as_str())
            .bind(&i.area)
            .bind(&i.place)
            .bind(i.event_type.as_str())
            .bind(i.sub_event_type.as_str())
            .bind(&i.summary)
            .bind(i.created_by.map(|u| DbUuid::from(u.as_uuid())))
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(|e| on_write(e, "this incident already exists", "unknown organization or user"))?;
            for (n, s) in i.sources.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO incident_sources (id, incident_id, position, source, url, perpetrator, target, claim) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(DbUuid(Uuid::now_v7()))
                .bind(DbUuid(i.id))
                .bind(n as i64)
                .bind(&s.source)
                .bind(&s.url)
                .bind(&s.perpetrator)
                .bind(&s.target)
                .bind(&s.claim)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
        });
        self.append_audit(&AuditEntry {
            actor: by.user,
            org: Some(by.org),
            action: "incident.create".into(),
            entity: "incident".into(),
            entity_id: Some(incident.id.to_string()),
            detail: serde_json::json!({"sources": incident.sources.len(), "area": incident.area}),
        })
        .await?;
        Ok(incident)
    }

    /// Incidents matching `filter`, newest first, with their sources.
    pub async fn list_incidents(
        &self,
        filter: &IncidentFilter,
    ) -> Result<Vec<Incident>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM incidents \
             WHERE ($1 = '' OR area_pcode LIKE $1 || '%') \
               AND ($2 = '' OR event_type = $2) \
               AND ($3 = '' OR occurred_on >= $3) \
               AND ($4 = '' OR occurred_on <= $4) \
             ORDER BY occurred_on DESC, id DESC"
        );
        let area = filter
            .area
            .as_deref()
            .map(|a| a.trim().replace(['%', '_'], ""))
            .unwrap_or_default();
        let rows: Vec<Row> = with_pool!(self, |pool| {
            sqlx::query_as(&sql)
                .bind(area)
                .bind(filter.event_type.map(|e| e.as_str()).unwrap_or(""))
                .bind(filter.from.map(|d| d.to_text()).unwrap_or_default())
                .bind(filter.to.map(|d| d.to_text()).unwrap_or_default())
                .fetch_all(pool)
                .await
        })?;
        let mut out = rows
            .into_iter()
            .map(from_row)
            .collect::<Result<Vec<_>, _>>()?;
        for i in &mut out {
            i.sources = self.incident_sources(i.id).await?;
        }
        Ok(out)
    }

    /// The incident with this id, with its sources.
    pub async fn incident(&self, id: Uuid) -> Result<Option<Incident>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM incidents WHERE id = $1");
        let row: Option<Row> = with_pool!(self, |pool| {
            sqlx::query_as(&sql)
                .bind(DbUuid(id))
                .fetch_optional(pool)
                .await
        })?;
        let Some(mut i) = row.map(from_row).transpose()? else {
            return Ok(None);
        };
        i.sources = self.incident_sources(id).await?;
        Ok(Some(i))
    }

    async fn incident_sources(&self, id: Uuid) -> Result<Vec<IncidentSource>, StoreError> {
        type SRow = (String, Option<String>, String, String, String);
        let rows: Vec<SRow> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT source, url, perpetrator, target, claim FROM incident_sources \
                 WHERE incident_id = $1 ORDER BY position",
            )
            .bind(DbUuid(id))
            .fetch_all(pool)
            .await
        })?;
        Ok(rows
            .into_iter()
            .map(|(source, url, perpetrator, target, claim)| IncidentSource {
                source,
                url,
                perpetrator,
                target,
                claim,
            })
            .collect())
    }

    /// Number of incidents per area p-code (as recorded), for maps.
    pub async fn incident_counts_by_area(&self) -> Result<Vec<(String, u64)>, StoreError> {
        let rows: Vec<(String, i64)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT area_pcode, COUNT(*) FROM incidents GROUP BY area_pcode ORDER BY area_pcode",
            )
            .fetch_all(pool)
            .await
        })?;
        Ok(rows
            .into_iter()
            .map(|(a, n)| (a, u64::try_from(n).unwrap_or(0)))
            .collect())
    }
}
