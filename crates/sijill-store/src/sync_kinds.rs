//! The record kinds that sync, described as data: table, synced columns with their
//! types, which columns are sealed personal fields, which columns refer to reference
//! rows (organizations, catalogue items, campaigns, displacement sites) that travel by
//! their natural key (name or code) because every instance made its own ids for them,
//! which columns refer to other synced records (by id: ids are UUID v7 made by the
//! application, so the same on every instance), and which columns each receiver derives
//! itself instead of receiving them.
//!
//! Columns that are not listed stay local: `created_by` and `actor_id` (accounts do not
//! sync), `import_key` (an import's idempotence key on the instance that imported),
//! `merged_into` of households, the timestamps of the row itself (set on arrival),
//! shares of a testimony with other organizations (a decision of the instance where it
//! is made) and the chain links of custody events (`prev_hash`, `hash`: every instance
//! keeps its own chain).
//!
//! **Personal fields** travel opened only inside the authenticated API and are sealed
//! again on arrival under the receiver's key tree, with the context the rest of the
//! store uses for that column (`crate::crypto_shred::SEALED_COLUMNS`), so a pulled record
//! can be erased on the receiver like one made there. A record erased on an instance
//! stays erased there: its sealed fields are never written again by a merge (sealing for
//! an erased record is refused and the column is left as it is), and it is exported
//! with the column's tombstone in place of the value.

use crate::Backend;

/// The type of a synced column; values travel as canonical text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ty {
    Text,
    Int,
    Date,
    Bool,
    /// A timestamp, as fixed-width UTC text (`2025-03-12T08:30:00.000000Z`).
    Time,
    /// A reference row, travelling by its natural key.
    Ref(&'static RefKind),
    /// The id of a synced record in this table. Written as null when the record is
    /// not here (another organization's incident that evidence was attached to); a
    /// column that cannot be null refuses the batch instead.
    Id(&'static str),
    /// A UUID that names no synced record (an instance).
    Uuid,
}

/// A reference table whose rows are created on arrival when missing (never updated).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct RefKind {
    /// Name in a batch's `refs`.
    pub name: &'static str,
    pub table: &'static str,
    /// The natural key column (unique).
    pub key: &'static str,
    pub cols: &'static [(&'static str, Ty)],
    /// NOT NULL time columns set to now on insert.
    pub now_cols: &'static [&'static str],
}

/// One synced column.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Field {
    pub name: &'static str,
    pub ty: Ty,
    /// A personal field, sealed at rest under `<table>.<context>:<record id>`.
    pub sealed: bool,
    /// The alias of the table it is read from in [`Kind::from`].
    pub src: &'static str,
}

/// How a receiver derives a column instead of receiving it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Derive {
    /// The household duplicate hash: HMAC of the opened identity (name, father's name,
    /// birth year) and the district of the p-code under this instance's own secret.
    IdentityHash,
    /// A SQL expression over the row's own columns, evaluated after each write.
    Sql(&'static str),
}

/// A column each receiver derives.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Derived {
    pub name: &'static str,
    pub how: Derive,
}

/// A kind of record that syncs.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Kind {
    /// Stable name on the wire (`distribution`, `household`, `incident` …).
    pub name: &'static str,
    /// The table the record is written to.
    pub table: &'static str,
    /// The SQL `FROM` the record is read from (the table is alias `t`).
    pub from: &'static str,
    /// The record's id among the aliases of `from`.
    pub id_expr: &'static str,
    /// The record's organization among the aliases of `from`.
    pub org_expr: &'static str,
    /// The column written with the organization when the record arrives (`None`: the
    /// organization follows from the record it belongs to).
    pub org_col: Option<&'static str>,
    pub fields: &'static [Field],
    /// Columns derived on arrival. A revision of an older version may still carry one:
    /// it is accepted and ignored.
    pub derived: &'static [Derived],
    pub now_cols: &'static [&'static str],
    /// Rows are never changed or removed (custody events): a revision must be a creation.
    pub append_only: bool,
}

pub(crate) static ORG: RefKind = RefKind {
    name: "organization",
    table: "organizations",
    key: "name",
    cols: &[
        ("name_ar", Ty::Text),
        ("kind", Ty::Text),
        ("network_member", Ty::Bool),
    ],
    now_cols: &["created_at", "updated_at"],
};

pub(crate) static ITEM: RefKind = RefKind {
    name: "item",
    table: "respond_items",
    key: "code",
    cols: &[
        ("name_en", Ty::Text),
        ("name_ar", Ty::Text),
        ("unit_en", Ty::Text),
        ("unit_ar", Ty::Text),
        ("is_cash", Ty::Bool),
    ],
    now_cols: &["created_at"],
};

pub(crate) static CAMPAIGN: RefKind = RefKind {
    name: "campaign",
    table: "respond_campaigns",
    key: "name",
    cols: &[
        ("name_ar", Ty::Text),
        ("starts_on", Ty::Date),
        ("ends_on", Ty::Date),
        ("lead_org", Ty::Ref(&ORG)),
    ],
    now_cols: &["created_at", "updated_at"],
};

/// Displacement sites are shared by the whole network and named uniquely, so two
/// instances that recorded the same camp are one site: they travel by name, beside the
/// reports that name them.
pub(crate) static SITE: RefKind = RefKind {
    name: "site",
    table: "displacement_sites",
    key: "name",
    cols: &[
        ("name_ar", Ty::Text),
        ("kind", Ty::Text),
        ("area_pcode", Ty::Text),
    ],
    now_cols: &["created_at"],
};

/// Reference kinds in the order they are created (a campaign needs its lead org).
pub(crate) static REFS: [&RefKind; 4] = [&ORG, &ITEM, &CAMPAIGN, &SITE];

const fn f(name: &'static str, ty: Ty) -> Field {
    Field {
        name,
        ty,
        sealed: false,
        src: "t",
    }
}

const fn sealed(name: &'static str) -> Field {
    Field {
        name,
        ty: Ty::Text,
        sealed: true,
        src: "t",
    }
}

/// A kind stored in one table with an `org_id` column.
const fn owned(
    name: &'static str,
    table: &'static str,
    from: &'static str,
    fields: &'static [Field],
    now_cols: &'static [&'static str],
) -> Kind {
    Kind {
        name,
        table,
        from,
        id_expr: "t.id",
        org_expr: "t.org_id",
        org_col: Some("org_id"),
        fields,
        derived: &[],
        now_cols,
        append_only: false,
    }
}

/// Distributions: every column travels as it is; the campaign and item by name/code.
pub(crate) static DISTRIBUTION: Kind = owned(
    "distribution",
    "respond_distributions",
    "respond_distributions t",
    &[
        f("campaign_id", Ty::Ref(&CAMPAIGN)),
        f("distributed_on", Ty::Date),
        f("pcode", Ty::Text),
        f("site", Ty::Text),
        f("item_id", Ty::Ref(&ITEM)),
        f("quantity", Ty::Int),
        f("households", Ty::Int),
        f("individuals", Ty::Int),
    ],
    &["created_at"],
);

/// Households: the name (with father's name and birth year) and the contact are
/// personal. The duplicate hash is not sent: each receiver recomputes it from the
/// opened identity with its own secret, so households registered on different
/// instances are compared on the server without any instance learning another's hash.
pub(crate) static HOUSEHOLD: Kind = Kind {
    derived: &[Derived {
        name: "dedup_key",
        how: Derive::IdentityHash,
    }],
    ..owned(
        "household",
        "respond_households",
        "respond_households t",
        &[
            f("pcode", Ty::Text),
            f("size", Ty::Int),
            f("females", Ty::Int),
            f("males", Ty::Int),
            f("children", Ty::Int),
            f("elderly", Ty::Int),
            f("vulnerability", Ty::Text),
            sealed("name_sealed"),
            sealed("contact_sealed"),
        ],
        &["created_at", "updated_at"],
    )
};

/// Cash transfers: no personal field of their own. The household is referred to by its
/// id (a synced household, applied before them); the duplicate hash that the 30-day
/// guard compares is copied on arrival from the receiver's copy of the household.
pub(crate) static CASH: Kind = Kind {
    derived: &[Derived {
        name: "dedup_key",
        how: Derive::Sql(
            "COALESCE((SELECT h.dedup_key FROM respond_households h \
             WHERE h.id = respond_cash_transfers.household_id), '')",
        ),
    }],
    ..owned(
        "cash-transfer",
        "respond_cash_transfers",
        "respond_cash_transfers t",
        &[
            f("household_id", Ty::Id("respond_households")),
            f("campaign_id", Ty::Ref(&CAMPAIGN)),
            f("amount_minor", Ty::Int),
            f("currency", Ty::Text),
            f("paid_on", Ty::Date),
            f("modality", Ty::Text),
        ],
        &["created_at"],
    )
};

/// Volunteers: the name is personal.
pub(crate) static VOLUNTEER: Kind = owned(
    "volunteer",
    "respond_volunteers",
    "respond_volunteers t",
    &[
        f("campaign_id", Ty::Ref(&CAMPAIGN)),
        sealed("name_sealed"),
        f("pcode", Ty::Text),
        f("skills", Ty::Text),
        f("days_active", Ty::Int),
    ],
    &["created_at"],
);

/// Dialogue sessions: the facilitators' names are personal; the counts of participants
/// and the topics, outcomes and follow-ups travel as they are.
pub(crate) static DIALOGUE: Kind = owned(
    "dialogue",
    "respond_dialogues",
    "respond_dialogues t",
    &[
        f("campaign_id", Ty::Ref(&CAMPAIGN)),
        f("held_on", Ty::Date),
        f("pcode", Ty::Text),
        sealed("facilitators_sealed"),
        f("dignitaries", Ty::Int),
        f("residents", Ty::Int),
        f("activists", Ty::Int),
        f("youth", Ty::Int),
        f("women", Ty::Int),
        f("topics", Ty::Text),
        f("outcomes", Ty::Text),
        f("follow_ups", Ty::Text),
    ],
    &["created_at"],
);

/// Incidents: no personal field.
pub(crate) static INCIDENT: Kind = owned(
    "incident",
    "incidents",
    "incidents t",
    &[
        f("occurred_on", Ty::Text),
        f("date_precision", Ty::Text),
        f("area_pcode", Ty::Text),
        f("place", Ty::Text),
        f("event_type", Ty::Text),
        f("sub_event_type", Ty::Text),
        f("summary", Ty::Text),
    ],
    &["created_at", "updated_at"],
);

/// What one source says about an incident. It has no organization of its own: it is
/// the incident's, and travels with the incident's organization.
pub(crate) static INCIDENT_SOURCE: Kind = Kind {
    name: "incident-source",
    table: "incident_sources",
    from: "incident_sources t",
    id_expr: "t.id",
    org_expr: "(SELECT p.org_id FROM incidents p WHERE p.id = t.incident_id)",
    org_col: None,
    fields: &[
        f("incident_id", Ty::Id("incidents")),
        f("position", Ty::Int),
        f("source", Ty::Text),
        f("url", Ty::Text),
        f("perpetrator", Ty::Text),
        f("target", Ty::Text),
        f("claim", Ty::Text),
    ],
    derived: &[],
    now_cols: &[],
    append_only: false,
};

/// The metadata of a piece of evidence (the file itself moves by its SHA-256, see
/// `crate::sync_evidence`). Its incident is referred to by id.
pub(crate) static EVIDENCE: Kind = owned(
    "evidence",
    "evidence",
    "evidence t",
    &[
        f("incident_id", Ty::Id("incidents")),
        f("sha256", Ty::Text),
        f("size_bytes", Ty::Int),
        f("media_type", Ty::Text),
        f("original_name", Ty::Text),
        f("origin_url", Ty::Text),
        f("captured_at", Ty::Time),
        f("capture_tool", Ty::Text),
        f("captured_by", Ty::Text),
        f("violation", Ty::Text),
        f("description", Ty::Text),
    ],
    &["created_at"],
);

/// Custody events: append-only links of each instance's hash chain. The record id and
/// the origin (instance, number and hash in that instance's chain) are kept in
/// `sync_custody`. A received event is appended to the receiver's own chain as a new
/// link (so `sijill evidence verify` holds on both sides) with the event's own time,
/// kind, note and acting organization; its origin stays in `sync_custody` and in the
/// `sync.apply` entry of the audit chain. Events belong to the evidence's organization
/// and travel with it.
pub(crate) static CUSTODY: Kind = Kind {
    name: "custody",
    table: "evidence_custody",
    from: "evidence_custody t JOIN sync_custody m ON m.local_seq = t.seq \
           JOIN evidence e ON e.id = t.evidence_id",
    id_expr: "m.record_id",
    org_expr: "e.org_id",
    org_col: None,
    fields: &[
        f("evidence_id", Ty::Id("evidence")),
        f("event", Ty::Text),
        f("at", Ty::Time),
        f("org_id", Ty::Ref(&ORG)),
        f("note", Ty::Text),
        Field {
            src: "m",
            ..f("origin_instance", Ty::Uuid)
        },
        Field {
            src: "m",
            ..f("origin_seq", Ty::Int)
        },
        Field {
            src: "m",
            ..f("origin_hash", Ty::Text)
        },
    ],
    derived: &[],
    now_cols: &[],
    append_only: true,
};

/// Testimonies: the content is personal and sealed; the consent scope travels with
/// it. Only the owning organization's instances ever hold it (the scope of a sync is
/// one organization, and only roles that may read testimonies sync them); shares with
/// other organizations stay on the instance where they were made.
pub(crate) static TESTIMONY: Kind = owned(
    "testimony",
    "testimonies",
    "testimonies t",
    &[
        f("incident_id", Ty::Id("incidents")),
        f("consent", Ty::Text),
        f("interviewer", Ty::Text),
        f("interviewed_on", Ty::Text),
        sealed("content_sealed"),
    ],
    &["created_at"],
);

/// Rescue missions: no personal field (the bodies' victim records do not sync here).
pub(crate) static RESCUE: Kind = owned(
    "rescue-mission",
    "rescue_missions",
    "rescue_missions t",
    &[
        f("team", Ty::Text),
        f("started_at", Ty::Time),
        f("area_pcode", Ty::Text),
        f("place", Ty::Text),
        f("kind", Ty::Text),
        f("rescued_alive", Ty::Int),
        f("bodies_recovered", Ty::Int),
        f("remarks", Ty::Text),
        f("handed_over_to", Ty::Text),
    ],
    &["created_at"],
);

/// Displacement reports: the site travels by name. A report made here belongs to its
/// creator's organization; one that arrived keeps its organization in `org_id`. A
/// report with neither (made without an account) does not sync.
pub(crate) static REPORT: Kind = Kind {
    org_expr: "COALESCE(t.org_id, (SELECT u.org_id FROM users u WHERE u.id = t.created_by))",
    ..owned(
        "displacement-report",
        "displacement_reports",
        "displacement_reports t",
        &[
            f("site_id", Ty::Ref(&SITE)),
            f("as_of", Ty::Text),
            f("families", Ty::Int),
            f("individuals", Ty::Int),
            f("origins", Ty::Text),
            f("needs", Ty::Text),
            f("source", Ty::Text),
        ],
        &["created_at"],
    )
};

/// Every kind that syncs, in the order a batch applies them (a record before the
/// records that refer to it).
pub(crate) static KINDS: [&Kind; 12] = [
    &INCIDENT,
    &INCIDENT_SOURCE,
    &EVIDENCE,
    &CUSTODY,
    &TESTIMONY,
    &RESCUE,
    &REPORT,
    &DISTRIBUTION,
    &HOUSEHOLD,
    &CASH,
    &VOLUNTEER,
    &DIALOGUE,
];

/// The kind named `name` on the wire.
pub(crate) fn kind(name: &str) -> Option<&'static Kind> {
    KINDS.iter().copied().find(|k| k.name == name)
}

impl Kind {
    pub(crate) fn field(&self, name: &str) -> Option<&'static Field> {
        // `fields` is 'static through the statics above.
        let fields: &'static [Field] = self.fields;
        fields.iter().find(|f| f.name == name)
    }

    pub(crate) fn is_derived(&self, name: &str) -> bool {
        self.derived.iter().any(|d| d.name == name)
    }

    /// The seal context of a personal field of record `id`: the one the area's own
    /// write path uses, so erasure and re-sealing treat a synced value like any other.
    pub(crate) fn context(&self, field: &str, id: uuid::Uuid) -> String {
        let ctx = crate::crypto_shred::SEALED_COLUMNS
            .iter()
            .find(|c| c.table == self.table && c.column == field)
            .map_or(field, |c| c.context);
        format!("{}.{}:{}", self.table, ctx, id.hyphenated())
    }
}

/// The SQL expression reading column `col` of alias `t` as canonical text.
pub(crate) fn read_expr(backend: Backend, t: &str, col: &str, ty: Ty) -> String {
    match (ty, backend) {
        (Ty::Text, _) => format!("{t}.{col}"),
        (Ty::Int, _) | (Ty::Date, _) | (Ty::Id(_), _) | (Ty::Uuid, _) => {
            format!("CAST({t}.{col} AS TEXT)")
        }
        (Ty::Time, Backend::Sqlite) => format!("{t}.{col}"),
        (Ty::Time, Backend::Postgres) => {
            format!("to_char({t}.{col} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')")
        }
        (Ty::Bool, _) => format!("CASE WHEN {t}.{col} THEN '1' ELSE '0' END"),
        (Ty::Ref(r), _) => format!(
            "(SELECT r.{key} FROM {table} r WHERE r.id = {t}.{col})",
            key = r.key,
            table = r.table
        ),
    }
}

/// The SQL expression turning text placeholder `$n` into a value of the column.
pub(crate) fn write_expr(backend: Backend, n: usize, ty: Ty) -> String {
    match (ty, backend) {
        (Ty::Text, _) => format!("${n}"),
        (Ty::Int, Backend::Sqlite) | (Ty::Bool, Backend::Sqlite) => {
            format!("CAST(${n} AS INTEGER)")
        }
        (Ty::Int, Backend::Postgres) => format!("CAST(${n} AS BIGINT)"),
        (Ty::Bool, Backend::Postgres) => format!("CAST(${n} AS BOOLEAN)"),
        (Ty::Date, Backend::Sqlite) | (Ty::Time, Backend::Sqlite) | (Ty::Uuid, Backend::Sqlite) => {
            format!("${n}")
        }
        (Ty::Uuid, Backend::Postgres) => format!("CAST(${n} AS UUID)"),
        (Ty::Date, Backend::Postgres) => format!("CAST(${n} AS DATE)"),
        (Ty::Time, Backend::Postgres) => format!("CAST(${n} AS TIMESTAMPTZ)"),
        (Ty::Id(table), Backend::Sqlite) => {
            format!("(SELECT r.id FROM {table} r WHERE r.id = ${n})")
        }
        (Ty::Id(table), Backend::Postgres) => {
            format!("(SELECT r.id FROM {table} r WHERE r.id = CAST(${n} AS UUID))")
        }
        (Ty::Ref(r), _) => format!(
            "(SELECT r.id FROM {table} r WHERE r.{key} = ${n})",
            key = r.key,
            table = r.table
        ),
    }
}

/// Whether `v` is the canonical text of a value of type `ty` (so a value read back
/// equals the value written and no spurious change is seen later).
pub(crate) fn canonical(ty: Ty, v: &str) -> bool {
    match ty {
        Ty::Text | Ty::Ref(_) => v.len() <= 20_000,
        Ty::Int => v.parse::<i64>().is_ok_and(|i| i.to_string() == v),
        Ty::Date => {
            v.len() == 10
                && time::Date::parse(v, time::macros::format_description!("[year]-[month]-[day]"))
                    .is_ok()
        }
        Ty::Time => {
            v.len() == 27
                && time::PrimitiveDateTime::parse(
                    v,
                    time::macros::format_description!(
                        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z"
                    ),
                )
                .is_ok()
        }
        Ty::Id(_) | Ty::Uuid => {
            uuid::Uuid::parse_str(v).is_ok_and(|u| u.hyphenated().to_string() == v)
        }
        Ty::Bool => v == "0" || v == "1",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_named_once_and_parents_come_first() {
        let names: Vec<&str> = KINDS.iter().map(|k| k.name).collect();
        let mut unique = names.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), names.len());
        // Every kind is in exactly one area's scope.
        let mut scoped: Vec<&str> = crate::sync_types::DOCUMENT_KINDS
            .iter()
            .chain(crate::sync_types::RESPOND_KINDS)
            .copied()
            .collect();
        scoped.sort();
        assert_eq!(scoped, unique);
        // Every synced id column points to a kind applied earlier.
        for (i, k) in KINDS.iter().enumerate() {
            for f in k.fields {
                if let Ty::Id(table) = f.ty {
                    let parent = KINDS.iter().position(|p| p.table == table);
                    assert!(parent.is_some_and(|p| p < i), "{}.{}", k.name, f.name);
                }
            }
        }
    }

    #[test]
    fn personal_fields_use_the_store_contexts() {
        let id = uuid::Uuid::nil();
        assert_eq!(
            TESTIMONY.context("content_sealed", id),
            format!("testimonies.content:{id}")
        );
        assert_eq!(
            HOUSEHOLD.context("name_sealed", id),
            format!("respond_households.name_sealed:{id}")
        );
        // Every sealed column of a synced table is synced sealed.
        for c in crate::crypto_shred::SEALED_COLUMNS {
            if let Some(k) = KINDS.iter().find(|k| k.table == c.table) {
                assert!(
                    k.field(c.column).is_some_and(|f| f.sealed),
                    "{}.{}",
                    c.table,
                    c.column
                );
            }
        }
    }

    #[test]
    fn times_and_ids_are_canonical_only_in_one_spelling() {
        assert!(canonical(Ty::Time, "2025-03-12T08:30:00.000000Z"));
        assert!(!canonical(Ty::Time, "2025-03-12T08:30:00Z"));
        assert!(!canonical(Ty::Time, "2025-03-12 08:30:00.000000+00"));
        let id = uuid::Uuid::now_v7();
        assert!(canonical(Ty::Id("incidents"), &id.to_string()));
        assert!(!canonical(
            Ty::Id("incidents"),
            &id.to_string().to_uppercase()
        ));
    }
}
