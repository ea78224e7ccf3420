//! Property tests: the number parser and the extractor never panic on any text, and
//! formatted numbers (any digits, any thousands convention, English and Arabic words)
//! read back to the number they were formatted from.

use proptest::prelude::*;
use sijill_claims::{Options, extract, parse_number};

/// Writes `n` with `sep` between groups of three digits, in the digit set starting at `zero`.
fn grouped(n: u64, sep: &str, zero: char) -> String {
    let plain = n.to_string();
    let mut out = String::new();
    for (i, c) in plain.chars().enumerate() {
        if i > 0 && (plain.len() - i) % 3 == 0 {
            out.push_str(sep);
        }
        let d = c.to_digit(10).unwrap_or(0);
        out.push(char::from_u32(zero as u32 + d).unwrap_or(c));
    }
    out
}

const EN_SMALL: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const EN_TENS: [&str; 10] = [
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

fn en_below_1000(n: u64) -> String {
    let (h, r) = (n / 100, n % 100);
    let mut parts = Vec::new();
    if h > 0 {
        parts.push(format!("{} hundred", EN_SMALL[h as usize]));
    }
    if r > 0 {
        let words = if r < 20 {
            EN_SMALL[r as usize].to_string()
        } else if r % 10 == 0 {
            EN_TENS[(r / 10) as usize].to_string()
        } else {
            format!(
                "{}-{}",
                EN_TENS[(r / 10) as usize],
                EN_SMALL[(r % 10) as usize]
            )
        };
        parts.push(words);
    }
    parts.join(" and ")
}

/// English words for 1 ≤ n < 10⁹.
fn english(n: u64) -> String {
    let (m, t, r) = (n / 1_000_000, (n / 1000) % 1000, n % 1000);
    let mut parts = Vec::new();
    if m > 0 {
        parts.push(format!("{} million", en_below_1000(m)));
    }
    if t > 0 {
        parts.push(format!("{} thousand", en_below_1000(t)));
    }
    if r > 0 {
        parts.push(en_below_1000(r));
    }
    parts.join(" ")
}

const AR_UNITS: [&str; 11] = [
    "",
    "واحد",
    "اثنان",
    "ثلاثة",
    "أربعة",
    "خمسة",
    "ستة",
    "سبعة",
    "ثمانية",
    "تسعة",
    "عشرة",
];
const AR_TENS: [&str; 10] = [
    "",
    "",
    "عشرون",
    "ثلاثون",
    "أربعون",
    "خمسون",
    "ستون",
    "سبعون",
    "ثمانون",
    "تسعون",
];
const AR_HUNDREDS: [&str; 10] = [
    "",
    "مئة",
    "مئتان",
    "ثلاثمئة",
    "أربعمائة",
    "خمسمئة",
    "ستمائة",
    "سبعمئة",
    "ثمانمائة",
    "تسعمئة",
];

fn ar_below_1000(n: u64) -> String {
    let (h, r) = (n / 100, n % 100);
    let mut parts = Vec::new();
    if h > 0 {
        parts.push(AR_HUNDREDS[h as usize].to_string());
    }
    if r > 0 {
        let words = match r {
            1..=10 => AR_UNITS[r as usize].to_string(),
            11 => "أحد عشر".to_string(),
            12 => "اثنا عشر".to_string(),
            13..=19 => format!("{} عشر", AR_UNITS[(r % 10) as usize]),
            _ if r % 10 == 0 => AR_TENS[(r / 10) as usize].to_string(),
            _ => format!(
                "{} و{}",
                AR_UNITS[(r % 10) as usize],
                AR_TENS[(r / 10) as usize]
            ),
        };
        parts.push(words);
    }
    parts.join(" و")
}

/// Arabic words for 1 ≤ n < 10⁶, with the dual and plural forms of ألف.
fn arabic(n: u64) -> String {
    let (t, r) = (n / 1000, n % 1000);
    let mut parts = Vec::new();
    match t {
        0 => {}
        1 => parts.push("ألف".to_string()),
        2 => parts.push("ألفان".to_string()),
        3..=10 => parts.push(format!("{} آلاف", AR_UNITS[t as usize])),
        11..=99 => parts.push(format!("{} ألفاً", ar_below_1000(t))),
        _ => parts.push(format!("{} ألف", ar_below_1000(t))),
    }
    if r > 0 {
        parts.push(ar_below_1000(r));
    }
    parts.join(" و")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn parse_number_never_panics(s in "\\PC{0,40}") {
        let _ = parse_number(&s);
    }

    #[test]
    fn parse_number_never_panics_on_number_like_text(
        s in "[0-9٠-٩۰-۹,.٬٫ \u{a0}'+%/:-]{0,24}( ?(million|thousand|ألف|آلاف|مليون|k))?"
    ) {
        let _ = parse_number(&s);
    }

    #[test]
    fn extract_never_panics_and_spans_lie_in_the_text(
        s in "([0-9٠-٩,.٬ ]{1,9}|[a-zA-Z]{1,9}|[ء-ي]{1,7}|[\\[\\]().,;:!?؟،%+~\n-]| ){0,40}"
    ) {
        for c in extract(&s, &Options::default()) {
            prop_assert!(c.span.0 < c.span.1 && c.span.1 <= s.len());
            prop_assert!(s.is_char_boundary(c.span.0) && s.is_char_boundary(c.span.1));
            prop_assert!(!c.quote.is_empty());
            prop_assert!(c.value.is_some() || c.low.is_some() || c.qualifier.is_some());
        }
    }

    #[test]
    fn extract_never_panics_on_any_text(s in "\\PC{0,200}") {
        let _ = extract(&s, &Options::default());
    }

    #[test]
    fn grouped_digits_read_back(
        n in 0u64..1_000_000_000_000_000,
        sep in prop::sample::select(vec![",", "٬", " ", "\u{a0}", "\u{202f}", ".", "'", ""]),
        zero in prop::sample::select(vec!['0', '\u{660}', '\u{6f0}']),
    ) {
        let s = grouped(n, sep, zero);
        prop_assert_eq!(parse_number(&s).map(|q| q.value), Ok(Some(n as f64)), "{}", s);
    }

    #[test]
    fn decimals_with_a_scale_read_back(
        whole in 0u64..1000,
        tenth in 0u64..10,
        mark in prop::sample::select(vec![".", "٫"]),
        scale in prop::sample::select(vec![("million", 1_000_000u64), ("thousand", 1000), ("مليون", 1_000_000), ("ألف", 1000)]),
    ) {
        let s = format!("{whole}{mark}{tenth} {}", scale.0);
        let want = whole * scale.1 + tenth * scale.1 / 10;
        prop_assert_eq!(parse_number(&s).map(|q| q.value), Ok(Some(want as f64)), "{}", s);
    }

    #[test]
    fn english_words_read_back(n in 1u64..1_000_000_000) {
        let s = english(n);
        prop_assert_eq!(parse_number(&s).map(|q| q.value), Ok(Some(n as f64)), "{}", s);
    }

    #[test]
    fn arabic_words_read_back(n in 1u64..1_000_000) {
        let s = arabic(n);
        prop_assert_eq!(parse_number(&s).map(|q| q.value), Ok(Some(n as f64)), "{}", s);
    }
}
