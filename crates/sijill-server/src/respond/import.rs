//! Bulk import of KoboToolbox / ODK exports (CSV or XLSX) into distributions or
//! households, used by the import page and by `sijill import`.
//!
//! Column names are XLSForm names, possibly with group prefixes (`group_x/field`,
//! `meta/instanceID`): only the last path segment counts, case-insensitively. Each field
//! has the usual names (`quantity`, `qty` …) and a mapping (`field=column` lines)
//! overrides them. Every row is checked first and every problem reported with its row
//! and column; the store then writes all rows in one transaction or none. Rows carry an
//! import key (the submission's `_uuid` or `instanceID`, else a hash of the row), so
//! importing the same file again adds nothing. A column for religion, sect, ethnicity or
//! political opinion is dropped unread, and the report says so.

use super::words::parse_count;
use super::{parse_date, resolve_area};
use crate::i18n::Strings;
use sha2::{Digest, Sha256};
use sijill_model::geo::{Gazetteer, PCode};
use sijill_store::{Identity, Item, NewDistribution, NewHousehold, Vulnerability};

/// What the file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Distributions.
    Distributions,
    /// Households.
    Households,
}

/// Why a cell was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// A required value is empty.
    Missing,
    /// Not a whole number.
    Number,
    /// Not a date.
    Date,
    /// Not an area of the gazetteer.
    Area,
    /// Not an item of the catalogue.
    Item,
    /// A mapping names a column the file does not have, or a required column is absent.
    Column,
    /// Otherwise not valid.
    Invalid,
}

impl Problem {
    /// The problem in the reader's language.
    pub fn label(self, t: &'static Strings) -> &'static str {
        match self {
            Problem::Missing => t.rs_e_missing,
            Problem::Number => t.rs_e_number,
            Problem::Date => t.rs_e_date,
            Problem::Area => t.rs_e_area,
            Problem::Item => t.rs_e_item,
            Problem::Column => t.rs_e_column,
            Problem::Invalid => t.rs_e_invalid,
        }
    }
}

/// One refused cell: the file's line (the header is line 1), the column's number
/// (from 1; 0 when the column is absent) and name, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// Line in the file (XLSX: row of the sheet).
    pub line: usize,
    /// Column number, from 1.
    pub column: usize,
    /// Column name (or the field's name when the column is missing).
    pub column_name: String,
    /// Why.
    pub problem: Problem,
}

/// A checked file: rows ready for the store, or the errors.
#[derive(Debug)]
pub struct Checked<T> {
    /// Valid rows.
    pub rows: Vec<T>,
    /// Problems (when any, nothing is imported).
    pub errors: Vec<RowError>,
    /// Columns dropped unread (sensitive categories).
    pub dropped: Vec<String>,
    /// Which column fed which field.
    pub used: Vec<(&'static str, String)>,
}

impl<T> Default for Checked<T> {
    fn default() -> Self {
        Checked {
            rows: Vec::new(),
            errors: Vec::new(),
            dropped: Vec::new(),
            used: Vec::new(),
        }
    }
}

/// The file could not be read at all.
#[derive(Debug, thiserror::Error)]
#[error("the file could not be read as CSV or XLSX: {0}")]
pub struct FileError(pub String);

/// A table read from a file: header and rows of text cells.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Column names.
    pub header: Vec<String>,
    /// Rows, each with its line number.
    pub rows: Vec<(usize, Vec<String>)>,
}

/// Reads a CSV (comma, semicolon or tab; UTF-8, UTF-16 or Windows-1256, as Kobo and
/// spreadsheet programs export) or XLSX file.
pub fn read_table(bytes: &[u8]) -> Result<Table, FileError> {
    if bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(bytes)
    } else {
        read_csv(bytes)
    }
}

fn read_csv(bytes: &[u8]) -> Result<Table, FileError> {
    let text = sijill_model::table_text::decode(bytes).text;
    let mut r = csv::ReaderBuilder::new()
        .delimiter(sijill_model::table_text::delimiter(&text))
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let header = r
        .headers()
        .map_err(|e| FileError(e.to_string()))?
        .iter()
        .map(str::to_owned)
        .collect();
    let mut rows = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| FileError(e.to_string()))?;
        let line = rec.position().map(|p| p.line() as usize).unwrap_or(0);
        rows.push((line, rec.iter().map(str::to_owned).collect()));
    }
    Ok(Table { header, rows })
}

fn cell_text(d: &calamine::Data) -> String {
    use calamine::Data;
    match d {
        Data::Empty => String::new(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::DateTime(dt) => {
            // Excel serial days from 1899-12-30.
            let days = dt.as_f64().floor() as i64;
            let base = time::macros::date!(1899 - 12 - 30);
            base.checked_add(time::Duration::days(days))
                .map(super::fmt_date)
                .unwrap_or_default()
        }
        other => other.to_string(),
    }
}

fn read_xlsx(bytes: &[u8]) -> Result<Table, FileError> {
    use calamine::Reader;
    crate::workbook::check_xlsx(bytes).map_err(|e| FileError(e.to_string()))?;
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec()))
            .map_err(|e: calamine::XlsxError| FileError(e.to_string()))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| FileError("the workbook has no sheet".into()))?
        .map_err(|e| FileError(e.to_string()))?;
    let start = range.start().map(|(r, _)| r as usize).unwrap_or(0);
    let mut rows = range.rows();
    let header = rows
        .next()
        .map(|r| r.iter().map(cell_text).collect())
        .unwrap_or_default();
    let rows = rows
        .enumerate()
        .map(|(i, r)| (start + i + 2, r.iter().map(cell_text).collect::<Vec<_>>()))
        .filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()))
        .collect();
    Ok(Table { header, rows })
}

/// The field part of an XLSForm column name: `group_x/field` → `field`, lower case.
pub fn field_name(column: &str) -> String {
    column
        .rsplit(['/', ':'])
        .next()
        .unwrap_or(column)
        .trim()
        .to_lowercase()
}

/// Whether a column would carry a category never stored (one list for every importer).
pub use sijill_model::columns::is_forbidden;

/// The fields of each kind: name, usual column names, required.
fn fields(kind: Kind) -> &'static [(&'static str, &'static [&'static str], bool)] {
    match kind {
        Kind::Distributions => &[
            ("date", &["date", "distribution_date", "today", "day"], true),
            (
                "area",
                &[
                    "area",
                    "pcode",
                    "area_pcode",
                    "location",
                    "community",
                    "village",
                    "admin3",
                    "admin2",
                ],
                true,
            ),
            ("site", &["site", "site_name", "distribution_site"], false),
            (
                "item",
                &["item", "item_code", "commodity", "item_type"],
                true,
            ),
            ("quantity", &["quantity", "qty", "count", "number"], true),
            (
                "households",
                &["households", "hh", "households_reached", "hh_reached"],
                false,
            ),
            (
                "individuals",
                &[
                    "individuals",
                    "individuals_reached",
                    "beneficiaries",
                    "persons",
                ],
                false,
            ),
            ("key", &["_uuid", "instanceid", "uuid", "_id", "key"], false),
        ],
        Kind::Households => &[
            (
                "name",
                &["name", "head_name", "full_name", "hoh_name"],
                true,
            ),
            (
                "father_name",
                &["father_name", "father", "fathers_name"],
                false,
            ),
            ("birth_year", &["birth_year", "year_of_birth", "yob"], false),
            (
                "contact",
                &["contact", "phone", "phone_number", "mobile"],
                false,
            ),
            (
                "area",
                &[
                    "area",
                    "pcode",
                    "area_pcode",
                    "location",
                    "community",
                    "village",
                    "admin3",
                    "admin2",
                ],
                true,
            ),
            (
                "size",
                &["size", "hh_size", "household_size", "members"],
                true,
            ),
            ("females", &["females", "female", "hh_females"], false),
            ("males", &["males", "male", "hh_males"], false),
            ("children", &["children", "under_18", "hh_children"], false),
            ("elderly", &["elderly", "over_60", "hh_elderly"], false),
            (
                "flags",
                &["vulnerability", "vulnerabilities", "flags"],
                false,
            ),
            ("key", &["_uuid", "instanceid", "uuid", "_id", "key"], false),
        ],
    }
}

/// Parses `field=column` lines (blank lines and `#` comments ignored).
pub fn parse_mapping(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('='))
        .map(|(f, c)| (f.trim().to_lowercase(), c.trim().to_owned()))
        .collect()
}

struct Columns {
    index: Vec<Option<usize>>,
}

fn columns(
    kind: Kind,
    table: &Table,
    mapping: &[(String, String)],
    out_errors: &mut Vec<RowError>,
    used: &mut Vec<(&'static str, String)>,
    dropped: &mut Vec<String>,
) -> Columns {
    for h in &table.header {
        if is_forbidden(h) {
            dropped.push(h.clone());
        }
    }
    let allowed = |i: usize| !is_forbidden(&table.header[i]);
    let index = fields(kind)
        .iter()
        .map(|(field, names, required)| {
            let found = match mapping.iter().find(|(f, _)| f == field) {
                Some((_, col)) => {
                    let found = table
                        .header
                        .iter()
                        .position(|h| h == col || field_name(h) == field_name(col))
                        .filter(|&i| allowed(i));
                    if found.is_none() {
                        out_errors.push(RowError {
                            line: 1,
                            column: 0,
                            column_name: col.clone(),
                            problem: Problem::Column,
                        });
                    }
                    found
                }
                None => names.iter().find_map(|n| {
                    table
                        .header
                        .iter()
                        .position(|h| field_name(h) == *n)
                        .filter(|&i| allowed(i))
                }),
            };
            match found {
                Some(i) => used.push((field, table.header[i].clone())),
                None if *required && !mapping.iter().any(|(f, _)| f == field) => {
                    out_errors.push(RowError {
                        line: 1,
                        column: 0,
                        column_name: (*field).to_owned(),
                        problem: Problem::Column,
                    });
                }
                None => {}
            }
            found
        })
        .collect();
    Columns { index }
}

struct RowReader<'a> {
    table: &'a Table,
    cols: &'a Columns,
    line: usize,
    cells: &'a [String],
    errors: Vec<RowError>,
    kind: Kind,
}

impl RowReader<'_> {
    fn pos(&self, field: &str) -> usize {
        fields(self.kind)
            .iter()
            .position(|(f, _, _)| *f == field)
            .unwrap_or(0)
    }

    fn get(&self, field: &str) -> Option<&str> {
        let i = self.cols.index.get(self.pos(field)).copied().flatten()?;
        self.cells
            .get(i)
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
    }

    fn fail(&mut self, field: &str, problem: Problem) {
        let i = self.cols.index.get(self.pos(field)).copied().flatten();
        self.errors.push(RowError {
            line: self.line,
            column: i.map(|i| i + 1).unwrap_or(0),
            column_name: i
                .map(|i| self.table.header[i].clone())
                .unwrap_or_else(|| field.to_owned()),
            problem,
        });
    }

    fn required(&mut self, field: &str) -> Option<String> {
        match self.get(field) {
            Some(v) => Some(v.to_owned()),
            None => {
                self.fail(field, Problem::Missing);
                None
            }
        }
    }

    fn count(&mut self, field: &str, required: bool) -> Option<u64> {
        match self.get(field) {
            None if required => {
                self.fail(field, Problem::Missing);
                None
            }
            None => Some(0),
            Some(v) => {
                let n = parse_count(v);
                if n.is_none() {
                    self.fail(field, Problem::Number);
                }
                n
            }
        }
    }

    fn area(&mut self, geo: &Gazetteer) -> Option<PCode> {
        let v = self.required("area")?;
        let p = resolve_area(geo, &v).and_then(|p| PCode::parse(&p).ok());
        if p.is_none() {
            self.fail("area", Problem::Area);
        }
        p
    }

    fn key(&self) -> String {
        match self.get("key") {
            Some(k) => k.to_owned(),
            None => {
                let mut h = Sha256::new();
                for c in self.cells {
                    h.update(c.trim().as_bytes());
                    h.update([0x1f]);
                }
                format!("row:{}", hex::encode(h.finalize()))
            }
        }
    }
}

fn find_item<'a>(items: &'a [Item], typed: &str) -> Option<&'a Item> {
    let typed = typed.trim();
    let lower = typed.to_lowercase().replace([' ', '_'], "-");
    items.iter().find(|i| {
        i.code == lower
            || i.name_en.eq_ignore_ascii_case(typed)
            || i.name_ar == typed
            || i.id.to_string() == typed
    })
}

/// Checks a table as distributions.
pub fn check_distributions(
    table: &Table,
    mapping: &[(String, String)],
    geo: &Gazetteer,
    items: &[Item],
    campaign: Option<uuid::Uuid>,
) -> Checked<NewDistribution> {
    let mut out = Checked::default();
    let cols = columns(
        Kind::Distributions,
        table,
        mapping,
        &mut out.errors,
        &mut out.used,
        &mut out.dropped,
    );
    if !out.errors.is_empty() {
        return out;
    }
    for (line, cells) in &table.rows {
        let mut r = RowReader {
            table,
            cols: &cols,
            line: *line,
            cells,
            errors: Vec::new(),
            kind: Kind::Distributions,
        };
        let on = r.required("date").and_then(|d| {
            let p = parse_date(&d);
            if p.is_none() {
                r.fail("date", Problem::Date);
            }
            p
        });
        let pcode = r.area(geo);
        let item = r.required("item").and_then(|v| {
            let i = find_item(items, &v);
            if i.is_none() {
                r.fail("item", Problem::Item);
            }
            i.map(|i| i.id)
        });
        let quantity = r.count("quantity", true).filter(|&q| {
            if q == 0 {
                r.fail("quantity", Problem::Invalid);
            }
            q > 0
        });
        let households = r.count("households", false);
        let individuals = r.count("individuals", false);
        let site = r.get("site").map(str::to_owned);
        let key = r.key();
        if let (Some(on), Some(pcode), Some(item), Some(quantity), Some(hh), Some(ind), true) = (
            on,
            pcode,
            item,
            quantity,
            households,
            individuals,
            r.errors.is_empty(),
        ) {
            out.rows.push(NewDistribution {
                campaign,
                on,
                pcode,
                site,
                item,
                quantity,
                households: hh,
                individuals: ind,
                import_key: Some(key),
            });
        }
        out.errors.append(&mut r.errors);
    }
    out
}

/// Checks a table as households; `locality` gives the hash locality of an area.
pub fn check_households(
    table: &Table,
    mapping: &[(String, String)],
    geo: &Gazetteer,
) -> Checked<NewHousehold> {
    let mut out = Checked::default();
    let cols = columns(
        Kind::Households,
        table,
        mapping,
        &mut out.errors,
        &mut out.used,
        &mut out.dropped,
    );
    if !out.errors.is_empty() {
        return out;
    }
    for (line, cells) in &table.rows {
        let mut r = RowReader {
            table,
            cols: &cols,
            line: *line,
            cells,
            errors: Vec::new(),
            kind: Kind::Households,
        };
        let name = r.required("name");
        let pcode = r.area(geo);
        let size = r.count("size", true).filter(|&s| {
            if s == 0 {
                r.fail("size", Problem::Invalid);
            }
            s > 0
        });
        let small = |r: &mut RowReader, f: &str| {
            r.count(f, false).and_then(|n| {
                let v = u32::try_from(n).ok();
                if v.is_none() {
                    r.fail(f, Problem::Number);
                }
                v
            })
        };
        let females = small(&mut r, "females");
        let males = small(&mut r, "males");
        let children = small(&mut r, "children");
        let elderly = small(&mut r, "elderly");
        let birth_year = match r.get("birth_year").map(str::to_owned) {
            None => Some(None),
            Some(y) => {
                let v = parse_count(&y)
                    .and_then(|y| i32::try_from(y).ok())
                    .filter(|y| (1900..=2030).contains(y));
                if v.is_none() {
                    r.fail("birth_year", Problem::Number);
                }
                v.map(Some)
            }
        };
        let flags: Vec<Vulnerability> = r
            .get("flags")
            .map(|f| {
                f.split([' ', ',', ';'])
                    .filter_map(|s| Vulnerability::parse(&s.replace('_', "-")))
                    .collect()
            })
            .unwrap_or_default();
        let size32 = size.and_then(|s| u32::try_from(s).ok());
        let key = r.key();
        let father = r.get("father_name").unwrap_or("").to_owned();
        let contact = r.get("contact").map(str::to_owned);
        if let (
            Some(name),
            Some(pcode),
            Some(size),
            Some(females),
            Some(males),
            Some(children),
            Some(elderly),
            Some(birth_year),
            true,
        ) = (
            name,
            pcode,
            size32,
            females,
            males,
            children,
            elderly,
            birth_year,
            r.errors.is_empty(),
        ) {
            if females.saturating_add(males) > size || children.saturating_add(elderly) > size {
                r.fail("size", Problem::Invalid);
            } else {
                out.rows.push(NewHousehold {
                    identity: Identity {
                        name,
                        father_name: father,
                        birth_year,
                        locality: super::households::locality(geo, &pcode),
                    },
                    contact,
                    pcode,
                    size,
                    females,
                    males,
                    children,
                    elderly,
                    vulnerability: flags,
                    import_key: Some(key),
                });
            }
        }
        out.errors.append(&mut r.errors);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items() -> Vec<Item> {
        vec![Item {
            id: uuid::Uuid::now_v7(),
            code: "food-basket".into(),
            name_en: "Food basket".into(),
            name_ar: "سلة غذائية".into(),
            unit_en: "basket".into(),
            unit_ar: "سلة".into(),
            is_cash: false,
        }]
    }

    const KOBO: &str = "start;end;group_dist/date;group_dist/area;group_dist/item;group_dist/quantity;group_dist/households;group_dist/religion;meta/instanceID;_uuid\n\
        2025-03-12T08:00;x;2025-03-12;Jableh;food-basket;120;120;x;uuid:1;a1\n\
        2025-03-12T09:00;x;2025-03-13;SY1002;Food basket;٥٠;50;y;uuid:2;a2\n";

    #[test]
    fn kobo_csv_with_groups_and_semicolons() {
        let table = read_table(KOBO.as_bytes()).unwrap();
        let g = Gazetteer::builtin();
        let c = check_distributions(&table, &[], &g, &items(), None);
        assert!(c.errors.is_empty(), "{:?}", c.errors);
        assert_eq!(c.rows.len(), 2);
        assert_eq!(c.rows[0].pcode.as_str(), "SY0602");
        assert_eq!(c.rows[1].quantity, 50);
        assert_eq!(c.rows[0].import_key.as_deref(), Some("a1"));
        assert_eq!(c.dropped, ["group_dist/religion"]);
    }

    #[test]
    fn every_bad_cell_is_reported_with_line_and_column() {
        let csv = "date,area,item,quantity\n2025-03-12,Atlantis,food-basket,3\n2025-13-01,Jableh,soap,x\n";
        let table = read_table(csv.as_bytes()).unwrap();
        let c = check_distributions(&table, &[], &Gazetteer::builtin(), &items(), None);
        let got: Vec<(usize, usize, Problem)> = c
            .errors
            .iter()
            .map(|e| (e.line, e.column, e.problem))
            .collect();
        assert_eq!(
            got,
            [
                (2, 2, Problem::Area),
                (3, 1, Problem::Date),
                (3, 3, Problem::Item),
                (3, 4, Problem::Number)
            ]
        );
        // Without a key column the key is a hash of the row: stable across imports.
        let ok = "date,area,item,quantity\n2025-03-12,Jableh,food-basket,3\n";
        let t = read_table(ok.as_bytes()).unwrap();
        let a = check_distributions(&t, &[], &Gazetteer::builtin(), &items(), None);
        let b = check_distributions(&t, &[], &Gazetteer::builtin(), &items(), None);
        assert_eq!(a.rows[0].import_key, b.rows[0].import_key);
    }

    #[test]
    fn a_mapping_overrides_the_usual_names() {
        let csv = "when,where,what,how_many\n2025-03-12,Jableh,food-basket,3\n";
        let table = read_table(csv.as_bytes()).unwrap();
        let m = parse_mapping("date=when\narea = where\nitem=what\nquantity=how_many\n# note\n");
        let c = check_distributions(&table, &m, &Gazetteer::builtin(), &items(), None);
        assert!(c.errors.is_empty(), "{:?}", c.errors);
        let bad = parse_mapping("quantity=nothing");
        let c = check_distributions(&table, &bad, &Gazetteer::builtin(), &items(), None);
        assert_eq!(c.errors[0].problem, Problem::Column);
    }

    #[test]
    fn forbidden_columns() {
        assert!(is_forbidden("group_a/religion"));
        assert!(is_forbidden("Sect"));
        assert!(is_forbidden("الطائفة"));
        assert!(!is_forbidden("section"));
        assert!(!is_forbidden("insect_bites"));
    }

    #[test]
    fn households_from_kobo() {
        let csv = "grp/name,grp/father_name,grp/birth_year,grp/area,grp/size,grp/females,grp/males,grp/vulnerability,_uuid\n\
                   محمد الحسن,علي,1975,جبلة,5,3,2,female_headed displaced,h1\n\
                   Rana,,19x5,Jableh,2,3,0,,h2\n";
        let table = read_table(csv.as_bytes()).unwrap();
        let c = check_households(&table, &[], &Gazetteer::builtin());
        assert_eq!(c.rows.len(), 1);
        assert_eq!(
            c.rows[0].vulnerability,
            [Vulnerability::FemaleHeaded, Vulnerability::Displaced]
        );
        assert_eq!(c.rows[0].identity.locality, "SY0602");
        assert_eq!(c.errors.len(), 1);
        assert_eq!((c.errors[0].line, c.errors[0].column), (3, 3));
    }
}
