//! Engine tests: blocking, EM convergence on a known mixture, clustering constraints and
//! data-driven fixtures of small lists rendered as persons.

use expect_test::{Expect, expect};
use rand::{Rng, SeedableRng};
use sijill_linkage::compare::{FieldKind, Pattern};
use sijill_linkage::{BlockOn, Date, Linker, Model, Name, Params, Record, Sex, link};

fn rec(
    list: &str,
    id: &str,
    name: &str,
    sex: Option<Sex>,
    age: Option<u16>,
    day: Option<u32>,
) -> Record {
    Record {
        sex,
        age,
        date_of_death: day.and_then(|d| Date::from_ymd(2025, 3, d)),
        ..Record::new(list, id, name)
    }
}

fn params() -> sijill_linkage::ValidParams {
    Params::default().check().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn oversized_blocks_are_skipped_and_counted() {
    let mut records: Vec<Record> = (0..30)
        .map(|i| Record::new("a", &i.to_string(), "Mohammad Hasan"))
        .collect();
    records.push(Record::new("b", "x", "Samer Darwish"));
    records.push(Record::new("c", "y", "سامر درويش"));
    let p = Params {
        max_block: 10,
        ..Params::default()
    }
    .check()
    .unwrap_or_else(|e| panic!("{e}"));
    let linker = Linker::new(&records, &p);
    let out = linker.run_with_passes(
        &[vec![BlockOn::Given, BlockOn::Family]],
        &sijill_linkage::NoProgress,
    );
    let s = &out.stats.passes[0];
    assert_eq!((s.skipped_blocks, s.skipped_records), (1, 30));
    // Samer Darwish meets his Arabic spelling across scripts, and nothing else is compared.
    assert_eq!(out.pairs, vec![(30, 31)]);
}

#[test]
fn passes_are_united_without_repeats() {
    let records = vec![
        Record::new("a", "1", "Mohammad Ali Hasan"),
        Record::new("b", "2", "محمد علي حسن"),
        Record::new("b", "3", "Khaled Omar Hasan"),
    ];
    let linker = Linker::new(&records, &params());
    let one = vec![BlockOn::Given, BlockOn::Family];
    let two = vec![BlockOn::Given, BlockOn::Father];
    let out = linker.run_with_passes(&[one, two], &sijill_linkage::NoProgress);
    assert_eq!(
        out.stats.passes.iter().map(|s| s.pairs).collect::<Vec<_>>(),
        [1, 1]
    );
    assert_eq!(out.pairs, vec![(0, 1)]);
}

/// Draws a pattern from class probabilities `theta[f]` over `levels[f]` levels.
fn draw(rng: &mut rand_chacha::ChaCha8Rng, theta: &[Vec<f64>]) -> Pattern {
    let mut p = 0u64;
    for (f, t) in theta.iter().enumerate() {
        let x: f64 = rng.random();
        let mut acc = 0.0;
        let mut l = t.len();
        for (i, q) in t.iter().enumerate() {
            acc += q;
            if x < acc {
                l = i + 1;
                break;
            }
        }
        p |= (l as u64) << (4 * f);
    }
    p
}

#[test]
fn em_converges_and_recovers_a_known_mixture() {
    let fields = [
        FieldKind::Given,
        FieldKind::Kin,
        FieldKind::Sex,
        FieldKind::Birth,
    ];
    let m = vec![
        vec![0.5, 0.4, 0.05, 0.03, 0.02],
        vec![0.8, 0.05, 0.05, 0.02, 0.04, 0.03, 0.01],
        vec![0.99, 0.01],
        vec![0.7, 0.2, 0.07, 0.03],
    ];
    let r = vec![
        vec![0.02, 0.02, 0.03, 0.08, 0.85],
        vec![0.7, 0.1, 0.05, 0.02, 0.08, 0.04, 0.01],
        vec![0.5, 0.5],
        vec![0.1, 0.2, 0.3, 0.4],
    ];
    let u = vec![
        vec![0.4, 0.3, 0.2, 0.05, 0.05],
        vec![0.02, 0.02, 0.03, 0.03, 0.1, 0.5, 0.3],
        vec![0.9, 0.1],
        vec![0.05, 0.1, 0.15, 0.7],
    ];
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
    let mut patterns = Vec::new();
    for i in 0..30_000 {
        let class = [&m, &r, &u][if i % 10 < 3 {
            0
        } else if i % 10 < 5 {
            1
        } else {
            2
        }];
        patterns.push(draw(&mut rng, class));
    }
    let random: Vec<Pattern> = (0..5_000).map(|_| draw(&mut rng, &u)).collect();
    let mut model = Model::from_rules(&fields, &patterns, &random, true);
    let report = model.em(&patterns, &[], 500, 1e-7);
    assert!(report.converged, "{report:?}");
    for w in report.log_likelihood.windows(2) {
        assert!(
            w[1] >= w[0] - 1e-6 * w[0].abs(),
            "log-likelihood fell: {w:?}"
        );
    }
    let err = |a: &[Vec<f64>], b: &[Vec<f64>]| {
        a.iter()
            .flatten()
            .zip(b.iter().flatten())
            .map(|(x, y)| (x - y).abs())
            .fold(0.0, f64::max)
    };
    assert!(err(&model.theta[0], &m) < 0.03, "{:?}", model.theta[0]);
    assert!((model.share[0] - 0.3).abs() < 0.02, "{:?}", model.share);
    // Siblings (relatives) weigh against a match even though their kin agrees.
    let sibling: Pattern = 5 | (1 << 4) | (1 << 8) | (3 << 12);
    assert!(model.weight(sibling) < -5.0, "{}", model.weight(sibling));
}

#[test]
fn labels_stay_fixed_and_still_converge() {
    let fields = [FieldKind::Given, FieldKind::Sex];
    let patterns: Vec<Pattern> = (0..400)
        .map(|i| {
            if i % 4 == 0 {
                1 | (1 << 4)
            } else {
                5 | (2 << 4)
            }
        })
        .collect();
    let mut model = Model::from_rules(&fields, &patterns, &[], false);
    let report = model.em(
        &patterns,
        &[(1 | (1 << 4), true), (5 | (2 << 4), false)],
        200,
        1e-8,
    );
    assert!(report.converged);
    assert!(model.weight(1 | (1 << 4)) > 3.0);
}

/// Renders persons as `P: list/id name; …`, one line per person of two or more records.
fn render(records: &[Record], person: &[u32]) -> String {
    let mut by: std::collections::BTreeMap<u32, Vec<String>> = Default::default();
    for (r, &p) in records.iter().zip(person) {
        let name = match &r.name {
            Name::Full(s) => s.clone(),
            Name::Parts { given, .. } => given.clone().unwrap_or_default(),
        };
        by.entry(p)
            .or_default()
            .push(format!("{}/{} {}", r.list, r.record_id, name));
    }
    let mut out = String::new();
    for (p, rs) in by {
        out.push_str(&format!("P{}: {}\n", p + 1, rs.join("; ")));
    }
    out
}

fn check(fixture: &str, expected: Expect) {
    let records: Vec<Record> = fixture
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('|').map(str::trim).collect();
            let sex = match f[3] {
                "M" => Some(Sex::Male),
                "F" => Some(Sex::Female),
                _ => None,
            };
            rec(f[0], f[1], f[2], sex, f[4].parse().ok(), f[5].parse().ok())
        })
        .collect();
    let out = link(&records, &params(), &sijill_linkage::NoProgress);
    expected.assert_eq(&render(&records, &out.person));
}

/// Three lists of one family: the siblings Mohammad, Ahmad and Fatima stay three people
/// while their Arabic and Latin spellings meet; Khaled Omar Darwish (70) is Samer's
/// father, not Samer; the abbreviated four-part Mhd joins his Arabic and Latin records.
#[test]
fn siblings_stay_apart_spellings_meet() {
    check(
        "
        a | 1 | محمد علي حسن الخطيب     | M | 34 | 7
        a | 2 | أحمد علي حسن الخطيب     | M | 31 | 7
        a | 3 | فاطمة علي حسن الخطيب    | F | 28 | 7
        a | 4 | سامر خالد عمر درويش     | M | 45 | 8
        a | 5 | يوسف ابراهيم محمود النجار | M | 19 | 9
        b | 1 | Mohammad Ali al-Khatib  | M | 34 | 7
        b | 2 | Ahmad Ali Al Khatib     | M | 31 | 7
        b | 3 | Fatima Ali Alkhatib     | F | 28 | 7
        b | 4 | Samer Khaled Darwish    | M | 45 | 8
        b | 5 | Yousef Ibrahim Najjar   | M | 19 | 9
        c | 1 | Mhd Ali Hasan Khatib    | M | 34 | 7
        c | 2 | Fatmeh Ali Khatib       | F | 29 | 7
        c | 3 | Khaled Omar Darwish     | M | 70 | 8
        c | 4 | Youssef Ebrahim al-Najjar | M | 20 | 9
        ",
        expect![[r#"
            P1: a/1 محمد علي حسن الخطيب; b/1 Mohammad Ali al-Khatib; c/1 Mhd Ali Hasan Khatib
            P2: a/2 أحمد علي حسن الخطيب; b/2 Ahmad Ali Al Khatib
            P3: a/3 فاطمة علي حسن الخطيب; b/3 Fatima Ali Alkhatib; c/2 Fatmeh Ali Khatib
            P4: a/4 سامر خالد عمر درويش; b/4 Samer Khaled Darwish
            P5: a/5 يوسف ابراهيم محمود النجار; b/5 Yousef Ibrahim Najjar; c/4 Youssef Ebrahim al-Najjar
            P6: c/3 Khaled Omar Darwish
        "#]],
    );
}

#[test]
fn explanations_add_up_to_the_probability() {
    let records = vec![
        rec(
            "a",
            "1",
            "محمد علي حسن الخطيب",
            Some(Sex::Male),
            Some(34),
            Some(7),
        ),
        rec(
            "b",
            "1",
            "Mohammad Ali al-Khatib",
            Some(Sex::Male),
            Some(35),
            Some(7),
        ),
        rec(
            "b",
            "2",
            "Ahmad Ali al-Khatib",
            Some(Sex::Male),
            Some(31),
            Some(7),
        ),
        rec(
            "a",
            "2",
            "أحمد علي حسن الخطيب",
            Some(Sex::Male),
            Some(31),
            Some(7),
        ),
    ];
    let linker = Linker::new(&records, &params());
    let out = linker.run(&sijill_linkage::NoProgress);
    for (k, &(i, j)) in out.pairs.iter().enumerate() {
        let e = linker.explain(&out, i as usize, j as usize);
        let sum = e.prior + e.other + e.fields.iter().map(|f| f.weight + f.tf).sum::<f64>();
        assert!((sum - e.total).abs() < 1e-9);
        assert!(
            (f64::from(out.pair_probability[k]) - e.probability).abs() < 1e-5,
            "{e:?}"
        );
    }
}
