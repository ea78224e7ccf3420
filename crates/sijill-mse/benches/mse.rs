//! Timings of the estimators at t = 3, 5, 8 lists and HRDAG's production LCMCR run on the
//! 20-list stratum. Run with `cargo bench -p sijill-mse --bench mse` (add `-- quick` to
//! skip the production run). Seeds are fixed; data are simulated from a known
//! heterogeneous population, except the 20-list stratum read from `shared/data/mse`.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sijill_mse::Histories;
use sijill_mse::bma::{BmaParams, bma};
use sijill_mse::lcmcr::{LcmcrParams, lcmcr};
use sijill_mse::loglinear::{Base, Criterion, ModelSpec, closedp, fit, profile_interval, search};
use std::path::PathBuf;
use std::time::Instant;

/// A population of `n` units in two latent classes captured by `t` lists.
fn simulate(t: usize, n: usize, seed: u64) -> Histories {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut counts = vec![0u64; 1 << t];
    for _ in 0..n {
        let shy = rng.random::<f64>() < 0.4;
        let mut m = 0usize;
        for j in 0..t {
            let p = if shy {
                0.08 + 0.02 * j as f64
            } else {
                0.3 + 0.03 * j as f64
            };
            if rng.random::<f64>() < p {
                m |= 1 << j;
            }
        }
        counts[m] += 1;
    }
    let lists = (1..=t).map(|j| format!("L{j}")).collect();
    Histories::from_dense(lists, &counts).expect("simulated data")
}

fn time<T>(reps: u32, mut f: impl FnMut() -> T) -> (f64, T) {
    let start = Instant::now();
    let mut out = None;
    for _ in 0..reps {
        out = Some(f());
    }
    (
        start.elapsed().as_secs_f64() / f64::from(reps),
        out.expect("at least one rep"),
    )
}

fn data_dir() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let manifest = manifest.canonicalize().unwrap_or(manifest);
    manifest
        .ancestors()
        .map(|d| d.join("shared/data/mse"))
        .find(|d| d.is_dir())
        .expect("shared/data/mse")
}

fn read_histories(file: &str) -> Histories {
    let text = std::fs::read_to_string(data_dir().join(file)).expect("data file");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    let t = header.len() - 1;
    let rows = lines.filter(|l| !l.is_empty()).map(|l| {
        let v: Vec<&str> = l.split(',').collect();
        (
            v[..t].iter().map(|x| *x == "1").collect::<Vec<_>>(),
            v[t].parse::<u64>().expect("count"),
        )
    });
    Histories::from_rows(header[..t].iter().map(|s| s.to_string()).collect(), rows)
        .expect("histories")
}

fn main() {
    let quick = std::env::args().any(|a| a == "quick");
    let only_production = std::env::args().any(|a| a == "production");
    println!("| t | method | setting | time | result |");
    println!("|---|---|---|---|---|");
    let sizes: &[usize] = if only_production { &[] } else { &[3, 5, 8] };
    for &t in sizes {
        let h = simulate(t, 2000, 20_260_101 + t as u64);
        let (s, f) = time(200, || fit(&h, &ModelSpec::new(Base::Mt)).expect("fit"));
        println!(
            "| {t} | log-linear fit | Mt | {:.3} ms | N̂ = {:.0} (n = {}) |",
            s * 1e3,
            f.estimate,
            h.observed()
        );
        let (s, fits) = time(5, || closedp(&h).expect("closedp"));
        println!(
            "| {t} | closedp set | {} models | {:.1} ms | |",
            fits.len(),
            s * 1e3
        );
        let (s, ci) = time(3, || {
            profile_interval(&h, &ModelSpec::new(Base::Mt), 0.95).expect("ci")
        });
        println!(
            "| {t} | profile CI | Mt | {:.1} ms | [{:.0}, {:.0}] |",
            s * 1e3,
            ci.lower,
            ci.upper.value()
        );
        let (s, found) = time(1, || search(&h, Criterion::Aic, 2).expect("search"));
        println!(
            "| {t} | model search | AIC, two-way, {} fits | {:.2} s | best {} |",
            found.len(),
            s,
            found[0].model
        );
        if t <= 6 {
            let (s, r) = time(1, || bma(&h, &BmaParams::default()).expect("bma"));
            println!(
                "| {t} | BMA | {} graphs, delta 2^-t | {:.3} s | median {:.0} |",
                r.graphs,
                s,
                r.posterior.median()
            );
        }
        let params = LcmcrParams {
            burnin: 0,
            samples: 1000,
            thin: 10,
            warmup: 0,
            ..LcmcrParams::default()
        }
        .check()
        .expect("params");
        let (s, r) = time(1, || lcmcr(&h, &params).expect("lcmcr"));
        println!(
            "| {t} | LCMCR | K = 10, 10,000 sweeps | {:.2} s | median {:.0} |",
            s, r.summary.median
        );
    }
    if quick {
        return;
    }
    if let Some(arg) = std::env::args().find(|a| a.starts_with("multichain=")) {
        // Production settings split over chains: multichain=CHAINS:THIN (1,000 draws each).
        let spec: Vec<u64> = arg[11..]
            .split(':')
            .map(|x| x.parse().expect("number"))
            .collect();
        let h = read_histories("verdata_reclutamiento_hombre_1999_R1.csv");
        let params = LcmcrParams {
            classes: 15,
            seed: 19_481_210,
            burnin: 10_000,
            samples: 1000 * spec[0],
            thin: spec[1],
            chains: spec[0] as usize,
            ..LcmcrParams::default()
        }
        .check()
        .expect("params");
        let (s, r) = time(1, || lcmcr(&h, &params).expect("lcmcr"));
        let means: Vec<String> =
            r.n.chunks(1000)
                .map(|c| format!("{:.0}", c.iter().sum::<f64>() / c.len() as f64))
                .collect();
        println!(
            "{} chains × {} sweeps in {:.1} s: pooled mean {:.0}, median {:.0}, 95% [{:.0}, {:.0}], R-hat {:.3}; chain means {}",
            spec[0],
            1000 * spec[1],
            s,
            r.summary.mean,
            r.summary.median,
            r.summary.interval95.0,
            r.summary.interval95.1,
            r.rhat.unwrap_or(f64::NAN),
            means.join(" ")
        );
        for (c, chain) in r.n.chunks(1000).enumerate() {
            let blocks: Vec<String> = chain
                .chunks(100)
                .map(|b| format!("{:.0}", b.iter().sum::<f64>() / b.len() as f64))
                .collect();
            println!(
                "  chain {c}, means of blocks of 100 draws: {}",
                blocks.join(" ")
            );
        }
        return;
    }
    if let Some(arg) = std::env::args().find(|a| a.starts_with("seeds=")) {
        // Monte Carlo spread of shorter runs: seeds=COUNT:THIN.
        let spec: Vec<u64> = arg[6..]
            .split(':')
            .map(|x| x.parse().expect("number"))
            .collect();
        let h = read_histories("verdata_reclutamiento_hombre_1999_R1.csv");
        for seed in 1..=spec[0] {
            let params = LcmcrParams {
                classes: 15,
                seed,
                samples: 1000,
                thin: spec[1],
                ..LcmcrParams::default()
            }
            .check()
            .expect("params");
            let (s, r) = time(1, || lcmcr(&h, &params).expect("lcmcr"));
            println!(
                "seed {seed}: {:.1} s mean {:.0} median {:.0} ess {:.0}",
                s, r.summary.mean, r.summary.median, r.summary.ess
            );
            let blocks: Vec<String> =
                r.n.chunks(100)
                    .map(|c| format!("{:.0}", c.iter().sum::<f64>() / c.len() as f64))
                    .collect();
            println!("  block means of 100 draws: {}", blocks.join(" "));
        }
        return;
    }
    let h = read_histories("verdata_reclutamiento_hombre_1999_R1.csv");
    for chains in [1usize, 2] {
        let params = LcmcrParams {
            classes: 15,
            seed: 19_481_210,
            burnin: 10_000,
            samples: 10_000,
            thin: 500,
            chains,
            ..LcmcrParams::default()
        }
        .check()
        .expect("params");
        let (s, r) = time(1, || lcmcr(&h, &params).expect("lcmcr"));
        // HRDAG keeps every 10th of the 10,000 samples.
        let kept: Vec<f64> = r.n.iter().step_by(10).copied().collect();
        let k = sijill_mse::summary::summarize_draws(&kept);
        println!(
            "| 20 | LCMCR production | K = 15, {chains} chain(s), {} sweeps | {:.1} s | mean {:.0}, median {:.0}, 95% [{:.0}, {:.0}], ESS {:.0}{} |",
            r.sweeps,
            s,
            k.mean,
            k.median,
            k.interval95.0,
            k.interval95.1,
            k.ess,
            r.rhat.map_or(String::new(), |x| format!(", R-hat {x:.3}"))
        );
    }
}
