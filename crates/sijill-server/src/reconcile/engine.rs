//! The bridge between stored lists and the engines: opened victim records become
//! linkage records, a linkage becomes persons and a review queue, and a run's persons
//! become capture histories for an estimate. Blocking CPU work: call it from
//! `spawn_blocking` (the server) or a plain thread (the CLI).

use serde_json::json;
use sijill_linkage::{Label, Linker, Name, Params, Progress, Record};
use sijill_store::reconcile_lists::{
    Decision, Membership, PersonRecords, ReviewPair, VictimRecord, capture_histories,
};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// Pairs whose probability lies in this band go to clerical review.
pub const REVIEW_BAND: (f32, f32) = (0.2, 0.9);
/// At most this many pairs are queued for review per run (least certain first).
pub const REVIEW_MAX: usize = 500;

/// What a linkage run produced, ready for [`sijill_store::Store::finish_linkage_run`].
#[derive(Debug, Clone)]
pub struct LinkOutput {
    /// Persons with their records.
    pub persons: Vec<PersonRecords>,
    /// Uncertain pairs with each field's weight.
    pub review: Vec<ReviewPair>,
    /// Counts to show.
    pub stats: serde_json::Value,
}

fn to_record(r: &VictimRecord) -> Record {
    let p = &r.row.personal;
    let name = match &p.full_name {
        Some(n) => Name::Full(n.clone()),
        None => Name::Parts {
            given: p.given.clone(),
            father: p.father.clone(),
            grandfather: p.grandfather.clone(),
            family: p.family.clone(),
        },
    };
    Record {
        list: r.list_id.to_string(),
        record_id: r.id.to_string(),
        name,
        mother: p.mother.clone(),
        sex: match r.row.sex.as_deref() {
            Some("male") => Some(sijill_linkage::Sex::Male),
            Some("female") => Some(sijill_linkage::Sex::Female),
            _ => None,
        },
        age: r.row.age.and_then(|a| u16::try_from(a).ok()),
        birth_year: r.row.birth_year.and_then(|y| i32::try_from(y).ok()),
        date_of_death: r.row.date_of_death.as_deref().and_then(|d| {
            let mut it = d.split('-').map(|x| x.parse::<u32>().ok());
            let (y, m, dd) = (it.next()??, it.next()??, it.next()??);
            sijill_linkage::Date::from_ymd(y as i32, m, dd)
        }),
        place: p.place.clone(),
        extra: Vec::new(),
    }
}

/// Links the records, using the clerical decisions: a "match" decision joins the two
/// persons and a "not a match" decision keeps them apart, whatever the model says (see
/// [`constrain`]). Decisions are constraints only, not training labels for EM: reviewers
/// decide the hard cases, and fixed labels on exceptions pull the model towards them
/// (one "not a match" on two identical rows of a 20-record list turned every pair into a
/// non-match).
pub fn link(
    records: &[VictimRecord],
    decisions: &[(Uuid, Uuid, Decision)],
    threshold: f64,
    progress: &dyn Progress,
) -> Result<LinkOutput, String> {
    let index: HashMap<Uuid, usize> = records.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    let labels: Vec<Label> = decisions
        .iter()
        .filter_map(|(a, b, d)| {
            let same = match d {
                Decision::Match => true,
                Decision::NonMatch => false,
                Decision::Unsure => return None,
            };
            Some(Label {
                a: *index.get(a)?,
                b: *index.get(b)?,
                same,
            })
        })
        .collect();
    let params = Params {
        threshold,
        ..Params::default()
    }
    .check()
    .map_err(|e| e.to_string())?;
    let recs: Vec<Record> = records.iter().map(to_record).collect();
    let linker = Linker::new(&recs, &params);
    let linkage = linker.run(progress);
    let (person, probability) = constrain(
        &linkage.person,
        &linkage.probability,
        &linkage.pairs,
        &linkage.pair_probability,
        &labels,
        threshold as f32,
    );
    let mut groups: BTreeMap<usize, Vec<(Uuid, f64)>> = BTreeMap::new();
    for (i, &p) in person.iter().enumerate() {
        groups
            .entry(p)
            .or_default()
            .push((records[i].id, f64::from(probability[i])));
    }
    let persons: Vec<PersonRecords> = groups
        .into_values()
        .enumerate()
        .map(|(label, records)| PersonRecords {
            label: label as i64,
            records,
        })
        .collect();

    // The review queue: uncertain candidate pairs, least certain first.
    let mut uncertain: Vec<(usize, f32)> = linkage
        .pair_probability
        .iter()
        .enumerate()
        .filter(|(_, p)| **p >= REVIEW_BAND.0 && **p <= REVIEW_BAND.1)
        .map(|(k, p)| (k, *p))
        .collect();
    uncertain.sort_by(|a, b| {
        (a.1 - 0.5)
            .abs()
            .partial_cmp(&(b.1 - 0.5).abs())
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    uncertain.truncate(REVIEW_MAX);
    let review: Vec<ReviewPair> = uncertain
        .into_iter()
        .map(|(k, p)| {
            let (i, j) = linkage.pairs[k];
            let ex = linker.explain(&linkage, i as usize, j as usize);
            ReviewPair {
                a: records[i as usize].id,
                b: records[j as usize].id,
                probability: f64::from(p),
                weights: json!({
                    "against": ex.against,
                    "prior": ex.prior + ex.other,
                    "total": ex.total,
                    "fields": ex.fields.iter().map(|f| json!({
                        "field": f.field, "level": f.level, "weight": f.weight, "tf": f.tf,
                    })).collect::<Vec<_>>(),
                }),
                decision: None,
            }
        })
        .collect();
    let stats = json!({
        "records": records.len(),
        "persons": persons.len(),
        "candidate_pairs": linkage.stats.candidate_pairs,
        "review_pairs": review.len(),
        "labels": labels.len(),
        "em_iterations": linkage.stats.em.iterations,
    });
    Ok(LinkOutput {
        persons,
        review,
        stats,
    })
}

fn find(p: &mut [usize], x: usize) -> usize {
    let mut x = x;
    while p[x] != x {
        p[x] = p[p[x]];
        x = p[x];
    }
    x
}

/// Applies the clerical decisions to the engine's persons. "Match" pairs are joined
/// (unless that would put a "not a match" pair in one person); every person that holds
/// a "not a match" pair is clustered again from its own records: decided matches first,
/// then its candidate pairs at or above `threshold`, most probable first, each joining
/// two groups only when no "not a match" pair would end up inside one. Gives each
/// record's person (numbered in order of first record) and its match probability (a
/// record moved away from its person gets its best pair within its new one).
pub fn constrain(
    person: &[u32],
    probability: &[f32],
    pairs: &[(u32, u32)],
    pair_probability: &[f32],
    labels: &[Label],
    threshold: f32,
) -> (Vec<usize>, Vec<f32>) {
    let n = person.len();
    let apart: Vec<(usize, usize)> = labels
        .iter()
        .filter(|l| !l.same && l.a < n && l.b < n && l.a != l.b)
        .map(|l| (l.a, l.b))
        .collect();
    let together: Vec<(usize, usize)> = labels
        .iter()
        .filter(|l| l.same && l.a < n && l.b < n)
        .map(|l| (l.a, l.b))
        .collect();
    // Union–find over records; members of each root kept for the "apart" check.
    let mut parent: Vec<usize> = (0..n).collect();
    let mut first: HashMap<u32, usize> = HashMap::new();
    for (i, &p) in person.iter().enumerate() {
        let root = *first.entry(p).or_insert(i);
        parent[i] = root;
    }
    let conflicts = |parent: &mut [usize], x: usize, y: usize| {
        let (rx, ry) = (find(parent, x), find(parent, y));
        apart.iter().any(|&(a, b)| {
            let (ra, rb) = (find(parent, a), find(parent, b));
            (ra == rx && rb == ry) || (ra == ry && rb == rx)
        })
    };
    let join = |parent: &mut [usize], x: usize, y: usize| {
        let (rx, ry) = (find(parent, x), find(parent, y));
        if rx != ry {
            parent[rx.max(ry)] = rx.min(ry);
        }
    };
    // Persons holding a "not a match" pair are taken apart into single records.
    let mut broken = std::collections::HashSet::new();
    for &(a, b) in &apart {
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        if ra == rb {
            broken.insert(ra);
        }
    }
    let split: Vec<bool> = (0..n)
        .map(|i| broken.contains(&find(&mut parent, i)))
        .collect();
    let mut parent: Vec<usize> = (0..n)
        .map(|i| if split[i] { i } else { find(&mut parent, i) })
        .collect();
    for &(a, b) in &together {
        if !conflicts(&mut parent, a, b) {
            join(&mut parent, a, b);
        }
    }
    let mut order: Vec<usize> = (0..pairs.len())
        .filter(|&k| {
            let (i, j) = (pairs[k].0 as usize, pairs[k].1 as usize);
            (split[i] || split[j]) && pair_probability[k] >= threshold
        })
        .collect();
    order.sort_by(|&x, &y| pair_probability[y].total_cmp(&pair_probability[x]));
    for k in order {
        let (i, j) = (pairs[k].0 as usize, pairs[k].1 as usize);
        if !(split[i] && split[j]) || find(&mut parent, i) == find(&mut parent, j) {
            continue;
        }
        if !conflicts(&mut parent, i, j) {
            join(&mut parent, i, j);
        }
    }
    // Number persons by first record; recompute probabilities of records that moved.
    let mut number: HashMap<usize, usize> = HashMap::new();
    let out: Vec<usize> = (0..n)
        .map(|i| {
            let r = find(&mut parent, i);
            let next = number.len();
            *number.entry(r).or_insert(next)
        })
        .collect();
    let mut prob = probability.to_vec();
    let moved: Vec<usize> = (0..n).filter(|&i| split[i]).collect();
    if !moved.is_empty() {
        for &i in &moved {
            prob[i] = 0.0;
        }
        for (k, &(i, j)) in pairs.iter().enumerate() {
            let (i, j) = (i as usize, j as usize);
            if out[i] == out[j] && (split[i] || split[j]) {
                prob[i] = prob[i].max(pair_probability[k]);
                prob[j] = prob[j].max(pair_probability[k]);
            }
        }
    }
    (out, prob)
}

/// An estimate's result, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct EstimateOutput {
    /// Persons observed on the lists.
    pub observed: i64,
    /// The point estimate quoted.
    pub estimate: f64,
    /// Interval ends.
    pub low: Option<f64>,
    /// Upper end (`None`: unbounded).
    pub high: Option<f64>,
    /// The model.
    pub model: String,
    /// The engine's report.
    pub report: serde_json::Value,
}

/// Estimates the total from a run's persons over `lists` (names in the same order),
/// stratified by `none`, `governorate` or `period`, with `method` (`loglinear`, `bma`,
/// `lcmcr`).
pub fn estimate(
    members: &[Membership],
    lists: &[Uuid],
    names: &[String],
    stratum_by: &str,
    method: &str,
) -> Result<EstimateOutput, String> {
    use sijill_mse::Histories;
    use sijill_mse::report::{Method, Options, run, run_strata};
    let m = match method {
        "loglinear" => Method::LogLinear,
        "bma" => Method::Bma,
        "lcmcr" => Method::Lcmcr,
        _ => return Err("unknown method".into()),
    };
    let opts = Options::default();
    let strata = capture_histories(members, lists, stratum_by);
    let tables: Vec<(String, Histories)> = strata
        .into_iter()
        .map(|(s, cells)| {
            Histories::from_masks(names.to_vec(), cells)
                .map(|h| (s, h))
                .map_err(|e| e.to_string())
        })
        .collect::<Result<_, _>>()?;
    if tables.is_empty() {
        return Err("no person is on the chosen lists".into());
    }
    let pick = |rows: &[sijill_mse::report::EstimateRow]| {
        rows.iter().find(|r| r.method == method).cloned()
    };
    if tables.len() == 1 && stratum_by == "none" {
        let h = &tables[0].1;
        let r = run(h, m, &opts).map_err(|e| e.to_string())?;
        let row = r
            .recommended
            .as_ref()
            .map(|x| x.row.clone())
            .or_else(|| pick(&r.results))
            .ok_or("the method gave no estimate")?;
        return Ok(EstimateOutput {
            observed: r.observed as i64,
            estimate: row.estimate,
            low: row.interval[0],
            high: row.interval[1],
            model: row.model.clone(),
            report: serde_json::to_value(&r).unwrap_or_default(),
        });
    }
    let r = run_strata(&tables, m, &opts).map_err(|e| e.to_string())?;
    let row = pick(&r.total).ok_or("the method gave no combined estimate")?;
    Ok(EstimateOutput {
        observed: r.observed as i64,
        estimate: row.estimate,
        low: row.interval[0],
        high: row.interval[1],
        model: row.model.clone(),
        report: serde_json::to_value(&r).unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(a: usize, b: usize, same: bool) -> Label {
        Label { a, b, same }
    }

    /// Three records the engine put in one person; "not a match" on the two ends
    /// separates them, and the middle one goes with the end it is likelier to be.
    #[test]
    fn not_a_match_takes_a_person_apart() {
        let person = [0, 0, 0, 1];
        let prob = [0.9, 0.9, 0.8, 0.0];
        let pairs = [(0, 1), (1, 2), (0, 2)];
        let pp = [0.9, 0.8, 0.7];
        let (p, _) = constrain(&person, &prob, &pairs, &pp, &[], 0.5);
        assert_eq!(p, vec![0, 0, 0, 1]);
        let (p, q) = constrain(&person, &prob, &pairs, &pp, &[label(0, 2, false)], 0.5);
        assert_eq!(p, vec![0, 0, 1, 2]);
        assert_eq!(q[2], 0.0);
        assert!((q[0] - 0.9).abs() < 1e-6);
    }

    /// "Match" joins two persons, but never across a "not a match" pair.
    #[test]
    fn match_joins_unless_kept_apart() {
        let person = [0, 1, 2];
        let prob = [0.0; 3];
        let (p, _) = constrain(&person, &prob, &[], &[], &[label(0, 1, true)], 0.5);
        assert_eq!(p, vec![0, 0, 1]);
        let labels = [label(0, 1, true), label(1, 2, true), label(0, 2, false)];
        let (p, _) = constrain(&person, &prob, &[], &[], &labels, 0.5);
        assert_ne!(p[0], p[2]);
        assert_eq!(p[0], p[1]);
    }

    fn record(list: Uuid, key: usize, name: &str, year: i64, dod: &str) -> VictimRecord {
        use sijill_store::reconcile_lists::{Personal, VictimRow};
        VictimRecord {
            id: Uuid::now_v7(),
            list_id: list,
            row_no: key as i64,
            record_key: key.to_string(),
            row: VictimRow {
                record_key: key.to_string(),
                personal: Personal {
                    full_name: Some(name.into()),
                    ..Personal::default()
                },
                sex: Some("male".into()),
                age: None,
                birth_year: Some(year),
                date_of_death: Some(dod.into()),
                governorate: None,
                status: "civilian".into(),
            },
        }
    }

    /// Through the whole engine: the same man on two lists is one person until a
    /// reviewer says "not a match", and two different men become one on "match".
    #[test]
    fn decisions_reach_the_next_run() {
        let names = [
            "Mohammad Ali Hasan",
            "Samer Yousef Darwish",
            "Ahmad Khalil Ibrahim",
            "Ali Mahmoud Suleiman",
            "Hasan Omar Haidar",
            "Yousef Nabil Mansour",
            "Rami Jamil Ismail",
            "Fadi Adel Younes",
            "Bassam Hani Salloum",
            "Nizar Fouad Shaheen",
        ];
        let (l1, l2) = (Uuid::now_v7(), Uuid::now_v7());
        let mut recs = Vec::new();
        for (k, n) in names.iter().enumerate() {
            let year = 1960 + 3 * k as i64;
            recs.push(record(l1, k, n, year, "2025-03-07"));
            recs.push(record(l2, k, n, year, "2025-03-07"));
        }
        let person_of = |out: &LinkOutput, id: Uuid| {
            out.persons
                .iter()
                .position(|p| p.records.iter().any(|r| r.0 == id))
        };
        let quiet = sijill_linkage::NoProgress;
        let base = link(&recs, &[], 0.5, &quiet).unwrap();
        let (a, b) = (recs[0].id, recs[1].id);
        let (c, d) = (recs[2].id, recs[5].id);
        assert_eq!(person_of(&base, a), person_of(&base, b));
        assert_ne!(person_of(&base, c), person_of(&base, d));

        let decided = [(a, b, Decision::NonMatch), (c, d, Decision::Match)];
        let next = link(&recs, &decided, 0.5, &quiet).unwrap();
        assert_ne!(person_of(&next, a), person_of(&next, b));
        assert_eq!(person_of(&next, c), person_of(&next, d));
        assert_eq!(next.persons.len(), base.persons.len());
    }
}
