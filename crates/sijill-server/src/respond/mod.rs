//! The Respond section: relief operations of the partner network.
//!
//! Pages: the overview (`/respond`: the campaign summary in a coordinator's words,
//! unique households against distributions, areas without relief, a map, campaigns),
//! fast entry of distributions, the households register with its cross-partner
//! duplicate alert, cash transfers with the duplicate-payment guard, volunteers,
//! dialogue sessions, the 4W matrix with CSV (HXL) and XLSX exports, bulk import of
//! KoboToolbox/ODK exports, and a public view with small counts suppressed.
//!
//! Personal data (household names, contacts, volunteers, facilitators) is read through
//! store methods that take the viewer's organization, so one partner never sees
//! another's. Field teams, coordinators and administrators write; viewers read.

mod edit;
mod edit_people;
mod entry;
mod households;
pub mod import;
mod people;
mod reports;
mod upload;
pub mod words;

use crate::error::PageError;
use crate::i18n::{Lang, Strings};
use crate::nav::Section;
use crate::session::Viewer;
use crate::state::{AppState, WriteVersion};
use axum::Router;
use axum::routing::{get, post};
use sijill_model::account::{OrgId, Organization, Role};
use sijill_model::geo::{Area, Gazetteer};
use sijill_store::{Campaign, Item, StoreError};
use std::sync::Arc;
use time::{Date, OffsetDateTime};

/// The routes of the section.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/respond", get(reports::overview))
        .route("/respond/campaigns", post(entry::create_campaign))
        .route(
            "/respond/distributions",
            get(entry::distributions).post(entry::create_distribution),
        )
        .route(
            "/respond/households",
            get(households::households).post(households::register),
        )
        .route("/respond/households/{id}/review", post(households::review))
        .route("/respond/households/merge", post(households::merge))
        .route("/respond/cash", get(households::cash).post(households::pay))
        .route(
            "/respond/volunteers",
            get(people::volunteers).post(people::add_volunteer),
        )
        .route(
            "/respond/dialogue",
            get(people::dialogues).post(people::add_dialogue),
        )
        .route("/respond/4w", get(reports::four_w))
        .route("/respond/4w.csv", get(reports::four_w_csv))
        .route("/respond/4w.xlsx", get(reports::four_w_xlsx))
        .route("/respond/public", get(reports::public))
        .route(
            "/respond/import",
            get(upload::import_form).post(upload::import_upload),
        )
        .merge(edit::routes())
}

/// Whether a role may enter relief records.
pub(crate) fn can_enter(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Coordinator | Role::Field)
}

/// Whether a role may set up campaigns.
pub(crate) fn can_coordinate(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Coordinator)
}

fn fail(lang: Lang) -> impl Fn(StoreError) -> PageError {
    move |e| PageError::internal(lang, e)
}

/// A choice of a `<select>` or a datalist.
pub(crate) struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// The reference lists most pages need.
pub(crate) struct Lists {
    pub orgs: Vec<Organization>,
    pub items: Vec<Item>,
    pub campaigns: Vec<Campaign>,
}

impl Lists {
    /// The lists as they are now: read once per write version, then kept in the read
    /// cache (they hold no personal data and are the same for every viewer).
    pub async fn load(state: &AppState, lang: Lang) -> Result<Arc<Lists>, PageError> {
        let at = state
            .write_version()
            .await
            .map_err(|e| PageError::internal(lang, e))?;
        Lists::load_at(state, lang, &at).await
    }

    /// The lists at write version `at` (read just before by the caller).
    pub async fn load_at(
        state: &AppState,
        lang: Lang,
        at: &WriteVersion,
    ) -> Result<Arc<Lists>, PageError> {
        state
            .cache
            .get_or_make(at, "respond.lists".to_owned(), || async {
                Ok::<_, StoreError>(Lists {
                    orgs: state.store.list_orgs().await?,
                    items: state.store.list_items().await?,
                    campaigns: state.store.list_campaigns().await?,
                })
            })
            .await
            .map_err(fail(lang))
    }

    pub fn org_name(&self, lang: Lang, id: OrgId) -> String {
        self.orgs
            .iter()
            .find(|o| o.id == id)
            .map(|o| crate::web::org_display_name(lang, &o.name, o.name_ar.as_deref()).to_owned())
            .unwrap_or_default()
    }

    pub fn item(&self, id: uuid::Uuid) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }

    pub fn item_name(&self, lang: Lang, id: uuid::Uuid) -> String {
        self.item(id)
            .map(|i| item_label(lang, i))
            .unwrap_or_default()
    }

    /// The campaign running today, else the latest one.
    pub fn current_campaign(&self, today: Date) -> Option<&Campaign> {
        self.campaigns
            .iter()
            .find(|c| c.starts_on <= today && today <= c.ends_on)
            .or(self.campaigns.first())
    }

    pub fn campaign_choices(&self, lang: Lang, selected: Option<uuid::Uuid>) -> Vec<Choice> {
        self.campaigns
            .iter()
            .map(|c| Choice {
                value: c.id.to_string(),
                label: campaign_label(lang, c),
                selected: Some(c.id) == selected,
            })
            .collect()
    }
}

pub(crate) fn item_label(lang: Lang, i: &Item) -> String {
    match lang {
        Lang::Ar => i.name_ar.clone(),
        Lang::En => i.name_en.clone(),
    }
}

pub(crate) fn unit_label(lang: Lang, i: &Item) -> String {
    match lang {
        Lang::Ar => i.unit_ar.clone(),
        Lang::En => i.unit_en.clone(),
    }
}

pub(crate) fn campaign_label(lang: Lang, c: &Campaign) -> String {
    match (lang, &c.name_ar) {
        (Lang::Ar, Some(ar)) => ar.clone(),
        _ => c.name.clone(),
    }
}

/// The name of an area in `lang`, or its code when the gazetteer does not know it.
pub(crate) fn area_name(geo: &Gazetteer, lang: Lang, pcode: &str) -> String {
    geo.get_str(pcode)
        .map(|a| a.name(lang.code()).to_owned())
        .unwrap_or_else(|| pcode.to_owned())
}

/// [`area_choices`] made once per language and kept (they depend only on the
/// gazetteer, which does not change while the server runs).
pub(crate) fn area_choices_kept(state: &AppState, lang: Lang) -> Arc<Vec<Choice>> {
    state
        .cache
        .fixed(&format!("respond.areas.{}", lang.code()), || {
            area_choices(&state.geo, lang)
        })
}

/// Areas offered in forms: Syrian governorates, districts and sub-districts.
pub(crate) fn area_choices(geo: &Gazetteer, lang: Lang) -> Vec<Choice> {
    let mut areas: Vec<&Area> = geo
        .areas()
        .iter()
        .filter(|a| a.pcode.as_str().starts_with("SY") && a.pcode.as_str().len() > 2)
        .collect();
    areas.sort_by(|a, b| a.pcode.as_str().cmp(b.pcode.as_str()));
    areas
        .into_iter()
        .map(|a| Choice {
            value: a.pcode.as_str().to_owned(),
            label: a.name(lang.code()).to_owned(),
            selected: false,
        })
        .collect()
}

/// Resolves what a person typed for an area: a p-code, a name in either script, or
/// "name (p-code)".
pub fn resolve_area(geo: &Gazetteer, typed: &str) -> Option<String> {
    let typed = typed.trim();
    if typed.is_empty() {
        return None;
    }
    if let Some(a) = geo.get_str(typed) {
        return Some(a.pcode.as_str().to_owned());
    }
    geo.resolve(typed).map(|a| a.pcode.as_str().to_owned())
}

/// Today in UTC.
pub(crate) fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

/// Parses `YYYY-MM-DD` (in any digits).
pub fn parse_date(s: &str) -> Option<Date> {
    let ascii: String = s
        .trim()
        .chars()
        .map(|c| match c {
            '٠'..='٩' => char::from(b'0' + (c as u32 - 0x0660) as u8),
            '۰'..='۹' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
            c => c,
        })
        .collect();
    let ascii = ascii.get(..10).unwrap_or(&ascii);
    Date::parse(
        ascii,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}

/// A date as `YYYY-MM-DD` (bidi-isolated by the templates).
pub fn fmt_date(d: Date) -> String {
    d.format(time::macros::format_description!("[year]-[month]-[day]"))
        .unwrap_or_default()
}

/// The catalogue forms of an item's counted noun, when the catalogue has them.
pub(crate) fn item_forms(t: &'static Strings, code: &str) -> Option<&'static str> {
    Some(match code {
        "food-basket" => t.rs_i_food_basket,
        "bread" => t.rs_i_bread,
        "ready-meal" => t.rs_i_ready_meal,
        "hygiene-kit" => t.rs_i_hygiene_kit,
        "diapers" => t.rs_i_diapers,
        "towels" => t.rs_i_towels,
        "cleaning-kit" => t.rs_i_cleaning_kit,
        "water" => t.rs_i_water,
        "blanket" => t.rs_i_blanket,
        "medical-kit" => t.rs_i_medical_kit,
        _ => return None,
    })
}

/// The links of the section's sub-navigation.
pub(crate) struct SubNav {
    pub links: Vec<(&'static str, &'static str, bool)>,
}

impl SubNav {
    pub fn new(t: &'static Strings, role: Role, here: &str) -> SubNav {
        let mut links = vec![
            ("/respond", t.rs_overview),
            ("/respond/distributions", t.rs_distributions),
            ("/respond/households", t.rs_households),
            ("/respond/cash", t.rs_cash),
            ("/respond/volunteers", t.rs_volunteers),
            ("/respond/dialogue", t.rs_dialogue),
            ("/respond/4w", t.rs_fourw),
        ];
        if can_enter(role) {
            links.push(("/respond/import", t.rs_import));
        }
        links.push(("/respond/public", t.rs_public));
        SubNav {
            links: links.into_iter().map(|(h, l)| (h, l, h == here)).collect(),
        }
    }
}

/// `url` with the viewer's language, so the page after a form's redirect stays in the
/// language the form was filled in.
pub(crate) fn keep_lang(viewer: &Viewer, url: &str) -> String {
    format!("{url}&lang={}", viewer.lang.code())
}

/// Fails with 403 unless the viewer may open the section.
pub(crate) fn require(viewer: &Viewer) -> Result<(), PageError> {
    viewer.require(Section::Respond)
}

/// Fails with 403 unless the viewer may enter records.
pub(crate) fn require_entry(viewer: &Viewer) -> Result<(), PageError> {
    require(viewer)?;
    if can_enter(viewer.user.role) {
        Ok(())
    } else {
        Err(PageError::forbidden(viewer.lang))
    }
}
