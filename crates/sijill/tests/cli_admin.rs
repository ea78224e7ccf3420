//! Setting up accounts from the command line, as an administrator prepares a field
//! laptop: an organization, a user with a one-time password, and an API token printed
//! once and kept only as a hash. A repeated token name, an unknown or disabled user and an
//! empty name are refused with exit 2 and nothing written.

mod common;

use common::{sijill, text};

use sijill_store::Store;
use std::process::Output;

#[tokio::test]
async fn an_administrator_makes_an_account_and_its_sync_token() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite:{}", dir.path().join("server.db").display());
    let ok = |o: Output| {
        assert!(o.status.success(), "{}", text(&o));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    ok(sijill(&["migrate", "--db", &db]));
    ok(sijill(&[
        "org",
        "add",
        "--db",
        &db,
        "--name",
        "Jableh Youth",
        "--kind",
        "relief",
        "--member",
    ]));
    let added = ok(sijill(&[
        "user",
        "add",
        "--db",
        &db,
        "--username",
        "rana",
        "--name",
        "Rana K.",
        "--org",
        "Jableh Youth",
        "--role",
        "field",
    ]));
    assert!(added.contains("one-time password:"), "{added}");

    let out = ok(sijill(&[
        "user", "token", "--db", &db, "rana", "--name", "laptop 3",
    ]));
    let token = out
        .lines()
        .find(|l| l.starts_with("sjl_"))
        .unwrap_or_else(|| panic!("no token printed: {out}"))
        .to_owned();
    let store = Store::open(&db).await.unwrap();
    let user = store
        .user_by_api_token(&sijill_server::auth::token_hash(&token))
        .await
        .unwrap()
        .expect("the printed token signs in as rana");
    assert_eq!(user.username.as_str(), "rana");
    assert_eq!(store.list_api_tokens(user.id).await.unwrap().len(), 1);
    let db_bytes = std::fs::read(dir.path().join("server.db")).unwrap();
    assert!(
        !db_bytes.windows(token.len()).any(|w| w == token.as_bytes()),
        "only the token's hash is kept"
    );

    for (args, why) in [
        (vec!["rana", "--name", "laptop 3"], "already has a token"),
        (vec!["nobody", "--name", "x"], "nobody"),
        (vec!["rana", "--name", "  "], "--name"),
    ] {
        let mut all = vec!["user", "token", "--db", db.as_str()];
        all.extend(args);
        let o = sijill(&all);
        assert_eq!(o.status.code(), Some(2), "{}", text(&o));
        assert!(text(&o).contains(why), "{}", text(&o));
    }
    ok(sijill(&["user", "disable", "--db", &db, "rana"]));
    let o = sijill(&["user", "token", "--db", &db, "rana", "--name", "laptop 4"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("disabled"));
    assert_eq!(store.list_api_tokens(user.id).await.unwrap().len(), 1);
    // Every change made from the command line is in the audit chain, as from the pages.
    let actions: Vec<String> = Store::open(&db)
        .await
        .unwrap()
        .recent_audit(50)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.action)
        .collect();
    for want in ["org.create", "user.create", "token.create", "user.disable"] {
        assert!(actions.iter().any(|a| a == want), "{want} in {actions:?}");
    }
    ok(sijill(&["audit", "verify", "--db", &db]));
}
