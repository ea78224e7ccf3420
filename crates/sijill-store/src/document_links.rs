//! Links from documentation to victim records.
//!
//! - An incident names the victim records it is about. A link is made by one
//!   organization and only to one of its own records; a reader sees the linked records
//!   of its own organization (names opened) and only the number of the others.
//! - A body a rescue mission recovered becomes a victim record: a one-row list
//!   (source "rescue mission …") imported through the reconcile store's
//!   [`Store::import_victim_list`], so the record is sealed, linked and estimated like
//!   any other, then tied to the mission and its body number. Importing the same body
//!   again adds nothing.

use crate::db_types::{DbTime, DbUuid};
use crate::document_types::{Actor, builtin_gazetteer, optional_text};
use crate::error::{StoreError, on_write};
use crate::reconcile_lists::{NewVictimList, Personal, VictimRecord, VictimRow};
use crate::{AuditEntry, Store, with_pool};
use sijill_model::account::OrgId;
use uuid::Uuid;

/// A victim record linked to an incident, as its reader may see it.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkedVictims {
    /// The reader's own records, opened.
    pub own: Vec<VictimRecord>,
    /// How many records of other organizations are linked (never their content).
    pub others: u64,
}

/// What is known of a recovered body when it becomes a victim record.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct NewBody {
    /// The name, if identified (sealed).
    pub name: Option<String>,
    /// `male`, `female` or none.
    pub sex: Option<String>,
    /// Estimated age.
    pub age: Option<i64>,
}

impl std::fmt::Debug for NewBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the name.
        f.debug_struct("NewBody")
            .field("sex", &self.sex)
            .field("age", &self.age)
            .finish_non_exhaustive()
    }
}

/// A body of a mission made into a victim record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MissionBody {
    /// Its number among the mission's bodies, from 1.
    pub body_no: u32,
    /// The victim record.
    pub victim_record_id: Uuid,
    /// The organization that holds the record.
    pub org_id: OrgId,
}

fn reconcile_actor(by: Actor) -> crate::reconcile_claims::Actor {
    crate::reconcile_claims::Actor {
        user: by.user,
        org: by.org,
    }
}

impl Store {
    /// Links the record `record_key` of the list `list_id` (of `by.org`) to an incident.
    /// Linking twice is harmless. Audited.
    pub async fn link_incident_victim(
        &self,
        incident_id: Uuid,
        list_id: Uuid,
        record_key: &str,
        by: Actor,
    ) -> Result<Uuid, StoreError> {
        if self.incident(incident_id).await?.is_none() {
            return Err(StoreError::NotFound);
        }
        let key = record_key.trim();
        let Some(record) = self
            .victim_records(by.org, &[list_id])
            .await?
            .into_iter()
            .find(|r| r.list_id == list_id && r.record_key == key)
        else {
            return Err(StoreError::Invalid(
                "no record with this id in that list of your organization".into(),
            ));
        };
        with_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO incident_victims (incident_id, victim_record_id, org_id, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (incident_id, victim_record_id) DO NOTHING",
            )
            .bind(DbUuid(incident_id))
            .bind(DbUuid(record.id))
            .bind(DbUuid::from(by.org.as_uuid()))
            .bind(by.user.map(|u| DbUuid::from(u.as_uuid())))
            .bind(DbTime::now())
            .execute(pool)
            .await
            .map(|_| ())
        })
        .map_err(|e| on_write(e, "already linked", "unknown incident, record or user"))?;
        self.append_audit(&AuditEntry {
            actor: by.user,
            org: Some(by.org),
            action: "incident.link_victim".into(),
            entity: "incident".into(),
            entity_id: Some(incident_id.to_string()),
            detail: serde_json::json!({"victim_record": record.id.to_string()}),
        })
        .await?;
        Ok(record.id)
    }

    /// The victim records linked to an incident: `reader`'s own opened, the others
    /// counted.
    pub async fn incident_victims(
        &self,
        incident_id: Uuid,
        reader: OrgId,
    ) -> Result<LinkedVictims, StoreError> {
        let rows: Vec<(DbUuid, DbUuid)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT victim_record_id, org_id FROM incident_victims WHERE incident_id = $1 \
                 ORDER BY created_at, victim_record_id",
            )
            .bind(DbUuid(incident_id))
            .fetch_all(pool)
            .await
        })?;
        let mine: Vec<Uuid> = rows
            .iter()
            .filter(|(_, o)| o.0 == reader.as_uuid())
            .map(|(r, _)| r.0)
            .collect();
        let others = (rows.len() - mine.len()) as u64;
        let own = if mine.is_empty() {
            Vec::new()
        } else {
            let all = self.victim_records(reader, &[]).await?;
            mine.iter()
                .filter_map(|id| all.iter().find(|r| r.id == *id).cloned())
                .collect()
        };
        Ok(LinkedVictims { own, others })
    }

    /// Makes the next body of a mission a victim record of `by.org` (status unknown,
    /// date of death the mission's day, governorate from the mission's area, place the
    /// mission's place). Refused beyond the mission's count of bodies. Audited (by the
    /// import and here).
    pub async fn body_to_victim(
        &self,
        mission_id: Uuid,
        body: &NewBody,
        by: Actor,
    ) -> Result<MissionBody, StoreError> {
        let Some(m) = self.rescue_mission(mission_id).await? else {
            return Err(StoreError::NotFound);
        };
        let done = self.mission_bodies(mission_id).await?;
        let body_no = done.len() as u32 + 1;
        if body_no > m.bodies_recovered {
            return Err(StoreError::Invalid(
                "every body this mission recovered is already a victim record".into(),
            ));
        }
        let sex = match body.sex.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s @ ("male" | "female")) => Some(s.to_owned()),
            Some(_) => return Err(StoreError::Invalid("sex must be male or female".into())),
        };
        if body.age.is_some_and(|a| !(0..=130).contains(&a)) {
            return Err(StoreError::Invalid("age must be between 0 and 130".into()));
        }
        let name = match body.name.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(n) => Some(optional_text(n, "name", 300)?),
        };
        let gaz = builtin_gazetteer();
        let governorate = gaz
            .get_str(&m.area)
            .and_then(|a| gaz.governorate_of(&a.pcode))
            .map(|g| g.pcode.as_str().to_owned());
        let key = format!("mission-{}-body-{body_no}", m.id);
        let day = crate::document_types::Day::from(m.started_at.date()).to_text();
        let row = VictimRow {
            record_key: key.clone(),
            personal: Personal {
                full_name: name.clone(),
                place: (!m.place.is_empty()).then(|| m.place.clone()),
                ..Personal::default()
            },
            sex: sex.clone(),
            age: body.age,
            birth_year: None,
            date_of_death: Some(day.clone()),
            governorate: governorate.clone(),
            status: "unknown".into(),
        };
        // The "file" of this one-row list: what was recorded, sealed by the import.
        let raw = serde_json::json!({
            "record_id": key, "mission": m.id.to_string(), "body_no": body_no,
            "full_name": name, "sex": sex, "age": body.age, "date_of_death": day,
            "governorate": governorate, "place": m.place, "remarks": m.remarks,
        })
        .to_string();
        let list = NewVictimList {
            source: format!("rescue mission: {} {}", m.team, day),
            file_name: format!("{key}.json"),
            raw: raw.into_bytes(),
            mapping: serde_json::json!({}),
            dropped: Vec::new(),
            rows: vec![row],
        };
        let outcome = self.import_victim_list(reconcile_actor(by), &list).await?;
        let Some(record) = self
            .victim_records(by.org, &[outcome.list.id])
            .await?
            .into_iter()
            .find(|r| r.record_key == key)
        else {
            return Err(StoreError::NotFound);
        };
        with_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO rescue_bodies (mission_id, body_no, victim_record_id, org_id, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (mission_id, body_no) DO NOTHING",
            )
            .bind(DbUuid(mission_id))
            .bind(i64::from(body_no))
            .bind(DbUuid(record.id))
            .bind(DbUuid::from(by.org.as_uuid()))
            .bind(by.user.map(|u| DbUuid::from(u.as_uuid())))
            .bind(DbTime::now())
            .execute(pool)
            .await
            .map(|_| ())
        })
        .map_err(|e| on_write(e, "this body is already a victim record", "unknown mission or user"))?;
        self.append_audit(&AuditEntry {
            actor: by.user,
            org: Some(by.org),
            action: "rescue_mission.body_to_victim".into(),
            entity: "rescue_mission".into(),
            entity_id: Some(mission_id.to_string()),
            detail: serde_json::json!({"body_no": body_no, "victim_record": record.id.to_string()}),
        })
        .await?;
        Ok(MissionBody {
            body_no,
            victim_record_id: record.id,
            org_id: by.org,
        })
    }

    /// The bodies of a mission already made victim records, by number.
    pub async fn mission_bodies(&self, mission_id: Uuid) -> Result<Vec<MissionBody>, StoreError> {
        let rows: Vec<(i64, DbUuid, DbUuid)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT body_no, victim_record_id, org_id FROM rescue_bodies WHERE mission_id = $1 ORDER BY body_no",
            )
            .bind(DbUuid(mission_id))
            .fetch_all(pool)
            .await
        })?;
        Ok(rows
            .into_iter()
            .map(|(n, r, o)| MissionBody {
                body_no: u32::try_from(n).unwrap_or(0),
                victim_record_id: r.0,
                org_id: OrgId::from_uuid(o.0),
            })
            .collect())
    }
}
