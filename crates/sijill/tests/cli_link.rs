//! `sijill link` end to end: persons out of two small lists, and a one-line reason with
//! exit code 2 (and no output file) for each kind of bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn sijill() -> Command {
    Command::new(env!("CARGO_BIN_EXE_sijill"))
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap_or_else(|e| panic!("{e}"));
    p
}

fn link(inputs: &[&Path], output: &Path) -> Output {
    let mut c = sijill();
    c.arg("link");
    for i in inputs {
        c.arg("--input").arg(i);
    }
    c.arg("--output").arg(output);
    c.output().unwrap_or_else(|e| panic!("{e}"))
}

const ARABIC: &str = "\u{FEFF}record_id,full_name,sex,age,date_of_death,place_of_death
1,محمد علي حسن الخطيب,ذكر,34,07/03/2025,جبلة
2,أحمد علي حسن الخطيب,ذكر,31,07/03/2025,جبلة
3,سامر خالد درويش,ذكر,45,08/03/2025,بانياس
";

const LATIN: &str =
    "given_name,father_name,family_name,record_id,sex,birth_year,date_of_death,place_of_death
Mohammad,Ali,al-Khatib,a1,M,1991,2025-03-07,Jableh
Ahmad,Ali,Al Khatib,a2,M,1994,2025-03-07,Jableh
Samer,Khaled,Darwish,a3,male,1980,2025-03-08,Baniyas
Rana,Omar,Haddad,a4,F,2001,2025-03-09,Tartous
";

#[test]
fn links_two_lists_into_persons() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let a = write(dir.path(), "shuhada.csv", ARABIC.as_bytes());
    let b = write(dir.path(), "monitor.csv", LATIN.as_bytes());
    let out = dir.path().join("persons.csv");
    let explain = dir.path().join("explain.csv");
    let o = sijill()
        .args(["link", "--threshold", "0.5"])
        .arg("--input")
        .arg(&a)
        .arg("--input")
        .arg(&b)
        .arg("--output")
        .arg(&out)
        .arg("--explain")
        .arg(&explain)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(&out).unwrap_or_else(|e| panic!("{e}"));
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split(',').collect()).collect();
    assert_eq!(
        rows[0],
        ["list", "record_id", "person_id", "match_probability"]
    );
    assert_eq!(rows.len(), 1 + 3 + 4);
    let person = |list: &str, id: &str| {
        rows.iter()
            .find(|r| r[0] == list && r[1] == id)
            .map(|r| r[2].to_string())
            .unwrap_or_default()
    };
    // Brothers stay apart; each meets his transliteration.
    assert_ne!(person("shuhada", "1"), person("shuhada", "2"));
    assert_eq!(person("shuhada", "3"), person("monitor", "a3"));
    for r in &rows[1..] {
        let p: f64 = r[3].parse().unwrap_or(-1.0);
        assert!((0.0..=1.0).contains(&p), "{r:?}");
    }
    let ex = std::fs::read_to_string(&explain).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        ex.lines()
            .next()
            .is_some_and(|h| h.contains("given_weight") && h.contains("kin_weight"))
    );
}

/// Runs a bad input and checks exit code 2, a one-line reason with the file, and no output.
fn rejects(name: &str, content: &[u8], expect_in_message: &[&str]) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let good = write(dir.path(), "good.csv", LATIN.as_bytes());
    let bad = write(dir.path(), name, content);
    let out = dir.path().join("persons.csv");
    let o = link(&[&good, &bad], &out);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    let line = err.lines().last().unwrap_or_default();
    assert!(line.contains(&bad.display().to_string()), "{line}");
    for e in expect_in_message {
        assert!(line.contains(e), "{line} lacks {e}");
    }
    assert!(!out.exists(), "a partial output file was left");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn missing_record_id_is_named_with_its_line() {
    rejects(
        "nolist.csv",
        b"full_name,sex\nSamer Darwish,M\n",
        &[":1:", "no record_id column"],
    );
}

#[test]
fn empty_record_id_is_named_with_line_and_column() {
    rejects(
        "blank.csv",
        b"full_name,record_id\nSamer Darwish,\n",
        &[":2:2:", "empty record_id"],
    );
}

#[test]
fn duplicate_ids_are_named_with_both_lines() {
    rejects(
        "dups.csv",
        b"record_id,full_name\n7,Samer Darwish\n8,Rana Haddad\n7,Ali Hasan\n",
        &[":4:1:", "duplicate record_id", ":2)"],
    );
}

#[test]
fn bad_dates_are_named_with_line_and_column() {
    rejects(
        "dates.csv",
        b"record_id,full_name,date_of_death\n1,Samer Darwish,2025-02-30\n",
        &[":2:3:", "not a date"],
    );
}

#[test]
fn contradictory_date_orders_are_refused() {
    rejects(
        "mixed.csv",
        b"record_id,full_name,date_of_death\n1,A B,13/03/2025\n2,C D,03/13/2025\n",
        &["month first"],
    );
}

#[test]
fn bad_sex_and_age_are_named() {
    rejects(
        "sex.csv",
        b"record_id,full_name,sex\n1,A B,unknown\n",
        &[":2:3:", "not a sex"],
    );
    rejects(
        "age.csv",
        b"record_id,full_name,age\n1,A B,two hundred\n",
        &[":2:3:", "not an age"],
    );
}

#[test]
fn empty_files_are_refused() {
    rejects("empty.csv", b"", &["empty file"]);
    rejects("header.csv", b"record_id,full_name\n", &["no records"]);
}

#[test]
fn non_utf8_is_refused_with_its_line() {
    rejects(
        "latin1.csv",
        b"record_id,full_name\n1,Samer\n2,J\xe9r\xf4me\n",
        &[":3:", "not UTF-8"],
    );
}

#[test]
fn ragged_rows_are_refused() {
    rejects(
        "ragged.csv",
        b"record_id,full_name\n1,Samer,extra\n",
        &[":2:", "fields"],
    );
}

#[test]
fn sensitive_columns_are_dropped_and_said_so() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let a = write(
        dir.path(),
        "a.csv",
        "record_id,full_name,religion\n1,Samer Darwish,x\n".as_bytes(),
    );
    let b = write(dir.path(), "b.csv", LATIN.as_bytes());
    let out = dir.path().join("p.csv");
    let o = link(&[&a, &b], &out);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("dropped"));
}

#[test]
fn a_bad_threshold_is_bad_input() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let b = write(dir.path(), "b.csv", LATIN.as_bytes());
    let o = sijill()
        .args(["link", "--threshold", "1.5", "--input"])
        .arg(&b)
        .arg("--output")
        .arg(dir.path().join("p.csv"))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(o.status.code(), Some(2));
}
