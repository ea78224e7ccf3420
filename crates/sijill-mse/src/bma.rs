//! Bayesian model averaging over decomposable graphical models (Madigan & York 1997), as
//! HRDAG's R package `dga`.
//!
//! Each decomposable graph on the `t` lists defines a hyper-Dirichlet model of the full
//! `2^t` table with `delta` prior counts per cell; its marginal likelihood for every value
//! of the unobserved cell is exact, so the posterior of `N` over the grid of graphs ×
//! missing counts is exact too (no sampling). The graphs are enumerated here for any `t`
//! (chordality by maximum cardinality search), not read from a shipped list.

// Index loops mirror the formulas of the reference implementations.
#![allow(clippy::needless_range_loop)]

use crate::data::Histories;
use crate::error::{MseError, invalid};
use crate::special::ln_gamma;
use crate::summary::DiscretePosterior;

/// Prior on `N`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NPrior {
    /// `p(N) ∝ 1 / N` (dga's default, HRDAG's choice).
    Reciprocal,
    /// `p(N) ∝ 1` on the grid.
    Flat,
    /// Negative binomial `Γ(N + a) / (Γ(a) N!) · b^N / (1 + b)^(N + a)` (Madigan & York).
    NegativeBinomial {
        /// Shape `a`.
        a: f64,
        /// Scale `b`.
        b: f64,
    },
}

/// Parameters of [`bma`] before checking.
#[derive(Debug, Clone, PartialEq)]
pub struct BmaParams {
    /// Prior count per cell of the full table; `None` means HRDAG's `2^-t`.
    pub delta: Option<f64>,
    /// Prior on `N`.
    pub prior: NPrior,
    /// Largest number of missing units considered; `None` chooses `max(10 n, 1000)`.
    pub max_missing: Option<u64>,
    /// Smallest number of missing units considered (dga examples start at 0 or 1).
    pub min_missing: u64,
}

impl Default for BmaParams {
    fn default() -> Self {
        BmaParams {
            delta: None,
            prior: NPrior::Reciprocal,
            max_missing: None,
            min_missing: 0,
        }
    }
}

/// Most lists for BMA (graphs on 7 vertices: 2^21 candidate graphs to test).
pub const MAX_LISTS: usize = 7;

/// A decomposable graph: its cliques and (non-empty) separators as bit masks of lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decomposable {
    /// Edges as a bit set over the `t(t−1)/2` pairs (in `(i, j)`, `i < j` order).
    pub edges: u64,
    /// Maximal cliques.
    pub cliques: Vec<u32>,
    /// Non-empty separators (with multiplicity).
    pub separators: Vec<u32>,
    /// Connected components.
    pub components: usize,
}

impl Decomposable {
    /// Human-readable name, e.g. `[A,B][C]`.
    pub fn name(&self, lists: &[String]) -> String {
        let mut cl = self.cliques.clone();
        cl.sort_by_key(|&c| (c.trailing_zeros(), c));
        cl.iter()
            .map(|&c| {
                let v: Vec<&str> = (0..lists.len())
                    .filter(|j| c & (1 << j) != 0)
                    .map(|j| lists[j].as_str())
                    .collect();
                format!("[{}]", v.join(","))
            })
            .collect()
    }
}

/// All decomposable (chordal) graphs on `t` labelled vertices, with cliques and separators.
/// There are 8, 61, 822, 18,154 and 617,675 of them for t = 3 … 7.
pub fn decomposable_graphs(t: usize) -> Vec<Decomposable> {
    let pairs: Vec<(usize, usize)> = (0..t)
        .flat_map(|i| (i + 1..t).map(move |j| (i, j)))
        .collect();
    let mut out = Vec::new();
    for e in 0u64..(1u64 << pairs.len()) {
        let mut adj = vec![0u32; t];
        for (b, &(i, j)) in pairs.iter().enumerate() {
            if e & (1 << b) != 0 {
                adj[i] |= 1 << j;
                adj[j] |= 1 << i;
            }
        }
        if let Some((cliques, separators, components)) = junction(&adj) {
            out.push(Decomposable {
                edges: e,
                cliques,
                separators,
                components,
            });
        }
    }
    out
}

/// Maximum cardinality search: if the graph is chordal, its maximal cliques and the
/// non-empty separators of a junction forest, and the number of components.
fn junction(adj: &[u32]) -> Option<(Vec<u32>, Vec<u32>, usize)> {
    let t = adj.len();
    let mut numbered = 0u32;
    let mut weight = vec![0usize; t];
    let mut order = Vec::with_capacity(t);
    // Clique candidates: for each vertex in MCS order, {v} ∪ (earlier neighbours).
    let mut cliques: Vec<u32> = Vec::new();
    let mut separators: Vec<u32> = Vec::new();
    let mut prev_weight: isize = -1;
    let mut components = 0;
    for _ in 0..t {
        let v = (0..t)
            .filter(|&v| numbered & (1 << v) == 0)
            .max_by_key(|&v| (weight[v], std::cmp::Reverse(v)))
            .unwrap_or(0);
        let earlier = adj[v] & numbered;
        // Chordality: earlier neighbours must form a clique.
        let mut e = earlier;
        while e != 0 {
            let u = e.trailing_zeros() as usize;
            e &= e - 1;
            if (earlier & !(1 << u)) & !adj[u] != 0 {
                return None;
            }
        }
        let w = weight[v] as isize;
        if w == 0 {
            components += 1;
        }
        if w <= prev_weight {
            // A new clique starts: the earlier neighbours are its separator.
            cliques.push(earlier | (1 << v));
            if earlier != 0 {
                separators.push(earlier);
            }
        } else if let Some(last) = cliques.last_mut() {
            *last |= 1 << v;
        } else {
            cliques.push(1 << v);
        }
        prev_weight = w;
        numbered |= 1 << v;
        order.push(v);
        let mut nb = adj[v] & !numbered;
        while nb != 0 {
            let u = nb.trailing_zeros() as usize;
            nb &= nb - 1;
            weight[u] += 1;
        }
    }
    Some((cliques, separators, components))
}

/// The result of [`bma`].
#[derive(Debug, Clone)]
pub struct BmaResult {
    /// Cell prior used.
    pub delta: f64,
    /// Posterior of `N` averaged over graphs.
    pub posterior: DiscretePosterior,
    /// Graphs with their posterior probabilities, most probable first.
    pub models: Vec<(Decomposable, f64)>,
    /// Posterior of `N` under the most probable graph.
    pub top: DiscretePosterior,
    /// Number of graphs averaged.
    pub graphs: usize,
    /// Posterior mass in the last 1% of the grid (a large value means the grid is short).
    pub tail_mass: f64,
}

/// Model-averaged posterior of `N` over all decomposable graphs.
pub fn bma(h: &Histories, params: &BmaParams) -> Result<BmaResult, MseError> {
    let t = h.t();
    if t > MAX_LISTS {
        return Err(MseError::TooManyLists {
            lists: t,
            max: MAX_LISTS,
            method: "decomposable-graph BMA",
        });
    }
    let graphs = decomposable_graphs(t);
    bma_over(h, params, &graphs)
}

/// As [`bma`], over a given set of graphs.
pub fn bma_over(
    h: &Histories,
    params: &BmaParams,
    graphs: &[Decomposable],
) -> Result<BmaResult, MseError> {
    let t = h.t();
    let delta = params.delta.unwrap_or(0.5f64.powi(t as i32));
    if !(delta > 0.0 && delta.is_finite()) {
        return Err(invalid("delta", "must be positive"));
    }
    let n = h.observed();
    let max_missing = params.max_missing.unwrap_or((10 * n).max(1000));
    if max_missing < params.min_missing {
        return Err(invalid("max_missing", "must be at least min_missing"));
    }
    if let NPrior::NegativeBinomial { a, b } = params.prior
        && !(a > 0.0 && b > 0.0)
    {
        return Err(invalid(
            "prior",
            "negative binomial a and b must be positive",
        ));
    }
    let grid: Vec<f64> = (params.min_missing..=max_missing)
        .map(|m| m as f64)
        .collect();
    let g = grid.len();
    let dense = h.dense();
    let cells = 1usize << t;
    // Component log marginal likelihoods per subset mask, as constant + term in N_missing.
    // compML(S, m) = Σ_cells lgamma(D + α) − lgamma(α), with m added to the all-zero cell.
    let mut comp_const = vec![0.0; cells];
    let mut comp_zero = vec![0.0; cells]; // D of the all-zero marginal cell
    let mut comp_alpha = vec![0.0; cells];
    for s in 1..cells {
        let k = (s as u32).count_ones();
        let alpha = delta * 2f64.powi(t as i32 - k as i32);
        let mut marg = vec![0u64; 1 << k];
        for (m, &c) in dense.iter().enumerate() {
            if c == 0 {
                continue;
            }
            marg[pext(m as u32, s as u32) as usize] += c;
        }
        let la = ln_gamma(alpha);
        comp_const[s] = marg[1..]
            .iter()
            .map(|&d| ln_gamma(d as f64 + alpha) - la)
            .sum();
        comp_zero[s] = marg[0] as f64;
        comp_alpha[s] = alpha;
    }
    let comp_at = |s: usize, m: f64| -> f64 {
        comp_const[s] + ln_gamma(comp_zero[s] + m + comp_alpha[s]) - ln_gamma(comp_alpha[s])
    };
    // Precompute the N-dependent component terms for the subsets used.
    let mut used = vec![false; cells];
    for gr in graphs {
        for &c in gr.cliques.iter().chain(&gr.separators) {
            used[c as usize] = true;
        }
    }
    let mut table: Vec<Vec<f64>> = vec![Vec::new(); cells];
    for s in 1..cells {
        if used[s] {
            table[s] = grid.iter().map(|&m| comp_at(s, m)).collect();
        }
    }
    let nf = n as f64;
    let alpha_tot = delta * cells as f64;
    let norm: Vec<f64> = grid
        .iter()
        .map(|&m| ln_gamma(alpha_tot) - ln_gamma(m + nf + alpha_tot))
        .collect();
    let ln_obs: f64 = dense[1..].iter().map(|&c| ln_gamma(c as f64 + 1.0)).sum();
    let common: Vec<f64> = grid
        .iter()
        .map(|&m| {
            let nn = m + nf;
            let multicoef = ln_gamma(nn + 1.0) - ln_obs - ln_gamma(m + 1.0);
            let prior = match params.prior {
                NPrior::Reciprocal => -nn.ln(),
                NPrior::Flat => 0.0,
                NPrior::NegativeBinomial { a, b } => {
                    nn * b.ln() - (nn + a) * (1.0 + b).ln() + ln_gamma(nn + a)
                        - ln_gamma(nn + 1.0)
                        - ln_gamma(a)
                }
            };
            multicoef + prior
        })
        .collect();
    let mut logw = vec![0.0; graphs.len() * g];
    let mut max = f64::NEG_INFINITY;
    for (gi, gr) in graphs.iter().enumerate() {
        let row = &mut logw[gi * g..(gi + 1) * g];
        let ncomp = gr.components as f64;
        for (i, slot) in row.iter_mut().enumerate() {
            *slot = common[i] + ncomp * norm[i];
        }
        for &c in &gr.cliques {
            for (slot, v) in row.iter_mut().zip(&table[c as usize]) {
                *slot += v;
            }
        }
        for &s in &gr.separators {
            for (slot, v) in row.iter_mut().zip(&table[s as usize]) {
                *slot -= v;
            }
        }
        max = row.iter().fold(max, |a, &b| a.max(b));
    }
    let mut total = 0.0;
    for v in logw.iter_mut() {
        *v = (*v - max).exp();
        total += *v;
    }
    let mut avg = vec![0.0; g];
    let mut models: Vec<(usize, f64)> = Vec::with_capacity(graphs.len());
    for gi in 0..graphs.len() {
        let row = &logw[gi * g..(gi + 1) * g];
        let mut s = 0.0;
        for (a, &v) in avg.iter_mut().zip(row) {
            *a += v / total;
            s += v / total;
        }
        models.push((gi, s));
    }
    models.sort_by(|a, b| b.1.total_cmp(&a.1));
    let values: Vec<f64> = grid.iter().map(|m| m + nf).collect();
    let top_i = models[0].0;
    let top_row: Vec<f64> = logw[top_i * g..(top_i + 1) * g].to_vec();
    let tail_start = g - (g / 100).max(1);
    let tail_mass = avg[tail_start..].iter().sum();
    Ok(BmaResult {
        delta,
        posterior: DiscretePosterior::new(values.clone(), avg),
        top: DiscretePosterior::new(values, top_row),
        graphs: graphs.len(),
        models: models
            .into_iter()
            .map(|(i, w)| (graphs[i].clone(), w))
            .collect(),
        tail_mass,
    })
}

/// Gathers the bits of `x` selected by `mask` into the low bits (parallel bit extract).
fn pext(x: u32, mask: u32) -> u32 {
    let mut out = 0;
    let mut bit = 0;
    let mut m = mask;
    while m != 0 {
        let j = m.trailing_zeros();
        m &= m - 1;
        if x & (1 << j) != 0 {
            out |= 1 << bit;
        }
        bit += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_of_labelled_chordal_graphs() {
        // OEIS A058862: labelled chordal graphs on n nodes.
        let counts: Vec<usize> = (1..=6).map(|t| decomposable_graphs(t).len()).collect();
        assert_eq!(counts, vec![1, 2, 8, 61, 822, 18_154]);
    }

    #[test]
    fn cycle_of_four_is_not_decomposable_but_a_chorded_one_is() {
        let square = [0b1010, 0b0101, 0b1010, 0b0101];
        assert!(junction(&square).is_none());
        let chorded = [0b1110, 0b0101, 0b1011, 0b0101];
        let (c, s, k) = junction(&chorded).expect("chordal");
        assert_eq!(c.len(), 2);
        assert_eq!(s, vec![0b0101]);
        assert_eq!(k, 1);
    }

    #[test]
    fn empty_graph_has_singleton_cliques_and_no_separator() {
        let (c, s, k) = junction(&[0, 0, 0]).expect("chordal");
        assert_eq!(c.len(), 3);
        assert!(s.is_empty());
        assert_eq!(k, 3);
    }
}
