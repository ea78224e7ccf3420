//! The reconcile story over HTTP on both backends: a documenter previews a list with a
//! bad row (nothing written), imports two lists (the same one twice adds nothing), links
//! them off the request path, decides a pair, runs an estimate, adds a document whose
//! figures are extracted, and sees the count page and its exports; another
//! organization sees none of the lists; the public count shows no name.

use crate::support::{Browser, PAGE_BUDGET};
use reqwest::StatusCode;
use sijill_model::account::{NewOrganization, NewUser, OrgKind, PasswordHash, Role, Username};
use sijill_server::i18n::{AR, EN};
use sijill_server::{AppState, ServerConfig, auth};
use sijill_store::{Keyring, Store};
use tokio::sync::oneshot;

pub(crate) const PASSWORD: &str = "reconcile password 2025";

/// Serves a fresh store with a keyring on 127.0.0.1:0.
pub(crate) async fn start(url: &str) -> (String, Store, oneshot::Sender<()>) {
    let store = Store::open(url)
        .await
        .unwrap()
        .with_keyring(Keyring::generate())
        .await
        .unwrap();
    let state = AppState::new(store.clone(), ServerConfig::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = oneshot::channel();
    tokio::spawn(sijill_server::serve_with_shutdown(listener, state, async {
        let _ = rx.await;
    }));
    (format!("http://{addr}"), store, tx)
}

/// Makes a user (and its organization, a monitor, if new).
pub(crate) async fn user(store: &Store, org: &str, username: &str, role: Role) {
    let org_id = match store.org_by_name(org).await.unwrap() {
        Some(o) => o.id,
        None => {
            store
                .create_org(&NewOrganization {
                    name: org.into(),
                    name_ar: None,
                    kind: OrgKind::Monitor,
                    network_member: true,
                })
                .await
                .unwrap()
                .id
        }
    };
    store
        .create_user(&NewUser {
            username: Username::parse(username).unwrap(),
            display_name: username.into(),
            org_id,
            role,
            password_hash: PasswordHash::new(auth::hash_password(PASSWORD).unwrap()),
            must_change_password: false,
        })
        .await
        .unwrap();
}

const LIST_A: &str = "record_id,full_name,sex,age,date_of_death,religion\n\
1,محمد علي حسن الخطيب,M,30,2025-03-07,x\n\
2,سامر خالد درويش,M,41,2025-03-07,x\n\
3,رنا أحمد يوسف,F,25,2025-03-08,x\n\
4,عمر فادي سليمان,M,19,2025-03-08,x\n\
5,ليلى محمود ديب,F,60,2025-03-09,x\n\
6,يوسف حسن ابراهيم,M,33,2025-03-09,x\n";

const LIST_B: &str = "record_id,full_name,sex,age,date_of_death\n\
a1,Mohammad Ali Hasan al-Khatib,M,30,07/03/2025\n\
a2,Samer Khaled Darwish,M,41,07/03/2025\n\
a3,Rana Ahmad Yousef,F,25,08/03/2025\n\
a4,Hasan Mahmoud Ali,M,50,09/03/2025\n";

async fn story(url: &str) {
    let (base, store, stop) = start(url).await;
    user(&store, "Coast Rights Observatory", "yara", Role::Documenter).await;
    user(&store, "Another Monitor", "other", Role::Analyst).await;
    let mut b = Browser::new(base.clone());
    b.login("yara", PASSWORD).await;

    let home = b.get("/reconcile").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.len() < PAGE_BUDGET);

    // A preview with a bad row writes nothing and names the line and column.
    let bad = "record_id,full_name,age\n1,Ali Hasan,30\n2,Omar Khaled,300\n";
    let p = b
        .submit(
            "/reconcile",
            "/reconcile/import",
            &[
                ("source", "Bad list"),
                ("file_name", "bad.csv"),
                ("text", bad),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.body.contains("row-errors"), "{}", p.body);
    assert!(!p.body.contains("confirm-import"));
    let p = b
        .submit(
            "/reconcile",
            "/reconcile/import",
            &[
                ("source", "Bad list"),
                ("file_name", "bad.csv"),
                ("text", bad),
                ("confirm", "1"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::OK);
    let org = store
        .org_by_name("Coast Rights Observatory")
        .await
        .unwrap()
        .unwrap();
    assert!(store.victim_lists(org.id).await.unwrap().is_empty());

    // Two good lists; the forbidden column is dropped and said so.
    let p = b
        .submit(
            "/reconcile",
            "/reconcile/import",
            &[
                ("source", "Shuhada list"),
                ("file_name", "a.csv"),
                ("text", LIST_A),
            ],
        )
        .await;
    assert!(p.body.contains("religion"), "the dropped column is named");
    assert!(p.body.contains("confirm-import"));
    for (src, name, text) in [
        ("Shuhada list", "a.csv", LIST_A),
        ("Field list", "b.csv", LIST_B),
        ("Shuhada list", "a.csv", LIST_A),
    ] {
        let r = b
            .submit(
                "/reconcile",
                "/reconcile/import",
                &[
                    ("source", src),
                    ("file_name", name),
                    ("text", text),
                    ("confirm", "1"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let lists = store.victim_lists(org.id).await.unwrap();
    assert_eq!(lists.len(), 2, "the same file twice adds nothing");
    assert_eq!(lists.iter().map(|l| l.records).sum::<i64>(), 10);
    assert_eq!(lists[0].dropped, vec!["religion".to_string()]);

    // The run form offers every list, ticked; a run of one list links only its records.
    let home = b.get("/reconcile").await;
    for l in &lists {
        assert!(
            home.body
                .contains(&format!("name=\"list\" value=\"{}\" checked", l.id)),
            "{}",
            home.body
        );
    }
    let field_list = lists.iter().find(|l| l.source == "Field list").unwrap().id;
    let field = field_list.to_string();
    let r = b
        .submit(
            "/reconcile",
            "/reconcile/runs",
            &[("threshold", "0.5"), ("choose", "1"), ("list", &field)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let path = r.location().to_owned();
    b.wait_for_run(&path).await;
    let one = store.latest_linkage_run(org.id).await.unwrap().unwrap();
    let members = store.run_memberships(org.id, one.id).await.unwrap();
    assert!(!members.is_empty());
    assert!(members.iter().all(|m| m.lists == vec![field_list]));
    // Nothing ticked is refused and says why; another organization's list id is unknown.
    let none = b
        .submit("/reconcile", "/reconcile/runs", &[("choose", "1")])
        .await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(none.body.contains("at least one list"), "{}", none.body);
    let stranger = uuid::Uuid::now_v7().to_string();
    let r = b
        .submit(
            "/reconcile",
            "/reconcile/runs",
            &[("choose", "1"), ("list", &field), ("list", &stranger)],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(store.linkage_runs(org.id).await.unwrap().len(), 1);

    // Linkage runs off the request path; its page refreshes until it is done.
    let r = b
        .submit("/reconcile", "/reconcile/runs", &[("threshold", "0.5")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let run_path = r.location().to_owned();
    let page = b.wait_for_run(&run_path).await;
    assert!(page.body.contains("run-status"));
    let run = store
        .latest_linkage_run(org.id)
        .await
        .unwrap()
        .expect("a finished run");
    let members = store.run_memberships(org.id, run.id).await.unwrap();
    assert!(
        members.len() < 10,
        "some records were linked: {}",
        members.len()
    );
    assert!(members.iter().any(|m| m.lists.len() == 2));

    // The persons page opens the names; the review page answers and takes a decision.
    let persons = b.get("/reconcile/persons").await;
    assert!(persons.body.contains("سامر خالد درويش"));
    let review = b.get("/reconcile/review").await;
    assert_eq!(review.status, StatusCode::OK);
    let recs = store.victim_records(org.id, &[]).await.unwrap();
    let d = b
        .submit(
            "/reconcile/review",
            "/reconcile/review",
            &[
                ("a", &recs[5].id.to_string()),
                ("b", &recs[9].id.to_string()),
                ("decision", "non_match"),
            ],
        )
        .await;
    assert_eq!(d.status, StatusCode::SEE_OTHER);
    assert_eq!(store.clerical_decisions(org.id).await.unwrap().len(), 1);

    // An estimate over both lists, stored with its parameters and charted.
    let (a, bl) = (lists[0].id.to_string(), lists[1].id.to_string());
    let e = b
        .submit(
            "/reconcile/estimates",
            "/reconcile/estimates",
            &[
                ("list", &a),
                ("list", &bl),
                ("strata", "none"),
                ("method", "loglinear"),
            ],
        )
        .await;
    assert_eq!(e.status, StatusCode::SEE_OTHER, "{}", e.body);
    let est = store.estimates(org.id).await.unwrap();
    assert_eq!(est.len(), 1);
    assert!(est[0].estimate >= est[0].observed as f64);
    let page = b.get("/reconcile/estimates").await;
    assert!(page.body.contains("<svg class=\"chart\""));

    // A document: its figures are extracted into the queue, then edited.
    let r = b
        .submit(
            "/reconcile/claims",
            "/reconcile/claims/documents",
            &[
                ("source", "Coast Watch"),
                ("title", "Update"),
                ("published_on", "2025-03-10"),
                ("lang", "en"),
                (
                    "body",
                    "Coast Watch said it had documented the killing of over 973 civilians by 9 March.",
                ),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let claims = store.claims(None, None).await.unwrap();
    assert!(claims.iter().any(|c| c.fields.value == Some(973.0)
        && c.fields.qualifier.as_deref() == Some("over")));
    let c = &claims[0];
    let r = b
        .submit(
            "/reconcile/claims",
            &format!("/reconcile/claims/{}", c.id),
            &[
                ("value", "973"),
                ("qualifier", "over"),
                ("measure", "killed_civilians"),
                ("claimant", "Coast Watch"),
                ("scope", "SY06"),
                ("as_of", "2025-03-09"),
                ("status", "corroborated"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // The count page in both languages, and its exports with stable ids and links.
    for lang in ["en", "ar"] {
        let p = b.get(&format!("/reconcile/count?lang={lang}")).await;
        assert_eq!(p.status, StatusCode::OK);
        assert!(p.body.contains("claim-over-head"));
        assert!(p.body.contains("estimate-band"));
        assert!(p.body.len() < PAGE_BUDGET);
    }
    let csv = b.get("/reconcile/count.csv").await;
    let mut lines = csv.body.lines();
    assert!(lines.next().unwrap().starts_with("kind,id,"));
    assert!(lines.next().unwrap().starts_with("#meta+kind,"));
    assert!(
        csv.body
            .contains(&format!("/reconcile/claims#claim-{}", c.id))
    );
    let json = b.get("/reconcile/count.json").await.json();
    assert!(
        json["rows"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["kind"] == "estimate")
    );

    // The count narrowed to an area and a period: the claim for Latakia (SY06) stays
    // for Latakia by name and goes for Tartous; the documented persons follow their
    // days of death; the unstratified estimate is not shown for a narrower scope.
    let rows_of = |j: &serde_json::Value, kind: &str| -> Vec<serde_json::Value> {
        j["rows"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["kind"] == kind)
            .cloned()
            .collect()
    };
    let j = b.get("/reconcile/count.json?area=Latakia").await.json();
    assert_eq!(j["area"], "SY06");
    assert_eq!(rows_of(&j, "claim").len(), 1);
    assert!(rows_of(&j, "estimate").is_empty());
    let j = b.get("/reconcile/count.json?area=SY07").await.json();
    assert!(rows_of(&j, "claim").is_empty());
    let j = b.get("/reconcile/count.json?to=2025-03-09").await.json();
    assert_eq!(rows_of(&j, "claim").len(), 1);
    let j = b
        .get("/reconcile/count.json?from=2025-03-10&to=2025-03-31")
        .await
        .json();
    assert!(rows_of(&j, "claim").is_empty());
    let j = b.get("/reconcile/count.json?to=2025-03-07").await.json();
    let documented = rows_of(&j, "documented");
    let all = rows_of(&b.get("/reconcile/count.json").await.json(), "documented");
    let (narrow, whole) = (
        documented[0]["value"].as_f64().unwrap(),
        all[0]["value"].as_f64().unwrap(),
    );
    assert!(
        narrow >= 2.0 && narrow < whole,
        "persons killed by 7 March: {narrow} of {whole}"
    );
    for lang in ["en", "ar"] {
        let p = b
            .get(&format!(
                "/reconcile/count?lang={lang}&area=Nowhere&to=2025-03-07"
            ))
            .await;
        assert_eq!(p.status, StatusCode::OK);
        let t = if lang == "en" { &EN } else { &AR };
        assert!(p.body.contains(t.rc_area_unknown), "{}", p.body);
        assert!(p.body.contains(t.rc_estimate_scope_note));
        assert!(p.body.contains("value=\"2025-03-07\""));
    }
    let public = Browser::new(base.clone())
        .get("/count?area=SY06&lang=ar")
        .await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.body.contains("SY06"));

    // The JSON API: the same data, scoped the same way, without names.
    let api = |j: serde_json::Value, n: usize| {
        assert_eq!(j.as_array().map(Vec::len), Some(n), "{j}");
    };
    api(b.get("/api/v1/reconcile/lists").await.json(), 2);
    api(b.get("/api/v1/reconcile/estimates").await.json(), 1);
    assert!(!b.get("/api/v1/reconcile/runs").await.json()[0]["id"].is_null());
    let persons = b.get("/api/v1/reconcile/persons").await;
    assert_eq!(persons.status, StatusCode::OK);
    assert!(!persons.body.contains("سامر") && !persons.body.contains("Samer"));
    let pj = persons.json();
    assert_eq!(pj["run"], run.id.to_string());
    assert_eq!(pj["persons"].as_array().unwrap().len(), members.len());
    assert!(persons.body.contains("\"record_key\":\"a2\""));
    let claims = b
        .get("/api/v1/reconcile/claims?status=corroborated")
        .await
        .json();
    assert_eq!(claims[0]["scope_pcode"], "SY06");
    assert_eq!(
        b.get("/api/v1/reconcile/claims?status=maybe").await.status,
        StatusCode::BAD_REQUEST
    );
    let count = b.get("/api/v1/reconcile/count?area=Latakia").await;
    assert_eq!(count.status, StatusCode::OK);
    assert_eq!(count.json()["estimate_outside_scope"], true);
    assert_eq!(
        b.get("/api/v1/reconcile/count?area=Nowhere").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        b.get("/api/v1/reconcile/persons?run=x").await.status,
        StatusCode::BAD_REQUEST
    );

    // The public count has aggregates only; another organization sees no list.
    let mut anon = Browser::new(base.clone());
    let public = anon.get("/count").await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(!public.body.contains("سامر"));
    assert!(public.body.contains("estimate-band"));
    let mut other = Browser::new(base);
    other.login("other", PASSWORD).await;
    let p = other.get("/reconcile/persons").await;
    assert!(!p.body.contains("سامر"));
    let p = other.get(&run_path).await;
    assert_eq!(p.status, StatusCode::NOT_FOUND);
    api(other.get("/api/v1/reconcile/lists").await.json(), 0);
    api(other.get("/api/v1/reconcile/estimates").await.json(), 0);
    let theirs = other.get("/api/v1/reconcile/persons").await.json();
    assert!(theirs["run"].is_null());
    assert_eq!(
        other
            .get(&format!("/api/v1/reconcile/persons?run={}", run.id))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let _ = stop.send(());
}

#[tokio::test]
async fn reconcile_story_on_every_backend() {
    for db in sijill_testkit::backends() {
        story(db.url()).await;
    }
}

/// An XLSX workbook of these rows (the first is the header).
fn xlsx(rows: &[&[&str]]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sheet = wb.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

/// The upload of XLSX lists from the browser: a bad row is shown and nothing written,
/// the mapping typed for a source is used again on its next file, and the confirmed
/// file is imported once.
async fn upload_story(url: &str) {
    let (base, store, stop) = start(url).await;
    user(&store, "Coast Rights Observatory", "yara", Role::Documenter).await;
    let org = store
        .org_by_name("Coast Rights Observatory")
        .await
        .unwrap()
        .unwrap();
    let mut b = Browser::new(base);
    b.login("yara", PASSWORD).await;
    let csrf = b.get("/reconcile").await.csrf();
    let header: &[&str] = &["No.", "Name of the deceased", "Sex", "Age", "Date of death"];
    let bad = xlsx(&[
        header,
        &["1", "محمد علي حسن", "M", "30", "2025-03-07"],
        &["2", "Samer Khaled Darwish", "M", "300", "2025-03-07"],
    ]);
    let mapping = "No.=record_id\nName of the deceased=full_name\nSex=sex\nAge=age\nDate of death=date_of_death";
    let send = |file: &[u8], mapping: &str| {
        multipart(
            &[
                ("csrf", &csrf),
                ("source", "Field team"),
                ("mapping", mapping),
            ],
            "march.xlsx",
            file,
        )
    };
    let (ty, body) = send(&bad, mapping);
    let p = b.post_typed("/reconcile/upload", &ty, body).await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert!(p.body.contains("row-errors"), "{}", p.body);
    assert!(!p.body.contains("confirm-import"));
    assert!(store.victim_lists(org.id).await.unwrap().is_empty());

    let good = xlsx(&[
        header,
        &["1", "محمد علي حسن", "M", "30", "2025-03-07"],
        &["2", "Samer Khaled Darwish", "M", "41", "2025-03-07"],
    ]);
    let (ty, body) = send(&good, mapping);
    let p = b.post_typed("/reconcile/upload", &ty, body).await;
    assert!(p.body.contains("confirm-import"), "{}", p.body);
    let upload = crate::support::field_value(&p.body, "upload").expect("the upload key");
    let r = b
        .post(
            "/reconcile/upload/confirm",
            &[
                ("csrf", &csrf),
                ("source", "Field team"),
                ("upload", &upload),
                ("mapping", mapping),
                ("confirm", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let lists = store.victim_lists(org.id).await.unwrap();
    assert_eq!(lists.len(), 1);
    assert_eq!(lists[0].records, 2);
    assert_eq!(lists[0].file_name, "march.xlsx");
    // Confirmed once: the file is no longer held.
    let again = b
        .post(
            "/reconcile/upload/confirm",
            &[
                ("csrf", &csrf),
                ("source", "Field team"),
                ("upload", &upload),
                ("confirm", "1"),
            ],
        )
        .await;
    assert!(again.body.contains(EN.rc_upload_again), "{}", again.body);

    // The next file of the same source needs no mapping: the saved one is used.
    let next = xlsx(&[header, &["7", "رنا أحمد يوسف", "F", "25", "2025-03-08"]]);
    let (ty, body) = send(&next, "");
    let p = b.post_typed("/reconcile/upload", &ty, body).await;
    assert!(p.body.contains(EN.rc_saved_mapping_used), "{}", p.body);
    assert!(p.body.contains("confirm-import"), "{}", p.body);
    // Another source with the same headers has no saved mapping: no name column.
    let (ty, body) = multipart(
        &[("csrf", &csrf), ("source", "Other team"), ("mapping", "")],
        "other.xlsx",
        &next,
    );
    let p = b.post_typed("/reconcile/upload", &ty, body).await;
    assert!(!p.body.contains("confirm-import"), "{}", p.body);
    // Without the token the upload is refused.
    let (ty, body) = multipart(&[("source", "Field team")], "march.xlsx", &good);
    let p = b.post_typed("/reconcile/upload", &ty, body).await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
    let _ = stop.send(());
}

#[tokio::test]
async fn reconcile_upload_on_every_backend() {
    for db in sijill_testkit::backends() {
        upload_story(db.url()).await;
    }
}

/// A multipart body with text fields and one file.
fn multipart(fields: &[(&str, &str)], file_name: &str, file: &[u8]) -> (String, Vec<u8>) {
    crate::support::multipart(fields, file_name, "application/octet-stream", file)
}
