//! The JSON API under `/api/v1`, for scripts (bearer tokens) and the browser (session
//! cookie). Errors are JSON (`{"error": {"code", "message"}}`); unknown API paths answer a
//! JSON 404, never an HTML page. Every route here is described in [`crate::openapi`]; a
//! test reads the `.route(` calls of this file and fails if one is missing there.

use crate::error::ApiError;
use crate::session::ApiUser;
use crate::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use sijill_model::account::{Organization, Role, User};
use sijill_model::geo::Area;

/// Prefix of every API route.
pub const PREFIX: &str = "/api/v1";

/// The API routes, relative to [`PREFIX`].
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/me", get(me))
        .route("/orgs", get(orgs))
        .route("/users", get(users))
        .route("/areas", get(areas))
        .route("/areas/{pcode}", get(area))
        // Area modules `api_*.rs` merge their routes here (their `.route(` calls are read
        // by the OpenAPI coverage test):
        // == api: reconcile ==
        .merge(crate::api_reconcile::routes())
        // == api: document ==
        .merge(crate::api_document::routes())
        // == api: respond ==
        .merge(crate::api_respond::routes())
        // == api: protect ==
        // == api: sync ==
        .merge(crate::api_sync::routes())
        .fallback(not_found)
}

async fn not_found() -> ApiError {
    ApiError::not_found("no such API route; see /api/v1/openapi.json")
}

async fn openapi() -> Json<serde_json::Value> {
    Json(crate::openapi::document())
}

/// `GET /api/v1/me`: the caller's account and organization.
#[derive(Debug, Serialize)]
pub struct Me {
    /// The account.
    pub user: User,
    /// Its organization.
    pub organization: Option<Organization>,
}

async fn me(State(state): State<AppState>, ApiUser(user): ApiUser) -> Result<Json<Me>, ApiError> {
    let organization = state
        .store
        .org(user.org_id)
        .await
        .map_err(ApiError::internal)?;
    Ok(Json(Me { user, organization }))
}

async fn orgs(
    State(state): State<AppState>,
    ApiUser(_): ApiUser,
) -> Result<Json<Vec<Organization>>, ApiError> {
    state
        .store
        .list_orgs()
        .await
        .map(Json)
        .map_err(ApiError::internal)
}

async fn users(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<User>>, ApiError> {
    if user.role != Role::Admin {
        return Err(ApiError::forbidden("listing accounts needs the admin role"));
    }
    state
        .store
        .list_users()
        .await
        .map(Json)
        .map_err(ApiError::internal)
}

#[derive(Debug, Deserialize)]
struct AreaQuery {
    q: Option<String>,
    parent: Option<String>,
}

async fn areas(
    State(state): State<AppState>,
    ApiUser(_): ApiUser,
    query: Result<Query<AreaQuery>, QueryRejection>,
) -> Result<Json<Vec<Area>>, ApiError> {
    let Query(query) = query.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let geo = &state.geo;
    let found: Vec<&Area> = match (query.q.as_deref(), query.parent.as_deref()) {
        (Some(_), Some(_)) => {
            return Err(ApiError::bad_request("give either q or parent, not both"));
        }
        (Some(q), None) => {
            if q.trim().is_empty() || q.chars().count() > 200 {
                return Err(ApiError::bad_request("q must have 1 to 200 characters"));
            }
            geo.lookup(q)
        }
        (None, Some(p)) => {
            let code = sijill_model::geo::PCode::parse(p)
                .map_err(|e| ApiError::bad_request(e.to_string()))?;
            if geo.get(&code).is_none() {
                return Err(ApiError::not_found(format!("no area with code {code}")));
            }
            geo.children(&code)
        }
        (None, None) => geo.areas().iter().collect(),
    };
    Ok(Json(found.into_iter().cloned().collect()))
}

/// `GET /api/v1/areas/{pcode}`: one area and the areas it lies in.
#[derive(Debug, Serialize)]
pub struct AreaDetail {
    /// The area.
    pub area: Area,
    /// The areas it lies in, from the country down, without itself.
    pub ancestry: Vec<Area>,
}

async fn area(
    State(state): State<AppState>,
    ApiUser(_): ApiUser,
    Path(pcode): Path<String>,
) -> Result<Json<AreaDetail>, ApiError> {
    let geo = &state.geo;
    let area = geo
        .get_str(&pcode)
        .ok_or_else(|| ApiError::not_found("no area with this code"))?
        .clone();
    let mut ancestry: Vec<Area> = geo
        .ancestry(&area.pcode)
        .into_iter()
        .filter(|a| a.pcode != area.pcode)
        .cloned()
        .collect();
    ancestry.reverse();
    Ok(Json(AreaDetail { area, ancestry }))
}
