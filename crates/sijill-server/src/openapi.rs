//! The OpenAPI 3.1 document of the JSON API, served at `/api/v1/openapi.json`.
//!
//! Built by hand (no macro layer over the handlers). The tests keep it true: every
//! `.route(` of `api.rs` must appear here with its method, and every operation here must
//! answer on the running server.

use serde_json::{Value, json};

pub(crate) fn error_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    })
}

pub(crate) fn ok(description: &str, schema: Value) -> Value {
    json!({
        "description": description,
        "content": {"application/json": {"schema": schema}}
    })
}

pub(crate) fn schema_ref(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

pub(crate) fn array_of(name: &str) -> Value {
    json!({"type": "array", "items": schema_ref(name)})
}

pub(crate) fn authed(summary: &str, op_id: &str, responses: Value, parameters: Value) -> Value {
    let mut responses = responses;
    responses["401"] = error_response("Not signed in, or an unknown or revoked token.");
    json!({
        "summary": summary,
        "operationId": op_id,
        "security": [{"bearer": []}, {"session": []}],
        "parameters": parameters,
        "responses": responses,
    })
}

/// Adds an area module's `{"paths": {…}, "schemas": {…}}` to the document.
pub fn extend(doc: &mut Value, part: Value) {
    if let (Some(paths), Some(more)) = (doc["paths"].as_object_mut(), part["paths"].as_object()) {
        paths.extend(more.clone());
    }
    if let (Some(schemas), Some(more)) = (
        doc["components"]["schemas"].as_object_mut(),
        part["schemas"].as_object(),
    ) {
        schemas.extend(more.clone());
    }
}

/// The whole document: the core paths below, then each area module's part.
pub fn document() -> Value {
    #[allow(unused_mut)]
    let mut doc = core();
    // == openapi: reconcile ==
    extend(&mut doc, crate::api_reconcile::openapi());
    // == openapi: document ==
    extend(&mut doc, crate::api_document::openapi());
    // == openapi: respond ==
    extend(&mut doc, crate::api_respond::openapi());
    // == openapi: protect ==
    // == openapi: sync ==
    extend(&mut doc, crate::api_sync::openapi());
    doc
}

fn core() -> Value {
    let uuid = json!({"type": "string", "format": "uuid"});
    let time = json!({"type": "string", "format": "date-time"});
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "sijill API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Read access to a sijill instance. Authenticate with `Authorization: Bearer <token>` (tokens are made by an administrator on the account's page) or with the web session cookie. Errors are `{\"error\": {\"code\", \"message\"}}`."
        },
        "servers": [{"url": "/"}],
        "paths": {
            "/api/v1/openapi.json": {"get": {
                "summary": "This document",
                "operationId": "openapi",
                "security": [],
                "responses": {"200": ok("The OpenAPI document.", json!({"type": "object"}))}
            }},
            "/api/v1/me": {"get": authed(
                "The caller's account and organization", "me",
                json!({"200": ok("The caller.", schema_ref("Me")),
                       "403": error_response("The password must be changed first (session only).")}),
                json!([]))},
            "/api/v1/orgs": {"get": authed(
                "Every organization", "listOrgs",
                json!({"200": ok("Organizations.", array_of("Organization"))}),
                json!([]))},
            "/api/v1/users": {"get": authed(
                "Every account (administrators only)", "listUsers",
                json!({"200": ok("Accounts.", array_of("User")),
                       "403": error_response("The caller is not an administrator.")}),
                json!([]))},
            "/api/v1/areas": {"get": authed(
                "Reference areas: all, by name or code (`q`, either script), or the children of `parent`", "listAreas",
                json!({"200": ok("Areas, most general first.", array_of("Area")),
                       "400": error_response("Both q and parent given, or a malformed code."),
                       "404": error_response("No area has the parent code.")}),
                json!([
                    {"name": "q", "in": "query", "required": false, "schema": {"type": "string", "maxLength": 200},
                     "description": "A name in Arabic or Latin script (folded: hamza forms, taa marbuta, al-) or a p-code."},
                    {"name": "parent", "in": "query", "required": false, "schema": {"type": "string"},
                     "description": "A p-code; gives the areas directly below it."}
                ]))},
            "/api/v1/areas/{pcode}": {"get": authed(
                "One area with the areas it lies in", "getArea",
                json!({"200": ok("The area.", schema_ref("AreaDetail")),
                       "404": error_response("No area has this code.")}),
                json!([{"name": "pcode", "in": "path", "required": true, "schema": {"type": "string"},
                        "example": "SY0602"}]))}
        },
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "description": "An API token (`sjl_…`)."},
                "session": {"type": "apiKey", "in": "cookie", "name": "sijill_session"}
            },
            "schemas": {
                "Error": {"type": "object", "required": ["error"], "properties": {
                    "error": {"type": "object", "required": ["code", "message"], "properties": {
                        "code": {"type": "string", "examples": ["unauthorized", "forbidden", "not_found", "bad_request", "internal"]},
                        "message": {"type": "string"}}}}},
                "Organization": {"type": "object",
                    "required": ["id", "name", "name_ar", "kind", "network_member", "created_at"],
                    "properties": {
                        "id": uuid, "name": {"type": "string"},
                        "name_ar": {"type": ["string", "null"]},
                        "kind": {"type": "string", "enum": ["relief", "civil-defence", "monitor", "media", "un", "government", "other"]},
                        "network_member": {"type": "boolean"}, "created_at": time}},
                "User": {"type": "object",
                    "required": ["id", "username", "display_name", "org_id", "role", "disabled", "must_change_password", "created_at"],
                    "properties": {
                        "id": uuid, "username": {"type": "string"}, "display_name": {"type": "string"},
                        "org_id": uuid,
                        "role": {"type": "string", "enum": ["admin", "coordinator", "documenter", "field", "analyst", "viewer"]},
                        "disabled": {"type": "boolean"}, "must_change_password": {"type": "boolean"},
                        "created_at": time}},
                "Me": {"type": "object", "required": ["user", "organization"], "properties": {
                    "user": schema_ref("User"),
                    "organization": {"oneOf": [schema_ref("Organization"), {"type": "null"}]}}},
                "Area": {"type": "object",
                    "required": ["pcode", "level", "parent", "name_en", "name_ar", "aliases", "scheme"],
                    "properties": {
                        "pcode": {"type": "string", "examples": ["SY06"]},
                        "level": {"type": "string", "enum": ["country", "governorate", "district", "sub_district", "community"]},
                        "parent": {"type": ["string", "null"]},
                        "name_en": {"type": "string"}, "name_ar": {"type": "string"},
                        "aliases": {"type": "array", "items": {"type": "string"}},
                        "scheme": {"type": "string", "enum": ["ocha", "iso3166", "local"]}}},
                "AreaDetail": {"type": "object", "required": ["area", "ancestry"], "properties": {
                    "area": schema_ref("Area"),
                    "ancestry": {"type": "array", "items": schema_ref("Area"), "description": "From the country down, without the area itself."}}}
            }
        }
    })
}
