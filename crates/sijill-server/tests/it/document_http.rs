//! The documentation pages over HTTP on both backends: a documenter records an incident
//! through the form, uploads evidence (multipart; the type comes from the bytes), sees
//! its custody log; a testimony of one organization is never shown to another until it
//! is shared; rescue and displacement pages draw their charts.

use crate::support::Browser;
use reqwest::StatusCode;
use sijill_model::account::{NewOrganization, NewUser, OrgKind, PasswordHash, Role, Username};
use sijill_server::{AppState, ServerConfig, auth};
use sijill_store::document_evidence::EvidenceFiles;
use sijill_store::document_field::{NewRescueMission, NewSite, NewSiteReport};
use sijill_store::document_testimony::NewTestimony;
use sijill_store::document_types::{Actor, ConsentScope, Day, MissionKind, SiteKind};
use sijill_store::{Keyring, Store};
use tokio::sync::oneshot;

async fn account(store: &Store, org: &str, user: &str, role: Role) -> Actor {
    let o = store
        .create_org(&NewOrganization {
            name: org.into(),
            name_ar: None,
            kind: OrgKind::Monitor,
            network_member: true,
        })
        .await
        .unwrap();
    let u = store
        .create_user(&NewUser {
            username: Username::parse(user).unwrap(),
            display_name: user.into(),
            org_id: o.id,
            role,
            password_hash: PasswordHash::new(auth::hash_password("pass-word-123").unwrap()),
            must_change_password: false,
        })
        .await
        .unwrap();
    Actor {
        user: Some(u.id),
        org: o.id,
    }
}

/// A multipart body with text fields and one file.
fn multipart(fields: &[(&str, &str)], file_name: &str, file: &[u8]) -> (String, Vec<u8>) {
    let boundary = "sijill-test-boundary-7d1f";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn story(url: &str) {
    let store = Store::open(url)
        .await
        .unwrap()
        .with_keyring(Keyring::generate())
        .await
        .unwrap();
    let evidence_dir = tempfile::tempdir().unwrap();
    store
        .set_evidence_files(&EvidenceFiles::new(evidence_dir.path()))
        .await
        .unwrap();
    let a = account(&store, "Org A", "doc-a", Role::Documenter).await;
    let b = account(&store, "Org B", "doc-b", Role::Documenter).await;
    let state = AppState::new(store.clone(), ServerConfig::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = oneshot::channel::<()>();
    let server = tokio::spawn(sijill_server::serve_with_shutdown(listener, state, async {
        let _ = rx.await;
    }));

    let mut web = Browser::new(base.clone());
    assert_eq!(
        web.login("doc-a", "pass-word-123").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(web.get("/document").await.status, StatusCode::OK);

    // An incident through the form; the area is found by its Arabic name.
    let bad = web
        .submit(
            "/document/incidents/new",
            "/document/incidents",
            &[
                ("occurred_on", "2025-03-07"),
                ("precision", "day"),
                ("area", "nowhere at all"),
                ("sub_event_type", "attack"),
                ("source", "Monitor"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let made = web
        .submit(
            "/document/incidents/new",
            "/document/incidents",
            &[
                ("occurred_on", "2025-03-07"),
                ("precision", "day"),
                ("area", "جبلة"),
                ("place", "Ein Shaqaq"),
                ("sub_event_type", "attack"),
                ("summary", "killings in the village"),
                ("source", "Monitor one"),
                ("perpetrator", "armed group"),
                ("source2", "Families"),
                ("perpetrator2", "unidentified gunmen"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let incident_path = made.location().to_owned();
    let detail = web.get(&incident_path).await;
    assert!(detail.body.contains("unidentified gunmen"));
    let list = web.get("/document/incidents?area=SY06").await;
    assert!(list.body.contains(&incident_path));
    let none = web.get("/document/incidents?area=SY10").await;
    assert!(!none.body.contains(&incident_path));

    // Evidence upload: a PNG named .txt is stored as a PNG.
    let csrf = detail.csrf();
    let png = b"\x89PNG\r\n\x1a\nnot really an image";
    let fields = [
        ("csrf", csrf.as_str()),
        ("origin_url", "https://example.org/v/1"),
        ("captured_at", "2025-03-08T09:30"),
        ("capture_tool", "yt-dlp 2025.02"),
        ("captured_by", "Documenter A"),
        ("violation", "unlawful-killing"),
        ("description", "posted by the perpetrators"),
    ];
    let (ctype, body) = multipart(&fields, "clip.txt", png);
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let cookie = web
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ");
    let post = |ctype: String, body: Vec<u8>| {
        client
            .post(format!("{base}{incident_path}/evidence"))
            .header("cookie", cookie.clone())
            .header("content-type", ctype)
            .body(body)
            .send()
    };
    let res = post(ctype.clone(), body.clone()).await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // A file over the server's general body limit is accepted on this route only.
    let mut big = png.to_vec();
    big.resize(ServerConfig::default().body_limit + 1024 * 1024, b'x');
    let (ct_big, body_big) = multipart(&fields, "long-video.mp4", &big);
    assert_eq!(
        post(ct_big, body_big.clone()).await.unwrap().status(),
        StatusCode::SEE_OTHER
    );
    let elsewhere = client
        .post(format!("{base}/document/incidents"))
        .header("cookie", cookie.clone())
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body_big)
        .send()
        .await
        .unwrap();
    assert_eq!(elsewhere.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // Without the CSRF token it is refused.
    let (ct2, body2) = multipart(&fields[1..], "clip.txt", png);
    assert_eq!(
        post(ct2, body2).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    let mut ev = store.list_evidence(None).await.unwrap();
    assert_eq!(ev.len(), 2);
    ev.retain(|e| e.original_name == "clip.txt");
    assert_eq!(ev[0].media_type, "image/png");
    let page = web.get(&format!("/document/evidence/{}", ev[0].id)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&ev[0].sha256));
    let file = web
        .get(&format!("/document/evidence/{}/file", ev[0].id))
        .await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.header("content-type"), "image/png");
    assert!(file.header("content-disposition").starts_with("attachment"));
    let log = store.custody_log(Some(ev[0].id)).await.unwrap();
    assert_eq!(log.last().unwrap().event.as_str(), "viewed");

    // Testimonies are scoped to their organization.
    let t = store
        .create_testimony(
            &NewTestimony {
                incident_id: None,
                consent: ConsentScope::Investigators,
                interviewer: "Interviewer A".into(),
                interviewed_on: Day::parse("2025-03-10").unwrap(),
                content: "secret-testimony-text".into(),
            },
            a,
        )
        .await
        .unwrap();
    assert!(
        web.get("/document/testimonies")
            .await
            .body
            .contains("secret-testimony-text")
    );
    let mut other = Browser::new(base.clone());
    assert_eq!(
        other.login("doc-b", "pass-word-123").await.status,
        StatusCode::SEE_OTHER
    );
    let seen = other.get("/document/testimonies").await;
    assert_eq!(seen.status, StatusCode::OK);
    assert!(!seen.body.contains("secret-testimony-text"));
    store.share_testimony(t.id, b.org, a).await.unwrap();
    assert!(
        other
            .get("/document/testimonies")
            .await
            .body
            .contains("secret-testimony-text")
    );

    // Rescue chart and displacement side by side.
    for day in [9, 9, 10] {
        store
            .create_rescue_mission(
                &NewRescueMission {
                    team: "Team 1".into(),
                    started_at: time::OffsetDateTime::new_utc(
                        time::Date::from_calendar_date(2025, time::Month::March, day).unwrap(),
                        time::Time::MIDNIGHT,
                    ),
                    area: "SY0602".into(),
                    place: String::new(),
                    kind: MissionKind::BodyRecovery,
                    rescued_alive: 0,
                    bodies_recovered: 4,
                    remarks: String::new(),
                    handed_over_to: String::new(),
                },
                a,
            )
            .await
            .unwrap();
    }
    let rescue = web.get("/document/rescue").await;
    assert_eq!(rescue.body.matches("class=\"bar-bodies\"").count(), 2);
    let site = store
        .create_site(
            &NewSite {
                name: "Akkar".into(),
                name_ar: None,
                kind: SiteKind::CrossBorder,
                area: "LB-AK".into(),
            },
            a,
        )
        .await
        .unwrap();
    for (n, src) in [(6078, "Governor"), (12000, "Local count")] {
        store
            .add_site_report(
                &NewSiteReport {
                    site_id: site.id,
                    as_of: Day::parse("2025-03-12").unwrap(),
                    families: None,
                    individuals: Some(n),
                    origins: vec!["SY1002".into()],
                    needs: String::new(),
                    source: src.into(),
                },
                a,
            )
            .await
            .unwrap();
    }
    let d = web.get("/document/displacement?lang=ar").await;
    assert!(d.body.contains("6078") && d.body.contains("12000"));
    assert!(d.body.contains("class=\"flow\""));
    assert!(d.body.contains("dir=\"rtl\""));

    let _ = tx.send(());
    server.await.unwrap().unwrap();
    store.close().await;
}

#[tokio::test]
async fn document_pages_sqlite() {
    let db = sijill_testkit::sqlite_url();
    story(db.url()).await;
}

#[tokio::test]
async fn document_pages_postgres() {
    let Some(pg) = sijill_testkit::postgres() else {
        return;
    };
    story(pg.url()).await;
}
