//! Three instances in one test: two SQLite laptops and a server (PostgreSQL when one is
//! available, else SQLite), with scripted offline edits, a transport that drops at
//! seeded random points (before the server sees a request, or after it applied one and
//! before the answer arrives), and a convergence check: same records everywhere,
//! conflicts listed on every instance, nothing lost. The records cover both areas:
//! relief (households, distributions, cash transfers, volunteers) and documentation
//! (incidents with their sources, evidence and its custody chain, testimonies, rescue
//! missions).

mod common;

use common::{distribution, flaky, household, instance, org, set, sync_until_done};
use sijill_model::geo::PCode;
use sijill_store::document_evidence::{EvidenceFiles, NewEvidence};
use sijill_store::document_field::NewRescueMission;
use sijill_store::document_incident::{IncidentSource, NewIncident};
use sijill_store::document_testimony::NewTestimony;
use sijill_store::document_types::{
    Actor, ConsentScope, CustodyEvent, DatePrecision, Day, MissionKind, SubEventType, Violation,
};
use sijill_store::{Modality, NewCashTransfer, NewVolunteer, Store};
use time::macros::{date, datetime};
use uuid::Uuid;

async fn story(server_url: &str) {
    let a_db = sijill_testkit::sqlite_url();
    let b_db = sijill_testkit::sqlite_url();
    let server = instance(server_url).await;
    let a = instance(a_db.url()).await;
    let b = instance(b_db.url()).await;
    let server_org = org(&server, "Jableh Youth").await;
    let a_org = org(&a, "Jableh Youth").await;
    let b_org = org(&b, "Jableh Youth").await;
    assert_ne!(
        a.sync_instance_id().await.unwrap(),
        b.sync_instance_id().await.unwrap()
    );

    // Laptop A works offline: households and distributions of an item only it knows.
    let basket = a
        .create_item(
            "sync-basket",
            ("Food basket", "سلة غذائية"),
            ("basket", "سلة"),
            false,
        )
        .await
        .unwrap();
    let h1 = a
        .register_household(None, a_org, &household("Rana Saleh"))
        .await
        .unwrap();
    let h2 = a
        .register_household(None, a_org, &household("محمد الحسن"))
        .await
        .unwrap();
    let d1 = a
        .create_distribution(None, a_org, &distribution(basket.id, 40))
        .await
        .unwrap()
        .id;
    let d2 = a
        .create_distribution(None, a_org, &distribution(basket.id, 25))
        .await
        .unwrap()
        .id;

    let incident = b
        .create_incident(
            &NewIncident {
                occurred_on: Day::parse("2025-03-07").unwrap(),
                precision: DatePrecision::Day,
                area: "SY0602".into(),
                place: "Ein Shaqaq".into(),
                sub_event_type: SubEventType::Attack,
                summary: "Killings in a village".into(),
                sources: vec![IncidentSource {
                    source: "Local monitor".into(),
                    url: None,
                    perpetrator: "unidentified gunmen".into(),
                    target: "residents".into(),
                    claim: "at least 12 killed".into(),
                }],
            },
            Actor {
                user: None,
                org: b_org,
            },
        )
        .await
        .unwrap()
        .id;
    // Relief beyond households on A: a cash transfer and a volunteer.
    let cash = a
        .create_cash_transfer(
            None,
            a_org,
            &NewCashTransfer {
                household: h1,
                campaign: None,
                amount: 150_000,
                currency: "SYP".into(),
                paid_on: date!(2025 - 03 - 14),
                modality: Modality::MobileMoney,
                allow_repeat: false,
            },
        )
        .await
        .unwrap()
        .id;
    let volunteer = a
        .create_volunteer(
            a_org,
            &NewVolunteer {
                campaign: None,
                name: "Hala Ibrahim".into(),
                pcode: PCode::parse("SY0602").unwrap(),
                skills: vec!["first aid".into()],
                days_active: 3,
            },
        )
        .await
        .unwrap();
    // Documentation on B: evidence of the incident with its custody, a testimony, a
    // rescue mission.
    let b_actor = Actor {
        user: None,
        org: b_org,
    };
    let files = EvidenceFiles::new(b_db.path().parent().unwrap().join("evidence"));
    let evidence = b
        .add_evidence(
            &files,
            &NewEvidence {
                incident_id: Some(incident),
                original_name: "post.txt".into(),
                media_type: "text/plain".into(),
                origin_url: None,
                captured_at: datetime!(2025-03-08 09:30:15.5 UTC),
                capture_tool: "wget 1.21".into(),
                captured_by: "Documenter B".into(),
                violation: Violation::UnlawfulKilling,
                description: "archived post".into(),
            },
            b"the archived post".to_vec(),
            b_actor,
        )
        .await
        .unwrap()
        .id;
    b.record_custody(
        evidence,
        CustodyEvent::Transferred,
        b_actor,
        "to investigators",
    )
    .await
    .unwrap();
    let testimony = b
        .create_testimony(
            &NewTestimony {
                incident_id: Some(incident),
                consent: ConsentScope::Investigators,
                interviewer: "Interviewer B".into(),
                interviewed_on: Day::parse("2025-03-10").unwrap(),
                content: "شهادة: دخل المسلحون القرية صباحاً".into(),
            },
            b_actor,
        )
        .await
        .unwrap()
        .id;
    let mission = b
        .create_rescue_mission(
            &NewRescueMission {
                team: "Jableh team 2".into(),
                started_at: datetime!(2025-03-09 06:00 UTC),
                area: "SY0602".into(),
                place: "orchards east of the town".into(),
                kind: MissionKind::BodyRecovery,
                rescued_alive: 0,
                bodies_recovered: 3,
                remarks: "signs of binding".into(),
                handed_over_to: "National hospital, Jableh".into(),
            },
            b_actor,
        )
        .await
        .unwrap()
        .id;
    let ta = flaky(&server, server_org, 7);
    let tb = flaky(&server, server_org, 11);
    sync_until_done(&a, &ta).await;
    sync_until_done(&b, &tb).await;
    sync_until_done(&a, &ta).await;
    assert_eq!(
        a.sync_snapshot().await.unwrap(),
        b.sync_snapshot().await.unwrap()
    );
    let first = a.sync_snapshot().await.unwrap();
    for kind in [
        "cash-transfer",
        "volunteer",
        "evidence",
        "custody",
        "testimony",
        "rescue-mission",
        "incident-source",
    ] {
        assert!(first.keys().any(|(k, _)| k == kind), "{kind} reached A");
    }
    assert!(first.contains_key(&("cash-transfer".to_owned(), cash)));

    // Both laptops offline again, editing the same records.
    a.sync_edit(None, a_org, "household", h1, &set(&[("size", "5")]))
        .await
        .unwrap();
    a.sync_edit(None, a_org, "distribution", d1, &set(&[("quantity", "10")]))
        .await
        .unwrap();
    a.sync_edit(
        None,
        a_org,
        "distribution",
        d2,
        &set(&[("site", "Mosque yard")]),
    )
    .await
    .unwrap();
    b.sync_edit(
        None,
        b_org,
        "household",
        h1,
        &set(&[("size", "7"), ("pcode", "SY060201")]),
    )
    .await
    .unwrap();
    b.sync_edit(
        None,
        b_org,
        "household",
        h2,
        &set(&[("name_sealed", "{\"name\":\"Muhammad al-Hasan\"}")]),
    )
    .await
    .unwrap();
    b.sync_delete(None, b_org, "distribution", d2)
        .await
        .unwrap();
    let d4 = b
        .create_distribution(None, b_org, &distribution(basket_on(&b).await, 3))
        .await
        .unwrap()
        .id;

    a.sync_edit(
        None,
        a_org,
        "incident",
        incident,
        &set(&[("summary", "Killings in a village; 14 named")]),
    )
    .await
    .unwrap();
    b.sync_edit(
        None,
        b_org,
        "incident",
        incident,
        &set(&[("place", "Ein Shaqaq (west)")]),
    )
    .await
    .unwrap();
    // The same field of a volunteer on both (a conflict), a testimony's sealed content
    // on A, and a rescue mission deleted on B (a tombstone).
    a.sync_edit(
        None,
        a_org,
        "volunteer",
        volunteer,
        &set(&[("days_active", "5")]),
    )
    .await
    .unwrap();
    b.sync_edit(
        None,
        b_org,
        "volunteer",
        volunteer,
        &set(&[("days_active", "9"), ("skills", "first aid,driving")]),
    )
    .await
    .unwrap();
    a.sync_edit(
        None,
        a_org,
        "testimony",
        testimony,
        &set(&[("content_sealed", "شهادة مصححة")]),
    )
    .await
    .unwrap();
    b.sync_delete(None, b_org, "rescue-mission", mission)
        .await
        .unwrap();
    a.record_custody(
        evidence,
        CustodyEvent::Viewed,
        Actor {
            user: None,
            org: a_org,
        },
        "checked on laptop A",
    )
    .await
    .unwrap();
    for _ in 0..2 {
        sync_until_done(&a, &ta).await;
        sync_until_done(&b, &tb).await;
    }
    assert!(*ta.drops.lock().unwrap() > 0 && *tb.drops.lock().unwrap() > 0);

    let snap = server.sync_snapshot().await.unwrap();
    assert_eq!(a.sync_snapshot().await.unwrap(), snap, "laptop A converged");
    assert_eq!(b.sync_snapshot().await.unwrap(), snap, "laptop B converged");
    // Nothing lost: different fields merged, B's new record and new name everywhere.
    let h1_now = &snap[&("household".to_owned(), h1)];
    assert_eq!(h1_now["pcode"].as_deref(), Some("SY060201"));
    assert!(matches!(h1_now["size"].as_deref(), Some("5" | "7")));
    assert_eq!(
        snap[&("distribution".to_owned(), d1)]["quantity"].as_deref(),
        Some("10")
    );
    assert!(snap.contains_key(&("distribution".to_owned(), d4)));
    assert_eq!(
        snap[&("household".to_owned(), h2)]["name_sealed"].as_deref(),
        Some("{\"name\":\"Muhammad al-Hasan\"}")
    );
    let inc = &snap[&("incident".to_owned(), incident)];
    assert_eq!(
        inc["summary"].as_deref(),
        Some("Killings in a village; 14 named")
    );
    assert_eq!(inc["place"].as_deref(), Some("Ein Shaqaq (west)"));
    let v = &snap[&("volunteer".to_owned(), volunteer)];
    assert_eq!(v["skills"].as_deref(), Some("first aid,driving"));
    assert_eq!(
        snap[&("testimony".to_owned(), testimony)]["content_sealed"].as_deref(),
        Some("شهادة مصححة")
    );
    assert!(!snap.contains_key(&("rescue-mission".to_owned(), mission)));
    // Three custody events, each chain verifying on its own instance.
    assert_eq!(snap.keys().filter(|(k, _)| k == "custody").count(), 3);
    for s in [&server, &a, &b] {
        let report = s.verify_custody().await.unwrap();
        assert_eq!((report.checked, report.first_break), (3, None));
        assert!(s.verify_audit().await.unwrap().first_break.is_none());
    }
    // The deletion wins over the concurrent edit, and both are flagged.
    assert!(!snap.contains_key(&("distribution".to_owned(), d2)));
    let fields = |c: &[sijill_store::Conflict]| {
        let mut f: Vec<(String, Uuid)> = c.iter().map(|c| (c.field.clone(), c.record_id)).collect();
        f.sort();
        f
    };
    let expected = {
        let mut e = vec![
            ("_deleted".to_owned(), d2),
            ("size".to_owned(), h1),
            ("days_active".to_owned(), volunteer),
        ];
        e.sort();
        e
    };
    for s in [&server, &a, &b] {
        assert_eq!(fields(&s.sync_conflicts(None).await.unwrap()), expected);
    }
    let size = a
        .sync_conflicts(Some(a_org))
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.field == "size")
        .unwrap();
    // Each value says when it was made (from its revision id).
    let now = time::OffsetDateTime::now_utc();
    assert!(
        size.candidates
            .iter()
            .all(|c| c.made_at.is_some_and(|t| t <= now))
    );
    let mut values: Vec<Option<String>> = size.candidates.iter().map(|c| c.value.clone()).collect();
    values.sort();
    assert_eq!(values, vec![Some("5".into()), Some("7".into())]);

    // A person on laptop A keeps B's value; once synced the conflict is closed everywhere.
    let seven = size
        .candidates
        .iter()
        .find(|c| c.value.as_deref() == Some("7"))
        .unwrap();
    a.sync_resolve(None, a_org, size.id, seven.revision_id)
        .await
        .unwrap();
    sync_until_done(&a, &ta).await;
    sync_until_done(&b, &tb).await;
    let snap = server.sync_snapshot().await.unwrap();
    assert_eq!(
        snap[&("household".to_owned(), h1)]["size"].as_deref(),
        Some("7")
    );
    assert_eq!(a.sync_snapshot().await.unwrap(), snap);
    assert_eq!(b.sync_snapshot().await.unwrap(), snap);
    for s in [&server, &a, &b] {
        let open = fields(&s.sync_conflicts(None).await.unwrap());
        let mut left = vec![
            ("_deleted".to_owned(), d2),
            ("days_active".to_owned(), volunteer),
        ];
        left.sort();
        assert_eq!(open, left);
    }
    // Syncing again changes nothing.
    let again = sync_until_done(&a, &ta).await;
    assert_eq!((again.captured, again.pushed, again.pulled), (0, 0, 0));
}

async fn basket_on(store: &Store) -> Uuid {
    store
        .list_items()
        .await
        .unwrap()
        .into_iter()
        .find(|i| i.code == "sync-basket")
        .unwrap()
        .id
}

#[tokio::test]
async fn two_laptops_and_a_server_converge() {
    match sijill_testkit::postgres() {
        Some(pg) => story(pg.url()).await,
        None => {
            let db = sijill_testkit::sqlite_url();
            story(db.url()).await
        }
    }
}
