//! Keys and erasure on both backends: crypto-shredding one household and one testimony
//! leaves their neighbours readable and the erased values unreadable, even by a fresh
//! store holding the same key file; rotation with re-sealing moves every value off the
//! old key, all or nothing.

use sijill_model::account::{NewOrganization, OrgId, OrgKind};
use sijill_model::geo::PCode;
use sijill_store::document_testimony::NewTestimony;
use sijill_store::document_types::{Actor, ConsentScope, Day};
use sijill_store::{CryptoError, Identity, Keyring, NewHousehold, Store, StoreError};

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

fn household(name: &str, contact: &str) -> NewHousehold {
    NewHousehold {
        identity: Identity {
            name: name.into(),
            father_name: "Ali".into(),
            birth_year: Some(1980),
            locality: "SY0602".into(),
        },
        contact: Some(contact.into()),
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

fn testimony(content: &str) -> NewTestimony {
    NewTestimony {
        incident_id: None,
        consent: ConsentScope::Investigators,
        interviewer: "Interviewer A".into(),
        interviewed_on: Day::parse("2025-03-10").unwrap(),
        content: content.into(),
    }
}

async fn story(url: &str) {
    let keys = Keyring::generate();
    let store = Store::open(url)
        .await
        .unwrap()
        .with_keyring(keys.clone())
        .await
        .unwrap();
    let jableh = org(&store, "Jableh Youth").await;
    let actor = Actor {
        user: None,
        org: jableh,
    };
    let erased = store
        .register_household(None, jableh, &household("Rana Saleh", "+963 911 111 111"))
        .await
        .unwrap();
    let kept = store
        .register_household(None, jableh, &household("محمد الحسن", "+963 922 222 222"))
        .await
        .unwrap();
    let t_erased = store
        .create_testimony(&testimony("They came at dawn."), actor)
        .await
        .unwrap()
        .id;
    let t_kept = store
        .create_testimony(&testimony("شهادة أخرى"), actor)
        .await
        .unwrap()
        .id;

    // Values of erasable records are sealed under their own keys.
    let before = store.sealed_values_of("household", erased).await.unwrap();
    assert_eq!(before.len(), 2);
    for (_, v) in &before {
        assert!(v.as_deref().unwrap().starts_with("sj2."));
    }
    let census = store.sealed_census().await.unwrap();
    assert_eq!(census.per_record, 6);
    assert!(census.failed.is_empty());

    // Another store on the same database (another process, such as the server while the
    // CLI erases) has the key tree loaded already.
    let other = Store::open(url)
        .await
        .unwrap()
        .with_keyring(keys.clone())
        .await
        .unwrap();
    store
        .erase_record("household", erased, None, Some(jableh))
        .await
        .unwrap();
    // It learns of the erasure on its next refresh (every two seconds on its own).
    other.refresh_erasures().await.unwrap();
    for (ctx, v) in &before {
        assert_eq!(
            other.unseal_strict(ctx, v.as_deref().unwrap()),
            Err(StoreError::Crypto(CryptoError::Erased))
        );
    }
    assert_eq!(
        other.household(jableh, kept).await.unwrap().unwrap().name,
        "محمد الحسن"
    );
    other.close().await;
    store
        .erase_record("testimony", t_erased, None, Some(jableh))
        .await
        .unwrap();
    assert!(store.is_erased("household", erased).await.unwrap());
    assert!(!store.is_erased("household", kept).await.unwrap());

    // The erased household still counts, without its name or contact; its neighbour
    // and the other testimony are untouched.
    let h = store.household(jableh, erased).await.unwrap().unwrap();
    assert_eq!(
        (h.name.as_str(), h.contact.as_deref(), h.size),
        ("", Some(""), 4)
    );
    let k = store.household(jableh, kept).await.unwrap().unwrap();
    assert_eq!(k.name, "محمد الحسن");
    assert_eq!(k.contact.as_deref(), Some("+963 922 222 222"));
    let t = store.testimony(t_erased, jableh).await.unwrap().unwrap();
    assert_eq!(t.content, "");
    let t = store.testimony(t_kept, jableh).await.unwrap().unwrap();
    assert_eq!(t.content, "شهادة أخرى");

    // The stored ciphertext is unchanged and can no longer be opened.
    let after = store.sealed_values_of("household", erased).await.unwrap();
    assert_eq!(after, before);
    for (ctx, v) in &after {
        assert_eq!(
            store.unseal_strict(ctx, v.as_deref().unwrap()),
            Err(StoreError::Crypto(CryptoError::Erased))
        );
    }
    // Sealing for an erased record is refused; erasing twice or an unknown record too.
    assert_eq!(
        store.seal(&after[0].0, "again"),
        Err(StoreError::Crypto(CryptoError::Erased))
    );
    assert!(matches!(
        store.erase_record("household", erased, None, None).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(
        store
            .erase_record("household", uuid::Uuid::now_v7(), None, None)
            .await,
        Err(StoreError::NotFound)
    );
    assert!(matches!(
        store.erase_record("person", kept, None, None).await,
        Err(StoreError::Invalid(_))
    ));
    let audit = store.recent_audit(5).await.unwrap();
    assert!(
        audit
            .iter()
            .any(|a| a.action == "record.erase" && a.entity_id == Some(erased.to_string()))
    );
    store.close().await;

    // A fresh store with the same key file (as after restoring a later backup) cannot
    // read the erased values either, and reads the others.
    let again = Store::open(url)
        .await
        .unwrap()
        .with_keyring(keys.clone())
        .await
        .unwrap();
    for (ctx, v) in &after {
        assert_eq!(
            again.unseal_strict(ctx, v.as_deref().unwrap()),
            Err(StoreError::Crypto(CryptoError::Erased))
        );
    }
    let t = again.testimony(t_kept, jableh).await.unwrap().unwrap();
    assert_eq!(t.content, "شهادة أخرى");
    let census = again.sealed_census().await.unwrap();
    assert_eq!((census.per_record, census.erased), (3, 3));
    assert!(census.failed.is_empty());

    // A value sealed under the key file before per-record keys (and the network secret
    // setting) moves off the old key on rotation with re-sealing.
    let mut rotated_keys = keys.clone();
    rotated_keys.rotate();
    again.close().await;
    let rotated = Store::open(url)
        .await
        .unwrap()
        .with_keyring(rotated_keys.clone())
        .await
        .unwrap();
    let report = rotated.reseal_all().await.unwrap();
    assert!(report.nodes > 60, "{report:?}");
    assert_eq!(report.settings, 1, "the network secret");
    let census = rotated.sealed_census().await.unwrap();
    assert_eq!(census.by_key.get(&1), None, "{census:?}");
    assert_eq!(census.by_key.get(&2), Some(&1));
    assert_eq!(census.per_record, 3);
    let k = rotated.household(jableh, kept).await.unwrap().unwrap();
    assert_eq!(k.name, "محمد الحسن");
    // Nothing left to move the second time.
    assert_eq!(
        rotated.reseal_all().await.unwrap(),
        sijill_store::ResealReport::default()
    );
    rotated.close().await;
}

/// Fills a store with a little of everything sealed, erased and audited.
async fn fill(store: &Store) -> (OrgId, uuid::Uuid, uuid::Uuid) {
    let org_id = org(store, "Baniyas Aid").await;
    let gone = store
        .register_household(None, org_id, &household("Rana Saleh", "+963 933 333 333"))
        .await
        .unwrap();
    let kept = store
        .register_household(None, org_id, &household("Omar Saleh", "+963 944 444 444"))
        .await
        .unwrap();
    store
        .create_testimony(
            &testimony("شهادة"),
            Actor {
                user: None,
                org: org_id,
            },
        )
        .await
        .unwrap();
    store
        .erase_record("household", gone, None, Some(org_id))
        .await
        .unwrap();
    (org_id, gone, kept)
}

/// Backs up while another task writes, restores into a new database, and compares.
async fn round_trip(source_url: &str, target_url: &str, file: &std::path::Path) {
    let keys = Keyring::generate();
    let store = Store::open(source_url)
        .await
        .unwrap()
        .with_keyring(keys.clone())
        .await
        .unwrap();
    let (org_id, gone, kept) = fill(&store).await;
    // Writes go on during the backup; the copy is one consistent snapshot either way.
    let writer = {
        let store = store.clone();
        tokio::spawn(async move {
            for i in 0..20 {
                store
                    .register_household(None, org_id, &household(&format!("Writer {i}"), "-"))
                    .await
                    .unwrap();
            }
        })
    };
    let summary = store.backup_to(file).await.unwrap();
    writer.await.unwrap();
    assert!(summary.rows > 0 && summary.bytes > 0, "{summary:?}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(file).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "the backup is readable by others");
    }
    // A second backup to the same file is refused.
    assert!(matches!(
        store.backup_to(file).await,
        Err(StoreError::Conflict(_))
    ));

    // The same backup again, now that writes have stopped, is what the source holds.
    let quiet = file.with_extension("quiet");
    store.backup_to(&quiet).await.unwrap();
    let source = store.table_digests().await.unwrap();
    assert!(source.contains_key("audit_log") && source.contains_key("shred_nodes"));
    store.close().await;

    let restored = match store.backend() {
        sijill_store::Backend::Sqlite => {
            let path = target_url.strip_prefix("sqlite:").unwrap();
            sijill_store::backup::restore_sqlite_file(&quiet, std::path::Path::new(path))
                .await
                .unwrap();
            Store::open(target_url).await.unwrap()
        }
        sijill_store::Backend::Postgres => {
            let target = Store::open(target_url).await.unwrap();
            let rows = target.restore_dump(&quiet).await.unwrap();
            assert_eq!(rows, source.values().map(|d| d.0).sum::<u64>());
            // A second restore into the now full database is refused.
            assert!(matches!(
                target.restore_dump(&quiet).await,
                Err(StoreError::Conflict(_))
            ));
            target
        }
    };
    assert_eq!(restored.table_digests().await.unwrap(), source);
    let report = restored.verify_audit().await.unwrap();
    assert!(report.is_intact(), "{report:?}");
    let restored = restored.with_keyring(keys).await.unwrap();
    let k = restored.household(org_id, kept).await.unwrap().unwrap();
    assert_eq!(k.name, "Omar Saleh");
    assert_eq!(
        restored
            .household(org_id, gone)
            .await
            .unwrap()
            .unwrap()
            .name,
        ""
    );
    assert_eq!(restored.list_households(org_id).await.unwrap().len(), 22);
    // New writes after the restore carry on the audit chain.
    restored
        .register_household(None, org_id, &household("After restore", "-"))
        .await
        .unwrap();
    assert!(restored.verify_audit().await.unwrap().is_intact());
    restored.close().await;
}

#[tokio::test]
async fn backup_round_trip_sqlite() {
    let source = sijill_testkit::sqlite_url();
    let target = sijill_testkit::sqlite_url();
    let dir = tempfile::tempdir().unwrap();
    // The target file must not exist yet: restore creates it.
    let target_url = format!("{}.restored", target.url());
    round_trip(source.url(), &target_url, &dir.path().join("backup.db")).await;
}

#[tokio::test]
async fn backup_round_trip_postgres() {
    let (Some(source), Some(target)) = (sijill_testkit::postgres(), sijill_testkit::postgres())
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    round_trip(source.url(), target.url(), &dir.path().join("backup.dump")).await;
}

#[tokio::test]
async fn protect_sqlite() {
    let db = sijill_testkit::sqlite_url();
    story(db.url()).await;
}

#[tokio::test]
async fn protect_postgres() {
    let Some(db) = sijill_testkit::postgres() else {
        return;
    };
    story(db.url()).await;
}
