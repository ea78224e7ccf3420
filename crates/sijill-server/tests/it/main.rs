//! Integration tests of the server, in one test binary: the HTTP story on both
//! backends, the browser test in headless Chromium, and tidy checks of the templates.

mod browser;
mod document_browser;
mod document_http;
mod edits_http;
mod hardening;
mod http;
mod logs;
mod page_cache;
mod permissions;
mod reconcile_browser;
mod reconcile_http;
mod respond_4w;
mod respond_api;
mod respond_browser;
mod respond_http;
mod support;
mod sync_http;
mod tidy;
