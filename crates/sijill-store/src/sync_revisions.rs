//! The sync engine of one instance: it records revisions of synced records, applies
//! revisions from another instance, and keeps conflicts for a person to resolve.
//!
//! - **Capture.** Revisions are found by comparison, not by hooks in every write path:
//!   [`Store::sync_capture`] compares each synced row with the state the sync layer last
//!   saw (`sync_records.state`) and records one revision per changed record (its
//!   changed fields), a creation for a new record and a tombstone for a vanished one. So
//!   imports, forms, merges and any later write function are covered without touching
//!   them; the cost is one scan of the synced tables per sync (see `bench/sync/`).
//! - **Apply.** [`Store::sync_apply`] takes a [`Batch`] in one transaction: reference
//!   rows are created when missing, each touched record is captured first (so a local
//!   change made since is not overwritten), new revisions are stored (known ones are
//!   skipped: applying twice changes nothing), and the record is rewritten from the
//!   merge of all its revisions ([`crate::sync_merge`]), with its open conflicts.
//! - **Export.** [`Store::sync_export`] pages revisions by this instance's arrival
//!   order, scoped to one organization and the kinds a role may sync, with personal
//!   fields opened for the wire and the reference rows they name.

use crate::crypto::CryptoError;
use crate::db_types::DbTime;
use crate::error::StoreError;
use crate::sync_db::{Tx, Val};
use crate::sync_kinds::{self, Derive, Kind, REFS, RefKind, Ty};
use crate::sync_merge::{DELETED, ERASED, Rev, merge};
use crate::sync_types::{
    ApplyOutcome, Batch, Candidate, Conflict, Fields, HeldBack, HeldReason, PullPage, RefRow,
    Revision, SyncScope,
};
use crate::{AuditEntry, Store};
use sijill_model::account::{OrgId, UserId};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use uuid::Uuid;

const INSTANCE_SETTING: &str = "sync.instance_id";
const CLOCK_SETTING: &str = "sync.clock";
/// Ids bound per `IN (…)` list.
const CHUNK: usize = 200;

/// `($from, …)` placeholders: `$from, $from+1, …` for `n` values.
fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Bound values per multi-row statement (well under SQLite's and PostgreSQL's limits).
const PARAMS: usize = 4_000;

/// Which revisions [`Store::sync_export`] pages through.
#[derive(Debug, Clone, Default)]
pub struct ExportFilter {
    /// Only records of this organization.
    pub org: Option<OrgId>,
    /// Only these kinds (`None`: every kind).
    pub kinds: Option<Vec<&'static str>>,
    /// Only revisions this instance made (what a laptop pushes).
    pub local_only: bool,
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Database(format!("a stored sync {what} is malformed"))
}

fn parse_uuid(s: Option<&String>) -> Result<Uuid, StoreError> {
    s.and_then(|s| Uuid::parse_str(s).ok())
        .ok_or_else(|| corrupt("id"))
}

fn text(row: &[Option<String>], i: usize) -> Result<String, StoreError> {
    row.get(i)
        .cloned()
        .flatten()
        .ok_or_else(|| corrupt("value"))
}

/// What deriving the household duplicate hash needs, read before the transaction (the
/// secret is made on first use by a write of its own).
pub(crate) struct Derivation {
    secret: Vec<u8>,
    geo: sijill_model::geo::Gazetteer,
}

impl Derivation {
    /// The duplicate hash of a household from its opened identity and p-code, as the
    /// register computes it: the locality is the p-code's district.
    fn identity_hash(&self, name_json: &str, pcode: &str) -> Option<String> {
        #[derive(serde::Deserialize)]
        struct Opened {
            name: String,
            father: String,
            year: Option<i32>,
        }
        let opened: Opened = serde_json::from_str(name_json).ok()?;
        // An erased identity (its tombstone) matches nothing.
        if opened.name.trim().is_empty() && opened.father.trim().is_empty() {
            return None;
        }
        let locality = sijill_model::geo::PCode::parse(pcode)
            .ok()
            .and_then(|p| {
                self.geo
                    .ancestry(&p)
                    .into_iter()
                    .find(|a| a.level == sijill_model::geo::AdminLevel::District)
                    .map(|a| a.pcode.as_str().to_owned())
            })
            .unwrap_or_else(|| pcode.to_owned());
        let identity = crate::Identity {
            name: opened.name,
            father_name: opened.father,
            birth_year: opened.year,
            locality,
        };
        crate::respond_household::identity_hash_under(&self.secret, &identity).ok()
    }
}

/// One transaction of the engine with the instance's id and clock.
struct Ctx<'s> {
    store: &'s Store,
    tx: Tx,
    instance: Uuid,
    clock: u64,
    org_names: HashMap<Uuid, String>,
    derive: Option<Derivation>,
    /// Custody events received in this transaction: origin and place in this chain.
    custody_received: Vec<serde_json::Value>,
    /// The key tree after erasures made in this transaction, installed on commit.
    erased_tree: Option<crate::crypto_shred::Punctured>,
    /// Records erased in this transaction because an erasure arrived: kind and id.
    erased: Vec<(&'static str, Uuid)>,
    /// Who the revisions made now are by (an account's display name), when known.
    author: Option<String>,
}

impl<'s> Ctx<'s> {
    async fn begin(store: &'s Store, derive: Option<Derivation>) -> Result<Ctx<'s>, StoreError> {
        let mut tx = Tx::write(store).await?;
        let instance = instance_id_in(&mut tx).await?;
        let clock = tx
            .scalar(
                "SELECT value FROM settings WHERE key = $1",
                &[Val::text(CLOCK_SETTING)],
            )
            .await?
            .map(|s| s.parse::<u64>().map_err(|_| corrupt("clock")))
            .transpose()?
            .unwrap_or(0);
        Ok(Ctx {
            store,
            tx,
            instance,
            clock,
            org_names: HashMap::new(),
            derive,
            custody_received: Vec::new(),
            erased_tree: None,
            erased: Vec::new(),
            author: None,
        })
    }

    async fn commit(mut self) -> Result<(), StoreError> {
        let clock = self.clock.to_string();
        set_setting_in(&mut self.tx, CLOCK_SETTING, &clock).await?;
        self.tx.commit().await?;
        // Only once the erasures are stored does this process forget the keys.
        if let Some(tree) = self.erased_tree.take() {
            self.store.install_punctured(tree);
        }
        Ok(())
    }

    async fn org_name(&mut self, org: Uuid) -> Result<String, StoreError> {
        if let Some(n) = self.org_names.get(&org) {
            return Ok(n.clone());
        }
        let name = self
            .tx
            .scalar(
                "SELECT name FROM organizations WHERE id = $1",
                &[Val::uuid(org)],
            )
            .await?
            .ok_or(StoreError::NotFound)?;
        self.org_names.insert(org, name.clone());
        Ok(name)
    }

    async fn org_id(&mut self, name: &str) -> Result<Option<Uuid>, StoreError> {
        if let Some((id, _)) = self.org_names.iter().find(|(_, n)| *n == name) {
            return Ok(Some(*id));
        }
        let id = self
            .tx
            .scalar(
                "SELECT CAST(id AS TEXT) FROM organizations WHERE name = $1",
                &[Val::text(name)],
            )
            .await?
            .map(|s| parse_uuid(Some(&s)))
            .transpose()?;
        if let Some(id) = id {
            self.org_names.insert(id, name.to_owned());
        }
        Ok(id)
    }

    /// The current heads of a record's history.
    async fn heads(&mut self, kind: &Kind, id: Uuid) -> Result<Vec<Uuid>, StoreError> {
        let rows = self
            .tx
            .rows(
                "SELECT CAST(revision_id AS TEXT), parents FROM sync_revisions \
                 WHERE kind = $1 AND record_id = $2 ORDER BY seq",
                &[Val::text(kind.name), Val::uuid(id)],
            )
            .await?;
        let mut ids = Vec::new();
        let mut parents = HashSet::new();
        for r in &rows {
            ids.push(parse_uuid(r[0].as_ref())?);
            let p: Vec<Uuid> =
                serde_json::from_str(&text(r, 1)?).map_err(|_| corrupt("parents"))?;
            parents.extend(p);
        }
        ids.retain(|i| !parents.contains(i));
        Ok(ids)
    }

    /// Stores a revision (fields as stored: personal values sealed).
    async fn insert_revision(&mut self, r: &Revision, org: Uuid) -> Result<(), StoreError> {
        let parents = serde_json::to_string(&r.parents).map_err(|_| corrupt("parents"))?;
        let fields = serde_json::to_string(&r.fields).map_err(|_| corrupt("fields"))?;
        let clock = i64::try_from(r.clock)
            .map_err(|_| StoreError::Invalid("a revision clock is too large".into()))?;
        self.tx
            .exec(
                "INSERT INTO sync_revisions (revision_id, kind, record_id, org_id, parents, \
                 instance_id, clock, fields, tombstone, content_hash, received_at, author) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                &[
                    Val::uuid(r.revision_id),
                    Val::text(r.kind.clone()),
                    Val::uuid(r.record_id),
                    Val::uuid(org),
                    Val::text(parents),
                    Val::uuid(r.instance_id),
                    Val::Int(clock),
                    Val::text(fields),
                    Val::Bool(r.tombstone),
                    Val::text(r.content_hash.clone()),
                    Val::Time(DbTime::now()),
                    Val::Text(r.author.clone()),
                ],
            )
            .await?;
        Ok(())
    }

    /// Stores revisions from another instance (fields as stored: personal values
    /// sealed) in multi-row statements, in the given order.
    async fn insert_revisions(&mut self, revs: &[(Revision, Uuid)]) -> Result<(), StoreError> {
        let now = DbTime::now();
        for chunk in revs.chunks(PARAMS / 12) {
            let mut vals = Vec::with_capacity(chunk.len() * 12);
            let mut tuples = Vec::with_capacity(chunk.len());
            for (r, org) in chunk {
                let parents = serde_json::to_string(&r.parents).map_err(|_| corrupt("parents"))?;
                let fields = serde_json::to_string(&r.fields).map_err(|_| corrupt("fields"))?;
                let clock = i64::try_from(r.clock)
                    .map_err(|_| StoreError::Invalid("a revision clock is too large".into()))?;
                tuples.push(format!("({})", placeholders(vals.len() + 1, 12)));
                vals.extend([
                    Val::uuid(r.revision_id),
                    Val::text(r.kind.clone()),
                    Val::uuid(r.record_id),
                    Val::uuid(*org),
                    Val::text(parents),
                    Val::uuid(r.instance_id),
                    Val::Int(clock),
                    Val::text(fields),
                    Val::Bool(r.tombstone),
                    Val::text(r.content_hash.clone()),
                    Val::Time(now),
                    Val::Text(r.author.clone()),
                ]);
            }
            let sql = format!(
                "INSERT INTO sync_revisions (revision_id, kind, record_id, org_id, parents, \
                 instance_id, clock, fields, tombstone, content_hash, received_at, author) VALUES {}",
                tuples.join(", ")
            );
            self.tx.exec(&sql, &vals).await?;
        }
        Ok(())
    }

    /// Saves the state of many records in multi-row statements.
    async fn save_records(
        &mut self,
        kind: &Kind,
        rows: &[(Uuid, Uuid, Fields)],
    ) -> Result<(), StoreError> {
        for chunk in rows.chunks(PARAMS / 5) {
            let mut vals = Vec::with_capacity(chunk.len() * 5);
            let mut tuples = Vec::with_capacity(chunk.len());
            for (id, org, state) in chunk {
                let state = serde_json::to_string(state).map_err(|_| corrupt("state"))?;
                tuples.push(format!("({})", placeholders(vals.len() + 1, 5)));
                vals.extend([
                    Val::text(kind.name),
                    Val::uuid(*id),
                    Val::uuid(*org),
                    Val::text(state),
                    Val::Bool(false),
                ]);
            }
            let sql = format!(
                "INSERT INTO sync_records (kind, record_id, org_id, state, deleted) VALUES {} \
                 ON CONFLICT (kind, record_id) DO UPDATE SET org_id = excluded.org_id, \
                 state = excluded.state, deleted = excluded.deleted",
                tuples.join(", ")
            );
            self.tx.exec(&sql, &vals).await?;
        }
        Ok(())
    }

    /// Writes records new here, each the conflict-free merge of its revisions, in
    /// multi-row statements; the records that could not be written so (a chunk that
    /// failed, e.g. one naming a record gone here) are returned to be written one by one.
    async fn insert_fresh(
        &mut self,
        kind: &'static Kind,
        rows: Vec<(Uuid, Uuid, Fields)>,
    ) -> Result<Vec<(Uuid, Uuid)>, StoreError> {
        type Cols = Vec<(&'static str, Ty)>;
        type Row = (Uuid, Uuid, Vec<Val>);
        let backend = self.tx.backend();
        let now = DbTime::now();
        let mut groups: Vec<(Cols, Vec<Row>)> = Vec::new();
        for (id, org, values) in rows {
            let mut cols: Cols = Vec::new();
            let mut vals = Vec::new();
            for f in kind.fields {
                let Some(v) = values.get(f.name) else {
                    continue;
                };
                let v = match (f.sealed, v) {
                    (true, Some(plain)) => Some(
                        self.store
                            .seal_or_tombstone(&kind.context(f.name, id), plain)?,
                    ),
                    _ => v.clone(),
                };
                cols.push((f.name, f.ty));
                vals.push(Val::Text(v));
            }
            for d in kind.derived {
                let v = match d.how {
                    Derive::IdentityHash => {
                        let derive = self.derive.as_ref().ok_or_else(|| {
                            StoreError::Invalid(
                                "households are merged only with the keyring open".into(),
                            )
                        })?;
                        let value = |k: &str| values.get(k).cloned().flatten();
                        match (value("name_sealed"), value("pcode")) {
                            (Some(name), Some(pcode)) => derive.identity_hash(&name, &pcode),
                            _ => None,
                        }
                        .unwrap_or_else(|| format!("none:{id}"))
                    }
                    Derive::Sql(_) => String::new(),
                };
                cols.push((d.name, Ty::Text));
                vals.push(Val::text(v));
            }
            match groups.iter_mut().find(|(c, _)| *c == cols) {
                Some((_, g)) => g.push((id, org, vals)),
                None => groups.push((cols, vec![(id, org, vals)])),
            }
        }
        let mut back = Vec::new();
        let mut written = Vec::new();
        for (cols, group) in groups {
            let mut names = vec!["id"];
            names.extend(kind.org_col);
            names.extend(cols.iter().map(|(n, _)| *n));
            names.extend(kind.now_cols.iter().copied());
            for chunk in group.chunks((PARAMS / names.len()).max(1)) {
                let mut all = Vec::with_capacity(chunk.len() * names.len());
                let mut tuples = Vec::with_capacity(chunk.len());
                for (id, org, vals) in chunk {
                    let mut exprs = Vec::with_capacity(names.len());
                    all.push(Val::uuid(*id));
                    exprs.push(format!("${}", all.len()));
                    if kind.org_col.is_some() {
                        all.push(Val::uuid(*org));
                        exprs.push(format!("${}", all.len()));
                    }
                    for ((_, ty), v) in cols.iter().zip(vals) {
                        all.push(v.clone());
                        exprs.push(sync_kinds::write_expr(backend, all.len(), *ty));
                    }
                    for _ in kind.now_cols {
                        all.push(Val::Time(now));
                        exprs.push(format!("${}", all.len()));
                    }
                    tuples.push(format!("({})", exprs.join(", ")));
                }
                let sql = format!(
                    "INSERT INTO {} ({}) VALUES {}",
                    kind.table,
                    names.join(", "),
                    tuples.join(", ")
                );
                self.tx.exec("SAVEPOINT sync_fresh", &[]).await?;
                if self.tx.exec(&sql, &all).await.is_ok() {
                    self.tx.exec("RELEASE SAVEPOINT sync_fresh", &[]).await?;
                    written.extend(chunk.iter().map(|(id, _, _)| *id));
                } else {
                    self.tx
                        .exec("ROLLBACK TO SAVEPOINT sync_fresh", &[])
                        .await?;
                    back.extend(chunk.iter().map(|(id, org, _)| (*id, *org)));
                }
            }
        }
        for d in kind.derived {
            if let Derive::Sql(expr) = d.how {
                for chunk in written.chunks(CHUNK) {
                    let sql = format!(
                        "UPDATE {} SET {} = {expr} WHERE id IN ({})",
                        kind.table,
                        d.name,
                        placeholders(1, chunk.len())
                    );
                    let vals: Vec<Val> = chunk.iter().map(|i| Val::uuid(*i)).collect();
                    self.tx.exec(&sql, &vals).await?;
                }
            }
        }
        let states = self.read_rows(kind, Some(&written)).await?;
        self.save_records(kind, &states).await?;
        Ok(back)
    }

    /// Makes and stores a revision of this instance.
    async fn local_revision(
        &mut self,
        kind: &Kind,
        id: Uuid,
        org: Uuid,
        fields: Fields,
    ) -> Result<Revision, StoreError> {
        let parents = self.heads(kind, id).await?;
        self.new_revision(kind, id, org, fields, parents).await
    }

    /// Makes and stores a revision of this instance on top of `parents`.
    async fn new_revision(
        &mut self,
        kind: &Kind,
        id: Uuid,
        org: Uuid,
        fields: Fields,
        parents: Vec<Uuid>,
    ) -> Result<Revision, StoreError> {
        let r = self.build_revision(kind, id, org, fields, parents).await?;
        self.insert_revision(&r, org).await?;
        Ok(r)
    }

    /// Makes a revision of this instance on top of `parents`, not yet stored.
    async fn build_revision(
        &mut self,
        kind: &Kind,
        id: Uuid,
        org: Uuid,
        fields: Fields,
        parents: Vec<Uuid>,
    ) -> Result<Revision, StoreError> {
        self.clock += 1;
        let tombstone = fields.get(DELETED).cloned().flatten().as_deref() == Some("1");
        let mut r = Revision {
            revision_id: Uuid::now_v7(),
            kind: kind.name.into(),
            record_id: id,
            org: self.org_name(org).await?,
            parents,
            instance_id: self.instance,
            clock: self.clock,
            fields,
            tombstone,
            content_hash: String::new(),
            author: self.author.clone(),
        };
        r.content_hash = r.compute_hash();
        Ok(r)
    }

    async fn save_record(
        &mut self,
        kind: &Kind,
        id: Uuid,
        org: Uuid,
        state: &Fields,
        deleted: bool,
    ) -> Result<(), StoreError> {
        let state = serde_json::to_string(state).map_err(|_| corrupt("state"))?;
        self.tx
            .exec(
                "INSERT INTO sync_records (kind, record_id, org_id, state, deleted) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (kind, record_id) DO UPDATE \
                 SET org_id = excluded.org_id, state = excluded.state, deleted = excluded.deleted",
                &[
                    Val::text(kind.name),
                    Val::uuid(id),
                    Val::uuid(org),
                    Val::text(state),
                    Val::Bool(deleted),
                ],
            )
            .await?;
        Ok(())
    }

    /// The synced rows of `kind` (all, or those with the given ids): id, org, fields.
    async fn read_rows(
        &mut self,
        kind: &Kind,
        ids: Option<&[Uuid]>,
    ) -> Result<Vec<(Uuid, Uuid, Fields)>, StoreError> {
        let backend = self.tx.backend();
        let mut select = format!(
            "SELECT CAST({} AS TEXT), CAST({} AS TEXT)",
            kind.id_expr, kind.org_expr
        );
        for f in kind.fields {
            select.push_str(", ");
            select.push_str(&sync_kinds::read_expr(backend, f.src, f.name, f.ty));
        }
        // A row without an organization (a report made without an account) does not sync.
        select.push_str(&format!(
            " FROM {} WHERE {} IS NOT NULL",
            kind.from, kind.org_expr
        ));
        let mut rows = Vec::new();
        match ids {
            None => rows = self.tx.rows(&select, &[]).await?,
            Some(ids) => {
                for chunk in ids.chunks(CHUNK) {
                    let list: Vec<String> = (1..=chunk.len()).map(|n| format!("${n}")).collect();
                    let sql = format!("{select} AND {} IN ({})", kind.id_expr, list.join(", "));
                    let vals: Vec<Val> = chunk.iter().map(|i| Val::uuid(*i)).collect();
                    rows.extend(self.tx.rows(&sql, &vals).await?);
                }
            }
        }
        rows.iter()
            .map(|r| {
                let fields = kind
                    .fields
                    .iter()
                    .enumerate()
                    .map(|(i, f)| (f.name.to_owned(), r.get(i + 2).cloned().flatten()))
                    .collect();
                Ok((
                    parse_uuid(r[0].as_ref())?,
                    parse_uuid(r[1].as_ref())?,
                    fields,
                ))
            })
            .collect()
    }

    /// Records a revision for every synced row of `kind` that changed since the sync
    /// layer last saw it; the number of revisions made.
    async fn capture(
        &mut self,
        kind: &'static Kind,
        ids: Option<&[Uuid]>,
    ) -> Result<u64, StoreError> {
        if kind.append_only && ids.is_none() {
            self.map_custody().await?;
        }
        let rows = self.read_rows(kind, ids).await?;
        let base = "SELECT CAST(record_id AS TEXT), CAST(org_id AS TEXT), state, \
                    CASE WHEN deleted THEN '1' ELSE '0' END FROM sync_records WHERE kind = $1";
        let mut known_rows = Vec::new();
        match ids {
            None => known_rows = self.tx.rows(base, &[Val::text(kind.name)]).await?,
            Some(ids) => {
                for chunk in ids.chunks(CHUNK) {
                    let list: Vec<String> =
                        (2..=chunk.len() + 1).map(|n| format!("${n}")).collect();
                    let sql = format!("{base} AND record_id IN ({})", list.join(", "));
                    let mut vals = vec![Val::text(kind.name)];
                    vals.extend(chunk.iter().map(|i| Val::uuid(*i)));
                    known_rows.extend(self.tx.rows(&sql, &vals).await?);
                }
            }
        }
        let mut known: HashMap<Uuid, (Uuid, Fields, bool)> = HashMap::new();
        for r in &known_rows {
            let state: Fields = serde_json::from_str(&text(r, 2)?).map_err(|_| corrupt("state"))?;
            known.insert(
                parse_uuid(r[0].as_ref())?,
                (parse_uuid(r[1].as_ref())?, state, text(r, 3)? == "1"),
            );
        }
        let conflicted: HashSet<Uuid> = self
            .tx
            .rows(
                "SELECT CAST(record_id AS TEXT) FROM sync_conflicts WHERE kind = $1 AND resolved_at IS NULL",
                &[Val::text(kind.name)],
            )
            .await?
            .iter()
            .map(|r| parse_uuid(r[0].as_ref()))
            .collect::<Result<_, _>>()?;
        let mut made = 0;
        let mut seen = HashSet::new();
        let mut fresh_revs = Vec::new();
        let mut fresh_states = Vec::new();
        for (id, org, cur) in rows {
            seen.insert(id);
            let first = !known.contains_key(&id);
            let changed: Fields = match known.get(&id) {
                None => {
                    let mut all = cur.clone();
                    all.insert(DELETED.into(), Some("0".into()));
                    all
                }
                Some((_, _, true)) => {
                    let mut all = cur.clone();
                    all.insert(DELETED.into(), Some("0".into()));
                    all
                }
                Some((_, state, false)) => cur
                    .iter()
                    .filter(|(k, v)| state.get(*k) != Some(*v))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            };
            if changed.is_empty() {
                continue;
            }
            if first {
                // A record never seen has no history: no need to look for its heads, and
                // it is stored with the other new ones in multi-row statements.
                let r = self
                    .build_revision(kind, id, org, changed, Vec::new())
                    .await?;
                fresh_revs.push((r, org));
                fresh_states.push((id, org, cur));
                made += 1;
                continue;
            }
            self.local_revision(kind, id, org, changed).await?;
            self.save_record(kind, id, org, &cur, false).await?;
            made += 1;
            if conflicted.contains(&id) {
                self.materialize(kind, id, org).await?;
            }
        }
        self.insert_revisions(&fresh_revs).await?;
        self.save_records(kind, &fresh_states).await?;
        for (id, (org, _, deleted)) in known {
            if deleted || seen.contains(&id) {
                continue;
            }
            let fields = Fields::from([(DELETED.to_owned(), Some("1".to_owned()))]);
            self.local_revision(kind, id, org, fields).await?;
            self.save_record(kind, id, org, &Fields::new(), true)
                .await?;
            made += 1;
            if conflicted.contains(&id) {
                self.materialize(kind, id, org).await?;
            }
        }
        if ids.is_none() {
            made += self.announce_erasures(kind).await?;
        }
        Ok(made)
    }

    /// Records an erasure revision (the pseudo-field [`ERASED`]) for every record of
    /// `kind` erased here that no revision announces yet, so that the erasure travels
    /// with the next sync and each instance that holds the record erases its copy. The
    /// number of revisions made.
    async fn announce_erasures(&mut self, kind: &'static Kind) -> Result<u64, StoreError> {
        let Some(erasable) = crate::crypto_shred::KINDS
            .iter()
            .find(|k| k.table == kind.table)
        else {
            return Ok(0);
        };
        let erased = self
            .tx
            .rows(
                "SELECT CAST(e.record_id AS TEXT), CAST(r.org_id AS TEXT) FROM erasures e \
                 JOIN sync_records r ON r.kind = $1 AND CAST(r.record_id AS TEXT) = e.record_id \
                 WHERE e.kind = $2",
                &[Val::text(kind.name), Val::text(erasable.name)],
            )
            .await?;
        if erased.is_empty() {
            return Ok(0);
        }
        let announced: HashSet<Uuid> = self
            .tx
            .rows(
                "SELECT CAST(record_id AS TEXT) FROM sync_revisions WHERE kind = $1 AND fields LIKE $2",
                &[
                    Val::text(kind.name),
                    Val::text(format!("%\"{ERASED}\":\"1\"%")),
                ],
            )
            .await?
            .iter()
            .map(|r| parse_uuid(r[0].as_ref()))
            .collect::<Result<_, _>>()?;
        let mut made = 0;
        for r in &erased {
            let id = parse_uuid(r[0].as_ref())?;
            if announced.contains(&id) {
                continue;
            }
            let org = parse_uuid(r[1].as_ref())?;
            let fields = Fields::from([(ERASED.to_owned(), Some("1".to_owned()))]);
            self.local_revision(kind, id, org, fields).await?;
            made += 1;
        }
        Ok(made)
    }

    /// Erases this instance's copy of a record because an erasure of it arrived: its
    /// data key is destroyed in this transaction (its sealed columns and the sealed
    /// values of its revisions can no longer be opened here) and this process forgets
    /// the key once the transaction commits. A record erased here already is left.
    async fn erase_here(&mut self, kind: &'static Kind, id: Uuid) -> Result<(), StoreError> {
        let Some(erasable) = crate::crypto_shred::KINDS
            .iter()
            .copied()
            .find(|k| k.table == kind.table)
        else {
            return Ok(());
        };
        if let Some(tree) = self.store.erase_in(&mut self.tx, erasable, id).await? {
            self.erased_tree = Some(tree);
            self.erased.push((erasable.name, id));
        }
        Ok(())
    }

    /// The first record that `values` name by id and that is not here (kind and id).
    async fn missing_parent(
        &mut self,
        kind: &Kind,
        values: &Fields,
    ) -> Result<Option<(&'static str, Uuid)>, StoreError> {
        for f in kind.fields {
            let Ty::Id(table) = f.ty else { continue };
            let Some(Some(v)) = values.get(f.name) else {
                continue;
            };
            let Ok(parent) = Uuid::parse_str(v) else {
                continue;
            };
            let found = self
                .tx
                .scalar(
                    &format!("SELECT CAST(id AS TEXT) FROM {table} WHERE id = $1"),
                    &[Val::uuid(parent)],
                )
                .await?;
            if found.is_none() {
                let name = sync_kinds::KINDS
                    .iter()
                    .find(|k| k.table == table)
                    .map_or(table, |k| k.name);
                return Ok(Some((name, parent)));
            }
        }
        Ok(None)
    }

    /// Keeps a record that arrived but could not be written here on the list of held
    /// back records, with why (`parent`, `unstorable` or `referenced`).
    async fn hold(
        &mut self,
        kind: &Kind,
        id: Uuid,
        org: Uuid,
        reason: &str,
        parent: Option<(&str, Uuid)>,
    ) -> Result<(), StoreError> {
        let mut vals = vec![
            Val::text(kind.name),
            Val::uuid(id),
            Val::uuid(org),
            Val::text(reason),
            Val::Time(DbTime::now()),
        ];
        let parent_sql = match parent {
            Some((k, p)) => {
                vals.push(Val::text(k));
                vals.push(Val::uuid(p));
                "$6, $7"
            }
            None => "NULL, NULL",
        };
        self.tx
            .exec(
                &format!(
                    "INSERT INTO sync_held (kind, record_id, org_id, reason, held_at, parent_kind, \
                     parent_id) VALUES ($1, $2, $3, $4, $5, {parent_sql}) \
                     ON CONFLICT (kind, record_id) DO UPDATE SET reason = excluded.reason, \
                     parent_kind = excluded.parent_kind, parent_id = excluded.parent_id"
                ),
                &vals,
            )
            .await?;
        Ok(())
    }

    /// Takes a record off the list of held back records (it was written, or deleted).
    async fn unhold(&mut self, kind: &Kind, id: Uuid) -> Result<(), StoreError> {
        self.tx
            .exec(
                "DELETE FROM sync_held WHERE kind = $1 AND record_id = $2",
                &[Val::text(kind.name), Val::uuid(id)],
            )
            .await?;
        Ok(())
    }

    /// The revisions of a record with personal values opened.
    async fn load_revs(&mut self, kind: &Kind, id: Uuid) -> Result<Vec<Rev>, StoreError> {
        let rows = self
            .tx
            .rows(
                "SELECT CAST(revision_id AS TEXT), parents, CAST(instance_id AS TEXT), \
                 CAST(clock AS TEXT), fields FROM sync_revisions \
                 WHERE kind = $1 AND record_id = $2 ORDER BY seq",
                &[Val::text(kind.name), Val::uuid(id)],
            )
            .await?;
        rows.iter()
            .map(|r| {
                let mut fields: Fields =
                    serde_json::from_str(&text(r, 4)?).map_err(|_| corrupt("fields"))?;
                for (k, v) in fields.iter_mut() {
                    if let (Some(f), Some(sealed)) = (kind.field(k), v.as_ref())
                        && f.sealed
                    {
                        *v = Some(self.store.unseal(&kind.context(k, id), sealed)?);
                    }
                }
                Ok(Rev {
                    id: parse_uuid(r[0].as_ref())?,
                    parents: serde_json::from_str(&text(r, 1)?).map_err(|_| corrupt("parents"))?,
                    instance: parse_uuid(r[2].as_ref())?,
                    clock: text(r, 3)?.parse().map_err(|_| corrupt("clock"))?,
                    fields,
                })
            })
            .collect()
    }

    /// Rewrites a record from the merge of its revisions and updates its conflicts;
    /// the number of open conflicts it has then.
    async fn materialize(&mut self, kind: &Kind, id: Uuid, org: Uuid) -> Result<u64, StoreError> {
        let revs = self.load_revs(kind, id).await?;
        let merged = merge(&revs);
        let backend = self.tx.backend();
        let exists = self
            .tx
            .scalar(
                &format!(
                    "SELECT CAST({id_expr} AS TEXT) FROM {} WHERE {id_expr} = $1",
                    kind.from,
                    id_expr = kind.id_expr
                ),
                &[Val::uuid(id)],
            )
            .await?
            .is_some();
        if kind.append_only {
            // Never changed nor removed: only a creation not seen here is written.
            if !exists && !merged.deleted {
                self.append_custody(id, &merged.values).await?;
            }
            let rows = self.read_rows(kind, Some(&[id])).await?;
            match rows.into_iter().next() {
                Some((_, _, state)) => self.save_record(kind, id, org, &state, false).await?,
                None => {
                    self.save_record(kind, id, org, &Fields::new(), true)
                        .await?
                }
            }
        } else if merged.deleted {
            if exists {
                self.tx.exec("SAVEPOINT sync_delete", &[]).await?;
                let sql = format!("DELETE FROM {} WHERE id = $1", kind.table);
                match self.tx.exec(&sql, &[Val::uuid(id)]).await {
                    Ok(_) => {
                        self.tx.exec("RELEASE SAVEPOINT sync_delete", &[]).await?;
                        self.save_record(kind, id, org, &Fields::new(), true)
                            .await?;
                        self.unhold(kind, id).await?;
                    }
                    Err(_) => {
                        // Other records still refer to it (a cash transfer to a
                        // household, evidence of an incident): it stays, as it was.
                        self.tx
                            .exec("ROLLBACK TO SAVEPOINT sync_delete", &[])
                            .await?;
                        tracing::warn!(kind = kind.name, %id, "a synced deletion is kept back: other records refer to the record");
                        let rows = self.read_rows(kind, Some(&[id])).await?;
                        if let Some((_, _, state)) = rows.into_iter().next() {
                            self.save_record(kind, id, org, &state, false).await?;
                        }
                        self.hold(kind, id, org, "referenced", None).await?;
                    }
                }
            } else {
                self.save_record(kind, id, org, &Fields::new(), true)
                    .await?;
                self.unhold(kind, id).await?;
            }
        } else {
            let mut cols: Vec<(&str, Ty)> = Vec::new();
            let mut vals = Vec::new();
            for f in kind.fields {
                let Some(v) = merged.values.get(f.name) else {
                    continue;
                };
                let v = match (f.sealed, v) {
                    (true, Some(plain)) => {
                        let context = kind.context(f.name, id);
                        match self.store.seal(&context, plain) {
                            Ok(sealed) => Some(sealed),
                            // Erased here: it stays erased, whatever the merge says.
                            Err(StoreError::Crypto(CryptoError::Erased)) if exists => continue,
                            Err(StoreError::Crypto(CryptoError::Erased)) => {
                                Some(self.store.seal_tombstone(&context)?)
                            }
                            Err(e) => return Err(e),
                        }
                    }
                    _ => v.clone(),
                };
                cols.push((f.name, f.ty));
                vals.push(Val::Text(v));
            }
            let mut after = Vec::new();
            for d in kind.derived {
                match d.how {
                    Derive::IdentityHash => {
                        let derive = self.derive.as_ref().ok_or_else(|| {
                            StoreError::Invalid(
                                "households are merged only with the keyring open".into(),
                            )
                        })?;
                        let value = |k: &str| merged.values.get(k).cloned().flatten();
                        let hash = match (value("name_sealed"), value("pcode")) {
                            (Some(name), Some(pcode)) => derive.identity_hash(&name, &pcode),
                            _ => None,
                        };
                        match hash {
                            Some(h) => {
                                cols.push((d.name, Ty::Text));
                                vals.push(Val::text(h));
                            }
                            // An erased or nameless record matches nothing.
                            None if !exists => {
                                cols.push((d.name, Ty::Text));
                                vals.push(Val::text(format!("none:{id}")));
                            }
                            None => {}
                        }
                    }
                    Derive::Sql(expr) => {
                        if !exists {
                            cols.push((d.name, Ty::Text));
                            vals.push(Val::text(""));
                        }
                        after.push(format!(
                            "UPDATE {} SET {} = {expr} WHERE id = $1",
                            kind.table, d.name
                        ));
                    }
                }
            }
            let now = DbTime::now();
            let mut held = false;
            if exists {
                let mut sets: Vec<String> = cols
                    .iter()
                    .enumerate()
                    .map(|(i, (name, ty))| {
                        format!("{name} = {}", sync_kinds::write_expr(backend, i + 1, *ty))
                    })
                    .collect();
                if kind.now_cols.contains(&"updated_at") {
                    vals.push(Val::Time(now));
                    sets.push(format!("updated_at = ${}", vals.len()));
                }
                vals.push(Val::uuid(id));
                let sql = format!(
                    "UPDATE {} SET {} WHERE id = ${}",
                    kind.table,
                    sets.join(", "),
                    vals.len()
                );
                if !sets.is_empty() {
                    self.tx.exec(&sql, &vals).await?;
                }
            } else {
                let mut names = vec!["id".to_owned()];
                let mut all = vec![Val::uuid(id)];
                let mut exprs = vec!["$1".to_owned()];
                if let Some(col) = kind.org_col {
                    names.push(col.into());
                    all.push(Val::uuid(org));
                    exprs.push("$2".into());
                }
                let first = all.len();
                for (i, (name, ty)) in cols.iter().enumerate() {
                    names.push((*name).into());
                    exprs.push(sync_kinds::write_expr(backend, first + i + 1, *ty));
                }
                all.append(&mut vals);
                for c in kind.now_cols {
                    names.push((*c).into());
                    all.push(Val::Time(now));
                    exprs.push(format!("${}", all.len()));
                }
                let sql = format!(
                    "INSERT INTO {} ({}) VALUES ({})",
                    kind.table,
                    names.join(", "),
                    exprs.join(", ")
                );
                self.tx.exec("SAVEPOINT sync_insert", &[]).await?;
                if self.tx.exec(&sql, &all).await.is_err() {
                    held = true;
                    // The record it belongs to is gone here (a household deleted on this
                    // instance while a cash transfer to it was made on another): it is
                    // held back, its revisions kept, until a later revision brings it.
                    self.tx
                        .exec("ROLLBACK TO SAVEPOINT sync_insert", &[])
                        .await?;
                    tracing::warn!(kind = kind.name, %id, "a synced record is held back: it cannot be stored here");
                    self.save_record(kind, id, org, &Fields::new(), true)
                        .await?;
                    after.clear();
                    match self.missing_parent(kind, &merged.values).await? {
                        Some(parent) => self.hold(kind, id, org, "parent", Some(parent)).await?,
                        None => self.hold(kind, id, org, "unstorable", None).await?,
                    }
                } else {
                    self.tx.exec("RELEASE SAVEPOINT sync_insert", &[]).await?;
                }
            }
            if !held {
                self.unhold(kind, id).await?;
            }
            for sql in &after {
                self.tx.exec(sql, &[Val::uuid(id)]).await?;
            }
            let rows = self.read_rows(kind, Some(&[id])).await?;
            if let Some((_, _, state)) = rows.into_iter().next() {
                self.save_record(kind, id, org, &state, false).await?;
            }
        }
        // Conflicts: close those the merge no longer has, open or update the others.
        let open = self
            .tx
            .rows(
                "SELECT CAST(id AS TEXT), field FROM sync_conflicts \
                 WHERE kind = $1 AND record_id = $2 AND resolved_at IS NULL",
                &[Val::text(kind.name), Val::uuid(id)],
            )
            .await?;
        let resolution = merged.heads.last().copied().unwrap_or(id);
        let mut open_fields = HashMap::new();
        for r in &open {
            let cid = parse_uuid(r[0].as_ref())?;
            let field = text(r, 1)?;
            if merged.conflicts.iter().any(|c| c.field == field) {
                open_fields.insert(field, cid);
            } else {
                self.tx
                    .exec(
                        "UPDATE sync_conflicts SET resolved_at = $1, resolution_revision = $2 WHERE id = $3",
                        &[Val::Time(DbTime::now()), Val::uuid(resolution), Val::uuid(cid)],
                    )
                    .await?;
            }
        }
        for c in &merged.conflicts {
            let candidates =
                serde_json::to_string(&c.candidates).map_err(|_| corrupt("conflict"))?;
            match open_fields.get(&c.field) {
                Some(cid) => {
                    self.tx
                        .exec(
                            "UPDATE sync_conflicts SET candidates = $1, chosen_revision = $2 WHERE id = $3",
                            &[Val::text(candidates), Val::uuid(c.chosen), Val::uuid(*cid)],
                        )
                        .await?;
                }
                None => {
                    self.tx
                        .exec(
                            "INSERT INTO sync_conflicts (id, kind, record_id, org_id, field, candidates, \
                             chosen_revision, opened_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                            &[
                                Val::uuid(Uuid::now_v7()),
                                Val::text(kind.name),
                                Val::uuid(id),
                                Val::uuid(org),
                                Val::text(c.field.clone()),
                                Val::text(candidates),
                                Val::uuid(c.chosen),
                                Val::Time(DbTime::now()),
                            ],
                        )
                        .await?;
                }
            }
        }
        Ok(merged.conflicts.len() as u64)
    }

    /// Gives every custody event of this instance's chain that has no record id yet one
    /// (made here: this instance is its origin).
    async fn map_custody(&mut self) -> Result<(), StoreError> {
        let rows = self
            .tx
            .rows(
                "SELECT CAST(c.seq AS TEXT), c.hash FROM evidence_custody c \
                 LEFT JOIN sync_custody m ON m.local_seq = c.seq \
                 WHERE m.record_id IS NULL ORDER BY c.seq",
                &[],
            )
            .await?;
        for r in &rows {
            let seq: i64 = text(r, 0)?.parse().map_err(|_| corrupt("custody"))?;
            self.tx
                .exec(
                    "INSERT INTO sync_custody (record_id, local_seq, origin_instance, origin_seq, \
                     origin_hash) VALUES ($1, $2, $3, $4, $5)",
                    &[
                        Val::uuid(Uuid::now_v7()),
                        Val::Int(seq),
                        Val::uuid(self.instance),
                        Val::Int(seq),
                        Val::text(text(r, 1)?),
                    ],
                )
                .await?;
        }
        Ok(())
    }

    /// Appends a custody event received from another instance to this instance's
    /// chain (a new link, so the chain still verifies here) and maps it to its origin.
    async fn append_custody(&mut self, id: Uuid, v: &Fields) -> Result<(), StoreError> {
        let bad =
            || StoreError::Invalid("a custody event from the other instance is incomplete".into());
        let get = |k: &str| v.get(k).cloned().flatten();
        let evidence = get("evidence_id")
            .and_then(|s| Uuid::parse_str(&s).ok())
            .ok_or_else(bad)?;
        let event = get("event").ok_or_else(bad)?;
        let at = get("at").ok_or_else(bad)?;
        let note = get("note").unwrap_or_default();
        let origin_instance = get("origin_instance")
            .and_then(|s| Uuid::parse_str(&s).ok())
            .ok_or_else(bad)?;
        let origin_seq: i64 = get("origin_seq")
            .and_then(|s| s.parse().ok())
            .filter(|n| *n >= 1)
            .ok_or_else(bad)?;
        let origin_hash = get("origin_hash")
            .filter(|h| h.len() == 64)
            .ok_or_else(bad)?;
        let org = match get("org_id") {
            Some(name) => self.org_id(&name).await?,
            None => None,
        };
        let backend = self.tx.backend();
        if backend == crate::Backend::Postgres {
            self.tx
                .exec("LOCK TABLE evidence_custody IN EXCLUSIVE MODE", &[])
                .await?;
        }
        let last = self
            .tx
            .rows(
                "SELECT CAST(seq AS TEXT), hash FROM evidence_custody ORDER BY seq DESC LIMIT 1",
                &[],
            )
            .await?;
        let (seq, prev) = match last.first() {
            Some(r) => (
                text(r, 0)?.parse::<i64>().map_err(|_| corrupt("custody"))? + 1,
                text(r, 1)?,
            ),
            None => (1, crate::GENESIS_HASH.to_owned()),
        };
        let hash = custody_link_hash(&prev, seq, &at, evidence, &event, org, &note);
        let org_sql = if org.is_some() { "$6" } else { "NULL" };
        let mut vals = vec![
            Val::Int(seq),
            Val::uuid(evidence),
            Val::text(event),
            Val::text(at),
            Val::text(note),
        ];
        if let Some(o) = org {
            vals.push(Val::uuid(o));
        }
        vals.push(Val::text(prev));
        vals.push(Val::text(hash.clone()));
        let n = vals.len();
        let sql = format!(
            "INSERT INTO evidence_custody (seq, evidence_id, event, at, actor_id, org_id, note, \
             prev_hash, hash) VALUES ($1, $2, $3, {}, NULL, {org_sql}, $5, ${}, ${})",
            sync_kinds::write_expr(backend, 4, Ty::Time),
            n - 1,
            n
        );
        self.tx.exec(&sql, &vals).await.map_err(|_| {
            StoreError::Invalid(
                "a custody event names evidence that is not here, or is not a valid event".into(),
            )
        })?;
        self.tx
            .exec(
                "INSERT INTO sync_custody (record_id, local_seq, origin_instance, origin_seq, \
                 origin_hash) VALUES ($1, $2, $3, $4, $5)",
                &[
                    Val::uuid(id),
                    Val::Int(seq),
                    Val::uuid(origin_instance),
                    Val::Int(origin_seq),
                    Val::text(origin_hash.clone()),
                ],
            )
            .await?;
        self.custody_received.push(serde_json::json!({
            "seq": seq,
            "hash": hash,
            "origin_instance": origin_instance,
            "origin_seq": origin_seq,
            "origin_hash": origin_hash,
        }));
        Ok(())
    }

    /// Creates the reference rows of a batch that are missing here (never updates).
    async fn ensure_refs(
        &mut self,
        refs: &BTreeMap<String, Vec<RefRow>>,
    ) -> Result<(), StoreError> {
        let backend = self.tx.backend();
        for rk in REFS {
            for row in refs.get(rk.name).map(Vec::as_slice).unwrap_or_default() {
                let key = row
                    .get(rk.key)
                    .cloned()
                    .flatten()
                    .filter(|k| !k.trim().is_empty())
                    .ok_or_else(|| {
                        StoreError::Invalid(format!("a {} row has no {}", rk.name, rk.key))
                    })?;
                let found = self
                    .tx
                    .scalar(
                        &format!(
                            "SELECT CAST(id AS TEXT) FROM {} WHERE {} = $1",
                            rk.table, rk.key
                        ),
                        &[Val::text(key.clone())],
                    )
                    .await?;
                if found.is_some() {
                    continue;
                }
                let mut names = vec!["id".to_owned(), rk.key.to_owned()];
                let mut exprs = vec!["$1".to_owned(), "$2".to_owned()];
                let mut vals = vec![Val::uuid(Uuid::now_v7()), Val::text(key)];
                for (col, ty) in rk.cols {
                    let v = row.get(*col).cloned().flatten();
                    if let Some(v) = &v
                        && !sync_kinds::canonical(*ty, v)
                    {
                        return Err(StoreError::Invalid(format!(
                            "a {} row has a bad {col}",
                            rk.name
                        )));
                    }
                    vals.push(Val::Text(v));
                    names.push((*col).into());
                    exprs.push(sync_kinds::write_expr(backend, vals.len(), *ty));
                }
                for c in rk.now_cols {
                    vals.push(Val::Time(DbTime::now()));
                    names.push((*c).into());
                    exprs.push(format!("${}", vals.len()));
                }
                let sql = format!(
                    "INSERT INTO {} ({}) VALUES ({})",
                    rk.table,
                    names.join(", "),
                    exprs.join(", ")
                );
                self.tx.exec(&sql, &vals).await.map_err(|_| {
                    StoreError::Invalid(format!(
                        "a {} row from the other instance cannot be stored here",
                        rk.name
                    ))
                })?;
            }
        }
        Ok(())
    }
}

/// A link of the custody chain, computed as `crate::document_evidence` does
/// (`hash = SHA-256(prev ‖ "\n" ‖ canonical JSON)`) for an event without an account: a
/// test checks that `Store::verify_custody` accepts the links made here.
fn custody_link_hash(
    prev: &str,
    seq: i64,
    at: &str,
    evidence: Uuid,
    event: &str,
    org: Option<Uuid>,
    note: &str,
) -> String {
    use sha2::{Digest, Sha256};
    let canonical = serde_json::json!([
        seq,
        at,
        evidence.hyphenated().to_string(),
        event,
        serde_json::Value::Null,
        org.map(|o| o.hyphenated().to_string()),
        note
    ])
    .to_string();
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(b"\n");
    h.update(canonical.as_bytes());
    hex::encode(h.finalize())
}

async fn instance_id_in(tx: &mut Tx) -> Result<Uuid, StoreError> {
    let get = "SELECT value FROM settings WHERE key = $1";
    if let Some(v) = tx.scalar(get, &[Val::text(INSTANCE_SETTING)]).await? {
        return parse_uuid(Some(&v));
    }
    tx.exec(
        "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING",
        &[
            Val::text(INSTANCE_SETTING),
            Val::text(Uuid::now_v7().to_string()),
            Val::Time(DbTime::now()),
        ],
    )
    .await?;
    let v = tx.scalar(get, &[Val::text(INSTANCE_SETTING)]).await?;
    parse_uuid(v.as_ref())
}

async fn set_setting_in(tx: &mut Tx, key: &str, value: &str) -> Result<(), StoreError> {
    tx.exec(
        "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        &[Val::text(key), Val::text(value), Val::Time(DbTime::now())],
    )
    .await?;
    Ok(())
}

/// Checks a revision from another instance before anything is written.
fn check_revision(r: &Revision, scope: Option<&SyncScope>) -> Result<&'static Kind, StoreError> {
    let bad = |what: &str| StoreError::Invalid(format!("revision {}: {what}", r.revision_id));
    let kind = sync_kinds::kind(&r.kind).ok_or_else(|| bad("unknown record kind"))?;
    if let Some(s) = scope
        && !s.kinds.contains(&kind.name)
    {
        return Err(StoreError::Invalid(format!(
            "this account may not sync {} records",
            kind.name
        )));
    }
    if r.compute_hash() != r.content_hash {
        return Err(bad("the content hash does not match its content"));
    }
    if r.clock == 0 || i64::try_from(r.clock).is_err() {
        return Err(bad("the clock is out of range"));
    }
    for (k, v) in &r.fields {
        if k == DELETED {
            if !matches!(v.as_deref(), Some("0" | "1")) {
                return Err(bad("the deletion flag is not 0 or 1"));
            }
            continue;
        }
        if k == ERASED {
            if v.as_deref() != Some("1") || !kind.fields.iter().any(|f| f.sealed) {
                return Err(bad(
                    "an erasure is \"1\" and only of a record with personal fields",
                ));
            }
            continue;
        }
        if kind.is_derived(k) {
            // Sent by an older version; each receiver derives it itself.
            continue;
        }
        let f = kind.field(k).ok_or_else(|| bad("an unknown field"))?;
        if let Some(v) = v
            && !sync_kinds::canonical(f.ty, v)
        {
            return Err(bad(&format!("field {k} is not a valid value")));
        }
    }
    if r.tombstone != (r.fields.get(DELETED).cloned().flatten().as_deref() == Some("1")) {
        return Err(bad("the tombstone flag and the deletion field disagree"));
    }
    if kind.append_only && (r.tombstone || !r.parents.is_empty()) {
        return Err(bad("this kind of record is never changed or deleted"));
    }
    Ok(kind)
}

impl Store {
    /// What the household duplicate hash needs (`None` without a keyring: nothing
    /// personal can be merged then anyway).
    async fn derivation(&self) -> Result<Option<Derivation>, StoreError> {
        if self.keyring.is_none() {
            return Ok(None);
        }
        Ok(Some(Derivation {
            secret: self.network_secret().await?,
            geo: sijill_model::geo::Gazetteer::with_areas(self.imported_areas().await?),
        }))
    }

    /// The column's tombstone sealed with the key file: what a personal field of a
    /// record erased here holds when a revision of it arrives (it reads as erased).
    fn seal_tombstone(&self, context: &str) -> Result<String, StoreError> {
        let k = self.keyring.as_ref().ok_or(CryptoError::NoKeyring)?;
        Ok(k.seal(context, &Store::tombstone(context)))
    }

    /// Seals a value of a record from another instance; for a record erased here, its
    /// tombstone instead (an erased record stays erased).
    fn seal_or_tombstone(&self, context: &str, plain: &str) -> Result<String, StoreError> {
        match self.seal(context, plain) {
            Err(StoreError::Crypto(CryptoError::Erased)) => self.seal_tombstone(context),
            other => other,
        }
    }

    /// Records the erasure revisions of the synced kind stored in `table` that are not
    /// recorded yet (see `Ctx::announce_erasures`), right after an erasure, so that an
    /// erasure made where no sync runs a capture (a server) travels too.
    pub(crate) async fn sync_announce_erasures(&self, table: &str) -> Result<(), StoreError> {
        let Some(kind) = sync_kinds::KINDS.iter().copied().find(|k| k.table == table) else {
            return Ok(());
        };
        let mut ctx = Ctx::begin(self, None).await?;
        ctx.announce_erasures(kind).await?;
        ctx.commit().await
    }

    /// The display name a revision made by `actor` carries.
    async fn author_name(&self, actor: Option<UserId>) -> Result<Option<String>, StoreError> {
        Ok(match actor {
            Some(a) => self.user(a).await?.map(|u| u.display_name),
            None => None,
        })
    }

    /// This instance's id, made on first use and kept in the settings.
    pub async fn sync_instance_id(&self) -> Result<Uuid, StoreError> {
        let mut tx = Tx::write(self).await?;
        let id = instance_id_in(&mut tx).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records revisions for every synced record changed since the last capture (see
    /// the module docs); the number of revisions made. Idempotent.
    pub async fn sync_capture(&self) -> Result<u64, StoreError> {
        let derive = self.derivation().await?;
        let mut ctx = Ctx::begin(self, derive).await?;
        let mut made = 0;
        for kind in sync_kinds::KINDS {
            made += ctx.capture(kind, None).await?;
        }
        ctx.commit().await?;
        Ok(made)
    }

    /// Changes fields of a synced record (personal fields given in clear, sealed here)
    /// as one revision; the sync layer's write path for edits and for tests. Values
    /// equal to the stored ones are dropped first, so only what a person changed becomes
    /// the revision, and a form sent back unchanged writes nothing (no revision, no audit
    /// entry). Another organization's record, or one deleted here, is not found.
    pub async fn sync_edit(
        &self,
        actor: Option<UserId>,
        org: OrgId,
        kind: &str,
        id: Uuid,
        fields: &Fields,
    ) -> Result<(), StoreError> {
        let k = sync_kinds::kind(kind)
            .ok_or_else(|| StoreError::Invalid("unknown record kind".into()))?;
        for (name, v) in fields {
            let f = k.field(name).ok_or_else(|| {
                StoreError::Invalid(format!("{name} is not a synced field of {kind}"))
            })?;
            if let Some(v) = v
                && !f.sealed
                && !sync_kinds::canonical(f.ty, v)
            {
                return Err(StoreError::Invalid(format!("{name} is not a valid value")));
            }
        }
        let stored = self
            .sync_record(org, kind, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut sealed = Fields::new();
        for (name, v) in fields {
            if stored.get(name) == Some(v) {
                continue;
            }
            let sealed_v = match (k.field(name).is_some_and(|f| f.sealed), v) {
                (true, Some(plain)) => Some(self.seal(&k.context(name, id), plain)?),
                _ => v.clone(),
            };
            sealed.insert(name.clone(), sealed_v);
        }
        if sealed.is_empty() {
            return Ok(());
        }
        self.write_local(actor, org, k, id, sealed, "sync.edit")
            .await
    }

    /// The synced fields of `kind` record `id` as they are stored now, personal fields
    /// opened (an erased one reads as its tombstone); `None` when there is no such record
    /// of `org`. What an edit form shows, and what [`Store::sync_edit`] compares with.
    pub async fn sync_record(
        &self,
        org: OrgId,
        kind: &str,
        id: Uuid,
    ) -> Result<Option<Fields>, StoreError> {
        let k = sync_kinds::kind(kind)
            .ok_or_else(|| StoreError::Invalid("unknown record kind".into()))?;
        // A read-only snapshot: dropped (rolled back) once the row is read.
        let mut ctx = Ctx {
            store: self,
            tx: Tx::read(self).await?,
            instance: Uuid::nil(),
            clock: 0,
            org_names: HashMap::new(),
            derive: None,
            custody_received: Vec::new(),
            erased_tree: None,
            erased: Vec::new(),
            author: None,
        };
        let row = ctx.read_rows(k, Some(&[id])).await?.into_iter().next();
        drop(ctx);
        let Some((_, owner, mut values)) = row else {
            return Ok(None);
        };
        if owner != Uuid::from(org) {
            return Ok(None);
        }
        for (name, v) in values.iter_mut() {
            if let (Some(f), Some(sealed)) = (k.field(name), v.as_ref())
                && f.sealed
            {
                *v = Some(self.unseal(&k.context(name, id), sealed)?);
            }
        }
        Ok(Some(values))
    }

    /// The ids of `org`'s records of `kind` (what a list page may offer to edit).
    pub async fn sync_owned(&self, org: OrgId, kind: &str) -> Result<HashSet<Uuid>, StoreError> {
        let k = sync_kinds::kind(kind)
            .ok_or_else(|| StoreError::Invalid("unknown record kind".into()))?;
        let mut tx = Tx::read(self).await?;
        let sql = format!(
            "SELECT CAST({} AS TEXT) FROM {} WHERE {} = $1",
            k.id_expr, k.from, k.org_expr
        );
        let rows = tx.rows(&sql, &[Val::uuid(Uuid::from(org))]).await?;
        rows.iter().map(|r| parse_uuid(r[0].as_ref())).collect()
    }

    /// Deletes a synced record as a tombstone revision.
    pub async fn sync_delete(
        &self,
        actor: Option<UserId>,
        org: OrgId,
        kind: &str,
        id: Uuid,
    ) -> Result<(), StoreError> {
        let k = sync_kinds::kind(kind)
            .ok_or_else(|| StoreError::Invalid("unknown record kind".into()))?;
        let fields = Fields::from([(DELETED.to_owned(), Some("1".to_owned()))]);
        self.write_local(actor, org, k, id, fields, "sync.delete")
            .await
    }

    async fn write_local(
        &self,
        actor: Option<UserId>,
        org: OrgId,
        kind: &'static Kind,
        id: Uuid,
        fields: Fields,
        action: &str,
    ) -> Result<(), StoreError> {
        // Read before the write transaction opens.
        let author = self.author_name(actor).await?;
        let derive = if kind.derived.is_empty() {
            None
        } else {
            self.derivation().await?
        };
        let mut ctx = Ctx::begin(self, derive).await?;
        ctx.capture(kind, Some(&[id])).await?;
        let row = ctx
            .tx
            .rows(
                "SELECT CAST(org_id AS TEXT), CASE WHEN deleted THEN '1' ELSE '0' END \
                 FROM sync_records WHERE kind = $1 AND record_id = $2",
                &[Val::text(kind.name), Val::uuid(id)],
            )
            .await?
            .into_iter()
            .next()
            .ok_or(StoreError::NotFound)?;
        // Another organization's record, or one deleted here, is not found.
        if parse_uuid(row[0].as_ref())? != Uuid::from(org) || text(&row, 1)? == "1" {
            return Err(StoreError::NotFound);
        }
        let org_id = Uuid::from(org);
        ctx.author = author;
        ctx.local_revision(kind, id, org_id, fields.clone()).await?;
        ctx.materialize(kind, id, org_id).await?;
        ctx.commit().await?;
        self.append_audit(&AuditEntry {
            actor,
            org: Some(org),
            action: action.into(),
            entity: kind.name.into(),
            entity_id: Some(id.to_string()),
            detail: serde_json::json!({ "fields": fields.keys().collect::<Vec<_>>() }),
        })
        .await?;
        Ok(())
    }

    /// Applies revisions from another instance, all or nothing; see the module docs.
    /// `scope` (on the server: the pushing token's) refuses other organizations' records
    /// and kinds the role may not sync; `cursor` is a setting saved in the same
    /// transaction (a pull's position), so a cut connection resumes where it stopped.
    pub async fn sync_apply(
        &self,
        actor: Option<UserId>,
        batch: &Batch,
        scope: Option<&SyncScope>,
        cursor: Option<(&str, i64)>,
    ) -> Result<ApplyOutcome, StoreError> {
        let kinds: Vec<&'static Kind> = batch
            .revisions
            .iter()
            .map(|r| check_revision(r, scope))
            .collect::<Result<_, _>>()?;
        let scope_org = match scope {
            Some(s) => Some(self.org(s.org).await?.ok_or(StoreError::NotFound)?.name),
            None => None,
        };
        if let Some(name) = &scope_org
            && batch.revisions.iter().any(|r| &r.org != name)
        {
            return Err(StoreError::Invalid(
                "a revision belongs to another organization than this account's".into(),
            ));
        }
        let derive = if kinds.iter().any(|k| !k.derived.is_empty()) {
            self.derivation().await?
        } else {
            None
        };
        let mut ctx = Ctx::begin(self, derive).await?;
        ctx.ensure_refs(&batch.refs).await?;
        let mut outcome = ApplyOutcome::default();
        // What arrived, for the audit entry: counts by kind and the making instances.
        let mut arrived: BTreeMap<&str, u64> = BTreeMap::new();
        let mut instances: BTreeSet<Uuid> = BTreeSet::new();
        // Records in first-seen order with their revisions in batch order.
        let mut order: Vec<(&'static Kind, Uuid)> = Vec::new();
        let mut groups: HashMap<(&str, Uuid), Vec<&Revision>> = HashMap::new();
        for (r, k) in batch.revisions.iter().zip(&kinds) {
            let g = groups.entry((k.name, r.record_id)).or_default();
            if g.is_empty() {
                order.push((k, r.record_id));
            }
            g.push(r);
        }
        // Local changes made since the last capture are recorded before anything from
        // the other instance is applied (one pass per kind, not one per record).
        for kind in sync_kinds::KINDS {
            let ids: Vec<Uuid> = order
                .iter()
                .filter(|(k, _)| k.name == kind.name)
                .map(|(_, id)| *id)
                .collect();
            if !ids.is_empty() {
                ctx.capture(kind, Some(&ids)).await?;
            }
        }
        // Owners, histories and stored copies, looked up once per page.
        let mut owners: HashMap<(&str, Uuid), Uuid> = HashMap::new();
        let mut known: HashSet<(&str, Uuid)> = HashSet::new();
        for kind in sync_kinds::KINDS {
            let ids: Vec<Uuid> = order
                .iter()
                .filter(|(k, _)| k.name == kind.name)
                .map(|(_, id)| *id)
                .collect();
            for chunk in ids.chunks(CHUNK) {
                let vals: Vec<Val> = chunk.iter().map(|i| Val::uuid(*i)).collect();
                let sql = format!(
                    "SELECT CAST({id} AS TEXT), CAST({org} AS TEXT) FROM {from} WHERE {id} IN ({list})",
                    id = kind.id_expr,
                    org = kind.org_expr,
                    from = kind.from,
                    list = placeholders(1, chunk.len())
                );
                for r in ctx.tx.rows(&sql, &vals).await? {
                    if r[1].is_some() {
                        owners.insert(
                            (kind.name, parse_uuid(r[0].as_ref())?),
                            parse_uuid(r[1].as_ref())?,
                        );
                    }
                }
                let sql = format!(
                    "SELECT CAST(record_id AS TEXT), CAST(org_id AS TEXT) FROM sync_records \
                     WHERE kind = $1 AND record_id IN ({})",
                    placeholders(2, chunk.len())
                );
                let mut with_kind = vec![Val::text(kind.name)];
                with_kind.extend(vals);
                for r in ctx.tx.rows(&sql, &with_kind).await? {
                    let rid = parse_uuid(r[0].as_ref())?;
                    known.insert((kind.name, rid));
                    owners
                        .entry((kind.name, rid))
                        .or_insert(parse_uuid(r[1].as_ref())?);
                }
            }
        }
        let mut stored: HashMap<Uuid, String> = HashMap::new();
        let rev_ids: Vec<Uuid> = batch.revisions.iter().map(|r| r.revision_id).collect();
        for chunk in rev_ids.chunks(CHUNK) {
            let vals: Vec<Val> = chunk.iter().map(|i| Val::uuid(*i)).collect();
            let sql = format!(
                "SELECT CAST(revision_id AS TEXT), content_hash FROM sync_revisions \
                 WHERE revision_id IN ({})",
                placeholders(1, chunk.len())
            );
            for r in ctx.tx.rows(&sql, &vals).await? {
                stored.insert(parse_uuid(r[0].as_ref())?, text(&r, 1)?);
            }
        }
        let mut to_store: Vec<(Revision, Uuid)> = Vec::new();
        // Records new here whose revisions merge without conflict are written in
        // multi-row statements per kind; the others one by one.
        let mut fresh: HashMap<&str, Vec<(Uuid, Uuid, Fields)>> = HashMap::new();
        let mut slow: HashMap<&str, Vec<(Uuid, Uuid)>> = HashMap::new();
        let mut touched: Vec<(&'static Kind, Uuid)> = Vec::new();
        // Records an erasure of which arrived in this batch.
        let mut to_erase: Vec<(&'static Kind, Uuid)> = Vec::new();
        for (kind, id) in order {
            let revs = &groups[&(kind.name, id)];
            let org_name = &revs[0].org;
            if revs.iter().any(|r| &r.org != org_name) {
                return Err(StoreError::Invalid(
                    "one record's revisions name two organizations".into(),
                ));
            }
            let org = ctx.org_id(org_name).await?.ok_or_else(|| {
                StoreError::Invalid("a revision names an organization unknown here".into())
            })?;
            if let Some(owner) = owners.get(&(kind.name, id))
                && *owner != org
            {
                return Err(StoreError::Invalid(
                    "a revision names a record of another organization".into(),
                ));
            }
            let mut new = 0;
            for r in revs {
                match stored.get(&r.revision_id) {
                    Some(h) if *h == r.content_hash => outcome.already += 1,
                    Some(_) => {
                        return Err(StoreError::Invalid(format!(
                            "revision {} differs from the copy here",
                            r.revision_id
                        )));
                    }
                    None => {
                        let mut local = (*r).clone();
                        for (k, v) in local.fields.iter_mut() {
                            if let (Some(f), Some(plain)) = (kind.field(k), v.as_ref())
                                && f.sealed
                            {
                                *v = Some(self.seal_or_tombstone(&kind.context(k, id), plain)?);
                            }
                        }
                        stored.insert(r.revision_id, r.content_hash.clone());
                        if r.fields
                            .get(ERASED)
                            .is_some_and(|v| v.as_deref() == Some("1"))
                            && !to_erase.contains(&(kind, id))
                        {
                            to_erase.push((kind, id));
                        }
                        to_store.push((local, org));
                        ctx.clock = ctx.clock.max(r.clock);
                        outcome.accepted += 1;
                        *arrived.entry(kind.name).or_default() += 1;
                        instances.insert(r.instance_id);
                        new += 1;
                    }
                }
            }
            touched.push((kind, id));
            if new == 0 {
                continue;
            }
            let unseen =
                !known.contains(&(kind.name, id)) && !owners.contains_key(&(kind.name, id));
            if unseen && new == revs.len() && !kind.append_only {
                let wire: Vec<Rev> = revs
                    .iter()
                    .map(|r| Rev {
                        id: r.revision_id,
                        parents: r.parents.clone(),
                        instance: r.instance_id,
                        clock: r.clock,
                        fields: r.fields.clone(),
                    })
                    .collect();
                let merged = merge(&wire);
                if !merged.deleted && merged.conflicts.is_empty() {
                    fresh
                        .entry(kind.name)
                        .or_default()
                        .push((id, org, merged.values));
                    continue;
                }
            }
            slow.entry(kind.name).or_default().push((id, org));
        }
        ctx.insert_revisions(&to_store).await?;
        // Kind by kind, so a record is written before the records that refer to it.
        for kind in sync_kinds::KINDS {
            let mut one_by_one = slow.remove(kind.name).unwrap_or_default();
            if let Some(rows) = fresh.remove(kind.name) {
                one_by_one.splice(0..0, ctx.insert_fresh(kind, rows).await?);
            }
            for (id, org) in one_by_one {
                ctx.materialize(kind, id, org).await?;
            }
        }
        // An erasure made on another instance erases the copy here too, after the
        // record is written (so nothing sealed afterwards escapes the destroyed key).
        for (kind, id) in to_erase {
            ctx.erase_here(kind, id).await?;
        }
        for kind in sync_kinds::KINDS {
            let ids: Vec<Uuid> = touched
                .iter()
                .filter(|(k, _)| k.name == kind.name)
                .map(|(_, id)| *id)
                .collect();
            for chunk in ids.chunks(CHUNK) {
                let mut vals = vec![Val::text(kind.name)];
                vals.extend(chunk.iter().map(|i| Val::uuid(*i)));
                let sql = format!(
                    "SELECT CAST(COUNT(*) AS TEXT) FROM sync_conflicts \
                     WHERE kind = $1 AND resolved_at IS NULL AND record_id IN ({})",
                    placeholders(2, chunk.len())
                );
                let n = ctx.tx.scalar(&sql, &vals).await?;
                outcome.conflicts += n.and_then(|n| n.parse::<u64>().ok()).unwrap_or(0);
            }
        }
        if let Some((key, value)) = cursor {
            set_setting_in(&mut ctx.tx, key, &value.to_string()).await?;
        }
        let custody = std::mem::take(&mut ctx.custody_received);
        if outcome.accepted > 0 {
            // In the same transaction: the page and its audit entry commit together,
            // with one fsync.
            if ctx.tx.backend() == crate::Backend::Postgres {
                ctx.tx
                    .exec("LOCK TABLE audit_log IN EXCLUSIVE MODE", &[])
                    .await?;
            }
            let entry = AuditEntry {
                actor,
                org: scope.map(|s| s.org),
                action: "sync.apply".into(),
                entity: "sync".into(),
                entity_id: None,
                detail: serde_json::json!({
                    "accepted": outcome.accepted,
                    "already": outcome.already,
                    "conflicts": outcome.conflicts,
                    "kinds": arrived,
                    "instances": instances,
                    "custody_received": custody,
                    "erased": ctx.erased.len(),
                }),
            };
            crate::audit::append_on(ctx.tx.conn(), &entry).await?;
            // Each erasure that arrived is logged as the erasing command logs its own.
            for (name, id) in &ctx.erased {
                let fields: Vec<&str> = crate::crypto_shred::KINDS
                    .iter()
                    .find(|k| k.name == *name)
                    .map(|k| {
                        crate::crypto_shred::SEALED_COLUMNS
                            .iter()
                            .filter(|c| c.table == k.table)
                            .map(|c| c.context)
                            .collect()
                    })
                    .unwrap_or_default();
                let entry = AuditEntry {
                    actor,
                    org: scope.map(|s| s.org),
                    action: "record.erase".into(),
                    entity: (*name).into(),
                    entity_id: Some(id.hyphenated().to_string()),
                    detail: serde_json::json!({ "fields": fields, "via": "sync" }),
                };
                crate::audit::append_on(ctx.tx.conn(), &entry).await?;
            }
        }
        ctx.commit().await?;
        Ok(outcome)
    }

    /// A page of revisions after arrival position `after`, personal fields opened for
    /// the wire, with the reference rows they name.
    pub async fn sync_export(
        &self,
        filter: &ExportFilter,
        after: i64,
        limit: u32,
    ) -> Result<PullPage, StoreError> {
        let mut tx = Tx::read(self).await?;
        let mut sql = String::from(
            "SELECT CAST(s.seq AS TEXT), CAST(s.revision_id AS TEXT), s.kind, CAST(s.record_id AS TEXT), \
             o.name, s.parents, CAST(s.instance_id AS TEXT), CAST(s.clock AS TEXT), s.fields, \
             CASE WHEN s.tombstone THEN '1' ELSE '0' END, s.content_hash, s.author \
             FROM sync_revisions s JOIN organizations o ON o.id = s.org_id WHERE s.seq > $1",
        );
        let mut vals = vec![Val::Int(after)];
        if let Some(org) = filter.org {
            vals.push(Val::uuid(org.into()));
            sql.push_str(&format!(" AND s.org_id = ${}", vals.len()));
        }
        if filter.local_only {
            vals.push(Val::uuid(instance_id_in(&mut tx).await?));
            sql.push_str(&format!(" AND s.instance_id = ${}", vals.len()));
        }
        if let Some(kinds) = &filter.kinds {
            if kinds.is_empty() {
                return Ok(PullPage {
                    next_cursor: after,
                    ..PullPage::default()
                });
            }
            let mut list = Vec::new();
            for k in kinds {
                vals.push(Val::text(*k));
                list.push(format!("${}", vals.len()));
            }
            sql.push_str(&format!(" AND s.kind IN ({})", list.join(", ")));
        }
        sql.push_str(&format!(" ORDER BY s.seq LIMIT {}", limit.clamp(1, 10_000)));
        let rows = tx.rows(&sql, &vals).await?;
        let mut page = PullPage {
            next_cursor: after,
            more: rows.len() == limit.clamp(1, 10_000) as usize,
            ..PullPage::default()
        };
        let mut wanted: BTreeSet<(&'static str, String)> = BTreeSet::new();
        for r in &rows {
            page.next_cursor = text(r, 0)?.parse().map_err(|_| corrupt("seq"))?;
            let kind_name = text(r, 2)?;
            let kind = sync_kinds::kind(&kind_name).ok_or_else(|| corrupt("kind"))?;
            let record_id = parse_uuid(r[3].as_ref())?;
            let mut fields: Fields =
                serde_json::from_str(&text(r, 8)?).map_err(|_| corrupt("fields"))?;
            for (k, v) in fields.iter_mut() {
                let Some(f) = kind.field(k) else { continue };
                match (f.sealed, f.ty, v.as_ref()) {
                    (true, _, Some(sealed)) => {
                        *v = Some(self.unseal(&kind.context(k, record_id), sealed)?)
                    }
                    (_, Ty::Ref(rk), Some(key)) => {
                        wanted.insert((rk.name, key.clone()));
                    }
                    _ => {}
                }
            }
            let org = text(r, 4)?;
            wanted.insert((sync_kinds::ORG.name, org.clone()));
            page.batch.revisions.push(Revision {
                revision_id: parse_uuid(r[1].as_ref())?,
                kind: kind_name,
                record_id,
                org,
                parents: serde_json::from_str(&text(r, 5)?).map_err(|_| corrupt("parents"))?,
                instance_id: parse_uuid(r[6].as_ref())?,
                clock: text(r, 7)?.parse().map_err(|_| corrupt("clock"))?,
                fields,
                tombstone: text(r, 9)? == "1",
                content_hash: text(r, 10)?,
                author: r.get(11).cloned().flatten(),
            });
        }
        let mut refs = BTreeMap::new();
        let mut ctx_tx = tx;
        for (name, key) in wanted {
            let rk = REFS
                .iter()
                .copied()
                .find(|r| r.name == name)
                .ok_or_else(|| corrupt("ref"))?;
            collect_ref_in(&mut ctx_tx, rk, &key, &mut refs).await?;
        }
        ctx_tx.commit().await?;
        page.batch.refs = refs
            .into_iter()
            .map(|(k, m)| (k, m.into_values().collect()))
            .collect();
        Ok(page)
    }

    /// Open conflicts of `org`'s records (every organization's with `None`), with each
    /// candidate's value opened.
    pub async fn sync_conflicts(&self, org: Option<OrgId>) -> Result<Vec<Conflict>, StoreError> {
        let mut tx = Tx::read(self).await?;
        let mut sql = String::from(
            "SELECT CAST(id AS TEXT), kind, CAST(record_id AS TEXT), field, candidates, \
             CAST(chosen_revision AS TEXT) FROM sync_conflicts WHERE resolved_at IS NULL",
        );
        let mut vals = Vec::new();
        if let Some(org) = org {
            vals.push(Val::uuid(org.into()));
            sql.push_str(" AND org_id = $1");
        }
        sql.push_str(" ORDER BY opened_at, id");
        let rows = tx.rows(&sql, &vals).await?;
        let mut out = Vec::new();
        for r in &rows {
            let kind_name = text(r, 1)?;
            let kind = sync_kinds::kind(&kind_name).ok_or_else(|| corrupt("kind"))?;
            let record_id = parse_uuid(r[2].as_ref())?;
            let field = text(r, 3)?;
            let ids: Vec<Uuid> =
                serde_json::from_str(&text(r, 4)?).map_err(|_| corrupt("conflict"))?;
            let mut candidates = Vec::new();
            for rid in ids {
                let Some(c) = tx
                    .rows(
                        "SELECT CAST(instance_id AS TEXT), CAST(clock AS TEXT), fields, author FROM sync_revisions WHERE revision_id = $1",
                        &[Val::uuid(rid)],
                    )
                    .await?
                    .into_iter()
                    .next()
                else {
                    continue;
                };
                let fields: Fields =
                    serde_json::from_str(&text(&c, 2)?).map_err(|_| corrupt("fields"))?;
                let mut value = fields.get(&field).cloned().flatten();
                if field == DELETED && value.is_none() {
                    value = Some("0".into());
                }
                if let (Some(f), Some(sealed)) = (kind.field(&field), value.as_ref())
                    && f.sealed
                {
                    value = Some(self.unseal(&kind.context(&field, record_id), sealed)?);
                }
                candidates.push(Candidate {
                    made_at: crate::sync_types::made_at(rid),
                    revision_id: rid,
                    instance_id: parse_uuid(c[0].as_ref())?,
                    clock: text(&c, 1)?.parse().map_err(|_| corrupt("clock"))?,
                    value,
                    author: c.get(3).cloned().flatten(),
                });
            }
            out.push(Conflict {
                id: parse_uuid(r[0].as_ref())?,
                kind: kind_name,
                record_id,
                field,
                candidates,
                chosen: parse_uuid(r[5].as_ref())?,
            });
        }
        tx.commit().await?;
        Ok(out)
    }

    /// Resolves a conflict of `org` by keeping the value of candidate `keep`: a new
    /// revision descending from every candidate, which closes the conflict here and,
    /// once synced, everywhere.
    pub async fn sync_resolve(
        &self,
        actor: Option<UserId>,
        org: OrgId,
        conflict: Uuid,
        keep: Uuid,
    ) -> Result<(), StoreError> {
        let author = self.author_name(actor).await?;
        let derive = self.derivation().await?;
        let mut ctx = Ctx::begin(self, derive).await?;
        let row = ctx
            .tx
            .rows(
                "SELECT kind, CAST(record_id AS TEXT), field, candidates, CAST(org_id AS TEXT) \
                 FROM sync_conflicts WHERE id = $1 AND resolved_at IS NULL",
                &[Val::uuid(conflict)],
            )
            .await?
            .into_iter()
            .next()
            .ok_or(StoreError::NotFound)?;
        if parse_uuid(row[4].as_ref())? != Uuid::from(org) {
            return Err(StoreError::NotFound);
        }
        let kind = sync_kinds::kind(&text(&row, 0)?).ok_or_else(|| corrupt("kind"))?;
        let id = parse_uuid(row[1].as_ref())?;
        let field = text(&row, 2)?;
        let ids: Vec<Uuid> =
            serde_json::from_str(&text(&row, 3)?).map_err(|_| corrupt("conflict"))?;
        if !ids.contains(&keep) {
            return Err(StoreError::Invalid(
                "that revision is not one of the conflict's values".into(),
            ));
        }
        let stored = ctx
            .tx
            .scalar(
                "SELECT fields FROM sync_revisions WHERE revision_id = $1",
                &[Val::uuid(keep)],
            )
            .await?
            .ok_or_else(|| corrupt("revision"))?;
        let fields: Fields = serde_json::from_str(&stored).map_err(|_| corrupt("fields"))?;
        let value = if field == DELETED {
            Some(
                if fields.get(DELETED).cloned().flatten().as_deref() == Some("1") {
                    "1"
                } else {
                    "0"
                }
                .to_owned(),
            )
        } else {
            fields.get(&field).cloned().flatten()
        };
        ctx.capture(kind, Some(&[id])).await?;
        let org_id = Uuid::from(org);
        ctx.author = author;
        let r = ctx
            .local_revision(kind, id, org_id, Fields::from([(field.clone(), value)]))
            .await?;
        ctx.materialize(kind, id, org_id).await?;
        ctx.tx
            .exec(
                "UPDATE sync_conflicts SET resolution_revision = $1 WHERE id = $2",
                &[Val::uuid(r.revision_id), Val::uuid(conflict)],
            )
            .await?;
        if let Some(a) = actor {
            // A uuid column: bound as one (text would not do on PostgreSQL).
            ctx.tx
                .exec(
                    "UPDATE sync_conflicts SET resolved_by = $1 WHERE id = $2",
                    &[Val::uuid(a.into()), Val::uuid(conflict)],
                )
                .await?;
        }
        ctx.commit().await?;
        self.append_audit(&AuditEntry {
            actor,
            org: Some(org),
            action: "sync.resolve".into(),
            entity: kind.name.into(),
            entity_id: Some(id.to_string()),
            detail: serde_json::json!({ "field": field }),
        })
        .await?;
        Ok(())
    }

    /// Records of `org` (every organization's with `None`) that arrived by sync but are
    /// held back here, oldest first: a record whose parent is gone here, one that could
    /// not be stored, or a deletion kept back because other records refer to the record.
    pub async fn sync_held_back(&self, org: Option<OrgId>) -> Result<Vec<HeldBack>, StoreError> {
        let mut tx = Tx::read(self).await?;
        let mut sql = String::from(
            "SELECT kind, CAST(record_id AS TEXT), reason, parent_kind, CAST(parent_id AS TEXT) \
             FROM sync_held",
        );
        let mut vals = Vec::new();
        if let Some(org) = org {
            vals.push(Val::uuid(org.into()));
            sql.push_str(" WHERE org_id = $1");
        }
        sql.push_str(" ORDER BY held_at, kind, record_id");
        let rows = tx.rows(&sql, &vals).await?;
        tx.commit().await?;
        rows.iter()
            .map(|r| {
                let reason = match (
                    text(r, 2)?.as_str(),
                    r[3].clone(),
                    r.get(4).cloned().flatten(),
                ) {
                    ("parent", Some(kind), Some(id)) => HeldReason::ParentMissing {
                        kind,
                        id: parse_uuid(Some(&id))?,
                    },
                    ("referenced", _, _) => HeldReason::Referenced,
                    _ => HeldReason::Unstorable,
                };
                Ok(HeldBack {
                    kind: text(r, 0)?,
                    record_id: parse_uuid(r[1].as_ref())?,
                    reason,
                })
            })
            .collect()
    }

    /// Every synced record as stored now (personal fields opened), by kind and id: what
    /// a convergence check compares between instances.
    pub async fn sync_snapshot(&self) -> Result<BTreeMap<(String, Uuid), Fields>, StoreError> {
        let mut ctx = Ctx {
            store: self,
            tx: Tx::read(self).await?,
            instance: Uuid::nil(),
            clock: 0,
            org_names: HashMap::new(),
            derive: None,
            custody_received: Vec::new(),
            erased_tree: None,
            erased: Vec::new(),
            author: None,
        };
        let mut out = BTreeMap::new();
        for kind in sync_kinds::KINDS {
            for (id, org, mut fields) in ctx.read_rows(kind, None).await? {
                for (k, v) in fields.iter_mut() {
                    if let (Some(f), Some(sealed)) = (kind.field(k), v.as_ref())
                        && f.sealed
                    {
                        *v = Some(self.unseal(&kind.context(k, id), sealed)?);
                    }
                }
                fields.insert("_org".into(), Some(ctx.org_name(org).await?));
                out.insert((kind.name.to_owned(), id), fields);
            }
        }
        ctx.tx.commit().await?;
        Ok(out)
    }
}

async fn collect_ref_in(
    tx: &mut Tx,
    rk: &'static RefKind,
    key: &str,
    out: &mut BTreeMap<String, BTreeMap<String, RefRow>>,
) -> Result<(), StoreError> {
    if out.get(rk.name).is_some_and(|m| m.contains_key(key)) {
        return Ok(());
    }
    let mut select = format!("SELECT r0.{}", rk.key);
    for (col, ty) in rk.cols {
        select.push_str(", ");
        select.push_str(&sync_kinds::read_expr(tx.backend(), "r0", col, *ty));
    }
    let sql = format!("{select} FROM {} r0 WHERE r0.{} = $1", rk.table, rk.key);
    let Some(row) = tx.rows(&sql, &[Val::text(key)]).await?.into_iter().next() else {
        return Ok(());
    };
    let mut ref_row = RefRow::new();
    ref_row.insert(rk.key.into(), row[0].clone());
    let mut nested = Vec::new();
    for (i, (col, ty)) in rk.cols.iter().enumerate() {
        let v = row.get(i + 1).cloned().flatten();
        if let (Ty::Ref(inner), Some(k)) = (ty, &v) {
            nested.push((*inner, k.clone()));
        }
        ref_row.insert((*col).into(), v);
    }
    out.entry(rk.name.into())
        .or_default()
        .insert(key.into(), ref_row);
    for (inner, k) in nested {
        Box::pin(collect_ref_in(tx, inner, &k, out)).await?;
    }
    Ok(())
}
