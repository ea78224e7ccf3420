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
    // The download is an export, in the audit log with the file it took.
    let audit = store.recent_audit(50).await.unwrap();
    let took = audit
        .iter()
        .find(|r| r.action == "export.evidence")
        .expect("the evidence download is audited");
    assert_eq!(
        took.entity_id.as_deref(),
        Some(ev[0].id.to_string().as_str())
    );

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

    forms_story(&store, &base, &mut web, &mut other, &incident_path).await;

    let _ = tx.send(());
    server.await.unwrap().unwrap();
    store.close().await;
}

/// The entry forms: a refused value is named and nothing is written; a good form
/// writes once; the export is a package that verifies and only roles that may export
/// get it.
async fn forms_story(
    store: &Store,
    base: &str,
    web: &mut Browser,
    other: &mut Browser,
    incident_path: &str,
) {
    use sijill_server::i18n::EN;
    let missions_before = store.list_rescue_missions().await.unwrap().len();
    let bad = web
        .submit(
            "/document/rescue",
            "/document/rescue",
            &[
                ("team", " "),
                ("started_at", "2025-03-11T07:15"),
                ("area", "nowhere at all"),
                ("kind", "body-recovery"),
                ("bodies_recovered", "many"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for e in [EN.doc_err_team, EN.doc_err_area, EN.doc_err_count] {
        let escaped = e.replace('\'', "&#39;");
        assert!(bad.body.contains(e) || bad.body.contains(&escaped), "{e}");
    }
    assert!(bad.body.contains("value=\"2025-03-11T07:15\""));
    assert_eq!(
        store.list_rescue_missions().await.unwrap().len(),
        missions_before
    );
    let made = web
        .submit(
            "/document/rescue",
            "/document/rescue",
            &[
                ("team", "Jableh team 3"),
                ("started_at", "2025-03-11T07:15"),
                ("area", "Jableh"),
                ("place", "orchard road"),
                ("kind", "body-recovery"),
                ("rescued_alive", "٠"),
                ("bodies_recovered", "٢"),
                ("remarks", "hands bound"),
                ("handed_over_to", "Jableh hospital"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let mission_path = made.location().split('?').next().unwrap().to_owned();
    let m = web.get(made.location()).await;
    assert!(m.body.contains("hands bound") && m.body.contains(EN.doc_mission_saved));
    let missions = store.list_rescue_missions().await.unwrap();
    let mission = missions.iter().find(|m| m.team == "Jableh team 3").unwrap();
    assert_eq!(
        (mission.bodies_recovered, mission.area.as_str()),
        (2, "SY0602")
    );
    // Two bodies become victim records; a third is refused.
    for (name, status) in [
        ("identified-body-one", StatusCode::SEE_OTHER),
        ("", StatusCode::SEE_OTHER),
        ("", StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        let r = web
            .submit(
                &mission_path,
                &format!("{mission_path}/bodies"),
                &[("name", name), ("sex", "male"), ("age", "30")],
            )
            .await;
        if status == StatusCode::UNPROCESSABLE_ENTITY {
            // The page no longer offers the form; post it directly.
            let csrf = web.get(&mission_path).await.csrf();
            let r = web
                .post(
                    &format!("{mission_path}/bodies"),
                    &[
                        ("csrf", &csrf),
                        ("name", ""),
                        ("sex", "male"),
                        ("age", "30"),
                    ],
                )
                .await;
            assert_eq!(r.status, status);
            assert!(r.body.contains(EN.doc_all_bodies_done));
        } else {
            assert_eq!(r.status, status, "{}", r.body);
        }
    }
    assert_eq!(store.mission_bodies(mission.id).await.unwrap().len(), 2);
    assert!(
        web.get(&mission_path)
            .await
            .body
            .contains("identified-body-one")
    );
    // Another organization sees the mission, never the names of the records made from it.
    let seen = other.get(&mission_path).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert!(!seen.body.contains("identified-body-one"));

    // The body's record, made in org A's lists, is linked to the incident.
    let lists = store
        .victim_lists(store.list_incidents(&Default::default()).await.unwrap()[0].org_id)
        .await
        .unwrap();
    assert_eq!(lists.len(), 2);
    let list = &lists[0];
    let key = format!("mission-{}-body-1", mission.id);
    let bad_link = web
        .submit(
            incident_path,
            &format!("{incident_path}/victims"),
            &[("list", &list.id.to_string()), ("record", "no-such-record")],
        )
        .await;
    assert_eq!(bad_link.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_link.body.contains(EN.doc_err_record));
    let link = web
        .submit(
            incident_path,
            &format!("{incident_path}/victims"),
            &[("list", &list.id.to_string()), ("record", &key)],
        )
        .await;
    assert_eq!(link.status, StatusCode::SEE_OTHER, "{}", link.body);
    assert!(
        web.get(incident_path)
            .await
            .body
            .contains("identified-body-one")
    );
    let theirs = other.get(incident_path).await;
    assert!(!theirs.body.contains("identified-body-one"));
    assert!(theirs.body.contains(EN.doc_victims_others));

    // A testimony through the form, sealed, shared through the form.
    let bad_t = web
        .submit(
            "/document/testimonies",
            "/document/testimonies",
            &[
                ("consent", "investigators"),
                ("interviewer", "Interviewer A"),
                ("interviewed_on", "yesterday"),
                ("content", "form-testimony-text"),
            ],
        )
        .await;
    assert_eq!(bad_t.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_t.body.contains(EN.doc_err_date));
    let t_made = web
        .submit(
            "/document/testimonies",
            "/document/testimonies",
            &[
                ("incident", &incident_path["/document/incidents/".len()..]),
                ("consent", "investigators"),
                ("interviewer", "Interviewer A"),
                ("interviewed_on", "2025-03-12"),
                ("content", "form-testimony-text"),
            ],
        )
        .await;
    assert_eq!(t_made.status, StatusCode::SEE_OTHER, "{}", t_made.body);
    assert!(
        !other
            .get("/document/testimonies")
            .await
            .body
            .contains("form-testimony-text")
    );
    let a_org = store.list_incidents(&Default::default()).await.unwrap()[0].org_id;
    let mine = store.testimonies_visible_to(a_org).await.unwrap();
    let tm = mine
        .iter()
        .find(|t| t.content == "form-testimony-text")
        .unwrap();
    let b_org = store
        .list_orgs()
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.name == "Org B")
        .unwrap()
        .id;
    let share = web
        .submit(
            "/document/testimonies",
            &format!("/document/testimonies/{}/share", tm.id),
            &[("org", &b_org.to_string())],
        )
        .await;
    assert_eq!(share.status, StatusCode::SEE_OTHER, "{}", share.body);
    assert!(
        other
            .get("/document/testimonies")
            .await
            .body
            .contains("form-testimony-text")
    );
    // Org B cannot share what is not its own.
    let reshare = other
        .submit(
            "/document/testimonies",
            &format!("/document/testimonies/{}/share", tm.id),
            &[("org", &a_org.to_string())],
        )
        .await;
    assert_eq!(reshare.status, StatusCode::NOT_FOUND);

    // The API: testimony metadata within scope, never the content.
    let api = web.get("/api/v1/document/testimonies").await;
    assert_eq!(api.status, StatusCode::OK);
    assert!(!api.body.contains("form-testimony-text") && !api.body.contains("Interviewer A"));
    assert!(api.body.contains(&tm.id.to_string()));
    let theirs = other.get("/api/v1/document/testimonies").await.json();
    assert!(
        theirs
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["id"] == tm.id.to_string() && t["shared_with_caller"] == true)
    );
    let id = &incident_path["/document/incidents/".len()..];
    let inc = web
        .get(&format!("/api/v1/document/incidents?id={id}"))
        .await
        .json();
    assert_eq!(inc[0]["sources"].as_array().unwrap().len(), 2);
    let custody = web.get("/api/v1/document/custody").await;
    assert_eq!(custody.status, StatusCode::OK, "{}", custody.body);
    assert!(
        !custody.json().as_array().unwrap().is_empty(),
        "{}",
        custody.body
    );
    let daily = web.get("/api/v1/document/rescue/daily").await.json();
    assert!(
        daily
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["day"] == "2025-03-11" && d["bodies_recovered"] == 2)
    );
    assert_eq!(
        web.get("/api/v1/document/incidents?from=soon").await.status,
        StatusCode::BAD_REQUEST
    );

    // Displacement: a site and two sources' counts side by side.
    let site = web
        .submit(
            "/document/displacement",
            "/document/displacement/sites",
            &[
                ("name", "Hmeimim air base"),
                ("name_ar", "قاعدة حميميم"),
                ("kind", "air-base"),
                ("area", "اللاذقية"),
            ],
        )
        .await;
    assert_eq!(site.status, StatusCode::SEE_OTHER, "{}", site.body);
    let again = web
        .submit(
            "/document/displacement",
            "/document/displacement/sites",
            &[
                ("name", "Hmeimim air base"),
                ("kind", "air-base"),
                ("area", "SY06"),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        again
            .body
            .contains(&EN.doc_err_site_name.replace('\'', "&#39;"))
    );
    let site_id = store
        .list_sites()
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.name == "Hmeimim air base")
        .unwrap()
        .id
        .to_string();
    let no_count = web
        .submit(
            "/document/displacement",
            "/document/displacement/reports",
            &[("site", &site_id), ("as_of", "2025-03-10"), ("source", "x")],
        )
        .await;
    assert_eq!(no_count.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_count.body.contains(EN.doc_err_counts_needed));
    for (n, src) in [("9000", "Governor"), ("٨٥٠٠", "Camp committee")] {
        let r = web
            .submit(
                "/document/displacement",
                "/document/displacement/reports",
                &[
                    ("site", &site_id),
                    ("as_of", "2025-03-10"),
                    ("individuals", n),
                    ("origins", "Jableh، Baniyas"),
                    ("source", src),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let d = web.get("/document/displacement").await;
    assert!(d.body.contains("9000") && d.body.contains("8500"));
    assert_eq!(
        d.body.matches(EN.doc_counts_conflict).count(),
        2,
        "both sites disagree"
    );

    // A custody transfer on evidence.
    let ev = store.list_evidence(None).await.unwrap();
    let ev_path = format!("/document/evidence/{}", ev[0].id);
    let empty = web
        .submit(&ev_path, &format!("{ev_path}/custody"), &[("to", " ")])
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    let tr = web
        .submit(
            &ev_path,
            &format!("{ev_path}/custody"),
            &[("to", "UN fact-finding committee, Geneva")],
        )
        .await;
    assert_eq!(tr.status, StatusCode::SEE_OTHER);
    let log = store.custody_log(Some(ev[0].id)).await.unwrap();
    let last = log.last().unwrap();
    assert_eq!(last.event.as_str(), "transferred");
    assert!(last.note.contains("Geneva"));

    // The export: ticked incidents, a zip that verifies, logged.
    let list_page = web.get("/document/incidents").await;
    assert!(list_page.body.contains("name=\"incident\""));
    let csrf = list_page.csrf();
    let incident_id = &incident_path["/document/incidents/".len()..];
    let none = web.post("/document/export", &[("csrf", &csrf)]).await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(none.body.contains(EN.doc_err_select));
    let client = reqwest::Client::new();
    let cookie = web
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ");
    let res = client
        .post(format!("{base}/document/export"))
        .header("cookie", cookie)
        .form(&[("csrf", csrf.as_str()), ("incident", incident_id)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/zip");
    let zip = res.bytes().await.unwrap().to_vec();
    let problems = sijill_server::document::package::verify(std::io::Cursor::new(zip)).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    let log = store.custody_log(Some(ev[0].id)).await.unwrap();
    assert_eq!(log.last().unwrap().event.as_str(), "exported");
    let audit = store.recent_audit(200).await.unwrap();
    for action in [
        "export.package",
        "evidence.transfer",
        "incident.link_victim",
        "rescue_mission.body_to_victim",
        "displacement_site.create",
        "testimony.share",
    ] {
        assert!(audit.iter().any(|r| r.action == action), "{action}");
    }
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

/// A multipart body with text fields and one file.
fn multipart(fields: &[(&str, &str)], file_name: &str, file: &[u8]) -> (String, Vec<u8>) {
    crate::support::multipart(fields, file_name, "application/octet-stream", file)
}
