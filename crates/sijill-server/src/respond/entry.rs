//! Fast entry: distributions (defaults: today, the viewer's organization, the area and
//! campaign of its last entry) and campaigns (set up by coordinators).

use super::words::parse_count;
use super::{
    Choice, Lists, SubNav, area_choices_kept, area_name, can_coordinate, can_enter, fail, fmt_date,
    item_label, parse_date, require, require_entry, resolve_area, today, unit_label,
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
use sijill_store::{NewCampaign, NewDistribution, StoreError};

pub(crate) struct DistRow {
    pub edit: String,
    pub date: String,
    pub area: String,
    pub site: String,
    pub item: String,
    pub quantity: String,
    pub households: String,
    pub individuals: String,
}

#[derive(Template)]
#[template(path = "respond_distributions.html")]
struct DistributionsPage<'a> {
    shell: Shell,
    t: &'static Strings,
    sub: SubNav,
    csrf: String,
    can_enter: bool,
    org: String,
    campaigns: Vec<Choice>,
    items: Vec<Choice>,
    areas: &'a [Choice],
    date: String,
    area: String,
    site: String,
    quantity: String,
    households: String,
    individuals: String,
    recent: Vec<DistRow>,
    notice: Option<&'static str>,
    errors: Vec<&'static str>,
}

/// The distribution form's fields.
#[derive(Debug, Default, Deserialize)]
pub struct DistributionForm {
    #[serde(default)]
    pub(crate) campaign: String,
    #[serde(default)]
    pub(crate) date: String,
    #[serde(default)]
    pub(crate) area: String,
    #[serde(default)]
    pub(crate) site: String,
    #[serde(default)]
    pub(crate) item: String,
    #[serde(default)]
    pub(crate) quantity: String,
    #[serde(default)]
    pub(crate) households: String,
    #[serde(default)]
    pub(crate) individuals: String,
}

async fn distributions_page(
    state: &AppState,
    viewer: &Viewer,
    status: StatusCode,
    form: Option<&DistributionForm>,
    notice: Option<&'static str>,
    errors: Vec<&'static str>,
) -> Result<Response, PageError> {
    let lang = viewer.lang;
    let t = lang.strings();
    let at = state
        .write_version()
        .await
        .map_err(|e| PageError::internal(lang, e))?;
    let lists = Lists::load_at(state, lang, &at).await?;
    let org = viewer.user.org_id;
    // The organization's own rows: kept under its id, never shown to another.
    let recent = state
        .cache
        .get_or_make(&at, format!("respond.recent.{org}"), || {
            state.store.recent_distributions(org, 20)
        })
        .await
        .map_err(fail(lang))?;
    let areas = area_choices_kept(state, lang);
    let last = recent.first();
    // Defaults: what was typed (after an error), else the last entry's campaign, area
    // and item, else the campaign running today.
    let campaign = form
        .and_then(|f| f.campaign.parse().ok())
        .or(last.and_then(|d| d.campaign))
        .or(lists.current_campaign(today()).map(|c| c.id));
    let item = form
        .and_then(|f| f.item.parse().ok())
        .or(last.map(|d| d.item));
    let area = form
        .map(|f| f.area.clone())
        .or(last.map(|d| d.pcode.clone()))
        .unwrap_or_default();
    let p = DistributionsPage {
        shell: Shell::for_viewer(viewer, Some(Section::Respond)),
        t,
        sub: SubNav::new(t, viewer.user.role, "/respond/distributions"),
        csrf: viewer.csrf.clone(),
        can_enter: can_enter(viewer.user.role),
        org: lists.org_name(lang, org),
        campaigns: lists.campaign_choices(lang, campaign),
        items: item_choices(&lists, lang, item),
        areas: &areas,
        date: form
            .map(|f| f.date.clone())
            .unwrap_or_else(|| fmt_date(today())),
        area,
        site: form.map(|f| f.site.clone()).unwrap_or_default(),
        quantity: form.map(|f| f.quantity.clone()).unwrap_or_default(),
        households: form.map(|f| f.households.clone()).unwrap_or_default(),
        individuals: form.map(|f| f.individuals.clone()).unwrap_or_default(),
        recent: recent
            .iter()
            .map(|d| DistRow {
                edit: format!("/respond/distributions/{}/edit", d.id),
                date: fmt_date(d.on),
                area: area_name(&state.geo, lang, &d.pcode),
                site: d.site.clone().unwrap_or_default(),
                item: lists.item_name(lang, d.item),
                quantity: super::words::number(lang, d.quantity),
                households: super::words::number(lang, d.households),
                individuals: super::words::number(lang, d.individuals),
            })
            .collect(),
        notice,
        errors,
    };
    page_with_status(lang, &p, status)
}

/// The catalogue's items as choices, `selected` ticked.
pub(crate) fn item_choices(
    lists: &Lists,
    lang: crate::i18n::Lang,
    selected: Option<uuid::Uuid>,
) -> Vec<Choice> {
    lists
        .items
        .iter()
        .map(|i| Choice {
            value: i.id.to_string(),
            label: format!("{} ({})", item_label(lang, i), unit_label(lang, i)),
            selected: Some(i.id) == selected,
        })
        .collect()
}

/// Checks a distribution form; the error names each wrong field.
pub(crate) fn check_distribution(
    state: &AppState,
    lists: &Lists,
    t: &'static Strings,
    form: &DistributionForm,
) -> Result<NewDistribution, Vec<&'static str>> {
    let mut errors = Vec::new();
    let on = parse_date(&form.date);
    if on.is_none() {
        errors.push(t.rs_date);
    }
    let pcode = resolve_area(&state.geo, &form.area).and_then(|p| PCode::parse(&p).ok());
    if pcode.is_none() {
        errors.push(t.rs_area);
    }
    let item = form
        .item
        .parse::<uuid::Uuid>()
        .ok()
        .filter(|id| lists.item(*id).is_some());
    if item.is_none() {
        errors.push(t.rs_item);
    }
    let quantity = parse_count(&form.quantity).filter(|&q| q > 0);
    if quantity.is_none() {
        errors.push(t.rs_quantity);
    }
    let optional = |s: &str| {
        if s.trim().is_empty() {
            Some(0)
        } else {
            parse_count(s)
        }
    };
    let households = optional(&form.households);
    if households.is_none() {
        errors.push(t.rs_households_reached);
    }
    let individuals = optional(&form.individuals);
    if individuals.is_none() {
        errors.push(t.rs_individuals);
    }
    let campaign = match form.campaign.trim() {
        "" => Some(None),
        c => c
            .parse::<uuid::Uuid>()
            .ok()
            .filter(|id| lists.campaigns.iter().any(|x| x.id == *id))
            .map(Some),
    };
    if campaign.is_none() {
        errors.push(t.rs_campaign);
    }
    let (Some(on), Some(pcode), Some(item), Some(quantity), Some(hh), Some(ind), Some(campaign)) =
        (on, pcode, item, quantity, households, individuals, campaign)
    else {
        return Err(errors);
    };
    Ok(NewDistribution {
        campaign,
        on,
        pcode,
        site: Some(form.site.clone()),
        item,
        quantity,
        households: hh,
        individuals: ind,
        import_key: None,
    })
}

/// `GET /respond/distributions`.
pub async fn distributions(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    require(&viewer)?;
    let t = viewer.lang.strings();
    let notice = match q.done.as_deref() {
        Some("1") => Some(t.rs_saved),
        Some("deleted") => Some(t.rs_deleted),
        _ => None,
    };
    distributions_page(&state, &viewer, StatusCode::OK, None, notice, Vec::new()).await
}

/// `POST /respond/distributions`.
pub async fn create_distribution(
    State(state): State<AppState>,
    CsrfForm(viewer, form): CsrfForm<DistributionForm>,
) -> Result<Response, PageError> {
    require_entry(&viewer)?;
    let lang = viewer.lang;
    let t = lang.strings();
    let lists = Lists::load(&state, lang).await?;
    let new = match check_distribution(&state, &lists, t, &form) {
        Ok(new) => new,
        Err(errors) => {
            return distributions_page(
                &state,
                &viewer,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(&form),
                None,
                errors,
            )
            .await;
        }
    };
    match state
        .store
        .create_distribution(Some(viewer.user.id), viewer.user.org_id, &new)
        .await
    {
        Ok(d) => {
            record(
                &state,
                audit_entry(
                    &viewer.user,
                    "distribution.create",
                    "distribution",
                    d.id.to_string(),
                    serde_json::json!({"pcode": d.pcode, "quantity": d.quantity}),
                ),
            )
            .await;
            Ok(
                Redirect::to(&super::keep_lang(&viewer, "/respond/distributions?done=1"))
                    .into_response(),
            )
        }
        Err(StoreError::Invalid(_)) => {
            distributions_page(
                &state,
                &viewer,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(&form),
                None,
                vec![t.error_bad_request],
            )
            .await
        }
        Err(e) => Err(PageError::internal(lang, e)),
    }
}

/// The campaign form's fields.
#[derive(Debug, Deserialize)]
pub struct CampaignForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    name_ar: String,
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    ends_on: String,
    #[serde(default)]
    areas: String,
    /// Partner ids, one `partner` field per ticked box.
    #[serde(default)]
    partner: Vec<String>,
}

/// `POST /respond/campaigns`.
pub async fn create_campaign(
    State(state): State<AppState>,
    CsrfForm(viewer, form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require(&viewer)?;
    let lang = viewer.lang;
    if !can_coordinate(viewer.user.role) {
        return Err(PageError::forbidden(lang));
    }
    let get = |k: &str| {
        form.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let f = CampaignForm {
        name: get("name"),
        name_ar: get("name_ar"),
        starts_on: get("starts_on"),
        ends_on: get("ends_on"),
        areas: get("areas"),
        partner: form
            .iter()
            .filter(|(k, _)| k == "partner")
            .map(|(_, v)| v.clone())
            .collect(),
    };
    let lists = Lists::load(&state, lang).await?;
    let mut areas = Vec::new();
    let mut bad_area = false;
    for part in f.areas.split([',', '،', '\n']) {
        if part.trim().is_empty() {
            continue;
        }
        match resolve_area(&state.geo, part).and_then(|p| PCode::parse(&p).ok()) {
            Some(p) => areas.push(p),
            None => bad_area = true,
        }
    }
    let partners = f
        .partner
        .iter()
        .filter_map(|p| p.parse().ok())
        .filter(|id| lists.orgs.iter().any(|o| o.id == *id))
        .collect();
    let (Some(starts_on), Some(ends_on), false, false) = (
        parse_date(&f.starts_on),
        parse_date(&f.ends_on),
        bad_area,
        f.name.trim().is_empty(),
    ) else {
        return Ok(
            Redirect::to(&super::keep_lang(&viewer, "/respond?err=campaign")).into_response(),
        );
    };
    let new = NewCampaign {
        name: f.name,
        name_ar: Some(f.name_ar),
        starts_on,
        ends_on,
        lead_org: viewer.user.org_id,
        partners,
        areas,
    };
    match state.store.create_campaign(&new).await {
        Ok(c) => {
            record(
                &state,
                audit_entry(
                    &viewer.user,
                    "campaign.create",
                    "campaign",
                    c.id.to_string(),
                    serde_json::json!({"partners": c.partners.len(), "areas": c.areas}),
                ),
            )
            .await;
            Ok(Redirect::to(&super::keep_lang(&viewer, "/respond?done=campaign")).into_response())
        }
        Err(StoreError::Invalid(_) | StoreError::Conflict(_)) => {
            Ok(Redirect::to(&super::keep_lang(&viewer, "/respond?err=campaign")).into_response())
        }
        Err(e) => Err(PageError::internal(lang, e)),
    }
}
