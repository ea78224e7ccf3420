//! `Store::session_with_user`, the one query behind every signed-in page, on both
//! backends: it answers exactly what `session` then `user` answer — a live session with
//! its user (a disabled one too, for the server to refuse), nothing for an expired,
//! ended or unknown session.

use sijill_model::account::{NewOrganization, NewUser, OrgKind, PasswordHash, Role, Username};
use sijill_store::{NewSession, Store};
use time::{Duration, OffsetDateTime};

async fn story(url: &str) {
    let store = Store::open(url).await.unwrap();
    store.migrate().await.unwrap();
    let org = store
        .create_org(&NewOrganization {
            name: "Jableh Youth".into(),
            name_ar: None,
            kind: OrgKind::Relief,
            network_member: true,
        })
        .await
        .unwrap();
    let user = store
        .create_user(&NewUser {
            username: Username::parse("field.one").unwrap(),
            display_name: "Field One".into(),
            org_id: org.id,
            role: Role::Field,
            password_hash: PasswordHash::new("$argon2id$v=19$not-a-real-hash"),
            must_change_password: true,
        })
        .await
        .unwrap();
    let now = OffsetDateTime::now_utc();
    let live = NewSession {
        token_hash: "a".repeat(64),
        user_id: user.id,
        csrf_token: "csrf-live".into(),
        expires_at: now + Duration::hours(8),
    };
    let expired = NewSession {
        token_hash: "b".repeat(64),
        csrf_token: "csrf-old".into(),
        expires_at: now - Duration::minutes(1),
        ..live.clone()
    };
    store.create_session(&live).await.unwrap();
    store.create_session(&expired).await.unwrap();

    let (session, who) = store
        .session_with_user(&live.token_hash)
        .await
        .unwrap()
        .expect("a live session");
    assert_eq!(
        Some(session.clone()),
        store.session(&live.token_hash).await.unwrap()
    );
    assert_eq!(Some(who.clone()), store.user(user.id).await.unwrap());
    assert_eq!(session.csrf_token, "csrf-live");
    assert_eq!(who.role, Role::Field);
    assert!(who.must_change_password && !who.disabled);

    assert_eq!(
        store.session_with_user(&expired.token_hash).await.unwrap(),
        None
    );
    assert_eq!(
        store.session_with_user(&"c".repeat(64)).await.unwrap(),
        None
    );

    store.delete_session(&live.token_hash).await.unwrap();
    assert_eq!(
        store.session_with_user(&live.token_hash).await.unwrap(),
        None
    );

    // Disabling ends the user's sessions; a session of a disabled user (made after)
    // is found with the flag the server refuses on.
    let again = NewSession {
        token_hash: "d".repeat(64),
        ..live.clone()
    };
    store.create_session(&again).await.unwrap();
    store.set_user_disabled(user.id, true).await.unwrap();
    assert_eq!(
        store.session_with_user(&again.token_hash).await.unwrap(),
        None
    );
    store.create_session(&again).await.unwrap();
    let (_, who) = store
        .session_with_user(&again.token_hash)
        .await
        .unwrap()
        .expect("a session of a disabled user");
    assert!(who.disabled);
    store.close().await;
}

#[tokio::test]
async fn session_with_user_sqlite() {
    let db = sijill_testkit::sqlite_url();
    story(db.url()).await;
}

#[tokio::test]
async fn session_with_user_postgres() {
    let Some(db) = sijill_testkit::postgres() else {
        return;
    };
    story(db.url()).await;
}
