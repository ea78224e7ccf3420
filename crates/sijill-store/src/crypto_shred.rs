//! Erasure by crypto-shredding: the personal fields of one record (a household, a
//! testimony, a victim record …) are sealed under a data key of that record alone, and
//! erasing the record destroys that key, so its sealed values can never be opened again —
//! not from the live database, its WAL, free pages, replicas or any backup made after the
//! erasure.
//!
//! # Per-record keys without a write per record
//!
//! [`Store::seal`] is synchronous and called before the row is written, so the per-record
//! key cannot be a row made on first use. Instead every record's key is *derived* from a
//! binary tree of keys (a puncturable pseudo-random function, after Goldreich, Goldwasser
//! and Micali): a record's path is the first 64 bits of SHA-256 of its table and id, a
//! child key is SHA-256 of its parent's key and the branch taken, and the record's data
//! key is the leaf at the end of its path. The database stores the smallest set of tree
//! nodes from which every leaf that is not erased can be derived, each node sealed by the
//! key file (`shred_nodes`). At first there is one node, the root.
//!
//! Erasing a record removes the node its leaf descends from and stores instead the
//! siblings along the rest of the path (at most 64 new nodes): every other leaf derives to
//! the same key as before, so no other record is touched or re-sealed, and the erased leaf
//! can no longer be derived by anyone holding the database and the key file. The node set
//! grows by under 64 nodes (about 6 KB) per erasure.
//!
//! A record that was sealed before per-record keys existed (`sj1` under the key file) is
//! re-sealed under its leaf inside the erasing transaction, so erasure covers it too.
//!
//! # Reading an erased record
//!
//! [`Store::unseal`] of an erased value returns the column's *tombstone* (an empty name, an
//! empty testimony), so pages and exports that list many records keep working and show the
//! record without its personal fields; [`Store::unseal_strict`] returns
//! [`CryptoError::Erased`] instead. Sealing for an erased record is refused.
//!
//! A server that did not erase the record itself (the CLI did) reloads the node set within
//! [`REFRESH`] of the erasure.
//!
//! # Erasure across instances
//!
//! A synced record (household, testimony, volunteer, dialogue session) has copies on the
//! server and on other laptops, each sealed under that instance's own key tree. Erasing it
//! here also records an erasure revision of it (`_erased`, see `sync_revisions`), at once
//! and again at every capture until one exists, so it travels with the next sync; each
//! instance that receives it erases its own copy inside the transaction that applies the
//! page (`Store::erase_in`), which also makes the sealed values of the record's
//! revisions unreadable there, so nothing it passes on carries them.
//!
//! # What it does not cover
//!
//! A backup made *before* an erasure still holds the old nodes; after restoring such a
//! backup, erase the records again (the audit log lists every `record.erase`). The raw file
//! of an imported victim list is a record of its own (kind `victim-list`): erasing one
//! victim record leaves the list's original file readable until the list is erased.

use crate::crypto::{CryptoError, Keyring, SUBJECT_PREFIX};
use crate::db_types::{DbTime, DbUuid};
use crate::error::{StoreError, corrupt};
use crate::{AuditEntry, Backend, Store, with_pool, with_write_tx};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use sijill_model::account::{OrgId, UserId};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, RwLock, Weak};
use std::time::Duration;
use uuid::Uuid;

/// The key tree after erasures made inside a sync transaction, with the number of
/// erasures then; installed in the store once the transaction has committed.
pub(crate) struct Punctured {
    nodes: Nodes,
    erasures: i64,
}

/// How often a store re-reads the erasure register to learn of erasures made elsewhere.
pub const REFRESH: Duration = Duration::from_secs(2);

/// Depth of the key tree: 64 bits of a record's path.
const DEPTH: u8 = 64;

/// Bound on remembered leaf keys (cleared, not evicted one by one, when reached).
const LEAF_CACHE: usize = 100_000;

/// A kind of record that can be erased: its name on the command line and its table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErasableKind {
    /// The name used by `sijill erase --kind`.
    pub name: &'static str,
    /// The table holding the records.
    pub table: &'static str,
}

/// Every kind of record with personal fields of its own.
pub const KINDS: &[ErasableKind] = &[
    ErasableKind {
        name: "household",
        table: "respond_households",
    },
    ErasableKind {
        name: "testimony",
        table: "testimonies",
    },
    ErasableKind {
        name: "victim-record",
        table: "victim_records",
    },
    ErasableKind {
        name: "victim-list",
        table: "victim_lists",
    },
    ErasableKind {
        name: "volunteer",
        table: "respond_volunteers",
    },
    ErasableKind {
        name: "dialogue",
        table: "respond_dialogues",
    },
];

/// A sealed column: where it is, the column name its sealing context uses
/// (`<table>.<context>:<row id>`), and what an erased value reads as.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SealedColumn {
    pub(crate) table: &'static str,
    pub(crate) column: &'static str,
    pub(crate) context: &'static str,
    pub(crate) tombstone: &'static str,
}

/// Every sealed column of the schema. A new sealed column adds a line here (a test checks
/// that every `*_sealed` column of the schema is listed).
pub(crate) const SEALED_COLUMNS: &[SealedColumn] = &[
    SealedColumn {
        table: "respond_households",
        column: "name_sealed",
        context: "name_sealed",
        tombstone: r#"{"name":"","father":"","year":null}"#,
    },
    SealedColumn {
        table: "respond_households",
        column: "contact_sealed",
        context: "contact_sealed",
        tombstone: "",
    },
    SealedColumn {
        table: "testimonies",
        column: "content_sealed",
        context: "content",
        tombstone: "",
    },
    SealedColumn {
        table: "victim_records",
        column: "personal_sealed",
        context: "personal",
        tombstone: "{}",
    },
    SealedColumn {
        table: "victim_lists",
        column: "raw_sealed",
        context: "raw",
        tombstone: "",
    },
    SealedColumn {
        table: "respond_volunteers",
        column: "name_sealed",
        context: "name_sealed",
        tombstone: "",
    },
    SealedColumn {
        table: "respond_dialogues",
        column: "facilitators_sealed",
        context: "facilitators_sealed",
        tombstone: "",
    },
];

/// The erasable record a sealing context belongs to: `(table, row id)` when the context
/// is `<table>.<column>:<row id>` of an erasable table.
pub(crate) fn subject_of(context: &str) -> Option<(&str, &str)> {
    let (place, id) = context.split_once(':')?;
    let (table, _) = place.split_once('.')?;
    KINDS
        .iter()
        .any(|k| k.table == table)
        .then_some((table, id))
}

fn tombstone_of(context: &str) -> &'static str {
    let place = context.split_once(':').map_or(context, |(p, _)| p);
    SEALED_COLUMNS
        .iter()
        .find(|c| place.split_once('.') == Some((c.table, c.context)))
        .map_or("", |c| c.tombstone)
}

/// The 64-bit path of a record in the key tree.
fn path_of(table: &str, id: &str) -> u64 {
    let mut h = Sha256::new();
    h.update(b"sijill record path\n");
    h.update(table.as_bytes());
    h.update(b":");
    h.update(id.as_bytes());
    let d = h.finalize();
    let mut b = [0u8; 8];
    b.copy_from_slice(&d[..8]);
    u64::from_be_bytes(b)
}

fn child(key: &[u8; 32], bit: u64) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"sijill key tree\n");
    h.update([u8::from(bit == 1)]);
    h.update(key);
    h.finalize().into()
}

/// The prefix of `path` at `depth` (its first `depth` bits).
fn prefix(path: u64, depth: u8) -> u64 {
    if depth == 0 {
        0
    } else {
        path >> (64 - u32::from(depth))
    }
}

fn bit_at(path: u64, level: u8) -> u64 {
    (path >> (63 - u32::from(level))) & 1
}

/// A set of tree nodes, keyed by (depth, prefix).
#[derive(Default, Clone)]
pub(crate) struct Nodes(HashMap<(u8, u64), [u8; 32]>);

impl Nodes {
    fn covering(&self, path: u64) -> Option<(u8, [u8; 32])> {
        (0..=DEPTH).find_map(|d| self.0.get(&(d, prefix(path, d))).map(|k| (d, *k)))
    }

    /// The leaf key of `path`, or `None` when it was erased.
    fn leaf(&self, path: u64) -> Option<[u8; 32]> {
        let (d, mut k) = self.covering(path)?;
        for level in d..DEPTH {
            k = child(&k, bit_at(path, level));
        }
        Some(k)
    }

    /// Removes `path`'s leaf from the set: returns the node removed and the nodes added,
    /// or `None` when it is already gone.
    fn puncture(&mut self, path: u64) -> Option<Puncture> {
        let (d, mut k) = self.covering(path)?;
        let removed = (d, prefix(path, d));
        self.0.remove(&removed);
        let mut added = Vec::with_capacity(usize::from(DEPTH - d));
        for level in d..DEPTH {
            let b = bit_at(path, level);
            let sibling = (level + 1, prefix(path, level + 1) ^ 1);
            let sk = child(&k, 1 - b);
            self.0.insert(sibling, sk);
            added.push((sibling, sk));
            k = child(&k, b);
        }
        Some(Puncture { removed, added })
    }
}

struct Puncture {
    removed: (u8, u64),
    added: Vec<((u8, u64), [u8; 32])>,
}

/// The node set and leaf cache shared by every clone of a store.
pub(crate) struct Shred {
    state: RwLock<State>,
}

struct State {
    nodes: Nodes,
    leaves: HashMap<u64, [u8; 32]>,
    erasures: i64,
}

impl Shred {
    fn leaf(&self, path: u64) -> Option<[u8; 32]> {
        if let Ok(s) = self.state.read()
            && let Some(k) = s.leaves.get(&path)
        {
            return Some(*k);
        }
        let mut s = self.state.write().ok()?;
        let k = s.nodes.leaf(path)?;
        if s.leaves.len() >= LEAF_CACHE {
            s.leaves.clear();
        }
        s.leaves.insert(path, k);
        Some(k)
    }

    fn replace(&self, nodes: Nodes, erasures: i64) {
        if let Ok(mut s) = self.state.write() {
            s.nodes = nodes;
            s.leaves.clear();
            s.erasures = erasures;
        }
    }

    fn erasures(&self) -> i64 {
        self.state.read().map_or(-1, |s| s.erasures)
    }
}

fn node_context(depth: u8, prefix: u64) -> String {
    format!("shred_nodes.wrapped:{depth}:{prefix:016x}")
}

fn wrap(keyring: &Keyring, depth: u8, prefix: u64, key: &[u8; 32]) -> String {
    keyring.seal(&node_context(depth, prefix), &URL_SAFE_NO_PAD.encode(key))
}

fn unwrap(
    keyring: &Keyring,
    depth: i64,
    prefix: &str,
    wrapped: &str,
) -> Result<((u8, u64), [u8; 32]), StoreError> {
    let depth = u8::try_from(depth)
        .ok()
        .filter(|d| *d <= DEPTH)
        .ok_or_else(|| corrupt("key tree node depth"))?;
    let p = u64::from_str_radix(prefix, 16).map_err(|_| corrupt("key tree node prefix"))?;
    let text = keyring.open(&node_context(depth, p), wrapped)?;
    let raw = URL_SAFE_NO_PAD
        .decode(text)
        .map_err(|_| corrupt("key tree node"))?;
    let key: [u8; 32] = raw.try_into().map_err(|_| corrupt("key tree node"))?;
    Ok(((depth, p), key))
}

/// What [`Store::reseal_all`] changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResealReport {
    /// Personal values moved onto per-record keys or onto the active key.
    pub values: u64,
    /// Key-tree nodes wrapped again under the active key.
    pub nodes: u64,
    /// Sealed settings sealed again under the active key.
    pub settings: u64,
}

/// What [`Store::sealed_census`] found: every sealed value, by how it is sealed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SealedCensus {
    /// Values sealed directly under key-file key N (older values, settings).
    pub by_key: BTreeMap<u32, u64>,
    /// Values sealed under per-record keys.
    pub per_record: u64,
    /// Values of erased records.
    pub erased: u64,
    /// Values that do not open: `table.column` and row id of each (no values).
    pub failed: Vec<String>,
}

/// One sealed value of a record, for inspection: its context and stored text.
pub type SealedValue = (String, Option<String>);

fn kind(name: &str) -> Result<ErasableKind, StoreError> {
    KINDS
        .iter()
        .copied()
        .find(|k| k.name == name)
        .ok_or_else(|| {
            let names: Vec<&str> = KINDS.iter().map(|k| k.name).collect();
            StoreError::Invalid(format!(
                "unknown kind {name:?}; one of: {}",
                names.join(", ")
            ))
        })
}

impl Store {
    /// Loads (creating the root on a fresh database) the key tree under `keyring`.
    pub(crate) async fn attach_shred(&self, keyring: &Keyring) -> Result<Arc<Shred>, StoreError> {
        let (nodes, erasures) = self.load_nodes(keyring, true).await?;
        let shred = Arc::new(Shred {
            state: RwLock::new(State {
                nodes,
                leaves: HashMap::new(),
                erasures,
            }),
        });
        let weak = Arc::downgrade(&shred);
        let reader = Store {
            pool: self.pool.clone(),
            keyring: None,
            shred: None,
        };
        let keyring = keyring.clone();
        if tokio::runtime::Handle::try_current().is_ok() {
            tokio::spawn(refresh_loop(reader, keyring, weak));
        }
        Ok(shred)
    }

    async fn load_nodes(
        &self,
        keyring: &Keyring,
        create: bool,
    ) -> Result<(Nodes, i64), StoreError> {
        let erasures: i64 = with_pool!(self, |pool| {
            sqlx::query_scalar("SELECT COUNT(*) FROM erasures")
                .fetch_one(pool)
                .await?
        });
        let mut rows: Vec<(i64, String, String)> = with_pool!(self, |pool| {
            sqlx::query_as("SELECT depth, prefix, wrapped FROM shred_nodes")
                .fetch_all(pool)
                .await?
        });
        if rows.is_empty() {
            if erasures > 0 || !create {
                return Err(corrupt("key tree"));
            }
            let mut root = [0u8; 32];
            rand::RngCore::fill_bytes(&mut rand::rng(), &mut root);
            let wrapped = wrap(keyring, 0, 0, &root);
            with_pool!(self, |pool| {
                sqlx::query(
                    "INSERT INTO shred_nodes (depth, prefix, wrapped) VALUES (0, $1, $2) \
                     ON CONFLICT (depth, prefix) DO NOTHING",
                )
                .bind(format!("{:016x}", 0))
                .bind(&wrapped)
                .execute(pool)
                .await?;
            });
            // Another process may have made the root first: read back what is stored.
            rows = with_pool!(self, |pool| {
                sqlx::query_as("SELECT depth, prefix, wrapped FROM shred_nodes")
                    .fetch_all(pool)
                    .await?
            });
        }
        let mut nodes = Nodes::default();
        for (d, p, w) in rows {
            let (at, key) = unwrap(keyring, d, &p, &w)?;
            nodes.0.insert(at, key);
        }
        Ok((nodes, erasures))
    }

    pub(crate) fn seal_record(
        &self,
        keyring: &Keyring,
        context: &str,
        plaintext: &str,
    ) -> Result<String, StoreError> {
        match (subject_of(context), &self.shred) {
            (Some((table, id)), Some(shred)) => {
                let key = shred.leaf(path_of(table, id)).ok_or(CryptoError::Erased)?;
                Ok(Keyring::seal_under(&key, context, plaintext))
            }
            _ => Ok(keyring.seal(context, plaintext)),
        }
    }

    pub(crate) fn unseal_record(
        &self,
        keyring: &Keyring,
        context: &str,
        sealed: &str,
    ) -> Result<String, StoreError> {
        if !sealed.starts_with(SUBJECT_PREFIX) {
            return Ok(keyring.open(context, sealed)?);
        }
        let (Some((table, id)), Some(shred)) = (subject_of(context), &self.shred) else {
            return Err(CryptoError::Tampered.into());
        };
        let key = shred.leaf(path_of(table, id)).ok_or(CryptoError::Erased)?;
        Ok(Keyring::open_under(&key, context, sealed)?)
    }

    /// Like [`Store::unseal`], but an erased record's value is
    /// [`CryptoError::Erased`] instead of its tombstone.
    pub fn unseal_strict(&self, context: &str, sealed: &str) -> Result<String, StoreError> {
        let k = self.keyring.as_ref().ok_or(CryptoError::NoKeyring)?;
        self.unseal_record(k, context, sealed)
    }

    pub(crate) fn tombstone(context: &str) -> String {
        tombstone_of(context).to_owned()
    }

    /// Re-reads the key tree when records were erased by another process.
    pub async fn refresh_erasures(&self) -> Result<(), StoreError> {
        let (Some(k), Some(shred)) = (self.keyring.as_deref(), &self.shred) else {
            return Ok(());
        };
        refresh_once(self, k, shred).await
    }

    /// Whether the record of `kind` (see [`KINDS`]) with this id was erased.
    pub async fn is_erased(&self, kind_name: &str, id: Uuid) -> Result<bool, StoreError> {
        let k = kind(kind_name)?;
        let subject = format!("{}:{}", k.table, id.hyphenated());
        let n: i64 = with_pool!(self, |pool| {
            sqlx::query_scalar("SELECT COUNT(*) FROM erasures WHERE subject = $1")
                .bind(&subject)
                .fetch_one(pool)
                .await?
        });
        Ok(n > 0)
    }

    /// The stored (sealed) personal values of one record, with their contexts, for
    /// inspection and tests. Never plaintext.
    pub async fn sealed_values_of(
        &self,
        kind_name: &str,
        id: Uuid,
    ) -> Result<Vec<SealedValue>, StoreError> {
        let k = kind(kind_name)?;
        let mut out = Vec::new();
        for c in SEALED_COLUMNS.iter().filter(|c| c.table == k.table) {
            let sql = format!("SELECT {} FROM {} WHERE id = $1", c.column, c.table);
            let v: Option<Option<String>> = with_pool!(self, |pool| {
                sqlx::query_scalar(&sql)
                    .bind(DbUuid(id))
                    .fetch_optional(pool)
                    .await?
            });
            let Some(v) = v else {
                return Err(StoreError::NotFound);
            };
            out.push((format!("{}.{}:{}", c.table, c.context, id.hyphenated()), v));
        }
        Ok(out)
    }

    /// Erases the personal fields of one record by destroying its data key, in one
    /// transaction, and audits it. The record's other fields (counts, dates, areas) stay,
    /// so totals keep counting it. Refused for an unknown kind or id, and for a record
    /// already erased.
    pub async fn erase_record(
        &self,
        kind_name: &str,
        id: Uuid,
        actor: Option<UserId>,
        org: Option<OrgId>,
    ) -> Result<(), StoreError> {
        let k = kind(kind_name)?;
        let keyring = self.keyring.clone().ok_or(CryptoError::NoKeyring)?;
        let shred = self.shred.clone().ok_or(CryptoError::NoKeyring)?;
        let rid = id.hyphenated().to_string();
        let subject = format!("{}:{rid}", k.table);
        let path = path_of(k.table, &rid);
        let columns: Vec<SealedColumn> = SEALED_COLUMNS
            .iter()
            .copied()
            .filter(|c| c.table == k.table)
            .collect();
        let exists_sql = format!("SELECT COUNT(*) FROM {} WHERE id = $1", k.table);
        let postgres = self.backend() == Backend::Postgres;
        with_write_tx!(self, |tx| {
            if postgres {
                sqlx::query("LOCK TABLE shred_nodes IN EXCLUSIVE MODE")
                    .execute(&mut *tx)
                    .await?;
            }
            let n: i64 = sqlx::query_scalar(&exists_sql)
                .bind(DbUuid(id))
                .fetch_one(&mut *tx)
                .await?;
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            let done: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM erasures WHERE subject = $1")
                .bind(&subject)
                .fetch_one(&mut *tx)
                .await?;
            if done > 0 {
                return Err(StoreError::Conflict(format!(
                    "this {} was erased already",
                    k.name
                )));
            }
            // The node set as stored now (another process may have erased since we
            // loaded ours).
            let rows: Vec<(i64, String, String)> =
                sqlx::query_as("SELECT depth, prefix, wrapped FROM shred_nodes")
                    .fetch_all(&mut *tx)
                    .await?;
            let mut nodes = Nodes::default();
            for (d, p, w) in rows {
                let (at, key) = unwrap(&keyring, d, &p, &w)?;
                nodes.0.insert(at, key);
            }
            let leaf = nodes.leaf(path).ok_or_else(|| corrupt("key tree"))?;
            // Values sealed before per-record keys move onto this record's key first.
            for c in &columns {
                let sql = format!("SELECT {} FROM {} WHERE id = $1", c.column, c.table);
                let v: Option<String> = sqlx::query_scalar(&sql)
                    .bind(DbUuid(id))
                    .fetch_one(&mut *tx)
                    .await?;
                if let Some(v) = v.filter(|v| !v.starts_with(SUBJECT_PREFIX)) {
                    let context = format!("{}.{}:{rid}", c.table, c.context);
                    let plain = keyring.open(&context, &v)?;
                    let resealed = Keyring::seal_under(&leaf, &context, &plain);
                    let sql = format!("UPDATE {} SET {} = $1 WHERE id = $2", c.table, c.column);
                    sqlx::query(&sql)
                        .bind(&resealed)
                        .bind(DbUuid(id))
                        .execute(&mut *tx)
                        .await?;
                }
            }
            let cut = nodes.puncture(path).ok_or_else(|| corrupt("key tree"))?;
            sqlx::query("DELETE FROM shred_nodes WHERE depth = $1 AND prefix = $2")
                .bind(i64::from(cut.removed.0))
                .bind(format!("{:016x}", cut.removed.1))
                .execute(&mut *tx)
                .await?;
            for ((d, p), key) in &cut.added {
                sqlx::query("INSERT INTO shred_nodes (depth, prefix, wrapped) VALUES ($1, $2, $3)")
                    .bind(i64::from(*d))
                    .bind(format!("{p:016x}"))
                    .bind(wrap(&keyring, *d, *p, key))
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query(
                "INSERT INTO erasures (subject, kind, record_id, erased_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(&subject)
            .bind(k.name)
            .bind(&rid)
            .bind(DbTime::now())
            .execute(&mut *tx)
            .await?;
            let erasures: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM erasures")
                .fetch_one(&mut *tx)
                .await?;
            tx.commit().await?;
            shred.replace(nodes, erasures);
        });
        self.append_audit(&AuditEntry {
            actor,
            org,
            action: "record.erase".into(),
            entity: k.name.into(),
            entity_id: Some(rid),
            detail: serde_json::json!({ "fields": columns.iter().map(|c| c.context).collect::<Vec<_>>() }),
        })
        .await?;
        // The other instances that hold the record erase theirs when this erasure
        // reaches them (a capture records it again if this step is cut short).
        self.sync_announce_erasures(k.table).await?;
        Ok(())
    }

    /// Seals every sealed value again under the active key, in one transaction: values of
    /// erasable records move onto their per-record keys, other sealed values (settings)
    /// and the key-tree nodes onto the active key-file key. Erased values are left as they
    /// are. All or nothing: any value that does not open aborts it, naming where.
    pub async fn reseal_all(&self) -> Result<ResealReport, StoreError> {
        let keyring = self.keyring.clone().ok_or(CryptoError::NoKeyring)?;
        let shred = self.shred.clone().ok_or(CryptoError::NoKeyring)?;
        let active = keyring.active();
        let mut report = ResealReport::default();
        let postgres = self.backend() == Backend::Postgres;
        with_write_tx!(self, |tx| {
            if postgres {
                sqlx::query("LOCK TABLE shred_nodes IN EXCLUSIVE MODE")
                    .execute(&mut *tx)
                    .await?;
            }
            let rows: Vec<(i64, String, String)> =
                sqlx::query_as("SELECT depth, prefix, wrapped FROM shred_nodes")
                    .fetch_all(&mut *tx)
                    .await?;
            let mut nodes = Nodes::default();
            for (d, p, w) in rows {
                let ((depth, pre), key) = unwrap(&keyring, d, &p, &w)?;
                nodes.0.insert((depth, pre), key);
                if Keyring::key_of(&w) != Some(active) {
                    sqlx::query(
                        "UPDATE shred_nodes SET wrapped = $1 WHERE depth = $2 AND prefix = $3",
                    )
                    .bind(wrap(&keyring, depth, pre, &key))
                    .bind(d)
                    .bind(&p)
                    .execute(&mut *tx)
                    .await?;
                    report.nodes += 1;
                }
            }
            for c in SEALED_COLUMNS {
                let select = format!(
                    "SELECT id, {} FROM {} WHERE id > $1 ORDER BY id LIMIT 500",
                    c.column, c.table
                );
                let update = format!("UPDATE {} SET {} = $1 WHERE id = $2", c.table, c.column);
                let mut after = DbUuid(Uuid::nil());
                loop {
                    let page: Vec<(DbUuid, Option<String>)> = sqlx::query_as(&select)
                        .bind(after)
                        .fetch_all(&mut *tx)
                        .await?;
                    let Some(last) = page.last() else { break };
                    after = last.0;
                    for (rid, v) in page {
                        let Some(v) = v else { continue };
                        if v.starts_with(SUBJECT_PREFIX) {
                            // Per-record keys do not depend on the key file's keys.
                            continue;
                        }
                        let id = rid.0.hyphenated().to_string();
                        let context = format!("{}.{}:{id}", c.table, c.context);
                        let plain = keyring.open(&context, &v).map_err(|e| {
                            StoreError::Invalid(format!(
                                "{}.{} of row {id} does not open ({e}); nothing was changed",
                                c.table, c.column
                            ))
                        })?;
                        let resealed = match nodes.leaf(path_of(c.table, &id)) {
                            Some(leaf) => Keyring::seal_under(&leaf, &context, &plain),
                            None => continue,
                        };
                        sqlx::query(&update)
                            .bind(&resealed)
                            .bind(rid)
                            .execute(&mut *tx)
                            .await?;
                        report.values += 1;
                    }
                }
            }
            let settings: Vec<(String, String)> = sqlx::query_as(
                "SELECT key, value FROM settings WHERE value LIKE 'sj1.%' AND key NOT LIKE 'crypto.check.%' ORDER BY key",
            )
            .fetch_all(&mut *tx)
            .await?;
            for (key, value) in settings {
                if Keyring::key_of(&value) == Some(active) {
                    continue;
                }
                let context = format!("settings.value:{key}");
                let plain = keyring.open(&context, &value).map_err(|e| {
                    StoreError::Invalid(format!(
                        "the sealed setting {key} does not open ({e}); nothing was changed"
                    ))
                })?;
                sqlx::query("UPDATE settings SET value = $1 WHERE key = $2")
                    .bind(keyring.seal(&context, &plain))
                    .bind(&key)
                    .execute(&mut *tx)
                    .await?;
                report.settings += 1;
            }
            tx.commit().await?;
        });
        // Same keys, other wrapping: the cached nodes stay valid.
        drop(shred);
        self.append_audit(&AuditEntry {
            actor: None,
            org: None,
            action: "keys.reseal".into(),
            entity: "keyring".into(),
            entity_id: Some(active.to_string()),
            detail: serde_json::json!({
                "values": report.values,
                "nodes": report.nodes,
                "settings": report.settings,
            }),
        })
        .await?;
        Ok(report)
    }

    /// Opens every sealed value (without keeping any) and counts them by how they are
    /// sealed; values that do not open are listed by place and row id.
    pub async fn sealed_census(&self) -> Result<SealedCensus, StoreError> {
        let keyring = self.keyring.clone().ok_or(CryptoError::NoKeyring)?;
        let mut census = SealedCensus::default();
        for c in SEALED_COLUMNS {
            let select = format!(
                "SELECT id, {} FROM {} WHERE id > $1 ORDER BY id LIMIT 1000",
                c.column, c.table
            );
            let mut after = DbUuid(Uuid::nil());
            loop {
                let page: Vec<(DbUuid, Option<String>)> = with_pool!(self, |pool| {
                    sqlx::query_as(&select).bind(after).fetch_all(pool).await?
                });
                let Some(last) = page.last() else { break };
                after = last.0;
                for (rid, v) in page {
                    let Some(v) = v else { continue };
                    let id = rid.0.hyphenated().to_string();
                    let context = format!("{}.{}:{id}", c.table, c.context);
                    match self.unseal_record(&keyring, &context, &v) {
                        Ok(_) if v.starts_with(SUBJECT_PREFIX) => census.per_record += 1,
                        Ok(_) => {
                            *census
                                .by_key
                                .entry(Keyring::key_of(&v).unwrap_or(0))
                                .or_default() += 1
                        }
                        Err(StoreError::Crypto(CryptoError::Erased)) => census.erased += 1,
                        Err(_) => census
                            .failed
                            .push(format!("{}.{} row {id}", c.table, c.column)),
                    }
                }
            }
        }
        let settings: Vec<(String, String)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT key, value FROM settings WHERE value LIKE 'sj1.%' AND key NOT LIKE 'crypto.check.%' ORDER BY key",
            )
            .fetch_all(pool)
            .await?
        });
        for (key, value) in settings {
            match keyring.open(&format!("settings.value:{key}"), &value) {
                Ok(_) => {
                    *census
                        .by_key
                        .entry(Keyring::key_of(&value).unwrap_or(0))
                        .or_default() += 1
                }
                Err(_) => census.failed.push(format!("setting {key}")),
            }
        }
        Ok(census)
    }
}

impl Store {
    /// Erases record `id` of kind `k` inside the sync engine's transaction `tx`, as
    /// [`Store::erase_record`] does (values sealed before per-record keys move onto the
    /// record's key first, then the key is destroyed and the erasure registered), for an
    /// erasure that arrived from another instance. The record need not be stored here:
    /// the sealed values of its revisions go with the key. Returns the new key tree to
    /// install after the commit ([`Store::install_punctured`]), or `None` when the record
    /// was erased here already. Audited by the caller, in the same transaction.
    pub(crate) async fn erase_in(
        &self,
        tx: &mut crate::sync_db::Tx,
        k: ErasableKind,
        id: Uuid,
    ) -> Result<Option<Punctured>, StoreError> {
        use crate::sync_db::Val;
        let keyring = self.keyring.clone().ok_or(CryptoError::NoKeyring)?;
        let rid = id.hyphenated().to_string();
        let subject = format!("{}:{rid}", k.table);
        if tx.backend() == Backend::Postgres {
            tx.exec("LOCK TABLE shred_nodes IN EXCLUSIVE MODE", &[])
                .await?;
        }
        if tx
            .scalar(
                "SELECT subject FROM erasures WHERE subject = $1",
                &[Val::text(subject.clone())],
            )
            .await?
            .is_some()
        {
            return Ok(None);
        }
        let rows = tx
            .rows(
                "SELECT CAST(depth AS TEXT), prefix, wrapped FROM shred_nodes",
                &[],
            )
            .await?;
        let mut nodes = Nodes::default();
        for r in &rows {
            let field = |i: usize| {
                r.get(i)
                    .cloned()
                    .flatten()
                    .ok_or_else(|| corrupt("key tree node"))
            };
            let depth: i64 = field(0)?
                .parse()
                .map_err(|_| corrupt("key tree node depth"))?;
            let (at, key) = unwrap(&keyring, depth, &field(1)?, &field(2)?)?;
            nodes.0.insert(at, key);
        }
        let path = path_of(k.table, &rid);
        let leaf = nodes.leaf(path).ok_or_else(|| corrupt("key tree"))?;
        for c in SEALED_COLUMNS.iter().filter(|c| c.table == k.table) {
            let v = tx
                .scalar(
                    &format!("SELECT {} FROM {} WHERE id = $1", c.column, c.table),
                    &[Val::uuid(id)],
                )
                .await?;
            if let Some(v) = v.filter(|v| !v.starts_with(SUBJECT_PREFIX)) {
                let context = format!("{}.{}:{rid}", c.table, c.context);
                let plain = keyring.open(&context, &v)?;
                let resealed = Keyring::seal_under(&leaf, &context, &plain);
                tx.exec(
                    &format!("UPDATE {} SET {} = $1 WHERE id = $2", c.table, c.column),
                    &[Val::text(resealed), Val::uuid(id)],
                )
                .await?;
            }
        }
        let cut = nodes.puncture(path).ok_or_else(|| corrupt("key tree"))?;
        tx.exec(
            "DELETE FROM shred_nodes WHERE depth = $1 AND prefix = $2",
            &[
                Val::Int(i64::from(cut.removed.0)),
                Val::text(format!("{:016x}", cut.removed.1)),
            ],
        )
        .await?;
        for ((d, p), key) in &cut.added {
            tx.exec(
                "INSERT INTO shred_nodes (depth, prefix, wrapped) VALUES ($1, $2, $3)",
                &[
                    Val::Int(i64::from(*d)),
                    Val::text(format!("{p:016x}")),
                    Val::text(wrap(&keyring, *d, *p, key)),
                ],
            )
            .await?;
        }
        tx.exec(
            "INSERT INTO erasures (subject, kind, record_id, erased_at) VALUES ($1, $2, $3, $4)",
            &[
                Val::text(subject),
                Val::text(k.name),
                Val::text(rid),
                Val::Time(DbTime::now()),
            ],
        )
        .await?;
        let erasures: i64 = tx
            .scalar("SELECT CAST(COUNT(*) AS TEXT) FROM erasures", &[])
            .await?
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| corrupt("erasure register"))?;
        Ok(Some(Punctured { nodes, erasures }))
    }

    /// Makes this process forget the keys an erasure inside a committed sync
    /// transaction destroyed (see [`Store::erase_in`]).
    pub(crate) fn install_punctured(&self, tree: Punctured) {
        if let Some(shred) = &self.shred {
            shred.replace(tree.nodes, tree.erasures);
        }
    }
}

async fn refresh_once(store: &Store, keyring: &Keyring, shred: &Shred) -> Result<(), StoreError> {
    let n: i64 = with_pool!(store, |pool| {
        sqlx::query_scalar("SELECT COUNT(*) FROM erasures")
            .fetch_one(pool)
            .await?
    });
    if n != shred.erasures() {
        let (nodes, erasures) = store.load_nodes(keyring, false).await?;
        shred.replace(nodes, erasures);
    }
    Ok(())
}

async fn refresh_loop(store: Store, keyring: Keyring, shred: Weak<Shred>) {
    let mut tick = tokio::time::interval(REFRESH);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    tick.tick().await;
    loop {
        tick.tick().await;
        let Some(shred) = shred.upgrade() else { return };
        if refresh_once(&store, &keyring, &shred).await.is_err() {
            // The pool was closed (or the database is gone): the store is finished.
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> Nodes {
        let mut n = Nodes::default();
        n.0.insert((0, 0), [7u8; 32]);
        n
    }

    #[test]
    fn puncturing_one_leaf_keeps_every_other_leaf() {
        let mut nodes = root();
        let paths: Vec<u64> = (0..200)
            .map(|i| path_of("respond_households", &format!("id-{i}")))
            .chain([0, u64::MAX, 1, 1 << 63])
            .collect();
        let before: Vec<[u8; 32]> = paths.iter().map(|p| nodes.leaf(*p).unwrap()).collect();
        for (i, p) in paths.iter().enumerate().step_by(3) {
            let cut = nodes.puncture(*p).unwrap();
            assert!(cut.added.len() <= 64);
            assert_eq!(nodes.leaf(*p), None, "path {i}");
            assert!(nodes.puncture(*p).is_none());
        }
        for (i, p) in paths.iter().enumerate() {
            if i % 3 == 0 {
                assert_eq!(nodes.leaf(*p), None);
            } else {
                assert_eq!(nodes.leaf(*p), Some(before[i]), "path {i}");
            }
        }
        // The neighbouring leaf of an erased one is still there.
        let mut n = root();
        let k1 = n.leaf(1).unwrap();
        n.puncture(0).unwrap();
        assert_eq!(n.leaf(1), Some(k1));
        assert_eq!(n.0.len(), 64);
    }

    #[test]
    fn subjects_and_tombstones() {
        assert_eq!(
            subject_of("respond_households.name_sealed:abc"),
            Some(("respond_households", "abc"))
        );
        assert_eq!(
            subject_of("testimonies.content:x"),
            Some(("testimonies", "x"))
        );
        assert_eq!(subject_of("settings.value:respond.network_secret"), None);
        assert_eq!(subject_of("households.name:1"), None);
        assert_eq!(subject_of("nonsense"), None);
        assert_eq!(tombstone_of("victim_records.personal:1"), "{}");
        assert_eq!(tombstone_of("testimonies.content:1"), "");
        for c in SEALED_COLUMNS {
            assert!(KINDS.iter().any(|k| k.table == c.table), "{}", c.table);
        }
    }

    #[tokio::test]
    async fn every_sealed_column_of_the_schema_is_listed() {
        let store = Store::open("sqlite::memory:").await.unwrap();
        let cols: Vec<(String, String)> = with_pool!(store, |pool| {
            sqlx::query_as(
                "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p \
                 WHERE m.type = 'table' AND p.name LIKE '%\\_sealed' ESCAPE '\\' ORDER BY 1, 2",
            )
            .fetch_all(pool)
            .await
            .unwrap()
        });
        assert!(cols.len() >= SEALED_COLUMNS.len());
        for (table, column) in cols {
            assert!(
                SEALED_COLUMNS
                    .iter()
                    .any(|c| c.table == table && c.column == column),
                "{table}.{column} is sealed but not in SEALED_COLUMNS"
            );
        }
    }

    #[test]
    fn different_records_get_different_keys() {
        let n = root();
        let a = n.leaf(path_of("testimonies", "1")).unwrap();
        let b = n.leaf(path_of("testimonies", "2")).unwrap();
        let c = n.leaf(path_of("victim_records", "1")).unwrap();
        assert_ne!(a, b);
        assert_ne!(a, c);
    }
}
