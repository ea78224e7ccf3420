//! `sijill claims`: placeholder until the engine lands.

use crate::error::CliError;

/// Arguments of `sijill claims`.
#[derive(Debug, clap::Args)]
pub struct ClaimsArgs {}

/// Runs the command.
pub fn run(_args: ClaimsArgs) -> Result<(), CliError> {
    Err(CliError::input(
        "sijill claims: not available in this build yet",
    ))
}
