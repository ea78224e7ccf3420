//! The reconcile story on both backends: claims with their documents and statuses;
//! victim lists imported all-or-nothing and idempotently with names sealed; a linkage
//! run's persons and review pairs; clerical decisions; estimates; and one
//! organization never seeing another's lists.

use serde_json::json;
use sijill_model::account::{NewOrganization, OrgKind};
use sijill_store::reconcile_claims::{ClaimFields, ClaimStatus, NewDocument};
use sijill_store::reconcile_lists::{
    Decision, NewEstimate, NewVictimList, PersonRecords, Personal, ReviewPair, VictimRow,
    capture_histories,
};
use sijill_store::{Actor, Keyring, Store, StoreError};

fn row(key: &str, name: &str, gov: &str) -> VictimRow {
    VictimRow {
        record_key: key.into(),
        personal: Personal {
            full_name: Some(name.into()),
            ..Personal::default()
        },
        sex: Some("male".into()),
        age: Some(30),
        birth_year: None,
        date_of_death: Some("2025-03-07".into()),
        governorate: Some(gov.into()),
        status: "civilian".into(),
    }
}

fn list(source: &str, raw: &str, rows: Vec<VictimRow>) -> NewVictimList {
    NewVictimList {
        source: source.into(),
        file_name: format!("{source}.csv"),
        raw: raw.as_bytes().to_vec(),
        mapping: json!({"name": "full_name"}),
        dropped: vec!["sect".into()],
        rows,
    }
}

async fn story(url: &str) {
    let store = Store::open(url)
        .await
        .unwrap()
        .with_keyring(Keyring::generate())
        .await
        .unwrap();
    let mk = |name: &str| NewOrganization {
        name: name.into(),
        name_ar: None,
        kind: OrgKind::Monitor,
        network_member: true,
    };
    let org = store.create_org(&mk("Coastal Monitor")).await.unwrap();
    let other = store.create_org(&mk("Other Monitor")).await.unwrap();
    let by = Actor {
        user: None,
        org: org.id,
    };
    let them = Actor {
        user: None,
        org: other.id,
    };

    // Claims: a source, a document kept with its hash, claims and a status change.
    let src = store
        .ensure_claim_source(by, "Coast Watch", "monitor")
        .await
        .unwrap();
    assert_eq!(
        store
            .ensure_claim_source(by, " Coast Watch ", "media")
            .await
            .unwrap()
            .id,
        src.id
    );
    let doc = NewDocument {
        source_id: src.id,
        title: "Update".into(),
        url: None,
        published_on: Some("2025-03-10".into()),
        lang: "en".into(),
        body: "Coast Watch documented over 973 civilians killed.".into(),
    };
    let (d, created) = store.add_claim_document(by, &doc).await.unwrap();
    assert!(created);
    assert_eq!(d.sha256.len(), 64);
    let (again, created) = store.add_claim_document(by, &doc).await.unwrap();
    assert!(!created);
    assert_eq!(again.id, d.id);
    let fields = ClaimFields {
        value: Some(973.0),
        low: None,
        high: None,
        qualifier: Some("over".into()),
        measure: "killed_civilians".into(),
        scope_pcode: Some("SY".into()),
        period_from: None,
        period_to: None,
        as_of: Some("2025-03-10".into()),
        claimant: Some("Coast Watch".into()),
        quote: doc.body.clone(),
        status: ClaimStatus::Unverified,
    };
    let bad = ClaimFields {
        low: Some(900.0),
        high: Some(800.0),
        value: None,
        ..fields.clone()
    };
    // One bad claim refuses the whole batch.
    assert!(matches!(
        store.add_claims(by, d.id, &[fields.clone(), bad]).await,
        Err(StoreError::Invalid(_))
    ));
    assert!(store.claims(Some(d.id), None).await.unwrap().is_empty());
    let ids = store
        .add_claims(by, d.id, std::slice::from_ref(&fields))
        .await
        .unwrap();
    let mut edited = fields.clone();
    edited.status = ClaimStatus::Contested;
    store.update_claim(by, ids[0], &edited).await.unwrap();
    let got = store.claims(None, Some("killed_civilians")).await.unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].fields.status, ClaimStatus::Contested);
    assert_eq!(got[0].fields.value, Some(973.0));
    assert_eq!(got[0].source_name, "Coast Watch");

    // Victim lists: sealed names, idempotent import, all-or-nothing on a bad row.
    let a = store
        .import_victim_list(
            by,
            &list(
                "A",
                "id,name\n1,x\n2,y\n",
                vec![
                    row("1", "محمد علي حسن", "SY07"),
                    row("2", "Samer Darwish", "SY11"),
                ],
            ),
        )
        .await
        .unwrap();
    assert_eq!(a.added, 2);
    let a_again = store
        .import_victim_list(
            by,
            &list(
                "A",
                "id,name\n1,x\n2,y\n",
                vec![row("1", "whatever", "SY07")],
            ),
        )
        .await
        .unwrap();
    assert!(a_again.already);
    assert_eq!(a_again.added, 0);
    assert_eq!(a_again.list.id, a.list.id);
    let dup = store
        .import_victim_list(
            by,
            &list(
                "B",
                "other file",
                vec![row("1", "a", "SY07"), row("1", "b", "SY07")],
            ),
        )
        .await;
    assert!(matches!(dup, Err(StoreError::Invalid(_))));
    let b = store
        .import_victim_list(
            by,
            &list(
                "B",
                "id,name\n9,x\n",
                vec![row("9", "Mohammad Ali Hasan", "SY07")],
            ),
        )
        .await
        .unwrap();
    assert_eq!(store.victim_lists(org.id).await.unwrap().len(), 2);
    // The mapping is kept per source, for the next import from it; not for others.
    let saved = store.source_mapping(org.id, " A ").await.unwrap().unwrap();
    assert_eq!(saved.get("name").map(String::as_str), Some("full_name"));
    assert_eq!(store.source_mapping(org.id, "Nobody").await.unwrap(), None);
    assert_eq!(store.source_mapping(other.id, "A").await.unwrap(), None);
    assert_eq!(
        store.victim_list_raw(org.id, b.list.id).await.unwrap(),
        b"id,name\n9,x\n"
    );
    let recs = store.victim_records(org.id, &[]).await.unwrap();
    assert_eq!(recs.len(), 3);
    assert_eq!(
        recs[0].row.personal.display_name(),
        "محمد علي حسن",
        "names open again"
    );
    // The other organization sees none of it.
    assert!(store.victim_lists(other.id).await.unwrap().is_empty());
    assert!(
        store
            .victim_records(other.id, &[])
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .victim_list(other.id, a.list.id)
            .await
            .unwrap()
            .is_none()
    );

    // A linkage run: progress, persons, a review pair, a decision.
    let run = store
        .start_linkage_run(by, &json!({"threshold": 0.5}))
        .await
        .unwrap();
    store
        .set_linkage_progress(run.id, "comparing", 0.4)
        .await
        .unwrap();
    let r = store.linkage_run(org.id, run.id).await.unwrap().unwrap();
    assert_eq!(
        (r.status.as_str(), r.stage.as_str()),
        ("running", "comparing")
    );
    let persons = vec![
        PersonRecords {
            label: 0,
            records: vec![(recs[0].id, 0.9), (recs[2].id, 0.9)],
        },
        PersonRecords {
            label: 1,
            records: vec![(recs[1].id, 0.0)],
        },
    ];
    let review = vec![ReviewPair {
        a: recs[2].id,
        b: recs[0].id,
        probability: 0.6,
        weights: json!([{"field": "given", "weight": 3.2}]),
        decision: None,
    }];
    // Another organization cannot finish this run.
    assert_eq!(
        store
            .finish_linkage_run(them, run.id, &json!({}), &persons, &review)
            .await,
        Err(StoreError::NotFound)
    );
    store
        .finish_linkage_run(by, run.id, &json!({"persons": 2}), &persons, &review)
        .await
        .unwrap();
    assert_eq!(
        store.latest_linkage_run(org.id).await.unwrap().unwrap().id,
        run.id
    );
    let members = store.run_memberships(org.id, run.id).await.unwrap();
    assert_eq!(members.len(), 2);
    assert_eq!(members[0].lists.len(), 2);
    let h = capture_histories(&members, &[a.list.id, b.list.id], "none");
    assert_eq!(h["all"].get(&3), Some(&1));
    assert_eq!(h["all"].get(&1), Some(&1));
    let by_gov = capture_histories(&members, &[a.list.id, b.list.id], "governorate");
    assert_eq!(by_gov.len(), 2);
    // The count's facets: one per person, its governorate and earliest day of death.
    let mut facets = store.run_person_facets(run.id).await.unwrap();
    facets.sort();
    let govs: Vec<Option<&str>> = facets.iter().map(|f| f.0.as_deref()).collect();
    assert_eq!(facets.len(), 2);
    assert!(govs.contains(&Some("SY11")), "{govs:?}");
    assert!(facets.iter().all(|f| f.1.as_deref() == Some("2025-03-07")));
    assert!(
        store
            .run_memberships(other.id, run.id)
            .await
            .unwrap()
            .is_empty()
    );

    assert_eq!(
        store
            .decide_pair(them, recs[0].id, recs[2].id, Decision::Match)
            .await,
        Err(StoreError::NotFound)
    );
    store
        .decide_pair(by, recs[2].id, recs[0].id, Decision::Unsure)
        .await
        .unwrap();
    store
        .decide_pair(by, recs[0].id, recs[2].id, Decision::Match)
        .await
        .unwrap();
    let q = store.review_pairs(org.id, run.id).await.unwrap();
    assert_eq!(q.len(), 1);
    assert_eq!(q[0].decision, Some(Decision::Match));
    let ds = store.clerical_decisions(org.id).await.unwrap();
    assert_eq!(ds.len(), 1);
    assert!(store.clerical_decisions(other.id).await.unwrap().is_empty());

    // An estimate with its parameters.
    let e = store
        .save_estimate(
            by,
            &NewEstimate {
                run_id: run.id,
                method: "loglinear".into(),
                stratum_by: "none".into(),
                lists: vec![a.list.id, b.list.id],
                params: json!({"criterion": "aic"}),
                observed: 2,
                estimate: 2.5,
                low: Some(2.0),
                high: None,
                model: "M0".into(),
                report: json!({"observed": 2}),
            },
        )
        .await
        .unwrap();
    assert_eq!(e.high, None);
    assert_eq!(store.estimates(org.id).await.unwrap(), vec![e.clone()]);
    assert!(store.estimates(other.id).await.unwrap().is_empty());
    let public = store.public_estimates().await.unwrap();
    assert_eq!(public.len(), 1);
    assert_eq!(public[0].1, 2);

    // Every write left an audit entry, and the chain holds.
    assert!(store.verify_audit().await.unwrap().is_intact());
}

#[tokio::test]
async fn reconcile_sqlite() {
    let db = sijill_testkit::sqlite_url();
    story(db.url()).await;
}

#[tokio::test]
async fn reconcile_postgres() {
    let Some(pg) = sijill_testkit::postgres() else {
        return;
    };
    story(pg.url()).await;
}
