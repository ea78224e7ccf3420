//! Volunteers (the viewer's organization's list, the network's counts) and dialogue
//! sessions (every partner's sessions; facilitators' names only for their own).

use super::words::{number, parse_count};
use super::{
    Choice, Lists, SubNav, area_choices, area_name, can_enter, fail, fmt_date, parse_date, require,
    require_entry, resolve_area, today,
};
use crate::error::PageError;
use crate::i18n::Strings;
use crate::nav::Section;
use crate::session::{CsrfForm, Viewer};
use crate::state::AppState;
use crate::web::{DoneQuery, Shell, audit_entry, page_with_status, record};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sijill_model::geo::PCode;
use sijill_store::{Dialogue, NewVolunteer, Participants};

struct VolunteerRow {
    /// The edit form, for those who enter records.
    edit: Option<String>,
    name: String,
    area: String,
    skills: String,
    days: String,
}

#[derive(Template)]
#[template(path = "respond_volunteers.html")]
struct VolunteersPage {
    shell: Shell,
    t: &'static Strings,
    sub: SubNav,
    csrf: String,
    can_enter: bool,
    areas: Vec<Choice>,
    campaigns: Vec<Choice>,
    rows: Vec<VolunteerRow>,
    network: String,
    network_days: String,
    notice: Option<&'static str>,
    errors: Vec<&'static str>,
}

/// The volunteer form.
#[derive(Debug, Deserialize)]
pub struct VolunteerForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    area: String,
    #[serde(default)]
    skills: String,
    #[serde(default)]
    days: String,
    #[serde(default)]
    campaign: String,
}

async fn volunteers_page(
    state: &AppState,
    viewer: &Viewer,
    status: StatusCode,
    notice: Option<&'static str>,
    errors: Vec<&'static str>,
) -> Result<Response, PageError> {
    let lang = viewer.lang;
    let t = lang.strings();
    let lists = Lists::load(state, lang).await?;
    let list = state
        .store
        .list_volunteers(viewer.user.org_id)
        .await
        .map_err(fail(lang))?;
    let totals = state.store.people_totals(None).await.map_err(fail(lang))?;
    let p = VolunteersPage {
        shell: Shell::for_viewer(viewer, Some(Section::Respond)),
        t,
        sub: SubNav::new(t, viewer.user.role, "/respond/volunteers"),
        csrf: viewer.csrf.clone(),
        can_enter: can_enter(viewer.user.role),
        areas: area_choices(&state.geo, lang),
        campaigns: lists.campaign_choices(lang, lists.current_campaign(today()).map(|c| c.id)),
        rows: list
            .iter()
            .map(|v| VolunteerRow {
                edit: can_enter(viewer.user.role)
                    .then(|| format!("/respond/volunteers/{}/edit", v.id)),
                name: v.name.clone(),
                area: area_name(&state.geo, lang, &v.pcode),
                skills: v.skills.join("، "),
                days: number(lang, u64::from(v.days_active)),
            })
            .collect(),
        network: number(lang, totals.volunteers),
        network_days: number(lang, totals.volunteer_days),
        notice,
        errors,
    };
    page_with_status(lang, &p, status)
}

/// `GET /respond/volunteers`.
pub async fn volunteers(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    require(&viewer)?;
    let notice = (q.done.as_deref() == Some("1")).then_some(viewer.lang.strings().rs_saved);
    volunteers_page(&state, &viewer, StatusCode::OK, notice, Vec::new()).await
}

/// `POST /respond/volunteers`.
pub async fn add_volunteer(
    State(state): State<AppState>,
    CsrfForm(viewer, form): CsrfForm<VolunteerForm>,
) -> Result<Response, PageError> {
    require_entry(&viewer)?;
    let lang = viewer.lang;
    let t = lang.strings();
    let mut errors = Vec::new();
    if form.name.trim().is_empty() || form.name.chars().count() > 200 {
        errors.push(t.rs_name_col);
    }
    let pcode = resolve_area(&state.geo, &form.area).and_then(|p| PCode::parse(&p).ok());
    if pcode.is_none() {
        errors.push(t.rs_area);
    }
    let days = if form.days.trim().is_empty() {
        Some(0)
    } else {
        parse_count(&form.days).and_then(|d| u32::try_from(d).ok())
    };
    if days.is_none() {
        errors.push(t.rs_days_active);
    }
    let (Some(pcode), Some(days), true) = (pcode, days, errors.is_empty()) else {
        return volunteers_page(
            &state,
            &viewer,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            errors,
        )
        .await;
    };
    let new = NewVolunteer {
        campaign: form.campaign.parse().ok(),
        name: form.name.trim().to_owned(),
        pcode,
        skills: form
            .skills
            .split([',', '،'])
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect(),
        days_active: days,
    };
    let id = state
        .store
        .create_volunteer(viewer.user.org_id, &new)
        .await
        .map_err(fail(lang))?;
    record(
        &state,
        audit_entry(
            &viewer.user,
            "volunteer.create",
            "volunteer",
            id.to_string(),
            serde_json::json!({"days": days}),
        ),
    )
    .await;
    Ok(Redirect::to(&super::keep_lang(&viewer, "/respond/volunteers?done=1")).into_response())
}

struct DialogueRow {
    /// The edit form, for the recording organization's enterers.
    edit: Option<String>,
    date: String,
    area: String,
    org: String,
    facilitators: String,
    groups: String,
    total: String,
    topics: String,
    outcomes: String,
    follow_ups: String,
}

#[derive(Template)]
#[template(path = "respond_dialogue.html")]
struct DialoguePage {
    shell: Shell,
    t: &'static Strings,
    sub: SubNav,
    csrf: String,
    can_enter: bool,
    areas: Vec<Choice>,
    campaigns: Vec<Choice>,
    date: String,
    rows: Vec<DialogueRow>,
    notice: Option<&'static str>,
    errors: Vec<&'static str>,
}

/// The dialogue form.
#[derive(Debug, Deserialize)]
pub struct DialogueForm {
    #[serde(default)]
    date: String,
    #[serde(default)]
    area: String,
    #[serde(default)]
    campaign: String,
    #[serde(default)]
    facilitators: String,
    #[serde(default)]
    dignitaries: String,
    #[serde(default)]
    residents: String,
    #[serde(default)]
    activists: String,
    #[serde(default)]
    youth: String,
    #[serde(default)]
    women: String,
    #[serde(default)]
    topics: String,
    #[serde(default)]
    outcomes: String,
    #[serde(default)]
    follow_ups: String,
}

pub(crate) fn groups_text(
    t: &'static Strings,
    lang: crate::i18n::Lang,
    p: &Participants,
) -> String {
    [
        (t.rs_g_dignitaries, p.dignitaries),
        (t.rs_g_residents, p.residents),
        (t.rs_g_activists, p.activists),
        (t.rs_g_youth, p.youth),
        (t.rs_g_women, p.women),
    ]
    .iter()
    .filter(|(_, n)| *n > 0)
    .map(|(l, n)| format!("{l} {}", number(lang, u64::from(*n))))
    .collect::<Vec<_>>()
    .join(" · ")
}

async fn dialogue_page(
    state: &AppState,
    viewer: &Viewer,
    status: StatusCode,
    notice: Option<&'static str>,
    errors: Vec<&'static str>,
) -> Result<Response, PageError> {
    let lang = viewer.lang;
    let t = lang.strings();
    let lists = Lists::load(state, lang).await?;
    let list = state
        .store
        .list_dialogues(viewer.user.org_id)
        .await
        .map_err(fail(lang))?;
    let p = DialoguePage {
        shell: Shell::for_viewer(viewer, Some(Section::Respond)),
        t,
        sub: SubNav::new(t, viewer.user.role, "/respond/dialogue"),
        csrf: viewer.csrf.clone(),
        can_enter: can_enter(viewer.user.role),
        areas: area_choices(&state.geo, lang),
        campaigns: lists.campaign_choices(lang, lists.current_campaign(today()).map(|c| c.id)),
        date: fmt_date(today()),
        rows: list
            .iter()
            .map(|d| DialogueRow {
                edit: (can_enter(viewer.user.role) && d.org == viewer.user.org_id)
                    .then(|| format!("/respond/dialogue/{}/edit", d.id)),
                date: fmt_date(d.held_on),
                area: area_name(&state.geo, lang, &d.pcode),
                org: lists.org_name(lang, d.org),
                facilitators: d.facilitators.clone(),
                groups: groups_text(t, lang, &d.participants),
                total: number(lang, d.participants.total()),
                topics: d.topics.clone(),
                outcomes: d.outcomes.clone(),
                follow_ups: d.follow_ups.clone(),
            })
            .collect(),
        notice,
        errors,
    };
    page_with_status(lang, &p, status)
}

/// `GET /respond/dialogue`.
pub async fn dialogues(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    require(&viewer)?;
    let notice = (q.done.as_deref() == Some("1")).then_some(viewer.lang.strings().rs_saved);
    dialogue_page(&state, &viewer, StatusCode::OK, notice, Vec::new()).await
}

/// `POST /respond/dialogue`.
pub async fn add_dialogue(
    State(state): State<AppState>,
    CsrfForm(viewer, form): CsrfForm<DialogueForm>,
) -> Result<Response, PageError> {
    require_entry(&viewer)?;
    let lang = viewer.lang;
    let t = lang.strings();
    let mut errors = Vec::new();
    let held_on = parse_date(&form.date);
    if held_on.is_none() {
        errors.push(t.rs_date);
    }
    let pcode = resolve_area(&state.geo, &form.area);
    if pcode.is_none() {
        errors.push(t.rs_area);
    }
    let mut group = |s: &str, label: &'static str| {
        if s.trim().is_empty() {
            return 0;
        }
        match parse_count(s).and_then(|n| u32::try_from(n).ok()) {
            Some(n) => n,
            None => {
                errors.push(label);
                0
            }
        }
    };
    let participants = Participants {
        dignitaries: group(&form.dignitaries, t.rs_g_dignitaries),
        residents: group(&form.residents, t.rs_g_residents),
        activists: group(&form.activists, t.rs_g_activists),
        youth: group(&form.youth, t.rs_g_youth),
        women: group(&form.women, t.rs_g_women),
    };
    if form.topics.trim().is_empty() || form.topics.chars().count() > 2000 {
        errors.push(t.rs_topics);
    }
    let (Some(held_on), Some(pcode), true) = (held_on, pcode, errors.is_empty()) else {
        return dialogue_page(
            &state,
            &viewer,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            errors,
        )
        .await;
    };
    let d = Dialogue {
        id: uuid::Uuid::nil(),
        org: viewer.user.org_id,
        campaign: form.campaign.parse().ok(),
        held_on,
        pcode,
        facilitators: form.facilitators,
        participants,
        topics: form.topics,
        outcomes: form.outcomes,
        follow_ups: form.follow_ups,
    };
    match state.store.create_dialogue(viewer.user.org_id, &d).await {
        Ok(id) => {
            record(
                &state,
                audit_entry(
                    &viewer.user,
                    "dialogue.create",
                    "dialogue",
                    id.to_string(),
                    serde_json::json!({"participants": participants.total()}),
                ),
            )
            .await;
            Ok(
                Redirect::to(&super::keep_lang(&viewer, "/respond/dialogue?done=1"))
                    .into_response(),
            )
        }
        Err(sijill_store::StoreError::Invalid(_)) => {
            dialogue_page(
                &state,
                &viewer,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                vec![t.error_bad_request],
            )
            .await
        }
        Err(e) => Err(PageError::internal(lang, e)),
    }
}
