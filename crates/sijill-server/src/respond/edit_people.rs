//! Correcting or deleting a volunteer, a dialogue session or a cash transfer the viewer's
//! organization recorded. Each edit form holds the entry form's fields with the stored values
//! (personal ones — a volunteer's name, the facilitators — opened for the owning
//! organization only) and the same checks; only what changed becomes one revision
//! ([`crate::edits`]), so corrections made offline merge with other fields' edits made
//! elsewhere. A record entered by mistake is deleted as a tombstone once the deletion
//! is ticked. A cash transfer moved to another household or day passes the
//! duplicate-payment guard again (unless a repeat is ticked, as on entry), leaving the
//! transfer itself out of the comparison.

use super::households::modality_label;
use super::words::parse_count;
use super::{Choice, Lists, SubNav, area_choices, require_entry, resolve_area};
use crate::edits::{delete, save, stored};
use crate::error::PageError;
use crate::i18n::Strings;
use crate::nav::Section;
use crate::session::{CsrfForm, Viewer};
use crate::state::AppState;
use crate::web::{Shell, page_with_status};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use sijill_store::Modality;
use sijill_store::sync_types::Fields;
use uuid::Uuid;

const VOLUNTEER: &str = "volunteer";
const DIALOGUE: &str = "dialogue";
const CASH: &str = "cash-transfer";

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/respond/volunteers/{id}/edit",
            get(volunteer_form).post(save_volunteer),
        )
        .route("/respond/volunteers/{id}/delete", post(delete_volunteer))
        .route(
            "/respond/dialogue/{id}/edit",
            get(dialogue_form).post(save_dialogue),
        )
        .route("/respond/dialogue/{id}/delete", post(delete_dialogue))
        .route("/respond/cash/{id}/edit", get(cash_form).post(save_cash))
        .route("/respond/cash/{id}/delete", post(delete_cash))
}

/// The record `id` of `kind` as stored, when the viewer may enter relief records and
/// the viewer's organization recorded it.
async fn own(
    state: &AppState,
    viewer: &Viewer,
    kind: &str,
    id: &str,
) -> Result<(Uuid, Fields), PageError> {
    require_entry(viewer)?;
    let id = crate::web::record_id(viewer.lang, id)?;
    Ok((id, stored(state, viewer, kind, id).await?))
}

fn value(f: &Fields, k: &str) -> String {
    f.get(k).cloned().flatten().unwrap_or_default()
}

/// Text as stored: a text area's CR LF as LF, trimmed; `None` when longer than `max`
/// characters or holding another control character.
fn text(s: &str, max: usize) -> Option<String> {
    let s = s.replace("\r\n", "\n");
    let s = s.trim();
    (s.chars().count() <= max && !s.chars().any(|c| c.is_control() && c != '\n'))
        .then(|| s.to_owned())
}

/// A count typed in any digits; empty is 0.
fn count(s: &str) -> Option<u32> {
    if s.trim().is_empty() {
        return Some(0);
    }
    parse_count(s).and_then(|n| u32::try_from(n).ok())
}

/// The campaign named by a form's id (`None`: no campaign); `Err` for an unknown one.
fn campaign_name(lists: &Lists, typed: &str) -> Result<Option<String>, ()> {
    if typed.trim().is_empty() {
        return Ok(None);
    }
    let id: Uuid = typed.trim().parse().map_err(|_| ())?;
    lists
        .campaigns
        .iter()
        .find(|c| c.id == id)
        .map(|c| Some(c.name.clone()))
        .ok_or(())
}

fn campaign_id(lists: &Lists, name: &str) -> String {
    lists
        .campaigns
        .iter()
        .find(|c| c.name == name)
        .map(|c| c.id.to_string())
        .unwrap_or_default()
}

#[derive(Debug, Default, Deserialize)]
struct DeleteForm {
    #[serde(default)]
    confirm: String,
}

fn status_of(errors: &[&'static str]) -> StatusCode {
    if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

// ---- volunteers ----

/// The volunteer form (as on entry).
#[derive(Debug, Default, Clone, Deserialize)]
struct VolunteerForm {
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

#[derive(Template)]
#[template(path = "respond_volunteer_edit.html")]
struct VolunteerEditPage {
    shell: Shell,
    t: &'static Strings,
    sub: SubNav,
    csrf: String,
    id: String,
    areas: Vec<Choice>,
    campaigns: Vec<Choice>,
    form: VolunteerForm,
    errors: Vec<&'static str>,
}

fn volunteer_values(lists: &Lists, f: &Fields) -> VolunteerForm {
    VolunteerForm {
        name: value(f, "name_sealed"),
        area: value(f, "pcode"),
        skills: value(f, "skills").split(',').collect::<Vec<_>>().join(", "),
        days: value(f, "days_active"),
        campaign: campaign_id(lists, &value(f, "campaign_id")),
    }
}

async fn volunteer_page(
    state: &AppState,
    viewer: &Viewer,
    lists: &Lists,
    id: Uuid,
    form: VolunteerForm,
    errors: Vec<&'static str>,
) -> Result<Response, PageError> {
    let lang = viewer.lang;
    let t = lang.strings();
    let campaign = form.campaign.parse().ok();
    let p = VolunteerEditPage {
        shell: Shell::for_viewer(viewer, Some(Section::Respond)),
        t,
        sub: SubNav::new(t, viewer.user.role, "/respond/volunteers"),
        csrf: viewer.csrf.clone(),
        id: id.to_string(),
        areas: area_choices(&state.geo, lang),
        campaigns: lists.campaign_choices(lang, campaign),
        form,
        errors,
    };
    let status = status_of(&p.errors);
    page_with_status(lang, &p, status)
}

/// `GET /respond/volunteers/{id}/edit`.
async fn volunteer_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let (id, f) = own(&state, &viewer, VOLUNTEER, &id).await?;
    let lists = Lists::load(&state, viewer.lang).await?;
    let form = volunteer_values(&lists, &f);
    volunteer_page(&state, &viewer, &lists, id, form, Vec::new()).await
}

/// The synced values of a volunteer form, checked as on entry.
fn check_volunteer(
    state: &AppState,
    lists: &Lists,
    t: &'static Strings,
    form: &VolunteerForm,
) -> Result<Vec<(&'static str, Option<String>)>, Vec<&'static str>> {
    let mut errors = Vec::new();
    let name = text(&form.name, 200).filter(|n| !n.is_empty() && !n.contains('\n'));
    if name.is_none() {
        errors.push(t.rs_name_col);
    }
    let pcode = resolve_area(&state.geo, &form.area);
    if pcode.is_none() {
        errors.push(t.rs_area);
    }
    let skills: Vec<String> = form
        .skills
        .split([',', '،'])
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    let skills = text(&skills.join(","), 500);
    if skills.is_none() {
        errors.push(t.rs_skills);
    }
    let days = count(&form.days);
    if days.is_none() {
        errors.push(t.rs_days_active);
    }
    let campaign = campaign_name(lists, &form.campaign);
    if campaign.is_err() {
        errors.push(t.rs_campaign);
    }
    let (Some(name), Some(pcode), Some(skills), Some(days), Ok(campaign), true) =
        (name, pcode, skills, days, campaign, errors.is_empty())
    else {
        return Err(errors);
    };
    Ok(vec![
        ("name_sealed", Some(name)),
        ("pcode", Some(pcode)),
        ("skills", Some(skills)),
        ("days_active", Some(days.to_string())),
        ("campaign_id", campaign),
    ])
}

/// `POST /respond/volunteers/{id}/edit`.
async fn save_volunteer(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(viewer, form): CsrfForm<VolunteerForm>,
) -> Result<Response, PageError> {
    let (id, _) = own(&state, &viewer, VOLUNTEER, &id).await?;
    let lists = Lists::load(&state, viewer.lang).await?;
    let values = match check_volunteer(&state, &lists, viewer.lang.strings(), &form) {
        Ok(v) => v,
        Err(errors) => return volunteer_page(&state, &viewer, &lists, id, form, errors).await,
    };
    save(&state, &viewer, VOLUNTEER, id, &values).await?;
    Ok(Redirect::to(&super::keep_lang(&viewer, "/respond/volunteers?done=1")).into_response())
}

/// `POST /respond/volunteers/{id}/delete`: needs the tick.
async fn delete_volunteer(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(viewer, form): CsrfForm<DeleteForm>,
) -> Result<Response, PageError> {
    let (id, was) = own(&state, &viewer, VOLUNTEER, &id).await?;
    if form.confirm != "1" {
        let lists = Lists::load(&state, viewer.lang).await?;
        let errors = vec![viewer.lang.strings().ed_err_confirm];
        let form = volunteer_values(&lists, &was);
        return volunteer_page(&state, &viewer, &lists, id, form, errors).await;
    }
    delete(&state, &viewer, VOLUNTEER, id).await?;
    Ok(Redirect::to(&super::keep_lang(
        &viewer,
        "/respond/volunteers?done=deleted",
    ))
    .into_response())
}

// ---- dialogue sessions ----

/// The dialogue form (as on entry).
#[derive(Debug, Default, Clone, Deserialize)]
struct DialogueForm {
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

#[derive(Template)]
#[template(path = "respond_dialogue_edit.html")]
struct DialogueEditPage {
    shell: Shell,
    t: &'static Strings,
    sub: SubNav,
    csrf: String,
    id: String,
    areas: Vec<Choice>,
    campaigns: Vec<Choice>,
    form: DialogueForm,
    errors: Vec<&'static str>,
}

fn dialogue_values(lists: &Lists, f: &Fields) -> DialogueForm {
    DialogueForm {
        date: value(f, "held_on"),
        area: value(f, "pcode"),
        campaign: campaign_id(lists, &value(f, "campaign_id")),
        facilitators: value(f, "facilitators_sealed"),
        dignitaries: value(f, "dignitaries"),
        residents: value(f, "residents"),
        activists: value(f, "activists"),
        youth: value(f, "youth"),
        women: value(f, "women"),
        topics: value(f, "topics"),
        outcomes: value(f, "outcomes"),
        follow_ups: value(f, "follow_ups"),
    }
}

async fn dialogue_page(
    state: &AppState,
    viewer: &Viewer,
    lists: &Lists,
    id: Uuid,
    form: DialogueForm,
    errors: Vec<&'static str>,
) -> Result<Response, PageError> {
    let lang = viewer.lang;
    let t = lang.strings();
    let campaign = form.campaign.parse().ok();
    let p = DialogueEditPage {
        shell: Shell::for_viewer(viewer, Some(Section::Respond)),
        t,
        sub: SubNav::new(t, viewer.user.role, "/respond/dialogue"),
        csrf: viewer.csrf.clone(),
        id: id.to_string(),
        areas: area_choices(&state.geo, lang),
        campaigns: lists.campaign_choices(lang, campaign),
        form,
        errors,
    };
    let status = status_of(&p.errors);
    page_with_status(lang, &p, status)
}

/// `GET /respond/dialogue/{id}/edit`.
async fn dialogue_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let (id, f) = own(&state, &viewer, DIALOGUE, &id).await?;
    let lists = Lists::load(&state, viewer.lang).await?;
    let form = dialogue_values(&lists, &f);
    dialogue_page(&state, &viewer, &lists, id, form, Vec::new()).await
}

/// The synced values of a dialogue form, checked as on entry.
fn check_dialogue(
    state: &AppState,
    lists: &Lists,
    t: &'static Strings,
    form: &DialogueForm,
) -> Result<Vec<(&'static str, Option<String>)>, Vec<&'static str>> {
    let mut errors = Vec::new();
    let held_on = super::parse_date(&form.date).map(super::fmt_date);
    if held_on.is_none() {
        errors.push(t.rs_date);
    }
    let pcode = resolve_area(&state.geo, &form.area);
    if pcode.is_none() {
        errors.push(t.rs_area);
    }
    let campaign = campaign_name(lists, &form.campaign);
    if campaign.is_err() {
        errors.push(t.rs_campaign);
    }
    let facilitators = text(&form.facilitators, 500);
    if facilitators.is_none() {
        errors.push(t.rs_facilitators);
    }
    let mut groups = Vec::new();
    for (name, typed, label) in [
        ("dignitaries", &form.dignitaries, t.rs_g_dignitaries),
        ("residents", &form.residents, t.rs_g_residents),
        ("activists", &form.activists, t.rs_g_activists),
        ("youth", &form.youth, t.rs_g_youth),
        ("women", &form.women, t.rs_g_women),
    ] {
        match count(typed) {
            Some(n) => groups.push((name, Some(n.to_string()))),
            None => errors.push(label),
        }
    }
    let topics = text(&form.topics, 2_000).filter(|s| !s.is_empty());
    if topics.is_none() {
        errors.push(t.rs_topics);
    }
    let outcomes = text(&form.outcomes, 4_000);
    if outcomes.is_none() {
        errors.push(t.rs_outcomes);
    }
    let follow_ups = text(&form.follow_ups, 4_000);
    if follow_ups.is_none() {
        errors.push(t.rs_follow_ups);
    }
    let (Some(held_on), Some(pcode), Ok(campaign), Some(facilitators), true) =
        (held_on, pcode, campaign, facilitators, errors.is_empty())
    else {
        return Err(errors);
    };
    let mut values = vec![
        ("held_on", Some(held_on)),
        ("pcode", Some(pcode)),
        ("campaign_id", campaign),
        ("facilitators_sealed", Some(facilitators)),
        ("topics", topics),
        ("outcomes", outcomes),
        ("follow_ups", follow_ups),
    ];
    values.extend(groups);
    Ok(values)
}

/// `POST /respond/dialogue/{id}/edit`.
async fn save_dialogue(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(viewer, form): CsrfForm<DialogueForm>,
) -> Result<Response, PageError> {
    let (id, _) = own(&state, &viewer, DIALOGUE, &id).await?;
    let lists = Lists::load(&state, viewer.lang).await?;
    let values = match check_dialogue(&state, &lists, viewer.lang.strings(), &form) {
        Ok(v) => v,
        Err(errors) => return dialogue_page(&state, &viewer, &lists, id, form, errors).await,
    };
    save(&state, &viewer, DIALOGUE, id, &values).await?;
    Ok(Redirect::to(&super::keep_lang(&viewer, "/respond/dialogue?done=1")).into_response())
}

/// `POST /respond/dialogue/{id}/delete`: needs the tick.
async fn delete_dialogue(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(viewer, form): CsrfForm<DeleteForm>,
) -> Result<Response, PageError> {
    let (id, was) = own(&state, &viewer, DIALOGUE, &id).await?;
    if form.confirm != "1" {
        let lists = Lists::load(&state, viewer.lang).await?;
        let errors = vec![viewer.lang.strings().ed_err_confirm];
        let form = dialogue_values(&lists, &was);
        return dialogue_page(&state, &viewer, &lists, id, form, errors).await;
    }
    delete(&state, &viewer, DIALOGUE, id).await?;
    Ok(Redirect::to(&super::keep_lang(&viewer, "/respond/dialogue?done=deleted")).into_response())
}

// ---- cash transfers ----

/// The payment form (as on entry).
#[derive(Debug, Default, Clone, Deserialize)]
struct CashForm {
    #[serde(default)]
    household: String,
    #[serde(default)]
    campaign: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    currency: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    modality: String,
    allow_repeat: Option<String>,
}

#[derive(Template)]
#[template(path = "respond_cash_edit.html")]
struct CashEditPage {
    shell: Shell,
    t: &'static Strings,
    sub: SubNav,
    csrf: String,
    id: String,
    households: Vec<Choice>,
    campaigns: Vec<Choice>,
    modalities: Vec<Choice>,
    form: CashForm,
    errors: Vec<&'static str>,
    guard: Option<(String, String)>,
}

fn cash_values(lists: &Lists, f: &Fields) -> CashForm {
    CashForm {
        household: value(f, "household_id"),
        campaign: campaign_id(lists, &value(f, "campaign_id")),
        amount: value(f, "amount_minor"),
        currency: value(f, "currency"),
        date: value(f, "paid_on"),
        modality: value(f, "modality"),
        allow_repeat: None,
    }
}

#[allow(clippy::too_many_arguments)]
async fn cash_page(
    state: &AppState,
    viewer: &Viewer,
    lists: &Lists,
    id: Uuid,
    form: CashForm,
    errors: Vec<&'static str>,
    guard: Option<(String, String)>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let lang = viewer.lang;
    let t = lang.strings();
    let households = state
        .store
        .list_households(viewer.user.org_id)
        .await
        .map_err(|e| PageError::internal(lang, e))?;
    let campaign = form.campaign.parse().ok();
    let p = CashEditPage {
        shell: Shell::for_viewer(viewer, Some(Section::Respond)),
        t,
        sub: SubNav::new(t, viewer.user.role, "/respond/cash"),
        csrf: viewer.csrf.clone(),
        id: id.to_string(),
        households: households
            .iter()
            .filter(|h| h.merged_into.is_none() || h.id.to_string() == form.household)
            .map(|h| Choice {
                value: h.id.to_string(),
                label: format!(
                    "{} — {}",
                    h.name,
                    super::area_name(&state.geo, lang, &h.pcode)
                ),
                selected: h.id.to_string() == form.household,
            })
            .collect(),
        campaigns: lists.campaign_choices(lang, campaign),
        modalities: Modality::ALL
            .into_iter()
            .map(|m| Choice {
                value: m.as_str().to_owned(),
                label: modality_label(t, m).to_owned(),
                selected: m.as_str() == form.modality,
            })
            .collect(),
        form,
        errors,
        guard,
    };
    page_with_status(lang, &p, status)
}

/// `GET /respond/cash/{id}/edit`.
async fn cash_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let (id, f) = own(&state, &viewer, CASH, &id).await?;
    let lists = Lists::load(&state, viewer.lang).await?;
    let form = cash_values(&lists, &f);
    cash_page(
        &state,
        &viewer,
        &lists,
        id,
        form,
        Vec::new(),
        None,
        StatusCode::OK,
    )
    .await
}

/// `POST /respond/cash/{id}/edit`: checked as on entry; a new household or day passes
/// the duplicate-payment guard again.
async fn save_cash(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(viewer, form): CsrfForm<CashForm>,
) -> Result<Response, PageError> {
    let (id, was) = own(&state, &viewer, CASH, &id).await?;
    let lang = viewer.lang;
    let t = lang.strings();
    let lists = Lists::load(&state, lang).await?;
    let org = viewer.user.org_id;
    let mut errors = Vec::new();
    let households = state
        .store
        .list_households(org)
        .await
        .map_err(|e| PageError::internal(lang, e))?;
    let household = form
        .household
        .trim()
        .parse::<Uuid>()
        .ok()
        .filter(|h| households.iter().any(|x| x.id == *h));
    if household.is_none() {
        errors.push(t.rs_household);
    }
    let amount = parse_count(&form.amount).filter(|&a| a > 0 && i64::try_from(a).is_ok());
    if amount.is_none() {
        errors.push(t.rs_amount);
    }
    let currency = form.currency.trim().to_ascii_uppercase();
    if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
        errors.push(t.rs_currency);
    }
    let paid_on = super::parse_date(&form.date);
    if paid_on.is_none() {
        errors.push(t.rs_date);
    }
    let modality = Modality::parse(&form.modality);
    if modality.is_none() {
        errors.push(t.rs_modality);
    }
    let campaign = campaign_name(&lists, &form.campaign);
    if campaign.is_err() {
        errors.push(t.rs_campaign);
    }
    let (Some(household), Some(amount), Some(paid_on), Some(modality), Ok(campaign), true) = (
        household,
        amount,
        paid_on,
        modality,
        campaign,
        errors.is_empty(),
    ) else {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return cash_page(&state, &viewer, &lists, id, form, errors, None, status).await;
    };
    let moved = value(&was, "household_id") != household.to_string()
        || value(&was, "paid_on") != super::fmt_date(paid_on);
    if moved && form.allow_repeat.is_none() {
        let prior = state
            .store
            .cash_guard_except(org, household, paid_on, id)
            .await
            .map_err(|e| PageError::internal(lang, e))?;
        if let Some(p) = prior {
            let guard = Some((super::fmt_date(p.paid_on), lists.org_name(lang, p.org)));
            let status = StatusCode::CONFLICT;
            return cash_page(&state, &viewer, &lists, id, form, Vec::new(), guard, status).await;
        }
    }
    let values = [
        ("household_id", Some(household.to_string())),
        ("campaign_id", campaign),
        ("amount_minor", Some(amount.to_string())),
        ("currency", Some(currency)),
        ("paid_on", Some(super::fmt_date(paid_on))),
        ("modality", Some(modality.as_str().to_owned())),
    ];
    save(&state, &viewer, CASH, id, &values).await?;
    Ok(Redirect::to(&super::keep_lang(&viewer, "/respond/cash?done=edited")).into_response())
}

/// `POST /respond/cash/{id}/delete`: needs the tick.
async fn delete_cash(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(viewer, form): CsrfForm<DeleteForm>,
) -> Result<Response, PageError> {
    let (id, was) = own(&state, &viewer, CASH, &id).await?;
    if form.confirm != "1" {
        let lists = Lists::load(&state, viewer.lang).await?;
        let errors = vec![viewer.lang.strings().ed_err_confirm];
        let form = cash_values(&lists, &was);
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return cash_page(&state, &viewer, &lists, id, form, errors, None, status).await;
    }
    delete(&state, &viewer, CASH, id).await?;
    Ok(Redirect::to(&super::keep_lang(&viewer, "/respond/cash?done=deleted")).into_response())
}

#[cfg(test)]
mod tests {
    use super::{count, text};

    #[test]
    fn text_and_counts_are_read_as_on_entry() {
        assert_eq!(text(" a\r\nb ", 10).as_deref(), Some("a\nb"));
        assert_eq!(text("abc", 2), None);
        assert_eq!(text("a\u{7}b", 10), None);
        assert_eq!(count(""), Some(0));
        assert_eq!(count("١٢"), Some(12));
        assert_eq!(count("many"), None);
    }
}
