//! The Reconcile part of the JSON API: the caller's organization's victim lists,
//! linkage runs, persons and estimates, the published claims, and the count for a scope
//! (measure, area, period) as the count page shows it.
//!
//! Scoping is that of the pages: lists, runs, persons and estimates are the caller's
//! organization's only (the store takes the organization); claims are published figures
//! and the count is aggregates, both shared by the network. Names never leave through the
//! API: a person's records carry their list and the list's own record id, so a script can
//! join them to the list it holds, and the names stay on the persons page.

use crate::error::ApiError;
use crate::i18n::Lang;
use crate::nav::Section;
use crate::openapi::{array_of, authed, error_response, ok, schema_ref};
use crate::reconcile::{CountQuery, ScopeProblem};
use crate::session::ApiUser;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sijill_store::reconcile_claims::{Claim, ClaimStatus};
use sijill_store::reconcile_lists::{Estimate, LinkageRun, VictimList};
use std::collections::HashMap;
use uuid::Uuid;

/// The routes, relative to `/api/v1`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/reconcile/lists", get(lists))
        .route("/reconcile/runs", get(runs))
        .route("/reconcile/persons", get(persons))
        .route("/reconcile/estimates", get(estimates))
        .route("/reconcile/claims", get(claims))
        .route("/reconcile/count", get(count))
}

fn allowed(user: &sijill_model::account::User) -> Result<(), ApiError> {
    if Section::Reconcile.allowed(user.role) {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "your role has no access to victim lists, linkage and estimates",
        ))
    }
}

async fn lists(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<VictimList>>, ApiError> {
    allowed(&user)?;
    Ok(Json(
        st.store
            .victim_lists(user.org_id)
            .await
            .map_err(ApiError::internal)?,
    ))
}

async fn runs(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<LinkageRun>>, ApiError> {
    allowed(&user)?;
    Ok(Json(
        st.store
            .linkage_runs(user.org_id)
            .await
            .map_err(ApiError::internal)?,
    ))
}

/// `?run=<id>` (default: the newest finished run).
#[derive(Debug, Deserialize)]
pub struct RunParam {
    run: Option<String>,
}

/// One record of a person.
#[derive(Debug, Serialize)]
pub struct PersonRecord {
    /// The record's stable id.
    pub id: Uuid,
    /// Its list.
    pub list_id: Uuid,
    /// The record's id within its list.
    pub record_key: String,
    /// Its best match probability within the person.
    pub probability: f64,
}

/// A person found by a run.
#[derive(Debug, Serialize)]
pub struct PersonOut {
    /// Stable id.
    pub id: Uuid,
    /// The run's person number (from 1).
    pub number: i64,
    /// Lists it appears on.
    pub lists: Vec<Uuid>,
    /// Governorate of its first record that has one.
    pub governorate: Option<String>,
    /// Earliest day of death.
    pub date_of_death: Option<String>,
    /// Its records.
    pub records: Vec<PersonRecord>,
}

/// `GET /api/v1/reconcile/persons`.
#[derive(Debug, Serialize)]
pub struct Persons {
    /// The run (none before the first finished run).
    pub run: Option<Uuid>,
    /// Its persons, by number.
    pub persons: Vec<PersonOut>,
}

async fn persons(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<RunParam>,
) -> Result<Json<Persons>, ApiError> {
    allowed(&user)?;
    let org = user.org_id;
    let run = match q.run.as_deref().map(str::trim) {
        None | Some("") => st
            .store
            .latest_linkage_run(org)
            .await
            .map_err(ApiError::internal)?
            .map(|r| r.id),
        Some(r) => {
            let id: Uuid = r
                .parse()
                .map_err(|_| ApiError::bad_request("run: expected a run id (UUID)"))?;
            st.store
                .linkage_run(org, id)
                .await
                .map_err(ApiError::internal)?
                .ok_or_else(|| ApiError::not_found("no such linkage run"))?;
            Some(id)
        }
    };
    let Some(run) = run else {
        return Ok(Json(Persons {
            run: None,
            persons: Vec::new(),
        }));
    };
    let members = st
        .store
        .run_memberships(org, run)
        .await
        .map_err(ApiError::internal)?;
    let keys: HashMap<Uuid, String> = st
        .store
        .victim_records(org, &[])
        .await
        .map_err(ApiError::internal)?
        .into_iter()
        .map(|r| (r.id, r.record_key))
        .collect();
    let persons = members
        .into_iter()
        .map(|m| PersonOut {
            id: m.person,
            number: m.label + 1,
            lists: m.lists,
            governorate: m.governorate,
            date_of_death: m.date_of_death,
            records: m
                .records
                .into_iter()
                .map(|(id, list_id, probability)| PersonRecord {
                    id,
                    list_id,
                    record_key: keys.get(&id).cloned().unwrap_or_default(),
                    probability,
                })
                .collect(),
        })
        .collect();
    Ok(Json(Persons {
        run: Some(run),
        persons,
    }))
}

async fn estimates(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<Estimate>>, ApiError> {
    allowed(&user)?;
    Ok(Json(
        st.store
            .estimates(user.org_id)
            .await
            .map_err(ApiError::internal)?,
    ))
}

/// `?measure=&status=`.
#[derive(Debug, Deserialize)]
pub struct ClaimsParam {
    measure: Option<String>,
    status: Option<String>,
}

async fn claims(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ClaimsParam>,
) -> Result<Json<Vec<Claim>>, ApiError> {
    allowed(&user)?;
    let status = match q.status.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => Some(ClaimStatus::parse(s).ok_or_else(|| {
            ApiError::bad_request(
                "status: expected unverified, corroborated, contested or retracted",
            )
        })?),
    };
    let measure = q
        .measure
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty());
    let all = st
        .store
        .claims(None, measure)
        .await
        .map_err(ApiError::internal)?;
    Ok(Json(
        all.into_iter()
            .filter(|c| status.is_none_or(|s| c.fields.status == s))
            .collect(),
    ))
}

async fn count(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<CountQuery>,
) -> Result<Json<Value>, ApiError> {
    allowed(&user)?;
    let (scope, problems) = q.scope(&st.geo);
    if let Some(p) = problems.first() {
        return Err(ApiError::bad_request(match p {
            ScopeProblem::UnknownArea => "area: no area has this name or p-code",
            ScopeProblem::BadDay => "from/to: a day is written YYYY-MM-DD",
        }));
    }
    let data =
        crate::reconcile::count_data(&st, Lang::En.strings(), Some(user.org_id), &scope, false)
            .await
            .map_err(ApiError::internal)?;
    Ok(Json(json!({
        "measure": scope.measure,
        "area": scope.area.as_ref().map(|a| a.as_str().to_owned()),
        "from": scope.from,
        "to": scope.to,
        "estimate_outside_scope": data.estimate_hidden,
        "rows": data.rows,
    })))
}

/// This module's part of the OpenAPI document.
pub fn openapi() -> Value {
    let uuid = json!({"type": "string", "format": "uuid"});
    let time = json!({"type": "string", "format": "date-time"});
    let day = json!({"type": ["string", "null"], "format": "date"});
    let num = json!({"type": ["number", "null"]});
    let forbidden = || error_response("The role has no access to Reconcile.");
    let q = |name: &str, description: &str| {
        json!({"name": name, "in": "query", "required": false, "schema": {"type": "string"},
               "description": description})
    };
    json!({
        "paths": {
            "/api/v1/reconcile/lists": {"get": authed(
                "The caller's organization's victim lists (no records, no names)",
                "reconcileLists",
                json!({"200": ok("Lists, oldest first.", array_of("VictimList")), "403": forbidden()}),
                json!([]))},
            "/api/v1/reconcile/runs": {"get": authed(
                "The caller's organization's linkage runs with their progress and counts",
                "reconcileRuns",
                json!({"200": ok("Runs, newest first.", array_of("LinkageRun")), "403": forbidden()}),
                json!([]))},
            "/api/v1/reconcile/persons": {"get": authed(
                "The persons of a run: their lists and records (list and the list's own record id; names stay on the persons page)",
                "reconcilePersons",
                json!({"200": ok("The run and its persons.", schema_ref("Persons")),
                       "400": error_response("The run is not an id."),
                       "403": forbidden(),
                       "404": error_response("No such run in the caller's organization.")}),
                json!([q("run", "A run id; without it, the newest finished run.")]))},
            "/api/v1/reconcile/estimates": {"get": authed(
                "The caller's organization's estimates with their method, lists, interval and the engine's report",
                "reconcileEstimates",
                json!({"200": ok("Estimates, newest first.", array_of("Estimate")), "403": forbidden()}),
                json!([]))},
            "/api/v1/reconcile/claims": {"get": authed(
                "Published figure claims with their document, claimant, scope, as-of date and status",
                "reconcileClaims",
                json!({"200": ok("Claims by as-of date.", array_of("Claim")),
                       "400": error_response("Unknown status."),
                       "403": forbidden()}),
                json!([q("measure", "A measure code, e.g. killed_civilians."),
                       q("status", "unverified, corroborated, contested or retracted.")]))},
            "/api/v1/reconcile/count": {"get": authed(
                "The count for a scope: every claim in it, the documented unique persons and the estimate (aggregates only)",
                "reconcileCount",
                json!({"200": ok("The scope and its rows.", schema_ref("Count")),
                       "400": error_response("Unknown area or a day not written YYYY-MM-DD."),
                       "403": forbidden()}),
                json!([q("measure", "deaths (every kind, the default), killed, killed_civilians, killed_security or killed_fighters."),
                       q("area", "An area by p-code or name (either script); claims for wider or unnamed areas are left out."),
                       q("from", "First day, YYYY-MM-DD (a claim's as-of day, else the end of its period)."),
                       q("to", "Last day, YYYY-MM-DD.")]))}
        },
        "schemas": {
            "VictimList": {"type": "object", "properties": {
                "id": uuid, "source": {"type": "string"}, "file_name": {"type": "string"},
                "file_sha256": {"type": "string"}, "mapping": {"type": "object"},
                "dropped": {"type": "array", "items": {"type": "string"}},
                "records": {"type": "integer"}, "created_at": time}},
            "LinkageRun": {"type": "object", "properties": {
                "id": uuid, "status": {"type": "string", "enum": ["running", "done", "failed"]},
                "stage": {"type": "string"}, "progress": {"type": "number", "minimum": 0, "maximum": 1},
                "params": {"type": "object"}, "stats": {"type": "object"},
                "error": {"type": ["string", "null"]}, "started_at": time}},
            "Persons": {"type": "object", "properties": {
                "run": {"type": ["string", "null"], "format": "uuid"},
                "persons": {"type": "array", "items": {"type": "object", "properties": {
                    "id": uuid, "number": {"type": "integer"},
                    "lists": {"type": "array", "items": uuid},
                    "governorate": {"type": ["string", "null"]}, "date_of_death": day,
                    "records": {"type": "array", "items": {"type": "object", "properties": {
                        "id": uuid, "list_id": uuid, "record_key": {"type": "string"},
                        "probability": {"type": "number"}}}}}}}}},
            "Estimate": {"type": "object", "properties": {
                "id": uuid, "run_id": uuid, "method": {"type": "string"},
                "stratum_by": {"type": "string", "enum": ["none", "governorate", "period"]},
                "lists": {"type": "array", "items": uuid}, "params": {"type": "object"},
                "observed": {"type": "integer"}, "estimate": {"type": "number"},
                "low": num, "high": num, "model": {"type": "string"},
                "report": {"type": "object"}, "created_at": time}},
            "Claim": {"type": "object", "properties": {
                "id": uuid, "document_id": uuid, "document_title": {"type": "string"},
                "source_name": {"type": "string"}, "value": num, "low": num, "high": num,
                "qualifier": {"type": ["string", "null"], "enum": ["over", "at_least", "nearly", "about", "up_to", "under", "indefinite", null]},
                "measure": {"type": "string"}, "scope_pcode": {"type": ["string", "null"]},
                "period_from": day, "period_to": day, "as_of": day,
                "claimant": {"type": ["string", "null"]}, "quote": {"type": "string"},
                "status": {"type": "string", "enum": ["unverified", "corroborated", "contested", "retracted"]},
                "updated_at": time}},
            "Count": {"type": "object", "properties": {
                "measure": {"type": "string"}, "area": {"type": ["string", "null"]},
                "from": day, "to": day,
                "estimate_outside_scope": {"type": "boolean",
                    "description": "An estimate exists but covers more than this area or period, so it is not among the rows."},
                "rows": {"type": "array", "items": {"type": "object", "properties": {
                    "kind": {"type": "string", "enum": ["claim", "documented", "estimate"]},
                    "id": {"type": "string"}, "claimant": {"type": "string"},
                    "value": num, "low": num, "high": num, "qualifier": {"type": "string"},
                    "measure": {"type": "string"}, "as_of": {"type": "string"},
                    "status": {"type": "string"}, "link": {"type": "string"}}}}}}
        }
    })
}
