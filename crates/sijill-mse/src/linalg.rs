//! Small dense linear algebra for IRLS: a Cholesky factorisation that detects aliased
//! columns (as R's pivoting QR in `glm` does), solves and inverts. Matrices are row-major
//! `p × p` with `p` at most a few hundred.

// Index loops mirror the formulas of the reference implementations.
#![allow(clippy::needless_range_loop)]

/// A Cholesky factor of a symmetric positive semi-definite matrix, with the columns found
/// linearly dependent on earlier ones dropped.
#[derive(Debug, Clone)]
pub(crate) struct Cholesky {
    p: usize,
    /// Lower factor over the kept columns (`k × k`, row-major).
    l: Vec<f64>,
    /// Indices of the kept columns.
    kept: Vec<usize>,
}

impl Cholesky {
    /// Factors `a` (`p × p`, row-major). A column whose pivot falls below `tol` times its
    /// diagonal entry is declared aliased and dropped.
    pub(crate) fn new(a: &[f64], p: usize, tol: f64) -> Cholesky {
        let mut kept: Vec<usize> = Vec::with_capacity(p);
        let mut l: Vec<f64> = Vec::new(); // rows of the factor over kept columns
        for c in 0..p {
            let k = kept.len();
            // Row of L for column c: solve L[0..k,0..k] x = a[kept, c].
            let mut row = vec![0.0; k + 1];
            for (i, &ci) in kept.iter().enumerate() {
                let mut s = a[ci * p + c];
                for m in 0..i {
                    s -= l[i * (p + 1) + m] * row[m];
                }
                row[i] = s / l[i * (p + 1) + i];
            }
            let diag = a[c * p + c];
            let d = diag - row[..k].iter().map(|x| x * x).sum::<f64>();
            if diag > 0.0 && d > tol * diag && d.is_finite() {
                row[k] = d.sqrt();
                // Store with stride p + 1 for simplicity.
                let mut full = vec![0.0; p + 1];
                full[..=k].copy_from_slice(&row);
                l.extend_from_slice(&full);
                kept.push(c);
            }
        }
        Cholesky { p, l, kept }
    }

    /// Columns kept (not aliased).
    pub(crate) fn kept(&self) -> &[usize] {
        &self.kept
    }

    /// Rank of the matrix.
    pub(crate) fn rank(&self) -> usize {
        self.kept.len()
    }

    fn lk(&self, i: usize, j: usize) -> f64 {
        self.l[i * (self.p + 1) + j]
    }

    /// Solves `A x = b`; aliased coordinates of `x` are 0.
    pub(crate) fn solve(&self, b: &[f64]) -> Vec<f64> {
        let k = self.kept.len();
        let mut y = vec![0.0; k];
        for i in 0..k {
            let mut s = b[self.kept[i]];
            for m in 0..i {
                s -= self.lk(i, m) * y[m];
            }
            y[i] = s / self.lk(i, i);
        }
        for i in (0..k).rev() {
            let mut s = y[i];
            for m in i + 1..k {
                s -= self.lk(m, i) * y[m];
            }
            y[i] = s / self.lk(i, i);
        }
        let mut x = vec![0.0; self.p];
        for (i, &c) in self.kept.iter().enumerate() {
            x[c] = y[i];
        }
        x
    }

    /// The inverse over the kept columns, embedded in a `p × p` matrix (aliased rows and
    /// columns are `NaN`, as R reports them).
    pub(crate) fn inverse(&self) -> Vec<f64> {
        let p = self.p;
        let mut inv = vec![f64::NAN; p * p];
        let mut e = vec![0.0; p];
        for &c in &self.kept {
            e.iter_mut().for_each(|v| *v = 0.0);
            e[c] = 1.0;
            let col = self.solve(&e);
            for &r in &self.kept {
                inv[r * p + c] = col[r];
            }
        }
        inv
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solves_a_positive_definite_system() {
        let a = [4.0, 2.0, 0.6, 2.0, 2.0, 0.5, 0.6, 0.5, 3.0];
        let ch = Cholesky::new(&a, 3, 1e-11);
        assert_eq!(ch.rank(), 3);
        let x = ch.solve(&[1.0, 2.0, 3.0]);
        for r in 0..3 {
            let s: f64 = (0..3).map(|c| a[r * 3 + c] * x[c]).sum();
            assert!((s - [1.0, 2.0, 3.0][r]).abs() < 1e-12);
        }
        let inv = ch.inverse();
        for r in 0..3 {
            for c in 0..3 {
                let s: f64 = (0..3).map(|m| a[r * 3 + m] * inv[m * 3 + c]).sum();
                assert!((s - if r == c { 1.0 } else { 0.0 }).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn drops_an_aliased_column() {
        // Column 2 = column 0 + column 1 in the design, so X'X is singular.
        let x = [
            [1.0, 0.0, 1.0],
            [0.0, 1.0, 1.0],
            [1.0, 1.0, 2.0],
            [1.0, 0.0, 1.0],
        ];
        let mut a = [0.0; 9];
        for row in &x {
            for r in 0..3 {
                for c in 0..3 {
                    a[r * 3 + c] += row[r] * row[c];
                }
            }
        }
        let ch = Cholesky::new(&a, 3, 1e-11);
        assert_eq!(ch.kept(), &[0, 1]);
        assert!(ch.inverse()[8].is_nan());
    }
}
