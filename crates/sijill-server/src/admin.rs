//! Administration pages: organizations, accounts and each account's API tokens.
//!
//! Only administrators reach them ([`AdminViewer`]). A new account gets a one-time
//! password that is shown once and must be changed at the first sign-in; a new API token
//! is shown once and only its SHA-256 is stored. Every change is written to the audit
//! chain.

use crate::auth::{self, token_hash};
use crate::error::PageError;
use crate::i18n::{Lang, Strings};
use crate::nav::Section;
use crate::session::{AdminViewer, CsrfForm, Viewer};
use crate::state::AppState;
use crate::web::{
    DoneQuery, NoFields, Shell, audit_entry, fmt_time, org_display_name, page, page_with_status,
    record,
};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sijill_model::account::{
    NewOrganization, NewUser, OrgId, OrgKind, Organization, PasswordHash, Role, TokenId, User,
    UserId, Username,
};
use sijill_store::StoreError;

/// How a script sends its token (code, the same in every language).
const HEADER_EXAMPLE: &str = "Authorization: Bearer sjl_…";

/// Longest organization or display name accepted.
const MAX_NAME_CHARS: usize = 200;

fn fail(lang: Lang) -> impl Fn(StoreError) -> PageError {
    move |e| PageError::internal(lang, e)
}

struct Choice {
    value: String,
    label: String,
}

struct OrgRow {
    name: String,
    name_ar: String,
    kind: &'static str,
    member: &'static str,
    created: String,
}

#[derive(Template)]
#[template(path = "admin_orgs.html")]
struct OrgsPage {
    shell: Shell,
    t: &'static Strings,
    csrf: String,
    orgs: Vec<OrgRow>,
    kinds: Vec<Choice>,
    notice: Option<&'static str>,
    errors: Vec<&'static str>,
}

struct UserRow {
    href: String,
    username: String,
    display_name: String,
    org: String,
    role: &'static str,
    status: &'static str,
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    shell: Shell,
    t: &'static Strings,
    csrf: String,
    users: Vec<UserRow>,
    orgs: Vec<Choice>,
    roles: Vec<Choice>,
    errors: Vec<&'static str>,
}

struct TokenRow {
    revoke_href: String,
    name: String,
    created: String,
    last_used: String,
}

#[derive(Template)]
#[template(path = "admin_user.html")]
struct UserPage {
    shell: Shell,
    t: &'static Strings,
    csrf: String,
    base: String,
    username: String,
    display_name: String,
    org: String,
    role: &'static str,
    status: &'static str,
    disabled: bool,
    is_self: bool,
    created: String,
    tokens: Vec<TokenRow>,
    header_example: &'static str,
    notice: Option<&'static str>,
    one_time_password: Option<String>,
    new_token: Option<String>,
}

fn kind_choices(t: &'static Strings) -> Vec<Choice> {
    OrgKind::ALL
        .into_iter()
        .map(|k| Choice {
            value: k.as_str().to_owned(),
            label: t.org_kind(k).to_owned(),
        })
        .collect()
}

fn status_label(t: &'static Strings, u: &User) -> &'static str {
    if u.disabled {
        t.status_disabled
    } else if u.must_change_password {
        t.status_must_change
    } else {
        t.status_active
    }
}

/// `GET /admin`.
pub async fn admin_home(AdminViewer(_): AdminViewer) -> Redirect {
    Redirect::to(Section::Admin.href())
}

async fn orgs_page(
    state: &AppState,
    viewer: &Viewer,
    status: StatusCode,
    notice: Option<&'static str>,
    errors: Vec<&'static str>,
) -> Result<Response, PageError> {
    let lang = viewer.lang;
    let t = lang.strings();
    let orgs = state.store.list_orgs().await.map_err(fail(lang))?;
    let p = OrgsPage {
        shell: Shell::for_viewer(viewer, Some(Section::Admin)),
        t,
        csrf: viewer.csrf.clone(),
        orgs: orgs
            .iter()
            .map(|o| OrgRow {
                name: o.name.clone(),
                name_ar: o.name_ar.clone().unwrap_or_default(),
                kind: t.org_kind(o.kind),
                member: if o.network_member { t.yes } else { t.no },
                created: fmt_time(o.created_at),
            })
            .collect(),
        kinds: kind_choices(t),
        notice,
        errors,
    };
    page_with_status(lang, &p, status)
}

/// `GET /admin/orgs`.
pub async fn orgs(
    State(state): State<AppState>,
    AdminViewer(viewer): AdminViewer,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let notice = (q.done.as_deref() == Some("org")).then_some(viewer.lang.strings().org_created);
    orgs_page(&state, &viewer, StatusCode::OK, notice, Vec::new()).await
}

/// The fields of a form or query string.
#[derive(Debug, Deserialize)]
pub struct OrgForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    name_ar: String,
    #[serde(default)]
    kind: String,
    network_member: Option<String>,
}

fn checked_name(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty() && s.chars().count() <= MAX_NAME_CHARS && !s.chars().any(char::is_control))
        .then(|| s.to_owned())
}

/// `POST /admin/orgs`.
pub async fn create_org(
    State(state): State<AppState>,
    CsrfForm(viewer, form): CsrfForm<OrgForm>,
) -> Result<Response, PageError> {
    viewer.require(Section::Admin)?;
    let lang = viewer.lang;
    let t = lang.strings();
    let mut errors = Vec::new();
    let name = checked_name(&form.name);
    if name.is_none() {
        errors.push(t.org_name);
    }
    let name_ar = if form.name_ar.trim().is_empty() {
        None
    } else {
        let n = checked_name(&form.name_ar);
        if n.is_none() {
            errors.push(t.org_name_ar);
        }
        n
    };
    let kind = form.kind.parse::<OrgKind>().ok();
    if kind.is_none() {
        errors.push(t.org_kind);
    }
    let (Some(name), Some(kind), true) = (name, kind, errors.is_empty()) else {
        return orgs_page(
            &state,
            &viewer,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            errors,
        )
        .await;
    };
    let new = NewOrganization {
        name,
        name_ar,
        kind,
        network_member: form.network_member.is_some(),
    };
    match state.store.create_org(&new).await {
        Ok(org) => {
            record(
                &state,
                audit_entry(
                    &viewer.user,
                    "org.create",
                    "organization",
                    org.id.to_string(),
                    serde_json::json!({"name": org.name, "kind": org.kind.as_str()}),
                ),
            )
            .await;
            Ok(Redirect::to("/admin/orgs?done=org").into_response())
        }
        Err(StoreError::Conflict(_)) => {
            orgs_page(
                &state,
                &viewer,
                StatusCode::CONFLICT,
                None,
                vec![t.error_conflict],
            )
            .await
        }
        Err(StoreError::Invalid(_)) => {
            orgs_page(
                &state,
                &viewer,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                vec![t.error_bad_request],
            )
            .await
        }
        Err(e) => Err(PageError::internal(lang, e)),
    }
}

fn org_choices(lang: Lang, orgs: &[Organization]) -> Vec<Choice> {
    orgs.iter()
        .map(|o| Choice {
            value: o.id.to_string(),
            label: org_display_name(lang, &o.name, o.name_ar.as_deref()).to_owned(),
        })
        .collect()
}

async fn users_page(
    state: &AppState,
    viewer: &Viewer,
    status: StatusCode,
    errors: Vec<&'static str>,
) -> Result<Response, PageError> {
    let lang = viewer.lang;
    let t = lang.strings();
    let users = state.store.list_users().await.map_err(fail(lang))?;
    let orgs = state.store.list_orgs().await.map_err(fail(lang))?;
    let org_name = |id: OrgId| {
        orgs.iter()
            .find(|o| o.id == id)
            .map(|o| org_display_name(lang, &o.name, o.name_ar.as_deref()).to_owned())
            .unwrap_or_default()
    };
    let p = UsersPage {
        shell: Shell::for_viewer(viewer, Some(Section::Admin)),
        t,
        csrf: viewer.csrf.clone(),
        users: users
            .iter()
            .map(|u| UserRow {
                href: format!("/admin/users/{}", u.id),
                username: u.username.to_string(),
                display_name: u.display_name.clone(),
                org: org_name(u.org_id),
                role: t.role(u.role),
                status: status_label(t, u),
            })
            .collect(),
        orgs: org_choices(lang, &orgs),
        roles: Role::ALL
            .into_iter()
            .map(|r| Choice {
                value: r.as_str().to_owned(),
                label: t.role(r).to_owned(),
            })
            .collect(),
        errors,
    };
    page_with_status(lang, &p, status)
}

/// `GET /admin/users`.
pub async fn users(
    State(state): State<AppState>,
    AdminViewer(viewer): AdminViewer,
) -> Result<Response, PageError> {
    users_page(&state, &viewer, StatusCode::OK, Vec::new()).await
}

/// The fields of a form or query string.
#[derive(Debug, Deserialize)]
pub struct UserForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    org_id: String,
    #[serde(default)]
    role: String,
}

/// `POST /admin/users`: makes the account and shows its one-time password once.
pub async fn create_user(
    State(state): State<AppState>,
    CsrfForm(viewer, form): CsrfForm<UserForm>,
) -> Result<Response, PageError> {
    viewer.require(Section::Admin)?;
    let lang = viewer.lang;
    let t = lang.strings();
    let mut errors = Vec::new();
    let username = Username::parse(&form.username).ok();
    if username.is_none() {
        errors.push(t.username);
    }
    let display_name = checked_name(&form.display_name);
    if display_name.is_none() {
        errors.push(t.display_name);
    }
    let org_id = form.org_id.parse::<OrgId>().ok();
    let org = match org_id {
        Some(id) => state.store.org(id).await.map_err(fail(lang))?,
        None => None,
    };
    if org.is_none() {
        errors.push(t.organization);
    }
    let role = form.role.parse::<Role>().ok();
    if role.is_none() {
        errors.push(t.role);
    }
    let (Some(username), Some(display_name), Some(org), Some(role), true) =
        (username, display_name, org, role, errors.is_empty())
    else {
        return users_page(&state, &viewer, StatusCode::UNPROCESSABLE_ENTITY, errors).await;
    };
    let password = auth::one_time_password();
    let hash = auth::hash_password_blocking(password.clone())
        .await
        .map_err(|e| PageError::internal(lang, e))?;
    let new = NewUser {
        username,
        display_name,
        org_id: org.id,
        role,
        password_hash: PasswordHash::new(hash),
        must_change_password: true,
    };
    let user = match state.store.create_user(&new).await {
        Ok(u) => u,
        Err(StoreError::Conflict(_)) => {
            return users_page(
                &state,
                &viewer,
                StatusCode::CONFLICT,
                vec![t.error_conflict],
            )
            .await;
        }
        Err(StoreError::Invalid(_)) => {
            return users_page(
                &state,
                &viewer,
                StatusCode::UNPROCESSABLE_ENTITY,
                vec![t.error_bad_request],
            )
            .await;
        }
        Err(e) => return Err(PageError::internal(lang, e)),
    };
    record(
        &state,
        audit_entry(
            &viewer.user,
            "user.create",
            "user",
            user.id.to_string(),
            serde_json::json!({"username": user.username.as_str(), "role": user.role.as_str(), "org": user.org_id.to_string()}),
        ),
    )
    .await;
    let mut res = user_page(&state, &viewer, &user, None, Some(password), None).await?;
    *res.status_mut() = StatusCode::CREATED;
    Ok(res)
}

async fn user_page(
    state: &AppState,
    viewer: &Viewer,
    user: &User,
    notice: Option<&'static str>,
    one_time_password: Option<String>,
    new_token: Option<String>,
) -> Result<Response, PageError> {
    let lang = viewer.lang;
    let t = lang.strings();
    let org = state.store.org(user.org_id).await.map_err(fail(lang))?;
    let tokens = state
        .store
        .list_api_tokens(user.id)
        .await
        .map_err(fail(lang))?;
    let base = format!("/admin/users/{}", user.id);
    let p = UserPage {
        shell: Shell::for_viewer(viewer, Some(Section::Admin)),
        t,
        csrf: viewer.csrf.clone(),
        username: user.username.to_string(),
        display_name: user.display_name.clone(),
        org: org
            .map(|o| org_display_name(lang, &o.name, o.name_ar.as_deref()).to_owned())
            .unwrap_or_default(),
        role: t.role(user.role),
        status: status_label(t, user),
        disabled: user.disabled,
        is_self: user.id == viewer.user.id,
        created: fmt_time(user.created_at),
        tokens: tokens
            .iter()
            .map(|k| TokenRow {
                revoke_href: format!("{base}/tokens/{}/revoke", k.id),
                name: k.name.clone(),
                created: fmt_time(k.created_at),
                last_used: k
                    .last_used_at
                    .map(fmt_time)
                    .unwrap_or_else(|| t.never.to_owned()),
            })
            .collect(),
        base,
        header_example: HEADER_EXAMPLE,
        notice,
        one_time_password,
        new_token,
    };
    page(lang, &p)
}

async fn load_user(state: &AppState, lang: Lang, id: &str) -> Result<User, PageError> {
    let id = id
        .parse::<UserId>()
        .map_err(|_| PageError::not_found(lang))?;
    state
        .store
        .user(id)
        .await
        .map_err(fail(lang))?
        .ok_or_else(|| PageError::not_found(lang))
}

/// `GET /admin/users/{id}`.
pub async fn user(
    State(state): State<AppState>,
    AdminViewer(viewer): AdminViewer,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let t = viewer.lang.strings();
    let user = load_user(&state, viewer.lang, &id).await?;
    let notice = match q.done.as_deref() {
        Some("disabled") => Some(t.user_disabled_note),
        Some("enabled") => Some(t.user_enabled_note),
        Some("revoked") => Some(t.token_revoked),
        Some("self") => Some(t.cannot_disable_self),
        _ => None,
    };
    user_page(&state, &viewer, &user, notice, None, None).await
}

async fn set_disabled(
    state: AppState,
    viewer: Viewer,
    id: String,
    disabled: bool,
) -> Result<Response, PageError> {
    viewer.require(Section::Admin)?;
    let lang = viewer.lang;
    let user = load_user(&state, lang, &id).await?;
    let base = format!("/admin/users/{}", user.id);
    if disabled && user.id == viewer.user.id {
        return Ok(Redirect::to(&format!("{base}?done=self")).into_response());
    }
    state
        .store
        .set_user_disabled(user.id, disabled)
        .await
        .map_err(fail(lang))?;
    if disabled {
        state
            .store
            .delete_user_sessions(user.id)
            .await
            .map_err(fail(lang))?;
    }
    let action = if disabled {
        "user.disable"
    } else {
        "user.enable"
    };
    record(
        &state,
        audit_entry(
            &viewer.user,
            action,
            "user",
            user.id.to_string(),
            serde_json::json!({}),
        ),
    )
    .await;
    let done = if disabled { "disabled" } else { "enabled" };
    Ok(Redirect::to(&format!("{base}?done={done}")).into_response())
}

/// `POST /admin/users/{id}/disable`: also ends the user's sessions.
pub async fn disable_user(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(viewer, NoFields {}): CsrfForm<NoFields>,
) -> Result<Response, PageError> {
    set_disabled(state, viewer, id, true).await
}

/// `POST /admin/users/{id}/enable`.
pub async fn enable_user(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(viewer, NoFields {}): CsrfForm<NoFields>,
) -> Result<Response, PageError> {
    set_disabled(state, viewer, id, false).await
}

/// The fields of a form or query string.
#[derive(Debug, Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
}

/// `POST /admin/users/{id}/tokens`: makes a token and shows it once.
pub async fn create_token(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(viewer, form): CsrfForm<TokenForm>,
) -> Result<Response, PageError> {
    viewer.require(Section::Admin)?;
    let lang = viewer.lang;
    let user = load_user(&state, lang, &id).await?;
    let Some(name) = checked_name(&form.name) else {
        let mut res = user_page(
            &state,
            &viewer,
            &user,
            Some(lang.strings().error_bad_request),
            None,
            None,
        )
        .await?;
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(res);
    };
    let token = auth::new_api_token();
    let token_id = match state
        .store
        .create_api_token(user.id, &name, &token_hash(&token))
        .await
    {
        Ok(id) => id,
        Err(StoreError::Conflict(_) | StoreError::Invalid(_)) => {
            let t = lang.strings();
            let mut res =
                user_page(&state, &viewer, &user, Some(t.error_conflict), None, None).await?;
            *res.status_mut() = StatusCode::CONFLICT;
            return Ok(res);
        }
        Err(e) => return Err(PageError::internal(lang, e)),
    };
    record(
        &state,
        audit_entry(
            &viewer.user,
            "token.create",
            "api_token",
            token_id.to_string(),
            serde_json::json!({"user": user.id.to_string(), "name": name}),
        ),
    )
    .await;
    let mut res = user_page(&state, &viewer, &user, None, None, Some(token)).await?;
    *res.status_mut() = StatusCode::CREATED;
    Ok(res)
}

/// `POST /admin/users/{id}/tokens/{token}/revoke`.
pub async fn revoke_token(
    State(state): State<AppState>,
    Path((id, token)): Path<(String, String)>,
    CsrfForm(viewer, NoFields {}): CsrfForm<NoFields>,
) -> Result<Response, PageError> {
    viewer.require(Section::Admin)?;
    let lang = viewer.lang;
    let user = load_user(&state, lang, &id).await?;
    let token_id = token
        .parse::<TokenId>()
        .map_err(|_| PageError::not_found(lang))?;
    match state.store.revoke_api_token(user.id, token_id).await {
        Ok(_) => {}
        Err(StoreError::NotFound) => return Err(PageError::not_found(lang)),
        Err(e) => return Err(PageError::internal(lang, e)),
    }
    record(
        &state,
        audit_entry(
            &viewer.user,
            "token.revoke",
            "api_token",
            token_id.to_string(),
            serde_json::json!({"user": user.id.to_string()}),
        ),
    )
    .await;
    Ok(Redirect::to(&format!("/admin/users/{}?done=revoked", user.id)).into_response())
}
