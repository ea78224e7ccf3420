//! Stratified estimation: estimate each stratum (governorate, week …) separately, then
//! combine into a total with its uncertainty.
//!
//! Strata are disjoint populations, so their totals add. Posterior draws (LCMCR) add draw
//! by draw, exact posteriors on a grid (BMA) convolve, and frequentist estimates add with
//! variances summed and a log-normal interval on the undocumented part (Chao 1987).

use crate::error::{MseError, invalid};
use crate::special::normal_quantile;
use crate::summary::DiscretePosterior;

/// A frequentist per-stratum estimate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StratumEstimate {
    /// Units observed in the stratum.
    pub observed: f64,
    /// Estimated total.
    pub estimate: f64,
    /// Its standard error.
    pub stderr: f64,
}

/// A combined total.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Combined {
    /// Units observed over all strata.
    pub observed: f64,
    /// The total.
    pub estimate: f64,
    /// Standard error of the total (strata independent).
    pub stderr: f64,
    /// Interval at the requested level.
    pub interval: (f64, f64),
}

/// Sums frequentist estimates; the interval is `n + f0 / C, n + f0 C` with
/// `f0 = N̂ − n` and `C = exp(z sqrt(log(1 + se² / f0²)))`.
pub fn combine_estimates(strata: &[StratumEstimate], level: f64) -> Result<Combined, MseError> {
    if strata.is_empty() {
        return Err(invalid("strata", "no stratum to combine"));
    }
    if !(level > 0.0 && level < 1.0) {
        return Err(invalid("level", "must be in (0, 1)"));
    }
    let observed: f64 = strata.iter().map(|s| s.observed).sum();
    let estimate: f64 = strata.iter().map(|s| s.estimate).sum();
    let var: f64 = strata.iter().map(|s| s.stderr * s.stderr).sum();
    let f0 = estimate - observed;
    let interval = if f0 > 0.0 && var > 0.0 {
        let z = normal_quantile(0.5 + level / 2.0);
        let c = (z * (1.0 + var / (f0 * f0)).ln().sqrt()).exp();
        (observed + f0 / c, observed + f0 * c)
    } else {
        (estimate, estimate)
    };
    Ok(Combined {
        observed,
        estimate,
        stderr: var.sqrt(),
        interval,
    })
}

/// Adds posterior draws stratum by stratum (draw `i` of the total is the sum of draws `i`).
/// All strata must have the same number of draws.
pub fn combine_draws(strata: &[&[f64]]) -> Result<Vec<f64>, MseError> {
    let Some(first) = strata.first() else {
        return Err(invalid("strata", "no stratum to combine"));
    };
    if strata.iter().any(|s| s.len() != first.len()) {
        return Err(invalid("strata", "strata have different numbers of draws"));
    }
    Ok((0..first.len())
        .map(|i| strata.iter().map(|s| s[i]).sum())
        .collect())
}

/// Convolves posteriors on unit-spaced grids of `N` into the posterior of the total.
/// Probabilities below `1e-12` at either tail are trimmed first.
pub fn combine_grids(strata: &[&DiscretePosterior]) -> Result<DiscretePosterior, MseError> {
    let Some(first) = strata.first() else {
        return Err(invalid("strata", "no stratum to combine"));
    };
    let trim = |p: &DiscretePosterior| -> Result<(f64, Vec<f64>), MseError> {
        let v = p.values();
        if v.windows(2).any(|w| (w[1] - w[0] - 1.0).abs() > 1e-9) {
            return Err(invalid("strata", "posterior grids must be spaced by one"));
        }
        let pr = p.probs();
        let lo = pr.iter().position(|&x| x > 1e-12).unwrap_or(0);
        let hi = pr.iter().rposition(|&x| x > 1e-12).unwrap_or(pr.len() - 1);
        Ok((v[lo], pr[lo..=hi].to_vec()))
    };
    let (mut start, mut acc) = trim(first)?;
    for p in &strata[1..] {
        let (s, q) = trim(p)?;
        let mut out = vec![0.0; acc.len() + q.len() - 1];
        for (i, &a) in acc.iter().enumerate() {
            if a == 0.0 {
                continue;
            }
            for (j, &b) in q.iter().enumerate() {
                out[i + j] += a * b;
            }
        }
        start += s;
        acc = out;
    }
    let values = (0..acc.len()).map(|i| start + i as f64).collect();
    Ok(DiscretePosterior::new(values, acc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_and_variances_add() {
        let s = [
            StratumEstimate {
                observed: 100.0,
                estimate: 150.0,
                stderr: 10.0,
            },
            StratumEstimate {
                observed: 50.0,
                estimate: 80.0,
                stderr: 5.0,
            },
        ];
        let c = combine_estimates(&s, 0.95).expect("combined");
        assert_eq!(c.estimate, 230.0);
        assert!((c.stderr - 125f64.sqrt()).abs() < 1e-12);
        assert!(
            c.interval.0 > c.observed && c.interval.0 < c.estimate && c.interval.1 > c.estimate
        );
    }

    #[test]
    fn grids_convolve() {
        let a = DiscretePosterior::new(vec![10.0, 11.0], vec![0.5, 0.5]);
        let b = DiscretePosterior::new(vec![20.0, 21.0], vec![0.5, 0.5]);
        let c = combine_grids(&[&a, &b]).expect("combined");
        assert_eq!(c.values(), &[30.0, 31.0, 32.0]);
        assert_eq!(c.probs(), &[0.25, 0.5, 0.25]);
        assert!((c.mean() - (a.mean() + b.mean())).abs() < 1e-12);
    }

    #[test]
    fn draws_add_index_wise() {
        let c = combine_draws(&[&[1.0, 2.0], &[10.0, 20.0]]).expect("combined");
        assert_eq!(c, vec![11.0, 22.0]);
        assert!(combine_draws(&[&[1.0], &[1.0, 2.0]]).is_err());
    }
}
