//! `sijill link`: placeholder until the engine lands.

use crate::error::CliError;

/// Arguments of `sijill link`.
#[derive(Debug, clap::Args)]
pub struct LinkArgs {}

/// Runs the command.
pub fn run(_args: LinkArgs) -> Result<(), CliError> {
    Err(CliError::input(
        "sijill link: not available in this build yet",
    ))
}
