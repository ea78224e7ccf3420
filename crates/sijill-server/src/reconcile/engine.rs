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

/// Links the records, using the clerical decisions: decided pairs are labels for the
/// model, and a "match" decision joins the two persons whatever the model says.
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
        labels: labels.clone(),
        ..Params::default()
    }
    .check()
    .map_err(|e| e.to_string())?;
    let recs: Vec<Record> = records.iter().map(to_record).collect();
    let linker = Linker::new(&recs, &params);
    let linkage = linker.run(progress);

    // Persons, with "match" decisions joining theirs (union–find over person numbers).
    let n_persons = linkage
        .person
        .iter()
        .copied()
        .max()
        .map_or(0, |m| m as usize + 1);
    let mut parent: Vec<usize> = (0..n_persons).collect();
    fn find(p: &mut [usize], x: usize) -> usize {
        let mut x = x;
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    for l in labels.iter().filter(|l| l.same) {
        let (a, b) = (linkage.person[l.a] as usize, linkage.person[l.b] as usize);
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        if ra != rb {
            parent[ra.max(rb)] = ra.min(rb);
        }
    }
    let mut groups: BTreeMap<usize, Vec<(Uuid, f64)>> = BTreeMap::new();
    for (i, &p) in linkage.person.iter().enumerate() {
        let root = find(&mut parent, p as usize);
        groups
            .entry(root)
            .or_default()
            .push((records[i].id, f64::from(linkage.probability[i])));
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
