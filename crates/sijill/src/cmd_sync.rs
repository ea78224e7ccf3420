//! `sijill sync --server URL --token T [--db …]`: push this instance's revisions to the
//! network's server and pull the server's, then move evidence files by SHA-256, over
//! HTTPS (system authorities plus `--ca-file`). A cut connection is retried a few times
//! with a doubling wait (`--retries`, `--retry-wait`); every acknowledged page stays in
//! place, so each retry, and each later run, resumes, and repeating it when nothing
//! changed exchanges nothing. A progress line shows revisions and evidence bytes.

use crate::error::CliError;
use crate::runtime::{block_on, open_store};
use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use sijill_server::sync::{CA_SETTING, SERVER_SETTING, TOKEN_CONTEXT, TOKEN_SETTING};
use sijill_store::Store;
use sijill_sync::{
    Backoff, ClientOptions, HttpTransport, LastSync, Outcome, Progress, SyncError, Transport,
    TransportError,
};
use std::cell::Cell;
use std::path::PathBuf;
use std::time::Duration;

/// Arguments of `sijill sync`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sijill sync --server https://sync.network.example --token sjl_… --db sqlite:laptop.db --remember\n  sijill sync --server https://10.0.0.5:8443 --ca-file network-ca.pem --token sjl_… --remember\n  sijill sync --db sqlite:laptop.db            (again, with the remembered server)\n\nSetting up a laptop: on the server, `sijill user token USER --name \"laptop 3\"` prints a token once; on the laptop, run the first sync with it and --remember, then add the people who will sign in there: `sijill user add --db sqlite:laptop.db --org NAME --role field …`.\n\nThe server: `sijill serve --tls-cert FILE --tls-key FILE` serves HTTPS itself, or it runs behind a TLS reverse proxy (Caddy, nginx); its certificate comes from a public authority or from the network's own (then give the authority's certificate to --ca-file here).\n\nExit codes: 0 synced; 1 the connection failed after the retries (run again to resume); 2 bad input, a certificate this machine does not trust, or refused by the server."
)]
pub struct SyncArgs {
    /// The server's base URL (`https://HOST`, or `http://HOST:PORT` on a trusted
    /// network); default: the remembered one.
    #[arg(long)]
    server: Option<String>,
    /// An API token of the account to sync as (made on the server under Admin → user);
    /// default: the remembered one.
    #[arg(long, env = "SIJILL_SYNC_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// A PEM file of certificate authorities to trust beside the system's, such as the
    /// network's own authority for a self-hosted server; default: the remembered one.
    #[arg(long, value_name = "PEM")]
    ca_file: Option<PathBuf>,
    /// Remember the server, the token (sealed with the key file) and the CA file for
    /// the next runs and for the "Sync now" button of the web page.
    #[arg(long)]
    remember: bool,
    /// How many times to retry a failed or cut connection before giving up (exit 1).
    #[arg(long, value_name = "N", default_value_t = 5)]
    retries: u32,
    /// Seconds to wait before the first retry; the wait doubles each time, up to 60.
    #[arg(long, value_name = "SECONDS", default_value_t = 2)]
    retry_wait: u64,
    /// Do not move evidence files.
    #[arg(long)]
    no_evidence: bool,
    #[command(flatten)]
    db: crate::cmd_admin::DbArgs,
    /// The key file that seals personal fields (default: the SQLite file's path with
    /// `.key` added; required with PostgreSQL).
    #[arg(long, env = "SIJILL_KEY_FILE")]
    key_file: Option<PathBuf>,
}

fn key_file(a: &SyncArgs) -> Result<PathBuf, CliError> {
    if let Some(k) = &a.key_file {
        return Ok(k.clone());
    }
    let db = a.db.db.as_str();
    if db.starts_with("postgres://") || db.starts_with("postgresql://") {
        return Err(CliError::input(
            "--key-file: required with PostgreSQL (the key must live outside the database)",
        ));
    }
    let path = db
        .strip_prefix("sqlite://")
        .or_else(|| db.strip_prefix("sqlite:"))
        .unwrap_or(db);
    let mut p = PathBuf::from(path).into_os_string();
    p.push(".key");
    Ok(PathBuf::from(p))
}

fn sync_error(e: SyncError, attempts: u32) -> CliError {
    match e {
        SyncError::Transport(TransportError::Refused(m)) => {
            CliError::input(format!("--server: {m}"))
        }
        SyncError::Transport(TransportError::Connection(m)) => CliError::Other(anyhow::anyhow!(
            "{m} (tried {attempts} time{}); what was acknowledged is kept, run the same command again to resume",
            if attempts == 1 { "" } else { "s" }
        )),
        other => CliError::Other(anyhow::Error::new(other)),
    }
}

/// Bytes in a short human form (KiB, MiB, GiB).
fn bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut v = n as f64;
    let mut unit = 0;
    while v >= 1024.0 && unit + 1 < UNITS.len() {
        v /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}

/// What the progress line counts, across retries.
#[derive(Default)]
struct Counts {
    pushed: Cell<u64>,
    pulled: Cell<u64>,
    sent: Cell<u64>,
    received: Cell<u64>,
}

impl Counts {
    fn add(&self, p: Progress) {
        let (cell, n) = match p {
            Progress::Pushed(n) => (&self.pushed, n),
            Progress::Pulled(n) => (&self.pulled, n),
            Progress::EvidenceSent(n) => (&self.sent, n),
            Progress::EvidenceReceived(n) => (&self.received, n),
            Progress::RecordsDone => return,
        };
        cell.set(cell.get() + n);
    }

    fn line(&self) -> String {
        format!(
            "sent {} revisions, received {}; evidence {} sent, {} received",
            self.pushed.get(),
            self.pulled.get(),
            bytes(self.sent.get()),
            bytes(self.received.get())
        )
    }
}

/// The options to remember once the server has accepted the token.
struct Remember<'a> {
    token: &'a str,
    ca_file: Option<&'a std::path::Path>,
    done: Cell<bool>,
}

impl Remember<'_> {
    async fn save(&self, store: &Store, server: &str) -> Result<(), SyncError> {
        store.set_setting(SERVER_SETTING, server).await?;
        let sealed = store.seal(TOKEN_CONTEXT, self.token)?;
        store.set_setting(TOKEN_SETTING, &sealed).await?;
        if let Some(ca) = self.ca_file {
            store
                .set_setting(CA_SETTING, &ca.display().to_string())
                .await?;
        }
        Ok(())
    }
}

/// Whether the URL's host is this machine.
fn is_loopback(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?']).next().unwrap_or("");
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = if let Some(v6) = host.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        host.split(':').next().unwrap_or("")
    };
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// One attempt: the account (remembered once the server has accepted the token), the
/// records, then the evidence files, as the web page's "Sync now" runs them.
async fn attempt(
    store: &Store,
    transport: &HttpTransport,
    server: &str,
    evidence: bool,
    bar: &ProgressBar,
    counts: &Counts,
    remember: Option<&Remember<'_>>,
) -> Result<Outcome, SyncError> {
    if let Some(r) = remember
        && !r.done.get()
    {
        transport.account().await?;
        r.save(store, server).await?;
        r.done.set(true);
    }
    bar.set_message("recording local changes");
    let tick = |p: Progress| {
        counts.add(p);
        match p {
            Progress::RecordsDone if evidence => {
                bar.set_message(format!("{}; moving evidence files", counts.line()))
            }
            _ => bar.set_message(counts.line()),
        }
        bar.tick();
    };
    sijill_sync::sync_all(store, transport, server, evidence, tick).await
}

/// Runs `sijill sync`.
pub fn run(a: SyncArgs) -> Result<(), CliError> {
    let keys = key_file(&a)?;
    block_on(async move {
        let store = open_store(&a.db.db).await?;
        let (ring, _) = sijill_store::Keyring::load_or_create(&keys)
            .map_err(|e| CliError::input(format!("--key-file: {e}")))?;
        let store = store.with_keyring(ring).await.map_err(|e| match e {
            sijill_store::StoreError::Crypto(c) => {
                CliError::input(format!("{}: {c}", keys.display()))
            }
            other => CliError::Other(anyhow::Error::new(other).context("checking the key file")),
        })?;
        if store.evidence_files().await.is_err() && !a.no_evidence {
            // A laptop that was never served has no evidence directory set yet.
            let _ = crate::cmd_document::set_evidence_dir(&store, &a.db.db).await;
        }
        let server = match &a.server {
            Some(s) => s.trim().trim_end_matches('/').to_owned(),
            None => store
                .setting(SERVER_SETTING)
                .await
                .context("reading the settings")?
                .ok_or_else(|| CliError::input("--server: required (no server is remembered)"))?,
        };
        let token = match &a.token {
            Some(t) => t.trim().to_owned(),
            None => {
                let sealed = store
                    .setting(TOKEN_SETTING)
                    .await
                    .context("reading the settings")?
                    .ok_or_else(|| CliError::input("--token: required (no token is remembered)"))?;
                store
                    .unseal(TOKEN_CONTEXT, &sealed)
                    .context("opening the remembered token")?
            }
        };
        let ca_file = match &a.ca_file {
            Some(p) => Some(std::path::absolute(p).unwrap_or_else(|_| p.clone())),
            None => store
                .setting(CA_SETTING)
                .await
                .context("reading the settings")?
                .map(PathBuf::from),
        };
        let ca_pem = match &ca_file {
            Some(p) => Some(
                tokio::fs::read(p)
                    .await
                    .map_err(|e| CliError::input(format!("--ca-file: {}: {e}", p.display())))?,
            ),
            None => None,
        };
        let options = ClientOptions {
            ca_pem,
            instance: Some(
                store
                    .sync_instance_id()
                    .await
                    .context("reading this instance's id")?,
            ),
        };
        let transport = HttpTransport::with_options(&server, &token, &options).map_err(|e| {
            let what = if a.ca_file.is_some() {
                "--ca-file"
            } else {
                "--server"
            };
            CliError::input(format!("{what}: {e}"))
        })?;
        if server.starts_with("http://") && !is_loopback(&server) {
            eprintln!(
                "sijill: warning: {server} is plain HTTP: the token and the records cross the network unencrypted; use https://"
            );
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(Duration::from_millis(250));
        let counts = Counts::default();
        let backoff = Backoff {
            first: Duration::from_secs(a.retry_wait),
            max: Duration::from_secs(60.max(a.retry_wait)),
        };
        let remember = a.remember.then(|| Remember {
            token: &token,
            ca_file: ca_file.as_deref(),
            done: Cell::new(false),
        });
        let mut tries = 0u32;
        let outcome = loop {
            tries += 1;
            let r = attempt(
                &store,
                &transport,
                &server,
                !a.no_evidence,
                &bar,
                &counts,
                remember.as_ref(),
            )
            .await;
            match r {
                Err(e) if e.is_retryable() && tries <= a.retries => {
                    let wait = backoff.wait(tries);
                    // Printed even when stderr is not a terminal (the bar is hidden).
                    bar.suspend(|| {
                        eprintln!(
                            "sijill: {e}; retry {tries} of {} in {} s",
                            a.retries,
                            wait.as_secs()
                        )
                    });
                    tokio::time::sleep(wait).await;
                }
                r => break r,
            }
        };
        if let Some(id) = transport.server_instance()
            && let Err(e) = store
                .set_setting(
                    sijill_server::sync::SERVER_INSTANCE_SETTING,
                    &id.to_string(),
                )
                .await
        {
            tracing::warn!(error = %e, "the server's instance id was not saved");
        }
        let last = LastSync::of(&server, outcome.as_ref().map(|o| (&o.report, &o.files)));
        if let Err(e) = last.save(&store).await {
            tracing::warn!(error = %e, "the last sync's outcome was not saved");
        }
        let Outcome {
            organization,
            report,
            files: evidence,
        } = outcome.map_err(|e| {
            bar.abandon();
            sync_error(e, tries)
        })?;
        bar.finish_and_clear();
        let org = store
            .org_by_name(&organization)
            .await
            .context("finding the organization")?;
        let has_account = match &org {
            Some(o) => store
                .list_users()
                .await
                .context("listing accounts")?
                .iter()
                .any(|u| u.org_id == o.id && !u.disabled),
            None => true,
        };
        if !has_account {
            eprintln!(
                "sijill: no account of {organization} on this instance yet; to enter records here offline, add one: sijill user add --db {} --org \"{organization}\" --role field --username NAME --name \"FULL NAME\"",
                a.db.db
            );
        }
        println!(
            "synced with {server} as {organization}: {} local changes recorded, {} revisions sent, {} received{}; {} evidence files sent, {} received; {} open conflicts{}{}",
            report.captured,
            report.pushed,
            report.pulled,
            if report.already > 0 {
                format!(
                    " ({} more were already on the other side, from a run that was cut)",
                    report.already
                )
            } else {
                String::new()
            },
            evidence.uploaded,
            evidence.downloaded,
            report.conflicts,
            if report.conflicts > 0 {
                " (see /sync in the web UI)"
            } else {
                ""
            },
            if report.held_back > 0 {
                format!(
                    "; {} received records held back here (their parent record is gone here, or others still refer to a deleted one; listed on /sync)",
                    report.held_back
                )
            } else {
                String::new()
            }
        );
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::{bytes, is_loopback};

    #[test]
    fn only_this_machine_counts_as_loopback() {
        for url in [
            "http://127.0.0.1:8080",
            "http://localhost:8080/",
            "http://[::1]:8080",
            "http://user@127.0.0.2",
        ] {
            assert!(is_loopback(url), "{url}");
        }
        for url in [
            "http://10.0.0.5:8080",
            "http://localhost.example.org",
            "http://127.0.0.1.example.org",
            "http://sync.network.example/?h=127.0.0.1",
        ] {
            assert!(!is_loopback(url), "{url}");
        }
    }

    #[test]
    fn sizes_read_in_binary_units() {
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(bytes(3 << 30), "3.0 GiB");
    }
}
