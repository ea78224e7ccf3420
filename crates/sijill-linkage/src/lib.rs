//! Record linkage of victim lists: blocking, comparison vectors, Fellegi–Sunter with EM, clustering into persons. Pure: no IO.
//!
//! The pipeline, each stage in its own module:
//!
//! 1. [`record`]: names are folded and split into given / father / grandfather / family
//!    name with `sijill-names`; values are interned; the birth year comes from the age
//!    and the date of death when the list gives no year.
//! 2. [`blocking`]: several passes over script-independent name keys, birth-year halves,
//!    mother's name, place and extra fields; the pairs are united; oversized blocks are
//!    skipped and counted.
//! 3. [`compare`]: one level per field per pair. The kin names form *one* field so that
//!    siblings (who agree on all of them) are not taken for one person.
//! 4. [`model`]: three classes (one person, one household, unrelated), fitted by EM on
//!    the candidate pairs from a rule-based start; term-frequency adjustment of given and
//!    family name and of extra fields. u is learned on the candidate pairs, not on random
//!    pairs: random pairs describe a population that blocking never compares, and on
//!    family-structured lists starting from them led EM to the household solution.
//! 5. [`cluster`]: greedy merging from the most probable pair down, with list and
//!    cohesion constraints instead of connected components.
//!
//! ```
//! use sijill_linkage::{Params, Record, link};
//! let records = vec![
//!     Record::new("a", "1", "محمد علي حسن الخطيب"),
//!     Record::new("b", "7", "Mohammad Ali al-Khatib"),
//!     Record::new("b", "8", "Samer Khaled Darwish"),
//! ];
//! let out = link(&records, &Params::default().check().unwrap(), &sijill_linkage::NoProgress);
//! assert_eq!(out.person.len(), 3);
//! ```

pub mod blocking;
pub mod cluster;
pub mod compare;
pub mod model;
pub mod parse;
pub mod record;

pub use blocking::{BlockOn, PassStats};
pub use cluster::ClusterParams;
pub use compare::FieldKind;
pub use model::{EmReport, Model, TermFrequency, probability};
pub use parse::{Date, DayMonth, ParseError, Sex};
pub use record::{Name, Record};

use compare::{Pattern, level};
use rayon::prelude::*;
use record::{FAMILY, GIVEN, NULL, Prepared};
use thiserror::Error;

/// Reports progress of the long stages; the library itself prints nothing.
pub trait Progress: Sync {
    /// A stage begins with `total` steps.
    fn stage(&self, name: &str, total: u64);
    /// `n` more steps of the current stage are done.
    fn advance(&self, n: u64);
}

/// A [`Progress`] that ignores everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn stage(&self, _: &str, _: u64) {}
    fn advance(&self, _: u64) {}
}

/// A labelled pair: indices of two records and whether they are one person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Label {
    /// Index of the first record.
    pub a: usize,
    /// Index of the second record.
    pub b: usize,
    /// True when they are one person.
    pub same: bool,
}

/// Linkage settings as given; [`Params::check`] turns them into [`ValidParams`].
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    /// Pairs at or above this probability are links (default 0.5).
    pub threshold: f64,
    /// Two records of one list join only at or above this (default 0.99).
    pub duplicate_threshold: f64,
    /// A pair below this keeps two clusters apart (default 0.01).
    pub cohesion_floor: f64,
    /// Pairs across two clusters must average at least this (default 0.3).
    pub cohesion_mean: f64,
    /// Blocks with more records than this are skipped (default 120).
    pub max_block: usize,
    /// EM iterations at most (default 200).
    pub em_max_iter: usize,
    /// EM stops when no parameter moves more than this (default 1e-5).
    pub em_tolerance: f64,
    /// Largest term-frequency adjustment in bits, either way (default 6).
    pub tf_cap: f64,
    /// Year that ages are counted from when a record has no date of death (default 2025).
    pub reference_year: i32,
    /// Names of the extra fields compared as text ([`Record::extra`] holds their values).
    pub extra_fields: Vec<String>,
    /// Labelled pairs, if any; they stay fixed during EM.
    pub labels: Vec<Label>,
}

impl Default for Params {
    fn default() -> Params {
        Params {
            threshold: 0.5,
            duplicate_threshold: 0.99,
            cohesion_floor: 0.01,
            cohesion_mean: 0.3,
            max_block: 120,
            em_max_iter: 200,
            em_tolerance: 1e-5,
            tf_cap: 6.0,
            reference_year: 2025,
            extra_fields: Vec::new(),
            labels: Vec::new(),
        }
    }
}

/// A setting out of its range.
#[derive(Debug, Error, PartialEq)]
pub enum ParamError {
    /// A probability outside (0, 1].
    #[error("{name} must be a probability in (0, 1], not {value}")]
    Probability {
        /// The setting.
        name: &'static str,
        /// Its value.
        value: f64,
    },
    /// A count that must be positive.
    #[error("{0} must be at least 2")]
    TooSmall(&'static str),
    /// Too many extra fields.
    #[error("at most {max} extra fields can be compared, not {given}")]
    TooManyExtra {
        /// The most allowed.
        max: usize,
        /// How many were given.
        given: usize,
    },
}

/// Checked settings: only these run.
#[derive(Debug, Clone)]
pub struct ValidParams(Params);

impl ValidParams {
    /// The settings.
    pub fn get(&self) -> &Params {
        &self.0
    }
}

impl Params {
    /// Checks every setting.
    pub fn check(self) -> Result<ValidParams, ParamError> {
        for (name, value) in [
            ("threshold", self.threshold),
            ("duplicate threshold", self.duplicate_threshold),
            ("cohesion floor", self.cohesion_floor),
            ("cohesion mean", self.cohesion_mean),
        ] {
            if !(value > 0.0 && value <= 1.0) {
                return Err(ParamError::Probability { name, value });
            }
        }
        if self.max_block < 2 {
            return Err(ParamError::TooSmall("max block"));
        }
        if self.em_max_iter < 2 {
            return Err(ParamError::TooSmall("EM iterations"));
        }
        let max = compare::MAX_FIELDS - 6;
        if self.extra_fields.len() > max {
            return Err(ParamError::TooManyExtra {
                max,
                given: self.extra_fields.len(),
            });
        }
        Ok(ValidParams(self))
    }
}

/// Counts of what the run did.
#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    /// The blocking passes.
    pub passes: Vec<PassStats>,
    /// Distinct candidate pairs compared.
    pub candidate_pairs: u64,
    /// How EM went.
    pub em: EmReport,
    /// Persons found.
    pub persons: u32,
}

/// The result of a linkage run.
#[derive(Debug, Clone)]
pub struct Linkage {
    /// Person index of each record (numbered in order of first appearance).
    pub person: Vec<u32>,
    /// Per record: its best pair probability to another record of its person (alone:
    /// to any record; 0 with no candidate).
    pub probability: Vec<f32>,
    /// The candidate pairs as `(i, j)` with `i < j`.
    pub pairs: Vec<(u32, u32)>,
    /// The match probability of each candidate pair.
    pub pair_probability: Vec<f32>,
    /// The fitted model.
    pub model: Model,
    /// What the run did.
    pub stats: Stats,
    tf: Vec<Option<TermFrequency>>,
}

/// One field's part in a pair's weight.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldWeight {
    /// The field, e.g. `given` or `kin`.
    pub field: String,
    /// The level's name, or `absent`.
    pub level: &'static str,
    /// log2(m/u) of the level.
    pub weight: f64,
    /// The term-frequency adjustment in bits.
    pub tf: f64,
}

/// A pair's weight, field by field: the waterfall behind its probability.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// What the pair is weighed against: the likelier of `relative` and `unrelated`.
    pub against: &'static str,
    /// log2 of the class shares (one person against `against`).
    pub prior: f64,
    /// log2 of the share of `against` among the non-match explanations (≤ 0).
    pub other: f64,
    /// Each field's weight.
    pub fields: Vec<FieldWeight>,
    /// The sum of all weights.
    pub total: f64,
    /// The probability of the total.
    pub probability: f64,
}

/// The name of a field for explanations and headers.
pub fn field_name(kind: FieldKind, extra: &[String]) -> String {
    match kind {
        FieldKind::Given => "given".into(),
        FieldKind::Kin => "kin".into(),
        FieldKind::Sex => "sex".into(),
        FieldKind::Birth => "birth_year".into(),
        FieldKind::Death => "date_of_death".into(),
        FieldKind::Place => "place".into(),
        FieldKind::Extra(e) => extra.get(e).cloned().unwrap_or_else(|| format!("extra{e}")),
    }
}

/// The value a field's term-frequency adjustment looks up, when the pair agrees on it.
fn tf_value(p: &Prepared, kind: FieldKind, lvl: usize, i: usize, j: usize) -> Option<u32> {
    match kind {
        FieldKind::Given if lvl == 1 || lvl == 2 => Some(p.key_of(i, GIVEN)),
        FieldKind::Kin if matches!(lvl, 1..=3) && compare::family_agrees(p, i, j) => {
            Some(p.key_of(i, FAMILY))
        }
        FieldKind::Extra(e) if lvl == 1 => Some(p.extra[e][i]),
        _ => None,
    }
}

fn tf_tables(p: &Prepared, fields: &[FieldKind], cap: f64) -> Vec<Option<TermFrequency>> {
    fields
        .iter()
        .map(|&kind| {
            let mut counts = match kind {
                FieldKind::Given | FieldKind::Kin => vec![0u32; p.key_count],
                FieldKind::Extra(e) => vec![0u32; p.extra_values[e].len()],
                _ => return None,
            };
            for i in 0..p.n {
                let v = match kind {
                    FieldKind::Given => p.key_of(i, GIVEN),
                    FieldKind::Kin => p.key_of(i, FAMILY),
                    FieldKind::Extra(e) => p.extra[e][i],
                    _ => NULL,
                };
                if v != NULL {
                    counts[v as usize] += 1;
                }
            }
            Some(TermFrequency::new(&counts, cap))
        })
        .collect()
}

fn tf_total(
    p: &Prepared,
    fields: &[FieldKind],
    tf: &[Option<TermFrequency>],
    pat: Pattern,
    i: usize,
    j: usize,
) -> f64 {
    let mut s = 0.0;
    for (f, &kind) in fields.iter().enumerate() {
        if let Some(t) = &tf[f]
            && let Some(v) = tf_value(p, kind, level(pat, f), i, j)
        {
            s += t.adjust(v);
        }
    }
    s
}

fn split(pair: u64) -> (usize, usize) {
    ((pair >> 32) as usize, (pair & 0xFFFF_FFFF) as usize)
}

/// A prepared set of records that can be linked and whose pairs can be explained.
#[derive(Debug)]
pub struct Linker {
    prepared: Prepared,
    fields: Vec<FieldKind>,
    params: Params,
}

impl Linker {
    /// Prepares the records (folds and splits names, interns values).
    pub fn new(records: &[Record], params: &ValidParams) -> Linker {
        let params = params.get().clone();
        let prepared = record::prepare(records, params.reference_year, params.extra_fields.len());
        let fields = compare::active_fields(&prepared);
        Linker {
            prepared,
            fields,
            params,
        }
    }

    /// The fields compared, in pattern order.
    pub fn fields(&self) -> &[FieldKind] {
        &self.fields
    }

    /// The default blocking passes for these records.
    pub fn passes(&self) -> Vec<Vec<BlockOn>> {
        blocking::default_passes(&self.prepared, &self.fields)
    }

    /// Runs blocking, EM, scoring and clustering.
    pub fn run(&self, progress: &dyn Progress) -> Linkage {
        self.run_with_passes(&self.passes(), progress)
    }

    /// Runs with the given blocking passes.
    pub fn run_with_passes(&self, passes: &[Vec<BlockOn>], progress: &dyn Progress) -> Linkage {
        let p = &self.prepared;
        let fields = &self.fields;
        let params = &self.params;
        progress.stage("blocking", passes.len() as u64);
        let mut all = Vec::new();
        let mut train = Vec::new();
        let mut pass_stats = Vec::new();
        for on in passes {
            let (pairs, s) = blocking::run_pass(p, on, params.max_block);
            if blocking::trains(on) {
                train.extend_from_slice(&pairs);
                train.par_sort_unstable();
                train.dedup();
            }
            all.extend(pairs);
            all.par_sort_unstable();
            all.dedup();
            pass_stats.push(s);
            progress.advance(1);
        }
        let pairs = all;
        if train.is_empty() {
            train = pairs.clone();
        }

        progress.stage("comparing", pairs.len() as u64);
        let patterns: Vec<Pattern> = pairs
            .par_chunks(1 << 14)
            .flat_map_iter(|chunk| {
                let out: Vec<Pattern> = chunk
                    .iter()
                    .map(|&pr| {
                        let (i, j) = split(pr);
                        compare::compare(p, fields, i, j)
                    })
                    .collect();
                progress.advance(chunk.len() as u64);
                out
            })
            .collect();

        progress.stage("learning", 1);
        let households = p
            .names
            .iter()
            .filter(|n| n[1..].iter().enumerate().any(|(k, &x)| k != 2 && x != NULL))
            .count()
            >= 2;
        let labels: Vec<(Pattern, bool)> = params
            .labels
            .iter()
            .filter(|l| l.a < p.n && l.b < p.n && l.a != l.b)
            .map(|l| (compare::compare(p, fields, l.a, l.b), l.same))
            .collect();
        let training: Vec<Pattern> = {
            // Both lists are sorted: walk them together.
            let mut out = Vec::with_capacity(train.len());
            let mut k = 0;
            for (&pr, &pat) in pairs.iter().zip(&patterns) {
                while k < train.len() && train[k] < pr {
                    k += 1;
                }
                if k < train.len() && train[k] == pr {
                    out.push(pat);
                }
            }
            out
        };
        drop(train);
        let mut model = Model::from_rules(fields, &training, &[], households);
        let em = model.em(&training, &labels, params.em_max_iter, params.em_tolerance);
        let mut tf = tf_tables(p, fields, params.tf_cap);
        for (f, t) in tf.iter_mut().enumerate() {
            if let Some(t) = t {
                let kind = fields[f];
                t.centre_on(pairs.iter().zip(&patterns).filter_map(|(&pr, &pat)| {
                    let (i, j) = split(pr);
                    tf_value(p, kind, level(pat, f), i, j)
                }));
            }
        }
        progress.advance(1);

        progress.stage("scoring", pairs.len() as u64);
        let probs: Vec<f32> = pairs
            .par_iter()
            .zip(patterns.par_iter())
            .map(|(&pr, &pat)| {
                let (i, j) = split(pr);
                probability(model.weight(pat) + tf_total(p, fields, &tf, pat, i, j)) as f32
            })
            .collect();
        progress.advance(pairs.len() as u64);
        drop(patterns);

        progress.stage("clustering", 1);
        let cp = ClusterParams {
            threshold: params.threshold,
            duplicate_threshold: params.duplicate_threshold,
            cohesion_floor: params.cohesion_floor,
            cohesion_mean: params.cohesion_mean,
        };
        let score = |i: u32, j: u32| {
            let (i, j) = (i as usize, j as usize);
            let pat = compare::compare(p, fields, i, j);
            probability(model.weight(pat) + tf_total(p, fields, &tf, pat, i, j)) as f32
        };
        let (person, probability) = cluster::cluster(p.n, &p.list, &pairs, &probs, &cp, &score);
        progress.advance(1);
        let persons = person.iter().copied().max().map_or(0, |m| m + 1);
        Linkage {
            person,
            probability,
            pairs: pairs
                .iter()
                .map(|&pr| ((pr >> 32) as u32, (pr & 0xFFFF_FFFF) as u32))
                .collect(),
            pair_probability: probs,
            model,
            stats: Stats {
                passes: pass_stats,
                candidate_pairs: pairs.len() as u64,
                em,
                persons,
            },
            tf,
        }
    }

    /// The waterfall of weights of records `i` and `j` under a run's model.
    pub fn explain(&self, linkage: &Linkage, i: usize, j: usize) -> Explanation {
        let p = &self.prepared;
        let pat = compare::compare(p, &self.fields, i, j);
        let d = linkage.model.decompose(pat);
        let mut fields = Vec::new();
        let mut total = d.prior + d.other;
        for (f, &kind) in self.fields.iter().enumerate() {
            let l = level(pat, f);
            let weight = d.fields[f];
            let tf = match (&linkage.tf[f], tf_value(p, kind, l, i, j)) {
                (Some(t), Some(v)) => t.adjust(v),
                _ => 0.0,
            };
            total += weight + tf;
            fields.push(FieldWeight {
                field: field_name(kind, &self.params.extra_fields),
                level: if l == 0 {
                    "absent"
                } else {
                    kind.levels()[l - 1]
                },
                weight,
                tf,
            });
        }
        Explanation {
            against: if d.against == model::RELATIVE {
                "relative"
            } else {
                "unrelated"
            },
            prior: d.prior,
            other: d.other,
            fields,
            total,
            probability: probability(total),
        }
    }

    /// The list names, by the list index used inside the linker.
    pub fn list_names(&self) -> &[String] {
        &self.prepared.lists
    }
}

/// Links records into persons with the default blocking passes.
pub fn link(records: &[Record], params: &ValidParams, progress: &dyn Progress) -> Linkage {
    Linker::new(records, params).run(progress)
}
