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

    /// The 4W matrix: distributions summed by organization, area, item and day, in
    /// day, area, item order. `campaign` narrows it to one campaign.
    pub async fn four_w(&self, campaign: Option<Uuid>) -> Result<Vec<FourW>, StoreError> {
        type Row = (DbUuid, String, DbUuid, Date, i64, i64, i64, i64);
        let rows: Vec<Row> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT org_id, pcode, item_id, distributed_on, \
                 CAST(SUM(quantity) AS BIGINT), CAST(SUM(households) AS BIGINT), \
                 CAST(SUM(individuals) AS BIGINT), CAST(COUNT(*) AS BIGINT) \
                 FROM respond_distributions WHERE ($1 IS NULL OR campaign_id = $1) \
                 GROUP BY org_id, pcode, item_id, distributed_on \
                 ORDER BY distributed_on, pcode, item_id, org_id",
            )
            .bind(campaign.map(DbUuid))
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|r| FourW {
                org: OrgId::from_uuid(r.0.0),
                pcode: r.1,
                item: r.2.0,
                on: r.3,
                quantity: count(r.4),
                households: count(r.5),
                individuals: count(r.6),
                distributions: count(r.7),
            })
            .collect())
    }

    /// Totals per item (of one campaign, or of everything).
    pub async fn item_totals(&self, campaign: Option<Uuid>) -> Result<Vec<ItemTotal>, StoreError> {
        let mut by_item: Vec<ItemTotal> = Vec::new();
        for c in self.four_w(campaign).await? {
            match by_item.iter_mut().find(|t| t.item == c.item) {
                Some(t) => {
                    t.quantity += c.quantity;
                    t.households += c.households;
                    t.individuals += c.individuals;
                }
                None => by_item.push(ItemTotal {
                    item: c.item,
                    quantity: c.quantity,
                    households: c.households,
                    individuals: c.individuals,
                }),
            }
        }
        Ok(by_item)
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
                "SELECT DISTINCT pcode FROM respond_distributions WHERE ($1 IS NULL OR campaign_id = $1)",
            )
            .bind(campaign.map(DbUuid))
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
