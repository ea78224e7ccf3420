//! The canonical fold of a name (see the crate docs): one function that every other part
//! of sijill applies before it compares, blocks or displays a normalized name.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// True for a letter of the Arabic script blocks (not digits, not marks).
pub fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0620}'..='\u{064A}' | '\u{066E}'..='\u{06D3}' | '\u{06D5}' | '\u{06EE}'..='\u{06FF}')
        && !matches!(c, '\u{06F0}'..='\u{06F9}')
}

/// Maps one character after NFKD and mark removal; `None` drops it, `Some(' ')` separates.
fn map_char(c: char) -> Option<char> {
    let mapped = match c {
        // Tatweel, zero-width and bidi controls, apostrophes for ʿayn and hamza.
        '\u{0640}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}'
        | '\u{061C}'
        | '\u{FEFF}'
        | '\''
        | '\u{2018}'
        | '\u{2019}'
        | '\u{02BC}'
        | '\u{02BF}'
        | '\u{02BE}'
        | '\u{02BB}'
        | '`'
        | '\u{00B4}' => return None,
        'ٱ' | 'ٲ' | 'ٳ' | 'ٵ' => 'ا',
        'ٶ' => 'و',
        'ى' | 'ی' | 'ې' | 'ۍ' | 'ێ' | 'ٸ' => 'ي',
        'ة' | 'ۀ' | 'ە' | 'ۃ' => 'ه',
        'ک' | 'ڪ' | 'گ' => 'ك',
        'پ' => 'ب',
        'چ' => 'ج',
        'ژ' => 'ز',
        'ڤ' => 'ف',
        'ڨ' => 'ق',
        '٠'..='٩' => char::from(b'0' + (c as u32 - 0x0660) as u8),
        '۰'..='۹' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
        // A letter-like symbol that is cased but has no lower-case form (e.g. the negative
        // circled capitals U+1F150..) is not part of a name: it separates like punctuation.
        c if c.is_alphanumeric() && !is_caseless_capital(c) => c,
        _ => ' ',
    };
    Some(mapped)
}

/// True for a character Unicode calls upper-case whose lower-casing leaves it upper-case.
fn is_caseless_capital(c: char) -> bool {
    c.is_uppercase() && c.to_lowercase().all(char::is_uppercase)
}

/// Folds a name to its canonical form: see the crate docs for the exact rules.
///
/// The result is idempotent (`fold(&fold(s)) == fold(s)`), has no diacritics, tatweel or
/// control characters, and separates words by single spaces.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.nfkd() {
        if is_combining_mark(c) || matches!(c, '\u{0670}' | '\u{06D6}'..='\u{06ED}') {
            continue;
        }
        let Some(m) = map_char(c) else { continue };
        if m == ' ' {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        for l in m.to_lowercase() {
            // Lower-casing can itself produce a combining mark (e.g. 'İ'): drop it.
            if !is_combining_mark(l) {
                out.push(l);
            }
        }
    }
    // A second pass is needed only if lower-casing produced something NFKD would change.
    if out.nfkd().eq(out.chars()) {
        out
    } else {
        fold(&out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_letters_fold() {
        assert_eq!(fold("أحمد"), "احمد");
        assert_eq!(fold("إبراهيم"), "ابراهيم");
        assert_eq!(fold("آمنة"), "امنه");
        assert_eq!(fold("مُحَمَّد"), "محمد");
        assert_eq!(fold("محـــمد"), "محمد");
        assert_eq!(fold("عيسى"), "عيسي");
        assert_eq!(fold("مؤمن"), "مومن");
        assert_eq!(fold("وائل"), "وايل");
        assert_eq!(fold("کریم"), "كريم");
        assert_eq!(fold("رحمٰن"), "رحمن");
        assert_eq!(fold("٢٠٢٥"), "2025");
        assert_eq!(fold("۱۹۸۰"), "1980");
    }

    #[test]
    fn latin_folds() {
        assert_eq!(fold("  Muḥammad   AL-Ḥasan "), "muhammad al hasan");
        assert_eq!(fold("Sa'ad"), "saad");
        assert_eq!(fold("ʿAbd al-Raḥmān"), "abd al rahman");
        assert_eq!(fold("JOSÉ"), "jose");
    }

    #[test]
    fn presentation_forms_fold() {
        // U+FEE3 U+FEA4 U+FEE4 U+FEAA: محمد in presentation forms.
        assert_eq!(fold("\u{FEE3}\u{FEA4}\u{FEE4}\u{FEAA}"), "محمد");
    }
}
