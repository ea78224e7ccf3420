//! Synthetic Syrian-style victim lists with a truth file, for tests and benchmarks.
//!
//! Households share a father's, grandfather's, family and mother's name, a place and
//! mostly a date of death; several of their children are victims, so siblings (the
//! hard non-matches) are everywhere. Four lists record the victims, each in its own
//! style: two in Arabic script (one full name, one name in parts with mother's name and
//! birth year), two in Latin transliteration (one full name of three or two parts, one
//! in parts), with their own date and sex formats, column orders, omissions, spelling
//! variants, typos, age errors and a few internal duplicates. Everything comes from one
//! seed, so a data set is reproduced exactly.

mod names;

use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Records in all lists together (approximately).
    pub records: usize,
    /// The random seed.
    pub seed: u64,
}

/// One generated list: its name, header and rows.
#[derive(Debug, Clone, PartialEq)]
pub struct List {
    /// The list's name (file stem).
    pub name: String,
    /// Column names.
    pub header: Vec<String>,
    /// Rows, one value per column.
    pub rows: Vec<Vec<String>>,
}

/// A generated data set: the lists and the truth (`list, record_id, person_id`).
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// The four lists.
    pub lists: Vec<List>,
    /// One row per record: its list, record id and true person id.
    pub truth: Vec<[String; 3]>,
}

/// A name with its Arabic spelling and its transliterations.
#[derive(Debug, Clone)]
struct Spelled {
    ar: String,
    lat: Vec<String>,
}

fn parse_pool(pool: &[&str]) -> Vec<Spelled> {
    pool.iter()
        .map(|l| {
            let mut it = l.split('|');
            let ar = it.next().unwrap_or_default().to_string();
            Spelled {
                ar,
                lat: it.map(str::to_string).collect(),
            }
        })
        .collect()
}

/// Draws an index with Zipf-like weights `1 / (rank + 1)^s`.
#[derive(Debug)]
struct Zipf {
    cdf: Vec<f64>,
}

impl Zipf {
    fn new(n: usize, s: f64) -> Zipf {
        let mut acc = 0.0;
        let mut cdf = Vec::with_capacity(n);
        for r in 0..n {
            acc += 1.0 / ((r + 1) as f64).powf(s);
            cdf.push(acc);
        }
        for c in &mut cdf {
            *c /= acc;
        }
        Zipf { cdf }
    }
    fn draw(&self, rng: &mut ChaCha8Rng) -> usize {
        let x: f64 = rng.random();
        self.cdf.partition_point(|&c| c < x).min(self.cdf.len() - 1)
    }
}

/// Family names from roots and patterns, with the article for some.
fn family_names(rng: &mut ChaCha8Rng, n: usize) -> Vec<Spelled> {
    let cons: Vec<(String, Vec<String>)> = names::CONSONANTS
        .iter()
        .map(|l| {
            let mut it = l.split('|');
            (
                it.next().unwrap_or_default().to_string(),
                it.map(str::to_string).collect(),
            )
        })
        .collect();
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let root: Vec<usize> = (0..3).map(|_| rng.random_range(0..cons.len())).collect();
        if root[0] == root[1] || root[1] == root[2] {
            continue;
        }
        let (ar_t, lat_ts) = names::PATTERNS[rng.random_range(0..names::PATTERNS.len())];
        let article = rng.random_bool(0.35);
        let mut ar = String::new();
        for ch in ar_t.chars() {
            match ch.to_digit(10) {
                Some(d) => ar.push_str(&cons[root[d as usize - 1]].0),
                None => ar.push(ch),
            }
        }
        if !seen.insert(ar.clone()) {
            continue;
        }
        let mut lat = Vec::new();
        for t in lat_ts.iter() {
            for variant in 0..2 {
                let mut s = String::new();
                let mut last = String::new();
                for ch in t.chars() {
                    match ch.to_digit(10) {
                        Some(d) => {
                            let opts = &cons[root[d as usize - 1]].1;
                            let pick = &opts[variant.min(opts.len() - 1)];
                            s.push_str(pick);
                            last = pick.clone();
                        }
                        None if ch == '=' => s.push_str(&last),
                        None => s.push(ch),
                    }
                }
                let s = s.trim_start_matches('\'').to_string();
                let mut cs = s.chars();
                let cap = match cs.next() {
                    Some(f) => f.to_uppercase().collect::<String>() + cs.as_str(),
                    None => continue,
                };
                if !lat.contains(&cap) {
                    lat.push(cap);
                }
            }
        }
        let ar = if article { format!("ال{ar}") } else { ar };
        let lat = if article {
            lat.iter().map(|l| format!("al-{l}")).collect()
        } else {
            lat
        };
        out.push(Spelled { ar, lat });
    }
    out
}

/// A victim: indices into the pools and values.
#[derive(Debug, Clone)]
struct Person {
    female: bool,
    given: usize,
    father: usize,
    grandfather: usize,
    family: usize,
    mother: usize,
    birth: i32,
    place: usize,
    day: u32,
}

fn persons(rng: &mut ChaCha8Rng, target: usize, families: usize) -> Vec<Person> {
    let male = Zipf::new(names::MALE.len(), 1.1);
    let female = Zipf::new(names::FEMALE.len(), 0.9);
    let fam = Zipf::new(families, 0.75);
    let mut out = Vec::with_capacity(target + 8);
    while out.len() < target {
        let family = fam.draw(rng);
        let father = male.draw(rng);
        let grandfather = male.draw(rng);
        let mother = female.draw(rng);
        let place = rng.random_range(0..names::PLACES.len());
        let day = rng.random_range(6..=12);
        let base: i32 = rng.random_range(1950..=2018);
        let kids = [1, 1, 2, 2, 3, 3, 4, 5][rng.random_range(0..8)];
        let mut used: Vec<(bool, usize)> = Vec::new();
        for k in 0..kids {
            let female_kid = rng.random_bool(0.45);
            let mut given;
            loop {
                given = if female_kid {
                    female.draw(rng)
                } else {
                    male.draw(rng)
                };
                if !used.contains(&(female_kid, given)) {
                    break;
                }
            }
            used.push((female_kid, given));
            let birth = (base + 2 * k + rng.random_range(0..2)).min(2024);
            let kday = if rng.random_bool(0.8) {
                day
            } else {
                rng.random_range(6..=12)
            };
            out.push(Person {
                female: female_kid,
                given,
                father,
                grandfather,
                family,
                mother,
                birth,
                place,
                day: kday,
            });
        }
        if rng.random_bool(0.25) {
            // The father himself.
            out.push(Person {
                female: false,
                given: father,
                father: grandfather,
                grandfather: male.draw(rng),
                family,
                mother: female.draw(rng),
                birth: base - rng.random_range(22..40),
                place,
                day,
            });
        }
    }
    out
}

/// How one list writes its records.
#[derive(Debug, Clone, Copy)]
struct Style {
    name: &'static str,
    arabic: bool,
    parts: bool,
    coverage: f64,
    duplicates: f64,
}

const STYLES: [Style; 4] = [
    Style {
        name: "shuhada_ar",
        arabic: true,
        parts: false,
        coverage: 0.55,
        duplicates: 0.02,
    },
    Style {
        name: "monitor_ar",
        arabic: true,
        parts: true,
        coverage: 0.5,
        duplicates: 0.0,
    },
    Style {
        name: "ngo_en",
        arabic: false,
        parts: false,
        coverage: 0.4,
        duplicates: 0.02,
    },
    Style {
        name: "local_en",
        arabic: false,
        parts: true,
        coverage: 0.35,
        duplicates: 0.0,
    },
];

/// Arabic spelling noise: hamza, taa marbuta, alef maqsura, tatweel, diacritics, typos.
fn arabic_noise(rng: &mut ChaCha8Rng, s: &str) -> String {
    let mut t: String = s.to_string();
    if rng.random_bool(0.3) {
        t = t.replace(['أ', 'إ', 'آ'], "ا");
    }
    if rng.random_bool(0.15) {
        t = t.replace('ة', "ه");
    }
    if rng.random_bool(0.15) {
        t = t.replace('ى', "ي");
    }
    if rng.random_bool(0.03) {
        let cs: Vec<char> = t.chars().collect();
        if cs.len() > 2 {
            let k = rng.random_range(1..cs.len());
            t = cs[..k].iter().collect::<String>() + "ـ" + &cs[k..].iter().collect::<String>();
        }
    }
    if rng.random_bool(0.02) {
        t.push('\u{064F}');
    }
    typo(rng, &t, 0.03, &['ا', 'ي', 'و', 'ه', 'ن', 'ر', 'د', 'ت'])
}

fn typo(rng: &mut ChaCha8Rng, s: &str, p: f64, alphabet: &[char]) -> String {
    if !rng.random_bool(p) {
        return s.to_string();
    }
    let mut cs: Vec<char> = s.chars().collect();
    if cs.len() < 3 {
        return s.to_string();
    }
    let k = rng.random_range(1..cs.len());
    match rng.random_range(0..3) {
        0 => {
            cs.remove(k);
        }
        1 => cs[k] = *alphabet.choose(rng).unwrap_or(&cs[k]),
        _ => cs.swap(k - 1, k),
    }
    cs.into_iter().collect()
}

/// A Latin spelling: the list's usual variant mostly, another sometimes, with typos.
fn latin(rng: &mut ChaCha8Rng, n: &Spelled, list: usize) -> String {
    let pick = if rng.random_bool(0.75) {
        list % n.lat.len()
    } else {
        rng.random_range(0..n.lat.len())
    };
    let mut s = n.lat[pick].clone();
    if let Some(rest) = s.strip_prefix("al-") {
        s = match rng.random_range(0..4) {
            0 => format!("Al-{rest}"),
            1 => format!("Al {rest}"),
            2 => format!("Al{}", rest.to_lowercase()),
            _ => format!("al-{rest}"),
        };
    }
    typo(rng, &s, 0.03, &['a', 'e', 'i', 'o', 'u', 'h', 'n', 'r'])
}

fn written(rng: &mut ChaCha8Rng, n: &Spelled, style: Style, list: usize) -> String {
    if style.arabic {
        arabic_noise(rng, &n.ar)
    } else {
        latin(rng, n, list)
    }
}

fn to_arabic_digits(s: &str) -> String {
    s.chars()
        .map(|c| {
            c.to_digit(10)
                .map_or(c, |d| char::from_u32(0x0660 + d).unwrap_or(c))
        })
        .collect()
}

/// Generates a data set.
pub fn generate(config: &Config) -> Dataset {
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let per_person: f64 = STYLES
        .iter()
        .map(|s| s.coverage * (1.0 + s.duplicates))
        .sum();
    let n_persons = ((config.records as f64) / per_person).ceil() as usize;
    let n_families = (n_persons / 60).clamp(50, 6000);
    let male = parse_pool(names::MALE);
    let female = parse_pool(names::FEMALE);
    let places = parse_pool(names::PLACES);
    let fams = family_names(&mut rng, n_families);
    let people = persons(&mut rng, n_persons, n_families);
    let mut truth = Vec::new();
    let mut lists = Vec::new();
    for (li, &style) in STYLES.iter().enumerate() {
        let mut header: Vec<&str> = if style.parts {
            vec![
                "given_name",
                "father_name",
                "grandfather_name",
                "family_name",
                "mother_name",
            ]
        } else {
            vec!["full_name"]
        };
        header.extend([
            "record_id",
            "sex",
            if li == 1 { "birth_year" } else { "age" },
            "date_of_death",
            "place_of_death",
        ]);
        if li == 3 {
            header.retain(|h| *h != "grandfather_name");
        }
        // Columns in the list's own order.
        if li == 1 {
            header.rotate_left(2);
        }
        let mut rows = Vec::new();
        let mut next_id = 1usize;
        for (pid, p) in people.iter().enumerate() {
            if !rng.random_bool(style.coverage) {
                continue;
            }
            let copies = if rng.random_bool(style.duplicates) {
                2
            } else {
                1
            };
            for _ in 0..copies {
                let given_pool = if p.female { &female } else { &male };
                let given = written(&mut rng, &given_pool[p.given], style, li);
                let father = written(&mut rng, &male[p.father], style, li);
                let grandfather = written(&mut rng, &male[p.grandfather], style, li);
                let family = written(&mut rng, &fams[p.family], style, li);
                let mother = written(&mut rng, &female[p.mother], style, li);
                let record_id = match li {
                    0 => format!("{next_id}"),
                    1 => format!("M-{next_id:06}"),
                    2 => format!("NGO{next_id}"),
                    _ => format!("L{next_id}"),
                };
                next_id += 1;
                let age_err = if rng.random_bool(0.2) {
                    rng.random_range(-1..=1)
                } else {
                    0
                };
                let age = (2025 - p.birth + age_err).max(0);
                let day_err = if li == 3 && rng.random_bool(0.15) {
                    1
                } else {
                    0
                };
                let day = p.day + day_err;
                let mut row = Vec::new();
                for h in &header {
                    let v = match *h {
                        "full_name" => {
                            if style.arabic {
                                if rng.random_bool(0.25) {
                                    format!("{given} {father} {family}")
                                } else {
                                    format!("{given} {father} {grandfather} {family}")
                                }
                            } else if rng.random_bool(0.3) {
                                format!("{given} {family}")
                            } else {
                                format!("{given} {father} {family}")
                            }
                        }
                        "given_name" => given.clone(),
                        "father_name" => father.clone(),
                        "grandfather_name" => {
                            if rng.random_bool(0.5) {
                                grandfather.clone()
                            } else {
                                String::new()
                            }
                        }
                        "family_name" => family.clone(),
                        "mother_name" => {
                            if rng.random_bool(0.6) {
                                mother.clone()
                            } else {
                                String::new()
                            }
                        }
                        "record_id" => record_id.clone(),
                        "sex" => match (li, p.female) {
                            (0, false) => "ذكر".into(),
                            (0, true) => "أنثى".into(),
                            (2, false) => "male".into(),
                            (2, true) => "female".into(),
                            (_, false) => "M".into(),
                            (_, true) => "F".into(),
                        },
                        "age" => {
                            if rng.random_bool(0.1) {
                                String::new()
                            } else if li == 0 && rng.random_bool(0.3) {
                                to_arabic_digits(&age.to_string())
                            } else {
                                age.to_string()
                            }
                        }
                        "birth_year" => {
                            let e = if rng.random_bool(0.3) {
                                rng.random_range(-1..=1)
                            } else {
                                0
                            };
                            (p.birth + e).to_string()
                        }
                        "date_of_death" => match li {
                            0 | 2 => format!("{day:02}/03/2025"),
                            _ => format!("2025-03-{day:02}"),
                        },
                        "place_of_death" => written(&mut rng, &places[p.place], style, li),
                        _ => String::new(),
                    };
                    row.push(v);
                }
                truth.push([style.name.to_string(), record_id, format!("P{pid}")]);
                rows.push(row);
            }
        }
        lists.push(List {
            name: style.name.into(),
            header: header.iter().map(|h| h.to_string()).collect(),
            rows,
        });
    }
    Dataset { lists, truth }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reproducible_and_sized() {
        let a = generate(&Config {
            records: 2_000,
            seed: 7,
        });
        let b = generate(&Config {
            records: 2_000,
            seed: 7,
        });
        assert_eq!(a, b);
        let n: usize = a.lists.iter().map(|l| l.rows.len()).sum();
        assert!((1_700..2_400).contains(&n), "{n}");
        assert_eq!(a.truth.len(), n);
        for l in &a.lists {
            assert!(l.rows.iter().all(|r| r.len() == l.header.len()));
        }
    }
}
