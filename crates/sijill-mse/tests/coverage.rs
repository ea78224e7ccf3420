//! Simulation: on data from a known population, how often do the 95% intervals cover the
//! true N? Each replicate is seeded; the rates are printed (run with `--nocapture`) and
//! must be compatible with the nominal level (binomial tolerance at 200 replicates).
//! The LCMCR replicates (tens of seconds) run only with `SIJILL_SLOW=1`, as in CI.

fn slow() -> bool {
    std::env::var("SIJILL_SLOW").is_ok_and(|v| v == "1")
}

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sijill_mse::Histories;
use sijill_mse::bma::{BmaParams, bma};
use sijill_mse::lcmcr::{LcmcrParams, lcmcr};
use sijill_mse::loglinear::{Base, ModelSpec, profile_interval};

/// A population of `n` units; unit class drawn from `classes` (weight, per-list
/// probabilities); returns the observed histories.
fn simulate(rng: &mut ChaCha8Rng, n: usize, classes: &[(f64, Vec<f64>)]) -> Histories {
    let t = classes[0].1.len();
    let mut counts = vec![0u64; 1 << t];
    for _ in 0..n {
        let mut u = rng.random::<f64>();
        let mut c = &classes[classes.len() - 1].1;
        for (w, p) in classes {
            if u < *w {
                c = p;
                break;
            }
            u -= w;
        }
        let m = (0..t).fold(0usize, |m, j| {
            if rng.random::<f64>() < c[j] {
                m | (1 << j)
            } else {
                m
            }
        });
        counts[m] += 1;
    }
    Histories::from_dense((0..t).map(|j| format!("L{j}")).collect(), &counts).expect("histories")
}

fn check_rate(what: &str, covered: usize, reps: usize) {
    let rate = covered as f64 / reps as f64;
    println!("coverage of 95% intervals, {what}: {covered}/{reps} = {rate:.3}");
    // Nominal 0.95 ± 3.5 binomial standard errors.
    let se = (0.95 * 0.05 / reps as f64).sqrt();
    assert!(
        (rate - 0.95).abs() < 3.5 * se + 1e-9,
        "{what}: coverage {rate:.3}"
    );
}

#[test]
fn profile_intervals_of_the_true_model_cover_at_the_nominal_rate() {
    let truth = 400usize;
    let p = vec![0.2, 0.25, 0.3, 0.35];
    let reps = 200;
    let mut covered = 0;
    for rep in 0..reps {
        let mut rng = ChaCha8Rng::seed_from_u64(1000 + rep as u64);
        let h = simulate(&mut rng, truth, &[(1.0, p.clone())]);
        let ci = profile_interval(&h, &ModelSpec::new(Base::Mt), 0.95).expect("ci");
        if ci.lower <= truth as f64 && truth as f64 <= ci.upper.value() {
            covered += 1;
        }
    }
    check_rate(
        "log-linear Mt, independent lists, N = 400, t = 4",
        covered,
        reps,
    );
}

#[test]
fn bma_intervals_cover_at_the_nominal_rate() {
    let truth = 400usize;
    let p = vec![0.2, 0.25, 0.3, 0.35];
    let reps = 200;
    let mut covered = 0;
    for rep in 0..reps {
        let mut rng = ChaCha8Rng::seed_from_u64(5000 + rep as u64);
        let h = simulate(&mut rng, truth, &[(1.0, p.clone())]);
        let params = BmaParams {
            max_missing: Some(1500),
            ..BmaParams::default()
        };
        let r = bma(&h, &params).expect("bma");
        let (lo, hi) = r.posterior.interval(0.95);
        if lo <= truth as f64 && truth as f64 <= hi {
            covered += 1;
        }
    }
    check_rate(
        "BMA (delta 2^-t, prior 1/N), independent lists, N = 400, t = 4",
        covered,
        reps,
    );
}

struct Scenario {
    name: &'static str,
    truth: usize,
    classes: Vec<(f64, Vec<f64>)>,
}

/// Runs LCMCR on seeded replicates; returns (coverage rate, mean relative error of the median).
fn lcmcr_replicates(sc: &Scenario, reps: usize, seed0: u64) -> (f64, f64) {
    let (burnin, samples, thin) = (1000, 500, 3);
    let mut covered = 0;
    let mut rel = 0.0;
    for rep in 0..reps {
        let mut rng = ChaCha8Rng::seed_from_u64(seed0 + rep as u64);
        let h = simulate(&mut rng, sc.truth, &sc.classes);
        let params = LcmcrParams {
            classes: 5,
            burnin,
            samples,
            thin,
            seed: rep as u64,
            warmup: 200,
            ..LcmcrParams::default()
        }
        .check()
        .expect("params");
        let r = lcmcr(&h, &params).expect("lcmcr");
        let (lo, hi) = r.summary.interval95;
        let truth = sc.truth as f64;
        if lo <= truth && truth <= hi {
            covered += 1;
        }
        rel += (r.summary.median - truth) / truth;
    }
    let rate = covered as f64 / reps as f64;
    let bias = rel / reps as f64;
    println!(
        "LCMCR K = 5, {}: coverage of 95% intervals {covered}/{reps} = {rate:.3}, mean relative error of the median {bias:+.3}",
        sc.name
    );
    (rate, bias)
}

#[test]
fn lcmcr_intervals_cover_at_the_nominal_rate_when_lists_are_independent() {
    if !slow() {
        return;
    }
    let sc = Scenario {
        name: "independent lists, N = 600, t = 5",
        truth: 600,
        classes: vec![(1.0, vec![0.2, 0.25, 0.3, 0.35, 0.3])],
    };
    let reps = 100;
    let (rate, _) = lcmcr_replicates(&sc, reps, 9000);
    let se = (0.95 * 0.05 / reps as f64).sqrt();
    assert!((rate - 0.95).abs() < 3.5 * se, "coverage {rate:.3}");
}

#[test]
fn lcmcr_under_strong_heterogeneity_is_reported() {
    if !slow() {
        return;
    }
    // Two latent classes, the shy one caught by each list with probability 0.15–0.25:
    // part of it is never seen, so every closed-population method underestimates; the
    // rate is reported, and the bias of the median must stay within 10%.
    let sc = Scenario {
        name: "two latent classes (60% bold, 40% shy), N = 600, t = 5",
        truth: 600,
        classes: vec![
            (0.6, vec![0.35, 0.4, 0.3, 0.45, 0.35]),
            (0.4, vec![0.15, 0.2, 0.15, 0.2, 0.25]),
        ],
    };
    let (_, bias) = lcmcr_replicates(&sc, 100, 19_000);
    assert!(bias.abs() < 0.10, "relative bias {bias:+.3}");
}
