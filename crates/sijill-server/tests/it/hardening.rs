//! Hardening checks over HTTP: the content security policy allows no inline script or
//! style on any kind of answer, a body over the limit gets 413 with a page that says
//! what to do (JSON under `/api/`), uploads are typed by their bytes and not by the name
//! or type they claim, and cookies carry `HttpOnly; SameSite=Strict; Path=/`.

use crate::permissions::{PASSWORD, seed, sign_in};
use crate::support::{App, Browser, keyed_store_with_evidence, multipart};
use reqwest::StatusCode;
use sijill_model::account::Role;
use sijill_server::ServerConfig;
use sijill_server::i18n::{AR, EN};

/// POSTs a form of more than `limit` bytes in chunked encoding over a plain socket and
/// returns the whole answer as text.
async fn chunked_post(base: &str, path: &str, cookie: &str, csrf: &str, limit: usize) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = base.trim_start_matches("http://");
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    s.write_all(head.as_bytes()).await.unwrap();
    let first = format!("csrf={csrf}&summary=");
    let mut sent = 0;
    let mut chunk = first.into_bytes();
    while sent <= limit {
        chunk.resize(chunk.len().max(16 * 1024), b'x');
        let frame = [
            format!("{:x}\r\n", chunk.len()).into_bytes(),
            chunk.clone(),
            b"\r\n".to_vec(),
        ]
        .concat();
        // The server may answer and close before everything is sent.
        if s.write_all(&frame).await.is_err() {
            break;
        }
        sent += chunk.len();
        chunk.clear();
    }
    let _ = s.write_all(b"0\r\n\r\n").await;
    let mut answer = Vec::new();
    let _ = s.read_to_end(&mut answer).await;
    String::from_utf8_lossy(&answer).into_owned()
}

fn csp_is_strict(csp: &str, what: &str) {
    assert!(csp.contains("default-src 'none'"), "{what}: {csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    for weak in [
        "unsafe-inline",
        "unsafe-eval",
        "unsafe-hashes",
        "*",
        "http:",
        "https:",
    ] {
        assert!(!csp.contains(weak), "{what}: CSP allows {weak}: {csp}");
    }
    // Scripts fall back to default-src 'none'; nothing may widen them.
    assert!(!csp.contains("script-src"), "{what}: {csp}");
}

async fn story(url: &str) {
    let (store, files, _dir) = keyed_store_with_evidence(url).await;
    let a = seed(&store, &files, "a").await;
    let config = ServerConfig::default();
    let limit = config.body_limit;
    let app = App::serve(store.clone(), config).await;
    let base = app.url("");
    let user = |role: Role| {
        let i = a.users.iter().position(|(r, _)| *r == role).unwrap();
        (&a.users[i].1, a.tokens[i].as_str())
    };

    // Cookies: the login form's and the session's, both HttpOnly and SameSite=Strict.
    let mut anon = Browser::new(base.clone());
    let form = anon.get("/login").await;
    let mut cookies = form.set_cookies();
    let (doc_user, _) = user(Role::Documenter);
    let csrf = form.csrf();
    let signed = anon
        .post(
            "/login",
            &[
                ("csrf", &csrf),
                ("username", doc_user.username.as_str()),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER);
    cookies.extend(signed.set_cookies());
    assert!(
        cookies.iter().any(|c| c.starts_with("sijill_session=")),
        "{cookies:?}"
    );
    for c in &cookies {
        for attr in ["HttpOnly", "SameSite=Strict", "Path=/"] {
            assert!(c.contains(attr), "{c}");
        }
    }

    // CSP and companions on a page, an error page, a redirect, JSON, CSS, a download.
    let mut doc = sign_in(
        &base,
        Some(user(Role::Documenter)),
        Some(Role::Documenter),
        true,
    )
    .await;
    let evidence_file = format!("/document/evidence/{}/file", a.evidence);
    for path in [
        "/login",
        "/count",
        "/nowhere",
        "/",
        "/api/v1/openapi.json",
        "/static/sijill.css",
        "/document/testimonies",
        evidence_file.as_str(),
    ] {
        let page = doc.web.get(path).await;
        csp_is_strict(page.header("content-security-policy"), path);
        assert_eq!(page.header("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(page.header("x-frame-options"), "DENY", "{path}");
    }

    // 413 with a page that says what to do, in the reader's language; JSON for the API.
    let big = vec![b'a'; limit + 1];
    let refused = anon.post_raw("/login", big.clone()).await;
    assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(refused.header("content-type").starts_with("text/html"));
    assert!(
        refused.body.contains(EN.error_too_large),
        "{}",
        refused.body
    );
    let refused = anon.post_raw("/login?lang=ar", big.clone()).await;
    assert!(refused.body.contains(AR.error_too_large));
    let mut form = format!("csrf={}&name=", doc.csrf).into_bytes();
    form.extend(std::iter::repeat_n(b'x', limit));
    let refused = doc.web.post_raw("/document/incidents", form).await;
    assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(refused.body.contains(EN.error_too_large));
    // A body sent in chunks, without a declared length, is cut at the limit as well.
    let cookie = doc
        .web
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ");
    let head = chunked_post(&base, "/document/incidents", &cookie, &doc.csrf, limit).await;
    assert!(head.starts_with("HTTP/1.1 413"), "{head}");
    assert!(head.contains(EN.error_too_large), "{head}");
    let refused = doc
        .web
        .post_typed_with(
            "/api/v1/sync/push",
            "application/json",
            big,
            &[("authorization", doc.bearer.as_str())],
        )
        .await;
    assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(refused.json()["error"]["code"], "too_large");

    // Evidence that claims to be a PNG but is an HTML page is labelled by its bytes, and
    // is handed back as an attachment that no browser renders.
    let html = b"<!doctype html><script>document.cookie</script>";
    let (ty, body) = multipart(
        &[
            ("csrf", &doc.csrf),
            ("violation", "unlawful-killing"),
            ("captured_at", "2025-03-08T10:30"),
            ("capture_tool", "phone camera"),
            ("captured_by", "field team"),
        ],
        "photo.png",
        "image/png",
        html,
    );
    let upload = format!("/document/incidents/{}/evidence", a.incident);
    let stored = doc.web.post_typed(&upload, &ty, body).await;
    assert!(
        stored.status.is_redirection(),
        "{} {}",
        stored.status,
        stored.body
    );
    let listed = store.list_evidence(Some(a.incident)).await.unwrap();
    let it = listed
        .iter()
        .find(|e| e.original_name == "photo.png")
        .expect("the upload is stored");
    assert!(
        !it.media_type.starts_with("image/") && !it.media_type.contains("html"),
        "labelled {}",
        it.media_type
    );
    let file = doc
        .web
        .get(&format!("/document/evidence/{}/file", it.id))
        .await;
    assert_eq!(file.status, StatusCode::OK);
    assert!(file.header("content-disposition").starts_with("attachment"));
    assert!(
        !file.header("content-type").contains("html"),
        "{}",
        file.header("content-type")
    );

    // A relief import whose bytes are an image, whatever it is called, is refused and
    // imports nothing.
    let mut field = sign_in(&base, Some(user(Role::Field)), Some(Role::Field), true).await;
    let before = store.list_households(a.org).await.unwrap().len();
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89";
    let (ty, body) = multipart(
        &[("csrf", &field.csrf), ("kind", "households")],
        "households.csv",
        "text/csv",
        png,
    );
    let refused = field.web.post_typed("/respond/import", &ty, body).await;
    assert!(refused.status.is_client_error(), "{}", refused.status);
    assert_eq!(store.list_households(a.org).await.unwrap().len(), before);

    app.stop().await;
    store.close().await;
}

#[tokio::test]
async fn headers_limits_uploads_and_cookies() {
    let db = sijill_testkit::sqlite_url();
    story(db.url()).await;
}
