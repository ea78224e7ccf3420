//! Correcting or deleting a distribution the viewer's organization recorded. The edit
//! form holds the same fields and checks as the entry form; only the fields changed are
//! saved, as one revision ([`crate::edits`]), so a correction made offline merges with
//! other fields' edits made elsewhere and the same field edited twice opens a conflict
//! on the sync page. A deletion asks for a tick first and leaves a tombstone that syncs.
//! Volunteers and dialogue sessions are corrected the same way ([`super::edit_people`]).

use super::entry::{DistributionForm, check_distribution, item_choices};
use super::households::{HouseholdValues, flag_choices, parse_household};
use super::{Choice, Lists, SubNav, area_choices, fail, fmt_date, require_entry};
use crate::edits::{delete, save};
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
use sijill_store::{Distribution, StoreError, Vulnerability};
use uuid::Uuid;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/respond/distributions/{id}/edit",
            get(edit_form).post(save_edit),
        )
        .route("/respond/distributions/{id}/delete", post(remove))
        .route(
            "/respond/households/{id}/edit",
            get(household_form).post(save_household),
        )
        .merge(super::edit_people::routes())
}

#[derive(Template)]
#[template(path = "respond_distribution_edit.html")]
struct EditPage {
    shell: Shell,
    t: &'static Strings,
    sub: SubNav,
    csrf: String,
    id: String,
    campaigns: Vec<Choice>,
    items: Vec<Choice>,
    areas: Vec<Choice>,
    date: String,
    area: String,
    site: String,
    quantity: String,
    households: String,
    individuals: String,
    errors: Vec<&'static str>,
}

/// The distribution `id` when the viewer's organization recorded it.
async fn own(state: &AppState, viewer: &Viewer, id: &str) -> Result<Distribution, PageError> {
    require_entry(viewer)?;
    let lang = viewer.lang;
    let id = crate::web::record_id(lang, id)?;
    state
        .store
        .distribution(viewer.user.org_id, id)
        .await
        .map_err(fail(lang))?
        .ok_or_else(|| PageError::not_found(lang))
}

/// The stored values as the form shows them.
fn form_of(d: &Distribution) -> DistributionForm {
    DistributionForm {
        campaign: d.campaign.map(|c| c.to_string()).unwrap_or_default(),
        date: fmt_date(d.on),
        area: d.pcode.clone(),
        site: d.site.clone().unwrap_or_default(),
        item: d.item.to_string(),
        quantity: d.quantity.to_string(),
        households: d.households.to_string(),
        individuals: d.individuals.to_string(),
    }
}

async fn edit_page(
    state: &AppState,
    viewer: &Viewer,
    id: Uuid,
    form: &DistributionForm,
    status: StatusCode,
    errors: Vec<&'static str>,
) -> Result<Response, PageError> {
    let lang = viewer.lang;
    let t = lang.strings();
    let lists = Lists::load(state, lang).await?;
    let p = EditPage {
        shell: Shell::for_viewer(viewer, Some(Section::Respond)),
        t,
        sub: SubNav::new(t, viewer.user.role, "/respond/distributions"),
        csrf: viewer.csrf.clone(),
        id: id.to_string(),
        campaigns: lists.campaign_choices(lang, form.campaign.parse().ok()),
        items: item_choices(&lists, lang, form.item.parse().ok()),
        areas: area_choices(&state.geo, lang),
        date: form.date.clone(),
        area: form.area.clone(),
        site: form.site.clone(),
        quantity: form.quantity.clone(),
        households: form.households.clone(),
        individuals: form.individuals.clone(),
        errors,
    };
    page_with_status(lang, &p, status)
}

/// `GET /respond/distributions/{id}/edit`.
async fn edit_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let d = own(&state, &viewer, &id).await?;
    edit_page(
        &state,
        &viewer,
        d.id,
        &form_of(&d),
        StatusCode::OK,
        Vec::new(),
    )
    .await
}

/// `POST /respond/distributions/{id}/edit`: the changed fields, checked as on entry.
async fn save_edit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(viewer, form): CsrfForm<DistributionForm>,
) -> Result<Response, PageError> {
    let d = own(&state, &viewer, &id).await?;
    let lang = viewer.lang;
    let lists = Lists::load(&state, lang).await?;
    let new = match check_distribution(&state, &lists, lang.strings(), &form) {
        Ok(new) => new,
        Err(errors) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return edit_page(&state, &viewer, d.id, &form, status, errors).await;
        }
    };
    // Item and campaign travel by their code and name, as the sync layer writes them;
    // an empty site is no site.
    let item_code = lists.item(new.item).map(|i| i.code.clone());
    let campaign_name = new
        .campaign
        .and_then(|c| lists.campaigns.iter().find(|x| x.id == c))
        .map(|c| c.name.clone());
    let site = new
        .site
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    let values = [
        ("distributed_on", Some(fmt_date(new.on))),
        ("pcode", Some(new.pcode.as_str().to_owned())),
        ("site", site),
        ("item_id", item_code),
        ("campaign_id", campaign_name),
        ("quantity", Some(new.quantity.to_string())),
        ("households", Some(new.households.to_string())),
        ("individuals", Some(new.individuals.to_string())),
    ];
    save(&state, &viewer, "distribution", d.id, &values).await?;
    Ok(Redirect::to("/respond/distributions?done=1").into_response())
}

#[derive(Debug, Default, Deserialize)]
struct DeleteForm {
    #[serde(default)]
    confirm: String,
}

/// `POST /respond/distributions/{id}/delete`: needs the confirmation ticked.
async fn remove(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(viewer, form): CsrfForm<DeleteForm>,
) -> Result<Response, PageError> {
    let d = own(&state, &viewer, &id).await?;
    let lang = viewer.lang;
    if form.confirm != "1" {
        let errors = vec![lang.strings().rs_delete_confirm];
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return edit_page(&state, &viewer, d.id, &form_of(&d), status, errors).await;
    }
    delete(&state, &viewer, "distribution", d.id).await?;
    Ok(Redirect::to("/respond/distributions?done=deleted").into_response())
}

#[derive(Template)]
#[template(path = "respond_household_edit.html")]
struct HouseholdEditPage {
    shell: Shell,
    t: &'static Strings,
    sub: SubNav,
    csrf: String,
    id: String,
    areas: Vec<Choice>,
    flags: Vec<Choice>,
    hf: HouseholdValues,
    errors: Vec<&'static str>,
}

fn household_page(
    state: &AppState,
    viewer: &Viewer,
    id: Uuid,
    hf: HouseholdValues,
    ticked: &[Vulnerability],
    status: StatusCode,
    errors: Vec<&'static str>,
) -> Result<Response, PageError> {
    let lang = viewer.lang;
    let t = lang.strings();
    let p = HouseholdEditPage {
        shell: Shell::for_viewer(viewer, Some(Section::Respond)),
        t,
        sub: SubNav::new(t, viewer.user.role, "/respond/households"),
        csrf: viewer.csrf.clone(),
        id: id.to_string(),
        areas: area_choices(&state.geo, lang),
        flags: flag_choices(t, ticked),
        hf,
        errors,
    };
    page_with_status(lang, &p, status)
}

/// `GET /respond/households/{id}/edit`: the register form holding the household.
async fn household_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    require_entry(&viewer)?;
    let lang = viewer.lang;
    let id = crate::web::record_id(lang, &id)?;
    let h = state
        .store
        .household(viewer.user.org_id, id)
        .await
        .map_err(fail(lang))?
        .ok_or_else(|| PageError::not_found(lang))?;
    let hf = HouseholdValues {
        name: h.name,
        father: h.father_name,
        year: h.birth_year.map(|y| y.to_string()).unwrap_or_default(),
        area: h.pcode,
        contact: h.contact.unwrap_or_default(),
        size: h.size.to_string(),
        females: h.females.to_string(),
        males: h.males.to_string(),
        children: h.children.to_string(),
        elderly: h.elderly.to_string(),
    };
    household_page(
        &state,
        &viewer,
        id,
        hf,
        &h.vulnerability,
        StatusCode::OK,
        Vec::new(),
    )
}

/// `POST /respond/households/{id}/edit`: checked as a registration; what changed is one
/// revision, and the duplicate alert follows the corrected identity.
async fn save_household(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(viewer, form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_entry(&viewer)?;
    let lang = viewer.lang;
    let t = lang.strings();
    let id = crate::web::record_id(lang, &id)?;
    let new = match parse_household(&state, t, &form) {
        Ok(new) => new,
        Err(errors) => {
            let (hf, ticked) = HouseholdValues::typed(&form);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return household_page(&state, &viewer, id, hf, &ticked, status, errors);
        }
    };
    match state
        .store
        .edit_household(Some(viewer.user.id), viewer.user.org_id, id, &new)
        .await
    {
        Ok(_) => Ok(Redirect::to(&super::keep_lang(
            &viewer,
            "/respond/households?done=edited",
        ))
        .into_response()),
        Err(StoreError::NotFound) => Err(PageError::not_found(lang)),
        Err(StoreError::Invalid(_)) => Err(PageError::unprocessable(lang, t.error_bad_request)),
        Err(e) => Err(PageError::internal(lang, e)),
    }
}
