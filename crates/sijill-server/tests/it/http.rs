//! The HTTP story, run on SQLite and on PostgreSQL: the app on port 0 over a fresh
//! database, driven over real HTTP like a browser and a script would.

use crate::support::{App, Browser, field_value};
use reqwest::StatusCode;
use sijill_model::account::{OrgKind, Organization, Role};
use sijill_server::ServerConfig;
use sijill_server::i18n::{AR, EN};
use sijill_server::nav::Section;
use sijill_server::ratelimit::LoginLimits;
use std::time::Duration;

const ADMIN_OTP: &str = "first-admin-one-time";
const NEW_ADMIN_PASSWORD: &str = "a much better password";

fn config() -> ServerConfig {
    ServerConfig {
        login_limits: LoginLimits {
            per_user: 4,
            per_ip: 1000,
            window: Duration::from_secs(600),
            capacity: 1000,
        },
        body_limit: 64 * 1024,
        ..ServerConfig::default()
    }
}

#[tokio::test]
async fn story_on_every_backend() {
    for db in sijill_testkit::backends() {
        eprintln!("HTTP story on {}", db.name());
        story(db.url()).await;
    }
}

async fn story(url: &str) {
    let app = App::start(url, config()).await;
    let civil = app
        .org("Coastal Civil Defence", OrgKind::CivilDefence)
        .await;
    let admin = app
        .user(&civil, "admin", Role::Admin, ADMIN_OTP, true)
        .await;

    health_and_headers(&app).await;
    let mut web = app.browser();
    first_admin_must_change_password(&mut web).await;
    navigation_and_language(&mut web).await;
    let field_org = admin_creates_org(&mut web).await;
    let (field_id, field_password) = admin_creates_user(&mut web, &field_org).await;
    let field = field_user_sees_only_respond(&app, &field_password).await;
    api_tokens(&app, &mut web, &field_id).await;
    every_post_form_checks_csrf(&mut web, &admin.id.to_string()).await;
    openapi_covers_every_route(&app, &mut web).await;
    disabling_ends_sessions(&mut web, field, &field_id).await;
    each_role_sees_its_sections(&app, &civil).await;
    login_rate_limit(&app).await;
    body_limit(&app).await;
    logout(&mut web).await;

    let report = app.store.verify_audit().await.unwrap();
    assert!(report.first_break.is_none(), "audit chain intact");
    assert!(
        report.checked >= 8,
        "admin actions were audited: {}",
        report.checked
    );
    app.stop().await;
}

async fn health_and_headers(app: &App) {
    let mut b = app.browser();
    let h = b.get("/healthz").await;
    assert_eq!(h.status, StatusCode::OK);
    assert_eq!(h.json()["status"], "ok");

    let login = b.get("/login").await;
    assert_eq!(login.status, StatusCode::OK);
    let csp = login.header("content-security-policy");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
        "{csp}"
    );
    assert_eq!(login.header("x-frame-options"), "DENY");
    assert_eq!(login.header("x-content-type-options"), "nosniff");
    assert_eq!(login.header("cache-control"), "no-store");
    assert!(login.body.contains(r#"<html lang="en" dir="ltr">"#));
    assert!(!login.body.contains("<script") && !login.body.contains("style="));
    assert!(login.body.contains(EN.login_title));
    let login_cookie = login.set_cookies().join("\n");
    assert!(
        login_cookie.contains("HttpOnly") && login_cookie.contains("SameSite=Strict"),
        "{login_cookie}"
    );

    let css = b.get("/static/sijill.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.header("content-type").starts_with("text/css"));
    assert!(css.body.contains("margin-inline"), "logical properties");
    assert!(!css.body.contains("margin-left") && !css.body.contains("padding-right"));

    // Arabic from the browser's own preference.
    let mut ar = app.browser();
    let p = ar
        .get_with("/login", &[("accept-language", "ar-SY,ar;q=0.9")])
        .await;
    assert!(p.body.contains(r#"<html lang="ar" dir="rtl">"#));
    assert!(p.body.contains(AR.login_title));

    let missing = b.get("/no/such/page").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains(EN.error_not_found));
}

async fn first_admin_must_change_password(web: &mut Browser) {
    // No CSRF token: refused before the password is even looked at.
    let no_csrf = web
        .post("/login", &[("username", "admin"), ("password", ADMIN_OTP)])
        .await;
    assert_eq!(no_csrf.status, StatusCode::FORBIDDEN);

    let wrong = web.login("admin", "not the password").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains(EN.login_failed));
    let unknown = web.login("nobody", "whatever").await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);

    let ok = web.login(" Admin ", ADMIN_OTP).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    assert_eq!(ok.location(), "/password");
    let cookie = ok
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("sijill_session="))
        .expect("session cookie");
    for attr in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attr), "{cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain HTTP in tests");

    // Until the one-time password is replaced, every page leads to the form.
    let dash = web.get("/dashboard").await;
    assert_eq!(dash.status, StatusCode::SEE_OTHER);
    assert_eq!(dash.location(), "/password");
    let api = web.get("/api/v1/me").await;
    assert_eq!(api.status, StatusCode::FORBIDDEN);

    let form = web.get("/password").await;
    assert!(form.body.contains(EN.password_must_change));
    let short = web
        .submit(
            "/password",
            "/password",
            &[
                ("current", ADMIN_OTP),
                ("new", "short"),
                ("confirm", "short"),
            ],
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.body.contains(EN.password_too_short));
    let wrong_current = web
        .submit(
            "/password",
            "/password",
            &[
                ("current", "wrong"),
                ("new", NEW_ADMIN_PASSWORD),
                ("confirm", NEW_ADMIN_PASSWORD),
            ],
        )
        .await;
    assert!(wrong_current.body.contains(EN.password_wrong_current));

    let old_cookies = web.cookies.clone();
    let done = web
        .submit(
            "/password",
            "/password",
            &[
                ("current", ADMIN_OTP),
                ("new", NEW_ADMIN_PASSWORD),
                ("confirm", NEW_ADMIN_PASSWORD),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location(), "/dashboard?done=password");
    assert_ne!(old_cookies, web.cookies, "a fresh session after the change");
    let dash = web.get("/dashboard?done=password").await;
    assert_eq!(dash.status, StatusCode::OK);
    assert!(dash.body.contains(EN.password_changed));

    // The session that used the one-time password is gone.
    let mut old = Browser::new(web.base_url().to_owned());
    old.cookies = old_cookies;
    assert_eq!(old.get("/dashboard").await.location(), "/login");

    // The one-time password no longer works; the new one does.
    let mut other = Browser::new(web.base_url().to_owned());
    assert_eq!(
        other.login("admin", ADMIN_OTP).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        other.login("admin", NEW_ADMIN_PASSWORD).await.location(),
        "/dashboard"
    );
}

async fn navigation_and_language(web: &mut Browser) {
    let dash = web.get("/dashboard").await;
    for label in [
        EN.nav_dashboard,
        EN.nav_respond,
        EN.nav_document,
        EN.nav_reconcile,
        EN.nav_admin,
    ] {
        assert!(dash.body.contains(&format!(">{label}</a>")), "{label}");
    }
    assert!(
        dash.body
            .contains(r#"href="/dashboard" aria-current="page""#)
    );
    assert!(dash.body.contains(r#"<bdi dir="auto">admin display</bdi>"#));

    let switch = web.get("/lang/ar?next=%2Fdashboard").await;
    assert_eq!(switch.status, StatusCode::SEE_OTHER);
    assert_eq!(switch.location(), "/dashboard");
    let ar = web.get("/dashboard").await;
    assert!(ar.body.contains(r#"<html lang="ar" dir="rtl">"#));
    for label in [
        AR.nav_dashboard,
        AR.nav_respond,
        AR.nav_document,
        AR.nav_reconcile,
        AR.nav_admin,
    ] {
        assert!(ar.body.contains(&format!(">{label}</a>")), "{label}");
    }
    assert!(ar.body.contains(AR.welcome));
    assert!(
        !ar.body.contains(EN.welcome),
        "no English left on the Arabic page"
    );
    assert!(ar.body.contains("/lang/en?next=%2Fdashboard"));

    // No open redirect through the switch.
    let evil = web.get("/lang/en?next=%2F%2Fevil.example").await;
    assert_eq!(evil.location(), "/");
    // Back to English for the rest of the story; the query parameter also works.
    assert!(
        web.get("/dashboard?lang=en")
            .await
            .body
            .contains(r#"lang="en""#)
    );
}

async fn admin_creates_org(web: &mut Browser) -> String {
    let created = web
        .submit(
            "/admin/orgs",
            "/admin/orgs",
            &[
                ("name", "<script>Jableh Relief</script>"),
                ("name_ar", "إغاثة جبلة"),
                ("kind", "relief"),
                ("network_member", "on"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let list = web.get("/admin/orgs").await;
    assert!(
        list.body
            .contains("&#60;script&#62;Jableh Relief&#60;/script&#62;"),
        "escaped: {}",
        list.body
    );
    assert!(!list.body.contains("<script>"));
    assert!(
        list.body
            .contains(r#"<td><bdi dir="auto">إغاثة جبلة</bdi></td>"#)
    );

    let dup = web
        .submit(
            "/admin/orgs",
            "/admin/orgs",
            &[
                ("name", "<script>Jableh Relief</script>"),
                ("kind", "relief"),
            ],
        )
        .await;
    assert_eq!(dup.status, StatusCode::CONFLICT);
    let bad = web
        .submit(
            "/admin/orgs",
            "/admin/orgs",
            &[("name", " "), ("kind", "party")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);

    let users = web.get("/admin/users").await;
    let at = users
        .body
        .find("Jableh Relief&#60;")
        .expect("org offered in the user form");
    let before = &users.body[..at];
    let value_at = before.rfind("value=\"").unwrap() + 7;
    before[value_at..value_at + 36].to_owned()
}

async fn admin_creates_user(web: &mut Browser, org_id: &str) -> (String, String) {
    let page = web
        .submit(
            "/admin/users",
            "/admin/users",
            &[
                ("username", "Field.One"),
                ("display_name", "سارة الميدانية"),
                ("org_id", org_id),
                ("role", "field"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::CREATED, "{}", page.body);
    let password = page
        .by_id("one-time-password")
        .expect("one-time password shown");
    assert_eq!(password.len(), 19);
    assert!(
        page.body
            .contains(r#"<bdi dir="auto">سارة الميدانية</bdi>"#)
    );
    let revisit = web.get("/admin/users").await;
    assert!(!revisit.body.contains(&password), "shown once only");
    let at = revisit.body.find("/admin/users/").unwrap();
    let ids: Vec<&str> = revisit
        .body
        .match_indices("href=\"/admin/users/")
        .map(|(i, _)| &revisit.body[i + 19..i + 19 + 36])
        .collect();
    assert!(at > 0 && ids.len() == 2, "{ids:?}");
    let mut field_id = None;
    for id in ids {
        let p = web.get(&format!("/admin/users/{id}")).await;
        if p.body.contains("field.one") {
            field_id = Some(id.to_owned());
        }
    }
    let dup = web
        .submit(
            "/admin/users",
            "/admin/users",
            &[
                ("username", "field.one"),
                ("display_name", "x"),
                ("org_id", org_id),
                ("role", "field"),
            ],
        )
        .await;
    assert_eq!(dup.status, StatusCode::CONFLICT);
    (field_id.expect("new user listed"), password)
}

async fn field_user_sees_only_respond(app: &App, otp: &str) -> Browser {
    let mut b = app.browser();
    assert_eq!(b.login("field.one", otp).await.location(), "/password");
    let changed = b
        .submit(
            "/password",
            "/password",
            &[
                ("current", otp),
                ("new", "field password 2026"),
                ("confirm", "field password 2026"),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER);
    let dash = b.get("/dashboard").await;
    assert!(dash.body.contains(&format!(">{}</a>", EN.nav_respond)));
    for hidden in [EN.nav_document, EN.nav_reconcile, EN.nav_admin] {
        assert!(
            !dash.body.contains(&format!(">{hidden}</a>")),
            "{hidden} hidden from field"
        );
    }
    assert_eq!(b.get("/respond").await.status, StatusCode::OK);
    for path in ["/document", "/reconcile", "/admin/users", "/admin/orgs"] {
        let p = b.get(path).await;
        assert_eq!(p.status, StatusCode::FORBIDDEN, "{path}");
        assert!(p.body.contains(EN.error_forbidden));
    }
    // Forms of the admin are refused too, with a valid token of the field user.
    let csrf = dash.csrf();
    let post = b
        .post(
            "/admin/orgs",
            &[("csrf", &csrf), ("name", "Sneaky"), ("kind", "other")],
        )
        .await;
    assert_eq!(post.status, StatusCode::FORBIDDEN);
    b
}

async fn api_tokens(app: &App, web: &mut Browser, field_id: &str) {
    let base = format!("/admin/users/{field_id}");
    let made = web
        .submit(&base, &format!("{base}/tokens"), &[("name", "sync script")])
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let token = made.by_id("new-token").expect("token shown once");
    assert!(token.starts_with("sjl_"));
    assert!(
        !web.get(&base).await.body.contains(&token),
        "shown once only"
    );

    let mut script = app.browser();
    let bearer = format!("Bearer {token}");
    let me = script
        .get_with("/api/v1/me", &[("authorization", &bearer)])
        .await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.body);
    let me = me.json();
    assert_eq!(me["user"]["username"], "field.one");
    assert_eq!(me["user"]["role"], "field");
    assert_eq!(me["organization"]["kind"], "relief");
    assert!(me["user"].get("password_hash").is_none());

    let users = script
        .get_with("/api/v1/users", &[("authorization", &bearer)])
        .await;
    assert_eq!(users.status, StatusCode::FORBIDDEN);
    assert_eq!(users.json()["error"]["code"], "forbidden");
    let orgs = script
        .get_with("/api/v1/orgs", &[("authorization", &bearer)])
        .await;
    assert_eq!(orgs.json().as_array().map(Vec::len), Some(2));

    let anon = script.get("/api/v1/me").await;
    assert_eq!(anon.status, StatusCode::UNAUTHORIZED);
    assert!(anon.header("www-authenticate").starts_with("Bearer"));
    assert_eq!(anon.json()["error"]["code"], "unauthorized");
    let forged = script
        .get_with("/api/v1/me", &[("authorization", "Bearer sjl_00")])
        .await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED);

    // The browser session works on the API too.
    let all = web.get("/api/v1/users").await;
    assert_eq!(all.status, StatusCode::OK);
    assert_eq!(all.json().as_array().map(Vec::len), Some(2));

    // Areas: by name in either script, by code, children.
    let jableh = script
        .get_with("/api/v1/areas?q=Jableh", &[("authorization", &bearer)])
        .await;
    assert_eq!(jableh.status, StatusCode::OK);
    let first = &jableh.json()[0];
    assert!(
        first["pcode"]
            .as_str()
            .is_some_and(|c| c.starts_with("SY06")),
        "{first}"
    );
    let jableh_ar = script
        .get_with(
            "/api/v1/areas?q=%D8%AC%D8%A8%D9%84%D8%A9",
            &[("authorization", &bearer)],
        )
        .await;
    assert_eq!(jableh_ar.json()[0]["pcode"], first["pcode"]);
    let lattakia = script
        .get_with("/api/v1/areas/sy06", &[("authorization", &bearer)])
        .await;
    assert_eq!(lattakia.json()["area"]["pcode"], "SY06");
    let kids = script
        .get_with("/api/v1/areas?parent=SY06", &[("authorization", &bearer)])
        .await;
    assert!(kids.json().as_array().is_some_and(|a| !a.is_empty()));
    let none = script
        .get_with("/api/v1/areas/XX99", &[("authorization", &bearer)])
        .await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);
    let both = script
        .get_with(
            "/api/v1/areas?q=a&parent=SY06",
            &[("authorization", &bearer)],
        )
        .await;
    assert_eq!(both.status, StatusCode::BAD_REQUEST);
    let twice = script
        .get_with("/api/v1/areas?q=a&q=b", &[("authorization", &bearer)])
        .await;
    assert_eq!(twice.status, StatusCode::BAD_REQUEST);
    assert_eq!(twice.json()["error"]["code"], "bad_request");
    let unknown = script.get("/api/v1/nope").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.json()["error"]["code"], "not_found");

    // Revoke: the token stops working at once.
    let page = web.get(&base).await;
    let revoke_at = page.body.find("/revoke\"").expect("revoke form");
    let action_at = page.body[..revoke_at].rfind("action=\"").unwrap() + 8;
    let action = page.body[action_at..revoke_at + 7].to_owned();
    let csrf = page.csrf();
    let revoked = web.post(&action, &[("csrf", &csrf)]).await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER, "{action}");
    let after = script
        .get_with("/api/v1/me", &[("authorization", &bearer)])
        .await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
}

/// The POST routes of the router, read from its source so a new form cannot be missed.
fn post_routes() -> Vec<String> {
    let src = include_str!("../../src/lib.rs");
    let flat: String = src.split_whitespace().collect::<Vec<_>>().join(" ");
    flat.split(".route(")
        .skip(1)
        .filter_map(|r| {
            let path = r.trim_start().strip_prefix('"')?.split('"').next()?;
            let call = r.split(".route(").next()?;
            call.contains("post(").then(|| path.to_owned())
        })
        .collect()
}

async fn every_post_form_checks_csrf(web: &mut Browser, admin_id: &str) {
    let routes = post_routes();
    assert!(
        routes.len() >= 9 && routes.iter().any(|r| r == "/password"),
        "{routes:?}"
    );
    let token_id = "0190c6f2-0000-7000-8000-000000000000";
    for route in routes {
        let path = route.replace("{id}", admin_id).replace("{token}", token_id);
        for body in [vec![], vec![("csrf", "0".repeat(64))]] {
            let pairs: Vec<(&str, &str)> = body.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let p = web.post(&path, &pairs).await;
            assert_eq!(
                p.status,
                StatusCode::FORBIDDEN,
                "POST {path} without a valid CSRF token"
            );
        }
    }
    // And the session survived all that (no state changed).
    assert_eq!(web.get("/dashboard").await.status, StatusCode::OK);
}

/// The API routes with their methods, from the one reader of the server's `.route(` calls.
fn api_routes() -> Vec<(String, String)> {
    crate::permissions::routed()
        .into_iter()
        .filter(|r| r.path.starts_with("/api/v1/"))
        .map(|r| (r.path, r.method.to_lowercase()))
        .collect()
}

/// Puts a well-formed identifier that names nothing into each `{param}` of a path: 64 zeros
/// for a SHA-256, the nil UUID for anything else.
fn fill_unknown_ids(path: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find('}')
            .map_or(rest.len(), |e| start + e + 1);
        let name = &rest[start..end];
        out.push_str(if name.contains("sha") {
            "0000000000000000000000000000000000000000000000000000000000000000"
        } else {
            "00000000-0000-0000-0000-000000000000"
        });
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

async fn openapi_covers_every_route(app: &App, web: &mut Browser) {
    // API routes live in api.rs and api_*.rs only, so the check below sees them all.
    let top = include_str!("../../src/lib.rs");
    assert!(
        !top.contains(".route(\"/api"),
        "API routes belong in api.rs"
    );
    let mut anon = app.browser();
    let doc = anon.get("/api/v1/openapi.json").await;
    assert_eq!(doc.status, StatusCode::OK);
    let doc = doc.json();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().expect("paths");
    let routes = api_routes();
    assert!(routes.len() >= 6, "{routes:?}");
    for (path, method) in &routes {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} is routed but missing from the OpenAPI document"
        );
    }
    // Every documented operation answers (no stale entry), and every $ref resolves.
    for (path, ops) in paths {
        assert!(
            routes.iter().any(|(p, _)| p == path),
            "{path} documented but not routed"
        );
        for method in ops.as_object().unwrap().keys() {
            // Write operations are exercised by their own stories (respond_api.rs).
            assert!(
                ["get", "post"].contains(&method.as_str()),
                "{method} {path}"
            );
            if method != "get" {
                continue;
            }
            let known = path.replace("{pcode}", "SY06");
            if !known.contains('{') {
                let p = web.get(&known).await;
                assert_eq!(p.status, StatusCode::OK, "GET {path}: {}", p.body);
                continue;
            }
            // A path with an identifier answers a well-formed unknown one with a JSON 404,
            // never a 400 or a 5xx.
            let unknown = fill_unknown_ids(&known);
            let p = web.get(&unknown).await;
            assert_eq!(p.status, StatusCode::NOT_FOUND, "GET {unknown}: {}", p.body);
            assert!(
                p.body.trim_start().starts_with('{'),
                "GET {unknown}: {}",
                p.body
            );
        }
    }
    let text = doc.to_string();
    for piece in text.split("\"#/components/schemas/").skip(1) {
        let name = piece.split('"').next().unwrap();
        assert!(
            doc["components"]["schemas"].get(name).is_some(),
            "dangling $ref {name}"
        );
    }
}

async fn disabling_ends_sessions(web: &mut Browser, mut field: Browser, field_id: &str) {
    assert_eq!(field.get("/dashboard").await.status, StatusCode::OK);
    let base = format!("/admin/users/{field_id}");
    let off = web.submit(&base, &format!("{base}/disable"), &[]).await;
    assert_eq!(off.status, StatusCode::SEE_OTHER);
    assert!(
        web.get(off.location())
            .await
            .body
            .contains(EN.user_disabled_note)
    );
    assert_eq!(field.get("/dashboard").await.location(), "/login");
    let again = field.login("field.one", "field password 2026").await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    let on = web.submit(&base, &format!("{base}/enable"), &[]).await;
    assert_eq!(on.status, StatusCode::SEE_OTHER);
    assert_eq!(
        field
            .login("field.one", "field password 2026")
            .await
            .location(),
        "/dashboard"
    );
}

async fn login_rate_limit(app: &App) {
    let mut b = app.browser();
    for _ in 0..4 {
        assert_eq!(
            b.login("field.one", "wrong").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    // Even the right password is refused while the limit holds.
    let limited = b.login("field.one", "field password 2026").await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.body.contains(EN.login_rate_limited));
}

async fn body_limit(app: &App) {
    let mut b = app.browser();
    let big = vec![b'a'; 128 * 1024];
    let p = b.post_raw("/login", big).await;
    assert_eq!(p.status, StatusCode::PAYLOAD_TOO_LARGE);
}

async fn logout(web: &mut Browser) {
    let dash = web.get("/dashboard").await;
    let csrf = field_value(&dash.body, "csrf").unwrap();
    let out = web.post("/logout", &[("csrf", &csrf)]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(out.location(), "/login");
    assert!(!web.cookies.contains_key("sijill_session"));
    assert_eq!(web.get("/dashboard").await.location(), "/login");
}

/// Every role signs in and finds exactly its sections in the navigation, and the
/// pages of the others closed.
async fn each_role_sees_its_sections(app: &App, org: &Organization) {
    for role in Role::ALL {
        let name = format!("role-{}", role.as_str());
        app.user(org, &name, role, "role password 2026", false)
            .await;
        let mut b = app.browser();
        assert_eq!(
            b.login(&name, "role password 2026").await.location(),
            "/dashboard"
        );
        let dash = b.get("/dashboard").await;
        for section in Section::ALL {
            let link = format!(">{}</a>", section.label(&EN));
            let allowed = section.allowed(role);
            assert_eq!(dash.body.contains(&link), allowed, "{role}: {link}");
            let status = b.get(section.href()).await.status;
            let expected = if allowed {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(status, expected, "{role} GET {}", section.href());
        }
    }
}

#[tokio::test]
async fn behind_tls_cookies_are_secure_and_hsts_is_sent() {
    let db = sijill_testkit::sqlite_url();
    let app = App::start(
        db.url(),
        ServerConfig {
            secure_cookies: true,
            ..config()
        },
    )
    .await;
    let mut b = app.browser();
    let login = b.get("/login").await;
    assert!(
        login
            .header("strict-transport-security")
            .starts_with("max-age=")
    );
    let cookie = login.set_cookies().join("\n");
    assert!(cookie.starts_with("__Host-sijill_login="), "{cookie}");
    for attr in ["Secure", "HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attr), "{cookie}");
    }
    app.stop().await;
}
