//! `sijill evidence verify`, `sijill export package` and `sijill export verify` on a
//! real database: a package verifies; a file changed in the package, or in storage, is
//! reported by name with exit code 1; every export is logged.

mod common;

use common::{sijill, text};

use sijill_model::account::{NewOrganization, NewUser, OrgKind, PasswordHash, Role, Username};
use sijill_store::Store;
use sijill_store::document_evidence::{EvidenceFiles, NewEvidence};
use sijill_store::document_incident::{IncidentSource, NewIncident};
use sijill_store::document_types::{Actor, DatePrecision, Day, SubEventType, Violation};
use std::io::{Read, Write};
use std::path::Path;

async fn seed(url: &str, files: &EvidenceFiles) -> Store {
    let store = Store::open(url).await.unwrap();
    let org = store
        .create_org(&NewOrganization {
            name: "Coastal Monitor".into(),
            name_ar: None,
            kind: OrgKind::Monitor,
            network_member: true,
        })
        .await
        .unwrap();
    let user = store
        .create_user(&NewUser {
            username: Username::parse("rana").unwrap(),
            display_name: "Rana".into(),
            org_id: org.id,
            role: Role::Documenter,
            password_hash: PasswordHash::new("$argon2id$v=19$x"),
            must_change_password: false,
        })
        .await
        .unwrap();
    let by = Actor {
        user: Some(user.id),
        org: org.id,
    };
    let inc = store
        .create_incident(
            &NewIncident {
                occurred_on: Day::parse("2025-03-07").unwrap(),
                precision: DatePrecision::Day,
                area: "SY0602".into(),
                place: "Jableh".into(),
                sub_event_type: SubEventType::Attack,
                summary: "killings".into(),
                sources: vec![IncidentSource {
                    source: "Monitor".into(),
                    url: None,
                    perpetrator: "gunmen".into(),
                    target: "residents".into(),
                    claim: "12 killed".into(),
                }],
            },
            by,
        )
        .await
        .unwrap();
    for (name, bytes) in [
        ("video note.txt", &b"first"[..]),
        ("photo.png", &b"second"[..]),
    ] {
        store
            .add_evidence(
                files,
                &NewEvidence {
                    incident_id: Some(inc.id),
                    original_name: name.into(),
                    media_type: "text/plain".into(),
                    origin_url: None,
                    captured_at: time::OffsetDateTime::now_utc(),
                    capture_tool: "phone".into(),
                    captured_by: "Rana".into(),
                    violation: Violation::UnlawfulKilling,
                    description: String::new(),
                },
                bytes.to_vec(),
                by,
            )
            .await
            .unwrap();
    }
    store
}

/// Rewrites the zip at `path` with `change` applied to the entry whose name contains
/// `needle` (or that entry left out when `change` gives `None`).
fn rewrite(path: &Path, needle: &str, change: impl Fn(Vec<u8>) -> Option<Vec<u8>>) -> String {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut entries = Vec::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let mut b = Vec::new();
        f.read_to_end(&mut b).unwrap();
        entries.push((f.name().unwrap().into_owned(), b));
    }
    let mut hit = String::new();
    let out = std::fs::File::create(path).unwrap();
    let mut w = zip::ZipWriter::new(out);
    for (name, b) in entries {
        let b = if name.contains(needle) {
            hit = name.clone();
            match change(b) {
                Some(b) => b,
                None => continue,
            }
        } else {
            b
        };
        w.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(&b).unwrap();
    }
    w.finish().unwrap();
    hit
}

#[tokio::test]
async fn package_verifies_and_tampering_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let url = format!("sqlite:{}", db.display());
    let files = EvidenceFiles::beside(&url).unwrap();
    let store = seed(&url, &files).await;

    let ok = sijill(&["evidence", "verify", "--db", &url, "--as", "rana"]);
    assert!(ok.status.success(), "{}", text(&ok));
    assert!(
        text(&ok).contains("2 evidence files checked"),
        "{}",
        text(&ok)
    );
    let verified = |log: &[sijill_store::document_evidence::CustodyRecord], id| {
        log.iter()
            .filter(|c| c.evidence_id == id && c.event.as_str() == "verified")
            .count()
    };
    let ev = store.list_evidence(None).await.unwrap();
    let log = store.custody_log(None).await.unwrap();
    for e in &ev {
        assert_eq!(verified(&log, e.id), 1, "{}", e.original_name);
    }

    // Chosen incidents by id; an unknown id or a malformed one is bad input.
    let incident = store.list_incidents(&Default::default()).await.unwrap()[0].id;
    let by_id = dir.path().join("by-id.zip");
    let o = sijill(&[
        "export",
        "package",
        "--db",
        &url,
        "--out",
        by_id.to_str().unwrap(),
        "--as",
        "rana",
        "--incident",
        &incident.to_string(),
        "--incident",
        &incident.to_string(),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("1 incidents, 2 evidence files"),
        "{}",
        text(&o)
    );
    // Entries carry the time of export, not zip's default of 1980.
    let mut z = zip::ZipArchive::new(std::fs::File::open(&by_id).unwrap()).unwrap();
    let year = time::OffsetDateTime::now_utc().year() as u16;
    for i in 0..z.len() {
        let e = z.by_index(i).unwrap();
        assert_eq!(e.last_modified().unwrap().year(), year, "{i}");
    }
    for bad in ["0192f0c4-0000-7000-8000-000000000000", "jableh"] {
        let out = dir.path().join("never.zip");
        let o = sijill(&[
            "export",
            "package",
            "--db",
            &url,
            "--out",
            out.to_str().unwrap(),
            "--as",
            "rana",
            "--incident",
            bad,
        ]);
        assert_eq!(o.status.code(), Some(2), "{}", text(&o));
        assert!(!out.exists());
    }

    let zip = dir.path().join("package.zip");
    let zip_s = zip.to_str().unwrap();
    let o = sijill(&[
        "export", "package", "--db", &url, "--out", zip_s, "--as", "rana", "--area", "SY06",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("1 incidents, 2 evidence files"),
        "{}",
        text(&o)
    );
    // Never overwritten.
    let again = sijill(&[
        "export", "package", "--db", &url, "--out", zip_s, "--as", "rana",
    ]);
    assert_eq!(again.status.code(), Some(2), "{}", text(&again));

    // The export is in the audit log and in each file's custody.
    let audit = store.recent_audit(50).await.unwrap();
    assert!(audit.iter().any(|r| r.action == "export.package"));
    let custody = store.custody_log(None).await.unwrap();
    assert_eq!(
        custody
            .iter()
            .filter(|c| c.event.as_str() == "exported")
            .count(),
        4
    );

    // On "another machine": a copy of the package alone verifies.
    let copy = tempfile::tempdir().unwrap();
    let moved = copy.path().join("p.zip");
    std::fs::copy(&zip, &moved).unwrap();
    let v = sijill(&["export", "verify", moved.to_str().unwrap()]);
    assert!(v.status.success(), "{}", text(&v));

    // A changed evidence file is named.
    let changed = rewrite(&moved, "photo.png", |mut b| {
        b.push(b'!');
        Some(b)
    });
    let v = sijill(&["export", "verify", moved.to_str().unwrap()]);
    assert_eq!(v.status.code(), Some(1));
    assert!(
        text(&v).contains(&format!("MISMATCH  {changed}")),
        "{}",
        text(&v)
    );
    assert!(!text(&v).contains("video_note"), "{}", text(&v));

    // A removed one too.
    std::fs::copy(&zip, &moved).unwrap();
    let removed = rewrite(&moved, "video_note", |_| None);
    let v = sijill(&["export", "verify", moved.to_str().unwrap()]);
    assert_eq!(v.status.code(), Some(1));
    assert!(
        text(&v).contains(&format!("MISSING   {removed}")),
        "{}",
        text(&v)
    );

    // A file changed in storage is named by `evidence verify`, and blocks an export.
    let ev = store.list_evidence(None).await.unwrap();
    let photo = ev.iter().find(|e| e.original_name == "photo.png").unwrap();
    let p = files.path_of(&photo.sha256);
    let mut perm = std::fs::metadata(&p).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perm.set_readonly(false);
    std::fs::set_permissions(&p, perm).unwrap();
    std::fs::write(&p, b"edited").unwrap();
    let bad = sijill(&["evidence", "verify", "--db", &url]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(text(&bad).contains("MISMATCH  photo.png"), "{}", text(&bad));
    assert!(!text(&bad).contains("video note.txt"), "{}", text(&bad));
    // Only the file that still matches was verified again.
    let log = store.custody_log(None).await.unwrap();
    let video = ev
        .iter()
        .find(|e| e.original_name == "video note.txt")
        .unwrap();
    assert_eq!(verified(&log, video.id), 2);
    assert_eq!(verified(&log, photo.id), 1);
    let blocked = dir.path().join("blocked.zip");
    let o = sijill(&[
        "export",
        "package",
        "--db",
        &url,
        "--out",
        blocked.to_str().unwrap(),
        "--as",
        "rana",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(!blocked.exists());
    store.close().await;
}

#[test]
fn bad_input_exits_2() {
    let o = sijill(&["export", "verify", "/nonexistent/p.zip"]);
    assert_eq!(o.status.code(), Some(2));
    let o = sijill(&[
        "export",
        "package",
        "--db",
        "sqlite::memory:",
        "--out",
        "x.zip",
        "--as",
        "rana",
        "--from",
        "2025-13-01",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}
