//! In headless Chromium: a documenter records an incident through the form (the area
//! typed by its Arabic name), then uploads a piece of evidence to it and sees its hash
//! and custody log. Skipped like the other browser test without Chromium.

use crate::browser::{Session, WebDriver, find_program, start_driver};
use crate::support::App;
use sijill_model::account::{OrgKind, Role};
use sijill_server::ServerConfig;
use sijill_server::i18n::AR;
use sijill_store::document_evidence::{EvidenceFiles, sha256_hex};

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
    let app = App::start(db.url(), ServerConfig::default()).await;
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
    s.close().await;
    app.stop().await;
}
