//! `sijill estimate`: placeholder until the engine lands.

use crate::error::CliError;

/// Arguments of `sijill estimate`.
#[derive(Debug, clap::Args)]
pub struct EstimateArgs {}

/// Runs the command.
pub fn run(_args: EstimateArgs) -> Result<(), CliError> {
    Err(CliError::input(
        "sijill estimate: not available in this build yet",
    ))
}
