//! KoboToolbox/ODK import of distributions and households: the table reader (CSV with
//! comma or semicolon, XLSX) and both row checks, with a `field=column` mapping taken
//! from the input before its first NUL byte.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sijill_model::geo::Gazetteer;
use sijill_server::respond::import::{
    check_distributions, check_households, is_forbidden, parse_mapping, read_table,
};
use sijill_store::Item;
use std::sync::OnceLock;

fn fixtures() -> &'static (Gazetteer, Vec<Item>) {
    static F: OnceLock<(Gazetteer, Vec<Item>)> = OnceLock::new();
    F.get_or_init(|| {
        let item = |code: &str, en: &str, ar: &str, cash: bool| Item {
            id: uuid::Uuid::now_v7(),
            code: code.into(),
            name_en: en.into(),
            name_ar: ar.into(),
            unit_en: "unit".into(),
            unit_ar: "وحدة".into(),
            is_cash: cash,
        };
        (
            Gazetteer::builtin(),
            vec![
                item("food-basket", "Food basket", "سلة غذائية", false),
                item("cash", "Cash", "نقد", true),
            ],
        )
    })
}

fuzz_target!(|data: &[u8]| {
    let (geo, items) = fixtures();
    let (mapping, file) = match data.iter().position(|&b| b == 0) {
        Some(i) => (
            parse_mapping(&String::from_utf8_lossy(&data[..i])),
            &data[i + 1..],
        ),
        None => (Vec::new(), data),
    };
    let Ok(table) = read_table(file) else { return };
    let d = check_distributions(&table, &mapping, geo, items, None);
    let h = check_households(&table, &mapping, geo);
    for used in d.used.iter().chain(&h.used) {
        assert!(!is_forbidden(&used.1), "a forbidden column was read");
    }
    assert!(d.rows.len() <= table.rows.len());
    assert!(h.rows.len() <= table.rows.len());
    for r in &h.rows {
        assert!(r.size > 0);
        assert!(r.females.saturating_add(r.males) <= r.size);
    }
});
