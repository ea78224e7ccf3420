//! The record kinds that sync beyond distributions, households and incidents: every
//! kind travels from a laptop to a server (PostgreSQL when one is available) and back
//! with its personal fields re-sealed under the receiver's key, custody events are
//! appended to each instance's own chain (both chains and both audit logs verify), the
//! household duplicate hash is recomputed by each receiver so the server flags a family
//! registered on two laptops, and erasure holds across a sync.
//! An erasure made on one laptop travels: the server erases its copy when the laptop
//! syncs, and the other laptops when they sync with the server (a fresh instance too).
//! A record held back on arrival is listed with why.

use sijill_model::account::{
    NewOrganization, NewUser, OrgId, OrgKind, PasswordHash, Role, UserId, Username,
};
use sijill_model::geo::PCode;
use sijill_store::document_evidence::{EvidenceFiles, NewEvidence};
use sijill_store::document_field::{NewRescueMission, NewSite, NewSiteReport};
use sijill_store::document_incident::{IncidentSource, NewIncident};
use sijill_store::document_testimony::NewTestimony;
use sijill_store::document_types::{
    Actor, ConsentScope, CustodyEvent, DatePrecision, Day, MissionKind, SiteKind, SubEventType,
    Violation,
};
use sijill_store::sync_types::{HeldBack, HeldReason};
use sijill_store::{
    Dialogue, ExportFilter, Fields, Identity, Keyring, Modality, NewCashTransfer, NewHousehold,
    NewVolunteer, Participants, Store, SyncScope,
};
use sijill_testkit::TestDb;
use time::macros::{date, datetime};
use uuid::Uuid;

async fn instance(url: &str) -> Store {
    Store::open(url)
        .await
        .unwrap()
        .with_keyring(Keyring::generate())
        .await
        .unwrap()
}

async fn org(store: &Store, name: &str) -> OrgId {
    store
        .create_org(&NewOrganization {
            name: name.into(),
            name_ar: None,
            kind: OrgKind::Relief,
            network_member: true,
        })
        .await
        .unwrap()
        .id
}

async fn user(store: &Store, org: OrgId, name: &str) -> UserId {
    store
        .create_user(&NewUser {
            username: Username::parse(name).unwrap(),
            display_name: name.into(),
            org_id: org,
            role: Role::Coordinator,
            password_hash: PasswordHash::new("$argon2id$v=19$x"),
            must_change_password: false,
        })
        .await
        .unwrap()
        .id
}

/// Captures on `from` and applies everything it holds to `to`, page by page, with the
/// scope of a coordinator of `org` (what the server enforces on a push).
async fn send(from: &Store, to: &Store, org: Option<OrgId>) {
    from.sync_capture().await.unwrap();
    let scope = org.map(|o| SyncScope::for_role(o, Role::Coordinator));
    let mut after = 0;
    loop {
        let page = from
            .sync_export(&ExportFilter::default(), after, 7)
            .await
            .unwrap();
        to.sync_apply(None, &page.batch, scope.as_ref(), None)
            .await
            .unwrap();
        after = page.next_cursor;
        if !page.more {
            break;
        }
    }
    to.sync_capture().await.unwrap();
}

fn household(name: &str) -> NewHousehold {
    NewHousehold {
        identity: Identity {
            name: name.into(),
            father_name: "Ali".into(),
            birth_year: Some(1980),
            locality: "SY0602".into(),
        },
        contact: Some("+963 911 111 111".into()),
        pcode: PCode::parse("SY060200").unwrap(),
        size: 4,
        females: 2,
        males: 2,
        children: 1,
        elderly: 0,
        vulnerability: Vec::new(),
        import_key: None,
    }
}

struct Made {
    household: Uuid,
    testimony: Uuid,
    volunteer: Uuid,
    evidence: Uuid,
}

/// One of every kind on `s`, for `org` (acting as `user`).
async fn one_of_each(s: &Store, files: &EvidenceFiles, org: OrgId, user: UserId) -> Made {
    let by = Actor {
        user: Some(user),
        org,
    };
    let incident = s
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
                    url: Some("https://example.org/a".into()),
                    perpetrator: "unidentified gunmen".into(),
                    target: "residents".into(),
                    claim: "at least 12 killed".into(),
                }],
            },
            by,
        )
        .await
        .unwrap()
        .id;
    let evidence = s
        .add_evidence(
            files,
            &NewEvidence {
                incident_id: Some(incident),
                original_name: "post.txt".into(),
                media_type: "text/plain".into(),
                origin_url: None,
                captured_at: datetime!(2025-03-08 09:30:15.123456 UTC),
                capture_tool: "wget 1.21".into(),
                captured_by: "Documenter A".into(),
                violation: Violation::UnlawfulKilling,
                description: "archived post".into(),
            },
            b"the archived post".to_vec(),
            by,
        )
        .await
        .unwrap()
        .id;
    s.record_custody(evidence, CustodyEvent::Transferred, by, "to investigators")
        .await
        .unwrap();
    let testimony = s
        .create_testimony(
            &NewTestimony {
                incident_id: Some(incident),
                consent: ConsentScope::Investigators,
                interviewer: "Interviewer A".into(),
                interviewed_on: Day::parse("2025-03-10").unwrap(),
                content: "شهادة: دخل المسلحون القرية صباحاً".into(),
            },
            by,
        )
        .await
        .unwrap()
        .id;
    s.create_rescue_mission(
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
        by,
    )
    .await
    .unwrap();
    let site = s
        .create_site(
            &NewSite {
                name: "Hmeimim air base".into(),
                name_ar: Some("قاعدة حميميم".into()),
                kind: SiteKind::AirBase,
                area: "SY0602".into(),
            },
            by,
        )
        .await
        .unwrap();
    s.add_site_report(
        &NewSiteReport {
            site_id: site.id,
            as_of: Day::parse("2025-03-12").unwrap(),
            families: None,
            individuals: Some(8000),
            origins: vec!["SY0602".into()],
            needs: "food, mattresses".into(),
            source: "Site committee".into(),
        },
        by,
    )
    .await
    .unwrap();
    let household = s
        .register_household(Some(user), org, &household("Rana Saleh"))
        .await
        .unwrap();
    s.create_cash_transfer(
        Some(user),
        org,
        &NewCashTransfer {
            household,
            campaign: None,
            amount: 150_000,
            currency: "SYP".into(),
            paid_on: date!(2025 - 03 - 14),
            modality: Modality::CashInHand,
            allow_repeat: false,
        },
    )
    .await
    .unwrap();
    let volunteer = s
        .create_volunteer(
            org,
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
    s.create_dialogue(
        org,
        &Dialogue {
            id: Uuid::nil(),
            org,
            campaign: None,
            held_on: date!(2025 - 03 - 15),
            pcode: "SY0602".into(),
            facilitators: "Rami, Hala".into(),
            participants: Participants {
                dignitaries: 6,
                residents: 30,
                activists: 8,
                youth: 12,
                women: 14,
            },
            topics: "Return of families".into(),
            outcomes: "Joint committee".into(),
            follow_ups: "Weekly meeting".into(),
        },
    )
    .await
    .unwrap();
    Made {
        household,
        testimony,
        volunteer,
        evidence,
    }
}

fn kinds_of(snap: &std::collections::BTreeMap<(String, Uuid), Fields>) -> Vec<String> {
    let mut k: Vec<String> = snap.keys().map(|(k, _)| k.clone()).collect();
    k.dedup();
    k
}

async fn every_kind(server_db: &TestDb) {
    let laptop_db = sijill_testkit::sqlite_url();
    let dir = tempfile::tempdir().unwrap();
    let laptop_files = EvidenceFiles::new(dir.path().join("laptop"));
    let server = instance(server_db.url()).await;
    let laptop = instance(laptop_db.url()).await;
    let s_org = org(&server, "Jableh Youth").await;
    let l_org = org(&laptop, "Jableh Youth").await;
    let l_user = user(&laptop, l_org, "laptop-doc").await;
    let made = one_of_each(&laptop, &laptop_files, l_org, l_user).await;

    send(&laptop, &server, Some(s_org)).await;
    let snap = server.sync_snapshot().await.unwrap();
    assert_eq!(laptop.sync_snapshot().await.unwrap(), snap);
    let mut kinds = kinds_of(&snap);
    kinds.sort();
    assert_eq!(
        kinds,
        [
            "cash-transfer",
            "custody",
            "dialogue",
            "displacement-report",
            "evidence",
            "household",
            "incident",
            "incident-source",
            "rescue-mission",
            "testimony",
            "volunteer"
        ]
    );
    // Personal fields were sealed again with the server's own key, under the contexts
    // the areas use: the server's own reads open them.
    let t = server.testimonies_visible_to(s_org).await.unwrap();
    assert_eq!(t.len(), 1);
    assert_eq!(t[0].content, "شهادة: دخل المسلحون القرية صباحاً");
    let sealed_here = server
        .sealed_values_of("testimony", made.testimony)
        .await
        .unwrap();
    let sealed_there = laptop
        .sealed_values_of("testimony", made.testimony)
        .await
        .unwrap();
    assert_ne!(sealed_here, sealed_there);
    let v = server.list_volunteers(s_org).await.unwrap();
    assert_eq!(v[0].name, "Hala Ibrahim");
    // The site travelled by name beside its report; the cash transfer's duplicate hash
    // is the server's copy of its household's.
    assert_eq!(
        server.list_sites().await.unwrap()[0].name,
        "Hmeimim air base"
    );
    assert_eq!(server.site_reports(None).await.unwrap().len(), 1);
    let paid = server
        .cash_guard(s_org, made.household, date!(2025 - 03 - 20))
        .await
        .unwrap();
    assert!(paid.is_some(), "the guard sees the synced payment");

    // Custody: the server appended the laptop's two events to its own chain.
    let report = server.verify_custody().await.unwrap();
    assert_eq!((report.checked, report.first_break), (2, None));
    assert_eq!(
        server.custody_log(Some(made.evidence)).await.unwrap().len(),
        2
    );
    // An event recorded on the server goes back to the laptop's chain.
    server
        .record_custody(
            made.evidence,
            CustodyEvent::Viewed,
            Actor {
                user: None,
                org: s_org,
            },
            "opened by the network",
        )
        .await
        .unwrap();
    send(&server, &laptop, None).await;
    let report = laptop.verify_custody().await.unwrap();
    assert_eq!((report.checked, report.first_break), (3, None));
    assert_eq!(
        laptop.sync_snapshot().await.unwrap(),
        server.sync_snapshot().await.unwrap()
    );
    for s in [&server, &laptop] {
        let audit = s.verify_audit().await.unwrap();
        assert!(audit.first_break.is_none());
    }
    // Where a received event came from is in the audit chain.
    let applied = server.recent_audit(100).await.unwrap();
    let received: Vec<serde_json::Value> = applied
        .iter()
        .filter(|e| e.action == "sync.apply")
        .flat_map(|e| {
            e.detail["custody_received"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(received.len(), 2);
    assert_eq!(
        received[0]["origin_instance"].as_str().unwrap(),
        laptop.sync_instance_id().await.unwrap().to_string()
    );

    // A pulled record can be erased on the receiver, and stays erased when the other
    // instance edits it and syncs again.
    server
        .erase_record("volunteer", made.volunteer, None, Some(s_org))
        .await
        .unwrap();
    laptop
        .sync_edit(
            None,
            l_org,
            "volunteer",
            made.volunteer,
            &[("name_sealed".to_owned(), Some("Hala I.".to_owned()))]
                .into_iter()
                .collect(),
        )
        .await
        .unwrap();
    send(&laptop, &server, Some(s_org)).await;
    let v = server.list_volunteers(s_org).await.unwrap();
    assert_eq!(v[0].name, "", "still erased on the server");
    let sealed = server
        .sealed_values_of("volunteer", made.volunteer)
        .await
        .unwrap();
    let value = sealed[0].1.as_deref().unwrap();
    assert!(server.unseal_strict(&sealed[0].0, value).is_err());
    assert_eq!(
        laptop.list_volunteers(l_org).await.unwrap()[0].name,
        "Hala I."
    );
    // A new instance that pulls the erased record gets it erased.
    let fresh_db = sijill_testkit::sqlite_url();
    let fresh = instance(fresh_db.url()).await;
    org(&fresh, "Jableh Youth").await;
    send(&server, &fresh, None).await;
    let f_org = fresh.list_orgs().await.unwrap()[0].id;
    assert_eq!(fresh.list_volunteers(f_org).await.unwrap()[0].name, "");
}

#[tokio::test]
async fn every_kind_travels_with_its_chains_intact() {
    for db in sijill_testkit::backends() {
        every_kind(&db).await;
    }
}

async fn duplicates(server_db: &TestDb) {
    let a_db = sijill_testkit::sqlite_url();
    let b_db = sijill_testkit::sqlite_url();
    let server = instance(server_db.url()).await;
    let a = instance(a_db.url()).await;
    let b = instance(b_db.url()).await;
    let s_jableh = org(&server, "Jableh Youth").await;
    let s_crescent = org(&server, "Baniyas Crescent").await;
    let a_org = org(&a, "Jableh Youth").await;
    let b_org = org(&b, "Baniyas Crescent").await;
    // Each laptop has its own secret: the two hashes of one family differ.
    let ha = a
        .register_household(None, a_org, &household("Rana Saleh"))
        .await
        .unwrap();
    let hb = b
        .register_household(None, b_org, &household("Rana Saleh"))
        .await
        .unwrap();
    let other = a
        .register_household(None, a_org, &household("Omar Haddad"))
        .await
        .unwrap();
    let id = household("Rana Saleh").identity;
    assert_ne!(
        a.identity_hash(&id).await.unwrap(),
        b.identity_hash(&id).await.unwrap()
    );
    send(&a, &server, Some(s_jableh)).await;
    send(&b, &server, Some(s_crescent)).await;
    // The server recomputed both with its own secret and flags them.
    let on_server = server.household(s_jableh, ha).await.unwrap().unwrap();
    assert_eq!(on_server.also_registered_by, vec![s_crescent]);
    let on_server = server.household(s_crescent, hb).await.unwrap().unwrap();
    assert_eq!(on_server.also_registered_by, vec![s_jableh]);
    let alone = server.household(s_jableh, other).await.unwrap().unwrap();
    assert!(alone.also_registered_by.is_empty());
    assert_eq!(server.count_duplicate_alerts(s_jableh).await.unwrap(), 1);
    // Renaming one on its laptop is recomputed on arrival: the flag goes.
    a.sync_edit(
        None,
        a_org,
        "household",
        ha,
        &[(
            "name_sealed".to_owned(),
            Some(r#"{"name":"Rana Salem","father":"Ali","year":1980}"#.to_owned()),
        )]
        .into_iter()
        .collect(),
    )
    .await
    .unwrap();
    send(&a, &server, Some(s_jableh)).await;
    assert_eq!(server.count_duplicate_alerts(s_jableh).await.unwrap(), 0);
}

#[tokio::test]
async fn a_family_registered_on_two_laptops_is_flagged_on_the_server() {
    for db in sijill_testkit::backends() {
        duplicates(&db).await;
    }
}

#[test]
fn each_role_syncs_what_it_may_write() {
    let o = OrgId::from_uuid(Uuid::nil());
    let kinds = |r| SyncScope::for_role(o, r).kinds;
    assert!(kinds(Role::Viewer).is_empty());
    assert!(kinds(Role::Analyst).is_empty());
    assert!(kinds(Role::Field).contains(&"cash-transfer"));
    assert!(!kinds(Role::Field).contains(&"testimony"));
    assert!(kinds(Role::Documenter).contains(&"testimony"));
    assert!(kinds(Role::Documenter).contains(&"custody"));
    assert!(!kinds(Role::Documenter).contains(&"household"));
    assert_eq!(kinds(Role::Admin).len(), 12);
    assert_eq!(kinds(Role::Coordinator), kinds(Role::Admin));
}

async fn held_back(server_db: &TestDb) {
    let a_db = sijill_testkit::sqlite_url();
    let server = instance(server_db.url()).await;
    let a = instance(a_db.url()).await;
    let s_org = org(&server, "Jableh Youth").await;
    let a_org = org(&a, "Jableh Youth").await;
    let h = a
        .register_household(None, a_org, &household("Rana Saleh"))
        .await
        .unwrap();
    send(&a, &server, Some(s_org)).await;
    // The household is deleted on the server while A pays it offline.
    server
        .sync_delete(None, s_org, "household", h)
        .await
        .unwrap();
    let cash = a
        .create_cash_transfer(
            None,
            a_org,
            &NewCashTransfer {
                household: h,
                campaign: None,
                amount: 5_000,
                currency: "SYP".into(),
                paid_on: date!(2025 - 03 - 14),
                modality: Modality::Voucher,
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
                skills: Vec::new(),
                days_active: 1,
            },
        )
        .await
        .unwrap();
    assert!(server.sync_held_back(None).await.unwrap().is_empty());
    // The page still applies: the transfer is held back, the rest is stored.
    send(&a, &server, Some(s_org)).await;
    let snap = server.sync_snapshot().await.unwrap();
    assert!(snap.contains_key(&("volunteer".to_owned(), volunteer)));
    assert!(!snap.contains_key(&("cash-transfer".to_owned(), cash)));
    assert!(!snap.contains_key(&("household".to_owned(), h)));
    // … and listed, with the record it belongs to.
    let held = server.sync_held_back(Some(s_org)).await.unwrap();
    assert_eq!(
        held,
        vec![HeldBack {
            kind: "cash-transfer".into(),
            record_id: cash,
            reason: HeldReason::ParentMissing {
                kind: "household".into(),
                id: h,
            },
        }]
    );
    let other = org(&server, "Tartous Relief").await;
    assert!(server.sync_held_back(Some(other)).await.unwrap().is_empty());
    // On A the deletion is kept back, since the transfer refers to the household.
    send(&server, &a, None).await;
    let on_a = a.sync_snapshot().await.unwrap();
    assert!(on_a.contains_key(&("household".to_owned(), h)));
    assert!(on_a.contains_key(&("cash-transfer".to_owned(), cash)));
    let kept = a.sync_held_back(None).await.unwrap();
    assert_eq!(
        kept,
        vec![HeldBack {
            kind: "household".into(),
            record_id: h,
            reason: HeldReason::Referenced,
        }]
    );
    // Sending again changes nothing and fails nothing.
    let before = server.sync_snapshot().await.unwrap();
    send(&a, &server, Some(s_org)).await;
    assert_eq!(server.sync_snapshot().await.unwrap(), before);
    assert_eq!(server.sync_held_back(None).await.unwrap(), held);
    // Once the transfer is deleted on A, its tombstone reaches the server and the
    // transfer is no longer held back there.
    a.sync_delete(None, a_org, "cash-transfer", cash)
        .await
        .unwrap();
    send(&a, &server, Some(s_org)).await;
    assert!(server.sync_held_back(None).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_record_whose_household_is_gone_is_held_back() {
    for db in sijill_testkit::backends() {
        held_back(&db).await;
    }
}

async fn erasure_travels(server_db: &TestDb) {
    let (a_db, b_db, c_db) = (
        sijill_testkit::sqlite_url(),
        sijill_testkit::sqlite_url(),
        sijill_testkit::sqlite_url(),
    );
    let server = instance(server_db.url()).await;
    let a = instance(a_db.url()).await;
    let b = instance(b_db.url()).await;
    let s_org = org(&server, "Jableh Youth").await;
    let a_org = org(&a, "Jableh Youth").await;
    let b_org = org(&b, "Jableh Youth").await;
    let h = a
        .register_household(None, a_org, &household("Rana Saleh"))
        .await
        .unwrap();
    let kept = a
        .register_household(None, a_org, &household("Hala Ibrahim"))
        .await
        .unwrap();
    send(&a, &server, Some(s_org)).await;
    send(&server, &b, None).await;
    let name = |snap: &std::collections::BTreeMap<(String, Uuid), Fields>, id: Uuid| {
        snap[&("household".to_owned(), id)]["name_sealed"]
            .clone()
            .unwrap_or_default()
    };
    assert!(name(&b.sync_snapshot().await.unwrap(), h).contains("Rana Saleh"));

    // Erased on A: the server erases its copy when A syncs, B when it syncs in turn.
    a.erase_record("household", h, None, Some(a_org))
        .await
        .unwrap();
    send(&a, &server, Some(s_org)).await;
    assert!(server.is_erased("household", h).await.unwrap());
    assert!(!server.is_erased("household", kept).await.unwrap());
    let snap = server.sync_snapshot().await.unwrap();
    assert!(!name(&snap, h).contains("Rana"), "{}", name(&snap, h));
    assert!(name(&snap, kept).contains("Hala Ibrahim"));
    // Its other fields stay, so totals still count it.
    assert_eq!(
        snap[&("household".to_owned(), h)]["size"].as_deref(),
        Some("4")
    );
    // Neither the column nor any revision opens on the server any more, so nothing the
    // server sends on carries the name.
    for (context, value) in server.sealed_values_of("household", h).await.unwrap() {
        if let Some(v) = value {
            assert!(server.unseal_strict(&context, &v).is_err(), "{context}");
        }
    }
    let all = server
        .sync_export(&ExportFilter::default(), 0, 10_000)
        .await
        .unwrap();
    let wire = serde_json::to_string(&all.batch).unwrap();
    assert!(!wire.contains("Rana"), "{wire}");
    assert!(wire.contains("Hala Ibrahim"));
    let audit = server.recent_audit(50).await.unwrap();
    let erase = audit
        .iter()
        .find(|e| e.action == "record.erase")
        .expect("the erasure is audited on the server");
    assert_eq!(erase.entity_id.as_deref(), Some(h.to_string().as_str()));
    assert_eq!(erase.detail["via"], "sync");

    send(&server, &b, None).await;
    assert!(b.is_erased("household", h).await.unwrap());
    let on_b = b.sync_snapshot().await.unwrap();
    assert!(!name(&on_b, h).contains("Rana"));
    assert!(name(&on_b, kept).contains("Hala Ibrahim"));

    // Syncing again makes no new erasure and changes nothing.
    let count = |s: &Store| {
        let s = s.clone();
        async move {
            s.sync_export(&ExportFilter::default(), 0, 10_000)
                .await
                .unwrap()
                .batch
                .revisions
                .len()
        }
    };
    let (on_a, on_server) = (count(&a).await, count(&server).await);
    send(&a, &server, Some(s_org)).await;
    send(&server, &b, None).await;
    assert_eq!((count(&a).await, count(&server).await), (on_a, on_server));
    // An edit made on B afterwards still travels, and the record stays erased.
    b.sync_edit(
        None,
        b_org,
        "household",
        h,
        &[("size".to_owned(), Some("5".to_owned()))]
            .into_iter()
            .collect(),
    )
    .await
    .unwrap();
    send(&b, &server, Some(s_org)).await;
    send(&server, &a, None).await;
    for s in [&a, &server, &b] {
        let snap = s.sync_snapshot().await.unwrap();
        assert_eq!(
            snap[&("household".to_owned(), h)]["size"].as_deref(),
            Some("5")
        );
        assert!(!name(&snap, h).contains("Rana"));
        assert!(s.is_erased("household", h).await.unwrap());
    }
    // A new instance that pulls everything gets the record erased too.
    let c = instance(c_db.url()).await;
    org(&c, "Jableh Youth").await;
    send(&server, &c, None).await;
    assert!(c.is_erased("household", h).await.unwrap());
    assert!(!name(&c.sync_snapshot().await.unwrap(), h).contains("Rana"));
    assert!(!c.is_erased("household", kept).await.unwrap());
    // An erasure made on the server (where no sync captures) reaches a laptop's pull.
    server
        .erase_record("household", kept, None, Some(s_org))
        .await
        .unwrap();
    let page = server
        .sync_export(&ExportFilter::default(), 0, 10_000)
        .await
        .unwrap();
    b.sync_apply(None, &page.batch, None, None).await.unwrap();
    assert!(b.is_erased("household", kept).await.unwrap());
    assert!(!name(&b.sync_snapshot().await.unwrap(), kept).contains("Hala"));
}

#[tokio::test]
async fn an_erasure_on_one_laptop_reaches_the_server_and_the_other_laptops() {
    for db in sijill_testkit::backends() {
        erasure_travels(&db).await;
    }
}
