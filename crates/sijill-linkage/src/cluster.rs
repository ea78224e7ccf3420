//! Clustering of scored pairs into persons. Connected components over-count persons and
//! chain unrelated records through one weak link; instead pairs are merged greedily from
//! the most probable down, and two clusters merge only when the whole of them holds
//! together:
//!
//! - two records of one list end in one person only if that very pair scored at least
//!   the duplicate threshold (lists do hold internal duplicates, but rarely);
//! - no pair across the two clusters may fall below the cohesion floor (strong evidence
//!   that they are two people), and the pairs across them must average at least the
//!   cohesion mean. Pairs that blocking did not propose are scored when they are needed,
//!   so a chain A–B–C is checked on A–C too.

/// Pair lookup by record: for each record its scored neighbours, sorted.
struct Adjacency {
    start: Vec<usize>,
    nbr: Vec<u32>,
    prob: Vec<f32>,
}

impl Adjacency {
    fn new(n: usize, pairs: &[u64], probs: &[f32]) -> Adjacency {
        let mut deg = vec![0usize; n + 1];
        for &p in pairs {
            deg[(p >> 32) as usize] += 1;
            deg[(p & 0xFFFF_FFFF) as usize] += 1;
        }
        let mut start = vec![0usize; n + 1];
        for i in 0..n {
            start[i + 1] = start[i] + deg[i];
        }
        let mut fill = start.clone();
        let mut nbr = vec![0u32; start[n]];
        let mut prob = vec![0f32; start[n]];
        for (&p, &q) in pairs.iter().zip(probs) {
            let (i, j) = ((p >> 32) as usize, (p & 0xFFFF_FFFF) as usize);
            nbr[fill[i]] = j as u32;
            prob[fill[i]] = q;
            fill[i] += 1;
            nbr[fill[j]] = i as u32;
            prob[fill[j]] = q;
            fill[j] += 1;
        }
        // Pairs come sorted by (i, j): each row holds its smaller neighbours first, then
        // its larger ones, both ascending, so rows are already sorted.
        Adjacency { start, nbr, prob }
    }

    fn get(&self, i: u32, j: u32) -> Option<f32> {
        let (a, b) = (self.start[i as usize], self.start[i as usize + 1]);
        let row = &self.nbr[a..b];
        row.binary_search(&j).ok().map(|k| self.prob[a + k])
    }
}

/// Clustering settings (checked by [`crate::Params::check`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClusterParams {
    /// Pairs at or above this probability are links.
    pub threshold: f64,
    /// Two records of one list join only at or above this probability.
    pub duplicate_threshold: f64,
    /// A scored pair below this keeps two clusters apart.
    pub cohesion_floor: f64,
    /// The scored pairs across two clusters must average at least this.
    pub cohesion_mean: f64,
}

/// Clusters records into persons: returns the person index of each record (numbered in
/// order of first appearance) and, per record, its best pair probability to another
/// record of its person (or, alone, to any record; 0 with no candidate).
pub(crate) fn cluster(
    n: usize,
    list: &[u16],
    pairs: &[u64],
    probs: &[f32],
    cp: &ClusterParams,
    score: &dyn Fn(u32, u32) -> f32,
) -> (Vec<u32>, Vec<f32>) {
    let adj = Adjacency::new(n, pairs, probs);
    let mut edges: Vec<(f32, u64)> = pairs
        .iter()
        .zip(probs)
        .filter(|&(_, &q)| f64::from(q) >= cp.threshold)
        .map(|(&p, &q)| (q, p))
        .collect();
    edges.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut root: Vec<u32> = (0..n as u32).collect();
    let mut members: Vec<Vec<u32>> = (0..n as u32).map(|i| vec![i]).collect();
    fn find(root: &mut [u32], mut x: u32) -> u32 {
        while root[x as usize] != x {
            let up = root[root[x as usize] as usize];
            root[x as usize] = up;
            x = up;
        }
        x
    }
    for &(_, p) in &edges {
        let (i, j) = ((p >> 32) as u32, (p & 0xFFFF_FFFF) as u32);
        let (a, b) = (find(&mut root, i), find(&mut root, j));
        if a == b {
            continue;
        }
        let (small, big) = if members[a as usize].len() <= members[b as usize].len() {
            (a, b)
        } else {
            (b, a)
        };
        let mut ok = true;
        let (mut sum, mut count) = (0.0f64, 0usize);
        'check: for &r in &members[small as usize] {
            for &s in &members[big as usize] {
                let q = f64::from(adj.get(r, s).unwrap_or_else(|| score(r, s)));
                if (list[r as usize] == list[s as usize] && q < cp.duplicate_threshold)
                    || q < cp.cohesion_floor
                {
                    ok = false;
                    break 'check;
                }
                sum += q;
                count += 1;
            }
        }
        if !ok || (count > 0 && sum / (count as f64) < cp.cohesion_mean) {
            continue;
        }
        let moved = std::mem::take(&mut members[small as usize]);
        members[big as usize].extend(moved);
        root[small as usize] = big;
    }
    let mut person = vec![u32::MAX; n];
    let mut next = 0u32;
    let mut id_of_root = vec![u32::MAX; n];
    for i in 0..n as u32 {
        let r = find(&mut root, i) as usize;
        if id_of_root[r] == u32::MAX {
            id_of_root[r] = next;
            next += 1;
        }
        person[i as usize] = id_of_root[r];
    }
    let mut best = vec![0f32; n];
    let mut best_any = vec![0f32; n];
    for (&p, &q) in pairs.iter().zip(probs) {
        let (i, j) = ((p >> 32) as usize, (p & 0xFFFF_FFFF) as usize);
        best_any[i] = best_any[i].max(q);
        best_any[j] = best_any[j].max(q);
        if person[i] == person[j] {
            best[i] = best[i].max(q);
            best[j] = best[j].max(q);
        }
    }
    let mut size = vec![0u32; next as usize];
    for &x in &person {
        size[x as usize] += 1;
    }
    for i in 0..n {
        if size[person[i] as usize] == 1 {
            best[i] = best_any[i];
        }
    }
    (person, best)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CP: ClusterParams = ClusterParams {
        threshold: 0.5,
        duplicate_threshold: 0.99,
        cohesion_floor: 0.05,
        cohesion_mean: 0.3,
    };

    fn pair(i: u64, j: u64) -> u64 {
        i << 32 | j
    }

    #[test]
    fn a_chain_is_not_a_person() {
        // 0–1 and 1–2 link, but 0 and 2 score as two people: 2 stays apart.
        let pairs = [pair(0, 1), pair(1, 2)];
        let probs = [0.95, 0.9];
        let (person, _) = cluster(3, &[0, 1, 2], &pairs, &probs, &CP, &|_, _| 0.01);
        assert_eq!(person, [0, 0, 1]);
        // Unproposed pairs that score well do not block the merge.
        let (person, _) = cluster(3, &[0, 1, 2], &pairs, &probs, &CP, &|_, _| 0.8);
        assert_eq!(person, [0, 0, 0]);
    }

    #[test]
    fn one_list_holds_two_people_unless_the_evidence_is_strong() {
        let (person, best) = cluster(2, &[0, 0], &[pair(0, 1)], &[0.9], &CP, &|_, _| 0.0);
        assert_eq!(person, [0, 1]);
        assert_eq!(best, [0.9, 0.9]);
        let (person, _) = cluster(2, &[0, 0], &[pair(0, 1)], &[0.995], &CP, &|_, _| 0.0);
        assert_eq!(person, [0, 0]);
    }

    #[test]
    fn strongest_links_win_conflicts() {
        // Record 2 (list 1) could join 0 or 1 (both list 0, two people): it joins the likelier.
        let pairs = [pair(0, 2), pair(1, 2)];
        let (person, _) = cluster(3, &[0, 0, 1], &pairs, &[0.7, 0.97], &CP, &|_, _| 0.0);
        assert_eq!(person, [0, 1, 1]);
    }
}
