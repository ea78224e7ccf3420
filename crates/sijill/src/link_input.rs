//! Reading victim lists for `sijill link`: CSV with a header row, columns in any order,
//! UTF-8 with or without a byte-order mark, and every bad value reported with its file,
//! line and column.

use crate::error::CliError;
use sijill_linkage::parse::{
    DayMonth, date_is_ambiguous, date_order_hint, is_age_word, is_unknown, parse_age, parse_date,
    parse_sex, parse_year,
};
use sijill_linkage::{Name, Record};
use std::collections::HashMap;
use std::path::Path;

/// The columns `sijill link` reads (DESIGN §5).
const KNOWN: [&str; 13] = [
    "record_id",
    "list",
    "full_name",
    "given_name",
    "father_name",
    "grandfather_name",
    "family_name",
    "mother_name",
    "sex",
    "age",
    "birth_year",
    "date_of_death",
    "place_of_death",
];

/// The records of all input files, with notes (warnings) for stderr.
#[derive(Debug)]
pub struct Input {
    /// All records in input order.
    pub records: Vec<Record>,
    /// Warnings: ignored or dropped columns, the reading of ambiguous dates.
    pub notes: Vec<String>,
}

fn file_text(path: &Path) -> Result<sijill_model::table_text::TableText, CliError> {
    let shown = path.display();
    let bytes =
        std::fs::read(path).map_err(|e| CliError::input(format!("{shown}: cannot read: {e}")))?;
    Ok(sijill_model::table_text::decode(&bytes))
}

/// Reads the input files; `extra` names further columns to compare as text.
pub fn read_inputs(paths: &[std::path::PathBuf], extra: &[String]) -> Result<Input, CliError> {
    let mut records = Vec::new();
    let mut notes = Vec::new();
    // (list, record_id) → (file, line) of its first appearance.
    let mut seen: HashMap<(String, String), (String, u64)> = HashMap::new();
    for path in paths {
        let shown = path.display().to_string();
        let table = file_text(path)?;
        if let Some(note) = table.note {
            notes.push(format!("{shown}: {}", note.note()));
        }
        let text = table.text;
        if text.trim().is_empty() {
            return Err(CliError::input(format!(
                "{shown}: empty file (a header row with record_id is needed)"
            )));
        }
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| shown.clone());
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .delimiter(sijill_model::table_text::delimiter(&text))
            .from_reader(text.as_bytes());
        let written: Vec<String> = reader
            .headers()
            .map_err(|e| CliError::input(format!("{shown}:1: cannot read the header: {e}")))?
            .iter()
            .map(|h| h.trim().to_lowercase())
            .collect();
        // "Name", "Gender", "الاسم", "تاريخ الوفاة": a usual name of a column is read as
        // that column, unless the file also has the column under its own name.
        let header: Vec<String> = written
            .iter()
            .map(|h| {
                let read_as = sijill_model::columns::victim_field(h)
                    .filter(|f| *f != h.as_str() && KNOWN.contains(f))
                    .filter(|f| !written.iter().any(|w| w == f));
                match read_as {
                    Some(f)
                        if written
                            .iter()
                            .filter(|w| sijill_model::columns::victim_field(w) == Some(f))
                            .count()
                            == 1 =>
                    {
                        notes.push(format!("{shown}: column {h:?} read as {f}"));
                        f.to_string()
                    }
                    _ => h.clone(),
                }
            })
            .collect();
        let col = |name: &str| header.iter().position(|h| h == name);
        let Some(id_col) = col("record_id") else {
            return Err(CliError::input(format!(
                "{shown}:1: no record_id column (the header has: {})",
                header.join(", ")
            )));
        };
        for h in &header {
            if sijill_model::columns::is_forbidden(h) {
                notes.push(format!("{shown}: column {h:?} dropped: sijill keeps no religion, sect, ethnicity or political opinion"));
            } else if !KNOWN.contains(&h.as_str()) && !extra.contains(h) {
                notes.push(format!("{shown}: column {h:?} ignored"));
            }
        }
        for e in extra {
            if col(e).is_none() {
                notes.push(format!(
                    "{shown}: no column {e:?}; it counts as absent in this file"
                ));
            }
        }
        let has_parts = [
            "given_name",
            "father_name",
            "grandfather_name",
            "family_name",
        ]
        .iter()
        .any(|c| col(c).is_some());
        if col("full_name").is_none() && !has_parts {
            notes.push(format!("{shown}: no name column (full_name or given_name, father_name, grandfather_name, family_name)"));
        }
        let rows: Vec<(u64, csv::StringRecord)> = reader
            .records()
            .map(|r| {
                r.map(|row| (row.position().map_or(0, |p| p.line()), row))
                    .map_err(|e| {
                        let line = e.position().map_or(0, |p| p.line());
                        CliError::input(format!("{shown}:{line}: {}", csv_reason(&e)))
                    })
            })
            .collect::<Result<_, _>>()?;
        if rows.is_empty() {
            return Err(CliError::input(format!(
                "{shown}:2: no records after the header"
            )));
        }
        let order = date_order(&shown, &rows, col("date_of_death"), &mut notes)?;
        let raw_cell = |row: &csv::StringRecord, c: Option<usize>| -> Option<String> {
            c.and_then(|c| row.get(c))
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        // "?", "غير معروف", "مجهول الهوية" say nothing is known: the cell is absent, so two
        // unidentified people never agree on a name.
        let unknown_cells = std::cell::Cell::new(0usize);
        let cell = |row: &csv::StringRecord, c: Option<usize>| -> Option<String> {
            raw_cell(row, c).filter(|v| {
                let unknown = is_unknown(v);
                if unknown {
                    unknown_cells.set(unknown_cells.get() + 1);
                }
                !unknown
            })
        };
        let mut age_words: Vec<String> = Vec::new();
        for (line, row) in &rows {
            let at = |name: &str| -> String {
                let c = col(name).map_or(0, |c| c + 1);
                format!("{shown}:{line}:{c}")
            };
            let Some(record_id) = raw_cell(row, Some(id_col)) else {
                return Err(CliError::input(format!(
                    "{}: empty record_id",
                    at("record_id")
                )));
            };
            let list = raw_cell(row, col("list")).unwrap_or_else(|| stem.clone());
            if let Some((f, l)) = seen.get(&(list.clone(), record_id.clone())) {
                return Err(CliError::input(format!(
                    "{}: duplicate record_id {record_id:?} in list {list:?} (first at {f}:{l})",
                    at("record_id")
                )));
            }
            seen.insert((list.clone(), record_id.clone()), (shown.clone(), *line));
            let parsed = |name: &str, value: Option<String>| value.map(|v| (name.to_string(), v));
            let sex = match parsed("sex", cell(row, col("sex"))) {
                Some((n, v)) => {
                    Some(parse_sex(&v).map_err(|e| CliError::input(format!("{}: {e}", at(&n))))?)
                }
                None => None,
            };
            let age = match cell(row, col("age")) {
                Some(v) if is_age_word(&v) => {
                    if age_words.len() < 3 {
                        age_words.push(format!("{v:?} at {}", at("age")));
                    }
                    None
                }
                Some(v) => Some(
                    parse_age(&v).map_err(|e| CliError::input(format!("{}: {e}", at("age"))))?,
                ),
                None => None,
            };
            let birth_year = match cell(row, col("birth_year")) {
                Some(v) => Some(
                    parse_year(&v)
                        .map_err(|e| CliError::input(format!("{}: {e}", at("birth_year"))))?,
                ),
                None => None,
            };
            let date_of_death = match cell(row, col("date_of_death")) {
                Some(v) => Some(
                    parse_date(&v, order)
                        .map_err(|e| CliError::input(format!("{}: {e}", at("date_of_death"))))?,
                ),
                None => None,
            };
            let name = match cell(row, col("full_name")) {
                Some(full) if !has_parts => Name::Full(full),
                full => {
                    let parts = Name::Parts {
                        given: cell(row, col("given_name")),
                        father: cell(row, col("father_name")),
                        grandfather: cell(row, col("grandfather_name")),
                        family: cell(row, col("family_name")),
                    };
                    match (full, &parts) {
                        (
                            Some(full),
                            Name::Parts {
                                given: None,
                                father: None,
                                grandfather: None,
                                family: None,
                            },
                        ) => Name::Full(full),
                        _ => parts,
                    }
                }
            };
            records.push(Record {
                list,
                record_id,
                name,
                mother: cell(row, col("mother_name")),
                sex,
                age,
                birth_year,
                date_of_death,
                place: cell(row, col("place_of_death")),
                extra: extra.iter().map(|e| cell(row, col(e))).collect(),
            });
        }
        if unknown_cells.get() > 0 {
            notes.push(format!(
                "{shown}: {} cells saying the value is unknown (\"?\", \"-\", \"غير معروف\" …) read as empty",
                unknown_cells.get()
            ));
        }
        if !age_words.is_empty() {
            notes.push(format!(
                "{shown}: ages written as a stage of life read as unknown: {}",
                age_words.join(", ")
            ));
        }
    }
    Ok(Input { records, notes })
}

fn csv_reason(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("{len} fields where the header has {expected_len}")
        }
        _ => e.to_string(),
    }
}

/// Decides the day/month order of a file's dates: proven by a day or month above 12,
/// contradictory orders are an error, and an undecidable file is read day first (the
/// Syrian usage) with a note.
fn date_order(
    shown: &str,
    rows: &[(u64, csv::StringRecord)],
    col: Option<usize>,
    notes: &mut Vec<String>,
) -> Result<DayMonth, CliError> {
    let Some(c) = col else {
        return Ok(DayMonth::DayFirst);
    };
    let (mut day_first, mut month_first, mut ambiguous) = (None, None, None);
    for (line, row) in rows {
        let Some(v) = row.get(c) else { continue };
        match date_order_hint(v) {
            Some(DayMonth::DayFirst) => day_first = day_first.or(Some(*line)),
            Some(DayMonth::MonthFirst) => month_first = month_first.or(Some(*line)),
            None if date_is_ambiguous(v) => ambiguous = ambiguous.or(Some(*line)),
            None => {}
        }
    }
    match (day_first, month_first) {
        (Some(a), Some(b)) => Err(CliError::input(format!(
            "{shown}:{b}:{}: date_of_death is month first here but day first on line {a}; use one order (or YYYY-MM-DD)",
            c + 1
        ))),
        (None, Some(_)) => Ok(DayMonth::MonthFirst),
        (Some(_), None) => Ok(DayMonth::DayFirst),
        (None, None) => {
            if let Some(l) = ambiguous {
                notes.push(format!("{shown}:{l}: dates such as this one read day first (DD/MM/YYYY); no date in the file tells the order"));
            }
            Ok(DayMonth::DayFirst)
        }
    }
}
