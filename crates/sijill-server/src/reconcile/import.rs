//! Reading a victim list (CSV or XLSX) into rows for the store, with a per-row error
//! report that can be shown before anything is written. Shared by the web import and
//! `sijill import victims`.
//!
//! Columns are mapped to fields by a mapping (`{"column header": "field"}`) or, without
//! one, by their header names in English or Arabic. Columns about religion, sect,
//! ethnicity or political opinion are never read: they are dropped and named in
//! [`Parsed::dropped`].

use serde::Serialize;
use sijill_linkage::parse::{
    DayMonth, date_order_hint, is_age_word, is_unknown, parse_age, parse_date, parse_sex,
    parse_year,
};
use sijill_store::reconcile_lists::{Personal, VictimRow};
use std::collections::BTreeMap;

/// The fields a column can fill.
pub const FIELDS: [&str; 14] = [
    "record_id",
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
    "governorate",
    "status",
];

/// True for a column sijill must never read (one list for every importer).
pub use sijill_model::columns::is_forbidden;

/// One problem in one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// Line in the file (the header is line 1).
    pub line: usize,
    /// The column's header.
    pub column: String,
    /// What is wrong (no personal value quoted).
    pub reason: String,
}

/// A file read into rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// How a CSV that is not UTF-8 was read (to be said).
    pub encoding: Option<sijill_model::table_text::Reading>,
    /// Headers in file order.
    pub header: Vec<String>,
    /// The mapping used: header → field.
    pub mapping: BTreeMap<String, String>,
    /// Columns dropped as forbidden.
    pub dropped: Vec<String>,
    /// Columns not mapped to any field.
    pub unmapped: Vec<String>,
    /// Rows that parsed.
    pub rows: Vec<VictimRow>,
    /// Problems; when any, nothing should be written.
    pub errors: Vec<RowError>,
}

/// Why a file cannot be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// Not CSV in UTF-8 and not a readable workbook.
    #[error("{0}")]
    Format(String),
    /// The mapping names an unknown field or a column twice.
    #[error("mapping: {0}")]
    Mapping(String),
}

/// The field a header names without a mapping (`Name`, `الاسم`, `Date of death` …).
fn guess(header: &str) -> Option<&'static str> {
    sijill_model::columns::victim_field(header)
}

/// Reads the cells of a file: XLSX/XLS/ODS by content, otherwise CSV as spreadsheet
/// programs write it (UTF-8 with or without a mark, UTF-16, else Windows-1256; `,`, `;`
/// or tab between fields). The first row is the header.
pub fn read_table(bytes: &[u8]) -> Result<Vec<Vec<String>>, ImportError> {
    read_table_as(bytes).map(|(rows, _)| rows)
}

/// As [`read_table`], with how a CSV that is not UTF-8 was read.
pub fn read_table_as(
    bytes: &[u8],
) -> Result<(Vec<Vec<String>>, Option<sijill_model::table_text::Reading>), ImportError> {
    let is_zip = bytes.starts_with(b"PK\x03\x04");
    let is_ole = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
    if is_zip {
        crate::workbook::check_xlsx(bytes).map_err(|e| ImportError::Format(e.to_string()))?;
    }
    if is_zip || is_ole {
        use calamine::Reader;
        let cursor = std::io::Cursor::new(bytes.to_vec());
        let mut wb = calamine::open_workbook_auto_from_rs(cursor)
            .map_err(|_| ImportError::Format("the workbook cannot be read".into()))?;
        let range = wb
            .worksheet_range_at(0)
            .ok_or_else(|| ImportError::Format("the workbook has no sheet".into()))?
            .map_err(|_| ImportError::Format("the first sheet cannot be read".into()))?;
        return Ok((
            range
                .rows()
                .map(|r| r.iter().map(cell_text).collect())
                .collect(),
            None,
        ));
    }
    let decoded = sijill_model::table_text::decode(bytes);
    let text = decoded.text.as_str();
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sijill_model::table_text::delimiter(text))
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            ImportError::Format(format!("line {line}: the CSV is malformed"))
        })?;
        out.push(rec.iter().map(str::to_owned).collect());
    }
    Ok((out, decoded.note))
}

fn cell_text(c: &calamine::Data) -> String {
    use calamine::Data;
    match c {
        Data::Empty => String::new(),
        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
        // Excel's day serial counts from 1899-12-30 (the 1900 system).
        Data::DateTime(d) if d.is_datetime() => {
            time::Date::from_julian_day(d.as_f64().floor() as i32 + 2_415_019)
                .map(|t| format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day()))
                .unwrap_or_default()
        }
        other => other.to_string(),
    }
}

fn day_text(d: sijill_linkage::parse::Date) -> String {
    // Days since 1970-01-01 → Julian day.
    time::Date::from_julian_day(d.days() + 2_440_588)
        .map(|t| format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day()))
        .unwrap_or_default()
}

fn status_of(s: &str) -> Option<&'static str> {
    let f = s.trim().to_lowercase();
    Some(match f.as_str() {
        "" | "unknown" | "غير معروف" => "unknown",
        "civilian" | "civ" | "مدني" => "civilian",
        "combatant" | "fighter" | "مقاتل" => "combatant",
        "security" | "military" | "عسكري" | "أمن" | "امن" => "security",
        _ => return None,
    })
}

/// Reads a file with a mapping (`None`: guess from the headers).
pub fn parse(
    bytes: &[u8],
    mapping: Option<&BTreeMap<String, String>>,
) -> Result<Parsed, ImportError> {
    parse_inner(bytes, mapping, None)
}

/// Parses a list with the mapping saved for its source: a column the saved mapping
/// names gets its field, any other column is recognised by its header as without a
/// mapping (so a column the source added since is not lost).
pub fn parse_with_saved(
    bytes: &[u8],
    saved: &BTreeMap<String, String>,
) -> Result<Parsed, ImportError> {
    parse_inner(bytes, None, Some(saved))
}

fn parse_inner(
    bytes: &[u8],
    mapping: Option<&BTreeMap<String, String>>,
    saved: Option<&BTreeMap<String, String>>,
) -> Result<Parsed, ImportError> {
    let (table, encoding) = read_table_as(bytes)?;
    let mut rows = table.into_iter();
    let header: Vec<String> = rows
        .next()
        .ok_or_else(|| ImportError::Format("the file is empty".into()))?
        .into_iter()
        .map(|h| h.trim().to_owned())
        .collect();
    if let Some(m) = mapping {
        for f in m.values() {
            if !f.is_empty() && f != "ignore" && !FIELDS.contains(&f.as_str()) {
                return Err(ImportError::Mapping(format!("unknown field {f}")));
            }
        }
    }
    let mut used: BTreeMap<String, String> = BTreeMap::new();
    let mut col_field: Vec<Option<&'static str>> = Vec::new();
    let mut dropped = Vec::new();
    let mut unmapped = Vec::new();
    for h in &header {
        if is_forbidden(h) {
            dropped.push(h.clone());
            col_field.push(None);
            continue;
        }
        let f = match mapping {
            Some(m) => m
                .get(h)
                .and_then(|f| FIELDS.iter().copied().find(|x| x == f)),
            None => saved
                .and_then(|m| m.get(h))
                .and_then(|f| FIELDS.iter().copied().find(|x| x == f))
                .or_else(|| guess(h)),
        };
        match f {
            Some(f) if used.values().any(|v| v == f) => {
                return Err(ImportError::Mapping(format!(
                    "two columns fill the field {f}"
                )));
            }
            Some(f) => {
                used.insert(h.clone(), f.into());
                col_field.push(Some(f));
            }
            None => {
                unmapped.push(h.clone());
                col_field.push(None);
            }
        }
    }
    let has_name = used
        .values()
        .any(|f| f == "full_name" || f == "given_name" || f == "family_name");
    if !has_name {
        return Err(ImportError::Mapping(
            "no column holds a name (full_name or given_name/family_name)".into(),
        ));
    }
    let body: Vec<Vec<String>> = rows.collect();
    // Day or month first: decided once for the file from its unambiguous dates.
    let date_col = col_field.iter().position(|f| *f == Some("date_of_death"));
    let order = date_col
        .and_then(|c| {
            body.iter()
                .filter_map(|r| r.get(c))
                .find_map(|v| date_order_hint(v))
        })
        .unwrap_or(DayMonth::DayFirst);
    let mut out = Vec::new();
    let mut lines = Vec::new();
    let mut errors = Vec::new();
    for (i, r) in body.iter().enumerate() {
        let line = i + 2;
        if r.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut v = VictimRow {
            record_key: format!("row-{line}"),
            personal: Personal::default(),
            sex: None,
            age: None,
            birth_year: None,
            date_of_death: None,
            governorate: None,
            status: "unknown".into(),
        };
        let mut ok = true;
        // A name written as "مجهول الهوية" (unidentified) is a record without a name, kept:
        // lists count unidentified bodies too.
        let mut unidentified = false;
        for (c, f) in col_field.iter().enumerate() {
            let Some(f) = f else { continue };
            let raw = r.get(c).map(|s| s.trim()).unwrap_or("");
            // "?", "غير معروف", "مجهول الهوية": nothing known, so the cell is empty; an age
            // written as a stage of life ("طفلة") has no number of years.
            if raw.is_empty()
                || *f != "record_id" && is_unknown(raw)
                || *f == "age" && is_age_word(raw)
            {
                unidentified |= !raw.is_empty() && NAME_FIELDS.contains(f);
                continue;
            }
            let val = Some(raw.to_owned());
            let mut bad = |reason: &str| {
                errors.push(RowError {
                    line,
                    column: header[c].clone(),
                    reason: reason.into(),
                });
                ok = false;
            };
            match *f {
                "record_id" => v.record_key = raw.into(),
                "full_name" => v.personal.full_name = val,
                "given_name" => v.personal.given = val,
                "father_name" => v.personal.father = val,
                "grandfather_name" => v.personal.grandfather = val,
                "family_name" => v.personal.family = val,
                "mother_name" => v.personal.mother = val,
                "place_of_death" => v.personal.place = val,
                "governorate" => v.governorate = val,
                "sex" => match parse_sex(raw) {
                    Ok(sijill_linkage::Sex::Male) => v.sex = Some("male".into()),
                    Ok(sijill_linkage::Sex::Female) => v.sex = Some("female".into()),
                    Err(_) => bad("sex is not male or female"),
                },
                "age" => match parse_age(raw) {
                    Ok(a) => v.age = Some(i64::from(a)),
                    Err(_) => bad("age is not a whole number from 0 to 120"),
                },
                "birth_year" => match parse_year(raw) {
                    Ok(y) => v.birth_year = Some(i64::from(y)),
                    Err(_) => bad("birth year is not a year from 1880 to 2100"),
                },
                "date_of_death" => match parse_date(raw, order) {
                    Ok(d) => v.date_of_death = Some(day_text(d)),
                    Err(_) => bad("date of death is not a date such as 2025-03-07"),
                },
                "status" => match status_of(raw) {
                    Some(s) => v.status = s.into(),
                    None => bad("status is not civilian, combatant, security or unknown"),
                },
                _ => {}
            }
        }
        if v.personal.display_name().trim().is_empty() && !unidentified {
            errors.push(RowError {
                line,
                column: String::new(),
                reason: "the row has no name".into(),
            });
            ok = false;
        }
        if ok {
            out.push(v);
            lines.push(line);
        }
    }
    let mut seen = std::collections::HashSet::new();
    for (r, &line) in out.iter().zip(&lines) {
        if !seen.insert(r.record_key.clone()) {
            errors.push(RowError {
                line,
                column: "record_id".into(),
                reason: "the record id is used by an earlier row".into(),
            });
        }
    }
    errors.sort_by_key(|e| e.line);
    Ok(Parsed {
        encoding,
        header,
        mapping: used,
        dropped,
        unmapped,
        rows: out,
        errors,
    })
}

/// The fields that hold a victim's name.
const NAME_FIELDS: [&str; 5] = [
    "full_name",
    "given_name",
    "father_name",
    "grandfather_name",
    "family_name",
];

#[cfg(test)]
mod tests {
    use super::*;

    /// A list saved by Excel on an Arabic Windows: Windows-1256 bytes and `;` between
    /// fields; and the same list as "Unicode text" (UTF-16, tabs).
    #[test]
    fn spreadsheet_csv_encodings_and_separators() {
        let list = "record_id;full_name;sex;date_of_death\n1;محمد علي;ذكر;07/03/2025\n2;José Haddad;M;2025-03-08\n";
        let (cp1256, _, bad) = encoding_rs::WINDOWS_1256.encode(list);
        assert!(!bad && std::str::from_utf8(&cp1256).is_err());
        let p = parse(&cp1256, None).unwrap();
        assert_eq!(
            p.encoding,
            Some(sijill_model::table_text::Reading::Windows1256)
        );
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(p.rows.len(), 2);
        assert_eq!(p.header, ["record_id", "full_name", "sex", "date_of_death"]);
        let mut utf16 = vec![0xFF, 0xFE];
        for u in list.replace(';', "\t").encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        let q = parse(&utf16, None).unwrap();
        assert_eq!(q.encoding, Some(sijill_model::table_text::Reading::Utf16));
        assert_eq!(q.rows, p.rows, "the same rows from both files");
        assert_eq!(parse(list.as_bytes(), None).unwrap().encoding, None);
    }

    #[test]
    fn guesses_headers_drops_forbidden_and_reports_rows() {
        let csv = "\u{feff}id,name,Sect,sex,date_of_death,age\n\
                   1,محمد علي,x,M,07/03/2025,30\n\
                   2,Samer Darwish,y,q,2025-03-08,\n\
                   3,,z,F,13/03/2025,200\n";
        let p = parse(csv.as_bytes(), None).unwrap();
        assert_eq!(p.dropped, vec!["Sect".to_string()]);
        assert_eq!(p.mapping.get("name").map(String::as_str), Some("full_name"));
        assert_eq!(p.rows.len(), 1);
        assert_eq!(p.rows[0].date_of_death.as_deref(), Some("2025-03-07"));
        assert_eq!(p.rows[0].sex.as_deref(), Some("male"));
        let lines: Vec<(usize, &str)> = p
            .errors
            .iter()
            .map(|e| (e.line, e.column.as_str()))
            .collect();
        assert_eq!(lines, vec![(3, "sex"), (4, "age"), (4, "")]);
    }

    /// Ages with their unit or as a stage of life, dates with the month in words, and
    /// "unknown" in its spellings are read, not reported as row errors.
    #[test]
    fn cells_as_real_lists_write_them() {
        let csv = "record_id,full_name,sex,age,date_of_death,place_of_death\n\
                   1,محمد علي حسن,ذكر,٣٥ سنة,٧ آذار ٢٠٢٥,جبلة\n\
                   2,مها حسن,طفلة,طفلة,8 March 2025,-\n\
                   3,مجهول الهوية,غير معروف,?,2025-03-09,غير معروف\n";
        let p = parse(csv.as_bytes(), None).unwrap();
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(p.rows.len(), 3);
        assert_eq!(p.rows[0].age, Some(35));
        assert_eq!(p.rows[0].date_of_death.as_deref(), Some("2025-03-07"));
        assert_eq!(p.rows[1].sex.as_deref(), Some("female"));
        assert_eq!(p.rows[1].age, None);
        assert_eq!(p.rows[1].date_of_death.as_deref(), Some("2025-03-08"));
        assert_eq!(p.rows[1].personal.place, None);
        assert_eq!(p.rows[2].sex, None);
        assert_eq!(p.rows[2].personal.display_name(), "");
    }

    #[test]
    fn a_mapping_names_fields_and_bad_ones_are_refused() {
        let csv = "n,fam\nAli,Hasan\n";
        let m: BTreeMap<String, String> = [
            ("n".to_string(), "given_name".to_string()),
            ("fam".to_string(), "family_name".to_string()),
        ]
        .into();
        let p = parse(csv.as_bytes(), Some(&m)).unwrap();
        assert_eq!(p.rows[0].personal.display_name(), "Ali Hasan");
        let bad: BTreeMap<String, String> = [("n".to_string(), "religion".to_string())].into();
        assert!(matches!(
            parse(csv.as_bytes(), Some(&bad)),
            Err(ImportError::Mapping(_))
        ));
        assert!(matches!(
            parse(b"\xff\xfe", None),
            Err(ImportError::Format(_))
        ));
    }
}
