//! Multiple systems estimation (capture–recapture): log-linear models, model search,
//! Bayesian model averaging over decomposable graphs, latent classes. Pure: no IO.
//!
//! Counts come in as [`Histories`] (one count per observed capture pattern over `t` lists)
//! or [`Frequencies`] (units caught `k` times). Every estimator returns its point estimate
//! together with an interval and the model it came from, plus warnings that a reader must
//! see (zero cells, boundary solutions, non-convergence, unbounded intervals).
//!
//! - [`loglinear`]: Poisson log-linear models fitted by IRLS, the model set of Rcapture's
//!   `closedp`, profile-likelihood intervals as `closedpCI`, model search by AIC or BIC.
//! - [`bma`]: Madigan & York Bayesian model averaging over decomposable graphs (as R `dga`).
//! - [`lcmcr`]: the latent-class model of Manrique-Vallier (as R `LCMCR`), a Gibbs sampler.
//! - [`strata`]: combining per-stratum estimates into a total with its uncertainty.

pub mod bma;
mod data;
mod error;
mod glm;
pub mod input;
pub mod lcmcr;
mod linalg;
pub mod loglinear;
pub mod report;
mod special;
pub mod strata;
pub mod summary;

pub use data::{Frequencies, Histories};
pub use error::MseError;

/// Most lists any method accepts (LCMCR's limit; log-linear and BMA have lower ones).
pub fn lcmcr_max_lists() -> usize {
    data::MAX_LISTS
}
