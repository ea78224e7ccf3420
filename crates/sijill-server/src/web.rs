//! Server-rendered pages: the layout every page shares ([`Shell`]), the page structs of
//! the askama templates in `templates/`, and the handlers of sign-in, password change,
//! dashboard and the sections. Administration pages are in [`crate::admin`].
//!
//! Every page works with plain GET and POST, without JavaScript. Templates are compiled
//! in and escape by default; they contain no text of their own (see [`crate::i18n`]).

use crate::auth::{self, MIN_PASSWORD_CHARS, random_token, secrets_equal, token_hash};
use crate::error::PageError;
use crate::i18n::{LANG_COOKIE, Lang, Strings};
use crate::nav::{NavItem, Section, nav_for};
use crate::security::stylesheet_url;
use crate::session::{
    CsrfForm, Viewer, cookie_value, login_cookie_name, session_cookie_name, set_cookie,
};
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use sijill_model::account::{PasswordHash, User, Username};
use sijill_store::{AuditEntry, NewSession};
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};
use time::OffsetDateTime;

/// Renders a template into an HTML response body.
pub fn render<T: Template>(page: &T) -> Result<Html<String>, askama::Error> {
    page.render().map(Html)
}

/// Renders a page, turning a template failure into a 500 page.
pub fn page<T: Template>(lang: Lang, page: &T) -> Result<Response, PageError> {
    render(page)
        .map(IntoResponse::into_response)
        .map_err(|e| PageError::internal(lang, e))
}

/// Renders a page with another status than 200 (a form shown again with its errors).
pub fn page_with_status<T: Template>(
    lang: Lang,
    p: &T,
    status: StatusCode,
) -> Result<Response, PageError> {
    let mut res = page(lang, p)?;
    *res.status_mut() = status;
    Ok(res)
}

/// A form page: 200, or 422 Unprocessable Entity while it shows errors to fix.
pub fn form_page<T: Template>(lang: Lang, p: &T, valid: bool) -> Result<Response, PageError> {
    let status = if valid {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    page_with_status(lang, p, status)
}

/// The signed-in person as the layout shows them.
#[derive(Debug, Clone)]
pub struct ShellUser {
    /// Their name (user text: shown with `dir="auto"`).
    pub display_name: String,
    /// Their role, translated.
    pub role: &'static str,
}

/// What the layout (`base.html`) needs: language, navigation, who is signed in.
#[derive(Debug, Clone)]
pub struct Shell {
    /// Language of the page.
    pub lang: Lang,
    /// Its strings.
    pub t: &'static Strings,
    /// Stylesheet URL.
    pub css: &'static str,
    /// The signed-in user, if any.
    pub user: Option<ShellUser>,
    /// Navigation links the user's role may follow.
    pub nav: Vec<NavItem>,
    /// CSRF token for the sign-out form.
    pub csrf: String,
    /// Link that switches to the other language and comes back here.
    pub switch_href: String,
}

impl Shell {
    /// The layout for a visitor who is not signed in.
    pub fn anonymous(lang: Lang, here: &str) -> Shell {
        Shell {
            lang,
            t: lang.strings(),
            css: stylesheet_url(),
            user: None,
            nav: Vec::new(),
            csrf: String::new(),
            switch_href: switch_href(lang.other(), here),
        }
    }

    /// The layout for a signed-in viewer, with `current` marked in the navigation.
    pub fn for_viewer(viewer: &Viewer, current: Option<Section>) -> Shell {
        let t = viewer.lang.strings();
        Shell {
            lang: viewer.lang,
            t,
            css: stylesheet_url(),
            user: Some(ShellUser {
                display_name: viewer.user.display_name.clone(),
                role: t.role(viewer.user.role),
            }),
            nav: if viewer.user.must_change_password {
                Vec::new()
            } else {
                nav_for(viewer.user.role, current, t)
            },
            csrf: viewer.csrf.clone(),
            switch_href: switch_href(viewer.lang.other(), &viewer.here),
        }
    }
}

fn switch_href(to: Lang, here: &str) -> String {
    let next = serde_urlencoded::to_string([("next", strip_lang_param(here))]).unwrap_or_default();
    format!("/lang/{}?{next}", to.code())
}

/// `here` without a `lang=` query parameter, so the switch is not undone by it.
fn strip_lang_param(here: &str) -> String {
    let Some((path, query)) = here.split_once('?') else {
        return here.to_owned();
    };
    let kept: Vec<(String, String)> = serde_urlencoded::from_str::<Vec<(String, String)>>(query)
        .unwrap_or_default()
        .into_iter()
        .filter(|(k, _)| k != "lang")
        .collect();
    if kept.is_empty() {
        path.to_owned()
    } else {
        format!(
            "{path}?{}",
            serde_urlencoded::to_string(kept).unwrap_or_default()
        )
    }
}

/// The record id in a path, or a 404 page: an id that is not a UUID names nothing here.
pub(crate) fn record_id(lang: Lang, s: &str) -> Result<uuid::Uuid, PageError> {
    uuid::Uuid::parse_str(s).map_err(|_| PageError::not_found(lang))
}

/// A local path to return to: starts with one `/`, no scheme, no backslash tricks.
pub fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && !n.chars().any(char::is_control) =>
        {
            n
        }
        _ => "/",
    }
}

/// Formats a UTC time for pages: `2026-03-07 14:05 UTC`.
pub fn fmt_time(t: OffsetDateTime) -> String {
    let f = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    t.format(&f).unwrap_or_default()
}

#[derive(Template)]
#[template(path = "error.html")]
/// An error page.
pub struct ErrorPage {
    /// Layout.
    pub shell: Shell,
    /// Strings.
    pub t: &'static Strings,
    /// What went wrong.
    pub message: &'static str,
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    shell: Shell,
    t: &'static Strings,
    csrf: String,
    username: String,
    error: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    shell: Shell,
    t: &'static Strings,
    csrf: String,
    must_change: bool,
    error: Option<&'static str>,
}

struct Stat {
    label: &'static str,
    value: usize,
}

struct Card {
    href: &'static str,
    label: &'static str,
    intro: &'static str,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    shell: Shell,
    t: &'static Strings,
    name: String,
    role: &'static str,
    org: String,
    notice: Option<&'static str>,
    stats: Vec<Stat>,
    cards: Vec<Card>,
}

/// `GET /`.
pub async fn index() -> Redirect {
    Redirect::to("/dashboard")
}

/// `GET /healthz`: 200 when the database answers, 503 otherwise.
pub async fn healthz(State(state): State<AppState>) -> Response {
    match state.store.health_check().await {
        Ok(()) => (
            StatusCode::OK,
            axum::Json(serde_json::json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")})),
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                axum::Json(serde_json::json!({"status": "unavailable"})),
            )
                .into_response()
        }
    }
}

/// The fields of a form or query string.
#[derive(Debug, Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// `GET /lang/{code}?next=/path`: remembers the language in a cookie and goes back.
pub async fn switch_lang(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<NextQuery>,
) -> Response {
    let lang = Lang::from_code(&code).unwrap_or(Lang::En);
    let cookie = set_cookie(
        LANG_COOKIE,
        lang.code(),
        Duration::from_secs(365 * 24 * 3600),
        true,
        state.config.secure_cookies,
    );
    let to = safe_next(q.next.as_deref()).to_owned();
    ([(header::SET_COOKIE, cookie)], Redirect::to(&to)).into_response()
}

fn login_page(
    state: &AppState,
    lang: Lang,
    headers: &HeaderMap,
    status: StatusCode,
    username: String,
    error: Option<&'static str>,
) -> Result<Response, PageError> {
    let name = login_cookie_name(state.config.secure_cookies);
    let csrf = cookie_value(headers, name)
        .filter(|v| v.len() == 64)
        .unwrap_or_else(random_token);
    let page_ = LoginPage {
        shell: Shell::anonymous(lang, "/login"),
        t: lang.strings(),
        csrf: csrf.clone(),
        username,
        error,
    };
    let cookie = set_cookie(
        name,
        &csrf,
        Duration::from_secs(3600),
        true,
        state.config.secure_cookies,
    );
    let mut res = page(lang, &page_)?;
    *res.status_mut() = status;
    res.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(res)
}

/// `GET /login`.
pub async fn login_form(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Result<Viewer, PageError>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    if viewer.is_ok() {
        return Ok(Redirect::to("/dashboard").into_response());
    }
    login_page(&state, lang, &headers, StatusCode::OK, String::new(), None)
}

/// The fields of a form or query string.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

async fn audit(state: &AppState, entry: AuditEntry) {
    if let Err(e) = state.store.append_audit(&entry).await {
        tracing::error!(error = %e, action = %entry.action, "audit append failed");
    }
}

/// An audit entry by `actor` about `entity` `id`.
pub(crate) fn audit_entry(
    actor: &User,
    action: &str,
    entity: &str,
    id: String,
    detail: serde_json::Value,
) -> AuditEntry {
    AuditEntry {
        actor: Some(actor.id),
        org: Some(actor.org_id),
        action: action.to_owned(),
        entity: entity.to_owned(),
        entity_id: Some(id),
        detail,
    }
}

pub(crate) async fn record(state: &AppState, entry: AuditEntry) {
    audit(state, entry).await;
}

/// Starts a session for `user`: stores it and returns the `Set-Cookie` value.
async fn start_session(
    state: &AppState,
    user: &User,
) -> Result<axum::http::HeaderValue, sijill_store::StoreError> {
    let token = random_token();
    let ttl = state.config.session_ttl;
    let expires_at = OffsetDateTime::now_utc() + ttl;
    state
        .store
        .create_session(&NewSession {
            token_hash: token_hash(&token),
            user_id: user.id,
            csrf_token: random_token(),
            expires_at,
        })
        .await?;
    Ok(set_cookie(
        session_cookie_name(state.config.secure_cookies),
        &token,
        ttl,
        true,
        state.config.secure_cookies,
    ))
}

/// The client's IP: the peer address, or with a trusted proxy the last
/// `X-Forwarded-For` entry.
pub fn client_ip(
    headers: &HeaderMap,
    peer: Option<IpAddr>,
    trust_forwarded: bool,
) -> Option<IpAddr> {
    if trust_forwarded {
        let entries: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .collect();
        // Only the last entry was written by our proxy; earlier ones are the client's word.
        let forwarded = entries.last().and_then(|s| s.trim().parse::<IpAddr>().ok());
        if forwarded.is_some() {
            return forwarded;
        }
    }
    peer
}

/// `POST /login`.
pub async fn login(
    State(state): State<AppState>,
    lang: Lang,
    headers: HeaderMap,
    connect: Option<axum::Extension<ConnectInfo<SocketAddr>>>,
    Form(form): Form<LoginForm>,
) -> Result<Response, PageError> {
    let t = lang.strings();
    let expected = cookie_value(&headers, login_cookie_name(state.config.secure_cookies));
    if !expected.is_some_and(|e| secrets_equal(&e, &form.csrf)) {
        return Err(PageError::csrf(lang));
    }
    let ip = client_ip(
        &headers,
        connect.map(|c| c.0.0.ip()),
        state.config.trust_forwarded_for,
    );
    let typed = form.username.trim().to_owned();
    let now = Instant::now();
    if !state.limiter.allowed(&typed, ip, now) {
        tracing::warn!(?ip, "login refused by rate limit");
        return login_page(
            &state,
            lang,
            &headers,
            StatusCode::TOO_MANY_REQUESTS,
            typed,
            Some(t.login_rate_limited),
        );
    }
    let creds = match Username::parse(&typed) {
        Ok(u) => state
            .store
            .user_credentials(&u)
            .await
            .map_err(|e| PageError::internal(lang, e))?,
        Err(_) => None,
    };
    let (user, hash) = match creds {
        Some((user, hash)) => (Some(user), Some(hash.as_str().to_owned())),
        None => (None, None),
    };
    let ok = auth::verify_password_blocking(form.password, hash).await;
    let user = match user {
        Some(user) if ok && !user.disabled => user,
        other => {
            state.limiter.record_failure(&typed, ip, now);
            if let Some(user) = other {
                audit(
                    &state,
                    audit_entry(
                        &user,
                        "login.failed",
                        "user",
                        user.id.to_string(),
                        serde_json::json!({}),
                    ),
                )
                .await;
            }
            return login_page(
                &state,
                lang,
                &headers,
                StatusCode::UNAUTHORIZED,
                typed,
                Some(t.login_failed),
            );
        }
    };
    state.limiter.record_success(&typed);
    let cookie = start_session(&state, &user)
        .await
        .map_err(|e| PageError::internal(lang, e))?;
    audit(
        &state,
        audit_entry(
            &user,
            "login",
            "user",
            user.id.to_string(),
            serde_json::json!({}),
        ),
    )
    .await;
    let to = if user.must_change_password {
        "/password"
    } else {
        "/dashboard"
    };
    let clear = set_cookie(
        login_cookie_name(state.config.secure_cookies),
        "",
        Duration::ZERO,
        true,
        state.config.secure_cookies,
    );
    let mut res = Redirect::to(to).into_response();
    res.headers_mut().append(header::SET_COOKIE, cookie);
    res.headers_mut().append(header::SET_COOKIE, clear);
    Ok(res)
}

/// A form with no fields but its CSRF token.
#[derive(Debug, Deserialize)]
pub struct NoFields {}

/// `POST /logout`.
pub async fn logout(
    State(state): State<AppState>,
    CsrfForm(viewer, NoFields {}): CsrfForm<NoFields>,
) -> Result<Response, PageError> {
    state
        .store
        .delete_session(&viewer.session_hash)
        .await
        .map_err(|e| PageError::internal(viewer.lang, e))?;
    let clear = set_cookie(
        session_cookie_name(state.config.secure_cookies),
        "",
        Duration::ZERO,
        true,
        state.config.secure_cookies,
    );
    Ok(([(header::SET_COOKIE, clear)], Redirect::to("/login")).into_response())
}

fn password_page(
    viewer: &Viewer,
    status: StatusCode,
    error: Option<&'static str>,
) -> Result<Response, PageError> {
    let p = PasswordPage {
        shell: Shell::for_viewer(viewer, None),
        t: viewer.lang.strings(),
        csrf: viewer.csrf.clone(),
        must_change: viewer.user.must_change_password,
        error,
    };
    page_with_status(viewer.lang, &p, status)
}

/// `GET /password`.
pub async fn password_form(viewer: Viewer) -> Result<Response, PageError> {
    password_page(&viewer, StatusCode::OK, None)
}

/// The fields of a form or query string.
#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    confirm: String,
}

/// `POST /password`: checks the current password, sets the new one, ends every other
/// session of the user and starts a fresh one.
pub async fn change_password(
    State(state): State<AppState>,
    CsrfForm(viewer, form): CsrfForm<PasswordForm>,
) -> Result<Response, PageError> {
    let lang = viewer.lang;
    let t = lang.strings();
    let bad = |msg| password_page(&viewer, StatusCode::UNPROCESSABLE_ENTITY, Some(msg));
    if form.new.chars().count() < MIN_PASSWORD_CHARS {
        return bad(t.password_too_short);
    }
    if form.new != form.confirm {
        return bad(t.password_mismatch);
    }
    if form.new == form.current {
        return bad(t.password_same);
    }
    let hash = state
        .store
        .user_credentials(&viewer.user.username)
        .await
        .map_err(|e| PageError::internal(lang, e))?
        .map(|(_, h)| h.as_str().to_owned());
    if !auth::verify_password_blocking(form.current, hash).await {
        return bad(t.password_wrong_current);
    }
    let new_hash = auth::hash_password_blocking(form.new)
        .await
        .map_err(|e| PageError::internal(lang, e))?;
    let store = &state.store;
    let fail = |e| PageError::internal(lang, e);
    store
        .set_password_hash(viewer.user.id, &PasswordHash::new(new_hash), false)
        .await
        .map_err(fail)?;
    store
        .delete_user_sessions(viewer.user.id)
        .await
        .map_err(fail)?;
    let mut user = viewer.user.clone();
    user.must_change_password = false;
    let cookie = start_session(&state, &user).await.map_err(fail)?;
    audit(
        &state,
        audit_entry(
            &user,
            "password.change",
            "user",
            user.id.to_string(),
            serde_json::json!({}),
        ),
    )
    .await;
    Ok((
        [(header::SET_COOKIE, cookie)],
        Redirect::to("/dashboard?done=password"),
    )
        .into_response())
}

/// The fields of a form or query string.
#[derive(Debug, Deserialize)]
pub struct DoneQuery {
    pub(crate) done: Option<String>,
}

/// `GET /dashboard`. The organizations and the count of users are kept in the read
/// cache while the write version stays the same (both are instance-wide, the same for
/// every viewer).
pub async fn dashboard(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let lang = viewer.lang;
    let t = lang.strings();
    let fail = |e| PageError::internal(lang, e);
    let at = state
        .write_version()
        .await
        .map_err(|e| PageError::internal(lang, e))?;
    let orgs = state
        .cache
        .get_or_make(&at, "dashboard.orgs".to_owned(), || state.store.list_orgs())
        .await
        .map_err(fail)?;
    let org = orgs
        .iter()
        .find(|o| o.id == viewer.user.org_id)
        .map(|o| org_display_name(lang, &o.name, o.name_ar.as_deref()).to_owned())
        .unwrap_or_default();
    let mut stats = vec![
        Stat {
            label: t.stat_orgs,
            value: orgs.len(),
        },
        Stat {
            label: t.stat_network_members,
            value: orgs.iter().filter(|o| o.network_member).count(),
        },
    ];
    if viewer.is_admin() {
        let users = state
            .cache
            .get_or_make(&at, "dashboard.users".to_owned(), || {
                state.store.count_users()
            })
            .await
            .map_err(fail)?;
        stats.push(Stat {
            label: t.stat_users,
            value: usize::try_from(*users).unwrap_or(usize::MAX),
        });
    }
    let cards = Section::ALL
        .into_iter()
        .filter(|s| *s != Section::Dashboard && s.allowed(viewer.user.role))
        .map(|s| Card {
            href: s.href(),
            label: s.label(t),
            intro: s.intro(t),
        })
        .collect();
    let p = DashboardPage {
        shell: Shell::for_viewer(&viewer, Some(Section::Dashboard)),
        t,
        name: viewer.user.display_name.clone(),
        role: t.role(viewer.user.role),
        org,
        notice: (q.done.as_deref() == Some("password")).then_some(t.password_changed),
        stats,
        cards,
    };
    page(lang, &p)
}

/// The name of an organization in the page's language, falling back to the Latin one.
pub fn org_display_name<'a>(lang: Lang, name: &'a str, name_ar: Option<&'a str>) -> &'a str {
    match (lang, name_ar) {
        (Lang::Ar, Some(ar)) if !ar.trim().is_empty() => ar,
        _ => name,
    }
}

/// Fallback for unknown pages.
pub async fn not_found(lang: Lang) -> PageError {
    PageError::not_found(lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_must_be_local() {
        assert_eq!(safe_next(Some("/dashboard?x=1")), "/dashboard?x=1");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn client_ip_trusts_the_proxy_only_when_told() {
        let mut h = HeaderMap::new();
        h.append(
            "x-forwarded-for",
            "203.0.113.9, 198.51.100.7".parse().unwrap(),
        );
        let peer: IpAddr = "127.0.0.1".parse().unwrap();
        assert_eq!(client_ip(&h, Some(peer), false), Some(peer));
        assert_eq!(client_ip(&h, Some(peer), true), "198.51.100.7".parse().ok());
        assert_eq!(client_ip(&HeaderMap::new(), Some(peer), true), Some(peer));
    }

    #[test]
    fn switch_link_drops_lang_param() {
        assert_eq!(
            switch_href(Lang::Ar, "/dashboard"),
            "/lang/ar?next=%2Fdashboard"
        );
        assert_eq!(
            switch_href(Lang::En, "/admin/users?lang=ar&done=x"),
            "/lang/en?next=%2Fadmin%2Fusers%3Fdone%3Dx"
        );
    }
}
