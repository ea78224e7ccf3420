//! The CLI's error type: bad input exits with 2 and a one-line reason, anything else with 1.

use std::fmt;
use std::process::ExitCode;

/// What went wrong in a command, and so which exit code it ends with.
#[derive(Debug)]
pub enum CliError {
    /// The user's input is wrong (file, line, column named in the message): exit code 2.
    Input(String),
    /// Something else failed (IO, the database, a bug): exit code 1.
    Other(anyhow::Error),
}

impl CliError {
    /// A bad-input error with its one-line reason.
    pub fn input(msg: impl Into<String>) -> Self {
        CliError::Input(msg.into())
    }

    /// Prints the error on stderr and gives the exit code.
    pub fn report(&self) -> ExitCode {
        eprintln!("sijill: {self}");
        match self {
            CliError::Input(_) => ExitCode::from(2),
            CliError::Other(_) => ExitCode::from(1),
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Input(m) => f.write_str(m),
            CliError::Other(e) => write!(f, "{e:#}"),
        }
    }
}

impl From<anyhow::Error> for CliError {
    fn from(e: anyhow::Error) -> Self {
        CliError::Other(e)
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        CliError::Other(e.into())
    }
}
