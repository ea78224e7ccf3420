//! One call that runs the chosen methods on a table and gathers every estimate with its
//! interval, model and warnings, in the shape of `sijill estimate`'s JSON (serde).

use crate::bma::{self, BmaParams, NPrior};
use crate::data::Histories;
use crate::error::MseError;
use crate::lcmcr::{self, LcmcrParams};
use crate::loglinear::{self, Bound, Criterion, LogLinearFit, Warning};
use crate::strata::{StratumEstimate, combine_draws, combine_estimates, combine_grids};
use crate::summary::{DiscretePosterior, quantile_sorted};
use serde::Serialize;

/// Which estimators to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Log-linear models (search plus Rcapture's standard set).
    LogLinear,
    /// Decomposable-graph BMA.
    Bma,
    /// Latent classes.
    Lcmcr,
    /// All that apply to the table.
    All,
}

/// Options of every method (defaults as the reference packages).
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Interval level.
    pub level: f64,
    /// Log-linear search criterion.
    pub criterion: Criterion,
    /// Highest interaction order searched.
    pub max_order: usize,
    /// How many searched models to report.
    pub top_models: usize,
    /// BMA settings.
    pub bma: BmaParams,
    /// LCMCR settings.
    pub lcmcr: LcmcrParams,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            level: 0.95,
            criterion: Criterion::Aic,
            max_order: 2,
            top_models: 5,
            bma: BmaParams::default(),
            lcmcr: LcmcrParams::default(),
        }
    }
}

/// One estimate.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EstimateRow {
    /// `loglinear`, `bma` or `lcmcr`.
    pub method: &'static str,
    /// The model it came from.
    pub model: String,
    /// Point estimate (posterior median for the Bayesian methods).
    pub estimate: f64,
    /// Posterior mean (Bayesian methods).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mean: Option<f64>,
    /// Interval; an upper end of `null` means the interval is unbounded above.
    pub interval: [Option<f64>; 2],
    /// When the upper end is unbounded: the search limit it lies beyond.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upper_beyond: Option<f64>,
    /// Interval level.
    pub level: f64,
    /// Standard error (log-linear).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stderr: Option<f64>,
    /// Residual deviance (log-linear).
    pub deviance: Option<f64>,
    /// Residual degrees of freedom (log-linear).
    pub df: Option<i64>,
    /// AIC (log-linear).
    pub aic: Option<f64>,
    /// BIC (log-linear).
    pub bic: Option<f64>,
    /// Posterior model probability (BMA) .
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    /// Effective sample size of the draws (LCMCR).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ess: Option<f64>,
    /// What the reader must know.
    pub warnings: Vec<String>,
}

/// All estimates for one table.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Report {
    /// Units observed.
    pub observed: u64,
    /// List names.
    pub lists: Vec<String>,
    /// Estimates, method by method.
    pub results: Vec<EstimateRow>,
    /// The estimate to quote, with why.
    pub recommended: Option<Recommended>,
    /// Methods not run on this table and why.
    pub skipped: Vec<String>,
    /// Warnings about the table itself (zero cells, lists that recorded nobody).
    pub warnings: Vec<String>,
}

/// The recommended estimate.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Recommended {
    /// The row.
    #[serde(flatten)]
    pub row: EstimateRow,
    /// Why this one.
    pub reason: String,
}

fn loglinear_row(f: &LogLinearFit, h: &Histories, level: f64) -> EstimateRow {
    let mut warnings: Vec<String> = f
        .warnings
        .iter()
        .filter(|w| !matches!(w, Warning::ZeroCells { .. } | Warning::EmptyList(_)))
        .map(ToString::to_string)
        .collect();
    let (interval, beyond) = match loglinear::profile_interval(h, &f.spec, level) {
        Ok(ci) => {
            if ci.lower <= h.observed() as f64 + 1e-9 {
                warnings.push(Warning::LowerAtObserved.to_string());
            }
            let above = match ci.upper {
                Bound::At(u) => f.estimate > u + 1e-6 * u,
                Bound::Beyond(_) => false,
            };
            if f.estimate < ci.lower - 1e-6 * ci.lower || above {
                warnings.push(format!(
                    "the Poisson estimate lies outside the profile interval, whose maximum is at N = {:.1}: the likelihood is irregular here",
                    ci.point
                ));
            }
            match ci.upper {
                Bound::At(u) => ([Some(ci.lower), Some(u)], None),
                Bound::Beyond(u) => {
                    warnings.push(Warning::UpperUnbounded(u).to_string());
                    ([Some(ci.lower), None], Some(u))
                }
            }
        }
        Err(_) if !f.estimate.is_finite() => ([None, None], None),
        Err(_) => {
            let (lo, hi) = loglinear::wald_interval(f, level);
            warnings.push(Warning::WaldInterval.to_string());
            ([Some(lo), Some(hi)], None)
        }
    };
    EstimateRow {
        method: "loglinear",
        model: f.model.clone(),
        estimate: f.estimate,
        mean: None,
        interval,
        upper_beyond: beyond,
        level,
        stderr: Some(f.stderr),
        deviance: Some(f.deviance),
        df: Some(f.df),
        aic: Some(f.aic),
        bic: Some(f.bic),
        weight: None,
        ess: None,
        warnings,
    }
}

/// What a stratum leaves for the combined total.
#[derive(Debug, Default)]
struct Parts {
    loglinear: Option<StratumEstimate>,
    bma: Option<DiscretePosterior>,
    lcmcr: Option<Vec<f64>>,
}

/// Runs the methods and gathers the report.
pub fn run(h: &Histories, method: Method, opts: &Options) -> Result<Report, MseError> {
    run_parts(h, method, opts).map(|(r, _)| r)
}

/// Estimates per stratum and for their total.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StrataReport {
    /// Units observed over all strata.
    pub observed: u64,
    /// List names.
    pub lists: Vec<String>,
    /// One report per stratum, in input order.
    pub strata: Vec<StratumReport>,
    /// The combined total, method by method.
    pub total: Vec<EstimateRow>,
}

/// One stratum's report.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StratumReport {
    /// Stratum label.
    pub stratum: String,
    /// Its estimates.
    #[serde(flatten)]
    pub report: Report,
}

/// Runs every stratum, then combines: the recommended log-linear estimates add with
/// their variances, BMA posteriors convolve, LCMCR draws add draw by draw (each stratum
/// has its own seed, `seed + index`).
pub fn run_strata(
    strata: &[(String, Histories)],
    method: Method,
    opts: &Options,
) -> Result<StrataReport, MseError> {
    let Some((_, first)) = strata.first() else {
        return Err(crate::error::invalid("strata", "no stratum"));
    };
    let mut reports = Vec::new();
    let mut parts = Vec::new();
    for (i, (name, h)) in strata.iter().enumerate() {
        let mut o = opts.clone();
        o.lcmcr.seed = opts.lcmcr.seed.wrapping_add(i as u64);
        let (r, p) = run_parts(h, method, &o)?;
        reports.push(StratumReport {
            stratum: name.clone(),
            report: r,
        });
        parts.push(p);
    }
    let level = opts.level;
    let mut total = Vec::new();
    let blank = |method: &'static str, model: String, estimate: f64| EstimateRow {
        method,
        model,
        estimate,
        mean: None,
        interval: [None, None],
        upper_beyond: None,
        level,
        stderr: None,
        deviance: None,
        df: None,
        aic: None,
        bic: None,
        weight: None,
        ess: None,
        warnings: Vec::new(),
    };
    let k = strata.len();
    if parts.iter().all(|p| p.loglinear.is_some()) {
        let v: Vec<StratumEstimate> = parts.iter().filter_map(|p| p.loglinear).collect();
        let c = combine_estimates(&v, level)?;
        let mut row = blank(
            "loglinear",
            format!("sum of the {k} strata's recommended models"),
            c.estimate,
        );
        row.interval = [Some(c.interval.0), Some(c.interval.1)];
        row.stderr = Some(c.stderr);
        total.push(row);
    }
    if parts.iter().all(|p| p.bma.is_some()) {
        let v: Vec<&DiscretePosterior> = parts.iter().filter_map(|p| p.bma.as_ref()).collect();
        let c = combine_grids(&v)?;
        let (lo, hi) = c.interval(level);
        let mut row = blank(
            "bma",
            format!("convolution of the {k} strata's posteriors"),
            c.median(),
        );
        row.mean = Some(c.mean());
        row.interval = [Some(lo), Some(hi)];
        total.push(row);
    }
    if parts.iter().all(|p| p.lcmcr.is_some()) {
        let v: Vec<&[f64]> = parts.iter().filter_map(|p| p.lcmcr.as_deref()).collect();
        let mut c = combine_draws(&v)?;
        let s = crate::summary::summarize_draws(&c);
        c.sort_by(f64::total_cmp);
        let a = (1.0 - level) / 2.0;
        let mut row = blank(
            "lcmcr",
            format!("sum of the {k} strata's posterior draws"),
            s.median,
        );
        row.mean = Some(s.mean);
        row.interval = [
            Some(quantile_sorted(&c, a)),
            Some(quantile_sorted(&c, 1.0 - a)),
        ];
        row.ess = Some(s.ess);
        total.push(row);
    }
    Ok(StrataReport {
        observed: strata.iter().map(|(_, h)| h.observed()).sum(),
        lists: first.lists().to_vec(),
        strata: reports,
        total,
    })
}

fn run_parts(h: &Histories, method: Method, opts: &Options) -> Result<(Report, Parts), MseError> {
    let mut parts = Parts::default();
    let t = h.t();
    let mut results = Vec::new();
    let mut skipped = Vec::new();
    let mut recommended: Option<Recommended> = None;
    let want = |m: Method| method == m || method == Method::All;
    let lcmcr_params = opts.lcmcr.clone().check()?;

    if want(Method::LogLinear) {
        if t > loglinear::MAX_LISTS {
            let e = MseError::TooManyLists {
                lists: t,
                max: loglinear::MAX_LISTS,
                method: "log-linear models",
            };
            if method == Method::LogLinear {
                return Err(e);
            }
            skipped.push(format!("loglinear: {e}"));
        } else {
            let found = loglinear::search(h, opts.criterion, opts.max_order)?;
            let crit = match opts.criterion {
                Criterion::Aic => "AIC",
                Criterion::Bic => "BIC",
            };
            let mut first = true;
            for f in found.iter().take(opts.top_models.max(1)) {
                let row = loglinear_row(f, h, opts.level);
                if first && loglinear::usable(f) {
                    parts.loglinear = Some(StratumEstimate {
                        observed: h.observed() as f64,
                        estimate: f.estimate,
                        stderr: f.stderr,
                    });
                    recommended = Some(Recommended {
                        row: row.clone(),
                        reason: format!("lowest {crit} among the list-interaction models searched"),
                    });
                }
                first = false;
                results.push(row);
            }
            for f in loglinear::closedp(h)? {
                if results
                    .iter()
                    .any(|r| r.method == "loglinear" && r.model == f.model)
                {
                    continue;
                }
                results.push(loglinear_row(&f, h, opts.level));
            }
        }
    }

    if want(Method::Bma) {
        if t > bma::MAX_LISTS {
            let e = MseError::TooManyLists {
                lists: t,
                max: bma::MAX_LISTS,
                method: "decomposable-graph BMA",
            };
            if method == Method::Bma {
                return Err(e);
            }
            skipped.push(format!("bma: {e}"));
        } else {
            let r = bma::bma(h, &opts.bma)?;
            let (lo, hi) = r.posterior.interval(opts.level);
            let mut warnings = Vec::new();
            if r.tail_mass > 1e-4 {
                warnings.push(format!(
                    "{:.2}% of the posterior is at the end of the grid: raise the largest number of missing units",
                    r.tail_mass * 100.0
                ));
            }
            let prior = match opts.bma.prior {
                NPrior::Reciprocal => "1/N".to_string(),
                NPrior::Flat => "flat".to_string(),
                NPrior::NegativeBinomial { a, b } => format!("negative binomial a={a} b={b}"),
            };
            let top: Vec<String> = r
                .models
                .iter()
                .take(3)
                .map(|(g, w)| format!("{} {:.3}", g.name(h.lists()), w))
                .collect();
            let row = EstimateRow {
                method: "bma",
                model: format!(
                    "average of {} decomposable graphs (delta {}, prior {prior}; top: {})",
                    r.graphs,
                    r.delta,
                    top.join(", ")
                ),
                estimate: r.posterior.median(),
                mean: Some(r.posterior.mean()),
                interval: [Some(lo), Some(hi)],
                upper_beyond: None,
                level: opts.level,
                stderr: None,
                deviance: None,
                df: None,
                aic: None,
                bic: None,
                weight: None,
                ess: None,
                warnings,
            };
            if method == Method::Bma || method == Method::All {
                recommended = Some(Recommended {
                    row: row.clone(),
                    reason: "averages over all decomposable list-dependence models, so model uncertainty is in the interval".into(),
                });
            }
            results.push(row);
            parts.bma = Some(r.posterior);
        }
    }

    if want(Method::Lcmcr) {
        let r = lcmcr::lcmcr(h, &lcmcr_params)?;
        let s = &r.summary;
        let p = &opts.lcmcr;
        let draws = {
            let mut v = r.n.clone();
            v.sort_by(f64::total_cmp);
            v
        };
        let a = (1.0 - opts.level) / 2.0;
        let row = EstimateRow {
            method: "lcmcr",
            model: format!(
                "latent classes K={} (a={}, b={}; burn-in {}, {} samples thinned by {}, seed {})",
                p.classes, p.a_alpha, p.b_alpha, p.burnin, p.samples, p.thin, p.seed
            ),
            estimate: s.median,
            mean: Some(s.mean),
            interval: [
                Some(crate::summary::quantile_sorted(&draws, a)),
                Some(crate::summary::quantile_sorted(&draws, 1.0 - a)),
            ],
            upper_beyond: None,
            level: opts.level,
            stderr: None,
            deviance: None,
            df: None,
            aic: None,
            bic: None,
            weight: None,
            ess: Some(s.ess),
            warnings: r.warnings.clone(),
        };
        let prefer =
            method == Method::Lcmcr || (method == Method::All && t > bma::MAX_LISTS.min(6));
        if prefer || recommended.is_none() {
            recommended = Some(Recommended {
                row: row.clone(),
                reason: "latent classes model heterogeneous capture without choosing one list-dependence model".into(),
            });
        }
        results.push(row);
        parts.lcmcr = Some(r.n);
    }

    let mut warnings = Vec::new();
    let cells = (1u64 << t.min(63)) - 1;
    let zero = cells.saturating_sub(h.cells().len() as u64);
    if zero > 0 && t <= loglinear::MAX_LISTS {
        warnings.push(
            Warning::ZeroCells {
                zero: zero as usize,
                cells: cells as usize,
            }
            .to_string(),
        );
    }
    for (j, &tot) in h.list_totals().iter().enumerate() {
        if tot == 0 {
            warnings.push(Warning::EmptyList(h.lists()[j].clone()).to_string());
        }
    }
    let report = Report {
        observed: h.observed(),
        lists: h.lists().to_vec(),
        results,
        recommended,
        skipped,
        warnings,
    };
    Ok((report, parts))
}
