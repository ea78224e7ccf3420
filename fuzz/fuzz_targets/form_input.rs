//! What the server parses from form fields and query strings: the urlencoded body into
//! pairs, then every value through the field parsers of the pages (counts in any digits,
//! areas by p-code or name, usernames, item and campaign ids, import mappings) and the
//! upload sniffer on the raw bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sijill_model::geo::{Gazetteer, PCode};
use sijill_server::respond::words::parse_count;
use std::sync::OnceLock;

fuzz_target!(|data: &[u8]| {
    static GEO: OnceLock<Gazetteer> = OnceLock::new();
    let geo = GEO.get_or_init(Gazetteer::builtin);
    let _ = sijill_server::document::sniff(data);
    let Ok(pairs) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(data) else {
        return;
    };
    for (k, v) in pairs.iter().take(16) {
        let _ = parse_count(v);
        if let Some(p) = sijill_server::respond::resolve_area(geo, v) {
            assert!(PCode::parse(&p).is_ok(), "a resolved area is a p-code");
        }
        let _ = PCode::parse(v);
        if v.chars().count() <= 200 {
            let _ = geo.lookup(v);
        }
        let _ = sijill_model::account::Username::parse(v);
        let _ = v.parse::<uuid::Uuid>();
        let _ = sijill_server::respond::import::parse_mapping(v);
        let _ = sijill_server::reconcile::parse_mapping_lines(v);
        let _ = sijill_server::respond::import::field_name(k);
        let _ = sijill_server::respond::import::is_forbidden(k);
        let _ = sijill_server::reconcile::import::is_forbidden(k);
    }
});
