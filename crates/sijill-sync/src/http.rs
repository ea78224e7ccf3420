//! The HTTP transport: the server's JSON sync API with a bearer token.

use crate::{Account, Transport, TransportError};
use sijill_store::{ApplyOutcome, Batch, PullPage};

/// Talks to `<base>/api/v1/sync/…` with an API token.
#[derive(Clone)]
pub struct HttpTransport {
    client: reqwest::Client,
    base: String,
    token: String,
    server_instance: std::sync::Arc<std::sync::Mutex<Option<uuid::Uuid>>>,
    /// Whether a pull has asked the server to capture its own changes yet.
    asked_capture: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl std::fmt::Debug for HttpTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the token.
        f.debug_struct("HttpTransport")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

#[derive(serde::Deserialize)]
struct ErrorBody {
    error: ErrorInner,
}

#[derive(serde::Deserialize)]
struct ErrorInner {
    message: String,
}

#[derive(serde::Deserialize)]
struct Me {
    organization: Option<Org>,
}

#[derive(serde::Deserialize)]
struct Org {
    name: String,
}

/// How the client reaches the server, beyond its URL and token.
#[derive(Debug, Clone, Default)]
pub struct ClientOptions {
    /// PEM certificates of authorities to trust beside the system's, such as a
    /// network's own authority for a self-hosted server.
    pub ca_pem: Option<Vec<u8>>,
    /// This instance's id, sent in the `Sijill-Instance` header so that the server's
    /// audit log names the instance that took or brought records.
    pub instance: Option<uuid::Uuid>,
}

/// The header naming the calling instance.
pub const INSTANCE_HEADER: &str = "sijill-instance";

impl HttpTransport {
    /// A transport to the server at `base` (`https://host` or `http://host:port`),
    /// trusting the system's certificate authorities.
    pub fn new(base: &str, token: &str) -> Result<Self, TransportError> {
        Self::with_options(base, token, &ClientOptions::default())
    }

    /// A transport with extra trusted authorities and this instance's id.
    pub fn with_options(
        base: &str,
        token: &str,
        options: &ClientOptions,
    ) -> Result<Self, TransportError> {
        let base = base.trim().trim_end_matches('/').to_owned();
        if !(base.starts_with("https://") || base.starts_with("http://")) {
            return Err(TransportError::Refused(
                "the server URL must start with https:// (or http:// on a trusted network)".into(),
            ));
        }
        let mut builder = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(120))
            .connect_timeout(std::time::Duration::from_secs(20))
            .https_only(base.starts_with("https://"));
        if let Some(pem) = &options.ca_pem {
            let certs = reqwest::Certificate::from_pem_bundle(pem).map_err(|_| {
                TransportError::Refused("the CA file is not a PEM certificate".into())
            })?;
            if certs.is_empty() {
                return Err(TransportError::Refused(
                    "the CA file holds no PEM certificate".into(),
                ));
            }
            builder = builder.tls_certs_merge(certs);
        }
        if let Some(id) = options.instance {
            let mut headers = reqwest::header::HeaderMap::new();
            if let Ok(v) = reqwest::header::HeaderValue::from_str(&id.to_string()) {
                headers.insert(INSTANCE_HEADER, v);
            }
            builder = builder.default_headers(headers);
        }
        let client = builder.build().map_err(|e| {
            TransportError::Refused(format!(
                "the TLS client could not be set up ({}); pass the network's certificate authority with --ca-file",
                chain(&e)
            ))
        })?;
        Ok(HttpTransport {
            client,
            base,
            token: token.trim().to_owned(),
            server_instance: Default::default(),
            asked_capture: Default::default(),
        })
    }

    async fn answer<T: serde::de::DeserializeOwned>(
        res: Result<reqwest::Response, reqwest::Error>,
    ) -> Result<T, TransportError> {
        let res = res.map_err(|e| classify(&e))?;
        let status = res.status();
        if status.is_success() {
            return res.json::<T>().await.map_err(|e| classify(&e));
        }
        let message = match res.json::<ErrorBody>().await {
            Ok(b) => b.error.message,
            Err(_) => String::from("no explanation"),
        };
        if status.is_server_error() {
            Err(TransportError::Connection(format!("{status}: {message}")))
        } else {
            Err(TransportError::Refused(format!("{status}: {message}")))
        }
    }
}

fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timed out".into()
    } else if e.is_connect() {
        "cannot connect (is the server up, is the URL right?)".into()
    } else if e.is_decode() {
        "the answer is not what a sijill server sends".into()
    } else {
        "the connection was cut".into()
    }
}

/// The messages of an error and its sources, for a builder error.
fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut next = e.source();
    while let Some(s) = next {
        out.push_str(": ");
        out.push_str(&s.to_string());
        next = s.source();
    }
    out
}

/// The TLS error under a request's failure, if it failed in TLS. An `io::Error` hides
/// its inner error from `source()`, so it is opened with `get_ref`.
fn tls_error(e: &reqwest::Error) -> Option<&rustls::Error> {
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = next {
        if let Some(t) = err.downcast_ref::<rustls::Error>() {
            return Some(t);
        }
        if let Some(io) = err.downcast_ref::<std::io::Error>()
            && let Some(inner) = io.get_ref()
        {
            // An io::Error may wrap another io::Error; open each in turn.
            next = Some(inner);
            continue;
        }
        next = err.source();
    }
    None
}

/// What a certificate error means to the person running the sync.
fn certificate_message(e: &rustls::CertificateError) -> String {
    use rustls::CertificateError as C;
    let what = match e {
        C::UnknownIssuer => {
            "is not signed by an authority this machine trusts (for a network's own authority, pass its certificate with --ca-file FILE)"
        }
        C::NotValidForName | C::NotValidForNameContext { .. } => {
            "is not for this host name (check the URL)"
        }
        C::Expired | C::ExpiredContext { .. } => "has expired",
        C::NotValidYet | C::NotValidYetContext { .. } => {
            "is not valid yet (check this machine's clock)"
        }
        C::Revoked => "was revoked",
        C::InvalidPurpose | C::InvalidPurposeContext { .. } => "is not meant for a server",
        _ => "was refused",
    };
    format!("the server's TLS certificate {what} [{e:?}]")
}

/// A request's failure as a transport error: a cut or refused connection can be
/// retried; a certificate or TLS failure cannot, since trying again meets the same
/// certificate.
fn classify(e: &reqwest::Error) -> TransportError {
    match tls_error(e) {
        Some(rustls::Error::InvalidCertificate(c)) => {
            return TransportError::Refused(certificate_message(c));
        }
        Some(other) => {
            return TransportError::Refused(format!(
                "the TLS handshake with the server failed ({other}); does the URL name a server that speaks https?"
            ));
        }
        None => {}
    }
    TransportError::Connection(describe(e))
}

impl HttpTransport {
    /// The server's own instance id, once a pull has answered with it.
    pub fn server_instance(&self) -> Option<uuid::Uuid> {
        self.server_instance.lock().ok().and_then(|g| *g)
    }
}

#[derive(serde::Deserialize)]
struct MeOrganization {
    organization: Option<sijill_model::account::NewOrganization>,
}

impl HttpTransport {
    /// The token's organization as the server records it (name, Arabic name, kind,
    /// membership), for a laptop that does not know it yet.
    pub async fn organization(
        &self,
    ) -> Result<sijill_model::account::NewOrganization, TransportError> {
        let me: MeOrganization = Self::answer(
            self.client
                .get(format!("{}/api/v1/me", self.base))
                .bearer_auth(&self.token)
                .send()
                .await,
        )
        .await?;
        me.organization.ok_or_else(|| {
            TransportError::Refused("the token's account has no organization".into())
        })
    }
}

impl Transport for HttpTransport {
    async fn account(&self) -> Result<Account, TransportError> {
        let me: Me = Self::answer(
            self.client
                .get(format!("{}/api/v1/me", self.base))
                .bearer_auth(&self.token)
                .send()
                .await,
        )
        .await?;
        let org = me.organization.ok_or_else(|| {
            TransportError::Refused("the token's account has no organization".into())
        })?;
        Ok(Account {
            organization: org.name,
        })
    }

    async fn push(&self, batch: &Batch) -> Result<ApplyOutcome, TransportError> {
        Self::answer(
            self.client
                .post(format!("{}/api/v1/sync/push", self.base))
                .bearer_auth(&self.token)
                .json(batch)
                .send()
                .await,
        )
        .await
    }

    async fn pull(&self, after: i64, limit: u32) -> Result<PullPage, TransportError> {
        // The first pull of this transport asks the server to record its own changes
        // (made on its web pages) as revisions first, so they come down too.
        let first = !self
            .asked_capture
            .swap(true, std::sync::atomic::Ordering::Relaxed);
        let res = self
            .client
            .get(format!(
                "{}/api/v1/sync/pull?after={after}&limit={limit}{}",
                self.base,
                if first { "&capture=1" } else { "" }
            ))
            .bearer_auth(&self.token)
            .send()
            .await;
        if let Ok(r) = &res
            && let Some(id) = r
                .headers()
                .get(INSTANCE_HEADER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<uuid::Uuid>().ok())
            && let Ok(mut seen) = self.server_instance.lock()
        {
            *seen = Some(id);
        }
        let page = Self::answer(res).await;
        if first && page.is_err() {
            // Not answered: the next pull asks again.
            self.asked_capture
                .store(false, std::sync::atomic::Ordering::Relaxed);
        }
        page
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Hashes {
    hashes: Vec<String>,
}

#[derive(serde::Deserialize)]
struct Missing {
    missing: Vec<String>,
}

impl HttpTransport {
    /// The SHA-256 of every evidence file the token's organization has on the server.
    pub async fn evidence_list(&self) -> Result<Vec<String>, TransportError> {
        let h: Hashes = Self::answer(
            self.client
                .get(format!("{}/api/v1/sync/evidence", self.base))
                .bearer_auth(&self.token)
                .send()
                .await,
        )
        .await?;
        Ok(h.hashes)
    }

    /// Which of `hashes` the server does not hold.
    pub async fn evidence_missing(&self, hashes: &[String]) -> Result<Vec<String>, TransportError> {
        let m: Missing = Self::answer(
            self.client
                .post(format!("{}/api/v1/sync/evidence", self.base))
                .bearer_auth(&self.token)
                .json(&Hashes {
                    hashes: hashes.to_vec(),
                })
                .send()
                .await,
        )
        .await?;
        Ok(m.missing)
    }

    /// Uploads one file in chunks, resuming where the server stands; the server keeps it
    /// only if the bytes hash to `sha`. `sent` hears the size of each chunk the server
    /// took.
    pub async fn evidence_upload(
        &self,
        sha: &str,
        bytes: &[u8],
        mut sent: impl FnMut(u64),
    ) -> Result<(), TransportError> {
        let chunk = sijill_store::sync_evidence::CHUNK_BYTES;
        let mut offset: u64 = 0;
        for _ in 0..(bytes.len() / chunk + 3) * 2 {
            let start = usize::try_from(offset)
                .unwrap_or(usize::MAX)
                .min(bytes.len());
            let end = (start + chunk).min(bytes.len());
            let last = end == bytes.len();
            let state: sijill_store::sync_evidence::UploadState = Self::answer(
                self.client
                    .post(format!(
                        "{}/api/v1/sync/evidence/{sha}?offset={offset}&last={last}",
                        self.base
                    ))
                    .bearer_auth(&self.token)
                    .body(bytes[start..end].to_vec())
                    .send()
                    .await,
            )
            .await?;
            if state.stored {
                sent((end - start) as u64);
                return Ok(());
            }
            sent(state.offset.saturating_sub(offset));
            offset = state.offset;
        }
        Err(TransportError::Connection(
            "the upload did not advance; run the sync again".into(),
        ))
    }

    /// Downloads one file; the caller checks its hash.
    pub async fn evidence_download(&self, sha: &str) -> Result<Vec<u8>, TransportError> {
        let res = self
            .client
            .get(format!("{}/api/v1/sync/evidence/{sha}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .map_err(|e| classify(&e))?;
        if !res.status().is_success() {
            return Err(TransportError::Refused(format!(
                "{}: the evidence file was not served",
                res.status()
            )));
        }
        Ok(res.bytes().await.map_err(|e| classify(&e))?.to_vec())
    }
}

/// What moving evidence files did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EvidenceReport {
    /// Files sent (each once: the server is asked which it lacks).
    pub uploaded: u64,
    /// Files received and verified.
    pub downloaded: u64,
}

/// Runs blocking file work (reading, hashing, writing evidence) off the async runtime.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, crate::SyncError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| crate::SyncError::Evidence(format!("a file task stopped ({e})")))
}

/// Sends the files of `org`'s evidence records the server lacks and fetches the files
/// of its evidence the server has and this instance lacks, each verified by SHA-256.
/// Reading, hashing and writing files run on the blocking pool, off the runtime.
pub async fn sync_evidence(
    store: &sijill_store::Store,
    transport: &HttpTransport,
    org: sijill_model::account::OrgId,
    mut progress: impl FnMut(crate::Progress),
) -> Result<EvidenceReport, crate::SyncError> {
    use sijill_store::document_evidence::{FileCheck, sha256_hex};
    let mut report = EvidenceReport::default();
    let Ok(files) = store.evidence_files().await else {
        return Ok(report);
    };
    let local = store.sync_evidence_hashes(org).await?;
    let present = {
        let files = files.clone();
        blocking(move || {
            local
                .into_iter()
                .filter(|sha| files.check_blocking(sha) == FileCheck::Intact)
                .collect::<Vec<_>>()
        })
        .await?
    };
    for sha in transport.evidence_missing(&present).await? {
        let bytes = {
            let (files, sha) = (files.clone(), sha.clone());
            blocking(move || files.read_blocking(&sha)).await?
        }
        .map_err(|e| crate::SyncError::Evidence(format!("reading a local file ({})", e.kind())))?;
        transport
            .evidence_upload(&sha, &bytes, |n| progress(crate::Progress::EvidenceSent(n)))
            .await?;
        report.uploaded += 1;
    }
    for sha in transport.evidence_list().await? {
        let intact = {
            let (files, sha) = (files.clone(), sha.clone());
            blocking(move || files.check_blocking(&sha) == FileCheck::Intact).await?
        };
        if intact {
            continue;
        }
        let bytes = transport.evidence_download(&sha).await?;
        let n = bytes.len() as u64;
        let files = files.clone();
        blocking(move || {
            if sha256_hex(&bytes) != sha {
                return Err(crate::SyncError::Evidence(format!(
                    "the file received for {sha} does not hash to it"
                )));
            }
            files
                .put_blocking(&bytes)
                .map(|_| ())
                .map_err(|e| crate::SyncError::Evidence(format!("storing a file ({})", e.kind())))
        })
        .await??;
        report.downloaded += 1;
        progress(crate::Progress::EvidenceReceived(n));
    }
    Ok(report)
}
