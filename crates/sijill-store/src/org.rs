//! Organizations: the partners of a network and the bodies outside it.

use crate::db_types::{DbTime, DbUuid};
use crate::error::{StoreError, corrupt, on_write};
use crate::{Store, with_pool};
use sijill_model::account::{NewOrganization, OrgId, Organization};

const COLUMNS: &str = "id, name, name_ar, kind, network_member, created_at";
type Row = (DbUuid, String, Option<String>, String, bool, DbTime);

fn from_row(
    (id, name, name_ar, kind, network_member, created_at): Row,
) -> Result<Organization, StoreError> {
    Ok(Organization {
        id: OrgId::from_uuid(id.0),
        name,
        name_ar,
        kind: kind.parse().map_err(|_| corrupt("organization kind"))?,
        network_member,
        created_at: created_at.get(),
    })
}

/// Longest accepted organization name, in characters.
const MAX_NAME: usize = 200;

fn clean_name(s: &str, what: &str) -> Result<String, StoreError> {
    let s = s.trim();
    if s.is_empty() {
        return Err(StoreError::Invalid(format!("the {what} is empty")));
    }
    if s.chars().count() > MAX_NAME {
        return Err(StoreError::Invalid(format!(
            "the {what} is longer than {MAX_NAME} characters"
        )));
    }
    Ok(s.to_owned())
}

impl Store {
    /// Records an organization. Names are trimmed; an empty Arabic name becomes `None`.
    /// A name already taken is [`StoreError::Conflict`].
    pub async fn create_org(&self, new: &NewOrganization) -> Result<Organization, StoreError> {
        let name = clean_name(&new.name, "organization name")?;
        let name_ar = match new.name_ar.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => Some(clean_name(s, "Arabic organization name")?),
        };
        let now = DbTime::now();
        let org = Organization {
            id: OrgId::new(),
            name,
            name_ar,
            kind: new.kind,
            network_member: new.network_member,
            created_at: now.get(),
        };
        with_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO organizations (id, name, name_ar, kind, network_member, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $6)",
            )
            .bind(DbUuid::from(org.id.as_uuid()))
            .bind(&org.name)
            .bind(&org.name_ar)
            .bind(org.kind.as_str())
            .bind(org.network_member)
            .bind(now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })
        .map_err(|e| on_write(e, "an organization with this name already exists", "invalid organization"))?;
        Ok(org)
    }

    /// Every organization, by name.
    pub async fn list_orgs(&self) -> Result<Vec<Organization>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM organizations ORDER BY name, id");
        let rows: Vec<Row> = with_pool!(self, |pool| sqlx::query_as(&sql).fetch_all(pool).await)?;
        rows.into_iter().map(from_row).collect()
    }

    /// The organization with this id.
    pub async fn org(&self, id: OrgId) -> Result<Option<Organization>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM organizations WHERE id = $1");
        let row: Option<Row> = with_pool!(self, |pool| {
            sqlx::query_as(&sql)
                .bind(DbUuid::from(id.as_uuid()))
                .fetch_optional(pool)
                .await
        })?;
        row.map(from_row).transpose()
    }

    /// The organization with exactly this (trimmed) name.
    pub async fn org_by_name(&self, name: &str) -> Result<Option<Organization>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM organizations WHERE name = $1");
        let row: Option<Row> = with_pool!(self, |pool| {
            sqlx::query_as(&sql)
                .bind(name.trim())
                .fetch_optional(pool)
                .await
        })?;
        row.map(from_row).transpose()
    }
}
