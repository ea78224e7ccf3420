//! String comparators on characters (never UTF-8 bytes) and the graded similarity of two
//! name tokens that the linkage engine turns into comparison levels.

use crate::parts::NameToken;

/// Jaro–Winkler similarity of two strings, by characters (0 = nothing alike, 1 = equal).
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    strsim::jaro_winkler(a, b)
}

/// Damerau–Levenshtein distance of two strings (optimal string alignment), by characters.
pub fn damerau_levenshtein(a: &str, b: &str) -> usize {
    strsim::osa_distance(a, b)
}

/// How alike two name tokens are, from strongest to weakest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Similarity {
    /// The same folded spelling.
    Exact,
    /// Different spellings of one name (compatible keys: Mohammad / محمد / Mhd).
    Key,
    /// Close: Jaro–Winkler ≥ 0.92 on the spellings (same script) or on the keys, or one
    /// edit apart on keys of four or more letters.
    Close,
    /// Somewhat alike: Jaro–Winkler ≥ 0.80 on the spellings or keys.
    Near,
    /// Different names.
    Different,
}

/// The graded similarity of two name tokens.
pub fn similarity(a: &NameToken, b: &NameToken) -> Similarity {
    if a.form == b.form {
        return Similarity::Exact;
    }
    if a.key.compatible(&b.key) && !a.key.is_empty() {
        return Similarity::Key;
    }
    let same_script =
        a.form.chars().any(crate::is_arabic_letter) == b.form.chars().any(crate::is_arabic_letter);
    let jf = if same_script {
        jaro_winkler(&a.form, &b.form)
    } else {
        0.0
    };
    let (ka, kb) = (a.key.as_str(), b.key.as_str());
    let jk = if ka.is_empty() || kb.is_empty() {
        0.0
    } else {
        jaro_winkler(ka, kb)
    };
    let best = jf.max(jk);
    if best >= 0.92 || (ka.len() >= 4 && kb.len() >= 4 && damerau_levenshtein(ka, kb) <= 1) {
        Similarity::Close
    } else if best >= 0.80 {
        Similarity::Near
    } else {
        Similarity::Different
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::name_tokens;

    fn sim(a: &str, b: &str) -> Similarity {
        similarity(&name_tokens(a)[0], &name_tokens(b)[0])
    }

    #[test]
    fn characters_not_bytes() {
        // On UTF-8 bytes these two share their second byte everywhere and score 0.667.
        assert!((jaro_winkler("محمد", "خالد") - 0.5).abs() < 1e-9);
        assert_eq!(damerau_levenshtein("محمد", "مجمد"), 1);
    }

    #[test]
    fn graded() {
        assert_eq!(sim("Mohammad", "mohammad"), Similarity::Exact);
        assert_eq!(sim("Mohammad", "محمد"), Similarity::Key);
        assert_eq!(sim("Mhd", "Muhammad"), Similarity::Key);
        assert_eq!(sim("Mohammad", "Mahmoud"), Similarity::Close);
        assert_eq!(sim("Khaled", "Samer"), Similarity::Different);
    }
}
