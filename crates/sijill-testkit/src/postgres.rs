//! The throwaway PostgreSQL cluster: found, initialized, started, shared by the tests
//! of one process, and stopped and deleted when the last of them is done.

use std::net::TcpListener;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// How long the cluster may take to accept connections after `pg_ctl start`.
const READY_TIMEOUT: Duration = Duration::from_secs(60);
/// The system user that runs PostgreSQL when the tests run as root.
const PG_SYSTEM_USER: &str = "postgres";

/// One database on the shared throwaway cluster. The cluster lives while any
/// `PgDatabase` does.
#[derive(Debug)]
pub struct PgDatabase {
    url: String,
    name: String,
    _cluster: Arc<Cluster>,
}

impl PgDatabase {
    /// The `postgres://` URL of this database.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The database name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// A fresh, empty database on the throwaway cluster, or `None` (with a note on stderr)
/// when PostgreSQL is not installed.
///
/// # Panics
/// With `CI=true` when PostgreSQL is not installed; always when it is installed but
/// the cluster cannot be started or the database cannot be made. Both are test
/// failures.
pub fn postgres() -> Option<PgDatabase> {
    static SHARED: Mutex<Weak<Cluster>> = Mutex::new(Weak::new());
    let bin = bin_dir_or_skip()?;
    Some(database_on(&SHARED, bin, false))
}

/// Like [`postgres`], on a second cluster that requires TLS (a self-signed certificate
/// made with `openssl` for `127.0.0.1`); the URL asks for `sslmode=verify-full` with
/// that certificate as root. `None`, with a note, when PostgreSQL or the `openssl`
/// program is missing (under `CI=true` a missing PostgreSQL still panics).
pub fn postgres_tls() -> Option<PgDatabase> {
    static SHARED: Mutex<Weak<Cluster>> = Mutex::new(Weak::new());
    let bin = bin_dir_or_skip()?;
    let has_openssl = Command::new("openssl")
        .arg("version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !has_openssl {
        eprintln!("note: the `openssl` program is missing; skipping the PostgreSQL TLS test");
        return None;
    }
    Some(database_on(&SHARED, bin, true))
}

fn bin_dir_or_skip() -> Option<PathBuf> {
    let bin = find_bin_dir();
    if bin.is_none() {
        if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") {
            panic!(
                "CI=true but PostgreSQL is not installed (no initdb/pg_ctl under /usr/lib/postgresql/*/bin, $SIJILL_PG_BIN or PATH); install the `postgresql` package"
            );
        }
        eprintln!(
            "note: PostgreSQL is not installed; skipping the PostgreSQL half of this test (install `postgresql` to run it)"
        );
    }
    bin
}

/// A new database on the cluster held in `shared`, starting the cluster if no live
/// handle holds it.
fn database_on(shared: &Mutex<Weak<Cluster>>, bin: PathBuf, tls: bool) -> PgDatabase {
    static NEXT_DB: AtomicU32 = AtomicU32::new(1);
    let cluster = {
        // A poisoned lock only means another test panicked while starting a cluster;
        // the Weak inside is still meaningful.
        let mut shared = shared.lock().unwrap_or_else(|p| p.into_inner());
        match shared.upgrade() {
            Some(c) => c,
            None => {
                let c = Arc::new(Cluster::start(bin, tls).unwrap_or_else(|e| {
                    panic!("cannot start the throwaway PostgreSQL cluster: {e}")
                }));
                *shared = Arc::downgrade(&c);
                c
            }
        }
    };
    let name = format!("sijill_test_{}", NEXT_DB.fetch_add(1, Ordering::Relaxed));
    cluster
        .run_checked(
            "createdb",
            &[
                "-h",
                &cluster.socket_dir(),
                "-p",
                &cluster.port.to_string(),
                "-U",
                "postgres",
                &name,
            ],
        )
        .unwrap_or_else(|e| panic!("cannot create a test database: {e}"));
    let mut url = format!("postgres://postgres@127.0.0.1:{}/{name}", cluster.port);
    if tls {
        url.push_str(&format!(
            "?sslmode=verify-full&sslrootcert={}",
            cluster.cert_path().display()
        ));
    }
    PgDatabase {
        url,
        name,
        _cluster: cluster,
    }
}

/// The directory holding `initdb`, `pg_ctl`, `pg_isready` and `createdb`.
fn find_bin_dir() -> Option<PathBuf> {
    let has_tools = |d: &Path| d.join("initdb").is_file() && d.join("pg_ctl").is_file();
    if let Some(d) = std::env::var_os("SIJILL_PG_BIN").map(PathBuf::from) {
        return has_tools(&d).then_some(d);
    }
    // Debian and Ubuntu: /usr/lib/postgresql/<major>/bin; take the newest major.
    let mut versioned: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let major = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            has_tools(&bin).then_some((major, bin))
        })
        .collect();
    versioned.sort();
    if let Some((_, bin)) = versioned.pop() {
        return Some(bin);
    }
    std::env::var_os("PATH").and_then(|paths| std::env::split_paths(&paths).find(|d| has_tools(d)))
}

/// A running cluster in a temporary directory.
#[derive(Debug)]
struct Cluster {
    bin: PathBuf,
    dir: TempDir,
    port: u16,
    as_postgres_user: bool,
    tls: bool,
}

impl Cluster {
    fn start(bin: PathBuf, tls: bool) -> Result<Cluster, String> {
        let dir = tempfile::Builder::new()
            .prefix("sijill-pg-")
            .tempdir()
            .map_err(|e| format!("cannot create a temporary directory: {e}"))?;
        // Root may not run initdb: hand the directory to the postgres system user.
        let as_postgres_user = std::fs::metadata(dir.path())
            .map_err(|e| format!("cannot inspect the temporary directory: {e}"))?
            .uid()
            == 0;
        if as_postgres_user {
            let out = Command::new("chown")
                .arg(format!("{PG_SYSTEM_USER}:"))
                .arg(dir.path())
                .output()
                .map_err(|e| format!("cannot run chown: {e}"))?;
            if !out.status.success() {
                return Err(format!(
                    "cannot give the cluster directory to the `{PG_SYSTEM_USER}` user: {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                ));
            }
        }
        let mut cluster = Cluster {
            bin,
            dir,
            port: 0,
            as_postgres_user,
            tls,
        };
        let data = cluster.data_dir();
        cluster.run_checked(
            "initdb",
            &[
                "-D",
                &data,
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--no-locale",
                "--no-sync",
                "--no-instructions",
            ],
        )?;
        if tls {
            // Made by the server's user, so the key belongs to it with mode 0600 as
            // PostgreSQL requires.
            let key = cluster.dir.path().join("server.key").display().to_string();
            let crt = cluster.cert_path().display().to_string();
            let mut openssl = {
                let mut c = if cluster.as_postgres_user {
                    let mut c = Command::new("runuser");
                    c.args(["-u", PG_SYSTEM_USER, "--", "openssl"]);
                    c
                } else {
                    Command::new("openssl")
                };
                c.current_dir(cluster.dir.path()).stdin(Stdio::null());
                c
            };
            let out = openssl
                .args([
                    "req", "-new", "-x509", "-days", "2", "-nodes", "-newkey", "rsa:2048",
                ])
                .args([
                    "-subj",
                    "/CN=127.0.0.1",
                    "-addext",
                    "subjectAltName=IP:127.0.0.1",
                    // An end-entity certificate (not a CA), as TLS clients require.
                    "-addext",
                    "basicConstraints=critical,CA:FALSE",
                    "-addext",
                    "extendedKeyUsage=serverAuth",
                ])
                .args(["-keyout", &key, "-out", &crt])
                .output()
                .map_err(|e| format!("cannot run openssl: {e}"))?;
            if !out.status.success() {
                return Err(format!(
                    "openssl could not make a certificate: {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                ));
            }
        }
        // A port can be taken between finding it free and the server binding it:
        // try a few.
        let mut last_err = String::new();
        for _ in 0..5 {
            cluster.port = free_port()?;
            match cluster.start_server() {
                Ok(()) => return Ok(cluster),
                Err(e) => last_err = e,
            }
        }
        Err(last_err)
    }

    fn data_dir(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    fn cert_path(&self) -> PathBuf {
        self.dir.path().join("server.crt")
    }

    fn socket_dir(&self) -> String {
        self.dir.path().display().to_string()
    }

    fn start_server(&self) -> Result<(), String> {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100 -c shared_buffers=32MB",
            self.port,
            self.socket_dir()
        );
        let options = if self.tls {
            // Over TCP only TLS connections are accepted, so a test that connects
            // proves the client used TLS.
            let hba = self.dir.path().join("pg_hba.conf");
            std::fs::write(
                &hba,
                "local all all trust\nhostssl all all 127.0.0.1/32 trust\n",
            )
            .map_err(|e| format!("cannot write pg_hba.conf: {e}"))?;
            format!(
                "{options} -c ssl=on -c ssl_cert_file={} -c ssl_key_file={} -c hba_file={}",
                self.cert_path().display(),
                self.dir.path().join("server.key").display(),
                hba.display()
            )
        } else {
            options
        };
        let log = self.dir.path().join("server.log").display().to_string();
        let timeout = READY_TIMEOUT.as_secs().to_string();
        // `-w` makes pg_ctl poll until the server accepts connections, up to `-t`.
        let started = self.run_checked(
            "pg_ctl",
            &[
                "start",
                "-w",
                "-t",
                &timeout,
                "-D",
                &self.data_dir(),
                "-l",
                &log,
                "-o",
                &options,
            ],
        );
        if let Err(e) = started {
            let log_text = std::fs::read_to_string(&log).unwrap_or_default();
            return Err(format!("{e}\nserver log:\n{log_text}"));
        }
        self.wait_ready()
    }

    /// Polls `pg_isready` until the server answers on its TCP port, within a deadline.
    fn wait_ready(&self) -> Result<(), String> {
        let deadline = Instant::now() + READY_TIMEOUT;
        let port = self.port.to_string();
        loop {
            let ok = self
                .run(
                    "pg_isready",
                    &["-h", "127.0.0.1", "-p", &port, "-U", "postgres", "-q"],
                )
                .map(|o| o.status.success())
                .unwrap_or(false);
            if ok {
                return Ok(());
            }
            if Instant::now() >= deadline {
                return Err(format!(
                    "PostgreSQL did not accept connections within {}s",
                    READY_TIMEOUT.as_secs()
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        let mut cmd = if self.as_postgres_user {
            let mut c = Command::new("runuser");
            c.args(["-u", PG_SYSTEM_USER, "--"]).arg(path);
            c
        } else {
            Command::new(path)
        };
        // The postgres user may not be able to enter the caller's directory.
        cmd.current_dir(self.dir.path()).stdin(Stdio::null());
        cmd
    }

    fn run(&self, program: &str, args: &[&str]) -> Result<Output, String> {
        self.command(program)
            .args(args)
            .output()
            .map_err(|e| format!("cannot run {program}: {e}"))
    }

    fn run_checked(&self, program: &str, args: &[&str]) -> Result<Output, String> {
        let out = self.run(program, args)?;
        if out.status.success() {
            Ok(out)
        } else {
            Err(format!(
                "{program} failed ({}): {}{}",
                out.status,
                String::from_utf8_lossy(&out.stdout).trim(),
                String::from_utf8_lossy(&out.stderr).trim()
            ))
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if self.port != 0 {
            // Immediate shutdown: the data is thrown away, so there is nothing to
            // checkpoint. The temporary directory is deleted after, when `dir` drops.
            let _ = self.run(
                "pg_ctl",
                &["stop", "-w", "-m", "immediate", "-D", &self.data_dir()],
            );
        }
    }
}

fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("cannot find a free port: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cluster_starts_gives_distinct_databases_and_stops() {
        let Some(a) = postgres() else {
            return;
        };
        let b = postgres().expect("PostgreSQL was found a moment ago");
        assert_ne!(a.url(), b.url());
        assert!(a.url().starts_with("postgres://postgres@127.0.0.1:"));
        let data = PathBuf::from(a._cluster.data_dir());
        assert!(data.join("PG_VERSION").is_file() || a._cluster.as_postgres_user);
        assert!(
            Arc::ptr_eq(&a._cluster, &b._cluster),
            "tests share one cluster"
        );
        let root = a._cluster.dir.path().to_owned();
        drop(a);
        assert!(root.exists(), "still used by b");
        drop(b);
        assert!(!root.exists(), "deleted with the last handle");
    }
}
