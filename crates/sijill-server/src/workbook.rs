//! A check of an XLSX upload before calamine reads it. calamine builds a dense grid from
//! the cell references it finds, so one reference such as `XFD1048576` beside `A1` asks
//! for seventeen billion cells, and a column of more than six letters overflowed its
//! column arithmetic (found by the `victims_xlsx` fuzz target). Both importers call
//! [`check_xlsx`] first: it reads the sheets' XML (bounded), and refuses references
//! beyond Excel's limits and grids larger than [`MAX_CELLS`].

use std::io::Read;

/// The largest grid an import reads (rows × columns, from A1).
pub const MAX_CELLS: u64 = 4_000_000;
/// The most uncompressed bytes read from one sheet.
const MAX_SHEET_BYTES: u64 = 256 * 1024 * 1024;

/// Why a workbook is refused before it is read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkbookError {
    /// A cell reference is not `A1`-style within Excel's limits.
    #[error("the workbook has a cell reference beyond XFD1048576")]
    Reference,
    /// The sheet's grid is too large to import.
    #[error("the sheet spans more than {MAX_CELLS} cells; split it into smaller files")]
    TooLarge,
    /// Not a readable ZIP archive.
    #[error("the workbook cannot be read")]
    Unreadable,
}

/// Checks every part of an XLSX file (`bytes` is the whole ZIP archive).
pub fn check_xlsx(bytes: &[u8]) -> Result<(), WorkbookError> {
    let mut zip =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| WorkbookError::Unreadable)?;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|_| WorkbookError::Unreadable)?;
        // Every part, not only `xl/worksheets/`: calamine finds a sheet through the
        // workbook's relationships, whatever its name.
        if entry.is_dir() {
            continue;
        }
        let mut xml = Vec::new();
        (&mut entry)
            .take(MAX_SHEET_BYTES)
            .read_to_end(&mut xml)
            .map_err(|_| WorkbookError::Unreadable)?;
        let (mut rows, mut cols) = (0u64, 0u64);
        for value in attribute_values(&xml, b" r=\"").chain(attribute_values(&xml, b" ref=\"")) {
            for part in value.split(|&b| b == b':') {
                if let Some((r, c)) = reference(part)? {
                    rows = rows.max(r);
                    cols = cols.max(c);
                }
            }
        }
        if rows.saturating_mul(cols.max(1)) > MAX_CELLS {
            return Err(WorkbookError::TooLarge);
        }
    }
    Ok(())
}

/// The values of an attribute (`prefix` is ` name="`) anywhere in the XML.
fn attribute_values<'a>(xml: &'a [u8], prefix: &'a [u8]) -> impl Iterator<Item = &'a [u8]> + 'a {
    let mut at = 0;
    std::iter::from_fn(move || {
        let start = at
            + xml
                .get(at..)?
                .windows(prefix.len())
                .position(|w| w == prefix)?
            + prefix.len();
        let len = xml.get(start..)?.iter().position(|&b| b == b'"')?;
        at = start + len;
        Some(&xml[start..start + len])
    })
}

/// A cell reference (`B7`, `$B$7`, a row `7` or a column `B`) as 1-based (row, column),
/// 0 for the part that is absent; `None` for a value that is no reference (a defined
/// name, say), which calamine does not read as a cell either.
fn reference(s: &[u8]) -> Result<Option<(u64, u64)>, WorkbookError> {
    let s: Vec<u8> = s.iter().copied().filter(|&b| b != b'$').collect();
    let letters = s.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let digits = &s[letters..];
    if s.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Ok(None);
    }
    if letters > 3 || digits.len() > 7 {
        return Err(WorkbookError::Reference);
    }
    let col = s[..letters].iter().fold(0u64, |c, b| {
        c * 26 + u64::from(b.to_ascii_uppercase() - b'A') + 1
    });
    let row = digits
        .iter()
        .fold(0u64, |r, b| r * 10 + u64::from(b - b'0'));
    if col > 16_384 || row > 1_048_576 {
        return Err(WorkbookError::Reference);
    }
    Ok(Some((row, col)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn xlsx(cells: &[&str]) -> Vec<u8> {
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default();
        z.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
        let row: String = cells
            .iter()
            .map(|r| format!("<c r=\"{r}\" t=\"inlineStr\"><is><t>x</t></is></c>"))
            .collect();
        write!(
            z,
            "<worksheet><sheetData><row r=\"1\">{row}</row></sheetData></worksheet>"
        )
        .unwrap();
        z.finish().unwrap().into_inner()
    }

    #[test]
    fn ordinary_sheets_pass() {
        assert_eq!(check_xlsx(&xlsx(&["A1", "B1", "$C$1", "XFD1"])), Ok(()));
    }

    #[test]
    fn references_past_excel_and_huge_grids_are_refused() {
        // Regression: fuzz/artifacts victims_xlsx crash-52c703f2 (a 12-letter column).
        assert_eq!(
            check_xlsx(&xlsx(&["A1", "AAAAAAAAAAAA1"])),
            Err(WorkbookError::Reference)
        );
        assert_eq!(
            check_xlsx(&xlsx(&["A1", "A99999999"])),
            Err(WorkbookError::Reference)
        );
        assert_eq!(
            check_xlsx(&xlsx(&["A1", "XFD1048576"])),
            Err(WorkbookError::TooLarge)
        );
        assert_eq!(
            check_xlsx(b"PK\x03\x04 not a zip"),
            Err(WorkbookError::Unreadable)
        );
    }
}
