//! The two error types of the server: [`PageError`] renders a page in the viewer's
//! language, [`ApiError`] answers JSON `{"error": {"code", "message"}}`. A 4xx says what
//! to fix; a 5xx is logged with its cause and stays opaque to the client.

use crate::i18n::Lang;
use crate::web::{ErrorPage, Shell, render};
use axum::Json;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use std::fmt::Display;

/// Why a page could not be shown.
#[derive(Debug)]
pub enum PageError {
    /// Send the browser elsewhere (e.g. to the login page), with 303.
    Redirect(String),
    /// Show an error page.
    Page {
        /// Language of the page.
        lang: Lang,
        /// HTTP status.
        status: StatusCode,
        /// The sentence shown, from the catalogue.
        message: &'static str,
    },
}

impl PageError {
    fn page(lang: Lang, status: StatusCode, message: &'static str) -> Self {
        PageError::Page {
            lang,
            status,
            message,
        }
    }

    /// 422: the form parsed but asks for something that cannot be done; `message` says
    /// what to change.
    pub fn unprocessable(lang: Lang, message: &'static str) -> Self {
        Self::page(lang, StatusCode::UNPROCESSABLE_ENTITY, message)
    }

    /// 400: the request did not parse.
    pub fn bad_request(lang: Lang) -> Self {
        Self::page(
            lang,
            StatusCode::BAD_REQUEST,
            lang.strings().error_bad_request,
        )
    }

    /// 403: the role may not see this.
    pub fn forbidden(lang: Lang) -> Self {
        Self::page(lang, StatusCode::FORBIDDEN, lang.strings().error_forbidden)
    }

    /// 403: the form's CSRF token was missing or wrong.
    pub fn csrf(lang: Lang) -> Self {
        Self::page(lang, StatusCode::FORBIDDEN, lang.strings().error_csrf)
    }

    /// 413: the body is over the server's limit.
    pub fn too_large(lang: Lang) -> Self {
        Self::page(
            lang,
            StatusCode::PAYLOAD_TOO_LARGE,
            lang.strings().error_too_large,
        )
    }

    /// 404.
    pub fn not_found(lang: Lang) -> Self {
        Self::page(lang, StatusCode::NOT_FOUND, lang.strings().error_not_found)
    }

    /// 500; the cause is logged, not shown.
    pub fn internal(lang: Lang, cause: impl Display) -> Self {
        tracing::error!(error = %cause, "request failed");
        Self::page(
            lang,
            StatusCode::INTERNAL_SERVER_ERROR,
            lang.strings().error_internal,
        )
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::Redirect(to) => Redirect::to(&to).into_response(),
            PageError::Page {
                lang,
                status,
                message,
            } => {
                let page = ErrorPage {
                    shell: Shell::anonymous(lang, "/"),
                    t: lang.strings(),
                    message,
                };
                match render(&page) {
                    Ok(html) => (status, html).into_response(),
                    Err(_) => status.into_response(),
                }
            }
        }
    }
}

/// An error of the JSON API.
#[derive(Debug)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// A stable machine-readable code (`unauthorized`, `not_found` …).
    pub code: &'static str,
    /// What went wrong, for people.
    pub message: String,
}

impl ApiError {
    /// 400 with a message saying what to fix.
    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            code: "bad_request",
            message: message.into(),
        }
    }

    /// 401.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::UNAUTHORIZED,
            code: "unauthorized",
            message: message.into(),
        }
    }

    /// 403.
    pub fn forbidden(message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::FORBIDDEN,
            code: "forbidden",
            message: message.into(),
        }
    }

    /// 404.
    pub fn not_found(message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::NOT_FOUND,
            code: "not_found",
            message: message.into(),
        }
    }

    /// 500; the cause is logged, the client reads a generic message.
    pub fn internal(cause: impl Display) -> Self {
        tracing::error!(error = %cause, "API request failed");
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: "internal",
            message: "internal error; it was logged".into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Json(serde_json::json!({
            "error": { "code": self.code, "message": self.message }
        }));
        let mut res = (self.status, body).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            res.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer realm=\"sijill\""),
            );
        }
        res
    }
}
