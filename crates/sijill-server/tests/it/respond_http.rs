//! The relief story over HTTP on both backends: a coordinator sets up a campaign, two
//! partners enter distributions and register the same family (one in Arabic script,
//! one in Latin), each sees the duplicate alert naming the other organization and never
//! the other's names; the overview, 4W and public pages show the result in both
//! languages.

use crate::support::{Browser, PAGE_BUDGET};
use reqwest::StatusCode;
use sijill_model::account::{NewOrganization, NewUser, OrgKind, PasswordHash, Role, Username};
use sijill_server::{AppState, ServerConfig, auth};
use sijill_store::{Keyring, Store};
use tokio::sync::oneshot;

pub(crate) const PASSWORD: &str = "relief password 2025";

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

pub(crate) async fn user(store: &Store, org: &str, username: &str, role: Role) {
    let org_id = match store.org_by_name(org).await.unwrap() {
        Some(o) => o.id,
        None => {
            store
                .create_org(&NewOrganization {
                    name: org.into(),
                    name_ar: None,
                    kind: OrgKind::Relief,
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

async fn signed_in(base: &str, username: &str) -> Browser {
    let mut b = Browser::new(base.to_owned());
    let res = b.login(username, PASSWORD).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{username}");
    b
}

async fn story(url: &str) {
    let (base, store, stop) = start(url).await;
    user(&store, "Jableh Youth", "fieldj", Role::Field).await;
    user(&store, "Baniyas Aid", "fieldb", Role::Field).await;
    user(&store, "Jableh Youth", "coord", Role::Coordinator).await;
    user(&store, "Baniyas Aid", "watcher", Role::Viewer).await;
    let baniyas = store.org_by_name("Baniyas Aid").await.unwrap().unwrap();

    // The coordinator sets up a campaign with both partners.
    let mut coord = signed_in(&base, "coord").await;
    let res = coord
        .submit(
            "/respond",
            "/respond/campaigns",
            &[
                ("name", "Coast week"),
                ("name_ar", "أسبوع الساحل"),
                ("starts_on", "2025-03-12"),
                ("ends_on", "2025-03-17"),
                ("partner", &baniyas.id.to_string()),
                ("areas", "Jableh, Banyas, درعا"),
            ],
        )
        .await;
    assert_eq!(
        res.location(),
        "/respond?done=campaign&lang=en",
        "{}",
        res.body
    );
    let home = coord.get("/respond").await;
    assert!(home.body.contains("Coast week"));
    assert!(home.body.contains("Baniyas Aid"));
    assert!(
        home.body.contains("Dar&#39;a") || home.body.contains("Dar'a"),
        "Daraa is a gap"
    );

    // A partner enters a distribution; the form remembers the area next time.
    let mut fj = signed_in(&base, "fieldj").await;
    let form = fj.get("/respond/distributions").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Jableh Youth"), "own organization shown");
    let items = store.list_items().await.unwrap();
    let bread = items
        .iter()
        .find(|i| i.code == "bread")
        .unwrap()
        .id
        .to_string();
    let res = fj
        .submit(
            "/respond/distributions",
            "/respond/distributions",
            &[
                ("date", "2025-03-13"),
                ("area", "جبلة"),
                ("item", &bread),
                ("quantity", "١٥٠٠"),
                ("households", "300"),
                ("individuals", "1500"),
            ],
        )
        .await;
    assert_eq!(
        res.location(),
        "/respond/distributions?done=1&lang=en",
        "{}",
        res.body
    );
    let again = fj.get("/respond/distributions?done=1").await;
    assert!(
        again.body.contains("value=\"SY0602\""),
        "last area is the default"
    );
    let bad = fj
        .submit(
            "/respond/distributions",
            "/respond/distributions",
            &[
                ("date", "2025-03-13"),
                ("area", "Atlantis"),
                ("item", &bread),
                ("quantity", "0"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Both partners register the same family.
    let res = fj
        .submit(
            "/respond/households",
            "/respond/households",
            &[
                ("name", "محمد الحسن"),
                ("father_name", "علي"),
                ("birth_year", "1971"),
                ("area", "Jableh"),
                ("size", "5"),
                ("females", "3"),
                ("flag", "displaced"),
            ],
        )
        .await;
    assert_eq!(
        res.location(),
        "/respond/households?done=1&lang=en",
        "{}",
        res.body
    );
    let mut fb = signed_in(&base, "fieldb").await;
    let res = fb
        .submit(
            "/respond/households",
            "/respond/households",
            &[
                ("name", "Mohammad al-Hasan"),
                ("father_name", "Ali"),
                ("birth_year", "1971"),
                ("area", "SY060204"),
                ("size", "5"),
            ],
        )
        .await;
    assert_eq!(
        res.location(),
        "/respond/households?done=1&lang=en",
        "{}",
        res.body
    );

    let mine = fj.get("/respond/households").await;
    assert!(mine.body.contains("محمد الحسن"));
    assert!(mine.body.contains("Possibly also registered by"));
    assert!(mine.body.contains("Baniyas Aid"));
    assert!(
        !mine.body.contains("Mohammad al-Hasan"),
        "never the other's names"
    );
    let theirs = fb.get("/respond/households?lang=ar").await;
    assert!(theirs.body.contains("Mohammad al-Hasan"));
    assert!(theirs.body.contains("ربما سجّلتها أيضًا"));
    assert!(theirs.body.contains("Jableh Youth"));
    assert!(
        !theirs.body.contains("محمد الحسن"),
        "never the other's names"
    );
    // A viewer of Baniyas reads its register but cannot write.
    let mut watcher = signed_in(&base, "watcher").await;
    let seen = watcher.get("/respond/households").await;
    assert_eq!(seen.status, StatusCode::OK);
    assert!(!seen.body.contains("محمد الحسن"));
    let csrf = seen.csrf();
    let res = watcher
        .post(
            "/respond/households",
            &[
                ("csrf", &csrf),
                ("name", "X"),
                ("area", "Jableh"),
                ("size", "1"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    // A form without its token is refused.
    let res = fb.post("/respond/households", &[("name", "X")]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);

    // Reports in both languages.
    let home = coord.get("/respond?lang=ar").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("١٬٥٠٠ رغيف خبز"), "summary in Arabic");
    assert!(home.body.len() < PAGE_BUDGET);
    let home = coord.get("/respond?lang=en").await;
    assert!(home.body.contains("1,500 loaves, 1,500 beneficiaries"));
    assert!(home.body.contains("<svg class=\"map\""));
    let fourw = coord.get("/respond/4w").await;
    assert!(fourw.body.contains("Jablah"));
    let csv = coord.get("/respond/4w.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    let mut lines = csv.body.lines();
    assert!(lines.next().unwrap().starts_with("date,organization"));
    assert!(lines.next().unwrap().starts_with("#date,#org,#adm1+code"));
    assert!(lines.next().unwrap().contains("SY0602"));
    let xlsx = coord.get("/respond/4w.xlsx").await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.body.starts_with("PK"));

    // The JSON API gives the same aggregates.
    let totals = coord.get("/api/v1/respond/totals").await;
    assert_eq!(totals.status, StatusCode::OK);
    let totals = totals.json();
    assert_eq!(totals["households"]["shared"], 1);
    assert_eq!(totals["households"]["unique"], 1);
    let cells = coord.get("/api/v1/respond/4w?campaign=nope").await;
    assert_eq!(cells.status, StatusCode::BAD_REQUEST);

    // The public view needs no account and hides counts under five households.
    let mut anyone = Browser::new(base.clone());
    let public = anyone.get("/respond/public").await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.body.contains("fewer than 5"));
    assert!(!public.body.contains("محمد"));

    let _ = stop.send(());
    store.close().await;
}

#[tokio::test]
async fn respond_story_sqlite() {
    let db = sijill_testkit::sqlite_url();
    story(db.url()).await;
}

#[tokio::test]
async fn respond_story_postgres() {
    let Some(db) = sijill_testkit::postgres() else {
        return;
    };
    story(db.url()).await;
}
