//! Every date, age, year and sex parser that reads what a person typed: victim lists
//! (day or month first), claim as-of dates, relief forms, documentation days.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sijill_linkage::DayMonth;
use sijill_linkage::parse::{
    date_is_ambiguous, date_order_hint, parse_age, parse_date, parse_sex, parse_year,
};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let _ = date_order_hint(s);
    let _ = date_is_ambiguous(s);
    for order in [DayMonth::DayFirst, DayMonth::MonthFirst] {
        if let Ok(d) = parse_date(s, order) {
            let _ = d.year();
            let _ = d.days();
        }
    }
    if let Ok(a) = parse_age(s) {
        assert!(a <= 120, "age {a}");
    }
    if let Ok(y) = parse_year(s) {
        assert!((1880..=2100).contains(&y), "year {y}");
    }
    let _ = parse_sex(s);
    if let Ok(d) = sijill_claims::Date::parse_iso(s) {
        assert!((1..=12).contains(&d.month()));
    }
    if let Some(d) = sijill_server::respond::parse_date(s) {
        assert_eq!(sijill_server::respond::parse_date(&d.to_string()), Some(d));
    }
    let _ = sijill_store::document_types::Day::parse(s);
});
