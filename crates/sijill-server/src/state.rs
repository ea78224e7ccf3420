//! The state shared by every request: the store, the configuration, the login limiter,
//! and the read cache of page parts.
//!
//! The read cache ([`ReadCache`]) keeps what pages read again and again — reference
//! lists (organizations, items, campaigns), the 4W page's tables, the dashboard's
//! counts, an organization's latest distributions — for as long as the store's write
//! version ([`WriteVersion`]: the head of the audit chain, which every write extends)
//! stays the same. Each request reads the version from the database, so a write by
//! another server process on the same PostgreSQL is seen as soon as it is committed;
//! concurrent requests share one read of it ([`VersionGate`]), each taking the answer
//! of a read that started after the request came in, never an earlier one. A part that
//! depends on who asks is cached under a key naming the organization (and role and
//! language) it was made for, so one organization's part is never served to another.

use crate::config::ServerConfig;
use crate::ratelimit::LoginLimiter;
use sijill_model::geo::Gazetteer;
use sijill_store::Store;
use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use tokio::sync::watch;

/// Everything a handler needs; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// Server settings.
    pub config: Arc<ServerConfig>,
    /// Failed-login counters.
    pub limiter: Arc<LoginLimiter>,
    /// Reference geography for the areas lookup.
    pub geo: Arc<Gazetteer>,
    /// Page parts kept between writes.
    pub cache: Arc<ReadCache>,
}

impl AppState {
    /// State over an opened store (see `sijill_store::Store::open`) with these settings
    /// and the compiled-in reference geography.
    pub fn new(store: Store, config: ServerConfig) -> Self {
        let limiter = Arc::new(LoginLimiter::new(config.login_limits.clone()));
        AppState {
            store,
            config: Arc::new(config),
            limiter,
            geo: Arc::new(Gazetteer::builtin()),
            cache: Arc::new(ReadCache::default()),
        }
    }

    /// The same state with another gazetteer (e.g. built-in areas plus an imported
    /// COD-AB table: `Gazetteer::with_areas`). The read cache starts empty, as some of
    /// its parts are made from the gazetteer.
    pub fn with_gazetteer(mut self, geo: Gazetteer) -> Self {
        self.geo = Arc::new(geo);
        self.cache = Arc::new(ReadCache::default());
        self
    }

    /// The store's write version, read now (shared with concurrent requests).
    pub async fn write_version(&self) -> Result<WriteVersion, VersionError> {
        self.cache.version(&self.store).await
    }
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// The store's write version: sequence number and hash of the audit chain's head
/// (`Store::write_version`). Two reads give the same version only if no write was
/// committed between them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteVersion {
    seq: u64,
    hash: String,
}

impl WriteVersion {
    /// The version of a head with this sequence number and hash.
    pub fn new(seq: u64, hash: String) -> Self {
        WriteVersion { seq, hash }
    }
}

/// The write version could not be read (the database did not answer).
#[derive(Debug, Clone, thiserror::Error)]
#[error("reading the write version: {0}")]
pub struct VersionError(String);

/// The most parts kept for one version; past it the cache starts again empty (a
/// crawler walking every filter of the 4W page cannot make it grow without bound).
pub const MAX_PARTS: usize = 512;

/// Page parts read from the store, each valid while the write version it was made at
/// is the current one. Parts are kept for one version at a time: the first part made
/// at a newer version drops every older one.
#[derive(Default)]
pub struct ReadCache {
    gate: VersionGate<WriteVersion>,
    held: Mutex<Held>,
    fixed: Mutex<HashMap<String, Part>>,
}

/// A kept part, of whatever type its page made.
type Part = Arc<dyn Any + Send + Sync>;

#[derive(Default)]
struct Held {
    version: Option<WriteVersion>,
    parts: HashMap<String, Part>,
}

impl ReadCache {
    fn held(&self) -> MutexGuard<'_, Held> {
        // A panic while holding the lock leaves a map that is still whole.
        self.held.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The store's write version as of a read that started after this call.
    pub async fn version(&self, store: &Store) -> Result<WriteVersion, VersionError> {
        let store = store.clone();
        self.gate
            .read(move || async move {
                store
                    .write_version()
                    .await
                    .map(|(seq, hash)| WriteVersion { seq, hash })
                    .map_err(|e| e.to_string())
            })
            .await
            .map_err(VersionError)
    }

    /// The part `key` made at version `at`, if it is held and of type `T`.
    pub fn get<T: Any + Send + Sync>(&self, at: &WriteVersion, key: &str) -> Option<Arc<T>> {
        let held = self.held();
        if held.version.as_ref() != Some(at) {
            return None;
        }
        held.parts.get(key).cloned()?.downcast::<T>().ok()
    }

    /// Keeps `value` as the part `key` made at version `at`. A part made at an older
    /// version than the one held (a slow request that read the version before a write)
    /// is not kept.
    pub fn put<T: Any + Send + Sync>(&self, at: &WriteVersion, key: String, value: Arc<T>) {
        let mut held = self.held();
        match &held.version {
            Some(v) if v == at => {}
            Some(v) if v.seq > at.seq => return,
            _ => {
                held.version = Some(at.clone());
                held.parts.clear();
            }
        }
        if held.parts.len() >= MAX_PARTS && !held.parts.contains_key(&key) {
            held.parts.clear();
        }
        held.parts.insert(key, value);
    }

    /// The part `key` at version `at`: the one held, else made by `make` and kept.
    pub async fn get_or_make<T, E, F, Fut>(
        &self,
        at: &WriteVersion,
        key: String,
        make: F,
    ) -> Result<Arc<T>, E>
    where
        T: Any + Send + Sync,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        if let Some(part) = self.get(at, &key) {
            return Ok(part);
        }
        let part = Arc::new(make().await?);
        self.put(at, key, Arc::clone(&part));
        Ok(part)
    }

    /// The part `key` that never changes while the server runs (made from the
    /// gazetteer, say): made by `make` on first use, then kept. Keys are fixed names
    /// chosen by the code, so this map stays small.
    pub fn fixed<T: Any + Send + Sync>(&self, key: &str, make: impl FnOnce() -> T) -> Arc<T> {
        let mut fixed = self.fixed.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(part) = fixed.get(key).cloned().and_then(|p| p.downcast::<T>().ok()) {
            return part;
        }
        let part = Arc::new(make());
        fixed.insert(key.to_owned(), Arc::clone(&part) as Part);
        part
    }

    /// How many parts are held (for tests and diagnostics).
    pub fn len(&self) -> usize {
        self.held().parts.len()
    }

    /// Whether no part is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The outcome of one read, shared by everyone who waited for it.
type Outcome<T> = Option<Result<T, String>>;

/// One read and the requests waiting for it.
struct Round<T> {
    id: u64,
    done: watch::Receiver<Outcome<T>>,
}

impl<T> Clone for Round<T> {
    fn clone(&self) -> Self {
        Round {
            id: self.id,
            done: self.done.clone(),
        }
    }
}

struct GateState<T> {
    rounds: u64,
    /// The read in flight.
    running: Option<Round<T>>,
    /// The read that starts when the one in flight is done, and its waiters.
    next: Option<Round<T>>,
}

/// Coalesces concurrent reads of one value (the write version): a request joins the
/// next read that has not started yet, so each answer comes from a read that started
/// after the request arrived (as if it had read the value itself), and however many
/// requests wait, at most two reads are under way at once. Each read runs in its own
/// task, so a request that goes away never leaves the others waiting.
pub struct VersionGate<T> {
    state: Arc<Mutex<GateState<T>>>,
}

impl<T> Default for VersionGate<T> {
    fn default() -> Self {
        VersionGate {
            state: Arc::new(Mutex::new(GateState {
                rounds: 0,
                running: None,
                next: None,
            })),
        }
    }
}

fn lock<T>(state: &Mutex<GateState<T>>) -> MutexGuard<'_, GateState<T>> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

impl<T: Clone + Send + Sync + 'static> VersionGate<T> {
    /// The value as of a read that started after this call: `read` runs (in a task of
    /// its own) unless a read that has not started yet can be joined.
    pub async fn read<F, Fut>(&self, read: F) -> Result<T, String>
    where
        F: FnOnce() -> Fut + Send + 'static,
        Fut: Future<Output = Result<T, String>> + Send + 'static,
    {
        let round = self.join(read);
        Self::wait(round).await
    }

    /// Joins (or starts) the read this call will take its answer from. Synchronous, so
    /// a test can order arrivals exactly.
    fn join<F, Fut>(&self, read: F) -> Round<T>
    where
        F: FnOnce() -> Fut + Send + 'static,
        Fut: Future<Output = Result<T, String>> + Send + 'static,
    {
        let mut s = lock(&self.state);
        if let Some(next) = &s.next {
            // Not started yet: it starts after this arrival.
            return next.clone();
        }
        s.rounds += 1;
        let id = s.rounds;
        let (tx, rx) = watch::channel(None);
        let round = Round { id, done: rx };
        let state = Arc::clone(&self.state);
        match s.running.clone() {
            None => {
                s.running = Some(round.clone());
                tokio::spawn(Self::run(state, id, tx, read));
            }
            Some(mut ahead) => {
                // A read is in flight; it may have started before this arrival, so
                // this one waits for the read after it.
                s.next = Some(round.clone());
                tokio::spawn(async move {
                    let _ = ahead.done.wait_for(Option::is_some).await;
                    {
                        let mut s = lock(&state);
                        // From here on, arrivals wait for a later read.
                        s.running = s.next.take();
                    }
                    Self::run(state, id, tx, read).await;
                });
            }
        }
        round
    }

    async fn run<F, Fut>(
        state: Arc<Mutex<GateState<T>>>,
        id: u64,
        tx: watch::Sender<Outcome<T>>,
        read: F,
    ) where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, String>>,
    {
        let outcome = read().await;
        {
            let mut s = lock(&state);
            if s.running.as_ref().is_some_and(|r| r.id == id) {
                s.running = None;
            }
        }
        tx.send_replace(Some(outcome));
    }

    async fn wait(mut round: Round<T>) -> Result<T, String> {
        match round.done.wait_for(Option::is_some).await {
            Ok(outcome) => outcome
                .clone()
                .unwrap_or_else(|| Err("no outcome".to_owned())),
            Err(_) => Err("the read ended without an answer".to_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};
    use tokio::sync::{Notify, Semaphore};

    type BoxRead = std::pin::Pin<Box<dyn Future<Output = Result<u64, String>> + Send>>;

    /// Reads that say which read they were (1, 2, …) and finish only when let go.
    struct Reads {
        started: AtomicU64,
        began: Notify,
        go: Semaphore,
    }

    impl Reads {
        fn new() -> Arc<Reads> {
            Arc::new(Reads {
                started: AtomicU64::new(0),
                began: Notify::new(),
                go: Semaphore::new(0),
            })
        }

        fn read(self: &Arc<Self>) -> impl FnOnce() -> BoxRead + Send + 'static {
            let me = Arc::clone(self);
            move || {
                Box::pin(async move {
                    let n = me.started.fetch_add(1, Ordering::SeqCst) + 1;
                    me.began.notify_one();
                    me.go.acquire().await.map_err(|e| e.to_string())?.forget();
                    Ok(n)
                })
            }
        }

        /// Waits until `n` reads have started.
        async fn until_started(&self, n: u64) {
            while self.started.load(Ordering::SeqCst) < n {
                self.began.notified().await;
            }
        }
    }

    #[tokio::test]
    async fn arrivals_during_a_read_get_the_next_read_and_share_it() {
        let gate = VersionGate::<u64>::default();
        let reads = Reads::new();
        let first = gate.join(reads.read());
        reads.until_started(1).await;
        // Three requests arrive while read 1 is in flight: it may predate them, so
        // they must not take its answer; they share read 2.
        let waiting: Vec<_> = (0..3).map(|_| gate.join(reads.read())).collect();
        assert_eq!(
            reads.started.load(Ordering::SeqCst),
            1,
            "read 2 waits for 1"
        );
        reads.go.add_permits(1);
        assert_eq!(VersionGate::wait(first).await, Ok(1));
        reads.until_started(2).await;
        // Read 2 is in flight now; a later arrival waits for read 3.
        let late = gate.join(reads.read());
        reads.go.add_permits(1);
        for w in waiting {
            assert_eq!(VersionGate::wait(w).await, Ok(2));
        }
        reads.until_started(3).await;
        reads.go.add_permits(1);
        assert_eq!(VersionGate::wait(late).await, Ok(3));
        assert_eq!(
            reads.started.load(Ordering::SeqCst),
            3,
            "five callers, three reads"
        );
    }

    #[tokio::test]
    async fn a_lone_caller_reads_after_it_arrives_each_time() {
        let gate = VersionGate::<u64>::default();
        let reads = Reads::new();
        reads.go.add_permits(3);
        for n in 1..=3 {
            assert_eq!(gate.read(reads.read()).await, Ok(n));
        }
    }

    #[tokio::test]
    async fn a_failed_read_reaches_its_waiters_and_the_next_read_runs() {
        let gate = VersionGate::<u64>::default();
        let failing = || async { Err::<u64, String>("database gone".to_owned()) };
        assert_eq!(gate.read(failing).await, Err("database gone".to_owned()));
        assert_eq!(gate.read(|| async { Ok(7) }).await, Ok(7));
    }

    #[tokio::test]
    async fn a_caller_that_goes_away_leaves_the_reads_running() {
        let gate = VersionGate::<u64>::default();
        let reads = Reads::new();
        let first = gate.join(reads.read());
        let second = gate.join(reads.read());
        let third = gate.join(reads.read());
        // The caller of read 1 and one of read 2's callers go away.
        drop(first);
        drop(second);
        reads.go.add_permits(2);
        assert_eq!(VersionGate::wait(third).await, Ok(2));
        assert_eq!(reads.started.load(Ordering::SeqCst), 2);
    }

    fn v(seq: u64) -> WriteVersion {
        WriteVersion::new(seq, format!("h{seq}"))
    }

    #[test]
    fn parts_hold_for_their_version_only() {
        let cache = ReadCache::default();
        cache.put(&v(1), "a".into(), Arc::new(10u32));
        assert_eq!(cache.get::<u32>(&v(1), "a").as_deref(), Some(&10));
        assert_eq!(cache.get::<u64>(&v(1), "a"), None, "another type is a miss");
        assert_eq!(
            cache.get::<u32>(&v(2), "a"),
            None,
            "a write moved the version"
        );
        let other_hash = WriteVersion::new(1, "restored".into());
        assert_eq!(
            cache.get::<u32>(&other_hash, "a"),
            None,
            "same number, other head"
        );
        cache.put(&v(2), "b".into(), Arc::new(20u32));
        assert_eq!(
            cache.get::<u32>(&v(2), "a"),
            None,
            "older parts were dropped"
        );
        assert_eq!(cache.len(), 1);
        // A part made before the last write is not kept over newer ones.
        cache.put(&v(1), "a".into(), Arc::new(11u32));
        assert_eq!(cache.get::<u32>(&v(2), "b").as_deref(), Some(&20));
        assert_eq!(cache.get::<u32>(&v(1), "a"), None);
    }

    #[test]
    fn the_cache_does_not_grow_without_bound() {
        let cache = ReadCache::default();
        for i in 0..(MAX_PARTS + 10) {
            cache.put(&v(1), format!("k{i}"), Arc::new(i));
            assert!(cache.len() <= MAX_PARTS);
        }
        assert_eq!(
            cache
                .get::<usize>(&v(1), &format!("k{}", MAX_PARTS + 9))
                .as_deref(),
            Some(&(MAX_PARTS + 9))
        );
    }

    #[tokio::test]
    async fn get_or_make_makes_once_per_version_and_passes_errors_on() {
        let cache = ReadCache::default();
        let made = AtomicU64::new(0);
        let make = || async {
            made.fetch_add(1, Ordering::SeqCst);
            Ok::<_, String>(5u8)
        };
        for _ in 0..3 {
            let got = cache.get_or_make(&v(1), "x".into(), make).await;
            assert_eq!(got.as_deref(), Ok(&5));
        }
        assert_eq!(made.load(Ordering::SeqCst), 1);
        let _ = cache.get_or_make(&v(2), "x".into(), make).await;
        assert_eq!(made.load(Ordering::SeqCst), 2);
        let failed = cache
            .get_or_make(&v(3), "y".into(), || async { Err::<u8, _>("no") })
            .await;
        assert_eq!(failed, Err("no"));
        assert_eq!(cache.get::<u8>(&v(3), "y"), None, "a failure is not kept");
    }
}
