//! Households reached by relief, pseudonymous and scoped to the organization that
//! registered them, and the cash transfers paid to them.
//!
//! A household's name and contact are sealed with the keyring. Beside them the store
//! keeps a keyed hash of the normalized identity (the head's name, father's name, birth
//! year and locality): HMAC-SHA256 under a network secret, itself a sealed setting made
//! on first use. Partners registering the same household get the same hash, so each
//! sees "possibly also registered by organization X" — the other organization's id and
//! nothing of its record. Names are normalized with `sijill-names` to their
//! script-independent keys, so `محمد` and `Mohammad` hash alike.
//!
//! Every read of a household takes the caller's organization and returns only that
//! organization's rows.

use crate::db_types::{DbTime, DbUuid};
use crate::error::{StoreError, corrupt, on_write};
use crate::respond_relief::{ImportOutcome, clean_text, optional_text};
use crate::{Store, with_pool, with_write_tx};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use sijill_model::account::{OrgId, UserId};
use sijill_model::geo::PCode;
use time::Date;
use uuid::Uuid;

/// The setting holding the sealed network secret of the duplicate hash.
const SECRET_SETTING: &str = "respond.network_secret";
/// How many days apart two cash transfers to one household count as a duplicate.
pub const CASH_GUARD_DAYS: i64 = 30;

/// A vulnerability of a household (never religion, sect, ethnicity or opinion).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Vulnerability {
    /// Headed by a woman.
    FemaleHeaded,
    /// Headed by an older person.
    ElderlyHeaded,
    /// A member with a disability.
    Disability,
    /// A member with a chronic illness.
    ChronicIllness,
    /// A pregnant or breastfeeding member.
    PregnantOrLactating,
    /// A member injured in the events.
    Injured,
    /// Displaced from home.
    Displaced,
    /// A member killed or missing.
    LostMember,
}

impl Vulnerability {
    /// Every flag, in display order.
    pub const ALL: [Vulnerability; 8] = [
        Vulnerability::FemaleHeaded,
        Vulnerability::ElderlyHeaded,
        Vulnerability::Disability,
        Vulnerability::ChronicIllness,
        Vulnerability::PregnantOrLactating,
        Vulnerability::Injured,
        Vulnerability::Displaced,
        Vulnerability::LostMember,
    ];

    /// The stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            Vulnerability::FemaleHeaded => "female-headed",
            Vulnerability::ElderlyHeaded => "elderly-headed",
            Vulnerability::Disability => "disability",
            Vulnerability::ChronicIllness => "chronic-illness",
            Vulnerability::PregnantOrLactating => "pregnant-lactating",
            Vulnerability::Injured => "injured",
            Vulnerability::Displaced => "displaced",
            Vulnerability::LostMember => "lost-member",
        }
    }

    /// Parses a stored code.
    pub fn parse(s: &str) -> Option<Vulnerability> {
        Vulnerability::ALL
            .into_iter()
            .find(|v| v.as_str() == s.trim())
    }
}

/// Who a household's head is: the parts of the duplicate hash. Never logged.
#[derive(Clone, PartialEq, Eq)]
pub struct Identity {
    /// The head's name (given and family name, in any script).
    pub name: String,
    /// The head's father's name.
    pub father_name: String,
    /// The head's birth year, if known.
    pub birth_year: Option<i32>,
    /// The locality of residence (a p-code, or a place name).
    pub locality: String,
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Identity(…)")
    }
}

/// A household to register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewHousehold {
    /// Who heads it (sealed; hashed for duplicates).
    pub identity: Identity,
    /// A phone number or other contact (sealed).
    pub contact: Option<String>,
    /// Where it lives now.
    pub pcode: PCode,
    /// Members.
    pub size: u32,
    /// Female members.
    pub females: u32,
    /// Male members.
    pub males: u32,
    /// Members under 18.
    pub children: u32,
    /// Members 60 or older.
    pub elderly: u32,
    /// Vulnerabilities.
    pub vulnerability: Vec<Vulnerability>,
    /// A key from the source that makes re-imports add nothing.
    pub import_key: Option<String>,
}

/// A household as its own organization sees it.
#[derive(Clone, PartialEq, Eq, serde::Serialize)]
pub struct Household {
    /// Its id.
    pub id: Uuid,
    /// Registering organization.
    pub org: OrgId,
    /// The head's name.
    pub name: String,
    /// The head's father's name.
    pub father_name: String,
    /// The head's birth year.
    pub birth_year: Option<i32>,
    /// Contact.
    pub contact: Option<String>,
    /// Area.
    pub pcode: String,
    /// Members.
    pub size: u32,
    /// Female members.
    pub females: u32,
    /// Male members.
    pub males: u32,
    /// Members under 18.
    pub children: u32,
    /// Members 60 or older.
    pub elderly: u32,
    /// Vulnerabilities.
    pub vulnerability: Vec<Vulnerability>,
    /// The household of the same organization it was merged into.
    pub merged_into: Option<Uuid>,
    /// Other organizations that registered a household with the same identity hash
    /// (and whose match was not dismissed).
    pub also_registered_by: Vec<OrgId>,
}

impl std::fmt::Debug for Household {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Household")
            .field("id", &self.id)
            .field("org", &self.org)
            .finish_non_exhaustive()
    }
}

/// Network-wide counts of households, with no personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Reach {
    /// Households registered (merged duplicates not counted).
    pub registered: u64,
    /// Distinct identities among them: households reached once counted once.
    pub unique: u64,
    /// Identities registered by more than one organization.
    pub shared: u64,
}

/// How cash was handed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Modality {
    /// Cash in hand.
    CashInHand,
    /// Mobile money.
    MobileMoney,
    /// Voucher.
    Voucher,
    /// Bank transfer.
    Bank,
    /// Hawala agent.
    Hawala,
}

impl Modality {
    /// Every modality.
    pub const ALL: [Modality; 5] = [
        Modality::CashInHand,
        Modality::MobileMoney,
        Modality::Voucher,
        Modality::Bank,
        Modality::Hawala,
    ];

    /// The stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            Modality::CashInHand => "cash-in-hand",
            Modality::MobileMoney => "mobile-money",
            Modality::Voucher => "voucher",
            Modality::Bank => "bank",
            Modality::Hawala => "hawala",
        }
    }

    /// Parses a stored code.
    pub fn parse(s: &str) -> Option<Modality> {
        Modality::ALL.into_iter().find(|m| m.as_str() == s.trim())
    }
}

/// A cash transfer to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCashTransfer {
    /// The household paid (of the caller's organization).
    pub household: Uuid,
    /// Campaign.
    pub campaign: Option<Uuid>,
    /// Amount in the currency's minor unit (piastres, cents) — or whole units for
    /// currencies without one in use; the caller decides and stays consistent.
    pub amount: u64,
    /// ISO 4217 code (`SYP`, `USD`, `LBP`, `TRY`).
    pub currency: String,
    /// Day paid.
    pub paid_on: Date,
    /// How.
    pub modality: Modality,
    /// Pay even though the guard found an earlier payment (a deliberate second round).
    pub allow_repeat: bool,
}

/// A cash transfer as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CashTransfer {
    /// Its id.
    pub id: Uuid,
    /// Paying organization.
    pub org: OrgId,
    /// Household.
    pub household: Uuid,
    /// Campaign.
    pub campaign: Option<Uuid>,
    /// Amount.
    pub amount: u64,
    /// Currency.
    pub currency: String,
    /// Day.
    pub paid_on: Date,
    /// How.
    pub modality: Modality,
}

/// An earlier payment found by the duplicate-payment guard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct PriorPayment {
    /// Who paid it.
    pub org: OrgId,
    /// When.
    pub paid_on: Date,
}

/// The normalized identity text that is hashed.
fn identity_material(id: &Identity) -> Result<String, StoreError> {
    let keys = |s: &str| {
        sijill_names::name_tokens(s)
            .iter()
            .map(|t| t.key.as_str().to_owned())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let name = keys(&id.name);
    if name.is_empty() {
        return Err(StoreError::Invalid("the name is empty".into()));
    }
    let father = keys(&id.father_name);
    let year = id.birth_year.map(|y| y.to_string()).unwrap_or_default();
    let locality = sijill_names::fold(&id.locality).to_uppercase();
    Ok(format!("{name}|{father}|{year}|{locality}"))
}

/// The duplicate hash of an identity under `secret` (a receiver of synced households
/// recomputes it with its own secret: `crate::sync_revisions`).
pub(crate) fn identity_hash_under(secret: &[u8], id: &Identity) -> Result<String, StoreError> {
    hex_hmac(secret, &identity_material(id)?)
}

fn hex_hmac(secret: &[u8], material: &str) -> Result<String, StoreError> {
    // HMAC accepts keys of any length; the error cannot happen.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret)
        .map_err(|_| StoreError::Invalid("the network secret is unusable".into()))?;
    mac.update(material.as_bytes());
    Ok(hex::encode(mac.finalize().into_bytes()))
}

fn flags_text(v: &[Vulnerability]) -> String {
    let mut codes: Vec<&str> = Vulnerability::ALL
        .into_iter()
        .filter(|f| v.contains(f))
        .map(Vulnerability::as_str)
        .collect();
    codes.dedup();
    codes.join(",")
}

fn flags_parse(s: &str) -> Vec<Vulnerability> {
    s.split(',').filter_map(Vulnerability::parse).collect()
}

#[derive(PartialEq, serde::Serialize, serde::Deserialize)]
struct SealedIdentity {
    name: String,
    father: String,
    year: Option<i32>,
}

type HouseholdRow = (
    DbUuid,
    DbUuid,
    String,
    i64,
    i64,
    i64,
    i64,
    i64,
    String,
    String,
    Option<String>,
    Option<DbUuid>,
    String,
);

const HOUSEHOLD_COLUMNS: &str = "id, org_id, pcode, size, females, males, children, elderly, \
     vulnerability, name_sealed, contact_sealed, merged_into, dedup_key";

fn small(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

fn check_household(h: &NewHousehold) -> Result<(), StoreError> {
    if h.size == 0 {
        return Err(StoreError::Invalid(
            "the household size must be at least 1".into(),
        ));
    }
    if h.females.saturating_add(h.males) > h.size {
        return Err(StoreError::Invalid(
            "more females and males than members".into(),
        ));
    }
    if h.children.saturating_add(h.elderly) > h.size {
        return Err(StoreError::Invalid(
            "more children and elderly than members".into(),
        ));
    }
    if let Some(y) = h.identity.birth_year
        && !(1900..=2030).contains(&y)
    {
        return Err(StoreError::Invalid(
            "the birth year is not between 1900 and 2030".into(),
        ));
    }
    clean_text(&h.identity.name, "name", 200)?;
    optional_text(Some(&h.identity.father_name), "father's name", 200)?;
    optional_text(h.contact.as_deref(), "contact", 200)?;
    optional_text(h.import_key.as_deref(), "import key", 200)?;
    Ok(())
}

impl Store {
    /// The network secret of the duplicate hash, made (and sealed) on first use.
    pub(crate) async fn network_secret(&self) -> Result<Vec<u8>, StoreError> {
        const CONTEXT: &str = "settings.value:respond.network_secret";
        if let Some(sealed) = self.setting(SECRET_SETTING).await? {
            let text = self.unseal(CONTEXT, &sealed)?;
            return hex::decode(text.trim()).map_err(|_| corrupt("network secret"));
        }
        let secret: [u8; 32] = rand::random();
        let sealed = self.seal(CONTEXT, &hex::encode(secret))?;
        // Two first uses at once: the first writer wins, the other reads its value.
        with_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING",
            )
            .bind(SECRET_SETTING)
            .bind(&sealed)
            .bind(DbTime::now())
            .execute(pool)
            .await?;
        });
        let stored = self
            .setting(SECRET_SETTING)
            .await?
            .ok_or(StoreError::NotFound)?;
        let text = self.unseal(CONTEXT, &stored)?;
        hex::decode(text.trim()).map_err(|_| corrupt("network secret"))
    }

    /// The duplicate hash of an identity under this network's secret.
    pub async fn identity_hash(&self, id: &Identity) -> Result<String, StoreError> {
        let material = identity_material(id)?;
        hex_hmac(&self.network_secret().await?, &material)
    }

    /// Registers a household for `org`; see [`Store::import_households`].
    pub async fn register_household(
        &self,
        actor: Option<UserId>,
        org: OrgId,
        h: &NewHousehold,
    ) -> Result<Uuid, StoreError> {
        let (_, ids) = self
            .insert_households(actor, org, std::slice::from_ref(h))
            .await?;
        ids.first()
            .copied()
            .flatten()
            .ok_or_else(|| StoreError::Conflict("a household with this import key exists".into()))
    }

    /// Registers many households for `org` in one transaction, all or nothing; rows
    /// whose import key was imported before are left as they were.
    pub async fn import_households(
        &self,
        actor: Option<UserId>,
        org: OrgId,
        rows: &[NewHousehold],
    ) -> Result<ImportOutcome, StoreError> {
        Ok(self.insert_households(actor, org, rows).await?.0)
    }

    async fn insert_households(
        &self,
        actor: Option<UserId>,
        org: OrgId,
        rows: &[NewHousehold],
    ) -> Result<(ImportOutcome, Vec<Option<Uuid>>), StoreError> {
        for (i, h) in rows.iter().enumerate() {
            check_household(h).map_err(|e| match e {
                StoreError::Invalid(m) if rows.len() > 1 => {
                    StoreError::Invalid(format!("row {}: {m}", i + 1))
                }
                other => other,
            })?;
        }
        let secret = self.network_secret().await?;
        let mut prepared = Vec::with_capacity(rows.len());
        for h in rows {
            let id = Uuid::now_v7();
            let identity = SealedIdentity {
                name: h.identity.name.trim().to_owned(),
                father: h.identity.father_name.trim().to_owned(),
                year: h.identity.birth_year,
            };
            let json = serde_json::to_string(&identity)
                .map_err(|_| StoreError::Invalid("the name cannot be stored".into()))?;
            let name_sealed = self.seal(&format!("respond_households.name_sealed:{id}"), &json)?;
            let contact_sealed = match optional_text(h.contact.as_deref(), "contact", 200)? {
                Some(c) => Some(self.seal(&format!("respond_households.contact_sealed:{id}"), &c)?),
                None => None,
            };
            let key = hex_hmac(&secret, &identity_material(&h.identity)?)?;
            prepared.push((id, name_sealed, contact_sealed, key));
        }
        let mut outcome = ImportOutcome::default();
        let mut ids = Vec::with_capacity(rows.len());
        let now = DbTime::now();
        with_write_tx!(self, |tx| {
            for (h, (id, name, contact, key)) in rows.iter().zip(&prepared) {
                let n = sqlx::query(
                    "INSERT INTO respond_households (id, org_id, pcode, size, females, males, children, elderly, \
                     vulnerability, name_sealed, contact_sealed, dedup_key, import_key, created_by, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) \
                     ON CONFLICT (org_id, import_key) WHERE import_key IS NOT NULL DO NOTHING",
                )
                .bind(DbUuid(*id))
                .bind(DbUuid::from(org))
                .bind(h.pcode.as_str())
                .bind(i64::from(h.size))
                .bind(i64::from(h.females))
                .bind(i64::from(h.males))
                .bind(i64::from(h.children))
                .bind(i64::from(h.elderly))
                .bind(flags_text(&h.vulnerability))
                .bind(name)
                .bind(contact)
                .bind(key)
                .bind(h.import_key.as_deref().map(str::trim).filter(|k| !k.is_empty()))
                .bind(actor.map(DbUuid::from))
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(|e| on_write(e, "duplicate household", "unknown organization"))?
                .rows_affected();
                if n == 0 {
                    outcome.already_there += 1;
                    ids.push(None);
                } else {
                    outcome.added += 1;
                    ids.push(Some(*id));
                }
            }
            tx.commit().await?;
        });
        Ok((outcome, ids))
    }

    fn open_household(&self, r: HouseholdRow, also: Vec<OrgId>) -> Result<Household, StoreError> {
        let id = r.0.0;
        let json = self.unseal(&format!("respond_households.name_sealed:{id}"), &r.9)?;
        let identity: SealedIdentity =
            serde_json::from_str(&json).map_err(|_| corrupt("household name"))?;
        let contact = match &r.10 {
            Some(c) => Some(self.unseal(&format!("respond_households.contact_sealed:{id}"), c)?),
            None => None,
        };
        Ok(Household {
            id,
            org: OrgId::from_uuid(r.1.0),
            name: identity.name,
            father_name: identity.father,
            birth_year: identity.year,
            contact,
            pcode: r.2,
            size: small(r.3),
            females: small(r.4),
            males: small(r.5),
            children: small(r.6),
            elderly: small(r.7),
            vulnerability: flags_parse(&r.8),
            merged_into: r.11.map(|m| m.0),
            also_registered_by: also,
        })
    }

    /// For each household key of `org`, the other organizations holding the same key
    /// (merged rows and dismissed matches left out).
    async fn shared_keys(&self, org: OrgId) -> Result<Vec<(String, OrgId)>, StoreError> {
        let rows: Vec<(String, DbUuid)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT DISTINCT h.dedup_key, o.org_id FROM respond_households h \
                 JOIN respond_households o ON o.dedup_key = h.dedup_key AND o.org_id <> h.org_id \
                 WHERE h.org_id = $1 AND h.merged_into IS NULL AND o.merged_into IS NULL \
                 AND NOT EXISTS (SELECT 1 FROM respond_household_reviews r \
                     WHERE r.household_id = h.id AND r.other_org_id = o.org_id AND r.decision = 'different') \
                 ORDER BY h.dedup_key",
            )
            .bind(DbUuid::from(org))
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|(k, o)| (k, OrgId::from_uuid(o.0)))
            .collect())
    }

    /// The households registered by `org` (the caller's organization), newest first,
    /// opened, each with the other organizations that possibly registered it too.
    pub async fn list_households(&self, org: OrgId) -> Result<Vec<Household>, StoreError> {
        let sql = format!(
            "SELECT {HOUSEHOLD_COLUMNS} FROM respond_households WHERE org_id = $1 ORDER BY created_at DESC, id DESC"
        );
        let rows: Vec<HouseholdRow> = with_pool!(self, |pool| {
            sqlx::query_as(&sql)
                .bind(DbUuid::from(org))
                .fetch_all(pool)
                .await?
        });
        let shared = self.shared_keys(org).await?;
        rows.into_iter()
            .map(|r| {
                let also = if r.11.is_some() {
                    Vec::new()
                } else {
                    shared
                        .iter()
                        .filter(|(k, _)| *k == r.12)
                        .map(|(_, o)| *o)
                        .collect()
                };
                self.open_household(r, also)
            })
            .collect()
    }

    /// Corrects household `id` of `org` to `h` (its import key ignored). Only what changed
    /// is written, as one sync revision: the identity sealed as on registration, the
    /// contact sealed, and the duplicate hash recomputed by the sync layer. Returns
    /// whether anything changed. Checked like a registration; audited.
    pub async fn edit_household(
        &self,
        actor: Option<UserId>,
        org: OrgId,
        id: Uuid,
        h: &NewHousehold,
    ) -> Result<bool, StoreError> {
        check_household(h)?;
        let old = self.household(org, id).await?.ok_or(StoreError::NotFound)?;
        let mut fields = crate::sync_types::Fields::new();
        let mut put = |k: &str, was: String, now: String| {
            if was != now {
                fields.insert(k.to_owned(), Some(now));
            }
        };
        put("pcode", old.pcode.clone(), h.pcode.as_str().to_owned());
        put("size", old.size.to_string(), h.size.to_string());
        put("females", old.females.to_string(), h.females.to_string());
        put("males", old.males.to_string(), h.males.to_string());
        put("children", old.children.to_string(), h.children.to_string());
        put("elderly", old.elderly.to_string(), h.elderly.to_string());
        put(
            "vulnerability",
            flags_text(&old.vulnerability),
            flags_text(&h.vulnerability),
        );
        let was = SealedIdentity {
            name: old.name,
            father: old.father_name,
            year: old.birth_year,
        };
        let now = SealedIdentity {
            name: h.identity.name.trim().to_owned(),
            father: h.identity.father_name.trim().to_owned(),
            year: h.identity.birth_year,
        };
        if was != now {
            let json = serde_json::to_string(&now)
                .map_err(|_| StoreError::Invalid("the name cannot be stored".into()))?;
            fields.insert("name_sealed".into(), Some(json));
        }
        let contact = optional_text(h.contact.as_deref(), "contact", 200)?;
        if contact != old.contact {
            fields.insert("contact_sealed".into(), contact);
        }
        if fields.is_empty() {
            return Ok(false);
        }
        self.sync_edit(actor, org, "household", id, &fields).await?;
        Ok(true)
    }

    /// One household of `org`; `None` when it does not exist or belongs to another
    /// organization.
    pub async fn household(&self, org: OrgId, id: Uuid) -> Result<Option<Household>, StoreError> {
        let sql = format!(
            "SELECT {HOUSEHOLD_COLUMNS} FROM respond_households WHERE org_id = $1 AND id = $2"
        );
        let row: Option<HouseholdRow> = with_pool!(self, |pool| {
            sqlx::query_as(&sql)
                .bind(DbUuid::from(org))
                .bind(DbUuid(id))
                .fetch_optional(pool)
                .await?
        });
        let Some(r) = row else { return Ok(None) };
        let shared = self.shared_keys(org).await?;
        let also = shared
            .iter()
            .filter(|(k, _)| *k == r.12)
            .map(|(_, o)| *o)
            .collect();
        self.open_household(r, also).map(Some)
    }

    /// How many households of `org` possibly were registered by another organization.
    pub async fn count_duplicate_alerts(&self, org: OrgId) -> Result<u64, StoreError> {
        let mut keys: Vec<String> = self
            .shared_keys(org)
            .await?
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        keys.dedup();
        Ok(keys.len() as u64)
    }

    /// Records `org`'s decision on a possible cross-partner duplicate: `same` (the
    /// alert stays, as a confirmed shared household) or `different` (the alert is
    /// dismissed). Only the household's own organization may decide.
    pub async fn review_duplicate(
        &self,
        actor: Option<UserId>,
        org: OrgId,
        household: Uuid,
        other: OrgId,
        same: bool,
    ) -> Result<(), StoreError> {
        if self.household(org, household).await?.is_none() {
            return Err(StoreError::NotFound);
        }
        with_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO respond_household_reviews (household_id, other_org_id, decision, decided_by, decided_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (household_id, other_org_id) \
                 DO UPDATE SET decision = excluded.decision, decided_by = excluded.decided_by, decided_at = excluded.decided_at",
            )
            .bind(DbUuid(household))
            .bind(DbUuid::from(other))
            .bind(if same { "same" } else { "different" })
            .bind(actor.map(DbUuid::from))
            .bind(DbTime::now())
            .execute(pool)
            .await
            .map_err(|e| on_write(e, "already decided", "unknown organization"))?;
        });
        Ok(())
    }

    /// Merges household `duplicate` into `keep`, both of `org`: the duplicate stays
    /// for the record, marked as merged, and its cash transfers move to `keep`.
    pub async fn merge_households(
        &self,
        org: OrgId,
        keep: Uuid,
        duplicate: Uuid,
    ) -> Result<(), StoreError> {
        if keep == duplicate {
            return Err(StoreError::Invalid(
                "a household cannot be merged into itself".into(),
            ));
        }
        with_write_tx!(self, |tx| {
            let found: i64 = sqlx::query_scalar(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM respond_households \
                 WHERE org_id = $1 AND id IN ($2, $3) AND merged_into IS NULL",
            )
            .bind(DbUuid::from(org))
            .bind(DbUuid(keep))
            .bind(DbUuid(duplicate))
            .fetch_one(&mut *tx)
            .await?;
            if found != 2 {
                return Err(StoreError::NotFound);
            }
            sqlx::query(
                "UPDATE respond_households SET merged_into = $1, updated_at = $3 WHERE id = $2",
            )
            .bind(DbUuid(keep))
            .bind(DbUuid(duplicate))
            .bind(DbTime::now())
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "UPDATE respond_cash_transfers SET household_id = $1 WHERE household_id = $2",
            )
            .bind(DbUuid(keep))
            .bind(DbUuid(duplicate))
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Network-wide household counts (no personal data).
    pub async fn household_reach(&self) -> Result<Reach, StoreError> {
        let (registered, unique): (i64, i64) = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT CAST(COUNT(*) AS BIGINT), CAST(COUNT(DISTINCT dedup_key) AS BIGINT) \
                 FROM respond_households WHERE merged_into IS NULL",
            )
            .fetch_one(pool)
            .await?
        });
        let shared: i64 = with_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM (SELECT dedup_key FROM respond_households \
                 WHERE merged_into IS NULL GROUP BY dedup_key HAVING COUNT(DISTINCT org_id) > 1) s",
            )
            .fetch_one(pool)
            .await?
        });
        Ok(Reach {
            registered: u64::try_from(registered).unwrap_or(0),
            unique: u64::try_from(unique).unwrap_or(0),
            shared: u64::try_from(shared).unwrap_or(0),
        })
    }

    /// Households registered per area (network-wide counts, for maps and the public
    /// view).
    pub async fn households_by_area(&self) -> Result<Vec<(String, u64)>, StoreError> {
        let rows: Vec<(String, i64)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT pcode, CAST(COUNT(DISTINCT dedup_key) AS BIGINT) FROM respond_households \
                 WHERE merged_into IS NULL GROUP BY pcode ORDER BY pcode",
            )
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|(p, n)| (p, u64::try_from(n).unwrap_or(0)))
            .collect())
    }

    /// The latest earlier payment, by any organization, to a household with the same
    /// identity as `household` (of `org`) within [`CASH_GUARD_DAYS`] of `on`.
    pub async fn cash_guard(
        &self,
        org: OrgId,
        household: Uuid,
        on: Date,
    ) -> Result<Option<PriorPayment>, StoreError> {
        let key: Option<String> = with_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT dedup_key FROM respond_households WHERE org_id = $1 AND id = $2",
            )
            .bind(DbUuid::from(org))
            .bind(DbUuid(household))
            .fetch_optional(pool)
            .await?
        });
        let Some(key) = key else {
            return Err(StoreError::NotFound);
        };
        let from = on - time::Duration::days(CASH_GUARD_DAYS);
        let to = on + time::Duration::days(CASH_GUARD_DAYS);
        let row: Option<(DbUuid, Date)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT org_id, paid_on FROM respond_cash_transfers \
                 WHERE dedup_key = $1 AND paid_on >= $2 AND paid_on <= $3 ORDER BY paid_on DESC LIMIT 1",
            )
            .bind(&key)
            .bind(from)
            .bind(to)
            .fetch_optional(pool)
            .await?
        });
        Ok(row.map(|(o, d)| PriorPayment {
            org: OrgId::from_uuid(o.0),
            paid_on: d,
        }))
    }

    /// The latest payment other than `except` (the transfer being corrected), by any
    /// organization, to a household with the same identity as `household` (of `org`)
    /// within [`CASH_GUARD_DAYS`] of `on`: the guard of an edited transfer.
    pub async fn cash_guard_except(
        &self,
        org: OrgId,
        household: Uuid,
        on: Date,
        except: Uuid,
    ) -> Result<Option<PriorPayment>, StoreError> {
        let key: Option<String> = with_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT dedup_key FROM respond_households WHERE org_id = $1 AND id = $2",
            )
            .bind(DbUuid::from(org))
            .bind(DbUuid(household))
            .fetch_optional(pool)
            .await?
        });
        let Some(key) = key else {
            return Err(StoreError::NotFound);
        };
        let from = on - time::Duration::days(CASH_GUARD_DAYS);
        let to = on + time::Duration::days(CASH_GUARD_DAYS);
        let row: Option<(DbUuid, Date)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT org_id, paid_on FROM respond_cash_transfers \
                 WHERE dedup_key = $1 AND paid_on >= $2 AND paid_on <= $3 AND id <> $4 \
                 ORDER BY paid_on DESC LIMIT 1",
            )
            .bind(&key)
            .bind(from)
            .bind(to)
            .bind(DbUuid(except))
            .fetch_optional(pool)
            .await?
        });
        Ok(row.map(|(o, d)| PriorPayment {
            org: OrgId::from_uuid(o.0),
            paid_on: d,
        }))
    }

    /// Records a cash transfer by `org` to one of its households. Unless
    /// `allow_repeat`, a payment to the same identity (by any organization) within
    /// [`CASH_GUARD_DAYS`] days is refused with [`StoreError::Conflict`].
    pub async fn create_cash_transfer(
        &self,
        actor: Option<UserId>,
        org: OrgId,
        t: &NewCashTransfer,
    ) -> Result<CashTransfer, StoreError> {
        let currency = t.currency.trim().to_ascii_uppercase();
        if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
            return Err(StoreError::Invalid(
                "the currency is not a three-letter ISO code".into(),
            ));
        }
        if t.amount == 0 {
            return Err(StoreError::Invalid("the amount must be above zero".into()));
        }
        let amount = i64::try_from(t.amount)
            .map_err(|_| StoreError::Invalid("the amount is too large".into()))?;
        let id = Uuid::now_v7();
        let from = t.paid_on - time::Duration::days(CASH_GUARD_DAYS);
        let to = t.paid_on + time::Duration::days(CASH_GUARD_DAYS);
        with_write_tx!(self, |tx| {
            let key: Option<String> = sqlx::query_scalar(
                "SELECT dedup_key FROM respond_households WHERE org_id = $1 AND id = $2 AND merged_into IS NULL",
            )
            .bind(DbUuid::from(org))
            .bind(DbUuid(t.household))
            .fetch_optional(&mut *tx)
            .await?;
            let Some(key) = key else {
                return Err(StoreError::NotFound);
            };
            if !t.allow_repeat {
                let prior: i64 = sqlx::query_scalar(
                    "SELECT CAST(COUNT(*) AS BIGINT) FROM respond_cash_transfers \
                     WHERE dedup_key = $1 AND paid_on >= $2 AND paid_on <= $3",
                )
                .bind(&key)
                .bind(from)
                .bind(to)
                .fetch_one(&mut *tx)
                .await?;
                if prior > 0 {
                    return Err(StoreError::Conflict(
                        "this household was already paid within 30 days (by this or another organization)".into(),
                    ));
                }
            }
            sqlx::query(
                "INSERT INTO respond_cash_transfers (id, org_id, household_id, campaign_id, amount_minor, currency, \
                 paid_on, modality, dedup_key, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(DbUuid(id))
            .bind(DbUuid::from(org))
            .bind(DbUuid(t.household))
            .bind(t.campaign.map(DbUuid))
            .bind(amount)
            .bind(&currency)
            .bind(t.paid_on)
            .bind(t.modality.as_str())
            .bind(&key)
            .bind(actor.map(DbUuid::from))
            .bind(DbTime::now())
            .execute(&mut *tx)
            .await
            .map_err(|e| on_write(e, "duplicate transfer", "unknown campaign"))?;
            tx.commit().await?;
        });
        Ok(CashTransfer {
            id,
            org,
            household: t.household,
            campaign: t.campaign,
            amount: t.amount,
            currency,
            paid_on: t.paid_on,
            modality: t.modality,
        })
    }

    /// The cash transfers of `org`, newest first.
    pub async fn list_cash_transfers(&self, org: OrgId) -> Result<Vec<CashTransfer>, StoreError> {
        type Row = (DbUuid, DbUuid, Option<DbUuid>, i64, String, Date, String);
        let rows: Vec<Row> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, household_id, campaign_id, amount_minor, currency, paid_on, modality \
                 FROM respond_cash_transfers WHERE org_id = $1 ORDER BY paid_on DESC, id DESC",
            )
            .bind(DbUuid::from(org))
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|r| {
                Ok(CashTransfer {
                    id: r.0.0,
                    org,
                    household: r.1.0,
                    campaign: r.2.map(|c| c.0),
                    amount: u64::try_from(r.3).unwrap_or(0),
                    currency: r.4,
                    paid_on: r.5,
                    modality: Modality::parse(&r.6).ok_or_else(|| corrupt("cash modality"))?,
                })
            })
            .collect()
    }

    /// Network-wide cash totals: distinct households (identities) paid, and the sum
    /// per currency (no personal data).
    pub async fn cash_totals(&self) -> Result<(u64, Vec<(String, u64)>), StoreError> {
        let families: i64 = with_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT CAST(COUNT(DISTINCT dedup_key) AS BIGINT) FROM respond_cash_transfers",
            )
            .fetch_one(pool)
            .await?
        });
        let sums: Vec<(String, i64)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT currency, CAST(SUM(amount_minor) AS BIGINT) FROM respond_cash_transfers \
                 GROUP BY currency ORDER BY currency",
            )
            .fetch_all(pool)
            .await?
        });
        Ok((
            u64::try_from(families).unwrap_or(0),
            sums.into_iter()
                .map(|(c, n)| (c, u64::try_from(n).unwrap_or(0)))
                .collect(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(name: &str, father: &str) -> Identity {
        Identity {
            name: name.into(),
            father_name: father.into(),
            birth_year: Some(1980),
            locality: "SY0602".into(),
        }
    }

    #[test]
    fn scripts_and_spellings_share_the_material() {
        let a = identity_material(&id("محمد الحسن", "علي")).unwrap();
        let b = identity_material(&id("Mohammad al-Hasan", "Ali")).unwrap();
        let c = identity_material(&id("Muhammad Alhassan", "Aly")).unwrap();
        assert_eq!(a, b);
        assert_eq!(b, c);
        let d = identity_material(&id("Mohammad al-Hasan", "Omar")).unwrap();
        assert_ne!(a, d);
        assert!(identity_material(&id("  ", "Ali")).is_err());
    }

    #[test]
    fn the_hash_depends_on_the_secret() {
        let m = identity_material(&id("Rana", "Ali")).unwrap();
        let h = |k: &[u8]| hex_hmac(k, &m).unwrap();
        assert_eq!(h(b"k1"), h(b"k1"));
        assert_ne!(h(b"k1"), h(b"k2"));
        assert_eq!(h(b"k1").len(), 64);
    }
}
