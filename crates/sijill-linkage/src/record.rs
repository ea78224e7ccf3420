//! The input record (one row of one list, values already parsed) and its prepared form:
//! normalized name parts, keys and derived birth year, held column by column.

use crate::parse::{Date, Sex};
use rayon::prelude::*;
use sijill_names::{NameToken, name_tokens, split_full_name};
use std::collections::HashMap;

/// How a record writes the person's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Name {
    /// One string, split by position into given, father, grandfather and family name.
    Full(String),
    /// The parts as separate columns; any may be absent.
    Parts {
        /// The person's own name.
        given: Option<String>,
        /// The father's name.
        father: Option<String>,
        /// The grandfather's name.
        grandfather: Option<String>,
        /// The family name.
        family: Option<String>,
    },
}

/// One victim record of one list.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The list (source) the record comes from.
    pub list: String,
    /// The record's id, unique within its list.
    pub record_id: String,
    /// The person's name.
    pub name: Name,
    /// The mother's name (her given name is compared).
    pub mother: Option<String>,
    /// Sex.
    pub sex: Option<Sex>,
    /// Age at death in years.
    pub age: Option<u16>,
    /// Year of birth.
    pub birth_year: Option<i32>,
    /// Date of death.
    pub date_of_death: Option<Date>,
    /// Place of death as written.
    pub place: Option<String>,
    /// Further fields named in [`crate::Params::extra_fields`], in that order.
    pub extra: Vec<Option<String>>,
}

impl Record {
    /// A record with only a list, an id and a full name; the other fields are absent.
    pub fn new(list: &str, record_id: &str, full_name: &str) -> Record {
        Record {
            list: list.into(),
            record_id: record_id.into(),
            name: Name::Full(full_name.into()),
            mother: None,
            sex: None,
            age: None,
            birth_year: None,
            date_of_death: None,
            place: None,
            extra: Vec::new(),
        }
    }
}

/// The marker for an absent value in the prepared columns.
pub(crate) const NULL: u32 = u32::MAX;

/// Interned values: each distinct string once, with a dense id.
#[derive(Debug)]
pub(crate) struct Vocab<T> {
    pub items: Vec<T>,
    pub index: HashMap<String, u32>,
}

impl<T> Default for Vocab<T> {
    fn default() -> Self {
        Vocab {
            items: Vec::new(),
            index: HashMap::new(),
        }
    }
}

impl<T> Vocab<T> {
    fn intern(&mut self, k: &str, make: impl FnOnce() -> T) -> u32 {
        if let Some(&i) = self.index.get(k) {
            return i;
        }
        let i = self.items.len() as u32;
        self.items.push(make());
        self.index.insert(k.to_string(), i);
        i
    }
}

/// A name token in the vocabulary, with the id of its key text.
#[derive(Debug)]
pub(crate) struct Tok {
    pub token: NameToken,
    pub key_id: u32,
}

/// The name parts of the prepared records.
pub(crate) const GIVEN: usize = 0;
pub(crate) const FATHER: usize = 1;
pub(crate) const GRANDFATHER: usize = 2;
pub(crate) const FAMILY: usize = 3;
pub(crate) const MOTHER: usize = 4;

/// All records, prepared for comparison, column by column.
#[derive(Debug)]
pub(crate) struct Prepared {
    pub n: usize,
    pub list: Vec<u16>,
    /// Name-part token ids, `[given, father, grandfather, family, mother]`.
    pub names: Vec<[u32; 5]>,
    pub toks: Vec<Tok>,
    pub key_count: usize,
    pub sex: Vec<u8>,
    pub birth: Vec<i16>,
    pub death: Vec<i32>,
    pub place: Vec<u32>,
    pub places: Vec<NameToken>,
    pub extra: Vec<Vec<u32>>,
    pub extra_values: Vec<Vec<String>>,
    pub lists: Vec<String>,
}

/// Joins the tokens of one column into one token (a family name of two words).
fn one_token(s: &str) -> Option<NameToken> {
    let t = name_tokens(s);
    match t.len() {
        0 => None,
        1 => t.into_iter().next(),
        _ => {
            let form: String = t.iter().map(|x| x.form.as_str()).collect();
            let key = sijill_names::key(&form);
            Some(NameToken { form, key })
        }
    }
}

fn first_token(s: &str) -> Option<NameToken> {
    name_tokens(s).into_iter().next()
}

/// Prepares records: names are folded and split, keys computed, values interned.
pub(crate) fn prepare(records: &[Record], reference_year: i32, n_extra: usize) -> Prepared {
    let parsed: Vec<[Option<NameToken>; 5]> = records
        .par_iter()
        .map(|r| {
            let (g, f, gf, fam) = match &r.name {
                Name::Full(s) => {
                    let p = split_full_name(s);
                    (p.given, p.father, p.grandfather, p.family)
                }
                Name::Parts {
                    given,
                    father,
                    grandfather,
                    family,
                } => (
                    given.as_deref().and_then(one_token),
                    father.as_deref().and_then(one_token),
                    grandfather.as_deref().and_then(one_token),
                    family.as_deref().and_then(one_token),
                ),
            };
            [g, f, gf, fam, r.mother.as_deref().and_then(first_token)]
        })
        .collect();
    let places_parsed: Vec<Option<NameToken>> = records
        .par_iter()
        .map(|r| r.place.as_deref().and_then(one_token))
        .collect();

    let mut toks: Vocab<Tok> = Vocab::default();
    let mut keys: HashMap<String, u32> = HashMap::new();
    let mut names = Vec::with_capacity(records.len());
    for p in parsed {
        let mut ids = [NULL; 5];
        for (slot, t) in ids.iter_mut().zip(p) {
            if let Some(t) = t {
                let next_key = keys.len() as u32;
                let key_id = *keys.entry(t.key.as_str().to_string()).or_insert(next_key);
                let form = t.form.clone();
                *slot = toks.intern(&form, || Tok { token: t, key_id });
            }
        }
        names.push(ids);
    }
    let mut places: Vocab<NameToken> = Vocab::default();
    let place = places_parsed
        .into_iter()
        .map(|p| match p {
            Some(t) => {
                let form = t.form.clone();
                places.intern(&form, || t)
            }
            None => NULL,
        })
        .collect();
    let mut lists: Vocab<()> = Vocab::default();
    let list = records
        .iter()
        .map(|r| lists.intern(&r.list, || ()) as u16)
        .collect();
    let mut list_names = vec![String::new(); lists.items.len()];
    for (k, &i) in &lists.index {
        list_names[i as usize] = k.clone();
    }
    let mut extra = vec![Vec::with_capacity(records.len()); n_extra];
    let mut extra_values = Vec::with_capacity(n_extra);
    for (e, column) in extra.iter_mut().enumerate() {
        let mut v: Vocab<String> = Vocab::default();
        for r in records {
            let id = match r.extra.get(e).and_then(|x| x.as_deref()) {
                Some(s) => {
                    let f = sijill_names::fold(s);
                    if f.is_empty() {
                        NULL
                    } else {
                        v.intern(&f, || f.clone())
                    }
                }
                None => NULL,
            };
            column.push(id);
        }
        extra_values.push(v.items);
    }
    let birth = records
        .iter()
        .map(|r| {
            let y = r.birth_year.or_else(|| {
                let reference = r.date_of_death.map_or(reference_year, |d| d.year());
                r.age.map(|a| reference - i32::from(a))
            });
            y.map_or(i16::MIN, |y| y.clamp(-30_000, 30_000) as i16)
        })
        .collect();
    Prepared {
        n: records.len(),
        list,
        names,
        key_count: keys.len(),
        toks: toks.items,
        sex: records
            .iter()
            .map(|r| match r.sex {
                None => 0,
                Some(Sex::Male) => 1,
                Some(Sex::Female) => 2,
            })
            .collect(),
        birth,
        death: records
            .iter()
            .map(|r| r.date_of_death.map_or(i32::MIN, |d| d.days()))
            .collect(),
        place,
        places: places.items,
        extra,
        extra_values,
        lists: list_names,
    }
}

impl Prepared {
    /// The key id of a name part of record `i`, or [`NULL`].
    pub fn key_of(&self, i: usize, part: usize) -> u32 {
        let t = self.names[i][part];
        if t == NULL {
            NULL
        } else {
            self.toks[t as usize].key_id
        }
    }
}
