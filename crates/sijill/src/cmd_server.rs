//! `sijill serve` and `sijill demo`: run the web UI and API on a database.

use crate::cmd_admin::{hash, redact_url};
use crate::demo;
use crate::error::CliError;
use crate::runtime::{block_on, open_store};
use anyhow::Context;
use sijill_model::account::{NewOrganization, NewUser, OrgKind, PasswordHash, Role, Username};
use sijill_server::{AppState, ServerConfig};
use sijill_store::Store;
use std::path::{Path, PathBuf};

/// Arguments of `sijill serve`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sijill serve --db sqlite:/var/lib/sijill/sijill.db --addr 127.0.0.1:8080\n  sijill serve --db postgres://sijill@localhost/sijill --addr 0.0.0.0:8080 --secure-cookies\n  sijill serve --db sqlite:/var/lib/sijill/sijill.db --addr 0.0.0.0:8443 --tls-cert fullchain.pem --tls-key key.pem\n\nHTTPS: either --tls-cert and --tls-key here, or plain HTTP on 127.0.0.1 behind a TLS\nreverse proxy (Caddy, nginx) with --secure-cookies. Field laptops reach it with\n`sijill sync --server https://…` (plus --ca-file for a network's own authority).\n\nOn the first start of an empty database an administrator `admin` is created and its\none-time password printed once; it must be changed at first login."
)]
pub struct ServeArgs {
    #[command(flatten)]
    db: crate::cmd_admin::DbArgs,
    /// Address and port to listen on.
    #[arg(long, env = "SIJILL_ADDR", default_value = "127.0.0.1:8080")]
    addr: String,
    /// Clients reach the server over HTTPS (directly or through a TLS proxy): cookies get
    /// `Secure` and HSTS is sent.
    #[arg(long)]
    secure_cookies: bool,
    /// The server sits behind a reverse proxy: the client address for login limits is the
    /// last one of `X-Forwarded-For`. Leave off when clients connect directly.
    #[arg(long)]
    trust_forwarded_for: bool,
    /// The key file that seals personal fields (created on first use; keep a backup apart
    /// from the database). Default: the SQLite file's path with `.key` added; required with
    /// PostgreSQL.
    #[arg(long, env = "SIJILL_KEY_FILE")]
    key_file: Option<PathBuf>,
    /// Log lines as JSON (for a log collector) instead of text.
    #[arg(long)]
    log_json: bool,
    /// Serve HTTPS with this PEM certificate chain (leaf first); needs --tls-key.
    /// Cookies are then `Secure` and HSTS is sent. Restart to load a renewed one.
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// The PEM private key of --tls-cert.
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
}

/// Arguments of `sijill demo`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sijill demo\n  sijill demo --db /tmp/demo.db --addr 127.0.0.1:9090\n\nThe logins are printed and written to sijill-demo-logins.txt beside the database."
)]
pub struct DemoArgs {
    /// The SQLite file of the demo (created if missing, reused otherwise).
    #[arg(long, default_value = "sijill-demo.db")]
    db: PathBuf,
    /// Address and port to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: String,
}

/// Runs `sijill serve`.
pub fn serve(args: ServeArgs) -> Result<(), CliError> {
    init_logs(args.log_json);
    block_on(async move {
        let key_file = match &args.key_file {
            Some(k) => k.clone(),
            None => default_key_file(&args.db.db).ok_or_else(|| {
                CliError::input(
                    "--key-file: required with PostgreSQL (the key must live outside the database)",
                )
            })?,
        };
        let tls = match (&args.tls_cert, &args.tls_key) {
            (Some(cert), Some(key)) => Some(
                sijill_server::tls::server_config(cert, key)
                    .map_err(|e| CliError::input(format!("--tls-cert/--tls-key: {e}")))?,
            ),
            _ => None,
        };
        let store = with_keys(open_store(&args.db.db).await?, &key_file).await?;
        crate::cmd_document::set_evidence_dir(&store, &args.db.db).await?;
        if let Some(pw) = first_admin(&store).await? {
            println!("First start: created the administrator `admin`.");
            println!("One-time password: {pw}");
            println!("It is shown only now and must be changed at first login.");
        }
        let config = ServerConfig {
            secure_cookies: args.secure_cookies || tls.is_some(),
            trust_forwarded_for: args.trust_forwarded_for,
            ..ServerConfig::default()
        };
        run(store, config, &args.addr, &redact_url(&args.db.db), tls).await
    })
}

/// Runs `sijill demo`.
pub fn demo(args: DemoArgs) -> Result<(), CliError> {
    init_logs(false);
    block_on(async move {
        let url = format!("sqlite:{}", args.db.display());
        let store = open_store(&url).await?;
        let store = with_keys(store, &args.db.with_extension("key")).await?;
        crate::cmd_document::set_evidence_dir(&store, &url).await?;
        let logins_path = logins_path(&args.db);
        let fresh = store
            .setting(demo::SEEDED)
            .await
            .context("reading the demo marker")?
            .is_none();
        let page = format!("http://{}", args.addr);
        let text = if fresh {
            if store.count_users().await.context("counting users")? > 0 {
                return Err(CliError::input(format!(
                    "--db: {} holds users but is not a demo database; choose another file",
                    args.db.display()
                )));
            }
            let logins = demo::seed(&store).await?;
            let text = demo::render_logins(&page, &logins);
            write_private(&logins_path, &text)?;
            text
        } else {
            match std::fs::read_to_string(&logins_path) {
                Ok(t) => t,
                Err(_) => {
                    let logins = demo::reset_passwords(&store).await?;
                    let text = demo::render_logins(&page, &logins);
                    write_private(&logins_path, &text)?;
                    text
                }
            }
        };
        println!("{text}");
        println!("(logins also in {})", logins_path.display());
        println!("Open {page} in a browser; Ctrl-C stops the server.");
        run(store, ServerConfig::default(), &args.addr, &url, None).await
    })
}

async fn run(
    store: Store,
    config: ServerConfig,
    addr: &str,
    db: &str,
    tls: Option<std::sync::Arc<sijill_server::tls::TlsConfig>>,
) -> Result<(), CliError> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| CliError::input(format!("--addr {addr}: cannot listen there ({e})")))?;
    tracing::info!(db, "database open");
    let imported = store
        .imported_areas()
        .await
        .context("reading imported areas")?;
    let geo = sijill_model::geo::Gazetteer::with_areas(imported);
    let state = AppState::new(store, config).with_gazetteer(geo);
    match tls {
        Some(tls) => sijill_server::serve_tls(listener, state, tls).await,
        None => sijill_server::serve(listener, state).await,
    }
    .context("serving")?;
    tracing::info!("sijill stopped");
    Ok(())
}

/// The default key file of a database: beside a SQLite file; none for PostgreSQL.
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

/// Attaches the key file (creating it on first use) to the store.
async fn with_keys(store: Store, key_file: &Path) -> Result<Store, CliError> {
    let (keys, created) = sijill_store::Keyring::load_or_create(key_file)
        .map_err(|e| CliError::input(format!("--key-file: {e}")))?;
    if created {
        println!(
            "Created the key file {} that seals personal data. Back it up apart from the database: without it that data cannot be read.",
            key_file.display()
        );
    }
    store.with_keyring(keys).await.map_err(|e| match e {
        sijill_store::StoreError::Crypto(c) => {
            CliError::input(format!("{}: {c}", key_file.display()))
        }
        other => CliError::Other(anyhow::Error::new(other).context("checking the key file")),
    })
}

/// Creates the first administrator of an empty database and returns its one-time password.
async fn first_admin(store: &Store) -> Result<Option<String>, CliError> {
    if store.count_users().await.context("counting users")? > 0 {
        return Ok(None);
    }
    let org = match store
        .org_by_name("Instance administration")
        .await
        .context("reading organizations")?
    {
        Some(o) => o,
        None => store
            .create_org(&NewOrganization {
                name: "Instance administration".into(),
                name_ar: Some("إدارة النظام".into()),
                kind: OrgKind::Other,
                network_member: false,
            })
            .await
            .context("creating the administration organization")?,
    };
    let password = sijill_server::auth::one_time_password();
    store
        .create_user(&NewUser {
            username: Username::parse("admin").context("the admin username")?,
            display_name: "Administrator".into(),
            org_id: org.id,
            role: Role::Admin,
            password_hash: PasswordHash::new(hash(&password)?),
            must_change_password: true,
        })
        .await
        .context("creating the administrator")?;
    Ok(Some(password))
}

/// `sijill-demo-logins.txt` beside the database file.
fn logins_path(db: &Path) -> PathBuf {
    let dir = db.parent().filter(|p| !p.as_os_str().is_empty());
    dir.map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
        .join("sijill-demo-logins.txt")
}

/// Writes a file readable by its owner only, through a temporary file and a rename.
fn write_private(path: &Path, text: &str) -> Result<(), CliError> {
    let tmp = path.with_extension("txt.tmp");
    {
        use std::io::Write;
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut f = opts
            .open(&tmp)
            .with_context(|| format!("writing {}", tmp.display()))?;
        f.write_all(text.as_bytes())
            .with_context(|| format!("writing {}", tmp.display()))?;
    }
    std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

fn init_logs(json: bool) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("SIJILL_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let b = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    let _ = if json {
        b.json().try_init()
    } else {
        b.try_init()
    };
}

#[cfg(test)]
mod tests {
    use super::{default_key_file, logins_path};
    use std::path::{Path, PathBuf};

    #[test]
    fn key_file_defaults_beside_sqlite_and_is_required_for_postgres() {
        assert_eq!(
            default_key_file("sqlite:/var/lib/sijill/s.db"),
            Some(PathBuf::from("/var/lib/sijill/s.db.key"))
        );
        assert_eq!(default_key_file("s.db"), Some(PathBuf::from("s.db.key")));
        assert_eq!(default_key_file("postgres://u@h/db"), None);
        assert_eq!(default_key_file("sqlite::memory:"), None);
    }

    #[test]
    fn logins_file_lies_beside_the_database() {
        assert_eq!(
            logins_path(Path::new("sijill-demo.db")),
            Path::new("./sijill-demo-logins.txt")
        );
        assert_eq!(
            logins_path(Path::new("/tmp/x/demo.db")),
            Path::new("/tmp/x/sijill-demo-logins.txt")
        );
    }
}
