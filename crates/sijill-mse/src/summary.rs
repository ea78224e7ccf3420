//! Posterior summaries: discrete posteriors on a grid (BMA) and samples (MCMC), with the
//! effective sample size of a chain.

/// A posterior over a grid of values of `N` (probabilities normalised on construction).
#[derive(Debug, Clone, PartialEq)]
pub struct DiscretePosterior {
    values: Vec<f64>,
    probs: Vec<f64>,
}

impl DiscretePosterior {
    /// Builds the posterior; weights need not sum to one.
    pub fn new(values: Vec<f64>, weights: Vec<f64>) -> Self {
        let s: f64 = weights.iter().sum();
        let probs = if s > 0.0 {
            weights.iter().map(|w| w / s).collect()
        } else {
            weights
        };
        DiscretePosterior { values, probs }
    }

    /// Grid values.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// Probabilities on the grid.
    pub fn probs(&self) -> &[f64] {
        &self.probs
    }

    /// Posterior mean.
    pub fn mean(&self) -> f64 {
        self.values
            .iter()
            .zip(&self.probs)
            .map(|(v, p)| v * p)
            .sum()
    }

    /// Smallest grid value whose cumulative probability reaches `q`.
    pub fn quantile(&self, q: f64) -> f64 {
        let mut acc = 0.0;
        for (v, p) in self.values.iter().zip(&self.probs) {
            acc += p;
            if acc >= q - 1e-12 {
                return *v;
            }
        }
        *self.values.last().unwrap_or(&f64::NAN)
    }

    /// Posterior median.
    pub fn median(&self) -> f64 {
        self.quantile(0.5)
    }

    /// Posterior mode.
    pub fn mode(&self) -> f64 {
        let i = self
            .probs
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map_or(0, |(i, _)| i);
        self.values[i]
    }

    /// Bayes estimate under relative squared-error loss, `E[1/N] / E[1/N²]` (as `dga`).
    pub fn relative_loss_estimate(&self) -> f64 {
        let a: f64 = self
            .values
            .iter()
            .zip(&self.probs)
            .map(|(v, p)| p / v)
            .sum();
        let b: f64 = self
            .values
            .iter()
            .zip(&self.probs)
            .map(|(v, p)| p / (v * v))
            .sum();
        a / b
    }

    /// Equal-tailed interval at `level`.
    pub fn interval(&self, level: f64) -> (f64, f64) {
        let a = (1.0 - level) / 2.0;
        (self.quantile(a), self.quantile(1.0 - a))
    }
}

/// Summary of posterior draws.
#[derive(Debug, Clone, PartialEq)]
pub struct SampleSummary {
    /// Draws.
    pub draws: usize,
    /// Mean.
    pub mean: f64,
    /// Median.
    pub median: f64,
    /// Standard deviation.
    pub sd: f64,
    /// Equal-tailed 95% interval (2.5% and 97.5% quantiles).
    pub interval95: (f64, f64),
    /// Effective sample size.
    pub ess: f64,
}

/// Quantile of sorted data by R's default (type 7) rule.
pub fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let h = (sorted.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Summarises draws of a chain.
pub fn summarize_draws(x: &[f64]) -> SampleSummary {
    let n = x.len();
    let mean = x.iter().sum::<f64>() / n.max(1) as f64;
    let var = x.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n.max(2) - 1) as f64;
    let mut s = x.to_vec();
    s.sort_by(f64::total_cmp);
    SampleSummary {
        draws: n,
        mean,
        median: quantile_sorted(&s, 0.5),
        sd: var.sqrt(),
        interval95: (quantile_sorted(&s, 0.025), quantile_sorted(&s, 0.975)),
        ess: effective_sample_size(x),
    }
}

/// Effective sample size by Geyer's initial monotone sequence estimator.
pub fn effective_sample_size(x: &[f64]) -> f64 {
    let n = x.len();
    if n < 4 {
        return n as f64;
    }
    let mean = x.iter().sum::<f64>() / n as f64;
    let c0 = x.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n as f64;
    if c0 <= 0.0 {
        return n as f64;
    }
    let acf = |k: usize| -> f64 {
        (0..n - k)
            .map(|i| (x[i] - mean) * (x[i + k] - mean))
            .sum::<f64>()
            / n as f64
            / c0
    };
    let mut sum = 0.0;
    let mut prev = f64::INFINITY;
    let mut k = 0;
    while 2 * k + 1 < n {
        let pair = acf(2 * k) + acf(2 * k + 1);
        if pair <= 0.0 {
            break;
        }
        let pair = pair.min(prev);
        sum += pair;
        prev = pair;
        k += 1;
    }
    let tau = 2.0 * sum - 1.0;
    (n as f64 / tau.max(1e-9)).min(n as f64 * (n as f64).log10().max(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discrete_summaries() {
        let p = DiscretePosterior::new(vec![1.0, 2.0, 3.0], vec![1.0, 2.0, 1.0]);
        assert_eq!(p.median(), 2.0);
        assert_eq!(p.mode(), 2.0);
        assert!((p.mean() - 2.0).abs() < 1e-12);
        assert_eq!(p.interval(0.5), (1.0, 2.0));
        assert_eq!(p.interval(0.9), (1.0, 3.0));
    }

    #[test]
    fn independent_draws_have_ess_near_n() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let x: Vec<f64> = (0..2000).map(|_| rng.random::<f64>()).collect();
        let ess = effective_sample_size(&x);
        assert!(ess > 1500.0 && ess < 2600.0, "ess {ess}");
        // A strongly autocorrelated sequence has a much smaller ESS.
        let mut y = vec![0.0; 2000];
        for i in 1..2000 {
            y[i] = 0.95 * y[i - 1] + x[i] - 0.5;
        }
        // AR(1) with φ = 0.95: τ = (1 + φ) / (1 − φ) = 39, so ESS ≈ 2000 / 39 ≈ 51.
        let ess = effective_sample_size(&y);
        assert!(ess > 20.0 && ess < 120.0, "ess {ess}");
    }

    #[test]
    fn type7_quantiles() {
        let s = [1.0, 2.0, 3.0, 4.0];
        assert!((quantile_sorted(&s, 0.5) - 2.5).abs() < 1e-12);
        assert_eq!(quantile_sorted(&s, 0.0), 1.0);
    }
}
