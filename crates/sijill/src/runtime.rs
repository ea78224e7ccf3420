//! Shared plumbing of the commands that need the store: the async runtime, opening the
//! database with a readable error.

use crate::error::CliError;
use anyhow::Context;
use sijill_store::Store;
use std::future::Future;

/// Runs a future on a fresh multi-threaded runtime.
pub fn block_on<F, T>(fut: F) -> Result<T, CliError>
where
    F: Future<Output = Result<T, CliError>>,
{
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    rt.block_on(fut)
}

/// Opens (and migrates) the store at `url`.
pub async fn open_store(url: &str) -> Result<Store, CliError> {
    Store::open(url).await.map_err(|e| match e {
        sijill_store::StoreError::Invalid(msg) => CliError::input(format!("--db: {msg}")),
        other => CliError::Other(
            anyhow::Error::new(other)
                .context(format!("opening {}", crate::cmd_admin::redact_url(url))),
        ),
    })
}
