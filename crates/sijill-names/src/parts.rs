//! From a written name to name tokens (articles dropped, compounds joined) and to the
//! parts of an Arabic name chain: given name, father's, grandfather's and family name.

use crate::key::{Key, abd_key, compound_key, din_key, word_key};

/// One name of a chain (a given name, a father's name …) after folding.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NameToken {
    /// The folded spelling without the article; compounds are joined without a space
    /// (`abd al-rahman` → `abdrahman`).
    pub form: String,
    /// The script-independent key (see [`crate::key`]).
    pub key: Key,
}

/// The parts of a name chain; each is absent when the list did not record it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NameParts {
    /// The person's own name (ism).
    pub given: Option<NameToken>,
    /// The father's given name.
    pub father: Option<NameToken>,
    /// The grandfather's given name.
    pub grandfather: Option<NameToken>,
    /// The family name.
    pub family: Option<NameToken>,
}

fn is_nasab_marker(w: &str) -> bool {
    matches!(
        w,
        "bin" | "ibn" | "ben" | "bint" | "bnt" | "بن" | "ابن" | "بنت"
    )
}

fn is_abd(w: &str) -> bool {
    matches!(
        w,
        "abd" | "abdul" | "abdel" | "abdal" | "abdol" | "abdil" | "abdu" | "abdoul" | "عبد"
    )
}

fn is_kunya_head(w: &str) -> bool {
    matches!(
        w,
        "abu" | "abou" | "abo" | "ابو" | "umm" | "um" | "om" | "omm" | "ام"
    )
}

fn is_din(w: &str) -> bool {
    matches!(
        w,
        "din"
            | "deen"
            | "dine"
            | "eddin"
            | "eddine"
            | "uddin"
            | "iddin"
            | "addin"
            | "aldin"
            | "eldin"
            | "eddeen"
            | "دين"
            | "الدين"
    )
}

/// The article as a word of its own: `al`, `el`, `ul`, `il`, or an assimilated form
/// (`ar-Rahman`, `as-Sayed`) whose consonant starts the next word.
fn is_article(w: &str, next: Option<&str>) -> bool {
    if matches!(w, "al" | "el" | "ul" | "il" | "ال") {
        return next.is_some();
    }
    let b = w.as_bytes();
    if b.len() == 2 && matches!(b[0], b'a' | b'e' | b'u') && b"rstdnz".contains(&b[1]) {
        return next.is_some_and(|n| n.as_bytes().first() == Some(&b[1]));
    }
    if matches!(w, "ash" | "esh" | "ath" | "eth" | "adh") {
        return next.is_some_and(|n| n.starts_with(&w[1..]));
    }
    false
}

/// Strips an attached article (`alhasan`, `elkhatib`, `الحسن`) when at least two key
/// letters remain, so that `Alaa` and `Ali` keep their first letters.
fn strip_attached_article(w: &str) -> &str {
    for art in ["al", "el", "ال"] {
        if let Some(rest) = w.strip_prefix(art)
            && word_key(rest).as_str().trim_start_matches('A').len() >= 2
        {
            return rest;
        }
    }
    w
}

fn abbreviation(w: &str) -> &str {
    match w {
        "mhd" | "mohd" | "muhd" | "mhmd" | "mohmd" | "mouhd" | "مح" => "mohammad",
        other => other,
    }
}

/// The name tokens of a written name (any script, folded or not).
///
/// `bin`/`ibn`/`بن` are dropped; articles are dropped; `Abd X`, `Abu X`, `Umm X` and
/// `X al-Din` become one token each; `Mhd`/`Mohd` read as Mohammad.
pub fn name_tokens(s: &str) -> Vec<NameToken> {
    let folded = crate::fold(s);
    let words: Vec<&str> = folded
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(abbreviation)
        .collect();
    let mut clean: Vec<&str> = Vec::with_capacity(words.len());
    for (i, w) in words.iter().enumerate() {
        if is_nasab_marker(w) && i > 0 {
            continue;
        }
        if is_article(w, words.get(i + 1).copied()) {
            continue;
        }
        clean.push(if is_abd(w) || is_kunya_head(w) {
            w
        } else {
            strip_attached_article(w)
        });
    }
    let mut out: Vec<NameToken> = Vec::with_capacity(clean.len());
    let mut i = 0;
    while i < clean.len() {
        let w = clean[i];
        if (is_abd(w) || is_kunya_head(w)) && i + 1 < clean.len() && !is_din(clean[i + 1]) {
            let head = if is_abd(w) { abd_key() } else { word_key(w) };
            let tail = word_key(clean[i + 1]);
            let form_head = if is_abd(w) && w.is_ascii() { "abd" } else { w };
            out.push(NameToken {
                form: format!("{form_head}{}", clean[i + 1]),
                key: compound_key(&[head, tail]),
            });
            i += 2;
            continue;
        }
        if is_din(w)
            && let Some(prev) = out.last_mut()
        {
            prev.form.push_str("din");
            prev.key = compound_key(&[prev.key.clone(), din_key()]);
            i += 1;
            continue;
        }
        out.push(NameToken {
            form: w.to_string(),
            key: compound_key(&[word_key(w)]),
        });
        i += 1;
    }
    out.retain(|t| !t.form.is_empty());
    out
}

/// Splits a full name into the parts of the chain by position: one token is a given
/// name; two are given and family; three are given, father and family; four or more are
/// given, father, grandfather and (last) family, any further middle names being dropped.
pub fn split_full_name(s: &str) -> NameParts {
    let mut t = name_tokens(s);
    let n = t.len();
    let mut parts = NameParts::default();
    match n {
        0 => {}
        1 => parts.given = t.pop(),
        2 => {
            parts.family = t.pop();
            parts.given = t.pop();
        }
        3 => {
            parts.family = t.pop();
            parts.father = t.pop();
            parts.given = t.pop();
        }
        _ => {
            parts.family = t.pop();
            let mut it = t.into_iter();
            parts.given = it.next();
            parts.father = it.next();
            parts.grandfather = it.next();
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms(s: &str) -> Vec<String> {
        name_tokens(s).into_iter().map(|t| t.form).collect()
    }

    #[test]
    fn compounds_and_articles() {
        assert_eq!(
            forms("Abd al-Rahman bin Ali Al-Hasan"),
            ["abdrahman", "ali", "hasan"]
        );
        assert_eq!(forms("عبد الرحمن بن علي الحسن"), ["عبدرحمن", "علي", "حسن"]);
        assert_eq!(forms("Nour al-Din Mhd"), ["nourdin", "mohammad"]);
        assert_eq!(forms("Abu Bakr"), ["abubakr"]);
        assert_eq!(forms("Alaa Alhassan"), ["alaa", "hassan"]);
        assert_eq!(forms("Abd ar-Rahman"), ["abdrahman"]);
    }

    #[test]
    fn compound_keys_agree() {
        let k = |s: &str| name_tokens(s)[0].key.clone();
        assert!(k("Abd al-Rahman").compatible(&k("عبد الرحمن")));
        assert!(k("Abdel Rahman").compatible(&k("Abdulrahman")));
        assert!(k("Nour al-Din").compatible(&k("Nureddin")));
        assert!(k("نور الدين").compatible(&k("Nour Eddine")));
    }

    #[test]
    fn chains_split_by_position() {
        let p = split_full_name("محمد علي حسن الخطيب");
        assert_eq!(p.given.map(|t| t.form).as_deref(), Some("محمد"));
        assert_eq!(p.father.map(|t| t.form).as_deref(), Some("علي"));
        assert_eq!(p.grandfather.map(|t| t.form).as_deref(), Some("حسن"));
        assert_eq!(p.family.map(|t| t.form).as_deref(), Some("خطيب"));
        let p = split_full_name("Mohammad Al-Hasan");
        assert_eq!(p.given.map(|t| t.form).as_deref(), Some("mohammad"));
        assert_eq!(p.family.map(|t| t.form).as_deref(), Some("hasan"));
        assert!(p.father.is_none());
    }
}
