//! Style and architecture checks run as a test: the invariants of ARCHITECTURE.md that a
//! machine can check cheaply.

use std::fs;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("the repository root")
        .to_path_buf()
}

fn files(dir: &Path, ext: &[&str], out: &mut Vec<PathBuf>) {
    let Ok(rd) = fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let p = e.path();
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if p.is_dir() {
            if name != "target" && !name.starts_with('.') {
                files(&p, ext, out);
            }
        } else if ext.iter().any(|x| name.ends_with(x)) {
            out.push(p);
        }
    }
}

/// The `[dependencies]` section of a crate's manifest.
fn dependencies(krate: &str) -> String {
    let text = fs::read_to_string(repo().join("crates").join(krate).join("Cargo.toml"))
        .unwrap_or_default();
    let mut out = String::new();
    let mut on = false;
    for line in text.lines() {
        if line.starts_with('[') {
            on = line.trim() == "[dependencies]";
            continue;
        }
        if on {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

#[test]
fn engines_never_touch_io_databases_or_the_network() {
    for engine in [
        "sijill-names",
        "sijill-linkage",
        "sijill-mse",
        "sijill-claims",
    ] {
        let deps = dependencies(engine);
        for banned in [
            "sqlx",
            "tokio",
            "axum",
            "hyper",
            "reqwest",
            "sijill-store",
            "sijill-server",
        ] {
            assert!(
                !deps.lines().any(|l| l.trim_start().starts_with(banned)),
                "{engine} depends on {banned}; engines are pure libraries"
            );
        }
    }
}

#[test]
fn only_the_store_speaks_sql() {
    for entry in fs::read_dir(repo().join("crates")).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if name == "sijill-store" || name == "sijill-testkit" {
            continue;
        }
        let deps = dependencies(&name);
        assert!(
            !deps.lines().any(|l| l.trim_start().starts_with("sqlx")),
            "{name} depends on sqlx; only sijill-store speaks SQL"
        );
        let mut sql = Vec::new();
        files(&entry.path(), &[".sql"], &mut sql);
        assert!(sql.is_empty(), "{name} holds SQL files: {sql:?}");
    }
}

#[test]
fn no_field_for_religion_sect_ethnicity_or_political_opinion() {
    let mut all = Vec::new();
    files(&repo().join("crates"), &[".sql"], &mut all);
    files(&repo().join("crates"), &[".html"], &mut all);
    let words = [
        "religion",
        "religious",
        "sect",
        "sect_id",
        "sectarian_group",
        "confession",
        "ethnicity",
        "ethnic_group",
        "political_opinion",
        "madhab",
        "taifa",
    ];
    for f in all {
        let text = fs::read_to_string(&f).unwrap_or_default().to_lowercase();
        let is_sql = f.extension().is_some_and(|e| e == "sql");
        for line in text.lines() {
            // A comment may say what is never stored; only code can store it.
            let code = if is_sql {
                line.split("--").next().unwrap_or("")
            } else {
                line
            };
            let tokens: Vec<&str> = code
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .filter(|t| !t.is_empty())
                .collect();
            for w in words {
                assert!(
                    !tokens.contains(&w),
                    "{} has a {w:?} field: sijill never stores it\n  {line}",
                    f.display()
                );
            }
        }
    }
}

#[test]
fn every_module_says_what_it_is_for_and_nothing_is_stubbed() {
    let mut rs = Vec::new();
    files(&repo().join("crates"), &[".rs"], &mut rs);
    let stub_a = concat!("todo", "!(");
    let stub_b = concat!("unimplemented", "!(");
    let ignore = concat!("#[", "ignore");
    for f in rs {
        let text = fs::read_to_string(&f).unwrap_or_default();
        let rel = f.strip_prefix(repo()).unwrap_or(&f).display().to_string();
        let in_src = rel.contains("/src/");
        if in_src {
            assert!(
                text.trim_start().starts_with("//!"),
                "{rel} does not open with a //! line saying what it is for"
            );
        }
        assert!(
            !text.contains(stub_a) && !text.contains(stub_b),
            "{rel} holds a stub"
        );
        assert!(!text.contains(ignore), "{rel} ignores a test");
    }
}
