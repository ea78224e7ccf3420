//! The sync benchmark (`bench/sync/`): time and bytes to sync N records and M MiB of
//! evidence from a laptop instance to a server over loopback HTTP, then to pull them
//! all onto a second, empty laptop. Run with
//! `cargo run --release -p sijill --example bench_sync -- [RECORDS] [EVIDENCE_MIB]`.

use sijill_model::account::{
    NewOrganization, NewUser, OrgId, OrgKind, PasswordHash, Role, Username,
};
use sijill_model::geo::PCode;
use sijill_server::{AppState, ServerConfig, auth};
use sijill_store::document_evidence::{EvidenceFiles, NewEvidence};
use sijill_store::document_types::{Actor, Violation};
use sijill_store::{ApplyOutcome, Batch, Keyring, NewDistribution, PullPage, Store};
use sijill_sync::{Account, HttpTransport, Transport, TransportError};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// Counts the JSON body bytes each way (HTTP headers not included).
struct Counting {
    inner: HttpTransport,
    sent: AtomicU64,
    received: AtomicU64,
}

impl Transport for Counting {
    async fn account(&self) -> Result<Account, TransportError> {
        self.inner.account().await
    }
    async fn push(&self, batch: &Batch) -> Result<ApplyOutcome, TransportError> {
        let n = serde_json::to_vec(batch).map(|v| v.len()).unwrap_or(0);
        self.sent.fetch_add(n as u64, Ordering::Relaxed);
        self.inner.push(batch).await
    }
    async fn pull(&self, after: i64, limit: u32) -> Result<PullPage, TransportError> {
        let page = self.inner.pull(after, limit).await?;
        let n = serde_json::to_vec(&page).map(|v| v.len()).unwrap_or(0);
        self.received.fetch_add(n as u64, Ordering::Relaxed);
        Ok(page)
    }
}

async fn org(store: &Store) -> OrgId {
    store
        .create_org(&NewOrganization {
            name: "Bench Relief".into(),
            name_ar: None,
            kind: OrgKind::Relief,
            network_member: true,
        })
        .await
        .expect("org")
        .id
}

async fn laptop(dir: &std::path::Path, name: &str) -> (Store, OrgId) {
    let db = format!("sqlite:{}", dir.join(format!("{name}.db")).display());
    let store = Store::open(&db)
        .await
        .expect("open")
        .with_keyring(Keyring::generate())
        .await
        .expect("key");
    store
        .set_evidence_files(&EvidenceFiles::new(dir.join(format!("{name}.evidence"))))
        .await
        .expect("evidence dir");
    let o = org(&store).await;
    (store, o)
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let records: u64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let evidence_mib: u64 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(64);
    let dir = tempfile::tempdir().expect("tempdir");

    let server_db = format!("sqlite:{}", dir.path().join("server.db").display());
    let server = Store::open(&server_db)
        .await
        .expect("open")
        .with_keyring(Keyring::generate())
        .await
        .expect("key");
    server
        .set_evidence_files(&EvidenceFiles::new(dir.path().join("server.evidence")))
        .await
        .expect("evidence dir");
    let server_org = org(&server).await;
    let user = server
        .create_user(&NewUser {
            username: Username::parse("bench.coordinator").expect("name"),
            display_name: "Bench".into(),
            org_id: server_org,
            role: Role::Coordinator,
            password_hash: PasswordHash::new("$argon2id$v=19$m=19456,t=2,p=1$unused$unused"),
            must_change_password: false,
        })
        .await
        .expect("user");
    let token = auth::new_api_token();
    server
        .create_api_token(user.id, "bench", &auth::token_hash(&token))
        .await
        .expect("token");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(sijill_server::serve(
        listener,
        AppState::new(server.clone(), ServerConfig::default()),
    ));

    let (a, a_org) = laptop(dir.path(), "laptop-a").await;
    let item = a
        .create_item(
            "bench-basket",
            ("Food basket", "سلة غذائية"),
            ("basket", "سلة"),
            false,
        )
        .await
        .expect("item");
    let rows: Vec<NewDistribution> = (0..records)
        .map(|i| NewDistribution {
            campaign: None,
            on: time::macros::date!(2025 - 03 - 10),
            pcode: PCode::parse("SY060200").expect("pcode"),
            site: Some(format!("Site {}", i % 97)),
            item: item.id,
            quantity: 1 + i % 40,
            households: 1 + i % 40,
            individuals: 5 + i % 200,
            import_key: None,
        })
        .collect();
    for chunk in rows.chunks(10_000) {
        a.import_distributions(None, a_org, chunk)
            .await
            .expect("import");
    }
    let mut evidence_bytes = 0u64;
    let mut n = 0u64;
    while evidence_bytes < evidence_mib * 1024 * 1024 {
        let size = (8 * 1024 * 1024).min(evidence_mib * 1024 * 1024 - evidence_bytes) as usize;
        let bytes: Vec<u8> = (0..size)
            .map(|i| (i as u64 * 2654435761 + n) as u8)
            .collect();
        let files = a.evidence_files().await.expect("files");
        a.add_evidence(
            &files,
            &NewEvidence {
                incident_id: None,
                original_name: format!("video-{n}.mp4"),
                media_type: "application/octet-stream".into(),
                origin_url: None,
                captured_at: time::OffsetDateTime::now_utc(),
                capture_tool: "bench".into(),
                captured_by: "bench".into(),
                violation: Violation::UnlawfulKilling,
                description: "bench file".into(),
            },
            bytes,
            Actor {
                user: None,
                org: a_org,
            },
        )
        .await
        .expect("evidence");
        evidence_bytes += size as u64;
        n += 1;
    }

    let t = Counting {
        inner: HttpTransport::new(&base, &token).expect("transport"),
        sent: AtomicU64::new(0),
        received: AtomicU64::new(0),
    };
    let start = Instant::now();
    let report = sijill_sync::sync(&a, &t, &base, |_| {})
        .await
        .expect("sync");
    let push_time = start.elapsed();
    let start = Instant::now();
    let ev = sijill_sync::sync_evidence(&a, &t.inner, a_org, |_| {})
        .await
        .expect("evidence");
    let evidence_time = start.elapsed();
    let start = Instant::now();
    let again = sijill_sync::sync(&a, &t, &base, |_| {})
        .await
        .expect("sync again");
    let again_time = start.elapsed();
    let pushed_bytes = t.sent.load(Ordering::Relaxed);

    let (b, _) = laptop(dir.path(), "laptop-b").await;
    let tb = Counting {
        inner: HttpTransport::new(&base, &token).expect("transport"),
        sent: AtomicU64::new(0),
        received: AtomicU64::new(0),
    };
    let start = Instant::now();
    let pulled = sijill_sync::sync(&b, &tb, &base, |_| {})
        .await
        .expect("pull");
    let pull_time = start.elapsed();
    // The evidence records and their `captured` custody events sync too.
    let synced = records + 2 * n;
    assert_eq!(report.pushed, synced, "every record pushed");
    assert_eq!(pulled.pulled, synced, "every record pulled");
    assert_eq!((again.pushed, again.pulled), (0, 0));

    println!("| step | records / files | time | JSON body bytes |");
    println!("|---|---|---|---|");
    println!(
        "| laptop → server (capture, push) | {records} | {:.1} s | {:.1} MiB sent |",
        push_time.as_secs_f64(),
        mib(pushed_bytes)
    );
    println!(
        "| evidence laptop → server | {} files, {:.0} MiB | {:.1} s | {:.0} MiB |",
        ev.uploaded,
        mib(evidence_bytes),
        evidence_time.as_secs_f64(),
        mib(evidence_bytes)
    );
    println!(
        "| sync again, nothing new | 0 | {:.2} s | — |",
        again_time.as_secs_f64()
    );
    println!(
        "| server → empty laptop (pull, apply) | {records} | {:.1} s | {:.1} MiB received |",
        pull_time.as_secs_f64(),
        mib(tb.received.load(Ordering::Relaxed))
    );
}
