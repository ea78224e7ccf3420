//! Invariants every estimate must satisfy, whatever the data: `N̂ ≥ n`, the interval
//! contains the point, and the order of the lists changes nothing.

mod common;

use common::histories;
use sijill_mse::Histories;
use sijill_mse::bma::{BmaParams, bma};
use sijill_mse::lcmcr::{LcmcrParams, lcmcr};
use sijill_mse::loglinear::{
    Base, Criterion, Heterogeneity, ModelSpec, closedp, fit, profile_interval, search,
};

const FILES: [&str; 6] = [
    "rcapture_hare.csv",
    "rcapture_mvole_period3.csv",
    "rcapture_HIV.csv",
    "rcapture_lesbian.csv",
    "rcapture_duck.csv",
    "dga_madigan_york_5list.csv",
];

#[test]
fn loglinear_estimates_are_at_least_observed_and_inside_their_intervals() {
    for file in FILES {
        let h = histories(file);
        let n = h.observed() as f64;
        for f in closedp(&h).expect("closedp") {
            if !f.estimate.is_finite() {
                continue;
            }
            assert!(
                f.estimate >= n - 1e-9,
                "{file} {}: {} < {n}",
                f.model,
                f.estimate
            );
            if matches!(f.spec.base, Base::Mb | Base::Mbh) {
                continue;
            }
            let ci = profile_interval(&h, &f.spec, 0.95).expect("ci");
            assert!(ci.lower >= n - 1e-9, "{file} {}", f.model);
            assert!(
                ci.lower <= ci.point && ci.point <= ci.upper.value(),
                "{file} {}: {ci:?}",
                f.model
            );
        }
    }
}

fn reversed(h: &Histories) -> Histories {
    let order: Vec<usize> = (0..h.t()).rev().collect();
    h.permuted(&order).expect("permutation")
}

#[test]
fn permuting_lists_changes_no_loglinear_estimate() {
    for file in FILES {
        let h = histories(file);
        let p = reversed(&h);
        for (a, b) in closedp(&h)
            .expect("fits")
            .iter()
            .zip(closedp(&p).expect("fits"))
        {
            // Mb and Mbh depend on the order of occasions by definition; Mt-type and
            // Mh-type models do not.
            if matches!(a.spec.base, Base::Mb | Base::Mbh) {
                continue;
            }
            let rel = (a.estimate - b.estimate).abs() / a.estimate.abs().max(1.0);
            assert!(
                rel < 1e-6,
                "{file} {}: {} vs {}",
                a.model,
                a.estimate,
                b.estimate
            );
            assert!((a.deviance - b.deviance).abs() < 1e-6);
        }
        // An interaction follows its lists: term {0,1} becomes {t-1, t-2}.
        let t = h.t() as u32;
        let a = fit(&h, &ModelSpec::with_interactions(vec![0b11])).expect("fit");
        let b = fit(
            &p,
            &ModelSpec::with_interactions(vec![(1 << (t - 1)) | (1 << (t - 2))]),
        )
        .expect("fit");
        assert!(
            (a.estimate - b.estimate).abs() / a.estimate < 1e-6,
            "{file}"
        );
    }
}

#[test]
fn model_search_is_invariant_to_list_order() {
    let h = histories("rcapture_HIV.csv");
    let a = search(&h, Criterion::Aic, 2).expect("search");
    let b = search(&reversed(&h), Criterion::Aic, 2).expect("search");
    assert_eq!(a.len(), 64);
    assert!((a[0].estimate - b[0].estimate).abs() < 1e-6 * a[0].estimate);
    assert!((a[0].aic - b[0].aic).abs() < 1e-9);
}

#[test]
fn bma_is_invariant_to_list_order_and_above_observed() {
    for file in [
        "rcapture_HIV.csv",
        "dga_madigan_york_5list.csv",
        "rcapture_mvole_period3.csv",
    ] {
        let h = histories(file);
        let a = bma(&h, &BmaParams::default()).expect("bma");
        let b = bma(&reversed(&h), &BmaParams::default()).expect("bma");
        assert!(
            (a.posterior.mean() - b.posterior.mean()).abs() < 1e-6 * a.posterior.mean(),
            "{file}"
        );
        assert_eq!(a.posterior.median(), b.posterior.median());
        let (lo, hi) = a.posterior.interval(0.95);
        let med = a.posterior.median();
        assert!(
            lo >= h.observed() as f64 && lo <= med && med <= hi,
            "{file}"
        );
        assert!((a.models[0].1 - b.models[0].1).abs() < 1e-9);
    }
}

#[test]
fn lcmcr_is_seeded_and_above_observed() {
    let h = histories("rcapture_HIV.csv");
    let params = LcmcrParams {
        burnin: 500,
        samples: 200,
        thin: 5,
        seed: 42,
        ..LcmcrParams::default()
    }
    .check()
    .expect("params");
    let a = lcmcr(&h, &params).expect("lcmcr");
    let b = lcmcr(&h, &params).expect("lcmcr");
    assert_eq!(a.n, b.n, "same seed, same draws");
    assert!(a.n.iter().all(|&x| x >= h.observed() as f64));
    let s = &a.summary;
    assert!(s.interval95.0 <= s.median && s.median <= s.interval95.1);
    let other = LcmcrParams {
        seed: 43,
        burnin: 500,
        samples: 200,
        thin: 5,
        ..LcmcrParams::default()
    }
    .check()
    .expect("params");
    assert_ne!(
        lcmcr(&h, &other).expect("lcmcr").n,
        a.n,
        "another seed, other draws"
    );
}

#[test]
fn heterogeneity_models_need_three_lists() {
    let h = histories("rcapture_seber1982_2list.csv");
    assert!(
        fit(
            &h,
            &ModelSpec::new(Base::M0).heterogeneous(Heterogeneity::Chao)
        )
        .is_err()
    );
}
