//! `sijill migrate`, `sijill user …` and `sijill org …`: administering an instance from the
//! shell, on the same database the server uses.

use crate::error::CliError;
use crate::runtime::{block_on, open_store};
use anyhow::Context;
use sijill_model::account::{NewOrganization, NewUser, OrgKind, PasswordHash, Role, Username};
use sijill_store::{Store, StoreError};
use std::io::{BufRead, IsTerminal};

/// The database option shared by every command that opens the store.
#[derive(Debug, Clone, clap::Args)]
pub struct DbArgs {
    /// The database: `sqlite:PATH` (or a bare path) or `postgres://USER@HOST/DB`.
    #[arg(long, env = "SIJILL_DB", default_value = "sqlite:sijill.db")]
    pub db: String,
}

/// Arguments of `sijill migrate`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sijill migrate --db sqlite:/var/lib/sijill/sijill.db\n  sijill migrate --db postgres://sijill@localhost/sijill"
)]
pub struct MigrateArgs {
    #[command(flatten)]
    db: DbArgs,
}

/// Brings the database schema up to date (idempotent; `serve` does it too on start).
pub fn migrate(args: MigrateArgs) -> Result<(), CliError> {
    block_on(async {
        let store = open_store(&args.db.db).await?;
        store.migrate().await.context("migrating the database")?;
        println!("database is up to date: {}", redact_url(&args.db.db));
        Ok(())
    })
}

/// `sijill user …`.
#[derive(Debug, clap::Args)]
pub struct UserArgs {
    #[command(subcommand)]
    command: UserCommand,
}

#[derive(Debug, clap::Subcommand)]
enum UserCommand {
    /// Add a user to an organization with one role. Prints a one-time password unless
    /// `--password-stdin` is given; the user must change it at first login.
    #[command(
        after_help = "Examples:\n  sijill user add --username rana --name \"Rana K.\" --org \"Sahel Relief Association\" --role field\n  printf '%s\\n' \"$PW\" | sijill user add --username omar --name Omar --org Observatory --role analyst --password-stdin"
    )]
    Add {
        #[command(flatten)]
        db: DbArgs,
        /// Login name: 3–32 lower-case letters, digits, `.`, `_` or `-`.
        #[arg(long)]
        username: String,
        /// The name shown in pages.
        #[arg(long)]
        name: String,
        /// The organization, by name or id.
        #[arg(long)]
        org: String,
        /// One of admin, coordinator, documenter, field, analyst, viewer.
        #[arg(long)]
        role: String,
        /// Read the password from the first line of standard input instead of making a
        /// one-time password.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List users with their organization, role and state.
    #[command(after_help = "Example:\n  sijill user list --db sqlite:sijill.db")]
    List {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Set a new password (a one-time one unless `--password-stdin`) and end the user's
    /// sessions.
    #[command(after_help = "Example:\n  sijill user passwd rana")]
    Passwd {
        #[command(flatten)]
        db: DbArgs,
        /// The login name.
        username: String,
        /// Read the password from standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Make an API token for a user: what a field laptop's `sijill sync --token` or a
    /// script uses. It is printed once; only its hash is kept. Revoke it on the user's
    /// page under Admin.
    #[command(
        after_help = "Example:\n  sijill user token rana --name \"laptop 3\"   (then on the laptop: sijill sync --server URL --token sjl_… --remember)"
    )]
    Token {
        #[command(flatten)]
        db: DbArgs,
        /// The login name.
        username: String,
        /// A label that says where the token is used (unique per user).
        #[arg(long, default_value = "sync")]
        name: String,
    },
    /// Disable a user (no login, no API token) and end their sessions; `--enable` undoes it.
    #[command(after_help = "Example:\n  sijill user disable rana")]
    Disable {
        #[command(flatten)]
        db: DbArgs,
        /// The login name.
        username: String,
        /// Enable the user again instead.
        #[arg(long)]
        enable: bool,
    },
}

/// `sijill org …`.
#[derive(Debug, clap::Args)]
pub struct OrgArgs {
    #[command(subcommand)]
    command: OrgCommand,
}

#[derive(Debug, clap::Subcommand)]
enum OrgCommand {
    /// Record an organization.
    #[command(
        after_help = "Example:\n  sijill org add --name \"Sahel Relief Association\" --name-ar \"جمعية الساحل للإغاثة\" --kind relief --member"
    )]
    Add {
        #[command(flatten)]
        db: DbArgs,
        /// Name in Latin script (unique).
        #[arg(long)]
        name: String,
        /// Name in Arabic.
        #[arg(long)]
        name_ar: Option<String>,
        /// relief, civil-defence, monitor, media, un, government or other.
        #[arg(long, default_value = "relief")]
        kind: String,
        /// The organization is a member of the network.
        #[arg(long)]
        member: bool,
    },
    /// List organizations.
    #[command(after_help = "Example:\n  sijill org list")]
    List {
        #[command(flatten)]
        db: DbArgs,
    },
}

/// Runs `sijill user …`.
pub fn user(args: UserArgs) -> Result<(), CliError> {
    block_on(async move {
        match args.command {
            UserCommand::Add {
                db,
                username,
                name,
                org,
                role,
                password_stdin,
            } => {
                let username = Username::parse(&username)
                    .map_err(|e| CliError::input(format!("--username: {e}")))?;
                let role: Role = role
                    .parse()
                    .map_err(|e| CliError::input(format!("--role: {e}")))?;
                if name.trim().is_empty() {
                    return Err(CliError::input("--name: must not be empty"));
                }
                let store = open_store(&db.db).await?;
                let org = find_org(&store, &org).await?;
                let (password, one_time) = password_from(password_stdin)?;
                let hash = hash(&password)?;
                let user = store
                    .create_user(&NewUser {
                        username,
                        display_name: name.trim().to_string(),
                        org_id: org.id,
                        role,
                        password_hash: PasswordHash::new(hash),
                        must_change_password: one_time,
                    })
                    .await
                    .map_err(conflict_as_input("a user with that username exists"))?;
                audit(
                    &store,
                    Some(org.id),
                    "user.create",
                    "user",
                    user.id.to_string(),
                    serde_json::json!({"username": user.username.as_str(), "role": user.role.as_str(), "org": org.id.to_string(), "by": "cli"}),
                )
                .await?;
                println!("added {} ({}, {})", user.username, user.role, org.name);
                if one_time {
                    println!("one-time password: {password}");
                    println!("(the user must choose a new one at first login)");
                }
                Ok(())
            }
            UserCommand::List { db } => {
                let store = open_store(&db.db).await?;
                let orgs = store.list_orgs().await.context("listing organizations")?;
                let users = store.list_users().await.context("listing users")?;
                println!(
                    "{:<20} {:<12} {:<9} organization",
                    "username", "role", "state"
                );
                for u in users {
                    let org = orgs
                        .iter()
                        .find(|o| o.id == u.org_id)
                        .map(|o| o.name.as_str())
                        .unwrap_or("?");
                    let state = if u.disabled { "disabled" } else { "active" };
                    println!(
                        "{:<20} {:<12} {:<9} {org}",
                        u.username.as_str(),
                        u.role.as_str(),
                        state
                    );
                }
                Ok(())
            }
            UserCommand::Passwd {
                db,
                username,
                password_stdin,
            } => {
                let store = open_store(&db.db).await?;
                let user = find_user(&store, &username).await?;
                let (password, one_time) = password_from(password_stdin)?;
                let hash = hash(&password)?;
                store
                    .set_password_hash(user.id, &PasswordHash::new(hash), one_time)
                    .await
                    .context("saving the password")?;
                store
                    .delete_user_sessions(user.id)
                    .await
                    .context("ending the user's sessions")?;
                audit(
                    &store,
                    Some(user.org_id),
                    "user.password",
                    "user",
                    user.id.to_string(),
                    serde_json::json!({"one_time": one_time, "by": "cli"}),
                )
                .await?;
                println!(
                    "password of {} changed; their sessions have ended",
                    user.username
                );
                if one_time {
                    println!("one-time password: {password}");
                }
                Ok(())
            }
            UserCommand::Token { db, username, name } => {
                let name = name.trim();
                if name.is_empty() || name.chars().count() > 100 {
                    return Err(CliError::input("--name: 1 to 100 characters"));
                }
                let store = open_store(&db.db).await?;
                let user = find_user(&store, &username).await?;
                if user.disabled {
                    return Err(CliError::input(format!(
                        "{} is disabled: enable the user first",
                        user.username
                    )));
                }
                let token = sijill_server::auth::new_api_token();
                let id = store
                    .create_api_token(user.id, name, &sijill_server::auth::token_hash(&token))
                    .await
                    .map_err(conflict_as_input(
                        "this user already has a token with that --name",
                    ))?;
                store
                    .append_audit(&sijill_store::AuditEntry {
                        actor: None,
                        org: Some(user.org_id),
                        action: "token.create".into(),
                        entity: "api_token".into(),
                        entity_id: Some(id.to_string()),
                        detail: serde_json::json!({"user": user.id.to_string(), "name": name, "by": "cli"}),
                    })
                    .await
                    .context("auditing the token")?;
                println!("API token for {} ({name}), shown only now:", user.username);
                println!("{token}");
                Ok(())
            }
            UserCommand::Disable {
                db,
                username,
                enable,
            } => {
                let store = open_store(&db.db).await?;
                let user = find_user(&store, &username).await?;
                store
                    .set_user_disabled(user.id, !enable)
                    .await
                    .context("saving the user")?;
                if !enable {
                    store
                        .delete_user_sessions(user.id)
                        .await
                        .context("ending the user's sessions")?;
                }
                audit(
                    &store,
                    Some(user.org_id),
                    if enable {
                        "user.enable"
                    } else {
                        "user.disable"
                    },
                    "user",
                    user.id.to_string(),
                    serde_json::json!({"by": "cli"}),
                )
                .await?;
                println!(
                    "{} is {}",
                    user.username,
                    if enable { "enabled" } else { "disabled" }
                );
                Ok(())
            }
        }
    })
}

/// Appends the audit entry of a change made from the command line (no acting user: the
/// person at the server's console), as the admin pages do for the same change, so every
/// write is in the chain and a running server sees the change at once.
async fn audit(
    store: &Store,
    org: Option<sijill_model::account::OrgId>,
    action: &str,
    entity: &str,
    id: String,
    detail: serde_json::Value,
) -> Result<(), CliError> {
    store
        .append_audit(&sijill_store::AuditEntry {
            actor: None,
            org,
            action: action.into(),
            entity: entity.into(),
            entity_id: Some(id),
            detail,
        })
        .await
        .context("auditing the change")?;
    Ok(())
}

/// Runs `sijill org …`.
pub fn org(args: OrgArgs) -> Result<(), CliError> {
    block_on(async move {
        match args.command {
            OrgCommand::Add {
                db,
                name,
                name_ar,
                kind,
                member,
            } => {
                if name.trim().is_empty() {
                    return Err(CliError::input("--name: must not be empty"));
                }
                let kind: OrgKind = kind
                    .parse()
                    .map_err(|e| CliError::input(format!("--kind: {e}")))?;
                let store = open_store(&db.db).await?;
                let org = store
                    .create_org(&NewOrganization {
                        name: name.trim().to_string(),
                        name_ar: name_ar
                            .map(|s| s.trim().to_string())
                            .filter(|s| !s.is_empty()),
                        kind,
                        network_member: member,
                    })
                    .await
                    .map_err(conflict_as_input("an organization with that name exists"))?;
                audit(
                    &store,
                    Some(org.id),
                    "org.create",
                    "organization",
                    org.id.to_string(),
                    serde_json::json!({"name": org.name, "kind": org.kind.as_str(), "by": "cli"}),
                )
                .await?;
                println!("added {} ({}) id {}", org.name, org.kind, org.id);
                Ok(())
            }
            OrgCommand::List { db } => {
                let store = open_store(&db.db).await?;
                println!("{:<38} {:<14} {:<7} name", "id", "kind", "member");
                for o in store.list_orgs().await.context("listing organizations")? {
                    let ar = o
                        .name_ar
                        .as_deref()
                        .map(|a| format!(" / {a}"))
                        .unwrap_or_default();
                    println!(
                        "{:<38} {:<14} {:<7} {}{ar}",
                        o.id.to_string(),
                        o.kind.as_str(),
                        if o.network_member { "yes" } else { "no" },
                        o.name
                    );
                }
                Ok(())
            }
        }
    })
}

async fn find_org(
    store: &Store,
    key: &str,
) -> Result<sijill_model::account::Organization, CliError> {
    if let Ok(id) = key.parse() {
        if let Some(o) = store.org(id).await.context("reading the organization")? {
            return Ok(o);
        }
    }
    store
        .org_by_name(key.trim())
        .await
        .context("reading the organization")?
        .ok_or_else(|| {
            CliError::input(format!(
                "--org: no organization named {key:?} (see `sijill org list`)"
            ))
        })
}

async fn find_user(store: &Store, name: &str) -> Result<sijill_model::account::User, CliError> {
    let username = Username::parse(name).map_err(|e| CliError::input(format!("username: {e}")))?;
    store
        .user_credentials(&username)
        .await
        .context("reading the user")?
        .map(|(u, _)| u)
        .ok_or_else(|| {
            CliError::input(format!("no user named {username} (see `sijill user list`)"))
        })
}

fn password_from(stdin: bool) -> Result<(String, bool), CliError> {
    if !stdin {
        return Ok((sijill_server::auth::one_time_password(), true));
    }
    if std::io::stdin().is_terminal() {
        eprintln!("password (one line):");
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    let pw = line.trim_end_matches(['\r', '\n']).to_string();
    if pw.chars().count() < 12 {
        return Err(CliError::input(
            "standard input: the password must have at least 12 characters",
        ));
    }
    Ok((pw, false))
}

/// The argon2id hash of a password.
pub fn hash(password: &str) -> Result<String, CliError> {
    sijill_server::auth::hash_password(password)
        .map_err(|e| CliError::Other(anyhow::anyhow!("hashing the password: {e}")))
}

fn conflict_as_input(msg: &'static str) -> impl Fn(StoreError) -> CliError {
    move |e| match e {
        StoreError::Conflict(_) => CliError::input(msg),
        other => CliError::Other(anyhow::Error::new(other)),
    }
}

/// The database URL without a password, for messages.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let cred = &url[s + 3..at];
            match cred.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &cred[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            redact_url("postgres://sijill:s3cret@db/sijill"),
            "postgres://sijill:***@db/sijill"
        );
        assert_eq!(redact_url("sqlite:sijill.db"), "sqlite:sijill.db");
        assert_eq!(
            redact_url("postgres://sijill@db/x"),
            "postgres://sijill@db/x"
        );
    }
}
