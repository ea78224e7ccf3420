//! Security headers on every response (layers for the one `ServiceBuilder` of
//! [`crate::router`]), the stylesheet served as a static file, the answer to a body over
//! the limit, and the request span of the trace layer.
//!
//! The content security policy allows no script and no inline style at all: pages load
//! one stylesheet from this origin and nothing else, and may not be framed. A body over
//! the limit gets 413 with a page (or, under `/api/`, a JSON error) that says what to do.
//! Request spans name the method and the path only: a query string can carry what
//! someone searched for (a name), so it never reaches the log.

use crate::error::{ApiError, PageError};
use crate::i18n::Lang;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Request, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use tower_http::set_header::SetResponseHeaderLayer;

/// The content security policy of every response.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Path of the stylesheet; the version in the query string defeats stale caches.
pub const STYLESHEET_PATH: &str = "/static/sijill.css";

/// The stylesheet URL that pages link to.
pub fn stylesheet_url() -> &'static str {
    concat!("/static/sijill.css?v=", env!("CARGO_PKG_VERSION"))
}

const STYLESHEET: &str = include_str!("../static/sijill.css");

/// `GET /static/sijill.css`.
pub async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        STYLESHEET,
    )
        .into_response()
}

/// `Cross-Origin-Opener-Policy`.
pub const COOP: HeaderName = HeaderName::from_static("cross-origin-opener-policy");
/// `Cross-Origin-Resource-Policy`.
pub const CORP: HeaderName = HeaderName::from_static("cross-origin-resource-policy");
/// `Permissions-Policy`.
pub const PERMISSIONS_POLICY: HeaderName = HeaderName::from_static("permissions-policy");
/// Powerful browser features no page of sijill uses.
pub const PERMISSIONS: &str = "camera=(), microphone=(), geolocation=(), payment=()";

/// A layer that sets `name: value` on every response.
pub fn header(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
}

/// Pages show personal data: `Cache-Control: no-store` unless a handler said otherwise.
pub fn default_no_store() -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-store"),
    )
}

/// The 413 answer: a page in the caller's language, or a JSON error under `/api/`.
pub fn too_large(uri: &Uri, headers: &HeaderMap) -> Response {
    if uri.path().starts_with("/api/") {
        ApiError {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            code: "too_large",
            message: "the request body is over the server's limit; send less at once".into(),
        }
        .into_response()
    } else {
        PageError::too_large(Lang::negotiate(uri.query(), headers)).into_response()
    }
}

/// Whether reading a body failed because it grew past the limit.
pub fn is_too_large(e: &axum::Error) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(c) = cause {
        if c.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        cause = c.source();
    }
    false
}

/// The span of one request: method and path, never the query string.
pub fn request_span<B>(req: &Request<B>) -> tracing::Span {
    tracing::info_span!("request", method = %req.method(), path = %req.uri().path())
}
