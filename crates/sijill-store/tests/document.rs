//! The documentation story on both backends: an incident with two sources and two
//! pieces of evidence, a custody log that verifies and breaks when edited, a stored file
//! that is tampered with and reported, a testimony only its organization (and one it
//! is shared with) can read, rescue missions with daily tallies, and a displacement site
//! with conflicting counts kept side by side.

use sijill_model::account::{NewOrganization, NewUser, OrgKind, PasswordHash, Role, Username};
use sijill_store::document_evidence::{EvidenceFiles, FileCheck, NewEvidence};
use sijill_store::document_field::{NewRescueMission, NewSite, NewSiteReport};
use sijill_store::document_incident::{IncidentFilter, IncidentSource, NewIncident};
use sijill_store::document_testimony::NewTestimony;
use sijill_store::document_types::{
    Actor, ConsentScope, CustodyEvent, DatePrecision, Day, EventType, MissionKind, SiteKind,
    SubEventType, Violation,
};
use sijill_store::{Keyring, Store, StoreError};
use time::macros::datetime;

async fn org(store: &Store, name: &str, kind: OrgKind) -> Actor {
    let o = store
        .create_org(&NewOrganization {
            name: name.into(),
            name_ar: None,
            kind,
            network_member: true,
        })
        .await
        .unwrap();
    let u = store
        .create_user(&NewUser {
            username: Username::parse(&format!("doc-{}", name.len())).unwrap(),
            display_name: format!("Documenter of {name}"),
            org_id: o.id,
            role: Role::Documenter,
            password_hash: PasswordHash::new("$argon2id$v=19$x"),
            must_change_password: false,
        })
        .await
        .unwrap();
    Actor {
        user: Some(u.id),
        org: o.id,
    }
}

fn source(name: &str, perpetrator: &str) -> IncidentSource {
    IncidentSource {
        source: name.into(),
        url: None,
        perpetrator: perpetrator.into(),
        target: "residents of the village".into(),
        claim: "at least 12 killed".into(),
    }
}

async fn story(url: &str, files: &EvidenceFiles) {
    let store = Store::open(url)
        .await
        .unwrap()
        .with_keyring(Keyring::generate())
        .await
        .unwrap();
    let a = org(&store, "Coastal Monitor", OrgKind::Monitor).await;
    let b = org(&store, "Other Relief Org", OrgKind::Relief).await;
    let c = org(&store, "Civil Defence Coast", OrgKind::CivilDefence).await;

    // Incidents: unknown areas and sourceless incidents are refused.
    let mut new = NewIncident {
        occurred_on: Day::parse("2025-03-07").unwrap(),
        precision: DatePrecision::Day,
        area: "SY0602".into(),
        place: "Ein Shaqaq".into(),
        sub_event_type: SubEventType::Attack,
        summary: "Killings in a village".into(),
        sources: vec![],
    };
    assert!(matches!(
        store.create_incident(&new, a).await,
        Err(StoreError::Invalid(_))
    ));
    new.sources = vec![
        source(
            "Monitor one",
            "armed group affiliated with the security forces",
        ),
        source("Local witnesses", "unidentified gunmen"),
    ];
    new.area = "SY9999".into();
    assert!(matches!(
        store.create_incident(&new, a).await,
        Err(StoreError::Invalid(_))
    ));
    new.area = "SY0602".into();
    let inc = store.create_incident(&new, a).await.unwrap();
    assert_eq!(inc.event_type, EventType::ViolenceAgainstCivilians);
    let other = store
        .create_incident(
            &NewIncident {
                occurred_on: Day::parse("2025-03-01").unwrap(),
                precision: DatePrecision::Month,
                area: "SY1002".into(),
                place: "Baniyas".into(),
                sub_event_type: SubEventType::ArmedClash,
                summary: String::new(),
                sources: vec![source("Agency", "—")],
            },
            a,
        )
        .await
        .unwrap();
    let got = store.incident(inc.id).await.unwrap().unwrap();
    assert_eq!(got.sources.len(), 2);
    assert_eq!(got.sources[1].perpetrator, "unidentified gunmen");
    let in_latakia = store
        .list_incidents(&IncidentFilter {
            area: Some("SY06".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        in_latakia.iter().map(|i| i.id).collect::<Vec<_>>(),
        vec![inc.id]
    );
    let battles = store
        .list_incidents(&IncidentFilter {
            event_type: Some(EventType::Battles),
            to: Some(Day::parse("2025-03-05").unwrap()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(battles.len(), 1);
    assert_eq!(battles[0].id, other.id);

    // Evidence: two files, content-addressed, each with a "captured" custody row.
    let meta = |name: &str| NewEvidence {
        incident_id: Some(inc.id),
        original_name: name.into(),
        media_type: "text/plain".into(),
        origin_url: Some("https://example.org/post/1".into()),
        captured_at: datetime!(2025-03-08 09:30 UTC),
        capture_tool: "wget 1.21".into(),
        captured_by: "Documenter A".into(),
        violation: Violation::UnlawfulKilling,
        description: "archived post".into(),
    };
    let e1 = store
        .add_evidence(files, &meta("post.txt"), b"first file".to_vec(), a)
        .await
        .unwrap();
    let e2 = store
        .add_evidence(files, &meta("photo.png"), b"second file".to_vec(), a)
        .await
        .unwrap();
    assert_eq!(
        e1.sha256,
        sijill_store::document_evidence::sha256_hex(b"first file")
    );
    assert_eq!(
        std::fs::read(files.path_of(&e1.sha256)).unwrap(),
        b"first file"
    );
    assert!(
        store
            .add_evidence(files, &meta("e.txt"), Vec::new(), a)
            .await
            .is_err()
    );
    assert_eq!(store.list_evidence(Some(inc.id)).await.unwrap().len(), 2);
    store
        .record_custody(e1.id, CustodyEvent::Transferred, a, "to investigators")
        .await
        .unwrap();
    let log = store.custody_log(Some(e1.id)).await.unwrap();
    assert_eq!(
        log.iter().map(|r| r.event).collect::<Vec<_>>(),
        vec![CustodyEvent::Captured, CustodyEvent::Transferred]
    );
    let report = store.verify_custody().await.unwrap();
    assert_eq!(report.checked, 3);
    assert_eq!(report.first_break, None);

    // Tampering with a stored file is reported for that file only.
    let checks = store.check_evidence_files(files).await.unwrap();
    assert!(checks.iter().all(|(_, c)| *c == FileCheck::Intact));
    let p = files.path_of(&e2.sha256);
    let mut perm = std::fs::metadata(&p).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perm.set_readonly(false);
    std::fs::set_permissions(&p, perm).unwrap();
    std::fs::write(&p, b"second file, edited").unwrap();
    let checks = store.check_evidence_files(files).await.unwrap();
    let bad: Vec<_> = checks
        .iter()
        .filter(|(_, c)| *c != FileCheck::Intact)
        .map(|(e, _)| e.original_name.as_str())
        .collect();
    assert_eq!(bad, vec!["photo.png"]);

    // Testimonies: sealed, visible to their organization and to those shared with.
    let t = store
        .create_testimony(
            &NewTestimony {
                incident_id: Some(inc.id),
                consent: ConsentScope::Investigators,
                interviewer: "Interviewer A".into(),
                interviewed_on: Day::parse("2025-03-10").unwrap(),
                content: "شهادة: دخل المسلحون القرية صباحاً".into(),
            },
            a,
        )
        .await
        .unwrap();
    let internal = store
        .create_testimony(
            &NewTestimony {
                incident_id: None,
                consent: ConsentScope::Internal,
                interviewer: "Interviewer A".into(),
                interviewed_on: Day::parse("2025-03-11").unwrap(),
                content: "internal only".into(),
            },
            a,
        )
        .await
        .unwrap();
    assert_eq!(store.testimonies_visible_to(a.org).await.unwrap().len(), 2);
    assert!(
        store
            .testimonies_visible_to(b.org)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(store.testimony(t.id, b.org).await.unwrap().is_none());
    assert_eq!(
        store.share_testimony(t.id, b.org, b).await,
        Err(StoreError::NotFound),
        "only the owner shares"
    );
    assert!(matches!(
        store.share_testimony(internal.id, b.org, a).await,
        Err(StoreError::Invalid(_))
    ));
    store.share_testimony(t.id, b.org, a).await.unwrap();
    let seen = store.testimony(t.id, b.org).await.unwrap().unwrap();
    assert_eq!(seen.content, "شهادة: دخل المسلحون القرية صباحاً");
    assert_eq!(seen.shared_with, vec![b.org]);
    assert_eq!(store.testimonies_visible_to(b.org).await.unwrap().len(), 1);
    assert!(store.testimony(internal.id, c.org).await.unwrap().is_none());

    // Rescue missions and their daily tallies.
    for (at, bodies, alive) in [
        (datetime!(2025-03-09 07:00 UTC), 5, 0),
        (datetime!(2025-03-09 15:00 UTC), 3, 2),
        (datetime!(2025-03-10 08:00 UTC), 7, 1),
    ] {
        store
            .create_rescue_mission(
                &NewRescueMission {
                    team: "Jableh team 2".into(),
                    started_at: at,
                    area: "SY0602".into(),
                    place: "orchards east of the town".into(),
                    kind: MissionKind::BodyRecovery,
                    rescued_alive: alive,
                    bodies_recovered: bodies,
                    remarks: "signs of binding on two bodies".into(),
                    handed_over_to: "National hospital, Jableh".into(),
                },
                c,
            )
            .await
            .unwrap();
    }
    let tallies = store.rescue_daily_tallies().await.unwrap();
    assert_eq!(
        tallies
            .iter()
            .map(|t| (
                t.day.to_text(),
                t.missions,
                t.bodies_recovered,
                t.rescued_alive
            ))
            .collect::<Vec<_>>(),
        vec![
            ("2025-03-09".to_owned(), 2, 8, 2),
            ("2025-03-10".to_owned(), 1, 7, 1)
        ]
    );

    // Displacement: two sources disagree on one site; both are kept.
    let akkar = store
        .create_site(
            &NewSite {
                name: "Akkar host villages".into(),
                name_ar: Some("قرى عكار المضيفة".into()),
                kind: SiteKind::CrossBorder,
                area: "LB-AK".into(),
            },
            a,
        )
        .await
        .unwrap();
    assert!(matches!(
        store
            .create_site(
                &NewSite {
                    name: "Akkar host villages".into(),
                    name_ar: None,
                    kind: SiteKind::CrossBorder,
                    area: "LB-AK".into(),
                },
                a
            )
            .await,
        Err(StoreError::Conflict(_))
    ));
    for (fam, ind, src) in [
        (Some(1476), Some(6078), "Governor of Akkar"),
        (None, Some(12_000), "Local count"),
    ] {
        store
            .add_site_report(
                &NewSiteReport {
                    site_id: akkar.id,
                    as_of: Day::parse("2025-03-12").unwrap(),
                    families: fam,
                    individuals: ind,
                    origins: vec!["SY1002".into(), "SY0602".into()],
                    needs: "food, mattresses".into(),
                    source: src.into(),
                },
                a,
            )
            .await
            .unwrap();
    }
    let reports = store.site_reports(Some(akkar.id)).await.unwrap();
    assert_eq!(
        reports
            .iter()
            .map(|r| r.report.individuals)
            .collect::<Vec<_>>(),
        vec![Some(6078), Some(12_000)]
    );
    assert_eq!(reports[0].report.origins, vec!["SY1002", "SY0602"]);

    // Every write was audited.
    let audit = store.recent_audit(100).await.unwrap();
    for action in [
        "incident.create",
        "evidence.create",
        "testimony.create",
        "testimony.share",
        "rescue_mission.create",
        "displacement_report.create",
    ] {
        assert!(audit.iter().any(|r| r.action == action), "{action}");
    }
    assert!(store.verify_audit().await.unwrap().is_intact());
    store.close().await;
}

#[tokio::test]
async fn document_story_sqlite() {
    let db = sijill_testkit::sqlite_url();
    let files = EvidenceFiles::beside(db.url()).unwrap();
    story(db.url(), &files).await;
}

#[tokio::test]
async fn document_story_postgres() {
    let Some(pg) = sijill_testkit::postgres() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    story(pg.url(), &EvidenceFiles::new(dir.path())).await;
}

/// Links to victim records, a recovered body made a victim record, and `verified`
/// custody events written only for files that match.
async fn links_story(url: &str, files: &EvidenceFiles) {
    use sijill_store::document_links::NewBody;
    use sijill_store::reconcile_lists::{NewVictimList, Personal, VictimRow};
    let store = Store::open(url)
        .await
        .unwrap()
        .with_keyring(Keyring::generate())
        .await
        .unwrap();
    let a = org(&store, "Coast Rights Observatory", OrgKind::Monitor).await;
    let b = org(&store, "Civil Defence", OrgKind::CivilDefence).await;
    let incident = store
        .create_incident(
            &NewIncident {
                occurred_on: Day::parse("2025-03-07").unwrap(),
                precision: DatePrecision::Day,
                area: "SY0602".into(),
                place: "village".into(),
                sub_event_type: SubEventType::Attack,
                summary: String::new(),
                sources: vec![source("Monitor", "gunmen")],
            },
            a,
        )
        .await
        .unwrap();
    let row = |key: &str, name: &str| VictimRow {
        record_key: key.into(),
        personal: Personal {
            full_name: Some(name.into()),
            ..Personal::default()
        },
        sex: Some("male".into()),
        age: Some(40),
        birth_year: None,
        date_of_death: Some("2025-03-07".into()),
        governorate: Some("SY06".into()),
        status: "civilian".into(),
    };
    let list = store
        .import_victim_list(
            sijill_store::Actor {
                user: a.user,
                org: a.org,
            },
            &NewVictimList {
                source: "Observatory list".into(),
                file_name: "list.csv".into(),
                raw: b"record_id,full_name\nv1,x\nv2,y\n".to_vec(),
                mapping: serde_json::json!({}),
                dropped: Vec::new(),
                rows: vec![row("v1", "linked-victim-name"), row("v2", "other")],
            },
        )
        .await
        .unwrap()
        .list;
    // Only an own record can be linked; linking twice is harmless.
    assert!(matches!(
        store
            .link_incident_victim(incident.id, list.id, "v9", a)
            .await,
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        store
            .link_incident_victim(incident.id, list.id, "v1", b)
            .await,
        Err(StoreError::Invalid(_))
    ));
    let rec = store
        .link_incident_victim(incident.id, list.id, "v1", a)
        .await
        .unwrap();
    store
        .link_incident_victim(incident.id, list.id, " v1 ", a)
        .await
        .unwrap();
    let seen_a = store.incident_victims(incident.id, a.org).await.unwrap();
    assert_eq!(seen_a.own.len(), 1);
    assert_eq!(seen_a.own[0].id, rec);
    assert_eq!(
        seen_a.own[0].row.personal.display_name(),
        "linked-victim-name"
    );
    let seen_b = store.incident_victims(incident.id, b.org).await.unwrap();
    assert!(seen_b.own.is_empty());
    assert_eq!(seen_b.others, 1);

    // A mission's recovered bodies become victim records of the recording organization,
    // no more than it recovered.
    let m = store
        .create_rescue_mission(
            &NewRescueMission {
                team: "Jableh team 2".into(),
                started_at: datetime!(2025-03-08 07:00 UTC),
                area: "SY0602".into(),
                place: "orchard road".into(),
                kind: MissionKind::BodyRecovery,
                rescued_alive: 0,
                bodies_recovered: 2,
                remarks: "signs of binding".into(),
                handed_over_to: "Jableh hospital".into(),
            },
            b,
        )
        .await
        .unwrap();
    let first = store
        .body_to_victim(
            m.id,
            &NewBody {
                name: None,
                sex: Some("male".into()),
                age: Some(35),
            },
            b,
        )
        .await
        .unwrap();
    assert_eq!(first.body_no, 1);
    assert!(matches!(
        store
            .body_to_victim(
                m.id,
                &NewBody {
                    sex: Some("sect".into()),
                    ..NewBody::default()
                },
                b
            )
            .await,
        Err(StoreError::Invalid(_))
    ));
    let second = store
        .body_to_victim(
            m.id,
            &NewBody {
                name: Some("identified-body-name".into()),
                ..NewBody::default()
            },
            b,
        )
        .await
        .unwrap();
    assert_eq!(second.body_no, 2);
    assert!(matches!(
        store.body_to_victim(m.id, &NewBody::default(), b).await,
        Err(StoreError::Invalid(_))
    ));
    let bodies = store.mission_bodies(m.id).await.unwrap();
    assert_eq!(bodies.len(), 2);
    let recs = store.victim_records(b.org, &[]).await.unwrap();
    assert_eq!(recs.len(), 2);
    let r1 = recs
        .iter()
        .find(|r| r.id == first.victim_record_id)
        .unwrap();
    assert_eq!(r1.row.date_of_death.as_deref(), Some("2025-03-08"));
    assert_eq!(r1.row.governorate.as_deref(), Some("SY06"));
    assert_eq!(r1.row.status, "unknown");
    assert_eq!(r1.row.personal.place.as_deref(), Some("orchard road"));
    // The other organization sees none of them.
    assert_eq!(store.victim_records(a.org, &[]).await.unwrap().len(), 2);
    assert!(
        store
            .victim_records(a.org, &[])
            .await
            .unwrap()
            .iter()
            .all(|r| r.row.personal.display_name() != "identified-body-name")
    );

    // Verify: a `verified` event for the intact file only.
    let add = |name: &str| NewEvidence {
        incident_id: Some(incident.id),
        original_name: name.into(),
        media_type: "text/plain".into(),
        origin_url: None,
        captured_at: datetime!(2025-03-08 09:00 UTC),
        capture_tool: "phone".into(),
        captured_by: "A".into(),
        violation: Violation::UnlawfulKilling,
        description: String::new(),
    };
    let good = store
        .add_evidence(files, &add("good.txt"), b"kept as captured".to_vec(), a)
        .await
        .unwrap();
    let bad = store
        .add_evidence(files, &add("bad.txt"), b"to be tampered with".to_vec(), a)
        .await
        .unwrap();
    let path = files.path_of(&bad.sha256);
    let mut p = std::fs::metadata(&path).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    p.set_readonly(false);
    std::fs::set_permissions(&path, p).unwrap();
    std::fs::write(&path, b"changed").unwrap();
    let checks = store.verify_evidence_files(files, Some(a)).await.unwrap();
    assert_eq!(checks.len(), 2);
    let events = |id| {
        let store = store.clone();
        async move {
            store
                .custody_log(Some(id))
                .await
                .unwrap()
                .into_iter()
                .map(|c| c.event)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        events(good.id).await,
        vec![CustodyEvent::Captured, CustodyEvent::Verified]
    );
    assert_eq!(events(bad.id).await, vec![CustodyEvent::Captured]);
    assert!(store.verify_custody().await.unwrap().first_break.is_none());
    let audit = store.recent_audit(100).await.unwrap();
    for action in ["incident.link_victim", "rescue_mission.body_to_victim"] {
        assert!(audit.iter().any(|r| r.action == action), "{action}");
    }
    store.close().await;
}

#[tokio::test]
async fn document_links_sqlite() {
    let db = sijill_testkit::sqlite_url();
    let files = EvidenceFiles::beside(db.url()).unwrap();
    links_story(db.url(), &files).await;
}

#[tokio::test]
async fn document_links_postgres() {
    let Some(pg) = sijill_testkit::postgres() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    links_story(pg.url(), &EvidenceFiles::new(dir.path())).await;
}
