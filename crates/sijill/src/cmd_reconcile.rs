//! `sijill import victims FILE --source NAME [--mapping FILE]`: imports a victim list
//! (CSV or XLSX) into the database, all or nothing and once per file; names are sealed
//! with the key file. Columns about religion, sect, ethnicity or political opinion are
//! dropped and named.

use crate::error::CliError;
use crate::runtime::{block_on, open_store};
use anyhow::Context;
use sijill_server::reconcile::import;
use sijill_store::Actor;
use sijill_store::reconcile_lists::NewVictimList;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// `sijill import …`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    #[command(subcommand)]
    command: ImportCommand,
}

#[derive(Debug, clap::Subcommand)]
enum ImportCommand {
    /// Import a victim list (CSV or XLSX, header row first) into the database.
    #[command(
        after_help = "Examples:\n  sijill import victims lists/observatory.csv --source \"Coast Rights Observatory\" --org \"Coast Rights Observatory\"\n  sijill import victims march.xlsx --source \"Field team\" --org \"Coast Rights Observatory\" --mapping mapping.json\n\nThe mapping is a JSON object {\"column header\": \"field\"} or lines column=field; fields:\nrecord_id full_name given_name father_name grandfather_name family_name mother_name sex age\nbirth_year date_of_death place_of_death governorate status. Without one, headers are\nrecognised by name (English or Arabic). Re-importing the same file adds nothing."
    )]
    Victims(VictimsArgs),
    /// Import distributions from a KoboToolbox/ODK export (CSV or XLSX).
    Distributions(crate::cmd_respond::RespondImportArgs),
    /// Import households from a KoboToolbox/ODK export (CSV or XLSX).
    Households(crate::cmd_respond::RespondImportArgs),
}

#[derive(Debug, clap::Args)]
struct VictimsArgs {
    /// The list: CSV (UTF-8) or XLSX.
    file: PathBuf,
    /// Who compiled the list.
    #[arg(long)]
    source: String,
    /// Column mapping file (JSON object or column=field lines).
    #[arg(long)]
    mapping: Option<PathBuf>,
    /// The organization that holds the list (its exact name).
    #[arg(long)]
    org: String,
    #[command(flatten)]
    db: crate::cmd_admin::DbArgs,
    /// The key file that seals personal fields (default: the SQLite file's path with
    /// `.key` added; required with PostgreSQL).
    #[arg(long, env = "SIJILL_KEY_FILE")]
    key_file: Option<PathBuf>,
}

/// Runs `sijill import …`.
pub fn run(args: ImportArgs) -> Result<(), CliError> {
    match args.command {
        ImportCommand::Victims(a) => victims(a),
        ImportCommand::Distributions(a) => crate::cmd_respond::run(a, false),
        ImportCommand::Households(a) => crate::cmd_respond::run(a, true),
    }
}

fn read_mapping(path: &Path) -> Result<BTreeMap<String, String>, CliError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::input(format!("{}: cannot read ({})", path.display(), e.kind())))?;
    if text.trim_start().starts_with('{') {
        return serde_json::from_str(&text).map_err(|e| {
            CliError::input(format!(
                "{}:{}:{}: the mapping is not a JSON object of strings",
                path.display(),
                e.line(),
                e.column()
            ))
        });
    }
    let mut m = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let Some((c, f)) = line.split_once('=') else {
            return Err(CliError::input(format!(
                "{}:{}:1: expected column=field",
                path.display(),
                i + 1
            )));
        };
        m.insert(c.trim().to_owned(), f.trim().to_owned());
    }
    Ok(m)
}

/// The key file beside a SQLite database (`None` for PostgreSQL or memory).
pub(crate) fn default_key_file(db: &str) -> Option<PathBuf> {
    if db.starts_with("postgres://") || db.starts_with("postgresql://") {
        return None;
    }
    let path = db
        .strip_prefix("sqlite://")
        .or_else(|| db.strip_prefix("sqlite:"))
        .unwrap_or(db);
    if path.starts_with(":memory:") {
        return None;
    }
    let mut p = PathBuf::from(path).into_os_string();
    p.push(".key");
    Some(PathBuf::from(p))
}

fn victims(a: VictimsArgs) -> Result<(), CliError> {
    let file = a.file.display().to_string();
    let bytes = std::fs::read(&a.file)
        .map_err(|e| CliError::input(format!("{file}: cannot read ({})", e.kind())))?;
    let mapping = a.mapping.as_deref().map(read_mapping).transpose()?;
    let key_file = match &a.key_file {
        Some(k) => k.clone(),
        None => default_key_file(&a.db.db).ok_or_else(|| {
            CliError::input(
                "--key-file: required with PostgreSQL (the key must live outside the database)",
            )
        })?,
    };
    let file_name = a
        .file
        .file_name()
        .map_or_else(|| file.clone(), |n| n.to_string_lossy().into_owned());
    block_on(async move {
        let store = open_store(&a.db.db).await?;
        let (keys, created) = sijill_store::Keyring::load_or_create(&key_file)
            .map_err(|e| CliError::input(format!("--key-file: {e}")))?;
        if created {
            println!(
                "Created the key file {} that seals personal data. Back it up apart from the database.",
                key_file.display()
            );
        }
        let store = store.with_keyring(keys).await.map_err(|e| match e {
            sijill_store::StoreError::Crypto(c) => {
                CliError::input(format!("{}: {c}", key_file.display()))
            }
            other => CliError::Other(anyhow::Error::new(other).context("checking the key file")),
        })?;
        let org = store
            .org_by_name(&a.org)
            .await
            .context("finding the organization")?
            .ok_or_else(|| CliError::input(format!("--org: no organization named {:?}", a.org)))?;
        // Without --mapping, the mapping saved for this source (its last list) is used.
        let saved = match &mapping {
            Some(_) => None,
            None => store
                .source_mapping(org.id, &a.source)
                .await
                .context("reading the saved mapping")?,
        };
        let parsed = match (&mapping, &saved) {
            (Some(m), _) => import::parse(&bytes, Some(m)),
            (None, Some(m)) => {
                eprintln!(
                    "note: using the column mapping saved for source {:?}",
                    a.source
                );
                import::parse_with_saved(&bytes, m)
            }
            (None, None) => import::parse(&bytes, None),
        };
        let parsed = parsed.map_err(|e| match e {
            import::ImportError::Mapping(m) => CliError::input(format!(
                "{}: {m}",
                a.mapping
                    .as_deref()
                    .map_or(file.clone(), |p| p.display().to_string())
            )),
            import::ImportError::Format(m) => CliError::input(format!("{file}: {m}")),
        })?;
        if let Some(r) = parsed.encoding {
            eprintln!("note: {file}: {}", r.note());
        }
        for d in &parsed.dropped {
            eprintln!(
                "note: column {d:?} dropped: sijill never stores religion, sect, ethnicity or political opinion"
            );
        }
        if let Some(e) = parsed.errors.first() {
            let col = parsed
                .header
                .iter()
                .position(|h| *h == e.column)
                .map_or(1, |i| i + 1);
            let more = parsed.errors.len() - 1;
            let tail = if more > 0 {
                format!(" (and {more} more rows with errors; nothing was imported)")
            } else {
                " (nothing was imported)".into()
            };
            return Err(CliError::input(format!(
                "{file}:{}:{col}: {}{tail}",
                e.line, e.reason
            )));
        }
        let new = NewVictimList {
            source: a.source.clone(),
            file_name,
            raw: bytes,
            mapping: serde_json::to_value(&parsed.mapping).unwrap_or_default(),
            dropped: parsed.dropped.clone(),
            rows: parsed.rows,
        };
        let by = Actor {
            user: None,
            org: org.id,
        };
        let out = store
            .import_victim_list(by, &new)
            .await
            .map_err(|e| match e {
                sijill_store::StoreError::Invalid(m) => CliError::input(format!("{file}: {m}")),
                other => CliError::Other(anyhow::Error::new(other).context("importing the list")),
            })?;
        if out.already {
            println!(
                "{file} was imported before (list {}); nothing was added.",
                out.list.id
            );
        } else {
            println!(
                "Imported {} records from {file} as list {} (SHA-256 {}).",
                out.added, out.list.id, out.list.file_sha256
            );
        }
        store.close().await;
        Ok(())
    })
}
