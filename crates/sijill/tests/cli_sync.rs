//! `sijill sync` against a server running in this test over HTTP: a laptop's offline
//! records and evidence reach the server, the server's evidence reaches the laptop
//! (each file verified by SHA-256), a second run exchanges nothing, a bad token exits
//! 2 and an unreachable server exits 1 with the advice to run again. A cash transfer
//! made offline to a household deleted on the server meanwhile is held back on both
//! sides, and the summary says how many records are held back here.
//!
//! Over HTTPS, the server serving TLS itself with a certificate from a throwaway network
//! authority: without `--ca-file` the certificate is refused with exit 2 and a message
//! that names it; with it the sync works, and `--remember` keeps the file for the next
//! run. Through a front that cuts the first connections, one run retries by itself and
//! succeeds. `sijill serve` refuses a certificate file it cannot read, with exit 2.

use sijill_model::account::{
    NewOrganization, NewUser, OrgId, OrgKind, PasswordHash, Role, Username,
};
use sijill_model::geo::PCode;
use sijill_server::{AppState, ServerConfig, auth};
use sijill_store::document_evidence::{EvidenceFiles, NewEvidence, sha256_hex};
use sijill_store::document_types::{Actor, Violation};
use sijill_store::{
    Identity, Keyring, Modality, NewCashTransfer, NewDistribution, NewHousehold, Store,
};
use sijill_sync::Transport;
use std::path::{Path, PathBuf};
use std::process::Output;

async fn org(store: &Store) -> OrgId {
    store
        .create_org(&NewOrganization {
            name: "Jableh Youth".into(),
            name_ar: None,
            kind: OrgKind::Relief,
            network_member: true,
        })
        .await
        .unwrap()
        .id
}

async fn account(store: &Store, username: &str, org: OrgId, role: Role) -> String {
    let user = store
        .create_user(&NewUser {
            username: Username::parse(username).unwrap(),
            display_name: username.into(),
            org_id: org,
            role,
            password_hash: PasswordHash::new("$argon2id$v=19$m=19456,t=2,p=1$unused$unused"),
            must_change_password: false,
        })
        .await
        .unwrap();
    let token = auth::new_api_token();
    store
        .create_api_token(user.id, "laptop", &auth::token_hash(&token))
        .await
        .unwrap();
    token
}

fn evidence(name: &str) -> NewEvidence {
    NewEvidence {
        incident_id: None,
        original_name: name.into(),
        media_type: "text/plain".into(),
        origin_url: None,
        captured_at: time::OffsetDateTime::now_utc(),
        capture_tool: "phone".into(),
        captured_by: "Documenter A".into(),
        violation: Violation::UnlawfulKilling,
        description: "a test file".into(),
    }
}

async fn sync(args: Vec<String>) -> Output {
    tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_sijill"))
            .arg("sync")
            .args(args)
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_laptop_syncs_with_a_server_over_http() {
    let dir = tempfile::tempdir().unwrap();
    let server_db = format!("sqlite:{}", dir.path().join("server.db").display());
    let server = Store::open(&server_db)
        .await
        .unwrap()
        .with_keyring(Keyring::generate())
        .await
        .unwrap();
    let server_files = EvidenceFiles::new(dir.path().join("server.evidence"));
    server.set_evidence_files(&server_files).await.unwrap();
    let server_org = org(&server).await;
    let user = server
        .create_user(&NewUser {
            username: Username::parse("coordinator.jableh").unwrap(),
            display_name: "Coordinator".into(),
            org_id: server_org,
            role: Role::Coordinator,
            password_hash: PasswordHash::new("$argon2id$v=19$m=19456,t=2,p=1$unused$unused"),
            must_change_password: false,
        })
        .await
        .unwrap();
    let token = auth::new_api_token();
    server
        .create_api_token(user.id, "laptop", &auth::token_hash(&token))
        .await
        .unwrap();
    let on_server = server
        .add_evidence(
            &server_files,
            &evidence("server.txt"),
            b"filmed in Baniyas".to_vec(),
            Actor {
                user: None,
                org: server_org,
            },
        )
        .await
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let state = AppState::new(server.clone(), ServerConfig::default());
    tokio::spawn(sijill_server::serve(listener, state));

    // The laptop, offline: its own key file beside its database.
    let laptop_path = dir.path().join("laptop.db");
    let laptop_db = format!("sqlite:{}", laptop_path.display());
    let key = Path::new(&format!("{}.key", laptop_path.display())).to_path_buf();
    let (ring, _) = Keyring::load_or_create(&key).unwrap();
    let laptop = Store::open(&laptop_db)
        .await
        .unwrap()
        .with_keyring(ring)
        .await
        .unwrap();
    let laptop_files = EvidenceFiles::new(dir.path().join("laptop.db.evidence"));
    laptop.set_evidence_files(&laptop_files).await.unwrap();
    let laptop_org = org(&laptop).await;
    let item = laptop
        .create_item("cli-bread", ("Bread", "خبز"), ("bundle", "ربطة"), false)
        .await
        .unwrap();
    let d = laptop
        .create_distribution(
            None,
            laptop_org,
            &NewDistribution {
                campaign: None,
                on: time::macros::date!(2025 - 03 - 11),
                pcode: PCode::parse("SY060200").unwrap(),
                site: None,
                item: item.id,
                quantity: 300,
                households: 60,
                individuals: 290,
                import_key: None,
            },
        )
        .await
        .unwrap();
    let h = laptop
        .register_household(
            None,
            laptop_org,
            &NewHousehold {
                identity: Identity {
                    name: "Rana Saleh".into(),
                    father_name: "Ali".into(),
                    birth_year: Some(1980),
                    locality: "SY0602".into(),
                },
                contact: None,
                pcode: PCode::parse("SY060200").unwrap(),
                size: 3,
                females: 2,
                males: 1,
                children: 1,
                elderly: 0,
                vulnerability: Vec::new(),
                import_key: None,
            },
        )
        .await
        .unwrap();
    let on_laptop = laptop
        .add_evidence(
            &laptop_files,
            &evidence("laptop.txt"),
            b"photographed in Jableh".to_vec(),
            Actor {
                user: None,
                org: laptop_org,
            },
        )
        .await
        .unwrap();
    laptop.close().await;

    let args = |server: &str, token: &str| {
        vec![
            "--server".to_owned(),
            server.to_owned(),
            "--token".to_owned(),
            token.to_owned(),
            "--db".to_owned(),
            laptop_db.clone(),
        ]
    };
    let out = sync(args(&base, &token)).await;
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("1 evidence files sent, 1 received"),
        "{}",
        text(&out)
    );

    let snap = server.sync_snapshot().await.unwrap();
    assert_eq!(
        snap[&("distribution".to_owned(), d.id)]["quantity"].as_deref(),
        Some("300")
    );
    let name = snap[&("household".to_owned(), h)]["name_sealed"]
        .clone()
        .unwrap();
    assert!(name.contains("Rana Saleh"));
    assert!(
        server_files.check_blocking(&on_laptop.sha256)
            == sijill_store::document_evidence::FileCheck::Intact
    );
    assert_eq!(
        sha256_hex(&laptop_files.read_blocking(&on_server.sha256).unwrap()),
        on_server.sha256
    );
    // Files that moved are in the server's audit log: the upload as sync.evidence, the
    // download as an export, each with its hash.
    let audit = server.recent_audit(100).await.unwrap();
    let has = |action: &str, sha: &str| {
        audit
            .iter()
            .any(|r| r.action == action && r.detail["sha256"] == sha)
    };
    assert!(has("sync.evidence", &on_laptop.sha256));
    assert!(has("export.evidence", &on_server.sha256));

    // Again: nothing new either way.
    let out = sync(args(&base, &token)).await;
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("0 local changes recorded, 0 revisions sent, 0 received"),
        "{}",
        text(&out)
    );
    assert!(
        text(&out).contains("0 evidence files sent, 0 received"),
        "{}",
        text(&out)
    );
    assert!(!text(&out).contains("held back"), "{}", text(&out));

    // The household is deleted on the server while the laptop pays it offline: the
    // transfer is held back on the server (its household is gone there), the deletion on
    // the laptop (the transfer refers to the household), and the summary says so.
    server
        .sync_delete(None, server_org, "household", h)
        .await
        .unwrap();
    let laptop = Store::open(&laptop_db)
        .await
        .unwrap()
        .with_keyring(Keyring::load(&key).unwrap())
        .await
        .unwrap();
    let cash = laptop
        .create_cash_transfer(
            None,
            laptop_org,
            &NewCashTransfer {
                household: h,
                campaign: None,
                amount: 5_000,
                currency: "SYP".into(),
                paid_on: time::macros::date!(2025 - 03 - 14),
                modality: Modality::Voucher,
                allow_repeat: false,
            },
        )
        .await
        .unwrap()
        .id;
    laptop.close().await;
    let out = sync(args(&base, &token)).await;
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("; 1 received records held back here"),
        "{}",
        text(&out)
    );
    let held = server.sync_held_back(None).await.unwrap();
    assert_eq!(held.len(), 1, "{held:?}");
    assert_eq!(held[0].record_id, cash);

    // Scope, enforced by the server: another organization's token neither reads nor
    // writes Jableh's records, and a viewer's token syncs nothing.
    let baniyas = server
        .create_org(&NewOrganization {
            name: "Baniyas Relief".into(),
            name_ar: None,
            kind: OrgKind::Relief,
            network_member: true,
        })
        .await
        .unwrap()
        .id;
    let other = account(&server, "coordinator.baniyas", baniyas, Role::Coordinator).await;
    let viewer = account(&server, "viewer.jableh", server_org, Role::Viewer).await;
    let laptop = Store::open(&laptop_db)
        .await
        .unwrap()
        .with_keyring(Keyring::load(&key).unwrap())
        .await
        .unwrap();
    let batch = laptop
        .sync_export(&sijill_store::ExportFilter::default(), 0, 500)
        .await
        .unwrap()
        .batch;
    laptop.close().await;
    let foreign = sijill_sync::HttpTransport::new(&base, &other).unwrap();
    let page = foreign.pull(0, 500).await.unwrap();
    assert!(page.batch.revisions.is_empty());
    let refused = foreign.push(&batch).await.unwrap_err();
    assert!(refused.to_string().contains("403"), "{refused}");
    let seen = sijill_sync::HttpTransport::new(&base, &viewer).unwrap();
    let refused = seen.pull(0, 500).await.unwrap_err();
    assert!(refused.to_string().contains("403"), "{refused}");

    let out = sync(args(&base, "sjl_not_a_token")).await;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("unknown or revoked token"),
        "{}",
        text(&out)
    );

    let mut unreachable = args("http://127.0.0.1:1", &token);
    unreachable.extend(["--retries", "1", "--retry-wait", "0"].map(String::from));
    let out = sync(unreachable).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("tried 2 times"), "{}", text(&out));
    assert!(
        text(&out).contains("run the same command again"),
        "{}",
        text(&out)
    );
}

/// A throwaway network authority and a server certificate it signed for 127.0.0.1 and
/// localhost, written as PEM files: (the authority's file, the certificate's, the key's).
fn authority(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose,
    };
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "Coastal network test authority");
    ca.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca, ca_key);
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
        .unwrap()
        .signed_by(&leaf_key, &issuer)
        .unwrap();
    let files = (
        dir.join("network-ca.pem"),
        dir.join("server.pem"),
        dir.join("server.key"),
    );
    std::fs::write(&files.0, ca_cert.pem()).unwrap();
    std::fs::write(&files.1, leaf.pem()).unwrap();
    std::fs::write(&files.2, leaf_key.serialize_pem()).unwrap();
    files
}

/// A front on a port of its own that forwards each connection to `upstream`, cutting
/// the first `cut` connections right after accepting them.
async fn front(upstream: std::net::SocketAddr, cut: usize) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut seen = 0usize;
        while let Ok((mut tcp, _)) = listener.accept().await {
            seen += 1;
            if seen <= cut {
                drop(tcp);
                continue;
            }
            tokio::spawn(async move {
                if let Ok(mut back) = tokio::net::TcpStream::connect(upstream).await {
                    let _ = tokio::io::copy_bidirectional(&mut tcp, &mut back).await;
                }
            });
        }
    });
    addr
}

/// A server with one coordinator of Jableh Youth, over HTTPS with `tls` (certificate
/// and key files) or plain HTTP: (its store, its address, the token).
async fn server(dir: &Path, tls: Option<(&Path, &Path)>) -> (Store, std::net::SocketAddr, String) {
    let db = format!("sqlite:{}", dir.join("server.db").display());
    let store = Store::open(&db)
        .await
        .unwrap()
        .with_keyring(Keyring::generate())
        .await
        .unwrap();
    let jableh = org(&store).await;
    let token = account(&store, "coordinator.jableh", jableh, Role::Coordinator).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let state = AppState::new(store.clone(), ServerConfig::default());
    match tls {
        Some((cert, key)) => {
            let config = sijill_server::tls::server_config(cert, key).unwrap();
            tokio::spawn(sijill_server::serve_tls(listener, state, config));
        }
        None => {
            tokio::spawn(sijill_server::serve(listener, state));
        }
    }
    (store, addr, token)
}

/// A laptop with one distribution made offline; its database URL.
async fn laptop(dir: &Path, name: &str) -> (String, uuid::Uuid) {
    let path = dir.join(name);
    let db = format!("sqlite:{}", path.display());
    let (ring, _) = Keyring::load_or_create(Path::new(&format!("{}.key", path.display()))).unwrap();
    let store = Store::open(&db)
        .await
        .unwrap()
        .with_keyring(ring)
        .await
        .unwrap();
    let jableh = org(&store).await;
    let item = store
        .create_item("cli-bread", ("Bread", "خبز"), ("bundle", "ربطة"), false)
        .await
        .unwrap();
    let d = store
        .create_distribution(
            None,
            jableh,
            &NewDistribution {
                campaign: None,
                on: time::macros::date!(2025 - 03 - 12),
                pcode: PCode::parse("SY060200").unwrap(),
                site: None,
                item: item.id,
                quantity: 120,
                households: 40,
                individuals: 170,
                import_key: None,
            },
        )
        .await
        .unwrap();
    store.close().await;
    (db, d.id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_laptop_syncs_over_https_with_the_networks_authority() {
    let dir = tempfile::tempdir().unwrap();
    let (ca_file, cert, key) = authority(dir.path());
    let (server, addr, token) = server(dir.path(), Some((&cert, &key))).await;
    let https = format!("https://127.0.0.1:{}", addr.port());
    let (db, distribution) = laptop(dir.path(), "laptop.db").await;
    let base = |extra: &[&str]| {
        let mut v: Vec<String> = ["--db", db.as_str(), "--no-evidence"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        v.extend(extra.iter().map(|s| s.to_string()));
        v
    };

    // The system's authorities do not know the network's: refused, not retried.
    let out = sync(base(&["--server", &https, "--token", &token])).await;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("not signed by an authority this machine trusts"),
        "{}",
        text(&out)
    );
    assert!(text(&out).contains("--ca-file"), "{}", text(&out));
    assert!(!text(&out).contains("retry"), "{}", text(&out));

    // A file that is not a certificate is bad input too.
    let junk = dir.path().join("junk.pem");
    std::fs::write(&junk, "not a certificate").unwrap();
    let out = sync(base(&[
        "--server",
        &https,
        "--token",
        &token,
        "--ca-file",
        junk.to_str().unwrap(),
    ]))
    .await;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("--ca-file"), "{}", text(&out));

    // With the network's authority: synced, and remembered with the server and token.
    let out = sync(base(&[
        "--server",
        &https,
        "--token",
        &token,
        "--ca-file",
        ca_file.to_str().unwrap(),
        "--remember",
    ]))
    .await;
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains(&format!("synced with {https}")),
        "{}",
        text(&out)
    );
    let snap = server.sync_snapshot().await.unwrap();
    assert_eq!(
        snap[&("distribution".to_owned(), distribution)]["quantity"].as_deref(),
        Some("120")
    );
    let out = sync(base(&[])).await;
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("0 revisions sent, 0 received"),
        "{}",
        text(&out)
    );

    // The server logged what it handed out and what it took in, never a value.
    let audit = server.recent_audit(100).await.unwrap();
    let pushed = audit
        .iter()
        .find(|r| r.action == "sync.apply")
        .expect("the push is audited");
    assert!(pushed.actor.is_some());
    assert!(
        !pushed.detail.to_string().contains("120"),
        "{}",
        pushed.detail
    );

    // A fresh laptop learns its organization from the server (so its people can be
    // added there), receives the records, and is told that it has no account yet.
    let fresh = dir.path().join("fresh.db");
    let fresh_db = format!("sqlite:{}", fresh.display());
    let out = sync(
        [
            "--db",
            &fresh_db,
            "--no-evidence",
            "--server",
            &https,
            "--token",
            &token,
            "--ca-file",
            ca_file.to_str().unwrap(),
        ]
        .map(String::from)
        .to_vec(),
    )
    .await;
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("1 received"), "{}", text(&out));
    assert!(
        text(&out).contains("no account of Jableh Youth on this instance yet")
            && text(&out).contains("sijill user add"),
        "{}",
        text(&out)
    );
    let store = Store::open(&fresh_db).await.unwrap();
    let org = store.org_by_name("Jableh Youth").await.unwrap().unwrap();
    assert_eq!(org.kind, OrgKind::Relief);
    store.close().await;

    // The laptop keeps the last outcome for its /sync page.
    let laptop = Store::open(&db).await.unwrap();
    let last = sijill_sync::LastSync::load(&laptop).await.unwrap().unwrap();
    assert_eq!(
        (last.server.as_str(), last.error.as_deref()),
        (https.as_str(), None)
    );
    // It knows the server's instance, to say "the server" beside its values.
    let server_id = server.sync_instance_id().await.unwrap().to_string();
    assert_eq!(
        laptop
            .setting(sijill_server::sync::SERVER_INSTANCE_SETTING)
            .await
            .unwrap(),
        Some(server_id)
    );
    laptop.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_run_retries_a_cut_connection_by_itself() {
    let dir = tempfile::tempdir().unwrap();
    let (server, upstream, token) = server(dir.path(), None).await;
    let flaky = format!("http://{}", front(upstream, 2).await);
    let (db, distribution) = laptop(dir.path(), "laptop.db").await;
    let args = |retries: &str| {
        [
            "--server",
            &flaky,
            "--token",
            &token,
            "--db",
            &db,
            "--no-evidence",
        ]
        .iter()
        .map(|s| s.to_string())
        .chain([
            "--retries".into(),
            retries.into(),
            "--retry-wait".into(),
            "0".into(),
        ])
        .collect::<Vec<_>>()
    };
    // No retries: the first cut connection ends the run with exit 1.
    let out = sync(args("0")).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("tried 1 time)"), "{}", text(&out));
    let laptop = Store::open(&db).await.unwrap();
    let last = sijill_sync::LastSync::load(&laptop).await.unwrap().unwrap();
    assert!(last.error.unwrap().contains("connection"));
    laptop.close().await;
    // The front cuts one more; the second attempt of this run gets through.
    let out = sync(args("3")).await;
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("retry 1 of 3"), "{}", text(&out));
    assert!(!text(&out).contains("retry 2 of 3"), "{}", text(&out));
    let snap = server.sync_snapshot().await.unwrap();
    assert!(snap.contains_key(&("distribution".to_owned(), distribution)));
}

#[test]
fn serve_refuses_a_certificate_it_cannot_read() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("server.pem");
    std::fs::write(&junk, "not a certificate").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sijill"))
        .args(["serve", "--db"])
        .arg(format!("sqlite:{}", dir.path().join("s.db").display()))
        .args(["--addr", "127.0.0.1:0", "--tls-cert"])
        .arg(&junk)
        .arg("--tls-key")
        .arg(dir.path().join("missing.key"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("--tls-cert/--tls-key"),
        "{}",
        text(&out)
    );
    assert!(text(&out).contains("server.pem"), "{}", text(&out));
}
