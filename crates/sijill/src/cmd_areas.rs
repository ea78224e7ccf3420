//! `sijill areas …`: the reference geography — find an area by name or code in either
//! script, and import a full OCHA COD-AB table into the database.

use crate::cmd_admin::DbArgs;
use crate::error::CliError;
use crate::runtime::{block_on, open_store};
use anyhow::Context;
use sijill_model::geo::{AdminLevel, Area, CodeScheme, Gazetteer, PCode};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// `sijill areas …`.
#[derive(Debug, clap::Args)]
pub struct AreasArgs {
    #[command(subcommand)]
    command: AreasCommand,
}

#[derive(Debug, clap::Subcommand)]
enum AreasCommand {
    /// Import an OCHA COD-AB administrative-boundaries table (CSV, one row per unit with
    /// its ancestors' columns: admin1Pcode, admin1Name_en, admin1Name_ar, … or
    /// ADM1_PCODE, ADM1_EN, ADM1_AR, …). All or nothing; importing again replaces.
    #[command(after_help = "Example:\n  sijill areas import syr_admin4.csv --db sqlite:sijill.db")]
    Import {
        /// The CSV file.
        file: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Find areas by name (Arabic or Latin, any common spelling) or p-code.
    #[command(
        after_help = "Examples:\n  sijill areas find Jableh\n  sijill areas find اللاذقية\n  sijill areas find SY0602"
    )]
    Find {
        /// A name or a p-code.
        query: String,
        /// Also search the areas imported into this database.
        #[arg(long, env = "SIJILL_DB")]
        db: Option<String>,
    },
}

/// Runs `sijill areas …`.
pub fn run(args: AreasArgs) -> Result<(), CliError> {
    match args.command {
        AreasCommand::Import { file, db } => {
            let text = std::fs::read(&file)
                .map_err(|e| CliError::input(format!("{}: cannot read ({e})", file.display())))?;
            let text = String::from_utf8(text)
                .map_err(|_| CliError::input(format!("{}: not UTF-8 text", file.display())))?;
            let areas = parse_cod(&text)
                .map_err(|e| CliError::input(format!("{}: {e}", file.display())))?;
            let source = file
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            block_on(async move {
                let store = open_store(&db.db).await?;
                let n = store
                    .upsert_areas(&areas, &source)
                    .await
                    .context("saving the areas")?;
                let mut by_level = BTreeMap::new();
                for a in &areas {
                    *by_level.entry(a.level.number()).or_insert(0u32) += 1;
                }
                let levels: Vec<String> = by_level
                    .iter()
                    .map(|(l, c)| format!("admin{l}: {c}"))
                    .collect();
                println!("imported {n} areas ({})", levels.join(", "));
                Ok(())
            })
        }
        AreasCommand::Find { query, db } => {
            let extra = match db {
                Some(url) => block_on(async move {
                    let store = open_store(&url).await?;
                    Ok(store.imported_areas().await.context("reading areas")?)
                })?,
                None => Vec::new(),
            };
            let g = Gazetteer::with_areas(extra);
            let hits = g.lookup(&query);
            if hits.is_empty() {
                return Err(CliError::input(format!("no area matches {query:?}")));
            }
            for a in hits {
                let chain: Vec<&str> = g
                    .ancestry(&a.pcode)
                    .iter()
                    .skip(1)
                    .map(|p| p.name_en.as_str())
                    .collect();
                println!(
                    "{:<14} {:<12} {} / {}  ({})",
                    a.pcode.as_str(),
                    a.level.as_str(),
                    a.name_en,
                    a.name_ar,
                    chain.join(" < ")
                );
            }
            Ok(())
        }
    }
}

/// The columns of one admin level in a COD-AB header.
#[derive(Debug, Default, Clone)]
struct LevelCols {
    pcode: Option<usize>,
    en: Option<usize>,
    ar: Option<usize>,
    alt: Vec<usize>,
}

/// Parses a COD-AB CSV into areas (each unit once, with its parent).
fn parse_cod(text: &str) -> Result<Vec<Area>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = rdr.headers().map_err(|e| format!("line 1: {e}"))?.clone();
    let mut levels: BTreeMap<u8, LevelCols> = BTreeMap::new();
    for (i, h) in headers.iter().enumerate() {
        let h = h.trim().to_ascii_lowercase();
        let rest = h.strip_prefix("admin").or_else(|| h.strip_prefix("adm"));
        let Some(rest) = rest else { continue };
        let Some(d) = rest.chars().next().and_then(|c| c.to_digit(10)) else {
            continue;
        };
        if d > 4 {
            continue;
        }
        let tail = rest[1..].trim_start_matches('_');
        let cols = levels.entry(d as u8).or_default();
        match tail {
            "pcode" => cols.pcode = Some(i),
            "name_en" | "en" | "name" => cols.en = Some(i),
            "name_ar" | "ar" => cols.ar = Some(i),
            t if t.starts_with("alt") || t.starts_with("refname") || t == "ref" => cols.alt.push(i),
            _ => {}
        }
    }
    levels.retain(|_, c| c.pcode.is_some());
    if levels.is_empty() {
        return Err("line 1: no p-code column (expected admin1Pcode or ADM1_PCODE …)".into());
    }
    let mut out: BTreeMap<String, Area> = BTreeMap::new();
    for (row_no, rec) in rdr.records().enumerate() {
        let line = row_no + 2;
        let rec = rec.map_err(|e| format!("line {line}: {e}"))?;
        let mut parent: Option<PCode> = None;
        for (&level, cols) in &levels {
            let get = |c: Option<usize>| c.and_then(|i| rec.get(i)).map(str::trim).unwrap_or("");
            let code = get(cols.pcode);
            if code.is_empty() {
                continue;
            }
            let col = cols.pcode.map(|c| c + 1).unwrap_or(0);
            let pcode =
                PCode::parse(code).map_err(|e| format!("line {line}, column {col}: {e}"))?;
            let en = get(cols.en);
            let ar = get(cols.ar);
            if en.is_empty() && ar.is_empty() {
                return Err(format!("line {line}: area {pcode} has no name"));
            }
            let aliases: Vec<String> = cols
                .alt
                .iter()
                .filter_map(|&i| rec.get(i))
                .map(str::trim)
                .filter(|a| !a.is_empty() && *a != en && *a != ar)
                .map(str::to_string)
                .collect();
            let area = Area {
                pcode: pcode.clone(),
                level: AdminLevel::from_number(level).unwrap_or(AdminLevel::Community),
                parent: parent.clone(),
                name_en: if en.is_empty() {
                    ar.to_string()
                } else {
                    en.to_string()
                },
                name_ar: ar.to_string(),
                aliases,
                scheme: CodeScheme::Ocha,
            };
            match out.get(pcode.as_str()) {
                Some(old) if old.name_en != area.name_en || old.level != area.level => {
                    return Err(format!(
                        "line {line}: area {pcode} is given before with another name or level"
                    ));
                }
                Some(_) => {}
                None => {
                    out.insert(pcode.to_string(), area);
                }
            }
            parent = Some(pcode);
        }
    }
    if out.is_empty() {
        return Err("no rows".into());
    }
    Ok(out.into_values().collect())
}

#[cfg(test)]
mod tests {
    use super::parse_cod;

    #[test]
    fn reads_both_header_styles_and_keeps_the_hierarchy() {
        let old = "\u{feff}admin0Name_en,admin0Pcode,admin1Name_en,admin1Name_ar,admin1Pcode,admin2Name_en,admin2Name_ar,admin2Pcode\n\
                   Syria,SY,Lattakia,اللاذقية,SY06,Jablah,جبلة,SY0602\n\
                   Syria,SY,Lattakia,اللاذقية,SY06,Al-Qardaha,القرداحة,SY0604\n";
        let a = parse_cod(old).unwrap();
        let codes: Vec<_> = a.iter().map(|a| a.pcode.as_str()).collect();
        assert_eq!(codes, ["SY", "SY06", "SY0602", "SY0604"]);
        assert_eq!(a[2].parent.as_ref().unwrap().as_str(), "SY06");
        assert_eq!(a[2].name_ar, "جبلة");

        let new = "ADM2_EN,ADM2_AR,ADM2_PCODE,ADM2_REF,ADM1_EN,ADM1_AR,ADM1_PCODE\n\
                   Banyas,بانياس,SY1002,Baniyas,Tartous,طرطوس,SY10\n";
        let a = parse_cod(new).unwrap();
        assert_eq!(a.len(), 2);
        assert_eq!(a[1].pcode.as_str(), "SY1002");
        assert_eq!(a[1].parent.as_ref().unwrap().as_str(), "SY10");
        assert_eq!(a[1].aliases, ["Baniyas"]);
    }

    #[test]
    fn errors_name_the_line() {
        assert!(
            parse_cod("name,code\nx,y\n")
                .unwrap_err()
                .contains("line 1")
        );
        let e = parse_cod("admin1Pcode,admin1Name_en\nSY.06,Lattakia\n").unwrap_err();
        assert!(e.starts_with("line 2, column 1"), "{e}");
        let e = parse_cod("admin1Pcode,admin1Name_en\nSY06,Lattakia\nSY06,Tartous\n").unwrap_err();
        assert!(e.starts_with("line 3"), "{e}");
        let e = parse_cod("admin1Pcode,admin1Name_en\nSY06\n").unwrap_err();
        assert!(e.contains("line 2"), "{e}");
    }
}
