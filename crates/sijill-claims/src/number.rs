//! Quantities: digit runs with thousands separators and decimals (Western and Arabic-Indic
//! digits), scale words (`1.5 million`, `15 ألف`), English and Arabic number words
//! (`three hundred and twenty`, `مئة وخمسون`, dual forms such as `ألفا`), and indefinite
//! quantities (`dozens`, `عشرات الآلاف`) that have no exact value.

use crate::text::{Kind, Tok, tokenize};

/// How a digit run reads.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Digits {
    /// A whole number.
    Int(f64),
    /// A number with a decimal part.
    Decimal(f64),
    /// `1.476`: thousands (1476) as a count, or a decimal before a scale word (1.476 million).
    AmbiguousDot { thousands: f64, decimal: f64 },
    /// Not a number in any convention (dates such as `10.03.2025`, codes, `0933`).
    Invalid,
}

fn grouping_valid(groups: &[&str]) -> bool {
    let first_ok =
        (1..=3).contains(&groups[0].len()) && (!groups[0].starts_with('0') || groups[0] == "0");
    first_ok && groups[1..].iter().all(|g| g.len() == 3)
}

fn value_of(int: &str, frac: &str) -> Option<f64> {
    if int.len() + frac.len() > 15 || int.is_empty() {
        return None;
    }
    let s = if frac.is_empty() {
        int.to_string()
    } else {
        format!("{int}.{frac}")
    };
    s.parse::<f64>().ok()
}

/// Reads a normalised digit run (ASCII digits and the separators `,` `.` `٬` `٫` `'` space).
pub(crate) fn parse_digits(norm: &str) -> Digits {
    let mut groups: Vec<&str> = Vec::new();
    let mut seps: Vec<char> = Vec::new();
    let mut last = 0;
    for (i, c) in norm.char_indices() {
        if !c.is_ascii_digit() {
            groups.push(&norm[last..i]);
            seps.push(c);
            last = i + c.len_utf8();
        }
    }
    groups.push(&norm[last..]);
    if groups.iter().any(|g| g.is_empty()) {
        return Digits::Invalid;
    }
    let int = |gs: &[&str]| gs.concat();
    let ok = |v: Option<f64>, f: fn(f64) -> Digits| v.map_or(Digits::Invalid, f);
    if seps.is_empty() {
        let g = groups[0];
        if g.len() > 1 && g.starts_with('0') {
            return Digits::Invalid;
        }
        return ok(value_of(g, ""), Digits::Int);
    }
    let last_sep = seps[seps.len() - 1];
    if seps.iter().all(|&c| c == last_sep) {
        return match last_sep {
            // "١٫٤٧٦ عائلة": the decimal sign is also written for thousands; read like '.'.
            '٫' if seps.len() == 1 && grouping_valid(&groups) => {
                match (value_of(&int(&groups), ""), value_of(groups[0], groups[1])) {
                    (Some(thousands), Some(decimal)) => Digits::AmbiguousDot { thousands, decimal },
                    _ => Digits::Invalid,
                }
            }
            '٫' if seps.len() == 1 => ok(value_of(groups[0], groups[1]), Digits::Decimal),
            ' ' | '٬' | '\'' if grouping_valid(&groups) => {
                ok(value_of(&int(&groups), ""), Digits::Int)
            }
            ',' if grouping_valid(&groups) => ok(value_of(&int(&groups), ""), Digits::Int),
            ',' if seps.len() == 1 => ok(value_of(groups[0], groups[1]), Digits::Decimal),
            '.' if seps.len() == 1 => {
                let decimal = value_of(groups[0], groups[1]);
                if grouping_valid(&groups) {
                    match (value_of(&int(&groups), ""), decimal) {
                        (Some(thousands), Some(decimal)) => {
                            Digits::AmbiguousDot { thousands, decimal }
                        }
                        _ => Digits::Invalid,
                    }
                } else {
                    ok(decimal, Digits::Decimal)
                }
            }
            '.' if grouping_valid(&groups) => ok(value_of(&int(&groups), ""), Digits::Int),
            _ => Digits::Invalid,
        };
    }
    // Mixed: the last separator is the decimal mark, the others group thousands.
    let n = seps.len();
    let thousands = seps[0];
    let consistent = seps[..n - 1].iter().all(|&c| c == thousands);
    let pair_ok = matches!(
        (thousands, last_sep),
        (',', '.')
            | ('.', ',')
            | (' ', ',')
            | (' ', '.')
            | ('٬', '٫')
            | ('٬', '.')
            | ('\'', '.')
            | (',', '٫')
    );
    if consistent && pair_ok && grouping_valid(&groups[..n]) {
        return ok(value_of(&int(&groups[..n]), groups[n]), Digits::Decimal);
    }
    Digits::Invalid
}

/// A quantity found in text: an exact value, or an indefinite amount (`dozens`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Mention {
    /// Token range `[start, end)` in the sentence.
    pub start: usize,
    pub end: usize,
    pub value: Option<f64>,
    /// Written in digits (rather than words).
    pub digits: bool,
    /// The digit run could not be read (a date, a code): never a claim.
    pub invalid: bool,
}

const EN_UNITS: &[(&str, u64)] = &[
    ("zero", 0),
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
];

const EN_SCALES: &[(&str, f64)] = &[
    ("thousand", 1e3),
    ("million", 1e6),
    ("billion", 1e9),
    ("bn", 1e9),
    ("mn", 1e6),
];

const EN_INDEFINITE: &[&str] = &["dozens", "scores", "hundreds", "thousands", "millions"];

const AR_UNITS: &[(&str, u64)] = &[
    ("واحد", 1),
    ("واحده", 1),
    ("اثنان", 2),
    ("اثنين", 2),
    ("اثنتان", 2),
    ("اثنتين", 2),
    ("ثلاث", 3),
    ("ثلاثه", 3),
    ("اربع", 4),
    ("اربعه", 4),
    ("خمس", 5),
    ("خمسه", 5),
    ("ست", 6),
    ("سته", 6),
    ("سبع", 7),
    ("سبعه", 7),
    ("ثماني", 8),
    ("ثمانيه", 8),
    ("ثمان", 8),
    ("تسع", 9),
    ("تسعه", 9),
];
/// Units that only appear before `عشر` (11 and 12).
const AR_TEEN_UNITS: &[(&str, u64)] = &[
    ("احد", 1),
    ("احدي", 1),
    ("اثنا", 2),
    ("اثني", 2),
    ("اثنتا", 2),
    ("اثنتي", 2),
];
const AR_TEN: &[&str] = &["عشر", "عشره"];
const AR_TENS: &[(&str, u64)] = &[
    ("عشرون", 20),
    ("عشرين", 20),
    ("ثلاثون", 30),
    ("ثلاثين", 30),
    ("اربعون", 40),
    ("اربعين", 40),
    ("خمسون", 50),
    ("خمسين", 50),
    ("ستون", 60),
    ("ستين", 60),
    ("سبعون", 70),
    ("سبعين", 70),
    ("ثمانون", 80),
    ("ثمانين", 80),
    ("تسعون", 90),
    ("تسعين", 90),
];
const AR_HUNDRED: &[&str] = &["مئه", "مائه", "ميه"];
const AR_TWO_HUNDRED: &[&str] = &[
    "مئتان",
    "مئتين",
    "مائتان",
    "مائتين",
    "مئتا",
    "مائتا",
    "مئتي",
    "مائتي",
];
const AR_HUNDREDS_STEMS: &[(&str, u64)] = &[
    ("ثلاث", 3),
    ("اربع", 4),
    ("خمس", 5),
    ("ست", 6),
    ("سبع", 7),
    ("ثماني", 8),
    ("ثمان", 8),
    ("تسع", 9),
];
/// Singular scale words (`ألف`), their duals (`ألفان`, `ألفا`) and plurals (`آلاف`).
const AR_SCALES: &[(&str, f64, u8)] = &[
    ("الف", 1e3, 1),
    ("الفان", 1e3, 2),
    ("الفين", 1e3, 2),
    ("الفا", 1e3, 2),
    ("الفي", 1e3, 2),
    ("الاف", 1e3, 0),
    ("مليون", 1e6, 1),
    ("مليونان", 1e6, 2),
    ("مليونين", 1e6, 2),
    ("مليونا", 1e6, 2),
    ("مليوني", 1e6, 2),
    ("ملايين", 1e6, 0),
    ("مليار", 1e9, 1),
    ("ملياران", 1e9, 2),
    ("مليارين", 1e9, 2),
    ("مليارات", 1e9, 0),
    ("بليون", 1e9, 1),
];
const AR_INDEFINITE: &[&str] = &["عشرات", "مئات", "الاف", "ملايين", "مليارات"];

fn lookup<T: Copy>(table: &[(&str, T)], w: &str) -> Option<T> {
    table.iter().find(|(k, _)| *k == w).map(|&(_, v)| v)
}

fn ar_hundreds(w: &str) -> Option<u64> {
    if AR_HUNDRED.contains(&w) {
        return Some(100);
    }
    if AR_TWO_HUNDRED.contains(&w) {
        return Some(200);
    }
    for &(stem, u) in AR_HUNDREDS_STEMS {
        if let Some(rest) = w.strip_prefix(stem)
            && AR_HUNDRED.contains(&rest)
        {
            return Some(u * 100);
        }
    }
    None
}

/// Whether the Arabic word (possibly with a leading `و`) is a number word.
fn ar_number_word(w: &str) -> bool {
    lookup(AR_UNITS, w).is_some()
        || lookup(AR_TEEN_UNITS, w).is_some()
        || AR_TEN.contains(&w)
        || lookup(AR_TENS, w).is_some()
        || ar_hundreds(w).is_some()
        || AR_SCALES.iter().any(|(k, _, _)| *k == w)
}

fn scale_after_digits(toks: &[Tok], i: usize) -> Option<(f64, usize)> {
    let t = toks.get(i)?;
    if t.kind != Kind::Word {
        return None;
    }
    let w = t.norm.as_str();
    if t.glued && (w == "k") {
        return Some((1e3, 1));
    }
    if t.glued && !t.arabic && w != "bn" && w != "mn" {
        return None;
    }
    let base = w.strip_suffix('s').unwrap_or(w);
    if let Some(s) = lookup(EN_SCALES, base).or_else(|| lookup(EN_SCALES, w)) {
        return Some((s, 1));
    }
    if t.arabic
        && let Some(&(_, s, _)) = AR_SCALES.iter().find(|(k, _, _)| *k == w)
    {
        return Some((s, 1));
    }
    None
}

/// The quantity starting at token `i`, if one does.
pub(crate) fn mention_at(toks: &[Tok], i: usize) -> Option<Mention> {
    let t = &toks[i];
    match t.kind {
        Kind::Num => Some(digit_mention(toks, i)),
        Kind::Word if t.arabic => arabic_mention(toks, i),
        Kind::Word => english_mention(toks, i),
        Kind::Punct => None,
    }
}

fn digit_mention(toks: &[Tok], i: usize) -> Mention {
    let parsed = parse_digits(&toks[i].norm);
    let scale = scale_after_digits(toks, i + 1);
    let base = match (parsed, scale) {
        (Digits::Int(v) | Digits::Decimal(v), _) => Some(v),
        (Digits::AmbiguousDot { decimal, .. }, Some(_)) => Some(decimal),
        (Digits::AmbiguousDot { thousands, .. }, None) => Some(thousands),
        (Digits::Invalid, _) => None,
    };
    let (value, end) = match (base, scale) {
        (Some(v), Some((s, n))) => (Some((v * s).round()), i + 1 + n),
        (v, _) => (v, i + 1),
    };
    Mention {
        start: i,
        end,
        value,
        digits: true,
        invalid: value.is_none(),
    }
}

fn english_mention(toks: &[Tok], i: usize) -> Option<Mention> {
    let w = toks[i].norm.as_str();
    // Indefinite: "dozens", "tens of thousands", "hundreds of thousands", "several hundred".
    let next_is = |k: usize, s: &str| toks.get(k).is_some_and(|t| t.is(s));
    if (w == "tens" || w == "hundreds") && next_is(i + 1, "of") && next_is(i + 2, "thousands") {
        return Some(Mention {
            start: i,
            end: i + 3,
            value: None,
            digits: false,
            invalid: false,
        });
    }
    if EN_INDEFINITE.contains(&w) {
        return Some(Mention {
            start: i,
            end: i + 1,
            value: None,
            digits: false,
            invalid: false,
        });
    }
    if (w == "several" || w == "few")
        && toks
            .get(i + 1)
            .is_some_and(|t| t.is("hundred") || t.is("thousand"))
    {
        return Some(Mention {
            start: i,
            end: i + 2,
            value: None,
            digits: false,
            invalid: false,
        });
    }
    let mut k = i;
    let mut total = 0f64;
    let mut current = 0f64;
    let mut any = false;
    if w == "half"
        && toks.get(i + 1).is_some_and(|t| t.is("a"))
        && let Some(s) = toks.get(i + 2).and_then(|t| lookup(EN_SCALES, &t.norm))
    {
        return Some(Mention {
            start: i,
            end: i + 3,
            value: Some(s / 2.0),
            digits: false,
            invalid: false,
        });
    }
    if (w == "a" || w == "an") && toks.get(i + 1).is_some_and(|t| t.is("dozen")) {
        return Some(Mention {
            start: i,
            end: i + 2,
            value: Some(12.0),
            digits: false,
            invalid: false,
        });
    }
    if (w == "a" || w == "an" || w == "one")
        && toks
            .get(i + 1)
            .is_some_and(|t| lookup(EN_SCALES, &t.norm).is_some() || t.is("hundred"))
    {
        current = 1.0;
        k += 1;
        any = true;
    }
    let mut last_was_scale = false;
    while let Some(t) = toks.get(k) {
        if t.kind != Kind::Word || t.arabic {
            if t.is_punct("-")
                && any
                && toks
                    .get(k + 1)
                    .is_some_and(|n| n.glued && lookup(EN_UNITS, &n.norm).is_some())
            {
                k += 1;
                continue;
            }
            break;
        }
        let n = t.norm.as_str();
        if let Some(v) = lookup(EN_UNITS, n) {
            current += v as f64;
            any = true;
            last_was_scale = false;
        } else if n == "hundred" && any {
            current = current.max(1.0) * 100.0;
            last_was_scale = true;
        } else if let (Some(s), true) = (lookup(EN_SCALES, n), any) {
            total += current.max(1.0) * s;
            current = 0.0;
            last_was_scale = true;
        } else if n == "dozen" && any {
            current = current.max(1.0) * 12.0;
        } else if n == "and"
            && last_was_scale
            && toks
                .get(k + 1)
                .is_some_and(|t| lookup(EN_UNITS, &t.norm).is_some())
        {
            last_was_scale = false;
        } else {
            break;
        }
        k += 1;
    }
    if !any {
        return None;
    }
    Some(Mention {
        start: i,
        end: k,
        value: Some(total + current),
        digits: false,
        invalid: false,
    })
}

/// The word without a leading conjunction `و` when the rest is a number word.
fn ar_strip_wa(w: &str) -> Option<&str> {
    w.strip_prefix('و').filter(|r| ar_number_word(r))
}

fn arabic_mention(toks: &[Tok], i: usize) -> Option<Mention> {
    let first = toks[i].norm.as_str();
    let first = if ar_number_word(first) || AR_INDEFINITE.contains(&first) {
        first
    } else {
        // Conjunctions and prepositions only ("وثلاثة", "بألف"), never the article
        // ("بالمئة" is "per cent", "الألف" is "the thousand").
        // Indefinite plurals take the article too: "الآلاف", "بالمئات".
        let plain = ["وب", "و", "ف", "ب", "ل"]
            .iter()
            .filter_map(|p| first.strip_prefix(p))
            .find(|f| ar_number_word(f) || AR_INDEFINITE.contains(f));
        let definite = || {
            ["وبال", "وال", "بال", "فال", "ال"]
                .iter()
                .filter_map(|p| first.strip_prefix(p))
                .find(|f| AR_INDEFINITE.contains(f))
        };
        plain.or_else(definite)?
    };
    if AR_INDEFINITE.contains(&first) {
        // عشرات / مئات / آلاف, optionally followed by الآلاف: indefinite.
        let end = if toks
            .get(i + 1)
            .is_some_and(|t| t.is("الالاف") || t.is("الملايين"))
        {
            i + 2
        } else {
            i + 1
        };
        return Some(Mention {
            start: i,
            end,
            value: None,
            digits: false,
            invalid: false,
        });
    }
    let mut total = 0f64;
    let mut current = 0f64;
    let mut k = i;
    let mut word = first;
    loop {
        if let Some(u) = lookup(AR_UNITS, word).or_else(|| lookup(AR_TEEN_UNITS, word)) {
            let teen = toks
                .get(k + 1)
                .is_some_and(|t| AR_TEN.contains(&t.norm.as_str()));
            if teen {
                current += 10.0 + u as f64;
                k += 1;
            } else if lookup(AR_UNITS, word).is_some() {
                let hundred_next = toks
                    .get(k + 1)
                    .is_some_and(|t| AR_HUNDRED.contains(&t.norm.as_str()));
                if hundred_next {
                    current += u as f64 * 100.0;
                    k += 1;
                } else {
                    current += u as f64;
                }
            } else {
                break;
            }
        } else if AR_TEN.contains(&word) {
            current += 10.0;
        } else if let Some(t) = lookup(AR_TENS, word) {
            current += t as f64;
        } else if let Some(h) = ar_hundreds(word) {
            current += h as f64;
        } else if let Some(&(_, s, n)) = AR_SCALES.iter().find(|(w, _, _)| *w == word) {
            match n {
                1 => total += current.max(1.0) * s,
                // "ألفا شخص" is 2,000; "أحد عشر ألفاً" is 11,000 (the same letters,
                // accusative after a number).
                2 if current > 0.0 => total += current * s,
                2 => total += 2.0 * s,
                _ if current > 0.0 => total += current * s,
                _ => break,
            }
            current = 0.0;
        } else {
            break;
        }
        k += 1;
        // Continue with "و" + number word, glued or separate.
        let Some(next) = toks.get(k) else { break };
        if let Some(rest) = ar_strip_wa(&next.norm) {
            word = rest;
            continue;
        }
        if next.is("و") && toks.get(k + 1).is_some_and(|t| ar_number_word(&t.norm)) {
            k += 1;
            word = toks[k].norm.as_str();
            continue;
        }
        if AR_SCALES.iter().any(|(w, _, _)| *w == next.norm) {
            word = next.norm.as_str();
            continue;
        }
        break;
    }
    if k == i {
        return None;
    }
    Some(Mention {
        start: i,
        end: k,
        value: Some(total + current),
        digits: false,
        invalid: false,
    })
}

/// Every quantity in a sentence, in order, not overlapping.
pub(crate) fn mentions(toks: &[Tok]) -> Vec<Mention> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        match mention_at(toks, i) {
            Some(m) if m.end > i => {
                i = m.end;
                out.push(m);
            }
            _ => i += 1,
        }
    }
    out
}

/// A quantity read from a whole string by [`parse_number`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quantity {
    /// The exact value, or `None` for an indefinite amount such as `dozens` or `عشرات`.
    pub value: Option<f64>,
}

/// Why a string is not a quantity.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    /// There is nothing to read.
    #[error("empty input")]
    Empty,
    /// The text does not start with a number.
    #[error("not a number: {0:?}")]
    NotANumber(String),
    /// A digit run that no convention reads (`10.03.2025`, `0933`, `1,2,3`).
    #[error("malformed digits: {0:?}")]
    Malformed(String),
    /// Text is left over after the number.
    #[error("unexpected text after the number: {0:?}")]
    Trailing(String),
}

/// Reads a whole string as one quantity: `9,372`, `١٬٤٧٦`, `1.5 million`, `15 ألف`,
/// `three hundred and twenty`, `مئة وخمسون`, `ألفا`, `dozens`.
pub fn parse_number(s: &str) -> Result<Quantity, NumberError> {
    let toks = tokenize(s, 0, s.len());
    if toks.is_empty() {
        return Err(NumberError::Empty);
    }
    let m = mention_at(&toks, 0).ok_or_else(|| NumberError::NotANumber(s.trim().to_string()))?;
    if m.invalid {
        return Err(NumberError::Malformed(s.trim().to_string()));
    }
    if let Some(rest) = toks.get(m.end) {
        return Err(NumberError::Trailing(s[rest.start..].to_string()));
    }
    Ok(Quantity { value: m.value })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn val(s: &str) -> Option<f64> {
        parse_number(s).unwrap_or_else(|e| panic!("{s}: {e}")).value
    }

    #[test]
    fn digits_in_every_convention() {
        assert_eq!(val("9,372"), Some(9372.0));
        assert_eq!(val("14.763"), Some(14763.0));
        assert_eq!(val("١٬٤٧٦"), Some(1476.0));
        assert_eq!(val("٦٠٧٨"), Some(6078.0));
        assert_eq!(val("15 000"), Some(15000.0));
        assert_eq!(val("1,234,567.5"), Some(1234567.5));
        assert_eq!(val("1.234.567,5"), Some(1234567.5));
        assert_eq!(val("٣٫٥"), Some(3.5));
        assert_eq!(val("١٫٤٧٦"), Some(1476.0));
        assert_eq!(val("١٫٤٧٦ مليون"), Some(1_476_000.0));
        assert_eq!(val("1،476"), Some(1476.0));
        assert_eq!(val("2.5"), Some(2.5));
        assert!(matches!(
            parse_number("10.03.2025"),
            Err(NumberError::Malformed(_))
        ));
        assert!(matches!(
            parse_number("0933"),
            Err(NumberError::Malformed(_))
        ));
    }

    #[test]
    fn scales_and_words() {
        assert_eq!(val("1.5 million"), Some(1_500_000.0));
        assert_eq!(val("1.476 million"), Some(1_476_000.0));
        assert_eq!(val("30k"), Some(30_000.0));
        assert_eq!(val("15 ألف"), Some(15_000.0));
        assert_eq!(val("9 آلاف"), Some(9_000.0));
        assert_eq!(val("three hundred"), Some(300.0));
        assert_eq!(
            val("three hundred and twenty-five thousand"),
            Some(325_000.0)
        );
        assert_eq!(val("a thousand"), Some(1000.0));
        assert_eq!(val("two dozen"), Some(24.0));
        assert_eq!(val("half a million"), Some(500_000.0));
        assert_eq!(val("dozens"), None);
        assert_eq!(val("tens of thousands"), None);
        assert_eq!(val("بالآلاف"), None);
        assert!(parse_number("بالمئة").is_err());
        assert_eq!(val("ألف"), Some(1000.0));
        assert_eq!(val("ألفا"), Some(2000.0));
        assert_eq!(val("أحد عشر ألفاً"), Some(11_000.0));
        assert_eq!(val("مليونا"), Some(2_000_000.0));
        assert_eq!(val("مئتا"), Some(200.0));
        assert_eq!(val("ثلاثمئة"), Some(300.0));
        assert_eq!(val("ثلاث مئة"), Some(300.0));
        assert_eq!(val("مئة وخمسون"), Some(150.0));
        assert_eq!(val("خمسة وعشرون"), Some(25.0));
        assert_eq!(val("أحد عشر"), Some(11.0));
        assert_eq!(val("ألف وأربعمئة"), Some(1400.0));
        assert_eq!(val("ثلاثة آلاف وخمسمائة"), Some(3500.0));
    }
}
