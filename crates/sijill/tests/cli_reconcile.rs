//! `sijill import victims`: a list is imported once (the same file again adds nothing),
//! forbidden columns are dropped and named, and a bad row stops the import with exit
//! code 2, its file, line and column, and nothing written.

mod common;

use common::sijill;

use std::path::Path;

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

    // A mapping given once for a source is used again on its next file.
    let odd = "No.,Name of the deceased\n1,Ali Hasan\n";
    let first = dir.path().join("first.csv");
    std::fs::write(&first, odd).unwrap();
    let map = dir.path().join("map.txt");
    std::fs::write(&map, "No.=record_id\nName of the deceased=full_name\n").unwrap();
    let with_map = |file: &Path, source: &str, mapping: Option<&Path>| {
        let mut args = vec![
            "import",
            "victims",
            file.to_str().unwrap(),
            "--source",
            source,
            "--org",
            "Coast Monitor",
            "--db",
            &db,
        ];
        if let Some(m) = mapping {
            args.extend(["--mapping", m.to_str().unwrap()]);
        }
        sijill(&args)
    };
    let out = with_map(&first, "Odd list", Some(&map));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let second = dir.path().join("second.csv");
    std::fs::write(&second, "No.,Name of the deceased\n2,Omar Khaled\n").unwrap();
    let out = with_map(&second, "Odd list", None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("using the column mapping saved"));
    let third = dir.path().join("third.csv");
    std::fs::write(&third, "No.,Name of the deceased\n3,Rana Yousef\n").unwrap();
    let out = with_map(&third, "Another list", None);
    assert_eq!(
        out.status.code(),
        Some(2),
        "no saved mapping for another source"
    );

    let missing = dir.path().join("none.csv");
    assert_eq!(import(&missing).status.code(), Some(2));
}

/// `sijill link --org`: two stored lists are linked in the database (with a progress
/// bar on a terminal), a list is chosen by its source, and an unknown list or an
/// organization without lists is refused with exit code 2.
#[test]
fn link_stored_lists() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite:{}", dir.path().join("t.db").display());
    for name in ["Coast Monitor", "Empty Org"] {
        let out = sijill(&[
            "org", "add", "--db", &db, "--name", name, "--kind", "monitor",
        ]);
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    let rows = [
        ("1", "Mohammad Ali Hasan", "1970"),
        ("2", "Samer Yousef Darwish", "1985"),
        ("3", "Ahmad Khalil Ibrahim", "1992"),
        ("4", "Hasan Omar Haidar", "1961"),
    ];
    for (file, source, skip) in [("a.csv", "Field list", 3), ("b.csv", "Observatory", 0)] {
        let mut body = String::from("record_id,full_name,sex,birth_year,date_of_death\n");
        for (k, n, y) in rows.iter().filter(|r| r.0 != rows[skip].0) {
            body.push_str(&format!("{k},{n},M,{y},2025-03-07\n"));
        }
        let path = dir.path().join(file);
        std::fs::write(&path, body).unwrap();
        let out = sijill(&[
            "import",
            "victims",
            path.to_str().unwrap(),
            "--source",
            source,
            "--org",
            "Coast Monitor",
            "--db",
            &db,
        ]);
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    let link = |extra: &[&str]| {
        let mut args = vec!["link", "--db", &db];
        args.extend_from_slice(extra);
        sijill(&args)
    };
    let out = link(&["--org", "Coast Monitor"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(said.contains("Linked 6 records of 2 lists into"), "{said}");
    let persons: u32 = said
        .split(" into ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("a person count");
    assert!((4..6).contains(&persons), "{said}");

    let out = link(&["--org", "Coast Monitor", "--list", "Field list"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("Linked 3 records of 1 lists"),
        "{}",
        text(&out.stdout)
    );

    let out = link(&["--org", "Coast Monitor", "--list", "Nobody"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--list: no list \"Nobody\""));
    let out = link(&["--org", "Empty Org"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no victim lists"));
    // The file form still needs its output.
    let out = sijill(&["link", "--input", "a.csv"]);
    assert_eq!(out.status.code(), Some(2));
}
