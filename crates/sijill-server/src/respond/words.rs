//! Numbers and counted nouns in the words a coordinator would use, in both languages.
//!
//! English counts are "1 food basket", "1,000 food baskets". Arabic digits are written
//! Arabic-Indic with the Arabic thousands separator (١٬٠٠٠), and the counted noun agrees
//! with the number as Arabic grammar wants: 1 takes the singular alone, 2 the dual (without
//! the number), 3–10 the plural, 11–99 the accusative singular, and a round hundred or
//! thousand the genitive singular (١٬٠٠٠ سلة غذائية). Only the last two digits decide,
//! so ١٠٣ takes the plural and ١٥٬٠١٥ the accusative. The forms come from the string
//! catalogue as `singular|dual|plural|accusative` (English `singular|plural`).

use crate::i18n::Lang;

/// Writes `n` with thousands separators in the digits of `lang`.
pub fn number(lang: Lang, n: u64) -> String {
    let plain = n.to_string();
    let mut out = String::new();
    for (i, c) in plain.chars().enumerate() {
        if i > 0 && (plain.len() - i) % 3 == 0 {
            out.push(if lang == Lang::Ar { '٬' } else { ',' });
        }
        out.push(match lang {
            Lang::Ar => char::from_u32(0x0660 + c.to_digit(10).unwrap_or(0)).unwrap_or(c),
            Lang::En => c,
        });
    }
    out
}

/// Parses a count typed with ASCII, Arabic-Indic or Persian digits (and thousands
/// separators); `None` for anything else.
pub fn parse_count(s: &str) -> Option<u64> {
    let mut digits = String::new();
    for c in s.trim().chars() {
        match c {
            '0'..='9' => digits.push(c),
            '٠'..='٩' => digits.push(char::from(b'0' + (c as u32 - 0x0660) as u8)),
            '۰'..='۹' => digits.push(char::from(b'0' + (c as u32 - 0x06F0) as u8)),
            ',' | '٬' | '.' | ' ' | '\u{a0}' => {}
            _ => return None,
        }
    }
    if digits.is_empty() {
        return None;
    }
    digits.parse().ok()
}

/// `n` followed by the counted noun in the right form; `forms` is the catalogue text
/// (`singular|plural` in English, `singular|dual|plural|accusative` in Arabic).
pub fn counted(lang: Lang, n: u64, forms: &str) -> String {
    let f: Vec<&str> = forms.split('|').collect();
    let form = |i: usize| f.get(i).or(f.last()).copied().unwrap_or("");
    match lang {
        Lang::En => {
            let noun = if n == 1 { form(0) } else { form(1) };
            format!("{} {noun}", number(lang, n))
        }
        Lang::Ar => {
            let tail = n % 100;
            match (n, tail) {
                (1, _) => form(0).to_owned(),
                (2, _) => form(1).to_owned(),
                (_, 3..=10) => format!("{} {}", number(lang, n), form(2)),
                (_, 11..=99) => format!("{} {}", number(lang, n), form(3)),
                _ => format!("{} {}", number(lang, n), form(0)),
            }
        }
    }
}

/// Joins the parts of a summary: "a, b, c" in English, "أ، وب، وج" in Arabic.
pub fn join(lang: Lang, parts: &[String]) -> String {
    match lang {
        Lang::En => parts.join(", "),
        Lang::Ar => {
            let mut out = String::new();
            for (i, p) in parts.iter().enumerate() {
                if i > 0 {
                    out.push_str("، و");
                }
                out.push_str(p);
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASKET_AR: &str = "سلة غذائية|سلتان غذائيتان|سلال غذائية|سلةً غذائية";

    #[test]
    fn digits_and_separators() {
        assert_eq!(number(Lang::En, 0), "0");
        assert_eq!(number(Lang::En, 999), "999");
        assert_eq!(number(Lang::En, 1000), "1,000");
        assert_eq!(number(Lang::En, 1_234_567), "1,234,567");
        assert_eq!(number(Lang::Ar, 15000), "١٥٬٠٠٠");
        assert_eq!(number(Lang::Ar, 350), "٣٥٠");
    }

    #[test]
    fn typed_counts_in_any_digits() {
        assert_eq!(parse_count("1,000"), Some(1000));
        assert_eq!(parse_count("١٥٬٠٠٠"), Some(15000));
        assert_eq!(parse_count("۳۵۰"), Some(350));
        assert_eq!(parse_count(" 42 "), Some(42));
        assert_eq!(parse_count(""), None);
        assert_eq!(parse_count("-3"), None);
        assert_eq!(parse_count("12a"), None);
    }

    #[test]
    fn arabic_agreement_follows_the_last_two_digits() {
        assert_eq!(counted(Lang::Ar, 1, BASKET_AR), "سلة غذائية");
        assert_eq!(counted(Lang::Ar, 2, BASKET_AR), "سلتان غذائيتان");
        assert_eq!(counted(Lang::Ar, 7, BASKET_AR), "٧ سلال غذائية");
        assert_eq!(counted(Lang::Ar, 10, BASKET_AR), "١٠ سلال غذائية");
        assert_eq!(counted(Lang::Ar, 15, BASKET_AR), "١٥ سلةً غذائية");
        assert_eq!(counted(Lang::Ar, 99, BASKET_AR), "٩٩ سلةً غذائية");
        assert_eq!(counted(Lang::Ar, 100, BASKET_AR), "١٠٠ سلة غذائية");
        assert_eq!(counted(Lang::Ar, 1000, BASKET_AR), "١٬٠٠٠ سلة غذائية");
        assert_eq!(counted(Lang::Ar, 103, BASKET_AR), "١٠٣ سلال غذائية");
        assert_eq!(counted(Lang::Ar, 1015, BASKET_AR), "١٬٠١٥ سلةً غذائية");
        assert_eq!(
            counted(Lang::En, 1, "food basket|food baskets"),
            "1 food basket"
        );
        assert_eq!(
            counted(Lang::En, 1000, "food basket|food baskets"),
            "1,000 food baskets"
        );
    }

    #[test]
    fn joins() {
        let p = vec!["a".to_string(), "b".to_string(), "c".to_string()];
        assert_eq!(join(Lang::En, &p), "a, b, c");
        assert_eq!(join(Lang::Ar, &p), "a، وb، وc");
    }
}
