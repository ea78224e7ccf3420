//! The report behind `sijill estimate`: every row has a model and an interval holding its
//! estimate, methods that cannot run are listed as skipped, strata add up.

mod common;

use common::histories;
use sijill_mse::lcmcr::LcmcrParams;
use sijill_mse::report::{Method, Options, run, run_strata};

fn fast() -> Options {
    Options {
        lcmcr: LcmcrParams {
            burnin: 300,
            samples: 300,
            thin: 2,
            warmup: 100,
            ..LcmcrParams::default()
        },
        ..Options::default()
    }
}

#[test]
fn every_row_has_a_model_and_an_interval_around_its_estimate() {
    let h = histories("dga_madigan_york_3list_spina_bifida.csv");
    let r = run(&h, Method::All, &fast()).expect("report");
    assert_eq!(r.observed, 626);
    assert!(r.skipped.is_empty());
    for m in ["loglinear", "bma", "lcmcr"] {
        assert!(r.results.iter().any(|x| x.method == m), "{m} ran");
    }
    for row in &r.results {
        assert!(!row.model.is_empty());
        if row.estimate.is_nan() {
            assert!(
                row.warnings.iter().any(|w| w.contains("no estimate")),
                "{}",
                row.model
            );
            assert_eq!(row.interval, [None, None]);
            continue;
        }
        let lo = row.interval[0].expect("lower");
        assert!(lo >= 626.0, "{}: {lo}", row.model);
        if let Some(hi) = row.interval[1] {
            let inside = lo <= row.estimate && row.estimate <= hi;
            let flagged = row
                .warnings
                .iter()
                .any(|w| w.contains("outside the profile interval"));
            assert!(
                inside || flagged || row.estimate.is_nan(),
                "{}: {lo} {} {hi}",
                row.model,
                row.estimate
            );
        } else {
            assert!(
                row.upper_beyond.is_some(),
                "an open upper end says where the search stopped"
            );
        }
    }
    let rec = r.recommended.expect("recommended");
    assert_eq!(rec.row.method, "bma");
}

#[test]
fn twenty_lists_skip_loglinear_and_bma_but_run_lcmcr() {
    let h = histories("verdata_reclutamiento_hombre_1999_R1.csv");
    let r = run(&h, Method::All, &fast()).expect("report");
    assert_eq!(r.skipped.len(), 2, "{:?}", r.skipped);
    assert_eq!(r.results.len(), 1);
    assert_eq!(r.results[0].method, "lcmcr");
    assert!(run(&h, Method::LogLinear, &fast()).is_err());
}

#[test]
fn strata_totals_add_the_strata() {
    let a = histories("rcapture_HIV.csv");
    let b = histories("rcapture_bruno1994_diabetes.csv");
    let strata = vec![
        ("hiv".to_string(), a.clone()),
        ("diabetes".to_string(), b.clone()),
    ];
    let r = run_strata(&strata, Method::LogLinear, &fast()).expect("strata");
    assert_eq!(r.observed, a.observed() + b.observed());
    let per: f64 = r
        .strata
        .iter()
        .map(|s| {
            s.report
                .recommended
                .as_ref()
                .expect("recommended")
                .row
                .estimate
        })
        .sum();
    let total = &r.total[0];
    assert!((total.estimate - per).abs() < 1e-6 * per);
    let (lo, hi) = (
        total.interval[0].expect("lo"),
        total.interval[1].expect("hi"),
    );
    assert!(lo < total.estimate && total.estimate < hi);
}
