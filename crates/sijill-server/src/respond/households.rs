//! The households register of the viewer's organization, with the cross-partner
//! duplicate alert ("possibly also registered by …", never the other's data), the
//! review and merge workflow, and cash transfers with the duplicate-payment guard.

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
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sijill_model::account::OrgId;
use sijill_model::geo::{Gazetteer, PCode};
use sijill_store::{Identity, Modality, NewCashTransfer, NewHousehold, StoreError, Vulnerability};

pub(crate) fn vulnerability_label(t: &'static Strings, v: Vulnerability) -> &'static str {
    match v {
        Vulnerability::FemaleHeaded => t.rs_v_female_headed,
        Vulnerability::ElderlyHeaded => t.rs_v_elderly_headed,
        Vulnerability::Disability => t.rs_v_disability,
        Vulnerability::ChronicIllness => t.rs_v_chronic,
        Vulnerability::PregnantOrLactating => t.rs_v_pregnant,
        Vulnerability::Injured => t.rs_v_injured,
        Vulnerability::Displaced => t.rs_v_displaced,
        Vulnerability::LostMember => t.rs_v_lost,
    }
}

pub(crate) fn modality_label(t: &'static Strings, m: Modality) -> &'static str {
    match m {
        Modality::CashInHand => t.rs_m_cash_in_hand,
        Modality::MobileMoney => t.rs_m_mobile,
        Modality::Voucher => t.rs_m_voucher,
        Modality::Bank => t.rs_m_bank,
        Modality::Hawala => t.rs_m_hawala,
    }
}

/// The district (admin2) of an area, the locality of the identity hash: two partners
/// who record the same family one at district and one at sub-district level still
/// get the same hash.
pub(crate) fn locality(geo: &Gazetteer, pcode: &PCode) -> String {
    geo.ancestry(pcode)
        .into_iter()
        .find(|a| a.level == sijill_model::geo::AdminLevel::District)
        .map(|a| a.pcode.as_str().to_owned())
        .unwrap_or_else(|| pcode.as_str().to_owned())
}

struct AlertOrg {
    org_id: String,
    name: String,
}

struct HouseholdRow {
    id: String,
    name: String,
    father: String,
    area: String,
    size: String,
    bands: String,
    flags: String,
    merged: bool,
    alerts: Vec<AlertOrg>,
}

#[derive(Template)]
#[template(path = "respond_households.html")]
struct HouseholdsPage {
    shell: Shell,
    t: &'static Strings,
    sub: SubNav,
    csrf: String,
    can_enter: bool,
    areas: Vec<Choice>,
    flags: Vec<Choice>,
    rows: Vec<HouseholdRow>,
    alerts: usize,
    notice: Option<&'static str>,
    errors: Vec<&'static str>,
    merge_choices: Vec<Choice>,
    hf: HouseholdValues,
}

/// What the household form shows in its fields (empty to register one).
#[derive(Default)]
pub(crate) struct HouseholdValues {
    pub(crate) name: String,
    pub(crate) father: String,
    pub(crate) year: String,
    pub(crate) area: String,
    pub(crate) contact: String,
    pub(crate) size: String,
    pub(crate) females: String,
    pub(crate) males: String,
    pub(crate) children: String,
    pub(crate) elderly: String,
}

impl HouseholdValues {
    /// What was typed in a household form, and the vulnerabilities ticked.
    pub(crate) fn typed(form: &[(String, String)]) -> (Self, Vec<Vulnerability>) {
        let f = |k: &str| field(form, k).to_owned();
        let values = HouseholdValues {
            name: f("name"),
            father: f("father_name"),
            year: f("birth_year"),
            area: f("area"),
            contact: f("contact"),
            size: f("size"),
            females: f("females"),
            males: f("males"),
            children: f("children"),
            elderly: f("elderly"),
        };
        let ticked = form
            .iter()
            .filter(|(k, _)| k == "flag")
            .filter_map(|(_, v)| Vulnerability::parse(v))
            .collect();
        (values, ticked)
    }
}

/// The vulnerabilities as choices, `ticked` ticked.
pub(crate) fn flag_choices(t: &'static Strings, ticked: &[Vulnerability]) -> Vec<Choice> {
    Vulnerability::ALL
        .into_iter()
        .map(|v| Choice {
            value: v.as_str().to_owned(),
            label: vulnerability_label(t, v).to_owned(),
            selected: ticked.contains(&v),
        })
        .collect()
}

async fn households_page(
    state: &AppState,
    viewer: &Viewer,
    status: StatusCode,
    notice: Option<&'static str>,
    errors: Vec<&'static str>,
    typed: &[(String, String)],
) -> Result<Response, PageError> {
    let (hf, ticked) = HouseholdValues::typed(typed);
    let lang = viewer.lang;
    let t = lang.strings();
    let lists = Lists::load(state, lang).await?;
    let list = state
        .store
        .list_households(viewer.user.org_id)
        .await
        .map_err(fail(lang))?;
    let rows: Vec<HouseholdRow> = list
        .iter()
        .map(|h| HouseholdRow {
            id: h.id.to_string(),
            name: h.name.clone(),
            father: h.father_name.clone(),
            area: area_name(&state.geo, lang, &h.pcode),
            size: number(lang, u64::from(h.size)),
            bands: format!(
                "{} {} · {} {} · {} {} · {} {}",
                t.rs_females,
                number(lang, u64::from(h.females)),
                t.rs_males,
                number(lang, u64::from(h.males)),
                t.rs_children,
                number(lang, u64::from(h.children)),
                t.rs_elderly,
                number(lang, u64::from(h.elderly)),
            ),
            flags: h
                .vulnerability
                .iter()
                .map(|v| vulnerability_label(t, *v))
                .collect::<Vec<_>>()
                .join("، "),
            merged: h.merged_into.is_some(),
            alerts: h
                .also_registered_by
                .iter()
                .map(|o| AlertOrg {
                    org_id: o.to_string(),
                    name: lists.org_name(lang, *o),
                })
                .collect(),
        })
        .collect();
    // Households with a possible duplicate first: they are what needs a decision.
    let mut rows = rows;
    rows.sort_by_key(|r| r.alerts.is_empty());
    let alerts = rows.iter().filter(|r| !r.alerts.is_empty()).count();
    let merge_choices = list
        .iter()
        .filter(|h| h.merged_into.is_none())
        .map(|h| Choice {
            value: h.id.to_string(),
            label: format!("{} — {}", h.name, area_name(&state.geo, lang, &h.pcode)),
            selected: false,
        })
        .collect();
    let p = HouseholdsPage {
        shell: Shell::for_viewer(viewer, Some(Section::Respond)),
        t,
        sub: SubNav::new(t, viewer.user.role, "/respond/households"),
        csrf: viewer.csrf.clone(),
        can_enter: can_enter(viewer.user.role),
        areas: area_choices(&state.geo, lang),
        flags: flag_choices(t, &ticked),
        hf,
        rows,
        alerts,
        notice,
        errors,
        merge_choices,
    };
    page_with_status(lang, &p, status)
}

/// Checks a household form (registration or correction); the error names each wrong
/// field.
pub(crate) fn parse_household(
    state: &AppState,
    t: &'static Strings,
    form: &[(String, String)],
) -> Result<NewHousehold, Vec<&'static str>> {
    let f = |k: &str| field(form, k).to_owned();
    let mut errors = Vec::new();
    let name_text = f("name");
    let name = name_text.trim();
    if name.is_empty() || name.chars().count() > 200 {
        errors.push(t.rs_head_name);
    }
    let birth_year = match f("birth_year").trim() {
        "" => Some(None),
        y => parse_count(y)
            .and_then(|y| i32::try_from(y).ok())
            .filter(|y| (1900..=2030).contains(y))
            .map(Some),
    };
    if birth_year.is_none() {
        errors.push(t.rs_birth_year);
    }
    let pcode = resolve_area(&state.geo, &f("area")).and_then(|p| PCode::parse(&p).ok());
    if pcode.is_none() {
        errors.push(t.rs_area);
    }
    let count = |k: &str, label: &'static str, errors: &mut Vec<&'static str>, default| {
        let v = f(k);
        let n = if v.trim().is_empty() {
            default
        } else {
            parse_count(&v).and_then(|n| u32::try_from(n).ok())
        };
        if n.is_none() {
            errors.push(label);
        }
        n.unwrap_or(0)
    };
    let size = count("size", t.rs_size, &mut errors, None);
    let females = count("females", t.rs_females, &mut errors, Some(0));
    let males = count("males", t.rs_males, &mut errors, Some(0));
    let children = count("children", t.rs_children, &mut errors, Some(0));
    let elderly = count("elderly", t.rs_elderly, &mut errors, Some(0));
    // More women and men, or children and elderly, than members: the size is what is wrong
    // or the bands are; both are named.
    let over = females.saturating_add(males) > size || children.saturating_add(elderly) > size;
    if (size == 0 || over) && !errors.contains(&t.rs_size) {
        errors.push(t.rs_size);
    }
    if over && females.saturating_add(males) > size {
        errors.extend([t.rs_females, t.rs_males]);
    }
    if over && children.saturating_add(elderly) > size {
        errors.extend([t.rs_children, t.rs_elderly]);
    }
    let vulnerability: Vec<Vulnerability> = form
        .iter()
        .filter(|(k, _)| k == "flag")
        .filter_map(|(_, v)| Vulnerability::parse(v))
        .collect();
    let (Some(birth_year), Some(pcode), true) = (birth_year, pcode, errors.is_empty()) else {
        return Err(errors);
    };
    Ok(NewHousehold {
        identity: Identity {
            name: name.to_owned(),
            father_name: f("father_name").trim().to_owned(),
            birth_year,
            locality: locality(&state.geo, &pcode),
        },
        contact: Some(f("contact")),
        pcode,
        size,
        females,
        males,
        children,
        elderly,
        vulnerability,
        import_key: None,
    })
}

/// `GET /respond/households`.
pub async fn households(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    require(&viewer)?;
    let t = viewer.lang.strings();
    let notice = match q.done.as_deref() {
        Some("1") => Some(t.rs_registered_note),
        Some("review") => Some(t.rs_reviewed),
        Some("merge") => Some(t.rs_merged),
        Some("edited") => Some(t.rs_household_saved),
        _ => None,
    };
    households_page(&state, &viewer, StatusCode::OK, notice, Vec::new(), &[]).await
}

fn field<'a>(form: &'a [(String, String)], k: &str) -> &'a str {
    form.iter()
        .find(|(key, _)| key == k)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

/// `POST /respond/households`.
pub async fn register(
    State(state): State<AppState>,
    CsrfForm(viewer, form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_entry(&viewer)?;
    let lang = viewer.lang;
    let t = lang.strings();
    let new = match parse_household(&state, t, &form) {
        Ok(new) => new,
        Err(errors) => {
            return households_page(
                &state,
                &viewer,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                errors,
                &form,
            )
            .await;
        }
    };
    match state
        .store
        .register_household(Some(viewer.user.id), viewer.user.org_id, &new)
        .await
    {
        Ok(id) => {
            record(
                &state,
                audit_entry(
                    &viewer.user,
                    "household.create",
                    "household",
                    id.to_string(),
                    serde_json::json!({"size": new.size}),
                ),
            )
            .await;
            Ok(
                Redirect::to(&super::keep_lang(&viewer, "/respond/households?done=1"))
                    .into_response(),
            )
        }
        Err(StoreError::Invalid(_)) => {
            households_page(
                &state,
                &viewer,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                vec![t.error_bad_request],
                &form,
            )
            .await
        }
        Err(e) => Err(PageError::internal(lang, e)),
    }
}

/// The review form of a duplicate alert.
#[derive(Debug, Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    other: String,
    #[serde(default)]
    decision: String,
}

/// `POST /respond/households/{id}/review`.
pub async fn review(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(viewer, form): CsrfForm<ReviewForm>,
) -> Result<Response, PageError> {
    require_entry(&viewer)?;
    let lang = viewer.lang;
    let (Ok(id), Ok(other)) = (id.parse::<uuid::Uuid>(), form.other.parse::<OrgId>()) else {
        return Err(PageError::bad_request(lang));
    };
    let same = match form.decision.as_str() {
        "same" => true,
        "different" => false,
        _ => return Err(PageError::bad_request(lang)),
    };
    match state
        .store
        .review_duplicate(Some(viewer.user.id), viewer.user.org_id, id, other, same)
        .await
    {
        Ok(()) => {
            record(
                &state,
                audit_entry(
                    &viewer.user,
                    "household.review",
                    "household",
                    id.to_string(),
                    serde_json::json!({"other_org": other.to_string(), "same": same}),
                ),
            )
            .await;
            Ok(Redirect::to(&super::keep_lang(
                &viewer,
                "/respond/households?done=review",
            ))
            .into_response())
        }
        Err(StoreError::NotFound) => Err(PageError::not_found(lang)),
        Err(e) => Err(PageError::internal(lang, e)),
    }
}

/// The merge form.
#[derive(Debug, Deserialize)]
pub struct MergeForm {
    #[serde(default)]
    keep: String,
    #[serde(default)]
    duplicate: String,
}

/// `POST /respond/households/merge`.
pub async fn merge(
    State(state): State<AppState>,
    CsrfForm(viewer, form): CsrfForm<MergeForm>,
) -> Result<Response, PageError> {
    require_entry(&viewer)?;
    let lang = viewer.lang;
    let (Ok(keep), Ok(dup)) = (
        form.keep.parse::<uuid::Uuid>(),
        form.duplicate.parse::<uuid::Uuid>(),
    ) else {
        return Err(PageError::bad_request(lang));
    };
    match state
        .store
        .merge_households(viewer.user.org_id, keep, dup)
        .await
    {
        Ok(()) => {
            record(
                &state,
                audit_entry(
                    &viewer.user,
                    "household.merge",
                    "household",
                    dup.to_string(),
                    serde_json::json!({"into": keep.to_string()}),
                ),
            )
            .await;
            Ok(
                Redirect::to(&super::keep_lang(&viewer, "/respond/households?done=merge"))
                    .into_response(),
            )
        }
        Err(StoreError::Invalid(_)) => Err(PageError::bad_request(lang)),
        Err(StoreError::NotFound) => Err(PageError::not_found(lang)),
        Err(e) => Err(PageError::internal(lang, e)),
    }
}

struct CashRow {
    /// The edit form, for those who enter records.
    edit: Option<String>,
    date: String,
    household: String,
    amount: String,
    modality: &'static str,
}

#[derive(Template)]
#[template(path = "respond_cash.html")]
struct CashPage {
    shell: Shell,
    t: &'static Strings,
    sub: SubNav,
    csrf: String,
    can_enter: bool,
    households: Vec<Choice>,
    modalities: Vec<Choice>,
    campaigns: Vec<Choice>,
    date: String,
    rows: Vec<CashRow>,
    notice: Option<&'static str>,
    errors: Vec<&'static str>,
    guard: Option<(String, String)>,
}

/// The payment form.
#[derive(Debug, Default, Deserialize)]
pub struct PayForm {
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

async fn cash_page(
    state: &AppState,
    viewer: &Viewer,
    status: StatusCode,
    notice: Option<&'static str>,
    errors: Vec<&'static str>,
    guard: Option<(String, String)>,
    form: Option<&PayForm>,
) -> Result<Response, PageError> {
    let lang = viewer.lang;
    let t = lang.strings();
    let lists = Lists::load(state, lang).await?;
    let org = viewer.user.org_id;
    let list = state.store.list_households(org).await.map_err(fail(lang))?;
    let transfers = state
        .store
        .list_cash_transfers(org)
        .await
        .map_err(fail(lang))?;
    let chosen = form.map(|f| f.household.as_str()).unwrap_or("");
    let p = CashPage {
        shell: Shell::for_viewer(viewer, Some(Section::Respond)),
        t,
        sub: SubNav::new(t, viewer.user.role, "/respond/cash"),
        csrf: viewer.csrf.clone(),
        can_enter: can_enter(viewer.user.role),
        households: list
            .iter()
            .filter(|h| h.merged_into.is_none())
            .map(|h| Choice {
                value: h.id.to_string(),
                label: format!("{} — {}", h.name, area_name(&state.geo, lang, &h.pcode)),
                selected: h.id.to_string() == chosen,
            })
            .collect(),
        modalities: Modality::ALL
            .into_iter()
            .map(|m| Choice {
                value: m.as_str().to_owned(),
                label: modality_label(t, m).to_owned(),
                selected: form.is_some_and(|f| f.modality == m.as_str()),
            })
            .collect(),
        campaigns: lists.campaign_choices(lang, lists.current_campaign(today()).map(|c| c.id)),
        date: form
            .map(|f| f.date.clone())
            .unwrap_or_else(|| fmt_date(today())),
        rows: transfers
            .iter()
            .map(|c| CashRow {
                edit: can_enter(viewer.user.role).then(|| format!("/respond/cash/{}/edit", c.id)),
                date: fmt_date(c.paid_on),
                household: list
                    .iter()
                    .find(|h| h.id == c.household)
                    .map(|h| h.name.clone())
                    .unwrap_or_default(),
                amount: format!("{} {}", number(lang, c.amount), c.currency),
                modality: modality_label(t, c.modality),
            })
            .collect(),
        notice,
        errors,
        guard,
    };
    page_with_status(lang, &p, status)
}

/// `GET /respond/cash`.
pub async fn cash(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    require(&viewer)?;
    let notice = (q.done.as_deref() == Some("1")).then_some(viewer.lang.strings().rs_paid);
    cash_page(
        &state,
        &viewer,
        StatusCode::OK,
        notice,
        Vec::new(),
        None,
        None,
    )
    .await
}

/// `POST /respond/cash`.
pub async fn pay(
    State(state): State<AppState>,
    CsrfForm(viewer, form): CsrfForm<PayForm>,
) -> Result<Response, PageError> {
    require_entry(&viewer)?;
    let lang = viewer.lang;
    let t = lang.strings();
    let lists = Lists::load(&state, lang).await?;
    let mut errors = Vec::new();
    let household = form.household.parse::<uuid::Uuid>().ok();
    if household.is_none() {
        errors.push(t.rs_household);
    }
    let amount = parse_count(&form.amount).filter(|&a| a > 0);
    if amount.is_none() {
        errors.push(t.rs_amount);
    }
    let currency = form.currency.trim().to_ascii_uppercase();
    if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
        errors.push(t.rs_currency);
    }
    let paid_on = parse_date(&form.date);
    if paid_on.is_none() {
        errors.push(t.rs_date);
    }
    let modality = Modality::parse(&form.modality);
    if modality.is_none() {
        errors.push(t.rs_modality);
    }
    let campaign = form.campaign.parse::<uuid::Uuid>().ok();
    let (Some(household), Some(amount), Some(paid_on), Some(modality), true) =
        (household, amount, paid_on, modality, errors.is_empty())
    else {
        return cash_page(
            &state,
            &viewer,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            errors,
            None,
            Some(&form),
        )
        .await;
    };
    let new = NewCashTransfer {
        household,
        campaign,
        amount,
        currency,
        paid_on,
        modality,
        allow_repeat: form.allow_repeat.is_some(),
    };
    match state
        .store
        .create_cash_transfer(Some(viewer.user.id), viewer.user.org_id, &new)
        .await
    {
        Ok(c) => {
            record(
                &state,
                audit_entry(
                    &viewer.user,
                    "cash.create",
                    "cash_transfer",
                    c.id.to_string(),
                    serde_json::json!({"amount": c.amount, "currency": c.currency, "repeat": new.allow_repeat}),
                ),
            )
            .await;
            Ok(Redirect::to(&super::keep_lang(&viewer, "/respond/cash?done=1")).into_response())
        }
        Err(StoreError::Conflict(_)) => {
            let prior = state
                .store
                .cash_guard(viewer.user.org_id, household, paid_on)
                .await
                .map_err(fail(lang))?;
            let guard = prior.map(|p| (fmt_date(p.paid_on), lists.org_name(lang, p.org)));
            cash_page(
                &state,
                &viewer,
                StatusCode::CONFLICT,
                None,
                Vec::new(),
                guard,
                Some(&form),
            )
            .await
        }
        Err(StoreError::NotFound) => Err(PageError::not_found(lang)),
        Err(StoreError::Invalid(_)) => {
            cash_page(
                &state,
                &viewer,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                vec![t.error_bad_request],
                None,
                Some(&form),
            )
            .await
        }
        Err(e) => Err(PageError::internal(lang, e)),
    }
}
