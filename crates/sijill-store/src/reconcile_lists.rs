//! Victim lists and what is made of them: the records of each list, linkage runs with
//! the persons they found and the pairs left for review, clerical decisions, estimates.
//!
//! # What is sealed, and why no comparison keys are stored
//!
//! A record's name parts, mother's name and place of death are sealed together as one
//! JSON value (`victim_records.personal:<id>`), and the raw file as imported is sealed
//! whole (`victim_lists.raw:<id>`). Normalized comparison keys (folded names,
//! transliteration keys) are *not* stored, sealed or not: a folded name *is* the name
//! with its spelling smoothed, and a phonetic key over a small name vocabulary is
//! reversed by trying the vocabulary, so an unsealed key would publish the list. Linkage
//! therefore opens the records in memory and lets the engine build its keys there; on
//! one machine this costs seconds per hundred thousand records. Sex, age, birth year,
//! date of death, governorate and status stay plain: they are what estimates are
//! stratified by, and none names a person.
//!
//! Every read and write takes the caller's organization: one organization never sees
//! another's lists, records, persons or estimates.

use crate::db_types::{DbTime, DbUuid};
use crate::error::{StoreError, corrupt, on_write};
use crate::reconcile_claims::{Actor, sha256_hex};
use crate::{Store, with_pool, with_write_tx};
use serde::{Deserialize, Serialize};
use sijill_model::account::OrgId;
use sqlx::Row;
use std::collections::{BTreeMap, HashMap, HashSet};
use time::OffsetDateTime;
use uuid::Uuid;

/// The personal fields of a record, sealed together.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Personal {
    /// The name in one string, when the list gives it so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
    /// Own name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given: Option<String>,
    /// Father's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub father: Option<String>,
    /// Grandfather's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grandfather: Option<String>,
    /// Family name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// Mother's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mother: Option<String>,
    /// Place of death as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
}

impl std::fmt::Debug for Personal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print personal values.
        f.write_str("Personal(…)")
    }
}

impl Personal {
    /// The name as one line: the full name, else the parts joined.
    pub fn display_name(&self) -> String {
        if let Some(n) = &self.full_name {
            return n.clone();
        }
        [&self.given, &self.father, &self.grandfather, &self.family]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// One row of a list, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct VictimRow {
    /// The record's id within its list.
    pub record_key: String,
    /// Its personal fields.
    pub personal: Personal,
    /// `male`, `female` or none.
    pub sex: Option<String>,
    /// Age at death.
    pub age: Option<i64>,
    /// Year of birth.
    pub birth_year: Option<i64>,
    /// Day of death `YYYY-MM-DD`.
    pub date_of_death: Option<String>,
    /// Governorate p-code or name.
    pub governorate: Option<String>,
    /// `civilian`, `combatant`, `security` or `unknown`.
    pub status: String,
}

/// A list to import.
#[derive(Debug, Clone, PartialEq)]
pub struct NewVictimList {
    /// Who compiled it.
    pub source: String,
    /// The file's name.
    pub file_name: String,
    /// The file as received.
    pub raw: Vec<u8>,
    /// How its columns map to fields (`{"column": "field"}`).
    pub mapping: serde_json::Value,
    /// Columns that were dropped (religion, sect, ethnicity, political opinion).
    pub dropped: Vec<String>,
    /// Its rows.
    pub rows: Vec<VictimRow>,
}

/// A stored list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VictimList {
    /// Stable id.
    pub id: Uuid,
    /// Who compiled it.
    pub source: String,
    /// The file's name.
    pub file_name: String,
    /// SHA-256 of the file as received.
    pub file_sha256: String,
    /// The column mapping used.
    pub mapping: serde_json::Value,
    /// Columns dropped on import.
    pub dropped: Vec<String>,
    /// Records imported.
    pub records: i64,
    /// When it was imported.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportOutcome {
    /// The list (new or found).
    pub list: VictimList,
    /// Records added (0 when the file was imported before).
    pub added: u64,
    /// True when the same file had been imported already.
    pub already: bool,
}

/// A stored record, opened.
#[derive(Debug, Clone, PartialEq)]
pub struct VictimRecord {
    /// Stable id.
    pub id: Uuid,
    /// Its list.
    pub list_id: Uuid,
    /// Row number in the file (from 1, after the header).
    pub row_no: i64,
    /// The record's id within its list.
    pub record_key: String,
    /// The fields as parsed.
    pub row: VictimRow,
}

/// Progress and result of a linkage run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkageRun {
    /// Stable id.
    pub id: Uuid,
    /// `running`, `done` or `failed`.
    pub status: String,
    /// The stage being run.
    pub stage: String,
    /// 0 to 1.
    pub progress: f64,
    /// The settings it ran with.
    pub params: serde_json::Value,
    /// What it did (pairs, persons, EM).
    pub stats: serde_json::Value,
    /// Why it failed.
    pub error: Option<String>,
    /// Start.
    #[serde(with = "time::serde::rfc3339")]
    pub started_at: OffsetDateTime,
}

/// One person found by a run: record ids with their probabilities.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonRecords {
    /// The run's person number.
    pub label: i64,
    /// Records and their match probability.
    pub records: Vec<(Uuid, f64)>,
}

/// A pair left for clerical review.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewPair {
    /// First record (the smaller id).
    pub a: Uuid,
    /// Second record.
    pub b: Uuid,
    /// The model's match probability.
    pub probability: f64,
    /// Each field's weight, as JSON (`[{"field", "level", "weight", "tf"}]`).
    pub weights: serde_json::Value,
    /// A decision already taken on it.
    pub decision: Option<Decision>,
}

/// A clerical decision on a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// One person.
    Match,
    /// Two persons.
    NonMatch,
    /// Not decided.
    Unsure,
}

impl Decision {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Match => "match",
            Decision::NonMatch => "non_match",
            Decision::Unsure => "unsure",
        }
    }

    /// Reads a stored or submitted name.
    pub fn parse(s: &str) -> Option<Decision> {
        [Decision::Match, Decision::NonMatch, Decision::Unsure]
            .into_iter()
            .find(|d| d.as_str() == s)
    }
}

/// A person of a run with its list memberships and stratum fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Membership {
    /// The person's id.
    pub person: Uuid,
    /// The run's person number.
    pub label: i64,
    /// Lists it appears on.
    pub lists: Vec<Uuid>,
    /// Governorate of its first record that has one.
    pub governorate: Option<String>,
    /// Earliest date of death.
    pub date_of_death: Option<String>,
    /// Records (id, list, probability).
    pub records: Vec<(Uuid, Uuid, f64)>,
}

/// An estimate to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEstimate {
    /// The run whose persons were counted.
    pub run_id: Uuid,
    /// `loglinear`, `bma`, `lcmcr` or `all`.
    pub method: String,
    /// `none`, `governorate` or `period`.
    pub stratum_by: String,
    /// The lists used.
    pub lists: Vec<Uuid>,
    /// The settings.
    pub params: serde_json::Value,
    /// Persons observed.
    pub observed: i64,
    /// The point estimate quoted.
    pub estimate: f64,
    /// Interval ends (`None` above: unbounded).
    pub low: Option<f64>,
    /// Upper end.
    pub high: Option<f64>,
    /// The model it came from.
    pub model: String,
    /// The engine's full report.
    pub report: serde_json::Value,
}

/// A stored estimate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimate {
    /// Stable id.
    pub id: Uuid,
    /// The run.
    pub run_id: Uuid,
    /// Method.
    pub method: String,
    /// Stratification.
    pub stratum_by: String,
    /// Lists used.
    pub lists: Vec<Uuid>,
    /// Settings.
    pub params: serde_json::Value,
    /// Observed persons.
    pub observed: i64,
    /// Point estimate.
    pub estimate: f64,
    /// Lower end.
    pub low: Option<f64>,
    /// Upper end.
    pub high: Option<f64>,
    /// Model.
    pub model: String,
    /// Full report.
    pub report: serde_json::Value,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

const STATUSES: [&str; 4] = ["civilian", "combatant", "security", "unknown"];

fn ordered(a: Uuid, b: Uuid) -> (Uuid, Uuid) {
    if a <= b { (a, b) } else { (b, a) }
}

fn json_text(v: &impl Serialize) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

fn json_of(s: &str, what: &str) -> Result<serde_json::Value, StoreError> {
    serde_json::from_str(s).map_err(|_| corrupt(what))
}

macro_rules! list_from_row {
    ($r:expr) => {{
        let r = $r;
        let id: DbUuid = r.try_get(0)?;
        let mapping: String = r.try_get(4)?;
        let dropped: String = r.try_get(5)?;
        let created: DbTime = r.try_get(7)?;
        Ok::<_, StoreError>(VictimList {
            id: id.0,
            source: r.try_get(1)?,
            file_name: r.try_get(2)?,
            file_sha256: r.try_get(3)?,
            mapping: json_of(&mapping, "column mapping")?,
            dropped: serde_json::from_str(&dropped).map_err(|_| corrupt("dropped columns"))?,
            records: r.try_get(6)?,
            created_at: created.get(),
        })
    }};
}

const LIST_COLUMNS: &str =
    "id, source, file_name, file_sha256, mapping, dropped, records, created_at";

macro_rules! run_from_row {
    ($r:expr) => {{
        let r = $r;
        let id: DbUuid = r.try_get(0)?;
        let params: String = r.try_get(4)?;
        let stats: String = r.try_get(5)?;
        let started: DbTime = r.try_get(7)?;
        Ok::<_, StoreError>(LinkageRun {
            id: id.0,
            status: r.try_get(1)?,
            stage: r.try_get(2)?,
            progress: r.try_get(3)?,
            params: json_of(&params, "linkage settings")?,
            stats: json_of(&stats, "linkage statistics")?,
            error: r.try_get(6)?,
            started_at: started.get(),
        })
    }};
}

const RUN_COLUMNS: &str = "id, status, stage, progress, params, stats, error, started_at";

macro_rules! estimate_from_row {
    ($r:expr) => {{
        let r = $r;
        let id: DbUuid = r.try_get(0)?;
        let run: DbUuid = r.try_get(1)?;
        let lists: String = r.try_get(4)?;
        let params: String = r.try_get(5)?;
        let report: String = r.try_get(11)?;
        let created: DbTime = r.try_get(12)?;
        Ok::<_, StoreError>(Estimate {
            id: id.0,
            run_id: run.0,
            method: r.try_get(2)?,
            stratum_by: r.try_get(3)?,
            lists: serde_json::from_str(&lists).map_err(|_| corrupt("estimate lists"))?,
            params: json_of(&params, "estimate settings")?,
            observed: r.try_get(6)?,
            estimate: r.try_get(7)?,
            low: r.try_get(8)?,
            high: r.try_get(9)?,
            model: r.try_get(10)?,
            report: json_of(&report, "estimate report")?,
            created_at: created.get(),
        })
    }};
}

const ESTIMATE_COLUMNS: &str = "id, run_id, method, stratum_by, lists, params, observed, estimate, low, high, model, report, created_at";

impl Store {
    /// Imports a list in one transaction: all its records or nothing. The same file
    /// (by SHA-256) imported again by the same organization adds nothing and returns the
    /// stored list. Needs the keyring (names are sealed).
    pub async fn import_victim_list(
        &self,
        by: Actor,
        new: &NewVictimList,
    ) -> Result<ImportOutcome, StoreError> {
        let org = by.org;
        let sha = sha256_hex(&new.raw);
        if let Some(list) = self.victim_list_by_sha(org, &sha).await? {
            return Ok(ImportOutcome {
                list,
                added: 0,
                already: true,
            });
        }
        if new.source.trim().is_empty() {
            return Err(StoreError::Invalid("the list needs a source name".into()));
        }
        let mut seen = HashSet::new();
        for (i, r) in new.rows.iter().enumerate() {
            if r.record_key.trim().is_empty() {
                return Err(StoreError::Invalid(format!(
                    "row {} has no record id",
                    i + 1
                )));
            }
            if !seen.insert(r.record_key.as_str()) {
                return Err(StoreError::Invalid(format!(
                    "row {}: the record id is used twice in this list",
                    i + 1
                )));
            }
            if !STATUSES.contains(&r.status.as_str()) {
                return Err(StoreError::Invalid(format!(
                    "row {}: status must be civilian, combatant, security or unknown",
                    i + 1
                )));
            }
        }
        let id = Uuid::now_v7();
        let raw_text = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &new.raw);
        let raw_sealed = self.seal(&format!("victim_lists.raw:{id}"), &raw_text)?;
        let mut sealed = Vec::with_capacity(new.rows.len());
        for _ in &new.rows {
            sealed.push(Uuid::now_v7());
        }
        let personal: Vec<String> = sealed
            .iter()
            .zip(&new.rows)
            .map(|(rid, r)| {
                self.seal(
                    &format!("victim_records.personal:{rid}"),
                    &json_text(&r.personal),
                )
            })
            .collect::<Result<_, _>>()?;
        let now = DbTime::now();
        with_write_tx!(self, |tx| {
            sqlx::query(
                "INSERT INTO victim_lists (id, org_id, source, file_name, file_sha256, raw_sealed, mapping, dropped, records, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(DbUuid(id))
            .bind(DbUuid::from(org.as_uuid()))
            .bind(new.source.trim())
            .bind(&new.file_name)
            .bind(&sha)
            .bind(&raw_sealed)
            .bind(json_text(&new.mapping))
            .bind(json_text(&new.dropped))
            .bind(new.rows.len() as i64)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(|e| on_write(e, "this file was imported already", "the organization does not exist"))?;
            for (i, ((rid, r), p)) in sealed.iter().zip(&new.rows).zip(&personal).enumerate() {
                sqlx::query(
                    "INSERT INTO victim_records (id, list_id, row_no, record_key, personal_sealed, sex, age, birth_year, date_of_death, governorate, status) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                )
                .bind(DbUuid(*rid))
                .bind(DbUuid(id))
                .bind(i as i64 + 1)
                .bind(r.record_key.trim())
                .bind(p)
                .bind(&r.sex)
                .bind(r.age)
                .bind(r.birth_year)
                .bind(&r.date_of_death)
                .bind(&r.governorate)
                .bind(&r.status)
                .execute(&mut *tx)
                .await
                .map_err(|e| on_write(e, "a record id is used twice in this list", "invalid record"))?;
            }
            tx.commit().await?;
        });
        self.audit(
            by,
            "victim_list.import",
            "victim_list",
            id,
            serde_json::json!({"records": new.rows.len(), "sha256": sha, "dropped": new.dropped}),
        )
        .await?;
        let list = self
            .victim_list(org, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(ImportOutcome {
            list,
            added: new.rows.len() as u64,
            already: false,
        })
    }

    async fn victim_list_by_sha(
        &self,
        org: OrgId,
        sha: &str,
    ) -> Result<Option<VictimList>, StoreError> {
        let sql = format!(
            "SELECT {LIST_COLUMNS} FROM victim_lists WHERE org_id = $1 AND file_sha256 = $2"
        );
        with_pool!(self, |pool| {
            let row = sqlx::query(&sql)
                .bind(DbUuid::from(org.as_uuid()))
                .bind(sha)
                .fetch_optional(pool)
                .await?;
            match row {
                Some(r) => list_from_row!(&r).map(Some),
                None => Ok(None),
            }
        })
    }

    /// One list of this organization.
    pub async fn victim_list(
        &self,
        org: OrgId,
        id: Uuid,
    ) -> Result<Option<VictimList>, StoreError> {
        let sql = format!("SELECT {LIST_COLUMNS} FROM victim_lists WHERE org_id = $1 AND id = $2");
        with_pool!(self, |pool| {
            let row = sqlx::query(&sql)
                .bind(DbUuid::from(org.as_uuid()))
                .bind(DbUuid(id))
                .fetch_optional(pool)
                .await?;
            match row {
                Some(r) => list_from_row!(&r).map(Some),
                None => Ok(None),
            }
        })
    }

    /// The lists of this organization, oldest first.
    pub async fn victim_lists(&self, org: OrgId) -> Result<Vec<VictimList>, StoreError> {
        let sql = format!(
            "SELECT {LIST_COLUMNS} FROM victim_lists WHERE org_id = $1 ORDER BY created_at, id"
        );
        with_pool!(self, |pool| {
            let rows = sqlx::query(&sql)
                .bind(DbUuid::from(org.as_uuid()))
                .fetch_all(pool)
                .await?;
            rows.iter()
                .map(|r| list_from_row!(r))
                .collect::<Result<Vec<_>, StoreError>>()
        })
    }

    /// The column mapping of the newest list this organization imported from `source`
    /// (`{"column": "field"}`): the mapping saved for that source, offered again on its
    /// next import. Names are compared as written, after trimming.
    pub async fn source_mapping(
        &self,
        org: OrgId,
        source: &str,
    ) -> Result<Option<std::collections::BTreeMap<String, String>>, StoreError> {
        let text: Option<String> = with_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT mapping FROM victim_lists WHERE org_id = $1 AND source = $2 \
                 ORDER BY created_at DESC, id DESC LIMIT 1",
            )
            .bind(DbUuid::from(org.as_uuid()))
            .bind(source.trim())
            .fetch_optional(pool)
            .await
        })?;
        match text {
            None => Ok(None),
            Some(t) => {
                let m: std::collections::BTreeMap<String, String> =
                    serde_json::from_str(&t).map_err(|_| corrupt("column mapping"))?;
                Ok((!m.is_empty()).then_some(m))
            }
        }
    }

    /// The raw file of a list, opened.
    pub async fn victim_list_raw(&self, org: OrgId, id: Uuid) -> Result<Vec<u8>, StoreError> {
        let sealed: Option<String> = with_pool!(self, |pool| {
            sqlx::query_scalar("SELECT raw_sealed FROM victim_lists WHERE org_id = $1 AND id = $2")
                .bind(DbUuid::from(org.as_uuid()))
                .bind(DbUuid(id))
                .fetch_optional(pool)
                .await
        })?;
        let sealed = sealed.ok_or(StoreError::NotFound)?;
        let text = self.unseal(&format!("victim_lists.raw:{id}"), &sealed)?;
        base64::Engine::decode(&base64::engine::general_purpose::STANDARD, text)
            .map_err(|_| corrupt("raw file"))
    }

    /// The records of this organization's lists (all lists when `lists` is empty),
    /// opened, by list and row. Needs the keyring.
    pub async fn victim_records(
        &self,
        org: OrgId,
        lists: &[Uuid],
    ) -> Result<Vec<VictimRecord>, StoreError> {
        let sql = "SELECT r.id, r.list_id, r.row_no, r.record_key, r.personal_sealed, r.sex, r.age, r.birth_year, \
                   r.date_of_death, r.governorate, r.status FROM victim_records r \
                   JOIN victim_lists l ON l.id = r.list_id WHERE l.org_id = $1 \
                   ORDER BY l.created_at, l.id, r.row_no";
        type Raw = (
            Uuid,
            Uuid,
            i64,
            String,
            String,
            Option<String>,
            Option<i64>,
            Option<i64>,
            Option<String>,
            Option<String>,
            String,
        );
        let rows: Vec<Raw> = with_pool!(self, |pool| {
            let rows = sqlx::query(sql)
                .bind(DbUuid::from(org.as_uuid()))
                .fetch_all(pool)
                .await?;
            rows.iter()
                .map(|r| {
                    let id: DbUuid = r.try_get(0)?;
                    let list: DbUuid = r.try_get(1)?;
                    Ok((
                        id.0,
                        list.0,
                        r.try_get(2)?,
                        r.try_get(3)?,
                        r.try_get(4)?,
                        r.try_get(5)?,
                        r.try_get(6)?,
                        r.try_get(7)?,
                        r.try_get(8)?,
                        r.try_get(9)?,
                        r.try_get(10)?,
                    ))
                })
                .collect::<Result<Vec<_>, StoreError>>()
        })?;
        let want: HashSet<Uuid> = lists.iter().copied().collect();
        rows.into_iter()
            .filter(|r| want.is_empty() || want.contains(&r.1))
            .map(
                |(id, list_id, row_no, key, sealed, sex, age, birth_year, dod, gov, status)| {
                    let text = self.unseal(&format!("victim_records.personal:{id}"), &sealed)?;
                    let personal: Personal =
                        serde_json::from_str(&text).map_err(|_| corrupt("victim record"))?;
                    Ok(VictimRecord {
                        id,
                        list_id,
                        row_no,
                        record_key: key.clone(),
                        row: VictimRow {
                            record_key: key,
                            personal,
                            sex,
                            age,
                            birth_year,
                            date_of_death: dod,
                            governorate: gov,
                            status,
                        },
                    })
                },
            )
            .collect()
    }

    /// Starts a linkage run (status `running`).
    pub async fn start_linkage_run(
        &self,
        by: Actor,
        params: &serde_json::Value,
    ) -> Result<LinkageRun, StoreError> {
        let id = Uuid::now_v7();
        with_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO linkage_runs (id, org_id, status, stage, progress, params, stats, started_at) \
                 VALUES ($1, $2, 'running', 'queued', 0, $3, '{}', $4)",
            )
            .bind(DbUuid(id))
            .bind(DbUuid::from(by.org.as_uuid()))
            .bind(json_text(params))
            .bind(DbTime::now())
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        self.audit(
            by,
            "linkage_run.start",
            "linkage_run",
            id,
            serde_json::json!({}),
        )
        .await?;
        self.linkage_run(by.org, id)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Records how far a running run is.
    pub async fn set_linkage_progress(
        &self,
        run: Uuid,
        stage: &str,
        progress: f64,
    ) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE linkage_runs SET stage = $2, progress = $3 WHERE id = $1 AND status = 'running'",
            )
            .bind(DbUuid(run))
            .bind(stage)
            .bind(progress.clamp(0.0, 1.0))
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Marks a run failed with a reason safe to show.
    pub async fn fail_linkage_run(&self, run: Uuid, reason: &str) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE linkage_runs SET status = 'failed', error = $2, finished_at = $3 WHERE id = $1",
            )
            .bind(DbUuid(run))
            .bind(reason)
            .bind(DbTime::now())
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Stores a run's persons and review pairs and marks it done, in one transaction.
    pub async fn finish_linkage_run(
        &self,
        by: Actor,
        run: Uuid,
        stats: &serde_json::Value,
        persons: &[PersonRecords],
        review: &[ReviewPair],
    ) -> Result<(), StoreError> {
        let now = DbTime::now();
        with_write_tx!(self, |tx| {
            let owner: Option<DbUuid> = sqlx::query_scalar(
                "SELECT org_id FROM linkage_runs WHERE id = $1 AND status = 'running'",
            )
            .bind(DbUuid(run))
            .fetch_optional(&mut *tx)
            .await?;
            if owner.map(|o| o.0) != Some(by.org.as_uuid()) {
                return Err(StoreError::NotFound);
            }
            for p in persons {
                let pid = Uuid::now_v7();
                sqlx::query("INSERT INTO persons (id, run_id, label) VALUES ($1, $2, $3)")
                    .bind(DbUuid(pid))
                    .bind(DbUuid(run))
                    .bind(p.label)
                    .execute(&mut *tx)
                    .await?;
                for (rid, prob) in &p.records {
                    sqlx::query(
                        "INSERT INTO person_records (run_id, person_id, record_id, probability) VALUES ($1, $2, $3, $4)",
                    )
                    .bind(DbUuid(run))
                    .bind(DbUuid(pid))
                    .bind(DbUuid(*rid))
                    .bind(*prob)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| on_write(e, "a record is in two persons", "a record does not exist"))?;
                }
            }
            for p in review {
                let (a, b) = ordered(p.a, p.b);
                sqlx::query(
                    "INSERT INTO review_pairs (run_id, record_a, record_b, probability, weights) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(DbUuid(run))
                .bind(DbUuid(a))
                .bind(DbUuid(b))
                .bind(p.probability)
                .bind(json_text(&p.weights))
                .execute(&mut *tx)
                .await
                .map_err(|e| on_write(e, "a pair is listed twice", "a record does not exist"))?;
            }
            sqlx::query(
                "UPDATE linkage_runs SET status = 'done', stage = 'done', progress = 1, stats = $2, finished_at = $3 WHERE id = $1",
            )
            .bind(DbUuid(run))
            .bind(json_text(stats))
            .bind(now)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
        });
        self.audit(
            by,
            "linkage_run.finish",
            "linkage_run",
            run,
            serde_json::json!({"persons": persons.len(), "review_pairs": review.len()}),
        )
        .await
    }

    /// One run of this organization.
    pub async fn linkage_run(
        &self,
        org: OrgId,
        id: Uuid,
    ) -> Result<Option<LinkageRun>, StoreError> {
        let sql = format!("SELECT {RUN_COLUMNS} FROM linkage_runs WHERE org_id = $1 AND id = $2");
        with_pool!(self, |pool| {
            let row = sqlx::query(&sql)
                .bind(DbUuid::from(org.as_uuid()))
                .bind(DbUuid(id))
                .fetch_optional(pool)
                .await?;
            match row {
                Some(r) => run_from_row!(&r).map(Some),
                None => Ok(None),
            }
        })
    }

    /// The runs of this organization, newest first.
    pub async fn linkage_runs(&self, org: OrgId) -> Result<Vec<LinkageRun>, StoreError> {
        let sql = format!(
            "SELECT {RUN_COLUMNS} FROM linkage_runs WHERE org_id = $1 ORDER BY started_at DESC, id DESC"
        );
        with_pool!(self, |pool| {
            let rows = sqlx::query(&sql)
                .bind(DbUuid::from(org.as_uuid()))
                .fetch_all(pool)
                .await?;
            rows.iter()
                .map(|r| run_from_row!(r))
                .collect::<Result<Vec<_>, StoreError>>()
        })
    }

    /// The newest finished run of this organization.
    pub async fn latest_linkage_run(&self, org: OrgId) -> Result<Option<LinkageRun>, StoreError> {
        Ok(self
            .linkage_runs(org)
            .await?
            .into_iter()
            .find(|r| r.status == "done"))
    }

    /// The persons of a run with their lists, by person number.
    pub async fn run_memberships(
        &self,
        org: OrgId,
        run: Uuid,
    ) -> Result<Vec<Membership>, StoreError> {
        type MemberRow = (
            DbUuid,
            i64,
            DbUuid,
            DbUuid,
            f64,
            Option<String>,
            Option<String>,
        );
        let rows: Vec<MemberRow> = with_pool!(self, |pool| {
            sqlx::query_as(
                    "SELECT p.id, p.label, pr.record_id, r.list_id, pr.probability, r.governorate, r.date_of_death \
                     FROM persons p JOIN linkage_runs lr ON lr.id = p.run_id \
                     JOIN person_records pr ON pr.person_id = p.id \
                     JOIN victim_records r ON r.id = pr.record_id \
                     WHERE lr.org_id = $1 AND p.run_id = $2 ORDER BY p.label, r.row_no",
                )
                .bind(DbUuid::from(org.as_uuid()))
                .bind(DbUuid(run))
                .fetch_all(pool)
                .await
        })?;
        let mut out: Vec<Membership> = Vec::new();
        for (pid, label, rid, lid, prob, gov, dod) in rows {
            if out.last().map(|m| m.person) != Some(pid.0) {
                out.push(Membership {
                    person: pid.0,
                    label,
                    lists: Vec::new(),
                    governorate: None,
                    date_of_death: None,
                    records: Vec::new(),
                });
            }
            let Some(m) = out.last_mut() else { continue };
            if !m.lists.contains(&lid.0) {
                m.lists.push(lid.0);
            }
            if m.governorate.is_none() {
                m.governorate = gov;
            }
            if let Some(d) = dod
                && m.date_of_death.as_ref().is_none_or(|x| *x > d)
            {
                m.date_of_death = Some(d);
            }
            m.records.push((rid.0, lid.0, prob));
        }
        Ok(out)
    }

    /// The review queue of a run: its uncertain pairs, least certain first, with any
    /// decision already taken on each.
    pub async fn review_pairs(&self, org: OrgId, run: Uuid) -> Result<Vec<ReviewPair>, StoreError> {
        let rows: Vec<(DbUuid, DbUuid, f64, String, Option<String>)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT rp.record_a, rp.record_b, rp.probability, rp.weights, d.decision \
                 FROM review_pairs rp JOIN linkage_runs lr ON lr.id = rp.run_id \
                 LEFT JOIN clerical_decisions d ON d.org_id = lr.org_id AND d.record_a = rp.record_a AND d.record_b = rp.record_b \
                 WHERE lr.org_id = $1 AND rp.run_id = $2 \
                 ORDER BY ABS(rp.probability - 0.5), rp.record_a, rp.record_b",
            )
            .bind(DbUuid::from(org.as_uuid()))
            .bind(DbUuid(run))
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter()
            .map(|(a, b, probability, weights, d)| {
                Ok(ReviewPair {
                    a: a.0,
                    b: b.0,
                    probability,
                    weights: json_of(&weights, "pair weights")?,
                    decision: d.as_deref().and_then(Decision::parse),
                })
            })
            .collect()
    }

    /// Records (or replaces) a clerical decision on a pair of this organization's
    /// records; the next linkage run uses it.
    pub async fn decide_pair(
        &self,
        by: Actor,
        a: Uuid,
        b: Uuid,
        decision: Decision,
    ) -> Result<(), StoreError> {
        let (a, b) = ordered(a, b);
        if a == b {
            return Err(StoreError::Invalid("a pair needs two records".into()));
        }
        with_write_tx!(self, |tx| {
            let mine: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM victim_records r JOIN victim_lists l ON l.id = r.list_id \
                 WHERE l.org_id = $1 AND r.id IN ($2, $3)",
            )
            .bind(DbUuid::from(by.org.as_uuid()))
            .bind(DbUuid(a))
            .bind(DbUuid(b))
            .fetch_one(&mut *tx)
            .await?;
            if mine != 2 {
                return Err(StoreError::NotFound);
            }
            sqlx::query(
                "INSERT INTO clerical_decisions (org_id, record_a, record_b, decision, decided_by, decided_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (org_id, record_a, record_b) DO UPDATE SET decision = $4, decided_by = $5, decided_at = $6",
            )
            .bind(DbUuid::from(by.org.as_uuid()))
            .bind(DbUuid(a))
            .bind(DbUuid(b))
            .bind(decision.as_str())
            .bind(by.user.map(|u| DbUuid::from(u.as_uuid())))
            .bind(DbTime::now())
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
        });
        self.audit(
            by,
            "clerical_decision.set",
            "victim_record_pair",
            a,
            serde_json::json!({"other": b.to_string(), "decision": decision.as_str()}),
        )
        .await
    }

    /// Every clerical decision of this organization: `(a, b, decision)` with `a < b`.
    pub async fn clerical_decisions(
        &self,
        org: OrgId,
    ) -> Result<Vec<(Uuid, Uuid, Decision)>, StoreError> {
        let rows: Vec<(DbUuid, DbUuid, String)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT record_a, record_b, decision FROM clerical_decisions WHERE org_id = $1 ORDER BY record_a, record_b",
            )
            .bind(DbUuid::from(org.as_uuid()))
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter()
            .map(|(a, b, d)| {
                Ok((
                    a.0,
                    b.0,
                    Decision::parse(&d).ok_or_else(|| corrupt("decision"))?,
                ))
            })
            .collect()
    }

    /// Stores an estimate with its parameters.
    pub async fn save_estimate(&self, by: Actor, e: &NewEstimate) -> Result<Estimate, StoreError> {
        if self.linkage_run(by.org, e.run_id).await?.is_none() {
            return Err(StoreError::NotFound);
        }
        let id = Uuid::now_v7();
        with_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO estimates (id, org_id, run_id, method, stratum_by, lists, params, observed, estimate, low, high, model, report, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
            )
            .bind(DbUuid(id))
            .bind(DbUuid::from(by.org.as_uuid()))
            .bind(DbUuid(e.run_id))
            .bind(&e.method)
            .bind(&e.stratum_by)
            .bind(json_text(&e.lists))
            .bind(json_text(&e.params))
            .bind(e.observed)
            .bind(e.estimate)
            .bind(e.low)
            .bind(e.high)
            .bind(&e.model)
            .bind(json_text(&e.report))
            .bind(DbTime::now())
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        self.audit(
            by,
            "estimate.create",
            "estimate",
            id,
            serde_json::json!({"method": e.method, "stratum_by": e.stratum_by}),
        )
        .await?;
        self.estimate(by.org, id).await?.ok_or(StoreError::NotFound)
    }

    /// One estimate of this organization.
    pub async fn estimate(&self, org: OrgId, id: Uuid) -> Result<Option<Estimate>, StoreError> {
        let sql = format!("SELECT {ESTIMATE_COLUMNS} FROM estimates WHERE org_id = $1 AND id = $2");
        with_pool!(self, |pool| {
            let row = sqlx::query(&sql)
                .bind(DbUuid::from(org.as_uuid()))
                .bind(DbUuid(id))
                .fetch_optional(pool)
                .await?;
            match row {
                Some(r) => estimate_from_row!(&r).map(Some),
                None => Ok(None),
            }
        })
    }

    /// The estimates of this organization, newest first.
    pub async fn estimates(&self, org: OrgId) -> Result<Vec<Estimate>, StoreError> {
        let sql = format!(
            "SELECT {ESTIMATE_COLUMNS} FROM estimates WHERE org_id = $1 ORDER BY created_at DESC, id DESC"
        );
        with_pool!(self, |pool| {
            let rows = sqlx::query(&sql)
                .bind(DbUuid::from(org.as_uuid()))
                .fetch_all(pool)
                .await?;
            rows.iter()
                .map(|r| estimate_from_row!(r))
                .collect::<Result<Vec<_>, StoreError>>()
        })
    }

    /// The newest estimate of every organization with its run's documented persons:
    /// aggregates only, for the public count page. `(estimate, documented persons)`.
    pub async fn public_estimates(&self) -> Result<Vec<(Estimate, i64)>, StoreError> {
        let sql = format!(
            "SELECT {ESTIMATE_COLUMNS}, org_id FROM estimates ORDER BY created_at DESC, id DESC"
        );
        let all: Vec<(Estimate, Uuid)> = with_pool!(self, |pool| {
            let rows = sqlx::query(&sql).fetch_all(pool).await?;
            rows.iter()
                .map(|r| {
                    let org: DbUuid = r.try_get(13)?;
                    Ok((estimate_from_row!(r)?, org.0))
                })
                .collect::<Result<Vec<_>, StoreError>>()
        })?;
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for (e, org) in all {
            if seen.insert(org) {
                let n = self.documented_persons(e.run_id).await?;
                out.push((e, n));
            }
        }
        Ok(out)
    }

    /// Per person of a run, the governorate of its first record that has one and its
    /// earliest date of death: what the count needs to narrow the documented persons to
    /// an area and a period (no names, no list membership; public aggregates use it).
    pub async fn run_person_facets(
        &self,
        run: Uuid,
    ) -> Result<Vec<(Option<String>, Option<String>)>, StoreError> {
        let rows: Vec<(DbUuid, Option<String>, Option<String>)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT p.id, r.governorate, r.date_of_death FROM persons p \
                 JOIN person_records pr ON pr.person_id = p.id \
                 JOIN victim_records r ON r.id = pr.record_id \
                 WHERE p.run_id = $1 ORDER BY p.label, r.row_no",
            )
            .bind(DbUuid(run))
            .fetch_all(pool)
            .await
        })?;
        let mut out: Vec<(Option<String>, Option<String>)> = Vec::new();
        let mut last: Option<Uuid> = None;
        for (pid, gov, dod) in rows {
            if last != Some(pid.0) {
                last = Some(pid.0);
                out.push((None, None));
            }
            let Some(f) = out.last_mut() else { continue };
            if f.0.is_none() {
                f.0 = gov;
            }
            if let Some(d) = dod
                && f.1.as_ref().is_none_or(|x| *x > d)
            {
                f.1 = Some(d);
            }
        }
        Ok(out)
    }

    /// How many persons a run found (an aggregate; no names).
    pub async fn documented_persons(&self, run: Uuid) -> Result<i64, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_scalar("SELECT COUNT(*) FROM persons WHERE run_id = $1")
                .bind(DbUuid(run))
                .fetch_one(pool)
                .await
        })?)
    }
}

/// Capture histories of a run's persons over `lists`, per stratum: `stratum label →
/// (bit mask over lists → count)`. Persons on none of the lists are left out; the
/// stratum is `all`, the governorate, or the month (`YYYY-MM`) of death, `unknown` when
/// absent.
pub fn capture_histories(
    persons: &[Membership],
    lists: &[Uuid],
    stratum_by: &str,
) -> BTreeMap<String, BTreeMap<u32, u64>> {
    let index: HashMap<Uuid, usize> = lists.iter().enumerate().map(|(i, l)| (*l, i)).collect();
    let mut out: BTreeMap<String, BTreeMap<u32, u64>> = BTreeMap::new();
    for p in persons {
        let mask = p
            .lists
            .iter()
            .filter_map(|l| index.get(l))
            .fold(0u32, |m, &i| m | (1 << i));
        if mask == 0 {
            continue;
        }
        let stratum = match stratum_by {
            "governorate" => p.governorate.clone().unwrap_or_else(|| "unknown".into()),
            "period" => p
                .date_of_death
                .as_deref()
                .and_then(|d| d.get(..7))
                .map_or_else(|| "unknown".into(), str::to_owned),
            _ => "all".into(),
        };
        *out.entry(stratum).or_default().entry(mask).or_default() += 1;
    }
    out
}
