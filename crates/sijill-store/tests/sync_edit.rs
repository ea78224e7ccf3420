//! Edits through the sync write path drop what did not change: on both backends, a
//! volunteer's record sent back with its stored values (its sealed name included) makes
//! no revision and no audit entry, a partly changed one becomes a revision of the
//! changed fields only, and another organization's record is not found even when
//! nothing would change. `sync_record` shows the stored values (the name opened) to the
//! owning organization only.

use sijill_model::account::{NewOrganization, OrgId, OrgKind};
use sijill_model::geo::PCode;
use sijill_store::{ExportFilter, Fields, Keyring, NewVolunteer, Store, StoreError};
use uuid::Uuid;

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

fn set(pairs: &[(&str, &str)]) -> Fields {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), Some((*v).to_owned())))
        .collect()
}

/// The revisions of record `id` this instance holds, oldest first.
async fn revisions(store: &Store, id: Uuid) -> Vec<Fields> {
    store.sync_capture().await.unwrap();
    let page = store
        .sync_export(&ExportFilter::default(), 0, 1_000)
        .await
        .unwrap();
    page.batch
        .revisions
        .into_iter()
        .filter(|r| r.record_id == id)
        .map(|r| r.fields)
        .collect()
}

async fn edits_keep_only_changes(url: &str) {
    let store = Store::open(url)
        .await
        .unwrap()
        .with_keyring(Keyring::generate())
        .await
        .unwrap();
    let mine = org(&store, "Coast Relief").await;
    let theirs = org(&store, "Hills Relief").await;
    let id = store
        .create_volunteer(
            mine,
            &NewVolunteer {
                campaign: None,
                name: "Hiba Darwish".into(),
                pcode: PCode::parse("SY0602").unwrap(),
                skills: vec!["first aid".into()],
                days_active: 3,
            },
        )
        .await
        .unwrap();
    assert_eq!(revisions(&store, id).await.len(), 1, "the creation");
    let stored = store
        .sync_record(mine, "volunteer", id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored["name_sealed"].as_deref(), Some("Hiba Darwish"));
    assert_eq!(stored["days_active"].as_deref(), Some("3"));
    assert_eq!(stored["campaign_id"], None);
    assert_eq!(
        store.sync_record(theirs, "volunteer", id).await.unwrap(),
        None
    );
    assert!(
        store
            .sync_owned(mine, "volunteer")
            .await
            .unwrap()
            .contains(&id)
    );
    assert!(
        store
            .sync_owned(theirs, "volunteer")
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store
            .sync_record(mine, "volunteer", Uuid::now_v7())
            .await
            .unwrap(),
        None
    );

    // Everything as stored (the sealed name too, compared opened): nothing is written.
    let last_audit = || async { store.recent_audit(1).await.unwrap().first().map(|a| a.seq) };
    let audit_before = last_audit().await;
    let same = set(&[
        ("name_sealed", "Hiba Darwish"),
        ("pcode", "SY0602"),
        ("skills", "first aid"),
        ("days_active", "3"),
    ]);
    store
        .sync_edit(None, mine, "volunteer", id, &same)
        .await
        .unwrap();
    assert_eq!(revisions(&store, id).await.len(), 1, "no revision");
    assert_eq!(last_audit().await, audit_before, "no audit entry");

    // One field changed among unchanged ones: a revision of that field alone.
    let mut partly = same.clone();
    partly.insert("days_active".into(), Some("5".into()));
    store
        .sync_edit(None, mine, "volunteer", id, &partly)
        .await
        .unwrap();
    let revs = revisions(&store, id).await;
    assert_eq!(revs.len(), 2);
    assert_eq!(revs[1], set(&[("days_active", "5")]));
    let audit = store.recent_audit(1).await.unwrap().remove(0);
    assert_eq!(audit.action, "sync.edit");
    assert_eq!(audit.detail["fields"], serde_json::json!(["days_active"]));

    // A changed personal field is compared opened too: only it becomes the revision
    // (the export opens it for the wire).
    store
        .sync_edit(
            None,
            mine,
            "volunteer",
            id,
            &set(&[("name_sealed", "Hiba Darweesh"), ("days_active", "5")]),
        )
        .await
        .unwrap();
    let revs = revisions(&store, id).await;
    assert_eq!(revs.len(), 3);
    assert_eq!(revs[2], set(&[("name_sealed", "Hiba Darweesh")]));
    let now = store.list_volunteers(mine).await.unwrap();
    assert_eq!(now[0].name, "Hiba Darweesh");

    // Another organization: not found, whether or not anything would change.
    for fields in [same, set(&[("days_active", "9")])] {
        assert!(matches!(
            store
                .sync_edit(None, theirs, "volunteer", id, &fields)
                .await,
            Err(StoreError::NotFound)
        ));
    }
    // A deleted record is gone for editing and for reading alike.
    store
        .sync_delete(None, mine, "volunteer", id)
        .await
        .unwrap();
    assert_eq!(
        store.sync_record(mine, "volunteer", id).await.unwrap(),
        None
    );
    assert!(matches!(
        store
            .sync_edit(None, mine, "volunteer", id, &set(&[("days_active", "5")]))
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(
        !store
            .sync_owned(mine, "volunteer")
            .await
            .unwrap()
            .contains(&id)
    );
}

#[tokio::test]
async fn unchanged_values_make_no_revision() {
    for db in sijill_testkit::backends() {
        edits_keep_only_changes(db.url()).await;
    }
}
