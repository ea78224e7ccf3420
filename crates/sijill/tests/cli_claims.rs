//! `sijill claims extract`: the JSON contract of DESIGN.md §5, the table, the options, and
//! bad input (exit code 2, the file named, nothing on standard output).

mod common;

use common::sijill;
use std::path::Path;
use std::process::Output;

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write fixture");
    p.display().to_string()
}

const REPORT: &str = "\
The Syrian Observatory for Human Rights said on Saturday it had documented the killing of over 973 civilians in Latakia.

وثّقت الشبكة السورية لحقوق الإنسان مقتل ما لا يقل عن ٨٠٣ أشخاص حتى 10 آذار/مارس في بانياس.

Between 700 and 800 people fled; dozens of bodies were recovered. A 70-year-old man was killed in 2025.
";

#[test]
fn json_is_an_array_of_the_contract_records() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write(dir.path(), "report.txt", REPORT.as_bytes());
    let out = sijill(&[
        "claims",
        "extract",
        &file,
        "--format",
        "json",
        "--date",
        "2025-03-14",
    ]);
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    let claims = v.as_array().expect("a JSON array");
    let keys = [
        "value",
        "low",
        "high",
        "qualifier",
        "measure",
        "claimant",
        "as_of",
        "place",
        "quote",
    ];
    for c in claims {
        let obj = c.as_object().expect("each claim is an object");
        let mut got: Vec<&str> = obj.keys().map(String::as_str).collect();
        let mut want = keys.to_vec();
        got.sort_unstable();
        want.sort_unstable();
        assert_eq!(got, want);
    }
    let summary: Vec<String> = claims
        .iter()
        .map(|c| {
            format!(
                "{} {} {} {} {} {} {}",
                c["value"],
                c["low"],
                c["high"],
                c["qualifier"],
                c["measure"],
                c["as_of"],
                c["place"]
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            // "said on Saturday": the Saturday before the document's date (Friday 14 March).
            r#"973 null null "over" "killed_civilians" "2025-03-08" "Latakia""#,
            r#"803 null null "at_least" "killed" "2025-03-10" "Baniyas""#,
            r#"null 700 800 null "people_displaced" "2025-03-14" null"#,
            r#"null null null "indefinite" "bodies_recovered" "2025-03-14" null"#,
        ]
    );
    assert_eq!(claims[0]["claimant"], "Syrian Observatory for Human Rights");
    assert_eq!(claims[1]["claimant"], "الشبكة السورية لحقوق الإنسان");
    assert!(
        claims[1]["quote"]
            .as_str()
            .is_some_and(|q| q.starts_with("وثّقت"))
    );
}

#[test]
fn piped_output_defaults_to_json_and_table_is_readable() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write(dir.path(), "report.txt", REPORT.as_bytes());
    let auto = sijill(&["claims", "extract", &file]);
    assert!(auto.status.success());
    let v: serde_json::Value = serde_json::from_slice(&auto.stdout).expect("JSON when piped");
    assert_eq!(v.as_array().map(Vec::len), Some(4));

    let table = sijill(&["claims", "extract", &file, "--format", "table"]);
    assert!(table.status.success());
    let text = String::from_utf8(table.stdout).expect("UTF-8 table");
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("#") && lines[0].contains("measure") && lines[0].contains("claimant")
    );
    assert!(lines[1].contains("973") && lines[1].contains("killed_civilians"));
    assert!(lines[3].contains("700–800"));
    assert_eq!(lines.last().copied(), Some("4 claims"));
}

#[test]
fn a_text_without_figures_gives_an_empty_array() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write(
        dir.path(),
        "empty.txt",
        "\u{feff}No figures here.\r\n".as_bytes(),
    );
    let out = sijill(&["claims", "extract", &file, "--format", "json"]);
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "[]");
}

#[test]
fn a_places_file_replaces_the_default_gazetteer() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write(
        dir.path(),
        "r.txt",
        b"Over 200 families fled to Kessab and Latakia.",
    );
    let places = write(
        dir.path(),
        "places.txt",
        "# custom\nKessab|Kasab|كسب\n".as_bytes(),
    );
    let out = sijill(&[
        "claims", "extract", &file, "--format", "json", "--places", &places,
    ]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v[0]["place"], "Kessab");
    assert_eq!(v[0]["measure"], "families_displaced");
}

#[track_caller]
fn assert_bad_input(out: &Output, names: &str, says: &str) {
    assert_eq!(
        out.status.code(),
        Some(2),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty(), "no partial output");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.contains(names) && err.contains(says), "{err}");
}

#[test]
fn bad_input_exits_2_naming_the_file_line_and_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    let latin1 = write(
        dir.path(),
        "latin1.txt",
        b"first line\nsecond \xe9t\xe9 line\n",
    );
    assert_bad_input(
        &sijill(&["claims", "extract", &latin1]),
        "latin1.txt:2:8",
        "not UTF-8",
    );

    let binary = write(dir.path(), "image.bin", b"PK\x03\x04\x00\x00");
    assert_bad_input(
        &sijill(&["claims", "extract", &binary]),
        "image.bin:1:5",
        "binary",
    );

    let utf16 = write(dir.path(), "utf16.txt", b"\xff\xfeA\x00");
    assert_bad_input(
        &sijill(&["claims", "extract", &utf16]),
        "utf16.txt",
        "UTF-16",
    );

    let missing = dir.path().join("missing.txt").display().to_string();
    assert_bad_input(
        &sijill(&["claims", "extract", &missing]),
        "missing.txt",
        "cannot read",
    );

    let ok = write(dir.path(), "ok.txt", b"Over 100 bodies were recovered.");
    assert_bad_input(
        &sijill(&["claims", "extract", &ok, "--date", "14/03/2025"]),
        "--date",
        "YYYY-MM-DD",
    );

    let places = write(dir.path(), "places.txt", b"Latakia\n|alias\n");
    assert_bad_input(
        &sijill(&["claims", "extract", &ok, "--places", &places]),
        "places.txt",
        "line 2",
    );
}
