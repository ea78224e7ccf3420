//! The sync page: this instance's id, the remembered server with a "sync now" button,
//! when the last sync ran and how it ended (revisions sent and received, conflicts,
//! evidence files, or why it failed), the open conflicts of the viewer's organization
//! with a button per candidate value to keep it, and the records that arrived but are
//! held back here (kind, id and why).
//! `sijill sync --server URL --token T [--ca-file PEM] --remember` stores the URL, the
//! token (sealed with the instance's key) and the CA file's path.
//!
//! "Sync now" runs the whole sync as the CLI does (records, then evidence files) in a
//! background task, off the request path, as linkage runs are: the button answers at
//! once with a redirect to the run's progress page (`/sync/jobs/{id}`), which refreshes
//! itself with `<meta http-equiv="refresh">` (no script; the content security policy
//! governs fetches, not a refresh) and shows the counts so far, then the outcome, which
//! is also kept in the `sync.last` setting. One run per instance at a time: a second
//! click, by anyone, leads to the running one. Runs are known to the serving process
//! only; after a restart the last outcome is still on `/sync`.

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
use sijill_store::sync_types::HeldReason;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex};
use tracing::Instrument;
use uuid::Uuid;

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
        .route("/sync/jobs/{id}", get(job_page))
        .route("/sync/conflicts/{id}", post(resolve))
}

struct ValueRow {
    revision: String,
    value: String,
    clock: u64,
    instance: String,
    /// "this instance", "the server (host)", or none (then the id is shown).
    from: Option<String>,
    /// The person who made the edit, when the making instance knew.
    author: Option<String>,
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

struct HeldRow {
    kind: String,
    record: String,
    href: Option<String>,
    reason: &'static str,
    /// The missing record, for a record whose parent is gone: its kind and id.
    parent: Option<(String, String)>,
}

#[derive(Template)]
#[template(path = "sync_home.html")]
struct SyncPage {
    shell: Shell,
    t: &'static Strings,
    csrf: String,
    instance: String,
    server: Option<String>,
    /// The running "Sync now" run's page, if one runs.
    running: Option<String>,
    last: Option<LastRow>,
    notice: Option<String>,
    conflicts: Vec<ConflictRow>,
    held: Vec<HeldRow>,
}

/// The step a background run is at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Records,
    Files,
}

/// A "Sync now" run in the background: its counts so far, then its outcome.
struct Job {
    id: Uuid,
    started: time::OffsetDateTime,
    by: String,
    pushed: AtomicU64,
    pulled: AtomicU64,
    bytes_sent: AtomicU64,
    bytes_received: AtomicU64,
    stage: Mutex<Stage>,
    /// Set when the run ends: what `sync.last` holds.
    outcome: Mutex<Option<sijill_sync::LastSync>>,
}

impl Job {
    fn heard(&self, p: sijill_sync::Progress) {
        use sijill_sync::Progress as P;
        let (counter, n) = match p {
            P::Pushed(n) => (&self.pushed, n),
            P::Pulled(n) => (&self.pulled, n),
            P::EvidenceSent(n) => (&self.bytes_sent, n),
            P::EvidenceReceived(n) => (&self.bytes_received, n),
            P::RecordsDone => {
                if let Ok(mut s) = self.stage.lock() {
                    *s = Stage::Files;
                }
                return;
            }
        };
        counter.fetch_add(n, Ordering::Relaxed);
    }

    fn outcome(&self) -> Option<sijill_sync::LastSync> {
        self.outcome.lock().ok().and_then(|o| o.clone())
    }

    fn running(&self) -> bool {
        self.outcome().is_none()
    }
}

/// The last "Sync now" run of each instance (by instance id) in this process.
static JOBS: LazyLock<Mutex<HashMap<Uuid, Arc<Job>>>> = LazyLock::new(Default::default);

fn job_of(instance: Uuid) -> Option<Arc<Job>> {
    JOBS.lock().ok().and_then(|j| j.get(&instance).cloned())
}

fn held_row(t: &'static Strings, h: sijill_store::sync_types::HeldBack) -> HeldRow {
    // A deletion kept back leaves the record here, with its page; the others are not
    // stored here at all.
    let href = match (&h.reason, h.kind.as_str()) {
        (HeldReason::Referenced, "distribution") => {
            Some(format!("/respond/distributions/{}/edit", h.record_id))
        }
        (HeldReason::Referenced, "incident") => {
            Some(format!("/document/incidents/{}", h.record_id))
        }
        _ => None,
    };
    let (reason, parent) = match h.reason {
        HeldReason::ParentMissing { kind, id } => (
            t.sync_held_parent,
            Some((kind_label(t, &kind), id.to_string())),
        ),
        HeldReason::Referenced => (t.sync_held_referenced, None),
        HeldReason::Unstorable => (t.sync_held_unstorable, None),
    };
    HeldRow {
        kind: kind_label(t, &h.kind),
        record: h.record_id.to_string(),
        href,
        reason,
        parent,
    }
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
                    author: v.author.clone(),
                    shown: v.revision_id == c.chosen,
                })
                .collect(),
        });
    }
    let held = state
        .store
        .sync_held_back(Some(viewer.user.org_id))
        .await
        .map_err(fail)?
        .into_iter()
        .filter(|h| scope.kinds.contains(&h.kind.as_str()))
        .map(|h| held_row(t, h))
        .collect();
    let running = job_of(instance)
        .filter(|j| j.running())
        .map(|j| format!("/sync/jobs/{}", j.id));
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
        running,
        last,
        notice,
        conflicts,
        held,
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

/// Starts a background run with the remembered server and token (or, when one runs
/// already, leads to it) and answers at once with its progress page.
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
    let instance = state.store.sync_instance_id().await.map_err(fail)?;
    let job = {
        let mut jobs = JOBS
            .lock()
            .map_err(|_| PageError::internal(lang, "the table of sync runs is poisoned"))?;
        if let Some(j) = jobs.get(&instance).filter(|j| j.running()) {
            let to = format!("/sync/jobs/{}?already=1&lang={}", j.id, lang.code());
            return Ok(Redirect::to(&to).into_response());
        }
        let job = Arc::new(Job {
            id: Uuid::now_v7(),
            started: time::OffsetDateTime::now_utc(),
            by: viewer.user.display_name.clone(),
            pushed: AtomicU64::new(0),
            pulled: AtomicU64::new(0),
            bytes_sent: AtomicU64::new(0),
            bytes_received: AtomicU64::new(0),
            stage: Mutex::new(Stage::Records),
            outcome: Mutex::new(None),
        });
        jobs.insert(instance, job.clone());
        job
    };
    let id = job.id;
    let span = tracing::info_span!("sync_now", run = %id);
    tokio::spawn(supervise(state, job, url, sealed).instrument(span));
    Ok(Redirect::to(&format!("/sync/jobs/{id}?lang={}", lang.code())).into_response())
}

/// Runs the sync in a task of its own and records how it ended, even when that task
/// stops abnormally, so the progress page never waits forever.
async fn supervise(state: AppState, job: Arc<Job>, url: String, sealed: String) {
    let store = state.store.clone();
    let run = tokio::spawn(run_job(state, job.clone(), url.clone(), sealed));
    let last = match run.await {
        Ok(last) => last,
        Err(e) => {
            tracing::error!(error = %e, "the sync run stopped abnormally");
            let mut last = sijill_sync::LastSync::of(
                &url,
                Err(&sijill_sync::SyncError::Evidence(String::new())),
            );
            last.error = Some("the sync stopped abnormally; see the server log".into());
            if let Err(e) = last.save(&store).await {
                tracing::warn!(error = %e, "the last sync's outcome was not saved");
            }
            last
        }
    };
    if let Ok(mut o) = job.outcome.lock() {
        *o = Some(last);
    }
}

/// The run itself: the whole sync, then its outcome saved as the last sync.
async fn run_job(
    state: AppState,
    job: Arc<Job>,
    url: String,
    sealed: String,
) -> sijill_sync::LastSync {
    let done = sync_once(&state, &job, &url, &sealed).await;
    if let Err(e) = &done {
        tracing::warn!(error = %e, "sync from the page failed");
    }
    let last = sijill_sync::LastSync::of(&url, done.as_ref().map(|o| (&o.report, &o.files)));
    if let Err(e) = last.save(&state.store).await {
        tracing::warn!(error = %e, "the last sync's outcome was not saved");
    }
    last
}

async fn sync_once(
    state: &AppState,
    job: &Job,
    url: &str,
    sealed: &str,
) -> Result<sijill_sync::Outcome, sijill_sync::SyncError> {
    use sijill_sync::{SyncError, TransportError};
    let token = state.store.unseal(TOKEN_CONTEXT, sealed)?;
    let mut options = sijill_sync::ClientOptions {
        ca_pem: None,
        instance: Some(state.store.sync_instance_id().await?),
    };
    if let Some(path) = state.store.setting(CA_SETTING).await? {
        let pem = tokio::fs::read(&path).await.map_err(|e| {
            SyncError::Transport(TransportError::Refused(format!(
                "the remembered CA file cannot be read ({})",
                e.kind()
            )))
        })?;
        options.ca_pem = Some(pem);
    }
    let transport = sijill_sync::HttpTransport::with_options(url, &token, &options)?;
    // A server that was never given an evidence directory moves no files.
    let evidence = state.store.evidence_files().await.is_ok();
    let done =
        sijill_sync::sync_all(&state.store, &transport, url, evidence, |p| job.heard(p)).await;
    if let Some(id) = transport.server_instance() {
        state
            .store
            .set_setting(SERVER_INSTANCE_SETTING, &id.to_string())
            .await?;
    }
    done
}

#[derive(Template)]
#[template(path = "sync_job.html")]
struct JobPage {
    shell: Shell,
    t: &'static Strings,
    running: bool,
    already: bool,
    started: String,
    by: String,
    stage: &'static str,
    pushed: u64,
    pulled: u64,
    bytes_sent: u64,
    bytes_received: u64,
    last: Option<LastRow>,
    held: usize,
}

/// `?already=1` when a click found this run going.
#[derive(Debug, Deserialize)]
pub struct JobQuery {
    already: Option<String>,
}

/// The progress of a background run, then its outcome.
async fn job_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<JobQuery>,
) -> Result<Response, PageError> {
    let lang = viewer.lang;
    let t = lang.strings();
    let scope = scope_of(&viewer)?;
    let fail = |e: sijill_store::StoreError| PageError::internal(lang, e);
    let Ok(id) = id.parse::<Uuid>() else {
        return Err(PageError::not_found(lang));
    };
    let instance = state.store.sync_instance_id().await.map_err(fail)?;
    let Some(job) = job_of(instance).filter(|j| j.id == id) else {
        // A run this process does not know (an older one, or before a restart): the
        // sync page has the last outcome.
        return Ok(Redirect::to(&format!("/sync?lang={}", lang.code())).into_response());
    };
    let last = job.outcome();
    let held = if last.is_some() {
        state
            .store
            .sync_held_back(Some(viewer.user.org_id))
            .await
            .map_err(fail)?
            .iter()
            .filter(|h| scope.kinds.contains(&h.kind.as_str()))
            .count()
    } else {
        0
    };
    let stage = match job.stage.lock().map(|s| *s).unwrap_or(Stage::Records) {
        Stage::Records => t.sync_job_stage_records,
        Stage::Files => t.sync_job_stage_files,
    };
    let p = JobPage {
        shell: Shell::for_viewer(&viewer, Some(crate::nav::Section::Sync)),
        t,
        running: last.is_none(),
        already: q.already.is_some() && last.is_none(),
        started: crate::web::fmt_time(job.started),
        by: job.by.clone(),
        stage,
        pushed: job.pushed.load(Ordering::Relaxed),
        pulled: job.pulled.load(Ordering::Relaxed),
        bytes_sent: job.bytes_sent.load(Ordering::Relaxed),
        bytes_received: job.bytes_received.load(Ordering::Relaxed),
        last: last.map(LastRow::from),
        held,
    };
    page(lang, &p)
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
