//! Poisson regression with log link fitted by iteratively reweighted least squares, as R's
//! `glm(family = poisson)`: same start (`mu = y + 0.1`), same convergence rule
//! (`|dev - dev_old| / (|dev| + 0.1) < 1e-8`), aliased columns dropped.

// Index loops mirror the formulas of the reference implementations.
#![allow(clippy::needless_range_loop)]

use crate::linalg::Cholesky;
use crate::special::ln_factorial;

/// A Poisson GLM fit.
#[derive(Debug, Clone)]
pub(crate) struct PoissonFit {
    /// Coefficients, intercept first (`NaN` for aliased columns).
    pub coef: Vec<f64>,
    /// Unscaled covariance of the coefficients (`p × p`, row-major).
    pub cov: Vec<f64>,
    /// Residual deviance.
    pub deviance: f64,
    /// Poisson log-likelihood.
    pub loglik: f64,
    /// Rank of the design (parameters estimated).
    pub rank: usize,
    /// Whether IRLS converged.
    pub converged: bool,
    /// Whether some fitted means reached numerical zero or infinity (boundary).
    pub boundary: bool,
}

/// Fits `log E[y] = offset + X b` where `x` is row-major `rows × p` and includes the
/// intercept column.
pub(crate) fn fit_poisson(y: &[f64], x: &[f64], p: usize, offset: &[f64]) -> PoissonFit {
    let rows = y.len();
    debug_assert_eq!(x.len(), rows * p);
    let mut mu: Vec<f64> = y.iter().map(|&v| v + 0.1).collect();
    let mut eta: Vec<f64> = mu.iter().map(|m| m.ln()).collect();
    let mut dev_old = deviance(y, &mu);
    let mut coef = vec![0.0; p];
    let mut chol = None;
    let mut converged = false;
    let mut xtwx = vec![0.0; p * p];
    let mut xtwz = vec![0.0; p];
    for _ in 0..200 {
        xtwx.iter_mut().for_each(|v| *v = 0.0);
        xtwz.iter_mut().for_each(|v| *v = 0.0);
        for i in 0..rows {
            let w = mu[i];
            let z = eta[i] - offset[i] + (y[i] - mu[i]) / mu[i];
            let xi = &x[i * p..(i + 1) * p];
            for r in 0..p {
                let wr = w * xi[r];
                if wr == 0.0 {
                    continue;
                }
                xtwz[r] += wr * z;
                for c in r..p {
                    xtwx[r * p + c] += wr * xi[c];
                }
            }
        }
        for r in 0..p {
            for c in 0..r {
                xtwx[r * p + c] = xtwx[c * p + r];
            }
        }
        let ch = Cholesky::new(&xtwx, p, 1e-11);
        let b = ch.solve(&xtwz);
        chol = Some(ch);
        for i in 0..rows {
            let xi = &x[i * p..(i + 1) * p];
            eta[i] = offset[i] + xi.iter().zip(&b).map(|(a, c)| a * c).sum::<f64>();
            mu[i] = eta[i].exp().clamp(f64::MIN_POSITIVE, f64::MAX);
        }
        coef = b;
        let dev = deviance(y, &mu);
        if (dev - dev_old).abs() / (dev.abs() + 0.1) < 1e-8 {
            converged = true;
            dev_old = dev;
            break;
        }
        dev_old = dev;
    }
    // Covariance at the final weights (R reports it from the last iteration's QR).
    let ch = chol.unwrap_or_else(|| Cholesky::new(&xtwx, p, 1e-11));
    let cov = ch.inverse();
    let kept = ch.kept().to_vec();
    for (c, v) in coef.iter_mut().enumerate() {
        if !kept.contains(&c) {
            *v = f64::NAN;
        }
    }
    let eps = 10.0 * f64::EPSILON;
    let boundary = mu
        .iter()
        .any(|&m| m < eps || !m.is_finite() || m >= f64::MAX / 2.0);
    let loglik = y
        .iter()
        .zip(&mu)
        .map(|(&yi, &mi)| {
            if yi > 0.0 {
                yi * mi.ln() - mi - ln_factorial(yi)
            } else {
                -mi
            }
        })
        .sum();
    PoissonFit {
        coef,
        cov,
        deviance: dev_old,
        loglik,
        rank: ch.rank(),
        converged,
        boundary,
    }
}

/// Poisson deviance `2 Σ [y log(y/mu) - (y - mu)]`.
pub(crate) fn deviance(y: &[f64], mu: &[f64]) -> f64 {
    2.0 * y
        .iter()
        .zip(mu)
        .map(|(&yi, &mi)| {
            if yi > 0.0 {
                yi * (yi / mi).ln() - (yi - mi)
            } else {
                mi
            }
        })
        .sum::<f64>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saturated_two_cell_fit_reproduces_the_data() {
        // log mu = b0 + b1 x on two cells: exact fit.
        let y = [3.0, 12.0];
        let x = [1.0, 0.0, 1.0, 1.0];
        let f = fit_poisson(&y, &x, 2, &[0.0, 0.0]);
        assert!(f.converged);
        assert!((f.coef[0] - 3f64.ln()).abs() < 1e-8);
        assert!((f.coef[1] - 4f64.ln()).abs() < 1e-8);
        assert!(f.deviance.abs() < 1e-8);
        // Var(b0) = 1/3 for a Poisson count of 3.
        assert!((f.cov[0] - 1.0 / 3.0).abs() < 1e-6);
    }
}
