//! Reading a capture-history table (`sijill estimate --histories H.csv`): one 0/1
//! column per list, a `count` column and optionally a stratum column, one row per
//! observed capture pattern. Pure: bytes in, [`Histories`] out, so the CLI and the
//! fuzz targets share it; every refusal names the line and, where there is one, the
//! column.

use crate::Histories;
use std::collections::BTreeMap;

/// A table read from a file: one set of histories, or one per stratum in file order.
#[derive(Debug, Clone)]
pub enum HistoryTable {
    /// No stratum column.
    Single(Histories),
    /// One set per value of the stratum column, in order of first appearance.
    Strata(Vec<(String, Histories)>),
}

/// Why a table was refused: where (line from 1, the header being line 1; column from 1;
/// or the stratum) and what to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.in_file("input"))]
pub struct InputError {
    /// The line, when the problem has one.
    pub line: Option<u64>,
    /// The column, when the problem has one.
    pub column: Option<usize>,
    /// The stratum, for a problem of a whole stratum.
    pub stratum: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl InputError {
    fn at(line: u64, column: Option<usize>, message: String) -> Self {
        InputError {
            line: Some(line),
            column,
            stratum: None,
            message,
        }
    }

    /// The error prefixed by the file's name: `FILE:LINE:COLUMN: …`.
    pub fn in_file(&self, file: &str) -> String {
        match (self.line, self.column, &self.stratum) {
            (Some(l), Some(c), _) => format!("{file}:{l}:{c}: {}", self.message),
            (Some(l), None, _) => format!("{file}:{l}: {}", self.message),
            (None, _, Some(s)) => format!("{file} (stratum {s:?}): {}", self.message),
            (None, _, None) => format!("{file}: {}", self.message),
        }
    }
}

/// Pattern mask → (count, line of the row).
type Cells = BTreeMap<u32, (u64, u64)>;

/// The names a table's count column goes by: `count` (the contract), and `freq`,
/// `frequency`, `n`, `Freq` as Rcapture's and other packages' frequency tables write it.
const COUNT_NAMES: [&str; 5] = ["count", "freq", "frequency", "n", "عدد"];

/// Parses and checks a comma-separated capture-history table; `strata_col` names the
/// stratum column.
pub fn parse_histories(bytes: &[u8], strata_col: Option<&str>) -> Result<HistoryTable, InputError> {
    parse_histories_with(bytes, strata_col, b',')
}

/// As [`parse_histories`], with the field separator a spreadsheet wrote (`;`, tab).
pub fn parse_histories_with(
    bytes: &[u8],
    strata_col: Option<&str>,
    delimiter: u8,
) -> Result<HistoryTable, InputError> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .delimiter(delimiter)
        .from_reader(bytes);
    let headers = rdr
        .headers()
        .map_err(|e| InputError::at(1, None, format!("cannot read the header: {e}")))?
        .clone();
    let count_col = headers
        .iter()
        .position(|h| h == "count")
        .or_else(|| {
            headers
                .iter()
                .position(|h| COUNT_NAMES.contains(&h.to_lowercase().as_str()))
        })
        .ok_or_else(|| {
            InputError::at(
                1,
                None,
                format!(
                    "no `count` column (the header has: {})",
                    headers.iter().collect::<Vec<_>>().join(", ")
                ),
            )
        })?;
    let strata_idx = match strata_col {
        Some(name) => Some(
            headers
                .iter()
                .position(|h| h == name)
                .ok_or_else(|| InputError::at(1, None, format!("no stratum column `{name}`")))?,
        ),
        None => None,
    };
    let list_cols: Vec<usize> = (0..headers.len())
        .filter(|&i| i != count_col && Some(i) != strata_idx)
        .collect();
    for &i in &list_cols {
        if headers[i].is_empty() {
            return Err(InputError::at(1, Some(i + 1), "empty column name".into()));
        }
    }
    if list_cols.len() < 2 {
        return Err(InputError::at(
            1,
            None,
            format!(
                "at least two list columns are needed besides `count`, found {}",
                list_cols.len()
            ),
        ));
    }
    if list_cols.len() > crate::lcmcr_max_lists() {
        return Err(InputError::at(
            1,
            None,
            format!(
                "{} list columns is more than the {} supported",
                list_cols.len(),
                crate::lcmcr_max_lists()
            ),
        ));
    }
    let lists: Vec<String> = list_cols.iter().map(|&i| headers[i].to_string()).collect();
    // stratum -> (order of first appearance, pattern mask -> (count, line))
    let mut groups: BTreeMap<String, (usize, Cells)> = BTreeMap::new();
    let mut order = 0usize;
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            InputError::at(line, None, e.to_string())
        })?;
        let line = rec.position().map_or(0, |p| p.line());
        if rec.iter().all(str::is_empty) {
            continue;
        }
        let mut mask = 0u32;
        for (j, &i) in list_cols.iter().enumerate() {
            match rec[i].to_lowercase().as_str() {
                "1" | "1.0" | "true" | "yes" => mask |= 1 << j,
                "0" | "0.0" | "false" | "no" => {}
                v => {
                    return Err(InputError::at(
                        line,
                        Some(i + 1),
                        format!("list column `{}` must be 0 or 1, got {v:?}", &headers[i]),
                    ));
                }
            }
        }
        let raw = &rec[count_col];
        if mask == 0 && raw.is_empty() {
            continue;
        }
        let at = |m: String| InputError::at(line, Some(count_col + 1), m);
        let count: u64 = match raw.parse::<i128>() {
            Ok(c) if c < 0 => return Err(at(format!("negative count {c}"))),
            Ok(c) => u64::try_from(c).map_err(|_| at(format!("count {c} is too large")))?,
            Err(_) => return Err(at(format!("count must be a whole number, got {raw:?}"))),
        };
        // A table that lists every pattern may give the unobserved one as 0 (or leave it
        // empty, above): it says nothing.
        if mask == 0 && count == 0 {
            continue;
        }
        if mask == 0 {
            return Err(InputError::at(
                line,
                None,
                "capture pattern of all zeros: units on no list cannot be counted (that is what is estimated)".into(),
            ));
        }
        let stratum = strata_idx.map_or(String::new(), |i| rec[i].to_string());
        let entry = groups.entry(stratum).or_insert_with(|| {
            order += 1;
            (order, BTreeMap::new())
        });
        if let Some((_, first)) = entry.1.insert(mask, (count, line)) {
            return Err(InputError::at(
                line,
                None,
                format!("capture pattern repeats line {first}"),
            ));
        }
    }
    if groups.is_empty() {
        return Err(InputError {
            line: None,
            column: None,
            stratum: None,
            message: "no capture pattern".into(),
        });
    }
    let mut built: Vec<(usize, String, Histories)> = Vec::new();
    for (name, (ord, cells)) in groups {
        let h = Histories::from_masks(lists.clone(), cells.into_iter().map(|(m, (c, _))| (m, c)))
            .map_err(|e| InputError {
            line: None,
            column: None,
            stratum: strata_idx.is_some().then(|| name.clone()),
            message: e.to_string(),
        })?;
        built.push((ord, name, h));
    }
    built.sort_by_key(|b| b.0);
    if strata_idx.is_none() {
        let (_, _, h) = built.remove(0);
        return Ok(HistoryTable::Single(h));
    }
    Ok(HistoryTable::Strata(
        built.into_iter().map(|(_, n, h)| (n, h)).collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tables as other packages and spreadsheets write them: Rcapture's `freq` column,
    /// `;` between fields, TRUE/FALSE for on a list or not, and the unobserved pattern
    /// listed with 0.
    #[test]
    fn tables_as_other_tools_write_them() {
        let want = parse_histories(b"a,b,count\n1,0,5\n0,1,3\n1,1,2\n", None).unwrap();
        let HistoryTable::Single(want) = want else {
            panic!("single")
        };
        for (bytes, delimiter) in [
            (&b"a,b,freq\n1,0,5\n0,1,3\n1,1,2\n"[..], b','),
            (&b"a;b;Freq\n1;0;5\n0;1;3\n1;1;2\n0;0;0\n"[..], b';'),
            (
                &b"a\tb\tn\nTRUE\tFALSE\t5\nFALSE\tTRUE\t3\nTRUE\tTRUE\t2\nFALSE\tFALSE\t\n"[..],
                b'\t',
            ),
        ] {
            let HistoryTable::Single(h) = parse_histories_with(bytes, None, delimiter).unwrap()
            else {
                panic!("single")
            };
            assert_eq!(format!("{h:?}"), format!("{want:?}"));
        }
        let e = parse_histories(b"a,b,total\n1,0,5\n", None).unwrap_err();
        assert_eq!(
            e.in_file("h.csv"),
            "h.csv:1: no `count` column (the header has: a, b, total)"
        );
        // An unobserved pattern with units is still refused: that is what is estimated.
        assert!(parse_histories(b"a,b,count\n1,0,5\n0,0,4\n", None).is_err());
    }

    #[test]
    fn reads_patterns_and_strata_in_file_order() {
        let t = parse_histories(b"a,b,count\n1,0,5\n0,1,3\n1,1,2\n", None).unwrap();
        let HistoryTable::Single(h) = t else {
            panic!("no stratum column was named")
        };
        assert_eq!(h.observed(), 10);
        let t = parse_histories(b"s,a,b,count\nz,1,0,1\nz,0,1,1\ny,1,1,2\n", Some("s")).unwrap();
        let HistoryTable::Strata(s) = t else {
            panic!("a stratum column was named")
        };
        let names: Vec<&str> = s.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["z", "y"]);
    }

    #[test]
    fn refusals_name_line_and_column() {
        let e = parse_histories(b"a,b,count\n1,2,5\n", None).unwrap_err();
        assert_eq!(
            e.in_file("h.csv"),
            "h.csv:2:2: list column `b` must be 0 or 1, got \"2\""
        );
        let e = parse_histories(b"a,b,count\n1,0,-1\n", None).unwrap_err();
        assert_eq!((e.line, e.column), (Some(2), Some(3)));
        let e = parse_histories(b"a,b,count\n0,0,1\n", None).unwrap_err();
        assert_eq!(e.line, Some(2));
        let e = parse_histories(b"a,b,count\n1,0,1\n1,0,2\n", None).unwrap_err();
        assert!(e.message.contains("repeats line 2"), "{e}");
        let e = parse_histories(b"a,b,count\n", None).unwrap_err();
        assert_eq!(e.in_file("h.csv"), "h.csv: no capture pattern");
    }
}
