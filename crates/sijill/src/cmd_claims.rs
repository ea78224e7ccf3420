//! `sijill claims extract FILE`: reads a report (English or Arabic, UTF-8 text) and prints
//! every figure claim in it, as a JSON array (the stable contract for scripts) or as a table.

use crate::error::CliError;
use sijill_claims::{Claim, Date, Gazetteer, Options, extract};
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

/// Arguments of `sijill claims`.
#[derive(Debug, clap::Args)]
pub struct ClaimsArgs {
    #[command(subcommand)]
    command: ClaimsCommand,
}

#[derive(Debug, clap::Subcommand)]
enum ClaimsCommand {
    /// Extract figure claims (value or range, qualifier, measure, claimant, as-of date,
    /// place, quote) from a report's text.
    #[command(after_help = "\
JSON output: an array of {\"value\", \"low\", \"high\", \"qualifier\", \"measure\", \"claimant\", \"as_of\", \"place\", \"quote\"}.
  value        the figure, or null for a range or an indefinite amount (\"dozens\")
  low, high    the ends of a range (\"between 700 and 800\"), else null
  qualifier    over | at_least | nearly | about | up_to | under | indefinite, or null
  measure      killed | killed_civilians | killed_security | killed_fighters | injured |
               missing | detained | bodies_recovered | people_rescued | rescue_missions |
               people_displaced | families_displaced | people_in_need | food_baskets |
               loaves | meals | hygiene_kits | cash_families | families_assisted |
               beneficiaries | volunteers | incidents | families | people | money | other
  as_of        YYYY-MM-DD (--MM-DD when no year is known), else null
Years, dates, times, ages, durations, footnote marks, ids, phone numbers and
percentages are not claims.

Examples:
  sijill claims extract report.txt --format json
  sijill claims extract report-ar.txt --date 2025-03-14 --places places.txt")]
    Extract(ExtractArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// A table on a terminal, JSON when the output is a pipe or a file.
    Auto,
    /// A JSON array (the stable contract).
    Json,
    /// A readable table.
    Table,
}

#[derive(Debug, clap::Args)]
struct ExtractArgs {
    /// The report: UTF-8 text, English or Arabic (`-` reads standard input).
    file: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Auto)]
    format: Format,
    /// The report's publication date (YYYY-MM-DD): the as-of date of figures that give
    /// none, and the year of dates written without one.
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: Option<String>,
    /// Known places, one a line: `Canonical name|alias|alias` (replaces the default list
    /// of the coastal places).
    #[arg(long, value_name = "FILE")]
    places: Option<PathBuf>,
}

/// Runs the command.
pub fn run(args: ClaimsArgs) -> Result<(), CliError> {
    match args.command {
        ClaimsCommand::Extract(a) => run_extract(a),
    }
}

fn run_extract(a: ExtractArgs) -> Result<(), CliError> {
    let doc_date = a
        .date
        .as_deref()
        .map(Date::parse_iso)
        .transpose()
        .map_err(|e| CliError::input(format!("--date: {e}")))?;
    let gazetteer = match &a.places {
        Some(path) => {
            let list = read_text(path)?;
            Gazetteer::parse(&list)
                .map_err(|e| CliError::input(format!("{}: {e}", path.display())))?
        }
        None => Gazetteer::coastal(),
    };
    let text = read_text(&a.file)?;
    let claims = extract(
        &text,
        &Options {
            doc_date,
            gazetteer,
        },
    );
    let format = match a.format {
        Format::Auto if std::io::stdout().is_terminal() => Format::Table,
        Format::Auto => Format::Json,
        f => f,
    };
    let out = match format {
        Format::Table => table(&claims),
        _ => {
            let mut s =
                serde_json::to_string_pretty(&claims).map_err(|e| CliError::Other(e.into()))?;
            s.push('\n');
            s
        }
    };
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(out.as_bytes())?;
    stdout.flush()?;
    Ok(())
}

/// Reads a whole file (or standard input for `-`) as UTF-8 text; a byte-order mark is
/// dropped, anything that is not UTF-8 text is bad input named by file, line and column.
fn read_text(path: &Path) -> Result<String, CliError> {
    let name = path.display();
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        std::io::stdin().read_to_end(&mut bytes)?;
    } else {
        bytes = std::fs::read(path)
            .map_err(|e| CliError::input(format!("{name}: cannot read: {e}")))?;
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(CliError::input(format!(
            "{name}:1:1: UTF-16 text; save it as UTF-8"
        )));
    }
    let body = bytes
        .strip_prefix(&[0xEF, 0xBB, 0xBF][..])
        .unwrap_or(&bytes);
    let (valid, bad_at) = match std::str::from_utf8(body) {
        Ok(s) => (s, None),
        Err(e) => (
            std::str::from_utf8(&body[..e.valid_up_to()]).unwrap_or(""),
            Some(e.valid_up_to()),
        ),
    };
    let nul = valid.find('\0');
    if let Some(at) = nul.or(bad_at) {
        let before = &valid[..at.min(valid.len())];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        let what = if nul.is_some() {
            "binary data (a NUL byte), not text"
        } else {
            "not UTF-8 text"
        };
        return Err(CliError::input(format!("{name}:{line}:{col}: {what}")));
    }
    Ok(valid.to_string())
}

fn cell(s: &str, width: usize) -> String {
    let n = s.chars().count();
    if n > width {
        let cut: String = s.chars().take(width.saturating_sub(1)).collect();
        format!("{cut}…")
    } else {
        format!("{s}{}", " ".repeat(width - n))
    }
}

/// The claims as a fixed-width table, one line each, the quote last.
fn table(claims: &[Claim]) -> String {
    let mut out = String::new();
    let head = [
        "#",
        "value",
        "qualifier",
        "measure",
        "claimant",
        "as of",
        "place",
        "quote",
    ];
    let widths = [3, 13, 10, 18, 28, 10, 12, 0];
    let row = |cols: [String; 8]| {
        let mut line = String::new();
        for (c, w) in cols.iter().zip(widths) {
            if w == 0 {
                line.push_str(c);
            } else {
                line.push_str(&cell(c, w));
                line.push(' ');
            }
        }
        line.trim_end().to_string() + "\n"
    };
    out.push_str(&row(head.map(String::from)));
    for (i, c) in claims.iter().enumerate() {
        let value = match (c.value, c.low, c.high) {
            (Some(v), _, _) => v.to_string(),
            (None, Some(l), Some(h)) => format!("{l}–{h}"),
            _ => "—".to_string(),
        };
        let quote: String = if c.quote.chars().count() > 90 {
            c.quote.chars().take(89).collect::<String>() + "…"
        } else {
            c.quote.clone()
        };
        out.push_str(&row([
            (i + 1).to_string(),
            value,
            c.qualifier.map_or("", |q| q.as_str()).to_string(),
            c.measure.as_str().to_string(),
            c.claimant.clone().unwrap_or_default(),
            c.as_of.map(|d| d.to_string()).unwrap_or_default(),
            c.place.clone().unwrap_or_default(),
            quote,
        ]));
    }
    out.push_str(&format!(
        "{} claim{}\n",
        claims.len(),
        if claims.len() == 1 { "" } else { "s" }
    ));
    out
}
