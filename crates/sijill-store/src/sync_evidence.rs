//! Evidence files between instances, by SHA-256: which files an organization's evidence
//! records name, and a resumable upload in chunks that is verified on arrival (the file
//! is kept only when its bytes hash to the name it was sent under).

use crate::Store;
use crate::document_evidence::EvidenceFiles;
use crate::error::StoreError;
use crate::sync_db::{Tx, Val};
use sha2::{Digest, Sha256};
use sijill_model::account::OrgId;
use std::io::{Read, Write};

/// Largest chunk of one upload request.
pub const CHUNK_BYTES: usize = 1024 * 1024;

/// Where an upload stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UploadState {
    /// Bytes received so far (send the next chunk from here).
    pub offset: u64,
    /// The whole file arrived and hashed to its name.
    pub stored: bool,
}

/// Whether `s` is a lower-case hex SHA-256.
pub fn is_sha256(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl Store {
    /// The SHA-256 of every evidence file `org`'s evidence records name.
    pub async fn sync_evidence_hashes(&self, org: OrgId) -> Result<Vec<String>, StoreError> {
        let mut tx = Tx::read(self).await?;
        let rows = tx
            .rows(
                "SELECT DISTINCT sha256 FROM evidence WHERE org_id = $1 ORDER BY sha256",
                &[Val::uuid(org.into())],
            )
            .await?;
        tx.commit().await?;
        Ok(rows
            .into_iter()
            .filter_map(|r| r.into_iter().next().flatten())
            .collect())
    }
}

fn part_path(files: &EvidenceFiles, sha: &str) -> std::path::PathBuf {
    files
        .dir()
        .join("sha256")
        .join(format!(".upload-{sha}.part"))
}

/// Takes one chunk of the upload of file `sha` (blocking IO: call from a blocking
/// thread). A chunk not starting where the upload stands is not written; the answer
/// says where it stands, so a client resumes from there. With `last`, the received
/// bytes are hashed and kept under `sha` only if they match.
pub fn upload_chunk_blocking(
    files: &EvidenceFiles,
    sha: &str,
    offset: u64,
    bytes: &[u8],
    last: bool,
) -> Result<UploadState, StoreError> {
    let io = |e: std::io::Error| StoreError::Database(format!("evidence file i/o ({})", e.kind()));
    if !is_sha256(sha) {
        return Err(StoreError::Invalid(
            "expected a lower-case hex SHA-256".into(),
        ));
    }
    if bytes.len() > CHUNK_BYTES {
        return Err(StoreError::Invalid(format!(
            "a chunk is at most {CHUNK_BYTES} bytes"
        )));
    }
    if files.check_blocking(sha) == crate::document_evidence::FileCheck::Intact {
        let size = std::fs::metadata(files.path_of(sha)).map_err(io)?.len();
        return Ok(UploadState {
            offset: size,
            stored: true,
        });
    }
    let part = part_path(files, sha);
    std::fs::create_dir_all(part.parent().unwrap_or(files.dir())).map_err(io)?;
    let have = std::fs::metadata(&part).map(|m| m.len()).unwrap_or(0);
    if offset != have {
        return Ok(UploadState {
            offset: have,
            stored: false,
        });
    }
    if have + bytes.len() as u64 > crate::document_evidence::MAX_EVIDENCE_BYTES as u64 {
        return Err(StoreError::Invalid(
            "the file is larger than evidence may be".into(),
        ));
    }
    {
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&part)
            .map_err(io)?;
        f.write_all(bytes).map_err(io)?;
        f.sync_all().map_err(io)?;
    }
    let offset = have + bytes.len() as u64;
    if !last {
        return Ok(UploadState {
            offset,
            stored: false,
        });
    }
    let mut hasher = Sha256::new();
    let mut f = std::fs::File::open(&part).map_err(io)?;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = f.read(&mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    let actual = hex::encode(hasher.finalize());
    if actual != sha {
        let _ = std::fs::remove_file(&part);
        return Err(StoreError::Invalid(
            "the uploaded bytes do not hash to the file's SHA-256; send it again".into(),
        ));
    }
    let path = files.path_of(sha);
    std::fs::create_dir_all(path.parent().unwrap_or(files.dir())).map_err(io)?;
    std::fs::rename(&part, &path).map_err(io)?;
    let mut p = std::fs::metadata(&path).map_err(io)?.permissions();
    p.set_readonly(true);
    std::fs::set_permissions(&path, p).map_err(io)?;
    Ok(UploadState {
        offset,
        stored: true,
    })
}
