//! Editing an incident's facts (date, precision, area, place, kind, summary) from the web
//! interface. Only the recording organization's writers may edit; its sources, evidence
//! and victim links are kept as they are.
//!
//! An edit goes through the store's sync write path ([`crate::edits`]): only the fields
//! the person changed become one revision, so an edit made offline on a laptop merges
//! with another instance's edit of other fields, and an edit of the same field elsewhere
//! opens a conflict on the sync page instead of being lost.

use super::{IncidentFacts, IncidentValues, can_write, fail, incident_facts, incident_form_page};
use crate::edits::save;
use crate::error::PageError;
use crate::nav::Section;
use crate::session::{CsrfForm, Viewer};
use crate::state::AppState;
use crate::web::{page, page_with_status};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use sijill_store::document_incident::Incident;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route(
        "/document/incidents/{id}/edit",
        get(edit_form).post(save_edit),
    )
}

/// The incident `id` when the viewer's organization recorded it and the viewer may write.
async fn own_incident(state: &AppState, viewer: &Viewer, id: &str) -> Result<Incident, PageError> {
    viewer.require(Section::Document)?;
    let lang = viewer.lang;
    if !can_write(viewer) {
        return Err(PageError::forbidden(lang));
    }
    let id = crate::web::record_id(lang, id)?;
    match state.store.incident(id).await.map_err(fail(lang))? {
        Some(i) if i.org_id == viewer.user.org_id => Ok(i),
        _ => Err(PageError::not_found(lang)),
    }
}

fn values_of(i: &Incident) -> IncidentValues {
    IncidentValues {
        date: i.occurred_on.to_text(),
        precision: i.precision.as_str().into(),
        area: i.area.clone(),
        place: i.place.clone(),
        sub: i.sub_event_type.as_str().into(),
        summary: i.summary.clone(),
    }
}

/// `GET /document/incidents/{id}/edit`: the incident form holding its values.
async fn edit_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let i = own_incident(&state, &viewer, &id).await?;
    let p = incident_form_page(&viewer, Vec::new(), Some(i.id.to_string()), values_of(&i));
    page(viewer.lang, &p)
}

#[derive(Debug, Default, Deserialize)]
struct EditForm {
    #[serde(default)]
    occurred_on: String,
    #[serde(default)]
    precision: String,
    #[serde(default)]
    area: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    sub_event_type: String,
    #[serde(default)]
    summary: String,
}

/// `POST /document/incidents/{id}/edit`: saves the changed facts as one revision.
async fn save_edit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(viewer, form): CsrfForm<EditForm>,
) -> Result<Response, PageError> {
    let i = own_incident(&state, &viewer, &id).await?;
    let lang = viewer.lang;
    let t = lang.strings();
    // Browsers send a text area's line breaks as CR LF.
    let typed = IncidentValues {
        date: form.occurred_on,
        precision: form.precision,
        area: form.area,
        place: form.place.trim().to_owned(),
        sub: form.sub_event_type,
        summary: form.summary.replace("\r\n", "\n").trim().to_owned(),
    };
    let IncidentFacts {
        day,
        precision,
        sub,
        area,
    } = match incident_facts(&state, t, &typed) {
        Ok(f) => f,
        Err(errors) => {
            let p = incident_form_page(&viewer, errors, Some(i.id.to_string()), typed);
            return page_with_status(lang, &p, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let values = [
        ("occurred_on", Some(day.to_text())),
        ("date_precision", Some(precision.as_str().to_owned())),
        ("area_pcode", Some(area)),
        ("place", Some(typed.place)),
        ("event_type", Some(sub.event_type().as_str().to_owned())),
        ("sub_event_type", Some(sub.as_str().to_owned())),
        ("summary", Some(typed.summary)),
    ];
    save(&state, &viewer, "incident", i.id, &values).await?;
    Ok(Redirect::to(&format!("/document/incidents/{}?done=edited", i.id)).into_response())
}
