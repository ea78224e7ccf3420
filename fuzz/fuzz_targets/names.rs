//! The name fold, transliteration keys, tokens, full-name splitting and comparators.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sijill_names::{
    damerau_levenshtein, fold, jaro_winkler, key, name_tokens, similarity, split_full_name,
};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (a, b) = text.split_at(
        text.char_indices()
            .nth(text.chars().count() / 2)
            .map_or(text.len(), |(i, _)| i),
    );
    let f = fold(text);
    assert_eq!(fold(&f), f, "the fold is idempotent");
    let _ = key(text);
    let ka = key(a);
    let kb = key(b);
    assert_eq!(
        ka.compatible(&kb),
        kb.compatible(&ka),
        "compatibility is symmetric"
    );
    let ta = name_tokens(a);
    let tb = name_tokens(b);
    for x in &ta {
        for y in &tb {
            let _ = similarity(x, y);
        }
    }
    let _ = split_full_name(text);
    let jw = jaro_winkler(a, b);
    assert!((0.0..=1.0).contains(&jw), "jaro-winkler {jw}");
    assert_eq!(damerau_levenshtein(a, b), damerau_levenshtein(b, a));
});
