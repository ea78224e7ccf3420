//! The sync client of sijill: a field instance (a laptop that works offline for days)
//! exchanges record revisions with the network's server when a connection appears.
//!
//! # Design
//!
//! - **Instance id.** Every instance makes a UUID on first use and keeps it in its
//!   settings (`sync.instance_id`); every revision names the instance that made it.
//! - **Revisions.** Each synced record (every field record kind: incidents, their
//!   sources, evidence records, custody events, testimonies, rescue missions,
//!   displacement reports, distributions, households, cash transfers, volunteers,
//!   dialogue sessions; `sijill_store::sync_types`) has a history in `sync_revisions`: record kind and id, revision id, parent revisions,
//!   instance id, a Lamport clock, the changed fields with their values, a tombstone
//!   flag and a content hash. Revisions are found by comparing rows with the state the
//!   sync layer last saw, so every write path is covered (`sijill_store::sync_revisions`).
//! - **Merge.** A record is the merge of all its revisions, the same on every instance
//!   that holds the same revisions: edits of different fields merge; concurrent edits of
//!   one field open a conflict keeping both values, the record showing the one with the
//!   highest (clock, instance id) until a person resolves it; deletions are tombstones
//!   that win over a concurrent edit and are flagged beside it.
//! - **Personal fields.** They are sealed at rest with each instance's own key file.
//!   They travel opened, only inside the authenticated API's JSON bodies, and are sealed
//!   again on arrival with the receiver's key; they are never logged and never printed
//!   by `Debug`. The content hash covers a personal field's name, not its value (a hash
//!   of a name could be reversed by guessing).
//! - **Scope.** The server applies a push only when every revision belongs to the
//!   token's organization and to a kind its role syncs (`SyncScope::for_role`), and a
//!   pull returns only that organization's revisions of those kinds.
//! - **Resumable, idempotent.** Pushes go in pages of this instance's own revisions in
//!   arrival order; after each page the server acknowledged, the push cursor is saved.
//!   Each pulled page is applied in one transaction together with the new pull cursor.
//!   A page sent twice (the answer was lost) is recognised by revision id and changes
//!   nothing, so a sync cut at any point can simply be run again.
//!
//! - **Transport.** HTTPS with rustls, trusting the system's authorities and, for a
//!   network's self-hosted server, its own authority's certificate (`--ca-file`). A
//!   certificate the client does not trust is a refusal (exit 2), never retried; a cut
//!   or timed-out connection is retried by `sijill sync` with a doubling wait
//!   ([`Backoff`]), and since every step is resumable a retry simply starts over.
//! - **Audit.** The server logs a pull page it hands out as an export (`export.sync`:
//!   who, which token and instance, how many revisions of which kinds) and a push it
//!   applies as a write (`sync.apply`), never a value.
//! - **Last sync.** Each run leaves its time and outcome in the settings
//!   ([`LastSync`]), for the `/sync` page.
//!
//! Reference rows that records name (organizations, catalogue items, campaigns,
//! displacement sites) travel by their natural key (name, code) and are created on
//! arrival when missing. Custody events keep the instance they were made on
//! (`sync_custody`), and a household's duplicate key is derived again by each receiver
//! with its own secret, never sent.

mod http;

pub use http::{ClientOptions, EvidenceReport, HttpTransport, INSTANCE_HEADER, sync_evidence};

use sijill_store::{ApplyOutcome, Batch, ExportFilter, PullPage, Store, StoreError};
use std::future::Future;

/// Makes aws-lc-rs (the provider reqwest's TLS uses) the process's rustls crypto
/// provider. Binaries call it first: rustls is built with both ring (for the database
/// driver) and aws-lc-rs, and a library that asks rustls for "the" provider without
/// naming one would otherwise find two and stop. Calling it again does nothing.
pub fn install_tls_provider() {
    // An error means a provider is installed already, which is what we want.
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
}

/// Revisions per page.
pub const PAGE: u32 = 500;

/// A failure to reach the server or a refusal by it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// The connection failed or was cut; running the sync again resumes.
    #[error("the connection to the server failed: {0}")]
    Connection(String),
    /// The server refused (bad token, forbidden record, invalid batch).
    #[error("the server refused: {0}")]
    Refused(String),
}

/// Why a sync stopped.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// See [`TransportError`].
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The local database failed or refused.
    #[error("the local database: {0}")]
    Store(#[from] StoreError),
    /// An evidence file could not be read, stored or verified.
    #[error("evidence files: {0}")]
    Evidence(String),
}

/// The account a token belongs to, as the server sees it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Account {
    /// The organization's name.
    pub organization: String,
}

/// How an instance talks to a server: over HTTP ([`HttpTransport`]) or, in tests, in
/// process.
pub trait Transport {
    /// The token's account.
    fn account(&self) -> impl Future<Output = Result<Account, TransportError>>;
    /// Sends a page of revisions; the server applies it all or nothing.
    fn push(&self, batch: &Batch) -> impl Future<Output = Result<ApplyOutcome, TransportError>>;
    /// Revisions after the server's arrival position `after`.
    fn pull(
        &self,
        after: i64,
        limit: u32,
    ) -> impl Future<Output = Result<PullPage, TransportError>>;
}

/// What one sync did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Report {
    /// Local changes recorded as revisions before pushing.
    pub captured: u64,
    /// Revisions sent and new to the server.
    pub pushed: u64,
    /// Revisions received and new here.
    pub pulled: u64,
    /// Revisions sent or received again (after a cut connection).
    pub already: u64,
    /// Open conflicts here after the sync.
    pub conflicts: u64,
    /// Records received but held back here after the sync (a record whose parent is
    /// gone here, a deletion of a record others still refer to); listed on `/sync`.
    pub held_back: u64,
}

/// Progress of a sync, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// A page of this many revisions was pushed.
    Pushed(u64),
    /// A page of this many revisions was pulled and applied.
    Pulled(u64),
    /// This many bytes of evidence reached the server.
    EvidenceSent(u64),
    /// This many bytes of evidence arrived and were verified.
    EvidenceReceived(u64),
    /// The records are exchanged; evidence files come next.
    RecordsDone,
}

impl SyncError {
    /// Whether running again may succeed: a failed or cut connection, or a server
    /// error. A refusal, a local database error or a bad evidence file is not retried.
    pub fn is_retryable(&self) -> bool {
        matches!(self, SyncError::Transport(TransportError::Connection(_)))
    }
}

/// How long to wait before each retry of a cut connection: `first`, then doubling, at
/// most `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// The wait before the first retry.
    pub first: std::time::Duration,
    /// The longest wait.
    pub max: std::time::Duration,
}

impl Backoff {
    /// The wait before retry number `n` (from 1).
    pub fn wait(&self, n: u32) -> std::time::Duration {
        let factor = 1u32.checked_shl(n.saturating_sub(1)).unwrap_or(u32::MAX);
        self.first.saturating_mul(factor).min(self.max)
    }
}

/// The setting that holds the last sync's outcome.
pub const LAST_SETTING: &str = "sync.last";

/// When the last sync ran and how it ended, shown on the `/sync` page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LastSync {
    /// When it ended.
    #[serde(with = "time::serde::rfc3339")]
    pub at: time::OffsetDateTime,
    /// The server's URL.
    pub server: String,
    /// Revisions sent and new to the server.
    pub pushed: u64,
    /// Revisions received and new here.
    pub pulled: u64,
    /// Open conflicts after it.
    pub conflicts: u64,
    /// Evidence files sent and received.
    #[serde(default)]
    pub files: (u64, u64),
    /// Why it stopped, when it failed; `None` when it finished.
    pub error: Option<String>,
}

impl LastSync {
    /// The outcome of a run that ended with `result`; the error's text is kept only for
    /// transport failures (a server's or a connection's message), and only its first
    /// 300 characters, never a local database's message, which could quote a value.
    pub fn of(server: &str, result: Result<(&Report, &EvidenceReport), &SyncError>) -> Self {
        let mut last = LastSync {
            at: time::OffsetDateTime::now_utc(),
            server: server.to_owned(),
            pushed: 0,
            pulled: 0,
            conflicts: 0,
            files: (0, 0),
            error: None,
        };
        match result {
            Ok((r, e)) => {
                last.pushed = r.pushed;
                last.pulled = r.pulled;
                last.conflicts = r.conflicts;
                last.files = (e.uploaded, e.downloaded);
            }
            Err(SyncError::Transport(t)) => {
                last.error = Some(t.to_string().chars().take(300).collect())
            }
            Err(SyncError::Store(_)) => last.error = Some("the local database failed".into()),
            Err(SyncError::Evidence(_)) => last.error = Some("an evidence file failed".into()),
        }
        last
    }

    /// Saves it as the last sync.
    pub async fn save(&self, store: &Store) -> Result<(), StoreError> {
        let json = serde_json::to_string(self)
            .map_err(|e| StoreError::Invalid(format!("the last sync: {e}")))?;
        store.set_setting(LAST_SETTING, &json).await
    }

    /// The last sync saved, if any (an unreadable one counts as none).
    pub async fn load(store: &Store) -> Result<Option<Self>, StoreError> {
        Ok(store
            .setting(LAST_SETTING)
            .await?
            .and_then(|s| serde_json::from_str(&s).ok()))
    }
}

/// The settings keys of the cursors for server `server`.
fn cursor_keys(server: &str) -> (String, String) {
    (
        format!("sync.pushed:{server}"),
        format!("sync.pulled:{server}"),
    )
}

async fn cursor(store: &Store, key: &str) -> Result<i64, StoreError> {
    Ok(store
        .setting(key)
        .await?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
}

/// Pushes this instance's revisions and pulls the server's. `server` names the server
/// in the stored cursors (its URL). Safe to run again after any failure.
pub async fn sync<T: Transport>(
    store: &Store,
    transport: &T,
    server: &str,
    mut progress: impl FnMut(Progress),
) -> Result<Report, SyncError> {
    let mut report = Report::default();
    let account = transport.account().await?;
    report.captured = store.sync_capture().await?;
    let (push_key, pull_key) = cursor_keys(server);
    if let Some(org) = store.org_by_name(&account.organization).await? {
        let filter = ExportFilter {
            org: Some(org.id),
            kinds: None,
            local_only: true,
        };
        loop {
            let after = cursor(store, &push_key).await?;
            let page = store.sync_export(&filter, after, PAGE).await?;
            if page.batch.revisions.is_empty() {
                break;
            }
            let n = page.batch.revisions.len() as u64;
            let ack = transport.push(&page.batch).await?;
            store
                .set_setting(&push_key, &page.next_cursor.to_string())
                .await?;
            report.pushed += ack.accepted;
            report.already += ack.already;
            progress(Progress::Pushed(n));
        }
    }
    loop {
        let after = cursor(store, &pull_key).await?;
        let page = transport.pull(after, PAGE).await?;
        let n = page.batch.revisions.len() as u64;
        let outcome = store
            .sync_apply(None, &page.batch, None, Some((&pull_key, page.next_cursor)))
            .await?;
        report.pulled += outcome.accepted;
        report.already += outcome.already;
        if n > 0 {
            progress(Progress::Pulled(n));
        }
        if !page.more || page.next_cursor <= after {
            break;
        }
    }
    report.conflicts = store.sync_conflicts(None).await?.len() as u64;
    report.held_back = store.sync_held_back(None).await?.len() as u64;
    Ok(report)
}

/// What a whole run did: the token's organization, the records and the files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The organization the token belongs to.
    pub organization: String,
    /// The records' sync.
    pub report: Report,
    /// The evidence files moved.
    pub files: EvidenceReport,
}

/// One whole run over HTTP, as `sijill sync` and the "Sync now" button of `/sync` make
/// it: the account (a laptop that does not know the token's organization yet learns it
/// from the server, so its people can be added here), the records ([`sync`]), then,
/// unless `evidence` is false, the evidence files of the organization
/// ([`sync_evidence`]; a role that does not move evidence is not an error). `progress`
/// hears every page and every chunk of evidence. Safe to run again after any failure.
pub async fn sync_all(
    store: &Store,
    transport: &HttpTransport,
    server: &str,
    evidence: bool,
    mut progress: impl FnMut(Progress),
) -> Result<Outcome, SyncError> {
    let account = transport.account().await?;
    if store.org_by_name(&account.organization).await?.is_none() {
        let org = transport.organization().await?;
        store.create_org(&org).await?;
    }
    let report = sync(store, transport, server, &mut progress).await?;
    progress(Progress::RecordsDone);
    let mut files = EvidenceReport::default();
    if evidence && let Some(org) = store.org_by_name(&account.organization).await? {
        files = match sync_evidence(store, transport, org.id, &mut progress).await {
            Ok(r) => r,
            Err(SyncError::Transport(TransportError::Refused(m))) if m.starts_with("403") => {
                EvidenceReport::default()
            }
            Err(e) => return Err(e),
        };
    }
    Ok(Outcome {
        organization: account.organization,
        report,
        files,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn the_wait_doubles_up_to_the_cap() {
        let b = Backoff {
            first: Duration::from_secs(2),
            max: Duration::from_secs(30),
        };
        let waits: Vec<u64> = (1..=6).map(|n| b.wait(n).as_secs()).collect();
        assert_eq!(waits, [2, 4, 8, 16, 30, 30]);
        assert_eq!(b.wait(200), Duration::from_secs(30));
        let none = Backoff {
            first: Duration::ZERO,
            max: Duration::from_secs(30),
        };
        assert_eq!(none.wait(3), Duration::ZERO);
    }

    #[test]
    fn only_connection_failures_are_retried() {
        assert!(SyncError::Transport(TransportError::Connection("cut".into())).is_retryable());
        assert!(!SyncError::Transport(TransportError::Refused("403".into())).is_retryable());
        assert!(!SyncError::Evidence("bad".into()).is_retryable());
    }

    #[test]
    fn a_local_error_is_not_quoted_in_the_last_sync() {
        let e = SyncError::Store(StoreError::Invalid("name Rana Saleh".into()));
        let last = LastSync::of("https://s", Err(&e));
        assert_eq!(last.error.as_deref(), Some("the local database failed"));
        let cut = SyncError::Transport(TransportError::Connection("x".repeat(400)));
        let last = LastSync::of("https://s", Err(&cut));
        assert!(last.error.unwrap().chars().count() == 300);
    }
}
