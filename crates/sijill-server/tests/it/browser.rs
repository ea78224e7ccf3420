//! The browser test: headless Chromium, driven over WebDriver (plain JSON over HTTP to
//! chromedriver), signs in, switches to Arabic and checks that the page is translated
//! and laid out right to left.
//!
//! Needs Debian's `chromium` and `chromium-driver` (or `SIJILL_CHROMIUM` and
//! `SIJILL_CHROMEDRIVER`). Without them the test is skipped with a note; with `CI=true`
//! it fails. With `SIJILL_SCREENSHOTS=DIR` it also saves screenshots of the login page
//! and the dashboard in both languages.

use crate::support::App;
use base64::Engine;
use serde_json::{Value, json};
use sijill_model::account::{OrgKind, Role};
use sijill_server::ServerConfig;
use sijill_server::i18n::{AR, EN};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

pub(crate) fn find_program(env: &str, default: &str) -> Option<PathBuf> {
    let path = std::env::var_os(env)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(default));
    path.is_file().then_some(path)
}

/// Kills chromedriver (and so its browser) when the test ends, however it ends.
pub(crate) struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts chromedriver on a free port; returns once it says it is listening.
pub(crate) fn start_driver(program: &PathBuf) -> (Driver, u16) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(program)
        .arg(format!("--port={port}"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let stdout = child.stdout.take().unwrap();
    let driver = Driver(child);
    let mut lines = BufReader::new(stdout).lines();
    loop {
        match lines.next() {
            Some(Ok(line)) if line.contains("started successfully") => break,
            Some(Ok(_)) => continue,
            _ => panic!("chromedriver exited before it was ready"),
        }
    }
    // Keep draining its output so it never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (driver, port)
}

pub(crate) struct WebDriver {
    pub(crate) http: reqwest::Client,
    pub(crate) base: String,
}

impl WebDriver {
    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{path}", self.base);
        let mut req = self.http.request(method.clone(), &url);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.expect("webdriver request");
        let status = res.status();
        let v: Value = res.json().await.expect("webdriver JSON");
        assert!(status.is_success(), "{method} {path}: {v}");
        v["value"].clone()
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        self.call(reqwest::Method::POST, path, Some(body)).await
    }

    async fn get(&self, path: &str) -> Value {
        self.call(reqwest::Method::GET, path, None).await
    }
}

pub(crate) struct Session {
    wd: WebDriver,
    id: String,
}

impl Session {
    pub(crate) async fn new(
        wd: WebDriver,
        chromium: &std::path::Path,
        profile: &std::path::Path,
    ) -> Session {
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium.to_string_lossy(),
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--window-size=1280,900", "--lang=en-US",
                    format!("--user-data-dir={}", profile.display()),
                ]
            }
        }}});
        let v = wd.post("/session", caps).await;
        let id = v["sessionId"].as_str().expect("session id").to_owned();
        let s = Session { wd, id };
        s.post("/timeouts", json!({"implicit": 5000, "pageLoad": 20000}))
            .await;
        s
    }

    pub(crate) async fn post(&self, path: &str, body: Value) -> Value {
        self.wd
            .post(&format!("/session/{}{path}", self.id), body)
            .await
    }

    pub(crate) async fn get(&self, path: &str) -> Value {
        self.wd.get(&format!("/session/{}{path}", self.id)).await
    }

    pub(crate) async fn goto(&self, url: &str) {
        self.post("/url", json!({"url": url})).await;
    }

    pub(crate) async fn url(&self) -> String {
        self.get("/url").await.as_str().unwrap_or("").to_owned()
    }

    pub(crate) async fn find(&self, css: &str) -> String {
        let v = self
            .post("/element", json!({"using": "css selector", "value": css}))
            .await;
        v[ELEMENT_KEY]
            .as_str()
            .unwrap_or_else(|| panic!("no element {css}: {v}"))
            .to_owned()
    }

    pub(crate) async fn type_into(&self, css: &str, text: &str) {
        let e = self.find(css).await;
        self.post(&format!("/element/{e}/value"), json!({"text": text}))
            .await;
    }

    pub(crate) async fn click(&self, css: &str) {
        let e = self.find(css).await;
        self.post(&format!("/element/{e}/click"), json!({})).await;
    }

    pub(crate) async fn attr(&self, css: &str, name: &str) -> String {
        let e = self.find(css).await;
        self.get(&format!("/element/{e}/attribute/{name}"))
            .await
            .as_str()
            .unwrap_or("")
            .to_owned()
    }

    pub(crate) async fn css(&self, css: &str, prop: &str) -> String {
        let e = self.find(css).await;
        self.get(&format!("/element/{e}/css/{prop}"))
            .await
            .as_str()
            .unwrap_or("")
            .to_owned()
    }

    pub(crate) async fn text(&self, css: &str) -> String {
        let e = self.find(css).await;
        self.get(&format!("/element/{e}/text"))
            .await
            .as_str()
            .unwrap_or("")
            .to_owned()
    }

    pub(crate) async fn x(&self, css: &str) -> f64 {
        let e = self.find(css).await;
        self.get(&format!("/element/{e}/rect")).await["x"]
            .as_f64()
            .unwrap()
    }

    pub(crate) async fn screenshot(&self, name: &str) {
        let Some(dir) = std::env::var_os("SIJILL_SCREENSHOTS") else {
            return;
        };
        let png = self.get("/screenshot").await;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(png.as_str().unwrap())
            .unwrap();
        let dir = PathBuf::from(dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), bytes).unwrap();
    }

    pub(crate) async fn close(&self) {
        self.wd
            .call(
                reqwest::Method::DELETE,
                &format!("/session/{}", self.id),
                None,
            )
            .await;
    }
}

#[tokio::test]
async fn sign_in_and_switch_to_arabic_in_chromium() {
    let chromium = find_program("SIJILL_CHROMIUM", "/usr/bin/chromium");
    let chromedriver = find_program("SIJILL_CHROMEDRIVER", "/usr/bin/chromedriver");
    let (Some(chromium), Some(chromedriver)) = (chromium, chromedriver) else {
        if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") {
            panic!(
                "CI=true but Chromium or chromedriver is missing; install `chromium` and `chromium-driver`"
            );
        }
        eprintln!(
            "note: Chromium or chromedriver not installed; skipping the browser test (install `chromium chromium-driver`)"
        );
        return;
    };

    let db = sijill_testkit::sqlite_url();
    let app = App::start(db.url(), ServerConfig::default()).await;
    let org = app
        .org("Coastal Civil Defence", OrgKind::CivilDefence)
        .await;
    app.user(&org, "amal", Role::Admin, "browser test password", false)
        .await;

    let (_driver, port) = start_driver(&chromedriver);
    let profile = tempfile::tempdir().unwrap();
    let wd = WebDriver {
        http: reqwest::Client::new(),
        base: format!("http://127.0.0.1:{port}"),
    };
    let s = Session::new(wd, &chromium, profile.path()).await;

    // English first (the browser asks for en-US).
    s.goto(&app.url("/login")).await;
    assert_eq!(s.attr("html", "lang").await, "en");
    assert_eq!(s.text("h1").await, EN.login_title);
    s.screenshot("login-en").await;
    s.type_into("#username", "amal").await;
    s.type_into("#password", "browser test password").await;
    s.click("form[action='/login'] button[type=submit]").await;
    s.find(".facts").await; // waits (implicitly) for the dashboard
    assert!(s.url().await.ends_with("/dashboard"), "{}", s.url().await);
    assert_eq!(s.css("body", "direction").await, "ltr");
    let first = ".mainnav li:first-child a";
    let last = ".mainnav li:last-child a";
    assert!(
        s.x(first).await < s.x(last).await,
        "English navigation runs left to right"
    );
    assert!(s.x(".brand").await < s.x(".tools").await);
    s.screenshot("dashboard-en").await;

    // Switch to Arabic with the link in the header.
    s.click("a.langswitch").await;
    s.find("html[lang=ar]").await;
    assert!(s.url().await.ends_with("/dashboard"), "{}", s.url().await);
    assert_eq!(s.attr("html", "lang").await, "ar");
    assert_eq!(s.attr("html", "dir").await, "rtl");
    assert_eq!(s.css("body", "direction").await, "rtl");
    assert_eq!(
        s.text(".mainnav a[aria-current=page]").await,
        AR.nav_dashboard
    );
    assert_eq!(s.text(last).await, AR.nav_admin);
    assert!(s.text("h1").await.starts_with(AR.welcome));
    assert_eq!(s.text(".facts dd").await, AR.role_admin);
    // Mirrored: the brand and the first link are on the right.
    assert!(
        s.x(first).await > s.x(last).await,
        "Arabic navigation runs right to left"
    );
    assert!(s.x(".brand").await > s.x(".tools").await);
    assert_eq!(s.text("a.langswitch").await, AR.other_lang_name);
    s.screenshot("dashboard-ar").await;
    s.click(".mainnav li:last-child a").await;
    s.find("table").await;
    assert_eq!(s.css("th", "text-align").await, "start");
    assert!(
        s.x("th:first-child").await > s.x("th:last-child").await,
        "table columns mirrored"
    );
    s.screenshot("admin-users-ar").await;
    s.click("tbody a").await;
    s.find("form[action$='/tokens']").await;
    s.type_into("#token-name", "مزامنة").await;
    s.click("form[action$='/tokens'] button").await;
    s.find("#new-token").await;
    assert!(s.text("#new-token").await.starts_with("sjl_"));
    s.screenshot("admin-user-ar").await;

    // Signing out keeps the language.
    s.click("form[action='/logout'] button").await;
    s.find("form[action='/login']").await;
    assert!(s.url().await.ends_with("/login"));
    assert_eq!(s.attr("html", "dir").await, "rtl");
    assert_eq!(s.text("h1").await, AR.login_title);
    s.screenshot("login-ar").await;

    s.close().await;
    app.stop().await;
}
