//! The text of a table file as spreadsheet programs write it, before the CSV reader
//! sees it: the byte-order mark, the encoding and the field separator.
//!
//! Lists reach a network from many machines. Excel on an Arabic Windows saves "CSV" in
//! Windows-1256 and "Unicode text" in UTF-16 with tabs; in many locales it separates
//! fields with `;`. [`decode`] reads UTF-8 (with or without a mark), UTF-16 with its mark,
//! and otherwise Windows-1256 — which also holds the accented Latin letters of French
//! and of most transliterations at their Latin-1 places — and says when it did so.
//! [`delimiter`] picks `,`, `;` or a tab from the header line.

/// A table file's text and how it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableText {
    /// The text, without a byte-order mark.
    pub text: String,
    /// The encoding, when it was not UTF-8: to be said to the person who gave the file.
    pub note: Option<Reading>,
}

/// How a file that is not UTF-8 was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// UTF-16 with its byte-order mark.
    Utf16,
    /// Not UTF-8 and no mark: Windows-1256.
    Windows1256,
}

impl Reading {
    /// The note for the command line, in English (pages say it from their catalogue).
    pub fn note(self) -> &'static str {
        match self {
            Reading::Utf16 => "the file is UTF-16 text",
            Reading::Windows1256 => {
                "the file is not UTF-8: it was read as Windows-1256 (Arabic Windows); \
                 if letters look wrong, save it as CSV UTF-8"
            }
        }
    }
}

/// Reads a table file's bytes as text (see the module docs).
pub fn decode(bytes: &[u8]) -> TableText {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom..]);
        let note = (enc != encoding_rs::UTF_8).then_some(Reading::Utf16);
        return TableText {
            text: text.into_owned(),
            note,
        };
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => TableText {
            text: s.to_owned(),
            note: None,
        },
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1256.decode(bytes);
            TableText {
                text: text.into_owned(),
                note: Some(Reading::Windows1256),
            }
        }
    }
}

/// The field separator of a table from its first line: the most frequent of `,`, `;` and
/// tab outside quotes, a comma when there is none or a tie with it.
pub fn delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    let (mut comma, mut semi, mut tab) = (0usize, 0usize, 0usize);
    let mut quoted = false;
    for c in first.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => comma += 1,
            ';' if !quoted => semi += 1,
            '\t' if !quoted => tab += 1,
            _ => {}
        }
    }
    if tab > comma && tab >= semi {
        b'\t'
    } else if semi > comma {
        b';'
    } else {
        b','
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = "record_id,name,governorate\na1,محمد الحسن,اللاذقية\na2,José Haddad,طرطوس\n";

    #[test]
    fn utf8_with_or_without_a_mark_is_read_as_is() {
        assert_eq!(decode(TABLE.as_bytes()).text, TABLE);
        assert_eq!(decode(TABLE.as_bytes()).note, None);
        let marked = [b"\xEF\xBB\xBF".as_slice(), TABLE.as_bytes()].concat();
        assert_eq!(decode(&marked), decode(TABLE.as_bytes()));
    }

    #[test]
    fn utf16_with_its_mark_is_read_and_said() {
        for (bom, be) in [([0xFF, 0xFE], false), ([0xFE, 0xFF], true)] {
            let mut bytes = bom.to_vec();
            for u in TABLE.encode_utf16() {
                let b = if be { u.to_be_bytes() } else { u.to_le_bytes() };
                bytes.extend_from_slice(&b);
            }
            let t = decode(&bytes);
            assert_eq!(t.text, TABLE);
            assert_eq!(t.note, Some(Reading::Utf16));
        }
    }

    #[test]
    fn arabic_windows_bytes_are_read_as_windows_1256() {
        let (bytes, _, bad) = encoding_rs::WINDOWS_1256.encode(TABLE);
        assert!(!bad);
        assert!(std::str::from_utf8(&bytes).is_err());
        let t = decode(&bytes);
        assert_eq!(t.text, TABLE, "Arabic letters and é survive");
        assert_eq!(t.note, Some(Reading::Windows1256));
        assert!(Reading::Windows1256.note().contains("Windows-1256"));
    }

    #[test]
    fn the_separator_comes_from_the_header_line() {
        assert_eq!(delimiter(TABLE), b',');
        assert_eq!(delimiter("record_id;name;sex\na;b,c;d\n"), b';');
        assert_eq!(delimiter("record_id\tname\tsex\n"), b'\t');
        assert_eq!(
            delimiter("\"a;b\",c\n"),
            b',',
            "quoted separators do not count"
        );
        assert_eq!(delimiter("record_id\n"), b',');
        assert_eq!(delimiter(""), b',');
    }
}
