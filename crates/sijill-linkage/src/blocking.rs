//! Blocking: several passes, each grouping records that share a key (name keys, birth
//! year, …); the candidate pairs of all passes are united. A block larger than the cap
//! is skipped (and counted) rather than compared: one common name must not make most
//! of the comparisons.
//!
//! Birth years are blocked in two offset halves (`⌊y/2⌋` and `⌊(y+1)/2⌋`), so two records
//! one year apart share a block in at least one of them.

use crate::compare::FieldKind;
use crate::record::{FAMILY, FATHER, GIVEN, MOTHER, NULL, Prepared};
use rayon::prelude::*;

/// One component of a blocking key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockOn {
    /// The key of the given name.
    Given,
    /// The key of the father's name.
    Father,
    /// The key of the family name.
    Family,
    /// The key of the mother's name.
    Mother,
    /// Birth year halved, in one of two offsets (0 or 1).
    BirthHalf(u8),
    /// The date of death.
    Death,
    /// The place of death.
    Place,
    /// An extra field's exact value.
    Extra(usize),
    /// Sex.
    Sex,
}

/// What one blocking pass found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassStats {
    /// The pass's key, e.g. `given+family`.
    pub name: String,
    /// Pairs the pass proposed (before uniting with other passes).
    pub pairs: u64,
    /// Blocks skipped for exceeding the cap.
    pub skipped_blocks: u64,
    /// Records in the skipped blocks.
    pub skipped_records: u64,
    /// The largest block compared.
    pub largest_block: u64,
}

fn name_of(on: &[BlockOn]) -> String {
    on.iter()
        .map(|b| match b {
            BlockOn::Given => "given".to_string(),
            BlockOn::Father => "father".into(),
            BlockOn::Family => "family".into(),
            BlockOn::Mother => "mother".into(),
            BlockOn::BirthHalf(o) => format!("birth/2+{o}"),
            BlockOn::Death => "death".into(),
            BlockOn::Place => "place".into(),
            BlockOn::Extra(e) => format!("extra{e}"),
            BlockOn::Sex => "sex".into(),
        })
        .collect::<Vec<_>>()
        .join("+")
}

/// The default passes for the fields present in the data.
pub(crate) fn default_passes(p: &Prepared, fields: &[FieldKind]) -> Vec<Vec<BlockOn>> {
    use BlockOn::*;
    let has_part = |part: usize| p.names.iter().filter(|n| n[part] != NULL).count() >= 2;
    let has_birth = fields.contains(&FieldKind::Birth);
    let (father, family, mother) = (has_part(FATHER), has_part(FAMILY), has_part(MOTHER));
    let mut passes: Vec<Vec<BlockOn>> = Vec::new();
    if father && family {
        passes.push(vec![Given, Father, Family]);
    } else if family {
        passes.push(vec![Given, Family]);
    } else if father {
        passes.push(vec![Given, Father]);
    }
    if has_birth {
        for o in 0..2 {
            if family {
                passes.push(vec![Given, Family, BirthHalf(o)]);
            }
            if father {
                passes.push(vec![Given, Father, BirthHalf(o)]);
            }
            if father && family {
                passes.push(vec![Father, Family, BirthHalf(o)]);
            }
            if mother {
                passes.push(vec![Given, Mother, BirthHalf(o)]);
            }
            if !father && !family {
                passes.push(vec![Given, BirthHalf(o)]);
            }
            if fields.contains(&FieldKind::Place) {
                passes.push(vec![Given, BirthHalf(o), Place]);
            }
        }
    }
    if family && mother {
        passes.push(vec![Given, Family, Mother]);
    }
    if family && fields.contains(&FieldKind::Place) {
        passes.push(vec![Given, Family, Place]);
    }
    // An extra field blocks alone only when its values are nearly unique (an id, a date
    // of birth); a street number or a postcode alone would make most of the pairs.
    for f in fields {
        if let FieldKind::Extra(e) = f {
            let present = p.extra[*e].iter().filter(|&&x| x != NULL).count();
            if p.extra_values[*e].len() * 10 >= present * 3 {
                passes.push(vec![Extra(*e)]);
            } else if family {
                passes.push(vec![Extra(*e), Family]);
            }
        }
    }
    if passes.is_empty() && p.names.iter().filter(|n| n[GIVEN] != NULL).count() >= 2 {
        passes.push(vec![Given]);
    }
    passes
}

fn component(p: &Prepared, i: usize, on: BlockOn) -> Option<u64> {
    let v = match on {
        BlockOn::Given => p.key_of(i, GIVEN),
        BlockOn::Father => p.key_of(i, FATHER),
        BlockOn::Family => p.key_of(i, FAMILY),
        BlockOn::Mother => p.key_of(i, MOTHER),
        BlockOn::BirthHalf(o) => {
            let b = p.birth[i];
            if b == i16::MIN {
                NULL
            } else {
                ((i32::from(b) + i32::from(o)).div_euclid(2) + 40_000) as u32
            }
        }
        BlockOn::Death => {
            let d = p.death[i];
            if d == i32::MIN { NULL } else { d as u32 }
        }
        BlockOn::Place => p.place[i],
        BlockOn::Extra(e) => p.extra[e][i],
        BlockOn::Sex => {
            let s = p.sex[i];
            if s == 0 { NULL } else { u32::from(s) }
        }
    };
    (v != NULL).then_some(u64::from(v))
}

fn block_key(p: &Prepared, i: usize, on: &[BlockOn]) -> Option<u64> {
    // FNV-style mixing of the components; collisions only add candidate pairs.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &c in on {
        let v = component(p, i, c)?;
        h = (h ^ v).wrapping_mul(0x0000_0100_0000_01b3);
        h ^= h >> 29;
    }
    Some(h)
}

/// Whether a pass's pairs train the model: those sharing two name keys (or an id-like
/// extra field), where matches are common enough for EM to find them. Broader passes
/// add candidates to score, but would drown the matches in namesakes while learning.
pub(crate) fn trains(on: &[BlockOn]) -> bool {
    let names = on
        .iter()
        .filter(|b| {
            matches!(
                b,
                BlockOn::Given | BlockOn::Father | BlockOn::Family | BlockOn::Mother
            )
        })
        .count();
    names >= 2 || on.iter().any(|b| matches!(b, BlockOn::Extra(_))) || on.len() == 1
}

/// Runs one pass: its candidate pairs as `i << 32 | j` with `i < j`, and its statistics.
pub(crate) fn run_pass(p: &Prepared, on: &[BlockOn], cap: usize) -> (Vec<u64>, PassStats) {
    let mut keyed: Vec<(u64, u32)> = (0..p.n)
        .into_par_iter()
        .filter_map(|i| block_key(p, i, on).map(|k| (k, i as u32)))
        .collect();
    keyed.par_sort_unstable();
    let mut stats = PassStats {
        name: name_of(on),
        pairs: 0,
        skipped_blocks: 0,
        skipped_records: 0,
        largest_block: 0,
    };
    let mut pairs = Vec::new();
    let mut start = 0;
    while start < keyed.len() {
        let mut end = start + 1;
        while end < keyed.len() && keyed[end].0 == keyed[start].0 {
            end += 1;
        }
        let size = end - start;
        if size > cap {
            stats.skipped_blocks += 1;
            stats.skipped_records += size as u64;
        } else {
            stats.largest_block = stats.largest_block.max(size as u64);
            for a in start..end {
                for b in a + 1..end {
                    let (x, y) = (keyed[a].1, keyed[b].1);
                    let (x, y) = if x < y { (x, y) } else { (y, x) };
                    pairs.push(u64::from(x) << 32 | u64::from(y));
                }
            }
        }
        start = end;
    }
    stats.pairs = pairs.len() as u64;
    (pairs, stats)
}
