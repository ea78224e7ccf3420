//! In headless Chromium: a documenter records an incident through the form (the area
//! typed by its Arabic name), uploads two pieces of evidence to it and sees the hash and
//! custody log, records a rescue mission and makes a recovered body a victim record,
//! then exports the incident as a package that verifies. Skipped like the other
//! browser test without Chromium.

use crate::browser::{Session, WebDriver, find_program, start_driver};
use sijill_model::account::{NewOrganization, NewUser, Organization, PasswordHash, Username};
use sijill_model::account::{OrgKind, Role};
use sijill_server::ServerConfig;
use sijill_server::i18n::AR;
use sijill_server::{AppState, auth};
use sijill_store::document_evidence::{EvidenceFiles, sha256_hex};
use sijill_store::{Keyring, Store};
use tokio::sync::oneshot;

/// The server with a keyring attached (victim records and testimonies are sealed), as
/// `sijill serve` runs it.
struct Running {
    base: String,
    store: Store,
    stop: oneshot::Sender<()>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Running {
    async fn start(url: &str) -> Running {
        let store = Store::open(url)
            .await
            .unwrap()
            .with_keyring(Keyring::generate())
            .await
            .unwrap();
        let state = AppState::new(store.clone(), ServerConfig::default());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(sijill_server::serve_with_shutdown(listener, state, async {
            let _ = rx.await;
        }));
        Running {
            base,
            store,
            stop,
            task,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn org(&self, name: &str, kind: OrgKind) -> Organization {
        self.store
            .create_org(&NewOrganization {
                name: name.into(),
                name_ar: None,
                kind,
                network_member: true,
            })
            .await
            .unwrap()
    }

    async fn user(&self, org: &Organization, username: &str, role: Role, password: &str, _: bool) {
        self.store
            .create_user(&NewUser {
                username: Username::parse(username).unwrap(),
                display_name: username.into(),
                org_id: org.id,
                role,
                password_hash: PasswordHash::new(auth::hash_password(password).unwrap()),
                must_change_password: false,
            })
            .await
            .unwrap();
    }

    async fn stop(self) {
        let _ = self.stop.send(());
        self.task.await.unwrap().unwrap();
        self.store.close().await;
    }
}

#[tokio::test]
async fn record_an_incident_and_upload_evidence_in_chromium() {
    let chromium = find_program("SIJILL_CHROMIUM", "/usr/bin/chromium");
    let chromedriver = find_program("SIJILL_CHROMEDRIVER", "/usr/bin/chromedriver");
    let (Some(chromium), Some(chromedriver)) = (chromium, chromedriver) else {
        if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") {
            panic!("CI=true but Chromium or chromedriver is missing");
        }
        eprintln!("note: Chromium or chromedriver not installed; skipping the browser test");
        return;
    };
    let db = sijill_testkit::sqlite_url();
    let app = Running::start(db.url()).await;
    let files_dir = tempfile::tempdir().unwrap();
    app.store
        .set_evidence_files(&EvidenceFiles::new(files_dir.path()))
        .await
        .unwrap();
    let org = app.org("Coast Rights Observatory", OrgKind::Monitor).await;
    app.user(
        &org,
        "yara",
        Role::Documenter,
        "browser test password",
        false,
    )
    .await;
    let upload = tempfile::tempdir().unwrap();
    let file = upload.path().join("witness-note.txt");
    let content = "ملاحظة شاهد: دخل المسلحون القرية صباحاً\n";
    std::fs::write(&file, content).unwrap();

    let (_driver, port) = start_driver(&chromedriver);
    let profile = tempfile::tempdir().unwrap();
    let wd = WebDriver {
        http: reqwest::Client::new(),
        base: format!("http://127.0.0.1:{port}"),
    };
    let s = Session::new(wd, &chromium, profile.path()).await;
    s.goto(&app.url("/login")).await;
    s.type_into("#username", "yara").await;
    s.type_into("#password", "browser test password").await;
    s.click("form[action='/login'] button[type=submit]").await;
    s.find(".facts").await;

    // In Arabic, the incident form.
    s.goto(&app.url("/lang/ar?next=/document/incidents/new"))
        .await;
    assert_eq!(s.text("h1").await, AR.doc_new_incident);
    s.type_into("#occurred_on", "03/07/2025").await;
    s.type_into("#area", "جبلة").await;
    s.type_into("#place", "عين شقاق").await;
    s.type_into("#source", "مرصد الساحل").await;
    s.type_into("#perpetrator", "مسلحون مجهولون").await;
    s.type_into("#claim", "مقتل 12 مدنياً").await;
    s.click("form[action='/document/incidents'] button[type=submit]")
        .await;
    s.find("#evidence-form").await;
    assert!(
        s.url().await.contains("/document/incidents/"),
        "{}",
        s.url().await
    );
    assert!(s.text("table").await.contains("مسلحون مجهولون"));
    let incidents = app.store.list_incidents(&Default::default()).await.unwrap();
    assert_eq!(incidents.len(), 1);
    assert_eq!(incidents[0].area, "SY0602");
    assert_eq!(incidents[0].occurred_on.to_text(), "2025-03-07");

    // The evidence upload: the file input takes the path.
    s.type_into("#file", file.to_str().unwrap()).await;
    s.type_into("#origin_url", "https://example.org/post/7")
        .await;
    s.type_into("#captured_at", "03/08/2025\t09:30AM").await;
    s.type_into("#capture_tool", "هاتف").await;
    s.type_into("#captured_by", "يارا").await;
    s.click("#evidence-form button[type=submit]").await;
    s.find(".notice").await;
    assert_eq!(s.text(".notice").await, AR.doc_evidence_added);
    let sha = sha256_hex(content.as_bytes());
    assert!(s.text("code.hash").await.contains(&sha));
    let ev = app.store.list_evidence(None).await.unwrap();
    assert_eq!(ev.len(), 1);
    assert_eq!(ev[0].media_type, "text/plain");
    assert_eq!(
        std::fs::read(EvidenceFiles::new(files_dir.path()).path_of(&sha)).unwrap(),
        content.as_bytes()
    );
    s.click("td a[href^='/document/evidence/']").await;
    s.find("code.hash").await;
    assert!(s.text("tbody").await.contains(AR.doc_cust_captured));
    s.screenshot("document-evidence-ar").await;

    // A second piece of evidence on the same incident.
    s.goto(&app.url(&format!("/document/incidents/{}", incidents[0].id)))
        .await;
    let file2 = upload.path().join("clip.png");
    std::fs::write(&file2, b"\x89PNG\r\n\x1a\nsecond piece").unwrap();
    s.type_into("#file", file2.to_str().unwrap()).await;
    s.type_into("#captured_at", "03/08/2025\t10:05AM").await;
    s.type_into("#capture_tool", "yt-dlp").await;
    s.type_into("#captured_by", "يارا").await;
    s.click("#evidence-form button[type=submit]").await;
    s.find(".notice").await;
    let ev = app
        .store
        .list_evidence(Some(incidents[0].id))
        .await
        .unwrap();
    assert_eq!(ev.len(), 2);
    assert!(ev.iter().any(|e| e.media_type == "image/png"));

    // A rescue mission through its form, with Arabic-Indic digits.
    s.goto(&app.url("/document/rescue")).await;
    assert_eq!(s.text("#mission-form button").await, AR.doc_save_mission);
    s.type_into("#m-team", "فريق جبلة ٣").await;
    s.type_into("#m-started", "03/08/2025\t07:15AM").await;
    s.type_into("#m-area", "جبلة").await;
    s.type_into("#m-place", "طريق البساتين").await;
    s.type_into("#m-bodies", "٢").await;
    s.type_into("#m-remarks", "آثار تقييد").await;
    s.type_into("#m-handed", "مشفى جبلة").await;
    s.click("#mission-form button[type=submit]").await;
    s.find("#body-form").await;
    assert_eq!(s.text(".notice").await, AR.doc_mission_saved);
    let missions = app.store.list_rescue_missions().await.unwrap();
    assert_eq!(missions.len(), 1);
    let m = &missions[0];
    assert_eq!((m.area.as_str(), m.bodies_recovered), ("SY0602", 2));
    assert_eq!((m.started_at.hour(), m.started_at.minute()), (7, 15));
    // The first recovered body becomes a victim record.
    s.type_into("#b-age", "٤٠").await;
    s.click("#body-form button[type=submit]").await;
    s.find("#bodies").await;
    assert_eq!(s.text(".notice").await, AR.doc_body_saved);
    assert_eq!(app.store.mission_bodies(m.id).await.unwrap().len(), 1);
    s.screenshot("document-mission-ar").await;

    // The export form: the incident ticked, then the same POST the button sends, made
    // with the browser's own session, gives a package that verifies.
    s.goto(&app.url("/document/incidents")).await;
    s.click("#export-form input[name=incident]").await;
    let tick = s.find("#export-form input[name=incident]").await;
    assert_eq!(
        s.get(&format!("/element/{tick}/selected")).await,
        serde_json::Value::Bool(true)
    );
    let csrf = s.attr("#export-form input[name=csrf]", "value").await;
    let cookie = s
        .get("/cookie")
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            format!(
                "{}={}",
                c["name"].as_str().unwrap(),
                c["value"].as_str().unwrap()
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let res = reqwest::Client::new()
        .post(app.url("/document/export"))
        .header("cookie", cookie)
        .form(&[
            ("csrf", csrf.as_str()),
            ("incident", &incidents[0].id.to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), reqwest::StatusCode::OK);
    let zip = res.bytes().await.unwrap().to_vec();
    let problems = sijill_server::document::package::verify(std::io::Cursor::new(zip)).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    s.close().await;
    app.stop().await;
}
