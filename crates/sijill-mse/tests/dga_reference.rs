//! Reference tests for decomposable-graph BMA against R `dga`.
//!
//! Source: HRDAG/dga `tests/testthat/test-BMAfunctions.R`, "3 lists example against
//! Madigan and York": spina bifida, delta = 1, negative-binomial prior a = 13.14,
//! b = 55.17, Nmissing = 1:300. Top model probability 0.37, its Bayes estimate
//! (E[1/N]/E[1/N²]) 731 and mode 729; model average: Bayes estimate 731, mode 728.

mod common;

use common::histories;
use sijill_mse::bma::{BmaParams, NPrior, bma, decomposable_graphs};

#[test]
fn madigan_york_spina_bifida() {
    let h = histories("dga_madigan_york_3list_spina_bifida.csv");
    let params = BmaParams {
        delta: Some(1.0),
        prior: NPrior::NegativeBinomial { a: 13.14, b: 55.17 },
        min_missing: 1,
        max_missing: Some(300),
    };
    let r = bma(&h, &params).expect("bma");
    assert_eq!(r.graphs, 8);
    assert_eq!((r.models[0].1 * 100.0).round() / 100.0, 0.37);
    assert_eq!(r.models[0].0.name(h.lists()), "[d1,d2][d3]");
    assert_eq!(r.top.relative_loss_estimate().round(), 731.0);
    assert_eq!(r.top.mode(), 729.0);
    assert_eq!(r.posterior.relative_loss_estimate().round(), 731.0);
    assert_eq!(r.posterior.mode(), 728.0);
}

/// dga's documentation: 822 decomposable graphs on five lists (shipped as `graphs5`).
#[test]
fn five_list_example_averages_822_graphs() {
    let h = histories("dga_madigan_york_5list.csv");
    assert_eq!(decomposable_graphs(5).len(), 822);
    let params = BmaParams {
        delta: Some(0.5),
        ..BmaParams::default()
    };
    let r = bma(&h, &params).expect("bma");
    assert_eq!(r.graphs, 822);
    let total: f64 = r.models.iter().map(|m| m.1).sum();
    assert!((total - 1.0).abs() < 1e-9);
    let (lo, hi) = r.posterior.interval(0.95);
    let med = r.posterior.median();
    assert!(lo <= med && med <= hi && lo >= h.observed() as f64);
    assert!(
        r.tail_mass < 1e-6,
        "grid must hold the posterior: {}",
        r.tail_mass
    );
}
