//! The `sijill` command line: a thin layer that parses arguments, reads and writes files,
//! and calls the engines, the store and the server. See `sijill --help`.

mod cmd_claims;
mod cmd_estimate;
mod cmd_link;
mod error;

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
    /// Link victim records from several lists into persons (record linkage).
    Link(cmd_link::LinkArgs),
    /// Estimate the total from capture histories (multiple systems estimation).
    Estimate(cmd_estimate::EstimateArgs),
    /// Work with published figure claims.
    Claims(cmd_claims::ClaimsArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Link(args) => cmd_link::run(args),
        Command::Estimate(args) => cmd_estimate::run(args),
        Command::Claims(args) => cmd_claims::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => e.report(),
    }
}
