//! What travels between instances: revisions, the reference rows they name, pages of a
//! pull and the answer to a push. Personal fields travel opened (only over the
//! authenticated API) and are sealed again on arrival with the receiver's key; nothing
//! here prints a field value in `Debug`.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use uuid::Uuid;

/// Field values: canonical text or null.
pub type Fields = BTreeMap<String, Option<String>>;

/// One revision of one record.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    /// Made by the instance that made the change (UUID v7).
    pub revision_id: Uuid,
    /// The record kind (`distribution`, `household`, `incident`, `evidence` …: see
    /// [`SyncScope::for_role`]).
    pub kind: String,
    /// The record's id (the same on every instance).
    pub record_id: Uuid,
    /// The name of the record's organization.
    pub org: String,
    /// The revisions this one was made on top of (the record's heads then).
    pub parents: Vec<Uuid>,
    /// The instance that made it.
    pub instance_id: Uuid,
    /// Lamport clock of the making instance.
    pub clock: u64,
    /// The changed fields (`_deleted` is `"1"` on a tombstone, `"0"` on creation).
    pub fields: Fields,
    /// A deletion.
    pub tombstone: bool,
    /// SHA-256 over the revision without personal values (see [`Revision::compute_hash`]).
    pub content_hash: String,
    /// The display name of the account that made it on its instance (an edit on the
    /// web, a resolved conflict); `None` for a change found by comparison.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
}

impl std::fmt::Debug for Revision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the values: some are personal.
        f.debug_struct("Revision")
            .field("revision_id", &self.revision_id)
            .field("kind", &self.kind)
            .field("record_id", &self.record_id)
            .field("clock", &self.clock)
            .field("fields", &self.fields.keys().collect::<Vec<_>>())
            .field("tombstone", &self.tombstone)
            .finish_non_exhaustive()
    }
}

impl Revision {
    /// The content hash: SHA-256 of a canonical JSON of every part of the revision,
    /// where a personal field contributes only its name (its value is sealed differently
    /// on every instance, and a hash of a name could be reversed by guessing).
    pub fn compute_hash(&self) -> String {
        let kind = crate::sync_kinds::kind(&self.kind);
        let fields: BTreeMap<&str, Option<&str>> = self
            .fields
            .iter()
            .map(|(k, v)| {
                let personal = kind.and_then(|kd| kd.field(k)).is_some_and(|f| f.sealed);
                (
                    k.as_str(),
                    if personal {
                        Some("(sealed)")
                    } else {
                        v.as_deref()
                    },
                )
            })
            .collect();
        let mut parents = self.parents.clone();
        parents.sort();
        let mut canonical = serde_json::json!([
            self.revision_id,
            self.kind,
            self.record_id,
            self.org,
            parents,
            self.instance_id,
            self.clock,
            fields,
            self.tombstone,
        ]);
        // Only a named revision hashes its author, so revisions made before authors
        // were kept keep their hash.
        if let (Some(a), Some(parts)) = (&self.author, canonical.as_array_mut()) {
            parts.push(serde_json::Value::String(a.clone()));
        }
        hex::encode(Sha256::digest(canonical.to_string().as_bytes()))
    }
}

/// A reference row (organization, item, campaign) by its natural key and columns.
pub type RefRow = BTreeMap<String, Option<String>>;

/// Revisions and the reference rows they name, applied all or nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Batch {
    /// In the sender's order (parents before children).
    pub revisions: Vec<Revision>,
    /// Reference rows by kind (`organization`, `item`, `campaign`).
    #[serde(default)]
    pub refs: BTreeMap<String, Vec<RefRow>>,
}

/// One page of a pull.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullPage {
    /// The revisions and their reference rows.
    #[serde(flatten)]
    pub batch: Batch,
    /// Pass as `after` to get the next page.
    pub next_cursor: i64,
    /// Whether more pages follow.
    pub more: bool,
}

/// What applying a batch did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplyOutcome {
    /// Revisions new to this instance.
    pub accepted: u64,
    /// Revisions it had already (a repeated batch).
    pub already: u64,
    /// Open conflicts on the records the batch touched, after applying it.
    pub conflicts: u64,
}

/// What a caller may sync: its organization's records of the kinds its role handles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncScope {
    /// The caller's organization.
    pub org: sijill_model::account::OrgId,
    /// Kind names the caller may read and write.
    pub kinds: Vec<&'static str>,
}

/// Kinds of the respond area (relief entry: `RESPOND_ENTRY` of the permission matrix).
pub const RESPOND_KINDS: &[&str] = &[
    "distribution",
    "household",
    "cash-transfer",
    "volunteer",
    "dialogue",
];

/// Kinds of the document area (`DOCUMENT_WRITE`; testimonies also need
/// `DOCUMENT_PERSONAL`, which every role of `DOCUMENT_WRITE` has).
pub const DOCUMENT_KINDS: &[&str] = &[
    "incident",
    "incident-source",
    "evidence",
    "custody",
    "testimony",
    "rescue-mission",
    "displacement-report",
];

impl SyncScope {
    /// The scope of a user of `org` with `role`, after the permission matrix: a sync
    /// both reads and writes, so a role syncs the kinds it may write. Field teams sync
    /// the relief records (distributions, households, cash, volunteers, dialogue);
    /// documenters the documentation (incidents with their sources, evidence and its
    /// custody, testimonies, rescue missions, displacement reports); coordinators and
    /// admins both. Analysts and viewers nothing: they do not write, so they never push,
    /// and a pull is not their way to read (testimonies in particular stay on the
    /// instances of roles that record them).
    pub fn for_role(org: sijill_model::account::OrgId, role: sijill_model::account::Role) -> Self {
        use sijill_model::account::Role;
        let kinds = match role {
            Role::Admin | Role::Coordinator => DOCUMENT_KINDS
                .iter()
                .chain(RESPOND_KINDS)
                .copied()
                .collect(),
            Role::Documenter => DOCUMENT_KINDS.to_vec(),
            Role::Field => RESPOND_KINDS.to_vec(),
            Role::Analyst | Role::Viewer => vec![],
        };
        SyncScope { org, kinds }
    }
}

/// An open conflict, with each candidate's value (personal values opened: show them
/// only to the record's organization).
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct Conflict {
    /// Its id.
    pub id: Uuid,
    /// Record kind.
    pub kind: String,
    /// Record id.
    pub record_id: Uuid,
    /// The field (`_deleted` for a deletion beside an edit).
    pub field: String,
    /// The competing revisions: id, instance, clock, value.
    pub candidates: Vec<Candidate>,
    /// The revision whose value the record shows now.
    pub chosen: Uuid,
}

impl std::fmt::Debug for Conflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Conflict")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("record_id", &self.record_id)
            .field("field", &self.field)
            .finish_non_exhaustive()
    }
}

/// One side of a conflict.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct Candidate {
    /// The revision.
    pub revision_id: Uuid,
    /// The instance that made it.
    pub instance_id: Uuid,
    /// Its clock.
    pub clock: u64,
    /// The value it wrote (`"1"` for a deletion when the field is `_deleted`).
    pub value: Option<String>,
    /// Who made it: the display name of the account on its instance, when known.
    pub author: Option<String>,
    /// When the making instance made it (to the millisecond: read from the revision id,
    /// a UUID v7 made then), by that instance's clock.
    #[serde(with = "time::serde::rfc3339::option")]
    pub made_at: Option<time::OffsetDateTime>,
}

/// The making time carried by a UUID v7 revision id.
pub(crate) fn made_at(id: Uuid) -> Option<time::OffsetDateTime> {
    let (secs, nanos) = id.get_timestamp()?.to_unix();
    let at = time::OffsetDateTime::from_unix_timestamp(i64::try_from(secs).ok()?).ok()?;
    Some(at + time::Duration::nanoseconds(i64::from(nanos)))
}

/// A record that arrived by sync but is held back on this instance (its revisions are
/// kept; a later revision that can be written takes it off the list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldBack {
    /// Record kind (`cash-transfer` …).
    pub kind: String,
    /// Record id.
    pub record_id: Uuid,
    /// Why it is held back.
    pub reason: HeldReason,
}

/// Why a synced record is held back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeldReason {
    /// It belongs to a record that is not here (deleted here meanwhile): that record's
    /// kind and id.
    ParentMissing {
        /// The kind of the missing record (`household` …).
        kind: String,
        /// Its id.
        id: Uuid,
    },
    /// It could not be stored here for another reason (a value this instance refuses).
    Unstorable,
    /// Its deletion arrived, but other records here still refer to it, so it is kept.
    Referenced,
}
