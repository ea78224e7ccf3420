//! The capture-history table of `sijill estimate`, with and without a stratum column.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sijill_mse::input::{HistoryTable, parse_histories};

fuzz_target!(|data: &[u8]| {
    for strata in [None, Some("stratum")] {
        match parse_histories(data, strata) {
            Ok(HistoryTable::Single(h)) => check(&h),
            Ok(HistoryTable::Strata(s)) => s.iter().for_each(|(_, h)| check(h)),
            Err(e) => {
                let _ = e.in_file("h.csv");
            }
        }
    }
});

fn check(h: &sijill_mse::Histories) {
    // Every list total is at most the number observed, and observed is their union.
    let totals = h.list_totals();
    assert_eq!(totals.len(), h.t());
    for t in totals {
        assert!(t <= h.observed());
    }
    assert!(
        h.cells().iter().all(|&(m, _)| m != 0),
        "an all-zero pattern"
    );
}
