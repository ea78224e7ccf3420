//! Clustering of scored pairs into persons. Connected components over-count persons and
//! chain unrelated records through one weak link; instead pairs are merged greedily from
//! the most probable down, and two clusters merge only when the whole of them holds
//! together:
//!
//! - two records of one list end in one person only if that very pair scored at least
//!   the duplicate threshold (lists do hold internal duplicates, but rarely);
//! - no scored pair across the two clusters may fall below the cohesion floor (strong
//!   evidence that they are two people), and the scored pairs across them must average
//!   at least the cohesion mean.

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
pub(crate) fn cluster(n: usize, list: &[u16], pairs: &[u64], probs: &[f32], cp: &ClusterParams) -> (Vec<u32>, Vec<f32>) {
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
        let (small, big) = if members[a as usize].len() <= members[b as usize].len() { (a, b) } else { (b, a) };
        let mut ok = true;
        let (mut sum, mut count) = (0.0f64, 0usize);
        'check: for &r in &members[small as usize] {
            for &s in &members[big as usize] {
                let q = adj.get(r, s);
                if list[r as usize] == list[s as usize] && q.is_none_or(|q| f64::from(q) < cp.duplicate_threshold) {
                    ok = false;
                    break 'check;
                }
                if let Some(q) = q {
                    if f64::from(q) < cp.cohesion_floor {
                        ok = false;
                        break 'check;
                    }
                    sum += f64::from(q);
                    count += 1;
                }
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
