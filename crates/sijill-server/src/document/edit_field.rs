//! Correcting or deleting a rescue mission or a displacement report, and changing the
//! consent scope of a testimony and the metadata of a piece of evidence (never its
//! file, whose hash names it), from the web: the
//! recording organization's documenters, coordinators and administrators see the entry
//! form holding the stored values, and only what they change becomes one revision of
//! the record (through [`crate::edits`]), so a correction made on a laptop merges at the
//! next sync with one of another field made elsewhere. A record entered by mistake is
//! deleted as a tombstone once the deletion is ticked; a mission whose recovered bodies
//! are victim records already is corrected, never deleted. A testimony's consent may be
//! widened or narrowed, but not to internal use while other organizations hold a share
//! of it (the share would outlive the consent).
//!
//! The forms read the record through the sync layer's view of it
//! ([`crate::edits::stored`]), which is scoped to the viewer's organization: another
//! organization's mission or report is not found.

use super::forms::{MissionForm, ReportForm};
use super::{
    Choice, Owned, can_write, consent_label, fail, mission_kind_label, parse_local_time,
    violation_label,
};
use crate::edits::{delete, save, stored};
use crate::error::PageError;
use crate::i18n::Strings;
use crate::nav::Section;
use crate::session::{CsrfForm, Viewer};
use crate::state::AppState;
use crate::web::Shell;
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use sijill_store::document_types::{ConsentScope, Day, MissionKind, Violation};
use sijill_store::sync_types::Fields;
use uuid::Uuid;

const MISSION: &str = "rescue-mission";
const REPORT: &str = "displacement-report";
const TESTIMONY: &str = "testimony";
const EVIDENCE: &str = "evidence";
/// Longest short text (team, place, source …) and longest free text, as on entry.
const SHORT: usize = 300;
const LONG: usize = 2_000;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/document/rescue/{id}/edit",
            get(mission_form).post(save_mission),
        )
        .route("/document/rescue/{id}/delete", post(delete_mission))
        .route(
            "/document/displacement/reports/{id}/edit",
            get(report_form).post(save_report),
        )
        .route(
            "/document/displacement/reports/{id}/delete",
            post(delete_report),
        )
        .route(
            "/document/testimonies/{id}/edit",
            get(consent_form).post(save_consent),
        )
        .route(
            "/document/evidence/{id}/edit",
            get(evidence_form).post(save_evidence),
        )
}

/// The record `id` of `kind` as stored, when the viewer may write documentation and
/// the viewer's organization recorded it.
async fn own(
    state: &AppState,
    viewer: &Viewer,
    kind: &str,
    id: &str,
) -> Result<(Uuid, Fields), PageError> {
    viewer.require(Section::Document)?;
    if !can_write(viewer) {
        return Err(PageError::forbidden(viewer.lang));
    }
    let id = crate::web::record_id(viewer.lang, id)?;
    Ok((id, stored(state, viewer, kind, id).await?))
}

fn value(f: &Fields, k: &str) -> String {
    f.get(k).cloned().flatten().unwrap_or_default()
}

/// A whole number ≥ 0 in Western or Arabic-Indic digits; `Ok(None)` when empty.
fn count(s: &str) -> Result<Option<u32>, ()> {
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
        return Ok(None);
    }
    ascii.parse::<u32>().map(Some).map_err(|_| ())
}

/// A `datetime-local` value as the synced time (`…T08:30:00.000000Z`). The form shows
/// the minute, so a minute left as it was keeps the stored seconds.
fn time_of(typed: &str, stored: &str) -> Option<String> {
    parse_local_time(typed).map(|at| {
        let canonical = at
            .format(time::macros::format_description!(
                "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z"
            ))
            .unwrap_or_default();
        if canonical.get(..16) == stored.get(..16) {
            stored.to_owned()
        } else {
            canonical
        }
    })
}

/// Text as the entry forms store it: trimmed, a text area's CR LF as LF.
fn text(s: &str) -> String {
    s.replace("\r\n", "\n").trim().to_owned()
}

#[derive(Debug, Default, Deserialize)]
struct DeleteForm {
    #[serde(default)]
    confirm: String,
}

// ---- rescue missions ----

#[derive(Template)]
#[template(path = "document_mission_edit.html")]
struct MissionEditPage {
    shell: Shell,
    t: &'static Strings,
    csrf: String,
    id: String,
    form: MissionForm,
    kinds: Vec<Choice>,
    deletable: bool,
    errors: Vec<&'static str>,
    notice: Option<&'static str>,
}

/// The stored mission as the form shows it (`datetime-local` to the minute).
fn mission_values(f: &Fields) -> MissionForm {
    MissionForm {
        team: value(f, "team"),
        started_at: value(f, "started_at").chars().take(16).collect(),
        area: value(f, "area_pcode"),
        place: value(f, "place"),
        kind: value(f, "kind"),
        rescued_alive: value(f, "rescued_alive"),
        bodies_recovered: value(f, "bodies_recovered"),
        remarks: value(f, "remarks"),
        handed_over_to: value(f, "handed_over_to"),
    }
}

async fn mission_page(
    state: &AppState,
    viewer: &Viewer,
    id: Uuid,
    form: MissionForm,
    errors: Vec<&'static str>,
) -> Result<Response, PageError> {
    let lang = viewer.lang;
    let t = lang.strings();
    let bodies = state.store.mission_bodies(id).await.map_err(fail(lang))?;
    let p = MissionEditPage {
        shell: Shell::for_viewer(viewer, Some(Section::Document)),
        t,
        csrf: viewer.csrf.clone(),
        id: id.to_string(),
        kinds: MissionKind::ALL
            .iter()
            .map(|&k| Choice {
                value: k.as_str(),
                label: mission_kind_label(t, k),
                selected: k.as_str() == form.kind,
            })
            .collect(),
        form,
        deletable: bodies.is_empty(),
        errors,
        notice: None,
    };
    crate::web::form_page(lang, &p, p.errors.is_empty())
}

/// `GET /document/rescue/{id}/edit`.
async fn mission_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let (id, f) = own(&state, &viewer, MISSION, &id).await?;
    mission_page(&state, &viewer, id, mission_values(&f), Vec::new()).await
}

/// The synced values of a mission form, checked as on entry; every problem named.
fn check_mission(
    state: &AppState,
    t: &'static Strings,
    form: &MissionForm,
    was: &Fields,
) -> Result<Vec<(&'static str, Option<String>)>, Vec<&'static str>> {
    let mut errors = Vec::new();
    let team = text(&form.team);
    if team.is_empty() {
        errors.push(t.doc_err_team);
    }
    let started_at = time_of(&form.started_at, &value(was, "started_at"));
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
    let alive = count(&form.rescued_alive).map(|n| n.unwrap_or(0));
    let bodies = count(&form.bodies_recovered).map(|n| n.unwrap_or(0));
    if alive.is_err() || bodies.is_err() {
        errors.push(t.doc_err_count);
    }
    let (place, remarks, handed) = (
        text(&form.place),
        text(&form.remarks),
        text(&form.handed_over_to),
    );
    if [&team, &place, &handed]
        .iter()
        .any(|s| s.chars().count() > SHORT)
        || remarks.chars().count() > LONG
    {
        errors.push(t.ed_err_too_long);
    }
    let (Some(started_at), Some(area), Some(kind), Ok(alive), Ok(bodies), true) =
        (started_at, area, kind, alive, bodies, errors.is_empty())
    else {
        return Err(errors);
    };
    Ok(vec![
        ("team", Some(team)),
        ("started_at", Some(started_at)),
        ("area_pcode", Some(area)),
        ("place", Some(place)),
        ("kind", Some(kind.as_str().to_owned())),
        ("rescued_alive", Some(alive.to_string())),
        ("bodies_recovered", Some(bodies.to_string())),
        ("remarks", Some(remarks)),
        ("handed_over_to", Some(handed)),
    ])
}

/// `POST /document/rescue/{id}/edit`: the changed fields as one revision.
async fn save_mission(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(viewer, form): CsrfForm<MissionForm>,
) -> Result<Response, PageError> {
    let (id, was) = own(&state, &viewer, MISSION, &id).await?;
    let t = viewer.lang.strings();
    let values = match check_mission(&state, t, &form, &was) {
        Ok(v) => v,
        Err(errors) => return mission_page(&state, &viewer, id, form, errors).await,
    };
    save(&state, &viewer, MISSION, id, &values).await?;
    Ok(Redirect::to(&format!("/document/rescue/{id}?done=mission")).into_response())
}

/// `POST /document/rescue/{id}/delete`: needs the tick; refused once a recovered body
/// of the mission is a victim record (the record names the mission).
async fn delete_mission(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(viewer, form): CsrfForm<DeleteForm>,
) -> Result<Response, PageError> {
    let (id, was) = own(&state, &viewer, MISSION, &id).await?;
    let t = viewer.lang.strings();
    let bodies = state
        .store
        .mission_bodies(id)
        .await
        .map_err(fail(viewer.lang))?;
    if !bodies.is_empty() {
        let errors = vec![t.ed_mission_has_bodies];
        return mission_page(&state, &viewer, id, mission_values(&was), errors).await;
    }
    if form.confirm != "1" {
        let errors = vec![t.ed_err_confirm];
        return mission_page(&state, &viewer, id, mission_values(&was), errors).await;
    }
    delete(&state, &viewer, MISSION, id).await?;
    Ok(Redirect::to("/document/rescue?done=deleted").into_response())
}

// ---- displacement reports ----

#[derive(Template)]
#[template(path = "document_report_edit.html")]
struct ReportEditPage {
    shell: Shell,
    t: &'static Strings,
    csrf: String,
    id: String,
    form: ReportForm,
    site_choices: Vec<Owned>,
    errors: Vec<&'static str>,
    notice: Option<&'static str>,
}

/// The stored report as the form shows it: the site by id, origins by p-code.
async fn report_values(
    state: &AppState,
    viewer: &Viewer,
    f: &Fields,
) -> Result<ReportForm, PageError> {
    let sites = state.store.list_sites().await.map_err(fail(viewer.lang))?;
    let site_name = value(f, "site_id");
    Ok(ReportForm {
        site: sites
            .iter()
            .find(|s| s.name == site_name)
            .map(|s| s.id.to_string())
            .unwrap_or_default(),
        as_of: value(f, "as_of"),
        families: value(f, "families"),
        individuals: value(f, "individuals"),
        origins: value(f, "origins")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(", "),
        needs: value(f, "needs"),
        source: value(f, "source"),
    })
}

async fn report_page(
    state: &AppState,
    viewer: &Viewer,
    id: Uuid,
    form: ReportForm,
    errors: Vec<&'static str>,
) -> Result<Response, PageError> {
    let lang = viewer.lang;
    let sites = state.store.list_sites().await.map_err(fail(lang))?;
    let p = ReportEditPage {
        shell: Shell::for_viewer(viewer, Some(Section::Document)),
        t: lang.strings(),
        csrf: viewer.csrf.clone(),
        id: id.to_string(),
        site_choices: sites
            .iter()
            .map(|s| Owned {
                value: s.id.to_string(),
                label: crate::web::org_display_name(lang, &s.name, s.name_ar.as_deref()).to_owned(),
                selected: s.id.to_string() == form.site,
            })
            .collect(),
        form,
        errors,
        notice: None,
    };
    crate::web::form_page(lang, &p, p.errors.is_empty())
}

/// `GET /document/displacement/reports/{id}/edit`.
async fn report_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let (id, f) = own(&state, &viewer, REPORT, &id).await?;
    let form = report_values(&state, &viewer, &f).await?;
    report_page(&state, &viewer, id, form, Vec::new()).await
}

/// The synced values of a report form, checked as on entry.
async fn check_report(
    state: &AppState,
    viewer: &Viewer,
    form: &ReportForm,
) -> Result<Result<Vec<(&'static str, Option<String>)>, Vec<&'static str>>, PageError> {
    let t = viewer.lang.strings();
    let mut errors = Vec::new();
    let sites = state.store.list_sites().await.map_err(fail(viewer.lang))?;
    let site = Uuid::parse_str(form.site.trim())
        .ok()
        .and_then(|id| sites.iter().find(|s| s.id == id));
    if site.is_none() {
        errors.push(t.doc_err_site);
    }
    let as_of = Day::parse(&form.as_of).ok();
    if as_of.is_none() {
        errors.push(t.doc_err_date);
    }
    let families = count(&form.families);
    let individuals = count(&form.individuals);
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
    let (source, needs) = (text(&form.source), text(&form.needs));
    if source.is_empty() {
        errors.push(t.doc_err_source);
    }
    if source.chars().count() > SHORT || needs.chars().count() > LONG {
        errors.push(t.ed_err_too_long);
    }
    let (Some(site), Some(as_of), Ok(families), Ok(individuals), true) =
        (site, as_of, families, individuals, errors.is_empty())
    else {
        return Ok(Err(errors));
    };
    Ok(Ok(vec![
        ("site_id", Some(site.name.clone())),
        ("as_of", Some(as_of.to_text())),
        ("families", families.map(|n| n.to_string())),
        ("individuals", individuals.map(|n| n.to_string())),
        ("origins", Some(origins.join(" "))),
        ("needs", Some(needs)),
        ("source", Some(source)),
    ]))
}

/// `POST /document/displacement/reports/{id}/edit`.
async fn save_report(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(viewer, form): CsrfForm<ReportForm>,
) -> Result<Response, PageError> {
    let (id, _) = own(&state, &viewer, REPORT, &id).await?;
    let values = match check_report(&state, &viewer, &form).await? {
        Ok(v) => v,
        Err(errors) => return report_page(&state, &viewer, id, form, errors).await,
    };
    save(&state, &viewer, REPORT, id, &values).await?;
    Ok(Redirect::to("/document/displacement?done=report").into_response())
}

/// `POST /document/displacement/reports/{id}/delete`: needs the tick.
async fn delete_report(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(viewer, form): CsrfForm<DeleteForm>,
) -> Result<Response, PageError> {
    let (id, was) = own(&state, &viewer, REPORT, &id).await?;
    if form.confirm != "1" {
        let errors = vec![viewer.lang.strings().ed_err_confirm];
        let form = report_values(&state, &viewer, &was).await?;
        return report_page(&state, &viewer, id, form, errors).await;
    }
    delete(&state, &viewer, REPORT, id).await?;
    Ok(Redirect::to("/document/displacement?done=deleted").into_response())
}

// ---- testimonies: the consent scope ----

#[derive(Template)]
#[template(path = "document_testimony_edit.html")]
struct ConsentPage {
    shell: Shell,
    t: &'static Strings,
    csrf: String,
    id: String,
    consents: Vec<Choice>,
    shared: usize,
    errors: Vec<&'static str>,
    notice: Option<&'static str>,
}

#[derive(Debug, Default, Deserialize)]
struct ConsentForm {
    #[serde(default)]
    consent: String,
}

/// The testimony's organizations it is shared with (read by its own organization).
async fn shares(state: &AppState, viewer: &Viewer, id: Uuid) -> Result<usize, PageError> {
    let lang = viewer.lang;
    let t = state
        .store
        .testimony(id, viewer.user.org_id)
        .await
        .map_err(fail(lang))?
        .ok_or_else(|| PageError::not_found(lang))?;
    Ok(t.shared_with.len())
}

async fn consent_page(
    state: &AppState,
    viewer: &Viewer,
    id: Uuid,
    chosen: &str,
    errors: Vec<&'static str>,
) -> Result<Response, PageError> {
    let lang = viewer.lang;
    let t = lang.strings();
    let p = ConsentPage {
        shell: Shell::for_viewer(viewer, Some(Section::Document)),
        t,
        csrf: viewer.csrf.clone(),
        id: id.to_string(),
        consents: ConsentScope::ALL
            .iter()
            .map(|&c| Choice {
                value: c.as_str(),
                label: consent_label(t, c),
                selected: c.as_str() == chosen,
            })
            .collect(),
        shared: shares(state, viewer, id).await?,
        errors,
        notice: None,
    };
    crate::web::form_page(lang, &p, p.errors.is_empty())
}

/// `GET /document/testimonies/{id}/edit`: the consent scope (never the content).
async fn consent_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let (id, f) = own(&state, &viewer, TESTIMONY, &id).await?;
    consent_page(&state, &viewer, id, &value(&f, "consent"), Vec::new()).await
}

/// `POST /document/testimonies/{id}/edit`: a new consent scope, as one revision.
async fn save_consent(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(viewer, form): CsrfForm<ConsentForm>,
) -> Result<Response, PageError> {
    let (id, _) = own(&state, &viewer, TESTIMONY, &id).await?;
    let t = viewer.lang.strings();
    let Ok(consent) = form.consent.parse::<ConsentScope>() else {
        let errors = vec![t.doc_err_consent];
        return consent_page(&state, &viewer, id, &form.consent, errors).await;
    };
    if consent == ConsentScope::Internal && shares(&state, &viewer, id).await? > 0 {
        let errors = vec![t.ed_consent_shared];
        return consent_page(&state, &viewer, id, &form.consent, errors).await;
    }
    let values = [("consent", Some(consent.as_str().to_owned()))];
    save(&state, &viewer, TESTIMONY, id, &values).await?;
    Ok(Redirect::to("/document/testimonies?done=consent").into_response())
}

// ---- evidence: its metadata ----

/// The evidence metadata form (the upload form's fields but the file).
#[derive(Debug, Default, Clone, Deserialize)]
struct EvidenceForm {
    #[serde(default)]
    origin_url: String,
    #[serde(default)]
    captured_at: String,
    #[serde(default)]
    capture_tool: String,
    #[serde(default)]
    captured_by: String,
    #[serde(default)]
    violation: String,
    #[serde(default)]
    description: String,
}

#[derive(Template)]
#[template(path = "document_evidence_edit.html")]
struct EvidenceEditPage {
    shell: Shell,
    t: &'static Strings,
    csrf: String,
    id: String,
    violations: Vec<Choice>,
    form: EvidenceForm,
    errors: Vec<&'static str>,
    notice: Option<&'static str>,
}

fn evidence_values(f: &Fields) -> EvidenceForm {
    EvidenceForm {
        origin_url: value(f, "origin_url"),
        captured_at: value(f, "captured_at").chars().take(16).collect(),
        capture_tool: value(f, "capture_tool"),
        captured_by: value(f, "captured_by"),
        violation: value(f, "violation"),
        description: value(f, "description"),
    }
}

fn evidence_page(
    viewer: &Viewer,
    id: Uuid,
    form: EvidenceForm,
    errors: Vec<&'static str>,
) -> Result<Response, PageError> {
    let lang = viewer.lang;
    let t = lang.strings();
    let p = EvidenceEditPage {
        shell: Shell::for_viewer(viewer, Some(Section::Document)),
        t,
        csrf: viewer.csrf.clone(),
        id: id.to_string(),
        violations: Violation::ALL
            .iter()
            .map(|&v| Choice {
                value: v.as_str(),
                label: violation_label(t, v),
                selected: v.as_str() == form.violation,
            })
            .collect(),
        form,
        errors,
        notice: None,
    };
    crate::web::form_page(lang, &p, p.errors.is_empty())
}

/// `GET /document/evidence/{id}/edit`.
async fn evidence_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let (id, f) = own(&state, &viewer, EVIDENCE, &id).await?;
    evidence_page(&viewer, id, evidence_values(&f), Vec::new())
}

/// The synced values of an evidence form, checked as on upload.
fn check_evidence(
    t: &'static Strings,
    form: &EvidenceForm,
    was: &Fields,
) -> Result<Vec<(&'static str, Option<String>)>, Vec<&'static str>> {
    let mut errors = Vec::new();
    let captured_at = time_of(&form.captured_at, &value(was, "captured_at"));
    if captured_at.is_none() {
        errors.push(t.doc_captured_at);
    }
    let violation = form.violation.parse::<Violation>().ok();
    if violation.is_none() {
        errors.push(t.doc_violation);
    }
    let (tool, by) = (text(&form.capture_tool), text(&form.captured_by));
    if tool.is_empty() {
        errors.push(t.doc_capture_tool);
    }
    if by.is_empty() {
        errors.push(t.doc_captured_by);
    }
    let (url, description) = (text(&form.origin_url), text(&form.description));
    if [&tool, &by, &url].iter().any(|s| s.chars().count() > SHORT)
        || description.chars().count() > LONG
    {
        errors.push(t.ed_err_too_long);
    }
    let (Some(captured_at), Some(violation), true) = (captured_at, violation, errors.is_empty())
    else {
        return Err(errors);
    };
    Ok(vec![
        ("origin_url", (!url.is_empty()).then_some(url)),
        ("captured_at", Some(captured_at)),
        ("capture_tool", Some(tool)),
        ("captured_by", Some(by)),
        ("violation", Some(violation.as_str().to_owned())),
        ("description", Some(description)),
    ])
}

/// `POST /document/evidence/{id}/edit`: the changed metadata as one revision.
async fn save_evidence(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(viewer, form): CsrfForm<EvidenceForm>,
) -> Result<Response, PageError> {
    let (id, was) = own(&state, &viewer, EVIDENCE, &id).await?;
    let values = match check_evidence(viewer.lang.strings(), &form, &was) {
        Ok(v) => v,
        Err(errors) => return evidence_page(&viewer, id, form, errors),
    };
    save(&state, &viewer, EVIDENCE, id, &values).await?;
    Ok(Redirect::to(&format!("/document/evidence/{id}?done=edited")).into_response())
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn counts_in_both_digit_sets() {
        assert_eq!(count("١٢"), Ok(Some(12)));
        assert_eq!(count("۴۰"), Ok(Some(40)));
        assert_eq!(count(" 7 "), Ok(Some(7)));
        assert_eq!(count(""), Ok(None));
        assert!(count("-1").is_err());
        assert!(count("many").is_err());
    }
}
