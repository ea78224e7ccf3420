//! Fellegi–Sunter with a third class: the probabilities of each field level among
//! *matches* (one person), *relatives* (one household: siblings, a father and his son)
//! and *unrelated* pairs, the class shares, EM on the candidate pairs (no labels needed;
//! labelled pairs, when given, are held at their label), term-frequency adjustment and
//! match weights.
//!
//! Why three classes: with two, EM on victim lists learns the household rather than the
//! person (siblings agree on father, grandfather, family, mother, place and often date of
//! death), and a given-name disagreement ends up as weak evidence. A class of its own for
//! relatives lets the model say what siblings look like — kin agreeing, given name and age
//! not — and a given-name disagreement then weighs heavily against one person.

use crate::compare::{FieldKind, Pattern, level};
use std::collections::HashMap;

/// The classes of a pair.
pub const MATCH: usize = 0;
/// Two members of one household.
pub const RELATIVE: usize = 1;
/// Two unrelated people.
pub const UNRELATED: usize = 2;
const K: usize = 3;

/// The learned model.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// The fields, in pattern order.
    pub fields: Vec<FieldKind>,
    /// Share of each class among the candidate pairs (match, relative, unrelated).
    pub share: [f64; K],
    /// `theta[c][f][l-1]`: probability of level `l` of field `f` in class `c`.
    pub theta: [Vec<Vec<f64>>; K],
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

/// The two terms of a pair's log2 odds that explain it: per field, and the rest.
#[derive(Debug, Clone, PartialEq)]
pub struct Decomposition {
    /// The class the pair is compared with (the likelier of relative and unrelated).
    pub against: usize,
    /// log2 of the class shares (match against `against`).
    pub prior: f64,
    /// Per field: log2 of the level's probability among matches over `against`.
    pub fields: Vec<f64>,
    /// log2 of the share of `against` in all non-match explanations of the pair (≤ 0).
    pub other: f64,
}

impl Model {
    /// A starting model: unrelated pairs from the level frequencies of random pairs;
    /// matches falling from the strongest level; relatives like matches on kin, date and
    /// place of death and like unrelated pairs on the rest.
    pub fn initial(fields: &[FieldKind], random: &[Pattern]) -> Model {
        let mut theta: [Vec<Vec<f64>>; K] = [Vec::new(), Vec::new(), Vec::new()];
        for (f, kind) in fields.iter().enumerate() {
            let n = kind.levels().len();
            let mut m: Vec<f64> = (0..n).map(|l| 0.6f64.powi(l as i32 * 2)).collect();
            normalize(&mut m);
            let mut u = vec![1.0; n];
            for &p in random {
                let l = level(p, f);
                if l > 0 {
                    u[l - 1] += 1.0;
                }
            }
            normalize(&mut u);
            let r = match kind {
                FieldKind::Kin | FieldKind::Death | FieldKind::Place => m.clone(),
                _ => u.clone(),
            };
            theta[MATCH].push(m);
            theta[RELATIVE].push(r);
            theta[UNRELATED].push(u);
        }
        Model {
            fields: fields.to_vec(),
            share: [0.2, 0.2, 0.6],
            theta,
        }
    }

    /// A starting model from the candidate pairs themselves: pairs that agree on every
    /// field they share count as matches, pairs that agree on kin but not on the given
    /// name as relatives, the rest mostly as unrelated; each class's level probabilities
    /// are counted from those shares. Starting EM there keeps it from settling on
    /// households instead of persons. The unrelated class starts from the level
    /// frequencies of `random` pairs (u from random pairs) when there are any. Without
    /// `households` (no father's, grandfather's or mother's name in the data) the
    /// relative class is left out and the model is the classic two-class one.
    pub fn from_rules(
        fields: &[FieldKind],
        patterns: &[Pattern],
        random: &[Pattern],
        households: bool,
    ) -> Model {
        let mut theta: [Vec<Vec<f64>>; K] =
            std::array::from_fn(|_| fields.iter().map(|k| vec![0.0; k.levels().len()]).collect());
        let mut mass = [0.0f64; K];
        let mut counts: HashMap<Pattern, f64> = HashMap::new();
        for &p in patterns {
            *counts.entry(p).or_insert(0.0) += 1.0;
        }
        for (&p, &c) in &counts {
            let r = rule_classes(fields, p);
            for k in 0..K {
                mass[k] += c * r[k];
                for (f, v) in theta[k].iter_mut().enumerate() {
                    let l = level(p, f);
                    if l > 0 {
                        v[l - 1] += c * r[k];
                    }
                }
            }
        }
        if !random.is_empty() {
            for (f, v) in theta[UNRELATED].iter_mut().enumerate() {
                v.iter_mut().for_each(|x| *x = 0.0);
                for &p in random {
                    let l = level(p, f);
                    if l > 0 {
                        v[l - 1] += 1.0;
                    }
                }
            }
        }
        for t in theta.iter_mut() {
            for v in t.iter_mut() {
                normalize(v);
            }
        }
        if !households {
            mass[UNRELATED] += mass[RELATIVE];
            mass[RELATIVE] = 0.0;
        }
        let total: f64 = mass.iter().sum::<f64>().max(1.0);
        let share = std::array::from_fn(|k| {
            if mass[k] == 0.0 {
                0.0
            } else {
                (mass[k] / total).clamp(1e-6, 1.0)
            }
        });
        Model {
            fields: fields.to_vec(),
            share,
            theta,
        }
    }

    fn log_class(&self, c: usize, p: Pattern) -> f64 {
        let mut s = self.share[c].ln();
        for f in 0..self.fields.len() {
            let l = level(p, f);
            if l > 0 {
                s += self.theta[c][f][l - 1].ln();
            }
        }
        s
    }

    /// The match weight of a pattern (log2 odds of one person) without term frequencies.
    pub fn weight(&self, p: Pattern) -> f64 {
        let lm = self.log_class(MATCH, p);
        let (a, b) = (self.log_class(RELATIVE, p), self.log_class(UNRELATED, p));
        let mx = a.max(b);
        let lnm = mx + ((a - mx).exp() + (b - mx).exp()).ln();
        (lm - lnm) / std::f64::consts::LN_2
    }

    /// Splits a pattern's weight into a waterfall: prior, one term per field, and the rest.
    /// The terms add up to [`Model::weight`].
    pub fn decompose(&self, p: Pattern) -> Decomposition {
        let (a, b) = (self.log_class(RELATIVE, p), self.log_class(UNRELATED, p));
        let against = if a >= b { RELATIVE } else { UNRELATED };
        let mx = a.max(b);
        let lnm = mx + ((a - mx).exp() + (b - mx).exp()).ln();
        let fields = (0..self.fields.len())
            .map(|f| {
                let l = level(p, f);
                if l == 0 {
                    0.0
                } else {
                    (self.theta[MATCH][f][l - 1] / self.theta[against][f][l - 1]).log2()
                }
            })
            .collect();
        Decomposition {
            against,
            prior: (self.share[MATCH] / self.share[against]).log2(),
            fields,
            other: (mx - lnm) / std::f64::consts::LN_2,
        }
    }

    /// Runs EM from this model on the patterns of the candidate pairs; `labels` are
    /// patterns whose class is known (true = match, false = not) and stay fixed.
    pub fn em(
        &mut self,
        patterns: &[Pattern],
        labels: &[(Pattern, bool)],
        max_iter: usize,
        tol: f64,
    ) -> EmReport {
        let mut counts: HashMap<Pattern, f64> = HashMap::new();
        for &p in patterns {
            *counts.entry(p).or_insert(0.0) += 1.0;
        }
        let counts: Vec<(Pattern, f64)> = counts.into_iter().collect();
        let mut report = EmReport {
            iterations: 0,
            converged: false,
            log_likelihood: Vec::new(),
        };
        let nf = self.fields.len();
        for _ in 0..max_iter {
            let mut acc: [Vec<Vec<f64>>; K] =
                std::array::from_fn(|c| self.theta[c].iter().map(|v| vec![0.0; v.len()]).collect());
            let mut mass = [0.0f64; K];
            let mut ll = 0.0;
            let mut add = |p: Pattern, c: f64, post: [f64; K]| {
                for k in 0..K {
                    mass[k] += c * post[k];
                    for (f, v) in acc[k].iter_mut().enumerate().take(nf) {
                        let l = level(p, f);
                        if l > 0 {
                            v[l - 1] += c * post[k];
                        }
                    }
                }
            };
            for &(p, c) in &counts {
                let lc: [f64; K] = std::array::from_fn(|k| self.log_class(k, p));
                let mx = lc.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let e: [f64; K] = std::array::from_fn(|k| (lc[k] - mx).exp());
                let z: f64 = e.iter().sum();
                ll += c * (mx + z.ln());
                add(p, c, std::array::from_fn(|k| e[k] / z));
            }
            for &(p, is_match) in labels {
                if is_match {
                    add(p, 1.0, [1.0, 0.0, 0.0]);
                } else {
                    // A known non-match: shared between relative and unrelated as the model says.
                    let (a, b) = (self.log_class(RELATIVE, p), self.log_class(UNRELATED, p));
                    let r = 1.0 / (1.0 + (b - a).exp());
                    add(p, 1.0, [0.0, r, 1.0 - r]);
                }
            }
            let total: f64 = mass.iter().sum::<f64>().max(1.0);
            let mut delta = 0.0f64;
            for k in 0..K {
                for v in acc[k].iter_mut() {
                    normalize(v);
                }
                if k == MATCH {
                    for (f, kind) in self.fields.iter().enumerate() {
                        for &(l, cap) in match_caps(*kind) {
                            cap_level(&mut acc[k][f], l, cap);
                        }
                    }
                }
                for (a, b) in self.theta[k].iter().flatten().zip(acc[k].iter().flatten()) {
                    delta = delta.max((a - b).abs());
                }
                // A class left out (share 0) stays out.
                let s = if self.share[k] == 0.0 {
                    0.0
                } else {
                    (mass[k] / total).clamp(1e-9, 1.0)
                };
                delta = delta.max((s - self.share[k]).abs());
                self.share[k] = s;
            }
            self.theta = acc;
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

/// What one person's records can look like, at most: a given name recorded as a
/// different name, or a different sex, is a clerical error and rare; siblings show both
/// all the time. Without these caps EM happily takes siblings for matches (the failure
/// of two-class Fellegi–Sunter on family-structured lists).
fn match_caps(kind: FieldKind) -> &'static [(usize, f64)] {
    match kind {
        FieldKind::Given => &[(4, 0.08), (5, 0.03)],
        FieldKind::Sex => &[(2, 0.02)],
        FieldKind::Birth => &[(4, 0.05)],
        _ => &[],
    }
}

/// Holds level `l` (1-based) of a distribution at most at `cap`, the rest rescaled.
fn cap_level(v: &mut [f64], l: usize, cap: f64) {
    let Some(&x) = v.get(l - 1) else { return };
    if x <= cap {
        return;
    }
    let rest = 1.0 - x;
    let n = v.len() as f64;
    for (i, y) in v.iter_mut().enumerate() {
        *y = if i == l - 1 {
            cap
        } else if rest > 0.0 {
            *y * (1.0 - cap) / rest
        } else {
            (1.0 - cap) / (n - 1.0).max(1.0)
        };
    }
}

/// The starting class shares of a pattern (see [`Model::from_rules`]).
fn rule_classes(fields: &[FieldKind], p: Pattern) -> [f64; K] {
    let (mut present, mut agree) = (0, 0);
    let (mut kin_agrees, mut given_differs) = (false, false);
    for (f, kind) in fields.iter().enumerate() {
        let l = level(p, f);
        if l == 0 {
            continue;
        }
        present += 1;
        let strong = match kind {
            FieldKind::Given => l <= 2,
            FieldKind::Kin => l <= 3,
            FieldKind::Sex => l == 1,
            FieldKind::Birth | FieldKind::Death | FieldKind::Place | FieldKind::Extra(_) => l <= 2,
        };
        if strong {
            agree += 1;
        }
        match kind {
            FieldKind::Kin => kin_agrees = l <= 3,
            FieldKind::Given => given_differs = l >= 4,
            _ => {}
        }
    }
    if present >= 3 && agree == present {
        [0.9, 0.05, 0.05]
    } else if kin_agrees && given_differs {
        [0.05, 0.9, 0.05]
    } else {
        [0.1, 0.1, 0.8]
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
            log2p: counts
                .iter()
                .map(|&c| (f64::from(c.max(1)) / total).log2())
                .collect(),
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
        self.log2p
            .get(v as usize)
            .map_or(0.0, |l| (self.centre - l).clamp(-self.cap, self.cap))
    }
}

/// The probability of a match weight (log2 odds).
pub fn probability(weight: f64) -> f64 {
    1.0 / (1.0 + (-weight).exp2())
}
