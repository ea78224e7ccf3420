//! Imported reference areas (an OCHA COD-AB table), kept beside the compiled-in ones.

use crate::db_types::DbTime;
use crate::error::StoreError;
use crate::{Store, with_write_tx};
use sijill_model::geo::{AdminLevel, Area, CodeScheme, PCode};

fn scheme_str(s: CodeScheme) -> &'static str {
    match s {
        CodeScheme::Ocha => "ocha",
        CodeScheme::Iso3166 => "iso3166",
        CodeScheme::Local => "local",
    }
}

fn scheme_from(s: &str) -> CodeScheme {
    match s {
        "iso3166" => CodeScheme::Iso3166,
        "local" => CodeScheme::Local,
        _ => CodeScheme::Ocha,
    }
}

type AreaRow = (String, i64, Option<String>, String, String, String, String);

impl Store {
    /// Adds or replaces imported areas in one transaction (all or nothing); `source`
    /// names where they came from (e.g. the file's name and SHA-256). Returns how many
    /// rows were written.
    pub async fn upsert_areas(&self, areas: &[Area], source: &str) -> Result<u64, StoreError> {
        let now = DbTime::now();
        let mut n = 0u64;
        with_write_tx!(self, |tx| {
            for a in areas {
                let aliases = serde_json::to_string(&a.aliases)
                    .map_err(|_| StoreError::Invalid("an alias cannot be stored".into()))?;
                sqlx::query(
                    "INSERT INTO areas (pcode, level, parent, name_en, name_ar, aliases, scheme, source, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                     ON CONFLICT (pcode) DO UPDATE SET level = excluded.level, parent = excluded.parent, \
                     name_en = excluded.name_en, name_ar = excluded.name_ar, aliases = excluded.aliases, \
                     scheme = excluded.scheme, source = excluded.source, updated_at = excluded.updated_at",
                )
                .bind(a.pcode.as_str())
                .bind(i16::from(a.level.number()))
                .bind(a.parent.as_ref().map(|p| p.as_str().to_string()))
                .bind(&a.name_en)
                .bind(&a.name_ar)
                .bind(aliases)
                .bind(scheme_str(a.scheme))
                .bind(source)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                n += 1;
            }
            tx.commit().await?;
        });
        Ok(n)
    }

    /// Every imported area, by code.
    pub async fn imported_areas(&self) -> Result<Vec<Area>, StoreError> {
        let rows: Vec<AreaRow> = crate::with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT pcode, CAST(level AS BIGINT), parent, name_en, name_ar, aliases, scheme FROM areas ORDER BY level, pcode",
            )
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(
                |(pcode, level, parent, name_en, name_ar, aliases, scheme)| {
                    let bad = || StoreError::Invalid("a stored area is malformed".into());
                    Ok(Area {
                        pcode: PCode::parse(&pcode).map_err(|_| bad())?,
                        level: u8::try_from(level)
                            .ok()
                            .and_then(AdminLevel::from_number)
                            .ok_or_else(bad)?,
                        parent: parent
                            .map(|p| PCode::parse(&p))
                            .transpose()
                            .map_err(|_| bad())?,
                        name_en,
                        name_ar,
                        aliases: serde_json::from_str(&aliases).map_err(|_| bad())?,
                        scheme: scheme_from(&scheme),
                    })
                },
            )
            .collect()
    }
}
