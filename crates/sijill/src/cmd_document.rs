//! `sijill evidence verify` and `sijill export package | verify`: re-hashing stored
//! evidence, and the investigator package — a zip of the selected incidents and their
//! evidence (records as CSV and JSON, the original files, the custody log, a method
//! note) with a manifest of every file's SHA-256, and its check on any machine.
//!
//! Testimonies are never put in a package: their consent and sharing are decided per
//! testimony in the application.

use crate::cmd_admin::DbArgs;
use crate::error::CliError;
use crate::runtime::{block_on, open_store};
use anyhow::Context;
use sijill_model::account::{Role, Username};
use sijill_server::document::package::{self, PackageError, Selection};
use sijill_store::Store;
use sijill_store::document_evidence::{EvidenceFiles, FileCheck};
use sijill_store::document_incident::IncidentFilter;
use sijill_store::document_types::{Actor, Day, EventType};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Where the evidence files of a database are.
#[derive(Debug, clap::Args)]
pub struct FilesArgs {
    #[command(flatten)]
    db: DbArgs,
    /// The evidence directory (default: `<database file>.evidence` beside a SQLite
    /// database; required with PostgreSQL).
    #[arg(long, env = "SIJILL_EVIDENCE_DIR")]
    evidence_dir: Option<PathBuf>,
}

impl FilesArgs {
    fn files(&self) -> Result<EvidenceFiles, CliError> {
        match &self.evidence_dir {
            Some(d) => Ok(EvidenceFiles::new(d)),
            None => EvidenceFiles::beside(&self.db.db).ok_or_else(|| {
                CliError::input(
                    "--evidence-dir: required for this database (no file to put it beside)",
                )
            }),
        }
    }
}

/// Sets the evidence directory of a serving instance: `$SIJILL_EVIDENCE_DIR`, or beside
/// the SQLite file.
pub async fn set_evidence_dir(store: &Store, db: &str) -> Result<(), CliError> {
    let files = match std::env::var_os("SIJILL_EVIDENCE_DIR") {
        Some(d) if !d.is_empty() => EvidenceFiles::new(d),
        _ => EvidenceFiles::beside(db).ok_or_else(|| {
            CliError::input(
                "SIJILL_EVIDENCE_DIR: required with PostgreSQL (where evidence files are kept)",
            )
        })?,
    };
    store
        .set_evidence_files(&files)
        .await
        .map_err(|e| CliError::input(format!("SIJILL_EVIDENCE_DIR: {e}")))
}

/// `sijill evidence …`.
#[derive(Debug, clap::Args)]
pub struct EvidenceArgs {
    #[command(subcommand)]
    command: EvidenceCommand,
}

#[derive(Debug, clap::Subcommand)]
enum EvidenceCommand {
    /// Re-hash every stored evidence file and the custody log; name every file that is
    /// missing or changed (exit code 1 if any). Each file that matches gets a
    /// "verified" event in its custody log.
    #[command(
        after_help = "Example:\n  sijill evidence verify --db sqlite:sijill.db --as documenter"
    )]
    Verify {
        #[command(flatten)]
        files: FilesArgs,
        /// Who verifies (a username), named in the custody log; without it the events
        /// are the system's.
        #[arg(long = "as")]
        user: Option<String>,
    },
}

/// `sijill export …`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    #[command(subcommand)]
    command: ExportCommand,
}

#[derive(Debug, clap::Subcommand)]
enum ExportCommand {
    /// Write an investigator package: incidents and their evidence (CSV + JSON), the
    /// evidence files, the custody log, a method note and a manifest of SHA-256s.
    #[command(
        after_help = "Examples:\n  sijill export package --out jableh.zip --area SY0602 --from 2025-03-06 --as documenter\n  sijill export package --out two.zip --incident ID1 --incident ID2 --as documenter"
    )]
    Package {
        #[command(flatten)]
        files: FilesArgs,
        /// The zip file to write (not overwritten if it exists).
        #[arg(long)]
        out: PathBuf,
        /// Who exports (a username): recorded in the audit and custody logs.
        #[arg(long = "as")]
        user: String,
        /// Only incidents in this area or below it (p-code).
        #[arg(long)]
        area: Option<String>,
        /// Only incidents on or after this day (YYYY-MM-DD).
        #[arg(long)]
        from: Option<String>,
        /// Only incidents on or before this day (YYYY-MM-DD).
        #[arg(long)]
        to: Option<String>,
        /// Only incidents of this ACLED event type (e.g. violence-against-civilians).
        #[arg(long)]
        event_type: Option<String>,
        /// These incidents, by id (repeat the flag; not with the filters above).
        #[arg(long = "incident", conflicts_with_all = ["area", "from", "to", "event_type"])]
        incidents: Vec<String>,
    },
    /// Check a package: every file in its manifest is there with the same SHA-256, and
    /// no file is unlisted. Names each problem; exit code 1 if any.
    #[command(after_help = "Example:\n  sijill export verify jableh.zip")]
    Verify {
        /// The package.
        package: PathBuf,
    },
}

/// The actor for `--as USERNAME`, with the user's role.
async fn actor_of(store: &Store, user: &str) -> Result<(Actor, Role), CliError> {
    let username = Username::parse(user).map_err(|e| CliError::input(format!("--as: {e}")))?;
    let Some(u) = store
        .user_by_username(&username)
        .await
        .context("reading users")?
    else {
        return Err(CliError::input(format!("--as: no user {user:?}")));
    };
    Ok((
        Actor {
            user: Some(u.id),
            org: u.org_id,
        },
        u.role,
    ))
}

/// Runs `sijill evidence …`.
pub fn evidence(args: EvidenceArgs) -> Result<(), CliError> {
    match args.command {
        EvidenceCommand::Verify { files, user } => {
            let dir = files.files()?;
            block_on(async move {
                let store = open_store(&files.db.db).await?;
                let by = match &user {
                    Some(u) => Some(actor_of(&store, u).await?.0),
                    None => None,
                };
                let checks = store
                    .verify_evidence_files(&dir, by)
                    .await
                    .context("checking evidence files")?;
                let custody = store
                    .verify_custody()
                    .await
                    .context("checking the custody log")?;
                let mut bad = 0;
                for (e, c) in &checks {
                    match c {
                        FileCheck::Intact => {}
                        FileCheck::Missing => {
                            bad += 1;
                            println!(
                                "MISSING   {} ({}, sha256 {})",
                                e.original_name, e.id, e.sha256
                            );
                        }
                        FileCheck::Mismatch { actual } => {
                            bad += 1;
                            println!(
                                "MISMATCH  {} ({}): recorded sha256 {}, file now {}",
                                e.original_name, e.id, e.sha256, actual
                            );
                        }
                    }
                }
                if let Some(seq) = custody.first_break {
                    bad += 1;
                    println!("CUSTODY   the custody log is broken at entry {seq}");
                }
                println!(
                    "{} evidence files checked, {} custody entries checked, {} problem(s)",
                    checks.len(),
                    custody.checked,
                    bad
                );
                store.close().await;
                if bad > 0 {
                    return Err(CliError::Other(anyhow::anyhow!("{bad} problem(s) found")));
                }
                Ok(())
            })
        }
    }
}

/// Runs `sijill export …`.
pub fn export(args: ExportArgs) -> Result<(), CliError> {
    match args.command {
        ExportCommand::Package {
            files,
            out,
            user,
            area,
            from,
            to,
            event_type,
            incidents,
        } => {
            let day = |s: &Option<String>, flag: &str| -> Result<Option<Day>, CliError> {
                s.as_deref()
                    .map(|s| Day::parse(s).map_err(|e| CliError::input(format!("{flag}: {e}"))))
                    .transpose()
            };
            let filter = IncidentFilter {
                area,
                event_type: event_type
                    .as_deref()
                    .map(|s| s.parse::<EventType>())
                    .transpose()
                    .map_err(|e| CliError::input(format!("--event-type: {e}")))?,
                from: day(&from, "--from")?,
                to: day(&to, "--to")?,
            };
            let selection = if incidents.is_empty() {
                Selection::Filter(filter)
            } else {
                Selection::Ids(
                    incidents
                        .iter()
                        .map(|i| {
                            uuid::Uuid::parse_str(i.trim()).map_err(|_| {
                                CliError::input(format!("--incident: {i:?} is not an incident id"))
                            })
                        })
                        .collect::<Result<_, _>>()?,
                )
            };
            if out.exists() {
                return Err(CliError::input(format!(
                    "{}: already exists; choose another --out",
                    out.display()
                )));
            }
            let dir = files.files()?;
            block_on(async move {
                let store = open_store(&files.db.db).await?;
                let (by, role) = actor_of(&store, &user).await?;
                if !package::may_export(role) {
                    return Err(CliError::input(format!(
                        "--as: {user:?} has a role that may not export (admin, coordinator or documenter may)"
                    )));
                }
                let p = match package::build(&store, &dir, &selection, by).await {
                    Ok(p) => p,
                    Err(e @ (PackageError::UnknownIncident(_) | PackageError::Empty)) => {
                        return Err(CliError::input(format!("--incident: {e}")));
                    }
                    Err(e) => return Err(CliError::Other(anyhow::anyhow!("{e}"))),
                };
                write_new(&out, &p.zip)?;
                println!(
                    "wrote {}: {} incidents, {} evidence files, {} files in the manifest",
                    out.display(),
                    p.incidents,
                    p.evidence,
                    p.files
                );
                store.close().await;
                Ok(())
            })
        }
        ExportCommand::Verify { package } => {
            let problems = verify_package(&package)?;
            for p in &problems {
                println!("{p}");
            }
            if problems.is_empty() {
                println!("{}: every file matches its manifest", package.display());
                Ok(())
            } else {
                Err(CliError::Other(anyhow::anyhow!(
                    "{}: {} problem(s) found",
                    package.display(),
                    problems.len()
                )))
            }
        }
    }
}

/// Every problem of a package, one line each naming the file; empty when intact.
pub fn verify_package(path: &Path) -> Result<Vec<String>, CliError> {
    let f = std::fs::File::open(path)
        .map_err(|e| CliError::input(format!("{}: cannot open ({e})", path.display())))?;
    package::verify(std::io::BufReader::new(f))
        .map_err(|e| CliError::input(format!("{}: {e}", path.display())))
}

/// Writes `bytes` to a temporary file beside `out`, synced, then renames it into place
/// without replacing an existing file: never a partial package.
fn write_new(out: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let dir = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("creating a file in {}", dir.display()))?;
    tmp.write_all(bytes).context("writing the package")?;
    tmp.as_file().sync_all().context("syncing the package")?;
    tmp.persist_noclobber(out)
        .map_err(|e| CliError::input(format!("{}: cannot write ({})", out.display(), e.error)))?;
    Ok(())
}
