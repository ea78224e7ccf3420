//! The sync page: this instance's id, the remembered server with a "sync now" button,
//! when the last sync ran and how it ended (revisions sent and received, conflicts,
//! evidence files, or why it failed), and the open conflicts of the viewer's
//! organization with a button per candidate value to keep it.
//! `sijill sync --server URL --token T [--ca-file PEM] --remember` stores the URL, the
//! token (sealed with the instance's key) and the CA file's path.

use crate::error::PageError;
use crate::i18n::Strings;
use crate::session::{CsrfForm, Viewer};
use crate::state::AppState;
use crate::web::{Shell, page};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use sijill_store::SyncScope;

/// Setting holding the configured server's URL.
pub const SERVER_SETTING: &str = "sync.server_url";
/// Setting holding the configured token, sealed.
pub const TOKEN_SETTING: &str = "sync.token";
/// Seal context of the token.
pub const TOKEN_CONTEXT: &str = "settings.value:sync.token";
/// Setting holding the path of a PEM file of extra trusted authorities.
pub const CA_SETTING: &str = "sync.ca_file";
/// Setting holding the remembered server's instance id (from its `Sijill-Instance`
/// answer header), so the conflict list can say "the server".
pub const SERVER_INSTANCE_SETTING: &str = "sync.server_instance";

/// The routes of the page.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/sync", get(home))
        .route("/sync/now", post(sync_now))
        .route("/sync/conflicts/{id}", post(resolve))
}

struct ValueRow {
    revision: String,
    value: String,
    clock: u64,
    instance: String,
    /// "this instance", "the server (host)", or none (then the id is shown).
    from: Option<String>,
    shown: bool,
}

struct ConflictRow {
    action: String,
    kind: String,
    record: String,
    /// What the record is, in a few words (never a sealed field).
    summary: Option<String>,
    /// Its page, when it has one.
    href: Option<String>,
    field: String,
    values: Vec<ValueRow>,
}

struct LastRow {
    at: String,
    server: String,
    pushed: u64,
    pulled: u64,
    conflicts: u64,
    files_sent: u64,
    files_received: u64,
    error: Option<String>,
}

impl From<sijill_sync::LastSync> for LastRow {
    fn from(l: sijill_sync::LastSync) -> Self {
        LastRow {
            at: crate::web::fmt_time(l.at),
            server: l.server,
            pushed: l.pushed,
            pulled: l.pulled,
            conflicts: l.conflicts,
            files_sent: l.files.0,
            files_received: l.files.1,
            error: l.error,
        }
    }
}

#[derive(Template)]
#[template(path = "sync_home.html")]
struct SyncPage {
    shell: Shell,
    t: &'static Strings,
    csrf: String,
    instance: String,
    server: Option<String>,
    last: Option<LastRow>,
    notice: Option<String>,
    conflicts: Vec<ConflictRow>,
}

fn scope_of(viewer: &Viewer) -> Result<SyncScope, PageError> {
    let s = SyncScope::for_role(viewer.user.org_id, viewer.user.role);
    if s.kinds.is_empty() {
        return Err(PageError::forbidden(viewer.lang));
    }
    Ok(s)
}

fn kind_label(t: &'static Strings, kind: &str) -> String {
    let label = match kind {
        "distribution" => t.sync_kind_distribution,
        "household" => t.sync_kind_household,
        "incident" => t.sync_kind_incident,
        "incident-source" => t.sync_kind_incident_source,
        "evidence" => t.sync_kind_evidence,
        "custody" => t.sync_kind_custody,
        "testimony" => t.sync_kind_testimony,
        "rescue-mission" => t.sync_kind_rescue_mission,
        "displacement-report" => t.sync_kind_displacement_report,
        "cash-transfer" => t.sync_kind_cash_transfer,
        "volunteer" => t.sync_kind_volunteer,
        "dialogue" => t.sync_kind_dialogue,
        // A kind this page does not know yet is shown by its name on the wire.
        other => return other.to_owned(),
    };
    label.to_owned()
}

/// What a conflicting record is, in a few words, and its page: a distribution by day,
/// area and item; an incident by day and place; a household by area and size (never its
/// sealed name). Other kinds, and records not found here, by their id only.
async fn describe(
    state: &AppState,
    org: sijill_model::account::OrgId,
    kind: &str,
    id: uuid::Uuid,
    items: &std::collections::HashMap<uuid::Uuid, String>,
    t: &'static Strings,
) -> Result<(Option<String>, Option<String>), sijill_store::StoreError> {
    Ok(match kind {
        "distribution" => match state.store.distribution(org, id).await? {
            Some(d) => (
                Some(format!(
                    "{} · {} · {} {}",
                    d.on,
                    d.pcode,
                    d.quantity,
                    items.get(&d.item).map(String::as_str).unwrap_or("")
                )),
                Some(format!("/respond/distributions/{id}/edit")),
            ),
            None => (None, None),
        },
        "incident" => match state.store.incident(id).await? {
            Some(i) if i.org_id == org => (
                Some(format!("{} · {}", i.occurred_on, i.place)),
                Some(format!("/document/incidents/{id}")),
            ),
            _ => (None, None),
        },
        "household" => match state.store.household(org, id).await? {
            Some(h) => (
                Some(format!(
                    "{} · {} {}",
                    h.pcode, t.sync_household_size, h.size
                )),
                None,
            ),
            None => (None, None),
        },
        _ => (None, None),
    })
}

/// `?done=synced|resolved|failed`.
#[derive(Debug, Deserialize)]
pub struct Done {
    done: Option<String>,
    n: Option<u64>,
}

async fn home(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<Done>,
) -> Result<Response, PageError> {
    let lang = viewer.lang;
    let t = lang.strings();
    let scope = scope_of(&viewer)?;
    let fail = |e: sijill_store::StoreError| PageError::internal(lang, e);
    let instance = state.store.sync_instance_id().await.map_err(fail)?;
    let server = state.store.setting(SERVER_SETTING).await.map_err(fail)?;
    let last = sijill_sync::LastSync::load(&state.store)
        .await
        .map_err(fail)?
        .map(LastRow::from);
    let server_instance = state
        .store
        .setting(SERVER_INSTANCE_SETTING)
        .await
        .map_err(fail)?
        .and_then(|s| s.parse::<uuid::Uuid>().ok());
    let server_host = server
        .as_deref()
        .map(|u| u.split_once("://").map_or(u, |(_, r)| r))
        .map(|r| r.split('/').next().unwrap_or(r).to_owned());
    let items: std::collections::HashMap<uuid::Uuid, String> = state
        .store
        .list_items()
        .await
        .map_err(fail)?
        .into_iter()
        .map(|i| {
            let name = match lang {
                crate::i18n::Lang::Ar => i.name_ar,
                crate::i18n::Lang::En => i.name_en,
            };
            (i.id, name)
        })
        .collect();
    let mut conflicts = Vec::new();
    for c in state
        .store
        .sync_conflicts(Some(viewer.user.org_id))
        .await
        .map_err(fail)?
        .into_iter()
        .filter(|c| scope.kinds.contains(&c.kind.as_str()))
    {
        let (summary, href) = describe(&state, viewer.user.org_id, &c.kind, c.record_id, &items, t)
            .await
            .map_err(fail)?;
        conflicts.push(ConflictRow {
            action: format!("/sync/conflicts/{}", c.id),
            kind: kind_label(t, &c.kind),
            record: c.record_id.to_string(),
            summary,
            href,
            field: if c.field == "_deleted" {
                t.sync_field_deleted.to_owned()
            } else {
                c.field.clone()
            },
            values: c
                .candidates
                .iter()
                .map(|v| ValueRow {
                    revision: v.revision_id.to_string(),
                    value: match (c.field.as_str(), v.value.as_deref()) {
                        ("_deleted", Some("1")) => t.sync_value_deleted.to_owned(),
                        ("_deleted", _) => t.sync_value_kept.to_owned(),
                        (_, Some(s)) => s.to_owned(),
                        (_, None) => t.sync_value_empty.to_owned(),
                    },
                    clock: v.clock,
                    instance: v.instance_id.to_string(),
                    from: if v.instance_id == instance {
                        Some(t.sync_this_instance.to_owned())
                    } else if Some(v.instance_id) == server_instance {
                        Some(match &server_host {
                            Some(h) => format!("{} ({h})", t.sync_the_server),
                            None => t.sync_the_server.to_owned(),
                        })
                    } else {
                        None
                    },
                    shown: v.revision_id == c.chosen,
                })
                .collect(),
        });
    }
    let notice = match q.done.as_deref() {
        Some("synced") => Some(format!("{} {}", t.sync_done, q.n.unwrap_or(0))),
        Some("resolved") => Some(t.sync_resolved.to_owned()),
        Some("failed") => Some(t.sync_failed.to_owned()),
        _ => None,
    };
    let p = SyncPage {
        shell: Shell::for_viewer(&viewer, Some(crate::nav::Section::Sync)),
        t,
        csrf: viewer.csrf.clone(),
        instance: instance.to_string(),
        server,
        last,
        notice,
        conflicts,
    };
    page(lang, &p)
}

/// The resolve form.
#[derive(Debug, Deserialize)]
pub struct KeepForm {
    keep: String,
}

async fn resolve(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(viewer, form): CsrfForm<KeepForm>,
) -> Result<Response, PageError> {
    let lang = viewer.lang;
    scope_of(&viewer)?;
    let (Ok(id), Ok(keep)) = (id.parse(), form.keep.trim().parse()) else {
        return Err(PageError::bad_request(lang));
    };
    match state
        .store
        .sync_resolve(Some(viewer.user.id), viewer.user.org_id, id, keep)
        .await
    {
        Ok(()) => {
            Ok(Redirect::to(&format!("/sync?done=resolved&lang={}", lang.code())).into_response())
        }
        Err(sijill_store::StoreError::NotFound) => Err(PageError::not_found(lang)),
        Err(sijill_store::StoreError::Invalid(_)) => Err(PageError::bad_request(lang)),
        Err(e) => Err(PageError::internal(lang, e)),
    }
}

async fn sync_now(
    State(state): State<AppState>,
    CsrfForm(viewer, crate::web::NoFields {}): CsrfForm<crate::web::NoFields>,
) -> Result<Response, PageError> {
    let lang = viewer.lang;
    scope_of(&viewer)?;
    let fail = |e: sijill_store::StoreError| PageError::internal(lang, e);
    let (Some(url), Some(sealed)) = (
        state.store.setting(SERVER_SETTING).await.map_err(fail)?,
        state.store.setting(TOKEN_SETTING).await.map_err(fail)?,
    ) else {
        return Err(PageError::bad_request(lang));
    };
    let token = state.store.unseal(TOKEN_CONTEXT, &sealed).map_err(fail)?;
    let mut options = sijill_sync::ClientOptions {
        ca_pem: None,
        instance: Some(state.store.sync_instance_id().await.map_err(fail)?),
    };
    let mut done = Ok(());
    if let Some(path) = state.store.setting(CA_SETTING).await.map_err(fail)? {
        match tokio::fs::read(&path).await {
            Ok(pem) => options.ca_pem = Some(pem),
            Err(e) => {
                done = Err(sijill_sync::SyncError::Transport(
                    sijill_sync::TransportError::Refused(format!(
                        "the remembered CA file cannot be read ({})",
                        e.kind()
                    )),
                ))
            }
        }
    }
    let done = match done.and_then(|()| {
        Ok(sijill_sync::HttpTransport::with_options(
            &url, &token, &options,
        )?)
    }) {
        Ok(transport) => {
            let done = sijill_sync::sync(&state.store, &transport, &url, |_| {}).await;
            if let Some(id) = transport.server_instance() {
                state
                    .store
                    .set_setting(SERVER_INSTANCE_SETTING, &id.to_string())
                    .await
                    .map_err(fail)?;
            }
            done
        }
        Err(e) => Err(e),
    };
    let no_files = sijill_sync::EvidenceReport::default();
    sijill_sync::LastSync::of(&url, done.as_ref().map(|r| (r, &no_files)))
        .save(&state.store)
        .await
        .map_err(fail)?;
    let to = match done {
        Ok(r) => format!(
            "/sync?done=synced&n={}&lang={}",
            r.pushed + r.pulled,
            lang.code()
        ),
        Err(e) => {
            tracing::warn!(error = %e, "sync from the page failed");
            format!("/sync?done=failed&lang={}", lang.code())
        }
    };
    Ok(Redirect::to(&to).into_response())
}

#[cfg(test)]
mod tests {
    use super::kind_label;
    use crate::i18n::Lang;
    use sijill_store::sync_types::{DOCUMENT_KINDS, RESPOND_KINDS};

    #[test]
    fn every_synced_kind_has_a_label_in_both_languages() {
        for lang in Lang::ALL {
            let t = lang.strings();
            let mut seen = std::collections::HashSet::new();
            for kind in DOCUMENT_KINDS.iter().chain(RESPOND_KINDS) {
                let label = kind_label(t, kind);
                assert_ne!(label, *kind, "{kind} has no label in {lang:?}");
                assert!(seen.insert(label), "two kinds share a label in {lang:?}");
            }
        }
    }
}
