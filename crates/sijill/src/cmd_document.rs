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
use sijill_model::account::Username;
use sijill_store::document_evidence::{Evidence, EvidenceFiles, FileCheck, sha256_hex};
use sijill_store::document_incident::{Incident, IncidentFilter};
use sijill_store::document_types::{Actor, CustodyEvent, Day, EventType};
use sijill_store::{AuditEntry, Store};
use std::collections::BTreeMap;
use std::io::{Read, Write};
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
    /// missing or changed (exit code 1 if any).
    #[command(after_help = "Example:\n  sijill evidence verify --db sqlite:sijill.db")]
    Verify {
        #[command(flatten)]
        files: FilesArgs,
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
        after_help = "Example:\n  sijill export package --out jableh.zip --area SY0602 --from 2025-03-06 --as documenter"
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
    },
    /// Check a package: every file in its manifest is there with the same SHA-256, and
    /// no file is unlisted. Names each problem; exit code 1 if any.
    #[command(after_help = "Example:\n  sijill export verify jableh.zip")]
    Verify {
        /// The package.
        package: PathBuf,
    },
}

/// Runs `sijill evidence …`.
pub fn evidence(args: EvidenceArgs) -> Result<(), CliError> {
    match args.command {
        EvidenceCommand::Verify { files } => {
            let dir = files.files()?;
            block_on(async move {
                let store = open_store(&files.db.db).await?;
                let checks = store
                    .check_evidence_files(&dir)
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
            let username =
                Username::parse(&user).map_err(|e| CliError::input(format!("--as: {e}")))?;
            if out.exists() {
                return Err(CliError::input(format!(
                    "{}: already exists; choose another --out",
                    out.display()
                )));
            }
            let dir = files.files()?;
            block_on(async move {
                let store = open_store(&files.db.db).await?;
                let Some(u) = store
                    .user_by_username(&username)
                    .await
                    .context("reading users")?
                else {
                    return Err(CliError::input(format!("--as: no user {user:?}")));
                };
                let by = Actor {
                    user: Some(u.id),
                    org: u.org_id,
                };
                let summary = package(&store, &dir, &filter, &out, by).await?;
                println!(
                    "wrote {}: {} incidents, {} evidence files, {} files in the manifest",
                    out.display(),
                    summary.0,
                    summary.1,
                    summary.2
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

/// A file name safe in a zip on every system: letters, digits, `.`, `-`, `_`.
fn safe_name(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let s = s
        .trim_start_matches('.')
        .chars()
        .take(80)
        .collect::<String>();
    if s.is_empty() { "file".into() } else { s }
}

fn evidence_path(e: &Evidence) -> String {
    format!(
        "evidence/{}-{}",
        &e.sha256[..12],
        safe_name(&e.original_name)
    )
}

fn incidents_csv(incidents: &[Incident]) -> Result<Vec<u8>, CliError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "incident_id",
        "occurred_on",
        "date_precision",
        "area_pcode",
        "place",
        "event_type",
        "sub_event_type",
        "summary",
        "source",
        "source_url",
        "alleged_perpetrator",
        "target",
        "claim",
    ])
    .context("writing CSV")?;
    w.write_record([
        "#meta+id",
        "#date+occurred",
        "#date+precision",
        "#adm+code",
        "#loc+name",
        "#event+type",
        "#event+subtype",
        "#description",
        "#meta+source",
        "#meta+url",
        "#group+perpetrator",
        "#group+target",
        "#description+claim",
    ])
    .context("writing CSV")?;
    for i in incidents {
        for s in &i.sources {
            w.write_record([
                i.id.to_string().as_str(),
                &i.occurred_on.to_text(),
                i.precision.as_str(),
                &i.area,
                &i.place,
                i.event_type.as_str(),
                i.sub_event_type.as_str(),
                &i.summary,
                &s.source,
                s.url.as_deref().unwrap_or(""),
                &s.perpetrator,
                &s.target,
                &s.claim,
            ])
            .context("writing CSV")?;
        }
    }
    w.into_inner()
        .map_err(|e| CliError::Other(anyhow::anyhow!("writing CSV: {e}")))
}

fn evidence_csv(evidence: &[Evidence]) -> Result<Vec<u8>, CliError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "evidence_id",
        "incident_id",
        "file",
        "sha256",
        "bytes",
        "media_type",
        "original_name",
        "origin_url",
        "captured_at",
        "capture_tool",
        "captured_by",
        "violation",
        "description",
    ])
    .context("writing CSV")?;
    for e in evidence {
        w.write_record([
            e.id.to_string(),
            e.incident_id.map(|i| i.to_string()).unwrap_or_default(),
            evidence_path(e),
            e.sha256.clone(),
            e.size_bytes.to_string(),
            e.media_type.clone(),
            e.original_name.clone(),
            e.origin_url.clone().unwrap_or_default(),
            e.captured_at
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
            e.capture_tool.clone(),
            e.captured_by.clone(),
            e.violation.as_str().to_owned(),
            e.description.clone(),
        ])
        .context("writing CSV")?;
    }
    w.into_inner()
        .map_err(|e| CliError::Other(anyhow::anyhow!("writing CSV: {e}")))
}

const METHOD: &str = "# How this package was made\n\n\
This package was written by sijill. It holds the incidents selected at export time, each with every \
source's own account (alleged perpetrator and target as stated by that source, never merged), the \
evidence linked to them, and the custody log of that evidence.\n\n\
- `records/` — incidents and evidence as CSV (with HXL hashtags on the second row of incidents.csv) and JSON.\n\
- `evidence/` — each file exactly as captured: the bytes stored when it was uploaded, never transcoded. \
Its name starts with the first 12 hex digits of its SHA-256.\n\
- `custody/custody_log.json` — every custody event of the exported evidence (captured, viewed, \
transferred, exported, verified). Each entry carries `prev_hash` and `hash` of sijill's custody chain, \
`hash = SHA-256(prev_hash \\n canonical)` over the whole instance's log, so entries of evidence not in \
this package are absent and the chain can be re-checked in full only on the instance.\n\
- `manifest.json` — the SHA-256 and size of every other file of the package. Check it with \
`sijill export verify PACKAGE`, or with any SHA-256 tool.\n\n\
Testimonies are not included: their consent scope and sharing are decided per testimony. Dates are \
`YYYY-MM-DD` with their precision (day, month, approximate); areas are OCHA p-codes; event types are \
ACLED's; violation categories follow the UN Commission of Inquiry on the Syrian Arab Republic.\n";

/// Writes the package; returns (incidents, evidence files, manifest entries).
async fn package(
    store: &Store,
    files: &EvidenceFiles,
    filter: &IncidentFilter,
    out: &Path,
    by: Actor,
) -> Result<(usize, usize, usize), CliError> {
    let incidents = store
        .list_incidents(filter)
        .await
        .context("reading incidents")?;
    let mut evidence = Vec::new();
    for i in &incidents {
        evidence.extend(
            store
                .list_evidence(Some(i.id))
                .await
                .context("reading evidence")?,
        );
    }
    // Files first: a stored file that no longer matches its hash stops the export.
    let mut contents: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for e in &evidence {
        let f = files.clone();
        let sha = e.sha256.clone();
        let bytes = tokio::task::spawn_blocking(move || f.read_blocking(&sha))
            .await
            .context("reading evidence")?
            .with_context(|| format!("reading the stored file of {}", e.original_name))?;
        if sha256_hex(&bytes) != e.sha256 {
            return Err(CliError::Other(anyhow::anyhow!(
                "the stored file of {} ({}) no longer matches its SHA-256; run `sijill evidence verify`",
                e.original_name,
                e.id
            )));
        }
        contents.insert(evidence_path(e), bytes);
    }
    let mut custody = Vec::new();
    for e in &evidence {
        custody.extend(
            store
                .custody_log(Some(e.id))
                .await
                .context("reading custody")?,
        );
    }
    custody.sort_by_key(|c| c.seq);
    let json = |v: &dyn erased::Json| v.to_json();
    contents.insert("records/incidents.csv".into(), incidents_csv(&incidents)?);
    contents.insert("records/incidents.json".into(), json(&incidents)?);
    contents.insert("records/evidence.csv".into(), evidence_csv(&evidence)?);
    contents.insert("records/evidence.json".into(), json(&evidence)?);
    contents.insert("custody/custody_log.json".into(), json(&custody)?);
    contents.insert("METHOD.md".into(), METHOD.as_bytes().to_vec());
    let created = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let manifest = serde_json::json!({
        "format": "sijill investigator package 1",
        "created_at": created,
        "generator": format!("sijill {}", env!("CARGO_PKG_VERSION")),
        "selection": {
            "area": filter.area,
            "from": filter.from.map(|d| d.to_text()),
            "to": filter.to.map(|d| d.to_text()),
            "event_type": filter.event_type.map(|e| e.as_str()),
        },
        "files": contents.iter().map(|(p, b)| serde_json::json!({
            "path": p, "sha256": sha256_hex(b), "bytes": b.len()
        })).collect::<Vec<_>>(),
    });
    let manifest = serde_json::to_vec_pretty(&manifest).context("writing the manifest")?;
    let n_manifest = contents.len();
    contents.insert("manifest.json".into(), manifest.clone());

    // Written to a temporary file beside the target and renamed: never a partial package.
    let out_owned = out.to_path_buf();
    tokio::task::spawn_blocking(move || write_zip(&out_owned, &contents))
        .await
        .context("writing the package")??;
    for e in &evidence {
        store
            .record_custody(
                e.id,
                CustodyEvent::Exported,
                by,
                &format!("package sha256 manifest {}", &sha256_hex(&manifest)[..16]),
            )
            .await
            .context("recording custody")?;
    }
    store
        .append_audit(&AuditEntry {
            actor: by.user,
            org: Some(by.org),
            action: "export.package".into(),
            entity: "incident".into(),
            entity_id: None,
            detail: serde_json::json!({
                "incidents": incidents.len(),
                "evidence": evidence.len(),
                "manifest_sha256": sha256_hex(&manifest),
            }),
        })
        .await
        .context("writing the audit log")?;
    Ok((incidents.len(), evidence.len(), n_manifest))
}

/// Serializing any record list to pretty JSON.
mod erased {
    use crate::error::CliError;
    use anyhow::Context;

    pub trait Json {
        fn to_json(&self) -> Result<Vec<u8>, CliError>;
    }

    impl<T: serde::Serialize> Json for T {
        fn to_json(&self) -> Result<Vec<u8>, CliError> {
            Ok(serde_json::to_vec_pretty(self).context("writing JSON")?)
        }
    }
}

fn write_zip(out: &Path, contents: &BTreeMap<String, Vec<u8>>) -> Result<(), CliError> {
    let dir = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("creating a file in {}", dir.display()))?;
    {
        let mut z = zip::ZipWriter::new(tmp.as_file());
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (path, bytes) in contents {
            z.start_file(path.as_str(), opts)
                .context("writing the zip")?;
            z.write_all(bytes).context("writing the zip")?;
        }
        z.finish().context("writing the zip")?;
    }
    tmp.as_file().sync_all().context("syncing the package")?;
    tmp.persist_noclobber(out)
        .map_err(|e| CliError::input(format!("{}: cannot write ({})", out.display(), e.error)))?;
    Ok(())
}

/// Every problem of a package, one line each naming the file; empty when intact.
pub fn verify_package(path: &Path) -> Result<Vec<String>, CliError> {
    let f = std::fs::File::open(path)
        .map_err(|e| CliError::input(format!("{}: cannot open ({e})", path.display())))?;
    let mut z = zip::ZipArchive::new(f)
        .map_err(|e| CliError::input(format!("{}: not a zip package ({e})", path.display())))?;
    let mut read = |name: &str| -> Option<Vec<u8>> {
        let mut entry = z.by_name(name).ok()?;
        let mut b = Vec::new();
        entry.read_to_end(&mut b).ok()?;
        Some(b)
    };
    let Some(manifest) = read("manifest.json") else {
        return Err(CliError::input(format!(
            "{}: no manifest.json",
            path.display()
        )));
    };
    let manifest: serde_json::Value = serde_json::from_slice(&manifest).map_err(|e| {
        CliError::input(format!(
            "{}: manifest.json is not JSON ({e})",
            path.display()
        ))
    })?;
    let listed = manifest["files"].as_array().cloned().unwrap_or_default();
    let mut problems = Vec::new();
    let mut names = std::collections::BTreeSet::new();
    for f in &listed {
        let (Some(p), Some(want)) = (f["path"].as_str(), f["sha256"].as_str()) else {
            problems.push("manifest.json: an entry without path or sha256".to_owned());
            continue;
        };
        names.insert(p.to_owned());
        match read(p) {
            None => problems.push(format!("MISSING   {p}")),
            Some(b) => {
                let got = sha256_hex(&b);
                if got != want {
                    problems.push(format!("MISMATCH  {p}: manifest sha256 {want}, file {got}"));
                }
            }
        }
    }
    let all: Vec<String> = z
        .file_names()
        .filter_map(Result::ok)
        .map(|n| n.into_owned())
        .collect();
    for n in all {
        if n != "manifest.json" && !names.contains(&n) && !n.ends_with('/') {
            problems.push(format!("UNLISTED  {n}"));
        }
    }
    Ok(problems)
}
