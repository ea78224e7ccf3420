//! A long-lived store (a running server) sees what another process (the CLI beside it)
//! committed: no pooled SQLite connection keeps an old snapshot after a look-up that
//! stopped at its first row.

use sijill_model::account::{NewOrganization, NewUser, OrgKind, PasswordHash, Role, Username};
use sijill_store::{AuditEntry, Store};

#[tokio::test]
async fn a_second_process_writes_are_seen_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("s.db").display());
    let server = Store::open(&url).await.unwrap();
    server.migrate().await.unwrap();
    let org = server
        .create_org(&NewOrganization {
            name: "Jableh Youth".into(),
            name_ar: None,
            kind: OrgKind::Relief,
            network_member: true,
        })
        .await
        .unwrap();
    let user = server
        .create_user(&NewUser {
            username: Username::parse("rana").unwrap(),
            display_name: "Rana".into(),
            org_id: org.id,
            role: Role::Field,
            password_hash: PasswordHash::new("x".to_string()),
            must_change_password: false,
        })
        .await
        .unwrap();
    server
        .create_api_token(user.id, "laptop", "hash-of-token")
        .await
        .unwrap();
    for round in 0..3 {
        // Look-ups of one row, as every request makes.
        assert!(
            server
                .user_by_api_token("hash-of-token")
                .await
                .unwrap()
                .is_some()
        );
        assert!(server.user_by_api_token("no such").await.unwrap().is_none());
        assert_eq!(server.list_api_tokens(user.id).await.unwrap().len(), 1);
        let cli = Store::open(&url).await.unwrap();
        cli.append_audit(&AuditEntry {
            actor: None,
            org: Some(org.id),
            action: format!("test.round{round}"),
            entity: "test".into(),
            entity_id: None,
            detail: serde_json::json!({}),
        })
        .await
        .unwrap();
        drop(cli);
        assert_eq!(server.list_api_tokens(user.id).await.unwrap().len(), 1);
        for _ in 0..4 {
            let seen: Vec<String> = server
                .recent_audit(5)
                .await
                .unwrap()
                .into_iter()
                .map(|r| r.action)
                .collect();
            assert_eq!(
                seen.first().map(String::as_str),
                Some(format!("test.round{round}").as_str()),
                "{seen:?}"
            );
        }
    }
}
