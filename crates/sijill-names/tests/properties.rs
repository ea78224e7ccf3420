//! Property tests of the fold, the keys and the comparators on arbitrary text, Arabic
//! and Latin alike.

use proptest::prelude::*;
use sijill_names::{damerau_levenshtein, fold, jaro_winkler, key, name_tokens};

fn name_like() -> impl Strategy<Value = String> {
    prop_oneof![
        "[\\u0621-\\u064A\\u064B-\\u0652\\u0640 ]{0,24}",
        "[A-Za-zéāḥ'\\- ]{0,24}",
        any::<String>(),
    ]
}

/// Inputs the random search once found, kept so they are tried on every run.
#[test]
fn found_inputs_fold_cleanly() {
    // U+1F150 NEGATIVE CIRCLED LATIN CAPITAL LETTER A: upper-case, with no lower-case form.
    for s in ["\u{1F150}", "a \u{1F150} b", "\u{1F150}\u{1F151}x"] {
        let f = fold(s);
        assert!(!f.chars().any(char::is_uppercase), "{s:?} folds to {f:?}");
        assert!(
            !f.starts_with(' ') && !f.ends_with(' ') && !f.contains("  "),
            "{f:?}"
        );
        assert_eq!(fold(&f), f);
    }
    assert_eq!(fold("a \u{1F150} b"), "a b");
}

proptest! {
    #[test]
    fn fold_is_idempotent(s in name_like()) {
        let f = fold(&s);
        prop_assert_eq!(fold(&f), f);
    }

    #[test]
    fn fold_leaves_no_marks_tatweel_or_double_spaces(s in name_like()) {
        let f = fold(&s);
        prop_assert!(!f.contains("  ") && !f.starts_with(' ') && !f.ends_with(' '));
        let marked = f.chars().any(|c| matches!(c, '\u{064B}'..='\u{065F}' | '\u{0640}' | '\u{0670}'));
        prop_assert!(!marked, "marks left in {:?}", f);
        prop_assert!(!f.chars().any(|c| c.is_uppercase()), "upper case left in {:?}", f);
    }

    #[test]
    fn keys_are_ascii_and_fold_invariant(s in name_like()) {
        let k = key(&s);
        prop_assert!(k.as_str().bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()));
        prop_assert_eq!(key(&fold(&s)), k);
    }

    #[test]
    fn compatibility_is_symmetric_and_reflexive(a in name_like(), b in name_like()) {
        let (ka, kb) = (key(&a), key(&b));
        prop_assert!(ka.compatible(&ka));
        prop_assert_eq!(ka.compatible(&kb), kb.compatible(&ka));
    }

    #[test]
    fn tokens_never_empty_and_stable(s in name_like()) {
        let t = name_tokens(&s);
        prop_assert!(t.iter().all(|x| !x.form.is_empty()));
        prop_assert_eq!(name_tokens(&fold(&s)), t);
    }

    #[test]
    fn comparators_are_bounded_and_symmetric(a in name_like(), b in name_like()) {
        let j = jaro_winkler(&a, &b);
        prop_assert!((0.0..=1.0).contains(&j));
        prop_assert!((j - jaro_winkler(&b, &a)).abs() < 1e-12);
        prop_assert_eq!(damerau_levenshtein(&a, &b), damerau_levenshtein(&b, &a));
        prop_assert_eq!(damerau_levenshtein(&a, &a), 0);
    }
}
