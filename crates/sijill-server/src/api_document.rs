//! The Document part of the JSON API: incidents with each source's account, evidence
//! metadata with its custody log (never the file), rescue missions and their daily
//! tallies, displacement sites and their reports, and testimony metadata.
//!
//! Testimonies are listed only within the caller's scope (its organization's and those
//! shared with it, through the store's scoped read) and only as metadata: consent,
//! organization, dates — never the content or the interviewer. Viewers, who read
//! aggregates only on the pages, get no testimony metadata either.

use crate::error::ApiError;
use crate::nav::Section;
use crate::openapi::{array_of, authed, error_response, ok, schema_ref};
use crate::session::ApiUser;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sijill_model::account::{OrgId, Role, User};
use sijill_store::document_evidence::{CustodyRecord, Evidence};
use sijill_store::document_field::{DailyTally, RescueMission, Site, SiteReport};
use sijill_store::document_incident::{Incident, IncidentFilter};
use sijill_store::document_types::{ConsentScope, Day, EventType};
use uuid::Uuid;

/// The routes, relative to `/api/v1`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/document/incidents", get(incidents))
        .route("/document/evidence", get(evidence))
        .route("/document/custody", get(custody))
        .route("/document/rescue/missions", get(missions))
        .route("/document/rescue/daily", get(daily))
        .route("/document/displacement/sites", get(sites))
        .route("/document/displacement/reports", get(reports))
        .route("/document/testimonies", get(testimonies))
}

fn allowed(user: &User) -> Result<(), ApiError> {
    if Section::Document.allowed(user.role) {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "your role has no access to documentation",
        ))
    }
}

fn internal(e: sijill_store::StoreError) -> ApiError {
    ApiError::internal(e)
}

/// `?id=&area=&event_type=&from=&to=`.
#[derive(Debug, Deserialize, Default)]
pub struct IncidentQuery {
    id: Option<String>,
    area: Option<String>,
    event_type: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

fn day(s: &Option<String>, what: &str) -> Result<Option<Day>, ApiError> {
    match s.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(d) => Day::parse(d)
            .map(Some)
            .map_err(|_| ApiError::bad_request(format!("{what}: expected YYYY-MM-DD"))),
    }
}

async fn incidents(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<IncidentQuery>,
) -> Result<Json<Vec<Incident>>, ApiError> {
    allowed(&user)?;
    let event_type = match q.event_type.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(e) => Some(e.parse::<EventType>().map_err(|_| {
            ApiError::bad_request("event_type: expected an ACLED event type such as battles")
        })?),
    };
    let filter = IncidentFilter {
        area: q.area.filter(|a| !a.trim().is_empty()),
        event_type,
        from: day(&q.from, "from")?,
        to: day(&q.to, "to")?,
    };
    if let Some(id) = q.id.as_deref().filter(|i| !i.trim().is_empty()) {
        let id = uuid(id)?;
        return match state.store.incident(id).await.map_err(internal)? {
            Some(i) => Ok(Json(vec![i])),
            None => Err(ApiError::not_found("no such incident")),
        };
    }
    Ok(Json(
        state
            .store
            .list_incidents(&filter)
            .await
            .map_err(internal)?,
    ))
}

fn uuid(s: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(s.trim()).map_err(|_| ApiError::bad_request("id: expected a UUID"))
}

/// `?incident=<id>`.
#[derive(Debug, Deserialize)]
pub struct EvidenceQuery {
    incident: Option<String>,
}

async fn evidence(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<EvidenceQuery>,
) -> Result<Json<Vec<Evidence>>, ApiError> {
    allowed(&user)?;
    let incident = match q.incident.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(i) => Some(uuid(i)?),
    };
    Ok(Json(
        state
            .store
            .list_evidence(incident)
            .await
            .map_err(internal)?,
    ))
}

/// `?evidence=<id>`.
#[derive(Debug, Deserialize)]
pub struct CustodyQuery {
    evidence: Option<String>,
}

async fn custody(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<CustodyQuery>,
) -> Result<Json<Vec<CustodyRecord>>, ApiError> {
    allowed(&user)?;
    let evidence = match q.evidence.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(e) => {
            let id = uuid(e)?;
            if state.store.evidence(id).await.map_err(internal)?.is_none() {
                return Err(ApiError::not_found("no such evidence"));
            }
            Some(id)
        }
    };
    Ok(Json(
        state.store.custody_log(evidence).await.map_err(internal)?,
    ))
}

async fn missions(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<RescueMission>>, ApiError> {
    allowed(&user)?;
    Ok(Json(
        state.store.list_rescue_missions().await.map_err(internal)?,
    ))
}

async fn daily(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<DailyTally>>, ApiError> {
    allowed(&user)?;
    Ok(Json(
        state.store.rescue_daily_tallies().await.map_err(internal)?,
    ))
}

async fn sites(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<Site>>, ApiError> {
    allowed(&user)?;
    Ok(Json(state.store.list_sites().await.map_err(internal)?))
}

/// `?site=<id>`.
#[derive(Debug, Deserialize)]
pub struct SiteQuery {
    site: Option<String>,
}

async fn reports(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<SiteQuery>,
) -> Result<Json<Vec<SiteReport>>, ApiError> {
    allowed(&user)?;
    let site = match q.site.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => Some(uuid(s)?),
    };
    Ok(Json(
        state.store.site_reports(site).await.map_err(internal)?,
    ))
}

/// A testimony as the API shows it: metadata only, never the content.
#[derive(Debug, Serialize)]
pub struct TestimonyMeta {
    /// Id.
    pub id: Uuid,
    /// The recording organization.
    pub org_id: OrgId,
    /// The incident.
    pub incident_id: Option<Uuid>,
    /// Consent scope.
    pub consent: ConsentScope,
    /// Interview date.
    pub interviewed_on: Day,
    /// Whether it was shared with the caller's organization (not its own).
    pub shared_with_caller: bool,
    /// With how many organizations it is shared.
    pub shared_count: usize,
}

async fn testimonies(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<TestimonyMeta>>, ApiError> {
    allowed(&user)?;
    if user.role == Role::Viewer {
        return Err(ApiError::forbidden("testimonies need a documentation role"));
    }
    let list = state
        .store
        .testimonies_visible_to(user.org_id)
        .await
        .map_err(internal)?;
    Ok(Json(
        list.into_iter()
            .map(|t| TestimonyMeta {
                id: t.id,
                org_id: t.org_id,
                incident_id: t.incident_id,
                consent: t.consent,
                interviewed_on: t.interviewed_on,
                shared_with_caller: t.org_id != user.org_id,
                shared_count: t.shared_with.len(),
            })
            .collect(),
    ))
}

/// This module's part of the OpenAPI document.
pub fn openapi() -> Value {
    let uuid = json!({"type": "string", "format": "uuid"});
    let time = json!({"type": "string", "format": "date-time"});
    let date = json!({"type": "string", "format": "date"});
    let count = json!({"type": "integer", "minimum": 0});
    let text = json!({"type": "string"});
    let opt_text = json!({"type": ["string", "null"]});
    let forbidden = error_response("The role has no access to documentation.");
    let q = |name: &str, desc: &str, schema: Value| json!({"name": name, "in": "query", "required": false, "description": desc, "schema": schema});
    json!({
        "paths": {
            "/api/v1/document/incidents": {"get": authed(
                "Incidents with each source's own account, newest first", "documentIncidents",
                json!({"200": ok("Incidents.", array_of("Incident")),
                       "400": error_response("A filter is malformed."), "403": forbidden,
                       "404": error_response("No incident has the id.")}),
                json!([q("id", "Only this incident.", uuid.clone()),
                       q("area", "Only this area or below it (p-code prefix).", text.clone()),
                       q("event_type", "An ACLED event type (battles, violence-against-civilians …).", text.clone()),
                       q("from", "On or after (YYYY-MM-DD).", date.clone()),
                       q("to", "On or before (YYYY-MM-DD).", date.clone())]))},
            "/api/v1/document/evidence": {"get": authed(
                "Evidence metadata (SHA-256, capture time, tool and person, violation); never the file", "documentEvidence",
                json!({"200": ok("Evidence.", array_of("Evidence")),
                       "400": error_response("The incident is not a UUID."), "403": forbidden}),
                json!([q("incident", "Only the evidence of this incident.", uuid.clone())]))},
            "/api/v1/document/custody": {"get": authed(
                "The custody log in order, with its hash chain; one piece of evidence's rows when given", "documentCustody",
                json!({"200": ok("Custody events.", array_of("CustodyRecord")),
                       "400": error_response("The evidence is not a UUID."),
                       "403": forbidden, "404": error_response("No such evidence.")}),
                json!([q("evidence", "Only the rows of this piece of evidence.", uuid.clone())]))},
            "/api/v1/document/rescue/missions": {"get": authed(
                "Rescue missions, newest first", "documentRescueMissions",
                json!({"200": ok("Missions.", array_of("RescueMission")), "403": forbidden}),
                json!([]))},
            "/api/v1/document/rescue/daily": {"get": authed(
                "Missions, rescued alive and bodies recovered per day (UTC)", "documentRescueDaily",
                json!({"200": ok("Daily tallies, oldest first.", array_of("DailyTally")), "403": forbidden}),
                json!([]))},
            "/api/v1/document/displacement/sites": {"get": authed(
                "Displacement sites", "documentSites",
                json!({"200": ok("Sites.", array_of("Site")), "403": forbidden}),
                json!([]))},
            "/api/v1/document/displacement/reports": {"get": authed(
                "What each source reported per site and date; conflicting counts are separate rows", "documentSiteReports",
                json!({"200": ok("Reports.", array_of("SiteReport")),
                       "400": error_response("The site is not a UUID."), "403": forbidden}),
                json!([q("site", "Only this site's reports.", uuid.clone())]))},
            "/api/v1/document/testimonies": {"get": authed(
                "Testimony metadata within the caller's scope (its organization's and those shared with it); never the content", "documentTestimonies",
                json!({"200": ok("Testimonies.", array_of("TestimonyMeta")),
                       "403": error_response("Viewers and roles without documentation access.")}),
                json!([]))}
        },
        "schemas": {
            "IncidentSource": {"type": "object", "properties": {
                "source": text, "url": opt_text, "perpetrator": text, "target": text, "claim": text}},
            "Incident": {"type": "object", "properties": {
                "id": uuid, "org_id": uuid, "occurred_on": date,
                "precision": {"type": "string", "enum": ["day", "month", "approximate"]},
                "area": text, "place": text, "event_type": text, "sub_event_type": text,
                "summary": text, "created_by": {"type": ["string", "null"], "format": "uuid"},
                "created_at": time,
                "sources": {"type": "array", "items": schema_ref("IncidentSource")}}},
            "Evidence": {"type": "object", "properties": {
                "id": uuid, "org_id": uuid, "incident_id": {"type": ["string", "null"], "format": "uuid"},
                "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"}, "size_bytes": count,
                "media_type": text, "original_name": text, "origin_url": opt_text,
                "captured_at": time, "capture_tool": text, "captured_by": text,
                "violation": text, "description": text, "created_at": time}},
            "CustodyRecord": {"type": "object", "properties": {
                "seq": count, "evidence_id": uuid,
                "event": {"type": "string", "enum": ["captured", "viewed", "transferred", "exported", "verified"]},
                "at": time, "actor": {"type": ["string", "null"]}, "org": {"type": ["string", "null"]},
                "note": text, "prev_hash": text, "hash": text}},
            "RescueMission": {"type": "object", "properties": {
                "id": uuid, "org_id": uuid, "team": text, "started_at": time, "area": text,
                "place": text, "kind": {"type": "string", "enum": ["search-rescue", "body-recovery", "evacuation", "fire", "other"]},
                "rescued_alive": count, "bodies_recovered": count, "remarks": text, "handed_over_to": text}},
            "DailyTally": {"type": "object", "properties": {
                "day": date, "missions": count, "rescued_alive": count, "bodies_recovered": count}},
            "Site": {"type": "object", "properties": {
                "id": uuid, "name": text, "name_ar": opt_text,
                "kind": {"type": "string", "enum": ["air-base", "forest", "host-community", "collective-shelter", "cross-border"]},
                "area": text}},
            "SiteReport": {"type": "object", "properties": {
                "id": uuid, "site_id": uuid, "as_of": date,
                "families": {"type": ["integer", "null"]}, "individuals": {"type": ["integer", "null"]},
                "origins": {"type": "array", "items": text}, "needs": text, "source": text}},
            "TestimonyMeta": {"type": "object", "properties": {
                "id": uuid, "org_id": uuid, "incident_id": {"type": ["string", "null"], "format": "uuid"},
                "consent": {"type": "string", "enum": ["internal", "investigators", "public-anonymised"]},
                "interviewed_on": date, "shared_with_caller": {"type": "boolean"}, "shared_count": count}}
        }
    })
}
