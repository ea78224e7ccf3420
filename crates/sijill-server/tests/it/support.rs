//! Test support: a running app on port 0 over a fresh database, and a small cookie-keeping
//! HTTP client that does not follow redirects (so tests see every 303).

use reqwest::StatusCode;
use reqwest::header::{COOKIE, HeaderMap, LOCATION, SET_COOKIE};
use sijill_model::account::{
    NewOrganization, NewUser, OrgKind, Organization, PasswordHash, Role, User, Username,
};
use sijill_server::{AppState, ServerConfig, auth};
use sijill_store::Store;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use tokio::sync::oneshot;

/// Largest page the server may send (the product's budget).
pub const PAGE_BUDGET: usize = 100 * 1024;

/// A running server.
pub struct App {
    pub addr: SocketAddr,
    pub store: Store,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl App {
    /// Opens `url`, builds the app with `config` and serves it on 127.0.0.1:0.
    pub async fn start(url: &str, config: ServerConfig) -> App {
        let store = Store::open(url).await.expect("open store");
        App::serve(store, config).await
    }

    /// As [`App::start`], with a fresh key that seals personal fields (households,
    /// testimonies, victim records need one).
    pub async fn start_keyed(url: &str, config: ServerConfig) -> App {
        let store = Store::open(url)
            .await
            .expect("open store")
            .with_keyring(sijill_store::Keyring::generate())
            .await
            .expect("a fresh key");
        App::serve(store, config).await
    }

    /// Serves an already opened (and seeded) store on 127.0.0.1:0.
    pub async fn serve(store: Store, config: ServerConfig) -> App {
        let state = AppState::new(store.clone(), config);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = oneshot::channel();
        let task = tokio::spawn(sijill_server::serve_with_shutdown(listener, state, async {
            let _ = rx.await;
        }));
        App {
            addr,
            store,
            stop: Some(tx),
            task: Some(task),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn browser(&self) -> Browser {
        Browser::new(self.url(""))
    }

    /// Stops the server gracefully and waits until it has returned.
    pub async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.await
                .expect("server task")
                .expect("server returned an error");
        }
    }

    pub async fn org(&self, name: &str, kind: OrgKind) -> Organization {
        self.store
            .create_org(&NewOrganization {
                name: name.into(),
                name_ar: Some("الدفاع المدني".into()),
                kind,
                network_member: true,
            })
            .await
            .unwrap()
    }

    /// Makes a user with this password.
    pub async fn user(
        &self,
        org: &Organization,
        username: &str,
        role: Role,
        password: &str,
        must_change: bool,
    ) -> User {
        self.store
            .create_user(&NewUser {
                username: Username::parse(username).unwrap(),
                display_name: format!("{username} display"),
                org_id: org.id,
                role,
                password_hash: PasswordHash::new(auth::hash_password(password).unwrap()),
                must_change_password: must_change,
            })
            .await
            .unwrap()
    }
}

/// A response read whole.
pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    pub fn location(&self) -> &str {
        self.headers
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The value of the first `name="csrf"` hidden field.
    pub fn csrf(&self) -> String {
        field_value(&self.body, "csrf")
            .unwrap_or_else(|| panic!("no csrf field in page:\n{}", self.body))
    }

    /// The text of the element with this id.
    pub fn by_id(&self, id: &str) -> Option<String> {
        let start = self.body.find(&format!("id=\"{id}\""))?;
        let open_end = start + self.body[start..].find('>')? + 1;
        let close = open_end + self.body[open_end..].find('<')?;
        Some(self.body[open_end..close].to_owned())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect()
    }
}

/// The `value` of the input named `name` in `html`.
pub fn field_value(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!("name=\"{name}\" value=\""))?;
    let rest = &html[at + name.len() + 15..];
    Some(rest[..rest.find('"')?].to_owned())
}

/// A client that keeps cookies like a browser and never follows redirects.
pub struct Browser {
    base: String,
    client: reqwest::Client,
    pub cookies: BTreeMap<String, String>,
}

impl Browser {
    pub fn new(base: String) -> Browser {
        Browser {
            base,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: BTreeMap::new(),
        }
    }

    /// The server's base URL (`http://127.0.0.1:PORT`).
    pub fn base_url(&self) -> &str {
        &self.base
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn finish(&mut self, req: reqwest::RequestBuilder) -> Page {
        let req = if self.cookies.is_empty() {
            req
        } else {
            req.header(COOKIE, self.cookie_header())
        };
        let res = req.send().await.expect("request");
        let status = res.status();
        let headers = res.headers().clone();
        for sc in headers.get_all(SET_COOKIE) {
            let sc = sc.to_str().unwrap();
            let pair = sc.split(';').next().unwrap();
            let (k, v) = pair.split_once('=').unwrap();
            let removed = sc.contains("Max-Age=0") || v.is_empty();
            if removed {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_owned(), v.to_owned());
            }
        }
        let body = res.text().await.unwrap();
        let page = Page {
            status,
            headers,
            body,
        };
        if page.header("content-type").starts_with("text/html") {
            assert!(
                page.body.len() < PAGE_BUDGET,
                "page over budget: {} bytes",
                page.body.len()
            );
        }
        page
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let req = self.client.get(format!("{}{path}", self.base));
        self.finish(req).await
    }

    pub async fn get_with(&mut self, path: &str, headers: &[(&str, &str)]) -> Page {
        let mut req = self.client.get(format!("{}{path}", self.base));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        self.finish(req).await
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let req = self.client.post(format!("{}{path}", self.base)).form(form);
        self.finish(req).await
    }

    pub async fn post_raw(&mut self, path: &str, body: Vec<u8>) -> Page {
        let req = self
            .client
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        self.finish(req).await
    }

    /// POSTs `body` with this content type (a multipart form, JSON …).
    pub async fn post_typed(&mut self, path: &str, content_type: &str, body: Vec<u8>) -> Page {
        let req = self
            .client
            .post(format!("{}{path}", self.base))
            .header("content-type", content_type)
            .body(body);
        self.finish(req).await
    }

    /// POSTs `body` with this content type and extra headers.
    pub async fn post_typed_with(
        &mut self,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
        headers: &[(&str, &str)],
    ) -> Page {
        let mut req = self
            .client
            .post(format!("{}{path}", self.base))
            .header("content-type", content_type)
            .body(body);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        self.finish(req).await
    }

    /// Signs in through the login form; returns the answer to the POST.
    pub async fn login(&mut self, username: &str, password: &str) -> Page {
        let form = self.get("/login").await;
        assert_eq!(form.status, StatusCode::OK);
        let csrf = form.csrf();
        self.post(
            "/login",
            &[
                ("csrf", &csrf),
                ("username", username),
                ("password", password),
            ],
        )
        .await
    }

    /// GETs `page_path`, then posts `form` to `action` with the page's CSRF token.
    /// Follows a linkage run's page, which refreshes itself, until the run has ended.
    pub async fn wait_for_run(&mut self, run_path: &str) -> Page {
        let mut page = self.get(run_path).await;
        let mut polls = 0;
        while page.body.contains("http-equiv=\"refresh\"") {
            polls += 1;
            assert!(polls < 100_000, "the run never ended");
            tokio::task::yield_now().await;
            page = self.get(run_path).await;
        }
        page
    }

    pub async fn submit(&mut self, page_path: &str, action: &str, form: &[(&str, &str)]) -> Page {
        let page = self.get(page_path).await;
        assert_eq!(
            page.status,
            StatusCode::OK,
            "GET {page_path}: {}",
            page.body
        );
        let csrf = page.csrf();
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(form);
        self.post(action, &all).await
    }
}

/// A store on `url` with a fresh key and an evidence directory (kept as long as the
/// returned directory lives), ready for [`App::serve`] once seeded.
pub async fn keyed_store_with_evidence(
    url: &str,
) -> (
    Store,
    sijill_store::document_evidence::EvidenceFiles,
    tempfile::TempDir,
) {
    let store = Store::open(url)
        .await
        .expect("open store")
        .with_keyring(sijill_store::Keyring::generate())
        .await
        .expect("a fresh key");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let files = sijill_store::document_evidence::EvidenceFiles::new(dir.path());
    store
        .set_evidence_files(&files)
        .await
        .expect("the evidence directory");
    (store, files, dir)
}

/// A multipart form body: text `fields` and one file part `name` whose type is claimed
/// as `claimed` (the server reads a file's type from its bytes, never from this).
pub fn multipart(
    fields: &[(&str, &str)],
    name: &str,
    claimed: &str,
    file: &[u8],
) -> (String, Vec<u8>) {
    let boundary = "sijill-test-boundary-7d1f";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: {claimed}\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}
