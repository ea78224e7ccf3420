//! `sijill keys`, `erase`, `audit verify`, `backup` and `restore` on SQLite and
//! PostgreSQL: a wrong or missing key file is refused with data intact, an erased record
//! stays unreadable, a changed or deleted audit entry is named, a backup restores.

mod common;

use common::{sijill, text};

use sijill_model::account::{NewOrganization, OrgKind};
use sijill_model::geo::PCode;
use sijill_store::{Identity, Keyring, NewHousehold, Store};
use std::path::Path;

fn household(name: &str) -> NewHousehold {
    NewHousehold {
        identity: Identity {
            name: name.into(),
            father_name: "Ali".into(),
            birth_year: None,
            locality: "SY0602".into(),
        },
        contact: Some("+963 955 555 555".into()),
        pcode: PCode::parse("SY060200").unwrap(),
        size: 3,
        females: 1,
        males: 2,
        children: 1,
        elderly: 0,
        vulnerability: Vec::new(),
        import_key: None,
    }
}

/// Runs SQL on the database directly, as someone with file or server access would.
async fn tamper(url: &str, statements: &[&str]) {
    use sqlx::Executor;
    if url.starts_with("postgres") {
        let pool = sqlx::PgPool::connect(url).await.unwrap();
        for s in statements {
            pool.execute(*s).await.unwrap();
        }
        pool.close().await;
    } else {
        let pool = sqlx::SqlitePool::connect(url).await.unwrap();
        for s in statements {
            pool.execute(*s).await.unwrap();
        }
        pool.close().await;
    }
}

async fn story(db: &str, restore_target: &str, dir: &Path) {
    let key = dir.join("instance.key");
    let key_arg = key.to_str().unwrap();
    let keys = Keyring::generate();
    keys.save(&key).unwrap();
    let store = Store::open(db)
        .await
        .unwrap()
        .with_keyring(keys.clone())
        .await
        .unwrap();
    let org = store
        .create_org(&NewOrganization {
            name: "Jableh Youth".into(),
            name_ar: None,
            kind: OrgKind::Relief,
            network_member: true,
        })
        .await
        .unwrap()
        .id;
    let gone = store
        .register_household(None, org, &household("Rana Saleh"))
        .await
        .unwrap();
    let kept = store
        .register_household(None, org, &household("Omar Saleh"))
        .await
        .unwrap();
    store.close().await;

    // check: the right key file matches and every value opens.
    let out = sijill(&["keys", "check", "--db", db, "--key-file", key_arg]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("4 under per-record keys"),
        "{}",
        text(&out)
    );
    let fingerprint = keys.fingerprint();
    assert!(text(&out).contains(&fingerprint));

    // A wrong key file and a missing one are refused; nothing changes.
    let wrong = dir.join("wrong.key");
    Keyring::generate().save(&wrong).unwrap();
    let out = sijill(&[
        "keys",
        "check",
        "--db",
        db,
        "--key-file",
        wrong.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("no data was changed"), "{}", text(&out));
    let missing = dir.join("missing.key");
    let out = sijill(&[
        "erase",
        "--db",
        db,
        "--key-file",
        missing.to_str().unwrap(),
        "--kind",
        "household",
        "--id",
        &gone.to_string(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(!missing.exists(), "a missing key file is never created");

    // backup: owner-only, same fingerprint, never overwrites.
    let copy = dir.join("copy.key");
    let out = sijill(&[
        "keys",
        "backup",
        "--db",
        db,
        "--key-file",
        key_arg,
        "--out",
        copy.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains(&fingerprint));
    assert_eq!(Keyring::load(&copy).unwrap().fingerprint(), fingerprint);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let out = sijill(&[
        "keys",
        "backup",
        "--db",
        db,
        "--key-file",
        key_arg,
        "--out",
        copy.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));

    // erase: the household stays, its name is gone; twice is refused, as is a bad kind.
    let out = sijill(&[
        "erase",
        "--db",
        db,
        "--key-file",
        key_arg,
        "--kind",
        "household",
        "--id",
        &gone.to_string(),
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let out = sijill(&[
        "erase",
        "--db",
        db,
        "--key-file",
        key_arg,
        "--kind",
        "household",
        "--id",
        &gone.to_string(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let out = sijill(&[
        "erase",
        "--db",
        db,
        "--key-file",
        key_arg,
        "--kind",
        "person",
        "--id",
        &gone.to_string(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).contains("household, testimony"),
        "{}",
        text(&out)
    );

    // rotate with re-sealing: key 2 active, the copy made before still opens everything
    // sealed before (it is the old file), the new file opens all.
    let out = sijill(&[
        "keys",
        "rotate",
        "--db",
        db,
        "--key-file",
        key_arg,
        "--reseal",
    ]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("key 2 is now active"), "{}", text(&out));
    let out = sijill(&["keys", "check", "--db", db, "--key-file", key_arg]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("2 under per-record keys, 2 erased, 1 under key 2"),
        "{}",
        text(&out)
    );
    let out = sijill(&[
        "keys",
        "check",
        "--db",
        db,
        "--key-file",
        copy.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "the old file lacks key 2: {}",
        text(&out)
    );
    let rotated = Keyring::load(&key).unwrap();
    let store = Store::open(db)
        .await
        .unwrap()
        .with_keyring(rotated)
        .await
        .unwrap();
    assert_eq!(
        store.household(org, kept).await.unwrap().unwrap().name,
        "Omar Saleh"
    );
    assert_eq!(store.household(org, gone).await.unwrap().unwrap().name, "");
    store.close().await;

    // backup and restore into a new database; the chain verifies there.
    let file = dir.join("backup.file");
    let out = sijill(&["backup", "--db", db, "--out", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    let out = sijill(&["backup", "--db", db, "--out", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let out = sijill(&["restore", file.to_str().unwrap(), "--db", restore_target]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("audit log intact"), "{}", text(&out));
    let out = sijill(&["restore", file.to_str().unwrap(), "--db", restore_target]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a second restore is refused: {}",
        text(&out)
    );
    let out = sijill(&[
        "keys",
        "check",
        "--db",
        restore_target,
        "--key-file",
        key_arg,
    ]);
    assert!(out.status.success(), "{}", text(&out));

    // audit verify: intact, then an edited entry, then a deleted one, each named.
    let out = sijill(&["audit", "verify", "--db", db]);
    assert!(out.status.success(), "{}", text(&out));
    let head = text(&out).split("head ").nth(1).unwrap().trim().to_owned();
    let out = sijill(&["audit", "verify", "--db", db, "--head", &head]);
    assert!(out.status.success(), "{}", text(&out));
    let unguard: &[&str] = if db.starts_with("postgres") {
        &["ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change"]
    } else {
        &[
            "DROP TRIGGER audit_log_no_update",
            "DROP TRIGGER audit_log_no_delete",
        ]
    };
    tamper(db, unguard).await;
    tamper(
        db,
        &["UPDATE audit_log SET detail = '{\"rows\":0}' WHERE seq = 3"],
    )
    .await;
    let out = sijill(&["audit", "verify", "--db", db]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("entry 3 was changed"), "{}", text(&out));

    tamper(restore_target, unguard).await;
    tamper(restore_target, &["DELETE FROM audit_log WHERE seq = 2"]).await;
    let out = sijill(&["audit", "verify", "--db", restore_target]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("entry 2 is missing"), "{}", text(&out));
    // Entries cut from the end are found against a head printed before.
    tamper(db, &["DELETE FROM audit_log WHERE seq >= 3"]).await;
    let out = sijill(&["audit", "verify", "--db", db]);
    assert!(out.status.success(), "{}", text(&out));
    let out = sijill(&["audit", "verify", "--db", db, "--head", &head]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("no longer in the log"),
        "{}",
        text(&out)
    );
}

#[tokio::test]
async fn protect_commands_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite:{}", dir.path().join("s.db").display());
    let target = format!("sqlite:{}", dir.path().join("restored.db").display());
    story(&db, &target, dir.path()).await;
}

#[tokio::test]
async fn protect_commands_postgres() {
    let (Some(db), Some(target)) = (sijill_testkit::postgres(), sijill_testkit::postgres()) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    story(db.url(), target.url(), dir.path()).await;
}

#[test]
fn restore_refuses_a_mismatched_target() {
    let dir = tempfile::tempdir().unwrap();
    let not_backup = dir.path().join("notes.txt");
    std::fs::write(&not_backup, "hello").unwrap();
    let target = format!("sqlite:{}", dir.path().join("t.db").display());
    let out = sijill(&["restore", not_backup.to_str().unwrap(), "--db", &target]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let out = sijill(&[
        "restore",
        dir.path().join("none").to_str().unwrap(),
        "--db",
        &target,
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
}
