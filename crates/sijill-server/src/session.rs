//! Cookie sessions and who is asking: the [`Viewer`] extractor for pages, [`ApiUser`]
//! for the JSON API, and [`CsrfForm`] which every POST form handler takes.
//!
//! A session cookie holds 32 random bytes; the store only sees their SHA-256. Cookies are
//! `HttpOnly; SameSite=Strict; Path=/`, plus `Secure` and the `__Host-` prefix when
//! [`ServerConfig::secure_cookies`](crate::ServerConfig) is set. Each session carries its
//! own CSRF token (the synchronizer pattern); [`CsrfForm`] refuses a form whose `csrf`
//! field does not match it, before the form is even parsed. The sign-in form, which has
//! no session yet, uses a double-submit token instead: a random value in an `HttpOnly;
//! SameSite=Strict` cookie that the form must echo.

use crate::auth::{secrets_equal, token_hash};
use crate::error::{ApiError, PageError};
use crate::i18n::Lang;
use crate::nav::Section;
use crate::state::AppState;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use serde::de::DeserializeOwned;
use sijill_model::account::{Role, User};
use std::time::Duration;
use time::OffsetDateTime;

const SESSION_COOKIE: &str = "sijill_session";
const SESSION_COOKIE_SECURE: &str = "__Host-sijill_session";
const LOGIN_COOKIE: &str = "sijill_login";
const LOGIN_COOKIE_SECURE: &str = "__Host-sijill_login";

/// The value of the cookie `name` in a request, if sent.
pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
}

/// The name of the session cookie.
pub fn session_cookie_name(secure: bool) -> &'static str {
    if secure {
        SESSION_COOKIE_SECURE
    } else {
        SESSION_COOKIE
    }
}

/// The name of the cookie that carries the login form's CSRF token.
pub fn login_cookie_name(secure: bool) -> &'static str {
    if secure {
        LOGIN_COOKIE_SECURE
    } else {
        LOGIN_COOKIE
    }
}

/// A `Set-Cookie` value; `max_age` of zero deletes the cookie.
pub fn set_cookie(
    name: &str,
    value: &str,
    max_age: Duration,
    http_only: bool,
    secure: bool,
) -> HeaderValue {
    let mut c = cookie::Cookie::build((name.to_owned(), value.to_owned()))
        .path("/")
        .same_site(cookie::SameSite::Strict)
        .http_only(http_only)
        .secure(secure)
        .max_age(cookie::time::Duration::seconds(
            i64::try_from(max_age.as_secs()).unwrap_or(i64::MAX),
        ))
        .build();
    if max_age.is_zero() {
        c.make_removal();
    }
    // Cookie names and values here are ASCII tokens, so this cannot fail.
    HeaderValue::from_str(&c.to_string()).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// A signed-in person looking at a page.
#[derive(Debug, Clone)]
pub struct Viewer {
    /// Their account.
    pub user: User,
    /// The CSRF token of their session.
    pub csrf: String,
    /// The SHA-256 of their session token.
    pub session_hash: String,
    /// The language of this request.
    pub lang: Lang,
    /// The path and query of this request (for the language switch).
    pub here: String,
}

impl Viewer {
    /// Fails with 403 unless the viewer's role may see `section`.
    pub fn require(&self, section: Section) -> Result<(), PageError> {
        if section.allowed(self.user.role) {
            Ok(())
        } else {
            Err(PageError::forbidden(self.lang))
        }
    }

    /// Whether the viewer is an administrator.
    pub fn is_admin(&self) -> bool {
        self.user.role == Role::Admin
    }
}

/// The session behind a request's cookie: (token hash, user, CSRF token), if valid now.
async fn session_user(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<(String, User, String)>, sijill_store::StoreError> {
    let name = session_cookie_name(state.config.secure_cookies);
    let Some(token) = cookie_value(headers, name) else {
        return Ok(None);
    };
    let hash = token_hash(&token);
    // The session and its user in one query (the sessions table's foreign key keeps
    // every session's user).
    let Some((session, user)) = state.store.session_with_user(&hash).await? else {
        return Ok(None);
    };
    if session.expires_at <= OffsetDateTime::now_utc() || user.disabled {
        state.store.delete_session(&hash).await?;
        return Ok(None);
    }
    Ok(Some((hash, user, session.csrf_token)))
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = PageError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let lang = Lang::negotiate(parts.uri.query(), &parts.headers);
        let Some((session_hash, user, csrf)) = session_user(state, &parts.headers)
            .await
            .map_err(|e| PageError::internal(lang, e))?
        else {
            return Err(PageError::Redirect("/login".into()));
        };
        let path = parts.uri.path();
        if user.must_change_password && path != "/password" && path != "/logout" {
            return Err(PageError::Redirect("/password".into()));
        }
        if !matrix_permits(parts, user.role) {
            return Err(PageError::forbidden(lang));
        }
        let here = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| "/".into());
        Ok(Viewer {
            user,
            csrf,
            session_hash,
            lang,
            here,
        })
    }
}

/// Whether the permission matrix lets `role` reach the route this request matched
/// (a route the matrix does not list is left to its handler).
fn matrix_permits(parts: &Parts, role: Role) -> bool {
    let Some(matched) = parts.extensions.get::<axum::extract::MatchedPath>() else {
        return true;
    };
    let method = if parts.method == axum::http::Method::HEAD {
        "GET"
    } else {
        parts.method.as_str()
    };
    crate::permissions::permits(method, matched.as_str(), role)
}

/// An administrator looking at a page; anyone else gets 403.
#[derive(Debug, Clone)]
pub struct AdminViewer(pub Viewer);

impl FromRequestParts<AppState> for AdminViewer {
    type Rejection = PageError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let viewer = Viewer::from_request_parts(parts, state).await?;
        viewer.require(Section::Admin)?;
        Ok(AdminViewer(viewer))
    }
}

#[derive(serde::Deserialize)]
struct CsrfField {
    #[serde(default)]
    csrf: String,
}

/// A URL-encoded form posted by a signed-in viewer whose CSRF token matched.
///
/// Every POST form handler takes this extractor (the HTTP tests post each form without
/// a token and expect 403).
#[derive(Debug)]
pub struct CsrfForm<T>(pub Viewer, pub T);

impl<T: DeserializeOwned + Send> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let viewer = Viewer::from_request_parts(&mut parts, state).await?;
        let lang = viewer.lang;
        let bytes = axum::body::to_bytes(body, state.config.body_limit)
            .await
            .map_err(|e| {
                if crate::security::is_too_large(&e) {
                    PageError::too_large(lang)
                } else {
                    PageError::bad_request(lang)
                }
            })?;
        let sent: CsrfField =
            serde_urlencoded::from_bytes(&bytes).map_err(|_| PageError::csrf(lang))?;
        if !secrets_equal(&sent.csrf, &viewer.csrf) {
            tracing::warn!(user = %viewer.user.id, path = %parts.uri.path(), "CSRF token mismatch");
            return Err(PageError::csrf(lang));
        }
        let form = serde_urlencoded::from_bytes(&bytes).map_err(|e| {
            tracing::debug!(error = %e, "form did not parse");
            PageError::bad_request(lang)
        })?;
        Ok(CsrfForm(viewer, form))
    }
}

/// A multipart upload form whose `csrf` field matched the session's token: every upload
/// handler takes this extractor instead of reading the parts itself. The part named
/// `file` is the file; every other part is a text field.
#[derive(Debug)]
pub struct CsrfUpload {
    /// Who sent it.
    pub viewer: Viewer,
    /// The text fields.
    pub fields: UploadFields,
    /// The file name the browser gave, untrimmed (may be empty).
    pub file_name: String,
    /// The file's bytes (empty when none was sent).
    pub file: Vec<u8>,
}

/// The text fields of an upload form by name (the last one wins when a name repeats).
#[derive(Debug, Default)]
pub struct UploadFields(std::collections::BTreeMap<String, String>);

impl UploadFields {
    /// A text field, empty when it was not sent.
    pub fn get(&self, name: &str) -> String {
        self.0.get(name).cloned().unwrap_or_default()
    }
}

impl FromRequest<AppState> for CsrfUpload {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let viewer = Viewer::from_request_parts(&mut parts, state).await?;
        let lang = viewer.lang;
        let mut form =
            axum::extract::Multipart::from_request(Request::from_parts(parts, body), state)
                .await
                .map_err(|_| PageError::bad_request(lang))?;
        let mut upload = CsrfUpload {
            viewer,
            fields: Default::default(),
            file_name: String::new(),
            file: Vec::new(),
        };
        while let Some(field) = form
            .next_field()
            .await
            .map_err(|_| PageError::bad_request(lang))?
        {
            let name = field.name().unwrap_or("").to_owned();
            if name == "file" {
                upload.file_name = field.file_name().unwrap_or("").to_owned();
            }
            let bytes = field
                .bytes()
                .await
                .map_err(|_| PageError::bad_request(lang))?;
            if name == "file" {
                upload.file = bytes.to_vec();
            } else {
                upload
                    .fields
                    .0
                    .insert(name, String::from_utf8_lossy(&bytes).into_owned());
            }
        }
        if !secrets_equal(&upload.fields.get("csrf"), &upload.viewer.csrf) {
            return Err(PageError::csrf(lang));
        }
        Ok(upload)
    }
}

/// Who calls the JSON API: a bearer token (`Authorization: Bearer sjl_…`) or, for the
/// browser, the session cookie. API routes are read-only, so the cookie path needs no
/// CSRF token; a write route added later must check one.
#[derive(Debug, Clone)]
pub struct ApiUser(pub User);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let user = api_user(parts, state).await?;
        if matrix_permits(parts, user.role) {
            Ok(ApiUser(user))
        } else {
            Err(ApiError::forbidden("your role may not use this route"))
        }
    }
}

/// The account behind a bearer token or a session cookie.
async fn api_user(parts: &Parts, state: &AppState) -> Result<User, ApiError> {
    if let Some(auth) = parts.headers.get(header::AUTHORIZATION) {
        let token = auth
            .to_str()
            .ok()
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim)
            .ok_or_else(|| ApiError::unauthorized("expected `Authorization: Bearer <token>`"))?;
        return state
            .store
            .user_by_api_token(&token_hash(token))
            .await
            .map_err(ApiError::internal)?
            .filter(|u| !u.disabled)
            .ok_or_else(|| ApiError::unauthorized("unknown or revoked token"));
    }
    match session_user(state, &parts.headers)
        .await
        .map_err(ApiError::internal)?
    {
        Some((_, user, _)) if user.must_change_password => Err(ApiError::forbidden(
            "password change required: sign in on the web and choose a new password",
        )),
        Some((_, user, _)) => Ok(user),
        None => Err(ApiError::unauthorized(
            "sign in, or send `Authorization: Bearer <token>`",
        )),
    }
}
