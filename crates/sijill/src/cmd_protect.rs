//! Protecting an instance from the shell: `sijill keys backup|rotate|check`,
//! `sijill erase`, `sijill audit verify`, `sijill backup` and `sijill restore`.
//!
//! None of these ever creates a key file (a missing one is an error, so a mistyped path
//! cannot start a database under a new key) and none deletes data except `erase`, which
//! destroys one record's key on purpose.

use crate::cmd_admin::{DbArgs, redact_url};
use crate::error::CliError;
use crate::runtime::{block_on, open_store};
use anyhow::Context;
use sijill_store::{AuditEntry, Keyring, Store, StoreError};
use std::path::{Path, PathBuf};

/// The key file option of the commands that read personal fields.
#[derive(Debug, Clone, clap::Args)]
pub struct KeyArgs {
    #[command(flatten)]
    db: DbArgs,
    /// The key file. Default: the SQLite file's path with `.key` added; required with
    /// PostgreSQL.
    #[arg(long, env = "SIJILL_KEY_FILE")]
    key_file: Option<PathBuf>,
}

impl KeyArgs {
    fn key_path(&self) -> Result<PathBuf, CliError> {
        match &self.key_file {
            Some(k) => Ok(k.clone()),
            None => crate::cmd_server::default_key_file(&self.db.db).ok_or_else(|| {
                CliError::input(
                    "--key-file: required with PostgreSQL (the key lives outside the database)",
                )
            }),
        }
    }

    fn load(&self) -> Result<(PathBuf, Keyring), CliError> {
        let path = self.key_path()?;
        let keys = Keyring::load(&path).map_err(|e| CliError::input(format!("--key-file: {e}")))?;
        Ok((path, keys))
    }

    /// Opens the store and attaches the key file after checking it against the database.
    async fn open(&self) -> Result<(PathBuf, Keyring, Store), CliError> {
        let (path, keys) = self.load()?;
        let store = attach(open_store(&self.db.db).await?, keys.clone(), &path).await?;
        Ok((path, keys, store))
    }
}

async fn attach(store: Store, keys: Keyring, path: &Path) -> Result<Store, CliError> {
    store.with_keyring(keys).await.map_err(|e| match e {
        StoreError::Crypto(c) => CliError::input(format!("{}: {c}", path.display())),
        other => CliError::Other(anyhow::Error::new(other).context("checking the key file")),
    })
}

/// `sijill keys …`.
#[derive(Debug, clap::Args)]
pub struct KeysArgs {
    #[command(subcommand)]
    command: KeysCommand,
}

#[derive(Debug, clap::Subcommand)]
enum KeysCommand {
    /// Copy the key file to a new file (owner-only; never overwrites) and print its
    /// fingerprint, to keep apart from the database.
    #[command(
        after_help = "Example:\n  sijill keys backup --db sqlite:/var/lib/sijill/sijill.db --out /media/usb/sijill.key\n\nThe copy and the original have the same fingerprint."
    )]
    Backup {
        #[command(flatten)]
        keys: KeyArgs,
        /// Where to write the copy; must not exist.
        #[arg(long)]
        out: PathBuf,
    },
    /// Add a new key and make it the one new values are sealed with; older values stay
    /// readable. With `--reseal`, seal every stored value again under it in one
    /// transaction (all or nothing).
    #[command(
        after_help = "Examples:\n  sijill keys rotate --db sqlite:sijill.db\n  sijill keys rotate --db postgres://sijill@localhost/sijill --key-file /etc/sijill/sijill.key --reseal\n\nThe key file is written first (it keeps every older key), then the database learns the new key.\nBack the key file up again afterwards: `sijill keys backup`."
    )]
    Rotate {
        #[command(flatten)]
        keys: KeyArgs,
        /// Also seal every stored value again under the new key.
        #[arg(long)]
        reseal: bool,
    },
    /// Check that the key file is the one the database was sealed with and that every
    /// sealed value opens. Changes nothing.
    #[command(after_help = "Example:\n  sijill keys check --db sqlite:sijill.db")]
    Check {
        #[command(flatten)]
        keys: KeyArgs,
    },
}

/// Runs `sijill keys …`.
pub fn keys(args: KeysArgs) -> Result<(), CliError> {
    match args.command {
        KeysCommand::Backup { keys, out } => {
            let (_, ring) = keys.load()?;
            write_new_private(&out, ring.to_text().as_bytes())?;
            println!(
                "wrote {} (keys {}, active {})",
                out.display(),
                numbers(&ring),
                ring.active()
            );
            println!("fingerprint {}", ring.fingerprint());
            Ok(())
        }
        KeysCommand::Rotate { keys, reseal } => block_on(async move {
            let (path, mut ring, store) = keys.open().await?;
            let old = ring.active();
            let new = ring.rotate();
            // The key file first: it holds every older key too, so the database stays
            // readable whatever happens after this line.
            ring.save(&path)
                .map_err(|e| CliError::Other(anyhow::anyhow!("{e}")))?;
            store.close().await;
            let store = attach(open_store(&keys.db.db).await?, ring.clone(), &path).await?;
            store
                .append_audit(&AuditEntry {
                    actor: None,
                    org: None,
                    action: "keys.rotate".into(),
                    entity: "keyring".into(),
                    entity_id: Some(new.to_string()),
                    detail: serde_json::json!({ "from": old, "to": new }),
                })
                .await
                .context("auditing the rotation")?;
            println!(
                "key {new} is now active (was {old}); {} holds keys {}",
                path.display(),
                numbers(&ring)
            );
            if reseal {
                let r = store.reseal_all().await.map_err(|e| match e {
                    StoreError::Invalid(m) => CliError::input(m),
                    other => CliError::Other(anyhow::Error::new(other).context("re-sealing")),
                })?;
                println!(
                    "re-sealed {} personal values, {} key-tree nodes and {} settings under key {new}",
                    r.values, r.nodes, r.settings
                );
            }
            println!("fingerprint {}", ring.fingerprint());
            println!("Back the key file up again now: sijill keys backup --out FILE");
            store.close().await;
            Ok(())
        }),
        KeysCommand::Check { keys } => block_on(async move {
            let (path, ring, store) = keys.open().await?;
            let census = store
                .sealed_census()
                .await
                .context("reading sealed values")?;
            store.close().await;
            println!(
                "{} matches {} (keys {}, active {}, fingerprint {})",
                path.display(),
                redact_url(&keys.db.db),
                numbers(&ring),
                ring.active(),
                ring.fingerprint()
            );
            let by_key: Vec<String> = census
                .by_key
                .iter()
                .map(|(k, n)| format!("{n} under key {k}"))
                .collect();
            println!(
                "sealed values: {} under per-record keys, {} erased{}{}",
                census.per_record,
                census.erased,
                if by_key.is_empty() { "" } else { ", " },
                by_key.join(", ")
            );
            if let Some(first) = census.failed.first() {
                return Err(CliError::Other(anyhow::anyhow!(
                    "{} sealed values do not open (first: {first}); the database was not changed",
                    census.failed.len()
                )));
            }
            Ok(())
        }),
    }
}

fn numbers(ring: &Keyring) -> String {
    ring.key_numbers()
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes a new owner-only file; refuses an existing one.
fn write_new_private(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    use std::io::Write;
    let mut open = std::fs::OpenOptions::new();
    open.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut open, 0o600);
    let mut f = open.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => CliError::input(format!(
            "--out: {} exists already; choose a new file",
            path.display()
        )),
        _ => CliError::input(format!(
            "--out: cannot write {} ({})",
            path.display(),
            e.kind()
        )),
    })?;
    f.write_all(bytes)
        .and_then(|()| f.sync_all())
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// Arguments of `sijill erase`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sijill erase --kind household --id 0192f3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b\n  sijill erase --kind testimony --id … --db postgres://sijill@localhost/sijill --key-file /etc/sijill/sijill.key\n\nKinds: household, testimony, victim-record, victim-list, volunteer, dialogue.\nThe record stays (its counts, dates and area), its personal fields are gone for good:\ntheir key is destroyed, so no copy of them made after this can be read. A backup made\nbefore still holds them; erase again after restoring one. A running server stops\nshowing them within two seconds."
)]
pub struct EraseArgs {
    #[command(flatten)]
    keys: KeyArgs,
    /// The kind of record.
    #[arg(long)]
    kind: String,
    /// The record's id.
    #[arg(long)]
    id: String,
}

/// Runs `sijill erase`.
pub fn erase(args: EraseArgs) -> Result<(), CliError> {
    let id = uuid_arg(&args.id)?;
    block_on(async move {
        let (_, _, store) = args.keys.open().await?;
        let r = store.erase_record(&args.kind, id, None, None).await;
        store.close().await;
        match r {
            Ok(()) => {
                println!(
                    "erased {} {id}: its personal fields can no longer be read",
                    args.kind
                );
                Ok(())
            }
            Err(StoreError::NotFound) => Err(CliError::input(format!(
                "--id: no {} with id {id}",
                args.kind
            ))),
            Err(StoreError::Invalid(m)) => Err(CliError::input(format!("--kind: {m}"))),
            Err(StoreError::Conflict(m)) => Err(CliError::input(format!("--id: {m}"))),
            Err(e) => Err(CliError::Other(anyhow::Error::new(e).context("erasing"))),
        }
    })
}

fn uuid_arg(s: &str) -> Result<uuid::Uuid, CliError> {
    uuid::Uuid::parse_str(s.trim())
        .map_err(|_| CliError::input(format!("--id: {s:?} is not a record id (a UUID)")))
}

/// `sijill audit …`.
#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    #[command(subcommand)]
    command: AuditCommand,
}

#[derive(Debug, clap::Subcommand)]
enum AuditCommand {
    /// Walk the whole audit log and check its hash chain; exit 1 naming the first entry
    /// that was changed, removed or reordered.
    #[command(
        after_help = "Example:\n  sijill audit verify --db sqlite:sijill.db\n\nKeep the printed head hash somewhere else: entries removed from the end can only be\ndetected against it (`--head`)."
    )]
    Verify {
        #[command(flatten)]
        db: DbArgs,
        /// A head hash printed by an earlier run: it must still be in the chain.
        #[arg(long)]
        head: Option<String>,
    },
}

/// Runs `sijill audit …`.
pub fn audit(args: AuditArgs) -> Result<(), CliError> {
    let AuditCommand::Verify { db, head } = args.command;
    block_on(async move {
        let store = open_store(&db.db).await?;
        let report = store
            .verify_audit()
            .await
            .context("reading the audit log")?;
        let known = match &head {
            Some(h) => Some(
                store
                    .audit_has_hash(h)
                    .await
                    .context("reading the audit log")?,
            ),
            None => None,
        };
        store.close().await;
        if let Some(b) = &report.first_break {
            return Err(CliError::Other(anyhow::anyhow!(
                "audit log broken: {b} ({} entries before it verify)",
                report.checked
            )));
        }
        if known == Some(false) {
            return Err(CliError::Other(anyhow::anyhow!(
                "audit log broken: the head {} is no longer in the log (entries were removed from the end)",
                head.unwrap_or_default()
            )));
        }
        println!(
            "audit log intact: {} entries, head {}",
            report.checked,
            report.head.as_deref().unwrap_or("(empty)")
        );
        Ok(())
    })
}

/// Arguments of `sijill backup`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sijill backup --db sqlite:/var/lib/sijill/sijill.db --out /backup/sijill-2025-03-12.db\n  sijill backup --db postgres://sijill@localhost/sijill --out /backup/sijill-2025-03-12.dump\n\nSafe while the server runs: the copy is one consistent snapshot. It holds neither the key\nfile nor the evidence files: back those up too (`sijill keys backup`)."
)]
pub struct BackupArgs {
    #[command(flatten)]
    db: DbArgs,
    /// The backup file to write; must not exist.
    #[arg(long)]
    out: PathBuf,
}

/// Runs `sijill backup`.
pub fn backup(args: BackupArgs) -> Result<(), CliError> {
    block_on(async move {
        let store = open_store(&args.db.db).await?;
        let s = store.backup_to(&args.out).await.map_err(|e| match e {
            StoreError::Conflict(m) | StoreError::Invalid(m) => {
                CliError::input(format!("--out: {m}"))
            }
            other => CliError::Other(anyhow::Error::new(other).context("writing the backup")),
        })?;
        store
            .append_audit(&AuditEntry {
                actor: None,
                org: None,
                action: "export.backup".into(),
                entity: "database".into(),
                entity_id: None,
                detail: serde_json::json!({ "tables": s.tables, "rows": s.rows, "bytes": s.bytes }),
            })
            .await
            .context("auditing the backup")?;
        store.close().await;
        println!(
            "wrote {}: {} tables, {} rows, {} bytes",
            args.out.display(),
            s.tables,
            s.rows,
            s.bytes
        );
        println!("It holds neither the key file nor the evidence files: back those up too.");
        Ok(())
    })
}

/// Arguments of `sijill restore`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sijill restore /backup/sijill-2025-03-12.db --db sqlite:/var/lib/sijill/restored.db\n  sijill restore /backup/sijill-2025-03-12.dump --db postgres://sijill@localhost/sijill_restored\n\nThe target must be new: a SQLite file that does not exist, or an empty PostgreSQL database.\nAfterwards the audit chain is verified; serve it with the key file of the source."
)]
pub struct RestoreArgs {
    /// The backup file written by `sijill backup`.
    file: PathBuf,
    #[command(flatten)]
    db: DbArgs,
}

/// Runs `sijill restore`.
pub fn restore(args: RestoreArgs) -> Result<(), CliError> {
    if !args.file.is_file() {
        return Err(CliError::input(format!(
            "{}: no such backup file",
            args.file.display()
        )));
    }
    let url = args.db.db.trim().to_owned();
    let pg = url.starts_with("postgres://") || url.starts_with("postgresql://");
    let sqlite_file = sijill_store::backup::is_sqlite_file(&args.file);
    if pg == sqlite_file {
        return Err(CliError::input(format!(
            "{}: an SQLite backup restores into an SQLite file, a PostgreSQL dump into PostgreSQL",
            args.file.display()
        )));
    }
    let refused = |e: StoreError| match e {
        StoreError::Conflict(m) => CliError::input(format!("--db: {m}")),
        StoreError::Invalid(m) => CliError::input(m),
        other => CliError::Other(anyhow::Error::new(other).context("restoring")),
    };
    block_on(async move {
        let store = if pg {
            let store = open_store(&url).await?;
            store.restore_dump(&args.file).await.map_err(refused)?;
            store
        } else {
            let path = url
                .strip_prefix("sqlite://")
                .or_else(|| url.strip_prefix("sqlite:"))
                .unwrap_or(&url);
            sijill_store::backup::restore_sqlite_file(&args.file, Path::new(path))
                .await
                .map_err(refused)?;
            open_store(&url).await?
        };
        let report = store
            .verify_audit()
            .await
            .context("verifying the audit log")?;
        if let Some(b) = &report.first_break {
            store.close().await;
            return Err(CliError::Other(anyhow::anyhow!(
                "restored, but the audit log is broken: {b}"
            )));
        }
        let digests = store.table_digests().await.context("counting rows")?;
        store
            .append_audit(&AuditEntry {
                actor: None,
                org: None,
                action: "database.restore".into(),
                entity: "database".into(),
                entity_id: None,
                detail: serde_json::json!({ "rows": digests.values().map(|d| d.0).sum::<u64>() }),
            })
            .await
            .context("auditing the restore")?;
        store.close().await;
        println!(
            "restored {} into {}: {} tables, {} rows; audit log intact ({} entries)",
            args.file.display(),
            redact_url(&url),
            digests.len(),
            digests.values().map(|d| d.0).sum::<u64>(),
            report.checked
        );
        Ok(())
    })
}
