//! Relief operations of a partner network: the item catalogue, campaigns (partners,
//! target areas, dates) and distributions, with the aggregate reports built on them
//! (the 4W matrix, campaign totals, areas without relief).
//!
//! Distributions carry no personal data, so every partner of the network may read them;
//! households, cash and volunteers (in `respond_household` and `respond_people`) are
//! scoped to the caller's organization.

use crate::db_types::{DbTime, DbUuid};
use crate::error::{StoreError, on_write};
use crate::{Store, with_pool, with_write_tx};
use sijill_model::account::{OrgId, UserId};
use sijill_model::geo::PCode;
use time::Date;
use uuid::Uuid;

/// One entry of the item catalogue.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Item {
    /// Its id.
    pub id: Uuid,
    /// A stable code (`food-basket`, `bread`, `cash` …).
    pub code: String,
    /// English name.
    pub name_en: String,
    /// Arabic name.
    pub name_ar: String,
    /// The unit a quantity counts, in English (`basket`, `loaf`, `family`).
    pub unit_en: String,
    /// The unit in Arabic.
    pub unit_ar: String,
    /// Whether the item is cash assistance (its quantity counts families paid).
    pub is_cash: bool,
}

/// A campaign: partners working in target areas over a span of days.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Campaign {
    /// Its id.
    pub id: Uuid,
    /// Name (Latin script or any).
    pub name: String,
    /// Arabic name.
    pub name_ar: Option<String>,
    /// First day.
    pub starts_on: Date,
    /// Last day.
    pub ends_on: Date,
    /// The organization that coordinates it.
    pub lead_org: OrgId,
    /// The partner organizations (the lead included).
    pub partners: Vec<OrgId>,
    /// Target areas (p-codes).
    pub areas: Vec<String>,
}

/// A campaign to record.
#[derive(Debug, Clone)]
pub struct NewCampaign {
    /// Name.
    pub name: String,
    /// Arabic name.
    pub name_ar: Option<String>,
    /// First day.
    pub starts_on: Date,
    /// Last day.
    pub ends_on: Date,
    /// Coordinating organization.
    pub lead_org: OrgId,
    /// Partners (the lead is added if missing).
    pub partners: Vec<OrgId>,
    /// Target areas.
    pub areas: Vec<PCode>,
}

/// A distribution to record: what one organization gave where on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDistribution {
    /// The campaign it belongs to, if any.
    pub campaign: Option<Uuid>,
    /// The day.
    pub on: Date,
    /// The area.
    pub pcode: PCode,
    /// A site inside the area (a school, a mosque, a square), if named.
    pub site: Option<String>,
    /// The item's id.
    pub item: Uuid,
    /// How many units.
    pub quantity: u64,
    /// Households reached.
    pub households: u64,
    /// Individuals reached.
    pub individuals: u64,
    /// A key from the source (a form submission's `_uuid`) that makes re-imports add
    /// nothing.
    pub import_key: Option<String>,
}

/// A distribution as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Distribution {
    /// Its id.
    pub id: Uuid,
    /// Campaign.
    pub campaign: Option<Uuid>,
    /// Distributing organization.
    pub org: OrgId,
    /// Day.
    pub on: Date,
    /// Area.
    pub pcode: String,
    /// Site.
    pub site: Option<String>,
    /// Item id.
    pub item: Uuid,
    /// Units.
    pub quantity: u64,
    /// Households reached.
    pub households: u64,
    /// Individuals reached.
    pub individuals: u64,
}

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct ImportOutcome {
    /// Rows added.
    pub added: u64,
    /// Rows already there from an earlier import (same import key), left as they were.
    pub already_there: u64,
}

/// One cell of the 4W matrix: who gave what, where, when.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FourW {
    /// Who.
    pub org: OrgId,
    /// Where.
    pub pcode: String,
    /// What (item id).
    pub item: Uuid,
    /// When.
    pub on: Date,
    /// Units.
    pub quantity: u64,
    /// Households reached.
    pub households: u64,
    /// Individuals reached.
    pub individuals: u64,
    /// Number of distributions summed.
    pub distributions: u64,
}

/// Which distributions a 4W view covers. Every part left empty means "all".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FourWFilter {
    /// One campaign.
    pub campaign: Option<Uuid>,
    /// One organization.
    pub org: Option<OrgId>,
    /// The area codes to keep (an area and the areas within it); empty keeps all.
    pub pcodes: Vec<String>,
    /// One item.
    pub item: Option<Uuid>,
    /// The first day kept.
    pub from: Option<Date>,
    /// The last day kept.
    pub to: Option<Date>,
}

/// Sums over some distributions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct FourWSum {
    /// Units (meaningful per item only: items count different units).
    pub quantity: u64,
    /// Households reached.
    pub households: u64,
    /// Individuals reached.
    pub individuals: u64,
    /// Number of distributions.
    pub distributions: u64,
}

impl FourWSum {
    fn add(&mut self, o: &FourWSum) {
        self.quantity += o.quantity;
        self.households += o.households;
        self.individuals += o.individuals;
        self.distributions += o.distributions;
    }
}

/// One row of the 4W summary: what one organization gave of one item in one area, over
/// every day the filter keeps.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FourWCell {
    /// Who.
    pub org: OrgId,
    /// Where.
    pub pcode: String,
    /// What (item id).
    pub item: Uuid,
    /// The sums.
    pub sum: FourWSum,
}

/// The 4W summary by organization × area × item, with its totals.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct FourWSummary {
    /// The rows, by organization, area and item.
    pub cells: Vec<FourWCell>,
    /// Totals per organization, in the order of `cells`.
    pub by_org: Vec<(OrgId, FourWSum)>,
    /// Totals per item, in order of first appearance in `cells`.
    pub by_item: Vec<(Uuid, FourWSum)>,
    /// The grand total.
    pub total: FourWSum,
}

/// One page of the 4W by day.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct FourWDays {
    /// The rows of the page, in day, area, item, organization order.
    pub rows: Vec<FourW>,
    /// How many rows the filter keeps over all pages.
    pub total_rows: u64,
}

/// The filter as SQL over `respond_4w_days` (`WHERE …`), its parameters bound by
/// [`bind_filter`] from `$1`; the next free parameter number.
fn filter_sql(f: &FourWFilter) -> (String, usize) {
    let mut sql = String::from(
        " WHERE ($1 IS NULL OR campaign_key = $1) AND ($2 IS NULL OR org_id = $2) \
         AND ($3 IS NULL OR item_id = $3) AND ($4 IS NULL OR distributed_on >= $4) \
         AND ($5 IS NULL OR distributed_on <= $5)",
    );
    let mut next = 6;
    if !f.pcodes.is_empty() {
        let marks: Vec<String> = (0..f.pcodes.len())
            .map(|i| format!("${}", next + i))
            .collect();
        sql.push_str(&format!(" AND pcode IN ({})", marks.join(", ")));
        next += f.pcodes.len();
    }
    (sql, next)
}

/// Binds the parameters of [`filter_sql`] to the query `$q`, in order.
macro_rules! bind_filter {
    ($q:expr, $f:expr) => {{
        let mut q = $q
            .bind($f.campaign.map(|c| c.to_string()))
            .bind($f.org.map(DbUuid::from))
            .bind($f.item.map(DbUuid))
            .bind($f.from)
            .bind($f.to);
        for p in &$f.pcodes {
            q = q.bind(p.as_str());
        }
        q
    }};
}

type DayRow = (DbUuid, String, DbUuid, Date, i64, i64, i64, i64);

fn day_from_row(r: DayRow) -> FourW {
    FourW {
        org: OrgId::from_uuid(r.0.0),
        pcode: r.1,
        item: r.2.0,
        on: r.3,
        quantity: count(r.4),
        households: count(r.5),
        individuals: count(r.6),
        distributions: count(r.7),
    }
}

/// Per-item totals of a campaign (or of everything).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ItemTotal {
    /// Item id.
    pub item: Uuid,
    /// Units.
    pub quantity: u64,
    /// Households reached.
    pub households: u64,
    /// Individuals reached.
    pub individuals: u64,
}

/// An area that needs relief and got none.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Gap {
    /// The area.
    pub pcode: String,
    /// Why it needs relief: `target` (a campaign target area), `incident`,
    /// `displacement`.
    pub reasons: Vec<&'static str>,
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

fn signed(n: u64, what: &str) -> Result<i64, StoreError> {
    i64::try_from(n).map_err(|_| StoreError::Invalid(format!("the {what} is too large")))
}

pub(crate) fn clean_text(s: &str, what: &str, max: usize) -> Result<String, StoreError> {
    let s = s.trim();
    if s.is_empty() {
        return Err(StoreError::Invalid(format!("the {what} is empty")));
    }
    if s.chars().count() > max || s.chars().any(|c| c.is_control() && c != '\n') {
        return Err(StoreError::Invalid(format!(
            "the {what} is longer than {max} characters or has control characters"
        )));
    }
    Ok(s.to_owned())
}

pub(crate) fn optional_text(
    s: Option<&str>,
    what: &str,
    max: usize,
) -> Result<Option<String>, StoreError> {
    match s.map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => clean_text(s, what, max).map(Some),
    }
}

type ItemRow = (DbUuid, String, String, String, String, String, bool);

type DistRow = (
    DbUuid,
    Option<DbUuid>,
    DbUuid,
    Date,
    String,
    Option<String>,
    DbUuid,
    i64,
    i64,
    i64,
);

fn dist_from_row(r: DistRow) -> Distribution {
    Distribution {
        id: r.0.0,
        campaign: r.1.map(|c| c.0),
        org: OrgId::from_uuid(r.2.0),
        on: r.3,
        pcode: r.4,
        site: r.5,
        item: r.6.0,
        quantity: count(r.7),
        households: count(r.8),
        individuals: count(r.9),
    }
}

const INSERT_DISTRIBUTION: &str = "INSERT INTO respond_distributions \
     (id, campaign_id, org_id, distributed_on, pcode, site, item_id, quantity, households, individuals, import_key, created_by, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
     ON CONFLICT (org_id, import_key) WHERE import_key IS NOT NULL DO NOTHING";

struct DistValues {
    site: Option<String>,
    quantity: i64,
    households: i64,
    individuals: i64,
    import_key: Option<String>,
}

fn check_distribution(d: &NewDistribution) -> Result<DistValues, StoreError> {
    if d.quantity == 0 {
        return Err(StoreError::Invalid(
            "the quantity must be at least 1".into(),
        ));
    }
    Ok(DistValues {
        site: optional_text(d.site.as_deref(), "site", 200)?,
        quantity: signed(d.quantity, "quantity")?,
        households: signed(d.households, "number of households")?,
        individuals: signed(d.individuals, "number of individuals")?,
        import_key: optional_text(d.import_key.as_deref(), "import key", 200)?,
    })
}

impl Store {
    /// The item catalogue, cash last, then by English name.
    pub async fn list_items(&self) -> Result<Vec<Item>, StoreError> {
        let rows: Vec<ItemRow> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, code, name_en, name_ar, unit_en, unit_ar, is_cash FROM respond_items \
                 ORDER BY is_cash, id",
            )
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|r| Item {
                id: r.0.0,
                code: r.1,
                name_en: r.2,
                name_ar: r.3,
                unit_en: r.4,
                unit_ar: r.5,
                is_cash: r.6,
            })
            .collect())
    }

    /// Adds an item to the catalogue. A code already taken is [`StoreError::Conflict`].
    pub async fn create_item(
        &self,
        code: &str,
        names: (&str, &str),
        units: (&str, &str),
        is_cash: bool,
    ) -> Result<Item, StoreError> {
        let code = clean_text(code, "item code", 60)?.to_ascii_lowercase();
        if !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(StoreError::Invalid(
                "the item code may hold only letters, digits, - and _".into(),
            ));
        }
        let item = Item {
            id: Uuid::now_v7(),
            code,
            name_en: clean_text(names.0, "item name", 100)?,
            name_ar: clean_text(names.1, "Arabic item name", 100)?,
            unit_en: clean_text(units.0, "unit", 40)?,
            unit_ar: clean_text(units.1, "Arabic unit", 40)?,
            is_cash,
        };
        with_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO respond_items (id, code, name_en, name_ar, unit_en, unit_ar, is_cash, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(DbUuid(item.id))
            .bind(&item.code)
            .bind(&item.name_en)
            .bind(&item.name_ar)
            .bind(&item.unit_en)
            .bind(&item.unit_ar)
            .bind(item.is_cash)
            .bind(DbTime::now())
            .execute(pool)
            .await
            .map(|_| ())
        })
        .map_err(|e| on_write(e, "an item with this code already exists", "invalid item"))?;
        Ok(item)
    }

    /// Records a campaign with its partners and target areas.
    pub async fn create_campaign(&self, new: &NewCampaign) -> Result<Campaign, StoreError> {
        let name = clean_text(&new.name, "campaign name", 200)?;
        let name_ar = optional_text(new.name_ar.as_deref(), "Arabic campaign name", 200)?;
        if new.ends_on < new.starts_on {
            return Err(StoreError::Invalid(
                "the campaign ends before it starts".into(),
            ));
        }
        let mut partners = vec![new.lead_org];
        for p in &new.partners {
            if !partners.contains(p) {
                partners.push(*p);
            }
        }
        let mut areas: Vec<String> = Vec::new();
        for a in &new.areas {
            if !areas.iter().any(|x| x == a.as_str()) {
                areas.push(a.as_str().to_owned());
            }
        }
        let id = Uuid::now_v7();
        let now = DbTime::now();
        with_write_tx!(self, |tx| {
            sqlx::query(
                "INSERT INTO respond_campaigns (id, name, name_ar, starts_on, ends_on, lead_org, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
            )
            .bind(DbUuid(id))
            .bind(&name)
            .bind(&name_ar)
            .bind(new.starts_on)
            .bind(new.ends_on)
            .bind(DbUuid::from(new.lead_org))
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(|e| {
                on_write(
                    e,
                    "a campaign with this name already exists",
                    "unknown lead organization",
                )
            })?;
            for p in &partners {
                sqlx::query(
                    "INSERT INTO respond_campaign_partners (campaign_id, org_id) VALUES ($1, $2)",
                )
                .bind(DbUuid(id))
                .bind(DbUuid::from(*p))
                .execute(&mut *tx)
                .await
                .map_err(|e| on_write(e, "partner listed twice", "unknown partner organization"))?;
            }
            for a in &areas {
                sqlx::query(
                    "INSERT INTO respond_campaign_areas (campaign_id, pcode) VALUES ($1, $2)",
                )
                .bind(DbUuid(id))
                .bind(a)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
        });
        Ok(Campaign {
            id,
            name,
            name_ar,
            starts_on: new.starts_on,
            ends_on: new.ends_on,
            lead_org: new.lead_org,
            partners,
            areas,
        })
    }

    /// Every campaign, newest first, with partners and areas.
    pub async fn list_campaigns(&self) -> Result<Vec<Campaign>, StoreError> {
        type Row = (DbUuid, String, Option<String>, Date, Date, DbUuid);
        let rows: Vec<Row> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, name, name_ar, starts_on, ends_on, lead_org FROM respond_campaigns \
                 ORDER BY starts_on DESC, name",
            )
            .fetch_all(pool)
            .await?
        });
        let partners: Vec<(DbUuid, DbUuid)> = with_pool!(self, |pool| {
            sqlx::query_as("SELECT campaign_id, org_id FROM respond_campaign_partners")
                .fetch_all(pool)
                .await?
        });
        let areas: Vec<(DbUuid, String)> = with_pool!(self, |pool| {
            sqlx::query_as("SELECT campaign_id, pcode FROM respond_campaign_areas ORDER BY pcode")
                .fetch_all(pool)
                .await?
        });
        Ok(rows
            .into_iter()
            .map(|r| {
                let id = r.0.0;
                let lead = OrgId::from_uuid(r.5.0);
                let mut ps: Vec<OrgId> = vec![lead];
                ps.extend(
                    partners
                        .iter()
                        .filter(|(c, o)| c.0 == id && o.0 != lead.as_uuid())
                        .map(|(_, o)| OrgId::from_uuid(o.0)),
                );
                Campaign {
                    id,
                    name: r.1,
                    name_ar: r.2,
                    starts_on: r.3,
                    ends_on: r.4,
                    lead_org: lead,
                    partners: ps,
                    areas: areas
                        .iter()
                        .filter(|(c, _)| c.0 == id)
                        .map(|(_, a)| a.clone())
                        .collect(),
                }
            })
            .collect())
    }

    /// The campaign with this id.
    pub async fn campaign(&self, id: Uuid) -> Result<Option<Campaign>, StoreError> {
        Ok(self
            .list_campaigns()
            .await?
            .into_iter()
            .find(|c| c.id == id))
    }

    /// Records one distribution by `org`.
    pub async fn create_distribution(
        &self,
        actor: Option<UserId>,
        org: OrgId,
        d: &NewDistribution,
    ) -> Result<Distribution, StoreError> {
        let (_, ids) = self
            .insert_distributions(actor, org, std::slice::from_ref(d))
            .await?;
        let Some(Some(id)) = ids.first().copied() else {
            return Err(StoreError::Conflict(
                "a distribution with this import key already exists".into(),
            ));
        };
        Ok(Distribution {
            id,
            campaign: d.campaign,
            org,
            on: d.on,
            pcode: d.pcode.as_str().to_owned(),
            site: optional_text(d.site.as_deref(), "site", 200)?,
            item: d.item,
            quantity: d.quantity,
            households: d.households,
            individuals: d.individuals,
        })
    }

    /// Records one distribution by `org` and appends `audit` for it (its entity id set to
    /// the new distribution's id): both or neither, and concurrent calls share one commit
    /// (see `group_commit`), each returning only once that commit is done. On in-memory
    /// SQLite, or with group commit switched off, the two writes run one after the other.
    pub async fn create_distribution_audited(
        &self,
        actor: Option<UserId>,
        org: OrgId,
        d: &NewDistribution,
        mut audit: crate::AuditEntry,
    ) -> Result<Distribution, StoreError> {
        let v = check_distribution(d)?;
        let Some(writer) = crate::group_commit::writer(&self.pool) else {
            let made = self.create_distribution(actor, org, d).await?;
            audit.entity_id = Some(made.id.to_string());
            self.append_audit(&audit).await?;
            return Ok(made);
        };
        let id = Uuid::now_v7();
        audit.entity_id = Some(id.to_string());
        let now = DbTime::now();
        let new = d.clone();
        let bound = (
            v.site.clone(),
            v.quantity,
            v.households,
            v.individuals,
            v.import_key,
        );
        writer
            .write(move |conn| {
                Box::pin(async move {
                    let (site, quantity, households, individuals, import_key) = bound;
                    // The same insert on either backend's connection.
                    macro_rules! insert {
                        ($c:expr) => {
                            let n = sqlx::query(INSERT_DISTRIBUTION)
                                .bind(DbUuid(id))
                                .bind(new.campaign.map(DbUuid))
                                .bind(DbUuid::from(org))
                                .bind(new.on)
                                .bind(new.pcode.as_str())
                                .bind(&site)
                                .bind(DbUuid(new.item))
                                .bind(quantity)
                                .bind(households)
                                .bind(individuals)
                                .bind(&import_key)
                                .bind(actor.map(DbUuid::from))
                                .bind(now)
                                .execute(&mut *$c)
                                .await
                                .map_err(|e| {
                                    on_write(
                                        e,
                                        "duplicate distribution",
                                        "unknown item or campaign",
                                    )
                                })?
                                .rows_affected();
                            if n == 0 {
                                return Err(StoreError::Conflict(
                                    "a distribution with this import key already exists".into(),
                                ));
                            }
                        };
                    }
                    match conn {
                        crate::group_commit::Conn::Sqlite(c) => {
                            insert!(c);
                            crate::audit::append_on(crate::group_commit::Conn::Sqlite(c), &audit)
                                .await?;
                        }
                        crate::group_commit::Conn::Postgres(c) => {
                            insert!(c);
                            crate::audit::append_on(crate::group_commit::Conn::Postgres(c), &audit)
                                .await?;
                        }
                    }
                    Ok(())
                })
            })
            .await?;
        Ok(Distribution {
            id,
            campaign: d.campaign,
            org,
            on: d.on,
            pcode: d.pcode.as_str().to_owned(),
            site: v.site,
            item: d.item,
            quantity: d.quantity,
            households: d.households,
            individuals: d.individuals,
        })
    }

    /// Records many distributions by `org` in one transaction: all or nothing. Rows
    /// whose import key was imported before are left as they were and counted, so
    /// importing the same file again adds nothing.
    pub async fn import_distributions(
        &self,
        actor: Option<UserId>,
        org: OrgId,
        rows: &[NewDistribution],
    ) -> Result<ImportOutcome, StoreError> {
        Ok(self.insert_distributions(actor, org, rows).await?.0)
    }

    /// Inserts in one transaction; the id of each row, `None` where it was there.
    async fn insert_distributions(
        &self,
        actor: Option<UserId>,
        org: OrgId,
        rows: &[NewDistribution],
    ) -> Result<(ImportOutcome, Vec<Option<Uuid>>), StoreError> {
        let checked = rows
            .iter()
            .enumerate()
            .map(|(i, d)| {
                check_distribution(d).map_err(|e| match e {
                    StoreError::Invalid(m) => StoreError::Invalid(format!("row {}: {m}", i + 1)),
                    other => other,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut outcome = ImportOutcome::default();
        let mut ids = Vec::with_capacity(rows.len());
        let now = DbTime::now();
        with_write_tx!(self, |tx| {
            for (d, v) in rows.iter().zip(&checked) {
                let id = Uuid::now_v7();
                let n = sqlx::query(INSERT_DISTRIBUTION)
                    .bind(DbUuid(id))
                    .bind(d.campaign.map(DbUuid))
                    .bind(DbUuid::from(org))
                    .bind(d.on)
                    .bind(d.pcode.as_str())
                    .bind(&v.site)
                    .bind(DbUuid(d.item))
                    .bind(v.quantity)
                    .bind(v.households)
                    .bind(v.individuals)
                    .bind(&v.import_key)
                    .bind(actor.map(DbUuid::from))
                    .bind(now)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| on_write(e, "duplicate distribution", "unknown item or campaign"))?
                    .rows_affected();
                if n == 0 {
                    outcome.already_there += 1;
                    ids.push(None);
                } else {
                    outcome.added += 1;
                    ids.push(Some(id));
                }
            }
            tx.commit().await?;
        });
        Ok((outcome, ids))
    }

    /// The latest distributions recorded by `org`, newest first.
    pub async fn recent_distributions(
        &self,
        org: OrgId,
        limit: u32,
    ) -> Result<Vec<Distribution>, StoreError> {
        let rows: Vec<DistRow> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, campaign_id, org_id, distributed_on, pcode, site, item_id, quantity, households, individuals \
                 FROM respond_distributions WHERE org_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2",
            )
            .bind(DbUuid::from(org))
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?
        });
        Ok(rows.into_iter().map(dist_from_row).collect())
    }

    /// One distribution recorded by `org` (`None` for another organization's or an
    /// unknown id).
    pub async fn distribution(
        &self,
        org: OrgId,
        id: Uuid,
    ) -> Result<Option<Distribution>, StoreError> {
        let row: Option<DistRow> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, campaign_id, org_id, distributed_on, pcode, site, item_id, quantity, households, individuals \
                 FROM respond_distributions WHERE org_id = $1 AND id = $2",
            )
            .bind(DbUuid::from(org))
            .bind(DbUuid(id))
            .fetch_optional(pool)
            .await?
        });
        Ok(row.map(dist_from_row))
    }

    /// The 4W matrix: distributions summed by organization, area, item and day, in
    /// day, area, item order, complete (for exports). `campaign` narrows it to one
    /// campaign.
    pub async fn four_w(&self, campaign: Option<Uuid>) -> Result<Vec<FourW>, StoreError> {
        let filter = FourWFilter {
            campaign,
            ..FourWFilter::default()
        };
        Ok(self.four_w_rows(&filter, None).await?.0)
    }

    /// One page of the 4W by day under `filter`: `limit` rows from row `offset` (0 the
    /// first), in day, area, item, organization order, and how many rows there are in
    /// all. The order is total, so a page asked for again gives the same rows while the
    /// data stays as it is.
    pub async fn four_w_days(
        &self,
        filter: &FourWFilter,
        offset: u64,
        limit: u32,
    ) -> Result<FourWDays, StoreError> {
        let (rows, total) = self.four_w_rows(filter, Some((offset, limit))).await?;
        let total_rows = match total {
            Some(n) => n,
            // Past the last page no row carries the count.
            None => {
                let (where_sql, _) = filter_sql(filter);
                let sql = format!(
                    "SELECT CAST(COUNT(*) AS BIGINT) FROM (SELECT 1 AS one FROM respond_4w_days{where_sql} \
                     GROUP BY distributed_on, pcode, item_id, org_id) AS days"
                );
                let n: i64 = with_pool!(self, |pool| {
                    bind_filter!(sqlx::query_scalar(&sql), filter)
                        .fetch_one(pool)
                        .await?
                });
                count(n)
            }
        };
        Ok(FourWDays { rows, total_rows })
    }

    /// The rows by day under `filter`, all of them or one page (`offset`, `limit`);
    /// for a page that has rows, also how many rows there are in all.
    async fn four_w_rows(
        &self,
        filter: &FourWFilter,
        page: Option<(u64, u32)>,
    ) -> Result<(Vec<FourW>, Option<u64>), StoreError> {
        let (where_sql, next) = filter_sql(filter);
        let mut sql = format!(
            "SELECT org_id, pcode, item_id, distributed_on, \
             CAST(SUM(quantity) AS BIGINT), CAST(SUM(households) AS BIGINT), \
             CAST(SUM(individuals) AS BIGINT), CAST(SUM(distributions) AS BIGINT), \
             CAST(COUNT(*) OVER () AS BIGINT) \
             FROM respond_4w_days{where_sql} \
             GROUP BY distributed_on, pcode, item_id, org_id \
             ORDER BY distributed_on, pcode, item_id, org_id"
        );
        let (offset, limit) = match page {
            Some((offset, limit)) => {
                sql.push_str(&format!(" LIMIT ${} OFFSET ${}", next, next + 1));
                (signed(offset, "page")?, i64::from(limit))
            }
            None => (0, 0),
        };
        type Row = (DbUuid, String, DbUuid, Date, i64, i64, i64, i64, i64);
        let rows: Vec<Row> = with_pool!(self, |pool| {
            let q = bind_filter!(sqlx::query_as(&sql), filter);
            let q = if page.is_some() {
                q.bind(limit).bind(offset)
            } else {
                q
            };
            q.fetch_all(pool).await?
        });
        let total = rows.first().map(|r| count(r.8));
        Ok((
            rows.into_iter()
                .map(|r| day_from_row((r.0, r.1, r.2, r.3, r.4, r.5, r.6, r.7)))
                .collect(),
            total,
        ))
    }

    /// The 4W summary under `filter`: sums by organization × area × item over every
    /// day kept, with totals per organization, per item and overall.
    pub async fn four_w_summary(&self, filter: &FourWFilter) -> Result<FourWSummary, StoreError> {
        type Row = (DbUuid, String, DbUuid, i64, i64, i64, i64);
        let (where_sql, _) = filter_sql(filter);
        let sql = format!(
            "SELECT org_id, pcode, item_id, \
             CAST(SUM(quantity) AS BIGINT), CAST(SUM(households) AS BIGINT), \
             CAST(SUM(individuals) AS BIGINT), CAST(SUM(distributions) AS BIGINT) \
             FROM respond_4w_days{where_sql} \
             GROUP BY org_id, pcode, item_id ORDER BY org_id, pcode, item_id"
        );
        let rows: Vec<Row> = with_pool!(self, |pool| {
            bind_filter!(sqlx::query_as(&sql), filter)
                .fetch_all(pool)
                .await?
        });
        let mut out = FourWSummary::default();
        for r in rows {
            let cell = FourWCell {
                org: OrgId::from_uuid(r.0.0),
                pcode: r.1,
                item: r.2.0,
                sum: FourWSum {
                    quantity: count(r.3),
                    households: count(r.4),
                    individuals: count(r.5),
                    distributions: count(r.6),
                },
            };
            match out.by_org.iter_mut().find(|(o, _)| *o == cell.org) {
                Some((_, s)) => s.add(&cell.sum),
                None => out.by_org.push((cell.org, cell.sum)),
            }
            match out.by_item.iter_mut().find(|(i, _)| *i == cell.item) {
                Some((_, s)) => s.add(&cell.sum),
                None => out.by_item.push((cell.item, cell.sum)),
            }
            out.total.add(&cell.sum);
            out.cells.push(cell);
        }
        Ok(out)
    }

    /// Totals per item (of one campaign, or of everything).
    pub async fn item_totals(&self, campaign: Option<Uuid>) -> Result<Vec<ItemTotal>, StoreError> {
        let filter = FourWFilter {
            campaign,
            ..FourWFilter::default()
        };
        Ok(self
            .four_w_summary(&filter)
            .await?
            .by_item
            .into_iter()
            .map(|(item, s)| ItemTotal {
                item,
                quantity: s.quantity,
                households: s.households,
                individuals: s.individuals,
            })
            .collect())
    }

    /// Areas that need relief and got none: a campaign's target areas, and (where the
    /// documentation tables exist) areas with recorded incidents or displacement sites,
    /// with no distribution in them or in an area inside them. `campaign` narrows the
    /// targets and the distributions to one campaign.
    pub async fn relief_gaps(&self, campaign: Option<Uuid>) -> Result<Vec<Gap>, StoreError> {
        let targets: Vec<String> = with_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT DISTINCT pcode FROM respond_campaign_areas WHERE ($1 IS NULL OR campaign_id = $1)",
            )
            .bind(campaign.map(DbUuid))
            .fetch_all(pool)
            .await?
        });
        let reached: Vec<String> = with_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT DISTINCT pcode FROM respond_4w_days WHERE ($1 IS NULL OR campaign_key = $1)",
            )
            .bind(campaign.map(|c| c.to_string()))
            .fetch_all(pool)
            .await?
        });
        let mut needs: Vec<(String, &'static str)> =
            targets.into_iter().map(|p| (p, "target")).collect();
        // The documentation area may not be installed; its tables are read when present.
        for (reason, sql) in [
            ("incident", "SELECT DISTINCT area_pcode FROM incidents"),
            (
                "displacement",
                "SELECT DISTINCT area_pcode FROM displacement_sites",
            ),
        ] {
            let found: Result<Vec<String>, sqlx::Error> =
                with_pool!(self, |pool| sqlx::query_scalar(sql).fetch_all(pool).await);
            if let Ok(codes) = found {
                needs.extend(codes.into_iter().map(|p| (p, reason)));
            }
        }
        let mut gaps: Vec<Gap> = Vec::new();
        for (pcode, reason) in needs {
            // An area is reached when a distribution lies in it, or it lies in the area
            // of a distribution (p-codes nest by prefix).
            let is_reached = reached
                .iter()
                .any(|r| r.starts_with(pcode.as_str()) || pcode.starts_with(r.as_str()));
            if is_reached {
                continue;
            }
            match gaps.iter_mut().find(|g| g.pcode == pcode) {
                Some(g) if !g.reasons.contains(&reason) => g.reasons.push(reason),
                Some(_) => {}
                None => gaps.push(Gap {
                    pcode,
                    reasons: vec![reason],
                }),
            }
        }
        gaps.sort_by(|a, b| a.pcode.cmp(&b.pcode));
        Ok(gaps)
    }
}
