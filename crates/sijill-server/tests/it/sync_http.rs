//! The sync page over HTTP: a conflict made by a revision from another instance is
//! listed with both values (in English and in Arabic) and the person who made each, a
//! field user keeps one and the record takes it, a viewer is refused the page. The page
//! shows this instance's id and the last sync's time and outcome (finished with its
//! counts, or why it failed), in both languages. The sync API logs a pull page as an
//! export (`export.sync`: who, which token and instance, how many revisions of which
//! kinds, no value) and a push as a write (`sync.apply`).
//!
//! The "Sync now" button runs in the background: a laptop (SQLite, served in the test)
//! syncs a household and an evidence file with a server started in the test (SQLite, or
//! PostgreSQL when one is available). The server holds the evidence upload at a gate
//! until the test has seen the progress page report the run going, with the records
//! sent so far, refreshing itself, and a second click lead to the same run; once the
//! gate opens, the page reports the outcome, kept as the last sync, and the record and
//! the file are on the server, and a household entered on the server's own pages is on
//! the laptop. Records held back on arrival are listed on `/sync`.

use crate::respond_http::{PASSWORD, start, user};
use crate::support::{Browser, field_value};
use reqwest::StatusCode;
use sijill_model::account::Role;
use sijill_model::account::Username;
use sijill_model::geo::PCode;
use sijill_server::auth;
use sijill_store::{Batch, ExportFilter, Identity, NewHousehold, Revision};
use sijill_sync::{ClientOptions, HttpTransport, LastSync, Transport};
use std::sync::Arc;
use std::time::{Duration, Instant};

async fn story(url: &str) {
    let (base, store, stop) = start(url).await;
    user(&store, "Jableh Youth", "field.sync", Role::Field).await;
    user(&store, "Jableh Youth", "viewer.sync", Role::Viewer).await;
    let org = store.org_by_name("Jableh Youth").await.unwrap().unwrap();
    let editor = store
        .user_by_username(&Username::parse("field.sync").unwrap())
        .await
        .unwrap()
        .unwrap();
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
        .sync_edit(Some(editor.id), org.id, "household", h, &five)
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
        author: Some("Samir Haddad".into()),
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
    // Each value names the person who made it, where the making instance knew.
    assert!(
        page.body
            .contains("<td class=\"sync-by\"><bdi dir=\"auto\">Samir Haddad</bdi></td>"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("<td class=\"sync-by\"><bdi dir=\"auto\">field.sync</bdi></td>")
    );
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
    assert!(after.body.contains("No record is held back."));

    // A cash transfer made on another instance to a household that is not here is held
    // back on arrival, and listed with its kind, its id and why, in both languages.
    let gone = uuid::Uuid::now_v7();
    let mut cash = Revision {
        revision_id: uuid::Uuid::now_v7(),
        kind: "cash-transfer".into(),
        record_id: uuid::Uuid::now_v7(),
        org: "Jableh Youth".into(),
        parents: Vec::new(),
        instance_id: remote.instance_id,
        clock: 3,
        fields: [
            ("_deleted", "0"),
            ("household_id", gone.to_string().as_str()),
            ("amount_minor", "5000"),
            ("currency", "SYP"),
            ("paid_on", "2025-03-14"),
            ("modality", "voucher"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), Some(v.to_owned())))
        .collect(),
        tombstone: false,
        content_hash: String::new(),
        author: None,
    };
    cash.content_hash = cash.compute_hash();
    let outcome = store
        .sync_apply(
            None,
            &Batch {
                revisions: vec![cash.clone()],
                refs: Default::default(),
            },
            None,
            None,
        )
        .await
        .unwrap();
    assert_eq!(outcome.accepted, 1);
    let held = web.get("/sync").await;
    assert!(held.body.contains("Held back"), "{}", held.body);
    assert!(!held.body.contains("No record is held back."));
    assert!(held.body.contains(&cash.record_id.to_string()));
    assert!(held.body.contains("Cash transfer"));
    assert!(
        held.body.contains(
            "it belongs to a record that is not on this instance (deleted here): Household"
        ),
        "{}",
        held.body
    );
    assert!(held.body.contains(&gone.to_string()));
    let arabic = web.get("/sync?lang=ar").await;
    assert!(arabic.body.contains("سجلات محتجزة"));
    assert!(arabic.body.contains("تحويل نقدي"));
    assert!(arabic.body.contains("يتبع سجلًا غير موجود في هذه النسخة"));

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
    // Who made an edit travels with it.
    assert!(
        page.batch
            .revisions
            .iter()
            .any(|r| r.author.as_deref() == Some("field.sync"))
    );
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

fn household(name: &str) -> NewHousehold {
    NewHousehold {
        identity: Identity {
            name: name.into(),
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
    }
}

/// A gate in front of the server's evidence uploads: an upload waits until the test
/// opens it, and says when it has arrived.
#[derive(Clone)]
struct Gate {
    open: Arc<tokio::sync::Semaphore>,
    arrived: Arc<tokio::sync::Notify>,
}

impl Gate {
    /// A shut gate.
    fn shut() -> Gate {
        Gate {
            open: Arc::new(tokio::sync::Semaphore::new(0)),
            arrived: Arc::new(tokio::sync::Notify::new()),
        }
    }
}

/// Serves `store` with `gate` in front of evidence uploads; the server's base URL.
async fn gated_server(store: sijill_store::Store, gate: Gate) -> String {
    use axum::extract::Request;
    use axum::middleware::Next;
    let state = sijill_server::AppState::new(store, sijill_server::ServerConfig::default());
    let app = sijill_server::router(state).layer(axum::middleware::from_fn(
        move |req: Request, next: Next| {
            let gate = gate.clone();
            async move {
                if req.method() == axum::http::Method::POST
                    && req.uri().path().starts_with("/api/v1/sync/evidence/")
                {
                    gate.arrived.notify_one();
                    let _pass = gate.open.acquire().await.expect("the gate is never closed");
                }
                next.run(req).await
            }
        },
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
    });
    base
}

/// Reads the run's page until it no longer runs, within a minute.
async fn until_ended(web: &mut Browser, path: &str) -> crate::support::Page {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let page = web.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        if !page.body.contains("http-equiv=\"refresh\"") {
            return page;
        }
        assert!(
            Instant::now() < deadline,
            "the run did not end: {}",
            page.body
        );
        tokio::task::yield_now().await;
    }
}

async fn sync_now_story(server_url: &str) {
    use sijill_store::document_evidence::{EvidenceFiles, FileCheck, NewEvidence};
    use sijill_store::document_types::{Actor, Violation};
    let dir = tempfile::tempdir().unwrap();
    // The server, with an account for the laptop's token.
    let server = sijill_store::Store::open(server_url)
        .await
        .unwrap()
        .with_keyring(sijill_store::Keyring::generate())
        .await
        .unwrap();
    let server_files = EvidenceFiles::new(dir.path().join("server.evidence"));
    server.set_evidence_files(&server_files).await.unwrap();
    user(
        &server,
        "Jableh Youth",
        "coordinator.server",
        Role::Coordinator,
    )
    .await;
    let account = server
        .user_by_username(&Username::parse("coordinator.server").unwrap())
        .await
        .unwrap()
        .unwrap();
    let token = auth::new_api_token();
    server
        .create_api_token(account.id, "laptop 3", &auth::token_hash(&token))
        .await
        .unwrap();
    // A household registered on the server's own pages (no sync has captured it yet).
    let server_org = server.org_by_name("Jableh Youth").await.unwrap().unwrap();
    let on_server = server
        .register_household(None, server_org.id, &household("Hala Ibrahim"))
        .await
        .unwrap();
    let gate = Gate::shut();
    let server_base = gated_server(server.clone(), gate.clone()).await;

    // The laptop, with a household and an evidence file entered offline and the server
    // remembered, as `sijill sync --remember` leaves it.
    let laptop_db = sijill_testkit::sqlite_url();
    let (base, laptop, stop) = start(laptop_db.url()).await;
    let laptop_files = EvidenceFiles::new(dir.path().join("laptop.evidence"));
    laptop.set_evidence_files(&laptop_files).await.unwrap();
    user(
        &laptop,
        "Jableh Youth",
        "coordinator.laptop",
        Role::Coordinator,
    )
    .await;
    let org = laptop.org_by_name("Jableh Youth").await.unwrap().unwrap();
    let h = laptop
        .register_household(None, org.id, &household("Rana Saleh"))
        .await
        .unwrap();
    let file = laptop
        .add_evidence(
            &laptop_files,
            &NewEvidence {
                incident_id: None,
                original_name: "jableh.txt".into(),
                media_type: "text/plain".into(),
                origin_url: None,
                captured_at: time::OffsetDateTime::now_utc(),
                capture_tool: "phone".into(),
                captured_by: "Documenter A".into(),
                violation: Violation::UnlawfulKilling,
                description: "a test file".into(),
            },
            b"photographed in Jableh".to_vec(),
            Actor {
                user: None,
                org: org.id,
            },
        )
        .await
        .unwrap();
    laptop
        .set_setting(sijill_server::sync::SERVER_SETTING, &server_base)
        .await
        .unwrap();
    let sealed = laptop
        .seal(sijill_server::sync::TOKEN_CONTEXT, &token)
        .unwrap();
    laptop
        .set_setting(sijill_server::sync::TOKEN_SETTING, &sealed)
        .await
        .unwrap();

    let mut web = Browser::new(base.clone());
    assert_eq!(
        web.login("coordinator.laptop", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    let home = web.get("/sync").await;
    let csrf = field_value(&home.body, "csrf").unwrap();
    // The button answers at once (the run cannot end while the gate is shut, so an
    // answer that waited for it would never come).
    let res = tokio::time::timeout(
        Duration::from_secs(30),
        web.post("/sync/now", &[("csrf", csrf.as_str())]),
    )
    .await
    .expect("the button answers before the run ends");
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let to = res.location().to_owned();
    assert!(to.starts_with("/sync/jobs/"), "{to}");
    let job = to.split('?').next().unwrap().to_owned();
    tokio::time::timeout(Duration::from_secs(60), gate.arrived.notified())
        .await
        .expect("the run reaches the evidence upload");

    // While it runs: a page that refreshes itself (no script, the CSP unchanged), the
    // step it is at and the records sent so far, in both languages.
    let running = web.get(&job).await;
    assert_eq!(running.status, StatusCode::OK, "{}", running.body);
    assert!(
        running
            .body
            .contains("<meta http-equiv=\"refresh\" content=\"2\">"),
        "{}",
        running.body
    );
    assert!(!running.body.contains("<script"));
    let csp = running.header("content-security-policy");
    assert!(
        csp.contains("default-src 'none'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert!(
        running.body.contains("class=\"sync-status\">running<"),
        "{}",
        running.body
    );
    assert!(
        running.body.contains("moving evidence files"),
        "{}",
        running.body
    );
    let sent: u64 = running.by_id("sync-pushed").unwrap().parse().unwrap();
    assert!(sent >= 2, "the household and the evidence record: {sent}");
    assert!(running.body.contains("coordinator.laptop"));
    let arabic = web.get(&format!("{job}?lang=ar")).await;
    assert!(arabic.body.contains("نقل ملفات الأدلة"), "{}", arabic.body);
    assert!(arabic.body.contains("dir=\"rtl\""));
    // The sync page leads to the running one, and so does a second click.
    let home = web.get("/sync").await;
    assert!(
        home.body.contains(&format!("href=\"{job}\"")),
        "{}",
        home.body
    );
    let again = web.post("/sync/now", &[("csrf", csrf.as_str())]).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert!(
        again.location().starts_with(&format!("{job}?already=1")),
        "{}",
        again.location()
    );
    let page = web.get(again.location()).await;
    assert!(
        page.body.contains("A sync was already running"),
        "{}",
        page.body
    );
    // Nothing is saved as the last sync before the run ends.
    assert!(LastSync::load(&laptop).await.unwrap().is_none());

    gate.open.add_permits(1_000);
    let page = until_ended(&mut web, &job).await;
    assert!(
        page.body.contains("class=\"sync-outcome\">finished<"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("class=\"sync-status\">ended<"),
        "{}",
        page.body
    );
    assert_eq!(page.by_id("sync-files-sent").as_deref(), Some("1"));
    assert_eq!(page.by_id("sync-held").as_deref(), Some("0"));
    let last = LastSync::load(&laptop)
        .await
        .unwrap()
        .expect("the outcome is kept");
    assert_eq!(last.error, None);
    assert_eq!(last.files, (1, 0));
    assert_eq!(last.server, server_base);
    assert_eq!(page.by_id("sync-pushed"), Some(last.pushed.to_string()));
    assert!(last.pushed >= 2, "{last:?}");
    let arabic = web.get(&format!("{job}?lang=ar")).await;
    assert!(arabic.body.contains("اكتملت"), "{}", arabic.body);
    // The record and the file are on the server.
    let snap = server.sync_snapshot().await.unwrap();
    let name = snap[&("household".to_owned(), h)]["name_sealed"]
        .clone()
        .unwrap();
    assert!(name.contains("Rana Saleh"));
    assert!(snap.contains_key(&("evidence".to_owned(), file.id)));
    assert_eq!(server_files.check_blocking(&file.sha256), FileCheck::Intact);
    // And what was entered on the server is on the laptop.
    let here = laptop.sync_snapshot().await.unwrap();
    let name = here[&("household".to_owned(), on_server)]["name_sealed"]
        .clone()
        .unwrap();
    assert!(name.contains("Hala Ibrahim"), "{name}");
    assert!(last.pulled >= 1, "{last:?}");
    // The sync page has the outcome too, and no run going.
    let home = web.get("/sync").await;
    assert!(home.body.contains(&server_base), "{}", home.body);
    assert!(!home.body.contains(&format!("href=\"{job}\"")));
    let _ = stop.send(());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_now_runs_in_the_background_sqlite() {
    let db = sijill_testkit::sqlite_url();
    sync_now_story(db.url()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_now_runs_in_the_background_postgres() {
    let Some(pg) = sijill_testkit::postgres() else {
        return;
    };
    sync_now_story(pg.url()).await;
}
