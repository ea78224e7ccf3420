//! `sijill import victims`: a list is imported once (the same file again adds nothing),
//! forbidden columns are dropped and named, and a bad row stops the import with exit
//! code 2, its file, line and column, and nothing written.

use std::path::Path;
use std::process::{Command, Output};

fn sijill(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sijill"))
        .args(args)
        .env_remove("SIJILL_DB")
        .env_remove("SIJILL_KEY_FILE")
        .output()
        .expect("sijill runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn import_victims_once_with_errors_named() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite:{}", dir.path().join("t.db").display());
    let out = sijill(&[
        "org",
        "add",
        "--db",
        &db,
        "--name",
        "Coast Monitor",
        "--kind",
        "monitor",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));

    let good = dir.path().join("list.csv");
    std::fs::write(
        &good,
        "record_id,full_name,sect,sex,date_of_death\n1,محمد علي حسن,x,M,2025-03-07\n2,Samer Darwish,y,F,08/03/2025\n",
    )
    .unwrap();
    let import = |file: &Path| {
        sijill(&[
            "import",
            "victims",
            file.to_str().unwrap(),
            "--source",
            "Field list",
            "--org",
            "Coast Monitor",
            "--db",
            &db,
        ])
    };
    let out = import(&good);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("Imported 2 records"),
        "{}",
        text(&out.stdout)
    );
    assert!(
        text(&out.stderr).contains("\"sect\" dropped"),
        "{}",
        text(&out.stderr)
    );
    let again = import(&good);
    assert!(again.status.success());
    assert!(
        text(&again.stdout).contains("nothing was added"),
        "{}",
        text(&again.stdout)
    );

    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "record_id,full_name,age\n1,Ali Hasan,30\n2,Omar Khaled,300\n",
    )
    .unwrap();
    let out = import(&bad);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("bad.csv:3:3: age"), "{err}");
    assert!(err.contains("nothing was imported"), "{err}");

    let missing = dir.path().join("none.csv");
    assert_eq!(import(&missing).status.code(), Some(2));
}
