//! The Respond part of the JSON API: the 4W matrix and the network's relief totals.
//! Both are aggregates without personal data; household registers stay on the pages of
//! their own organization.

use crate::error::ApiError;
use crate::nav::Section;
use crate::openapi::{authed, error_response, ok, schema_ref};
use crate::session::ApiUser;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sijill_store::{FourW, ItemTotal, PeopleTotals, Reach};

/// The routes, relative to `/api/v1`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/respond/4w", get(four_w))
        .route("/respond/totals", get(totals))
}

/// `?campaign=<id>`.
#[derive(Debug, Deserialize)]
pub struct CampaignParam {
    campaign: Option<String>,
}

impl CampaignParam {
    fn id(&self) -> Result<Option<uuid::Uuid>, ApiError> {
        match self.campaign.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(c) => c
                .parse()
                .map(Some)
                .map_err(|_| ApiError::bad_request("campaign: expected a campaign id (UUID)")),
        }
    }
}

fn allowed(user: &sijill_model::account::User) -> Result<(), ApiError> {
    if Section::Respond.allowed(user.role) {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "your role has no access to relief data",
        ))
    }
}

async fn four_w(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<CampaignParam>,
) -> Result<Json<Vec<FourW>>, ApiError> {
    allowed(&user)?;
    Ok(Json(
        state
            .store
            .four_w(q.id()?)
            .await
            .map_err(ApiError::internal)?,
    ))
}

/// `GET /api/v1/respond/totals`.
#[derive(Debug, Serialize)]
pub struct Totals {
    /// Per item.
    pub items: Vec<ItemTotal>,
    /// Households registered, unique, shared by partners.
    pub households: Reach,
    /// Distinct families paid in cash.
    pub cash_families: u64,
    /// Volunteers and dialogue.
    pub people: PeopleTotals,
}

async fn totals(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<CampaignParam>,
) -> Result<Json<Totals>, ApiError> {
    allowed(&user)?;
    let c = q.id()?;
    let s = &state.store;
    Ok(Json(Totals {
        items: s.item_totals(c).await.map_err(ApiError::internal)?,
        households: s.household_reach().await.map_err(ApiError::internal)?,
        cash_families: s.cash_totals().await.map_err(ApiError::internal)?.0,
        people: s.people_totals(c).await.map_err(ApiError::internal)?,
    }))
}

/// This module's part of the OpenAPI document.
pub fn openapi() -> Value {
    let campaign = json!([{"name": "campaign", "in": "query", "required": false,
        "description": "A campaign id; without it, everything.", "schema": {"type": "string", "format": "uuid"}}]);
    let count = json!({"type": "integer", "minimum": 0});
    json!({
        "paths": {
            "/api/v1/respond/4w": {"get": authed(
                "The 4W matrix: quantities, households and individuals by organization, area, item and day",
                "respondFourW",
                json!({"200": ok("Cells of the matrix.", json!({"type": "array", "items": schema_ref("FourW")})),
                       "400": error_response("The campaign is not an id."),
                       "403": error_response("The role has no access to relief data.")}),
                campaign.clone())},
            "/api/v1/respond/totals": {"get": authed(
                "Relief totals: per item, unique households, cash, volunteers and dialogue",
                "respondTotals",
                json!({"200": ok("The totals.", schema_ref("RespondTotals")),
                       "400": error_response("The campaign is not an id."),
                       "403": error_response("The role has no access to relief data.")}),
                campaign)}
        },
        "schemas": {
            "FourW": {"type": "object", "properties": {
                "org": {"type": "string", "format": "uuid"}, "pcode": {"type": "string"},
                "item": {"type": "string", "format": "uuid"}, "on": {"type": "string"},
                "quantity": count, "households": count, "individuals": count, "distributions": count}},
            "RespondTotals": {"type": "object", "properties": {
                "items": {"type": "array", "items": {"type": "object"}},
                "households": {"type": "object", "properties": {"registered": count, "unique": count, "shared": count}},
                "cash_families": count,
                "people": {"type": "object"}}}
        }
    })
}
