//! Victim-list import (CSV text, or a workbook when the bytes say so) with the headers
//! guessed, and again with a mapping read from the input's first line.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sijill_server::reconcile::import::parse;
use sijill_server::reconcile::parse_mapping_lines;

fuzz_target!(|data: &[u8]| {
    if let Ok(p) = parse(data, None) {
        check(&p);
    }
    // `column=field;column=field` on the first line, the file after it.
    if let Some(cut) = data.iter().position(|&b| b == b'\n') {
        let (head, file) = data.split_at(cut);
        let text = String::from_utf8_lossy(head).replace(';', "\n");
        if let Some(m) = parse_mapping_lines(&text) {
            if let Ok(p) = parse(&file[1..], Some(&m)) {
                check(&p);
            }
        }
    }
});

fn check(p: &sijill_server::reconcile::import::Parsed) {
    // Every reported problem points at a data line, never at the header or before it.
    for e in &p.errors {
        assert!(e.line >= 2, "an error on line {}", e.line);
    }
    // A dropped column is never mapped to a field.
    for d in &p.dropped {
        assert!(!p.mapping.contains_key(d), "dropped column mapped");
    }
}
