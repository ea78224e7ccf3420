//! Mechanical checks of the templates: no text of their own (every word comes from the
//! catalogue), no script, no inline style.

use std::path::Path;

fn templates() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "html") {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            out.push((name, std::fs::read_to_string(&path).unwrap()));
        }
    }
    assert!(out.len() >= 8, "templates found: {}", out.len());
    out
}

/// Removes everything between `open` and `close` (inclusive).
fn strip(s: &str, open: &str, close: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find(open) {
        out.push_str(&rest[..i]);
        match rest[i + open.len()..].find(close) {
            Some(j) => rest = &rest[i + open.len() + j + close.len()..],
            None => panic!("unclosed {open}"),
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn templates_have_no_text_of_their_own() {
    for (name, src) in templates() {
        let text = strip(
            &strip(&strip(&strip(&src, "{#", "#}"), "{%", "%}"), "{{", "}}"),
            "<",
            ">",
        );
        let letters: String = text.chars().filter(|c| c.is_alphabetic()).collect();
        assert!(letters.is_empty(), "{name} has literal text: {letters:?}");
        // Attributes people read must come from the catalogue too.
        for attr in ["placeholder=\"", "title=\"", "aria-label=\"", "alt=\""] {
            for (i, _) in src.match_indices(attr) {
                let value = &src[i + attr.len()..];
                assert!(value.starts_with("{{"), "{name}: literal {attr}…");
            }
        }
    }
}

#[test]
fn templates_load_no_script_and_no_inline_style() {
    for (name, src) in templates() {
        let lower = src.to_lowercase();
        for bad in [
            "<script",
            "<style",
            "style=",
            "javascript:",
            " onclick",
            " onload",
            " onsubmit",
        ] {
            assert!(!lower.contains(bad), "{name} contains {bad}");
        }
    }
}

#[test]
fn stylesheet_uses_logical_directions_only() {
    let css = include_str!("../../static/sijill.css");
    for physical in [
        "-left",
        "-right",
        "left:",
        "right:",
        "text-align: left",
        "text-align: right",
        "float:",
    ] {
        assert!(
            !css.contains(physical),
            "stylesheet uses {physical}; use inline-start/end"
        );
    }
}
