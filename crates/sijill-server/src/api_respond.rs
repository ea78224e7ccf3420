//! The Respond part of the JSON API: the 4W matrix and the network's relief totals
//! (aggregates without personal data; household registers stay on the pages of their own
//! organization), and recording a distribution for the caller's organization — the one
//! write, for field scripts and sync tools, taken with a bearer token only (a cookie
//! would need a CSRF token).

use crate::error::ApiError;
use crate::nav::Section;
use crate::openapi::{authed, error_response, ok, schema_ref};
use crate::session::ApiUser;
use crate::state::AppState;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sijill_model::geo::PCode;
use sijill_store::{
    Distribution, FourW, ItemTotal, NewDistribution, PeopleTotals, Reach, StoreError,
};

/// The routes, relative to `/api/v1`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/respond/4w", get(four_w))
        .route("/respond/totals", get(totals))
        .route("/respond/distributions", post(create_distribution))
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

/// The body of `POST /api/v1/respond/distributions`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DistributionBody {
    /// `YYYY-MM-DD` (any digits).
    pub date: String,
    /// A p-code or an area's name in either script.
    pub area: String,
    /// The item's id or code (`food-basket`).
    pub item: String,
    /// How many units, at least one.
    pub quantity: u64,
    /// Households reached.
    #[serde(default)]
    pub households: u64,
    /// Individuals reached.
    #[serde(default)]
    pub individuals: u64,
    /// The site, if any.
    #[serde(default)]
    pub site: Option<String>,
    /// The campaign's id, if any.
    #[serde(default)]
    pub campaign: Option<uuid::Uuid>,
    /// A key the caller chooses (e.g. a form submission's id): sending it again adds
    /// nothing and answers 409.
    #[serde(default)]
    pub key: Option<String>,
}

/// A distribution as recorded, its day as `YYYY-MM-DD`.
#[derive(Debug, Serialize)]
pub struct Recorded {
    id: uuid::Uuid,
    campaign: Option<uuid::Uuid>,
    org: uuid::Uuid,
    on: String,
    pcode: String,
    site: Option<String>,
    item: uuid::Uuid,
    quantity: u64,
    households: u64,
    individuals: u64,
}

impl From<Distribution> for Recorded {
    fn from(d: Distribution) -> Recorded {
        Recorded {
            id: d.id,
            campaign: d.campaign,
            org: d.org.as_uuid(),
            on: crate::respond::fmt_date(d.on),
            pcode: d.pcode,
            site: d.site,
            item: d.item,
            quantity: d.quantity,
            households: d.households,
            individuals: d.individuals,
        }
    }
}

async fn create_distribution(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiUser(user): ApiUser,
    body: Result<Json<DistributionBody>, JsonRejection>,
) -> Result<(StatusCode, Json<Recorded>), ApiError> {
    if !headers.contains_key(header::AUTHORIZATION) {
        return Err(ApiError::forbidden(
            "writes through the API need a bearer token",
        ));
    }
    allowed(&user)?;
    if !crate::respond::can_enter(user.role) {
        return Err(ApiError::forbidden(
            "your role may not record distributions",
        ));
    }
    let Json(b) = body.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let on = crate::respond::parse_date(&b.date)
        .ok_or_else(|| ApiError::bad_request("date: expected YYYY-MM-DD"))?;
    let pcode = crate::respond::resolve_area(&state.geo, &b.area)
        .and_then(|p| PCode::parse(&p).ok())
        .ok_or_else(|| ApiError::bad_request("area: not a p-code or an area name"))?;
    if b.quantity == 0 {
        return Err(ApiError::bad_request("quantity: at least 1"));
    }
    let items = state.store.list_items().await.map_err(ApiError::internal)?;
    let code = b.item.trim().to_lowercase();
    let item = items
        .iter()
        .find(|i| i.id.to_string() == b.item.trim() || i.code == code)
        .ok_or_else(|| ApiError::bad_request("item: not an item id or code of the catalogue"))?
        .id;
    if let Some(c) = b.campaign {
        if state
            .store
            .campaign(c)
            .await
            .map_err(ApiError::internal)?
            .is_none()
        {
            return Err(ApiError::bad_request("campaign: no such campaign"));
        }
    }
    let new = NewDistribution {
        campaign: b.campaign,
        on,
        pcode,
        site: b.site.filter(|s| !s.trim().is_empty()),
        item,
        quantity: b.quantity,
        households: b.households,
        individuals: b.individuals,
        import_key: b.key.map(|k| format!("api:{}", k.trim())),
    };
    // The distribution and its audit entry are written together; on SQLite concurrent
    // requests share one commit.
    let audit = crate::web::audit_entry(
        &user,
        "distribution.create",
        "distribution",
        String::new(),
        serde_json::json!({"pcode": new.pcode.as_str(), "quantity": new.quantity, "via": "api"}),
    );
    let d = match state
        .store
        .create_distribution_audited(Some(user.id), user.org_id, &new, audit)
        .await
    {
        Ok(d) => d,
        Err(StoreError::Invalid(m)) => return Err(ApiError::bad_request(m)),
        Err(StoreError::Conflict(m)) => {
            return Err(ApiError {
                status: StatusCode::CONFLICT,
                code: "conflict",
                message: m,
            });
        }
        Err(e) => return Err(ApiError::internal(e)),
    };
    Ok((StatusCode::CREATED, Json(Recorded::from(d))))
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
                campaign)},
            "/api/v1/respond/distributions": {"post": {
                "summary": "Record a distribution for the caller's organization (bearer token only)",
                "operationId": "respondCreateDistribution",
                "security": [{"bearer": []}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": schema_ref("NewDistribution")}}},
                "responses": {
                    "201": ok("The distribution as stored.", schema_ref("Distribution")),
                    "400": error_response("A field is missing or not valid; the message names it."),
                    "401": error_response("No token, or an unknown or revoked one."),
                    "403": error_response("Not a bearer token, or the role may not record distributions."),
                    "409": error_response("A distribution with this key was recorded before.")}}}
        },
        "schemas": {
            "FourW": {"type": "object", "properties": {
                "org": {"type": "string", "format": "uuid"}, "pcode": {"type": "string"},
                "item": {"type": "string", "format": "uuid"}, "on": {"type": "string"},
                "quantity": count, "households": count, "individuals": count, "distributions": count}},
            "NewDistribution": {"type": "object", "required": ["date", "area", "item", "quantity"],
                "additionalProperties": false, "properties": {
                "date": {"type": "string", "format": "date"},
                "area": {"type": "string", "description": "A p-code or an area name in Arabic or English."},
                "item": {"type": "string", "description": "An item id or code, e.g. food-basket."},
                "quantity": {"type": "integer", "minimum": 1}, "households": count, "individuals": count,
                "site": {"type": "string"}, "campaign": {"type": "string", "format": "uuid"},
                "key": {"type": "string", "description": "The caller's idempotency key."}}},
            "Distribution": {"type": "object", "properties": {
                "id": {"type": "string", "format": "uuid"}, "campaign": {"type": "string", "format": "uuid"},
                "org": {"type": "string", "format": "uuid"}, "on": {"type": "string"},
                "pcode": {"type": "string"}, "site": {"type": "string"},
                "item": {"type": "string", "format": "uuid"},
                "quantity": count, "households": count, "individuals": count}},
            "RespondTotals": {"type": "object", "properties": {
                "items": {"type": "array", "items": {"type": "object"}},
                "households": {"type": "object", "properties": {"registered": count, "unique": count, "shared": count}},
                "cash_families": count,
                "people": {"type": "object"}}}
        }
    })
}
