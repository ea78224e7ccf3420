//! What the command-line tests share: the built `sijill`, run without the environment
//! variables that would point it at another database, key file, evidence directory or
//! sync token, and its whole output as text.

#![allow(dead_code)]

use std::process::{Command, Output};

/// Runs `sijill args…` and waits for it.
pub fn sijill(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sijill"))
        .args(args)
        .env_remove("SIJILL_DB")
        .env_remove("SIJILL_KEY_FILE")
        .env_remove("SIJILL_EVIDENCE_DIR")
        .env_remove("SIJILL_SYNC_TOKEN")
        .output()
        .expect("run sijill")
}

/// Standard output and standard error, one after the other.
pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}
