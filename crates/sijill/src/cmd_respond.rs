//! `sijill import distributions FILE --org NAME [--mapping FILE]` and
//! `sijill import households FILE --org NAME [--mapping FILE]`: KoboToolbox / ODK exports
//! (CSV or XLSX, XLSForm names with group prefixes) checked row by row, then written all
//! or nothing; re-importing the same file adds nothing. The first refused cell is
//! reported as `FILE:LINE:COLUMN: reason` with exit code 2. Columns about religion,
//! sect, ethnicity or political opinion are dropped unread and named.

use crate::error::CliError;
use crate::runtime::{block_on, open_store};
use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use sijill_model::geo::Gazetteer;
use sijill_server::i18n::EN;
use sijill_server::respond::import::{self, RowError};
use std::path::PathBuf;

/// Arguments of `sijill import distributions|households`.
#[derive(Debug, clap::Args)]
pub struct RespondImportArgs {
    /// The export: CSV (comma or semicolon) or XLSX.
    file: PathBuf,
    /// The organization the records belong to (its exact name).
    #[arg(long)]
    org: String,
    /// Column mapping: lines field=column (e.g. quantity=group_dist/qty).
    #[arg(long)]
    mapping: Option<PathBuf>,
    /// The campaign's exact name (distributions only).
    #[arg(long)]
    campaign: Option<String>,
    #[command(flatten)]
    db: crate::cmd_admin::DbArgs,
    /// The key file that seals personal fields (default: the SQLite file's path with
    /// `.key` added; required with PostgreSQL).
    #[arg(long, env = "SIJILL_KEY_FILE")]
    key_file: Option<PathBuf>,
}

fn first_error(file: &str, errors: &[RowError]) -> CliError {
    let e = &errors[0];
    let more = errors.len() - 1;
    let tail = if more > 0 {
        format!(" (and {more} more; nothing was imported)")
    } else {
        " (nothing was imported)".into()
    };
    CliError::input(format!(
        "{file}:{}:{}: column {:?}: {}{tail}",
        e.line,
        e.column.max(1),
        e.column_name,
        e.problem.label(&EN)
    ))
}

fn key_file(a: &RespondImportArgs) -> Result<PathBuf, CliError> {
    if let Some(k) = &a.key_file {
        return Ok(k.clone());
    }
    let db = a.db.db.as_str();
    if db.starts_with("postgres://") || db.starts_with("postgresql://") {
        return Err(CliError::input(
            "--key-file: required with PostgreSQL (the key must live outside the database)",
        ));
    }
    let path = db
        .strip_prefix("sqlite://")
        .or_else(|| db.strip_prefix("sqlite:"))
        .unwrap_or(db);
    let mut p = PathBuf::from(path).into_os_string();
    p.push(".key");
    Ok(PathBuf::from(p))
}

/// Runs `sijill import distributions` (`households` false) or `households`.
pub fn run(a: RespondImportArgs, households: bool) -> Result<(), CliError> {
    let file = a.file.display().to_string();
    let bytes = std::fs::read(&a.file)
        .map_err(|e| CliError::input(format!("{file}: cannot read ({})", e.kind())))?;
    let mapping = match &a.mapping {
        Some(p) => import::parse_mapping(&std::fs::read_to_string(p).map_err(|e| {
            CliError::input(format!("{}: cannot read ({})", p.display(), e.kind()))
        })?),
        None => Vec::new(),
    };
    let table = import::read_table(&bytes).map_err(|e| CliError::input(format!("{file}: {e}")))?;
    let geo = Gazetteer::builtin();
    let keys = key_file(&a)?;
    block_on(async move {
        let store = open_store(&a.db.db).await?;
        let (ring, _) = sijill_store::Keyring::load_or_create(&keys)
            .map_err(|e| CliError::input(format!("--key-file: {e}")))?;
        let store = store.with_keyring(ring).await.map_err(|e| match e {
            sijill_store::StoreError::Crypto(c) => {
                CliError::input(format!("{}: {c}", keys.display()))
            }
            other => CliError::Other(anyhow::Error::new(other).context("checking the key file")),
        })?;
        let org = store
            .org_by_name(&a.org)
            .await
            .context("finding the organization")?
            .ok_or_else(|| CliError::input(format!("--org: no organization named {:?}", a.org)))?;
        let bar = ProgressBar::with_draw_target(Some(3), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{msg:>12} [{bar:30}] {pos}/{len}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.set_message("checking");
        let (outcome, dropped) = if households {
            let checked = import::check_households(&table, &mapping, &geo);
            bar.inc(1);
            if !checked.errors.is_empty() {
                bar.abandon();
                return Err(first_error(&file, &checked.errors));
            }
            bar.set_message("writing");
            bar.inc(1);
            (
                store
                    .import_households(None, org.id, &checked.rows)
                    .await
                    .context("importing households")?,
                checked.dropped,
            )
        } else {
            let items = store
                .list_items()
                .await
                .context("reading the item catalogue")?;
            let campaign = match &a.campaign {
                None => None,
                Some(name) => Some(
                    store
                        .list_campaigns()
                        .await
                        .context("reading campaigns")?
                        .into_iter()
                        .find(|c| c.name == *name)
                        .ok_or_else(|| {
                            CliError::input(format!("--campaign: no campaign named {name:?}"))
                        })?
                        .id,
                ),
            };
            let checked = import::check_distributions(&table, &mapping, &geo, &items, campaign);
            bar.inc(1);
            if !checked.errors.is_empty() {
                bar.abandon();
                return Err(first_error(&file, &checked.errors));
            }
            bar.set_message("writing");
            bar.inc(1);
            (
                store
                    .import_distributions(None, org.id, &checked.rows)
                    .await
                    .context("importing distributions")?,
                checked.dropped,
            )
        };
        bar.inc(1);
        bar.finish_and_clear();
        for d in dropped {
            eprintln!(
                "note: column {d:?} dropped: sijill never stores religion, sect, ethnicity or political opinion"
            );
        }
        let _ = store
            .append_audit(&sijill_store::AuditEntry {
                actor: None,
                org: Some(org.id),
                action: "import.create".into(),
                entity: if households { "household" } else { "distribution" }.into(),
                entity_id: None,
                detail: serde_json::json!({"added": outcome.added, "already_there": outcome.already_there, "via": "cli"}),
            })
            .await;
        println!(
            "{file}: {} added, {} already there",
            outcome.added, outcome.already_there
        );
        store.close().await;
        Ok(())
    })
}
