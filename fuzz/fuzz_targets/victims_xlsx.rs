//! The workbook reader of the victim-list import on bytes that always look like a ZIP
//! (XLSX/ODS) or an OLE file (XLS), so the fuzzer spends its time inside the workbook
//! readers rather than the CSV path.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sijill_server::reconcile::import::{parse, read_table};

fuzz_target!(|data: &[u8]| {
    let zip = with_magic(b"PK\x03\x04", data);
    let _ = read_table(&zip);
    let _ = parse(&zip, None);
    let ole = with_magic(&[0xD0, 0xCF, 0x11, 0xE0], data);
    let _ = read_table(&ole);
    // The relief importer reads XLSX through its own path.
    let _ = sijill_server::respond::import::read_table(&zip);
});

/// The input itself when it starts with `magic`, else `magic` followed by it.
fn with_magic(magic: &[u8], data: &[u8]) -> Vec<u8> {
    if data.starts_with(magic) {
        data.to_vec()
    } else {
        [magic, data].concat()
    }
}
