//! The merge of one record's revisions into its current state: a pure function of the
//! set of revisions, so every instance holding the same revisions shows the same record
//! and the same conflicts, whatever order they arrived in.
//!
//! For each field, the writes that no later write of the same field descends from are
//! its candidates. One candidate (or several with equal values) gives the value; several
//! different values are a conflict: the record shows the candidate with the highest
//! (clock, instance id, revision id) until a person writes a revision descending from
//! all of them. Deletion is the pseudo-field [`DELETED`] (`"1"` on a tombstone, `"0"` on
//! creation or restoration); a deletion wins over a concurrent restoration and over a
//! concurrent edit, and both are flagged as a conflict on [`DELETED`].

use std::collections::{BTreeMap, HashMap, HashSet};
use uuid::Uuid;

/// The pseudo-field of deletion.
pub const DELETED: &str = "_deleted";

/// The pseudo-field of an erasure (`"1"`): the record's personal fields were erased on
/// the instance that made the revision, and every instance that receives it erases its
/// own copy. It never names a column, so a merge writes nothing for it.
pub const ERASED: &str = "_erased";

/// One revision as the merge sees it (personal values already opened).
#[derive(Clone)]
pub(crate) struct Rev {
    pub id: Uuid,
    pub parents: Vec<Uuid>,
    pub instance: Uuid,
    pub clock: u64,
    pub fields: BTreeMap<String, Option<String>>,
}

/// A field with several candidate values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldConflict {
    pub field: String,
    pub candidates: Vec<Uuid>,
    pub chosen: Uuid,
}

/// The merged state of one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Merged {
    pub values: BTreeMap<String, Option<String>>,
    pub deleted: bool,
    pub heads: Vec<Uuid>,
    pub conflicts: Vec<FieldConflict>,
}

fn order_key(r: &Rev) -> (u64, Uuid, Uuid) {
    (r.clock, r.instance, r.id)
}

/// Merges the revisions of one record. Parents missing from `revs` are ignored.
pub(crate) fn merge(revs: &[Rev]) -> Merged {
    let by_id: HashMap<Uuid, &Rev> = revs.iter().map(|r| (r.id, r)).collect();
    // Ancestor sets, by an explicit stack (histories can be long).
    let mut ancestors: HashMap<Uuid, HashSet<Uuid>> = HashMap::new();
    for r in revs {
        let mut seen = HashSet::new();
        let mut stack: Vec<Uuid> = r.parents.clone();
        while let Some(p) = stack.pop() {
            if !by_id.contains_key(&p) || !seen.insert(p) {
                continue;
            }
            if let Some(known) = ancestors.get(&p) {
                seen.extend(known.iter().copied());
                continue;
            }
            stack.extend(by_id[&p].parents.iter().copied());
        }
        ancestors.insert(r.id, seen);
    }
    let is_ancestor = |a: Uuid, of: Uuid| ancestors.get(&of).is_some_and(|s| s.contains(&a));

    let mut field_names: Vec<&String> = revs.iter().flat_map(|r| r.fields.keys()).collect();
    field_names.sort();
    field_names.dedup();

    let mut values = BTreeMap::new();
    let mut conflicts = Vec::new();
    let mut delete_writers: Vec<&Rev> = Vec::new();
    for name in field_names {
        let writers: Vec<&Rev> = revs
            .iter()
            .filter(|r| r.fields.contains_key(name))
            .collect();
        let mut candidates: Vec<&Rev> = writers
            .iter()
            .copied()
            .filter(|w| {
                !writers
                    .iter()
                    .any(|o| o.id != w.id && is_ancestor(w.id, o.id))
            })
            .collect();
        candidates.sort_by_key(|r| order_key(r));
        let deletion = name == DELETED;
        let chosen = if deletion {
            candidates
                .iter()
                .rev()
                .find(|r| r.fields[name].as_deref() == Some("1"))
                .or(candidates.last())
        } else {
            candidates.last()
        };
        let Some(chosen) = chosen.copied() else {
            continue;
        };
        let distinct: HashSet<&Option<String>> =
            candidates.iter().map(|r| &r.fields[name]).collect();
        if distinct.len() > 1 {
            conflicts.push(FieldConflict {
                field: name.clone(),
                candidates: candidates.iter().map(|r| r.id).collect(),
                chosen: chosen.id,
            });
        }
        if deletion {
            delete_writers = candidates
                .iter()
                .copied()
                .filter(|r| r.fields[name].as_deref() == Some("1"))
                .collect();
        }
        values.insert(name.clone(), chosen.fields[name].clone());
    }

    let mut parents_of_some: HashSet<Uuid> = HashSet::new();
    for r in revs {
        parents_of_some.extend(r.parents.iter().copied());
    }
    let mut heads: Vec<&Rev> = revs
        .iter()
        .filter(|r| !parents_of_some.contains(&r.id))
        .collect();
    heads.sort_by_key(|r| order_key(r));
    let deleted = values.remove(DELETED).flatten().as_deref() == Some("1");
    if deleted {
        // An edit no deletion has seen: kept as a conflict beside the deletion.
        let unseen: Vec<&Rev> = heads
            .iter()
            .copied()
            .filter(|h| {
                !delete_writers
                    .iter()
                    .any(|d| d.id == h.id || is_ancestor(d.id, h.id))
            })
            .collect();
        if !unseen.is_empty() {
            let mut ids: Vec<Uuid> = match conflicts.iter().position(|c| c.field == DELETED) {
                Some(i) => conflicts.remove(i).candidates,
                None => delete_writers.iter().map(|d| d.id).collect(),
            };
            ids.extend(unseen.iter().map(|h| h.id));
            ids.dedup();
            let chosen = delete_writers
                .iter()
                .max_by_key(|r| order_key(r))
                .map(|r| r.id)
                .unwrap_or(ids[0]);
            conflicts.push(FieldConflict {
                field: DELETED.into(),
                candidates: ids,
                chosen,
            });
        }
    }
    conflicts.sort_by(|a, b| a.field.cmp(&b.field));
    Merged {
        values,
        deleted,
        heads: heads.iter().map(|r| r.id).collect(),
        conflicts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rev(n: u128, parents: &[u128], inst: u128, clock: u64, f: &[(&str, &str)]) -> Rev {
        Rev {
            id: Uuid::from_u128(n),
            parents: parents.iter().map(|p| Uuid::from_u128(*p)).collect(),
            instance: Uuid::from_u128(inst),
            clock,
            fields: f
                .iter()
                .map(|(k, v)| ((*k).to_owned(), Some((*v).to_owned())))
                .collect(),
        }
    }

    #[test]
    fn different_fields_merge_same_field_conflicts() {
        let create = rev(1, &[], 1, 1, &[("a", "x"), ("b", "y"), (DELETED, "0")]);
        let left = rev(2, &[1], 1, 2, &[("a", "left")]);
        let right = rev(3, &[1], 2, 2, &[("a", "right"), ("b", "z")]);
        let m = merge(&[create.clone(), left.clone(), right.clone()]);
        assert_eq!(m.values["b"].as_deref(), Some("z"));
        // Same clock: the higher instance id wins deterministically.
        assert_eq!(m.values["a"].as_deref(), Some("right"));
        assert_eq!(m.conflicts.len(), 1);
        assert_eq!(m.conflicts[0].field, "a");
        assert!(!m.deleted);
        // Order of arrival changes nothing.
        assert_eq!(m, merge(&[right, left, create]));
    }

    #[test]
    fn a_descendant_write_resolves() {
        let revs = [
            rev(1, &[], 1, 1, &[("a", "x"), (DELETED, "0")]),
            rev(2, &[1], 1, 2, &[("a", "left")]),
            rev(3, &[1], 2, 2, &[("a", "right")]),
            rev(4, &[2, 3], 1, 3, &[("a", "left")]),
        ];
        let m = merge(&revs);
        assert!(m.conflicts.is_empty());
        assert_eq!(m.values["a"].as_deref(), Some("left"));
        assert_eq!(m.heads, vec![Uuid::from_u128(4)]);
    }

    #[test]
    fn equal_concurrent_values_are_no_conflict() {
        let revs = [
            rev(1, &[], 1, 1, &[("a", "x"), (DELETED, "0")]),
            rev(2, &[1], 1, 2, &[("a", "same")]),
            rev(3, &[1], 2, 5, &[("a", "same")]),
        ];
        assert!(merge(&revs).conflicts.is_empty());
    }

    #[test]
    fn deletion_wins_and_flags_a_concurrent_edit() {
        let revs = [
            rev(1, &[], 1, 1, &[("a", "x"), (DELETED, "0")]),
            rev(2, &[1], 1, 2, &[(DELETED, "1")]),
            rev(3, &[1], 2, 9, &[("a", "edited")]),
        ];
        let m = merge(&revs);
        assert!(m.deleted);
        assert_eq!(m.conflicts.len(), 1);
        assert_eq!(m.conflicts[0].field, DELETED);
        assert_eq!(m.conflicts[0].chosen, Uuid::from_u128(2));
        // A deletion that saw the edit is no conflict.
        let mut seen = revs.to_vec();
        seen.push(rev(4, &[2, 3], 1, 10, &[(DELETED, "1")]));
        let m = merge(&seen);
        assert!(m.deleted && m.conflicts.is_empty());
        // A restoration that saw both brings the edited record back.
        let mut restored = revs.to_vec();
        restored.push(rev(4, &[2, 3], 1, 10, &[(DELETED, "0")]));
        let m = merge(&restored);
        assert!(!m.deleted && m.conflicts.is_empty());
        assert_eq!(m.values["a"].as_deref(), Some("edited"));
    }
}
