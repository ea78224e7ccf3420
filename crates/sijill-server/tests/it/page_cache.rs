//! The read cache of pages over HTTP on both backends: two organizations' latest
//! distributions, both kept at the same write version, each shown to its own
//! organization only; a write through the pages shows at once; a write by another
//! process on the same database (a second `Store` on the same URL, audited as every
//! write is) shows on the next request; a kept 4W page is the page made afresh, in each
//! language; the dashboard's counts move with a write.

use crate::respond_http::{PASSWORD, user};
use crate::support::Browser;
use reqwest::StatusCode;
use sijill_model::account::Role;
use sijill_model::geo::PCode;
use sijill_server::state::ReadCache;
use sijill_server::{AppState, ServerConfig};
use sijill_store::{AuditEntry, Keyring, NewDistribution, Store};
use std::sync::Arc;
use time::macros::date;
use tokio::sync::oneshot;

/// The server on `url`, with a handle on its read cache.
async fn start(url: &str) -> (String, Store, Arc<ReadCache>, oneshot::Sender<()>) {
    let store = Store::open(url)
        .await
        .unwrap()
        .with_keyring(Keyring::generate())
        .await
        .unwrap();
    let state = AppState::new(store.clone(), ServerConfig::default());
    let cache = Arc::clone(&state.cache);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = oneshot::channel();
    tokio::spawn(sijill_server::serve_with_shutdown(listener, state, async {
        let _ = rx.await;
    }));
    (format!("http://{addr}"), store, cache, tx)
}

async fn signed_in(base: &str, username: &str) -> Browser {
    let mut b = Browser::new(base.to_owned());
    let res = b.login(username, PASSWORD).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{username}");
    b
}

/// Enters a distribution of `quantity` loaves at `site` through the form.
async fn enter(b: &mut Browser, bread: &str, site: &str, quantity: &str) {
    let res = b
        .submit(
            "/respond/distributions",
            "/respond/distributions",
            &[
                ("date", "2025-03-13"),
                ("area", "SY0602"),
                ("site", site),
                ("item", bread),
                ("quantity", quantity),
                ("households", "3"),
                ("individuals", "15"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
}

/// The summary's grand total of households, as the English page prints it.
fn grand_households(body: &str) -> String {
    let grand = body
        .split("class=\"total grand\"")
        .nth(1)
        .expect("a grand total row");
    // The row: label, then households, individuals, distributions.
    grand
        .split("<td class=\"n\">")
        .nth(1)
        .and_then(|c| c.split('<').next())
        .unwrap_or_default()
        .to_owned()
}

async fn story(url: &str) {
    let (base, store, cache, stop) = start(url).await;
    user(&store, "Jableh Youth", "cache.a", Role::Field).await;
    user(&store, "Baniyas Aid", "cache.b", Role::Field).await;
    user(&store, "Jableh Youth", "cache.coord", Role::Coordinator).await;
    user(&store, "Jableh Youth", "cache.admin", Role::Admin).await;
    let jableh = store.org_by_name("Jableh Youth").await.unwrap().unwrap().id;
    let bread = store
        .list_items()
        .await
        .unwrap()
        .into_iter()
        .find(|i| i.code == "bread")
        .unwrap()
        .id;
    let bread_s = bread.to_string();
    let mut a = signed_in(&base, "cache.a").await;
    let mut b = signed_in(&base, "cache.b").await;
    let mut coord = signed_in(&base, "cache.coord").await;
    enter(&mut a, &bread_s, "Mosque courtyard A", "111").await;
    enter(&mut b, &bread_s, "School yard B", "222").await;

    // Both organizations' rows are kept at the same write version, each under its own
    // organization: each page shows its own rows only, made afresh or kept.
    for round in 0..2 {
        let pa = a.get("/respond/distributions?lang=en").await;
        assert_eq!(pa.status, StatusCode::OK);
        assert!(pa.body.contains("Mosque courtyard A"), "round {round}");
        assert!(
            !pa.body.contains("School yard B"),
            "round {round}: B's row on A's page"
        );
        let pb = b.get("/respond/distributions?lang=en").await;
        assert!(pb.body.contains("School yard B"), "round {round}");
        assert!(
            !pb.body.contains("Mosque courtyard A"),
            "round {round}: A's row on B's page"
        );
    }
    let held = cache.len();
    assert!(
        held >= 3,
        "the lists and both organizations' rows are kept: {held}"
    );

    // A write through the pages shows at once.
    enter(&mut a, &bread_s, "Mosque courtyard A2", "333").await;
    let pa = a.get("/respond/distributions?lang=en").await;
    assert!(pa.body.contains("Mosque courtyard A2"));
    assert!(!pa.body.contains("School yard B"));

    // The 4W page: kept, it is the page made afresh; the other language is its own.
    let first = coord.get("/respond/4w?lang=en").await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(grand_households(&first.body), "9");
    assert!(
        first.body.contains("<td class=\"n\">666</td>"),
        "111 + 222 + 333"
    );
    let again = coord.get("/respond/4w?lang=en").await;
    assert_eq!(again.body, first.body);
    let ar = coord.get("/respond/4w?lang=ar").await;
    assert!(ar.body.contains("dir=\"rtl\""));
    assert!(
        ar.body.contains("٦٦٦"),
        "Arabic digits, not the kept English page"
    );
    assert!(!ar.body.contains("<td class=\"n\">666</td>"));
    // A field user of the other organization gets the same figures (the 4W is the
    // network's), from a part kept under their own organization and role.
    let from_b = b.get("/respond/4w?lang=en").await;
    assert_eq!(grand_households(&from_b.body), "9");

    // Another process on the same database: a second store writes a distribution and
    // its audit entry. The next request sees it.
    let other = Store::open(url).await.unwrap();
    let d = NewDistribution {
        campaign: None,
        on: date!(2025 - 03 - 14),
        pcode: PCode::parse("SY0602").unwrap(),
        site: None,
        item: bread,
        quantity: 1000,
        households: 40,
        individuals: 200,
        import_key: None,
    };
    let entry = AuditEntry {
        actor: None,
        org: Some(jableh),
        action: "distribution.create".into(),
        entity: "distribution".into(),
        entity_id: None,
        detail: serde_json::json!({}),
    };
    other
        .create_distribution_audited(None, jableh, &d, entry)
        .await
        .unwrap();
    other.close().await;
    let after = coord.get("/respond/4w?lang=en").await;
    assert_eq!(grand_households(&after.body), "49");
    assert!(after.body.contains("<td class=\"n\">1,666</td>"));

    // A write that skips the audit log does not move the write version: the kept page
    // stays as it was until the next audited write. (Every write path of sijill audits;
    // this shows that the page above came from the cache.)
    store
        .create_distribution(
            None,
            jableh,
            &NewDistribution {
                quantity: 7,
                ..d.clone()
            },
        )
        .await
        .unwrap();
    let kept = coord.get("/respond/4w?lang=en").await;
    assert_eq!(grand_households(&kept.body), "49");
    enter(&mut a, &bread_s, "Mosque courtyard A3", "1").await;
    let moved = coord.get("/respond/4w?lang=en").await;
    assert_eq!(grand_households(&moved.body), "92", "49 + 40 + 3");

    // The dashboard's counts move with a write: an organization added on the admin page.
    let mut admin = signed_in(&base, "cache.admin").await;
    // The first figure of the stats list is the number of organizations.
    let count = |body: &str| {
        body.split("<span class=\"num\">")
            .nth(1)
            .and_then(|s| s.split('<').next())
            .unwrap_or_default()
            .to_owned()
    };
    let before = admin.get("/dashboard?lang=en").await;
    assert_eq!(before.status, StatusCode::OK);
    let orgs_before = count(&before.body);
    let res = admin
        .submit(
            "/admin/orgs",
            "/admin/orgs",
            &[("name", "Tartous Kitchen"), ("kind", "relief")],
        )
        .await;
    assert!(
        res.status.is_redirection() || res.status.is_success(),
        "{}",
        res.status
    );
    let later = admin.get("/dashboard?lang=en").await;
    let orgs_after = count(&later.body);
    assert_eq!(
        orgs_after.parse::<u64>().unwrap(),
        orgs_before.parse::<u64>().unwrap() + 1,
        "{orgs_before} → {orgs_after}"
    );

    let _ = stop.send(());
    store.close().await;
}

#[tokio::test]
async fn page_cache_sqlite() {
    let db = sijill_testkit::sqlite_url();
    story(db.url()).await;
}

#[tokio::test]
async fn page_cache_postgres() {
    let Some(db) = sijill_testkit::postgres() else {
        return;
    };
    story(db.url()).await;
}
