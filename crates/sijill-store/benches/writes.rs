//! Write throughput of the store on each backend: single-row transactions one after
//! another, the same from 8 concurrent tasks, audit appends, and audit verification.
//!
//! Run: `cargo bench -p sijill-store --bench writes` (set `SIJILL_BENCH_N` to change
//! the number of writes per measurement, default 2000). PostgreSQL is measured on the
//! testkit's throwaway cluster, which runs with `fsync=off`, so its figures are an
//! upper bound; SQLite runs as in production (WAL, `synchronous=FULL`).

use sijill_model::account::{NewOrganization, NewUser, OrgKind, PasswordHash, Role, Username};
use sijill_store::{AuditEntry, NewSession, Store};
use std::time::Instant;
use time::{Duration, OffsetDateTime};

fn main() {
    let n: usize = std::env::var("SIJILL_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    println!("| backend | measurement | writes | seconds | writes/s |");
    println!("|---|---|---|---|---|");
    for db in sijill_testkit::backends() {
        rt.block_on(run(db.name(), db.url(), n));
    }
}

fn row(backend: &str, what: &str, n: usize, start: Instant) {
    let s = start.elapsed().as_secs_f64();
    println!(
        "| {backend} | {what} | {n} | {s:.3} | {:.0} |",
        n as f64 / s
    );
}

async fn run(backend: &str, url: &str, n: usize) {
    let store = Store::open(url).await.expect("open");
    let org = store
        .create_org(&NewOrganization {
            name: "Bench".into(),
            name_ar: None,
            kind: OrgKind::Relief,
            network_member: true,
        })
        .await
        .expect("org");
    let user = store
        .create_user(&NewUser {
            username: Username::parse("bench").expect("username"),
            display_name: "Bench".into(),
            org_id: org.id,
            role: Role::Field,
            password_hash: PasswordHash::new("$argon2id$bench"),
            must_change_password: false,
        })
        .await
        .expect("user");
    let expires_at = OffsetDateTime::now_utc() + Duration::hours(1);
    let user_id = user.id;
    let session = move |i: usize, t: usize| NewSession {
        token_hash: format!("{t:04}-{i:060}"),
        user_id,
        csrf_token: "csrf".into(),
        expires_at,
    };

    let start = Instant::now();
    for i in 0..n {
        store.create_session(&session(i, 0)).await.expect("session");
    }
    row(backend, "session inserts, sequential", n, start);

    let start = Instant::now();
    let tasks: Vec<_> = (1..=8)
        .map(|t| {
            let store = store.clone();
            tokio::spawn(async move {
                for i in 0..n / 8 {
                    store.create_session(&session(i, t)).await.expect("session");
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("task");
    }
    row(backend, "session inserts, 8 tasks", n / 8 * 8, start);

    let start = Instant::now();
    for i in 0..n {
        store
            .append_audit(&AuditEntry {
                actor: Some(user.id),
                org: Some(org.id),
                action: "bench.append".into(),
                entity: "session".into(),
                entity_id: None,
                detail: serde_json::json!({ "i": i }),
            })
            .await
            .expect("audit");
    }
    row(backend, "audit appends, sequential", n, start);

    let start = Instant::now();
    let report = store.verify_audit().await.expect("verify");
    assert!(report.is_intact());
    row(backend, "audit entries verified", n, start);
    store.close().await;
}
