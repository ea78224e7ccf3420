//! Editing and deleting records from the web on both backends: a documenter corrects an
//! incident's facts, a field worker corrects a distribution (Arabic-Indic digits, another
//! item) and deletes one entered by mistake (only once it is confirmed), and a partner
//! corrects a household's father's name, after which the duplicate alert appears. A wrong value is
//! a 422 that changes nothing; another organization's record is not found, for reading
//! the form and for posting it alike.

use crate::support::{App, Browser};
use reqwest::StatusCode;
use sijill_model::account::{OrgKind, Role};
use sijill_server::ServerConfig;

async fn signed_in(base: &str, name: &str) -> Browser {
    let mut b = Browser::new(base.to_owned());
    assert_eq!(
        b.login(name, "pass-word-123").await.status,
        StatusCode::SEE_OTHER
    );
    b
}

const FACTS: [(&str, &str); 6] = [
    ("occurred_on", "2025-03-07"),
    ("precision", "day"),
    ("area", "Jableh"),
    ("place", "Ein Shaqaq"),
    ("sub_event_type", "attack"),
    ("summary", "killings in the village"),
];

fn with<'a>(base: &[(&'a str, &'a str)], k: &'a str, v: &'a str) -> Vec<(&'a str, &'a str)> {
    let mut out: Vec<(&str, &str)> = base.iter().filter(|(a, _)| *a != k).copied().collect();
    out.push((k, v));
    out
}

async fn story(url: &str) {
    let app = App::start_keyed(url, ServerConfig::default()).await;
    let store = app.store.clone();
    let base = app.url("");
    let org_a = app.org("Coast Relief", OrgKind::Relief).await;
    let org_b = app.org("Hills Relief", OrgKind::Relief).await;
    let (a, b) = (org_a.id, org_b.id);
    for (org, name, role) in [
        (&org_a, "doc-a", Role::Documenter),
        (&org_a, "field-a", Role::Field),
        (&org_b, "doc-b", Role::Documenter),
        (&org_b, "field-b", Role::Field),
    ] {
        app.user(org, name, role, "pass-word-123", false).await;
    }

    // An incident, then its correction: only the place and the summary change.
    let mut doc = signed_in(&base, "doc-a").await;
    let made = doc
        .submit(
            "/document/incidents/new",
            "/document/incidents",
            &with(&FACTS, "source", "Monitor one"),
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let path = made.location().to_owned();
    let id: uuid::Uuid = path.rsplit('/').next().unwrap().parse().unwrap();
    let edit = format!("{path}/edit");
    let detail = doc.get(&path).await;
    assert!(
        detail.body.contains(&format!("href=\"{edit}\"")),
        "{}",
        detail.body
    );
    let form = doc.get(&edit).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("value=\"Ein Shaqaq\""), "{}", form.body);
    assert!(form.body.contains("value=\"2025-03-07\""));
    assert!(
        !form.body.contains("name=\"source\""),
        "sources are not edited here"
    );
    let bad = doc
        .submit(&edit, &edit, &with(&FACTS, "occurred_on", "7 March"))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("value=\"7 March\""),
        "what was typed stays"
    );
    let mut fixed = with(&FACTS, "place", "Ein Shaqaq, lower quarter");
    fixed = with(&fixed, "summary", "killings in the village\r\nat dawn");
    let r = doc.submit(&edit, &edit, &fixed).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let i = store.incident(id).await.unwrap().unwrap();
    assert_eq!(i.place, "Ein Shaqaq, lower quarter");
    assert_eq!(i.summary, "killings in the village\nat dawn");
    assert_eq!(i.occurred_on.to_text(), "2025-03-07");
    assert_eq!(i.sources.len(), 1, "the sources are kept");
    // Sent again unchanged (the text area's CR LF included), nothing is written.
    let before = store.sync_snapshot().await.unwrap();
    let r = doc.submit(&edit, &edit, &fixed).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(store.sync_snapshot().await.unwrap(), before);
    for lang in ["en", "ar"] {
        let p = doc.get(&format!("{edit}?lang={lang}")).await;
        assert_eq!(p.status, StatusCode::OK);
    }

    // Another organization reads the incident but may not edit it.
    let mut other = signed_in(&base, "doc-b").await;
    let seen = other.get(&path).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert!(!seen.body.contains(&edit));
    assert_eq!(other.get(&edit).await.status, StatusCode::NOT_FOUND);
    let r = other
        .submit(
            "/document/incidents/new",
            &edit,
            &with(&FACTS, "place", "elsewhere"),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        store.incident(id).await.unwrap().unwrap().place,
        "Ein Shaqaq, lower quarter"
    );

    // A distribution, corrected and then deleted.
    let items = store.list_items().await.unwrap();
    let (first, second) = (items[0].id.to_string(), items[1].id.to_string());
    let mut field = signed_in(&base, "field-a").await;
    let entry = [
        ("date", "2025-03-12"),
        ("area", "Jableh"),
        ("item", first.as_str()),
        ("quantity", "40"),
        ("households", "40"),
        ("individuals", "180"),
    ];
    let r = field
        .submit("/respond/distributions", "/respond/distributions", &entry)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let d = store.recent_distributions(a, 1).await.unwrap()[0].clone();
    let edit = format!("/respond/distributions/{}/edit", d.id);
    let delete = format!("/respond/distributions/{}/delete", d.id);
    let list = field.get("/respond/distributions").await;
    assert!(list.body.contains(&edit), "{}", list.body);
    let form = field.get(&edit).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("value=\"40\""));
    let bad = field
        .submit(&edit, &edit, &with(&entry, "quantity", "none"))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut fixed = with(&entry, "quantity", "٣٨");
    fixed = with(&fixed, "item", &second);
    let r = field.submit(&edit, &edit, &fixed).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let now = store.distribution(a, d.id).await.unwrap().unwrap();
    assert_eq!((now.quantity, now.item), (38, items[1].id));
    assert_eq!((now.households, now.individuals), (40, 180));

    // Another organization's field worker: not found, and nothing changes.
    let mut stranger = signed_in(&base, "field-b").await;
    assert_eq!(stranger.get(&edit).await.status, StatusCode::NOT_FOUND);
    let r = stranger
        .submit("/respond/distributions", &delete, &[("confirm", "1")])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = stranger
        .submit(
            "/respond/distributions",
            &edit,
            &with(&entry, "quantity", "1"),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        store.distribution(a, d.id).await.unwrap().unwrap().quantity,
        38
    );

    // Deleting asks for the tick first.
    let r = field.submit(&edit, &delete, &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(store.distribution(a, d.id).await.unwrap().is_some());
    let r = field.submit(&edit, &delete, &[("confirm", "1")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(store.distribution(a, d.id).await.unwrap().is_none());
    assert_eq!(field.get(&edit).await.status, StatusCode::NOT_FOUND);
    let list = field
        .get(&format!("{}?done=deleted", "/respond/distributions"))
        .await;
    assert!(!list.body.contains(&edit));

    // A household registered by two partners, one with a wrong father's name: no
    // duplicate alert until the second corrects it on the edit form.
    let family = |father: &'static str| {
        vec![
            ("name", "Rana Saleh"),
            ("father_name", father),
            ("birth_year", "1980"),
            ("area", "Jableh"),
            ("contact", "0933 000 111"),
            ("size", "5"),
            ("females", "3"),
            ("males", "2"),
            ("children", "2"),
            ("elderly", "0"),
            ("flag", "displaced"),
        ]
    };
    let bad = field
        .submit(
            "/respond/households",
            "/respond/households",
            &with(&family("Ahmad"), "females", "7"),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("value=\"Rana Saleh\""),
        "a refused registration keeps what was typed"
    );
    assert!(store.list_households(a).await.unwrap().is_empty());
    let r = field
        .submit(
            "/respond/households",
            "/respond/households",
            &family("Ahmad"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = stranger
        .submit(
            "/respond/households",
            "/respond/households",
            &family("Mahmoud"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mine = field.get("/respond/households").await;
    assert!(!mine.body.contains("dup-summary"), "no alert yet");
    let theirs = store.list_households(b).await.unwrap()[0].clone();
    let edit = format!("/respond/households/{}/edit", theirs.id);
    let list = stranger.get("/respond/households").await;
    assert!(list.body.contains(&edit), "{}", list.body);
    let form = stranger.get(&edit).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("value=\"Mahmoud\""));
    assert!(form.body.contains("value=\"displaced\" checked"));
    assert_eq!(field.get(&edit).await.status, StatusCode::NOT_FOUND);
    let bad = stranger
        .submit(&edit, &edit, &with(&family("Ahmad"), "males", "9"))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("value=\"9\""), "what was typed stays");
    let mut fixed = with(&family("Ahmad"), "size", "6");
    fixed = with(&fixed, "males", "3");
    let r = stranger.submit(&edit, &edit, &fixed).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let now = store.household(b, theirs.id).await.unwrap().unwrap();
    assert_eq!(
        (now.father_name.as_str(), now.size, now.males),
        ("Ahmad", 6, 3)
    );
    assert_eq!(now.contact.as_deref(), Some("0933 000 111"));
    let mine = field.get("/respond/households").await;
    assert!(mine.body.contains("dup-summary"), "{}", mine.body);
    assert!(
        mine.body.contains("Hills Relief"),
        "the alert names the other partner"
    );

    app.stop().await;
}

#[tokio::test]
async fn edits_sqlite() {
    let db = sijill_testkit::sqlite_url();
    story(db.url()).await;
}

#[tokio::test]
async fn edits_postgres() {
    let Some(pg) = sijill_testkit::postgres() else {
        return;
    };
    story(pg.url()).await;
}
