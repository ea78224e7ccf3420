//! The investigator package: a zip of the selected incidents and their evidence
//! (records as CSV and JSON, the original files, the custody log, a method note) with a
//! manifest of every file's SHA-256, and its check on any machine. Used by the web
//! export button and by `sijill export package | verify`.
//!
//! A package is built in memory, written whole (never a partial file), logged as an
//! `exported` custody event per file and in the audit log. Testimonies are never put in
//! a package: their consent and sharing are decided per testimony in the application.

use sha2::{Digest, Sha256};
use sijill_model::account::Role;
use sijill_store::document_evidence::{Evidence, EvidenceFiles, sha256_hex};
use sijill_store::document_incident::{Incident, IncidentFilter};
use sijill_store::document_types::{Actor, CustodyEvent};
use sijill_store::{AuditEntry, Store, StoreError};
use std::collections::BTreeMap;
use std::io::{Read, Seek, Write};
use uuid::Uuid;

/// Whether a role may export packages (records and original evidence files leave the
/// instance): administrators, coordinators and documenters.
pub fn may_export(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Coordinator | Role::Documenter)
}

/// Why a package could not be made or read.
#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    /// A store error.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A selected incident does not exist.
    #[error("no incident {0}")]
    UnknownIncident(Uuid),
    /// Nothing was selected.
    #[error("no incident matches the selection")]
    Empty,
    /// A stored file no longer matches its hash (the export stops).
    #[error(
        "the stored file of {name} ({id}) no longer matches its SHA-256; run `sijill evidence verify`"
    )]
    Tampered {
        /// The file's original name.
        name: String,
        /// The evidence id.
        id: Uuid,
    },
    /// A stored file could not be read.
    #[error("the stored file of {name} could not be read ({kind})")]
    Unreadable {
        /// The file's original name.
        name: String,
        /// What went wrong.
        kind: std::io::ErrorKind,
    },
    /// Writing or reading the zip failed.
    #[error("zip: {0}")]
    Zip(String),
    /// The package is not a package (no manifest, not JSON).
    #[error("{0}")]
    NotAPackage(String),
}

/// What to put in a package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// The incidents a filter finds.
    Filter(IncidentFilter),
    /// These incidents, by id.
    Ids(Vec<Uuid>),
}

/// A package built in memory.
#[derive(Debug, Clone)]
pub struct Package {
    /// The zip file's bytes.
    pub zip: Vec<u8>,
    /// Incidents in it.
    pub incidents: usize,
    /// Evidence files in it.
    pub evidence: usize,
    /// Files listed in the manifest.
    pub files: usize,
    /// SHA-256 of the manifest.
    pub manifest_sha256: String,
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

fn csv_bytes(rows: Vec<Vec<String>>) -> Result<Vec<u8>, PackageError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.write_record(r)
            .map_err(|e| PackageError::Zip(e.to_string()))?;
    }
    w.into_inner().map_err(|e| PackageError::Zip(e.to_string()))
}

fn strings(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|s| (*s).to_owned()).collect()
}

fn incidents_csv(incidents: &[Incident]) -> Result<Vec<u8>, PackageError> {
    let mut rows = vec![
        strings(&[
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
        ]),
        strings(&[
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
        ]),
    ];
    for i in incidents {
        for s in &i.sources {
            rows.push(vec![
                i.id.to_string(),
                i.occurred_on.to_text(),
                i.precision.as_str().to_owned(),
                i.area.clone(),
                i.place.clone(),
                i.event_type.as_str().to_owned(),
                i.sub_event_type.as_str().to_owned(),
                i.summary.clone(),
                s.source.clone(),
                s.url.clone().unwrap_or_default(),
                s.perpetrator.clone(),
                s.target.clone(),
                s.claim.clone(),
            ]);
        }
    }
    csv_bytes(rows)
}

fn evidence_csv(evidence: &[Evidence]) -> Result<Vec<u8>, PackageError> {
    let mut rows = vec![strings(&[
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
    ])];
    for e in evidence {
        rows.push(vec![
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
        ]);
    }
    csv_bytes(rows)
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
ACLED's; violation categories follow the UN Commission of Inquiry on the Syrian Arab Republic. \
Zip entry times are the time of export (UTC).\n";

fn json<T: serde::Serialize>(v: &T) -> Result<Vec<u8>, PackageError> {
    serde_json::to_vec_pretty(v).map_err(|e| PackageError::Zip(e.to_string()))
}

/// Builds the package of `selection`, then logs it (an `exported` custody event per
/// evidence file, one audit entry). A stored file that no longer matches its hash
/// stops the export before anything is logged.
pub async fn build(
    store: &Store,
    files: &EvidenceFiles,
    selection: &Selection,
    by: Actor,
) -> Result<Package, PackageError> {
    let incidents = match selection {
        Selection::Filter(f) => store.list_incidents(f).await?,
        Selection::Ids(ids) => {
            let mut out = Vec::new();
            let mut seen = std::collections::BTreeSet::new();
            for id in ids {
                if !seen.insert(*id) {
                    continue;
                }
                out.push(
                    store
                        .incident(*id)
                        .await?
                        .ok_or(PackageError::UnknownIncident(*id))?,
                );
            }
            out
        }
    };
    if incidents.is_empty() {
        return Err(PackageError::Empty);
    }
    let mut evidence = Vec::new();
    for i in &incidents {
        evidence.extend(store.list_evidence(Some(i.id)).await?);
    }
    let mut contents: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for e in &evidence {
        let f = files.clone();
        let sha = e.sha256.clone();
        let read = tokio::task::spawn_blocking(move || {
            let bytes = f.read_blocking(&sha)?;
            let ok = hex::encode(Sha256::digest(&bytes)) == sha;
            Ok::<_, std::io::Error>((bytes, ok))
        })
        .await
        .map_err(|_| PackageError::Unreadable {
            name: e.original_name.clone(),
            kind: std::io::ErrorKind::Other,
        })?;
        let (bytes, ok) = read.map_err(|err| PackageError::Unreadable {
            name: e.original_name.clone(),
            kind: err.kind(),
        })?;
        if !ok {
            return Err(PackageError::Tampered {
                name: e.original_name.clone(),
                id: e.id,
            });
        }
        contents.insert(evidence_path(e), bytes);
    }
    let mut custody = Vec::new();
    for e in &evidence {
        custody.extend(store.custody_log(Some(e.id)).await?);
    }
    custody.sort_by_key(|c| c.seq);
    contents.insert("records/incidents.csv".into(), incidents_csv(&incidents)?);
    contents.insert("records/incidents.json".into(), json(&incidents)?);
    contents.insert("records/evidence.csv".into(), evidence_csv(&evidence)?);
    contents.insert("records/evidence.json".into(), json(&evidence)?);
    contents.insert("custody/custody_log.json".into(), json(&custody)?);
    contents.insert("METHOD.md".into(), METHOD.as_bytes().to_vec());
    let now = time::OffsetDateTime::now_utc();
    let selected = match selection {
        Selection::Filter(f) => serde_json::json!({
            "area": f.area,
            "from": f.from.map(|d| d.to_text()),
            "to": f.to.map(|d| d.to_text()),
            "event_type": f.event_type.map(|e| e.as_str()),
        }),
        Selection::Ids(_) => serde_json::json!({
            "incidents": incidents.iter().map(|i| i.id.to_string()).collect::<Vec<_>>(),
        }),
    };
    let manifest = serde_json::json!({
        "format": "sijill investigator package 1",
        "created_at": now.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
        "generator": format!("sijill {}", env!("CARGO_PKG_VERSION")),
        "selection": selected,
        "files": contents.iter().map(|(p, b)| serde_json::json!({
            "path": p, "sha256": sha256_hex(b), "bytes": b.len()
        })).collect::<Vec<_>>(),
    });
    let manifest = json(&manifest)?;
    let manifest_sha256 = sha256_hex(&manifest);
    let n_files = contents.len();
    contents.insert("manifest.json".into(), manifest);
    let zip = tokio::task::spawn_blocking(move || zip_bytes(&contents, now))
        .await
        .map_err(|e| PackageError::Zip(e.to_string()))??;
    for e in &evidence {
        store
            .record_custody(
                e.id,
                CustodyEvent::Exported,
                by,
                &format!("package manifest sha256 {}", &manifest_sha256[..16]),
            )
            .await?;
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
                "manifest_sha256": manifest_sha256,
            }),
        })
        .await?;
    Ok(Package {
        zip,
        incidents: incidents.len(),
        evidence: evidence.len(),
        files: n_files,
        manifest_sha256,
    })
}

/// The zip of `contents`, every entry stamped with `at` (UTC): zip's own default is
/// 1980-01-01, which reads as a wrong date to an investigator.
fn zip_bytes(
    contents: &BTreeMap<String, Vec<u8>>,
    at: time::OffsetDateTime,
) -> Result<Vec<u8>, PackageError> {
    let err = |e: &dyn std::fmt::Display| PackageError::Zip(e.to_string());
    let stamp = zip::DateTime::from_date_and_time(
        u16::try_from(at.year()).map_err(|e| err(&e))?,
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
    )
    .map_err(|e| err(&e))?;
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(stamp);
    for (path, bytes) in contents {
        z.start_file(path.as_str(), opts).map_err(|e| err(&e))?;
        z.write_all(bytes).map_err(|e| err(&e))?;
    }
    Ok(z.finish().map_err(|e| err(&e))?.into_inner())
}

/// Every problem of a package, one line each naming the file (`MISSING`, `MISMATCH`,
/// `UNLISTED`); empty when intact.
pub fn verify<R: Read + Seek>(package: R) -> Result<Vec<String>, PackageError> {
    let mut z = zip::ZipArchive::new(package)
        .map_err(|e| PackageError::NotAPackage(format!("not a zip package ({e})")))?;
    let mut read = |name: &str| -> Option<Vec<u8>> {
        let mut entry = z.by_name(name).ok()?;
        let mut b = Vec::new();
        entry.read_to_end(&mut b).ok()?;
        Some(b)
    };
    let Some(manifest) = read("manifest.json") else {
        return Err(PackageError::NotAPackage("no manifest.json".into()));
    };
    let manifest: serde_json::Value = serde_json::from_slice(&manifest)
        .map_err(|e| PackageError::NotAPackage(format!("manifest.json is not JSON ({e})")))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_carry_the_export_time_not_1980() {
        let mut c = BTreeMap::new();
        c.insert("a.txt".to_owned(), b"hello".to_vec());
        let at = time::macros::datetime!(2026-03-09 14:05:06 UTC);
        let bytes = zip_bytes(&c, at).unwrap();
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let e = z.by_index(0).unwrap();
        let t = e.last_modified().unwrap();
        assert_eq!(
            (t.year(), t.month(), t.day(), t.hour(), t.minute()),
            (2026, 3, 9, 14, 5)
        );
    }

    #[test]
    fn names_are_safe() {
        let s = safe_name("../../etc/passwd");
        assert!(!s.contains('/') && !s.starts_with('.'), "{s}");
        assert_eq!(safe_name("فيديو 1.mp4"), "فيديو_1.mp4");
        assert_eq!(safe_name("..."), "file");
    }
}
