//! The reconcile section: victim lists (import with a preview of per-row errors),
//! linkage runs off the request path with a self-refreshing progress page, the clerical
//! review queue, persons, estimates with an interval chart, published claims, and "the
//! count" page (signed-in and public, aggregates only) with CSV (HXL) and JSON exports.
//!
//! Every read and write is scoped by the viewer's organization in the store API; names
//! are opened only on the persons and review pages, for roles that may see the section.

pub mod chart;
pub mod engine;
pub mod import;

use crate::error::PageError;
use crate::i18n::{Lang, Strings};
use crate::nav::Section;
use crate::session::{CsrfForm, CsrfUpload, Viewer};
use crate::state::AppState;
use crate::web::{Shell, fmt_time, page};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use sijill_store::reconcile_claims::{ClaimFields, ClaimStatus, NewDocument};
use sijill_store::reconcile_lists::{Decision, NewEstimate, NewVictimList, VictimRecord};
use sijill_store::{Actor, Store, StoreError};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// The routes of the section.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/reconcile", get(home))
        .route("/reconcile/import", post(import_post))
        .route("/reconcile/upload", post(upload_post))
        .route("/reconcile/upload/confirm", post(upload_confirm))
        .route("/reconcile/runs", post(run_start))
        .route("/reconcile/runs/{id}", get(run_page))
        .route("/reconcile/review", get(review_page).post(review_post))
        .route("/reconcile/persons", get(persons_page))
        .route(
            "/reconcile/estimates",
            get(estimates_page).post(estimate_post),
        )
        .route("/reconcile/claims", get(claims_page))
        .route("/reconcile/claims/documents", post(document_post))
        .route("/reconcile/claims/{id}", post(claim_post))
        .route("/reconcile/count", get(count_page))
        .route("/reconcile/count.csv", get(count_csv))
        .route("/reconcile/count.json", get(count_json))
        .route("/count", get(public_count))
}

fn fail(lang: Lang) -> impl Fn(StoreError) -> PageError {
    move |e| PageError::internal(lang, e)
}

fn actor(v: &Viewer) -> Actor {
    Actor {
        user: Some(v.user.id),
        org: v.user.org_id,
    }
}

fn may_write(v: &Viewer) -> Result<(), PageError> {
    v.require(Section::Reconcile)?;
    if v.user.role == sijill_model::account::Role::Viewer {
        return Err(PageError::forbidden(v.lang));
    }
    Ok(())
}

fn fmt_n(v: f64) -> String {
    let n = v.round() as i64;
    let s = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

// ---------------------------------------------------------------- home and import

struct ListRow {
    id: String,
    source: String,
    file: String,
    records: i64,
    dropped: String,
    created: String,
}

struct RunRow {
    href: String,
    status: &'static str,
    stage: String,
    started: String,
    persons: String,
}

#[derive(Template)]
#[template(path = "reconcile_home.html")]
struct HomePage {
    shell: Shell,
    t: &'static Strings,
    csrf: String,
    lists: Vec<ListRow>,
    runs: Vec<RunRow>,
    notice: Option<&'static str>,
    can_write: bool,
}

fn status_label(t: &'static Strings, s: &str) -> &'static str {
    match s {
        "running" => t.rc_running,
        "done" => t.rc_done,
        _ => t.rc_failed,
    }
}

#[derive(Deserialize)]
struct NoticeQuery {
    done: Option<String>,
}

async fn home(
    State(st): State<AppState>,
    viewer: Viewer,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    viewer.require(Section::Reconcile)?;
    let lang = viewer.lang;
    let t = lang.strings();
    let org = viewer.user.org_id;
    let lists = st.store.victim_lists(org).await.map_err(fail(lang))?;
    let runs = st.store.linkage_runs(org).await.map_err(fail(lang))?;
    let notice = match q.done.as_deref() {
        Some("imported") => Some(t.rc_imported),
        Some("already") => Some(t.rc_already),
        _ => None,
    };
    let p = HomePage {
        shell: Shell::for_viewer(&viewer, Some(Section::Reconcile)),
        t,
        csrf: viewer.csrf.clone(),
        lists: lists
            .into_iter()
            .map(|l| ListRow {
                id: l.id.to_string(),
                source: l.source,
                file: l.file_name,
                records: l.records,
                dropped: l.dropped.join(", "),
                created: fmt_time(l.created_at),
            })
            .collect(),
        runs: runs
            .into_iter()
            .take(10)
            .map(|r| RunRow {
                href: format!("/reconcile/runs/{}", r.id),
                status: status_label(t, &r.status),
                stage: r.stage,
                started: fmt_time(r.started_at),
                persons: r
                    .stats
                    .get("persons")
                    .map(|v| v.to_string())
                    .unwrap_or_default(),
            })
            .collect(),
        notice,
        can_write: viewer.user.role != sijill_model::account::Role::Viewer,
    };
    page(lang, &p)
}

#[derive(Deserialize)]
struct ImportForm {
    source: String,
    file_name: String,
    text: String,
    #[serde(default)]
    mapping: String,
    #[serde(default)]
    confirm: Option<String>,
}

struct ErrRow {
    line: usize,
    column: String,
    reason: String,
}

#[derive(Template)]
#[template(path = "reconcile_preview.html")]
struct PreviewPage {
    shell: Shell,
    t: &'static Strings,
    csrf: String,
    source: String,
    file_name: String,
    text: String,
    mapping_text: String,
    mapping: Vec<(String, String)>,
    dropped: String,
    unmapped: String,
    ok_rows: usize,
    errors: Vec<ErrRow>,
    fatal: Option<String>,
    /// The uploaded file waiting for confirmation (its SHA-256), if it is one.
    upload: Option<String>,
    /// The mapping saved for the source was used.
    saved_used: bool,
    /// How a file that is not UTF-8 was read, said above the preview.
    encoding: Option<&'static str>,
}

/// Reads `column=field` lines into a mapping; `None` when empty.
pub fn parse_mapping_lines(text: &str) -> Option<BTreeMap<String, String>> {
    let m: BTreeMap<String, String> = text
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(c, f)| (c.trim().to_owned(), f.trim().to_owned()))
        .filter(|(c, _)| !c.is_empty())
        .collect();
    (!m.is_empty()).then_some(m)
}

async fn import_post(
    State(st): State<AppState>,
    CsrfForm(viewer, f): CsrfForm<ImportForm>,
) -> Result<Response, PageError> {
    may_write(&viewer)?;
    let file_name = if f.file_name.trim().is_empty() {
        "pasted.csv".to_owned()
    } else {
        f.file_name.trim().to_owned()
    };
    let raw = f.text.as_bytes().to_vec();
    let input = ImportInput {
        source: f.source,
        file_name,
        raw,
        text: f.text,
        mapping_text: f.mapping,
        confirm: f.confirm.is_some(),
        upload: None,
    };
    preview_or_import(&st, &viewer, input).await
}

/// What a preview or an import works on: pasted text or an uploaded file.
struct ImportInput {
    source: String,
    file_name: String,
    raw: Vec<u8>,
    /// The pasted text (empty for an uploaded file).
    text: String,
    mapping_text: String,
    confirm: bool,
    /// The uploaded file's key while it waits for confirmation.
    upload: Option<String>,
}

/// Uploaded files waiting for their preview to be confirmed, in memory only (nothing is
/// written to the database before the confirmation): `(user, SHA-256) → (when, file
/// name, bytes)`. At most [`PENDING_MAX`] files, each kept [`PENDING_TTL`]; a restart
/// forgets them and the user uploads again.
type Pending = HashMap<(Uuid, String), (std::time::Instant, String, Vec<u8>)>;
static PENDING: std::sync::Mutex<Option<Pending>> = std::sync::Mutex::new(None);
const PENDING_MAX: usize = 16;
const PENDING_TTL: std::time::Duration = std::time::Duration::from_secs(30 * 60);

fn pending_put(user: Uuid, file_name: &str, bytes: &[u8]) -> String {
    let key = sijill_store::reconcile_claims::sha256_hex(bytes);
    if let Ok(mut guard) = PENDING.lock() {
        let map = guard.get_or_insert_with(HashMap::new);
        map.retain(|_, v| v.0.elapsed() < PENDING_TTL);
        while map.len() >= PENDING_MAX {
            let Some(oldest) = map.iter().min_by_key(|(_, v)| v.0).map(|(k, _)| k.clone()) else {
                break;
            };
            map.remove(&oldest);
        }
        map.insert(
            (user, key.clone()),
            (
                std::time::Instant::now(),
                file_name.to_owned(),
                bytes.to_vec(),
            ),
        );
    }
    key
}

fn pending_get(user: Uuid, key: &str) -> Option<(String, Vec<u8>)> {
    let guard = PENDING.lock().ok()?;
    let (at, name, bytes) = guard.as_ref()?.get(&(user, key.to_owned()))?;
    (at.elapsed() < PENDING_TTL).then(|| (name.clone(), bytes.clone()))
}

fn pending_drop(user: Uuid, key: &str) {
    if let Ok(mut guard) = PENDING.lock()
        && let Some(map) = guard.as_mut()
    {
        map.remove(&(user, key.to_owned()));
    }
}

/// `POST /reconcile/upload` (multipart: csrf, source, mapping, file): a CSV or XLSX
/// file, previewed; kept in memory until the preview is confirmed.
async fn upload_post(
    State(st): State<AppState>,
    upload: CsrfUpload,
) -> Result<Response, PageError> {
    let CsrfUpload {
        viewer,
        fields,
        file_name,
        file,
    } = upload;
    may_write(&viewer)?;
    let get = |k: &str| fields.get(k);
    let file_name = std::path::Path::new(file_name.trim())
        .file_name()
        .map(|n| n.to_string_lossy().chars().take(200).collect::<String>())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "upload".into());
    let upload =
        (!file.is_empty()).then(|| pending_put(viewer.user.id.as_uuid(), &file_name, &file));
    let input = ImportInput {
        source: get("source"),
        file_name,
        raw: file,
        text: String::new(),
        mapping_text: get("mapping"),
        confirm: false,
        upload,
    };
    preview_or_import(&st, &viewer, input).await
}

#[derive(Deserialize)]
struct UploadForm {
    source: String,
    upload: String,
    #[serde(default)]
    mapping: String,
    #[serde(default)]
    confirm: Option<String>,
}

/// `POST /reconcile/upload/confirm`: the uploaded file again, previewed with a changed
/// mapping or imported.
async fn upload_confirm(
    State(st): State<AppState>,
    CsrfForm(viewer, f): CsrfForm<UploadForm>,
) -> Result<Response, PageError> {
    may_write(&viewer)?;
    let user = viewer.user.id.as_uuid();
    let Some((file_name, raw)) = pending_get(user, f.upload.trim()) else {
        let t = viewer.lang.strings();
        return preview_page(
            &viewer,
            ImportInput {
                source: f.source,
                file_name: String::new(),
                raw: Vec::new(),
                text: String::new(),
                mapping_text: f.mapping,
                confirm: false,
                upload: None,
            },
            Err(t.rc_upload_again.to_owned()),
            None,
        );
    };
    let confirm = f.confirm.is_some();
    let key = f.upload.trim().to_owned();
    let input = ImportInput {
        source: f.source,
        file_name,
        raw,
        text: String::new(),
        mapping_text: f.mapping,
        confirm,
        upload: Some(key.clone()),
    };
    let r = preview_or_import(&st, &viewer, input).await;
    if confirm && r.as_ref().is_ok_and(|r| r.status().is_redirection()) {
        pending_drop(user, &key);
    }
    r
}

/// Parses the input with the mapping typed in (or else the one saved for its source,
/// or else recognised headers) and shows the preview; with `confirm` and no row error,
/// imports it all or nothing.
async fn preview_or_import(
    st: &AppState,
    viewer: &Viewer,
    input: ImportInput,
) -> Result<Response, PageError> {
    let lang = viewer.lang;
    let typed = parse_mapping_lines(&input.mapping_text);
    let saved = match (&typed, input.source.trim()) {
        (None, src) if !src.is_empty() => st
            .store
            .source_mapping(viewer.user.org_id, src)
            .await
            .map_err(fail(lang))?,
        _ => None,
    };
    let parsed = match (&typed, &saved) {
        (Some(m), _) => import::parse(&input.raw, Some(m)),
        (None, Some(m)) => import::parse_with_saved(&input.raw, m),
        (None, None) => import::parse(&input.raw, None),
    };
    if let Ok(p) = &parsed
        && p.errors.is_empty()
        && input.confirm
        && !input.source.trim().is_empty()
    {
        let new = NewVictimList {
            source: input.source.trim().to_owned(),
            file_name: input.file_name.clone(),
            raw: input.raw.clone(),
            mapping: serde_json::to_value(&p.mapping).unwrap_or_default(),
            dropped: p.dropped.clone(),
            rows: p.rows.clone(),
        };
        return match st.store.import_victim_list(actor(viewer), &new).await {
            Ok(o) if o.already => Ok(Redirect::to("/reconcile?done=already").into_response()),
            Ok(_) => Ok(Redirect::to("/reconcile?done=imported").into_response()),
            Err(StoreError::Invalid(msg)) => preview_page(viewer, input, Err(msg), None),
            Err(e) => Err(PageError::internal(lang, e)),
        };
    }
    let saved_used = saved.is_some() && typed.is_none();
    preview_page(
        viewer,
        input,
        parsed.map_err(|e| e.to_string()),
        Some(saved_used),
    )
}

fn preview_page(
    viewer: &Viewer,
    input: ImportInput,
    parsed: Result<import::Parsed, String>,
    saved_used: Option<bool>,
) -> Result<Response, PageError> {
    let lang = viewer.lang;
    let t = lang.strings();
    let encoding = match parsed.as_ref().ok().and_then(|p| p.encoding) {
        Some(sijill_model::table_text::Reading::Utf16) => Some(t.rc_read_utf16),
        Some(sijill_model::table_text::Reading::Windows1256) => Some(t.rc_read_windows_1256),
        None => None,
    };
    let (mapping_rows, dropped, unmapped, ok_rows, errors, fatal) = match parsed {
        Ok(p) => (
            p.mapping.into_iter().collect(),
            p.dropped.join(", "),
            p.unmapped.join(", "),
            p.rows.len(),
            p.errors
                .into_iter()
                .map(|e| ErrRow {
                    line: e.line,
                    column: e.column,
                    reason: e.reason,
                })
                .collect(),
            None,
        ),
        Err(e) => (
            Vec::new(),
            String::new(),
            String::new(),
            0,
            Vec::new(),
            Some(e),
        ),
    };
    let p = PreviewPage {
        shell: Shell::for_viewer(viewer, Some(Section::Reconcile)),
        t,
        csrf: viewer.csrf.clone(),
        source: input.source,
        file_name: input.file_name,
        text: input.text,
        mapping_text: input.mapping_text,
        mapping: mapping_rows,
        dropped,
        unmapped,
        ok_rows,
        errors,
        fatal,
        upload: input.upload,
        saved_used: saved_used.unwrap_or(false),
        encoding,
    };
    page(lang, &p)
}

// ---------------------------------------------------------------- linkage runs

struct StoreProgress<'a> {
    store: Store,
    run: Uuid,
    handle: tokio::runtime::Handle,
    /// The stage's index, its length and how far it is (records or pairs).
    stage: std::sync::atomic::AtomicU64,
    total: std::sync::atomic::AtomicU64,
    done: std::sync::atomic::AtomicU64,
    /// The last whole per mille written, so the run row is updated at most 1,000 times.
    written: std::sync::atomic::AtomicU64,
    name: std::sync::Mutex<String>,
    /// Also told of every step (the CLI's progress bar).
    extra: Option<&'a dyn sijill_linkage::Progress>,
}

const STAGES: [&str; 5] = ["blocking", "comparing", "learning", "scoring", "clustering"];

impl StoreProgress<'_> {
    fn fraction(&self) -> f64 {
        use std::sync::atomic::Ordering::Relaxed;
        let (i, total, done) = (
            self.stage.load(Relaxed) as f64,
            self.total.load(Relaxed),
            self.done.load(Relaxed),
        );
        let within = if total == 0 {
            0.0
        } else {
            (done.min(total) as f64) / total as f64
        };
        (i + within) / STAGES.len() as f64
    }

    fn write(&self, force: bool) {
        use std::sync::atomic::Ordering::Relaxed;
        let f = self.fraction();
        let mille = (f * 1000.0) as u64;
        let last = self.written.load(Relaxed);
        if !force && mille < last + 10 {
            return;
        }
        self.written.store(mille, Relaxed);
        let name = self.name.lock().map(|n| n.clone()).unwrap_or_default();
        let _ = self
            .handle
            .block_on(self.store.set_linkage_progress(self.run, &name, f));
    }
}

impl sijill_linkage::Progress for StoreProgress<'_> {
    fn stage(&self, name: &str, total: u64) {
        use std::sync::atomic::Ordering::Relaxed;
        let i = STAGES.iter().position(|s| *s == name).unwrap_or(0) as u64;
        self.stage.store(i, Relaxed);
        self.total.store(total, Relaxed);
        self.done.store(0, Relaxed);
        if let Ok(mut n) = self.name.lock() {
            *n = name.to_owned();
        }
        self.write(true);
        if let Some(e) = self.extra {
            e.stage(name, total);
        }
    }
    fn advance(&self, n: u64) {
        self.done.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
        self.write(false);
        if let Some(e) = self.extra {
            e.advance(n);
        }
    }
}

/// Runs linkage over every list of `by.org` as run `run`; blocking (call from
/// `spawn_blocking` or a thread), and records failure on the run.
pub fn link_blocking(
    store: Store,
    handle: tokio::runtime::Handle,
    by: Actor,
    run: Uuid,
    threshold: f64,
) {
    let _ = link_stored(store, handle, by, run, threshold, &[], None);
}

/// Runs linkage over the records of `lists` (every list of `by.org` when empty) as run
/// `run`, using the clerical decisions taken so far, and stores its persons and review
/// queue; `extra` is told of every step as well as the run row. Blocking (call from
/// `spawn_blocking` or a thread); a failure is recorded on the run and returned.
pub fn link_stored(
    store: Store,
    handle: tokio::runtime::Handle,
    by: Actor,
    run: Uuid,
    threshold: f64,
    lists: &[Uuid],
    extra: Option<&dyn sijill_linkage::Progress>,
) -> Result<serde_json::Value, String> {
    let result: Result<serde_json::Value, String> = (|| {
        let records: Vec<VictimRecord> = handle
            .block_on(store.victim_records(by.org, lists))
            .map_err(|e| e.to_string())?;
        if records.is_empty() {
            return Err("no records to link".into());
        }
        let decisions = handle
            .block_on(store.clerical_decisions(by.org))
            .map_err(|e| e.to_string())?;
        let progress = StoreProgress {
            store: store.clone(),
            run,
            handle: handle.clone(),
            stage: Default::default(),
            total: Default::default(),
            done: Default::default(),
            written: Default::default(),
            name: std::sync::Mutex::new("queued".into()),
            extra,
        };
        let out = engine::link(&records, &decisions, threshold, &progress)?;
        handle
            .block_on(store.finish_linkage_run(by, run, &out.stats, &out.persons, &out.review))
            .map_err(|e| e.to_string())?;
        Ok(out.stats)
    })();
    if let Err(reason) = &result {
        tracing::warn!(run = %run, "linkage run failed");
        let _ = handle.block_on(store.fail_linkage_run(run, reason));
    }
    result
}

async fn run_start(
    State(st): State<AppState>,
    CsrfForm(viewer, f): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    may_write(&viewer)?;
    let lang = viewer.lang;
    let get = |k: &str| f.iter().find(|(a, _)| a == k).map(|(_, v)| v.as_str());
    let threshold = get("threshold")
        .and_then(|s| s.trim().parse::<f64>().ok())
        .filter(|v| *v > 0.0 && *v <= 1.0)
        .unwrap_or(0.5);
    let by = actor(&viewer);
    // A form that offers a choice of lists says so with `choose`; the ticked ones come as
    // repeated `list` fields. Without `choose`, every list of the organization is linked.
    let lists = match get("choose") {
        None => Vec::new(),
        Some(_) => {
            let mut chosen: Vec<Uuid> = f
                .iter()
                .filter(|(k, _)| k == "list")
                .filter_map(|(_, v)| v.parse().ok())
                .collect();
            chosen.sort();
            chosen.dedup();
            // Only the organization's own lists can be chosen; an unknown id is refused.
            let own = st
                .store
                .victim_lists(viewer.user.org_id)
                .await
                .map_err(fail(lang))?;
            if chosen.is_empty() {
                return Err(PageError::unprocessable(lang, lang.strings().rc_pick_none));
            }
            if !chosen.iter().all(|id| own.iter().any(|l| l.id == *id)) {
                return Err(PageError::not_found(lang));
            }
            chosen
        }
    };
    let params = if lists.is_empty() {
        serde_json::json!({"threshold": threshold})
    } else {
        serde_json::json!({"threshold": threshold, "lists": lists})
    };
    let run = st
        .store
        .start_linkage_run(by, &params)
        .await
        .map_err(fail(lang))?;
    let store = st.store.clone();
    let handle = tokio::runtime::Handle::current();
    let id = run.id;
    let span = tracing::info_span!("linkage", run = %id);
    tokio::task::spawn_blocking(move || {
        let _g = span.enter();
        let _ = link_stored(store, handle, by, id, threshold, &lists, None);
    });
    Ok(Redirect::to(&format!("/reconcile/runs/{id}")).into_response())
}

#[derive(Template)]
#[template(path = "reconcile_run.html")]
struct RunPage {
    shell: Shell,
    t: &'static Strings,
    running: bool,
    status: &'static str,
    stage: String,
    percent: u32,
    started: String,
    error: Option<String>,
    stats: Vec<(&'static str, String)>,
}

async fn run_page(
    State(st): State<AppState>,
    viewer: Viewer,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    viewer.require(Section::Reconcile)?;
    let lang = viewer.lang;
    let t = lang.strings();
    let run = st
        .store
        .linkage_run(viewer.user.org_id, id)
        .await
        .map_err(fail(lang))?
        .ok_or_else(|| PageError::not_found(lang))?;
    let stat = |k: &str| run.stats.get(k).map(|v| v.to_string()).unwrap_or_default();
    let p = RunPage {
        shell: Shell::for_viewer(&viewer, Some(Section::Reconcile)),
        t,
        running: run.status == "running",
        status: status_label(t, &run.status),
        stage: run.stage.clone(),
        percent: (run.progress * 100.0).round() as u32,
        started: fmt_time(run.started_at),
        error: run.error.clone(),
        stats: vec![
            (t.rc_records, stat("records")),
            (t.rc_candidate_pairs, stat("candidate_pairs")),
            (t.rc_persons_found, stat("persons")),
            (t.rc_review, stat("review_pairs")),
        ],
    };
    page(lang, &p)
}

// ---------------------------------------------------------------- review and persons

struct Side {
    list: String,
    name: String,
    mother: String,
    sex: String,
    age: String,
    birth_year: String,
    date_of_death: String,
    place: String,
    governorate: String,
}

struct WeightRow {
    field: String,
    level: String,
    weight: String,
    positive: bool,
}

struct PairView {
    a_id: String,
    b_id: String,
    probability: String,
    a: Side,
    b: Side,
    weights: Vec<WeightRow>,
    prior: String,
    decision: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "reconcile_review.html")]
struct ReviewPage {
    shell: Shell,
    t: &'static Strings,
    csrf: String,
    pairs: Vec<PairView>,
    notice: Option<&'static str>,
    has_run: bool,
}

fn side(r: Option<&VictimRecord>, lists: &HashMap<Uuid, String>) -> Side {
    let Some(r) = r else {
        return Side {
            list: String::new(),
            name: String::new(),
            mother: String::new(),
            sex: String::new(),
            age: String::new(),
            birth_year: String::new(),
            date_of_death: String::new(),
            place: String::new(),
            governorate: String::new(),
        };
    };
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    Side {
        list: lists.get(&r.list_id).cloned().unwrap_or_default(),
        name: r.row.personal.display_name(),
        mother: o(&r.row.personal.mother),
        sex: o(&r.row.sex),
        age: r.row.age.map(|a| a.to_string()).unwrap_or_default(),
        birth_year: r.row.birth_year.map(|a| a.to_string()).unwrap_or_default(),
        date_of_death: o(&r.row.date_of_death),
        place: o(&r.row.personal.place),
        governorate: o(&r.row.governorate),
    }
}

fn decision_label(t: &'static Strings, d: Decision) -> &'static str {
    match d {
        Decision::Match => t.rc_match,
        Decision::NonMatch => t.rc_non_match,
        Decision::Unsure => t.rc_unsure,
    }
}

async fn list_names(st: &AppState, viewer: &Viewer) -> Result<HashMap<Uuid, String>, PageError> {
    Ok(st
        .store
        .victim_lists(viewer.user.org_id)
        .await
        .map_err(fail(viewer.lang))?
        .into_iter()
        .map(|l| (l.id, l.source))
        .collect())
}

async fn review_page(
    State(st): State<AppState>,
    viewer: Viewer,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    viewer.require(Section::Reconcile)?;
    let lang = viewer.lang;
    let t = lang.strings();
    let org = viewer.user.org_id;
    let run = st.store.latest_linkage_run(org).await.map_err(fail(lang))?;
    let mut pairs = Vec::new();
    if let Some(run) = &run {
        let queue = st
            .store
            .review_pairs(org, run.id)
            .await
            .map_err(fail(lang))?;
        let records = st
            .store
            .victim_records(org, &[])
            .await
            .map_err(fail(lang))?;
        let by_id: HashMap<Uuid, &VictimRecord> = records.iter().map(|r| (r.id, r)).collect();
        let lists = list_names(&st, &viewer).await?;
        // Undecided pairs first, at most 20 on a page.
        let mut queue = queue;
        queue.sort_by_key(|p| p.decision.is_some());
        for p in queue.into_iter().take(20) {
            let fields = p
                .weights
                .get("fields")
                .and_then(|f| f.as_array())
                .cloned()
                .unwrap_or_default();
            let weights = fields
                .iter()
                .map(|f| {
                    let w = f.get("weight").and_then(|x| x.as_f64()).unwrap_or(0.0)
                        + f.get("tf").and_then(|x| x.as_f64()).unwrap_or(0.0);
                    WeightRow {
                        field: f
                            .get("field")
                            .and_then(|x| x.as_str())
                            .unwrap_or("")
                            .to_owned(),
                        level: f
                            .get("level")
                            .and_then(|x| x.as_str())
                            .unwrap_or("")
                            .to_owned(),
                        weight: format!("{w:+.1}"),
                        positive: w >= 0.0,
                    }
                })
                .collect();
            pairs.push(PairView {
                a_id: p.a.to_string(),
                b_id: p.b.to_string(),
                probability: format!("{:.2}", p.probability),
                a: side(by_id.get(&p.a).copied(), &lists),
                b: side(by_id.get(&p.b).copied(), &lists),
                weights,
                prior: format!(
                    "{:+.1}",
                    p.weights
                        .get("prior")
                        .and_then(|x| x.as_f64())
                        .unwrap_or(0.0)
                ),
                decision: p.decision.map(|d| decision_label(t, d)),
            });
        }
    }
    let p = ReviewPage {
        shell: Shell::for_viewer(&viewer, Some(Section::Reconcile)),
        t,
        csrf: viewer.csrf.clone(),
        pairs,
        notice: q.done.is_some().then_some(t.rc_decided),
        has_run: run.is_some(),
    };
    page(lang, &p)
}

#[derive(Deserialize)]
struct DecideForm {
    a: Uuid,
    b: Uuid,
    decision: String,
}

async fn review_post(
    State(st): State<AppState>,
    CsrfForm(viewer, f): CsrfForm<DecideForm>,
) -> Result<Response, PageError> {
    may_write(&viewer)?;
    let lang = viewer.lang;
    let d = Decision::parse(&f.decision).ok_or_else(|| PageError::bad_request(lang))?;
    match st.store.decide_pair(actor(&viewer), f.a, f.b, d).await {
        Ok(()) => Ok(Redirect::to("/reconcile/review?done=1").into_response()),
        Err(StoreError::NotFound | StoreError::Invalid(_)) => Err(PageError::not_found(lang)),
        Err(e) => Err(PageError::internal(lang, e)),
    }
}

struct PersonRow {
    label: i64,
    lists: String,
    records: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "reconcile_persons.html")]
struct PersonsPage {
    shell: Shell,
    t: &'static Strings,
    persons: Vec<PersonRow>,
    total: usize,
    has_run: bool,
}

async fn persons_page(State(st): State<AppState>, viewer: Viewer) -> Result<Response, PageError> {
    viewer.require(Section::Reconcile)?;
    let lang = viewer.lang;
    let t = lang.strings();
    let org = viewer.user.org_id;
    let run = st.store.latest_linkage_run(org).await.map_err(fail(lang))?;
    let mut persons = Vec::new();
    let mut total = 0;
    if let Some(run) = &run {
        let members = st
            .store
            .run_memberships(org, run.id)
            .await
            .map_err(fail(lang))?;
        total = members.len();
        let records = st
            .store
            .victim_records(org, &[])
            .await
            .map_err(fail(lang))?;
        let by_id: HashMap<Uuid, &VictimRecord> = records.iter().map(|r| (r.id, r)).collect();
        let lists = list_names(&st, &viewer).await?;
        // Persons on several lists first: they are what linkage found.
        let mut members = members;
        members.sort_by_key(|m| (std::cmp::Reverse(m.lists.len()), m.label));
        for m in members.into_iter().take(200) {
            persons.push(PersonRow {
                label: m.label + 1,
                lists: m
                    .lists
                    .iter()
                    .filter_map(|l| lists.get(l).cloned())
                    .collect::<Vec<_>>()
                    .join(", "),
                records: m
                    .records
                    .iter()
                    .map(|(rid, lid, p)| {
                        let r = by_id.get(rid);
                        (
                            lists.get(lid).cloned().unwrap_or_default(),
                            r.map(|r| r.row.personal.display_name()).unwrap_or_default(),
                            format!("{p:.2}"),
                        )
                    })
                    .collect(),
            });
        }
    }
    let p = PersonsPage {
        shell: Shell::for_viewer(&viewer, Some(Section::Reconcile)),
        t,
        persons,
        total,
        has_run: run.is_some(),
    };
    page(lang, &p)
}

// ---------------------------------------------------------------- estimates

struct ListChoice {
    id: String,
    name: String,
}

struct EstimateRowView {
    created: String,
    method: String,
    strata: String,
    observed: String,
    estimate: String,
    interval: String,
    model: String,
    anchor: String,
}

#[derive(Template)]
#[template(path = "reconcile_estimates.html")]
struct EstimatesPage {
    shell: Shell,
    t: &'static Strings,
    csrf: String,
    lists: Vec<ListChoice>,
    rows: Vec<EstimateRowView>,
    chart: String,
    error: Option<String>,
    has_run: bool,
}

fn strata_label(t: &'static Strings, s: &str) -> &'static str {
    match s {
        "governorate" => t.rc_strata_gov,
        "period" => t.rc_strata_period,
        _ => t.rc_strata_none,
    }
}

fn method_label(t: &'static Strings, s: &str) -> &'static str {
    match s {
        "bma" => t.rc_method_bma,
        "lcmcr" => t.rc_method_lcmcr,
        _ => t.rc_method_loglinear,
    }
}

async fn render_estimates(
    st: &AppState,
    viewer: &Viewer,
    error: Option<String>,
) -> Result<Response, PageError> {
    let lang = viewer.lang;
    let t = lang.strings();
    let org = viewer.user.org_id;
    let lists = st.store.victim_lists(org).await.map_err(fail(lang))?;
    let estimates = st.store.estimates(org).await.map_err(fail(lang))?;
    let run = st.store.latest_linkage_run(org).await.map_err(fail(lang))?;
    let bars: Vec<chart::Bar> = estimates
        .iter()
        .take(8)
        .map(|e| chart::Bar {
            label: format!(
                "{} · {}",
                method_label(t, &e.method),
                strata_label(t, &e.stratum_by)
            ),
            point: e.estimate,
            low: e.low,
            high: e.high,
            observed: Some(e.observed as f64),
        })
        .collect();
    let chart = if bars.is_empty() {
        String::new()
    } else {
        chart::intervals(&bars, t.rc_estimate_chart)
    };
    let p = EstimatesPage {
        shell: Shell::for_viewer(viewer, Some(Section::Reconcile)),
        t,
        csrf: viewer.csrf.clone(),
        lists: lists
            .iter()
            .map(|l| ListChoice {
                id: l.id.to_string(),
                name: l.source.clone(),
            })
            .collect(),
        rows: estimates
            .iter()
            .map(|e| EstimateRowView {
                created: fmt_time(e.created_at),
                method: method_label(t, &e.method).to_owned(),
                strata: strata_label(t, &e.stratum_by).to_owned(),
                observed: fmt_n(e.observed as f64),
                estimate: fmt_n(e.estimate),
                interval: format!(
                    "{} – {}",
                    e.low.map(fmt_n).unwrap_or_default(),
                    e.high.map_or_else(|| t.rc_unbounded.to_owned(), fmt_n)
                ),
                model: e.model.clone(),
                anchor: format!("estimate-{}", e.id),
            })
            .collect(),
        chart,
        error,
        has_run: run.is_some(),
    };
    page(lang, &p)
}

async fn estimates_page(State(st): State<AppState>, viewer: Viewer) -> Result<Response, PageError> {
    viewer.require(Section::Reconcile)?;
    render_estimates(&st, &viewer, None).await
}

async fn estimate_post(
    State(st): State<AppState>,
    CsrfForm(viewer, f): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    may_write(&viewer)?;
    let lang = viewer.lang;
    let t = lang.strings();
    let org = viewer.user.org_id;
    let get = |k: &str| f.iter().find(|(a, _)| a == k).map(|(_, v)| v.clone());
    let chosen: Vec<Uuid> = f
        .iter()
        .filter(|(k, _)| k == "list")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let stratum = match get("strata").as_deref() {
        Some("governorate") => "governorate",
        Some("period") => "period",
        _ => "none",
    };
    let method = match get("method").as_deref() {
        Some("bma") => "bma",
        Some("lcmcr") => "lcmcr",
        _ => "loglinear",
    };
    let lists = st.store.victim_lists(org).await.map_err(fail(lang))?;
    let chosen: Vec<&sijill_store::reconcile_lists::VictimList> =
        lists.iter().filter(|l| chosen.contains(&l.id)).collect();
    if chosen.len() < 2 {
        return render_estimates(&st, &viewer, Some(t.rc_need_two_lists.into())).await;
    }
    let Some(run) = st.store.latest_linkage_run(org).await.map_err(fail(lang))? else {
        return render_estimates(&st, &viewer, Some(t.rc_no_run.into())).await;
    };
    let members = st
        .store
        .run_memberships(org, run.id)
        .await
        .map_err(fail(lang))?;
    let ids: Vec<Uuid> = chosen.iter().map(|l| l.id).collect();
    let names: Vec<String> = chosen.iter().map(|l| l.source.clone()).collect();
    let ids2 = ids.clone();
    let out = tokio::task::spawn_blocking(move || {
        engine::estimate(&members, &ids2, &names, stratum, method)
    })
    .await
    .map_err(|e| PageError::internal(lang, e))?;
    match out {
        Ok(o) => {
            st.store
                .save_estimate(
                    actor(&viewer),
                    &NewEstimate {
                        run_id: run.id,
                        method: method.into(),
                        stratum_by: stratum.into(),
                        lists: ids,
                        params: serde_json::json!({"level": 0.95, "method": method, "strata": stratum}),
                        observed: o.observed,
                        estimate: o.estimate,
                        low: o.low,
                        high: o.high,
                        model: o.model,
                        report: o.report,
                    },
                )
                .await
                .map_err(fail(lang))?;
            Ok(Redirect::to("/reconcile/estimates").into_response())
        }
        Err(msg) => render_estimates(&st, &viewer, Some(msg)).await,
    }
}

// ---------------------------------------------------------------- claims

struct ClaimView {
    id: String,
    anchor: String,
    value: String,
    low: String,
    high: String,
    qualifier: String,
    measure: String,
    claimant: String,
    as_of: String,
    scope: String,
    quote: String,
    status: String,
    status_label: &'static str,
    document: String,
    source: String,
}

struct DocView {
    title: String,
    source: String,
    published: String,
    sha256: String,
    url: String,
    anchor: String,
}

#[derive(Template)]
#[template(path = "reconcile_claims.html")]
struct ClaimsPage {
    shell: Shell,
    t: &'static Strings,
    csrf: String,
    docs: Vec<DocView>,
    claims: Vec<ClaimView>,
    statuses: Vec<(&'static str, &'static str)>,
    qualifiers: Vec<(&'static str, &'static str)>,
    notice: Option<&'static str>,
    error: Option<String>,
    can_write: bool,
}

fn status_name(t: &'static Strings, s: ClaimStatus) -> &'static str {
    match s {
        ClaimStatus::Unverified => t.rc_st_unverified,
        ClaimStatus::Corroborated => t.rc_st_corroborated,
        ClaimStatus::Contested => t.rc_st_contested,
        ClaimStatus::Retracted => t.rc_st_retracted,
    }
}

fn qualifiers(t: &'static Strings) -> Vec<(&'static str, &'static str)> {
    vec![
        ("", t.rc_q_none),
        ("over", t.rc_q_over),
        ("at_least", t.rc_q_at_least),
        ("nearly", t.rc_q_nearly),
        ("about", t.rc_q_about),
        ("up_to", t.rc_q_up_to),
        ("under", t.rc_q_under),
        ("indefinite", t.rc_q_indefinite),
    ]
}

/// The label of a qualifier.
fn qualifier_label(t: &'static Strings, q: Option<&str>) -> &'static str {
    let q = q.unwrap_or("");
    qualifiers(t)
        .into_iter()
        .find(|(k, _)| *k == q)
        .map_or("", |(_, l)| l)
}

fn num(v: Option<f64>) -> String {
    v.map(|x| {
        if x.fract() == 0.0 {
            format!("{}", x as i64)
        } else {
            x.to_string()
        }
    })
    .unwrap_or_default()
}

async fn render_claims(
    st: &AppState,
    viewer: &Viewer,
    notice: Option<&'static str>,
    error: Option<String>,
) -> Result<Response, PageError> {
    let lang = viewer.lang;
    let t = lang.strings();
    let docs = st.store.claim_documents().await.map_err(fail(lang))?;
    let claims = st.store.claims(None, None).await.map_err(fail(lang))?;
    let p = ClaimsPage {
        shell: Shell::for_viewer(viewer, Some(Section::Reconcile)),
        t,
        csrf: viewer.csrf.clone(),
        docs: docs
            .into_iter()
            .map(|d| DocView {
                anchor: format!("doc-{}", d.id),
                title: d.title,
                source: d.source_name,
                published: d.published_on.unwrap_or_default(),
                sha256: d.sha256,
                url: d.url.unwrap_or_default(),
            })
            .collect(),
        claims: claims
            .into_iter()
            .map(|c| ClaimView {
                id: c.id.to_string(),
                anchor: format!("claim-{}", c.id),
                value: num(c.fields.value),
                low: num(c.fields.low),
                high: num(c.fields.high),
                qualifier: c.fields.qualifier.clone().unwrap_or_default(),
                measure: c.fields.measure.clone(),
                claimant: c.fields.claimant.clone().unwrap_or_default(),
                as_of: c.fields.as_of.clone().unwrap_or_default(),
                scope: c.fields.scope_pcode.clone().unwrap_or_default(),
                quote: c.fields.quote.clone(),
                status: c.fields.status.as_str().to_owned(),
                status_label: status_name(t, c.fields.status),
                document: c.document_title,
                source: c.source_name,
            })
            .collect(),
        statuses: ClaimStatus::ALL
            .into_iter()
            .map(|s| (s.as_str(), status_name(t, s)))
            .collect(),
        qualifiers: qualifiers(t),
        notice,
        error,
        can_write: viewer.user.role != sijill_model::account::Role::Viewer,
    };
    page(lang, &p)
}

async fn claims_page(
    State(st): State<AppState>,
    viewer: Viewer,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    viewer.require(Section::Reconcile)?;
    let t = viewer.lang.strings();
    let notice = match q.done.as_deref() {
        Some("added") => Some(t.rc_doc_added),
        Some("known") => Some(t.rc_doc_known),
        Some("saved") => Some(t.rc_saved),
        _ => None,
    };
    render_claims(&st, &viewer, notice, None).await
}

#[derive(Deserialize)]
struct DocumentForm {
    source: String,
    title: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    published_on: String,
    #[serde(default)]
    lang: String,
    body: String,
}

fn opt(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

/// Turns extracted claims into stored fields (status unverified).
pub fn extracted_fields(claims: &[sijill_claims::Claim], scope: Option<&str>) -> Vec<ClaimFields> {
    claims
        .iter()
        .filter(|c| {
            c.value.is_some()
                || c.low.is_some()
                || c.high.is_some()
                || c.qualifier == Some(sijill_claims::Qualifier::Indefinite)
        })
        .map(|c| ClaimFields {
            value: c.value.map(|v| v.0),
            low: c.low.map(|v| v.0),
            high: c.high.map(|v| v.0),
            qualifier: c.qualifier.map(|q| q.as_str().to_owned()),
            measure: c.measure.as_str().to_owned(),
            scope_pcode: scope.map(str::to_owned),
            period_from: None,
            period_to: None,
            as_of: c.as_of.and_then(|d| {
                d.year()
                    .map(|y| format!("{y:04}-{:02}-{:02}", d.month(), d.day()))
            }),
            claimant: c.claimant.clone(),
            quote: c.quote.clone(),
            status: ClaimStatus::Unverified,
        })
        .collect()
}

/// Parses `YYYY-MM-DD` into the extractor's date.
fn claims_date(s: &str) -> Option<sijill_claims::Date> {
    sijill_claims::Date::parse_iso(s).ok()
}

async fn document_post(
    State(st): State<AppState>,
    CsrfForm(viewer, f): CsrfForm<DocumentForm>,
) -> Result<Response, PageError> {
    may_write(&viewer)?;
    let lang = viewer.lang;
    let by = actor(&viewer);
    let source = match st.store.ensure_claim_source(by, &f.source, "other").await {
        Ok(s) => s,
        Err(StoreError::Invalid(m)) => return render_claims(&st, &viewer, None, Some(m)).await,
        Err(e) => return Err(PageError::internal(lang, e)),
    };
    let doc_lang = if f.lang == "ar" { "ar" } else { "en" };
    let new = NewDocument {
        source_id: source.id,
        title: f.title.clone(),
        url: opt(&f.url),
        published_on: opt(&f.published_on),
        lang: doc_lang.into(),
        body: f.body.clone(),
    };
    let (doc, created) = match st.store.add_claim_document(by, &new).await {
        Ok(x) => x,
        Err(StoreError::Invalid(m)) => return render_claims(&st, &viewer, None, Some(m)).await,
        Err(e) => return Err(PageError::internal(lang, e)),
    };
    if !created {
        return Ok(Redirect::to("/reconcile/claims?done=known").into_response());
    }
    let opts = sijill_claims::Options {
        doc_date: new.published_on.as_deref().and_then(claims_date),
        ..sijill_claims::Options::default()
    };
    let body = f.body.clone();
    let extracted = tokio::task::spawn_blocking(move || sijill_claims::extract(&body, &opts))
        .await
        .map_err(|e| PageError::internal(lang, e))?;
    let fields = extracted_fields(&extracted, None);
    st.store
        .add_claims(by, doc.id, &fields)
        .await
        .map_err(fail(lang))?;
    Ok(Redirect::to("/reconcile/claims?done=added").into_response())
}

#[derive(Deserialize)]
struct ClaimForm {
    #[serde(default)]
    value: String,
    #[serde(default)]
    low: String,
    #[serde(default)]
    high: String,
    #[serde(default)]
    qualifier: String,
    measure: String,
    #[serde(default)]
    claimant: String,
    #[serde(default)]
    as_of: String,
    #[serde(default)]
    scope: String,
    status: String,
}

async fn claim_post(
    State(st): State<AppState>,
    Path(id): Path<Uuid>,
    CsrfForm(viewer, f): CsrfForm<ClaimForm>,
) -> Result<Response, PageError> {
    may_write(&viewer)?;
    let lang = viewer.lang;
    let old = st
        .store
        .claim(id)
        .await
        .map_err(fail(lang))?
        .ok_or_else(|| PageError::not_found(lang))?;
    let n = |s: &str| -> Result<Option<f64>, ()> {
        let s = s.trim().replace([',', '٬'], "");
        if s.is_empty() {
            Ok(None)
        } else {
            s.parse::<f64>().map(Some).map_err(|_| ())
        }
    };
    let (Ok(value), Ok(low), Ok(high)) = (n(&f.value), n(&f.low), n(&f.high)) else {
        return render_claims(
            &st,
            &viewer,
            None,
            Some(lang.strings().error_invalid.into()),
        )
        .await;
    };
    let fields = ClaimFields {
        value,
        low,
        high,
        qualifier: opt(&f.qualifier),
        measure: f.measure.trim().to_owned(),
        scope_pcode: opt(&f.scope),
        period_from: old.fields.period_from.clone(),
        period_to: old.fields.period_to.clone(),
        as_of: opt(&f.as_of),
        claimant: opt(&f.claimant),
        quote: old.fields.quote.clone(),
        status: ClaimStatus::parse(&f.status).ok_or_else(|| PageError::bad_request(lang))?,
    };
    match st.store.update_claim(actor(&viewer), id, &fields).await {
        Ok(()) => Ok(Redirect::to("/reconcile/claims?done=saved").into_response()),
        Err(StoreError::Invalid(m)) => render_claims(&st, &viewer, None, Some(m)).await,
        Err(e) => Err(PageError::internal(lang, e)),
    }
}

// ---------------------------------------------------------------- the count

/// Death measures shown together under "all deaths".
const DEATHS: [&str; 4] = [
    "killed",
    "killed_civilians",
    "killed_security",
    "killed_fighters",
];

/// The count's query: `?measure=&area=&from=&to=`.
#[derive(Debug, Deserialize, Default)]
pub struct CountQuery {
    /// The measure (`deaths`: every kind of death).
    pub measure: Option<String>,
    /// An area by p-code or name, in either script.
    pub area: Option<String>,
    /// First day, `YYYY-MM-DD`.
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD`.
    pub to: Option<String>,
}

/// The scope of the count, checked: a measure, an area of the reference geography and a
/// period of days (either end open).
#[derive(Debug, Clone, PartialEq)]
pub struct CountScope {
    /// The measure.
    pub measure: String,
    /// The area's p-code.
    pub area: Option<sijill_model::geo::PCode>,
    /// First day.
    pub from: Option<String>,
    /// Last day.
    pub to: Option<String>,
}

/// What was wrong with a count query (the rest of the scope still applies).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeProblem {
    /// The area is neither a known code nor a known name.
    UnknownArea,
    /// A day is not `YYYY-MM-DD`.
    BadDay,
}

fn is_day(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

impl CountQuery {
    /// The scope, and what was left out of it.
    pub fn scope(&self, geo: &sijill_model::geo::Gazetteer) -> (CountScope, Vec<ScopeProblem>) {
        let mut problems = Vec::new();
        let area = match self.area.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(a) => match geo.resolve(a) {
                Some(hit) => Some(hit.pcode.clone()),
                None => {
                    problems.push(ScopeProblem::UnknownArea);
                    None
                }
            },
        };
        let mut day = |d: &Option<String>| match d.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(d) if is_day(d) => Some(d.to_owned()),
            Some(_) => {
                if !problems.contains(&ScopeProblem::BadDay) {
                    problems.push(ScopeProblem::BadDay);
                }
                None
            }
        };
        let (from, to) = (day(&self.from), day(&self.to));
        (
            CountScope {
                measure: measure_of(self),
                area,
                from,
                to,
            },
            problems,
        )
    }
}

impl CountScope {
    /// Whether the scope is narrower than "everything of the measure".
    pub fn narrowed(&self) -> bool {
        self.area.is_some() || self.from.is_some() || self.to.is_some()
    }

    /// The query string that gives this scope again.
    pub fn query(&self) -> String {
        let mut q = format!("measure={}", self.measure);
        if let Some(a) = &self.area {
            q.push_str(&format!("&area={}", a.as_str()));
        }
        if let Some(f) = &self.from {
            q.push_str(&format!("&from={f}"));
        }
        if let Some(t) = &self.to {
            q.push_str(&format!("&to={t}"));
        }
        q
    }

    fn in_period(&self, day: Option<&str>) -> bool {
        if self.from.is_none() && self.to.is_none() {
            return true;
        }
        let Some(d) = day.filter(|d| is_day(d)) else {
            return false;
        };
        self.from.as_deref().is_none_or(|f| d >= f) && self.to.as_deref().is_none_or(|t| d <= t)
    }

    fn in_area(&self, geo: &sijill_model::geo::Gazetteer, place: Option<&str>) -> bool {
        let Some(area) = &self.area else {
            return true;
        };
        place
            .and_then(|p| geo.resolve(p))
            .is_some_and(|hit| geo.within(&hit.pcode, area))
    }

    /// Whether a claim lies in the scope: its measure, its area within the scope's area
    /// (a claim for a wider or unnamed area is left out), its as-of day (else the end of
    /// its period) within the period.
    pub fn holds(&self, geo: &sijill_model::geo::Gazetteer, c: &ClaimFields) -> bool {
        let measure = if self.measure == "deaths" {
            DEATHS.contains(&c.measure.as_str())
        } else {
            c.measure == self.measure
        };
        measure
            && self.in_area(geo, c.scope_pcode.as_deref())
            && self.in_period(c.as_of.as_deref().or(c.period_to.as_deref()))
    }
}

/// One row of the count's data (also the export row).
#[derive(Debug, Clone, serde::Serialize)]
pub struct CountRow {
    /// `claim`, `documented` or `estimate`.
    pub kind: &'static str,
    /// Stable id.
    pub id: String,
    /// Who said it (claims), or the method.
    pub claimant: String,
    /// Figure.
    pub value: Option<f64>,
    /// Lower end.
    pub low: Option<f64>,
    /// Upper end.
    pub high: Option<f64>,
    /// Qualifier.
    pub qualifier: String,
    /// Measure.
    pub measure: String,
    /// As-of date.
    pub as_of: String,
    /// Status (claims).
    pub status: String,
    /// Where it came from.
    pub link: String,
}

pub(crate) struct CountData {
    pub(crate) rows: Vec<CountRow>,
    pub(crate) chart: String,
    pub(crate) estimate_hidden: bool,
}

/// The estimate that speaks for `scope`: the whole estimate when the scope is not
/// narrowed; one stratum when the scope is exactly that stratum — a governorate of an
/// estimate stratified by governorate (and no period), or one whole calendar month of an
/// estimate stratified by month of death (and no area); otherwise none. Strata are never
/// added up: the sum of two intervals is not an interval of the sum.
fn estimate_for(
    geo: &sijill_model::geo::Gazetteer,
    e: &sijill_store::reconcile_lists::Estimate,
    scope: &CountScope,
) -> Option<(f64, Option<f64>, Option<f64>, String)> {
    if !scope.narrowed() {
        return Some((e.estimate, e.low, e.high, e.model.clone()));
    }
    let wanted: Box<dyn Fn(&str) -> bool + '_> = match (e.stratum_by.as_str(), &scope.area) {
        ("governorate", Some(area)) if scope.from.is_none() && scope.to.is_none() => {
            Box::new(move |label: &str| geo.resolve(label).is_some_and(|hit| &hit.pcode == area))
        }
        ("period", None) => {
            let month = whole_month(scope.from.as_deref()?, scope.to.as_deref()?)?;
            Box::new(move |label: &str| label == month)
        }
        _ => return None,
    };
    let strata = e.report.get("strata")?.as_array()?;
    let s = strata.iter().find(|s| {
        s.get("stratum")
            .and_then(|v| v.as_str())
            .is_some_and(&wanted)
    })?;
    let rec = s.get("recommended")?;
    let row = rec.get("row").unwrap_or(rec);
    let point = row.get("estimate")?.as_f64()?;
    let iv = row.get("interval").and_then(|v| v.as_array());
    let end = |i: usize| iv.and_then(|v| v.get(i)).and_then(|x| x.as_f64());
    let model = row
        .get("model")
        .and_then(|m| m.as_str())
        .unwrap_or_default()
        .to_owned();
    Some((point, end(0), end(1), model))
}

/// `YYYY-MM` when `from..=to` (days `YYYY-MM-DD`) is exactly one calendar month.
fn whole_month<'a>(from: &'a str, to: &str) -> Option<&'a str> {
    let day = |s: &str| -> Option<time::Date> {
        time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).ok()
    };
    let (a, b) = (day(from)?, day(to)?);
    let last = a.month().length(a.year());
    (a.day() == 1 && b.year() == a.year() && b.month() == a.month() && b.day() == last)
        .then(|| from.get(..7))
        .flatten()
}

/// The count's rows and chart for `scope`: published claims (every organization's; they
/// are public) and, for `org` (or, public, the newest estimate of each organization),
/// the documented persons and the estimate. `estimate_hidden` is set when an estimate
/// exists but does not cover the narrowed scope.
pub(crate) async fn count_data(
    st: &AppState,
    t: &'static Strings,
    org: Option<sijill_model::account::OrgId>,
    scope: &CountScope,
    public: bool,
) -> Result<CountData, StoreError> {
    let geo = &st.geo;
    let claims = st.store.claims(None, None).await?;
    let claims: Vec<_> = claims
        .into_iter()
        .filter(|c| scope.holds(geo, &c.fields))
        .filter(|c| c.fields.status != ClaimStatus::Retracted)
        .collect();
    let mut rows = Vec::new();
    let prefix = if public {
        "/count"
    } else {
        "/reconcile/claims"
    };
    for c in &claims {
        rows.push(CountRow {
            kind: "claim",
            id: c.id.to_string(),
            claimant: c
                .fields
                .claimant
                .clone()
                .unwrap_or_else(|| c.source_name.clone()),
            value: c.fields.value,
            low: c.fields.low,
            high: c.fields.high,
            qualifier: c.fields.qualifier.clone().unwrap_or_default(),
            measure: c.fields.measure.clone(),
            as_of: c.fields.as_of.clone().unwrap_or_default(),
            status: c.fields.status.as_str().into(),
            link: format!("{prefix}#claim-{}", c.id),
        });
    }
    let estimate = match org {
        Some(org) => {
            let e = st.store.estimates(org).await?.into_iter().next();
            match e {
                Some(e) => {
                    let n = st.store.documented_persons(e.run_id).await?;
                    Some((e, n))
                }
                None => None,
            }
        }
        None => st.store.public_estimates().await?.into_iter().next(),
    };
    let today = time::OffsetDateTime::now_utc().date().to_string();
    if let Some((e, n)) = &estimate {
        let day = e.created_at.date().to_string();
        let n = if scope.narrowed() {
            let facets = st.store.run_person_facets(e.run_id).await?;
            facets
                .iter()
                .filter(|(gov, dod)| {
                    scope.in_area(geo, gov.as_deref()) && scope.in_period(dod.as_deref())
                })
                .count() as i64
        } else {
            *n
        };
        rows.push(CountRow {
            kind: "documented",
            id: e.run_id.to_string(),
            claimant: t.rc_legend_documented.into(),
            value: Some(n as f64),
            low: None,
            high: None,
            qualifier: String::new(),
            measure: "persons".into(),
            as_of: day.clone(),
            status: String::new(),
            link: if public {
                "/count#documented".into()
            } else {
                "/reconcile/persons".into()
            },
        });
        let Some((point, low, high, model)) = estimate_for(geo, e, scope) else {
            return finish(t, rows, true, &today);
        };
        rows.push(CountRow {
            kind: "estimate",
            id: e.id.to_string(),
            claimant: format!("{} ({model})", method_label(t, &e.method)),
            value: Some(point),
            low,
            high,
            qualifier: String::new(),
            measure: "persons".into(),
            as_of: day,
            status: String::new(),
            link: if public {
                "/count#estimate".into()
            } else {
                format!("/reconcile/estimates#estimate-{}", e.id)
            },
        });
    }
    finish(t, rows, false, &today)
}

/// Draws the chart over the rows.
fn finish(
    t: &'static Strings,
    rows: Vec<CountRow>,
    estimate_hidden: bool,
    today: &str,
) -> Result<CountData, StoreError> {
    let today = today.to_owned();
    // The x axis runs from the first as-of date to the last.
    let days_of = |d: &str| -> Option<i64> {
        let mut it = d.split('-').map(|x| x.parse::<i32>().ok());
        let (y, m, dd) = (it.next()??, it.next()??, it.next()??);
        let date =
            time::Date::from_calendar_date(y, time::Month::try_from(m as u8).ok()?, dd as u8)
                .ok()?;
        Some(i64::from(date.to_julian_day()))
    };
    let dated: Vec<(i64, &CountRow)> = rows
        .iter()
        .filter(|r| r.kind == "claim")
        .filter(|r| r.value.is_some() || r.low.is_some() || r.high.is_some())
        .filter_map(|r| days_of(&r.as_of).map(|d| (d, r)))
        .collect();
    let first = dated.iter().map(|d| d.0).min().unwrap_or(0);
    let last = dated.iter().map(|d| d.0).max().unwrap_or(first);
    let label_of = |r: &CountRow| {
        let fig = match (r.value, r.low, r.high) {
            (_, Some(l), Some(h)) => format!("{}–{}", fmt_n(l), fmt_n(h)),
            (Some(v), _, _) => fmt_n(v),
            _ => String::new(),
        };
        let q = qualifier_label(t, Some(r.qualifier.as_str()).filter(|q| !q.is_empty()));
        if r.qualifier.is_empty() {
            format!("{}: {fig}", r.claimant)
        } else {
            format!("{}: {q} {fig}", r.claimant)
        }
    };
    let marks = dated
        .iter()
        .map(|(d, r)| chart::ClaimMark {
            day: d - first,
            value: r.value,
            low: r.low,
            high: r.high,
            qualifier: Some(r.qualifier.clone()).filter(|q| !q.is_empty()),
            label: label_of(r),
            href: r.link.clone(),
        })
        .collect();
    let day_label = |d: i64| {
        time::Date::from_julian_day(d as i32)
            .map(|x| x.to_string())
            .unwrap_or_else(|_| today.clone())
    };
    let documented = rows.iter().find(|r| r.kind == "documented").map(|r| {
        (
            r.value.unwrap_or(0.0),
            format!(
                "{}: {}",
                t.rc_legend_documented,
                fmt_n(r.value.unwrap_or(0.0))
            ),
            r.link.clone(),
        )
    });
    let est = rows
        .iter()
        .find(|r| r.kind == "estimate")
        .map(|r| chart::EstimateMark {
            point: r.value.unwrap_or(0.0),
            low: r.low,
            high: r.high,
            label: format!("{}: {}", t.rc_estimate, fmt_n(r.value.unwrap_or(0.0))),
            href: r.link.clone(),
        });
    let chart = chart::count(&chart::CountChart {
        claims: marks,
        days: (last - first).max(1),
        first_label: day_label(first),
        last_label: day_label(last),
        documented,
        estimate: est,
        title: t.rc_chart_label.into(),
    });
    Ok(CountData {
        rows,
        chart,
        estimate_hidden,
    })
}

struct CountRowView {
    anchor: String,
    kind: &'static str,
    claimant: String,
    figure: String,
    measure: String,
    as_of: String,
    status: String,
    link: String,
}

#[derive(Template)]
#[template(path = "reconcile_count.html")]
struct CountPage {
    shell: Shell,
    t: &'static Strings,
    public: bool,
    chart: String,
    rows: Vec<CountRowView>,
    measures: Vec<(&'static str, &'static str, bool)>,
    area_text: String,
    from: String,
    to: String,
    scope_area: String,
    scope_period: String,
    notes: Vec<&'static str>,
    csv_href: String,
    json_href: String,
}

fn measure_choices(t: &'static Strings, current: &str) -> Vec<(&'static str, &'static str, bool)> {
    [
        ("deaths", t.rc_all_measures),
        ("killed_civilians", t.rc_m_killed_civilians),
        ("killed", t.rc_m_killed),
        ("killed_security", t.rc_m_killed_security),
        ("killed_fighters", t.rc_m_killed_fighters),
    ]
    .into_iter()
    .map(|(k, l)| (k, l, k == current))
    .collect()
}

fn measure_of(q: &CountQuery) -> String {
    match q.measure.as_deref() {
        Some(m) if m == "deaths" || DEATHS.contains(&m) => m.to_owned(),
        _ => "deaths".into(),
    }
}

fn row_views(t: &'static Strings, rows: &[CountRow]) -> Vec<CountRowView> {
    rows.iter()
        .map(|r| CountRowView {
            anchor: match r.kind {
                "claim" => format!("claim-{}", r.id),
                k => k.to_owned(),
            },
            kind: match r.kind {
                "claim" => t.rc_claims,
                "documented" => t.rc_legend_documented,
                _ => t.rc_estimate,
            },
            claimant: r.claimant.clone(),
            figure: {
                let f = match (r.value, r.low, r.high) {
                    (_, Some(l), Some(h)) if r.kind == "claim" => {
                        format!("{}–{}", fmt_n(l), fmt_n(h))
                    }
                    (Some(v), Some(l), h) => format!(
                        "{} ({} – {})",
                        fmt_n(v),
                        fmt_n(l),
                        h.map_or_else(|| t.rc_unbounded.to_owned(), fmt_n)
                    ),
                    (Some(v), _, _) => fmt_n(v),
                    _ => String::new(),
                };
                if r.qualifier.is_empty() {
                    f
                } else {
                    format!("{} {f}", qualifier_label(t, Some(&r.qualifier)))
                }
            },
            measure: r.measure.clone(),
            as_of: r.as_of.clone(),
            status: ClaimStatus::parse(&r.status)
                .map(|s| status_name(t, s).to_owned())
                .unwrap_or_default(),
            link: r.link.clone(),
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn count_page_of(
    st: &AppState,
    shell: Shell,
    lang: Lang,
    public: bool,
    scope: &CountScope,
    problems: &[ScopeProblem],
    q: &CountQuery,
    data: CountData,
) -> CountPage {
    let t = lang.strings();
    let lang_area = |c: &sijill_model::geo::PCode| {
        st.geo
            .get(c)
            .map(|a| format!("{} ({})", a.name(lang.code()), c.as_str()))
            .unwrap_or_else(|| c.as_str().to_owned())
    };
    let mut notes: Vec<&'static str> = problems
        .iter()
        .map(|p| match p {
            ScopeProblem::UnknownArea => t.rc_area_unknown,
            ScopeProblem::BadDay => t.rc_day_invalid,
        })
        .collect();
    if data.estimate_hidden {
        notes.push(t.rc_estimate_scope_note);
    }
    let period = match (&scope.from, &scope.to) {
        (None, None) => t.rc_any_time.to_owned(),
        (f, to) => format!(
            "{} – {}",
            f.as_deref().unwrap_or("…"),
            to.as_deref().unwrap_or("…")
        ),
    };
    let query = scope.query();
    CountPage {
        shell,
        t,
        public,
        chart: data.chart,
        rows: row_views(t, &data.rows),
        measures: measure_choices(t, &scope.measure),
        area_text: q.area.clone().unwrap_or_default(),
        from: scope.from.clone().unwrap_or_default(),
        to: scope.to.clone().unwrap_or_default(),
        scope_area: scope
            .area
            .as_ref()
            .map_or_else(|| t.rc_everywhere.to_owned(), lang_area),
        scope_period: period,
        notes,
        csv_href: if public {
            String::new()
        } else {
            format!("/reconcile/count.csv?{query}")
        },
        json_href: if public {
            String::new()
        } else {
            format!("/reconcile/count.json?{query}")
        },
    }
}

async fn count_page(
    State(st): State<AppState>,
    viewer: Viewer,
    Query(q): Query<CountQuery>,
) -> Result<Response, PageError> {
    viewer.require(Section::Reconcile)?;
    let lang = viewer.lang;
    let t = lang.strings();
    let (scope, problems) = q.scope(&st.geo);
    let data = count_data(&st, t, Some(viewer.user.org_id), &scope, false)
        .await
        .map_err(fail(lang))?;
    let shell = Shell::for_viewer(&viewer, Some(Section::Reconcile));
    let p = count_page_of(&st, shell, lang, false, &scope, &problems, &q, data);
    page(lang, &p)
}

async fn public_count(
    State(st): State<AppState>,
    lang: Lang,
    Query(q): Query<CountQuery>,
) -> Result<Response, PageError> {
    let t = lang.strings();
    let (scope, problems) = q.scope(&st.geo);
    let data = count_data(&st, t, None, &scope, true)
        .await
        .map_err(fail(lang))?;
    let shell = Shell::anonymous(lang, &format!("/count?{}", scope.query()));
    let p = count_page_of(&st, shell, lang, true, &scope, &problems, &q, data);
    page(lang, &p)
}

/// The count as CSV with an HXL hashtag row under the header.
pub fn count_csv_text(rows: &[CountRow]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "kind",
        "id",
        "claimant",
        "value",
        "low",
        "high",
        "qualifier",
        "measure",
        "as_of",
        "status",
        "link",
    ]);
    let _ = w.write_record([
        "#meta+kind",
        "#meta+id",
        "#org+name",
        "#affected+killed+num",
        "#affected+killed+num+min",
        "#affected+killed+num+max",
        "#meta+qualifier",
        "#indicator+name",
        "#date+reported",
        "#status",
        "#meta+url",
    ]);
    for r in rows {
        let _ = w.write_record([
            r.kind.to_owned(),
            r.id.clone(),
            r.claimant.clone(),
            num(r.value),
            num(r.low),
            num(r.high),
            r.qualifier.clone(),
            r.measure.clone(),
            r.as_of.clone(),
            r.status.clone(),
            r.link.clone(),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

async fn count_csv(
    State(st): State<AppState>,
    viewer: Viewer,
    Query(q): Query<CountQuery>,
) -> Result<Response, PageError> {
    viewer.require(Section::Reconcile)?;
    let lang = viewer.lang;
    let (scope, _) = q.scope(&st.geo);
    let data = count_data(&st, lang.strings(), Some(viewer.user.org_id), &scope, false)
        .await
        .map_err(fail(lang))?;
    audit_export(&st, &viewer, "export.count_csv", data.rows.len()).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"sijill-count.csv\"",
            ),
        ],
        count_csv_text(&data.rows),
    )
        .into_response())
}

async fn audit_export(
    st: &AppState,
    viewer: &Viewer,
    action: &str,
    rows: usize,
) -> Result<(), PageError> {
    st.store
        .append_audit(&sijill_store::AuditEntry {
            actor: Some(viewer.user.id),
            org: Some(viewer.user.org_id),
            action: action.into(),
            entity: "count".into(),
            entity_id: None,
            detail: serde_json::json!({"rows": rows}),
        })
        .await
        .map(|_| ())
        .map_err(fail(viewer.lang))
}

async fn count_json(
    State(st): State<AppState>,
    viewer: Viewer,
    Query(q): Query<CountQuery>,
) -> Result<Response, PageError> {
    viewer.require(Section::Reconcile)?;
    let lang = viewer.lang;
    let (scope, _) = q.scope(&st.geo);
    let data = count_data(&st, lang.strings(), Some(viewer.user.org_id), &scope, false)
        .await
        .map_err(fail(lang))?;
    audit_export(&st, &viewer, "export.count_json", data.rows.len()).await?;
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        serde_json::json!({
            "measure": scope.measure,
            "area": scope.area.as_ref().map(|a| a.as_str().to_owned()),
            "from": scope.from,
            "to": scope.to,
            "rows": data.rows,
        })
        .to_string(),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stratified(by: &str, strata: serde_json::Value) -> sijill_store::reconcile_lists::Estimate {
        sijill_store::reconcile_lists::Estimate {
            id: Uuid::nil(),
            run_id: Uuid::nil(),
            method: "loglinear".into(),
            stratum_by: by.into(),
            lists: Vec::new(),
            params: serde_json::json!({}),
            observed: 10,
            estimate: 40.0,
            low: Some(30.0),
            high: Some(60.0),
            model: "[12][3]".into(),
            report: serde_json::json!({ "strata": strata }),
            created_at: time::OffsetDateTime::UNIX_EPOCH,
        }
    }

    fn scope(area: Option<&str>, from: Option<&str>, to: Option<&str>) -> CountScope {
        CountScope {
            measure: "killed".into(),
            area: area.map(|a| sijill_model::geo::PCode::parse(a).expect("p-code")),
            from: from.map(str::to_owned),
            to: to.map(str::to_owned),
        }
    }

    #[test]
    fn a_whole_month_is_one_period_stratum() {
        assert_eq!(whole_month("2025-03-01", "2025-03-31"), Some("2025-03"));
        assert_eq!(whole_month("2024-02-01", "2024-02-29"), Some("2024-02"));
        assert_eq!(whole_month("2025-02-01", "2025-02-28"), Some("2025-02"));
        for (a, b) in [
            ("2025-03-06", "2025-03-10"),
            ("2025-03-01", "2025-03-30"),
            ("2025-03-01", "2025-04-30"),
            ("2025-03-01", "March"),
        ] {
            assert_eq!(whole_month(a, b), None, "{a}..{b}");
        }
    }

    #[test]
    fn the_estimate_of_a_scope_is_its_stratum_or_none() {
        let geo = sijill_model::geo::Gazetteer::builtin();
        let row = |point: f64| serde_json::json!({"row": {"estimate": point, "interval": [point - 1.0, point + 9.0], "model": "[1][2]"}});
        let by_month = stratified(
            "period",
            serde_json::json!([
                {"stratum": "2025-03", "recommended": row(25.0)},
                {"stratum": "2025-04", "recommended": row(7.0)},
            ]),
        );
        let march = scope(None, Some("2025-03-01"), Some("2025-03-31"));
        assert_eq!(
            estimate_for(&geo, &by_month, &march),
            Some((25.0, Some(24.0), Some(34.0), "[1][2]".into()))
        );
        // Part of a month, two months, or a month within an area: no stratum speaks for it.
        for s in [
            scope(None, Some("2025-03-06"), Some("2025-03-10")),
            scope(None, Some("2025-03-01"), Some("2025-04-30")),
            scope(Some("SY06"), Some("2025-03-01"), Some("2025-03-31")),
            scope(None, Some("2025-05-01"), Some("2025-05-31")),
        ] {
            assert_eq!(estimate_for(&geo, &by_month, &s), None, "{s:?}");
        }
        let by_gov = stratified(
            "governorate",
            serde_json::json!([{"stratum": "Lattakia", "recommended": row(30.0)}]),
        );
        assert_eq!(
            estimate_for(&geo, &by_gov, &scope(Some("SY06"), None, None)).map(|e| e.0),
            Some(30.0)
        );
        assert_eq!(estimate_for(&geo, &by_gov, &march), None);
        assert_eq!(
            estimate_for(&geo, &by_gov, &scope(None, None, None)).map(|e| e.0),
            Some(40.0)
        );
    }
}
