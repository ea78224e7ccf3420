//! The reconcile story over HTTP on both backends: a documenter previews a list with a
//! bad row (nothing written), imports two lists (the same one twice adds nothing), links
//! them off the request path, decides a pair, runs an estimate, adds a document whose
//! figures are extracted, and sees the count page and its exports; another
//! organization sees none of the lists; the public count shows no name.

use crate::support::{Browser, PAGE_BUDGET};
use reqwest::StatusCode;
use sijill_model::account::{NewOrganization, NewUser, OrgKind, PasswordHash, Role, Username};
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

    // Linkage runs off the request path; its page refreshes until it is done.
    let r = b
        .submit("/reconcile", "/reconcile/runs", &[("threshold", "0.5")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let run_path = r.location().to_owned();
    let mut page = b.get(&run_path).await;
    let mut polls = 0;
    while page.body.contains("http-equiv=\"refresh\"") {
        polls += 1;
        assert!(polls < 100_000, "the run never ended");
        tokio::task::yield_now().await;
        page = b.get(&run_path).await;
    }
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
    let _ = stop.send(());
}

#[tokio::test]
async fn reconcile_story_on_every_backend() {
    for db in sijill_testkit::backends() {
        story(db.url()).await;
    }
}
