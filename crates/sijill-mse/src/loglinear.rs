//! Log-linear models for closed populations, as R's Rcapture.
//!
//! The `2^t − 1` observable cells (zeros included) are fitted by a Poisson GLM with log
//! link; the unobserved cell is `exp(intercept)` and `N̂ = n + exp(intercept)`. The model
//! set of `closedp.t` (M0, Mt, Mh and Mth with the Chao lower-bound, Poisson, Darroch and
//! Gamma heterogeneity columns, Mb, Mbh) and of `closedp.0` (frequency data) is built in;
//! any hierarchical set of list interactions can be added to Mt. Intervals are
//! profile-likelihood intervals as `closedpCI` (the unobserved cell appended, Cormack's
//! 1992 correction), with the same search ranges, so an unbounded side is reported as
//! such (`> 3 N̂`).

// Index loops mirror the formulas of the reference implementations.
#![allow(clippy::needless_range_loop)]

use crate::data::{Frequencies, Histories};
use crate::error::{MseError, invalid};
use crate::glm::{PoissonFit, fit_poisson};
use crate::special::{chisq1_quantile, ln_factorial, normal_quantile};
use std::fmt;

/// Heterogeneity columns added to M0 (giving Mh) or Mt (giving Mth), as Rcapture's `h`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Heterogeneity {
    /// Chao's lower bound: columns `max(k − j + 1, 0)` for `j = 3..t`, negative ones dropped.
    Chao,
    /// Poisson mixture: `theta^k − 1` (Rcapture's default `theta = 2`).
    Poisson(f64),
    /// Darroch: `k² / 2`.
    Darroch,
    /// Gamma mixture: `−log(theta + k) + log(theta)` (default `theta = 3.5`).
    Gamma(f64),
}

impl Heterogeneity {
    fn label(&self) -> String {
        match self {
            Heterogeneity::Chao => "Chao (LB)".into(),
            Heterogeneity::Poisson(th) => format!("Poisson{}", fmt_num(*th)),
            Heterogeneity::Darroch => "Darroch".into(),
            Heterogeneity::Gamma(th) => format!("Gamma{}", fmt_num(*th)),
        }
    }

    /// Heterogeneity columns for a unit caught `k` of `t` times.
    fn columns(&self, k: usize, t: usize, out: &mut Vec<f64>) {
        let kf = k as f64;
        match *self {
            Heterogeneity::Chao => {
                for j in 3..=t {
                    out.push((kf - j as f64 + 1.0).max(0.0));
                }
            }
            Heterogeneity::Poisson(th) => out.push(th.powf(kf) - 1.0),
            Heterogeneity::Darroch => out.push(kf * kf / 2.0),
            Heterogeneity::Gamma(th) => out.push(-(th + kf).ln() + th.ln()),
        }
    }

    fn names(&self, t: usize) -> Vec<String> {
        match self {
            Heterogeneity::Chao => (3..=t).map(|j| format!("eta{j}")).collect(),
            _ => vec!["tau".into()],
        }
    }
}

fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// The capture-probability structure of a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    /// Equal capture probabilities (one `nbcap` column).
    M0,
    /// One capture probability per list.
    Mt,
    /// Behavioural response: first capture vs recapture.
    Mb,
    /// Behavioural response with heterogeneity on the first occasion.
    Mbh,
}

/// A log-linear model: a base, optional list interactions (Mt only), optional
/// heterogeneity (M0 or Mt), optional indicator columns for single patterns.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelSpec {
    /// The main-effect structure.
    pub base: Base,
    /// Interaction terms, each a bit mask of two or more lists (with `Base::Mt`).
    pub interactions: Vec<u32>,
    /// Heterogeneity columns.
    pub heterogeneity: Option<Heterogeneity>,
    /// Indicator columns `I(pattern == m)`.
    pub indicators: Vec<u32>,
}

impl ModelSpec {
    /// A model without interactions, heterogeneity or indicators.
    pub fn new(base: Base) -> Self {
        ModelSpec {
            base,
            interactions: Vec::new(),
            heterogeneity: None,
            indicators: Vec::new(),
        }
    }

    /// Mt with the given interaction terms.
    pub fn with_interactions(interactions: Vec<u32>) -> Self {
        ModelSpec {
            base: Base::Mt,
            interactions,
            heterogeneity: None,
            indicators: Vec::new(),
        }
    }

    /// Adds heterogeneity columns.
    pub fn heterogeneous(mut self, h: Heterogeneity) -> Self {
        self.heterogeneity = Some(h);
        self
    }

    fn is_custom(&self) -> bool {
        !self.interactions.is_empty() || !self.indicators.is_empty()
    }

    /// The model's name, in Rcapture's words where it has one (`Mth Poisson2`,
    /// `Mt + A:B + B:C`).
    pub fn name(&self, lists: &[String]) -> String {
        let base = match (self.base, self.heterogeneity.is_some()) {
            (Base::M0, false) => "M0",
            (Base::M0, true) => "Mh",
            (Base::Mt, false) => "Mt",
            (Base::Mt, true) => "Mth",
            (Base::Mb, _) => "Mb",
            (Base::Mbh, _) => "Mbh",
        };
        let mut s = base.to_string();
        if let Some(h) = &self.heterogeneity {
            s.push(' ');
            s.push_str(&h.label());
        }
        for &m in &self.interactions {
            s.push_str(" + ");
            s.push_str(&term_name(m, lists));
        }
        for &m in &self.indicators {
            s.push_str(&format!(" + I({})", pattern_string(m, lists.len())));
        }
        s
    }

    fn check(&self, t: usize) -> Result<(), MseError> {
        if !self.interactions.is_empty() && self.base != Base::Mt {
            return Err(invalid(
                "interactions",
                "list interactions need per-list main effects (Mt)",
            ));
        }
        if self.heterogeneity.is_some() && matches!(self.base, Base::Mb | Base::Mbh) {
            return Err(invalid(
                "heterogeneity",
                "Mb and Mbh carry their own heterogeneity",
            ));
        }
        if self.heterogeneity.is_some() && t < 3 {
            return Err(invalid(
                "heterogeneity",
                "heterogeneous models need at least 3 lists",
            ));
        }
        if matches!(self.base, Base::Mbh) && t < 3 {
            return Err(invalid("base", "Mbh needs at least 3 lists"));
        }
        for &m in &self.interactions {
            if m.count_ones() < 2 || (m as u64) >= (1u64 << t) {
                return Err(invalid(
                    "interactions",
                    format!("term {m:#b} is not an interaction of the {t} lists"),
                ));
            }
        }
        for &(h, th) in &[(self.heterogeneity, 0.0)] {
            if let Some(Heterogeneity::Poisson(x) | Heterogeneity::Gamma(x)) = h
                && !(x > th && x.is_finite())
            {
                return Err(invalid("theta", "must be positive and finite"));
            }
        }
        Ok(())
    }
}

fn term_name(m: u32, lists: &[String]) -> String {
    (0..lists.len())
        .filter(|j| m & (1 << j) != 0)
        .map(|j| lists[j].as_str())
        .collect::<Vec<_>>()
        .join(":")
}

fn pattern_string(m: u32, t: usize) -> String {
    (0..t)
        .map(|j| if m & (1 << j) != 0 { '1' } else { '0' })
        .collect()
}

/// Something the reader of an estimate must know.
#[derive(Debug, Clone, PartialEq)]
pub enum Warning {
    /// Observable cells with a zero count (the fit may be unstable).
    ZeroCells {
        /// Zero cells.
        zero: usize,
        /// Observable cells.
        cells: usize,
    },
    /// A list recorded nobody.
    EmptyList(String),
    /// IRLS did not converge in 200 iterations.
    NotConverged,
    /// Fitted values or the unobserved cell at the numerical boundary (estimate unreliable).
    Boundary,
    /// Columns were linearly dependent and dropped.
    Aliased(usize),
    /// Negative Chao heterogeneity parameters set to zero.
    ChaoEtaDropped(Vec<String>),
    /// The estimate is more than the given multiple of the observed count.
    Explosive(f64),
    /// The profile interval has no upper bound below the search limit.
    UpperUnbounded(f64),
    /// The profile interval's lower bound reached the observed count.
    LowerAtObserved,
    /// The interval is not a profile-likelihood one.
    WaldInterval,
    /// The fit implies a capture probability outside (0, 1) or `N̂ < n`: no estimate.
    Inadmissible(f64),
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::ZeroCells { zero, cells } => {
                write!(f, "{zero} of {cells} observable cells are zero")
            }
            Warning::EmptyList(l) => write!(f, "list {l} recorded nobody"),
            Warning::NotConverged => f.write_str("the fit did not converge"),
            Warning::Boundary => {
                f.write_str("boundary solution: some fitted cells are at 0 or infinity")
            }
            Warning::Aliased(k) => {
                write!(f, "{k} parameter(s) not estimable (aliased) were dropped")
            }
            Warning::ChaoEtaDropped(v) => write!(
                f,
                "negative heterogeneity parameter(s) {} set to zero",
                v.join(", ")
            ),
            Warning::Explosive(r) => write!(
                f,
                "estimate is {r:.0} times the observed count: the data do not bound it"
            ),
            Warning::UpperUnbounded(x) => {
                write!(f, "interval unbounded above: upper limit beyond {x:.1}")
            }
            Warning::LowerAtObserved => f.write_str("interval lower limit is the observed count"),
            Warning::WaldInterval => f.write_str(
                "interval from the log-normal approximation, not the profile likelihood",
            ),
            Warning::Inadmissible(x) => write!(
                f,
                "the fit implies a capture probability outside (0, 1) (N = {x:.1}): no estimate"
            ),
        }
    }
}

/// An interval bound: a value, or "beyond this value" when the likelihood does not close.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bound {
    /// The bound.
    At(f64),
    /// The bound lies beyond this value (the search limit).
    Beyond(f64),
}

impl Bound {
    /// The number, whether exact or a search limit.
    pub fn value(&self) -> f64 {
        match *self {
            Bound::At(x) | Bound::Beyond(x) => x,
        }
    }
}

/// A profile-likelihood interval for `N` as `closedpCI`.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileInterval {
    /// The multinomial profile maximum (Rcapture's `CI[, "abundance"]`).
    pub point: f64,
    /// Lower limit (the observed count when the likelihood does not close below).
    pub lower: f64,
    /// Upper limit.
    pub upper: Bound,
    /// Level (e.g. 0.95).
    pub level: f64,
}

/// One fitted model.
#[derive(Debug, Clone, PartialEq)]
pub struct LogLinearFit {
    /// Model name.
    pub model: String,
    /// The specification fitted.
    pub spec: ModelSpec,
    /// Units observed.
    pub observed: u64,
    /// `N̂`.
    pub estimate: f64,
    /// Standard error of `N̂`.
    pub stderr: f64,
    /// Residual deviance.
    pub deviance: f64,
    /// Residual degrees of freedom.
    pub df: i64,
    /// AIC with the Poisson log-likelihood.
    pub aic: f64,
    /// BIC = AIC + (log n − 2) p.
    pub bic: f64,
    /// Parameters estimated (rank).
    pub params: usize,
    /// Named coefficients (`NaN` if dropped).
    pub coefficients: Vec<(String, f64)>,
    /// Whether IRLS converged.
    pub converged: bool,
    /// Warnings.
    pub warnings: Vec<Warning>,
}

/// Design of a Poisson fit: response, design with intercept, offset.
#[derive(Debug, Clone)]
struct Design {
    y: Vec<f64>,
    /// Columns without intercept, each a vector over cells.
    cols: Vec<Vec<f64>>,
    names: Vec<String>,
    offset: Vec<f64>,
    n: f64,
    /// Number of leading columns (after the intercept) that are not Chao etas.
    nca: usize,
    chao: bool,
}

impl Design {
    fn matrix(&self, cols: &[usize], extra_row: bool) -> (Vec<f64>, usize) {
        let rows = self.y.len() + usize::from(extra_row);
        let p = cols.len() + 1;
        let mut x = vec![0.0; rows * p];
        for i in 0..self.y.len() {
            x[i * p] = 1.0;
            for (c, &col) in cols.iter().enumerate() {
                x[i * p + c + 1] = self.cols[col][i];
            }
        }
        if extra_row {
            x[self.y.len() * p] = 1.0;
        }
        (x, p)
    }

    /// Fits, dropping negative Chao etas as Rcapture (`neg = TRUE`) does.
    fn fit(&self, extra: Option<f64>, chao_neg: bool) -> (PoissonFit, Vec<usize>) {
        let mut cols: Vec<usize> = (0..self.cols.len()).collect();
        let (mut y, mut off) = (self.y.clone(), self.offset.clone());
        if let Some(n0) = extra {
            y.push(n0);
            off.push(0.0);
        }
        loop {
            let (x, p) = self.matrix(&cols, extra.is_some());
            let fit = fit_poisson(&y, &x, p, &off);
            if !(self.chao && chao_neg) {
                return (fit, cols);
            }
            // Coefficient index of column position c is c + 1.
            let first_eta = cols.iter().position(|&c| c >= self.nca);
            let Some(first) = first_eta else {
                return (fit, cols);
            };
            let any_neg = (first..cols.len()).any(|c| fit.coef[c + 1] < 0.0);
            if !any_neg {
                return (fit, cols);
            }
            let mut pos = first;
            while pos < cols.len() && fit.coef[pos + 1] > 0.0 {
                pos += 1;
            }
            if pos >= cols.len() {
                return (fit, cols);
            }
            cols.remove(pos);
        }
    }
}

fn histories_design(h: &Histories, spec: &ModelSpec) -> Design {
    let t = h.t();
    let dense = h.dense();
    let cells = (1usize << t) - 1;
    let mut cols: Vec<Vec<f64>> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let masks: Vec<u32> = (1..=cells as u32).collect();
    let nbcap: Vec<usize> = masks.iter().map(|m| m.count_ones() as usize).collect();
    match spec.base {
        Base::M0 => {
            cols.push(nbcap.iter().map(|&k| k as f64).collect());
            names.push("beta".into());
        }
        Base::Mt => {
            for j in 0..t {
                cols.push(masks.iter().map(|m| f64::from((m >> j) & 1)).collect());
                names.push(format!("beta_{}", h.lists()[j]));
            }
        }
        Base::Mb | Base::Mbh => {
            if spec.base == Base::Mbh {
                cols.push(masks.iter().map(|m| f64::from(1 - (m & 1))).collect());
                names.push("eta".into());
            }
            cols.push(masks.iter().map(|m| m.trailing_zeros() as f64).collect());
            names.push("beta1".into());
            cols.push(nbcap.iter().map(|&k| k as f64 - 1.0).collect());
            names.push("beta2".into());
        }
    }
    for &term in &spec.interactions {
        cols.push(
            masks
                .iter()
                .map(|m| if m & term == term { 1.0 } else { 0.0 })
                .collect(),
        );
        names.push(format!("lambda_{}", term_name(term, h.lists())));
    }
    for &ind in &spec.indicators {
        cols.push(
            masks
                .iter()
                .map(|&m| if m == ind { 1.0 } else { 0.0 })
                .collect(),
        );
        names.push(format!("I({})", pattern_string(ind, t)));
    }
    let nca = cols.len();
    if let Some(het) = &spec.heterogeneity {
        let mut hc: Vec<Vec<f64>> = Vec::new();
        let mut buf = Vec::new();
        for &k in &nbcap {
            buf.clear();
            het.columns(k, t, &mut buf);
            if hc.is_empty() {
                hc = vec![Vec::with_capacity(cells); buf.len()];
            }
            for (c, v) in buf.iter().enumerate() {
                hc[c].push(*v);
            }
        }
        cols.extend(hc);
        names.extend(het.names(t));
    }
    Design {
        y: masks.iter().map(|&m| dense[m as usize] as f64).collect(),
        cols,
        names,
        offset: vec![0.0; cells],
        n: h.observed() as f64,
        nca,
        chao: spec.heterogeneity == Some(Heterogeneity::Chao),
    }
}

fn frequencies_design(f: &Frequencies, t0: usize, spec: &ModelSpec) -> Design {
    let ks: Vec<usize> = (1..=t0).collect();
    let mut cols = vec![ks.iter().map(|&k| k as f64).collect::<Vec<_>>()];
    let mut names = vec!["beta".to_string()];
    if let Some(het) = &spec.heterogeneity {
        let mut hc: Vec<Vec<f64>> = Vec::new();
        let mut buf = Vec::new();
        for &k in &ks {
            buf.clear();
            het.columns(k, t0, &mut buf);
            if hc.is_empty() {
                hc = vec![Vec::new(); buf.len()];
            }
            for (c, v) in buf.iter().enumerate() {
                hc[c].push(*v);
            }
        }
        cols.extend(hc);
        names.extend(het.names(t0));
    }
    let offset = ks
        .iter()
        .map(|&k| match f.occasions() {
            Some(t) => ln_choose(t, k),
            None => -ln_factorial(k as f64),
        })
        .collect();
    let counts = f.counts();
    Design {
        y: ks
            .iter()
            .map(|&k| counts.get(k - 1).copied().unwrap_or(0) as f64)
            .collect(),
        cols,
        names,
        offset,
        n: f.observed() as f64,
        nca: 1,
        chao: spec.heterogeneity == Some(Heterogeneity::Chao),
    }
}

fn ln_choose(n: usize, k: usize) -> f64 {
    ln_factorial(n as f64) - ln_factorial(k as f64) - ln_factorial((n - k) as f64)
}

fn quad(v: &[f64], cov: &[f64], p: usize) -> f64 {
    let mut s = 0.0;
    for r in 0..v.len() {
        for c in 0..v.len() {
            s += v[r] * cov[r * p + c] * v[c];
        }
    }
    s
}

fn summarize(
    design: &Design,
    spec: &ModelSpec,
    model: String,
    t: usize,
    extra_warnings: Vec<Warning>,
) -> LogLinearFit {
    let (fit, cols) = design.fit(None, true);
    let b = &fit.coef;
    let p = cols.len() + 1;
    let tf = t as f64;
    // Mb and Mbh: the first-capture probability is admissible only when d > 0.
    let mut d_ok = true;
    let (estimate, stderr) = match spec.base {
        Base::Mb => {
            let (e1, e2) = (b[1].exp(), b[2].exp());
            let d = 1.0 + e2 - e1;
            d_ok = d > 0.0;
            let n = b[0].exp() * (1.0 + e2).powf(tf) / d;
            let v = [n, n * e1 / d, n * (tf * e2 / (1.0 + e2) - e2 / d)];
            (n, (quad(&v, &fit.cov, p) - n).max(0.0).sqrt())
        }
        Base::Mbh => {
            let d = 1.0 + b[3].exp() - b[2].exp();
            d_ok = d > 0.0;
            let a12 = (b[1] + b[2]).exp();
            let scale = b[0].exp() * (1.0 + b[3].exp()).powf(tf - 1.0);
            let n = scale * (1.0 + a12 / d);
            let v = [
                scale * (1.0 + a12 / d),
                scale * a12 / d,
                scale * (a12 / d + (b[1] + 2.0 * b[2]).exp() / (d * d)),
                scale
                    * ((tf - 1.0) * b[3].exp() / (1.0 + b[3].exp())
                        - (b[1] + b[2] + b[3]).exp() / (d * d)),
            ];
            (n, (quad(&v, &fit.cov, p) - n).max(0.0).sqrt())
        }
        _ => {
            let e0 = b[0].exp();
            (design.n + e0, (e0 + e0 * e0 * fit.cov[0]).max(0.0).sqrt())
        }
    };
    let mut inadmissible = None;
    let (estimate, stderr) =
        if !d_ok || (estimate.is_finite() && estimate < design.n - 1e-6 * design.n.max(1.0)) {
            inadmissible = Some(estimate);
            (f64::NAN, f64::NAN)
        } else {
            (estimate, stderr)
        };
    let rows = design.y.len();
    let rank = fit.rank;
    let aic = -2.0 * fit.loglik + 2.0 * rank as f64;
    let bic = aic + (design.n.ln() - 2.0) * rank as f64;
    let mut warnings = extra_warnings;
    if let Some(x) = inadmissible {
        warnings.push(Warning::Inadmissible(x));
    }
    if !fit.converged {
        warnings.push(Warning::NotConverged);
    }
    if (fit.boundary || !estimate.is_finite()) && inadmissible.is_none() {
        warnings.push(Warning::Boundary);
    }
    if rank < p {
        warnings.push(Warning::Aliased(p - rank));
    }
    let dropped: Vec<String> = (0..design.cols.len())
        .filter(|c| !cols.contains(c))
        .map(|c| design.names[c].clone())
        .collect();
    if !dropped.is_empty() {
        warnings.push(Warning::ChaoEtaDropped(dropped));
    }
    if estimate.is_finite() && estimate > 20.0 * design.n {
        warnings.push(Warning::Explosive(estimate / design.n));
    }
    let mut coefficients = vec![("(Intercept)".to_string(), b[0])];
    for (i, &c) in cols.iter().enumerate() {
        coefficients.push((design.names[c].clone(), b[i + 1]));
    }
    LogLinearFit {
        model,
        spec: spec.clone(),
        observed: design.n as u64,
        estimate,
        stderr,
        deviance: fit.deviance,
        df: rows as i64 - rank as i64,
        aic,
        bic,
        params: rank,
        coefficients,
        converged: fit.converged,
        warnings,
    }
}

fn data_warnings(h: &Histories) -> Vec<Warning> {
    let t = h.t();
    let cells = (1usize << t) - 1;
    let zero = cells - h.cells().len();
    let mut w = Vec::new();
    if zero > 0 {
        w.push(Warning::ZeroCells { zero, cells });
    }
    for (j, &tot) in h.list_totals().iter().enumerate() {
        if tot == 0 {
            w.push(Warning::EmptyList(h.lists()[j].clone()));
        }
    }
    w
}

/// Most lists for which the log-linear design is built (`2^t − 1` cells).
pub const MAX_LISTS: usize = 16;

fn check_histories(h: &Histories, spec: &ModelSpec) -> Result<(), MseError> {
    if h.t() > MAX_LISTS {
        return Err(MseError::TooManyLists {
            lists: h.t(),
            max: MAX_LISTS,
            method: "log-linear models",
        });
    }
    spec.check(h.t())
}

/// Fits one model to capture histories (as `closedp.t` / `closedpCI.t`).
pub fn fit(h: &Histories, spec: &ModelSpec) -> Result<LogLinearFit, MseError> {
    check_histories(h, spec)?;
    let design = histories_design(h, spec);
    let params = design.cols.len() + 1;
    if params > design.y.len() {
        return Err(MseError::NotEstimable {
            params,
            cells: design.y.len(),
        });
    }
    Ok(summarize(
        &design,
        spec,
        spec.name(h.lists()),
        h.t(),
        data_warnings(h),
    ))
}

/// The model set of Rcapture's `closedp.t`: M0, Mt, Mh and Mth with the Chao (LB),
/// Poisson2, Darroch and Gamma3.5 columns, Mb, Mbh (only M0, Mt and Mb for two lists).
pub fn closedp(h: &Histories) -> Result<Vec<LogLinearFit>, MseError> {
    standard_specs(h.t()).iter().map(|s| fit(h, s)).collect()
}

/// The specifications of [`closedp`], in Rcapture's order.
pub fn standard_specs(t: usize) -> Vec<ModelSpec> {
    if t == 2 {
        return vec![
            ModelSpec::new(Base::M0),
            ModelSpec::new(Base::Mt),
            ModelSpec::new(Base::Mb),
        ];
    }
    let hs = [
        Heterogeneity::Chao,
        Heterogeneity::Poisson(2.0),
        Heterogeneity::Darroch,
        Heterogeneity::Gamma(3.5),
    ];
    let mut v = vec![ModelSpec::new(Base::M0), ModelSpec::new(Base::Mt)];
    v.extend(
        hs.iter()
            .map(|&h| ModelSpec::new(Base::M0).heterogeneous(h)),
    );
    v.extend(
        hs.iter()
            .map(|&h| ModelSpec::new(Base::Mt).heterogeneous(h)),
    );
    v.push(ModelSpec::new(Base::Mb));
    v.push(ModelSpec::new(Base::Mbh));
    v
}

/// Fits a frequency-data model (as `closedp.0`): `base` must be `Base::M0`; `t0` keeps
/// the cells of units caught at most `t0` times (default: all occasions).
pub fn fit_frequencies(
    f: &Frequencies,
    spec: &ModelSpec,
    t0: Option<usize>,
) -> Result<LogLinearFit, MseError> {
    let design = frequencies_check(f, spec, t0)?;
    let t0 = design.y.len();
    Ok(summarize(&design, spec, spec.name(&[]), t0, Vec::new()))
}

fn frequencies_check(
    f: &Frequencies,
    spec: &ModelSpec,
    t0: Option<usize>,
) -> Result<Design, MseError> {
    if spec.base != Base::M0 || spec.is_custom() {
        return Err(invalid(
            "spec",
            "frequency data support only M0 and Mh models",
        ));
    }
    let tmax = f.occasions().unwrap_or(f.counts().len());
    let t0 = t0.unwrap_or(tmax);
    if t0 < 2 || t0 > tmax.max(t0.min(tmax)) || (f.occasions().is_some() && t0 > tmax) {
        return Err(invalid("t0", format!("must be between 2 and {tmax}")));
    }
    spec.check(t0)?;
    let design = frequencies_design(f, t0, spec);
    let params = design.cols.len() + 1;
    if params > design.y.len() {
        return Err(MseError::NotEstimable {
            params,
            cells: design.y.len(),
        });
    }
    Ok(design)
}

/// The model set of `closedp.0`: M0 and Mh with the four heterogeneity forms.
pub fn closedp0(f: &Frequencies, t0: Option<usize>) -> Result<Vec<LogLinearFit>, MseError> {
    let mut specs = vec![ModelSpec::new(Base::M0)];
    let t0v = t0.unwrap_or(f.occasions().unwrap_or(f.counts().len()));
    if t0v > 2 {
        for h in [
            Heterogeneity::Chao,
            Heterogeneity::Poisson(2.0),
            Heterogeneity::Darroch,
            Heterogeneity::Gamma(3.5),
        ] {
            specs.push(ModelSpec::new(Base::M0).heterogeneous(h));
        }
    }
    specs.iter().map(|s| fit_frequencies(f, s, t0)).collect()
}

/// Profile-likelihood interval for capture histories, as `closedpCI.t` (`fmaxSupCL = 3`).
/// Mb and Mbh have no profile interval in Rcapture: use [`wald_interval`].
pub fn profile_interval(
    h: &Histories,
    spec: &ModelSpec,
    level: f64,
) -> Result<ProfileInterval, MseError> {
    check_histories(h, spec)?;
    if matches!(spec.base, Base::Mb | Base::Mbh) {
        return Err(invalid("spec", "no profile interval for Mb or Mbh"));
    }
    let design = histories_design(h, spec);
    // Rcapture drops negative etas in the profile only for its built-in Mh/Mth models.
    profile(&design, !spec.is_custom(), level)
}

/// Profile-likelihood interval for frequency data, as `closedpCI.0`.
pub fn profile_interval_frequencies(
    f: &Frequencies,
    spec: &ModelSpec,
    t0: Option<usize>,
    level: f64,
) -> Result<ProfileInterval, MseError> {
    let design = frequencies_check(f, spec, t0)?;
    profile(&design, true, level)
}

fn profile(
    design: &Design,
    chao_neg_in_profile: bool,
    level: f64,
) -> Result<ProfileInterval, MseError> {
    if !(level > 0.0 && level < 1.0) {
        return Err(invalid("level", "must be in (0, 1)"));
    }
    let (fit0, _) = design.fit(None, true);
    let n_pois = design.n + fit0.coef[0].exp();
    if !n_pois.is_finite() {
        return Err(MseError::Numerical(
            "the Poisson estimate is not finite".into(),
        ));
    }
    let n = design.n;
    let sum_y: f64 = design.y.iter().sum();
    let loglik = |nn: f64| -> f64 {
        let n0 = (nn - n).max(0.0);
        let (fit, _) = design.fit(Some(n0), chao_neg_in_profile);
        let nn0 = sum_y + n0;
        let ct = if nn0 > 100.0 {
            if n0 == 0.0 || n0 == 1.0 {
                -nn0 + 0.5 * (2.0 * std::f64::consts::PI * nn0).ln()
            } else {
                n0 - nn0 - 0.5 * (n0 / nn0).ln()
            }
        } else {
            let a = if n0 > 0.0 { n0 * n0.ln() } else { 0.0 };
            a + ln_factorial(nn0) - nn0 * nn0.ln() - ln_factorial(n0)
        };
        (fit.deviance - 2.0 * ct) / -2.0
    };
    let (nmax, lmax) = golden_max(&loglik, n, 3.0 * n_pois, 1e-6 * n_pois.max(1.0));
    let lmin = lmax - chisq1_quantile(level) / 2.0;
    let g = |x: f64| loglik(x) - lmin;
    let tol = 1e-6 * n_pois.max(1.0);
    let lower = if g(n) < 0.0 {
        bisect(&g, n, nmax, tol)
    } else {
        n
    };
    let hi = 3.0 * n_pois;
    let upper = if g(hi) < 0.0 {
        Bound::At(bisect(&g, nmax, hi, tol))
    } else {
        Bound::Beyond(hi)
    };
    Ok(ProfileInterval {
        point: nmax,
        lower,
        upper,
        level,
    })
}

/// Golden-section search for the maximum of a unimodal function on `[a, b]`.
fn golden_max(f: &dyn Fn(f64) -> f64, mut a: f64, mut b: f64, tol: f64) -> (f64, f64) {
    let r = (5f64.sqrt() - 1.0) / 2.0;
    let mut c = b - r * (b - a);
    let mut d = a + r * (b - a);
    let (mut fc, mut fd) = (f(c), f(d));
    while (b - a).abs() > tol {
        if fc > fd {
            b = d;
            d = c;
            fd = fc;
            c = b - r * (b - a);
            fc = f(c);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + r * (b - a);
            fd = f(d);
        }
    }
    let x = (a + b) / 2.0;
    (x, f(x))
}

/// Bisection for a sign change of `f` on `[a, b]`.
fn bisect(f: &dyn Fn(f64) -> f64, mut a: f64, mut b: f64, tol: f64) -> f64 {
    let mut fa = f(a);
    for _ in 0..200 {
        if (b - a).abs() <= tol {
            break;
        }
        let m = (a + b) / 2.0;
        let fm = f(m);
        if (fm < 0.0) == (fa < 0.0) {
            a = m;
            fa = fm;
        } else {
            b = m;
        }
    }
    (a + b) / 2.0
}

/// The log-normal interval of Chao (1987) for `N̂` from its standard error:
/// `n + (N̂ − n) / C, n + (N̂ − n) C`, `C = exp(z sqrt(log(1 + se² / (N̂ − n)²)))`.
pub fn wald_interval(fit: &LogLinearFit, level: f64) -> (f64, f64) {
    let n = fit.observed as f64;
    let f0 = fit.estimate - n;
    if f0 <= 0.0 || !fit.stderr.is_finite() {
        return (fit.estimate, fit.estimate);
    }
    let z = normal_quantile(0.5 + level / 2.0);
    let c = (z * (1.0 + fit.stderr * fit.stderr / (f0 * f0)).ln().sqrt()).exp();
    (n + f0 / c, n + f0 * c)
}

/// Information criterion for model search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Criterion {
    /// Akaike.
    Aic,
    /// Bayesian (Schwarz).
    Bic,
}

impl Criterion {
    /// The criterion's value for a fit.
    pub fn of(&self, f: &LogLinearFit) -> f64 {
        match self {
            Criterion::Aic => f.aic,
            Criterion::Bic => f.bic,
        }
    }
}

/// Largest number of candidate interaction terms searched exhaustively (`2^10` models:
/// every two-way model for five lists).
const EXHAUSTIVE_TERMS: usize = 10;

/// Searches hierarchical Mt + interaction models up to `max_order`-way terms; returns the
/// fits sorted by the criterion (best first). Exhaustive when the candidate terms are few
/// (all two-way models for up to five lists), stepwise (forward, then backward, keeping
/// the hierarchy) otherwise. Models that did not converge or hit the boundary are kept
/// but sorted last.
pub fn search(
    h: &Histories,
    criterion: Criterion,
    max_order: usize,
) -> Result<Vec<LogLinearFit>, MseError> {
    let t = h.t();
    if t > MAX_LISTS {
        return Err(MseError::TooManyLists {
            lists: t,
            max: MAX_LISTS,
            method: "log-linear models",
        });
    }
    let max_order = max_order.clamp(1, t.saturating_sub(1).max(1));
    let candidates: Vec<u32> = (1u32..(1u32 << t))
        .filter(|m| (2..=max_order).contains(&(m.count_ones() as usize)))
        .collect();
    let cells = (1usize << t) - 1;
    let mut fits: Vec<LogLinearFit> = Vec::new();
    let try_fit = |terms: &[u32]| -> Option<LogLinearFit> {
        if t + 1 + terms.len() > cells {
            return None;
        }
        fit(h, &ModelSpec::with_interactions(terms.to_vec())).ok()
    };
    let pairs_only = candidates.iter().all(|m| m.count_ones() == 2);
    if pairs_only && candidates.len() <= EXHAUSTIVE_TERMS {
        for s in 0u32..(1u32 << candidates.len()) {
            let terms: Vec<u32> = (0..candidates.len())
                .filter(|i| s & (1 << i) != 0)
                .map(|i| candidates[i])
                .collect();
            if let Some(f) = try_fit(&terms) {
                fits.push(f);
            }
        }
    } else {
        let hierarchical = |terms: &[u32], m: u32| -> bool {
            (0..t).filter(|j| m & (1 << j) != 0).all(|j| {
                let sub = m & !(1 << j);
                sub.count_ones() < 2 || terms.contains(&sub)
            })
        };
        let mut current: Vec<u32> = Vec::new();
        let mut best = try_fit(&current).ok_or(MseError::NotEstimable {
            params: t + 1,
            cells,
        })?;
        fits.push(best.clone());
        loop {
            let mut improved = None;
            // Forward: add one term whose lower-order margins are present.
            for &m in &candidates {
                if current.contains(&m) || !hierarchical(&current, m) {
                    continue;
                }
                let mut terms = current.clone();
                terms.push(m);
                if let Some(f) = try_fit(&terms) {
                    let better = usable(&f)
                        && criterion.of(&f)
                            < improved.as_ref().map_or(
                                criterion.of(&best),
                                |(_, g): &(Vec<u32>, LogLinearFit)| criterion.of(g),
                            );
                    fits.push(f.clone());
                    if better {
                        improved = Some((terms, f));
                    }
                }
            }
            // Backward: drop one term that no higher-order term needs.
            for &m in &current {
                let needed = current.iter().any(|&o| o != m && o & m == m);
                if needed {
                    continue;
                }
                let terms: Vec<u32> = current.iter().copied().filter(|&o| o != m).collect();
                if let Some(f) = try_fit(&terms) {
                    let better = usable(&f)
                        && criterion.of(&f)
                            < improved
                                .as_ref()
                                .map_or(criterion.of(&best), |(_, g)| criterion.of(g));
                    fits.push(f.clone());
                    if better {
                        improved = Some((terms, f));
                    }
                }
            }
            match improved {
                Some((terms, f)) => {
                    current = terms;
                    best = f;
                }
                None => break,
            }
        }
        let mut seen = std::collections::HashSet::new();
        fits.retain(|f| seen.insert(f.model.clone()));
    }
    fits.sort_by(|a, b| {
        usable(b)
            .cmp(&usable(a))
            .then(criterion.of(a).total_cmp(&criterion.of(b)))
    });
    Ok(fits)
}

/// Whether a fit can be recommended (converged, finite, not at the boundary).
pub fn usable(f: &LogLinearFit) -> bool {
    f.converged
        && f.estimate.is_finite()
        && !f
            .warnings
            .iter()
            .any(|w| matches!(w, Warning::Boundary | Warning::NotConverged))
}
