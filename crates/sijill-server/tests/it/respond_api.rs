//! Recording distributions through the JSON API on both backends: a field user's token
//! records one for its own organization (audited, idempotent by key), bad fields are
//! refused naming the field, a viewer's token and a session cookie cannot write.

use crate::respond_http::{PASSWORD, start, user};
use crate::support::Browser;
use reqwest::StatusCode;
use serde_json::{Value, json};
use sijill_model::account::Role;
use sijill_server::auth;
use sijill_store::Store;

async fn token(store: &Store, username: &str) -> String {
    let name = sijill_model::account::Username::parse(username).unwrap();
    let u = store.user_by_username(&name).await.unwrap().unwrap();
    let t = auth::new_api_token();
    store
        .create_api_token(u.id, "load script", &auth::token_hash(&t))
        .await
        .unwrap();
    t
}

async fn post(base: &str, bearer: Option<&str>, body: &Value) -> (StatusCode, Value) {
    let client = reqwest::Client::new();
    let mut req = client
        .post(format!("{base}/api/v1/respond/distributions"))
        .json(body);
    if let Some(t) = bearer {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn story(url: &str) {
    let (base, store, stop) = start(url).await;
    user(&store, "Jableh Relief", "field.jableh", Role::Field).await;
    user(&store, "Jableh Relief", "viewer.jableh", Role::Viewer).await;
    let field = token(&store, "field.jableh").await;
    let viewer = token(&store, "viewer.jableh").await;
    let org = store.org_by_name("Jableh Relief").await.unwrap().unwrap();

    let body = json!({"date": "٢٠٢٥-٠٣-١٢", "area": "جبلة", "item": "food-basket",
        "quantity": 120, "households": 118, "key": "kobo-1"});
    let (status, d) = post(&base, Some(&field), &body).await;
    assert_eq!(status, StatusCode::CREATED, "{d}");
    assert_eq!(d["pcode"], "SY0602");
    assert_eq!(d["on"], "2025-03-12");
    assert_eq!(d["org"], org.id.to_string());
    assert_eq!(d["quantity"], 120);
    let audit = store.recent_audit(1).await.unwrap();
    assert_eq!(audit[0].action, "distribution.create");
    assert_eq!(audit[0].entity_id.as_deref(), d["id"].as_str());
    // The same key again adds nothing.
    let (status, e) = post(&base, Some(&field), &body).await;
    assert_eq!(status, StatusCode::CONFLICT, "{e}");
    assert_eq!(
        store.recent_distributions(org.id, 10).await.unwrap().len(),
        1
    );

    for (bad, field_name) in [
        (
            json!({"date": "12/03/2025", "area": "SY0602", "item": "food-basket", "quantity": 1}),
            "date",
        ),
        (
            json!({"date": "2025-03-12", "area": "Atlantis", "item": "food-basket", "quantity": 1}),
            "area",
        ),
        (
            json!({"date": "2025-03-12", "area": "SY0602", "item": "gold", "quantity": 1}),
            "item",
        ),
        (
            json!({"date": "2025-03-12", "area": "SY0602", "item": "food-basket", "quantity": 0}),
            "quantity",
        ),
        (
            json!({"date": "2025-03-12", "area": "SY0602", "item": "food-basket", "quantity": 1, "religion": "x"}),
            "religion",
        ),
    ] {
        let (status, e) = post(&base, Some(&field), &bad).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{field_name}: {e}");
        assert!(
            e["error"]["message"].as_str().unwrap().contains(field_name),
            "{e}"
        );
    }
    let ok = json!({"date": "2025-03-12", "area": "SY0602", "item": "food-basket", "quantity": 1});
    let (status, _) = post(&base, Some(&viewer), &ok).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = post(&base, None, &ok).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // A signed-in browser has a cookie but no bearer token: refused, so a page of
    // another site cannot make it write.
    let mut web = Browser::new(base.clone());
    assert_eq!(
        web.login("field.jableh", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    let cookie: Vec<String> = web
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let res = reqwest::Client::new()
        .post(format!("{base}/api/v1/respond/distributions"))
        .header("cookie", cookie.join("; "))
        .json(&ok)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        store.recent_distributions(org.id, 10).await.unwrap().len(),
        1
    );

    let _ = stop.send(());
    store.close().await;
}

#[tokio::test]
async fn api_distributions_sqlite() {
    let db = sijill_testkit::sqlite_url();
    story(db.url()).await;
}

#[tokio::test]
async fn api_distributions_postgres() {
    let Some(db) = sijill_testkit::postgres() else {
        return;
    };
    story(db.url()).await;
}
