//! The sync page over HTTP: a conflict made by a revision from another instance is
//! listed with both values (in English and in Arabic), a field user keeps one and the
//! record takes it, a viewer is refused the page. The page shows this instance's id
//! and the last sync's time and outcome (finished with its counts, or why it failed),
//! in both languages. The sync API logs a pull page as an export (`export.sync`: who,
//! which token and instance, how many revisions of which kinds, no value) and a push
//! as a write (`sync.apply`).

use crate::respond_http::{PASSWORD, start, user};
use crate::support::{Browser, field_value};
use reqwest::StatusCode;
use sijill_model::account::Role;
use sijill_model::account::Username;
use sijill_model::geo::PCode;
use sijill_server::auth;
use sijill_store::{Batch, ExportFilter, Identity, NewHousehold, Revision};
use sijill_sync::{ClientOptions, HttpTransport, LastSync, Transport};

async fn story(url: &str) {
    let (base, store, stop) = start(url).await;
    user(&store, "Jableh Youth", "field.sync", Role::Field).await;
    user(&store, "Jableh Youth", "viewer.sync", Role::Viewer).await;
    let org = store.org_by_name("Jableh Youth").await.unwrap().unwrap();
    let h = store
        .register_household(
            None,
            org.id,
            &NewHousehold {
                identity: Identity {
                    name: "Rana Saleh".into(),
                    father_name: "Ali".into(),
                    birth_year: Some(1980),
                    locality: "SY0602".into(),
                },
                contact: None,
                pcode: PCode::parse("SY060200").unwrap(),
                size: 4,
                females: 2,
                males: 2,
                children: 1,
                elderly: 0,
                vulnerability: Vec::new(),
                import_key: None,
            },
        )
        .await
        .unwrap();
    store.sync_capture().await.unwrap();
    let created = store
        .sync_export(&ExportFilter::default(), 0, 10)
        .await
        .unwrap()
        .batch
        .revisions
        .remove(0);
    // Here the size becomes 5; on a laptop that had only the creation, it became 9.
    let five = [("size".to_owned(), Some("5".to_owned()))].into();
    store
        .sync_edit(None, org.id, "household", h, &five)
        .await
        .unwrap();
    let mut remote = Revision {
        revision_id: uuid::Uuid::now_v7(),
        kind: "household".into(),
        record_id: h,
        org: "Jableh Youth".into(),
        parents: vec![created.revision_id],
        instance_id: uuid::Uuid::now_v7(),
        clock: 2,
        fields: [("size".to_owned(), Some("9".to_owned()))].into(),
        tombstone: false,
        content_hash: String::new(),
    };
    remote.content_hash = remote.compute_hash();
    let batch = Batch {
        revisions: vec![remote.clone()],
        refs: Default::default(),
    };
    let outcome = store.sync_apply(None, &batch, None, None).await.unwrap();
    assert_eq!((outcome.accepted, outcome.conflicts), (1, 1));

    let mut web = Browser::new(base.clone());
    assert_eq!(
        web.login("field.sync", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    let page = web.get("/sync").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Conflicts"));
    assert!(page.body.contains("No server is set"));
    assert!(page.body.contains("No sync has run on this instance yet."));
    let instance = store.sync_instance_id().await.unwrap();
    assert!(page.body.contains(&instance.to_string()));
    assert!(page.body.contains(&remote.revision_id.to_string()));
    assert!(page.body.contains("<bdi dir=\"auto\">5</bdi>"));
    assert!(page.body.contains("<bdi dir=\"auto\">9</bdi>"));
    // The record is named by what it is (a household: area and size, not its name),
    // and the value made here says so instead of an instance id.
    assert!(page.body.contains("SY060200 · size"), "{}", page.body);
    assert!(!page.body.contains("Rana"));
    assert!(page.body.contains("<bdi dir=\"auto\">this instance</bdi>"));
    assert!(page.body.contains(&remote.instance_id.to_string()));
    let arabic = web.get("/sync?lang=ar").await;
    assert!(arabic.body.contains("التعارضات"), "{}", arabic.body);

    let conflict = store.sync_conflicts(Some(org.id)).await.unwrap().remove(0);
    let csrf = field_value(&page.body, "csrf").unwrap();
    let keep = remote.revision_id.to_string();
    let res = web
        .post(
            &format!("/sync/conflicts/{}", conflict.id),
            &[("csrf", csrf.as_str()), ("keep", keep.as_str())],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert!(store.sync_conflicts(None).await.unwrap().is_empty());
    let snap = store.sync_snapshot().await.unwrap();
    assert_eq!(
        snap[&("household".to_owned(), h)]["size"].as_deref(),
        Some("9")
    );
    let after = web.get("/sync").await;
    assert!(after.body.contains("No open conflicts"));

    // The last sync, as `sijill sync` or the button leave it: counts when it finished,
    // the reason when it did not, in both languages and with user text isolated.
    let mut last = LastSync {
        at: time::macros::datetime!(2025-03-12 09:30 UTC),
        server: "https://sync.coastal.example".into(),
        pushed: 41,
        pulled: 17,
        conflicts: 2,
        files: (3, 1),
        error: None,
    };
    last.save(&store).await.unwrap();
    let page = web.get("/sync").await;
    assert!(page.body.contains("Last sync"), "{}", page.body);
    assert!(
        page.body
            .contains("<bdi dir=\"ltr\">2025-03-12 09:30 UTC</bdi>")
    );
    assert!(page.body.contains("https://sync.coastal.example"));
    assert!(page.body.contains("finished"));
    for n in ["41", "17", "2", "3", "1"] {
        assert!(page.body.contains(&format!("<bdi>{n}</bdi>")), "{n}");
    }
    let arabic = web.get("/sync?lang=ar").await;
    assert!(arabic.body.contains("آخر مزامنة"), "{}", arabic.body);
    assert!(arabic.body.contains("اكتملت"));
    assert!(arabic.body.contains("<bdi>41</bdi>"));
    last.error = Some("the connection to the server failed: timed out".into());
    last.save(&store).await.unwrap();
    let page = web.get("/sync").await;
    assert!(page.body.contains("did not finish:"));
    assert!(
        page.body
            .contains("<bdi dir=\"auto\">the connection to the server failed: timed out</bdi>")
    );
    let arabic = web.get("/sync?lang=ar").await;
    assert!(arabic.body.contains("لم تكتمل:"));
    assert!(arabic.body.contains("dir=\"rtl\""));

    // A pull hands records to another instance: an export in the audit log, by kind
    // and count, naming the token and the instance, never a value.
    let field = store
        .user_by_username(&Username::parse("field.sync").unwrap())
        .await
        .unwrap()
        .unwrap();
    let token = auth::new_api_token();
    store
        .create_api_token(field.id, "laptop", &auth::token_hash(&token))
        .await
        .unwrap();
    let laptop = uuid::Uuid::now_v7();
    let api = HttpTransport::with_options(
        &base,
        &token,
        &ClientOptions {
            ca_pem: None,
            instance: Some(laptop),
        },
    )
    .unwrap();
    let page = api.pull(0, 500).await.unwrap();
    // The server names its own instance in the answer, for the laptop's conflict list.
    assert_eq!(api.server_instance(), Some(instance));
    let households = page
        .batch
        .revisions
        .iter()
        .filter(|r| r.kind == "household")
        .count();
    assert!(households > 0, "{households}");
    let audit = store.recent_audit(50).await.unwrap();
    let export = audit
        .iter()
        .find(|r| r.action == "export.sync")
        .expect("the pull is audited as an export");
    assert_eq!(export.actor, Some(field.id));
    assert_eq!(export.org, Some(org.id));
    assert_eq!(export.detail["revisions"], page.batch.revisions.len());
    assert_eq!(export.detail["kinds"]["household"], households);
    assert_eq!(export.detail["instance"], laptop.to_string());
    assert_eq!(
        export.detail["token"].as_str(),
        Some(&auth::token_hash(&token)[..12])
    );
    let detail = export.detail.to_string();
    assert!(
        !detail.contains("Rana") && !detail.contains(&token),
        "{detail}"
    );
    // An empty page exports nothing and logs nothing.
    let before = store.recent_audit(500).await.unwrap().len();
    let empty = api.pull(page.next_cursor, 500).await.unwrap();
    assert!(empty.batch.revisions.is_empty());
    assert_eq!(store.recent_audit(500).await.unwrap().len(), before);

    // A push is a write, logged with who made it.
    let mut edit = Revision {
        revision_id: uuid::Uuid::now_v7(),
        parents: vec![remote.revision_id],
        instance_id: laptop,
        clock: 9,
        fields: [("size".to_owned(), Some("6".to_owned()))].into(),
        ..remote.clone()
    };
    edit.content_hash = edit.compute_hash();
    let ack = api
        .push(&Batch {
            revisions: vec![edit],
            refs: Default::default(),
        })
        .await
        .unwrap();
    assert_eq!(ack.accepted, 1);
    let audit = store.recent_audit(50).await.unwrap();
    let applied = audit
        .iter()
        .find(|r| r.action == "sync.apply")
        .expect("the push is audited");
    assert_eq!(applied.actor, Some(field.id));

    let mut viewer = Browser::new(base);
    assert_eq!(
        viewer.login("viewer.sync", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(viewer.get("/sync").await.status, StatusCode::FORBIDDEN);
    let _ = stop.send(());
}

#[tokio::test]
async fn sync_page_sqlite() {
    let db = sijill_testkit::sqlite_url();
    story(db.url()).await;
}

#[tokio::test]
async fn sync_page_postgres() {
    let Some(pg) = sijill_testkit::postgres() else {
        return;
    };
    story(pg.url()).await;
}
