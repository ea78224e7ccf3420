//! No personal value and no secret in any log line: a full server story (two seeded
//! organizations, sign-in with right and wrong passwords, forms that register a
//! household, a volunteer and a testimony, API calls with bearer tokens, a refused
//! CSRF token, a search in a page's address, every page of the walk) runs with every event at TRACE level captured,
//! and the captured text is searched for the story's names, phone numbers, testimony
//! text, passwords, tokens and session cookies.

use crate::permissions::{Routed, routed, seed, sign_in};
use crate::support::Browser;
use reqwest::StatusCode;
use sijill_server::ServerConfig;
use std::io::Write;
use std::sync::{Arc, Mutex};

/// A log sink the test can read back.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
    }
}

const HOUSEHOLD_HEAD: &str = "Ghadir Mahmoud Saqr";
const HOUSEHOLD_PHONE: &str = "+963 933 814 552";
const VOLUNTEER: &str = "Fadi Youssef Hammoud";
const TESTIMONY: &str = "They came to our house in Snobar at noon and took my father";
const WRONG_PASSWORD: &str = "not my password 8812";
const SEARCHED: &str = "KhaddourFamilyOfSnobar";

async fn story(url: &str, log: &Captured) -> Vec<String> {
    let (store, files, _dir) = crate::support::keyed_store_with_evidence(url).await;
    let a = seed(&store, &files, "a").await;
    let b = seed(&store, &files, "b").await;
    let app = crate::support::App::serve(store.clone(), ServerConfig::default()).await;
    let base = app.url("");

    let mut secrets: Vec<String> = vec![
        HOUSEHOLD_HEAD.into(),
        HOUSEHOLD_PHONE.into(),
        VOLUNTEER.into(),
        TESTIMONY.into(),
        WRONG_PASSWORD.into(),
        SEARCHED.into(),
        crate::permissions::PASSWORD.into(),
    ];
    for s in [&a, &b] {
        secrets.extend(s.personal.iter().cloned());
        secrets.extend(s.tokens.iter().cloned());
    }

    // A wrong password, then the right one.
    let field = &a
        .users
        .iter()
        .find(|(r, _)| *r == sijill_model::account::Role::Field)
        .unwrap()
        .1;
    let mut wrong = Browser::new(base.clone());
    let refused = wrong.login(field.username.as_str(), WRONG_PASSWORD).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);

    let mut callers = Vec::new();
    for s in [&a, &b] {
        for ((role, user), token) in s.users.iter().zip(&s.tokens) {
            callers.push(sign_in(&base, Some((user, token)), Some(*role), true).await);
        }
    }
    for c in &callers {
        secrets.extend(c.web.cookies.values().cloned());
        secrets.push(c.csrf.clone());
    }

    // Forms carrying personal values, by the field worker and the documenter of A.
    let field_a = &mut callers[3];
    let csrf = field_a.csrf.clone();
    let made = field_a
        .web
        .post(
            "/respond/households",
            &[
                ("csrf", &csrf),
                ("name", HOUSEHOLD_HEAD),
                ("father_name", "Mahmoud"),
                ("birth_year", "1968"),
                ("area", "SY060204"),
                ("size", "4"),
                ("contact", HOUSEHOLD_PHONE),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let made = field_a
        .web
        .post(
            "/respond/volunteers",
            &[
                ("csrf", &csrf),
                ("name", VOLUNTEER),
                ("area", "SY060204"),
                ("days", "2"),
            ],
        )
        .await;
    assert!(
        made.status.is_redirection(),
        "{} {}",
        made.status,
        made.body
    );
    // A form with a stale CSRF token is refused (and logged without its contents).
    let stale = field_a
        .web
        .post(
            "/respond/households",
            &[
                ("csrf", "0000"),
                ("name", HOUSEHOLD_HEAD),
                ("contact", HOUSEHOLD_PHONE),
            ],
        )
        .await;
    assert_eq!(stale.status, StatusCode::FORBIDDEN);
    let doc_a = &mut callers[2];
    let csrf = doc_a.csrf.clone();
    let made = doc_a
        .web
        .post(
            "/document/testimonies",
            &[
                ("csrf", &csrf),
                ("consent", "investigators"),
                ("interviewer", "Interviewer one"),
                ("interviewed_on", "2025-03-09"),
                ("content", TESTIMONY),
            ],
        )
        .await;
    assert!(
        made.status.is_redirection(),
        "{} {}",
        made.status,
        made.body
    );
    let shown = doc_a.web.get("/document/testimonies").await;
    assert!(shown.body.contains(TESTIMONY), "the testimony was stored");

    // A search typed into a page's address (the trace span must not keep the query).
    let searched = doc_a
        .web
        .get(&format!("/document/incidents?q={SEARCHED}"))
        .await;
    assert!(searched.status.is_success(), "{}", searched.status);

    // Every page and API read of the walk, by every account.
    let gets: Vec<Routed> = routed().into_iter().filter(|r| r.method == "GET").collect();
    for r in &gets {
        if r.path.contains('{') {
            continue;
        }
        for c in &mut callers {
            if r.path.starts_with("/api/") {
                let auth = [("authorization", c.bearer.as_str())];
                c.web.get_with(&r.path, &auth).await;
            } else {
                c.web.get(&r.path).await;
            }
        }
    }

    app.stop().await;
    store.close().await;
    assert!(
        log.text().contains("sijill listening"),
        "the log was captured"
    );
    secrets
}

fn no_secret_in(log: &str, secrets: &[String]) {
    assert!(log.lines().count() > 100, "too few log lines captured");
    for s in secrets {
        assert!(!s.is_empty());
        for line in log.lines() {
            assert!(
                !line.contains(s.as_str()),
                "a log line carries a personal value or secret: {line}"
            );
        }
    }
}

/// The whole story, with a process-wide subscriber capturing every event.
#[tokio::test]
async fn no_personal_value_or_secret_in_any_log_line() {
    let log = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(log.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .finish();
    // The process-wide subscriber: it sees every thread and every test of this binary
    // (only this story's values are searched for).
    tracing::subscriber::set_global_default(subscriber)
        .expect("no other test sets a global subscriber");
    let db = sijill_testkit::sqlite_url();
    let secrets = story(db.url(), &log).await;
    no_secret_in(&log.text(), &secrets);
}
