//! Column names of imported tables (victim lists, Kobo/ODK exports): which columns sijill
//! never reads, and what the usual names of a victim list's columns mean. One list for
//! every importer and for `sijill link`, so they drop and read the same columns.

/// The field part of an XLSForm column name (`group_x/field` → `field`), in lower case.
fn field_part(column: &str) -> String {
    column
        .rsplit(['/', ':'])
        .next()
        .unwrap_or(column)
        .trim()
        .to_lowercase()
}

/// An Arabic word without its article and with taa marbuta as haa: `الطائفة` → `طائفه`.
fn arabic_stem(word: &str) -> String {
    let w = word
        .strip_prefix("وال")
        .or_else(|| word.strip_prefix("ال"))
        .unwrap_or(word);
    w.replace('ة', "ه").replace(['أ', 'إ', 'آ'], "ا")
}

/// Whether a column would carry a category sijill never stores: religion, sect,
/// ethnicity, political opinion (with party and tribe), by whole words in English and
/// Arabic — `Sect`, `group_a/religion`, `political_affiliation`, `الطائفة`, `الانتماء
/// السياسي` are; `section`, `insect_bites`, `دينار` are not.
pub fn is_forbidden(column: &str) -> bool {
    let name = field_part(column);
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .any(|t| {
            let latin = [
                "religion",
                "religions",
                "religious",
                "sect",
                "sects",
                "sectarian",
                "confession",
                "confessional",
                "denomination",
                "ethnicity",
                "ethnic",
                "race",
                "political",
                "politics",
                "party",
                "madhhab",
                "tribe",
                "tribal",
            ];
            if latin.contains(&t) {
                return true;
            }
            let a = arabic_stem(t);
            ["دين", "ديانه", "عرق", "عرقيه", "عرقي", "قبيله"].contains(&a.as_str())
                || ["طائف", "مذهب", "قومي", "سياسي", "سياسه", "حزب"]
                    .iter()
                    .any(|p| a.starts_with(p))
        })
}

/// The usual names of a victim list's columns, in English and Arabic, and the field each
/// means (the field names of `sijill link` and of the victim-list import).
const VICTIM_COLUMNS: &[(&str, &str)] = &[
    ("record_id", "record_id"),
    ("id", "record_id"),
    ("no", "record_id"),
    ("الرقم", "record_id"),
    ("full_name", "full_name"),
    ("name", "full_name"),
    ("الاسم", "full_name"),
    ("الاسم الكامل", "full_name"),
    ("given_name", "given_name"),
    ("first_name", "given_name"),
    ("الاسم الأول", "given_name"),
    ("father_name", "father_name"),
    ("اسم الأب", "father_name"),
    ("grandfather_name", "grandfather_name"),
    ("اسم الجد", "grandfather_name"),
    ("family_name", "family_name"),
    ("surname", "family_name"),
    ("last_name", "family_name"),
    ("الكنية", "family_name"),
    ("العائلة", "family_name"),
    ("mother_name", "mother_name"),
    ("اسم الأم", "mother_name"),
    ("sex", "sex"),
    ("gender", "sex"),
    ("الجنس", "sex"),
    ("age", "age"),
    ("العمر", "age"),
    ("birth_year", "birth_year"),
    ("year_of_birth", "birth_year"),
    ("سنة الولادة", "birth_year"),
    ("date_of_death", "date_of_death"),
    ("date", "date_of_death"),
    ("تاريخ الوفاة", "date_of_death"),
    ("تاريخ الاستشهاد", "date_of_death"),
    ("place_of_death", "place_of_death"),
    ("place", "place_of_death"),
    ("مكان الوفاة", "place_of_death"),
    ("governorate", "governorate"),
    ("المحافظة", "governorate"),
    ("status", "status"),
    ("الصفة", "status"),
];

/// The victim-list field a column header names (`Name`, `Gender`, `الاسم`, `تاريخ
/// الوفاة` …), matched on the header in lower case with spaces and hyphens as `_`, or as
/// written.
pub fn victim_field(header: &str) -> Option<&'static str> {
    let h = header.trim().to_lowercase().replace([' ', '-'], "_");
    let raw = header.trim();
    VICTIM_COLUMNS
        .iter()
        .find(|(k, _)| *k == h || *k == raw)
        .map(|(_, f)| *f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_columns_by_whole_words() {
        for c in [
            "religion",
            "Sect",
            "group_a/religion",
            "political_affiliation",
            "Party",
            "ethnicity",
            "الطائفة",
            "الدين",
            "المذهب",
            "الانتماء السياسي",
            "القومية",
        ] {
            assert!(is_forbidden(c), "{c}");
        }
        for c in [
            "section",
            "insect_bites",
            "dinar",
            "دينار",
            "place_of_death",
            "grace_period",
            "الاسم",
            "trace",
        ] {
            assert!(!is_forbidden(c), "{c}");
        }
    }

    #[test]
    fn usual_victim_column_names() {
        assert_eq!(victim_field("Name"), Some("full_name"));
        assert_eq!(victim_field("Date of death"), Some("date_of_death"));
        assert_eq!(victim_field("اسم الأب"), Some("father_name"));
        assert_eq!(victim_field("Gender"), Some("sex"));
        assert_eq!(victim_field("remarks"), None);
    }
}
