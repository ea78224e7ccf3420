//! The entry forms of the documentation section: rescue missions (and a recovered body
//! made a victim record), testimonies and their sharing, displacement sites and
//! reports, custody transfers of evidence, victim records linked to an incident, and the
//! investigator package download.
//!
//! Every form is a POST with the session's CSRF token ([`CsrfForm`]), needs a role that
//! records documentation (the package: a role that may export), answers a bad value
//! with the same page, what was entered kept and each problem named (422), and writes
//! through one store call (all or nothing; the store audits it).

use super::package::{self, PackageError, Selection};
use super::{
    FilterQuery, actor, can_write, displacement_view, evidence_view, fail, incident_page_with,
    incidents_view, rescue_view, testimonies_view,
};
use crate::error::PageError;
use crate::nav::Section;
use crate::session::{CsrfForm, Viewer};
use crate::state::AppState;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use sijill_model::account::OrgId;
use sijill_store::StoreError;
use sijill_store::document_field::{NewRescueMission, NewSite, NewSiteReport};
use sijill_store::document_links::NewBody;
use sijill_store::document_testimony::NewTestimony;
use sijill_store::document_types::{ConsentScope, CustodyEvent, Day, MissionKind, SiteKind};
use uuid::Uuid;

/// The routes of the forms.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/document/rescue", post(create_mission))
        .route("/document/rescue/{id}", get(mission))
        .route("/document/rescue/{id}/bodies", post(body_to_victim))
        .route("/document/testimonies", post(create_testimony))
        .route("/document/testimonies/{id}/share", post(share_testimony))
        .route("/document/displacement/sites", post(create_site))
        .route("/document/displacement/reports", post(add_report))
        .route("/document/evidence/{id}/custody", post(transfer))
        .route("/document/incidents/{id}/victims", post(link_victim))
        .route("/document/export", post(export))
}

fn writer(viewer: &Viewer) -> Result<(), PageError> {
    viewer.require(Section::Document)?;
    if can_write(viewer) {
        Ok(())
    } else {
        Err(PageError::forbidden(viewer.lang))
    }
}

/// A whole number ≥ 0 in Western or Arabic-Indic digits; empty is `empty`.
fn count(s: &str, empty: Option<u32>) -> Result<Option<u32>, ()> {
    let ascii: String = s
        .trim()
        .chars()
        .map(|c| match c {
            '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
            '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
            c => c,
        })
        .collect();
    if ascii.is_empty() {
        return Ok(empty);
    }
    ascii.parse::<u32>().map(Some).map_err(|_| ())
}

/// What the mission form sends (and shows again after a refusal).
#[derive(Debug, Clone, Deserialize, Default)]
pub struct MissionForm {
    /// Team.
    #[serde(default)]
    pub team: String,
    /// `datetime-local`.
    #[serde(default)]
    pub started_at: String,
    /// Area, code or name.
    #[serde(default)]
    pub area: String,
    /// Place.
    #[serde(default)]
    pub place: String,
    /// Kind.
    #[serde(default)]
    pub kind: String,
    /// Rescued alive.
    #[serde(default)]
    pub rescued_alive: String,
    /// Bodies.
    #[serde(default)]
    pub bodies_recovered: String,
    /// Remarks.
    #[serde(default)]
    pub remarks: String,
    /// Handed over to.
    #[serde(default)]
    pub handed_over_to: String,
}

async fn create_mission(
    State(state): State<AppState>,
    CsrfForm(viewer, form): CsrfForm<MissionForm>,
) -> Result<Response, PageError> {
    writer(&viewer)?;
    let t = viewer.lang.strings();
    let mut errors = Vec::new();
    if form.team.trim().is_empty() {
        errors.push(t.doc_err_team);
    }
    let started_at = super::parse_local_time(&form.started_at);
    if started_at.is_none() {
        errors.push(t.doc_err_time);
    }
    let area = state
        .geo
        .resolve(form.area.trim())
        .map(|a| a.pcode.as_str().to_owned());
    if area.is_none() {
        errors.push(t.doc_err_area);
    }
    let kind = form.kind.parse::<MissionKind>().ok();
    if kind.is_none() {
        errors.push(t.doc_err_kind);
    }
    let alive = count(&form.rescued_alive, Some(0));
    let bodies = count(&form.bodies_recovered, Some(0));
    if alive.is_err() || bodies.is_err() {
        errors.push(t.doc_err_count);
    }
    let (Some(started_at), Some(area), Some(kind), Ok(Some(alive)), Ok(Some(bodies)), true) =
        (started_at, area, kind, alive, bodies, errors.is_empty())
    else {
        return rescue_view(&state, &viewer, form, errors, None).await;
    };
    let new = NewRescueMission {
        team: form.team.clone(),
        started_at,
        area,
        place: form.place.clone(),
        kind,
        rescued_alive: alive,
        bodies_recovered: bodies,
        // Browsers send a text area's line breaks as CR LF; stored as LF, as an edit
        // stores them, so sending the edit form back unchanged changes nothing.
        remarks: form.remarks.replace("\r\n", "\n"),
        handed_over_to: form.handed_over_to.clone(),
    };
    match state
        .store
        .create_rescue_mission(&new, actor(&viewer))
        .await
    {
        Ok(m) => {
            Ok(Redirect::to(&format!("/document/rescue/{}?done=mission", m.id)).into_response())
        }
        Err(StoreError::Invalid(_)) => {
            rescue_view(&state, &viewer, form, vec![t.error_bad_request], None).await
        }
        Err(e) => Err(PageError::internal(viewer.lang, e)),
    }
}

struct BodyRow {
    no: u32,
    name: String,
    sex: String,
    age: String,
}

#[derive(askama::Template)]
#[template(path = "document_mission.html")]
struct MissionPage {
    shell: crate::web::Shell,
    t: &'static crate::i18n::Strings,
    csrf: String,
    can_write: bool,
    action: String,
    at: String,
    team: String,
    area: String,
    place: String,
    kind: &'static str,
    alive: u32,
    bodies: u32,
    remarks: String,
    handed: String,
    rows: Vec<BodyRow>,
    others: usize,
    remaining: bool,
    form: BodyForm,
    errors: Vec<&'static str>,
    notice: Option<&'static str>,
}

#[derive(Debug, Deserialize, Default)]
struct NoticeQuery {
    #[serde(default)]
    done: String,
}

async fn mission(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<NoticeQuery>,
) -> Result<Response, PageError> {
    viewer.require(Section::Document)?;
    let id = crate::web::record_id(viewer.lang, &id)?;
    let t = viewer.lang.strings();
    let notice = match q.done.as_str() {
        "mission" => Some(t.doc_mission_saved),
        "body" => Some(t.doc_body_saved),
        _ => None,
    };
    mission_view(&state, &viewer, id, BodyForm::default(), Vec::new(), notice).await
}

async fn mission_view(
    state: &AppState,
    viewer: &Viewer,
    id: Uuid,
    form: BodyForm,
    errors: Vec<&'static str>,
    notice: Option<&'static str>,
) -> Result<Response, PageError> {
    let lang = viewer.lang;
    let t = lang.strings();
    let Some(m) = state.store.rescue_mission(id).await.map_err(fail(lang))? else {
        return Err(PageError::not_found(lang));
    };
    let bodies = state.store.mission_bodies(id).await.map_err(fail(lang))?;
    // Viewers read aggregates only: no record is opened for them.
    let opens = viewer.user.role != sijill_model::account::Role::Viewer;
    let own_ids: Vec<Uuid> = bodies
        .iter()
        .filter(|b| opens && b.org_id == viewer.user.org_id)
        .map(|b| b.victim_record_id)
        .collect();
    // Records of the viewer's organization are opened; others are only counted.
    let records = if own_ids.is_empty() {
        Vec::new()
    } else {
        state
            .store
            .victim_records(viewer.user.org_id, &[])
            .await
            .map_err(fail(lang))?
    };
    let sex_label = |s: Option<&str>| match s {
        Some("male") => t.doc_sex_male,
        Some("female") => t.doc_sex_female,
        _ => t.doc_sex_unknown,
    };
    let rows = bodies
        .iter()
        .filter(|b| opens && b.org_id == viewer.user.org_id)
        .filter_map(|b| {
            let r = records.iter().find(|r| r.id == b.victim_record_id)?;
            Some(BodyRow {
                no: b.body_no,
                name: r.row.personal.full_name.clone().unwrap_or_default(),
                sex: sex_label(r.row.sex.as_deref()).to_owned(),
                age: r.row.age.map(|a| a.to_string()).unwrap_or_default(),
            })
        })
        .collect();
    let p = MissionPage {
        shell: crate::web::Shell::for_viewer(viewer, Some(Section::Document)),
        t,
        csrf: viewer.csrf.clone(),
        can_write: can_write(viewer),
        action: format!("/document/rescue/{id}/bodies"),
        at: crate::web::fmt_time(m.started_at),
        team: m.team,
        area: super::area_name(state, lang, &m.area),
        place: m.place,
        kind: super::mission_kind_label(t, m.kind),
        alive: m.rescued_alive,
        bodies: m.bodies_recovered,
        remarks: m.remarks,
        handed: m.handed_over_to,
        others: bodies.len() - own_ids.len(),
        remaining: (bodies.len() as u32) < m.bodies_recovered,
        rows,
        form,
        errors,
        notice,
    };
    crate::web::form_page(lang, &p, p.errors.is_empty())
}

/// What the body form sends.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct BodyForm {
    /// Name if identified.
    #[serde(default)]
    pub name: String,
    /// `male`, `female` or empty.
    #[serde(default)]
    pub sex: String,
    /// Estimated age.
    #[serde(default)]
    pub age: String,
}

async fn body_to_victim(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(viewer, form): CsrfForm<BodyForm>,
) -> Result<Response, PageError> {
    writer(&viewer)?;
    let id = crate::web::record_id(viewer.lang, &id)?;
    let t = viewer.lang.strings();
    let mut errors = Vec::new();
    let age = match count(&form.age, None) {
        Ok(Some(a)) if a > 130 => {
            errors.push(t.doc_err_age);
            None
        }
        Ok(a) => a,
        Err(()) => {
            errors.push(t.doc_err_age);
            None
        }
    };
    let sex = match form.sex.trim() {
        "" => None,
        s @ ("male" | "female") => Some(s.to_owned()),
        _ => {
            errors.push(t.doc_err_kind);
            None
        }
    };
    if !errors.is_empty() {
        return mission_view(&state, &viewer, id, form, errors, None).await;
    }
    let body = NewBody {
        name: Some(form.name.clone()),
        sex,
        age: age.map(i64::from),
    };
    match state.store.body_to_victim(id, &body, actor(&viewer)).await {
        Ok(_) => Ok(Redirect::to(&format!("/document/rescue/{id}?done=body")).into_response()),
        Err(StoreError::NotFound) => Err(PageError::not_found(viewer.lang)),
        Err(StoreError::Invalid(_)) => {
            mission_view(&state, &viewer, id, form, vec![t.doc_all_bodies_done], None).await
        }
        Err(e) => Err(PageError::internal(viewer.lang, e)),
    }
}

/// What the testimony form sends.
#[derive(Clone, Deserialize, Default)]
pub struct TestimonyForm {
    /// Incident id or empty.
    #[serde(default)]
    pub incident: String,
    /// Consent scope.
    #[serde(default)]
    pub consent: String,
    /// Interviewer.
    #[serde(default)]
    pub interviewer: String,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub interviewed_on: String,
    /// What was said.
    #[serde(default)]
    pub content: String,
}

impl std::fmt::Debug for TestimonyForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the content.
        f.debug_struct("TestimonyForm")
            .field("consent", &self.consent)
            .finish_non_exhaustive()
    }
}

async fn create_testimony(
    State(state): State<AppState>,
    CsrfForm(viewer, form): CsrfForm<TestimonyForm>,
) -> Result<Response, PageError> {
    writer(&viewer)?;
    let t = viewer.lang.strings();
    let mut errors = Vec::new();
    let incident = match form.incident.trim() {
        "" => Some(None),
        s => Uuid::parse_str(s).ok().map(Some),
    };
    if incident.is_none() {
        errors.push(t.doc_incident);
    }
    let consent = form.consent.parse::<ConsentScope>().ok();
    if consent.is_none() {
        errors.push(t.doc_err_consent);
    }
    if form.interviewer.trim().is_empty() {
        errors.push(t.doc_err_interviewer);
    }
    let on = Day::parse(&form.interviewed_on).ok();
    if on.is_none() {
        errors.push(t.doc_err_date);
    }
    if form.content.trim().is_empty() {
        errors.push(t.doc_err_content);
    }
    let (Some(incident_id), Some(consent), Some(interviewed_on), true) =
        (incident, consent, on, errors.is_empty())
    else {
        return testimonies_view(&state, &viewer, form, errors, None).await;
    };
    let new = NewTestimony {
        incident_id,
        consent,
        interviewer: form.interviewer.clone(),
        interviewed_on,
        content: form.content.clone(),
    };
    match state.store.create_testimony(&new, actor(&viewer)).await {
        Ok(_) => Ok(Redirect::to("/document/testimonies?done=testimony").into_response()),
        Err(StoreError::Invalid(_)) => {
            testimonies_view(&state, &viewer, form, vec![t.error_bad_request], None).await
        }
        Err(e) => Err(PageError::internal(viewer.lang, e)),
    }
}

#[derive(Debug, Deserialize)]
struct ShareForm {
    #[serde(default)]
    org: String,
}

async fn share_testimony(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(viewer, form): CsrfForm<ShareForm>,
) -> Result<Response, PageError> {
    writer(&viewer)?;
    let id = crate::web::record_id(viewer.lang, &id)?;
    let t = viewer.lang.strings();
    let org = Uuid::parse_str(form.org.trim())
        .ok()
        .map(OrgId::from_uuid)
        .filter(|o| *o != viewer.user.org_id);
    let known = match org {
        Some(o) => state
            .store
            .org(o)
            .await
            .map_err(fail(viewer.lang))?
            .is_some(),
        None => false,
    };
    let (Some(org), true) = (org, known) else {
        return testimonies_view(
            &state,
            &viewer,
            TestimonyForm::default(),
            vec![t.doc_err_org],
            None,
        )
        .await;
    };
    match state.store.share_testimony(id, org, actor(&viewer)).await {
        Ok(()) => Ok(Redirect::to("/document/testimonies?done=shared").into_response()),
        // Not its organization's (or no such testimony): nothing to say about it.
        Err(StoreError::NotFound) => Err(PageError::not_found(viewer.lang)),
        Err(StoreError::Invalid(_)) => {
            testimonies_view(
                &state,
                &viewer,
                TestimonyForm::default(),
                vec![t.doc_cannot_share_internal],
                None,
            )
            .await
        }
        Err(e) => Err(PageError::internal(viewer.lang, e)),
    }
}

/// What the site form sends.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct SiteForm {
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Arabic name.
    #[serde(default)]
    pub name_ar: String,
    /// Kind.
    #[serde(default)]
    pub kind: String,
    /// Area, code or name.
    #[serde(default)]
    pub area: String,
}

async fn create_site(
    State(state): State<AppState>,
    CsrfForm(viewer, form): CsrfForm<SiteForm>,
) -> Result<Response, PageError> {
    writer(&viewer)?;
    let t = viewer.lang.strings();
    let mut errors = Vec::new();
    if form.name.trim().is_empty() {
        errors.push(t.doc_err_site_name);
    }
    let kind = form.kind.parse::<SiteKind>().ok();
    if kind.is_none() {
        errors.push(t.doc_err_kind);
    }
    let area = state
        .geo
        .resolve(form.area.trim())
        .map(|a| a.pcode.as_str().to_owned());
    if area.is_none() {
        errors.push(t.doc_err_area);
    }
    let (Some(kind), Some(area), true) = (kind, area, errors.is_empty()) else {
        return displacement_view(&state, &viewer, form, ReportForm::default(), errors, None).await;
    };
    let new = NewSite {
        name: form.name.clone(),
        name_ar: Some(form.name_ar.clone()),
        kind,
        area,
    };
    match state.store.create_site(&new, actor(&viewer)).await {
        Ok(_) => Ok(Redirect::to("/document/displacement?done=site").into_response()),
        Err(StoreError::Conflict(_)) => {
            displacement_view(
                &state,
                &viewer,
                form,
                ReportForm::default(),
                vec![t.doc_err_site_name],
                None,
            )
            .await
        }
        Err(StoreError::Invalid(_)) => {
            displacement_view(
                &state,
                &viewer,
                form,
                ReportForm::default(),
                vec![t.error_bad_request],
                None,
            )
            .await
        }
        Err(e) => Err(PageError::internal(viewer.lang, e)),
    }
}

/// What the site report form sends.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct ReportForm {
    /// Site id.
    #[serde(default)]
    pub site: String,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub as_of: String,
    /// Families.
    #[serde(default)]
    pub families: String,
    /// Individuals.
    #[serde(default)]
    pub individuals: String,
    /// Origins, comma-separated codes or names.
    #[serde(default)]
    pub origins: String,
    /// Needs.
    #[serde(default)]
    pub needs: String,
    /// Source.
    #[serde(default)]
    pub source: String,
}

async fn add_report(
    State(state): State<AppState>,
    CsrfForm(viewer, form): CsrfForm<ReportForm>,
) -> Result<Response, PageError> {
    writer(&viewer)?;
    let lang = viewer.lang;
    let t = lang.strings();
    let mut errors = Vec::new();
    let sites = state.store.list_sites().await.map_err(fail(lang))?;
    let site = Uuid::parse_str(form.site.trim())
        .ok()
        .filter(|id| sites.iter().any(|s| s.id == *id));
    if site.is_none() {
        errors.push(t.doc_err_site);
    }
    let as_of = Day::parse(&form.as_of).ok();
    if as_of.is_none() {
        errors.push(t.doc_err_date);
    }
    let families = count(&form.families, None);
    let individuals = count(&form.individuals, None);
    match (&families, &individuals) {
        (Err(()), _) | (_, Err(())) => errors.push(t.doc_err_count),
        (Ok(None), Ok(None)) => errors.push(t.doc_err_counts_needed),
        _ => {}
    }
    let mut origins = Vec::new();
    for o in form.origins.split([',', '،', ';']) {
        let o = o.trim();
        if o.is_empty() {
            continue;
        }
        match state.geo.resolve(o) {
            Some(a) => origins.push(a.pcode.as_str().to_owned()),
            None => {
                errors.push(t.doc_err_origins);
                break;
            }
        }
    }
    if form.source.trim().is_empty() {
        errors.push(t.doc_err_source);
    }
    let (Some(site_id), Some(as_of), Ok(families), Ok(individuals), true) =
        (site, as_of, families, individuals, errors.is_empty())
    else {
        return displacement_view(&state, &viewer, SiteForm::default(), form, errors, None).await;
    };
    let new = NewSiteReport {
        site_id,
        as_of,
        families,
        individuals,
        origins,
        needs: form.needs.replace("\r\n", "\n"),
        source: form.source.clone(),
    };
    match state.store.add_site_report(&new, actor(&viewer)).await {
        Ok(_) => Ok(Redirect::to("/document/displacement?done=report").into_response()),
        Err(StoreError::Invalid(_)) => {
            displacement_view(
                &state,
                &viewer,
                SiteForm::default(),
                form,
                vec![t.error_bad_request],
                None,
            )
            .await
        }
        Err(e) => Err(PageError::internal(lang, e)),
    }
}

#[derive(Debug, Deserialize)]
struct TransferForm {
    #[serde(default)]
    to: String,
}

async fn transfer(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(viewer, form): CsrfForm<TransferForm>,
) -> Result<Response, PageError> {
    writer(&viewer)?;
    let id = crate::web::record_id(viewer.lang, &id)?;
    let lang = viewer.lang;
    let t = lang.strings();
    if state
        .store
        .evidence(id)
        .await
        .map_err(fail(lang))?
        .is_none()
    {
        return Err(PageError::not_found(lang));
    }
    let to = form.to.trim();
    if to.is_empty() || to.chars().count() > 290 {
        return evidence_view(&state, &viewer, id, vec![t.doc_err_transfer], None).await;
    }
    state
        .store
        .record_custody(
            id,
            CustodyEvent::Transferred,
            actor(&viewer),
            &format!("to {to}"),
        )
        .await
        .map_err(fail(lang))?;
    state
        .store
        .append_audit(&sijill_store::AuditEntry {
            actor: Some(viewer.user.id),
            org: Some(viewer.user.org_id),
            action: "evidence.transfer".into(),
            entity: "evidence".into(),
            entity_id: Some(id.to_string()),
            detail: serde_json::json!({}),
        })
        .await
        .map_err(fail(lang))?;
    Ok(Redirect::to(&format!("/document/evidence/{id}?done=transfer")).into_response())
}

#[derive(Debug, Deserialize)]
struct LinkForm {
    #[serde(default)]
    list: String,
    #[serde(default)]
    record: String,
}

async fn link_victim(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(viewer, form): CsrfForm<LinkForm>,
) -> Result<Response, PageError> {
    writer(&viewer)?;
    let id = crate::web::record_id(viewer.lang, &id)?;
    let lang = viewer.lang;
    let t = lang.strings();
    let link = (form.list.as_str(), form.record.as_str());
    let Ok(list) = Uuid::parse_str(form.list.trim()) else {
        return incident_page_with(&state, &viewer, id, None, vec![t.doc_err_record], link).await;
    };
    match state
        .store
        .link_incident_victim(id, list, &form.record, actor(&viewer))
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/document/incidents/{id}?done=victim")).into_response()),
        Err(StoreError::NotFound) => Err(PageError::not_found(lang)),
        Err(StoreError::Invalid(_)) => {
            incident_page_with(&state, &viewer, id, None, vec![t.doc_err_record], link).await
        }
        Err(e) => Err(PageError::internal(lang, e)),
    }
}

/// `POST /document/export` (`incident` repeated): the package of the ticked incidents
/// as a zip attachment. Only roles that may export; logged by [`package::build`].
async fn export(
    State(state): State<AppState>,
    CsrfForm(viewer, form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    viewer.require(Section::Document)?;
    let lang = viewer.lang;
    let t = lang.strings();
    if !package::may_export(viewer.user.role) {
        return Err(PageError::forbidden(lang));
    }
    let mut ids = Vec::new();
    for (k, v) in &form {
        if k == "incident" {
            ids.push(Uuid::parse_str(v.trim()).map_err(|_| PageError::bad_request(lang))?);
        }
    }
    if ids.is_empty() {
        return incidents_view(
            &state,
            &viewer,
            FilterQuery::default(),
            vec![t.doc_err_select],
        )
        .await;
    }
    let files = state.store.evidence_files().await.map_err(fail(lang))?;
    match package::build(&state.store, &files, &Selection::Ids(ids), actor(&viewer)).await {
        Ok(p) => {
            let name = format!("sijill-package-{}.zip", &p.manifest_sha256[..12]);
            let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
                .unwrap_or(HeaderValue::from_static("attachment"));
            Ok((
                [
                    (
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("application/zip"),
                    ),
                    (header::CONTENT_DISPOSITION, disposition),
                ],
                p.zip,
            )
                .into_response())
        }
        Err(PackageError::UnknownIncident(_)) => Err(PageError::not_found(lang)),
        Err(PackageError::Tampered { .. }) => {
            incidents_view(
                &state,
                &viewer,
                FilterQuery::default(),
                vec![t.doc_err_tampered],
            )
            .await
        }
        Err(e) => Err(PageError::internal(lang, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn counts_in_both_digit_sets() {
        assert_eq!(count("١٢", None), Ok(Some(12)));
        assert_eq!(count(" 40 ", None), Ok(Some(40)));
        assert_eq!(count("", Some(0)), Ok(Some(0)));
        assert_eq!(count("", None), Ok(None));
        assert!(count("-1", None).is_err());
        assert!(count("many", None).is_err());
    }
}
