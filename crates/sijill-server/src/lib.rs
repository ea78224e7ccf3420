//! sijill's HTTP server: server-rendered bilingual pages (Arabic right-to-left and
//! English), a JSON API with its OpenAPI document, accounts, sessions and roles.
//!
//! # What the CLI calls
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let store = sijill_store::Store::open("sqlite:sijill.db").await?;
//! let state = sijill_server::AppState::new(store, sijill_server::ServerConfig::default());
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! sijill_server::serve(listener, state).await?; // returns after SIGTERM or Ctrl-C
//! # Ok(()) }
//! ```
//!
//! - [`AppState::new`] over an opened `Store` and a [`ServerConfig`].
//! - [`router`] gives the whole application as one `axum::Router` (for tests or embedding).
//! - [`serve`] runs it on a bound listener until SIGTERM or Ctrl-C, finishing requests
//!   in flight (graceful shutdown); [`serve_with_shutdown`] takes any shutdown future.
//! - [`auth::hash_password`], [`auth::verify_password`] and [`auth::one_time_password`]
//!   for `sijill user add|passwd` and the first administrator.
//!
//! # Map
//!
//! - [`web`]: layout, sign-in, password change, dashboard, sections; [`admin`]:
//!   organizations, accounts, API tokens; templates in `templates/`, the stylesheet in
//!   `static/`.
//! - [`api`] and [`openapi`]: `/api/v1`.
//! - [`session`]: cookie sessions, the `Viewer`/`ApiUser` extractors, CSRF-checked forms.
//! - [`i18n`]: the Arabic–English catalogue; [`nav`]: which role sees which section;
//!   [`permissions`]: the matrix of who may reach each route (read by the extractors).
//! - [`auth`]: argon2id and tokens; [`ratelimit`]: login limits; [`security`]: headers.
//!
//! Invariants: no template contains text of its own; no page loads a script or an
//! inline style; every POST form goes through [`session::CsrfForm`] (or, for sign-in,
//! the login cookie check); the store never sees a raw session or API token.

pub mod admin;
pub mod api;
pub mod api_document;
pub mod api_reconcile;
pub mod api_respond;
pub mod api_sync;
pub mod auth;
pub mod config;
pub mod document;
pub(crate) mod edits;
pub mod error;
pub mod i18n;
pub mod nav;
pub mod openapi;
pub mod permissions;
pub mod ratelimit;
pub mod reconcile;
pub mod respond;
pub mod security;
pub mod session;
pub mod state;
pub mod sync;
pub mod tls;
pub mod web;
pub mod workbook;

pub use config::ServerConfig;
pub use state::AppState;

use axum::Router;
use axum::http::{StatusCode, header};
use axum::routing::{get, post};
use std::future::Future;
use std::net::SocketAddr;
use tower::ServiceBuilder;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

/// Refuses bodies over the server's limit (413), except on the evidence upload route,
/// whose limit is [`document::UPLOAD_LIMIT`]: a declared length over the limit is
/// refused at once, and a body that grows past it fails when read.
async fn body_limit(
    axum::extract::State(limit): axum::extract::State<usize>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let max = if document::is_evidence_upload(req.uri().path()) {
        document::UPLOAD_LIMIT
    } else {
        limit
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max as u64) {
        return security::too_large(req.uri(), req.headers());
    }
    let (parts, body) = req.into_parts();
    let body = axum::body::Body::new(http_body_util::Limited::new(body, max));
    next.run(axum::extract::Request::from_parts(parts, body))
        .await
}

/// The whole application: pages, API, static files and the middleware stack.
pub fn router(state: AppState) -> Router {
    let config = state.config.clone();
    let hsts = config.secure_cookies;
    let middleware = ServiceBuilder::new()
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(security::request_span)
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(security::header(
            header::CONTENT_SECURITY_POLICY,
            security::CSP,
        ))
        .layer(security::header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(security::header(header::X_FRAME_OPTIONS, "DENY"))
        .layer(security::header(header::REFERRER_POLICY, "same-origin"))
        .layer(security::header(security::COOP, "same-origin"))
        .layer(security::header(security::CORP, "same-origin"))
        .layer(security::header(
            security::PERMISSIONS_POLICY,
            security::PERMISSIONS,
        ))
        .option_layer(
            hsts.then(|| security::header(header::STRICT_TRANSPORT_SECURITY, "max-age=31536000")),
        )
        .layer(security::default_no_store())
        .layer(axum::middleware::from_fn_with_state(
            config.body_limit,
            body_limit,
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            config.request_timeout,
        ));
    Router::new()
        .route("/", get(web::index))
        .route("/healthz", get(web::healthz))
        .route(security::STYLESHEET_PATH, get(security::stylesheet))
        .route("/lang/{code}", get(web::switch_lang))
        .route("/login", get(web::login_form).post(web::login))
        .route("/logout", post(web::logout))
        .route(
            "/password",
            get(web::password_form).post(web::change_password),
        )
        .route("/dashboard", get(web::dashboard))
        .route("/admin", get(admin::admin_home))
        .route("/admin/orgs", get(admin::orgs).post(admin::create_org))
        .route("/admin/users", get(admin::users).post(admin::create_user))
        .route("/admin/users/{id}", get(admin::user))
        .route("/admin/users/{id}/disable", post(admin::disable_user))
        .route("/admin/users/{id}/enable", post(admin::enable_user))
        .route("/admin/users/{id}/tokens", post(admin::create_token))
        .route(
            "/admin/users/{id}/tokens/{token}/revoke",
            post(admin::revoke_token),
        )
        // == routes: reconcile ==
        .merge(crate::reconcile::routes())
        // == routes: document ==
        .merge(crate::document::routes())
        // == routes: respond ==
        .merge(crate::respond::routes())
        // == routes: protect ==
        // == routes: sync ==
        .merge(crate::sync::routes())
        .nest(api::PREFIX, api::routes())
        .fallback(web::not_found)
        .layer(middleware)
        .with_state(state)
}

/// Serves the application on `listener` until SIGTERM or Ctrl-C, then stops accepting
/// and lets requests in flight finish.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    serve_with_shutdown(listener, state, shutdown_signal()).await
}

/// Serves until `shutdown` completes (tests pass a channel), then drains gracefully.
pub async fn serve_with_shutdown(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_on(listener, state, shutdown).await
}

/// Serves over HTTPS with `tls` (see [`tls::server_config`]) until SIGTERM or Ctrl-C.
pub async fn serve_tls(
    listener: tokio::net::TcpListener,
    state: AppState,
    tls: std::sync::Arc<tokio_rustls::rustls::ServerConfig>,
) -> std::io::Result<()> {
    serve_tls_with_shutdown(listener, state, tls, shutdown_signal()).await
}

/// Serves over HTTPS until `shutdown` completes, then drains gracefully.
pub async fn serve_tls_with_shutdown(
    listener: tokio::net::TcpListener,
    state: AppState,
    tls: std::sync::Arc<tokio_rustls::rustls::ServerConfig>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_on(tls::TlsListener::new(listener, tls)?, state, shutdown).await
}

async fn serve_on<L>(
    listener: L,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()>
where
    L: axum::serve::Listener<Addr = SocketAddr>,
{
    use axum::serve::ListenerExt;
    let purge = tokio::spawn(purge_sessions(state.clone()));
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    if let Ok(addr) = listener.local_addr() {
        tracing::info!(%addr, "sijill listening");
    }
    // Tapped (with nothing to do) so that the peer address reaches the handlers from
    // any listener, plain or TLS.
    let result = axum::serve(listener.tap_io(|_| {}), app)
        .with_graceful_shutdown(shutdown)
        .await;
    purge.abort();
    tracing::info!("sijill stopped");
    result
}

/// Deletes expired sessions once an hour.
async fn purge_sessions(state: AppState) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        every.tick().await;
        if let Err(e) = state.store.purge_expired_sessions().await {
            tracing::warn!(error = %e, "purging expired sessions failed");
        }
    }
}

/// Completes on Ctrl-C or, on Unix, SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => tracing::info!("Ctrl-C: shutting down"),
        () = term => tracing::info!("SIGTERM: shutting down"),
    }
}
