//! Capture-history counts: the input of every estimator.

use crate::error::{MseError, invalid};

/// Most lists a [`Histories`] may hold (patterns are bit masks in a `u32`; the dense table
/// has `2^t` cells, so the limit keeps memory bounded).
pub const MAX_LISTS: usize = 24;

/// Counts of units by capture pattern over `t` lists.
///
/// Pattern `m` is a bit mask: bit `j` is set when the unit is on list `j`. The pattern 0
/// (on no list) is never observed; its count is what the estimators infer.
#[derive(Debug, Clone, PartialEq)]
pub struct Histories {
    lists: Vec<String>,
    /// Observed patterns and their counts, sorted by pattern, zero counts dropped.
    cells: Vec<(u32, u64)>,
    n: u64,
}

impl Histories {
    /// Builds the table from rows of (0/1 pattern, count). Rows with a zero count are
    /// allowed (they are simply empty cells); a pattern given twice is an error.
    pub fn from_rows<I>(lists: Vec<String>, rows: I) -> Result<Self, MseError>
    where
        I: IntoIterator<Item = (Vec<bool>, u64)>,
    {
        let t = lists.len();
        if t < 2 {
            return Err(MseError::TooFewLists(t));
        }
        if t > MAX_LISTS {
            return Err(MseError::TooManyLists {
                lists: t,
                max: MAX_LISTS,
                method: "capture histories",
            });
        }
        let mut seen = std::collections::BTreeMap::new();
        for (pattern, count) in rows {
            if pattern.len() != t {
                return Err(MseError::PatternLength {
                    got: pattern.len(),
                    expected: t,
                });
            }
            let mask = pattern
                .iter()
                .enumerate()
                .fold(0u32, |m, (j, &b)| if b { m | (1 << j) } else { m });
            let text: String = pattern.iter().map(|&b| if b { '1' } else { '0' }).collect();
            if mask == 0 {
                return Err(MseError::EmptyPattern(text));
            }
            if seen.insert(mask, count).is_some() {
                return Err(MseError::DuplicatePattern(text));
            }
        }
        Self::from_masks(lists, seen)
    }

    /// Builds the table from (bit mask, count) pairs; masks must be in `1..2^t`.
    pub fn from_masks<I>(lists: Vec<String>, cells: I) -> Result<Self, MseError>
    where
        I: IntoIterator<Item = (u32, u64)>,
    {
        let t = lists.len();
        if t < 2 {
            return Err(MseError::TooFewLists(t));
        }
        if t > MAX_LISTS {
            return Err(MseError::TooManyLists {
                lists: t,
                max: MAX_LISTS,
                method: "capture histories",
            });
        }
        let mut map = std::collections::BTreeMap::new();
        for (mask, count) in cells {
            if mask == 0 {
                return Err(MseError::EmptyPattern("0".repeat(t)));
            }
            if (mask as u64) >= (1u64 << t) {
                return Err(invalid(
                    "pattern",
                    format!("mask {mask} has more than {t} lists"),
                ));
            }
            *map.entry(mask).or_insert(0u64) += count;
        }
        let cells: Vec<(u32, u64)> = map.into_iter().filter(|&(_, c)| c > 0).collect();
        let n = cells.iter().map(|&(_, c)| c).sum();
        if n == 0 {
            return Err(MseError::NoObservations);
        }
        Ok(Histories { lists, cells, n })
    }

    /// Builds a table from a dense vector indexed by pattern (index 0 is ignored).
    pub fn from_dense(lists: Vec<String>, counts: &[u64]) -> Result<Self, MseError> {
        let t = lists.len();
        if t <= MAX_LISTS && counts.len() != 1usize << t {
            return Err(invalid(
                "counts",
                format!("expected {} cells, got {}", 1usize << t, counts.len()),
            ));
        }
        let cells = counts
            .iter()
            .enumerate()
            .skip(1)
            .map(|(m, &c)| (m as u32, c));
        Self::from_masks(lists, cells)
    }

    /// Number of lists `t`.
    pub fn t(&self) -> usize {
        self.lists.len()
    }

    /// List names, in column order.
    pub fn lists(&self) -> &[String] {
        &self.lists
    }

    /// Number of units observed (on at least one list).
    pub fn observed(&self) -> u64 {
        self.n
    }

    /// Observed patterns with a positive count, sorted by pattern.
    pub fn cells(&self) -> &[(u32, u64)] {
        &self.cells
    }

    /// Dense table of all `2^t` cells (index 0, the unobserved cell, holds 0).
    pub fn dense(&self) -> Vec<u64> {
        let mut v = vec![0u64; 1usize << self.t()];
        for &(m, c) in &self.cells {
            v[m as usize] = c;
        }
        v
    }

    /// Number of units on each list.
    pub fn list_totals(&self) -> Vec<u64> {
        let mut tot = vec![0u64; self.t()];
        for &(m, c) in &self.cells {
            for (j, slot) in tot.iter_mut().enumerate() {
                if m & (1 << j) != 0 {
                    *slot += c;
                }
            }
        }
        tot
    }

    /// The same counts with the lists reordered: new list `i` is old list `order[i]`.
    pub fn permuted(&self, order: &[usize]) -> Result<Self, MseError> {
        let t = self.t();
        let mut check = order.to_vec();
        check.sort_unstable();
        if check != (0..t).collect::<Vec<_>>() {
            return Err(invalid("order", "not a permutation of the lists"));
        }
        let lists = order.iter().map(|&i| self.lists[i].clone()).collect();
        let cells = self.cells.iter().map(|&(m, c)| {
            let nm = order.iter().enumerate().fold(0u32, |acc, (i, &old)| {
                if m & (1 << old) != 0 {
                    acc | (1 << i)
                } else {
                    acc
                }
            });
            (nm, c)
        });
        Self::from_masks(lists, cells)
    }

    /// Frequencies of units by number of captures (for the `closedp.0` models).
    pub fn frequencies(&self) -> Frequencies {
        let t = self.t();
        let mut f = vec![0u64; t];
        for &(m, c) in &self.cells {
            f[m.count_ones() as usize - 1] += c;
        }
        Frequencies {
            occasions: Some(t),
            counts: f,
        }
    }
}

/// Units by number of times caught: `counts[k-1]` units were caught `k` times.
#[derive(Debug, Clone, PartialEq)]
pub struct Frequencies {
    /// Number of occasions `t`, or `None` for "unbounded" (Rcapture's `t = Inf`).
    occasions: Option<usize>,
    counts: Vec<u64>,
}

impl Frequencies {
    /// Builds frequencies; `occasions` must be at least the largest `k` with a count.
    pub fn new(occasions: Option<usize>, counts: Vec<u64>) -> Result<Self, MseError> {
        let mut counts = counts;
        while counts.last() == Some(&0) {
            counts.pop();
        }
        if counts.is_empty() {
            return Err(MseError::NoObservations);
        }
        if let Some(t) = occasions {
            if t < 2 {
                return Err(MseError::TooFewLists(t));
            }
            if counts.len() > t {
                return Err(invalid(
                    "occasions",
                    format!("units caught {} times but only {t} occasions", counts.len()),
                ));
            }
            counts.resize(t, 0);
        } else if counts.len() < 2 {
            counts.resize(2, 0);
        }
        Ok(Frequencies { occasions, counts })
    }

    /// The number of occasions, or `None` when unbounded.
    pub fn occasions(&self) -> Option<usize> {
        self.occasions
    }

    /// `counts()[k-1]` = units caught `k` times, for `k = 1..=t`.
    pub fn counts(&self) -> &[u64] {
        &self.counts
    }

    /// Units observed.
    pub fn observed(&self) -> u64 {
        self.counts.iter().sum()
    }
}
