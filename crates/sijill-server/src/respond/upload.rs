//! The import page: upload a KoboToolbox/ODK export, see which column fed which field,
//! and either every refused cell (nothing stored) or what was added.

use super::import::{
    Checked, RowError, check_distributions, check_households, parse_mapping, read_table,
};
use super::words::number;
use super::{Choice, Lists, SubNav, fail, require_entry, today};
use crate::error::PageError;
use crate::i18n::{Lang, Strings};
use crate::nav::Section;
use crate::session::{CsrfUpload, Viewer};
use crate::state::AppState;
use crate::web::{Shell, audit_entry, page, page_with_status, record};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use sijill_store::ImportOutcome;

struct ErrorRow {
    line: String,
    column: String,
    problem: &'static str,
}

#[derive(Template)]
#[template(path = "respond_import.html")]
struct ImportPage {
    shell: Shell,
    t: &'static Strings,
    sub: SubNav,
    csrf: String,
    campaigns: Vec<Choice>,
    households_kind: bool,
    mapping: String,
    used: Vec<(&'static str, String)>,
    dropped: Vec<String>,
    errors: Vec<ErrorRow>,
    file_error: bool,
    outcome: Option<(String, String)>,
}

fn blank(state: &AppState, viewer: &Viewer, lists: &Lists) -> ImportPage {
    let lang = viewer.lang;
    let t = lang.strings();
    let _ = state;
    ImportPage {
        shell: Shell::for_viewer(viewer, Some(Section::Respond)),
        t,
        sub: SubNav::new(t, viewer.user.role, "/respond/import"),
        csrf: viewer.csrf.clone(),
        campaigns: lists.campaign_choices(lang, lists.current_campaign(today()).map(|c| c.id)),
        households_kind: false,
        mapping: String::new(),
        used: Vec::new(),
        dropped: Vec::new(),
        errors: Vec::new(),
        file_error: false,
        outcome: None,
    }
}

/// `GET /respond/import`.
pub async fn import_form(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Response, PageError> {
    require_entry(&viewer)?;
    let lists = Lists::load(&state, viewer.lang).await?;
    page(viewer.lang, &blank(&state, &viewer, &lists))
}

fn error_rows(lang: Lang, errors: &[RowError]) -> Vec<ErrorRow> {
    let t = lang.strings();
    errors
        .iter()
        .take(500)
        .map(|e| ErrorRow {
            line: number(lang, e.line as u64),
            column: if e.column > 0 {
                format!("{} ({})", e.column_name, number(lang, e.column as u64))
            } else {
                e.column_name.clone()
            },
            problem: e.problem.label(t),
        })
        .collect()
}

/// `POST /respond/import` (multipart: csrf, kind, campaign, mapping, file).
pub async fn import_upload(
    State(state): State<AppState>,
    upload: CsrfUpload,
) -> Result<Response, PageError> {
    let CsrfUpload {
        viewer,
        fields,
        file,
        ..
    } = upload;
    require_entry(&viewer)?;
    let lang = viewer.lang;
    let (kind, campaign, mapping) = (
        fields.get("kind"),
        fields.get("campaign"),
        fields.get("mapping"),
    );
    let lists = Lists::load(&state, lang).await?;
    let mut p = blank(&state, &viewer, &lists);
    p.households_kind = kind == "households";
    p.mapping = mapping.clone();
    let table = match read_table(&file) {
        Ok(t) => t,
        Err(_) => {
            p.file_error = true;
            return page_with_status(lang, &p, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let map = parse_mapping(&mapping);
    let org = viewer.user.org_id;
    let actor = Some(viewer.user.id);
    let store = &state.store;
    let (outcome, rows, errors, used, dropped): (
        Option<ImportOutcome>,
        usize,
        Vec<RowError>,
        _,
        _,
    ) = if p.households_kind {
        let Checked {
            rows,
            errors,
            dropped,
            used,
        } = check_households(&table, &map, &state.geo);
        let outcome = if errors.is_empty() {
            Some(
                store
                    .import_households(actor, org, &rows)
                    .await
                    .map_err(fail(lang))?,
            )
        } else {
            None
        };
        (outcome, rows.len(), errors, used, dropped)
    } else {
        let Checked {
            rows,
            errors,
            dropped,
            used,
        } = check_distributions(
            &table,
            &map,
            &state.geo,
            &lists.items,
            campaign.parse().ok(),
        );
        let outcome = if errors.is_empty() {
            Some(
                store
                    .import_distributions(actor, org, &rows)
                    .await
                    .map_err(fail(lang))?,
            )
        } else {
            None
        };
        (outcome, rows.len(), errors, used, dropped)
    };
    p.used = used;
    p.dropped = dropped;
    p.errors = error_rows(lang, &errors);
    let status = match outcome {
        Some(o) => {
            record(
                &state,
                audit_entry(
                    &viewer.user,
                    "import.create",
                    if p.households_kind { "household" } else { "distribution" },
                    String::new(),
                    serde_json::json!({"rows": rows, "added": o.added, "already_there": o.already_there}),
                ),
            )
            .await;
            p.outcome = Some((number(lang, o.added), number(lang, o.already_there)));
            StatusCode::OK
        }
        None => StatusCode::UNPROCESSABLE_ENTITY,
    };
    page_with_status(lang, &p, status)
}
