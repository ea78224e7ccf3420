//! Editing and deleting records from the web on both backends: a documenter corrects an
//! incident's facts, a field worker corrects a distribution (Arabic-Indic digits, another
//! item) and deletes one entered by mistake (only once it is confirmed), and a partner
//! corrects a household's father's name, after which the duplicate alert appears. A wrong value is
//! a 422 that changes nothing; another organization's record is not found, for reading
//! the form and for posting it alike.
//!
//! The same for rescue missions and displacement reports (documenters) and volunteers,
//! dialogue sessions and cash transfers (field workers; a transfer moved onto a household
//! paid within 30 days meets the duplicate-payment guard, itself left out): the list links the form for the owning
//! organization's writers only, a viewer gets 403, a form sent back unchanged writes no
//! revision and no audit entry, a deletion needs its tick and a mission whose body is a
//! victim record cannot be deleted. A testimony's consent scope is changed by its
//! organization only, never to internal use while it is shared, and evidence metadata
//! likewise, the file and its hash untouched. A mission made on a laptop and corrected there (one
//! field) and on the server (another field), both on the web, holds both corrections on
//! both instances after a sync, with no conflict.

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

const MISSION: [(&str, &str); 9] = [
    ("team", "Jableh civil defence, team 2"),
    ("started_at", "2025-03-08T06:30"),
    ("area", "Jableh"),
    ("place", "Ein Shaqaq"),
    ("kind", "body-recovery"),
    ("rescued_alive", "0"),
    ("bodies_recovered", "4"),
    ("remarks", "signs of binding"),
    ("handed_over_to", "Jableh hospital"),
];

/// The id ending a `Location` such as `/document/rescue/{id}?done=mission`.
fn id_in(location: &str) -> uuid::Uuid {
    let path = location.split('?').next().unwrap();
    path.rsplit('/').next().unwrap().parse().unwrap()
}

/// Captures on `from` and applies all it holds to `to` (what a sync run moves).
async fn send(from: &sijill_store::Store, to: &sijill_store::Store) {
    from.sync_capture().await.unwrap();
    let mut after = 0;
    loop {
        let page = from
            .sync_export(&sijill_store::ExportFilter::default(), after, 50)
            .await
            .unwrap();
        to.sync_apply(None, &page.batch, None, None).await.unwrap();
        after = page.next_cursor;
        if !page.more {
            break;
        }
    }
    to.sync_capture().await.unwrap();
}

async fn field_records_story(url: &str) {
    let (store, files, _dir) = crate::support::keyed_store_with_evidence(url).await;
    let app = App::serve(store, ServerConfig::default()).await;
    let store = app.store.clone();
    let base = app.url("");
    let org_a = app.org("Coast Defence", OrgKind::Relief).await;
    let org_b = app.org("Hills Defence", OrgKind::Relief).await;
    for (org, name, role) in [
        (&org_a, "doc-a", Role::Documenter),
        (&org_a, "view-a", Role::Viewer),
        (&org_b, "doc-b", Role::Documenter),
    ] {
        app.user(org, name, role, "pass-word-123", false).await;
    }
    let mut doc = signed_in(&base, "doc-a").await;
    let mut other = signed_in(&base, "doc-b").await;
    let mut viewer = signed_in(&base, "view-a").await;

    // A rescue mission, then its correction: the form holds what was stored.
    let made = doc
        .submit("/document/rescue", "/document/rescue", &MISSION)
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let id = id_in(made.location());
    let edit = format!("/document/rescue/{id}/edit");
    let delete = format!("/document/rescue/{id}/delete");
    let list = doc.get("/document/rescue").await;
    assert!(
        list.body.contains(&format!("href=\"{edit}\"")),
        "{}",
        list.body
    );
    for someone in [&mut other, &mut viewer] {
        let list = someone.get("/document/rescue").await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(
            !list.body.contains(&edit),
            "only the recording organization's writers"
        );
    }
    let form = doc.get(&edit).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains("value=\"Jableh civil defence, team 2\""));
    assert!(form.body.contains("value=\"2025-03-08T06:30\""));
    assert!(form.body.contains("value=\"body-recovery\" selected"));
    assert!(form.body.contains("signs of binding</textarea>"));
    let arabic = doc.get(&format!("{edit}?lang=ar")).await;
    assert_eq!(arabic.status, StatusCode::OK);
    assert!(arabic.body.contains("تصحيح مهمة إنقاذ"), "{}", arabic.body);

    // A wrong value: 422 in the form's language, what was typed kept, nothing written.
    let before = store.sync_snapshot().await.unwrap();
    let bad = doc
        .submit(&edit, &edit, &with(&MISSION, "bodies_recovered", "many"))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("value=\"many\""), "what was typed stays");
    let bad_ar = doc
        .submit(
            &format!("{edit}?lang=ar"),
            &format!("{edit}?lang=ar"),
            &with(&MISSION, "team", " "),
        )
        .await;
    assert_eq!(bad_ar.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_ar.body.contains("dir=\"rtl\""), "{}", bad_ar.body);
    assert_eq!(store.sync_snapshot().await.unwrap(), before);

    // Sent back unchanged: no revision and no audit entry.
    let audit = store.recent_audit(1).await.unwrap()[0].seq;
    let r = doc.submit(&edit, &edit, &MISSION).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(store.sync_snapshot().await.unwrap(), before);
    assert_eq!(store.recent_audit(1).await.unwrap()[0].seq, audit);

    // Two fields corrected (Arabic-Indic digits accepted): one audited edit of them.
    let mut fixed = with(&MISSION, "rescued_alive", "٢");
    fixed = with(&fixed, "remarks", "signs of binding\r\non two of them");
    let r = doc.submit(&edit, &edit, &fixed).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let m = store.rescue_mission(id).await.unwrap().unwrap();
    assert_eq!(m.rescued_alive, 2);
    assert_eq!(m.remarks, "signs of binding\non two of them");
    assert_eq!((m.bodies_recovered, m.team.as_str()), (4, MISSION[0].1));
    let entry = store.recent_audit(1).await.unwrap().remove(0);
    assert_eq!(entry.action, "sync.edit");
    assert_eq!(
        entry.detail["fields"],
        serde_json::json!(["remarks", "rescued_alive"])
    );

    // Another organization, and a viewer of the same one, may not touch it.
    assert_eq!(other.get(&edit).await.status, StatusCode::NOT_FOUND);
    let r = other
        .submit("/document/rescue", &edit, &with(&MISSION, "team", "x"))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = other
        .submit("/document/rescue", &delete, &[("confirm", "1")])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(viewer.get(&edit).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        store.rescue_mission(id).await.unwrap().unwrap().team,
        MISSION[0].1
    );

    // Deleting asks for the tick, then leaves a tombstone.
    let r = doc.submit(&edit, &delete, &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(store.rescue_mission(id).await.unwrap().is_some());
    let r = doc.submit(&edit, &delete, &[("confirm", "1")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(store.rescue_mission(id).await.unwrap().is_none());
    assert_eq!(doc.get(&edit).await.status, StatusCode::NOT_FOUND);
    let done = doc.get(r.location()).await;
    assert!(
        done.body.contains("The mission was deleted."),
        "{}",
        done.body
    );

    // A mission whose recovered body is a victim record is corrected, never deleted.
    // (Its remarks typed on two lines: the browser's CR LF is stored as LF, so the edit
    // form sent back as the browser sends it changes nothing.)
    let two_lines = with(&MISSION, "remarks", "bound\r\nblindfolded");
    let made = doc
        .submit("/document/rescue", "/document/rescue", &two_lines)
        .await;
    let kept = id_in(made.location());
    let r = doc
        .submit(
            &format!("/document/rescue/{kept}"),
            &format!("/document/rescue/{kept}/bodies"),
            &[("name", ""), ("sex", "male"), ("age", "40")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let kept_edit = format!("/document/rescue/{kept}/edit");
    let before = store.sync_snapshot().await.unwrap();
    let r = doc.submit(&kept_edit, &kept_edit, &two_lines).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(store.sync_snapshot().await.unwrap(), before, "CR LF is LF");
    let form = doc.get(&kept_edit).await;
    assert!(
        !form.body.contains("name=\"confirm\""),
        "no deletion offered"
    );
    let r = doc
        .submit(
            &kept_edit,
            &format!("/document/rescue/{kept}/delete"),
            &[("confirm", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("victim records already"), "{}", r.body);
    assert!(store.rescue_mission(kept).await.unwrap().is_some());

    // A displacement report, corrected and deleted.
    let r = doc
        .submit(
            "/document/displacement",
            "/document/displacement/sites",
            &[
                ("name", "Hmeimim air base"),
                ("kind", "air-base"),
                ("area", "Jableh"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let site = store.list_sites().await.unwrap()[0].id.to_string();
    let report = [
        ("site", site.as_str()),
        ("source", "Governor's count"),
        ("as_of", "2025-03-10"),
        ("families", "1476"),
        ("individuals", "6078"),
        ("origins", "Jableh, Banias"),
        ("needs", "water"),
    ];
    let r = doc
        .submit(
            "/document/displacement",
            "/document/displacement/reports",
            &report,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let rid = store.site_reports(None).await.unwrap()[0].id;
    let edit = format!("/document/displacement/reports/{rid}/edit");
    let delete = format!("/document/displacement/reports/{rid}/delete");
    let page = doc.get("/document/displacement").await;
    assert!(
        page.body.contains(&format!("href=\"{edit}\"")),
        "{}",
        page.body
    );
    assert!(
        !other
            .get("/document/displacement")
            .await
            .body
            .contains(&edit)
    );
    let form = doc.get(&edit).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains("value=\"1476\""));
    assert!(form.body.contains(&format!("value=\"{site}\" selected")));
    let before = store.sync_snapshot().await.unwrap();
    let bad = doc
        .submit(
            &edit,
            &edit,
            &with(&with(&report, "families", ""), "individuals", ""),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = doc.submit(&edit, &edit, &report).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(store.sync_snapshot().await.unwrap(), before, "unchanged");
    let r = doc
        .submit(&edit, &edit, &with(&report, "individuals", ""))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let now = store.site_reports(None).await.unwrap().remove(0);
    assert_eq!(
        (now.report.families, now.report.individuals),
        (Some(1476), None)
    );
    assert_eq!(now.report.origins.len(), 2, "the origins are kept");
    assert_eq!(other.get(&edit).await.status, StatusCode::NOT_FOUND);
    let r = other
        .submit("/document/displacement", &delete, &[("confirm", "1")])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(viewer.get(&edit).await.status, StatusCode::FORBIDDEN);
    let r = doc.submit(&edit, &delete, &[("confirm", "1")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(store.site_reports(None).await.unwrap().is_empty());
    let done = doc.get(r.location()).await;
    assert!(
        done.body.contains("The report was deleted."),
        "{}",
        done.body
    );

    // A testimony's consent scope: changed by its organization only, never to internal
    // use while another organization holds a share of it.
    let r = doc
        .submit(
            "/document/testimonies",
            "/document/testimonies",
            &[
                ("consent", "investigators"),
                ("interviewer", "Lina"),
                ("interviewed_on", "2025-03-10"),
                ("content", "they took my brother at the checkpoint"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let tid = store.testimonies_visible_to(org_a.id).await.unwrap()[0].id;
    let edit = format!("/document/testimonies/{tid}/edit");
    let list = doc.get("/document/testimonies").await;
    assert!(
        list.body.contains(&format!("href=\"{edit}\"")),
        "{}",
        list.body
    );
    let form = doc.get(&edit).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains("value=\"investigators\" selected"));
    assert!(
        !form.body.contains("my brother"),
        "the content is not on the form"
    );
    assert_eq!(other.get(&edit).await.status, StatusCode::NOT_FOUND);
    let r = other
        .submit("/document/testimonies", &edit, &[("consent", "internal")])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let bad = doc.submit(&edit, &edit, &[("consent", "everyone")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = doc
        .submit(&edit, &edit, &[("consent", "public-anonymised")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let consent = |t: Option<sijill_store::document_testimony::Testimony>| t.unwrap().consent;
    assert_eq!(
        consent(store.testimony(tid, org_a.id).await.unwrap()),
        sijill_store::document_types::ConsentScope::PublicAnonymised
    );
    let b = org_b.id.to_string();
    let r = doc
        .submit(
            "/document/testimonies",
            &format!("/document/testimonies/{tid}/share"),
            &[("org", b.as_str())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let refused = doc.submit(&edit, &edit, &[("consent", "internal")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("shared with other organizations"));
    assert_eq!(
        consent(store.testimony(tid, org_a.id).await.unwrap()),
        sijill_store::document_types::ConsentScope::PublicAnonymised
    );

    // Evidence metadata: corrected by its organization; the file and its hash stay.
    let evidence = store
        .add_evidence(
            &files,
            &sijill_store::document_evidence::NewEvidence {
                incident_id: None,
                original_name: "clip.txt".into(),
                media_type: "text/plain".into(),
                origin_url: None,
                captured_at: time::macros::datetime!(2025-03-08 09:15:42 UTC),
                capture_tool: "yt-dlp 2025.02".into(),
                captured_by: "Lina".into(),
                violation: "unlawful-killing".parse().unwrap(),
                description: "posted by the perpetrators".into(),
            },
            b"evidence bytes".to_vec(),
            sijill_store::document_types::Actor {
                user: None,
                org: org_a.id,
            },
        )
        .await
        .unwrap();
    let page = format!("/document/evidence/{}", evidence.id);
    let edit = format!("{page}/edit");
    assert!(
        doc.get(&page)
            .await
            .body
            .contains(&format!("href=\"{edit}\""))
    );
    assert!(!other.get(&page).await.body.contains(&edit));
    let form = doc.get(&edit).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains("value=\"2025-03-08T09:15\""));
    assert!(form.body.contains("value=\"unlawful-killing\" selected"));
    let meta = [
        ("origin_url", ""),
        ("captured_at", "2025-03-08T09:15"),
        ("capture_tool", "yt-dlp 2025.02"),
        ("captured_by", "Lina"),
        ("violation", "unlawful-killing"),
        ("description", "posted by the perpetrators"),
    ];
    let before = store.sync_snapshot().await.unwrap();
    let r = doc.submit(&edit, &edit, &meta).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        store.sync_snapshot().await.unwrap(),
        before,
        "seconds kept, nothing written"
    );
    let bad = doc
        .submit(&edit, &edit, &with(&meta, "captured_by", ""))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fixed = with(&meta, "origin_url", "https://example.org/post/1");
    let r = doc.submit(&edit, &edit, &fixed).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let e = store.evidence(evidence.id).await.unwrap().unwrap();
    assert_eq!(e.origin_url.as_deref(), Some("https://example.org/post/1"));
    assert_eq!(
        (e.sha256, e.captured_at.second()),
        (evidence.sha256.clone(), 42)
    );
    assert_eq!(other.get(&edit).await.status, StatusCode::NOT_FOUND);
    let r = other.submit(&page, &edit, &meta).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(viewer.get(&edit).await.status, StatusCode::FORBIDDEN);

    app.stop().await;
}

/// A mission recorded on a laptop reaches the server; the laptop corrects the remarks
/// offline while the server corrects the team, both on the web; after the next sync
/// both instances hold both corrections and no conflict.
async fn laptop_and_server_story(server_url: &str) {
    let laptop_db = sijill_testkit::sqlite_url();
    let server = App::start_keyed(server_url, ServerConfig::default()).await;
    let laptop = App::start_keyed(laptop_db.url(), ServerConfig::default()).await;
    for app in [&server, &laptop] {
        let org = app.org("Coast Defence", OrgKind::Relief).await;
        app.user(&org, "doc-a", Role::Documenter, "pass-word-123", false)
            .await;
    }
    let mut on_laptop = signed_in(&laptop.url(""), "doc-a").await;
    let mut on_server = signed_in(&server.url(""), "doc-a").await;
    let made = on_laptop
        .submit("/document/rescue", "/document/rescue", &MISSION)
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let id = id_in(made.location());
    send(&laptop.store, &server.store).await;
    let edit = format!("/document/rescue/{id}/edit");
    let r = on_laptop
        .submit(&edit, &edit, &with(&MISSION, "remarks", "two bound"))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = on_server
        .submit(&edit, &edit, &with(&MISSION, "team", "Banias team 1"))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    send(&laptop.store, &server.store).await;
    send(&server.store, &laptop.store).await;
    for app in [&server, &laptop] {
        let m = app.store.rescue_mission(id).await.unwrap().unwrap();
        assert_eq!(
            (m.team.as_str(), m.remarks.as_str()),
            ("Banias team 1", "two bound")
        );
        assert!(app.store.sync_conflicts(None).await.unwrap().is_empty());
    }
    server.stop().await;
    laptop.stop().await;
}

#[tokio::test]
async fn field_record_edits_sqlite() {
    let db = sijill_testkit::sqlite_url();
    field_records_story(db.url()).await;
}

#[tokio::test]
async fn field_record_edits_postgres() {
    let Some(pg) = sijill_testkit::postgres() else {
        return;
    };
    field_records_story(pg.url()).await;
}

#[tokio::test]
async fn laptop_and_server_edits_merge_sqlite() {
    let db = sijill_testkit::sqlite_url();
    laptop_and_server_story(db.url()).await;
}

#[tokio::test]
async fn laptop_and_server_edits_merge_postgres() {
    let Some(pg) = sijill_testkit::postgres() else {
        return;
    };
    laptop_and_server_story(pg.url()).await;
}

async fn people_story(url: &str) {
    let app = App::start_keyed(url, ServerConfig::default()).await;
    let store = app.store.clone();
    let base = app.url("");
    let org_a = app.org("Coast Relief", OrgKind::Relief).await;
    let org_b = app.org("Hills Relief", OrgKind::Relief).await;
    for (org, name, role) in [
        (&org_a, "field-a", Role::Field),
        (&org_a, "view-a", Role::Viewer),
        (&org_b, "field-b", Role::Field),
    ] {
        app.user(org, name, role, "pass-word-123", false).await;
    }
    let a = org_a.id;
    let mut field = signed_in(&base, "field-a").await;
    let mut viewer = signed_in(&base, "view-a").await;
    let mut stranger = signed_in(&base, "field-b").await;

    // A volunteer: the form holds the stored values, the name opened.
    let entry = [
        ("name", "Hiba Darwish"),
        ("area", "Jableh"),
        ("skills", "first aid، cooking"),
        ("days", "3"),
    ];
    let r = field
        .submit("/respond/volunteers", "/respond/volunteers", &entry)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let v = store.list_volunteers(a).await.unwrap().remove(0);
    let edit = format!("/respond/volunteers/{}/edit", v.id);
    let delete = format!("/respond/volunteers/{}/delete", v.id);
    assert!(field.get("/respond/volunteers").await.body.contains(&edit));
    assert!(!viewer.get("/respond/volunteers").await.body.contains(&edit));
    let form = field.get(&edit).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains("value=\"Hiba Darwish\""));
    assert!(form.body.contains("value=\"first aid, cooking\""));
    let stored = [
        ("name", "Hiba Darwish"),
        ("area", v.pcode.as_str()),
        ("skills", "first aid, cooking"),
        ("days", "3"),
    ];
    let before = store.sync_snapshot().await.unwrap();
    let bad = field
        .submit(&edit, &edit, &with(&stored, "days", "lots"))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("value=\"lots\""), "what was typed stays");
    let ar = format!("{edit}?lang=ar");
    let bad = field.submit(&ar, &ar, &with(&stored, "name", "")).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("تصحيح بيانات متطوع"), "{}", bad.body);
    let r = field.submit(&edit, &edit, &stored).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(store.sync_snapshot().await.unwrap(), before, "unchanged");
    let r = field
        .submit(&edit, &edit, &with(&stored, "days", "٥"))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let now = store.list_volunteers(a).await.unwrap().remove(0);
    assert_eq!((now.days_active, now.name.as_str()), (5, "Hiba Darwish"));
    assert_eq!(now.skills, vec!["first aid", "cooking"]);
    assert_eq!(stranger.get(&edit).await.status, StatusCode::NOT_FOUND);
    let r = stranger
        .submit("/respond/volunteers", &delete, &[("confirm", "1")])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(viewer.get(&edit).await.status, StatusCode::FORBIDDEN);
    let r = field.submit(&edit, &delete, &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = field.submit(&edit, &delete, &[("confirm", "1")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(store.list_volunteers(a).await.unwrap().is_empty());

    // A dialogue session: listed for every partner, corrected only by its own.
    let session = [
        ("date", "2025-03-11"),
        ("area", "Jableh"),
        ("facilitators", "Sheikh Ahmad"),
        ("dignitaries", "4"),
        ("residents", "20"),
        ("topics", "safe return"),
    ];
    let r = field
        .submit("/respond/dialogue", "/respond/dialogue", &session)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let d = store.list_dialogues(a).await.unwrap().remove(0);
    let edit = format!("/respond/dialogue/{}/edit", d.id);
    let delete = format!("/respond/dialogue/{}/delete", d.id);
    assert!(field.get("/respond/dialogue").await.body.contains(&edit));
    let theirs = stranger.get("/respond/dialogue").await;
    assert!(
        theirs.body.contains("safe return"),
        "the network's sessions"
    );
    assert!(!theirs.body.contains(&edit));
    assert!(!theirs.body.contains("Sheikh Ahmad"));
    let form = field.get(&edit).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains("value=\"Sheikh Ahmad\""));
    assert!(form.body.contains("value=\"2025-03-11\""));
    assert!(form.body.contains("safe return</textarea>"));
    let mut fixed = with(&session, "area", d.pcode.as_str());
    fixed = with(&fixed, "residents", "25");
    fixed = with(&fixed, "outcomes", "a committee of\r\nfive residents");
    let r = field.submit(&edit, &edit, &fixed).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let now = store.list_dialogues(a).await.unwrap().remove(0);
    assert_eq!(now.participants.residents, 25);
    assert_eq!(now.participants.dignitaries, 4);
    assert_eq!(now.outcomes, "a committee of\nfive residents");
    let before = store.sync_snapshot().await.unwrap();
    let r = field.submit(&edit, &edit, &fixed).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(store.sync_snapshot().await.unwrap(), before, "unchanged");
    let bad = field
        .submit(&edit, &edit, &with(&fixed, "topics", " "))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(stranger.get(&edit).await.status, StatusCode::NOT_FOUND);
    let r = stranger.submit("/respond/dialogue", &edit, &fixed).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = field.submit(&edit, &delete, &[("confirm", "1")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(store.list_dialogues(a).await.unwrap().is_empty());

    // A cash transfer: corrected, moved only past the duplicate-payment guard.
    let family = |name: &'static str| {
        vec![
            ("name", name),
            ("father_name", "Ali"),
            ("birth_year", "1980"),
            ("area", "Jableh"),
            ("size", "4"),
            ("females", "2"),
            ("males", "2"),
            ("children", "1"),
            ("elderly", "0"),
        ]
    };
    for name in ["Rana Saleh", "Maya Haddad"] {
        let r = field
            .submit("/respond/households", "/respond/households", &family(name))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let homes = store.list_households(a).await.unwrap();
    let (rana, maya) = (
        homes
            .iter()
            .find(|h| h.name == "Rana Saleh")
            .unwrap()
            .id
            .to_string(),
        homes
            .iter()
            .find(|h| h.name == "Maya Haddad")
            .unwrap()
            .id
            .to_string(),
    );
    for (home, day) in [(&rana, "2025-03-12"), (&maya, "2025-03-13")] {
        let pay = [
            ("household", home.as_str()),
            ("amount", "50000"),
            ("currency", "SYP"),
            ("date", day),
            ("modality", "cash-in-hand"),
        ];
        let r = field.submit("/respond/cash", "/respond/cash", &pay).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let paid = store.list_cash_transfers(a).await.unwrap();
    let to_rana = paid
        .iter()
        .find(|c| c.household.to_string() == rana)
        .unwrap();
    let edit = format!("/respond/cash/{}/edit", to_rana.id);
    let delete = format!("/respond/cash/{}/delete", to_rana.id);
    assert!(field.get("/respond/cash").await.body.contains(&edit));
    assert!(!viewer.get("/respond/cash").await.body.contains(&edit));
    let form = field.get(&edit).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains("value=\"50000\""));
    assert!(form.body.contains(&format!("value=\"{rana}\" selected")));
    let stored = [
        ("household", rana.as_str()),
        ("amount", "50000"),
        ("currency", "SYP"),
        ("date", "2025-03-12"),
        ("modality", "cash-in-hand"),
    ];
    let before = store.sync_snapshot().await.unwrap();
    let r = field.submit(&edit, &edit, &stored).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(store.sync_snapshot().await.unwrap(), before, "unchanged");
    // Its own day moved within the window: the transfer is not its own duplicate.
    let r = field
        .submit(
            &edit,
            &edit,
            &with(&with(&stored, "date", "2025-03-14"), "amount", "٤٥٠٠٠"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let now = store.list_cash_transfers(a).await.unwrap();
    let now = now.iter().find(|c| c.id == to_rana.id).unwrap();
    assert_eq!(
        (now.amount, now.paid_on.to_string()),
        (45000, "2025-03-14".to_owned())
    );
    // Moved to a household paid two days before: refused unless a repeat is ticked.
    let onto_maya = with(&stored, "household", maya.as_str());
    let refused = field.submit(&edit, &edit, &onto_maya).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert!(refused.body.contains("id=\"guard\""));
    let still = store.list_cash_transfers(a).await.unwrap();
    assert_eq!(
        still
            .iter()
            .find(|c| c.id == to_rana.id)
            .unwrap()
            .household
            .to_string(),
        rana
    );
    let r = field
        .submit(&edit, &edit, &with(&onto_maya, "allow_repeat", "on"))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(stranger.get(&edit).await.status, StatusCode::NOT_FOUND);
    let r = stranger
        .submit("/respond/cash", &delete, &[("confirm", "1")])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(viewer.get(&edit).await.status, StatusCode::FORBIDDEN);
    let r = field.submit(&edit, &delete, &[("confirm", "1")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(store.list_cash_transfers(a).await.unwrap().len(), 1);

    app.stop().await;
}

#[tokio::test]
async fn people_edits_sqlite() {
    let db = sijill_testkit::sqlite_url();
    people_story(db.url()).await;
}

#[tokio::test]
async fn people_edits_postgres() {
    let Some(pg) = sijill_testkit::postgres() else {
        return;
    };
    people_story(pg.url()).await;
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
