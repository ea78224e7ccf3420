//! Figure claims: parse quantities and extract who-said-how-many-of-what from English and
//! Arabic report text. Pure: no IO.
//!
//! [`extract`] reads a document and returns one [`Claim`] per published figure: its value
//! (or range), qualifier, measure, claimant, as-of date, place and the sentence it came
//! from. [`parse_number`] reads a single quantity.
//!
//! # What is a claim
//!
//! A count of people, families, bodies, relief items, volunteers or missions, written in
//! digits (Western `0-9` or Arabic-Indic `٠-٩`, with `,` `٬` `.` or space grouping
//! thousands) or in words (`three hundred`, `1.5 million`, `ألفا`, `مئة وخمسون`).
//! Indefinite amounts (`dozens`, `عشرات`, `tens of thousands`) are claims with no value
//! and the qualifier [`Qualifier::Indefinite`].
//!
//! Not claims: years, dates, times, footnote marks (`[12]`), ages (`a 70-year-old man`),
//! durations (`six days`, `48 hours`), ordinals, phone numbers, ids (`Resolution 2254`,
//! `No. 12`, `M4`), distances and weights. Percentages are dropped too: a share is not
//! a count and cannot be charted beside counts without its base.
//!
//! # Values, ranges and qualifiers
//!
//! A single figure sets `value`, `low` and `high` stay empty; a range (`between 700 and
//! 800`, `700-800`, `من 700 إلى 800`) sets `low` and `high` and leaves `value` empty. The
//! qualifier says how the figure bounds the truth (`over`, `at_least`, `nearly`, `about`,
//! `up_to`, `under`, `indefinite`), or is empty for a plain figure. Figures nested in
//! another (`779 fatalities (383 … and 396 …)`) are claims of their own and inherit its
//! measure.
//!
//! # Measure, claimant, as-of date, place
//!
//! - **Measure**: the counted noun after the figure (`civilians`, `سلة غذائية`, `loaves of
//!   bread`), or before it (`the death toll … at 14,763`, `عدد النازحين`), combined with the
//!   nearest event word of its clause (killed, fled, recovered, نزح, مقتل …); a figure
//!   with no noun inside brackets or a list after another figure takes that figure's
//!   measure. The phrase as written is kept in [`Claim::measure_phrase`].
//! - **Claimant**: the attribution nearest before the figure in its clause (else in an
//!   earlier clause, else the nearest after it): the subject of `said`, `documented`,
//!   `reported`, `told` … or of `قال`, `أعلن`, `وثّق`, `أفاد`, `ذكر` …, the object of
//!   `according to`, `بحسب`, `وفقاً لـ`, `by X's count`, a source before a headline colon.
//!   Pronouns (`it said`, `the group said`) and short names (`the Observatory`,
//!   `المرصد`) resolve to the full name given earlier in the document.
//! - **As-of date**: a date after `by`, `as of`, `until`, `through`, `حتى`, `لغاية` (or the
//!   end of a `between … and …` range) in the figure's clause, else in its sentence, else
//!   any date there that is not a `since` date, else the document date: the one given
//!   in [`Options`], else a date near the start of one of the document's first three lines
//!   (title, date line, dateline).
//!   A date without a year takes the year of the document date or of the document's first
//!   full date; otherwise it is written `--MM-DD`.
//! - **Place**: the [`Gazetteer`] entry nearest the figure, in its comma-bounded clause
//!   first; towns rank above countries.

mod date;
mod extract;
mod number;
mod place;
mod text;

pub use date::{Date, DateError};
pub use extract::extract;
pub use number::{NumberError, Quantity, parse_number};
pub use place::{Gazetteer, GazetteerError, Place};

use serde::Serialize;
use std::fmt;

/// A figure's value: serialised as a JSON integer when it is whole.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Value(pub f64);

impl Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let v = self.0;
        if v.fract() == 0.0 && v.abs() < 9.0e15 {
            s.serialize_i64(v as i64)
        } else {
            s.serialize_f64(v)
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.fract() == 0.0 && self.0.abs() < 9.0e15 {
            write!(f, "{}", self.0 as i64)
        } else {
            write!(f, "{}", self.0)
        }
    }
}

/// How a published figure bounds the true number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    /// over, more than, in excess of, `350+`, أكثر من, ما يزيد عن, يربو على.
    Over,
    /// at least, no fewer than, `or more`, ما لا يقل عن, على الأقل.
    AtLeast,
    /// nearly, almost, close to, just under, قرابة, ما يقارب.
    Nearly,
    /// about, around, approximately, some, an estimated, `~`, نحو, حوالي, زهاء, تقريباً.
    About,
    /// up to, as many as, at most, ما يصل إلى.
    UpTo,
    /// fewer than, less than, أقل من.
    Under,
    /// No exact value: dozens, hundreds, thousands, عشرات, مئات, آلاف.
    Indefinite,
}

impl Qualifier {
    /// The name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Qualifier::Over => "over",
            Qualifier::AtLeast => "at_least",
            Qualifier::Nearly => "nearly",
            Qualifier::About => "about",
            Qualifier::UpTo => "up_to",
            Qualifier::Under => "under",
            Qualifier::Indefinite => "indefinite",
        }
    }
}

/// What a figure counts: a small vocabulary; the phrase as written is kept beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Deaths of unspecified status (all killed).
    Killed,
    /// Civilians killed.
    KilledCivilians,
    /// Members of the security forces killed.
    KilledSecurity,
    /// Gunmen, fighters, loyalists killed.
    KilledFighters,
    /// Injured or wounded.
    Injured,
    /// Missing or disappeared.
    Missing,
    /// Detained, arrested or abducted.
    Detained,
    /// Bodies recovered or found.
    BodiesRecovered,
    /// People rescued alive.
    PeopleRescued,
    /// Rescue missions run.
    RescueMissions,
    /// People displaced, fled or sheltered.
    PeopleDisplaced,
    /// Families displaced, fled or sheltered.
    FamiliesDisplaced,
    /// People in need of assistance.
    PeopleInNeed,
    /// Food baskets or parcels.
    FoodBaskets,
    /// Loaves or bundles of bread.
    Loaves,
    /// Ready or hot meals.
    Meals,
    /// Hygiene kits.
    HygieneKits,
    /// Families given cash.
    CashFamilies,
    /// Families reached by relief.
    FamiliesAssisted,
    /// People reached by relief.
    Beneficiaries,
    /// Volunteers.
    Volunteers,
    /// Incidents: massacres, attacks, violations.
    Incidents,
    /// Families, with no event said.
    Families,
    /// People, with no event said.
    People,
    /// An amount of money.
    Money,
    /// Anything else counted; see the phrase.
    Other,
}

impl Measure {
    /// The name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Measure::Killed => "killed",
            Measure::KilledCivilians => "killed_civilians",
            Measure::KilledSecurity => "killed_security",
            Measure::KilledFighters => "killed_fighters",
            Measure::Injured => "injured",
            Measure::Missing => "missing",
            Measure::Detained => "detained",
            Measure::BodiesRecovered => "bodies_recovered",
            Measure::PeopleRescued => "people_rescued",
            Measure::RescueMissions => "rescue_missions",
            Measure::PeopleDisplaced => "people_displaced",
            Measure::FamiliesDisplaced => "families_displaced",
            Measure::PeopleInNeed => "people_in_need",
            Measure::FoodBaskets => "food_baskets",
            Measure::Loaves => "loaves",
            Measure::Meals => "meals",
            Measure::HygieneKits => "hygiene_kits",
            Measure::CashFamilies => "cash_families",
            Measure::FamiliesAssisted => "families_assisted",
            Measure::Beneficiaries => "beneficiaries",
            Measure::Volunteers => "volunteers",
            Measure::Incidents => "incidents",
            Measure::Families => "families",
            Measure::People => "people",
            Measure::Money => "money",
            Measure::Other => "other",
        }
    }
}

/// One published figure, as extracted. Serialises to the CLI's JSON record
/// (`value`, `low`, `high`, `qualifier`, `measure`, `claimant`, `as_of`, `place`, `quote`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Claim {
    /// The figure; empty for a range or an indefinite amount.
    pub value: Option<Value>,
    /// The lower end of a range.
    pub low: Option<Value>,
    /// The upper end of a range.
    pub high: Option<Value>,
    /// How the figure bounds the truth; empty for a plain figure.
    pub qualifier: Option<Qualifier>,
    /// What is counted.
    pub measure: Measure,
    /// The counted phrase as written (`civilian deaths`, `سلة غذائية`); may be empty.
    #[serde(skip)]
    pub measure_phrase: String,
    /// Who published the figure, as named in the text.
    pub claimant: Option<String>,
    /// The day the figure counts up to: from the text, else the document date.
    pub as_of: Option<Date>,
    /// The gazetteer's name of the place nearest the figure in its sentence.
    pub place: Option<String>,
    /// The sentence the figure is in.
    pub quote: String,
    /// Byte offsets of the figure in the document.
    #[serde(skip)]
    pub span: (usize, usize),
}

/// What the extractor knows beyond the text.
#[derive(Debug, Clone)]
pub struct Options {
    /// The document's publication date: the default as-of date and year.
    pub doc_date: Option<Date>,
    /// The places to look for.
    pub gazetteer: Gazetteer,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            doc_date: None,
            gazetteer: Gazetteer::coastal(),
        }
    }
}
