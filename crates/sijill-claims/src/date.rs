//! Calendar dates in report text: `10 March 2025`, `March 13`, `13th of March`, `10/3/2025`,
//! `2025-03-13`, `10 آذار/مارس 2025`, `١٣ كانون الثاني`, each with the cue before it
//! (`by`, `as of`, `until`, `حتى`, `لغاية` make it the as-of date; `since`, `منذ` do not).

use crate::number::{Digits, parse_digits};
use crate::text::{Kind, Tok, ar_forms};
use std::fmt;

/// A calendar day whose year may be unknown (`--03-10` in ISO 8601 when it is).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: Option<u16>,
    month: u8,
    day: u8,
}

/// Why a date is not valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Not of the form `YYYY-MM-DD`.
    #[error("expected a date as YYYY-MM-DD, got {0:?}")]
    Format(String),
    /// The month or the day is out of range.
    #[error("no such day: {0:?}")]
    OutOfRange(String),
}

fn days_in_month(year: Option<u16>, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 => match year {
            Some(y) if !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) => 28,
            _ => 29,
        },
        _ => 31,
    }
}

impl Date {
    /// A checked date; `year` may be unknown.
    pub fn new(year: Option<u16>, month: u8, day: u8) -> Result<Date, DateError> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            let y = year.map_or("--".to_string(), |y| y.to_string());
            return Err(DateError::OutOfRange(format!("{y}-{month:02}-{day:02}")));
        }
        Ok(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse_iso(s: &str) -> Result<Date, DateError> {
        let parts: Vec<&str> = s.trim().split('-').collect();
        let num = |p: &str, len: usize| {
            (p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse::<u16>().ok())
                .flatten()
        };
        match parts.as_slice() {
            [y, m, d] => match (num(y, 4), num(m, 2), num(d, 2)) {
                (Some(y), Some(m), Some(d)) => Date::new(Some(y), m as u8, d as u8),
                _ => Err(DateError::Format(s.to_string())),
            },
            _ => Err(DateError::Format(s.to_string())),
        }
    }

    /// The year, when the text or the document date gives it.
    pub fn year(&self) -> Option<u16> {
        self.year
    }

    /// The month, 1–12.
    pub fn month(&self) -> u8 {
        self.month
    }

    /// The day of the month.
    pub fn day(&self) -> u8 {
        self.day
    }

    /// The same day in `year` when the year is unknown.
    pub(crate) fn with_default_year(self, year: Option<u16>) -> Date {
        match (self.year, year) {
            (None, Some(y)) => Date::new(Some(y), self.month, self.day).unwrap_or(self),
            _ => self,
        }
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian day (H. Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The day of `days_from_civil`'s count (its inverse).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

impl Date {
    fn days(self) -> Option<i64> {
        let y = i64::from(self.year?);
        Some(days_from_civil(
            y,
            i64::from(self.month),
            i64::from(self.day),
        ))
    }

    /// The day `n` days later (earlier when negative); only for a date with its year.
    pub(crate) fn add_days(self, n: i64) -> Option<Date> {
        let (y, m, d) = civil_from_days(self.days()? + n);
        Date::new(u16::try_from(y).ok(), m as u8, d as u8).ok()
    }

    /// 0 = Monday … 6 = Sunday; only for a date with its year.
    pub(crate) fn weekday(self) -> Option<u8> {
        // 1970-01-01 was a Thursday (3).
        Some(((self.days()? + 3).rem_euclid(7)) as u8)
    }
}

/// The weekday a word names (0 = Monday), in English or Arabic.
fn weekday_of(w: &str) -> Option<u8> {
    let days = [
        ("monday", 0),
        ("tuesday", 1),
        ("wednesday", 2),
        ("thursday", 3),
        ("friday", 4),
        ("saturday", 5),
        ("sunday", 6),
        ("الاثنين", 0),
        ("الثلاثاء", 1),
        ("الاربعاء", 2),
        ("الخميس", 3),
        ("الجمعه", 4),
        ("السبت", 5),
        ("الاحد", 6),
    ];
    ar_forms(w).find_map(|f| days.iter().find(|(d, _)| *d == f).map(|&(_, n)| n))
}

/// Days named relative to the document's date: "yesterday", "today", "on Monday" (the
/// latest such day on or before the document's date), "أمس", "اليوم", "يوم الأحد". A
/// weekday written next to a calendar date ("Monday, March 10") is that date's, and a
/// coming day ("next Monday", "الأحد المقبل") is not an as-of day, so neither is added.
pub(crate) fn relative_dates(
    toks: &[Tok],
    doc: Option<Date>,
    absolute: &[DateSpan],
) -> Vec<DateSpan> {
    let Some(doc) = doc.filter(|d| d.year().is_some()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (k, t) in toks.iter().enumerate() {
        if t.kind != Kind::Word {
            continue;
        }
        let w = t.norm.as_str();
        let next = toks.get(k + 1).map(|n| n.norm.as_str());
        let coming = k > 0 && toks[k - 1].is("next")
            || next.is_some_and(|n| ar_forms(n).any(|f| matches!(f, "المقبل" | "القادم")));
        let date = match w {
            "yesterday" => doc.add_days(-1),
            "today" => Some(doc),
            _ if t.arabic && ar_forms(w).any(|f| f == "امس") => doc.add_days(-1),
            _ if t.arabic && ar_forms(w).any(|f| f == "اليوم") => {
                // "اليوم الثلاثاء 11 آذار": the calendar date that follows says it.
                Some(doc)
            }
            _ => weekday_of(w)
                .filter(|_| t.arabic || t.upper)
                .and_then(|wd| {
                    let back = (i64::from(doc.weekday()?) - i64::from(wd)).rem_euclid(7);
                    doc.add_days(-back)
                }),
        };
        let Some(date) = date.filter(|_| !coming) else {
            continue;
        };
        // A calendar date within the next three tokens (or just before) is the day meant.
        if absolute
            .iter()
            .any(|d| d.start > k && d.start <= k + 4 || d.end == k)
        {
            continue;
        }
        // "منذ بدء الأحداث يوم الخميس", "since the attacks began on Thursday".
        let since = (k.saturating_sub(5)..k).any(|j| {
            toks[j].is("since") || toks[j].arabic && ar_forms(&toks[j].norm).any(|f| f == "منذ")
        });
        out.push(DateSpan {
            start: k,
            end: k + 1,
            date,
            cue: if since {
                Cue::Since
            } else {
                cue_before(toks, k)
            },
            relative: true,
        });
    }
    out
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.year {
            Some(y) => write!(f, "{y:04}-{:02}-{:02}", self.month, self.day),
            None => write!(f, "--{:02}-{:02}", self.month, self.day),
        }
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// How a date relates to the figures of its sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cue {
    /// `by`, `as of`, `until`, `حتى`: the figure is counted up to this day.
    AsOf,
    /// `since`, `from`, `منذ`: the start of the period, not the as-of date.
    Since,
    /// No cue (`on 10 March`, `said on 10 March`).
    Plain,
}

/// A date found in a sentence, with the tokens it covers.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DateSpan {
    pub start: usize,
    pub end: usize,
    pub date: Date,
    pub cue: Cue,
    /// Named relative to the document's date ("on Sunday", "أمس"), so weaker than a
    /// calendar date in the same sentence.
    pub relative: bool,
}

const EN_MONTHS: &[(&str, u8)] = &[
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
];

const AR_MONTHS: &[(&str, u8)] = &[
    ("شباط", 2),
    ("اذار", 3),
    ("نيسان", 4),
    ("ايار", 5),
    ("حزيران", 6),
    ("تموز", 7),
    ("ايلول", 9),
    ("يناير", 1),
    ("فبراير", 2),
    ("مارس", 3),
    ("ابريل", 4),
    ("مايو", 5),
    ("يونيو", 6),
    ("يونيه", 6),
    ("يوليو", 7),
    ("يوليه", 7),
    ("اغسطس", 8),
    ("سبتمبر", 9),
    ("اكتوبر", 10),
    ("نوفمبر", 11),
    ("ديسمبر", 12),
];

/// A month name at token `i`: its number and the tokens it takes (`كانون الثاني` takes two,
/// `آذار/مارس` three, `Sept.` two).
fn month_at(toks: &[Tok], i: usize, after_day: bool) -> Option<(u8, usize)> {
    let t = toks.get(i)?;
    if t.kind != Kind::Word {
        return None;
    }
    let w = t.norm.as_str();
    let (m, mut len) = if t.arabic {
        let second = toks.get(i + 1).map(|t| t.norm.as_str());
        let two = |a: &str| ar_forms(w).any(|f| f == a);
        if two("كانون") && second == Some("الثاني") {
            (1, 2)
        } else if two("كانون") && second == Some("الاول") {
            (12, 2)
        } else if two("تشرين") && second == Some("الاول") {
            (10, 2)
        } else if two("تشرين") && second == Some("الثاني") {
            (11, 2)
        } else if after_day && w == "اب" {
            (8, 1)
        } else {
            let m = AR_MONTHS
                .iter()
                .find(|(k, _)| ar_forms(w).any(|f| f == *k))?
                .1;
            (m, 1)
        }
    } else {
        let m = EN_MONTHS.iter().find(|(k, _)| *k == w)?.1;
        // "may" is a month only when written "May" and next to a day.
        if w == "may" && !t.upper {
            return None;
        }
        if w.len() <= 4 && toks.get(i + 1).is_some_and(|n| n.is_punct(".") && n.glued) {
            (m, 2)
        } else {
            (m, 1)
        }
    };
    // "آذار/مارس": the same month in two calendars.
    if t.arabic
        && toks.get(i + len).is_some_and(|s| s.is_punct("/"))
        && let Some(next) = toks.get(i + len + 1)
        && next.arabic
        && AR_MONTHS
            .iter()
            .any(|(k, _)| ar_forms(&next.norm).any(|f| f == *k))
    {
        len += 2;
    }
    Some((m, len))
}

fn plain_int(t: &Tok) -> Option<u32> {
    if t.kind != Kind::Num || !t.norm.bytes().all(|b| b.is_ascii_digit()) || t.norm.len() > 4 {
        return None;
    }
    t.norm.parse().ok()
}

fn year_at(toks: &[Tok], i: usize) -> Option<(u16, usize)> {
    let (k, skip) = if toks.get(i).is_some_and(|t| t.is_punct(",")) {
        (i + 1, 1)
    } else {
        (i, 0)
    };
    let y = plain_int(toks.get(k)?)?;
    ((1900..=2100).contains(&y) && toks[k].norm.len() == 4).then_some((y as u16, 1 + skip))
}

fn ordinal_suffix(toks: &[Tok], i: usize) -> usize {
    usize::from(
        toks.get(i)
            .is_some_and(|t| t.glued && matches!(t.norm.as_str(), "st" | "nd" | "rd" | "th")),
    )
}

/// The date starting at token `i`, and where it ends.
fn date_at(toks: &[Tok], i: usize) -> Option<(Date, usize)> {
    let t = &toks[i];
    // 10 March [2025], 10th of March, 10 آذار/مارس 2025
    if let Some(d) = plain_int(t).filter(|d| (1..=31).contains(d)) {
        let mut k = i + 1 + ordinal_suffix(toks, i + 1);
        if toks.get(k).is_some_and(|t| t.is("of")) {
            k += 1;
        }
        if let Some((m, len)) = month_at(toks, k, true) {
            k += len;
            let year = year_at(toks, k);
            if let Some((_, n)) = year {
                k += n;
            }
            let date = Date::new(year.map(|y| y.0), m, d as u8).ok()?;
            return Some((date, k));
        }
        // 10/3/2025, 10-3-2025
        let sep = toks.get(i + 1)?;
        if (sep.is_punct("/") || sep.is_punct("-")) && sep.glued {
            let m = plain_int(toks.get(i + 2).filter(|t| t.glued)?)?;
            let sep2 = toks.get(i + 3).filter(|s| s.glued && s.norm == sep.norm)?;
            let y = plain_int(toks.get(i + 4).filter(|t| t.glued)?)?;
            let _ = sep2;
            if (1900..=2100).contains(&y) && (1..=12).contains(&m) {
                let date = Date::new(Some(y as u16), m as u8, d as u8).ok()?;
                return Some((date, i + 5));
            }
        }
        return None;
    }
    // 2025-03-13, 2025/03/13
    if let Some(y) = plain_int(t).filter(|y| (1900..=2100).contains(y)) {
        let sep = toks
            .get(i + 1)
            .filter(|s| s.glued && (s.is_punct("-") || s.is_punct("/")))?;
        let m = plain_int(toks.get(i + 2).filter(|t| t.glued)?)?;
        toks.get(i + 3).filter(|s| s.glued && s.norm == sep.norm)?;
        let d = plain_int(toks.get(i + 4).filter(|t| t.glued)?)?;
        let date = Date::new(Some(y as u16), u8::try_from(m).ok()?, u8::try_from(d).ok()?).ok()?;
        return Some((date, i + 5));
    }
    // 10.03.2025 is one digit run
    if t.kind == Kind::Num && parse_digits(&t.norm) == Digits::Invalid {
        let parts: Vec<&str> = t.norm.split('.').collect();
        if let [d, m, y] = parts.as_slice()
            && let (Ok(d), Ok(m), Ok(y)) = (d.parse::<u8>(), m.parse::<u8>(), y.parse::<u16>())
            && y >= 1900
        {
            return Some((Date::new(Some(y), m, d).ok()?, i + 1));
        }
        return None;
    }
    // March 13[, 2025], March 13th
    let (m, len) = month_at(toks, i, false)?;
    let k = i + len;
    let mut d = plain_int(toks.get(k)?).filter(|d| (1..=31).contains(d))?;
    let mut end = k + 1 + ordinal_suffix(toks, k + 1);
    // "March 6 and 10", "March 6-10": the range ends on the second day.
    let joiner = toks
        .get(end)
        .is_some_and(|t| t.is("and") || t.is("to") || t.is("until") || t.is_punct("-"));
    if joiner
        && let Some(d2) = toks
            .get(end + 1)
            .and_then(plain_int)
            .filter(|d2| (d + 1..=31).contains(d2))
        && toks.get(end + 2).is_none_or(|t| {
            t.kind != Kind::Word || t.is("and") || t.is("of") || t.is("in") || t.is("by")
        })
    {
        d = d2;
        end += 2;
    }
    let year = year_at(toks, end);
    if let Some((_, n)) = year {
        end += n;
    }
    Some((Date::new(year.map(|y| y.0), m, d as u8).ok()?, end))
}

fn cue_before(toks: &[Tok], start: usize) -> Cue {
    let at = |k: usize| {
        start
            .checked_sub(k)
            .and_then(|j| toks.get(j))
            .map(|t| t.norm.as_str())
    };
    let mut k = 1;
    // Skip "the", "on", weekdays and "يوم/صباح/تاريخ" between the cue and the date.
    let filler = |w: &str| {
        matches!(
            w,
            "the"
                | "on"
                | ","
                | "تاريخ"
                | "يوم"
                | "مساء"
                | "صباح"
                | "monday"
                | "tuesday"
                | "wednesday"
                | "thursday"
                | "friday"
                | "saturday"
                | "sunday"
                | "الاثنين"
                | "الثلاثاء"
                | "الاربعاء"
                | "الخميس"
                | "الجمعه"
                | "السبت"
                | "الاحد"
        )
    };
    while at(k).is_some_and(filler) && k < 5 {
        k += 1;
    }
    let w = at(k).unwrap_or("");
    let w2 = at(k + 1).unwrap_or("");
    // The end of a range: "between 6 and 10 March", "بين 6 و10 آذار", "6-10 March".
    if matches!(w, "and" | "و" | "-" | "to" | "الي")
        && start >= k + 2
        && toks[start - k - 1].kind == Kind::Num
        && (2..=4).any(|b| {
            at(k + b).is_some_and(|x| {
                ar_forms(x).any(|f| matches!(f, "between" | "بين" | "from" | "من"))
            })
        })
    {
        return Cue::AsOf;
    }
    let ar = |list: &[&str]| ar_forms(w).any(|f| list.contains(&f));
    match w {
        "by" | "until" | "till" | "through" | "thru" | "to" => Cue::AsOf,
        "of" | "at" if w2 == "as" => Cue::AsOf,
        "since" | "from" | "starting" => Cue::Since,
        _ if ar(&["حتي", "لغايه", "غايه", "حتى"]) => Cue::AsOf,
        _ if ar(&["منذ", "من"]) => Cue::Since,
        _ => Cue::Plain,
    }
}

/// Every date in a sentence, in order.
pub(crate) fn dates(toks: &[Tok]) -> Vec<DateSpan> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if let Some((date, end)) = date_at(toks, i) {
            // The end of a range ("between March 6 and 10") is an as-of date.
            let span = &toks[i..end];
            let range = span
                .iter()
                .any(|t| t.is("and") || t.is("to") || t.is("until") || t.is_punct("-"))
                && span
                    .iter()
                    .any(|t| t.kind == Kind::Word && !t.is("and") && !t.is("to") && !t.is("until"))
                && span.iter().filter(|t| t.kind == Kind::Num).count() >= 2;
            // "killed on March 8 and 9" names the days of the events, not a count's end.
            let on = i > 0 && toks[i - 1].is("on");
            let cue = match cue_before(toks, i) {
                Cue::Plain if range && !on => Cue::AsOf,
                c => c,
            };
            out.push(DateSpan {
                start: i,
                end,
                date,
                cue,
                relative: false,
            });
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

/// The year a document speaks of: the year of its first full date. A bare year elsewhere
/// ("toppled in December 2024") says nothing about the dates written without one.
pub(crate) fn context_year(all: &[Tok]) -> Option<u16> {
    dates(all).into_iter().find_map(|d| d.date.year())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    fn found(s: &str) -> Vec<String> {
        let toks = tokenize(s, 0, s.len());
        dates(&toks)
            .into_iter()
            .map(|d| format!("{} {:?}", d.date, d.cue))
            .collect()
    }

    #[test]
    fn dates_and_cues() {
        assert_eq!(found("by 10 March"), ["--03-10 AsOf"]);
        assert_eq!(found("as of March 13, 2025"), ["2025-03-13 AsOf"]);
        assert_eq!(
            found("since 6 March until the 13th of March"),
            ["--03-06 Since", "--03-13 AsOf"]
        );
        assert_eq!(found("حتى 10 آذار/مارس 2025"), ["2025-03-10 AsOf"]);
        assert_eq!(found("منذ ٦ كانون الثاني"), ["--01-06 Since"]);
        assert_eq!(
            found("on 10/3/2025 and 2025-03-13 or 13.03.2025"),
            ["2025-03-10 Plain", "2025-03-13 Plain", "2025-03-13 Plain"]
        );
        assert_eq!(found("you may 5 times"), Vec::<String>::new());
        assert_eq!(found("between March 6 and 10, 2025"), ["2025-03-10 AsOf"]);
        assert_eq!(found("on March 6 and 40 people"), ["--03-06 Plain"]);
        assert_eq!(found("31 February"), Vec::<String>::new());
    }

    fn relative(s: &str, doc: &str) -> Vec<String> {
        let toks = tokenize(s, 0, s.len());
        let abs = dates(&toks);
        relative_dates(&toks, Date::parse_iso(doc).ok(), &abs)
            .into_iter()
            .map(|d| d.date.to_string())
            .collect()
    }

    #[test]
    fn days_named_relative_to_the_document() {
        // 2025-03-10 was a Monday, 2024-02-29 a Thursday (calendar checked with `cal`).
        assert_eq!(
            Date::parse_iso("2025-03-10").ok().and_then(Date::weekday),
            Some(0)
        );
        assert_eq!(
            Date::parse_iso("2024-02-29").ok().and_then(Date::weekday),
            Some(3)
        );
        assert_eq!(
            Date::parse_iso("2025-03-01")
                .ok()
                .and_then(|d| d.add_days(-1))
                .map(|d| d.to_string()),
            Some("2025-02-28".to_string())
        );
        assert_eq!(
            relative("the monitor said on Sunday", "2025-03-10"),
            ["2025-03-09"]
        );
        assert_eq!(
            relative("the monitor said on Monday", "2025-03-10"),
            ["2025-03-10"]
        );
        assert_eq!(
            relative("officials said yesterday", "2025-03-11"),
            ["2025-03-10"]
        );
        assert_eq!(relative("قال المرصد أمس", "2025-03-11"), ["2025-03-10"]);
        assert_eq!(relative("أعلن يوم الأحد", "2025-03-11"), ["2025-03-09"]);
        // Next to a calendar date, a weekday adds nothing; a coming day is no as-of day.
        assert_eq!(
            relative("on Monday, March 10", "2025-03-12"),
            Vec::<String>::new()
        );
        assert_eq!(
            relative("اليوم الثلاثاء 11 آذار", "2025-03-11"),
            Vec::<String>::new()
        );
        assert_eq!(
            relative("will meet next Monday", "2025-03-11"),
            Vec::<String>::new()
        );
        assert_eq!(
            relative("the monitor said on Sunday", "--03-10"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn iso_round_trip() {
        let d = Date::parse_iso("2025-03-10").map(|d| d.to_string());
        assert_eq!(d, Ok("2025-03-10".to_string()));
        assert!(Date::parse_iso("2025-02-30").is_err());
        assert!(Date::parse_iso("10 March").is_err());
    }
}
