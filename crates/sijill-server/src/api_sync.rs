//! The sync part of the JSON API, for field instances (`sijill sync`): push a page of
//! revisions, pull revisions after a cursor, list open conflicts, and move evidence
//! files by SHA-256 (a resumable upload in chunks, verified on arrival, and a download).
//!
//! Writes take a bearer token only (a cookie would need a CSRF token, and a sync tool
//! has none); reads also answer a signed-in browser. The account's organization and
//! role bound everything: a push with a revision of another organization or of a kind
//! the role does not sync is refused whole (403); a pull returns only the
//! organization's revisions of the role's kinds (`SyncScope::for_role`); a download
//! only files the organization's evidence records name.
//!
//! A pull page that carries revisions is an export and writes `export.sync` to the
//! audit log (who, which token by its hash's first 12 hex digits, which instance by the
//! `Sijill-Instance` header, how many revisions of which kinds, never a value); a
//! downloaded evidence file writes `export.evidence` and an uploaded one
//! `sync.evidence`. A push is logged by the store as `sync.apply`.

use crate::error::ApiError;
use crate::openapi::{error_response, ok, schema_ref};
use crate::session::ApiUser;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sijill_model::account::User;
use sijill_store::sync_evidence::{self, UploadState};
use sijill_store::{
    ApplyOutcome, AuditEntry, Batch, Conflict, ExportFilter, PullPage, StoreError, SyncScope,
};
use std::collections::BTreeMap;

/// Most revisions one push may carry.
pub const MAX_PUSH: usize = 2_000;

/// The routes, relative to `/api/v1`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/sync/push", post(push))
        .route("/sync/pull", get(pull))
        .route("/sync/conflicts", get(conflicts))
        .route("/sync/evidence", get(evidence_list).post(evidence_missing))
        .route(
            "/sync/evidence/{sha256}",
            get(evidence_get).post(evidence_put),
        )
}

/// The caller's scope; 403 for a role that syncs nothing, and for a write without a
/// bearer token (reads may come from a signed-in browser too).
fn scope(headers: &HeaderMap, user: &User, write: bool) -> Result<SyncScope, ApiError> {
    if write && !headers.contains_key(header::AUTHORIZATION) {
        return Err(ApiError::forbidden("sync needs a bearer token"));
    }
    let scope = SyncScope::for_role(user.org_id, user.role);
    if scope.kinds.is_empty() {
        return Err(ApiError::forbidden("your role does not sync records"));
    }
    Ok(scope)
}

/// Who is on the other end, for the audit log: the token (the first 12 hex digits of
/// its hash, which the token list can be matched against but which reveal nothing of
/// the token) or `null` for a signed-in browser, and the instance id it sent.
fn caller(headers: &HeaderMap) -> Value {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(|t| crate::auth::token_hash(t.trim())[..12].to_owned());
    let instance = headers
        .get(sijill_sync::INSTANCE_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<uuid::Uuid>().ok())
        .map(|u| u.to_string());
    json!({ "token": token, "instance": instance })
}

async fn audit(
    state: &AppState,
    user: &User,
    headers: &HeaderMap,
    action: &str,
    entity: &str,
    mut detail: Value,
) -> Result<(), ApiError> {
    let who = caller(headers);
    detail["token"] = who["token"].clone();
    detail["instance"] = who["instance"].clone();
    state
        .store
        .append_audit(&AuditEntry {
            actor: Some(user.id),
            org: Some(user.org_id),
            action: action.into(),
            entity: entity.into(),
            entity_id: None,
            detail,
        })
        .await
        .map(|_| ())
        .map_err(ApiError::internal)
}

fn may_move_evidence(user: &User) -> Result<(), ApiError> {
    if SyncScope::for_role(user.org_id, user.role)
        .kinds
        .contains(&"evidence")
    {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "your role does not move evidence files",
        ))
    }
}

fn store_error(e: StoreError) -> ApiError {
    match e {
        StoreError::Invalid(m) => ApiError::bad_request(m),
        StoreError::NotFound => ApiError::not_found("not found"),
        StoreError::Conflict(m) => ApiError::bad_request(m),
        other => ApiError::internal(other),
    }
}

async fn push(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiUser(user): ApiUser,
    body: Result<Json<Batch>, JsonRejection>,
) -> Result<Json<ApplyOutcome>, ApiError> {
    let scope = scope(&headers, &user, true)?;
    let Json(batch) = body.map_err(|e| ApiError::bad_request(e.body_text()))?;
    if batch.revisions.len() > MAX_PUSH {
        return Err(ApiError::bad_request(format!(
            "at most {MAX_PUSH} revisions per push"
        )));
    }
    let org = state
        .store
        .org(user.org_id)
        .await
        .map_err(ApiError::internal)?
        .ok_or_else(|| ApiError::forbidden("your account has no organization"))?;
    if let Some(r) = batch.revisions.iter().find(|r| r.org != org.name) {
        return Err(ApiError::forbidden(format!(
            "revision {} belongs to another organization",
            r.revision_id
        )));
    }
    if let Some(r) = batch
        .revisions
        .iter()
        .find(|r| !scope.kinds.contains(&r.kind.as_str()))
    {
        return Err(ApiError::forbidden(format!(
            "your role does not sync {} records",
            r.kind
        )));
    }
    state
        .store
        .sync_apply(Some(user.id), &batch, Some(&scope), None)
        .await
        .map(Json)
        .map_err(store_error)
}

/// `?after=<cursor>&limit=<n>[&capture=1]`.
#[derive(Debug, Deserialize)]
pub struct PullQuery {
    after: Option<i64>,
    limit: Option<u32>,
    /// The first pull of a run: record the server's own changes first.
    capture: Option<u8>,
}

/// A pull page, with this server's instance id in the `Sijill-Instance` header so a
/// laptop can say "the server" beside the values this server made.
async fn pull(
    State(state): State<AppState>,
    headers: HeaderMap,
    user: ApiUser,
    query: Result<Query<PullQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let page = pull_page(&state, &headers, user, query).await?;
    let id = state
        .store
        .sync_instance_id()
        .await
        .map_err(ApiError::internal)?;
    Ok(([(sijill_sync::INSTANCE_HEADER, id.to_string())], Json(page)).into_response())
}

async fn pull_page(
    state: &AppState,
    headers: &HeaderMap,
    ApiUser(user): ApiUser,
    query: Result<Query<PullQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<PullPage, ApiError> {
    let scope = scope(headers, &user, false)?;
    let Query(q) = query.map_err(|_| ApiError::bad_request("after and limit are whole numbers"))?;
    if q.capture == Some(1) {
        // Records written on the server itself (its web pages, imports, erasures) become
        // revisions only when captured: once per run, before its first page, so a
        // laptop's pull brings them (a scan of the synced tables, not one per page).
        state.store.sync_capture().await.map_err(store_error)?;
    }
    let filter = ExportFilter {
        org: Some(user.org_id),
        kinds: Some(scope.kinds),
        local_only: false,
    };
    let after = q.after.unwrap_or(0).max(0);
    let page = state
        .store
        .sync_export(&filter, after, q.limit.unwrap_or(500).clamp(1, 2_000))
        .await
        .map_err(store_error)?;
    if !page.batch.revisions.is_empty() {
        // Records leave for another instance: an export, logged by kind and count.
        let mut kinds: BTreeMap<&str, u64> = BTreeMap::new();
        for r in &page.batch.revisions {
            *kinds.entry(r.kind.as_str()).or_default() += 1;
        }
        let deletions = page.batch.revisions.iter().filter(|r| r.tombstone).count();
        audit(
            state,
            &user,
            headers,
            "export.sync",
            "sync",
            json!({
                "revisions": page.batch.revisions.len(),
                "kinds": kinds,
                "deletions": deletions,
                "after": after,
                "next_cursor": page.next_cursor,
            }),
        )
        .await?;
    }
    Ok(page)
}

async fn conflicts(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<Conflict>>, ApiError> {
    let scope = scope(&headers, &user, false)?;
    let all = state
        .store
        .sync_conflicts(Some(user.org_id))
        .await
        .map_err(store_error)?;
    Ok(Json(
        all.into_iter()
            .filter(|c| scope.kinds.contains(&c.kind.as_str()))
            .collect(),
    ))
}

/// A list of SHA-256 hashes.
#[derive(Debug, Deserialize, Serialize)]
pub struct Hashes {
    hashes: Vec<String>,
}

/// The hashes of the asked files the server does not hold yet.
#[derive(Debug, Deserialize, Serialize)]
pub struct Missing {
    missing: Vec<String>,
}

async fn evidence_files(
    state: &AppState,
) -> Result<sijill_store::document_evidence::EvidenceFiles, ApiError> {
    state
        .store
        .evidence_files()
        .await
        .map_err(|_| ApiError::bad_request("this server keeps no evidence files"))
}

async fn evidence_list(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiUser(user): ApiUser,
) -> Result<Json<Hashes>, ApiError> {
    scope(&headers, &user, false)?;
    may_move_evidence(&user)?;
    let hashes = state
        .store
        .sync_evidence_hashes(user.org_id)
        .await
        .map_err(store_error)?;
    Ok(Json(Hashes { hashes }))
}

async fn evidence_missing(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiUser(user): ApiUser,
    body: Result<Json<Hashes>, JsonRejection>,
) -> Result<Json<Missing>, ApiError> {
    scope(&headers, &user, false)?;
    may_move_evidence(&user)?;
    let Json(b) = body.map_err(|e| ApiError::bad_request(e.body_text()))?;
    if b.hashes.len() > 10_000 || !b.hashes.iter().all(|h| sync_evidence::is_sha256(h)) {
        return Err(ApiError::bad_request(
            "hashes: at most 10,000 lower-case hex SHA-256 values",
        ));
    }
    let files = evidence_files(&state).await?;
    let missing = tokio::task::spawn_blocking(move || {
        b.hashes
            .into_iter()
            .filter(|h| {
                files.check_blocking(h) != sijill_store::document_evidence::FileCheck::Intact
            })
            .collect()
    })
    .await
    .map_err(ApiError::internal)?;
    Ok(Json(Missing { missing }))
}

/// `?offset=<bytes already sent>&last=true` on the final chunk.
#[derive(Debug, Deserialize)]
pub struct ChunkQuery {
    #[serde(default)]
    offset: u64,
    #[serde(default)]
    last: bool,
}

async fn evidence_put(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiUser(user): ApiUser,
    Path(sha): Path<String>,
    query: Result<Query<ChunkQuery>, axum::extract::rejection::QueryRejection>,
    body: Bytes,
) -> Result<Json<UploadState>, ApiError> {
    scope(&headers, &user, true)?;
    may_move_evidence(&user)?;
    let Query(q) =
        query.map_err(|_| ApiError::bad_request("offset is a whole number, last true or false"))?;
    let files = evidence_files(&state).await?;
    let name = sha.clone();
    let up = tokio::task::spawn_blocking(move || {
        sync_evidence::upload_chunk_blocking(&files, &name, q.offset, &body, q.last)
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(store_error)?;
    if up.stored && q.last {
        audit(
            &state,
            &user,
            &headers,
            "sync.evidence",
            "evidence",
            json!({ "sha256": sha, "bytes": up.offset }),
        )
        .await?;
    }
    Ok(Json(up))
}

async fn evidence_get(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiUser(user): ApiUser,
    Path(sha): Path<String>,
) -> Result<Response, ApiError> {
    scope(&headers, &user, false)?;
    may_move_evidence(&user)?;
    if !sync_evidence::is_sha256(&sha) {
        return Err(ApiError::bad_request("expected a lower-case hex SHA-256"));
    }
    let ours = state
        .store
        .sync_evidence_hashes(user.org_id)
        .await
        .map_err(store_error)?;
    if !ours.contains(&sha) {
        return Err(ApiError::not_found(
            "no evidence of your organization has this SHA-256",
        ));
    }
    let files = evidence_files(&state).await?;
    let name = sha.clone();
    let bytes = tokio::task::spawn_blocking(move || files.read_blocking(&name))
        .await
        .map_err(ApiError::internal)?
        .map_err(|_| ApiError::not_found("the file is not on this server"))?;
    // A copy leaves the server: an export, as a download from the evidence page is.
    audit(
        &state,
        &user,
        &headers,
        "export.evidence",
        "evidence",
        json!({ "sha256": sha, "bytes": bytes.len() }),
    )
    .await?;
    Ok(([(header::CONTENT_TYPE, "application/octet-stream")], bytes).into_response())
}

/// The OpenAPI part of these routes.
pub fn openapi() -> Value {
    let kinds: Vec<&str> = sijill_store::sync_types::DOCUMENT_KINDS
        .iter()
        .chain(sijill_store::sync_types::RESPOND_KINDS)
        .copied()
        .collect();
    let bearer = json!([{"bearer": []}]);
    let sha = json!([{"name": "sha256", "in": "path", "required": true,
        "schema": {"type": "string", "pattern": "^[0-9a-f]{64}$"}}]);
    let common = |mut r: Value| {
        r["401"] = error_response("No token, or an unknown or revoked one.");
        r["403"] = error_response("Not a bearer token, or the role does not sync this.");
        r
    };
    json!({
        "paths": {
            "/api/v1/sync/push": {"post": {
                "summary": "Apply a page of revisions of the token's organization, all or nothing; a page sent again changes nothing",
                "operationId": "syncPush", "security": bearer,
                "requestBody": {"required": true, "content": {"application/json": {"schema": schema_ref("SyncBatch")}}},
                "responses": common(json!({
                    "200": ok("What was applied.", schema_ref("SyncOutcome")),
                    "400": error_response("A revision is not valid (hash, field, value); nothing was applied.")}))}},
            "/api/v1/sync/pull": {"get": {
                "summary": "Revisions of the token's organization after a cursor, with the reference rows they name",
                "operationId": "syncPull", "security": bearer,
                "parameters": [
                    {"name": "after", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 0}},
                    {"name": "limit", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 1, "maximum": 2000}},
                    {"name": "capture", "in": "query", "required": false, "description": "1 on the first pull of a run: the server records its own changes as revisions first.", "schema": {"type": "integer", "enum": [1]}}],
                "responses": common(json!({
                    "200": ok("A page; pass next_cursor as after for the next one.", schema_ref("SyncPage")),
                    "400": error_response("after or limit is not a whole number.")}))}},
            "/api/v1/sync/conflicts": {"get": {
                "summary": "Open conflicts of the token's organization, each candidate with its value",
                "operationId": "syncConflicts", "security": bearer,
                "responses": common(json!({"200": ok("Open conflicts.", json!({"type": "array", "items": schema_ref("SyncConflict")}))}))}},
            "/api/v1/sync/evidence": {
                "get": {"summary": "SHA-256 of every file the organization's evidence records name",
                    "operationId": "syncEvidenceList", "security": bearer,
                    "responses": common(json!({"200": ok("Hashes.", schema_ref("SyncHashes"))}))},
                "post": {"summary": "Which of these files the server does not hold yet (send only those)",
                    "operationId": "syncEvidenceMissing", "security": bearer,
                    "requestBody": {"required": true, "content": {"application/json": {"schema": schema_ref("SyncHashes")}}},
                    "responses": common(json!({"200": ok("The missing ones.", json!({"type": "object", "properties": {"missing": {"type": "array", "items": {"type": "string"}}}})),
                        "400": error_response("Not a list of SHA-256 values.")}))}},
            "/api/v1/sync/evidence/{sha256}": {
                "get": {"summary": "Download a file of the organization's evidence by SHA-256",
                    "operationId": "syncEvidenceGet", "security": bearer, "parameters": sha.clone(),
                    "responses": common(json!({"200": {"description": "The bytes.", "content": {"application/octet-stream": {}}},
                        "404": error_response("No evidence of the organization has this hash, or the file is not here.")}))},
                "post": {"summary": "Upload a chunk (at most 1 MiB) of a file; with last=true the bytes are hashed and kept only if they match",
                    "operationId": "syncEvidencePut", "security": bearer,
                    "parameters": [sha[0].clone(),
                        {"name": "offset", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 0}},
                        {"name": "last", "in": "query", "required": false, "schema": {"type": "boolean"}}],
                    "requestBody": {"required": true, "content": {"application/octet-stream": {}}},
                    "responses": common(json!({"200": ok("Where the upload stands (resume from offset).", schema_ref("SyncUpload")),
                        "400": error_response("Not a hash, a chunk too big, or the bytes do not match the hash.")}))}}
        },
        "schemas": {
            "SyncRevision": {"type": "object", "required": ["revision_id", "kind", "record_id", "org", "parents", "instance_id", "clock", "fields", "tombstone", "content_hash"],
                "properties": {
                    "revision_id": {"type": "string", "format": "uuid"},
                    "kind": {"type": "string", "enum": kinds},
                    "record_id": {"type": "string", "format": "uuid"},
                    "org": {"type": "string", "description": "The organization's name."},
                    "parents": {"type": "array", "items": {"type": "string", "format": "uuid"}},
                    "instance_id": {"type": "string", "format": "uuid"},
                    "clock": {"type": "integer", "minimum": 1},
                    "fields": {"type": "object", "additionalProperties": {"type": ["string", "null"]}},
                    "tombstone": {"type": "boolean"},
                    "content_hash": {"type": "string", "pattern": "^[0-9a-f]{64}$"}}},
            "SyncBatch": {"type": "object", "required": ["revisions"], "properties": {
                "revisions": {"type": "array", "items": schema_ref("SyncRevision")},
                "refs": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "object"}}}}},
            "SyncPage": {"type": "object", "properties": {
                "revisions": {"type": "array", "items": schema_ref("SyncRevision")},
                "refs": {"type": "object"},
                "next_cursor": {"type": "integer"}, "more": {"type": "boolean"}}},
            "SyncOutcome": {"type": "object", "properties": {
                "accepted": {"type": "integer"}, "already": {"type": "integer"}, "conflicts": {"type": "integer"}}},
            "SyncConflict": {"type": "object", "properties": {
                "id": {"type": "string", "format": "uuid"}, "kind": {"type": "string"},
                "record_id": {"type": "string", "format": "uuid"}, "field": {"type": "string"},
                "chosen": {"type": "string", "format": "uuid"},
                "candidates": {"type": "array", "items": {"type": "object", "properties": {
                    "revision_id": {"type": "string", "format": "uuid"}, "instance_id": {"type": "string", "format": "uuid"},
                    "clock": {"type": "integer"}, "value": {"type": ["string", "null"]}}}}}},
            "SyncHashes": {"type": "object", "required": ["hashes"], "properties": {"hashes": {"type": "array", "items": {"type": "string"}}}},
            "SyncUpload": {"type": "object", "properties": {"offset": {"type": "integer"}, "stored": {"type": "boolean"}}}
        }
    })
}
