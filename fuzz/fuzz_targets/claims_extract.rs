//! Figure claims from report text (English and Arabic), and the quantity parser alone.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sijill_claims::{Options, extract, parse_number};
use std::sync::OnceLock;

fuzz_target!(|data: &[u8]| {
    static OPTS: OnceLock<Options> = OnceLock::new();
    let opts = OPTS.get_or_init(Options::default);
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for c in extract(text, opts) {
        // A range never runs backwards and the quote is taken from the text.
        if let (Some(lo), Some(hi)) = (c.low, c.high) {
            assert!(lo <= hi, "range {lo}..{hi}");
        }
        // The CLI's JSON record is always written.
        serde_json::to_string(&c).expect("a claim serialises");
    }
    let _ = parse_number(text);
});
