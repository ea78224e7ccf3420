//! The `sijill` command line: a thin layer that parses arguments, reads and writes files,
//! and calls the engines, the store and the server. See `sijill --help`.

mod cmd_admin;
mod cmd_areas;
mod cmd_claims;
mod cmd_document;
mod cmd_estimate;
mod cmd_link;
mod cmd_protect;
mod cmd_reconcile;
mod cmd_respond;
mod cmd_server;
mod cmd_sync;
mod demo;
mod demo_document;
mod demo_reconcile;
mod demo_respond;
mod error;
mod link_input;
mod runtime;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// sijill (سجل, "register"): relief, documentation and reconciliation for civil-society
/// networks responding to mass violence.
#[derive(Debug, Parser)]
#[command(name = "sijill", version, about, long_about = None, propagate_version = true)]
#[command(
    after_help = "Examples:\n  sijill demo                      serve a seeded demo network on http://127.0.0.1:8080\n  sijill link --input a.csv --input b.csv --output persons.csv\n  sijill estimate --histories histories.csv --method all\n  sijill claims extract report.txt --format json"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Seed a demo network into ./sijill-demo.db (or reuse it) and serve it on
    /// http://127.0.0.1:8080.
    Demo(cmd_server::DemoArgs),
    /// Serve the web UI and the JSON API on a database.
    Serve(cmd_server::ServeArgs),
    /// Bring the database schema up to date.
    Migrate(cmd_admin::MigrateArgs),
    /// Manage user accounts.
    User(cmd_admin::UserArgs),
    /// Manage organizations.
    Org(cmd_admin::OrgArgs),
    /// Find reference areas; import an OCHA COD-AB table.
    Areas(cmd_areas::AreasArgs),
    /// Link victim records from several lists into persons (record linkage).
    Link(cmd_link::LinkArgs),
    /// Estimate the total from capture histories (multiple systems estimation).
    Estimate(cmd_estimate::EstimateArgs),
    /// Work with published figure claims.
    Claims(cmd_claims::ClaimsArgs),
    /// Import data files into the database (victim lists).
    Import(cmd_reconcile::ImportArgs),
    /// Check stored evidence files and the custody log.
    Evidence(cmd_document::EvidenceArgs),
    /// Write and check investigator packages.
    Export(cmd_document::ExportArgs),
    /// Exchange records with the network's server (push local changes, pull the
    /// server's; resumable after a cut connection).
    Sync(cmd_sync::SyncArgs),
    /// Back up, rotate and check the key file that seals personal fields.
    Keys(cmd_protect::KeysArgs),
    /// Erase one record's personal fields for good (crypto-shredding).
    Erase(cmd_protect::EraseArgs),
    /// Verify the hash-chained audit log.
    Audit(cmd_protect::AuditArgs),
    /// Write a consistent backup of the database while it is in use.
    Backup(cmd_protect::BackupArgs),
    /// Restore a backup into a new, empty database.
    Restore(cmd_protect::RestoreArgs),
}

fn main() -> ExitCode {
    sijill_sync::install_tls_provider();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Demo(args) => cmd_server::demo(args),
        Command::Serve(args) => cmd_server::serve(args),
        Command::Migrate(args) => cmd_admin::migrate(args),
        Command::User(args) => cmd_admin::user(args),
        Command::Org(args) => cmd_admin::org(args),
        Command::Areas(args) => cmd_areas::run(args),
        Command::Link(args) => cmd_link::run(args),
        Command::Estimate(args) => cmd_estimate::run(args),
        Command::Claims(args) => cmd_claims::run(args),
        Command::Import(args) => cmd_reconcile::run(args),
        Command::Evidence(args) => cmd_document::evidence(args),
        Command::Export(args) => cmd_document::export(args),
        Command::Sync(args) => cmd_sync::run(args),
        Command::Keys(args) => cmd_protect::keys(args),
        Command::Erase(args) => cmd_protect::erase(args),
        Command::Audit(args) => cmd_protect::audit(args),
        Command::Backup(args) => cmd_protect::backup(args),
        Command::Restore(args) => cmd_protect::restore(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => e.report(),
    }
}
