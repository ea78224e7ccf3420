//! The documentation section: incidents (list, filters, detail, entry), evidence upload
//! with its custody log, testimonies of the viewer's organization, rescue missions with
//! a daily chart, displacement sites with conflicting counts side by side and an
//! origin → site flow, and a schematic map of incident counts.
//!
//! Charts and maps are inline SVG drawn here (classes only; the stylesheet colours
//! them). Testimonies are read through the store's organization-scoped methods, so a
//! page can never show another organization's testimony.

use crate::error::PageError;
use crate::i18n::{Lang, Strings};
use crate::nav::Section;
use crate::session::{CsrfForm, CsrfUpload, Viewer};
use crate::state::AppState;
use crate::web::{Shell, fmt_time, page, page_with_status};
use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use sijill_model::account::Role;
use sijill_store::StoreError;
use sijill_store::document_evidence::{MAX_EVIDENCE_BYTES, NewEvidence};
use sijill_store::document_incident::{IncidentFilter, IncidentSource, NewIncident};
use sijill_store::document_types::{
    Actor, CustodyEvent, DatePrecision, Day, EventType, SubEventType, Violation,
};
use std::collections::BTreeMap;
use uuid::Uuid;

mod edit;
mod edit_field;
mod forms;
pub mod package;

/// The routes of the section.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/document", get(home))
        .route("/document/incidents", get(incidents).post(create_incident))
        .route("/document/incidents/new", get(new_incident))
        .route("/document/incidents/{id}", get(incident))
        .route(
            "/document/incidents/{id}/evidence",
            axum::routing::post(upload_evidence).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route("/document/evidence/{id}", get(evidence))
        .route("/document/evidence/{id}/file", get(evidence_file))
        .route("/document/testimonies", get(testimonies))
        .route("/document/rescue", get(rescue))
        .route("/document/displacement", get(displacement))
        .merge(forms::routes())
        .merge(edit::routes())
        .merge(edit_field::routes())
}

/// Whether a request path is the evidence upload, the one route whose body may be
/// larger than the server's general limit (up to [`UPLOAD_LIMIT`]).
pub fn is_evidence_upload(path: &str) -> bool {
    path.strip_prefix("/document/incidents/")
        .and_then(|rest| rest.strip_suffix("/evidence"))
        .is_some_and(|id| !id.is_empty() && !id.contains('/'))
}

/// Largest evidence upload body: the largest file plus room for the form fields.
pub const UPLOAD_LIMIT: usize = MAX_EVIDENCE_BYTES + 64 * 1024;

pub(crate) fn fail(lang: Lang) -> impl Fn(StoreError) -> PageError {
    move |e| PageError::internal(lang, e)
}

pub(crate) fn can_write(viewer: &Viewer) -> bool {
    matches!(
        viewer.user.role,
        Role::Admin | Role::Coordinator | Role::Documenter
    )
}

pub(crate) fn actor(viewer: &Viewer) -> Actor {
    Actor {
        user: Some(viewer.user.id),
        org: viewer.user.org_id,
    }
}

pub(crate) fn area_name(state: &AppState, lang: Lang, code: &str) -> String {
    state
        .geo
        .get_str(code)
        .map(|a| a.name(lang.code()).to_owned())
        .unwrap_or_else(|| code.to_owned())
}

/// The label of an ACLED event type.
pub fn event_label(t: &Strings, e: EventType) -> &'static str {
    match e {
        EventType::Battles => t.doc_ev_battles,
        EventType::Explosions => t.doc_ev_explosions,
        EventType::ViolenceAgainstCivilians => t.doc_ev_vac,
        EventType::Protests => t.doc_ev_protests,
        EventType::Riots => t.doc_ev_riots,
        EventType::StrategicDevelopments => t.doc_ev_strategic,
    }
}

fn sub_label(t: &Strings, s: SubEventType) -> &'static str {
    use SubEventType as S;
    match s {
        S::ArmedClash => t.doc_sub_armed_clash,
        S::GovernmentRegainsTerritory => t.doc_sub_gov_regains,
        S::NonStateOvertakesTerritory => t.doc_sub_nonstate_overtakes,
        S::AirDroneStrike => t.doc_sub_air_strike,
        S::Shelling => t.doc_sub_shelling,
        S::RemoteExplosive => t.doc_sub_remote_explosive,
        S::Attack => t.doc_sub_attack,
        S::Abduction => t.doc_sub_abduction,
        S::SexualViolence => t.doc_sub_sexual_violence,
        S::PeacefulProtest => t.doc_sub_peaceful_protest,
        S::MobViolence => t.doc_sub_mob_violence,
        S::Looting => t.doc_sub_looting,
        S::Arrests => t.doc_sub_arrests,
        S::Other => t.doc_sub_other,
    }
}

fn violation_label(t: &Strings, v: Violation) -> &'static str {
    use Violation as V;
    match v {
        V::UnlawfulKilling => t.doc_vio_killing,
        V::Torture => t.doc_vio_torture,
        V::ArbitraryDetention => t.doc_vio_detention,
        V::EnforcedDisappearance => t.doc_vio_disappearance,
        V::SexualViolence => t.doc_vio_sgbv,
        V::AttackOnCivilians => t.doc_vio_attack_civilians,
        V::AttackOnMedical => t.doc_vio_attack_medical,
        V::Pillage => t.doc_vio_pillage,
        V::ForcedDisplacement => t.doc_vio_displacement,
        V::HostageTaking => t.doc_vio_hostage,
        V::DenialOfAid => t.doc_vio_denial_aid,
        V::Uncategorized => t.doc_vio_uncategorized,
    }
}

fn precision_label(t: &Strings, p: DatePrecision) -> &'static str {
    match p {
        DatePrecision::Day => t.doc_prec_day,
        DatePrecision::Month => t.doc_prec_month,
        DatePrecision::Approximate => t.doc_prec_approx,
    }
}

fn custody_label(t: &Strings, e: CustodyEvent) -> &'static str {
    match e {
        CustodyEvent::Captured => t.doc_cust_captured,
        CustodyEvent::Viewed => t.doc_cust_viewed,
        CustodyEvent::Transferred => t.doc_cust_transferred,
        CustodyEvent::Exported => t.doc_cust_exported,
        CustodyEvent::Verified => t.doc_cust_verified,
    }
}

/// Guesses the media type from the first bytes of a file (never from its name).
pub fn sniff(bytes: &[u8]) -> &'static str {
    let starts = |m: &[u8]| bytes.starts_with(m);
    if starts(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if starts(b"\xff\xd8\xff") {
        "image/jpeg"
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        "image/gif"
    } else if starts(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        "image/webp"
    } else if starts(b"%PDF-") {
        "application/pdf"
    } else if bytes.get(4..8) == Some(b"ftyp") {
        "video/mp4"
    } else if starts(b"\x1a\x45\xdf\xa3") {
        "video/webm"
    } else if starts(b"PK\x03\x04") {
        "application/zip"
    } else if starts(b"OggS") {
        "audio/ogg"
    } else if starts(b"ID3") {
        "audio/mpeg"
    } else if std::str::from_utf8(bytes).is_ok_and(|s| !s.contains('\0')) {
        "text/plain"
    } else {
        "application/octet-stream"
    }
}

pub(crate) struct Choice {
    value: &'static str,
    label: &'static str,
    selected: bool,
}

struct Tile {
    x: u32,
    y: u32,
    tx: u32,
    ty: u32,
    name: String,
    count: u64,
    class: &'static str,
}

struct DistrictRow {
    name: String,
    governorate: String,
    count: u64,
}

#[derive(Template)]
#[template(path = "document_home.html")]
struct HomePage {
    shell: Shell,
    t: &'static Strings,
    tiles: Vec<Tile>,
    districts: Vec<DistrictRow>,
    total: u64,
}

/// Governorates on a schematic grid, roughly as they lie (column, row).
const GRID: &[(&str, u32, u32)] = &[
    ("SY07", 1, 0),
    ("SY02", 2, 0),
    ("SY11", 3, 0),
    ("SY08", 4, 0),
    ("SY06", 0, 1),
    ("SY05", 1, 1),
    ("SY09", 3, 1),
    ("SY10", 0, 2),
    ("SY04", 1, 2),
    ("SY03", 1, 3),
    ("SY01", 2, 3),
    ("SY14", 0, 4),
    ("SY12", 1, 4),
    ("SY13", 2, 4),
];

async fn home(State(state): State<AppState>, viewer: Viewer) -> Result<Response, PageError> {
    viewer.require(Section::Document)?;
    let lang = viewer.lang;
    let t = lang.strings();
    let counts = state
        .store
        .incident_counts_by_area()
        .await
        .map_err(fail(lang))?;
    let mut by_gov: BTreeMap<String, u64> = BTreeMap::new();
    let mut by_district: BTreeMap<String, u64> = BTreeMap::new();
    let mut total = 0;
    for (code, n) in &counts {
        total += n;
        let Some(area) = state.geo.get_str(code) else {
            continue;
        };
        for a in state.geo.ancestry(&area.pcode) {
            match a.level {
                sijill_model::geo::AdminLevel::Governorate => {
                    *by_gov.entry(a.pcode.as_str().to_owned()).or_default() += n
                }
                sijill_model::geo::AdminLevel::District => {
                    *by_district.entry(a.pcode.as_str().to_owned()).or_default() += n
                }
                _ => {}
            }
        }
    }
    let max = by_gov.values().copied().max().unwrap_or(0);
    let tiles = GRID
        .iter()
        .map(|&(code, col, row)| {
            let count = by_gov.get(code).copied().unwrap_or(0);
            let class = match (count, max) {
                (0, _) => "heat0",
                (n, m) if n * 3 <= m => "heat1",
                (n, m) if n * 3 <= m * 2 => "heat2",
                _ => "heat3",
            };
            Tile {
                x: col * 120 + 4,
                y: row * 76 + 4,
                tx: col * 120 + 60,
                ty: row * 76 + 34,
                name: area_name(&state, lang, code),
                count,
                class,
            }
        })
        .collect();
    let districts = by_district
        .iter()
        .map(|(code, &count)| DistrictRow {
            name: area_name(&state, lang, code),
            governorate: state
                .geo
                .get_str(code)
                .and_then(|a| state.geo.governorate_of(&a.pcode))
                .map(|g| g.name(lang.code()).to_owned())
                .unwrap_or_default(),
            count,
        })
        .collect();
    page(
        lang,
        &HomePage {
            shell: Shell::for_viewer(&viewer, Some(Section::Document)),
            t,
            tiles,
            districts,
            total,
        },
    )
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct FilterQuery {
    #[serde(default)]
    area: String,
    #[serde(default)]
    event_type: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

struct IncidentRow {
    id: String,
    href: String,
    date: String,
    precision: &'static str,
    area: String,
    place: String,
    kind: &'static str,
    sub: &'static str,
    sources: usize,
}

#[derive(Template)]
#[template(path = "document_incidents.html")]
struct IncidentsPage {
    shell: Shell,
    t: &'static Strings,
    rows: Vec<IncidentRow>,
    events: Vec<Choice>,
    area: String,
    from: String,
    to: String,
    can_write: bool,
    bad_filter: bool,
    can_export: bool,
    csrf: String,
    errors: Vec<&'static str>,
    notice: Option<&'static str>,
}

async fn incidents(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<FilterQuery>,
) -> Result<Response, PageError> {
    viewer.require(Section::Document)?;
    incidents_view(&state, &viewer, q, Vec::new()).await
}

/// The incident list with its filters and the export form (422 with `errors`).
pub(crate) async fn incidents_view(
    state: &AppState,
    viewer: &Viewer,
    q: FilterQuery,
    errors: Vec<&'static str>,
) -> Result<Response, PageError> {
    let lang = viewer.lang;
    let t = lang.strings();
    let mut bad_filter = false;
    let mut day = |s: &str| {
        if s.trim().is_empty() {
            None
        } else {
            Day::parse(s).map_err(|_| bad_filter = true).ok()
        }
    };
    let from = day(&q.from);
    let to = day(&q.to);
    let event_type = q.event_type.parse::<EventType>().ok();
    let filter = IncidentFilter {
        area: (!q.area.trim().is_empty()).then(|| q.area.trim().to_owned()),
        event_type,
        from,
        to,
    };
    let list = state
        .store
        .list_incidents(&filter)
        .await
        .map_err(fail(lang))?;
    let rows = list
        .iter()
        .map(|i| IncidentRow {
            id: i.id.to_string(),
            href: format!("/document/incidents/{}", i.id),
            date: i.occurred_on.to_text(),
            precision: precision_label(t, i.precision),
            area: area_name(state, lang, &i.area),
            place: i.place.clone(),
            kind: event_label(t, i.event_type),
            sub: sub_label(t, i.sub_event_type),
            sources: i.sources.len(),
        })
        .collect();
    let events = EventType::ALL
        .iter()
        .map(|&e| Choice {
            value: e.as_str(),
            label: event_label(t, e),
            selected: Some(e) == event_type,
        })
        .collect();
    let p = IncidentsPage {
        shell: Shell::for_viewer(viewer, Some(Section::Document)),
        t,
        rows,
        events,
        area: q.area,
        from: q.from,
        to: q.to,
        can_write: can_write(viewer),
        bad_filter,
        can_export: package::may_export(viewer.user.role),
        csrf: viewer.csrf.clone(),
        errors,
        notice: None,
    };
    crate::web::form_page(lang, &p, p.errors.is_empty())
}

#[derive(Template)]
#[template(path = "document_incident_new.html")]
pub(crate) struct NewIncidentPage {
    pub(crate) shell: Shell,
    pub(crate) t: &'static Strings,
    pub(crate) csrf: String,
    pub(crate) subs: Vec<Choice>,
    pub(crate) precisions: Vec<Choice>,
    pub(crate) errors: Vec<&'static str>,
    /// `Some(id)` when the form edits incident `id` (no sources then: they are kept).
    pub(crate) editing: Option<String>,
    pub(crate) values: IncidentValues,
}

/// What the incident form shows in its fields.
#[derive(Default)]
pub(crate) struct IncidentValues {
    pub(crate) date: String,
    pub(crate) precision: String,
    pub(crate) area: String,
    pub(crate) place: String,
    pub(crate) sub: String,
    pub(crate) summary: String,
}

fn new_incident_page(viewer: &Viewer, errors: Vec<&'static str>) -> NewIncidentPage {
    let values = IncidentValues {
        precision: DatePrecision::Day.as_str().into(),
        ..IncidentValues::default()
    };
    incident_form_page(viewer, errors, None, values)
}

/// The incident form, empty (`editing` none) or holding an incident's values.
pub(crate) fn incident_form_page(
    viewer: &Viewer,
    errors: Vec<&'static str>,
    editing: Option<String>,
    values: IncidentValues,
) -> NewIncidentPage {
    let t = viewer.lang.strings();
    NewIncidentPage {
        shell: Shell::for_viewer(viewer, Some(Section::Document)),
        t,
        csrf: viewer.csrf.clone(),
        subs: SubEventType::ALL
            .iter()
            .map(|&s| Choice {
                value: s.as_str(),
                label: sub_label(t, s),
                selected: s.as_str() == values.sub,
            })
            .collect(),
        precisions: DatePrecision::ALL
            .iter()
            .map(|&p| Choice {
                value: p.as_str(),
                label: precision_label(t, p),
                selected: p.as_str() == values.precision,
            })
            .collect(),
        errors,
        editing,
        values,
    }
}

/// An incident form's facts, checked.
pub(crate) struct IncidentFacts {
    pub(crate) day: Day,
    pub(crate) precision: DatePrecision,
    pub(crate) sub: SubEventType,
    pub(crate) area: String,
}

/// Checks the facts typed in an incident form; the error names each wrong field.
pub(crate) fn incident_facts(
    state: &AppState,
    t: &'static Strings,
    v: &IncidentValues,
) -> Result<IncidentFacts, Vec<&'static str>> {
    let mut errors = Vec::new();
    let day = Day::parse(&v.date).ok();
    if day.is_none() {
        errors.push(t.doc_date);
    }
    let precision = v.precision.parse::<DatePrecision>().ok();
    if precision.is_none() {
        errors.push(t.doc_precision);
    }
    let sub = v.sub.parse::<SubEventType>().ok();
    if sub.is_none() {
        errors.push(t.doc_kind);
    }
    let area = state
        .geo
        .resolve(v.area.trim())
        .map(|a| a.pcode.as_str().to_owned());
    if area.is_none() {
        errors.push(t.doc_area);
    }
    if v.place.chars().count() > 300 {
        errors.push(t.doc_place);
    }
    if v.summary.chars().count() > 2000 {
        errors.push(t.doc_summary);
    }
    match (day, precision, sub, area, errors.is_empty()) {
        (Some(day), Some(precision), Some(sub), Some(area), true) => Ok(IncidentFacts {
            day,
            precision,
            sub,
            area,
        }),
        _ => Err(errors),
    }
}

async fn new_incident(viewer: Viewer) -> Result<Response, PageError> {
    viewer.require(Section::Document)?;
    if !can_write(&viewer) {
        return Err(PageError::forbidden(viewer.lang));
    }
    page(viewer.lang, &new_incident_page(&viewer, Vec::new()))
}

#[derive(Debug, Deserialize)]
struct IncidentForm {
    occurred_on: String,
    precision: String,
    area: String,
    #[serde(default)]
    place: String,
    sub_event_type: String,
    #[serde(default)]
    summary: String,
    source: String,
    #[serde(default)]
    source_url: String,
    #[serde(default)]
    perpetrator: String,
    #[serde(default)]
    target: String,
    #[serde(default)]
    claim: String,
    #[serde(default)]
    source2: String,
    #[serde(default)]
    perpetrator2: String,
    #[serde(default)]
    target2: String,
    #[serde(default)]
    claim2: String,
}

async fn create_incident(
    State(state): State<AppState>,
    CsrfForm(viewer, form): CsrfForm<IncidentForm>,
) -> Result<Response, PageError> {
    viewer.require(Section::Document)?;
    let lang = viewer.lang;
    let t = lang.strings();
    if !can_write(&viewer) {
        return Err(PageError::forbidden(lang));
    }
    let typed = IncidentValues {
        date: form.occurred_on.clone(),
        precision: form.precision.clone(),
        area: form.area.clone(),
        place: form.place.clone(),
        sub: form.sub_event_type.clone(),
        summary: form.summary.clone(),
    };
    let checked = incident_facts(&state, t, &typed);
    let mut errors = checked.as_ref().err().cloned().unwrap_or_default();
    if form.source.trim().is_empty() {
        errors.push(t.doc_source);
    }
    let (
        Ok(IncidentFacts {
            day,
            precision,
            sub,
            area,
        }),
        true,
    ) = (checked, errors.is_empty())
    else {
        return page_with_status(
            lang,
            &incident_form_page(&viewer, errors, None, typed),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    let mut sources = vec![IncidentSource {
        source: form.source,
        url: Some(form.source_url),
        perpetrator: form.perpetrator,
        target: form.target,
        claim: form.claim,
    }];
    if !form.source2.trim().is_empty() {
        sources.push(IncidentSource {
            source: form.source2,
            url: None,
            perpetrator: form.perpetrator2,
            target: form.target2,
            claim: form.claim2,
        });
    }
    let new = NewIncident {
        occurred_on: day,
        precision,
        area,
        place: form.place,
        sub_event_type: sub,
        summary: form.summary,
        sources,
    };
    match state.store.create_incident(&new, actor(&viewer)).await {
        Ok(i) => Ok(Redirect::to(&format!("/document/incidents/{}", i.id)).into_response()),
        Err(StoreError::Invalid(_)) => page_with_status(
            lang,
            &new_incident_page(&viewer, vec![t.error_bad_request]),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(e) => Err(PageError::internal(lang, e)),
    }
}

struct SourceRow {
    source: String,
    url: String,
    perpetrator: String,
    target: String,
    claim: String,
}

struct EvidenceRow {
    href: String,
    name: String,
    sha256: String,
    media_type: String,
    bytes: u64,
    violation: &'static str,
    captured: String,
    origin_url: String,
}

#[derive(Template)]
#[template(path = "document_incident.html")]
struct IncidentPage {
    shell: Shell,
    t: &'static Strings,
    csrf: String,
    action: String,
    date: String,
    precision: &'static str,
    area: String,
    place: String,
    kind: &'static str,
    sub: &'static str,
    summary: String,
    sources: Vec<SourceRow>,
    evidence: Vec<EvidenceRow>,
    violations: Vec<Choice>,
    can_write: bool,
    notice: Option<&'static str>,
    errors: Vec<&'static str>,
    victims: Vec<VictimRow>,
    victims_others: u64,
    lists: Vec<Owned>,
    victims_action: String,
    record_key: String,
    /// The edit form's address, for the recording organization's writers.
    edit_href: Option<String>,
}

struct VictimRow {
    name: String,
    list: String,
    key: String,
    sex: String,
    age: String,
    died: String,
}

#[derive(Debug, Deserialize, Default)]
struct DoneQuery {
    #[serde(default)]
    done: String,
}

pub(crate) async fn incident_page(
    state: &AppState,
    viewer: &Viewer,
    id: Uuid,
    notice: Option<&'static str>,
    errors: Vec<&'static str>,
) -> Result<Response, PageError> {
    incident_page_with(state, viewer, id, notice, errors, ("", "")).await
}

/// The incident page; `link` is what was entered in the victim link form (list, record).
pub(crate) async fn incident_page_with(
    state: &AppState,
    viewer: &Viewer,
    id: Uuid,
    notice: Option<&'static str>,
    errors: Vec<&'static str>,
    link: (&str, &str),
) -> Result<Response, PageError> {
    let lang = viewer.lang;
    let t = lang.strings();
    let Some(i) = state.store.incident(id).await.map_err(fail(lang))? else {
        return Err(PageError::not_found(lang));
    };
    let evidence = state
        .store
        .list_evidence(Some(id))
        .await
        .map_err(fail(lang))?
        .into_iter()
        .map(|e| EvidenceRow {
            href: format!("/document/evidence/{}", e.id),
            name: e.original_name,
            sha256: e.sha256,
            media_type: e.media_type,
            bytes: e.size_bytes,
            violation: violation_label(t, e.violation),
            captured: fmt_time(e.captured_at),
            origin_url: e.origin_url.unwrap_or_default(),
        })
        .collect();
    let mut linked = state
        .store
        .incident_victims(id, viewer.user.org_id)
        .await
        .map_err(fail(lang))?;
    // Viewers read aggregates only: their organization's records are counted, not shown.
    if viewer.user.role == Role::Viewer {
        linked.others += linked.own.len() as u64;
        linked.own.clear();
    }
    let lists = state
        .store
        .victim_lists(viewer.user.org_id)
        .await
        .map_err(fail(lang))?;
    let list_name = |lid: Uuid| {
        lists
            .iter()
            .find(|l| l.id == lid)
            .map(|l| l.source.clone())
            .unwrap_or_default()
    };
    let victims = linked
        .own
        .iter()
        .map(|r| VictimRow {
            name: r.row.personal.display_name(),
            list: list_name(r.list_id),
            key: r.record_key.clone(),
            sex: r.row.sex.clone().unwrap_or_default(),
            age: r.row.age.map(|a| a.to_string()).unwrap_or_default(),
            died: r.row.date_of_death.clone().unwrap_or_default(),
        })
        .collect();
    let p = IncidentPage {
        shell: Shell::for_viewer(viewer, Some(Section::Document)),
        t,
        victims,
        victims_others: linked.others,
        lists: lists
            .iter()
            .map(|l| Owned {
                value: l.id.to_string(),
                label: format!("{} ({})", l.source, l.file_name),
                selected: l.id.to_string() == link.0,
            })
            .collect(),
        victims_action: format!("/document/incidents/{id}/victims"),
        record_key: link.1.to_owned(),
        edit_href: (can_write(viewer) && i.org_id == viewer.user.org_id)
            .then(|| format!("/document/incidents/{id}/edit")),
        csrf: viewer.csrf.clone(),
        action: format!("/document/incidents/{id}/evidence"),
        date: i.occurred_on.to_text(),
        precision: precision_label(t, i.precision),
        area: area_name(state, lang, &i.area),
        place: i.place,
        kind: event_label(t, i.event_type),
        sub: sub_label(t, i.sub_event_type),
        summary: i.summary,
        sources: i
            .sources
            .into_iter()
            .map(|s| SourceRow {
                source: s.source,
                url: s.url.unwrap_or_default(),
                perpetrator: s.perpetrator,
                target: s.target,
                claim: s.claim,
            })
            .collect(),
        evidence,
        violations: Violation::ALL
            .iter()
            .map(|&v| Choice {
                value: v.as_str(),
                label: violation_label(t, v),
                selected: false,
            })
            .collect(),
        can_write: can_write(viewer),
        notice,
        errors,
    };
    crate::web::form_page(lang, &p, p.errors.is_empty())
}

async fn incident(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    viewer.require(Section::Document)?;
    let id = crate::web::record_id(viewer.lang, &id)?;
    let t = viewer.lang.strings();
    let notice = match q.done.as_str() {
        "evidence" => Some(t.doc_evidence_added),
        "victim" => Some(t.doc_linked),
        "edited" => Some(t.doc_edited),
        _ => None,
    };
    incident_page(&state, &viewer, id, notice, Vec::new()).await
}

/// `POST /document/incidents/{id}/evidence` (multipart: csrf, file, origin_url,
/// captured_at, capture_tool, captured_by, violation, description).
async fn upload_evidence(
    State(state): State<AppState>,
    Path(id): Path<String>,
    upload: CsrfUpload,
) -> Result<Response, PageError> {
    let CsrfUpload {
        viewer,
        fields,
        file_name,
        file,
    } = upload;
    viewer.require(Section::Document)?;
    let lang = viewer.lang;
    let t = lang.strings();
    if !can_write(&viewer) {
        return Err(PageError::forbidden(lang));
    }
    let id = crate::web::record_id(lang, &id)?;
    let get = |k: &str| fields.get(k);
    let mut errors = Vec::new();
    if file.is_empty() {
        errors.push(t.doc_file);
    }
    let captured_at = parse_local_time(&get("captured_at"));
    if captured_at.is_none() {
        errors.push(t.doc_captured_at);
    }
    let violation = get("violation").parse::<Violation>().ok();
    if violation.is_none() {
        errors.push(t.doc_violation);
    }
    if get("capture_tool").trim().is_empty() {
        errors.push(t.doc_capture_tool);
    }
    if get("captured_by").trim().is_empty() {
        errors.push(t.doc_captured_by);
    }
    let (Some(captured_at), Some(violation), true) = (captured_at, violation, errors.is_empty())
    else {
        return incident_page(&state, &viewer, id, None, errors).await;
    };
    let files = state.store.evidence_files().await.map_err(fail(lang))?;
    let name = if file_name.trim().is_empty() {
        "upload".to_owned()
    } else {
        file_name
    };
    let new = NewEvidence {
        incident_id: Some(id),
        original_name: name,
        media_type: sniff(&file).to_owned(),
        origin_url: Some(get("origin_url")),
        captured_at,
        capture_tool: get("capture_tool"),
        captured_by: get("captured_by"),
        violation,
        // A text area's CR LF stored as LF, as the metadata edit stores it.
        description: get("description").replace("\r\n", "\n"),
    };
    match state
        .store
        .add_evidence(&files, &new, file, actor(&viewer))
        .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/document/incidents/{id}?done=evidence")).into_response())
        }
        Err(StoreError::Invalid(_)) => {
            incident_page(&state, &viewer, id, None, vec![t.error_bad_request]).await
        }
        Err(e) => Err(PageError::internal(lang, e)),
    }
}

/// Parses a `datetime-local` value (`YYYY-MM-DDTHH:MM`, seconds optional) as UTC.
fn parse_local_time(s: &str) -> Option<time::OffsetDateTime> {
    let s = s.trim();
    let (d, rest) = s.split_once('T')?;
    let day = Day::parse(d).ok()?;
    let mut parts = rest.split(':');
    let h: u8 = parts.next()?.parse().ok()?;
    let m: u8 = parts.next()?.parse().ok()?;
    let sec: u8 = parts
        .next()
        .map(|x| x.split('.').next().unwrap_or("0").parse().unwrap_or(0))
        .unwrap_or(0);
    let t = time::Time::from_hms(h, m, sec).ok()?;
    Some(time::PrimitiveDateTime::new(day.date(), t).assume_utc())
}

struct CustodyRow {
    seq: u64,
    event: &'static str,
    at: String,
    note: String,
    hash: String,
}

#[derive(Template)]
#[template(path = "document_evidence.html")]
struct EvidencePage {
    shell: Shell,
    /// The metadata form, for the holding organization's writers.
    edit_href: Option<String>,
    t: &'static Strings,
    name: String,
    sha256: String,
    media_type: String,
    bytes: u64,
    origin_url: String,
    captured: String,
    tool: String,
    by: String,
    violation: &'static str,
    description: String,
    incident_href: String,
    file_href: String,
    rows: Vec<CustodyRow>,
    chain_ok: bool,
    csrf: String,
    can_write: bool,
    transfer_action: String,
    errors: Vec<&'static str>,
    notice: Option<&'static str>,
}

async fn evidence(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    viewer.require(Section::Document)?;
    let id = crate::web::record_id(viewer.lang, &id)?;
    let notice = (q.done == "transfer").then_some(viewer.lang.strings().doc_transferred);
    evidence_view(&state, &viewer, id, Vec::new(), notice).await
}

/// The evidence page with its transfer form and `errors` (422 then).
pub(crate) async fn evidence_view(
    state: &AppState,
    viewer: &Viewer,
    id: Uuid,
    errors: Vec<&'static str>,
    notice: Option<&'static str>,
) -> Result<Response, PageError> {
    let lang = viewer.lang;
    let t = lang.strings();
    let Some(e) = state.store.evidence(id).await.map_err(fail(lang))? else {
        return Err(PageError::not_found(lang));
    };
    let log = state
        .store
        .custody_log(Some(id))
        .await
        .map_err(fail(lang))?;
    let report = state.store.verify_custody().await.map_err(fail(lang))?;
    let p = EvidencePage {
        shell: Shell::for_viewer(viewer, Some(Section::Document)),
        edit_href: (can_write(viewer) && e.org_id == viewer.user.org_id)
            .then(|| format!("/document/evidence/{}/edit", e.id)),
        t,
        csrf: viewer.csrf.clone(),
        can_write: can_write(viewer),
        transfer_action: format!("/document/evidence/{}/custody", e.id),
        errors,
        notice,
        name: e.original_name,
        sha256: e.sha256,
        media_type: e.media_type,
        bytes: e.size_bytes,
        origin_url: e.origin_url.unwrap_or_default(),
        captured: fmt_time(e.captured_at),
        tool: e.capture_tool,
        by: e.captured_by,
        violation: violation_label(t, e.violation),
        description: e.description,
        file_href: format!("/document/evidence/{}/file", e.id),
        incident_href: e
            .incident_id
            .map(|i| format!("/document/incidents/{i}"))
            .unwrap_or_default(),
        rows: log
            .into_iter()
            .map(|r| CustodyRow {
                seq: r.seq,
                event: custody_label(t, r.event),
                at: fmt_time(r.at),
                note: r.note,
                hash: r.hash[..16].to_owned(),
            })
            .collect(),
        chain_ok: report.first_break.is_none(),
    };
    crate::web::form_page(lang, &p, p.errors.is_empty())
}

/// `GET /document/evidence/{id}/file`: the stored original, as an attachment; each
/// download is a `viewed` custody event.
async fn evidence_file(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    viewer.require(Section::Document)?;
    let lang = viewer.lang;
    if matches!(viewer.user.role, Role::Viewer) {
        return Err(PageError::forbidden(lang));
    }
    let id = crate::web::record_id(lang, &id)?;
    let Some(e) = state.store.evidence(id).await.map_err(fail(lang))? else {
        return Err(PageError::not_found(lang));
    };
    let files = state.store.evidence_files().await.map_err(fail(lang))?;
    let sha = e.sha256.clone();
    let bytes = tokio::task::spawn_blocking(move || files.read_blocking(&sha))
        .await
        .map_err(|e| PageError::internal(lang, e))?
        .map_err(|e| PageError::internal(lang, e))?;
    state
        .store
        .record_custody(id, CustodyEvent::Viewed, actor(&viewer), "downloaded")
        .await
        .map_err(fail(lang))?;
    // A download is a copy leaving the instance: the audit log says who took which file.
    state
        .store
        .append_audit(&sijill_store::AuditEntry {
            actor: Some(viewer.user.id),
            org: Some(viewer.user.org_id),
            action: "export.evidence".into(),
            entity: "evidence".into(),
            entity_id: Some(id.to_string()),
            detail: serde_json::json!({ "sha256": e.sha256, "bytes": bytes.len() }),
        })
        .await
        .map_err(fail(lang))?;
    let ascii: String = e
        .original_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let headers = [
        (
            axum::http::header::CONTENT_TYPE,
            axum::http::HeaderValue::from_str(&e.media_type).unwrap_or(
                axum::http::HeaderValue::from_static("application/octet-stream"),
            ),
        ),
        (
            axum::http::header::CONTENT_DISPOSITION,
            axum::http::HeaderValue::from_str(&format!("attachment; filename=\"{ascii}\""))
                .unwrap_or(axum::http::HeaderValue::from_static("attachment")),
        ),
    ];
    Ok((headers, bytes).into_response())
}

struct TestimonyRow {
    /// The consent form, for the recording organization's writers.
    edit: Option<String>,
    share_action: String,
    shareable: bool,
    internal: bool,
    date: String,
    consent: &'static str,
    interviewer: String,
    content: String,
    shared: usize,
    own: bool,
}

#[derive(Template)]
#[template(path = "document_testimonies.html")]
struct TestimoniesPage {
    shell: Shell,
    t: &'static Strings,
    rows: Vec<TestimonyRow>,
    csrf: String,
    can_write: bool,
    form: forms::TestimonyForm,
    consents: Vec<Choice>,
    incidents: Vec<Owned>,
    orgs: Vec<Owned>,
    errors: Vec<&'static str>,
    notice: Option<&'static str>,
}

/// A choice whose value and label are made at request time.
pub(crate) struct Owned {
    value: String,
    label: String,
    selected: bool,
}

/// The label of a consent scope.
pub(crate) fn consent_label(
    t: &'static Strings,
    c: sijill_store::document_types::ConsentScope,
) -> &'static str {
    use sijill_store::document_types::ConsentScope as C;
    match c {
        C::Internal => t.doc_consent_internal,
        C::Investigators => t.doc_consent_investigators,
        C::PublicAnonymised => t.doc_consent_public,
    }
}

async fn testimonies(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    viewer.require(Section::Document)?;
    let t = viewer.lang.strings();
    let notice = match q.done.as_str() {
        "testimony" => Some(t.doc_testimony_saved),
        "shared" => Some(t.doc_shared),
        _ => None,
    };
    let form = forms::TestimonyForm {
        consent: "investigators".into(),
        ..Default::default()
    };
    testimonies_view(&state, &viewer, form, Vec::new(), notice).await
}

/// The testimonies page with its form holding `form` and `errors` (422 then).
pub(crate) async fn testimonies_view(
    state: &AppState,
    viewer: &Viewer,
    form: forms::TestimonyForm,
    errors: Vec<&'static str>,
    notice: Option<&'static str>,
) -> Result<Response, PageError> {
    let lang = viewer.lang;
    let t = lang.strings();
    // Viewers read aggregates only; testimonies need a documentation role.
    if matches!(viewer.user.role, Role::Viewer) {
        return Err(PageError::forbidden(lang));
    }
    let list = state
        .store
        .testimonies_visible_to(viewer.user.org_id)
        .await
        .map_err(fail(lang))?;
    let internal = sijill_store::document_types::ConsentScope::Internal;
    let rows = list
        .into_iter()
        .map(|x| TestimonyRow {
            edit: (x.org_id == viewer.user.org_id && can_write(viewer))
                .then(|| format!("/document/testimonies/{}/edit", x.id)),
            share_action: format!("/document/testimonies/{}/share", x.id),
            shareable: x.org_id == viewer.user.org_id && x.consent != internal && can_write(viewer),
            internal: x.consent == internal,
            date: x.interviewed_on.to_text(),
            consent: consent_label(t, x.consent),
            interviewer: x.interviewer,
            content: x.content,
            shared: x.shared_with.len(),
            own: x.org_id == viewer.user.org_id,
        })
        .collect();
    let incidents = state
        .store
        .list_incidents(&IncidentFilter::default())
        .await
        .map_err(fail(lang))?
        .into_iter()
        .map(|i| Owned {
            selected: i.id.to_string() == form.incident,
            value: i.id.to_string(),
            label: format!("{} — {}", i.occurred_on, i.place),
        })
        .collect();
    let orgs = state
        .store
        .list_orgs()
        .await
        .map_err(fail(lang))?
        .into_iter()
        .filter(|o| o.id != viewer.user.org_id)
        .map(|o| Owned {
            value: o.id.to_string(),
            label: crate::web::org_display_name(lang, &o.name, o.name_ar.as_deref()).to_owned(),
            selected: false,
        })
        .collect();
    let p = TestimoniesPage {
        shell: Shell::for_viewer(viewer, Some(Section::Document)),
        t,
        rows,
        csrf: viewer.csrf.clone(),
        can_write: can_write(viewer),
        consents: sijill_store::document_types::ConsentScope::ALL
            .iter()
            .map(|&c| Choice {
                value: c.as_str(),
                label: consent_label(t, c),
                selected: c.as_str() == form.consent,
            })
            .collect(),
        form,
        incidents,
        orgs,
        errors,
        notice,
    };
    crate::web::form_page(lang, &p, p.errors.is_empty())
}

struct Bar {
    x: u32,
    y: u32,
    h: u32,
    w: u32,
    class: &'static str,
    title: String,
}

struct Label {
    x: u32,
    text: String,
}

struct MissionRow {
    href: String,
    /// The edit form, for the recording organization's writers.
    edit: Option<String>,
    at: String,
    team: String,
    area: String,
    place: String,
    kind: &'static str,
    alive: u32,
    bodies: u32,
    remarks: String,
    handed: String,
}

#[derive(Template)]
#[template(path = "document_rescue.html")]
struct RescuePage {
    shell: Shell,
    t: &'static Strings,
    csrf: String,
    can_write: bool,
    form: forms::MissionForm,
    kinds: Vec<Choice>,
    errors: Vec<&'static str>,
    notice: Option<&'static str>,
    bars: Vec<Bar>,
    labels: Vec<Label>,
    width: u32,
    max: u32,
    rows: Vec<MissionRow>,
    total_missions: u32,
    total_bodies: u32,
    total_alive: u32,
}

const CHART_H: u32 = 160;

#[derive(Debug, Deserialize, Default)]
struct NoticeQuery {
    #[serde(default)]
    done: String,
}

async fn rescue(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    viewer.require(Section::Document)?;
    let t = viewer.lang.strings();
    let notice = match q.done.as_str() {
        "mission" => Some(t.doc_mission_saved),
        "deleted" => Some(t.ed_mission_deleted),
        _ => None,
    };
    let form = forms::MissionForm {
        kind: "body-recovery".into(),
        ..Default::default()
    };
    rescue_view(&state, &viewer, form, Vec::new(), notice).await
}

/// The rescue page, with the mission form holding `form` and `errors` (422 then).
pub(crate) async fn rescue_view(
    state: &AppState,
    viewer: &Viewer,
    form: forms::MissionForm,
    errors: Vec<&'static str>,
    notice: Option<&'static str>,
) -> Result<Response, PageError> {
    let lang = viewer.lang;
    let t = lang.strings();
    let tallies = state
        .store
        .rescue_daily_tallies()
        .await
        .map_err(fail(lang))?;
    let max = tallies
        .iter()
        .map(|d| d.missions.max(d.bodies_recovered))
        .max()
        .unwrap_or(0)
        .max(1);
    let mut bars = Vec::new();
    let mut labels = Vec::new();
    for (i, d) in tallies.iter().enumerate() {
        let x0 = 40 + i as u32 * 64;
        for (k, (v, class, what)) in [
            (d.missions, "bar-missions", t.doc_missions),
            (d.bodies_recovered, "bar-bodies", t.doc_bodies),
        ]
        .into_iter()
        .enumerate()
        {
            let h = v * CHART_H / max;
            bars.push(Bar {
                x: x0 + k as u32 * 24,
                y: 10 + CHART_H - h,
                h,
                w: 22,
                class,
                title: format!("{} — {what}: {v}", d.day),
            });
        }
        labels.push(Label {
            x: x0 + 23,
            text: d.day.to_text()[5..].to_owned(),
        });
    }
    let missions = state
        .store
        .list_rescue_missions()
        .await
        .map_err(fail(lang))?;
    let kind_label = |k| mission_kind_label(t, k);
    let p = RescuePage {
        shell: Shell::for_viewer(viewer, Some(Section::Document)),
        t,
        csrf: viewer.csrf.clone(),
        can_write: can_write(viewer),
        kinds: sijill_store::document_types::MissionKind::ALL
            .iter()
            .map(|&k| Choice {
                value: k.as_str(),
                label: mission_kind_label(t, k),
                selected: k.as_str() == form.kind,
            })
            .collect(),
        form,
        notice,
        width: 60 + tallies.len() as u32 * 64,
        max,
        bars,
        labels,
        total_missions: tallies.iter().map(|d| d.missions).sum(),
        total_bodies: tallies.iter().map(|d| d.bodies_recovered).sum(),
        total_alive: tallies.iter().map(|d| d.rescued_alive).sum(),
        rows: missions
            .into_iter()
            .map(|m| MissionRow {
                href: format!("/document/rescue/{}", m.id),
                edit: (can_write(viewer) && m.org_id == viewer.user.org_id)
                    .then(|| format!("/document/rescue/{}/edit", m.id)),
                at: fmt_time(m.started_at),
                team: m.team,
                area: area_name(state, lang, &m.area),
                place: m.place,
                kind: kind_label(m.kind),
                alive: m.rescued_alive,
                bodies: m.bodies_recovered,
                remarks: m.remarks,
                handed: m.handed_over_to,
            })
            .collect(),
        errors,
    };
    crate::web::form_page(lang, &p, p.errors.is_empty())
}

/// The label of a rescue mission kind.
pub(crate) fn mission_kind_label(
    t: &'static Strings,
    k: sijill_store::document_types::MissionKind,
) -> &'static str {
    use sijill_store::document_types::MissionKind as K;
    match k {
        K::SearchRescue => t.doc_mk_search,
        K::BodyRecovery => t.doc_mk_bodies,
        K::Evacuation => t.doc_mk_evacuation,
        K::Fire => t.doc_mk_fire,
        K::Other => t.doc_sub_other,
    }
}

struct ReportCell {
    /// The edit form, for the recording organization's writers.
    edit: Option<String>,
    as_of: String,
    families: String,
    individuals: String,
    source: String,
    needs: String,
}

struct SiteBlock {
    name: String,
    kind: &'static str,
    area: String,
    reports: Vec<ReportCell>,
    conflict: bool,
}

struct Node {
    x: u32,
    y: u32,
    tx: u32,
    ty: u32,
    name: String,
    anchor: &'static str,
}

struct Flow {
    x1: u32,
    y1: u32,
    x2: u32,
    y2: u32,
    w: u32,
    title: String,
}

#[derive(Template)]
#[template(path = "document_displacement.html")]
struct DisplacementPage {
    shell: Shell,
    t: &'static Strings,
    csrf: String,
    can_write: bool,
    site_form: forms::SiteForm,
    report_form: forms::ReportForm,
    site_kinds: Vec<Choice>,
    site_choices: Vec<Owned>,
    errors: Vec<&'static str>,
    notice: Option<&'static str>,
    sites: Vec<SiteBlock>,
    origins: Vec<Node>,
    targets: Vec<Node>,
    flows: Vec<Flow>,
    height: u32,
}

async fn displacement(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    viewer.require(Section::Document)?;
    let t = viewer.lang.strings();
    let notice = match q.done.as_str() {
        "" => None,
        "deleted" => Some(t.ed_report_deleted),
        _ => Some(t.doc_saved),
    };
    displacement_view(
        &state,
        &viewer,
        forms::SiteForm::default(),
        forms::ReportForm::default(),
        Vec::new(),
        notice,
    )
    .await
}

/// The displacement page with its two forms holding what was entered and `errors`.
pub(crate) async fn displacement_view(
    state: &AppState,
    viewer: &Viewer,
    site_form: forms::SiteForm,
    report_form: forms::ReportForm,
    errors: Vec<&'static str>,
    notice: Option<&'static str>,
) -> Result<Response, PageError> {
    let lang = viewer.lang;
    let t = lang.strings();
    let sites = state.store.list_sites().await.map_err(fail(lang))?;
    let reports = state.store.site_reports(None).await.map_err(fail(lang))?;
    let editable = if can_write(viewer) {
        let org = viewer.user.org_id;
        let kind = "displacement-report";
        state
            .store
            .sync_owned(org, kind)
            .await
            .map_err(fail(lang))?
    } else {
        Default::default()
    };
    let n = |v: Option<u32>| v.map(|v| v.to_string()).unwrap_or_else(|| "—".into());
    let kind_label = |k| site_kind_label(t, k);
    let mut blocks = Vec::new();
    // Flow map: origins on one side, sites on the other, a line per (origin, site)
    // as wide as the largest count reported for that site.
    let mut origin_codes: Vec<String> = Vec::new();
    let mut links: BTreeMap<(usize, usize), u32> = BTreeMap::new();
    for (si, s) in sites.iter().enumerate() {
        let mine: Vec<_> = reports
            .iter()
            .filter(|r| r.report.site_id == s.id)
            .collect();
        let people: std::collections::BTreeSet<u32> =
            mine.iter().filter_map(|r| r.report.individuals).collect();
        let families: std::collections::BTreeSet<u32> =
            mine.iter().filter_map(|r| r.report.families).collect();
        for r in &mine {
            for o in &r.report.origins {
                let oi = match origin_codes.iter().position(|c| c == o) {
                    Some(i) => i,
                    None => {
                        origin_codes.push(o.clone());
                        origin_codes.len() - 1
                    }
                };
                let v = links.entry((oi, si)).or_default();
                *v = (*v).max(r.report.individuals.unwrap_or(0));
            }
        }
        blocks.push(SiteBlock {
            name: crate::web::org_display_name(lang, &s.name, s.name_ar.as_deref()).to_owned(),
            kind: kind_label(s.kind),
            area: area_name(state, lang, &s.area),
            conflict: people.len() > 1 || families.len() > 1,
            reports: mine
                .iter()
                .map(|r| ReportCell {
                    edit: editable
                        .contains(&r.id)
                        .then(|| format!("/document/displacement/reports/{}/edit", r.id)),
                    as_of: r.report.as_of.to_text(),
                    families: n(r.report.families),
                    individuals: n(r.report.individuals),
                    source: r.report.source.clone(),
                    needs: r.report.needs.clone(),
                })
                .collect(),
        });
    }
    let row = 44;
    let height = 20 + row * origin_codes.len().max(sites.len()).max(1) as u32;
    let oy = |i: usize| 30 + i as u32 * row;
    let max_people = links.values().copied().max().unwrap_or(0).max(1);
    let origins = origin_codes
        .iter()
        .enumerate()
        .map(|(i, c)| Node {
            x: 150,
            y: oy(i),
            tx: 140,
            ty: oy(i) + 4,
            name: area_name(state, lang, c),
            anchor: "end",
        })
        .collect();
    let targets = sites
        .iter()
        .enumerate()
        .map(|(i, s)| Node {
            x: 450,
            y: oy(i),
            tx: 460,
            ty: oy(i) + 4,
            name: crate::web::org_display_name(lang, &s.name, s.name_ar.as_deref()).to_owned(),
            anchor: "start",
        })
        .collect();
    let flows = links
        .iter()
        .map(|(&(oi, si), &v)| Flow {
            x1: 156,
            y1: oy(oi),
            x2: 444,
            y2: oy(si),
            w: 1 + v * 11 / max_people,
            title: format!(
                "{} → {}: {}",
                area_name(state, lang, &origin_codes[oi]),
                sites[si].name,
                v
            ),
        })
        .collect();
    let p = DisplacementPage {
        shell: Shell::for_viewer(viewer, Some(Section::Document)),
        t,
        csrf: viewer.csrf.clone(),
        can_write: can_write(viewer),
        site_kinds: sijill_store::document_types::SiteKind::ALL
            .iter()
            .map(|&k| Choice {
                value: k.as_str(),
                label: site_kind_label(t, k),
                selected: k.as_str() == site_form.kind,
            })
            .collect(),
        site_choices: sites
            .iter()
            .map(|s| Owned {
                value: s.id.to_string(),
                label: crate::web::org_display_name(lang, &s.name, s.name_ar.as_deref()).to_owned(),
                selected: s.id.to_string() == report_form.site,
            })
            .collect(),
        site_form,
        report_form,
        errors,
        notice,
        sites: blocks,
        origins,
        targets,
        flows,
        height,
    };
    crate::web::form_page(lang, &p, p.errors.is_empty())
}

/// The label of a displacement site kind.
pub(crate) fn site_kind_label(
    t: &'static Strings,
    k: sijill_store::document_types::SiteKind,
) -> &'static str {
    use sijill_store::document_types::SiteKind as K;
    match k {
        K::AirBase => t.doc_site_air_base,
        K::Forest => t.doc_site_forest,
        K::HostCommunity => t.doc_site_host,
        K::CollectiveShelter => t.doc_site_shelter,
        K::CrossBorder => t.doc_site_cross_border,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_from_bytes_not_names() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n rest"), "image/png");
        assert_eq!(sniff(b"\x00\x00\x00\x18ftypmp42"), "video/mp4");
        assert_eq!(sniff("شهادة".as_bytes()), "text/plain");
        assert_eq!(sniff(b"\x00\x01\x02"), "application/octet-stream");
    }

    #[test]
    fn only_the_upload_route_has_the_large_limit() {
        assert!(is_evidence_upload("/document/incidents/0192-ab/evidence"));
        assert!(!is_evidence_upload("/document/incidents//evidence"));
        assert!(!is_evidence_upload("/document/incidents/a/b/evidence"));
        assert!(!is_evidence_upload("/login"));
    }

    #[test]
    fn local_times_parse() {
        let t = parse_local_time("2025-03-08T09:30").unwrap();
        assert_eq!((t.hour(), t.minute()), (9, 30));
        assert!(parse_local_time("yesterday").is_none());
    }
}
