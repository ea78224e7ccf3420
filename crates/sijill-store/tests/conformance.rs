//! The store's conformance story: one sequence of operations, run unchanged on SQLite
//! and on PostgreSQL (a throwaway cluster from `sijill-testkit`), so both backends are
//! held to the same behaviour. Without PostgreSQL installed the PostgreSQL half is
//! skipped with a note, except under `CI=true`, where it fails.

use serde_json::json;
use sijill_model::account::{
    NewOrganization, NewUser, OrgId, OrgKind, PasswordHash, Role, TokenId, UserId, Username,
};
use sijill_store::{AuditBreak, AuditEntry, Backend, NewSession, Store, StoreError};
use time::{Duration, OffsetDateTime};

fn org(name: &str, kind: OrgKind) -> NewOrganization {
    NewOrganization {
        name: name.into(),
        name_ar: None,
        kind,
        network_member: true,
    }
}

fn user(name: &str, org_id: OrgId, role: Role) -> NewUser {
    NewUser {
        username: Username::parse(name).unwrap(),
        display_name: format!("{name} display"),
        org_id,
        role,
        password_hash: PasswordHash::new(format!("$argon2id$v=19$hash-of-{name}")),
        must_change_password: true,
    }
}

fn entry(actor: Option<UserId>, action: &str, detail: serde_json::Value) -> AuditEntry {
    AuditEntry {
        actor,
        org: None,
        action: action.into(),
        entity: "user".into(),
        entity_id: actor.map(|a| a.to_string()),
        detail,
    }
}

/// The story. `url` is a fresh database; `backend` the one it must open as.
async fn story(url: &str, backend: Backend) {
    let store = Store::open(url).await.unwrap();
    assert_eq!(store.backend(), backend);
    store.health_check().await.unwrap();
    // Migrations are idempotent, and reopening an existing database works.
    store.migrate().await.unwrap();
    let store = {
        store.close().await;
        Store::open(url).await.unwrap()
    };

    // Settings.
    assert_eq!(store.setting("instance_id").await.unwrap(), None);
    store.set_setting("instance_id", "one").await.unwrap();
    store.set_setting("instance_id", "two").await.unwrap();
    assert_eq!(
        store.setting("instance_id").await.unwrap().as_deref(),
        Some("two")
    );
    assert!(matches!(
        store.set_setting(" ", "x").await,
        Err(StoreError::Invalid(_))
    ));

    // Organizations.
    assert!(store.list_orgs().await.unwrap().is_empty());
    let mut sarc = org("  Syrian Arab Red Crescent ", OrgKind::Relief);
    sarc.name_ar = Some("الهلال الأحمر العربي السوري".into());
    let sarc = store.create_org(&sarc).await.unwrap();
    assert_eq!(sarc.name, "Syrian Arab Red Crescent");
    let white_helmets = store
        .create_org(&NewOrganization {
            name_ar: Some("   ".into()),
            network_member: false,
            ..org("Civil Defence", OrgKind::CivilDefence)
        })
        .await
        .unwrap();
    assert_eq!(white_helmets.name_ar, None);
    assert!(!white_helmets.network_member);
    let dup = store
        .create_org(&org("Syrian Arab Red Crescent", OrgKind::Monitor))
        .await;
    assert!(
        matches!(dup, Err(StoreError::Conflict(ref m)) if m.contains("organization")),
        "{dup:?}"
    );
    assert!(matches!(
        store.create_org(&org(" ", OrgKind::Other)).await,
        Err(StoreError::Invalid(_))
    ));
    let orgs = store.list_orgs().await.unwrap();
    assert_eq!(
        orgs.iter().map(|o| o.name.as_str()).collect::<Vec<_>>(),
        ["Civil Defence", "Syrian Arab Red Crescent"]
    );
    assert_eq!(store.org(sarc.id).await.unwrap().as_ref(), Some(&sarc));
    assert_eq!(store.org(OrgId::new()).await.unwrap(), None);
    assert_eq!(
        store
            .org_by_name("Civil Defence ")
            .await
            .unwrap()
            .map(|o| o.id),
        Some(white_helmets.id)
    );
    // Timestamps come back equal to what was returned on create (UTC, microseconds).
    assert_eq!(orgs[1].created_at, sarc.created_at);
    assert_eq!(sarc.created_at.offset(), time::UtcOffset::UTC);

    // Every kind and role of the model is accepted by the schema.
    for kind in OrgKind::ALL {
        let o = store
            .create_org(&org(&format!("Kind {kind}"), kind))
            .await
            .unwrap();
        assert_eq!(store.org(o.id).await.unwrap().unwrap().kind, kind);
    }

    // Users.
    assert_eq!(store.count_users().await.unwrap(), 0);
    let admin = store
        .create_user(&user("admin", sarc.id, Role::Admin))
        .await
        .unwrap();
    let field = store
        .create_user(&user("Field.One", white_helmets.id, Role::Field))
        .await
        .unwrap();
    assert_eq!(field.username.as_str(), "field.one");
    for role in Role::ALL {
        let u = store
            .create_user(&user(&format!("role-{role}"), sarc.id, role))
            .await
            .unwrap();
        assert_eq!(store.user(u.id).await.unwrap().unwrap().role, role);
    }
    assert!(field.must_change_password && !field.disabled);
    assert_eq!(
        store.count_users().await.unwrap(),
        2 + Role::ALL.len() as u64
    );
    let dup = store
        .create_user(&user("admin", white_helmets.id, Role::Viewer))
        .await;
    assert!(
        matches!(dup, Err(StoreError::Conflict(ref m)) if m.contains("username")),
        "{dup:?}"
    );
    let orphan = store
        .create_user(&user("orphan", OrgId::new(), Role::Viewer))
        .await;
    assert!(matches!(orphan, Err(StoreError::Invalid(_))), "{orphan:?}");
    let mut blank = user("blank", sarc.id, Role::Viewer);
    blank.display_name = "  ".into();
    assert!(matches!(
        store.create_user(&blank).await,
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(store.user(admin.id).await.unwrap().as_ref(), Some(&admin));
    assert_eq!(store.user(UserId::new()).await.unwrap(), None);
    assert_eq!(
        store
            .user_by_username(&Username::parse("FIELD.ONE").unwrap())
            .await
            .unwrap()
            .as_ref(),
        Some(&field)
    );
    let (who, hash) = store
        .user_credentials(&admin.username)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(who, admin);
    assert_eq!(hash.as_str(), "$argon2id$v=19$hash-of-admin");
    assert!(
        store
            .user_credentials(&Username::parse("nobody").unwrap())
            .await
            .unwrap()
            .is_none()
    );
    let mut expected: Vec<String> = Role::ALL.iter().map(|r| format!("role-{r}")).collect();
    expected.extend(["admin".to_owned(), "field.one".to_owned()]);
    expected.sort();
    assert_eq!(
        store
            .list_users()
            .await
            .unwrap()
            .iter()
            .map(|u| u.username.to_string())
            .collect::<Vec<_>>(),
        expected
    );
    store
        .set_password_hash(admin.id, &PasswordHash::new("$argon2id$new"), false)
        .await
        .unwrap();
    let (who, hash) = store
        .user_credentials(&admin.username)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(hash.as_str(), "$argon2id$new");
    assert!(!who.must_change_password);
    assert_eq!(
        store
            .set_password_hash(UserId::new(), &PasswordHash::new("$x"), false)
            .await,
        Err(StoreError::NotFound)
    );

    // Sessions.
    let now = OffsetDateTime::now_utc();
    let live = NewSession {
        token_hash: "a".repeat(64),
        user_id: field.id,
        csrf_token: "csrf-1".into(),
        expires_at: now + Duration::hours(8),
    };
    store.create_session(&live).await.unwrap();
    let got = store.session(&live.token_hash).await.unwrap().unwrap();
    assert_eq!(got.user_id, field.id);
    assert_eq!(got.csrf_token, "csrf-1");
    assert_eq!(
        got.expires_at.unix_timestamp_nanos() / 1000,
        live.expires_at.unix_timestamp_nanos() / 1000
    );
    assert!(matches!(
        store.create_session(&live).await,
        Err(StoreError::Conflict(_))
    ));
    let expired = NewSession {
        token_hash: "b".repeat(64),
        expires_at: now - Duration::minutes(1),
        ..live.clone()
    };
    store.create_session(&expired).await.unwrap();
    assert_eq!(store.session(&expired.token_hash).await.unwrap(), None);
    assert_eq!(store.purge_expired_sessions().await.unwrap(), 1);
    assert_eq!(store.purge_expired_sessions().await.unwrap(), 0);
    assert!(store.session(&live.token_hash).await.unwrap().is_some());
    store.delete_session(&live.token_hash).await.unwrap();
    store.delete_session(&live.token_hash).await.unwrap();
    assert_eq!(store.session(&live.token_hash).await.unwrap(), None);
    for (i, c) in ["c", "d"].iter().enumerate() {
        store
            .create_session(&NewSession {
                token_hash: c.repeat(64),
                csrf_token: format!("csrf-{i}"),
                ..live.clone()
            })
            .await
            .unwrap();
    }
    assert_eq!(store.delete_user_sessions(field.id).await.unwrap(), 2);

    // API tokens.
    let t1 = store
        .create_api_token(field.id, " script ", &"1".repeat(64))
        .await
        .unwrap();
    assert!(matches!(
        store
            .create_api_token(field.id, "script", &"2".repeat(64))
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store
            .create_api_token(admin.id, "other", &"1".repeat(64))
            .await,
        Err(StoreError::Conflict(_))
    ));
    let t2 = store
        .create_api_token(field.id, "backup", &"2".repeat(64))
        .await
        .unwrap();
    let tokens = store.list_api_tokens(field.id).await.unwrap();
    assert_eq!(
        tokens
            .iter()
            .map(|t| (t.id, t.name.as_str()))
            .collect::<Vec<_>>(),
        [(t1, "script"), (t2, "backup")]
    );
    assert!(tokens.iter().all(|t| t.last_used_at.is_none()));
    assert_eq!(
        store
            .user_by_api_token(&"1".repeat(64))
            .await
            .unwrap()
            .map(|u| u.id),
        Some(field.id)
    );
    assert!(
        store.list_api_tokens(field.id).await.unwrap()[0]
            .last_used_at
            .is_some()
    );
    assert_eq!(
        store.user_by_api_token(&"9".repeat(64)).await.unwrap(),
        None
    );
    // Only the owner can revoke; a revoked token stops working and its name is free.
    assert_eq!(
        store.revoke_api_token(admin.id, t1).await,
        Err(StoreError::NotFound)
    );
    store.revoke_api_token(field.id, t1).await.unwrap();
    assert_eq!(
        store.revoke_api_token(field.id, t1).await,
        Err(StoreError::NotFound)
    );
    assert_eq!(
        store.revoke_api_token(field.id, TokenId::new()).await,
        Err(StoreError::NotFound)
    );
    assert_eq!(
        store.user_by_api_token(&"1".repeat(64)).await.unwrap(),
        None
    );
    store
        .create_api_token(field.id, "script", &"3".repeat(64))
        .await
        .unwrap();
    assert_eq!(store.list_api_tokens(field.id).await.unwrap().len(), 2);

    // Disabling a user ends their sessions and API access; enabling restores tokens.
    store.create_session(&live).await.unwrap();
    store.set_user_disabled(field.id, true).await.unwrap();
    assert_eq!(store.session(&live.token_hash).await.unwrap(), None);
    assert_eq!(
        store.user_by_api_token(&"2".repeat(64)).await.unwrap(),
        None
    );
    assert!(store.user(field.id).await.unwrap().unwrap().disabled);
    store.set_user_disabled(field.id, false).await.unwrap();
    assert!(
        store
            .user_by_api_token(&"2".repeat(64))
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(
        store.set_user_disabled(UserId::new(), true).await,
        Err(StoreError::NotFound)
    );

    // Audit chain.
    let empty = store.verify_audit().await.unwrap();
    assert!(empty.is_intact());
    assert_eq!((empty.checked, empty.head.as_deref()), (0, None));
    let first = store
        .append_audit(&entry(None, "instance.init", json!({})))
        .await
        .unwrap();
    assert_eq!(
        (first.seq, first.prev_hash.as_str()),
        (1, sijill_store::GENESIS_HASH)
    );
    let mut last = first.clone();
    for i in 0..5 {
        let rec = store
            .append_audit(&entry(
                Some(admin.id),
                "user.update",
                json!({"fields": ["role"], "n": i, "z": null, "a": {"b": [1, 2.5, "ع"]}}),
            ))
            .await
            .unwrap();
        assert_eq!(rec.seq, last.seq + 1);
        assert_eq!(rec.prev_hash, last.hash);
        last = rec;
    }
    assert!(matches!(
        store.append_audit(&entry(None, " ", json!({}))).await,
        Err(StoreError::Invalid(_))
    ));
    let report = store.verify_audit().await.unwrap();
    assert!(report.is_intact(), "{report:?}");
    assert_eq!(report.checked, 6);
    assert_eq!(report.head.as_deref(), Some(last.hash.as_str()));
    let recent = store.recent_audit(2).await.unwrap();
    assert_eq!(recent.len(), 2);
    assert_eq!(recent[0], last);
    assert_eq!(recent[1].seq, 5);

    // Concurrent appends never fork the chain.
    let mut tasks = Vec::new();
    for i in 0..8 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            store
                .append_audit(&entry(None, "concurrent", json!({ "i": i })))
                .await
        }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let report = store.verify_audit().await.unwrap();
    assert!(report.is_intact(), "{report:?}");
    assert_eq!(report.checked, 14);

    tamper_and_detect(url, backend, &store).await;
    store.close().await;
}

/// Changes the log behind the store's back (as someone with database access could)
/// and checks that verification finds each kind of break.
async fn tamper_and_detect(url: &str, backend: Backend, store: &Store) {
    let raw = Raw::connect(url, backend).await;
    // The append-only triggers refuse ordinary updates and deletes.
    assert!(
        raw.exec("UPDATE audit_log SET action = 'x' WHERE seq = 3")
            .await
            .is_err()
    );
    assert!(
        raw.exec("DELETE FROM audit_log WHERE seq = 3")
            .await
            .is_err()
    );
    raw.drop_guards(backend).await;

    raw.exec("UPDATE audit_log SET detail = '{\"fields\":[\"password\"]}' WHERE seq = 3")
        .await
        .unwrap();
    let r = store.verify_audit().await.unwrap();
    assert_eq!(r.first_break, Some(AuditBreak::Content { seq: 3 }));
    assert_eq!(r.checked, 2);

    raw.exec("DELETE FROM audit_log WHERE seq IN (3, 4)")
        .await
        .unwrap();
    let r = store.verify_audit().await.unwrap();
    assert_eq!(
        r.first_break,
        Some(AuditBreak::Gap {
            expected: 3,
            found: 5
        })
    );

    // Renumbering to hide the gap breaks the links instead.
    raw.exec("UPDATE audit_log SET seq = seq - 2 WHERE seq >= 5")
        .await
        .unwrap();
    let r = store.verify_audit().await.unwrap();
    assert_eq!(r.first_break, Some(AuditBreak::Link { seq: 3 }));
    assert!(!r.is_intact());
}

/// A direct connection for tampering, bypassing the store.
enum Raw {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

impl Raw {
    async fn connect(url: &str, backend: Backend) -> Raw {
        match backend {
            Backend::Sqlite => Raw::Sqlite(sqlx::SqlitePool::connect(url).await.unwrap()),
            Backend::Postgres => Raw::Postgres(sqlx::PgPool::connect(url).await.unwrap()),
        }
    }

    async fn exec(&self, sql: &str) -> Result<u64, sqlx::Error> {
        match self {
            Raw::Sqlite(p) => sqlx::query(sql).execute(p).await.map(|r| r.rows_affected()),
            Raw::Postgres(p) => sqlx::query(sql).execute(p).await.map(|r| r.rows_affected()),
        }
    }

    async fn drop_guards(&self, backend: Backend) {
        match backend {
            Backend::Sqlite => {
                self.exec("DROP TRIGGER audit_log_no_update").await.unwrap();
                self.exec("DROP TRIGGER audit_log_no_delete").await.unwrap();
            }
            Backend::Postgres => {
                self.exec("DROP TRIGGER audit_log_no_change ON audit_log")
                    .await
                    .unwrap();
            }
        }
    }
}

#[tokio::test]
async fn story_sqlite() {
    let db = sijill_testkit::sqlite_url();
    story(db.url(), Backend::Sqlite).await;
}

#[tokio::test]
async fn story_sqlite_bare_path() {
    // A bare path (no `sqlite:` prefix) opens SQLite too, creating the file.
    let db = sijill_testkit::sqlite_url();
    let path = db.path().display().to_string();
    let store = Store::open(&path).await.unwrap();
    assert_eq!(store.backend(), Backend::Sqlite);
    store.close().await;
    assert!(db.path().is_file());
}

#[tokio::test]
async fn story_postgres() {
    let Some(db) = sijill_testkit::postgres() else {
        return;
    };
    story(db.url(), Backend::Postgres).await;
}

#[tokio::test]
async fn errors_do_not_leak_values() {
    // A conflict names what exists, never the value or the statement.
    let db = sijill_testkit::sqlite_url();
    let store = Store::open(db.url()).await.unwrap();
    store
        .create_org(&org("Secret Shelter Name", OrgKind::Relief))
        .await
        .unwrap();
    let err = store
        .create_org(&org("Secret Shelter Name", OrgKind::Relief))
        .await
        .unwrap_err()
        .to_string();
    assert!(!err.contains("Secret"), "{err}");
    assert!(!err.to_ascii_uppercase().contains("INSERT"), "{err}");
}

/// Two stores on one database (as two processes would be), several tasks each, all
/// writing at once: every write succeeds (SQLite waits on its busy timeout instead of
/// failing) and the audit chain stays one unbroken line. `SIJILL_SLOW=1` makes it
/// ten times heavier.
async fn contention(url: &str) {
    let per_task = if std::env::var("SIJILL_SLOW").is_ok_and(|v| v == "1") {
        100
    } else {
        10
    };
    let a = Store::open(url).await.unwrap();
    let b = Store::open(url).await.unwrap();
    let org = a
        .create_org(&org("Contention", OrgKind::Relief))
        .await
        .unwrap();
    let u = a
        .create_user(&user("writer", org.id, Role::Field))
        .await
        .unwrap();
    let mut tasks = Vec::new();
    for t in 0..8_usize {
        let store = if t % 2 == 0 { a.clone() } else { b.clone() };
        tasks.push(tokio::spawn(async move {
            for i in 0..per_task {
                store
                    .create_session(&NewSession {
                        token_hash: format!("{t}-{i}"),
                        user_id: u.id,
                        csrf_token: "c".into(),
                        expires_at: OffsetDateTime::now_utc() + Duration::hours(1),
                    })
                    .await
                    .unwrap();
                store
                    .append_audit(&entry(Some(u.id), "session.create", json!({ "t": t })))
                    .await
                    .unwrap();
                assert!(store.session(&format!("{t}-{i}")).await.unwrap().is_some());
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let report = b.verify_audit().await.unwrap();
    assert!(report.is_intact(), "{report:?}");
    assert_eq!(report.checked, 8 * per_task as u64);
    assert_eq!(
        a.delete_user_sessions(u.id).await.unwrap(),
        8 * per_task as u64
    );
    a.close().await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contention_sqlite() {
    let db = sijill_testkit::sqlite_url();
    contention(db.url()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contention_postgres() {
    let Some(db) = sijill_testkit::postgres() else {
        return;
    };
    contention(db.url()).await;
}
