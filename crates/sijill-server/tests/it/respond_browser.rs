//! Distribution entry on a phone-sized window (390 × 844) in headless Chromium, in
//! Arabic: the form fits the width, its defaults are filled in, Arabic-Indic digits are
//! accepted, and the saved entry shows in the list. Skipped like the other browser test
//! when Chromium is missing (failing under `CI=true`); `SIJILL_SCREENSHOTS=DIR` saves
//! screenshots.

use crate::browser::{Session, WebDriver, find_program, start_driver};
use crate::respond_http::{PASSWORD, start, user};
use serde_json::json;
use sijill_model::account::Role;
use sijill_server::i18n::AR;

#[tokio::test]
async fn distribution_entry_on_a_phone_in_arabic() {
    let chromium = find_program("SIJILL_CHROMIUM", "/usr/bin/chromium");
    let chromedriver = find_program("SIJILL_CHROMEDRIVER", "/usr/bin/chromedriver");
    let (Some(chromium), Some(chromedriver)) = (chromium, chromedriver) else {
        if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") {
            panic!("CI=true but Chromium or chromedriver is missing");
        }
        eprintln!("note: Chromium or chromedriver not installed; skipping the phone test");
        return;
    };
    let db = sijill_testkit::sqlite_url();
    let (base, store, stop) = start(db.url()).await;
    user(&store, "Jableh Youth", "sami", Role::Field).await;

    let (_driver, port) = start_driver(&chromedriver);
    let profile = tempfile::tempdir().unwrap();
    let wd = WebDriver {
        http: reqwest::Client::new(),
        base: format!("http://127.0.0.1:{port}"),
    };
    let s = Session::new(wd, &chromium, profile.path()).await;
    s.post("/window/rect", json!({"width": 390, "height": 844}))
        .await;

    s.goto(&format!("{base}/login?lang=ar")).await;
    s.type_into("#username", "sami").await;
    s.type_into("#password", PASSWORD).await;
    s.click("form[action='/login'] button[type=submit]").await;
    s.find(".facts").await;
    s.goto(&format!("{base}/respond/distributions?lang=ar"))
        .await;
    s.find("#entry").await;
    assert_eq!(s.attr("html", "dir").await, "rtl");
    assert_eq!(s.text("h1").await, AR.rs_distributions);
    // Today is filled in, the item select has the focus.
    assert_eq!(s.attr("#d-date", "value").await.len(), 10);
    let focused = s
        .post(
            "/execute/sync",
            json!({"script": "return document.activeElement.id", "args": []}),
        )
        .await;
    assert_eq!(focused, "d-item");
    // Nothing overflows the phone's width.
    let widths = s
        .post(
            "/execute/sync",
            json!({"script": "return [document.documentElement.scrollWidth, window.innerWidth]", "args": []}),
        )
        .await;
    assert!(
        widths[0].as_f64().unwrap() <= widths[1].as_f64().unwrap() + 1.0,
        "page wider than the window: {widths}"
    );
    s.screenshot("respond-entry-phone-ar").await;
    s.type_into("#d-area", "جبلة").await;
    s.type_into("#d-qty", "١٢٠").await;
    s.type_into("#d-hh", "120").await;
    s.click("#d-save").await;
    s.find("p.notice").await;
    assert_eq!(s.text("p.notice").await, AR.rs_saved);
    assert!(s.text("table tbody").await.contains("١٢٠"));
    // The area typed last is the next default.
    assert_eq!(s.attr("#d-area", "value").await, "SY0602");
    s.screenshot("respond-entry-saved-phone-ar").await;

    s.close().await;
    let _ = stop.send(());
}
