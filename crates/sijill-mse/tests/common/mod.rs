//! Helpers for the reference tests: locate `shared/data/mse` beside the repository and
//! read its capture-history files.

#![allow(dead_code)]

use sijill_mse::{Frequencies, Histories};
use std::path::PathBuf;

/// The reference data folder: `<repo>/../shared/data/mse`, found from the crate's folder.
pub fn data_dir() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let manifest = manifest.canonicalize().unwrap_or(manifest);
    for dir in manifest.ancestors() {
        let cand = dir.join("shared").join("data").join("mse");
        if cand.is_dir() {
            return cand;
        }
    }
    panic!("shared/data/mse not found above {}", manifest.display());
}

/// Reads a `*.csv` of 0/1 list columns plus `count`.
pub fn histories(file: &str) -> Histories {
    let path = data_dir().join(file);
    let mut rdr = csv::Reader::from_path(&path).expect("open data file");
    let headers = rdr.headers().expect("header").clone();
    let count_col = headers
        .iter()
        .position(|h| h == "count")
        .expect("count column");
    let lists: Vec<String> = headers
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != count_col)
        .map(|(_, h)| h.to_string())
        .collect();
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = rec.expect("record");
        let pattern: Vec<bool> = rec
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != count_col)
            .map(|(_, v)| v == "1")
            .collect();
        let count: u64 = rec[count_col].parse().expect("count");
        if pattern.iter().any(|&b| b) {
            rows.push((pattern, count));
        }
    }
    Histories::from_rows(lists, rows).expect("valid histories")
}

/// Reads a `*_nbcap.csv` frequency file.
pub fn frequencies(file: &str, occasions: Option<usize>) -> Frequencies {
    let path = data_dir().join(file);
    let mut rdr = csv::Reader::from_path(&path).expect("open data file");
    let mut counts = Vec::new();
    for rec in rdr.records() {
        let rec = rec.expect("record");
        let k: usize = rec[0].parse().expect("nbcap");
        let c: u64 = rec[1].parse().expect("count");
        if counts.len() < k {
            counts.resize(k, 0);
        }
        counts[k - 1] += c;
    }
    Frequencies::new(occasions, counts).expect("valid frequencies")
}

/// Asserts `x` rounds to the printed value `printed` with `decimals` decimals.
pub fn assert_printed(what: &str, x: f64, printed: f64, decimals: i32) {
    let scale = 10f64.powi(decimals);
    let r = (x * scale).round() / scale;
    assert!(
        (r - printed).abs() < 0.5 / scale,
        "{what}: computed {x} rounds to {r}, published {printed}"
    );
}
