//! Parsing of the values victim lists write: dates in several orders, sex in several
//! languages, ages and birth years, with Arabic-Indic digits. Pure string functions.

use thiserror::Error;

/// A calendar date as days since 1970-01-01 (proleptic Gregorian).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(i32);

impl Date {
    /// The date of a year, month (1–12) and day (1–31), if it exists.
    pub fn from_ymd(y: i32, m: u32, d: u32) -> Option<Date> {
        if !(1..=12).contains(&m)
            || d == 0
            || d > days_in_month(y, m)
            || !(1000..=9999).contains(&y)
        {
            return None;
        }
        // Days from civil (H. Hinnant's algorithm).
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m as i32 + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d as i32 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(Date(era * 146_097 + doe - 719_468))
    }

    /// Days since 1970-01-01.
    pub fn days(self) -> i32 {
        self.0
    }

    /// The year of the date.
    pub fn year(self) -> i32 {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        yoe + era * 400 + i32::from(m <= 2)
    }
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// How a list orders day and month in dates such as `03/04/2025`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayMonth {
    /// Day first (`DD/MM/YYYY`), the usual order in Syria.
    DayFirst,
    /// Month first (`MM/DD/YYYY`).
    MonthFirst,
}

/// Why a value could not be read.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum ParseError {
    /// Not a date in any accepted form.
    #[error("not a date: {0:?} (use YYYY-MM-DD or DD/MM/YYYY)")]
    Date(String),
    /// Not a sex value.
    #[error("not a sex: {0:?} (use M/F, male/female or ذكر/أنثى)")]
    Sex(String),
    /// Not an age in years.
    #[error("not an age: {0:?} (use whole years, 0 to 120)")]
    Age(String),
    /// Not a year.
    #[error("not a year: {0:?} (use four digits, 1880 to 2100)")]
    Year(String),
}

fn ascii_digits(s: &str) -> String {
    s.trim()
        .chars()
        .map(|c| match c {
            '٠'..='٩' => char::from(b'0' + (c as u32 - 0x0660) as u8),
            '۰'..='۹' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
            c => c,
        })
        .collect()
}

/// The three numbers of a date written with `-`, `/` or `.`, and whether the year is first.
fn date_fields(s: &str) -> Option<(u32, u32, u32, bool)> {
    let s = ascii_digits(s);
    let s = s.split(['T', ' ']).next()?;
    let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let n: Vec<u32> = parts
        .iter()
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    if parts[0].len() == 4 {
        Some((n[0], n[1], n[2], true))
    } else if parts[2].len() == 4 {
        Some((n[0], n[1], n[2], false))
    } else {
        None
    }
}

/// Whether a day-month date is ambiguous (both numbers ≤ 12), or which order it proves.
pub fn date_order_hint(s: &str) -> Option<DayMonth> {
    match date_fields(s)? {
        (_, _, _, true) => None,
        (a, b, _, false) if a > 12 && b <= 12 => Some(DayMonth::DayFirst),
        (a, b, _, false) if b > 12 && a <= 12 => Some(DayMonth::MonthFirst),
        _ => None,
    }
}

/// True when the value is a day-month date whose order cannot be told (`03/04/2025`).
pub fn date_is_ambiguous(s: &str) -> bool {
    matches!(date_fields(s), Some((a, b, _, false)) if a <= 12 && b <= 12 && a != b)
}

/// The month a word names: English (full or three letters), the Levantine Arabic names
/// used in Syria (آذار, تشرين الأول …, the second word of a two-word name given apart)
/// and the international Arabic ones (مارس …), after the canonical name fold.
fn month_of(word: &str, next: Option<&str>) -> Option<(u32, bool)> {
    let w = sijill_names::fold(word);
    let w = w.trim_end_matches('.');
    let n = next.map(sijill_names::fold);
    let two = |m_first: u32, m_second: u32| match n.as_deref() {
        Some("الاول") => Some((m_first, true)),
        Some("الثاني") => Some((m_second, true)),
        _ => None,
    };
    let one = match w {
        "january" | "jan" | "كانون" => return two(12, 1),
        "tishreen" | "تشرين" => return two(10, 11),
        "february" | "feb" | "شباط" | "فبراير" => 2,
        "march" | "mar" | "اذار" | "مارس" => 3,
        "april" | "apr" | "نيسان" | "ابريل" | "افريل" => 4,
        "may" | "ايار" | "مايو" => 5,
        "june" | "jun" | "حزيران" | "يونيو" | "يونيه" => 6,
        "july" | "jul" | "تموز" | "يوليو" | "يوليه" => 7,
        "august" | "aug" | "اب" | "اغسطس" => 8,
        "september" | "sep" | "sept" | "ايلول" | "سبتمبر" => 9,
        "october" | "oct" | "اكتوبر" => 10,
        "november" | "nov" | "نوفمبر" => 11,
        "december" | "dec" | "ديسمبر" => 12,
        _ => return None,
    };
    Some((one, false))
}

/// A date with the month in words: `8 March 2025`, `March 8, 2025`, `08-Mar-2025`,
/// `8 آذار 2025`, `٨ آذار/مارس ٢٠٢٥`, `8 كانون الثاني 2025`.
fn worded_date(s: &str) -> Option<Date> {
    let s = ascii_digits(s);
    let words: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '-' | '/' | '،'))
        .filter(|w| !w.is_empty())
        .collect();
    let mut month = None;
    let mut numbers = Vec::new();
    let mut k = 0;
    while k < words.len() {
        let w = words[k];
        if let Some(n) = w
            .trim_end_matches(|c: char| c.is_alphabetic())
            .parse::<u32>()
            .ok()
            .filter(|_| w.starts_with(|c: char| c.is_ascii_digit()))
        {
            // "8th", "1st": the digits of an ordinal day.
            numbers.push((n, w.bytes().take_while(u8::is_ascii_digit).count()));
        } else if matches!(w.to_lowercase().as_str(), "of" | "the" | "في" | "on") {
            // "8th of March 2025", "في 8 آذار 2025".
        } else if let Some((m, two_words)) = month_of(w, words.get(k + 1).copied()) {
            // "آذار/مارس": two names of one month.
            if month.is_some_and(|old| old != m) {
                return None;
            }
            month = Some(m);
            if two_words {
                k += 1;
            }
        } else {
            return None;
        }
        k += 1;
    }
    let m = month?;
    let year = numbers.iter().find(|(_, len)| *len == 4)?.0;
    let day = numbers.iter().find(|(_, len)| *len <= 2)?.0;
    if numbers.len() != 2 {
        return None;
    }
    Date::from_ymd(year as i32, m, day)
}

/// Parses a date: `YYYY-MM-DD`, `YYYY/MM/DD`, `DD/MM/YYYY`, `DD-MM-YYYY`, `DD.MM.YYYY`
/// (or month first when `order` says so), with ASCII or Arabic-Indic digits, or with the
/// month in words in English or Arabic (`8 March 2025`, `8 آذار 2025`); a time after a
/// numeric date is ignored.
pub fn parse_date(s: &str, order: DayMonth) -> Result<Date, ParseError> {
    let err = || ParseError::Date(s.trim().to_string());
    let Some((a, b, c, year_first)) = date_fields(s) else {
        return worded_date(s).ok_or_else(err);
    };
    let date = if year_first {
        Date::from_ymd(a as i32, b, c)
    } else {
        match order {
            DayMonth::DayFirst => Date::from_ymd(c as i32, b, a),
            DayMonth::MonthFirst => Date::from_ymd(c as i32, a, b),
        }
    };
    date.ok_or_else(err)
}

/// Sex as the lists record it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sex {
    /// Male.
    Male,
    /// Female.
    Female,
}

/// Parses sex: `M`/`F`, `male`/`female`, `m`/`f`, `ذكر`/`أنثى` (and `انثى`), `ذ`/`أ`,
/// and the words lists use for a man, woman, boy or girl (`رجل`, `سيدة`, `طفل`, `طفلة` …).
pub fn parse_sex(s: &str) -> Result<Sex, ParseError> {
    let f = sijill_names::fold(s);
    match f.trim_end_matches('.') {
        "m" | "male" | "man" | "boy" | "ذكر" | "ذ" | "رجل" | "طفل" | "شاب" | "ولد" | "h" => {
            Ok(Sex::Male)
        }
        "f" | "female" | "woman" | "girl" | "انثي" | "انثى" | "ا" | "امراه" | "سيده" | "طفله"
        | "فتاه" | "بنت" | "شابه" => Ok(Sex::Female),
        _ => Err(ParseError::Sex(s.trim().to_string())),
    }
}

/// True for what lists write for "not known": `?`, `-`, `unknown`, `n/a`, `غير معروف`,
/// `مجهول`, `غير محدد`, `لا يوجد`. Such a cell is absent, not a bad value.
pub fn is_unknown(s: &str) -> bool {
    let low = s.trim().to_lowercase();
    let folded = sijill_names::fold(s);
    [low.as_str(), folded.as_str()]
        .into_iter()
        .any(|f| unknown_marker(f.trim_matches(|c: char| c.is_whitespace() || c == '.')))
}

fn unknown_marker(f: &str) -> bool {
    matches!(
        f,
        "" | "?"
            | "??"
            | "-"
            | "--"
            | "—"
            | "x"
            | "unknown"
            | "unk"
            | "n/a"
            | "na"
            | "none"
            | "not known"
            | "غير معروف"
            | "غير معروفه"
            | "مجهول"
            | "مجهوله"
            | "غير محدد"
            | "غير محدده"
            | "لا يوجد"
            | "لا يعرف"
            | "غير مذكور"
            | "unidentified"
            | "unidentified person"
            | "unknown person"
            | "مجهول الهويه"
            | "مجهوله الهويه"
            | "مجهول الاسم"
            | "جثه مجهوله"
            | "جثه مجهوله الهويه"
    )
}

/// True for an age written as a stage of life (`child`, `طفل`, `adult`, `مسن` …): no
/// number of years, so the age is absent rather than bad.
pub fn is_age_word(s: &str) -> bool {
    let f = sijill_names::fold(s);
    matches!(
        f.trim(),
        "child"
            | "infant"
            | "baby"
            | "minor"
            | "adult"
            | "elderly"
            | "teen"
            | "teenager"
            | "youth"
            | "طفل"
            | "طفله"
            | "رضيع"
            | "رضيعه"
            | "قاصر"
            | "شاب"
            | "شابه"
            | "مسن"
            | "مسنه"
            | "بالغ"
            | "بالغه"
            | "كهل"
            | "عجوز"
    )
}

/// Parses an age in whole years (0–120): `35`, `35.0`, Arabic-Indic digits, a unit after
/// the number (`35 سنة`, `35 عاماً`, `35 years`, `35y`, `35 yo`), an approximation
/// (`~35`, `35?`, `حوالي 35`, `about 35`), and months or days for an infant (`6 months`,
/// `٦ أشهر` → 0).
pub fn parse_age(s: &str) -> Result<u16, ParseError> {
    let err = || ParseError::Age(s.trim().to_string());
    let t = ascii_digits(s).to_lowercase();
    let mut rest = t.trim();
    for approx in [
        "~",
        "ca.",
        "ca",
        "c.",
        "about",
        "approx.",
        "approx",
        "حوالي",
        "حوالى",
        "نحو",
        "قرابة",
    ] {
        if let Some(r) = rest.strip_prefix(approx) {
            rest = r.trim_start();
            break;
        }
    }
    let rest = rest.trim_end_matches(['?', '+', '~']).trim_end();
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return Err(err());
    }
    let after = rest[digits.len()..].trim_start();
    let after = after.strip_prefix(".0").unwrap_or(after).trim();
    let unit = sijill_names::fold(after);
    let after = unit.trim();
    let n: u16 = digits.parse().map_err(|_| err())?;
    let years = [
        "",
        "y",
        "yr",
        "yrs",
        "year",
        "years",
        "yo",
        "y.o.",
        "y/o",
        "سنه",
        "سنوات",
        "سنين",
        "عام",
        "عاما",
        "اعوام",
        "عمر",
    ];
    let infant = [
        "m", "mo", "month", "months", "d", "day", "days", "شهر", "اشهر", "شهور", "شهرا", "يوم",
        "ايام", "يوما",
    ];
    if years.contains(&after) {
        if n <= 120 { Ok(n) } else { Err(err()) }
    } else if infant.contains(&after) {
        Ok(0)
    } else {
        Err(err())
    }
}

/// Parses a birth year (1880–2100).
pub fn parse_year(s: &str) -> Result<i32, ParseError> {
    let t = ascii_digits(s);
    match t.parse::<i32>() {
        Ok(y) if (1880..=2100).contains(&y) => Ok(y),
        _ => Err(ParseError::Year(s.trim().to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_with_the_month_in_words() {
        let d = Date::from_ymd(2025, 3, 8).unwrap();
        for s in [
            "8 March 2025",
            "March 8, 2025",
            "8th of March 2025",
            "08-Mar-2025",
            "8 آذار 2025",
            "٨ آذار/مارس ٢٠٢٥",
            "8 مارس 2025",
            "8 أذار، 2025",
        ] {
            assert_eq!(parse_date(s, DayMonth::DayFirst), Ok(d), "{s}");
        }
        assert_eq!(
            parse_date("7 كانون الثاني 2025", DayMonth::DayFirst),
            Ok(Date::from_ymd(2025, 1, 7).unwrap())
        );
        assert_eq!(
            parse_date("1 تشرين الأول 2024", DayMonth::DayFirst),
            Ok(Date::from_ymd(2024, 10, 1).unwrap())
        );
        for bad in [
            "March 2025",
            "8 March",
            "8 Marsh 2025",
            "31 February 2025",
            "8 آذار/نيسان 2025",
        ] {
            assert!(parse_date(bad, DayMonth::DayFirst).is_err(), "{bad}");
        }
    }

    #[test]
    fn ages_as_lists_write_them() {
        for (s, want) in [
            ("35", 35),
            ("٣٥", 35),
            ("35.0", 35),
            ("35 سنة", 35),
            ("35 عاماً", 35),
            ("35 years", 35),
            ("35y", 35),
            ("35 yo", 35),
            ("~35", 35),
            ("35?", 35),
            ("حوالي 35", 35),
            ("6 months", 0),
            ("٦ أشهر", 0),
        ] {
            assert_eq!(parse_age(s), Ok(want), "{s}");
        }
        for bad in ["abc", "121", "35 kg", "-3", "3 5"] {
            assert!(parse_age(bad).is_err(), "{bad}");
        }
        for word in ["طفلة", "child", "مسن", "Adult"] {
            assert!(is_age_word(word), "{word}");
        }
        for unknown in [
            "?",
            "-",
            "Unknown",
            "غير معروف",
            "مجهول",
            "N/A",
            " ",
            "مجهول الهوية",
        ] {
            assert!(is_unknown(unknown), "{unknown:?}");
        }
        assert!(!is_unknown("محمد"));
        assert_eq!(parse_sex("طفلة"), Ok(Sex::Female));
        assert_eq!(parse_sex("Male."), Ok(Sex::Male));
    }

    #[test]
    fn dates_in_common_forms() {
        let d = Date::from_ymd(2025, 3, 7).unwrap();
        for s in [
            "2025-03-07",
            "2025/3/7",
            "07/03/2025",
            "7-3-2025",
            "07.03.2025",
            "٠٧/٠٣/٢٠٢٥",
            "2025-03-07T10:00",
        ] {
            assert_eq!(parse_date(s, DayMonth::DayFirst), Ok(d), "{s}");
        }
        assert_eq!(parse_date("03/07/2025", DayMonth::MonthFirst), Ok(d));
        assert!(parse_date("2025-02-30", DayMonth::DayFirst).is_err());
        assert!(parse_date("yesterday", DayMonth::DayFirst).is_err());
        assert!(date_is_ambiguous("03/04/2025"));
        assert!(!date_is_ambiguous("13/04/2025"));
        assert_eq!(date_order_hint("13/04/2025"), Some(DayMonth::DayFirst));
        assert_eq!(date_order_hint("04/13/2025"), Some(DayMonth::MonthFirst));
    }

    #[test]
    fn days_round_trip() {
        assert_eq!(Date::from_ymd(1970, 1, 1).unwrap().days(), 0);
        for (y, m, d) in [(2025, 3, 7), (2000, 2, 29), (1900, 12, 31), (2024, 1, 1)] {
            assert_eq!(Date::from_ymd(y, m, d).unwrap().year(), y);
        }
        let a = Date::from_ymd(2025, 3, 1).unwrap();
        let b = Date::from_ymd(2025, 2, 28).unwrap();
        assert_eq!(a.days() - b.days(), 1);
    }

    #[test]
    fn sex_in_two_languages() {
        assert_eq!(parse_sex("ذكر"), Ok(Sex::Male));
        assert_eq!(parse_sex("أنثى"), Ok(Sex::Female));
        assert_eq!(parse_sex(" Female "), Ok(Sex::Female));
        assert_eq!(parse_sex("M"), Ok(Sex::Male));
        assert!(parse_sex("x").is_err());
    }

    #[test]
    fn ages_and_years() {
        assert_eq!(parse_age("٣٥"), Ok(35));
        assert_eq!(parse_age("35.0"), Ok(35));
        assert!(parse_age("-1").is_err());
        assert!(parse_age("200").is_err());
        assert_eq!(parse_year("1980"), Ok(1980));
        assert!(parse_year("80").is_err());
    }
}
