//! Concurrent audited distribution writes share commits (group commit) on SQLite and on
//! PostgreSQL: on both every acknowledged write is stored with its audit entry, a write
//! refused inside a shared commit is undone alone (on PostgreSQL the failed statement
//! must not abort the others' transaction), and the audit chain still verifies.

use sijill_model::account::{NewOrganization, OrgKind};
use sijill_model::geo::PCode;
use sijill_store::{AuditEntry, NewDistribution, Store, StoreError};
use time::macros::date;

async fn story(url: &str) {
    let store = Store::open(url).await.unwrap();
    let org = store
        .create_org(&NewOrganization {
            name: "Baniyas Relief".into(),
            name_ar: None,
            kind: OrgKind::Relief,
            network_member: true,
        })
        .await
        .unwrap();
    let item = store.list_items().await.unwrap()[0].id;
    let dist = |q: u64, key: Option<String>| NewDistribution {
        campaign: None,
        on: date!(2025 - 03 - 12),
        pcode: PCode::parse("SY0602").unwrap(),
        site: None,
        item,
        quantity: q,
        households: q,
        individuals: q * 4,
        import_key: key,
    };
    let entry = || AuditEntry {
        actor: None,
        org: Some(org.id),
        action: "distribution.create".into(),
        entity: "distribution".into(),
        entity_id: None,
        detail: serde_json::json!({}),
    };
    // 200 writes at once; every tenth carries the same import key, so only the first of
    // those may be stored and the other nineteen are refused without harming the rest.
    let mut tasks = Vec::new();
    for i in 0..200u64 {
        let store = store.clone();
        let d = dist(i + 1, (i % 10 == 0).then(|| "same-form".to_owned()));
        let e = entry();
        tasks.push(tokio::spawn(async move {
            store.create_distribution_audited(None, org.id, &d, e).await
        }));
    }
    let mut ok = Vec::new();
    let mut conflicts = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(d) => ok.push(d),
            Err(StoreError::Conflict(_)) => conflicts += 1,
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!((ok.len(), conflicts), (181, 19), "{}", store.backend());
    let stored = store.recent_distributions(org.id, 1000).await.unwrap();
    assert_eq!(stored.len(), 181);
    for d in &ok {
        assert!(
            stored.iter().any(|s| s.id == d.id),
            "an acknowledged write is missing"
        );
    }
    let audit = store.recent_audit(1000).await.unwrap();
    let audited: Vec<&str> = audit
        .iter()
        .filter(|a| a.action == "distribution.create")
        .filter_map(|a| a.entity_id.as_deref())
        .collect();
    assert_eq!(
        audited.len(),
        181,
        "one audit entry per stored distribution"
    );
    for d in &ok {
        assert!(audited.contains(&d.id.to_string().as_str()));
    }
    assert!(
        store.verify_audit().await.unwrap().is_intact(),
        "the chain holds"
    );
    // A refused write (quantity 0) is refused before it reaches the writer.
    let bad = store
        .create_distribution_audited(None, org.id, &dist(0, None), entry())
        .await;
    assert!(matches!(bad, Err(StoreError::Invalid(_))));
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn grouped_writes_sqlite() {
    let db = sijill_testkit::sqlite_url();
    story(db.url()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn grouped_writes_postgres() {
    let Some(db) = sijill_testkit::postgres() else {
        return;
    };
    story(db.url()).await;
}
