//! Crash safety of the real binary: `sijill serve` is killed with SIGKILL at seeded
//! random points while API clients write distributions and `sijill import distributions`
//! loads a CSV file (itself killed at the same moment). After each kill the server is
//! started again, and every write it acknowledged is there, and each import is either
//! all there or not there at all — on SQLite and PostgreSQL.
//!
//! No sleeps: the test waits for the server's "listening" log line (it binds port 0
//! and says which port), then polls `/healthz` a bounded number of times.

use rand::{Rng, SeedableRng};
use sijill_model::account::{
    NewOrganization, NewUser, OrgId, OrgKind, PasswordHash, Role, Username,
};
use sijill_store::{Keyring, Store};
use std::collections::HashSet;
use std::io::BufRead;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

const ORG: &str = "Jableh Youth";
/// Rows of each round's import file.
const IMPORT_ROWS: usize = 5000;
/// Concurrent API clients.
const CLIENTS: usize = 4;

struct Server {
    child: Child,
    base: String,
    log: Arc<std::sync::Mutex<String>>,
}

/// Starts `sijill serve` on port 0 and returns once `/healthz` answers.
fn start(db: &str, key: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sijill"))
        .args(["serve", "--db", db, "--addr", "127.0.0.1:0", "--key-file"])
        .arg(key)
        .env("SIJILL_LOG", "info")
        .env("SIJILL_EVIDENCE_DIR", key.with_extension("evidence"))
        .env_remove("SIJILL_DB")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start sijill serve");
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    // Drain the log for the whole life of the process, so the pipe never fills.
    let log = Arc::new(std::sync::Mutex::new(String::new()));
    let seen = log.clone();
    std::thread::spawn(move || {
        let mut tx = Some(tx);
        for line in std::io::BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if let Ok(mut l) = seen.lock()
                && l.len() < 200_000
            {
                l.push_str(&line);
                l.push('\n');
            }
            if line.contains("sijill listening")
                && let Some(addr) = line.split("addr=").nth(1)
                && let Some(tx) = tx.take()
            {
                let _ = tx.send(addr.split_whitespace().next().unwrap_or("").to_owned());
            }
        }
    });
    // A bound, not a timing assertion: a server that never says it listens fails here.
    let addr = rx
        .recv_timeout(Duration::from_secs(120))
        .unwrap_or_else(|_| {
            panic!(
                "the server did not start:\n{}",
                log.lock().map(|l| l.clone()).unwrap_or_default()
            )
        });
    let base = format!("http://{addr}");
    let client = reqwest::blocking_client();
    let mut healthy = false;
    for _ in 0..100 {
        if client
            .get(format!("{base}/healthz"))
            .send()
            .is_ok_and(|r| r.status().is_success())
        {
            healthy = true;
            break;
        }
    }
    assert!(healthy, "/healthz did not answer");
    Server { child, base, log }
}

mod reqwest {
    //! The async client driven from plain threads.
    pub use ::reqwest::*;

    pub struct BlockingClient {
        rt: tokio::runtime::Runtime,
        inner: Client,
    }

    pub struct Pending<'a> {
        rt: &'a tokio::runtime::Runtime,
        req: RequestBuilder,
    }

    impl BlockingClient {
        pub fn get(&self, url: String) -> Pending<'_> {
            Pending {
                rt: &self.rt,
                req: self.inner.get(url),
            }
        }
        pub fn post(&self, url: String) -> Pending<'_> {
            Pending {
                rt: &self.rt,
                req: self.inner.post(url),
            }
        }
    }

    impl Pending<'_> {
        pub fn bearer_auth(self, t: &str) -> Self {
            Pending {
                rt: self.rt,
                req: self.req.bearer_auth(t),
            }
        }
        pub fn json(self, v: &serde_json::Value) -> Self {
            Pending {
                rt: self.rt,
                req: self.req.json(v),
            }
        }
        pub fn send(self) -> Result<(StatusCode, serde_json::Value)> {
            self.rt.block_on(async {
                let r = self.req.send().await?;
                let status = r.status();
                let body = r.json().await.unwrap_or(serde_json::Value::Null);
                Ok((status, body))
            })
        }
    }

    pub trait Answer {
        fn status(&self) -> StatusCode;
    }
    impl Answer for (StatusCode, serde_json::Value) {
        fn status(&self) -> StatusCode {
            self.0
        }
    }

    pub fn blocking_client() -> BlockingClient {
        BlockingClient {
            rt: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap(),
            inner: Client::builder()
                .timeout(std::time::Duration::from_secs(30))
                .build()
                .unwrap(),
        }
    }
}

use reqwest::Answer;

async fn setup(db: &str, key: &Path) -> (OrgId, String) {
    let keys = Keyring::generate();
    keys.save(key).unwrap();
    let store = Store::open(db)
        .await
        .unwrap()
        .with_keyring(keys)
        .await
        .unwrap();
    let org = store
        .create_org(&NewOrganization {
            name: ORG.into(),
            name_ar: None,
            kind: OrgKind::Relief,
            network_member: true,
        })
        .await
        .unwrap()
        .id;
    let user = store
        .create_user(&NewUser {
            username: Username::parse("field1").unwrap(),
            display_name: "Field One".into(),
            org_id: org,
            role: Role::Field,
            password_hash: PasswordHash::new("not-a-login"),
            must_change_password: false,
        })
        .await
        .unwrap()
        .id;
    let token = sijill_server::auth::new_api_token();
    store
        .create_api_token(user, "crash test", &sijill_server::auth::token_hash(&token))
        .await
        .unwrap();
    store.close().await;
    (org, token)
}

/// The import file of one round: every row on the round's own day.
fn import_file(dir: &Path, round: usize) -> std::path::PathBuf {
    let mut csv = String::from("g/date;g/area;g/item;g/quantity;g/households;_uuid\n");
    for i in 0..IMPORT_ROWS {
        csv.push_str(&format!(
            "2025-04-{:02};SY060200;bread;7;1;imp-{round}-{i}\n",
            round + 1
        ));
    }
    let path = dir.join(format!("import-{round}.csv"));
    std::fs::write(&path, csv).unwrap();
    path
}

fn crash_story(db: &str, dir: &Path, seed: u64) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let key = dir.join("crash.key");
    let (org, token) = rt.block_on(setup(db, &key));
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut acked: Vec<String> = Vec::new();
    for round in 0..4 {
        let mut server = start(db, &key);
        // Where to kill, seeded: early (before the import commits, most likely), later
        // (the import is likely inside its transaction), or after the import finished
        // (then it must be there in full).
        let mode = if round == 3 {
            2
        } else {
            rng.random_range(0..3)
        };
        let kill_after = match mode {
            0 => rng.random_range(5..40),
            1 => rng.random_range(150..500),
            _ => rng.random_range(5..20),
        };
        let file = import_file(dir, round);
        let mut import = Command::new(env!("CARGO_BIN_EXE_sijill"))
            .args(["import", "distributions"])
            .arg(&file)
            .args(["--org", ORG, "--db", db, "--key-file"])
            .arg(&key)
            .env_remove("SIJILL_DB")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the import");
        let done = Arc::new(AtomicUsize::new(0));
        let (tx, rx) = std::sync::mpsc::channel::<String>();
        let mut clients = Vec::new();
        for c in 0..CLIENTS {
            let (base, token, done, tx) =
                (server.base.clone(), token.clone(), done.clone(), tx.clone());
            let log = server.log.clone();
            clients.push(std::thread::spawn(move || {
                let client = reqwest::blocking_client();
                for i in 0.. {
                    let body = serde_json::json!({
                        "date": "2025-03-12", "area": "SY060200", "item": "food-basket",
                        "quantity": 1, "households": 1, "key": format!("r{round}-c{c}-{i}"),
                    });
                    match client
                        .post(format!("{base}/api/v1/respond/distributions"))
                        .bearer_auth(&token)
                        .json(&body)
                        .send()
                    {
                        Ok((s, v)) if s.as_u16() == 201 => {
                            let id = v["id"].as_str().unwrap_or_default().to_owned();
                            assert!(!id.is_empty(), "201 without an id");
                            if tx.send(id).is_err() {
                                return;
                            }
                            done.fetch_add(1, Ordering::SeqCst);
                        }
                        Ok((s, v)) => panic!(
                            "write refused: {s} {v}\n{}",
                            log.lock().map(|l| l.clone()).unwrap_or_default()
                        ),
                        // The server is gone: this write was not acknowledged.
                        Err(_) => return,
                    }
                }
            }));
        }
        drop(tx);
        // Collect acknowledgements until the seeded kill point, then SIGKILL both.
        let mut import_ok = false;
        if mode == 2 {
            let mut err = String::new();
            if let Some(mut e) = import.stderr.take() {
                let _ = std::io::Read::read_to_string(&mut e, &mut err);
            }
            import_ok = import.wait().unwrap().success();
            assert!(import_ok, "the import failed while the server ran: {err}");
        }
        let mut this_round = 0;
        while this_round < kill_after {
            let id = rx
                .recv()
                .expect("the clients stopped before the kill point");
            acked.push(id);
            this_round += 1;
        }
        server.child.kill().unwrap();
        let _ = import.kill();
        server.child.wait().unwrap();
        let _ = import.wait();
        for c in clients {
            c.join().unwrap();
        }
        // Answers that arrived before the connection dropped count too.
        acked.extend(rx.try_iter());

        // Start again: the database opens after the crash and serves.
        let mut server = start(db, &key);
        let (ids, rows, audit) = rt.block_on(async {
            let store = Store::open(db).await.unwrap();
            let ids: HashSet<String> = store
                .recent_distributions(org, 1_000_000)
                .await
                .unwrap()
                .into_iter()
                .map(|d| d.id.to_string())
                .collect();
            let rows = store.four_w(None).await.unwrap();
            let audit = store.verify_audit().await.unwrap();
            store.close().await;
            (ids, rows, audit)
        });
        for id in &acked {
            assert!(
                ids.contains(id),
                "acknowledged write {id} lost (seed {seed}, round {round})"
            );
        }
        let day =
            time::Date::from_calendar_date(2025, time::Month::April, round as u8 + 1).unwrap();
        let imported: u64 = rows
            .into_iter()
            .filter(|r| r.on == day)
            .map(|r| r.distributions)
            .sum();
        if import_ok {
            assert_eq!(
                imported, IMPORT_ROWS as u64,
                "an acknowledged import is incomplete"
            );
        }
        assert!(
            imported == 0 || imported == IMPORT_ROWS as u64,
            "half an import is visible: {imported} of {IMPORT_ROWS} rows (seed {seed}, round {round})"
        );
        assert!(audit.is_intact(), "{audit:?}");
        eprintln!(
            "seed {seed} round {round}: killed after {kill_after} acknowledged writes, {} acknowledged in all, import rows {imported}",
            acked.len()
        );
        server.child.kill().unwrap();
        server.child.wait().unwrap();
    }
    assert!(acked.len() >= 15, "too few writes to prove anything");
}

#[test]
fn sigkill_during_writes_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite:{}", dir.path().join("crash.db").display());
    crash_story(&db, dir.path(), 8);
}

#[test]
fn sigkill_during_writes_postgres() {
    let Some(pg) = sijill_testkit::postgres() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    crash_story(pg.url(), dir.path(), 9);
}
