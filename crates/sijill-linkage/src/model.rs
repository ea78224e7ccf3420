//! Fellegi–Sunter: m and u probabilities per field level, the prior λ, EM on the
//! candidate pairs (no labels needed; labelled pairs, when given, are held at their
//! label), term-frequency adjustment and match weights.

use crate::compare::{FieldKind, Pattern, level};
use std::collections::HashMap;

/// The learned model.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// The fields, in pattern order.
    pub fields: Vec<FieldKind>,
    /// Prior probability that a candidate pair is a match.
    pub lambda: f64,
    /// `m[f][l-1]`: probability of level `l` of field `f` among matches.
    pub m: Vec<Vec<f64>>,
    /// `u[f][l-1]`: probability of level `l` of field `f` among non-matches.
    pub u: Vec<Vec<f64>>,
}

/// How EM went.
#[derive(Debug, Clone, PartialEq)]
pub struct EmReport {
    /// Iterations run.
    pub iterations: usize,
    /// Whether the largest parameter change fell below the tolerance.
    pub converged: bool,
    /// The log-likelihood after each iteration (it never decreases).
    pub log_likelihood: Vec<f64>,
}

const FLOOR: f64 = 1e-6;

fn normalize(v: &mut [f64]) {
    let s: f64 = v.iter().sum();
    let d = s + FLOOR * v.len() as f64;
    for x in v.iter_mut() {
        *x = ((*x + FLOOR) / d).max(FLOOR);
    }
}

impl Model {
    /// A starting model: u from the level frequencies of random pairs, m falling from
    /// the strongest level, λ = 0.2.
    pub fn initial(fields: &[FieldKind], random: &[Pattern]) -> Model {
        let mut m = Vec::new();
        let mut u = Vec::new();
        for (f, kind) in fields.iter().enumerate() {
            let n = kind.levels().len();
            let mut mf: Vec<f64> = (0..n).map(|l| 0.6f64.powi(l as i32 * 2)).collect();
            normalize(&mut mf);
            let mut uf = vec![1.0; n];
            for &p in random {
                let l = level(p, f);
                if l > 0 {
                    uf[l - 1] += 1.0;
                }
            }
            normalize(&mut uf);
            m.push(mf);
            u.push(uf);
        }
        Model { fields: fields.to_vec(), lambda: 0.2, m, u }
    }

    /// The log2 Bayes factor of field `f` at level `l` (0 for an absent value).
    pub fn field_weight(&self, f: usize, l: usize) -> f64 {
        if l == 0 { 0.0 } else { (self.m[f][l - 1] / self.u[f][l - 1]).log2() }
    }

    /// The prior's log2 odds.
    pub fn prior_weight(&self) -> f64 {
        (self.lambda / (1.0 - self.lambda)).log2()
    }

    /// The match weight of a pattern without term-frequency adjustment.
    pub fn weight(&self, p: Pattern) -> f64 {
        self.prior_weight() + (0..self.fields.len()).map(|f| self.field_weight(f, level(p, f))).sum::<f64>()
    }

    fn log_joint(&self, p: Pattern) -> (f64, f64) {
        let (mut lm, mut lu) = (self.lambda.ln(), (1.0 - self.lambda).ln());
        for f in 0..self.fields.len() {
            let l = level(p, f);
            if l > 0 {
                lm += self.m[f][l - 1].ln();
                lu += self.u[f][l - 1].ln();
            }
        }
        (lm, lu)
    }

    /// Runs EM from this model on the patterns of the candidate pairs; `labels` are
    /// patterns whose class is known (true = match) and stay fixed.
    pub fn em(&mut self, patterns: &[Pattern], labels: &[(Pattern, bool)], max_iter: usize, tol: f64) -> EmReport {
        let mut counts: HashMap<Pattern, f64> = HashMap::new();
        for &p in patterns {
            *counts.entry(p).or_insert(0.0) += 1.0;
        }
        let counts: Vec<(Pattern, f64)> = counts.into_iter().collect();
        let mut report = EmReport { iterations: 0, converged: false, log_likelihood: Vec::new() };
        let nf = self.fields.len();
        for _ in 0..max_iter {
            let mut mm: Vec<Vec<f64>> = self.m.iter().map(|v| vec![0.0; v.len()]).collect();
            let mut uu = mm.clone();
            let (mut matches, mut total, mut ll) = (0.0, 0.0, 0.0);
            let add = |p: Pattern, c: f64, post: f64, mm: &mut Vec<Vec<f64>>, uu: &mut Vec<Vec<f64>>| {
                for f in 0..nf {
                    let l = level(p, f);
                    if l > 0 {
                        mm[f][l - 1] += c * post;
                        uu[f][l - 1] += c * (1.0 - post);
                    }
                }
            };
            for &(p, c) in &counts {
                let (lm, lu) = self.log_joint(p);
                let mx = lm.max(lu);
                let denom = (lm - mx).exp() + (lu - mx).exp();
                ll += c * (mx + denom.ln());
                let post = (lm - mx).exp() / denom;
                matches += c * post;
                total += c;
                add(p, c, post, &mut mm, &mut uu);
            }
            for &(p, is_match) in labels {
                let post = if is_match { 1.0 } else { 0.0 };
                matches += post;
                total += 1.0;
                add(p, 1.0, post, &mut mm, &mut uu);
            }
            for v in mm.iter_mut().chain(uu.iter_mut()) {
                normalize(v);
            }
            let lambda = (matches / total.max(1.0)).clamp(1e-9, 1.0 - 1e-9);
            let mut delta = (lambda - self.lambda).abs();
            for (a, b) in self.m.iter().flatten().zip(mm.iter().flatten()) {
                delta = delta.max((a - b).abs());
            }
            for (a, b) in self.u.iter().flatten().zip(uu.iter().flatten()) {
                delta = delta.max((a - b).abs());
            }
            self.m = mm;
            self.u = uu;
            self.lambda = lambda;
            report.iterations += 1;
            report.log_likelihood.push(ll);
            if delta < tol {
                report.converged = true;
                break;
            }
        }
        report
    }
}

/// Term-frequency adjustment of one field: a match on a rare value counts more than on
/// a common one. `adjust(v)` is centred so that over the candidate pairs that agree on
/// the field it averages zero: it moves weight from common values to rare ones without
/// changing the field's total evidence.
#[derive(Debug, Clone, Default)]
pub struct TermFrequency {
    log2p: Vec<f64>,
    centre: f64,
    cap: f64,
}

impl TermFrequency {
    /// From value counts (value id → records with it).
    pub fn new(counts: &[u32], cap: f64) -> TermFrequency {
        let total: f64 = counts.iter().map(|&c| f64::from(c)).sum::<f64>().max(1.0);
        TermFrequency {
            log2p: counts.iter().map(|&c| (f64::from(c.max(1)) / total).log2()).collect(),
            centre: 0.0,
            cap,
        }
    }

    /// Sets the centre from the values of the agreeing candidate pairs.
    pub fn centre_on(&mut self, values: impl Iterator<Item = u32>) {
        let (mut s, mut n) = (0.0, 0.0);
        for v in values {
            if let Some(l) = self.log2p.get(v as usize) {
                s += l;
                n += 1.0;
            }
        }
        self.centre = if n > 0.0 { s / n } else { 0.0 };
    }

    /// The adjustment in bits for an agreement on value `v`.
    pub fn adjust(&self, v: u32) -> f64 {
        self.log2p.get(v as usize).map_or(0.0, |l| (self.centre - l).clamp(-self.cap, self.cap))
    }
}

/// The probability of a match weight (log2 odds).
pub fn probability(weight: f64) -> f64 {
    1.0 / (1.0 + (-weight).exp2())
}
