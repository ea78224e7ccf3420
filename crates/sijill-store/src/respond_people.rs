//! People of a relief campaign: volunteers (sealed names, area, skills, days active) and
//! community dialogue sessions (participants counted by group, topics, outcomes and
//! follow-up initiatives; facilitators' names sealed). Lists of names are read only by
//! their own organization; counts are network-wide.

use crate::db_types::{DbTime, DbUuid};
use crate::error::{StoreError, on_write};
use crate::respond_relief::{clean_text, optional_text};
use crate::{Store, with_pool};
use sijill_model::account::OrgId;
use sijill_model::geo::PCode;
use time::Date;
use uuid::Uuid;

/// A volunteer to record.
#[derive(Clone, PartialEq, Eq)]
pub struct NewVolunteer {
    /// Campaign.
    pub campaign: Option<Uuid>,
    /// Name (sealed).
    pub name: String,
    /// Area where they work.
    pub pcode: PCode,
    /// Skills (first aid, driving, cooking …).
    pub skills: Vec<String>,
    /// Days active.
    pub days_active: u32,
}

impl std::fmt::Debug for NewVolunteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewVolunteer")
            .field("pcode", &self.pcode)
            .finish_non_exhaustive()
    }
}

/// A volunteer as their organization sees them.
#[derive(Clone, PartialEq, Eq, serde::Serialize)]
pub struct Volunteer {
    /// Id.
    pub id: Uuid,
    /// Campaign.
    pub campaign: Option<Uuid>,
    /// Name.
    pub name: String,
    /// Area.
    pub pcode: String,
    /// Skills.
    pub skills: Vec<String>,
    /// Days active.
    pub days_active: u32,
}

impl std::fmt::Debug for Volunteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Volunteer")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// Participants of a dialogue session, by group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Participants {
    /// Dignitaries and notables.
    pub dignitaries: u32,
    /// Residents.
    pub residents: u32,
    /// Activists.
    pub activists: u32,
    /// Youth.
    pub youth: u32,
    /// Women.
    pub women: u32,
}

impl Participants {
    /// Everyone (the groups may overlap in life; they are counted as recorded).
    pub fn total(&self) -> u64 {
        [
            self.dignitaries,
            self.residents,
            self.activists,
            self.youth,
            self.women,
        ]
        .iter()
        .map(|&n| u64::from(n))
        .sum()
    }
}

/// A dialogue session to record (or as stored, with `id`).
#[derive(Clone, PartialEq, Eq, serde::Serialize)]
pub struct Dialogue {
    /// Id (ignored when recording).
    pub id: Uuid,
    /// Organization.
    pub org: OrgId,
    /// Campaign.
    pub campaign: Option<Uuid>,
    /// Day.
    pub held_on: Date,
    /// Area.
    pub pcode: String,
    /// Facilitators (sealed; shown to their organization only).
    pub facilitators: String,
    /// Who took part.
    pub participants: Participants,
    /// Topics discussed.
    pub topics: String,
    /// Outcomes.
    pub outcomes: String,
    /// Follow-up initiatives.
    pub follow_ups: String,
}

impl std::fmt::Debug for Dialogue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dialogue")
            .field("id", &self.id)
            .field("held_on", &self.held_on)
            .finish_non_exhaustive()
    }
}

/// Network-wide counts of volunteers and dialogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct PeopleTotals {
    /// Volunteers.
    pub volunteers: u64,
    /// Volunteer-days.
    pub volunteer_days: u64,
    /// Dialogue sessions.
    pub sessions: u64,
    /// Participants by group.
    pub participants: Participants,
}

fn n32(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

impl Store {
    /// Records a volunteer of `org`.
    pub async fn create_volunteer(&self, org: OrgId, v: &NewVolunteer) -> Result<Uuid, StoreError> {
        let name = clean_text(&v.name, "name", 200)?;
        let skills: Vec<String> = v
            .skills
            .iter()
            .map(|s| s.trim().replace(',', " "))
            .filter(|s| !s.is_empty())
            .collect();
        let skills = optional_text(Some(&skills.join(",")), "skills", 500)?.unwrap_or_default();
        let id = Uuid::now_v7();
        let sealed = self.seal(&format!("respond_volunteers.name_sealed:{id}"), &name)?;
        with_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO respond_volunteers (id, org_id, campaign_id, name_sealed, pcode, skills, days_active, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(DbUuid(id))
            .bind(DbUuid::from(org))
            .bind(v.campaign.map(DbUuid))
            .bind(&sealed)
            .bind(v.pcode.as_str())
            .bind(&skills)
            .bind(i64::from(v.days_active))
            .bind(DbTime::now())
            .execute(pool)
            .await
            .map(|_| ())
        })
        .map_err(|e| on_write(e, "duplicate volunteer", "unknown organization or campaign"))?;
        Ok(id)
    }

    /// The volunteers of `org` (the caller's organization).
    pub async fn list_volunteers(&self, org: OrgId) -> Result<Vec<Volunteer>, StoreError> {
        type Row = (DbUuid, Option<DbUuid>, String, String, String, i64);
        let rows: Vec<Row> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, campaign_id, name_sealed, pcode, skills, days_active FROM respond_volunteers \
                 WHERE org_id = $1 ORDER BY created_at DESC, id DESC",
            )
            .bind(DbUuid::from(org))
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|r| {
                let id = r.0.0;
                Ok(Volunteer {
                    id,
                    campaign: r.1.map(|c| c.0),
                    name: self.unseal(&format!("respond_volunteers.name_sealed:{id}"), &r.2)?,
                    pcode: r.3,
                    skills: r
                        .4
                        .split(',')
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                        .collect(),
                    days_active: n32(r.5),
                })
            })
            .collect()
    }

    /// Records a dialogue session of `org`.
    pub async fn create_dialogue(&self, org: OrgId, d: &Dialogue) -> Result<Uuid, StoreError> {
        let pcode = PCode::parse(&d.pcode)
            .map_err(|_| StoreError::Invalid("the area is not a p-code".into()))?;
        let topics = clean_text(&d.topics, "topics", 2000)?;
        let outcomes = optional_text(Some(&d.outcomes), "outcomes", 4000)?.unwrap_or_default();
        let follow = optional_text(Some(&d.follow_ups), "follow-ups", 4000)?.unwrap_or_default();
        let facilitators =
            optional_text(Some(&d.facilitators), "facilitators", 500)?.unwrap_or_default();
        let id = Uuid::now_v7();
        let sealed = self.seal(
            &format!("respond_dialogues.facilitators_sealed:{id}"),
            &facilitators,
        )?;
        let p = d.participants;
        with_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO respond_dialogues (id, org_id, campaign_id, held_on, pcode, facilitators_sealed, \
                 dignitaries, residents, activists, youth, women, topics, outcomes, follow_ups, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
            )
            .bind(DbUuid(id))
            .bind(DbUuid::from(org))
            .bind(d.campaign.map(DbUuid))
            .bind(d.held_on)
            .bind(pcode.as_str())
            .bind(&sealed)
            .bind(i64::from(p.dignitaries))
            .bind(i64::from(p.residents))
            .bind(i64::from(p.activists))
            .bind(i64::from(p.youth))
            .bind(i64::from(p.women))
            .bind(&topics)
            .bind(&outcomes)
            .bind(&follow)
            .bind(DbTime::now())
            .execute(pool)
            .await
            .map(|_| ())
        })
        .map_err(|e| on_write(e, "duplicate session", "unknown organization or campaign"))?;
        Ok(id)
    }

    /// Dialogue sessions, newest first: every organization's, with facilitators'
    /// names opened only for `viewer_org`'s own sessions (empty for others).
    pub async fn list_dialogues(&self, viewer_org: OrgId) -> Result<Vec<Dialogue>, StoreError> {
        type Row = (
            DbUuid,
            DbUuid,
            Option<DbUuid>,
            Date,
            String,
            String,
            (i64, i64, i64, i64, i64),
            String,
            String,
            String,
        );
        type Flat = (
            DbUuid,
            DbUuid,
            Option<DbUuid>,
            Date,
            String,
            String,
            i64,
            i64,
            i64,
            i64,
            i64,
            String,
            String,
            String,
        );
        let flat: Vec<Flat> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, org_id, campaign_id, held_on, pcode, facilitators_sealed, dignitaries, residents, \
                 activists, youth, women, topics, outcomes, follow_ups FROM respond_dialogues \
                 ORDER BY held_on DESC, id DESC",
            )
            .fetch_all(pool)
            .await?
        });
        let rows: Vec<Row> = flat
            .into_iter()
            .map(|f| {
                (
                    f.0,
                    f.1,
                    f.2,
                    f.3,
                    f.4,
                    f.5,
                    (f.6, f.7, f.8, f.9, f.10),
                    f.11,
                    f.12,
                    f.13,
                )
            })
            .collect();
        rows.into_iter()
            .map(|r| {
                let id = r.0.0;
                let org = OrgId::from_uuid(r.1.0);
                let facilitators = if org == viewer_org {
                    self.unseal(&format!("respond_dialogues.facilitators_sealed:{id}"), &r.5)?
                } else {
                    String::new()
                };
                let g = r.6;
                Ok(Dialogue {
                    id,
                    org,
                    campaign: r.2.map(|c| c.0),
                    held_on: r.3,
                    pcode: r.4,
                    facilitators,
                    participants: Participants {
                        dignitaries: n32(g.0),
                        residents: n32(g.1),
                        activists: n32(g.2),
                        youth: n32(g.3),
                        women: n32(g.4),
                    },
                    topics: r.7,
                    outcomes: r.8,
                    follow_ups: r.9,
                })
            })
            .collect()
    }

    /// Network-wide counts of volunteers and dialogue (of one campaign, or all).
    pub async fn people_totals(&self, campaign: Option<Uuid>) -> Result<PeopleTotals, StoreError> {
        let (volunteers, days): (i64, Option<i64>) = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT CAST(COUNT(*) AS BIGINT), CAST(SUM(days_active) AS BIGINT) FROM respond_volunteers \
                 WHERE ($1 IS NULL OR campaign_id = $1)",
            )
            .bind(campaign.map(DbUuid))
            .fetch_one(pool)
            .await?
        });
        type Sums = (
            i64,
            Option<i64>,
            Option<i64>,
            Option<i64>,
            Option<i64>,
            Option<i64>,
        );
        let s: Sums = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT CAST(COUNT(*) AS BIGINT), CAST(SUM(dignitaries) AS BIGINT), CAST(SUM(residents) AS BIGINT), \
                 CAST(SUM(activists) AS BIGINT), CAST(SUM(youth) AS BIGINT), CAST(SUM(women) AS BIGINT) \
                 FROM respond_dialogues WHERE ($1 IS NULL OR campaign_id = $1)",
            )
            .bind(campaign.map(DbUuid))
            .fetch_one(pool)
            .await?
        });
        let o = |n: Option<i64>| n32(n.unwrap_or(0));
        Ok(PeopleTotals {
            volunteers: u64::try_from(volunteers).unwrap_or(0),
            volunteer_days: u64::try_from(days.unwrap_or(0)).unwrap_or(0),
            sessions: u64::try_from(s.0).unwrap_or(0),
            participants: Participants {
                dignitaries: o(s.1),
                residents: o(s.2),
                activists: o(s.3),
                youth: o(s.4),
                women: o(s.5),
            },
        })
    }
}
