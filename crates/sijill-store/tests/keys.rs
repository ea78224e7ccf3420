//! Keys outside the database, on both backends: a store accepts the key file it was
//! sealed with and refuses, before touching data, a wrong or incomplete one.

use sijill_store::{CryptoError, Keyring, Store, StoreError};

async fn story(url: &str) {
    let store = Store::open(url).await.unwrap();
    // Without a keyring personal fields can be neither written nor read.
    assert!(matches!(
        store.seal("households.name:1", "Rana"),
        Err(StoreError::Crypto(CryptoError::NoKeyring))
    ));
    let mut keys = Keyring::generate();
    let store = store.with_keyring(keys.clone()).await.unwrap();
    let sealed = store.seal("households.name:1", "رنا").unwrap();
    assert_eq!(store.unseal("households.name:1", &sealed).unwrap(), "رنا");
    store.close().await;

    // The same key file opens it again.
    let again = Store::open(url)
        .await
        .unwrap()
        .with_keyring(keys.clone())
        .await
        .unwrap();
    assert_eq!(again.unseal("households.name:1", &sealed).unwrap(), "رنا");
    again.close().await;

    // Another key file is refused with a clear error, and nothing changes.
    let wrong = Store::open(url).await.unwrap();
    let err = wrong.with_keyring(Keyring::generate()).await.unwrap_err();
    assert_eq!(err, StoreError::Crypto(CryptoError::WrongKey(1)));
    assert!(err.to_string().contains("no data was changed"));

    // Rotation adds key 2; a key file without it is then refused as incomplete.
    let old = keys.clone();
    keys.rotate();
    let rotated = Store::open(url)
        .await
        .unwrap()
        .with_keyring(keys.clone())
        .await
        .unwrap();
    let newer = rotated.seal("households.name:2", "Omar").unwrap();
    assert_eq!(Keyring::key_of(&newer), Some(2));
    assert_eq!(rotated.unseal("households.name:1", &sealed).unwrap(), "رنا");
    rotated.close().await;
    let err = Store::open(url)
        .await
        .unwrap()
        .with_keyring(old)
        .await
        .unwrap_err();
    assert_eq!(err, StoreError::Crypto(CryptoError::MissingKey(2)));
}

#[tokio::test]
async fn keys_sqlite() {
    let db = sijill_testkit::sqlite_url();
    story(db.url()).await;
}

#[tokio::test]
async fn keys_postgres() {
    let Some(db) = sijill_testkit::postgres() else {
        return;
    };
    story(db.url()).await;
}
