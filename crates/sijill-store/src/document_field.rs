//! Rescue missions of civil-defence teams (with daily tallies) and displacement: sites
//! and dated reports per site from each source. Reports of one site are never merged:
//! conflicting counts stay side by side, each with its source and date.

use crate::db_types::{DbTime, DbUuid};
use crate::document_types::{
    Actor, Day, MissionKind, SiteKind, known_area, optional_text, required,
};
use crate::error::{StoreError, corrupt, on_write};
use crate::{AuditEntry, Store, with_pool};
use sijill_model::account::{OrgId, UserId};
use std::collections::BTreeMap;
use time::OffsetDateTime;
use uuid::Uuid;

/// A new rescue mission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRescueMission {
    /// The team (as the service names it).
    pub team: String,
    /// When it set out.
    pub started_at: OffsetDateTime,
    /// Area p-code.
    pub area: String,
    /// Place as written.
    pub place: String,
    /// Kind.
    pub kind: MissionKind,
    /// People rescued alive.
    pub rescued_alive: u32,
    /// Bodies recovered.
    pub bodies_recovered: u32,
    /// Remarks (e.g. signs of binding).
    pub remarks: String,
    /// To whom the bodies or people were handed (a hospital, forensic service).
    pub handed_over_to: String,
}

/// A stored rescue mission.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RescueMission {
    /// Id.
    pub id: Uuid,
    /// The civil-defence organization.
    pub org_id: OrgId,
    /// Team.
    pub team: String,
    /// Start.
    #[serde(with = "time::serde::rfc3339")]
    pub started_at: OffsetDateTime,
    /// Area.
    pub area: String,
    /// Place.
    pub place: String,
    /// Kind.
    pub kind: MissionKind,
    /// Rescued alive.
    pub rescued_alive: u32,
    /// Bodies recovered.
    pub bodies_recovered: u32,
    /// Remarks.
    pub remarks: String,
    /// Handed over to.
    pub handed_over_to: String,
    /// Who recorded it.
    pub created_by: Option<UserId>,
}

/// Missions and outcomes of one day (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct DailyTally {
    /// The day.
    pub day: Day,
    /// Missions started that day.
    pub missions: u32,
    /// People rescued alive.
    pub rescued_alive: u32,
    /// Bodies recovered.
    pub bodies_recovered: u32,
}

/// A new displacement site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSite {
    /// Name (English or transliterated).
    pub name: String,
    /// Arabic name.
    pub name_ar: Option<String>,
    /// Kind.
    pub kind: SiteKind,
    /// Area p-code (Lebanese codes for cross-border sites).
    pub area: String,
}

/// A displacement site.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Site {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// Arabic name.
    pub name_ar: Option<String>,
    /// Kind.
    pub kind: SiteKind,
    /// Area.
    pub area: String,
}

/// What one source reported about one site on one date.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NewSiteReport {
    /// The site.
    pub site_id: Uuid,
    /// As of.
    pub as_of: Day,
    /// Families, if counted.
    pub families: Option<u32>,
    /// Individuals, if counted.
    pub individuals: Option<u32>,
    /// Areas people came from (p-codes).
    pub origins: Vec<String>,
    /// Needs as reported.
    pub needs: String,
    /// Who reported it.
    pub source: String,
}

/// A stored site report.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SiteReport {
    /// Id.
    pub id: Uuid,
    /// The report.
    #[serde(flatten)]
    pub report: NewSiteReport,
}

const MAX_SHORT: usize = 300;
const MAX_TEXT: usize = 2_000;

type MRow = (
    DbUuid,
    DbUuid,
    String,
    DbTime,
    String,
    String,
    String,
    i64,
    i64,
    String,
    String,
    Option<DbUuid>,
);
const MCOLUMNS: &str = "id, org_id, team, started_at, area_pcode, place, kind, rescued_alive, \
                        bodies_recovered, remarks, handed_over_to, created_by";

fn count(n: i64, what: &str) -> Result<u32, StoreError> {
    u32::try_from(n).map_err(|_| corrupt(what))
}

fn mission_from_row(r: MRow) -> Result<RescueMission, StoreError> {
    let (id, org, team, at, area, place, kind, alive, bodies, remarks, handed, by) = r;
    Ok(RescueMission {
        id: id.0,
        org_id: OrgId::from_uuid(org.0),
        team,
        started_at: at.get(),
        area,
        place,
        kind: kind.parse().map_err(|_| corrupt("mission kind"))?,
        rescued_alive: count(alive, "rescued count")?,
        bodies_recovered: count(bodies, "bodies count")?,
        remarks,
        handed_over_to: handed,
        created_by: by.map(|u| UserId::from_uuid(u.0)),
    })
}

impl Store {
    /// Records a rescue mission for `by.org`. Audited.
    pub async fn create_rescue_mission(
        &self,
        new: &NewRescueMission,
        by: Actor,
    ) -> Result<RescueMission, StoreError> {
        let m = RescueMission {
            id: Uuid::now_v7(),
            org_id: by.org,
            team: required(&new.team, "team", MAX_SHORT)?,
            started_at: DbTime::from(new.started_at).get(),
            area: known_area(self, &new.area).await?,
            place: optional_text(&new.place, "place", MAX_SHORT)?,
            kind: new.kind,
            rescued_alive: new.rescued_alive,
            bodies_recovered: new.bodies_recovered,
            remarks: optional_text(&new.remarks, "remarks", MAX_TEXT)?,
            handed_over_to: optional_text(&new.handed_over_to, "handed over to", MAX_SHORT)?,
            created_by: by.user,
        };
        with_pool!(self, |pool| {
            sqlx::query(&format!(
                "INSERT INTO rescue_missions ({MCOLUMNS}, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
            ))
            .bind(DbUuid(m.id))
            .bind(DbUuid::from(m.org_id.as_uuid()))
            .bind(&m.team)
            .bind(DbTime::from(m.started_at))
            .bind(&m.area)
            .bind(&m.place)
            .bind(m.kind.as_str())
            .bind(i64::from(m.rescued_alive))
            .bind(i64::from(m.bodies_recovered))
            .bind(&m.remarks)
            .bind(&m.handed_over_to)
            .bind(m.created_by.map(|u| DbUuid::from(u.as_uuid())))
            .bind(DbTime::now())
            .execute(pool)
            .await
            .map(|_| ())
        })
        .map_err(|e| {
            on_write(
                e,
                "this mission already exists",
                "unknown organization or user",
            )
        })?;
        self.append_audit(&AuditEntry {
            actor: by.user,
            org: Some(by.org),
            action: "rescue_mission.create".into(),
            entity: "rescue_mission".into(),
            entity_id: Some(m.id.to_string()),
            detail: serde_json::json!({"bodies_recovered": m.bodies_recovered, "rescued_alive": m.rescued_alive}),
        })
        .await?;
        Ok(m)
    }

    /// Every rescue mission, newest first.
    pub async fn list_rescue_missions(&self) -> Result<Vec<RescueMission>, StoreError> {
        let sql =
            format!("SELECT {MCOLUMNS} FROM rescue_missions ORDER BY started_at DESC, id DESC");
        let rows: Vec<MRow> = with_pool!(self, |pool| sqlx::query_as(&sql).fetch_all(pool).await)?;
        rows.into_iter().map(mission_from_row).collect()
    }

    /// One rescue mission.
    pub async fn rescue_mission(&self, id: Uuid) -> Result<Option<RescueMission>, StoreError> {
        let sql = format!("SELECT {MCOLUMNS} FROM rescue_missions WHERE id = $1");
        let row: Option<MRow> = with_pool!(self, |pool| {
            sqlx::query_as(&sql)
                .bind(DbUuid(id))
                .fetch_optional(pool)
                .await
        })?;
        row.map(mission_from_row).transpose()
    }

    /// Missions, rescued and bodies recovered per UTC day, oldest first.
    pub async fn rescue_daily_tallies(&self) -> Result<Vec<DailyTally>, StoreError> {
        let mut days: BTreeMap<Day, DailyTally> = BTreeMap::new();
        for m in self.list_rescue_missions().await? {
            let day = Day::from(m.started_at.date());
            let t = days.entry(day).or_insert(DailyTally {
                day,
                missions: 0,
                rescued_alive: 0,
                bodies_recovered: 0,
            });
            t.missions += 1;
            t.rescued_alive = t.rescued_alive.saturating_add(m.rescued_alive);
            t.bodies_recovered = t.bodies_recovered.saturating_add(m.bodies_recovered);
        }
        Ok(days.into_values().collect())
    }

    /// Records a displacement site. A taken name is [`StoreError::Conflict`]. Audited.
    pub async fn create_site(&self, new: &NewSite, by: Actor) -> Result<Site, StoreError> {
        let site = Site {
            id: Uuid::now_v7(),
            name: required(&new.name, "site name", MAX_SHORT)?,
            name_ar: match new.name_ar.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(s) => Some(optional_text(s, "Arabic site name", MAX_SHORT)?),
            },
            kind: new.kind,
            area: known_area(self, &new.area).await?,
        };
        with_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO displacement_sites (id, name, name_ar, kind, area_pcode, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(DbUuid(site.id))
            .bind(&site.name)
            .bind(&site.name_ar)
            .bind(site.kind.as_str())
            .bind(&site.area)
            .bind(by.user.map(|u| DbUuid::from(u.as_uuid())))
            .bind(DbTime::now())
            .execute(pool)
            .await
            .map(|_| ())
        })
        .map_err(|e| on_write(e, "a site with this name already exists", "unknown user"))?;
        self.append_audit(&AuditEntry {
            actor: by.user,
            org: Some(by.org),
            action: "displacement_site.create".into(),
            entity: "displacement_site".into(),
            entity_id: Some(site.id.to_string()),
            detail: serde_json::json!({"kind": site.kind.as_str()}),
        })
        .await?;
        Ok(site)
    }

    /// Every displacement site, by name.
    pub async fn list_sites(&self) -> Result<Vec<Site>, StoreError> {
        let rows: Vec<(DbUuid, String, Option<String>, String, String)> = with_pool!(
            self,
            |pool| {
                sqlx::query_as(
                "SELECT id, name, name_ar, kind, area_pcode FROM displacement_sites ORDER BY name, id",
            )
            .fetch_all(pool)
            .await
            }
        )?;
        rows.into_iter()
            .map(|(id, name, name_ar, kind, area)| {
                Ok(Site {
                    id: id.0,
                    name,
                    name_ar,
                    kind: kind.parse().map_err(|_| corrupt("site kind"))?,
                    area,
                })
            })
            .collect()
    }

    /// Adds what one source reported about a site. Audited.
    pub async fn add_site_report(
        &self,
        new: &NewSiteReport,
        by: Actor,
    ) -> Result<SiteReport, StoreError> {
        if new.families.is_none() && new.individuals.is_none() {
            return Err(StoreError::Invalid(
                "a site report needs a count of families or of individuals".into(),
            ));
        }
        let mut origins = Vec::new();
        for o in &new.origins {
            if !o.trim().is_empty() {
                origins.push(known_area(self, o).await?);
            }
        }
        let report = NewSiteReport {
            site_id: new.site_id,
            as_of: new.as_of,
            families: new.families,
            individuals: new.individuals,
            origins,
            needs: optional_text(&new.needs, "needs", MAX_TEXT)?,
            source: required(&new.source, "source", MAX_SHORT)?,
        };
        let id = Uuid::now_v7();
        let r = &report;
        with_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO displacement_reports (id, site_id, as_of, families, individuals, origins, needs, source, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(DbUuid(id))
            .bind(DbUuid(r.site_id))
            .bind(r.as_of.to_text())
            .bind(r.families.map(i64::from))
            .bind(r.individuals.map(i64::from))
            .bind(r.origins.join(" "))
            .bind(&r.needs)
            .bind(&r.source)
            .bind(by.user.map(|u| DbUuid::from(u.as_uuid())))
            .bind(DbTime::now())
            .execute(pool)
            .await
            .map(|_| ())
        })
        .map_err(|e| on_write(e, "this report already exists", "unknown site or user"))?;
        self.append_audit(&AuditEntry {
            actor: by.user,
            org: Some(by.org),
            action: "displacement_report.create".into(),
            entity: "displacement_report".into(),
            entity_id: Some(id.to_string()),
            detail: serde_json::json!({"site": r.site_id.to_string()}),
        })
        .await?;
        Ok(SiteReport { id, report })
    }

    /// Reports, by site then date then source; only one site's when given.
    pub async fn site_reports(&self, site: Option<Uuid>) -> Result<Vec<SiteReport>, StoreError> {
        type RRow = (
            DbUuid,
            DbUuid,
            String,
            Option<i64>,
            Option<i64>,
            String,
            String,
            String,
        );
        let rows: Vec<RRow> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, site_id, as_of, families, individuals, origins, needs, source \
                 FROM displacement_reports WHERE ($1 = '' OR CAST(site_id AS TEXT) = $1) \
                 ORDER BY site_id, as_of, source, id",
            )
            .bind(site.map(|u| u.hyphenated().to_string()).unwrap_or_default())
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter()
            .map(|(id, site, as_of, fam, ind, origins, needs, source)| {
                Ok(SiteReport {
                    id: id.0,
                    report: NewSiteReport {
                        site_id: site.0,
                        as_of: Day::parse(&as_of).map_err(|_| corrupt("report date"))?,
                        families: fam.map(|n| count(n, "families")).transpose()?,
                        individuals: ind.map(|n| count(n, "individuals")).transpose()?,
                        origins: origins.split_whitespace().map(str::to_owned).collect(),
                        needs,
                        source,
                    },
                })
            })
            .collect()
    }
}
