//! The latent-class model of Manrique-Vallier (2016), as the R package `LCMCR`: a
//! Dirichlet-process mixture (truncated at `K` classes, stick-breaking) of independent
//! Bernoulli lists, with `p(N) ∝ 1/N`, fitted by Gibbs sampling.
//!
//! The sweep is LCMCR's (`NPLCM_CR_Basic_Freq`): class counts per observed capture
//! pattern, `λ_jk ~ Beta(1 + s, 1 + f)`, stick-breaking weights, the unobserved count
//! `n0 ~ NegBin(n, 1 − p0)`, its classes, and `α ~ Gamma(a + K − 1, b − log ν_K)`. It is
//! written for speed: units are aggregated by capture pattern (never one by one), a
//! pattern's class probabilities are products over the lists it is *on* only, classes
//! without units draw `λ` as plain uniforms, and the seeded ChaCha8 generator is local.
//!
//! A chain can stay for millions of sweeps in one region of the posterior (on HRDAG's
//! 20-list stratum chains settle early near N ≈ 1,800 or near 2,070 and were not seen to
//! cross within 5 million sweeps): run several chains from different seeds (`chains`,
//! in parallel threads) and read R-hat, which the result warns about.

// Index loops mirror the formulas of the reference implementations.
#![allow(clippy::needless_range_loop)]

use crate::data::Histories;
use crate::error::{MseError, invalid};
use crate::summary::{SampleSummary, summarize_draws};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Binomial, Distribution, Exp1, Poisson, StandardNormal};

/// Sampler settings before checking. Defaults follow LCMCR (`K = 10` here as HRDAG's
/// guidance, `a = b = 0.25`, burn-in 10,000, 1,000 samples thinned by 10).
#[derive(Debug, Clone, PartialEq)]
pub struct LcmcrParams {
    /// Truncation `K` (maximum number of latent classes).
    pub classes: usize,
    /// Shape of the Gamma prior on the concentration `α`.
    pub a_alpha: f64,
    /// Rate of the Gamma prior on `α`.
    pub b_alpha: f64,
    /// Sweeps discarded before sampling.
    pub burnin: u64,
    /// Draws kept.
    pub samples: u64,
    /// Sweeps per kept draw.
    pub thin: u64,
    /// Seed of the generator.
    pub seed: u64,
    /// Warm-up sweeps without `α` updates before the classes are reordered (LCMCR: 500).
    pub warmup: u64,
    /// Independent chains run in parallel threads, the samples split between them (1 is
    /// LCMCR's single chain; each extra chain repeats warm-up and burn-in).
    pub chains: usize,
}

impl Default for LcmcrParams {
    fn default() -> Self {
        LcmcrParams {
            classes: 10,
            a_alpha: 0.25,
            b_alpha: 0.25,
            burnin: 10_000,
            samples: 1_000,
            thin: 10,
            seed: 1,
            warmup: 500,
            chains: 1,
        }
    }
}

/// Checked sampler settings.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidLcmcrParams(LcmcrParams);

impl LcmcrParams {
    /// Checks the settings.
    pub fn check(self) -> Result<ValidLcmcrParams, MseError> {
        if !(2..=200).contains(&self.classes) {
            return Err(invalid("classes", "must be between 2 and 200"));
        }
        if !(self.a_alpha > 0.0
            && self.b_alpha > 0.0
            && self.a_alpha.is_finite()
            && self.b_alpha.is_finite())
        {
            return Err(invalid("a_alpha/b_alpha", "must be positive"));
        }
        if !(1..=64).contains(&self.chains) || self.samples < self.chains as u64 {
            return Err(invalid(
                "chains",
                "must be between 1 and 64 and at most the samples",
            ));
        }
        if self.samples == 0 || self.thin == 0 {
            return Err(invalid("samples/thin", "must be at least 1"));
        }
        if self.samples.saturating_mul(self.thin) > 1_000_000_000_000 {
            return Err(invalid("samples", "samples × thin is too large"));
        }
        Ok(ValidLcmcrParams(self))
    }
}

/// Posterior draws and their summary.
#[derive(Debug, Clone)]
pub struct LcmcrResult {
    /// Draws of `N`, one per kept sample.
    pub n: Vec<f64>,
    /// Draws of `α`.
    pub alpha: Vec<f64>,
    /// Occupied classes per draw.
    pub occupied: Vec<u32>,
    /// Summary of the draws of `N` (mean, median, 95% interval, effective sample size).
    pub summary: SampleSummary,
    /// Warnings (empty lists, low effective sample size, classes at the truncation).
    pub warnings: Vec<String>,
    /// Sweeps run over all chains (warm-up + burn-in per chain, plus samples × thin).
    pub sweeps: u64,
    /// Gelman–Rubin potential scale reduction of `N` when several chains ran.
    pub rhat: Option<f64>,
}

struct ChainRun {
    n: Vec<f64>,
    alpha: Vec<f64>,
    occupied: Vec<u32>,
}

/// One chain: warm-up, reordering, burn-in, then `samples` draws thinned by `thin`.
/// Chain `c` uses stream `c` of the seeded generator, so chain 0 is the single-chain run.
fn run_chain(h: &Histories, p: &LcmcrParams, chain: u64, samples: u64) -> ChainRun {
    let mut s = Sampler::new(h, p, chain);
    for _ in 0..p.warmup {
        s.sweep(false);
    }
    s.permute_by_weight();
    for _ in 0..p.burnin {
        s.sweep(true);
    }
    let cap = samples as usize;
    let mut run = ChainRun {
        n: Vec::with_capacity(cap),
        alpha: Vec::with_capacity(cap),
        occupied: Vec::with_capacity(cap),
    };
    for _ in 0..samples {
        for _ in 0..p.thin {
            s.sweep(true);
        }
        run.n.push((s.n + s.n0) as f64);
        run.alpha.push(s.alpha);
        run.occupied.push(s.occupied());
    }
    run
}

/// Gelman–Rubin R-hat over chains (of possibly unequal length).
fn gelman_rubin(chains: &[&[f64]]) -> f64 {
    let m = chains.len() as f64;
    let len = chains.iter().map(|c| c.len()).min().unwrap_or(0) as f64;
    let means: Vec<f64> = chains
        .iter()
        .map(|c| c.iter().sum::<f64>() / c.len() as f64)
        .collect();
    let grand = means.iter().sum::<f64>() / m;
    let b = len / (m - 1.0) * means.iter().map(|x| (x - grand) * (x - grand)).sum::<f64>();
    let w = chains
        .iter()
        .zip(&means)
        .map(|(c, mu)| c.iter().map(|x| (x - mu) * (x - mu)).sum::<f64>() / (c.len() as f64 - 1.0))
        .sum::<f64>()
        / m;
    if w <= 0.0 {
        return 1.0;
    }
    (((len - 1.0) / len * w + b / len) / w).sqrt()
}

/// Sampler state over aggregated capture patterns.
struct Sampler {
    j: usize,
    k: usize,
    n: u64,
    /// Observed patterns: list indices each pattern is on, and counts.
    ones: Vec<Vec<u16>>,
    freq: Vec<u64>,
    /// λ, row per class: `lam[k * j + l]`.
    lam: Vec<f64>,
    /// λ / (1 − λ), row per list: `ratio[l * k + kk]` (so a pattern's class
    /// probabilities are a few vector products).
    ratio: Vec<f64>,
    /// ν_k Π_l (1 − λ_lk): probability of class k and the empty pattern.
    base: Vec<f64>,
    nu: Vec<f64>,
    log_nu: Vec<f64>,
    alpha: f64,
    a_alpha: f64,
    b_alpha: f64,
    n0: u64,
    count0: Vec<u64>,
    /// Units of class k over all patterns (observed + unobserved).
    count_k: Vec<u64>,
    /// Units of class k on list l: `on[k * j + l]`.
    on: Vec<u64>,
    probs: Vec<f64>,
    alloc: Vec<u64>,
    scratch: Vec<f64>,
    /// Classes by decreasing size at the last sweep.
    order: Vec<usize>,
    rng: ChaCha8Rng,
}

/// Log of a Gamma(shape, 1) draw, accurate for tiny shapes (LCMCR's `dan_log_gamma_1`).
fn ln_gamma_draw(rng: &mut ChaCha8Rng, shape: f64) -> f64 {
    if shape < 1.0 {
        let u: f64 = rng.random::<f64>().max(f64::MIN_POSITIVE);
        gamma_draw(rng, shape + 1.0).ln() + u.ln() / shape
    } else {
        gamma_draw(rng, shape).ln()
    }
}

#[inline]
/// Gamma(shape, 1): a sum of exponentials for small integer shapes, else Marsaglia &
/// Tsang (2000).
fn gamma_draw(rng: &mut ChaCha8Rng, shape: f64) -> f64 {
    if shape < 1.0 {
        let u: f64 = rng.random::<f64>().max(f64::MIN_POSITIVE);
        return gamma_draw(rng, shape + 1.0) * u.powf(1.0 / shape);
    }
    if shape <= 6.0 && shape.fract() == 0.0 {
        let mut g = 0.0;
        for _ in 0..shape as u32 {
            let e: f64 = Exp1.sample(rng);
            g += e;
        }
        return g;
    }
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let x: f64 = StandardNormal.sample(rng);
        let v = 1.0 + c * x;
        if v <= 0.0 {
            continue;
        }
        let v = v * v * v;
        let u: f64 = rng.random();
        let x2 = x * x;
        if u < 1.0 - 0.0331 * x2 * x2 || u.ln() < 0.5 * x2 + d * (1.0 - v + v.ln()) {
            return d * v;
        }
    }
}

fn beta_draw(rng: &mut ChaCha8Rng, a: f64, b: f64) -> f64 {
    let x = gamma_draw(rng, a);
    let y = gamma_draw(rng, b);
    x / (x + y)
}

/// Multinomial draw of `total` units over weights `p` (not normalised) into `out`;
/// `cum` is scratch space of the same length.
fn multinomial(
    rng: &mut ChaCha8Rng,
    total: u64,
    p: &[f64],
    out: &mut [u64],
    cum: &mut [f64],
    order: &[usize],
) {
    out.iter_mut().for_each(|v| *v = 0);
    if total == 0 {
        return;
    }
    if total <= 16 {
        // Few units: one categorical draw each against the cumulative weights, largest
        // classes first so that the scan stops early.
        let mut acc = 0.0;
        for (c, &r) in cum.iter_mut().zip(order) {
            acc += p[r];
            *c = acc;
        }
        let last = order.len() - 1;
        for _ in 0..total {
            let u = rng.random::<f64>() * acc;
            let pos = cum.iter().position(|&c| u < c).unwrap_or(last);
            out[order[pos]] += 1;
        }
        return;
    }
    // Conditional binomials, largest classes first; once few units are left they are
    // drawn one by one over the remaining classes (the same conditional multinomial).
    let mut mass: f64 = p.iter().sum();
    let mut left = total;
    for (rank, &i) in order.iter().enumerate() {
        if left == 0 {
            break;
        }
        if rank == order.len() - 1 {
            out[i] += left;
            break;
        }
        if left <= 8 {
            let rest = &order[rank..];
            let mut acc = 0.0;
            for (c, &r) in cum.iter_mut().zip(rest) {
                acc += p[r];
                *c = acc;
            }
            let cum = &cum[..rest.len()];
            for _ in 0..left {
                let u = rng.random::<f64>() * acc;
                let pos = cum.iter().position(|&c| u < c).unwrap_or(rest.len() - 1);
                out[rest[pos]] += 1;
            }
            break;
        }
        let w = p[i];
        let q = if mass > 0.0 {
            (w / mass).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let x = if q >= 1.0 {
            left
        } else if q <= 0.0 {
            0
        } else {
            Binomial::new(left, q).map_or(0, |b| b.sample(rng))
        };
        out[i] = x;
        left -= x;
        mass -= w;
    }
}

impl Sampler {
    fn new(h: &Histories, p: &LcmcrParams, chain: u64) -> Sampler {
        let j = h.t();
        let k = p.classes;
        let ones: Vec<Vec<u16>> = h
            .cells()
            .iter()
            .map(|&(m, _)| {
                (0..j)
                    .filter(|&l| m & (1 << l) != 0)
                    .map(|l| l as u16)
                    .collect()
            })
            .collect();
        let freq: Vec<u64> = h.cells().iter().map(|&(_, c)| c).collect();
        let mut s = Sampler {
            j,
            k,
            n: h.observed(),
            ones,
            freq,
            lam: vec![0.5; j * k],
            ratio: vec![1.0; j * k],
            base: vec![0.0; k],
            nu: vec![1.0 / k as f64; k],
            log_nu: vec![-(k as f64).ln(); k],
            alpha: 1.0,
            a_alpha: p.a_alpha,
            b_alpha: p.b_alpha,
            n0: 0,
            count0: vec![0; k],
            count_k: vec![0; k],
            on: vec![0; j * k],
            probs: vec![0.0; k],
            alloc: vec![0; k],
            scratch: vec![0.0; k],
            order: (0..k).collect(),
            rng: {
                let mut r = ChaCha8Rng::seed_from_u64(p.seed);
                r.set_stream(chain);
                r
            },
        };
        s.initialise();
        s
    }

    fn initialise(&mut self) {
        // Stick-breaking draw with α = 1 (LCMCR draws it, then overwrites ν below).
        let mut lacc = 0.0;
        for kk in 0..self.k - 1 {
            let g1 = ln_gamma_draw(&mut self.rng, 1.0);
            let g2 = ln_gamma_draw(&mut self.rng, 1.0);
            let gs = log_sum(g1, g2);
            self.log_nu[kk] = g1 - gs + lacc;
            lacc += g2 - gs;
        }
        self.log_nu[self.k - 1] = lacc;
        // λ at the lists' marginal frequencies.
        let totals = {
            let mut t = vec![0u64; self.j];
            for (o, &f) in self.ones.iter().zip(&self.freq) {
                for &l in o {
                    t[l as usize] += f;
                }
            }
            t
        };
        for kk in 0..self.k {
            for l in 0..self.j {
                self.lam[kk * self.j + l] =
                    (totals[l] as f64 / self.n as f64).clamp(1e-6, 1.0 - 1e-6);
            }
        }
        self.alpha = 0.3 / self.k as f64;
        let heavy = self.k.min(4);
        for kk in 0..self.k {
            self.nu[kk] = if kk < heavy {
                if self.k > 4 {
                    0.225
                } else {
                    1.0 / self.k as f64
                }
            } else {
                0.1 / (self.k - 4) as f64
            };
        }
        self.refresh_products();
    }

    fn refresh_products(&mut self) {
        for kk in 0..self.k {
            let mut b = self.nu[kk];
            for l in 0..self.j {
                let x = self.lam[kk * self.j + l];
                b *= 1.0 - x;
                self.ratio[l * self.k + kk] = x / (1.0 - x);
            }
            self.base[kk] = b;
        }
    }

    /// One Gibbs sweep; `with_alpha` is false during warm-up.
    fn sweep(&mut self, with_alpha: bool) {
        let (j, k) = (self.j, self.k);
        // 1. Classes of the units of each observed pattern; tabulate as we go.
        self.on.iter_mut().for_each(|v| *v = 0);
        self.count_k.copy_from_slice(&self.count0);
        for m in 0..self.ones.len() {
            let ones = &self.ones[m];
            self.probs.copy_from_slice(&self.base);
            for &l in ones {
                let r = &self.ratio[l as usize * k..(l as usize + 1) * k];
                for (p, &x) in self.probs.iter_mut().zip(r) {
                    *p *= x;
                }
            }
            multinomial(
                &mut self.rng,
                self.freq[m],
                &self.probs,
                &mut self.alloc,
                &mut self.scratch,
                &self.order,
            );
            for kk in 0..k {
                let c = self.alloc[kk];
                if c == 0 {
                    continue;
                }
                self.count_k[kk] += c;
                let row = &mut self.on[kk * j..(kk + 1) * j];
                for &l in ones {
                    row[l as usize] += c;
                }
            }
        }
        let counts = &self.count_k;
        self.order
            .sort_unstable_by(|&a, &b| counts[b].cmp(&counts[a]));
        // 2. λ | classes (the unobserved units are on no list).
        for kk in 0..k {
            let nk = self.count_k[kk];
            for l in 0..j {
                let s = self.on[kk * j + l];
                let x = if nk == 0 {
                    self.rng.random::<f64>()
                } else if s == 0 || s == nk {
                    // Beta(1, 1 + nk) = 1 − U^(1/(1+nk)) = −expm1(−E/(1+nk)), E ~ Exp(1);
                    // Beta(1 + nk, 1) is its mirror image.
                    let e: f64 = Exp1.sample(&mut self.rng);
                    let y = -(-e / (1.0 + nk as f64)).exp_m1();
                    if s == 0 { y } else { 1.0 - y }
                } else {
                    beta_draw(&mut self.rng, 1.0 + s as f64, 1.0 + (nk - s) as f64)
                };
                self.lam[kk * j + l] = x.clamp(1e-300, 1.0 - 1e-16);
            }
        }
        // 3. Stick-breaking weights.
        let total = self.n + self.n0;
        let mut acc = 0u64;
        let mut lprod = 0.0;
        for kk in 0..k - 1 {
            acc += self.count_k[kk];
            let a = 1.0 + self.count_k[kk] as f64;
            let b = self.alpha + (total - acc) as f64;
            let g1 = ln_gamma_draw(&mut self.rng, a);
            let g2 = ln_gamma_draw(&mut self.rng, b);
            let gs = log_sum(g1, g2);
            self.log_nu[kk] = g1 - gs + lprod;
            lprod += g2 - gs;
            self.nu[kk] = self.log_nu[kk].exp();
        }
        self.log_nu[k - 1] = lprod;
        self.nu[k - 1] = lprod.exp();
        self.refresh_products();
        // 4. The unobserved count and its classes.
        let p0: f64 = self.base.iter().sum::<f64>().clamp(0.0, 1.0 - 1e-12);
        self.n0 = if p0 <= 0.0 {
            0
        } else {
            let g = gamma_draw(&mut self.rng, self.n as f64);
            let mean = g * p0 / (1.0 - p0);
            if mean <= 0.0 {
                0
            } else if mean > 1e15 {
                1_000_000_000_000_000
            } else {
                Poisson::new(mean).map_or(0, |d| d.sample(&mut self.rng) as u64)
            }
        };
        multinomial(
            &mut self.rng,
            self.n0,
            &self.base,
            &mut self.count0,
            &mut self.scratch,
            &self.order,
        );
        // 5. Concentration.
        if with_alpha {
            let shape = self.a_alpha + k as f64 - 1.0;
            let rate = self.b_alpha - self.log_nu[k - 1];
            self.alpha = (gamma_draw(&mut self.rng, shape) / rate).max(1e-300);
        }
    }

    fn occupied(&self) -> u32 {
        self.count_k.iter().filter(|&&c| c > 0).count() as u32
    }

    /// Reorders classes by decreasing weight (LCMCR does this after warm-up).
    fn permute_by_weight(&mut self) {
        let mut idx: Vec<usize> = (0..self.k).collect();
        idx.sort_by(|&a, &b| self.nu[b].total_cmp(&self.nu[a]));
        let j = self.j;
        let lam = self.lam.clone();
        let (nu, lnu, c0) = (self.nu.clone(), self.log_nu.clone(), self.count0.clone());
        for (new, &old) in idx.iter().enumerate() {
            self.lam[new * j..(new + 1) * j].copy_from_slice(&lam[old * j..(old + 1) * j]);
            self.nu[new] = nu[old];
            self.log_nu[new] = lnu[old];
            self.count0[new] = c0[old];
        }
        self.refresh_products();
    }
}

fn log_sum(a: f64, b: f64) -> f64 {
    let m = a.max(b);
    m + ((a - m).exp() + (b - m).exp()).ln()
}

/// Runs the sampler on capture histories.
pub fn lcmcr(h: &Histories, params: &ValidLcmcrParams) -> Result<LcmcrResult, MseError> {
    let p = &params.0;
    if h.t() > 64 {
        return Err(MseError::TooManyLists {
            lists: h.t(),
            max: 64,
            method: "LCMCR",
        });
    }
    let mut warnings = Vec::new();
    for (l, &tot) in h.list_totals().iter().enumerate() {
        if tot == 0 {
            warnings.push(format!(
                "list {} recorded nobody in this stratum",
                h.lists()[l]
            ));
        }
    }
    let chains = p.chains.max(1);
    let per_chain: Vec<u64> = (0..chains as u64)
        .map(|c| p.samples / chains as u64 + u64::from(c < p.samples % chains as u64))
        .collect();
    let runs: Vec<ChainRun> = if chains == 1 {
        vec![run_chain(h, p, 0, per_chain[0])]
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = per_chain
                .iter()
                .enumerate()
                .map(|(c, &m)| scope.spawn(move || run_chain(h, p, c as u64, m)))
                .collect();
            handles
                .into_iter()
                .map(|hd| hd.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        })
    };
    let k = p.classes;
    let mut n = Vec::with_capacity(p.samples as usize);
    let mut alpha = Vec::with_capacity(p.samples as usize);
    let mut occ = Vec::with_capacity(p.samples as usize);
    let mut at_truncation = 0u64;
    for r in &runs {
        n.extend_from_slice(&r.n);
        alpha.extend_from_slice(&r.alpha);
        occ.extend_from_slice(&r.occupied);
        at_truncation += r.occupied.iter().filter(|&&o| o as usize == k).count() as u64;
    }
    let rhat = if runs.len() > 1 && runs.iter().all(|r| r.n.len() >= 2) {
        let chains_n: Vec<&[f64]> = runs.iter().map(|r| r.n.as_slice()).collect();
        Some(gelman_rubin(&chains_n))
    } else {
        None
    };
    let mut summary = summarize_draws(&n);
    if runs.len() > 1 {
        summary.ess = runs
            .iter()
            .map(|r| crate::summary::effective_sample_size(&r.n))
            .sum();
    }
    if let Some(r) = rhat
        && r > 1.01
    {
        warnings.push(format!("chains disagree (R-hat {r:.3}): run longer"));
    }
    if summary.ess < 100.0 {
        warnings.push(format!(
            "effective sample size of N is {:.0}: run longer or thin more",
            summary.ess
        ));
    }
    if at_truncation * 10 > p.samples {
        warnings.push(format!(
            "all {} classes occupied in {}% of draws: increase the number of classes",
            k,
            at_truncation * 100 / p.samples
        ));
    }
    Ok(LcmcrResult {
        n,
        alpha,
        occupied: occ,
        summary,
        warnings,
        sweeps: chains as u64 * (p.warmup + p.burnin) + p.samples * p.thin,
        rhat,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The multinomial sampler (categorical, binomial and mixed paths) has the right means.
    #[test]
    fn multinomial_draws_have_the_right_means() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let p = [0.5, 0.3, 0.15, 0.05];
        let order = [0, 1, 2, 3];
        for total in [1u64, 5, 40, 400] {
            let (mut out, mut cum, mut sum) = ([0u64; 4], [0.0; 4], [0.0f64; 4]);
            let reps = 4000;
            for _ in 0..reps {
                multinomial(&mut rng, total, &p, &mut out, &mut cum, &order);
                assert_eq!(out.iter().sum::<u64>(), total);
                for (s, &o) in sum.iter_mut().zip(&out) {
                    *s += o as f64;
                }
            }
            for (i, &s) in sum.iter().enumerate() {
                let mean = s / reps as f64;
                let expect = total as f64 * p[i];
                let sd = (total as f64 * p[i] * (1.0 - p[i]) / reps as f64).sqrt();
                assert!(
                    (mean - expect).abs() < 5.0 * sd + 1e-9,
                    "total {total} class {i}: {mean} vs {expect}"
                );
            }
        }
    }

    /// Gamma and Beta draws match their means and variances.
    #[test]
    fn gamma_and_beta_moments() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        for shape in [0.3, 1.0, 3.0, 7.5, 200.0] {
            let n = 20_000;
            let x: Vec<f64> = (0..n).map(|_| gamma_draw(&mut rng, shape)).collect();
            let m = x.iter().sum::<f64>() / n as f64;
            let v = x.iter().map(|a| (a - m) * (a - m)).sum::<f64>() / n as f64;
            assert!(
                (m - shape).abs() < 5.0 * (shape / n as f64).sqrt(),
                "shape {shape}: mean {m}"
            );
            assert!((v / shape - 1.0).abs() < 0.1, "shape {shape}: var {v}");
            let l = ln_gamma_draw(&mut rng, shape);
            assert!(l.is_finite());
        }
        let (a, b) = (3.0, 9.0);
        let n = 20_000;
        let m = (0..n).map(|_| beta_draw(&mut rng, a, b)).sum::<f64>() / n as f64;
        assert!((m - a / (a + b)).abs() < 0.005);
    }
}
