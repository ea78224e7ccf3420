//! `sijill estimate`: multiple systems estimation on a capture-history file.
//!
//! The file has one 0/1 column per list plus `count` (one row per observed capture
//! pattern); with `--strata COLUMN` one more column names the stratum of each row, and
//! the output holds every stratum and their combined total. Bad input exits with 2 and a
//! one-line reason naming the file, line and column.

use crate::error::CliError;
use sijill_mse::bma::NPrior;
use sijill_mse::input::{HistoryTable as Parsed, parse_histories_with};
use sijill_mse::lcmcr::LcmcrParams;
use sijill_mse::loglinear::Criterion;
use sijill_mse::report::{self, EstimateRow, Method, Options, Report, StrataReport};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Arguments of `sijill estimate`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Input: one 0/1 column per list plus `count`, one row per observed capture pattern.\n\
Example:\n  a,b,c,count\n  1,0,0,60\n  0,1,0,49\n  1,1,0,4\n\n\
Methods: loglinear (Poisson log-linear models as Rcapture, profile-likelihood intervals, model search),\n\
bma (Madigan & York model averaging over decomposable graphs, as dga), lcmcr (latent classes, as LCMCR)."
)]
pub struct EstimateArgs {
    /// Capture histories (CSV).
    #[arg(long, value_name = "H.csv")]
    pub histories: PathBuf,
    /// Estimator(s) to run.
    #[arg(long, value_enum, default_value = "all")]
    pub method: MethodArg,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    pub format: FormatArg,
    /// Column naming the stratum of each row: estimate per stratum plus the total.
    #[arg(long, value_name = "COLUMN")]
    pub strata: Option<String>,
    /// Interval level.
    #[arg(long, default_value_t = 0.95)]
    pub level: f64,
    /// lcmcr: seed of the sampler.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// lcmcr: number of latent classes K.
    #[arg(long, default_value_t = 10)]
    pub classes: usize,
    /// lcmcr: burn-in sweeps.
    #[arg(long, default_value_t = 10_000)]
    pub burnin: u64,
    /// lcmcr: posterior draws kept.
    #[arg(long, default_value_t = 1_000)]
    pub samples: u64,
    /// lcmcr: sweeps per kept draw.
    #[arg(long, default_value_t = 10)]
    pub thin: u64,
    /// lcmcr: independent chains run in parallel, the samples split between them.
    #[arg(long, default_value_t = 1)]
    pub chains: usize,
    /// bma: prior count per cell (default 2^-t).
    #[arg(long)]
    pub delta: Option<f64>,
    /// bma: prior on N: `1/N`, `flat` or `negbin:A,B`.
    #[arg(long, default_value = "1/N")]
    pub prior: String,
    /// bma: largest number of unobserved units on the grid (default max(10 n, 1000)).
    #[arg(long)]
    pub max_missing: Option<u64>,
    /// loglinear: model-search criterion.
    #[arg(long, value_enum, default_value = "aic")]
    pub criterion: CriterionArg,
    /// loglinear: highest order of list interactions searched.
    #[arg(long, default_value_t = 2)]
    pub max_order: usize,
}

/// `--method`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MethodArg {
    /// Log-linear models.
    Loglinear,
    /// Decomposable-graph BMA.
    Bma,
    /// Latent classes.
    Lcmcr,
    /// Every method that applies.
    All,
}

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    /// JSON on stdout.
    Json,
    /// A readable table.
    Table,
}

/// `--criterion`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CriterionArg {
    /// Akaike.
    Aic,
    /// Bayesian.
    Bic,
}

/// Runs the command.
pub fn run(args: EstimateArgs) -> Result<(), CliError> {
    let opts = options(&args)?;
    let method = match args.method {
        MethodArg::Loglinear => Method::LogLinear,
        MethodArg::Bma => Method::Bma,
        MethodArg::Lcmcr => Method::Lcmcr,
        MethodArg::All => Method::All,
    };
    let file = args.histories.display().to_string();
    let text = std::fs::read(&args.histories)
        .map_err(|e| CliError::input(format!("{file}: cannot read: {e}")))?;
    let table = parse(&args.histories, &text, args.strata.as_deref())?;
    let engine = |e: sijill_mse::MseError| CliError::input(format!("{file}: {e}"));
    let out = match &table {
        Parsed::Single(h) => {
            let r = report::run(h, method, &opts).map_err(engine)?;
            match args.format {
                FormatArg::Json => json(&r)?,
                FormatArg::Table => table_text(&r, None),
            }
        }
        Parsed::Strata(strata) => {
            let r = report::run_strata(strata, method, &opts).map_err(engine)?;
            match args.format {
                FormatArg::Json => json(&r)?,
                FormatArg::Table => strata_text(&r),
            }
        }
    };
    print!("{out}");
    Ok(())
}

fn json<T: serde::Serialize>(v: &T) -> Result<String, CliError> {
    let mut s = serde_json::to_string_pretty(v).map_err(|e| CliError::Other(e.into()))?;
    s.push('\n');
    Ok(s)
}

fn options(a: &EstimateArgs) -> Result<Options, CliError> {
    if !(a.level > 0.0 && a.level < 1.0) {
        return Err(CliError::input(format!(
            "--level: must be between 0 and 1, got {}",
            a.level
        )));
    }
    if let Some(d) = a.delta
        && !(d > 0.0 && d.is_finite())
    {
        return Err(CliError::input(format!(
            "--delta: must be positive, got {d}"
        )));
    }
    let prior = parse_prior(&a.prior)?;
    if a.max_order < 1 {
        return Err(CliError::input("--max-order: must be at least 1"));
    }
    let lcmcr = LcmcrParams {
        classes: a.classes,
        burnin: a.burnin,
        samples: a.samples,
        thin: a.thin,
        seed: a.seed,
        chains: a.chains,
        ..LcmcrParams::default()
    };
    lcmcr.clone().check().map_err(|e| {
        CliError::input(format!(
            "lcmcr options (--classes, --samples, --thin, --chains): {e}"
        ))
    })?;
    let mut opts = Options {
        level: a.level,
        criterion: match a.criterion {
            CriterionArg::Aic => Criterion::Aic,
            CriterionArg::Bic => Criterion::Bic,
        },
        max_order: a.max_order,
        lcmcr,
        ..Options::default()
    };
    opts.bma.delta = a.delta;
    opts.bma.prior = prior;
    opts.bma.max_missing = a.max_missing;
    Ok(opts)
}

fn parse_prior(s: &str) -> Result<NPrior, CliError> {
    match s.trim() {
        "1/N" | "1/n" | "reciprocal" => Ok(NPrior::Reciprocal),
        "flat" | "uniform" => Ok(NPrior::Flat),
        other => {
            let bad = || {
                CliError::input(format!(
                    "--prior: expected 1/N, flat or negbin:A,B, got {other:?}"
                ))
            };
            let rest = other.strip_prefix("negbin:").ok_or_else(bad)?;
            let (a, b) = rest.split_once(',').ok_or_else(bad)?;
            let a: f64 = a.trim().parse().map_err(|_| bad())?;
            let b: f64 = b.trim().parse().map_err(|_| bad())?;
            if !(a > 0.0 && b > 0.0 && a.is_finite() && b.is_finite()) {
                return Err(bad());
            }
            Ok(NPrior::NegativeBinomial { a, b })
        }
    }
}

/// Parses and checks the capture-history file (the parser lives in `sijill_mse::input`),
/// read as spreadsheets save it: UTF-8, UTF-16 with a mark or Windows-1256, with `,`, `;`
/// or tabs between fields.
fn parse(path: &Path, bytes: &[u8], strata_col: Option<&str>) -> Result<Parsed, CliError> {
    let file = path.display().to_string();
    let table = sijill_model::table_text::decode(bytes);
    let delimiter = sijill_model::table_text::delimiter(&table.text);
    parse_histories_with(table.text.as_bytes(), strata_col, delimiter)
        .map_err(|e| CliError::input(e.in_file(&file)))
}

fn fmt_n(x: f64) -> String {
    if x.is_nan() {
        return "none".into();
    }
    if !x.is_finite() {
        return "inf".into();
    }
    if x.abs() >= 1e7 {
        return format!("{x:.3e}");
    }
    format!("{x:.1}")
}

fn row_text(out: &mut String, r: &EstimateRow) {
    let lo = r.interval[0].map_or("?".into(), fmt_n);
    let hi = match (r.interval[1], r.upper_beyond) {
        (Some(h), _) => fmt_n(h),
        (None, Some(b)) => format!("> {}", fmt_n(b)),
        (None, None) => "?".into(),
    };
    let fit = match (r.deviance, r.df, r.aic) {
        (Some(d), Some(df), Some(a)) => format!("{d:>9.3} {df:>4} {a:>10.3}"),
        _ => format!("{:>9} {:>4} {:>10}", "", "", ""),
    };
    let _ = writeln!(
        out,
        "{:<9} {:>12} {:>26} {fit}  {}",
        r.method,
        fmt_n(r.estimate),
        format!("[{lo}, {hi}]"),
        r.model
    );
    for w in &r.warnings {
        let _ = writeln!(out, "{:<9} {:>12} ! {w}", "", "");
    }
}

fn table_text(r: &Report, title: Option<&str>) -> String {
    let mut out = String::new();
    if let Some(t) = title {
        let _ = writeln!(out, "== {t}");
    }
    let _ = writeln!(
        out,
        "observed: {} units on {} lists ({})",
        r.observed,
        r.lists.len(),
        r.lists.join(", ")
    );
    let level = r.results.first().map_or(0.95, |x| x.level);
    let _ = writeln!(
        out,
        "{:<9} {:>12} {:>26} {:>9} {:>4} {:>10}  model",
        "method",
        "estimate",
        format!("{:.0}% interval", level * 100.0),
        "deviance",
        "df",
        "AIC"
    );
    for row in &r.results {
        row_text(&mut out, row);
    }
    for s in &r.skipped {
        let _ = writeln!(out, "skipped: {s}");
    }
    for w in &r.warnings {
        let _ = writeln!(out, "warning: {w}");
    }
    if let Some(rec) = &r.recommended {
        let lo = rec.row.interval[0].map_or("?".into(), fmt_n);
        let hi = rec.row.interval[1].map_or_else(
            || {
                rec.row
                    .upper_beyond
                    .map_or("?".into(), |b| format!("> {}", fmt_n(b)))
            },
            fmt_n,
        );
        let _ = writeln!(
            out,
            "recommended: {} [{lo}, {hi}] from {} ({}): {}",
            fmt_n(rec.row.estimate),
            rec.row.method,
            rec.row.model,
            rec.reason
        );
    }
    out
}

fn strata_text(r: &StrataReport) -> String {
    let mut out = String::new();
    for s in &r.strata {
        out.push_str(&table_text(
            &s.report,
            Some(&format!("stratum {}", s.stratum)),
        ));
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "== total over {} strata ({} units observed)",
        r.strata.len(),
        r.observed
    );
    for row in &r.total {
        row_text(&mut out, row);
    }
    out
}
