//! `sijill estimate` on files: the JSON contract of DESIGN §5, the table, strata, and
//! exit code 2 with file, line and column on bad input (never a partial output).

use std::path::PathBuf;
use std::process::{Command, Output};

const SPINA: &str =
    "d1,d2,d3,count\n1,0,0,60\n0,1,0,49\n1,1,0,4\n0,0,1,247\n1,0,1,112\n0,1,1,142\n1,1,1,12\n";

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, text).expect("write input");
    p
}

fn estimate(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sijill"))
        .arg("estimate")
        .args(args)
        .output()
        .expect("run sijill")
}

const FAST_LCMCR: [&str; 6] = ["--burnin", "200", "--samples", "200", "--thin", "2"];

#[test]
fn json_has_the_documented_shape() {
    let dir = tempfile::tempdir().expect("tempdir");
    let h = write(&dir, "spina.csv", SPINA);
    let mut args = vec!["--histories", h.to_str().expect("path"), "--method", "all"];
    args.extend(FAST_LCMCR);
    let out = estimate(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["observed"], 626);
    assert_eq!(v["lists"], serde_json::json!(["d1", "d2", "d3"]));
    let results = v["results"].as_array().expect("results");
    for method in ["loglinear", "bma", "lcmcr"] {
        let r = results
            .iter()
            .find(|r| r["method"] == method)
            .expect(method);
        let est = r["estimate"].as_f64().expect("estimate");
        let lo = r["interval"][0].as_f64().expect("lower");
        let hi = r["interval"][1].as_f64().expect("upper");
        assert!(
            626.0 <= lo && lo <= est && est <= hi,
            "{method}: {lo} {est} {hi}"
        );
        assert_eq!(r["level"], 0.95);
        assert!(r["model"].as_str().is_some_and(|m| !m.is_empty()));
        for key in ["deviance", "df", "aic", "bic"] {
            assert!(r.get(key).is_some(), "{method} lacks {key}");
        }
        if method != "loglinear" {
            assert!(
                r["mean"].as_f64().is_some(),
                "{method} has a posterior mean"
            );
        }
    }
    assert!(v["recommended"]["estimate"].as_f64().is_some());
}

#[test]
fn table_is_readable_and_loglinear_reproduces_mt() {
    let dir = tempfile::tempdir().expect("tempdir");
    let h = write(&dir, "spina.csv", SPINA);
    let out = estimate(&[
        "--histories",
        h.to_str().expect("path"),
        "--method",
        "loglinear",
        "--format",
        "table",
    ]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(text.contains("observed: 626 units on 3 lists"), "{text}");
    assert!(text.contains("recommended:"));
    assert!(
        text.lines()
            .any(|l| l.starts_with("loglinear") && l.ends_with("Mt")),
        "{text}"
    );
}

#[test]
fn strata_give_a_combined_total() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut text = String::from("area,d1,d2,d3,count\n");
    for line in SPINA.lines().skip(1) {
        text.push_str(&format!("north,{line}\nsouth,{line}\n"));
    }
    let h = write(&dir, "strata.csv", &text);
    let out = estimate(&[
        "--histories",
        h.to_str().expect("path"),
        "--method",
        "bma",
        "--strata",
        "area",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["observed"], 1252);
    assert_eq!(v["strata"].as_array().expect("strata").len(), 2);
    // Posterior means add exactly; the interval of the total is narrower than the sum
    // of the strata's intervals.
    let one = v["strata"][0]["results"][0]["mean"]
        .as_f64()
        .expect("stratum mean");
    let total = v["total"][0]["mean"].as_f64().expect("total mean");
    assert!(
        (total - 2.0 * one).abs() < 1e-6 * total,
        "total {total} vs 2 × {one}"
    );
    let width = |r: &serde_json::Value| {
        r["interval"][1].as_f64().expect("hi") - r["interval"][0].as_f64().expect("lo")
    };
    assert!(width(&v["total"][0]) < 2.0 * width(&v["strata"][0]["results"][0]));
}

fn assert_bad(text: &str, expect: &[&str]) {
    let dir = tempfile::tempdir().expect("tempdir");
    let h = write(&dir, "bad.csv", text);
    let out = estimate(&[
        "--histories",
        h.to_str().expect("path"),
        "--method",
        "loglinear",
    ]);
    assert_eq!(out.status.code(), Some(2), "exit code for {text:?}");
    assert!(out.stdout.is_empty(), "no partial output");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.contains("bad.csv"), "names the file: {err}");
    for e in expect {
        assert!(err.contains(e), "{err} should contain {e:?}");
    }
}

#[test]
fn all_zero_pattern_is_rejected() {
    assert_bad("a,b,count\n1,0,5\n0,0,7\n", &["bad.csv:3", "all zeros"]);
}

#[test]
fn negative_count_is_rejected() {
    assert_bad("a,b,count\n1,0,5\n0,1,-2\n", &["bad.csv:3:3", "negative"]);
}

#[test]
fn non_binary_list_column_is_rejected() {
    assert_bad("a,b,count\n1,0,5\n0,2,3\n", &["bad.csv:3:2", "0 or 1"]);
}

#[test]
fn fewer_than_two_lists_is_rejected() {
    assert_bad("a,count\n1,5\n", &["bad.csv:1", "two list columns"]);
}

#[test]
fn missing_count_and_repeated_patterns_are_rejected() {
    assert_bad("a,b,total\n1,0,5\n", &["bad.csv:1", "count"]);
    assert_bad(
        "a,b,count\n1,0,5\n1,0,3\n",
        &["bad.csv:3", "repeats line 2"],
    );
    assert_bad("a,b,count\n1,0,x\n", &["bad.csv:2:3", "whole number"]);
}

#[test]
fn bad_options_exit_with_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let h = write(&dir, "spina.csv", SPINA);
    let out = estimate(&["--histories", h.to_str().expect("path"), "--prior", "gamma"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--prior"));
    let out = estimate(&[
        "--histories",
        dir.path().join("missing.csv").to_str().expect("path"),
    ]);
    assert_eq!(out.status.code(), Some(2));
}

/// A table saved by a spreadsheet (`;` between fields, a byte-order mark) with Rcapture's
/// `freq` column gives the same estimate as the contract's form.
#[test]
fn spreadsheet_and_rcapture_tables_give_the_same_estimate() {
    let dir = tempfile::tempdir().expect("tempdir");
    let run = |name: &str, text: &str| {
        let h = write(&dir, name, text);
        let out = estimate(&[
            "--histories",
            h.to_str().expect("path"),
            "--method",
            "loglinear",
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        (v["observed"].clone(), v["recommended"]["estimate"].clone())
    };
    let want = run("spina.csv", SPINA);
    let spreadsheet = format!(
        "\u{feff}{}",
        SPINA.replace(',', ";").replace("count", "Freq")
    );
    assert_eq!(run("excel.csv", &spreadsheet), want);
}
