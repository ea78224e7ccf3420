//! Reference tests against Rcapture's published output (closedp, closedpCI, closedp.0).
//!
//! Sources (rows of `shared/data/mse/expected_published.csv`):
//! - Baillargeon & Rivest (2007), "Rcapture: Loglinear Models for Capture-Recapture in R",
//!   J. Stat. Software 19(5) ("JSS2007"), and Rcapture's saved example output
//!   `tests/Examples/Rcapture-Ex.Rout.save` (Rcapture 1.3-1, "Rout.save").
//! - Rcapture `inst/tests/testPapersResults.R` (Darroch et al. 1993; Bruno et al. 1994;
//!   Cormack, Chang & Smith 2000).

mod common;

use common::{assert_printed, frequencies, histories};
use sijill_mse::loglinear::{
    self, Base, Bound, Heterogeneity, LogLinearFit, ModelSpec, closedp, closedp0, fit,
    profile_interval, profile_interval_frequencies,
};

/// (model, abundance, stderr, deviance, df, AIC) as printed (1, 1, 3, 0, 3 decimals).
type Row = (&'static str, f64, f64, f64, i64, f64);

fn check_table(fits: &[LogLinearFit], rows: &[Row]) {
    assert_eq!(fits.len(), rows.len());
    for (f, &(name, n, se, dev, df, aic)) in fits.iter().zip(rows) {
        assert_eq!(f.model, name);
        assert_printed(&format!("{name} abundance"), f.estimate, n, 1);
        assert_printed(&format!("{name} stderr"), f.stderr, se, 1);
        assert_printed(&format!("{name} deviance"), f.deviance, dev, 3);
        assert_eq!(f.df, df, "{name} df");
        assert_printed(&format!("{name} AIC"), f.aic, aic, 3);
    }
}

/// JSS2007 p. 7 and Rout.save: `closedp.t(hare)`.
#[test]
fn hare_closedp_table() {
    let h = histories("rcapture_hare.csv");
    let rows: [Row; 12] = [
        ("M0", 75.4, 3.5, 68.516, 61, 154.707),
        ("Mt", 75.1, 3.4, 58.314, 56, 154.505),
        ("Mh Chao (LB)", 79.8, 6.4, 58.023, 58, 150.214),
        ("Mh Poisson2", 81.5, 5.7, 59.107, 60, 147.298),
        ("Mh Darroch", 90.4, 11.6, 61.600, 60, 149.791),
        ("Mh Gamma3.5", 100.6, 21.7, 62.771, 60, 150.961),
        ("Mth Chao (LB)", 79.6, 6.3, 47.115, 52, 151.305),
        ("Mth Poisson2", 81.1, 5.6, 48.137, 55, 146.327),
        ("Mth Darroch", 90.5, 11.7, 50.706, 55, 148.896),
        ("Mth Gamma3.5", 101.6, 22.4, 51.956, 55, 150.147),
        ("Mb", 81.1, 8.3, 67.027, 60, 155.217),
        ("Mbh", 74.2, 14.6, 63.257, 59, 153.447),
    ];
    check_table(&closedp(&h).expect("fits"), &rows);
}

/// JSS2007 p. 12 and Rout.save: `closedp.t(mvole[, 11:15])`.
#[test]
fn mvole_period3_closedp_table() {
    let h = histories("rcapture_mvole_period3.csv");
    let rows: [Row; 12] = [
        ("M0", 51.1, 1.6, 66.964, 29, 122.895),
        ("Mt", 50.9, 1.6, 61.208, 25, 125.138),
        ("Mh Chao (LB)", 71.9, 14.2, 33.556, 26, 95.486),
        ("Mh Poisson2", 61.0, 6.3, 37.902, 28, 95.833),
        ("Mh Darroch", 93.2, 26.7, 34.611, 28, 92.541),
        ("Mh Gamma3.5", 203.2, 119.1, 33.984, 28, 91.915),
        ("Mth Chao (LB)", 71.0, 13.7, 26.120, 22, 96.051),
        ("Mth Poisson2", 60.5, 6.1, 30.652, 24, 96.582),
        ("Mth Darroch", 93.1, 26.6, 27.178, 24, 93.108),
        ("Mth Gamma3.5", 209.9, 124.3, 26.539, 24, 92.470),
        ("Mb", 51.0, 2.0, 66.964, 28, 124.894),
        ("Mbh", 52.6, 9.1, 66.256, 27, 126.187),
    ];
    check_table(&closedp(&h).expect("fits"), &rows);
}

/// Rout.save: `closedp.t(X, dfreq = TRUE)` on Seber (1982), two lists.
#[test]
fn seber_two_lists() {
    let h = histories("rcapture_seber1982_2list.csv");
    let rows: [Row; 3] = [
        ("M0", 2805.6, 164.1, 281.334, 1, 308.166),
        ("Mt", 2389.9, 130.4, 0.000, 0, 28.831),
        ("Mb", 1295.0, 17.3, 0.000, 0, 28.831),
    ];
    check_table(&closedp(&h).expect("fits"), &rows);
}

/// JSS2007 p. 8 / Rout.save: hare, `closedpCI.t(m = "Mth", h = "Poisson", theta = 2)`:
/// profile interval 80.1 [71.8, 93.8].
#[test]
fn hare_mth_poisson_profile_interval() {
    let h = histories("rcapture_hare.csv");
    let spec = ModelSpec::new(Base::Mt).heterogeneous(Heterogeneity::Poisson(2.0));
    let ci = profile_interval(&h, &spec, 0.95).expect("ci");
    assert_printed("point", ci.point, 80.1, 1);
    assert_printed("lower", ci.lower, 71.8, 1);
    assert_printed("upper", ci.upper.value(), 93.8, 1);
    assert!(matches!(ci.upper, Bound::At(_)));
}

/// JSS2007 p. 8 + Rout.save: hare, Mt plus an indicator of the history 111111:
/// 76.77761 (se 3.911153), deviance 47.89417, df 55, AIC 146.0846; CI 76 [70.1, 85.4].
#[test]
fn hare_mt_without_full_history() {
    let h = histories("rcapture_hare.csv");
    let mut spec = ModelSpec::new(Base::Mt);
    spec.indicators.push(0b11_1111);
    let f = fit(&h, &spec).expect("fit");
    assert_printed("abundance", f.estimate, 76.77761, 5);
    assert_printed("stderr", f.stderr, 3.911153, 6);
    assert_printed("deviance", f.deviance, 47.89417, 5);
    assert_eq!(f.df, 55);
    assert_printed("AIC", f.aic, 146.0846, 4);
    let ci = profile_interval(&h, &spec, 0.95).expect("ci");
    assert_printed("point", ci.point, 76.0, 0);
    assert_printed("lower", ci.lower, 70.1, 1);
    assert_printed("upper", ci.upper.value(), 85.4, 1);
}

/// Rout.save: `closedpCI.t(HIV, mX = ~(c1+c2+c3+c4)^2)`: 23443.5 (9594.9), deviance
/// 3.037, df 4, AIC 92.073; CI 23269.8 [10027.6, 50046.3].
#[test]
fn hiv_all_two_way() {
    let h = histories("rcapture_HIV.csv");
    let pairs: Vec<u32> = (0..4)
        .flat_map(|i| (i + 1..4).map(move |j| (1u32 << i) | (1 << j)))
        .collect();
    let spec = ModelSpec::with_interactions(pairs);
    let f = fit(&h, &spec).expect("fit");
    assert_printed("abundance", f.estimate, 23443.5, 1);
    assert_printed("stderr", f.stderr, 9594.9, 1);
    assert_printed("deviance", f.deviance, 3.037, 3);
    assert_eq!(f.df, 4);
    assert_printed("AIC", f.aic, 92.073, 3);
    let ci = profile_interval(&h, &spec, 0.95).expect("ci");
    assert_printed("point", ci.point, 23269.8, 1);
    assert_printed("lower", ci.lower, 10027.6, 1);
    assert_printed("upper", ci.upper.value(), 50046.3, 1);
}

/// Rout.save: `closedpCI.t(HIV, mX = ~. + c1:c2)`: 12318.5 (1188.7), deviance 7.614,
/// df 9, AIC 86.65; CI 12308 [10266, 14992.3].
#[test]
fn hiv_one_interaction() {
    let h = histories("rcapture_HIV.csv");
    let spec = ModelSpec::with_interactions(vec![0b0011]);
    let f = fit(&h, &spec).expect("fit");
    assert_printed("abundance", f.estimate, 12318.5, 1);
    assert_printed("stderr", f.stderr, 1188.7, 1);
    assert_printed("deviance", f.deviance, 7.614, 3);
    assert_eq!(f.df, 9);
    assert_printed("AIC", f.aic, 86.65, 2);
    let ci = profile_interval(&h, &spec, 0.95).expect("ci");
    assert_printed("point", ci.point, 12308.0, 0);
    assert_printed("lower", ci.lower, 10266.0, 0);
    assert_printed("upper", ci.upper.value(), 14992.3, 1);
}

/// testPapersResults.R (Darroch et al. 1993, via Rivest 2011): all two-way 1240 (451);
/// [12][23] 850 (186) deviance 3.8 df 1; [12] + LB 681 (78) deviance 3.45 df 1.
#[test]
fn darroch_1993() {
    let h = histories("rcapture_darroch1993_R3.csv");
    let f = fit(&h, &ModelSpec::with_interactions(vec![0b011, 0b101, 0b110])).expect("fit");
    assert_printed("saturated", f.estimate, 1240.0, 0);
    assert_printed("saturated se", f.stderr, 451.0, 0);
    let f = fit(&h, &ModelSpec::with_interactions(vec![0b011, 0b110])).expect("fit");
    assert_printed("[12][23]", f.estimate, 850.0, 0);
    assert_printed("[12][23] se", f.stderr, 186.0, 0);
    assert_printed("[12][23] dev", f.deviance, 3.8, 1);
    assert_eq!(f.df, 1);
    let f = fit(
        &h,
        &ModelSpec::with_interactions(vec![0b011]).heterogeneous(Heterogeneity::Chao),
    )
    .expect("fit");
    assert_printed("[12]+LB", f.estimate, 681.0, 0);
    assert_printed("[12]+LB se", f.stderr, 78.0, 0);
    assert_printed("[12]+LB dev", f.deviance, 3.45, 2);
    assert_eq!(f.df, 1);
}

/// testPapersResults.R (Bruno et al. 1994, diabetes, four lists).
#[test]
fn bruno_1994() {
    let h = histories("rcapture_bruno1994_diabetes.csv");
    let all_but_14: Vec<u32> = vec![0b0011, 0b0101, 0b0110, 0b1010, 0b1100];
    let f = fit(&h, &ModelSpec::with_interactions(all_but_14)).expect("fit");
    assert_printed("Bruno", f.estimate, 2771.0, 0);
    assert_printed("Bruno se", f.stderr, 145.0, 0);
    assert_printed("Bruno dev", f.deviance, 7.62, 2);
    assert_eq!(f.df, 5);
    let base = vec![0b0101, 0b1010, 0b1100];
    let cases: [(Option<Heterogeneity>, f64, f64, f64, i64); 6] = [
        (None, 2472.0, 53.0, 21.97, 7),
        (Some(Heterogeneity::Chao), 2588.0, 75.0, 3.13, 6),
        (Some(Heterogeneity::Poisson(2.0)), 2573.0, 76.0, 12.88, 6),
        (Some(Heterogeneity::Darroch), 2752.0, 133.0, 8.32, 6),
        (Some(Heterogeneity::Gamma(3.5)), 2964.0, 219.0, 6.74, 6),
        (Some(Heterogeneity::Gamma(0.5)), 4238.0, 952.0, 5.49, 6),
    ];
    for (het, n, se, dev, df) in cases {
        let mut spec = ModelSpec::with_interactions(base.clone());
        spec.heterogeneity = het;
        let f = fit(&h, &spec).expect("fit");
        assert_printed(&f.model, f.estimate, n, 0);
        assert_printed(&f.model, f.stderr, se, 0);
        assert_printed(&f.model, f.deviance, dev, 2);
        assert_eq!(f.df, df, "{}", f.model);
    }
}

/// testPapersResults.R (Cormack, Chang & Smith 2000, Tables 3a and 3b).
#[test]
fn cormack_2000() {
    let h3 = histories("rcapture_cormack2000_3list.csv");
    let f = fit(&h3, &ModelSpec::new(Base::Mt)).expect("fit");
    assert_printed("Mt", f.estimate, 209.0, 0);
    assert_printed("Mt dev", f.deviance, 75.1, 1);
    assert_eq!(f.df, 3);
    let ci = profile_interval(&h3, &ModelSpec::new(Base::Mt), 0.95).expect("ci");
    assert_printed("Mt lower", ci.lower, 203.0, 0);
    assert_printed("Mt upper", ci.upper.value(), 217.0, 0);
    let f = fit(&h3, &ModelSpec::with_interactions(vec![0b110])).expect("fit");
    assert_printed("[23] dev", f.deviance, 1.2, 1);
    assert_eq!(f.df, 2);
    let spec = ModelSpec::with_interactions(vec![0b110]);
    let ci = profile_interval(&h3, &spec, 0.95).expect("ci");
    assert_printed("[23] lower", ci.lower, 210.0, 0);
    let spec = ModelSpec::with_interactions(vec![0b101, 0b110]);
    let f = fit(&h3, &spec).expect("fit");
    assert_printed("[13][23]", f.estimate, 233.0, 0);
    assert_eq!(f.df, 1);
    let ci = profile_interval(&h3, &spec, 0.95).expect("ci");
    assert_printed("[13][23] lower", ci.lower, 204.0, 0);

    let h4 = histories("rcapture_cormack2000_4list.csv");
    let f = fit(&h4, &ModelSpec::new(Base::Mt)).expect("fit");
    assert_printed("4-list Mt", f.estimate, 215.0, 0);
    assert_printed("4-list Mt dev", f.deviance, 87.1, 1);
    assert_eq!(f.df, 10);
    let pairs: Vec<u32> = (0..4)
        .flat_map(|i| (i + 1..4).map(move |j| (1u32 << i) | (1 << j)))
        .collect();
    let f = fit(&h4, &ModelSpec::with_interactions(pairs)).expect("fit");
    assert!(f.estimate > 1e6, "all two-way blows up: {}", f.estimate);
    assert_printed("all two-way dev", f.deviance, 1.3, 1);
    assert_eq!(f.df, 4);
    assert!(
        !loglinear::usable(&f)
            || f.warnings
                .iter()
                .any(|w| matches!(w, loglinear::Warning::Explosive(_)))
    );
    let f = fit(
        &h4,
        &ModelSpec::with_interactions(vec![0b0011, 0b0101, 0b1100]),
    )
    .expect("fit");
    assert_printed("[12][13][34]", f.estimate, 218.0, 0);
    assert_printed("[12][13][34] dev", f.deviance, 2.6, 1);
    assert_eq!(f.df, 7);
}

/// Rout.save: `closedp.0(BBS2001, dfreq = TRUE, dtype = "nbcap", t = 50, t0 = 20)` and the
/// profile intervals of `closedpCI.0` (Chao: 84.3 [73, 119.7]; Gamma3.5: 109.1 [86.2, 150.6]).
#[test]
fn bbs2001_frequencies() {
    let f = frequencies("rcapture_BBS2001_nbcap.csv", Some(50));
    let rows: [Row; 5] = [
        ("M0", 71.1, 0.2, 214.075, 18, 270.028),
        ("Mh Chao (LB)", 87.2, 10.9, 12.403, 14, 76.356),
        ("Mh Poisson2", 71.1, 0.3, 170.128, 17, 228.081),
        ("Mh Darroch", 74.0, 2.0, 34.733, 17, 92.687),
        ("Mh Gamma3.5", 111.1, 16.0, 18.806, 17, 76.759),
    ];
    check_table(&closedp0(&f, Some(20)).expect("fits"), &rows);
    let spec = ModelSpec::new(Base::M0).heterogeneous(Heterogeneity::Chao);
    let ci = profile_interval_frequencies(&f, &spec, Some(20), 0.95).expect("ci");
    assert_printed("Chao point", ci.point, 84.3, 1);
    assert_printed("Chao lower", ci.lower, 73.0, 1);
    assert_printed("Chao upper", ci.upper.value(), 119.7, 1);
    let spec = ModelSpec::new(Base::M0).heterogeneous(Heterogeneity::Gamma(3.5));
    let ci = profile_interval_frequencies(&f, &spec, Some(20), 0.95).expect("ci");
    assert_printed("Gamma point", ci.point, 109.1, 1);
    assert_printed("Gamma lower", ci.lower, 86.2, 1);
    assert_printed("Gamma upper", ci.upper.value(), 150.6, 1);
}

/// Rout.save: `closedp.0(ill, dtype = "nbcap", dfreq = TRUE, t = Inf)`; LB interval
/// 9267.5 [8088.2, 10704].
#[test]
fn ill_frequencies_unbounded_occasions() {
    let f = frequencies("rcapture_ill_nbcap.csv", None);
    let rows: [Row; 5] = [
        ("M0", 7079.9, 365.8, 61.811, 4, 95.971),
        ("Mh Chao (LB)", 9273.5, 662.6, 1.534, 1, 41.695),
        ("Mh Poisson2", 8617.6, 537.3, 26.341, 3, 62.502),
        ("Mh Darroch", 15562.1, 1808.5, 7.277, 3, 43.438),
        ("Mh Gamma3.5", 29058.3, 5496.8, 3.661, 3, 39.822),
    ];
    check_table(&closedp0(&f, None).expect("fits"), &rows);
    let spec = ModelSpec::new(Base::M0).heterogeneous(Heterogeneity::Chao);
    let ci = profile_interval_frequencies(&f, &spec, None, 0.95).expect("ci");
    assert_printed("LB point", ci.point, 9267.5, 1);
    assert_printed("LB lower", ci.lower, 8088.2, 1);
    assert_printed("LB upper", ci.upper.value(), 10704.0, 0);
}

/// Rout.save: `closedp.0(catb, dfreq = TRUE, dtype = "nbcap", t = 11)`.
#[test]
fn cbird_frequencies() {
    let f = frequencies("rcapture_cbird_nbcap.csv", Some(11));
    let rows: [Row; 5] = [
        ("M0", 20.3, 1.4, 8.047, 9, 27.678),
        ("Mh Chao (LB)", 22.6, 3.8, 4.939, 7, 28.570),
        ("Mh Poisson2", 20.5, 1.4, 7.647, 8, 29.278),
        ("Mh Darroch", 22.3, 3.1, 6.062, 8, 27.693),
        ("Mh Gamma3.5", 24.7, 6.4, 5.912, 8, 27.544),
    ];
    check_table(&closedp0(&f, None).expect("fits"), &rows);
}

/// testPapersResults.R (Cormack, Chang & Smith 2000, Table 3a): the all-two-way model on
/// four sparse lists blows up beyond 1,000,000; its profile likelihood does not close
/// above within `3 N̂`, and the interval must say so rather than print a number.
#[test]
fn unbounded_interval_is_reported() {
    let h = histories("rcapture_cormack2000_4list.csv");
    let pairs: Vec<u32> = (0..4)
        .flat_map(|i| (i + 1..4).map(move |j| (1u32 << i) | (1 << j)))
        .collect();
    let ci = profile_interval(&h, &ModelSpec::with_interactions(pairs), 0.95).expect("ci");
    assert!(matches!(ci.upper, Bound::Beyond(_)), "{ci:?}");
}

/// Rout.save: `closedpCI.t(period3, m = "Mh", h = function(x) 0.5^x - 1)` (Rcapture's
/// Poisson form with theta = 0.5): 806.1 (783.6), deviance 34.025, df 28, AIC 91.955;
/// profile interval 781.1 [136.8, >2418.4]: the upper limit lies beyond 3 N̂.
#[test]
fn mvole_negative_poisson_interval_is_unbounded() {
    let h = histories("rcapture_mvole_period3.csv");
    let spec = ModelSpec::new(Base::M0).heterogeneous(Heterogeneity::Poisson(0.5));
    let f = fit(&h, &spec).expect("fit");
    assert_printed("abundance", f.estimate, 806.1, 1);
    assert_printed("stderr", f.stderr, 783.6, 1);
    assert_printed("deviance", f.deviance, 34.025, 3);
    assert_eq!(f.df, 28);
    assert_printed("AIC", f.aic, 91.955, 3);
    let ci = profile_interval(&h, &spec, 0.95).expect("ci");
    assert_printed("point", ci.point, 781.1, 1);
    assert_printed("lower", ci.lower, 136.8, 1);
    match ci.upper {
        Bound::Beyond(limit) => assert_printed("search limit", limit, 2418.4, 1),
        Bound::At(x) => panic!("upper limit should be unbounded, got {x}"),
    }
}
