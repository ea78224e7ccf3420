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
        b"record_id,full_name,sex\n1,A B,yes\n",
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

/// Lists as spreadsheet programs save them: the Arabic list in Windows-1256 with `;`
/// between fields (Excel's "CSV" on an Arabic Windows), the Latin one as UTF-16 text
/// with tabs (its "Unicode text"). Both are read, and each reading is said on stderr.
#[test]
fn spreadsheet_encodings_and_separators_are_read() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let arabic = ARABIC.trim_start_matches('\u{FEFF}').replace(',', ";");
    let bytes = windows_1256(&arabic);
    assert!(std::str::from_utf8(&bytes).is_err());
    let a = write(dir.path(), "shuhada.csv", &bytes);
    let mut utf16 = vec![0xFF, 0xFE];
    for u in LATIN.replace(',', "\t").encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let b = write(dir.path(), "monitor.txt", &utf16);
    let out = dir.path().join("persons.csv");
    let o = link(&[&a, &b], &out);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("Windows-1256"), "{err}");
    assert!(err.contains("UTF-16"), "{err}");
    let text = std::fs::read_to_string(&out).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(text.lines().count(), 1 + 3 + 4, "{text}");
    let person = |list: &str, id: &str| {
        text.lines()
            .map(|l| l.split(',').collect::<Vec<_>>())
            .find(|r| r[0] == list && r[1] == id)
            .map(|r| r[2].to_string())
            .unwrap_or_default()
    };
    assert_eq!(person("shuhada", "3"), person("monitor", "a3"));
}

/// The Windows-1256 bytes of `s` (Arabic letters, ASCII), from the code page's table
/// written out here rather than from the decoder the program uses.
fn windows_1256(s: &str) -> Vec<u8> {
    const TABLE: &[(char, u8)] = &[
        ('ء', 0xC1),
        ('آ', 0xC2),
        ('أ', 0xC3),
        ('ؤ', 0xC4),
        ('إ', 0xC5),
        ('ئ', 0xC6),
        ('ا', 0xC7),
        ('ب', 0xC8),
        ('ة', 0xC9),
        ('ت', 0xCA),
        ('ث', 0xCB),
        ('ج', 0xCC),
        ('ح', 0xCD),
        ('خ', 0xCE),
        ('د', 0xCF),
        ('ذ', 0xD0),
        ('ر', 0xD1),
        ('ز', 0xD2),
        ('س', 0xD3),
        ('ش', 0xD4),
        ('ص', 0xD5),
        ('ض', 0xD6),
        ('ط', 0xD8),
        ('ظ', 0xD9),
        ('ع', 0xDA),
        ('غ', 0xDB),
        ('ـ', 0xDC),
        ('ف', 0xDD),
        ('ق', 0xDE),
        ('ك', 0xDF),
        ('ل', 0xE1),
        ('م', 0xE3),
        ('ن', 0xE4),
        ('ه', 0xE5),
        ('و', 0xE6),
        ('ى', 0xEC),
        ('ي', 0xED),
    ];
    s.chars()
        .map(|c| match TABLE.iter().find(|(a, _)| *a == c) {
            Some((_, b)) => *b,
            None if c.is_ascii() => c as u8,
            None => panic!("no Windows-1256 byte for {c:?} in the test's table"),
        })
        .collect()
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

/// Cells as real lists write them: ages with their unit or as a stage of life, dates with
/// the month in words, and "unknown" in its many spellings — read, not refused, and said.
#[test]
fn cells_as_real_lists_write_them_are_read() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let a = write(
        dir.path(),
        "families.csv",
        "record_id,full_name,sex,age,date_of_death,place_of_death
1,محمد علي حسن,ذكر,٣٥ سنة,٧ آذار ٢٠٢٥,جبلة
2,فاطمة أحمد سليمان,أنثى,28 عاماً,8 آذار/مارس 2025,المختارية
3,مها حسن,طفلة,طفلة,8 March 2025,بانياس
4,مجهول الهوية,غير معروف,?,2025-03-09,-
5,مجهول الهوية,غير معروف,?,2025-03-09,-
"
        .as_bytes(),
    );
    let b = write(
        dir.path(),
        "monitor.csv",
        b"record_id,given_name,father_name,family_name,sex,birth_year,date_of_death\n\
a,Mohammad,Ali,Hasan,M,1990,07/03/2025\n\
b,Fatima,Ahmad,Suleiman,F,1997,2025-03-08\n",
    );
    let out = dir.path().join("persons.csv");
    let o = link(&[&a, &b], &out);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("read as empty"), "{err}");
    assert!(err.contains("\"طفلة\" at"), "{err}");
    let persons = std::fs::read_to_string(&out).unwrap_or_else(|e| panic!("{e}"));
    let person = |list: &str, id: &str| {
        persons
            .lines()
            .find(|l| l.starts_with(&format!("{list},{id},")))
            .and_then(|l| l.split(',').nth(2))
            .map(str::to_string)
            .unwrap_or_else(|| panic!("{list},{id} in {persons}"))
    };
    // The same two people in both lists, in two scripts.
    assert_eq!(person("families", "1"), person("monitor", "a"));
    assert_eq!(person("families", "2"), person("monitor", "b"));
    // Two unidentified bodies are not one person because both are "unknown".
    assert_ne!(person("families", "4"), person("families", "5"));
}

/// A list whose header uses the usual names ("ID", "Name", "الجنس") is read as the
/// contract's columns, each reading said on stderr.
#[test]
fn usual_column_names_are_read_and_said() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let a = write(
        dir.path(),
        "a.csv",
        "ID,Name,الجنس,Age\n1,محمد علي حسن,ذكر,35\n2,سامر خالد درويش,ذكر,45\n".as_bytes(),
    );
    let b = write(
        dir.path(),
        "b.csv",
        b"record_id,full_name,sex,age\nx,Mohammad Ali Hasan,M,35\n",
    );
    let out = dir.path().join("persons.csv");
    let o = link(&[&a, &b], &out);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    for said in [
        "column \"id\" read as record_id",
        "column \"name\" read as full_name",
        "column \"الجنس\" read as sex",
    ] {
        assert!(err.contains(said), "{said} in {err}");
    }
    let persons = std::fs::read_to_string(&out).unwrap_or_else(|e| panic!("{e}"));
    let person = |row: &str| {
        persons
            .lines()
            .find(|l| l.starts_with(row))
            .and_then(|l| l.split(',').nth(2))
            .map(str::to_string)
    };
    assert!(person("a,1,").is_some(), "{persons}");
    assert_eq!(person("a,1,"), person("b,x,"), "{persons}");
}
