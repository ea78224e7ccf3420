//! Comparison vectors: for a pair of records, one level per field (0 = a value is absent).
//!
//! The father's, grandfather's, family and mother's names are one field, *kin*, not four:
//! siblings agree on all four, so counting them as independent evidence (as Fellegi–Sunter
//! does with separate fields) makes a brother look like the same person. As one field
//! its weight is learned from how often whole kin chains agree, and the given name, sex
//! and age are left to tell siblings apart.

use crate::record::{FAMILY, FATHER, GIVEN, GRANDFATHER, MOTHER, NULL, Prepared};
use sijill_names::{Similarity, damerau_levenshtein, jaro_winkler, similarity};

/// The kinds of field the engine compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// The given name.
    Given,
    /// Father's, grandfather's, family and mother's names together.
    Kin,
    /// Sex.
    Sex,
    /// Birth year (given, or from age and date of death).
    Birth,
    /// Date of death.
    Death,
    /// Place of death.
    Place,
    /// A further column compared as text (index into the extra fields).
    Extra(usize),
}

impl FieldKind {
    /// The names of the levels, from level 1 (strongest agreement) on.
    pub fn levels(self) -> &'static [&'static str] {
        match self {
            FieldKind::Given => &["exact", "same name (key)", "close", "near", "different"],
            FieldKind::Kin => &[
                "all agree",
                "all agree, some loosely",
                "the only one agrees",
                "the only one agrees loosely",
                "most agree",
                "some agree",
                "none agree",
            ],
            FieldKind::Sex => &["same", "different"],
            FieldKind::Birth => &[
                "same year",
                "1 year apart",
                "2-3 years apart",
                "further apart",
            ],
            FieldKind::Death => &["same day", "1 day apart", "2-7 days apart", "further apart"],
            FieldKind::Place => &["same place", "close", "different"],
            FieldKind::Extra(_) => &["exact", "one edit", "close", "different"],
        }
    }
}

/// The most fields a comparison vector holds (4 bits each in a `u64`).
pub const MAX_FIELDS: usize = 16;

/// A comparison vector: level of field `f` in bits `4f..4f+4`.
pub type Pattern = u64;

/// The level of field `f` in a pattern.
pub fn level(p: Pattern, f: usize) -> usize {
    ((p >> (4 * f)) & 0xF) as usize
}

fn name_sim(p: &Prepared, a: u32, b: u32) -> Similarity {
    if a == b {
        return Similarity::Exact;
    }
    similarity(&p.toks[a as usize].token, &p.toks[b as usize].token)
}

fn given_level(p: &Prepared, i: usize, j: usize) -> usize {
    let (a, b) = (p.names[i][GIVEN], p.names[j][GIVEN]);
    if a == NULL || b == NULL {
        return 0;
    }
    match name_sim(p, a, b) {
        Similarity::Exact => 1,
        Similarity::Key => 2,
        Similarity::Close => 3,
        Similarity::Near => 4,
        Similarity::Different => 5,
    }
}

/// Per kin part: 2 = same name, 1 = close, 0 = different; `None` when absent.
fn kin_scores(p: &Prepared, i: usize, j: usize) -> [Option<u8>; 4] {
    let mut out = [None; 4];
    for (o, part) in out.iter_mut().zip([FATHER, GRANDFATHER, FAMILY, MOTHER]) {
        let (a, b) = (p.names[i][part], p.names[j][part]);
        if a != NULL && b != NULL {
            *o = Some(match name_sim(p, a, b) {
                Similarity::Exact | Similarity::Key => 2,
                Similarity::Close => 1,
                _ => 0,
            });
        }
    }
    out
}

fn kin_level(p: &Prepared, i: usize, j: usize) -> usize {
    let s = kin_scores(p, i, j);
    let n = s.iter().flatten().count();
    let strong = s.iter().flatten().filter(|&&x| x == 2).count();
    let loose = s.iter().flatten().filter(|&&x| x == 1).count();
    let diff = n - strong - loose;
    match n {
        0 => 0,
        1 if strong == 1 => 3,
        1 if loose == 1 => 4,
        1 => 7,
        _ if diff == 0 && loose == 0 => 1,
        _ if diff == 0 => 2,
        _ if strong + loose > diff => 5,
        _ if strong + loose > 0 => 6,
        _ => 7,
    }
}

/// True when record `i` and `j` agree strongly on the family name (for the TF adjustment).
pub(crate) fn family_agrees(p: &Prepared, i: usize, j: usize) -> bool {
    let (a, b) = (p.names[i][FAMILY], p.names[j][FAMILY]);
    a != NULL && b != NULL && matches!(name_sim(p, a, b), Similarity::Exact | Similarity::Key)
}

fn sex_level(p: &Prepared, i: usize, j: usize) -> usize {
    match (p.sex[i], p.sex[j]) {
        (0, _) | (_, 0) => 0,
        (a, b) if a == b => 1,
        _ => 2,
    }
}

fn birth_level(p: &Prepared, i: usize, j: usize) -> usize {
    let (a, b) = (p.birth[i], p.birth[j]);
    if a == i16::MIN || b == i16::MIN {
        return 0;
    }
    match (i32::from(a) - i32::from(b)).abs() {
        0 => 1,
        1 => 2,
        2..=3 => 3,
        _ => 4,
    }
}

fn death_level(p: &Prepared, i: usize, j: usize) -> usize {
    let (a, b) = (p.death[i], p.death[j]);
    if a == i32::MIN || b == i32::MIN {
        return 0;
    }
    match (i64::from(a) - i64::from(b)).abs() {
        0 => 1,
        1 => 2,
        2..=7 => 3,
        _ => 4,
    }
}

fn place_level(p: &Prepared, i: usize, j: usize) -> usize {
    let (a, b) = (p.place[i], p.place[j]);
    if a == NULL || b == NULL {
        return 0;
    }
    if a == b {
        return 1;
    }
    match similarity(&p.places[a as usize], &p.places[b as usize]) {
        Similarity::Exact | Similarity::Key => 1,
        Similarity::Close => 2,
        _ => 3,
    }
}

fn extra_level(p: &Prepared, e: usize, i: usize, j: usize) -> usize {
    let (a, b) = (p.extra[e][i], p.extra[e][j]);
    if a == NULL || b == NULL {
        return 0;
    }
    if a == b {
        return 1;
    }
    let (x, y) = (
        &p.extra_values[e][a as usize],
        &p.extra_values[e][b as usize],
    );
    if damerau_levenshtein(x, y) <= 1 {
        2
    } else if jaro_winkler(x, y) >= 0.88 {
        3
    } else {
        4
    }
}

/// The level of one field for records `i` and `j`.
pub(crate) fn field_level(p: &Prepared, kind: FieldKind, i: usize, j: usize) -> usize {
    match kind {
        FieldKind::Given => given_level(p, i, j),
        FieldKind::Kin => kin_level(p, i, j),
        FieldKind::Sex => sex_level(p, i, j),
        FieldKind::Birth => birth_level(p, i, j),
        FieldKind::Death => death_level(p, i, j),
        FieldKind::Place => place_level(p, i, j),
        FieldKind::Extra(e) => extra_level(p, e, i, j),
    }
}

/// The comparison vector of records `i` and `j` over `fields`.
pub(crate) fn compare(p: &Prepared, fields: &[FieldKind], i: usize, j: usize) -> Pattern {
    let mut pat = 0u64;
    for (f, &kind) in fields.iter().enumerate() {
        pat |= (field_level(p, kind, i, j) as u64) << (4 * f);
    }
    pat
}

/// The fields that at least two records have, in a fixed order.
pub(crate) fn active_fields(p: &Prepared) -> Vec<FieldKind> {
    let two = |count: usize| count >= 2;
    let mut out = Vec::new();
    if two(p.names.iter().filter(|n| n[GIVEN] != NULL).count()) {
        out.push(FieldKind::Given);
    }
    if two(p
        .names
        .iter()
        .filter(|n| n[1..].iter().any(|&x| x != NULL))
        .count())
    {
        out.push(FieldKind::Kin);
    }
    if two(p.sex.iter().filter(|&&s| s != 0).count()) {
        out.push(FieldKind::Sex);
    }
    if two(p.birth.iter().filter(|&&b| b != i16::MIN).count()) {
        out.push(FieldKind::Birth);
    }
    if two(p.death.iter().filter(|&&d| d != i32::MIN).count()) {
        out.push(FieldKind::Death);
    }
    if two(p.place.iter().filter(|&&x| x != NULL).count()) {
        out.push(FieldKind::Place);
    }
    for (e, col) in p.extra.iter().enumerate() {
        if out.len() < MAX_FIELDS && two(col.iter().filter(|&&x| x != NULL).count()) {
            out.push(FieldKind::Extra(e));
        }
    }
    out
}
