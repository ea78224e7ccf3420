//! The extractor: sentence by sentence, it finds the quantities, drops those that are not
//! claims (years, dates, ages, durations, ids …), joins ranges, and reads each figure's
//! qualifier, measure, claimant, as-of date and place from the words around it.

use crate::date::{Cue, DateSpan, context_year, dates, relative_dates};
use crate::number::{Digits, Mention, mentions, parse_digits};
use crate::text::{Kind, Tok, ar_forms, ar_is, ar_stem, fold, sentences, tokenize};
use crate::{Claim, Date, Measure, Options, Qualifier, Value};

/// Extracts every figure claim of a document, in document order.
pub fn extract(text: &str, opts: &Options) -> Vec<Claim> {
    let all = tokenize(text, 0, text.len());
    let year = opts
        .doc_date
        .and_then(|d| d.year())
        .or_else(|| context_year(&all));
    let doc_date = opts.doc_date.or_else(|| header_date(text, year));
    let mut doc = DocState::default();
    let mut out = Vec::new();
    for (a, b) in sentences(text) {
        let toks = tokenize(text, a, b);
        let quote = text[a..b].split_whitespace().collect::<Vec<_>>().join(" ");
        let mut found_dates = dates(&toks);
        let relative = relative_dates(&toks, doc_date, &found_dates);
        found_dates.extend(relative);
        found_dates.sort_by_key(|d| d.start);
        let s = Sentence {
            text,
            toks: &toks,
            dates: found_dates,
            events: events_of(&toks),
        };
        let found = s.claims(opts, year, doc_date, &mut doc);
        for c in found {
            out.push(Claim {
                quote: quote.clone(),
                ..c
            });
        }
    }
    out
}

/// The publication date in a document's head (its first three lines: title, date line,
/// dateline), when the caller gives none: the first day-level date there that is not the
/// start of a period ("since 6 March").
fn header_date(text: &str, year: Option<u16>) -> Option<Date> {
    // Within the first 100 bytes of each of the first three lines: a date deep in a body
    // paragraph is an event date, not the publication date.
    let mut offset = 0;
    let mut seen = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        if line.trim().is_empty() {
            continue;
        }
        seen += 1;
        if seen > 3 {
            break;
        }
        let mut cut = (start + 100).min(start + line.len());
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let toks = tokenize(text, start, cut);
        // A short line (a title or a date line), or a dateline: the date among the first
        // five tokens, followed by "(Reuters)", a dash or a comma.
        // A date line ("Published On 11 Mar 2025", "الثلاثاء ١١ آذار ٢٠٢٥"): mostly the date.
        // A title's date in brackets: "… (as of 13 March 2025)".
        let date_line = |d: &DateSpan| (d.end - d.start) * 5 >= toks.len() * 2;
        let bracketed = |d: &DateSpan| {
            toks[d.start.saturating_sub(3)..d.start]
                .iter()
                .any(|t| t.is_punct("("))
        };
        let dateline = |d: &DateSpan| {
            d.start <= 5
                && toks[d.end..]
                    .iter()
                    .take(3)
                    .any(|t| t.is_punct("(") || t.is_punct("-") || t.is_punct(","))
        };
        if let Some(d) = dates(&toks)
            .into_iter()
            .find(|d| d.cue != Cue::Since && (date_line(d) || bracketed(d) || dateline(d)))
        {
            return Some(d.date.with_default_year(year));
        }
    }
    None
}

/// What carries over from one sentence to the next.
#[derive(Debug, Default)]
struct DocState {
    last_event: Option<Event>,
    last_claimant: Option<String>,
    /// Every claimant named so far, in order.
    history: Vec<String>,
    /// The measure of the last claim.
    last_measure: Option<Measure>,
}

struct Sentence<'a> {
    text: &'a str,
    toks: &'a [Tok],
    dates: Vec<DateSpan>,
    /// The event word each token is, if any.
    events: Vec<Option<Event>>,
}

/// A figure or a range, before it is read.
#[derive(Debug, Clone, Copy)]
struct Figure {
    /// Where qualifiers are looked for (before "between" for a range).
    lead: usize,
    start: usize,
    end: usize,
    value: Option<f64>,
    range: Option<(f64, f64)>,
    digits: bool,
    year_like: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Event {
    Need,
    Killed,
    Injured,
    Missing,
    Detained,
    Displaced,
    Recovered,
    Rescued,
    Relief,
    /// Something done to or with people who were not harmed by it: interviewed, trapped,
    /// visited. It keeps a figure from taking the event of an earlier sentence.
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Noun {
    Civilian,
    SecurityStrong,
    SecurityWeak,
    Fighter,
    Person,
    Family,
    Body,
    Death,
    Injured,
    Missing,
    Detained,
    Displaced,
    Basket,
    FoodMark,
    HygieneMark,
    Loaf,
    Meal,
    Volunteer,
    Beneficiary,
    Mission,
    RescueMark,
    Money,
    Incident,
    Scope,
    /// People accused, not harmed: suspects, defendants, perpetrators.
    Accused,
}

// ---------------------------------------------------------------------------------------
// Lexicon. English words are matched whole after lower-casing; Arabic words after the fold
// and the stripping of one prefix (و ف ب ل ك ال …), by stem unless noted.

const EN_NOUNS: &[(&str, Noun)] = &[
    ("civilian", Noun::Civilian),
    ("civilians", Noun::Civilian),
    ("non-combatants", Noun::Civilian),
    ("noncombatants", Noun::Civilian),
    ("security", Noun::SecurityStrong),
    ("police", Noun::SecurityStrong),
    ("policemen", Noun::SecurityStrong),
    ("soldiers", Noun::SecurityStrong),
    ("soldier", Noun::SecurityStrong),
    ("troops", Noun::SecurityStrong),
    ("army", Noun::SecurityStrong),
    ("servicemen", Noun::SecurityStrong),
    ("officers", Noun::SecurityStrong),
    ("personnel", Noun::SecurityWeak),
    ("forces", Noun::SecurityWeak),
    ("members", Noun::Person),
    ("guards", Noun::SecurityWeak),
    ("fighters", Noun::Fighter),
    ("gunmen", Noun::Fighter),
    ("militants", Noun::Fighter),
    ("insurgents", Noun::Fighter),
    ("loyalists", Noun::Fighter),
    ("combatants", Noun::Fighter),
    ("militiamen", Noun::Fighter),
    ("rebels", Noun::Fighter),
    ("attackers", Noun::Fighter),
    ("assailants", Noun::Fighter),
    ("remnants", Noun::Fighter),
    ("people", Noun::Person),
    ("witnesses", Noun::Person),
    ("witness", Noun::Person),
    ("relatives", Noun::Person),
    ("survivors", Noun::Person),
    ("persons", Noun::Person),
    ("person", Noun::Person),
    ("individuals", Noun::Person),
    ("men", Noun::Person),
    ("women", Noun::Person),
    ("children", Noun::Person),
    ("residents", Noun::Person),
    ("villagers", Noun::Person),
    ("inhabitants", Noun::Person),
    ("boys", Noun::Person),
    ("girls", Noun::Person),
    ("youths", Noun::Person),
    ("elderly", Noun::Person),
    ("workers", Noun::Person),
    ("medics", Noun::Person),
    ("doctors", Noun::Person),
    ("journalists", Noun::Person),
    ("syrians", Noun::Person),
    ("others", Noun::Person),
    ("families", Noun::Family),
    ("family", Noun::Family),
    ("households", Noun::Family),
    ("household", Noun::Family),
    ("bodies", Noun::Body),
    ("body", Noun::Body),
    ("corpses", Noun::Body),
    ("remains", Noun::Body),
    ("deaths", Noun::Death),
    ("death", Noun::Death),
    ("dead", Noun::Death),
    ("fatalities", Noun::Death),
    ("fatality", Noun::Death),
    ("killed", Noun::Death),
    ("victims", Noun::Death),
    ("casualties", Noun::Death),
    ("lives", Noun::Death),
    ("killings", Noun::Death),
    ("executions", Noun::Death),
    ("martyrs", Noun::Death),
    ("injured", Noun::Injured),
    ("wounded", Noun::Injured),
    ("injuries", Noun::Injured),
    ("missing", Noun::Missing),
    ("disappeared", Noun::Missing),
    ("detainees", Noun::Detained),
    ("detained", Noun::Detained),
    ("prisoners", Noun::Detained),
    ("arrested", Noun::Detained),
    ("abductees", Noun::Detained),
    ("hostages", Noun::Detained),
    ("displaced", Noun::Displaced),
    ("refugees", Noun::Displaced),
    ("idps", Noun::Displaced),
    ("evacuees", Noun::Displaced),
    ("baskets", Noun::Basket),
    ("basket", Noun::Basket),
    ("parcels", Noun::Basket),
    ("parcel", Noun::Basket),
    ("boxes", Noun::Basket),
    ("rations", Noun::Basket),
    ("food", Noun::FoodMark),
    ("hygiene", Noun::HygieneMark),
    ("kits", Noun::HygieneMark),
    ("dignity", Noun::HygieneMark),
    ("loaves", Noun::Loaf),
    ("loaf", Noun::Loaf),
    ("bread", Noun::Loaf),
    ("meals", Noun::Meal),
    ("meal", Noun::Meal),
    ("volunteers", Noun::Volunteer),
    ("volunteer", Noun::Volunteer),
    ("beneficiaries", Noun::Beneficiary),
    ("beneficiary", Noun::Beneficiary),
    ("missions", Noun::Mission),
    ("mission", Noun::Mission),
    ("operations", Noun::Mission),
    ("sorties", Noun::Mission),
    ("interventions", Noun::Mission),
    ("rescue", Noun::RescueMark),
    ("dollars", Noun::Money),
    ("usd", Noun::Money),
    ("euros", Noun::Money),
    ("pounds", Noun::Money),
    ("lira", Noun::Money),
    ("liras", Noun::Money),
    ("suspects", Noun::Accused),
    ("suspect", Noun::Accused),
    ("suspected", Noun::Accused),
    ("defendants", Noun::Accused),
    ("accused", Noun::Accused),
    ("perpetrators", Noun::Accused),
    ("culprits", Noun::Accused),
    ("massacres", Noun::Incident),
    ("attacks", Noun::Incident),
    ("incidents", Noun::Incident),
    ("violations", Noun::Incident),
    ("massacre", Noun::Incident),
    ("towns", Noun::Scope),
    ("town", Noun::Scope),
    ("villages", Noun::Scope),
    ("village", Noun::Scope),
    ("cities", Noun::Scope),
    ("city", Noun::Scope),
    ("areas", Noun::Scope),
    ("area", Noun::Scope),
    ("neighbourhoods", Noun::Scope),
    ("neighborhoods", Noun::Scope),
    ("districts", Noun::Scope),
    ("governorates", Noun::Scope),
    ("provinces", Noun::Scope),
    ("sites", Noun::Scope),
    ("locations", Noun::Scope),
    ("points", Noun::Scope),
    ("organizations", Noun::Scope),
    ("organisations", Noun::Scope),
    ("groups", Noun::Scope),
    ("factions", Noun::Scope),
    ("countries", Noun::Scope),
    ("times", Noun::Scope),
    ("ambushes", Noun::Scope),
    ("checkpoints", Noun::Scope),
    ("schools", Noun::Scope),
    ("mosques", Noun::Scope),
    ("churches", Noun::Scope),
    ("shelters", Noun::Scope),
    ("centres", Noun::Scope),
    ("centers", Noun::Scope),
    ("camps", Noun::Scope),
    ("trucks", Noun::Scope),
    ("vehicles", Noun::Scope),
    ("houses", Noun::Scope),
    ("homes", Noun::Scope),
    ("buildings", Noun::Scope),
    ("shops", Noun::Scope),
    ("videos", Noun::Scope),
    ("teams", Noun::Scope),
    ("partners", Noun::Scope),
    ("sessions", Noun::Scope),
    ("meetings", Noun::Scope),
    ("interviews", Noun::Scope),
    ("reports", Noun::Scope),
    ("hospitals", Noun::Scope),
    ("regions", Noun::Scope),
    ("population", Noun::Scope),
    ("states", Noun::Scope),
    ("kilometres", Noun::Scope),
    ("hectares", Noun::Scope),
    ("monitors", Noun::Scope),
    ("lists", Noun::Scope),
    ("databases", Noun::Scope),
    ("sources", Noun::Scope),
    ("things", Noun::Scope),
    ("ways", Noun::Scope),
    ("questions", Noun::Scope),
    ("steps", Noun::Scope),
];

const AR_NOUNS: &[(&str, Noun)] = &[
    ("مشتبه", Noun::Accused),
    ("متهم", Noun::Accused),
    ("جناه", Noun::Accused),
    ("مدني", Noun::Civilian),
    ("امن", Noun::SecurityStrong),
    ("شرط", Noun::SecurityStrong),
    ("جنود", Noun::SecurityStrong),
    ("جندي", Noun::SecurityStrong),
    ("عسكري", Noun::SecurityStrong),
    ("جيش", Noun::SecurityStrong),
    ("عنصر", Noun::SecurityWeak),
    ("عناصر", Noun::SecurityWeak),
    ("قوات", Noun::SecurityWeak),
    ("منتسب", Noun::SecurityWeak),
    ("مسلح", Noun::Fighter),
    ("مقاتل", Noun::Fighter),
    ("فلول", Noun::Fighter),
    ("متمرد", Noun::Fighter),
    ("شخص", Noun::Person),
    ("اشخاص", Noun::Person),
    ("افراد", Noun::Person),
    ("مواطن", Noun::Person),
    ("رجل", Noun::Person),
    ("رجال", Noun::Person),
    ("نساء", Noun::Person),
    ("امراه", Noun::Person),
    ("طفل", Noun::Person),
    ("اطفال", Noun::Person),
    ("سكان", Noun::Person),
    ("نسمه", Noun::Person),
    ("سوري", Noun::Person),
    ("شاب", Noun::Person),
    ("شبان", Noun::Person),
    ("فتي", Noun::Person),
    ("مسن", Noun::Person),
    ("فرد", Noun::Person),
    ("عائل", Noun::Family),
    ("عوائل", Noun::Family),
    ("اسره", Noun::Family),
    ("جثه", Noun::Body),
    ("جثث", Noun::Body),
    ("جثمان", Noun::Body),
    ("جثامين", Noun::Body),
    ("رفات", Noun::Body),
    ("قتيل", Noun::Death),
    ("قتلي", Noun::Death),
    ("ضحيه", Noun::Death),
    ("ضحايا", Noun::Death),
    ("وفاه", Noun::Death),
    ("وفيات", Noun::Death),
    ("شهيد", Noun::Death),
    ("شهداء", Noun::Death),
    ("جريح", Noun::Injured),
    ("جرحي", Noun::Injured),
    ("مصاب", Noun::Injured),
    ("اصابه", Noun::Injured),
    ("اصابات", Noun::Injured),
    ("مفقود", Noun::Missing),
    ("مختف", Noun::Missing),
    ("معتقل", Noun::Detained),
    ("محتجز", Noun::Detained),
    ("مختطف", Noun::Detained),
    ("اسري", Noun::Detained),
    ("موقوف", Noun::Detained),
    ("نازح", Noun::Displaced),
    ("لاجئ", Noun::Displaced),
    ("مهجر", Noun::Displaced),
    ("سله", Noun::Basket),
    ("سلال", Noun::Basket),
    ("سلل", Noun::Basket),
    ("طرد", Noun::Basket),
    ("طرود", Noun::Basket),
    ("حصه", Noun::Basket),
    ("حصص", Noun::Basket),
    ("غذائ", Noun::FoodMark),
    ("صحي", Noun::HygieneMark),
    ("نظاف", Noun::HygieneMark),
    ("رغيف", Noun::Loaf),
    ("ارغفه", Noun::Loaf),
    ("خبز", Noun::Loaf),
    ("ربطه", Noun::Loaf),
    ("ربطات", Noun::Loaf),
    ("وجبه", Noun::Meal),
    ("وجبات", Noun::Meal),
    ("متطوع", Noun::Volunteer),
    ("مستفيد", Noun::Beneficiary),
    ("مهمه", Noun::Mission),
    ("مهام", Noun::Mission),
    ("عمليه", Noun::Mission),
    ("عمليات", Noun::Mission),
    ("انقاذ", Noun::RescueMark),
    ("دولار", Noun::Money),
    ("ليره", Noun::Money),
    ("يورو", Noun::Money),
    ("مجزره", Noun::Incident),
    ("مجازر", Noun::Incident),
    ("انتهاك", Noun::Incident),
    ("هجمات", Noun::Incident),
    ("بلده", Noun::Scope),
    ("بلدات", Noun::Scope),
    ("قريه", Noun::Scope),
    ("قري", Noun::Scope),
    ("مدينه", Noun::Scope),
    ("مدن", Noun::Scope),
    ("منطقه", Noun::Scope),
    ("مناطق", Noun::Scope),
    ("احياء", Noun::Scope),
    ("محافظ", Noun::Scope),
    ("موقع", Noun::Scope),
    ("مواقع", Noun::Scope),
    ("منظم", Noun::Scope),
    ("جمعي", Noun::Scope),
    ("مجموع", Noun::Scope),
    ("فصيل", Noun::Scope),
    ("فصائل", Noun::Scope),
    ("دول", Noun::Scope),
    ("مره", Noun::Scope),
    ("مرات", Noun::Scope),
    ("كمين", Noun::Scope),
    ("مركز", Noun::Scope),
    ("مراكز", Noun::Scope),
    ("مدرس", Noun::Scope),
    ("مدارس", Noun::Scope),
    ("مسجد", Noun::Scope),
    ("منزل", Noun::Scope),
    ("منازل", Noun::Scope),
    ("بيوت", Noun::Scope),
    ("مبان", Noun::Scope),
    ("سيار", Noun::Scope),
    ("شاحن", Noun::Scope),
    ("فريق", Noun::Scope),
    ("فرق", Noun::Scope),
    ("جلس", Noun::Scope),
    ("مقابل", Noun::Scope),
    ("تقرير", Noun::Scope),
    ("فيديو", Noun::Scope),
    ("مقطع", Noun::Scope),
    ("مخيم", Noun::Scope),
    ("حاجز", Noun::Scope),
    ("حواجز", Noun::Scope),
    ("مستشف", Noun::Scope),
    ("سكانها", Noun::Scope),
    ("تعداد", Noun::Scope),
];

/// Arabic noun words matched whole (their stems are too short to match by prefix).
const AR_NOUNS_EXACT: &[(&str, Noun)] = &[
    ("الفارين", Noun::Displaced),
    ("فارين", Noun::Displaced),
    ("الفارون", Noun::Displaced),
    ("اسر", Noun::Family),
    ("حي", Noun::Scope),
    ("بيت", Noun::Scope),
];

const EN_EVENTS: &[(&str, Event)] = &[
    ("killed", Event::Killed),
    ("kill", Event::Killed),
    ("killing", Event::Killed),
    ("killings", Event::Killed),
    ("dead", Event::Killed),
    ("death", Event::Killed),
    ("deaths", Event::Killed),
    ("died", Event::Killed),
    ("die", Event::Killed),
    ("fatalities", Event::Killed),
    ("executed", Event::Killed),
    ("executions", Event::Killed),
    ("murdered", Event::Killed),
    ("massacred", Event::Killed),
    ("slain", Event::Killed),
    ("toll", Event::Killed),
    ("perished", Event::Killed),
    ("casualties", Event::Killed),
    ("victims", Event::Killed),
    ("lives", Event::Killed),
    ("injured", Event::Injured),
    ("wounded", Event::Injured),
    ("injuring", Event::Injured),
    ("wounding", Event::Injured),
    ("missing", Event::Missing),
    ("disappeared", Event::Missing),
    ("detained", Event::Detained),
    ("arrested", Event::Detained),
    ("abducted", Event::Detained),
    ("kidnapped", Event::Detained),
    ("arrests", Event::Detained),
    ("displaced", Event::Displaced),
    ("fled", Event::Displaced),
    ("flee", Event::Displaced),
    ("fleeing", Event::Displaced),
    ("sheltered", Event::Displaced),
    ("sheltering", Event::Displaced),
    ("shelter", Event::Displaced),
    ("refuge", Event::Displaced),
    ("displacement", Event::Displaced),
    ("uprooted", Event::Displaced),
    ("arrived", Event::Displaced),
    ("crossed", Event::Displaced),
    ("hosted", Event::Displaced),
    ("hosting", Event::Displaced),
    ("refugees", Event::Displaced),
    ("evacuated", Event::Displaced),
    ("camped", Event::Displaced),
    ("arriving", Event::Displaced),
    ("arrivals", Event::Displaced),
    ("staying", Event::Displaced),
    ("interviewed", Event::Other),
    ("interviewing", Event::Other),
    ("trapped", Event::Other),
    ("besieged", Event::Other),
    ("visited", Event::Other),
    ("trained", Event::Other),
    ("met", Event::Other),
    ("recovered", Event::Recovered),
    ("retrieved", Event::Recovered),
    ("exhumed", Event::Recovered),
    ("unearthed", Event::Recovered),
    ("found", Event::Recovered),
    ("buried", Event::Recovered),
    ("pulled", Event::Recovered),
    ("rescued", Event::Rescued),
    ("saved", Event::Rescued),
    ("distributed", Event::Relief),
    ("delivered", Event::Relief),
    ("provided", Event::Relief),
    ("reached", Event::Relief),
    ("served", Event::Relief),
    ("benefited", Event::Relief),
    ("benefiting", Event::Relief),
    ("assisted", Event::Relief),
    ("supported", Event::Relief),
    ("helped", Event::Relief),
    ("received", Event::Relief),
    ("distribution", Event::Relief),
    ("need", Event::Need),
    ("needs", Event::Need),
    ("needing", Event::Need),
    ("aid", Event::Relief),
    ("assistance", Event::Relief),
    ("relief", Event::Relief),
];

const AR_EVENTS: &[(&str, Event)] = &[
    ("قتل", Event::Killed),
    ("مقتل", Event::Killed),
    ("قتيل", Event::Killed),
    ("قتلي", Event::Killed),
    ("مصرع", Event::Killed),
    ("حتف", Event::Killed),
    ("وفاه", Event::Killed),
    ("وفيات", Event::Killed),
    ("توفي", Event::Killed),
    ("اعدام", Event::Killed),
    ("اعدم", Event::Killed),
    ("ضحيه", Event::Killed),
    ("ضحايا", Event::Killed),
    ("حصيله", Event::Killed),
    ("استشهاد", Event::Killed),
    ("استشهد", Event::Killed),
    ("شهيد", Event::Killed),
    ("شهداء", Event::Killed),
    ("تصفيه", Event::Killed),
    ("ذبح", Event::Killed),
    ("قضوا", Event::Killed),
    ("لقوا", Event::Killed),
    ("جرح", Event::Injured),
    ("جريح", Event::Injured),
    ("جرحي", Event::Injured),
    ("اصابه", Event::Injured),
    ("اصابات", Event::Injured),
    ("اصيب", Event::Injured),
    ("مصاب", Event::Injured),
    ("مفقود", Event::Missing),
    ("فقدان", Event::Missing),
    ("اختفاء", Event::Missing),
    ("اعتقال", Event::Detained),
    ("اعتقل", Event::Detained),
    ("معتقل", Event::Detained),
    ("احتجاز", Event::Detained),
    ("اختطاف", Event::Detained),
    ("خطف", Event::Detained),
    ("نزوح", Event::Displaced),
    ("نزح", Event::Displaced),
    ("نازح", Event::Displaced),
    ("فرار", Event::Displaced),
    ("فروا", Event::Displaced),
    ("لجوء", Event::Displaced),
    ("لجا", Event::Displaced),
    ("لاجئ", Event::Displaced),
    ("هرب", Event::Displaced),
    ("تهجير", Event::Displaced),
    ("مهجر", Event::Displaced),
    ("ايواء", Event::Displaced),
    ("ماوي", Event::Displaced),
    ("احتمي", Event::Displaced),
    ("احتموا", Event::Displaced),
    ("استضاف", Event::Displaced),
    ("وصول", Event::Displaced),
    ("انتشال", Event::Recovered),
    ("انتشل", Event::Recovered),
    ("العثور", Event::Recovered),
    ("عثر", Event::Recovered),
    ("استخراج", Event::Recovered),
    ("دفن", Event::Recovered),
    ("انقاذ", Event::Rescued),
    ("انقذ", Event::Rescued),
    ("اسعاف", Event::Rescued),
    ("بحاجه", Event::Need),
    ("يحتاج", Event::Need),
    ("تحتاج", Event::Need),
    ("توزيع", Event::Relief),
    ("وزع", Event::Relief),
    ("تقديم", Event::Relief),
    ("استفاد", Event::Relief),
    ("ايصال", Event::Relief),
    ("مساعد", Event::Relief),
    ("اغاث", Event::Relief),
    ("قدمت", Event::Relief),
];

/// Qualifiers written before the figure, longest first within a language.
const QUALIFIERS_BEFORE: &[(&str, Qualifier)] = &[
    ("in excess of", Qualifier::Over),
    ("upwards of", Qualifier::Over),
    ("more than", Qualifier::Over),
    ("well over", Qualifier::Over),
    ("just over", Qualifier::Over),
    ("over", Qualifier::Over),
    ("above", Qualifier::Over),
    ("exceeding", Qualifier::Over),
    ("exceeded", Qualifier::Over),
    ("surpassed", Qualifier::Over),
    ("topped", Qualifier::Over),
    ("tops", Qualifier::Over),
    ("topping", Qualifier::Over),
    ("exceeds", Qualifier::Over),
    ("surpasses", Qualifier::Over),
    ("surpassing", Qualifier::Over),
    // "the toll climbs past 1,300", "passed 1,000": a rising toll beyond the figure.
    ("past", Qualifier::Over),
    ("passed", Qualifier::Over),
    ("passes", Qualifier::Over),
    ("no fewer than", Qualifier::AtLeast),
    ("no less than", Qualifier::AtLeast),
    ("not less than", Qualifier::AtLeast),
    ("a minimum of", Qualifier::AtLeast),
    ("at least", Qualifier::AtLeast),
    ("just under", Qualifier::Nearly),
    ("close to", Qualifier::Nearly),
    ("nearly", Qualifier::Nearly),
    ("almost", Qualifier::Nearly),
    ("nearing", Qualifier::Nearly),
    ("approaching", Qualifier::Nearly),
    ("an estimated", Qualifier::About),
    ("approximately", Qualifier::About),
    ("about", Qualifier::About),
    ("around", Qualifier::About),
    ("roughly", Qualifier::About),
    ("some", Qualifier::About),
    ("estimated", Qualifier::About),
    ("circa", Qualifier::About),
    ("approx", Qualifier::About),
    ("~", Qualifier::About),
    ("≈", Qualifier::About),
    ("c.", Qualifier::About),
    ("as many as", Qualifier::UpTo),
    ("up to", Qualifier::UpTo),
    ("at most", Qualifier::UpTo),
    ("no more than", Qualifier::UpTo),
    ("a maximum of", Qualifier::UpTo),
    ("fewer than", Qualifier::Under),
    ("less than", Qualifier::Under),
    ("under", Qualifier::Under),
    ("below", Qualifier::Under),
    ("ما لا يقل عن", Qualifier::AtLeast),
    ("لا يقل عن", Qualifier::AtLeast),
    ("ما لا يقل عن", Qualifier::AtLeast),
    ("ما يزيد عن", Qualifier::Over),
    ("ما يزيد علي", Qualifier::Over),
    ("يزيد عن", Qualifier::Over),
    ("يزيد علي", Qualifier::Over),
    ("ما يربو علي", Qualifier::Over),
    ("يربو علي", Qualifier::Over),
    ("اكثر من", Qualifier::Over),
    ("تجاوز", Qualifier::Over),
    ("تجاوزت", Qualifier::Over),
    ("فاق", Qualifier::Over),
    ("يفوق", Qualifier::Over),
    ("يتجاوز", Qualifier::Over),
    ("تتجاوز", Qualifier::Over),
    ("تخطي", Qualifier::Over),
    ("تخطت", Qualifier::Over),
    ("يتخطي", Qualifier::Over),
    ("فاقت", Qualifier::Over),
    ("فوق", Qualifier::Over),
    ("ما يقارب", Qualifier::Nearly),
    ("يقارب", Qualifier::Nearly),
    ("قرابه", Qualifier::Nearly),
    ("قرابة", Qualifier::Nearly),
    ("ما يناهز", Qualifier::Nearly),
    ("يناهز", Qualifier::Nearly),
    ("نحو", Qualifier::About),
    ("حوالي", Qualifier::About),
    ("زهاء", Qualifier::About),
    ("ما يقدر ب", Qualifier::About),
    ("تقريبا", Qualifier::About),
    ("ما يصل الي", Qualifier::UpTo),
    ("يصل الي", Qualifier::UpTo),
    ("اقل من", Qualifier::Under),
];

// ---------------------------------------------------------------------------------------

fn tok_is_en(t: &Tok, words: &[&str]) -> bool {
    !t.arabic && words.contains(&t.norm.as_str())
}

fn noun_of(t: &Tok) -> Option<Noun> {
    if t.kind != Kind::Word {
        return None;
    }
    if t.arabic {
        if let Some(&(_, n)) = AR_NOUNS_EXACT.iter().find(|(w, _)| ar_is(&t.norm, &[w])) {
            return Some(n);
        }
        return AR_NOUNS
            .iter()
            .find(|(stem, _)| ar_stem(&t.norm, &[stem]))
            .map(|&(_, n)| n);
    }
    let w = t.norm.as_str();
    EN_NOUNS.iter().find(|(k, _)| *k == w).map(|&(_, n)| n)
}

/// The event word each token is: "found" is an attribution, not a recovery, in
/// "Reuters found that …".
fn events_of(toks: &[Tok]) -> Vec<Option<Event>> {
    let mut out: Vec<Option<Event>> = toks.iter().map(event_of).collect();
    for (k, t) in toks.iter().enumerate() {
        if t.is("found") && toks.get(k + 1).is_some_and(|n| n.is("that")) {
            out[k] = None;
        }
    }
    out
}

fn event_of(t: &Tok) -> Option<Event> {
    if t.kind != Kind::Word {
        return None;
    }
    if t.arabic {
        if ar_is(
            &t.norm,
            &[
                "فر",
                "فروا",
                // "عبروا الحدود", "غادروا": crossing and leaving; "عبر" alone is "via".
                "عبروا",
                "غادروا",
                "عبور",
                "لجات",
                "نزحت",
                "نزحوا",
                "اجلت",
                "اجلي",
                "اجلاء",
                "اخلاء",
                "اخلت",
            ],
        ) {
            return Some(Event::Displaced);
        }
        return AR_EVENTS
            .iter()
            .find(|(stem, _)| ar_stem(&t.norm, &[stem]))
            .map(|&(_, e)| e);
    }
    let w = t.norm.as_str();
    EN_EVENTS.iter().find(|(k, _)| *k == w).map(|&(_, e)| e)
}

const EN_STOP: &[&str] = &[
    "in",
    "at",
    "on",
    "by",
    "from",
    "to",
    "with",
    "for",
    "since",
    "during",
    "across",
    "after",
    "before",
    "including",
    "were",
    "was",
    "have",
    "has",
    "had",
    "are",
    "is",
    "been",
    "be",
    "being",
    "who",
    "which",
    "that",
    "and",
    "or",
    "but",
    "as",
    "while",
    "according",
    "said",
    "says",
    "among",
    "between",
    "near",
    "into",
    "inside",
    "over",
    "under",
    "per",
    "a",
    "an",
    "each",
    "every",
    "this",
    "these",
    "those",
    "it",
    "they",
    "there",
    "than",
    "when",
    "where",
    "whose",
    "will",
    "would",
    "could",
    "may",
    "through",
    "throughout",
    "within",
    "out",
    "off",
    "up",
    "down",
    "whom",
    "attributed",
    "across",
    "so",
    "far",
];

const AR_STOP: &[&str] = &[
    "داخل",
    "خارج",
    "جراء",
    "بسبب",
    "اثر",
    "نتيجه",
    "ضمن",
    "قرب",
    "حول",
    "في",
    "علي",
    "الي",
    "عن",
    "منذ",
    "خلال",
    "حتي",
    "بعد",
    "قبل",
    "بين",
    "و",
    "او",
    "ان",
    "انه",
    "انها",
    "الذي",
    "التي",
    "الذين",
    "كما",
    "حيث",
    "وفق",
    "بحسب",
    "حسب",
    "وفقا",
    "اليوم",
    "امس",
    "مع",
    "عند",
    "لدي",
    "منهم",
    "بينهم",
    "ممن",
    "فيما",
    "بينما",
    "يوميا",
    "اضافه",
];

fn is_stop(t: &Tok) -> bool {
    match t.kind {
        Kind::Num => true,
        Kind::Punct => !matches!(t.norm.as_str(), "-" | "'"),
        Kind::Word if t.arabic => AR_STOP.contains(&t.norm.as_str()),
        Kind::Word => EN_STOP.contains(&t.norm.as_str()),
    }
}

/// Time units: a figure followed by one is a duration or an age, not a claim.
fn is_time_unit(t: &Tok) -> bool {
    if t.arabic {
        return ar_is(
            &t.norm,
            &[
                "ثانيه",
                "ثوان",
                "ثواني",
                "دقيقه",
                "دقائق",
                "ساعه",
                "ساعات",
                "يوم",
                "يوما",
                "ايام",
                "اسبوع",
                "اسبوعا",
                "اسابيع",
                "شهر",
                "شهرا",
                "اشهر",
                "شهور",
                "سنه",
                "سنوات",
                "سنين",
                "عام",
                "عاما",
                "اعوام",
                "عقد",
                "عقود",
                "ليله",
                "ليال",
                "ليالي",
            ],
        );
    }
    tok_is_en(
        t,
        &[
            "second",
            "seconds",
            "minute",
            "minutes",
            "min",
            "mins",
            "hour",
            "hours",
            "hr",
            "hrs",
            "day",
            "days",
            "week",
            "weeks",
            "month",
            "months",
            "year",
            "years",
            "yr",
            "yrs",
            "decade",
            "decades",
            "night",
            "nights",
            "am",
            "pm",
            "gmt",
            "utc",
            "o'clock",
            "h",
            "percent",
            "per",
            "pc",
            "km",
            "kms",
            "kilometres",
            "kilometers",
            "kilometre",
            "kilometer",
            "miles",
            "mile",
            "metres",
            "meters",
            "metre",
            "meter",
            "cm",
            "mm",
            "kg",
            "kilograms",
            "grams",
            "litres",
            "liters",
            "degrees",
            "mph",
            "acres",
            "hectares",
        ],
    )
}

fn is_unit_ar(t: &Tok) -> bool {
    t.arabic
        && ar_is(
            &t.norm,
            &[
                "كم",
                "كيلومتر",
                "كيلومترا",
                "كيلومترات",
                "متر",
                "مترا",
                "امتار",
                "كيلو",
                "كيلوغرام",
                "غرام",
                "درجه",
                "هكتار",
                "دونم",
                "بالمئه",
                "بالمائه",
                "المئه",
                "المائه",
            ],
        )
}

const EN_ID_WORDS: &[&str] = &[
    "no",
    "number",
    "nos",
    "nr",
    "resolution",
    "article",
    "articles",
    "law",
    "decree",
    "route",
    "highway",
    "road",
    "flight",
    "page",
    "pages",
    "p",
    "pp",
    "chapter",
    "section",
    "paragraph",
    "item",
    "case",
    "file",
    "ref",
    "issue",
    "vol",
    "volume",
    "phase",
    "level",
    "grade",
    "platform",
    "room",
    "building",
    "apartment",
    "floor",
    "block",
    "unit",
    "code",
    "bus",
    "line",
    "channel",
    "tel",
    "phone",
    "fax",
    "box",
    "id",
    "model",
    "version",
    "episode",
    "season",
    "day",
    "station",
    "sector",
    "zone",
    "brigade",
    "division",
    "footnote",
    "note",
    "annex",
    "table",
    "figure",
    "fig",
    "aged",
    "age",
    "ages",
    "covid",
    "week",
    "battalion",
    "regiment",
];

const AR_ID_WORDS: &[&str] = &[
    "رقم",
    "القرار",
    "قرار",
    "الماده",
    "ماده",
    "المرسوم",
    "مرسوم",
    "القانون",
    "قانون",
    "الطريق",
    "طريق",
    "البند",
    "الفقره",
    "الصفحه",
    "صفحه",
    "هاتف",
    "الفرقه",
    "اللواء",
    "العدد",
    "الساعه",
    "عمر",
    "العمر",
    "عمره",
    "عمرها",
    "بعمر",
    "الكتيبه",
    "الفوج",
];

fn prev(toks: &[Tok], i: usize) -> Option<&Tok> {
    i.checked_sub(1).and_then(|k| toks.get(k))
}

impl Sentence<'_> {
    fn covered_by_date(&self, i: usize) -> bool {
        self.dates.iter().any(|d| (d.start..d.end).contains(&i))
    }

    /// Quantities joined into ranges, dates left out.
    fn figures(&self) -> Vec<Figure> {
        let toks = self.toks;
        let ms: Vec<Mention> = mentions(toks)
            .into_iter()
            .filter(|m| !self.covered_by_date(m.start))
            .collect();
        let mut out = Vec::new();
        let mut k = 0;
        while k < ms.len() {
            let m = ms[k];
            let fig = Figure {
                lead: m.start,
                start: m.start,
                end: m.end,
                value: if m.invalid { None } else { m.value },
                range: None,
                digits: m.digits,
                year_like: m.digits
                    && toks[m.start].norm.len() == 4
                    && matches!(parse_digits(&toks[m.start].norm), Digits::Int(v) if (1900.0..=2100.0).contains(&v)),
            };
            if m.invalid {
                k += 1;
                continue;
            }
            if let Some(next) = ms.get(k + 1)
                && let Some(r) = self.range(&m, next)
            {
                out.push(r);
                k += 2;
                continue;
            }
            out.push(fig);
            k += 1;
        }
        out
    }

    fn range(&self, a: &Mention, b: &Mention) -> Option<Figure> {
        let toks = self.toks;
        let (mut lo, hi) = (a.value?, b.value?);
        // "15 to 20 thousand", "بين 15 و20 ألفاً": the scale of the upper end applies to both.
        if a.end == a.start + 1
            && b.end == b.start + 2
            && a.digits
            && let Digits::Int(base) = parse_digits(&toks[b.start].norm)
            && base > 0.0
            && lo < base
        {
            lo *= hi / base;
        }
        if b.invalid || lo >= hi || a.digits != b.digits {
            return None;
        }
        let between: Vec<&str> = toks[a.end..b.start]
            .iter()
            .map(|t| t.norm.as_str())
            .collect();
        let before = prev(toks, a.start);
        let before2 = a.start.checked_sub(2).and_then(|k| toks.get(k));
        let opener_between = before.is_some_and(|t| t.is("between") || ar_is(&t.norm, &["بين"]));
        let opener_from =
            before.is_some_and(|t| t.is("from") || (t.arabic && ar_is(&t.norm, &["من"])));
        // "rose from 700 to 800" is a change over time, not a range.
        let rising = opener_from
            && before2.is_some_and(|t| {
                tok_is_en(
                    t,
                    &[
                        "rose",
                        "risen",
                        "climbed",
                        "jumped",
                        "increased",
                        "grew",
                        "went",
                        "up",
                    ],
                ) || ar_stem(&t.norm, &["ارتفع", "ازداد", "زاد", "قفز"])
            });
        let joined = match between.as_slice() {
            ["-"] | ["to"] | ["الي"] => !rising && hi <= lo * 10.0,
            ["and"] | ["و"] => opener_between,
            _ => false,
        };
        // A dash between digit runs that are part of a longer chain is a phone number or code.
        let chain = toks.get(b.end).is_some_and(|t| {
            t.is_punct("-") && toks.get(b.end + 1).is_some_and(|n| n.kind == Kind::Num)
        }) || before.is_some_and(|t| t.is_punct("-"));
        if !joined || chain {
            return None;
        }
        let lead = if opener_between || (opener_from && !rising) {
            a.start - 1
        } else {
            a.start
        };
        let year = |m: &Mention| {
            m.digits
                && toks[m.start].norm.len() == 4
                && matches!(parse_digits(&toks[m.start].norm), Digits::Int(v) if (1900.0..=2100.0).contains(&v))
        };
        Some(Figure {
            lead,
            start: a.start,
            end: b.end,
            value: None,
            range: Some((lo, hi)),
            digits: a.digits,
            year_like: year(a) && year(b),
        })
    }

    /// Whether the figure is a year, time, age, duration, footnote, ordinal, id, phone
    /// number, percentage or measurement rather than a count.
    fn excluded(&self, f: &Figure) -> bool {
        let toks = self.toks;
        let first = &toks[f.start];
        let before = prev(toks, f.lead);
        let before2 = f.lead.checked_sub(2).and_then(|k| toks.get(k));
        let after = toks.get(f.end);
        let after2 = toks.get(f.end + 1);
        if f.digits {
            // Letters glued before the digits (M4, G20), or a code such as COVID-19.
            if let Some(b) = before.filter(|_| first.glued) {
                let prefix_ok = b.arabic
                    && matches!(
                        b.norm.as_str(),
                        "و" | "ب" | "ل" | "ف" | "ك" | "ال" | "بـ" | "لـ"
                    );
                if b.kind == Kind::Word && !prefix_ok {
                    return true;
                }
                if matches!(
                    b.norm.as_str(),
                    "+" | "#" | "№" | "/" | ":" | "." | "$" | "£" | "€"
                ) && b.norm != "$"
                {
                    return true;
                }
                if b.is_punct("-") && b.glued && before2.is_some_and(|t| t.kind == Kind::Word) {
                    return true;
                }
            }
            // Letters glued after the digits: 3rd, 48h, 10am, 5km (scales were consumed).
            if let Some(a) = after.filter(|a| a.glued && a.kind == Kind::Word && !a.arabic) {
                let _ = a;
                return true;
            }
            // Neighbouring digit runs: phone numbers, lists of codes.
            if f.range.is_none()
                && (before.is_some_and(|t| t.kind == Kind::Num)
                    || after.is_some_and(|t| t.kind == Kind::Num))
            {
                return true;
            }
            if after.is_some_and(|t| t.is_punct("-"))
                && after2.is_some_and(|t| t.kind == Kind::Num && t.glued)
            {
                return true;
            }
            if before.is_some_and(|t| t.is_punct("-") && first.glued)
                && before2.is_some_and(|t| t.kind == Kind::Num)
            {
                return true;
            }
            // Times: 3 p.m., 10 a.m.
            if after.is_some_and(|t| t.is("a") || t.is("p"))
                && after2.is_some_and(|t| t.is_punct(".") && t.glued)
                && toks.get(f.end + 2).is_some_and(|t| t.is("m") && t.glued)
            {
                return true;
            }
            // Times: 10:30.
            if after.is_some_and(|t| t.is_punct(":") && t.glued)
                && after2.is_some_and(|t| t.kind == Kind::Num && t.glued)
            {
                return true;
            }
        }
        // A compound adjective: "the 1,000-strong force", "a 10-member team".
        if after.is_some_and(|t| t.is_punct("-") && t.glued)
            && after2.is_some_and(|t| {
                t.glued && t.kind == Kind::Word && !t.arabic && !t.is("plus") && !t.is("odd")
            })
        {
            return true;
        }
        // The first day of a date range: "between 6 and 10 March", "بين 6 و10 آذار".
        let joins_date = |k: usize| self.dates.iter().any(|d| d.start == k);
        if after
            .is_some_and(|t| matches!(t.norm.as_str(), "and" | "و" | "-" | "to" | "الي" | "حتي"))
            && joins_date(f.end + 1)
        {
            return true;
        }
        // A bare number set off by commas after a name is an age: "Ahmad Ali, 45, said".
        if before.is_some_and(|t| t.is_punct(","))
            && after.is_some_and(|t| t.is_punct(","))
            && before2.is_some_and(|t| t.upper)
        {
            return true;
        }
        // Footnote marks [12] and bare numbers in brackets (35).
        if before.is_some_and(|t| t.is_punct("[")) && after.is_some_and(|t| t.is_punct("]")) {
            return true;
        }
        if before.is_some_and(|t| t.is_punct("(")) && after.is_some_and(|t| t.is_punct(")")) {
            return true;
        }
        // Percentages.
        if after.is_some_and(|t| {
            t.is_punct("%") || t.is("percent") || t.is("pc") || t.is("بالمئه") || t.is("بالمائه")
        }) {
            return true;
        }
        if after.is_some_and(|t| t.is("per") || t.is("في"))
            && after2.is_some_and(|t| t.is("cent") || t.is("المئه") || t.is("المائه"))
        {
            return true;
        }
        // Durations and ages: six days, 48 hours, a 70-year-old man, 25 عاماً; units.
        let unit_at = |t: Option<&Tok>| t.is_some_and(|t| is_time_unit(t) || is_unit_ar(t));
        if unit_at(after) || (after.is_some_and(|t| t.is_punct("-")) && unit_at(after2)) {
            return true;
        }
        // The size of a body of people, not a toll: "a committee of seven members", "its
        // team of 12 researchers".
        if before.is_some_and(|t| t.is("of"))
            && before2.is_some_and(|t| {
                tok_is_en(
                    t,
                    &[
                        "committee",
                        "commission",
                        "team",
                        "panel",
                        "delegation",
                        "board",
                        "council",
                        "staff",
                        "crew",
                    ],
                )
            })
        {
            return true;
        }
        // Ordinals written in words after digits handled above; ids and ages before.
        if let Some(b) = before {
            let id = if b.arabic {
                ar_is(&b.norm, AR_ID_WORDS)
            } else {
                tok_is_en(b, EN_ID_WORDS)
            };
            if id {
                return true;
            }
            if (b.is_punct(".") || b.is_punct("#"))
                && before2.is_some_and(|t| tok_is_en(t, EN_ID_WORDS))
            {
                return true;
            }
        }
        false
    }

    /// The qualifier written around the figure.
    fn qualifier(&self, f: &Figure, window_end: usize) -> Option<Qualifier> {
        let toks = self.toks;
        for &(phrase, q) in QUALIFIERS_BEFORE {
            let words: Vec<&str> = phrase.split(' ').collect();
            let n = words.len();
            let Some(s) = f.lead.checked_sub(n) else {
                continue;
            };
            let ok = words.iter().enumerate().all(|(k, w)| {
                let t = &toks[s + k];
                if k == 0 && t.arabic {
                    ar_forms(&t.norm).any(|f| f == *w)
                } else {
                    t.norm == *w
                }
            });
            if ok {
                return Some(q);
            }
        }
        // Arabic "ما يقدر بـ": the ب may be glued to the figure.
        let after = toks.get(f.end);
        if after.is_some_and(|t| t.is_punct("+") && t.glued) {
            return Some(Qualifier::Over);
        }
        if after.is_some_and(|t| t.is_punct("-"))
            && toks.get(f.end + 1).is_some_and(|t| t.is("plus"))
        {
            return Some(Qualifier::Over);
        }
        if after.is_some_and(|t| t.is("plus")) {
            return Some(Qualifier::Over);
        }
        if after.is_some_and(|t| t.is_punct("-"))
            && toks.get(f.end + 1).is_some_and(|t| t.is("odd"))
        {
            return Some(Qualifier::About);
        }
        // After the counted phrase: "or more", "or so", "at least", "على الأقل", "تقريباً", "فأكثر".
        let tail_end = (window_end + 3).min(toks.len());
        for k in f.end..tail_end {
            let t = &toks[k];
            let n1 = toks.get(k + 1).map(|t| t.norm.as_str());
            if t.is("or") && n1 == Some("more") {
                return Some(Qualifier::AtLeast);
            }
            if t.is("or") && n1 == Some("so") {
                return Some(Qualifier::About);
            }
            if t.is("at") && n1 == Some("least") && k >= window_end {
                return Some(Qualifier::AtLeast);
            }
            if t.is("علي") && n1 == Some("الاقل") {
                return Some(Qualifier::AtLeast);
            }
            if t.arabic && ar_is(&t.norm, &["تقريبا"]) {
                return Some(Qualifier::About);
            }
            if t.arabic && (ar_is(&t.norm, &["فاكثر"]) || (t.is("او") && n1 == Some("اكثر")))
            {
                return Some(Qualifier::AtLeast);
            }
            if k >= window_end
                && is_stop(t)
                && !t.is("or")
                && !t.is("at")
                && !t.is("علي")
                && !t.is("او")
            {
                break;
            }
        }
        None
    }

    /// The counted phrase after the figure: its token range and the nouns in it.
    fn noun_window(&self, f: &Figure) -> (usize, usize, Vec<Noun>) {
        let toks = self.toks;
        let mut k = f.end;
        // Skip "+", "-plus", "-odd", and "of"/"من" after an indefinite amount or a scale.
        while let Some(t) = toks.get(k) {
            let skip = t.is_punct("+")
                || (t.is_punct("-")
                    && toks.get(k + 1).is_some_and(|n| n.is("plus") || n.is("odd")))
                || t.is("plus")
                || t.is("odd")
                || t.is("of")
                || (t.arabic && t.is("من") && f.value.is_none());
            if !skip {
                break;
            }
            k += 1;
        }
        // "500 or more families": the qualifier sits between the figure and its noun.
        if toks.get(k).is_some_and(|t| t.is("or"))
            && toks.get(k + 1).is_some_and(|t| t.is("more") || t.is("so"))
        {
            k += 2;
        }
        if toks.get(k).is_some_and(|t| t.is("فاكثر") || t.is("او"))
            && toks.get(k + 1).is_none_or(|t| !t.is("اكثر"))
        {
            k += usize::from(toks[k].is("فاكثر"));
        }
        // "830 were civilians", "39 were children": the noun after a copula.
        if toks
            .get(k)
            .is_some_and(|t| tok_is_en(t, &["were", "are", "was", "is"]))
            && toks
                .get(k + 1)
                .and_then(noun_of)
                .is_some_and(|n| n != Noun::Scope)
        {
            k += 1;
        }
        let start = k;
        let mut nouns = Vec::new();
        let mut last = start;
        let mut last_noun = None;
        let arabic = toks.get(start).is_some_and(|t| t.arabic);
        let max = if arabic { 4 } else { 6 };
        let mut k = start;
        while k < toks.len() && k < start + max {
            let t = &toks[k];
            if is_stop(t) && !(t.is("of") && k > start) {
                break;
            }
            if t.is("the") && k == start {
                break;
            }
            if k > start && crate::number::mention_at(toks, k).is_some() {
                break;
            }
            // A verb of the event ("نزحت", "قتلوا") ends the phrase; "قتلى" is a noun.
            if t.arabic && k > start && noun_of(t).is_none() && event_of(t).is_some() {
                break;
            }
            // An imperfect verb ("يعملون", "يتلقون") ends the phrase.
            if t.arabic
                && k > start
                && noun_of(t).is_none()
                && t.norm.starts_with(['ي', 'ت'])
                && t.norm.ends_with("ون")
            {
                break;
            }
            if t.arabic && k > start {
                // "من" goes on only into a force: "عنصراً من الأمن العام".
                if t.is("من") {
                    let force = toks.get(k + 1).and_then(noun_of).is_some_and(|n| {
                        matches!(n, Noun::SecurityStrong | Noun::SecurityWeak | Noun::Fighter)
                    });
                    if !force {
                        break;
                    }
                }
                // A glued conjunction or preposition starts a new phrase: "ومساعدات", "بمشاركة".
                let glued_prefix = ["و", "ب", "ل", "ف"].iter().any(|p| {
                    t.norm
                        .strip_prefix(p)
                        .is_some_and(|r| r.starts_with("ال") || r.chars().count() >= 4)
                });
                let adjective = t.norm.starts_with("ال") || noun_of(t).is_some();
                if glued_prefix && !adjective {
                    break;
                }
            }
            if let Some(n) = noun_of(t) {
                nouns.push(n);
                last_noun = Some(k + 1);
            }
            if t.kind == Kind::Word && !t.is("of") && !t.is("the") && !t.is("من") {
                last = k + 1;
            }
            k += 1;
        }
        // English adjectives come before the noun: the phrase ends at the last noun; with
        // no noun it is the one unknown word after the figure ("15 tents"), never a verb.
        if !arabic {
            let verb_like = |t: &Tok| {
                event_of(t).is_some()
                    || (t.norm.ends_with("ed") && t.norm.len() > 4)
                    || tok_is_en(
                        t,
                        &[
                            "sought", "took", "fled", "remain", "need", "died", "left", "fell",
                            "came", "went", "lost", "got",
                        ],
                    )
            };
            last = match last_noun {
                Some(n) => n,
                None if last > start && !verb_like(&toks[start]) => start + 1,
                None => start,
            };
        } else if last_noun.is_none()
            && toks
                .get(start)
                .is_some_and(|t| t.norm.starts_with(['ي', 'ت']) && t.norm.ends_with("ون"))
        {
            last = start;
        }
        (start, last, nouns)
    }

    /// Nouns a few words before the figure ("the number of displaced reached 9,000",
    /// "حصيلة القتلى إلى 973"), not crossing another figure or a clause break.
    fn nouns_before(&self, f: &Figure) -> Vec<Noun> {
        let toks = self.toks;
        let mut out = Vec::new();
        let mut k = f.lead;
        let lo = f.lead.saturating_sub(5);
        while k > lo {
            k -= 1;
            let t = &toks[k];
            if t.kind == Kind::Num || matches!(t.norm.as_str(), "," | ";" | ":" | "(" | ")" | ".") {
                break;
            }
            // The attribution is not the counted thing: "Sources put the number at".
            if tok_is_en(t, EN_SAY) || (t.arabic && ar_is(&t.norm, AR_SAY)) {
                break;
            }
            if let Some(n) = noun_of(t) {
                out.push(n);
            }
        }
        out
    }

    /// "the number at", "the figure to", "the total of", "العدد إلى", "الرقم": the
    /// figure restates a count named before.
    fn number_word_before(&self, f: &Figure) -> bool {
        let toks = self.toks;
        let lo = f.lead.saturating_sub(4);
        toks[lo..f.lead].iter().any(|t| {
            tok_is_en(
                t,
                &["number", "figure", "total", "tally", "count", "estimate"],
            ) || (t.arabic
                && ar_is(
                    &t.norm,
                    &[
                        "العدد",
                        "عدد",
                        "الرقم",
                        "رقم",
                        "الاجمالي",
                        "اجمالي",
                        "مجموع",
                        "المجموع",
                    ],
                ))
        })
    }

    /// The clause around the figure: tokens between the semicolons before and after it.
    fn clause(&self, f: &Figure) -> (usize, usize) {
        let toks = self.toks;
        let lo = toks[..f.lead]
            .iter()
            .rposition(|t| t.is_punct(";"))
            .map_or(0, |k| k + 1);
        let hi = toks[f.end..]
            .iter()
            .position(|t| t.is_punct(";"))
            .map_or(toks.len(), |k| f.end + k);
        (lo, hi)
    }

    /// Whether "toll" ("death toll", "حصيلة") stands in the figure's comma-bounded part
    /// before it, with no other figure between.
    fn toll_before(&self, f: &Figure) -> bool {
        let toks = self.toks;
        toks[..f.lead]
            .iter()
            .rev()
            .take_while(|t| t.kind != Kind::Num && !t.is_punct(",") && !t.is_punct(";"))
            .any(|t| t.is("toll") || (t.arabic && ar_stem(&t.norm, &["حصيل"])))
    }

    /// Whether a figure without a noun continues the one before it: inside brackets
    /// ("779 fatalities (383 …"), after a list separator or "and", or after "of whom",
    /// "including", "منهم", "بينهم".
    fn nested(&self, f: &Figure) -> bool {
        let toks = self.toks;
        let b1 = prev(toks, f.lead);
        let b2 = f.lead.checked_sub(2).and_then(|k| toks.get(k));
        let opener = |t: &Tok| {
            t.is_punct("(")
                || t.is_punct(",")
                || t.is_punct(":")
                || t.is("and")
                || t.is("و")
                || t.is("including")
                || t.is("whom")
                || t.is("which")
                || ar_is(&t.norm, &["منهم", "بينهم", "منها", "بينها", "منهن"])
        };
        b1.is_some_and(opener)
            || (b1.is_some_and(|t| t.is("of") || t.is("among"))
                && b2.is_some_and(|t| t.kind == Kind::Word))
    }

    /// The event word nearest the figure in its clause, and how far it is.
    fn event_near(&self, f: &Figure, counted_only: bool) -> Option<(usize, Event)> {
        let toks = self.toks;
        // The part between commas first, then the clause between semicolons.
        let comma = |t: &Tok| t.is_punct(",") || t.is_punct(";");
        let lo = toks[..f.lead].iter().rposition(comma).map_or(0, |k| k + 1);
        let hi = toks[f.end..]
            .iter()
            .position(comma)
            .map_or(toks.len(), |k| f.end + k);
        self.event_in(f, lo, hi, counted_only).or_else(|| {
            let (lo, hi) = self.clause(f);
            self.event_in(f, lo, hi, counted_only)
        })
    }

    /// The nearest event word in `lo..hi`; with `counted_only`, only events that name a
    /// measure by themselves ("toll", "fled"), not relief verbs ("reached").
    fn event_in(
        &self,
        f: &Figure,
        lo: usize,
        hi: usize,
        counted_only: bool,
    ) -> Option<(usize, Event)> {
        let toks = self.toks;
        let mut best: Option<(usize, Event)> = None;
        for (k, ev) in self
            .events
            .iter()
            .enumerate()
            .take(hi.min(toks.len()))
            .skip(lo)
        {
            if let Some(e) = ev.filter(|e| !counted_only || event_measure(*e).is_some()) {
                let d = if k < f.start {
                    f.start - k
                } else {
                    k.saturating_sub(f.end) + 1
                };
                if best.is_none_or(|(bd, _)| d < bd) {
                    best = Some((d, e));
                }
            }
        }
        best
    }

    /// A sentence that opens as a breakdown of the previous one's figure: "Of those",
    /// "Of them", "Among them", "Among the dead", "ومن بينهم", "منهم".
    fn continues_breakdown(&self) -> bool {
        let toks = self.toks;
        let first = toks.iter().position(|t| t.kind == Kind::Word);
        let Some(a) = first else { return false };
        let b = toks.get(a + 1);
        let c = toks.get(a + 2);
        let en = tok_is_en(&toks[a], &["of", "among"])
            && b.is_some_and(|t| tok_is_en(t, &["those", "them", "these", "the"]))
            && (!b.is_some_and(|t| t.is("the"))
                || c.is_some_and(|t| tok_is_en(t, &["dead", "victims", "killed"])));
        let ar = toks[a].arabic && ar_is(&toks[a].norm, &["منهم", "بينهم", "ومنهم", "ومن"]);
        en || ar && (toks[a].norm != "ومن" || b.is_some_and(|t| ar_is(&t.norm, &["بينهم"])))
    }

    fn cash_before(&self, f: &Figure) -> bool {
        let toks = self.toks;
        let lo = f.lead.saturating_sub(4);
        toks[lo..f.lead]
            .iter()
            .any(|t| t.is("cash") || (t.arabic && ar_stem(&t.norm, &["نقد"])))
    }

    fn money_before(&self, f: &Figure) -> bool {
        prev(self.toks, f.lead)
            .is_some_and(|t| matches!(t.norm.as_str(), "$" | "£" | "€" | "usd" | "us$"))
    }

    fn claims(
        &self,
        opts: &Options,
        year: Option<u16>,
        doc_date: Option<Date>,
        doc: &mut DocState,
    ) -> Vec<Claim> {
        let toks = self.toks;
        let figures = self.figures();
        if figures.is_empty() {
            if let Some(e) = self.events.iter().rev().find_map(|e| *e) {
                doc.last_event = Some(e);
            }
            let claimants = self.claimants(doc, &opts.gazetteer.find(toks));
            self.remember(claimants, doc);
            return Vec::new();
        }
        let places = opts.gazetteer.find(toks);
        let claimants = self.claimants(doc, &places);
        // The as-of date: a date in the figure's comma-bounded part ("as of" dates first),
        // else one in a part of the sentence that holds no other figure ("By 10 March, 740
        // civilians …"), never a "since" date; else the document date.
        let comma = |t: &Tok| t.is_punct(",") || t.is_punct(";");
        let part_of = |k: usize| {
            let lo = toks[..k].iter().rposition(comma).map_or(0, |p| p + 1);
            let hi = toks[k..]
                .iter()
                .position(comma)
                .map_or(toks.len(), |p| k + p);
            (lo, hi)
        };
        let as_of_for = |f: &Figure| {
            let (lo, hi) = part_of(f.start);
            // "killed in the attacks of March 6", "هجمات ٦ آذار": the day of the events,
            // not the day the figure was counted.
            let names_events = |d: &DateSpan| {
                let mut j = d.start;
                while j > 0 && tok_is_en(&toks[j - 1], &["of", "on"]) {
                    j -= 1;
                }
                let before = j > 0 && noun_of(&toks[j - 1]) == Some(Noun::Incident);
                let after = toks
                    .get(d.end)
                    .is_some_and(|t| noun_of(t) == Some(Noun::Incident));
                before || after
            };
            // "the attacks that began on March 6", "gunmen killed 30 men on March 7": the
            // day something happened, after the figure or after a verb of beginning, is not
            // the day it was counted (a day after a verb of saying is: see `stated`).
            let happened = |d: &DateSpan| {
                let mut j = d.start;
                if j > 0 && tok_is_en(&toks[j - 1], &["on"]) {
                    j -= 1;
                } else {
                    return false;
                }
                let began = j > 0
                    && tok_is_en(
                        &toks[j - 1],
                        &["began", "begun", "started", "erupted", "out", "broke"],
                    );
                let after_event = d.start > f.end
                    && j > 0
                    && !tok_is_en(&toks[j - 1], EN_SAY)
                    && (part_of(f.start).0..j).any(|k| {
                        self.events[k].is_some_and(|e| {
                            matches!(
                                e,
                                Event::Killed
                                    | Event::Injured
                                    | Event::Missing
                                    | Event::Detained
                                    | Event::Displaced
                            )
                        })
                    })
                    && d.cue == Cue::Plain;
                began || after_event
            };
            let usable = |d: &&DateSpan| d.cue != Cue::Since && !names_events(d) && !happened(d);
            // "Amnesty said on April 3 that … on March 8 and 9": the day of the statement
            // is the as-of day, not the day of the events it reports.
            let stated = |d: &DateSpan| {
                let mut j = d.start;
                if j > 0 && tok_is_en(&toks[j - 1], &["on"]) {
                    j -= 1;
                }
                j > 0 && tok_is_en(&toks[j - 1], EN_SAY)
            };
            let mine = |d: &&DateSpan| d.start >= lo && d.start < hi;
            let free = |d: &&DateSpan| {
                let (a, b) = part_of(d.start);
                !figures.iter().any(|g| g.start >= a && g.start < b)
            };
            let ds = &self.dates;
            let pick = |keep: &dyn Fn(&&DateSpan) -> bool| {
                let mut c = ds.iter().filter(usable).filter(|d| keep(d));
                let all: Vec<&DateSpan> = c.by_ref().collect();
                all.iter()
                    .rev()
                    .find(|d| d.cue == Cue::AsOf)
                    .or_else(|| all.iter().rev().find(|d| stated(d)))
                    .or_else(|| all.iter().rev().find(|d| !d.relative))
                    .or_else(|| all.last())
                    .map(|d| **d)
            };
            pick(&mine)
                .or_else(|| pick(&free))
                .map(|d| d.date.with_default_year(year))
                .or(doc_date)
        };
        let mut out: Vec<Claim> = Vec::new();
        let mut sentence_measure: Option<Measure> = None;
        for f in &figures {
            if self.excluded(f) {
                continue;
            }
            let (ws, we, nouns) = self.noun_window(f);
            // A year is a count only right before a counted noun ("2000 عائلة"), never
            // before an event ("the 1982 Hama massacre") or an unknown word ("2011 uprising").
            let counted = nouns.first().is_some_and(|n| {
                !matches!(
                    n,
                    Noun::Scope
                        | Noun::Incident
                        | Noun::Money
                        | Noun::FoodMark
                        | Noun::HygieneMark
                        | Noun::RescueMark
                )
            });
            let year_cue = prev(toks, f.lead).is_some_and(|t| {
                tok_is_en(
                    t,
                    &[
                        "in", "since", "by", "until", "from", "of", "during", "year", "before",
                        "after",
                    ],
                ) || (t.arabic
                    && ar_is(&t.norm, &["عام", "منذ", "في", "سنه", "حتي", "خلال", "العام"]))
            });
            if f.year_like && (year_cue || !(counted && ws == f.end)) {
                continue;
            }
            // "one" in words is a pronoun ("one of the victims") or a descriptor ("members
            // of one family"), not a published toll.
            if !f.digits && f.value == Some(1.0) {
                continue;
            }
            let unknown_word = ws < we && nouns.is_empty();
            let near = self.event_near(f, false);
            let counted = self.event_near(f, true);
            let event = near.map(|(_, e)| e);
            let close_event = counted.filter(|(d, _)| *d <= 3).map(|(_, e)| e);
            let measure = if self.money_before(f) {
                Some(Measure::Money)
            } else if !nouns.is_empty() {
                // "interviewed 22 people, including 15 witnesses and relatives of
                // victims": a part of a count of people unharmed is counted the same way.
                let part_of_unharmed = self.nested(f)
                    && prev(toks, f.lead).is_some_and(|t| t.is("including"))
                    && nouns.iter().all(|n| *n == Noun::Person)
                    && matches!(
                        sentence_measure,
                        Some(Measure::People | Measure::Families | Measure::Other)
                    );
                if part_of_unharmed {
                    sentence_measure
                } else {
                    decide(&nouns, event, self.cash_before(f), doc.last_event)
                }
            } else if unknown_word {
                // An unknown noun ("40 Alawites", "20 شاباً") takes its measure from the
                // event; things recovered or needed may not be people.
                Some(match counted.map(|(_, e)| e) {
                    Some(
                        e @ (Event::Killed
                        | Event::Displaced
                        | Event::Injured
                        | Event::Missing
                        | Event::Detained
                        | Event::Rescued),
                    ) => event_measure(e).unwrap_or(Measure::Other),
                    _ => Measure::Other,
                })
            } else {
                let before = self.nouns_before(f);
                let nested = sentence_measure.filter(|_| self.nested(f));
                if let Some(m) = nested {
                    Some(m)
                } else if before.contains(&Noun::Scope) {
                    // "a population of 1.2 million", "in 15 of the villages".
                    None
                } else if !before.is_empty() {
                    // "Toll of the coastal massacres reaches 1,084": a toll counts deaths,
                    // whatever events it names.
                    let before = if self.toll_before(f) {
                        let mut b: Vec<Noun> = before
                            .into_iter()
                            .filter(|n| *n != Noun::Incident)
                            .collect();
                        b.push(Noun::Death);
                        b
                    } else {
                        before
                    };
                    decide(&before, event, self.cash_before(f), doc.last_event)
                } else if let Some(m) = close_event.and_then(event_measure) {
                    Some(m)
                } else if let Some(m) = sentence_measure {
                    Some(m)
                } else if let Some((_, e)) = counted {
                    event_measure(e)
                } else if self.number_word_before(f) {
                    // "Lebanese army sources put the number at 12,000": the number of what
                    // the previous sentence counted.
                    doc.last_measure
                } else {
                    None
                }
            };
            let Some(mut measure) = measure else { continue };
            // "1,476 families (6,078 people)": the people of the families' count.
            if prev(toks, f.lead).is_some_and(|t| t.is_punct("("))
                && !nouns.is_empty()
                && nouns.iter().all(|n| *n == Noun::Person)
                && let Some(parent) = out.last()
            {
                measure = match parent.measure {
                    Measure::FamiliesDisplaced => Measure::PeopleDisplaced,
                    Measure::Families => Measure::People,
                    Measure::FamiliesAssisted | Measure::CashFamilies => Measure::Beneficiaries,
                    m @ (Measure::Killed
                    | Measure::KilledCivilians
                    | Measure::Injured
                    | Measure::Missing
                    | Measure::Detained
                    | Measure::PeopleDisplaced
                    | Measure::PeopleRescued
                    | Measure::Beneficiaries
                    | Measure::PeopleInNeed
                    | Measure::People) => m,
                    _ => measure,
                };
            }
            sentence_measure = Some(measure);
            let qualifier = if f.value.is_none() && f.range.is_none() {
                Some(Qualifier::Indefinite)
            } else {
                self.qualifier(f, we)
            };
            let phrase = if ws < we {
                self.text[toks[ws].start..toks[we - 1].end].to_string()
            } else {
                String::new()
            };
            let (lo, hi) = self.clause(f);
            let in_clause: Vec<(usize, String)> = claimants
                .iter()
                .filter(|(k, _)| (lo..hi).contains(k))
                .cloned()
                .collect();
            // Else an attribution in an earlier clause ("X said: A; B"), never a later one.
            let earlier: Vec<(usize, String)> =
                claimants.iter().filter(|(k, _)| *k < lo).cloned().collect();
            // "12,000 by local count", "9,000, according to the UN": an attribution right
            // after the figure is its own.
            let right_after = toks
                .get(f.end)
                .is_some_and(|t| t.is("by") || t.is("according") || t.is_punct(","))
                .then(|| {
                    claimants
                        .iter()
                        .find(|(k, _)| *k > f.end && *k <= f.end + 6)
                })
                .flatten()
                .filter(|_| {
                    toks.get(f.end).is_some_and(|t| !t.is_punct(","))
                        || toks.get(f.end + 1).is_some_and(|t| t.is("according"))
                });
            let claimant = right_after
                .map(|(_, c)| c)
                .or_else(|| nearest(&in_clause, f))
                .or_else(|| nearest(&earlier, f))
                .cloned()
                .or_else(|| {
                    // "Of those verified, 90 were men …", "ومن بينهم": a breakdown of the
                    // figure the previous sentence attributed.
                    self.continues_breakdown()
                        .then(|| doc.last_claimant.clone())
                        .flatten()
                });
            let place = nearest_place(&places, f, toks)
                .map(|p| opts.gazetteer.places()[p].name().to_string());
            let (low, high) = f
                .range
                .map_or((None, None), |(l, h)| (Some(Value(l)), Some(Value(h))));
            out.push(Claim {
                value: f.value.filter(|_| f.range.is_none()).map(Value),
                low,
                high,
                qualifier,
                measure,
                measure_phrase: phrase,
                claimant,
                as_of: match out.last() {
                    // A nested figure ("779 fatalities (383 …, 396 …)") shares its parent's date.
                    Some(parent) if self.nested(f) => parent.as_of,
                    _ => as_of_for(f),
                },
                place,
                quote: String::new(),
                span: (toks[f.start].start, toks[f.end - 1].end),
            });
        }
        if let Some(e) = self.events.iter().rev().find_map(|e| *e) {
            doc.last_event = Some(e);
        }
        if let Some(c) = out.last() {
            doc.last_measure = Some(c.measure);
        }
        self.remember(claimants, doc);
        out
    }

    /// Keeps the sentence's claimants for the pronouns and short names that follow.
    fn remember(&self, claimants: Vec<(usize, String)>, doc: &mut DocState) {
        if let Some((_, c)) = claimants.last() {
            doc.last_claimant = Some(c.clone());
        }
        for (_, c) in claimants {
            if !doc.history.contains(&c) {
                doc.history.push(c);
            }
        }
    }
}

fn event_measure(e: Event) -> Option<Measure> {
    match e {
        Event::Killed => Some(Measure::Killed),
        Event::Injured => Some(Measure::Injured),
        Event::Missing => Some(Measure::Missing),
        Event::Detained => Some(Measure::Detained),
        Event::Displaced => Some(Measure::PeopleDisplaced),
        Event::Recovered => Some(Measure::BodiesRecovered),
        Event::Rescued => Some(Measure::PeopleRescued),
        Event::Relief | Event::Other => None,
        Event::Need => Some(Measure::PeopleInNeed),
    }
}

/// The measure from the counted nouns and the nearest event.
fn decide(
    nouns: &[Noun],
    event: Option<Event>,
    cash: bool,
    doc_event: Option<Event>,
) -> Option<Measure> {
    // "referred 298 suspects to the judiciary": people accused are not a toll.
    if nouns.first() == Some(&Noun::Accused)
        || nouns.first() == Some(&Noun::Person) && nouns.get(1) == Some(&Noun::Accused)
    {
        return Some(Measure::Other);
    }
    // After a person noun ("1383 مدنياً ضحايا عمليات التصفية") item nouns belong to the
    // next phrase, not to the figure.
    let person_head = nouns.first().is_some_and(|n| {
        matches!(
            n,
            Noun::Civilian
                | Noun::SecurityStrong
                | Noun::SecurityWeak
                | Noun::Fighter
                | Noun::Person
                | Noun::Family
        )
    });
    let item = |n: &Noun| {
        matches!(
            n,
            Noun::Basket
                | Noun::Loaf
                | Noun::Meal
                | Noun::Volunteer
                | Noun::Beneficiary
                | Noun::Mission
                | Noun::Money
                | Noun::Incident
                | Noun::Body
                | Noun::FoodMark
                | Noun::HygieneMark
                | Noun::RescueMark
        )
    };
    let kept: Vec<Noun> = nouns
        .iter()
        .copied()
        .filter(|n| !(person_head && item(n)))
        .collect();
    let nouns = kept.as_slice();
    let has = |n: Noun| nouns.contains(&n);
    let civ = has(Noun::Civilian);
    // "personnel", "forces", "عناصر" are security unless the phrase names fighters,
    // families or civilians ("عناصر من فلول النظام", "seven members of one family").
    let sec = has(Noun::SecurityStrong)
        || (has(Noun::SecurityWeak)
            && !has(Noun::Fighter)
            && !has(Noun::Family)
            && !has(Noun::Civilian));
    let fighter = has(Noun::Fighter) && !has(Noun::SecurityStrong);
    let family = has(Noun::Family);
    let person = has(Noun::Person) || civ || sec || fighter;
    if cash && (family || person) {
        return Some(if family {
            Measure::CashFamilies
        } else {
            Measure::Beneficiaries
        });
    }
    if has(Noun::Basket) && has(Noun::HygieneMark) {
        return Some(Measure::HygieneKits);
    }
    if has(Noun::Basket) || has(Noun::FoodMark) && !has(Noun::Meal) && !has(Noun::Loaf) {
        return Some(Measure::FoodBaskets);
    }
    if has(Noun::HygieneMark) {
        return Some(Measure::HygieneKits);
    }
    let direct = [
        (Noun::Loaf, Measure::Loaves),
        (Noun::Meal, Measure::Meals),
        (Noun::Volunteer, Measure::Volunteers),
        (Noun::Beneficiary, Measure::Beneficiaries),
        (Noun::Mission, Measure::RescueMissions),
        (Noun::Body, Measure::BodiesRecovered),
        (Noun::Money, Measure::Money),
        (Noun::Incident, Measure::Incidents),
    ];
    if let Some(&(_, m)) = direct.iter().find(|(n, _)| has(*n)) {
        return Some(m);
    }
    let killed = || {
        Some(if civ {
            Measure::KilledCivilians
        } else if sec {
            Measure::KilledSecurity
        } else if fighter {
            Measure::KilledFighters
        } else {
            Measure::Killed
        })
    };
    if has(Noun::Death) {
        return killed();
    }
    if has(Noun::Injured) {
        return Some(Measure::Injured);
    }
    if has(Noun::Missing) {
        return Some(Measure::Missing);
    }
    if has(Noun::Detained) {
        return Some(Measure::Detained);
    }
    let displaced = || {
        Some(if family {
            Measure::FamiliesDisplaced
        } else {
            Measure::PeopleDisplaced
        })
    };
    if has(Noun::Displaced) {
        return displaced();
    }
    if has(Noun::RescueMark) && !person && !family {
        return Some(Measure::RescueMissions);
    }
    if !(person || family) {
        return None;
    }
    // An event carried over from an earlier sentence never makes families "killed".
    let carried = if civ || sec || fighter {
        None
    } else {
        doc_event.filter(|e| !(family && *e == Event::Killed))
    };
    match event.or(carried) {
        Some(Event::Killed) => killed(),
        Some(Event::Injured) => Some(Measure::Injured),
        Some(Event::Missing) => Some(Measure::Missing),
        Some(Event::Detained) => Some(Measure::Detained),
        Some(Event::Displaced) => displaced(),
        Some(Event::Recovered) => Some(Measure::BodiesRecovered),
        Some(Event::Rescued) => Some(Measure::PeopleRescued),
        Some(Event::Need) if !family => Some(Measure::PeopleInNeed),
        Some(Event::Need) => Some(Measure::Families),
        Some(Event::Relief) => Some(if family {
            Measure::FamiliesAssisted
        } else {
            Measure::Beneficiaries
        }),
        Some(Event::Other) if family => Some(Measure::Families),
        Some(Event::Other) => Some(Measure::People),
        None if civ || sec || fighter => killed(),
        None if family => Some(Measure::Families),
        None => Some(Measure::People),
    }
}

/// The claimant of a figure: the nearest attribution before it, else the nearest after it.
fn nearest<'c>(found: &'c [(usize, String)], f: &Figure) -> Option<&'c String> {
    let before = found.iter().rfind(|(k, _)| *k < f.start);
    before
        .or_else(|| found.iter().find(|(k, _)| *k >= f.start))
        .map(|(_, c)| c)
}

fn nearest_place(found: &[(usize, usize, bool)], f: &Figure, toks: &[Tok]) -> Option<usize> {
    let dist = |k: usize| k.abs_diff(f.start);
    // The clause between commas around the figure first, then the whole sentence.
    let comma = |t: &Tok| t.is_punct(",") || t.is_punct(";");
    let lo = toks[..f.lead].iter().rposition(comma).map_or(0, |k| k + 1);
    let hi = toks[f.end..]
        .iter()
        .position(comma)
        .map_or(toks.len(), |k| f.end + k);
    let pick = |pool: &mut dyn Iterator<Item = &(usize, usize, bool)>| -> Option<usize> {
        let v: Vec<&(usize, usize, bool)> = pool.collect();
        let town = v.iter().filter(|p| !p.2).min_by_key(|p| dist(p.0));
        town.or_else(|| v.iter().min_by_key(|p| dist(p.0)))
            .map(|p| p.1)
    };
    pick(&mut found.iter().filter(|p| (lo..hi).contains(&p.0))).or_else(|| pick(&mut found.iter()))
}

// ---------------------------------------------------------------------------------------
// Attribution.

const EN_SAY: &[&str] = &[
    "said",
    "report",
    "says",
    "say",
    "told",
    "tells",
    "reported",
    "reports",
    "documented",
    "documents",
    "recorded",
    "records",
    "counted",
    "counts",
    "tallied",
    "estimated",
    "estimates",
    "estimate",
    "announced",
    "announces",
    "stated",
    "states",
    "claimed",
    "claims",
    "claim",
    "confirmed",
    "confirms",
    "added",
    "noted",
    "wrote",
    "tweeted",
    "found",
    "put",
    "puts",
    "registered",
    "listed",
    "verified",
    "identified",
    "cited",
    "warned",
    "explained",
    "revealed",
    "reckons",
];

const EN_PRONOUNS: &[&str] = &[
    "it",
    "its",
    "their",
    "he",
    "she",
    "they",
    "we",
    "i",
    "the group",
    "the organisation",
    "the organization",
    "the monitor",
    "the agency",
    "the ministry",
    "the report",
    "the statement",
];

const AR_SAY: &[&str] = &[
    "نقل",
    "نقلت",
    "قال",
    "قالت",
    "اعلن",
    "اعلنت",
    "وثق",
    "وثقت",
    "افاد",
    "افادت",
    "ذكر",
    "ذكرت",
    "اكد",
    "اكدت",
    "اشار",
    "اشارت",
    "اوضح",
    "اوضحت",
    "صرح",
    "صرحت",
    "نشر",
    "نشرت",
    "رصد",
    "رصدت",
    "سجل",
    "سجلت",
    "احصي",
    "احصت",
    "قدر",
    "قدرت",
    "كشف",
    "كشفت",
    "اورد",
    "اوردت",
    "اضاف",
    "اضافت",
    "يقول",
    "تقول",
    "افاد",
    "وثقت",
    "تحدث",
    "تحدثت",
    "يفيد",
    "تفيد",
    "يوثق",
    "توثق",
];

const AR_ACCORDING: &[&str] = &["بحسب", "حسب", "وفق", "وفقا", "طبقا", "نقلا", "استنادا"];

const AR_NP_STOP: &[&str] = &[
    "ل",
    "صدر",
    "صدرت",
    "الصادر",
    "الصادره",
    "اصدر",
    "اصدرته",
    "نشره",
    "نشرته",
    "ان",
    "انه",
    "انها",
    "بان",
    "بانه",
    "في",
    "عن",
    "علي",
    "الي",
    "من",
    "يوم",
    "اليوم",
    "امس",
    "مساء",
    "صباح",
    "خلال",
    "حتي",
    "منذ",
    "اكثر",
    "نحو",
    "حوالي",
    "قرابه",
    "ما",
    "لا",
    "الاحد",
    "الاثنين",
    "الثلاثاء",
    "الاربعاء",
    "الخميس",
    "الجمعه",
    "السبت",
    "ارتفاع",
    "عدد",
    "بلغ",
    "وصل",
    "مع",
    "الذي",
    "التي",
    "بعد",
];

impl Sentence<'_> {
    /// Every attribution in the sentence: (token position of the cue, claimant as written).
    fn claimants(&self, doc: &DocState, places: &[(usize, usize, bool)]) -> Vec<(usize, String)> {
        let toks = self.toks;
        let mut out: Vec<(usize, String)> = Vec::new();
        if let Some(h) = self.headline_source(places) {
            out.push(h);
        }
        for (k, t) in toks.iter().enumerate() {
            if t.kind != Kind::Word {
                continue;
            }
            let found = if t.arabic {
                self.arabic_claimant(k)
            } else {
                self.english_claimant(k)
            };
            let Some(c) = found else { continue };
            // "فقد وثّقت": a particle before the verb is not who speaks.
            if ["فقد", "وقد", "قد", "لقد", "كما", "ثم"].contains(&c.trim()) {
                continue;
            }
            let resolved = if is_pronoun(&c) {
                // A pronoun refers to a name earlier in the sentence, else in the document.
                let named = out
                    .last()
                    .map(|(_, n)| n.clone())
                    .or_else(|| doc.last_claimant.clone());
                named.or_else(|| generic(&c))
            } else {
                Some(expand(c, &doc.history))
            };
            if let Some(c) = resolved {
                out.push((k, c));
            }
        }
        out
    }

    /// "المرصد السوري: 1383 مدنياً …", "UN: 1.2 million need aid": a short name before a
    /// colon at the start of a sentence, when it is not a place or a rubric.
    fn headline_source(&self, places: &[(usize, usize, bool)]) -> Option<(usize, String)> {
        let toks = self.toks;
        let colon = toks.iter().take(7).position(|t| t.is_punct(":"))?;
        let start = usize::from(
            toks.first()
                .is_some_and(|t| t.is_punct("-") || t.is_punct("•")),
        );
        if colon <= start || toks[start..colon].iter().any(|t| t.kind != Kind::Word) {
            return None;
        }
        if places.iter().any(|p| p.0 < colon) {
            return None;
        }
        let rubric = [
            "breaking",
            "update",
            "highlights",
            "exclusive",
            "live",
            "watch",
            "video",
            "photos",
            "analysis",
            "opinion",
            "overview",
            "summary",
            "note",
            "source",
            "sources",
            "background",
            "عاجل",
            "خاص",
            "بالفيديو",
            "بالصور",
            "تقرير",
            "ملخص",
            "مصدر",
            "المصدر",
        ];
        if toks[start..colon]
            .iter()
            .any(|t| rubric.contains(&t.norm.as_str()))
        {
            return None;
        }
        // Only a headline: a figure follows the colon.
        if !(colon + 1..toks.len().min(colon + 10))
            .any(|k| toks[k].kind == Kind::Num || crate::number::mention_at(toks, k).is_some())
        {
            return None;
        }
        Some((start, self.span_text(start, colon)))
    }

    fn span_text(&self, a: usize, b: usize) -> String {
        self.text[self.toks[a].start..self.toks[b - 1].end]
            .trim()
            .to_string()
    }

    fn english_claimant(&self, k: usize) -> Option<String> {
        let toks = self.toks;
        let t = &toks[k];
        let next = toks.get(k + 1);
        if t.is("according") && next.is_some_and(|n| n.is("to")) {
            // "according to estimates by the Syrian Observatory", "according to figures from".
            let mut s = k + 2;
            if toks.get(s).is_some_and(|t| t.is("the")) {
                s += 1;
            }
            let data = [
                "estimates",
                "figures",
                "data",
                "reports",
                "a",
                "an",
                "report",
                "tally",
                "count",
                "statement",
            ];
            if toks.get(s).is_some_and(|t| tok_is_en(t, &data))
                && toks
                    .get(s + 1)
                    .is_some_and(|t| tok_is_en(t, &["by", "from", "of"]))
            {
                return self.forward_np_en(s + 2);
            }
            // "According to the report, …": the report named earlier, resolved as a pronoun.
            if s == k + 3
                && toks
                    .get(s)
                    .is_some_and(|t| tok_is_en(t, &["report", "statement"]))
                && toks.get(s + 1).is_none_or(|t| t.kind == Kind::Punct)
            {
                return Some(format!("the {}", toks[s].norm));
            }
            return self
                .forward_np_en(k + 2)
                .map(|c| strip_data_noun(&c))
                .filter(|c| !c.is_empty());
        }
        let after_comma = prev(toks, k).is_some_and(|p| p.is_punct(","));
        if t.is("citing") || t.is("per") && (after_comma || next.is_some_and(|n| n.upper)) {
            return self.forward_np_en(k + 1);
        }
        // "by the governor's count", "by local count".
        if tok_is_en(
            t,
            &[
                "count",
                "tally",
                "estimate",
                "estimates",
                "figures",
                "figure",
                "data",
                "records",
                "reckoning",
                "toll",
            ],
        ) {
            // "the Observatory's latest toll", "SNHR's count": the owner before "'s".
            let lo = k.saturating_sub(3);
            if let Some(p) = (lo..k).rev().find(|&j| {
                toks[j].kind == Kind::Word
                    && (toks[j].norm.ends_with("'s") || toks[j].norm.ends_with("s'"))
            }) && toks[p + 1..k]
                .iter()
                .all(|t| t.kind == Kind::Word && !EN_STOP.contains(&t.norm.as_str()))
                && let Some((owner, _)) = self.backward_np(p + 1)
            {
                let owner = owner
                    .trim_end_matches("'s")
                    .trim_end_matches("’s")
                    .trim_end_matches('\'');
                if !owner.is_empty() {
                    return Some(owner.to_string());
                }
            }
            let lo = k.saturating_sub(5);
            let by = (lo..k)
                .rev()
                .find(|&j| toks[j].is("by") || toks[j].is("to"))?;
            if by + 1 >= k || toks[by + 1..k].iter().any(|t| t.kind != Kind::Word) {
                return None;
            }
            let c = self.span_text(by + 1, k);
            let c = strip_det(&c);
            return Some(
                match c
                    .strip_suffix("'s")
                    .or_else(|| c.strip_suffix("’s"))
                    .or_else(|| c.strip_suffix('\''))
                {
                    Some(owner) => owner.to_string(),
                    None => format!("{c} {}", t.norm),
                },
            )
            .filter(|c| !c.trim().is_empty());
        }
        if !EN_SAY.contains(&t.norm.as_str()) {
            return None;
        }
        // "The violence has claimed the lives of 1,300 people": a toll, not a claim made.
        if tok_is_en(t, &["claimed", "claims", "claim"])
            && (next.is_some_and(|n| n.is("lives"))
                || next.is_some_and(|n| n.is("the"))
                    && toks.get(k + 2).is_some_and(|n| n.is("lives")))
        {
            return None;
        }
        // "documented by SNHR", "were reported by the monitor".
        if next.is_some_and(|n| n.is("by")) {
            return self.forward_np_en(k + 2);
        }
        let caps = |s: &str| {
            s.split_whitespace()
                .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
                .count()
        };
        // "NAME, a description, said": the name, unless the description is the better name
        // ("Another group, the Syrian Network for Human Rights, recorded").
        // The name must open its clause: "near Jableh on Monday, the agency reported" names
        // a place, not the claimant.
        let name_before = |first: usize| {
            (first > 0 && toks[first - 1].is_punct(","))
                .then(|| self.backward_np(first - 1))
                .flatten()
                .filter(|(_, start)| {
                    *start == 0
                        || toks[*start - 1].kind == Kind::Punct && !toks[*start - 1].is_punct("-")
                })
        };
        if let Some((c, first)) = self.backward_np(k) {
            if let Some((name, _)) = name_before(first)
                && caps(&name) > caps(&c)
            {
                return Some(name);
            }
            // "A national committee investigating the violence in March said", "A man from
            // Baniyas said": the phrase before the verb is the object of a preposition
            // inside a longer subject.
            if let Some(subject) = self.subject_before(first, k) {
                return Some(subject);
            }
            // "An AFP tally put the toll at": the owner of the tally.
            let owner = strip_data_noun(&c);
            return Some(if owner.is_empty() { c } else { owner });
        }
        // "The Office of the High Commissioner, which has documented violations since 2011,
        // said": the name before the relative clause.
        if prev(toks, k).is_some_and(|p| p.is_punct(","))
            && let Some(open) = (k.saturating_sub(30)..k - 1).rev().find(|&j| {
                toks[j].is_punct(",")
                    && toks
                        .get(j + 1)
                        .is_some_and(|n| tok_is_en(n, &["which", "who", "whose"]))
            })
            && !toks[open + 1..k - 1]
                .iter()
                .any(|t| t.is_punct(";") || t.is_punct(":") || t.is_punct("\""))
            && let Some((name, _)) = self.backward_np(open)
        {
            return Some(name);
        }
        if prev(toks, k).is_some_and(|p| p.is_punct(","))
            && let Some((appositive, first)) = self.backward_np(k - 1)
        {
            return Some(match name_before(first) {
                Some((name, _)) if caps(&name) >= caps(&appositive) => name,
                _ => appositive,
            });
        }
        // ", said Rami Abdel Rahman" / "“…,” said the head of the network".
        let prev_t = prev(toks, k);
        if prev_t.is_none_or(|p| matches!(p.norm.as_str(), "," | "\"" | "'" | ";")) {
            return self.forward_np_en(k + 1);
        }
        None
    }

    /// The whole subject of the verb at `verb` when the noun phrase found before it starts
    /// right after a preposition: from the start of the clause up to a participle or a
    /// relative pronoun ("A national committee investigating …" → "national committee"),
    /// else up to the verb ("A man from Baniyas").
    fn subject_before(&self, first: usize, verb: usize) -> Option<String> {
        let toks = self.toks;
        let preposition = [
            "in", "on", "at", "from", "near", "during", "since", "across", "into", "with", "about",
            "over",
        ];
        if first == 0 || !tok_is_en(&toks[first - 1], &preposition) {
            return None;
        }
        let start = toks[..first]
            .iter()
            .rposition(|t| {
                // A dateline ("DAMASCUS, July 22, 2025 –") ends at its year.
                let inner = t.is_punct("-") && t.glued || t.is_punct("'");
                t.kind == Kind::Num || t.kind == Kind::Punct && !inner
            })
            .map_or(0, |p| p + 1);
        if start + 1 >= first || first - start > 20 {
            return None;
        }
        let mut end = start;
        while end < verb {
            let t = &toks[end];
            if t.kind == Kind::Num {
                return None;
            }
            let w = t.norm.as_str();
            let participle = end > start + 1 && w.len() > 4 && w.ends_with("ing");
            if participle || matches!(w, "who" | "which" | "that") || is_aux(w) {
                break;
            }
            if t.kind == Kind::Word && EN_SAY.contains(&w) {
                return None;
            }
            end += 1;
        }
        if end - start > 8 || end <= start {
            return None;
        }
        let c = strip_det(&self.span_text(start, end)).to_string();
        (!c.is_empty()).then_some(c)
    }

    fn forward_np_en(&self, start: usize) -> Option<String> {
        let toks = self.toks;
        let mut k = start;
        let mut last = start;
        let connectors = ["of", "for", "on", "and", "the", "de", "al", "&"];
        let mut depth = 0i32;
        while k < toks.len() && k < start + 12 {
            let t = &toks[k];
            match t.kind {
                Kind::Num => break,
                Kind::Punct => {
                    if t.is_punct("(") {
                        depth += 1;
                    } else if t.is_punct(")") && depth > 0 {
                        depth -= 1;
                        last = k + 1;
                    } else if depth == 0 {
                        // Inside a name only hyphens, apostrophes and the dots of "U.N.".
                        let dotted =
                            t.is_punct(".") && t.glued && toks.get(k + 1).is_some_and(|n| n.glued);
                        if !(t.is_punct("-") || t.is_punct("'") || dotted) {
                            break;
                        }
                    }
                }
                Kind::Word => {
                    let w = t.norm.as_str();
                    if k == start && matches!(w, "the" | "a" | "an") {
                        k += 1;
                        continue;
                    }
                    if connectors.contains(&w) && depth == 0 {
                        // A connector joins only a name that goes on in capitals.
                        let cap_next = toks[k + 1..toks.len().min(k + 3)].iter().any(|n| n.upper);
                        if !cap_next {
                            break;
                        }
                    } else if depth == 0 && (EN_STOP.contains(&w) || EN_SAY.contains(&w)) {
                        break;
                    } else if depth == 0 {
                        last = k + 1;
                    }
                }
            }
            k += 1;
        }
        (last > start)
            .then(|| strip_det(&self.span_text(start, last)).to_string())
            .filter(|c| !c.is_empty())
    }

    /// The noun phrase that ends right before `verb`, and the token it starts at.
    fn backward_np(&self, verb: usize) -> Option<(String, usize)> {
        let toks = self.toks;
        let pronoun = ["it", "he", "she", "they", "we"];
        if let Some(p) = prev(toks, verb).filter(|p| tok_is_en(p, &pronoun)) {
            return Some((p.norm.clone(), verb - 1));
        }
        let mut k = verb;
        let mut first = verb;
        let mut depth = 0i32;
        let lo = verb.saturating_sub(12);
        while k > lo {
            k -= 1;
            let t = &toks[k];
            match t.kind {
                Kind::Num => break,
                Kind::Punct => {
                    if t.is_punct(")") {
                        depth += 1;
                    } else if t.is_punct("(") && depth > 0 {
                        depth -= 1;
                    } else if !(t.is_punct("-") || t.is_punct("'")) && depth == 0 {
                        break;
                    }
                }
                Kind::Word => {
                    let w = t.norm.as_str();
                    if depth > 0 {
                        continue;
                    }
                    let aux = is_aux(w);
                    if aux && first == verb {
                        continue;
                    }
                    // "Ahmed al-Sharaa": the article joined by a hyphen is part of the name.
                    if w == "al" && first <= k + 2 && toks[k + 1].is_punct("-") {
                        first = k;
                        continue;
                    }
                    if matches!(
                        w,
                        "of" | "for"
                            | "on"
                            | "and"
                            | "the"
                            | "al"
                            | "a"
                            | "an"
                            | "another"
                            | "in"
                            | "at"
                    ) {
                        if first < verb && matches!(w, "the" | "a" | "an" | "another") {
                            first = k;
                            // "the head of the Observatory", "a spokesman for the base":
                            // the phrase goes on past "of" or "for".
                            if k >= 2
                                && (toks[k - 1].is("of") || toks[k - 1].is("for"))
                                && toks[k - 2].kind == Kind::Word
                            {
                                continue;
                            }
                            break;
                        }
                        if (w == "of" || w == "for" && toks[first].is("the"))
                            && first < verb
                            && k > 0
                            && toks[k - 1].kind == Kind::Word
                            && !EN_STOP.contains(&toks[k - 1].norm.as_str())
                        {
                            continue;
                        }
                        // Connectors inside a capitalised name.
                        if first < verb && toks[first].upper && k > 0 && toks[k - 1].upper {
                            continue;
                        }
                        break;
                    }
                    // "Wire reports said", "Local records show": a plural noun before the verb.
                    let noun_before_verb = k + 1 == verb
                        && matches!(
                            w,
                            "reports"
                                | "estimates"
                                | "records"
                                | "counts"
                                | "figures"
                                | "documents"
                                | "sources"
                        );
                    if noun_before_verb {
                        first = k;
                        continue;
                    }
                    // "the International Rescue Committee": a word of the lexicon inside a
                    // capitalised name is part of the name.
                    let in_name = t.upper && k + 1 < verb && toks[k + 1].upper;
                    if EN_STOP.contains(&w)
                        || EN_SAY.contains(&w)
                        || !in_name && event_of(t).is_some()
                        || !in_name
                            && noun_of(t).is_some_and(|n| {
                                n != Noun::Scope
                                    && n != Noun::Person
                                    && n != Noun::SecurityWeak
                                    && n != Noun::SecurityStrong
                                    && n != Noun::Volunteer
                            })
                    {
                        break;
                    }
                }
            }
            first = k;
        }
        if first >= verb {
            return None;
        }
        // Skip leading auxiliaries swallowed before the verb.
        let mut end = verb;
        while end > first && is_aux(&toks[end - 1].norm) {
            end -= 1;
        }
        if end <= first {
            return None;
        }
        let c = strip_det(&self.span_text(first, end)).to_string();
        (!c.is_empty() && !c.starts_with('(')).then_some((c, first))
    }

    fn arabic_claimant(&self, k: usize) -> Option<String> {
        let toks = self.toks;
        let t = &toks[k];
        let according = ar_is(&t.norm, AR_ACCORDING);
        if !according && !ar_is(&t.norm, AR_SAY) {
            return self.arabic_document_owner(k);
        }
        let mut start = k + 1;
        // "وفقاً لـ", "نقلاً عن", "استناداً إلى".
        while toks.get(start).is_some_and(|n| {
            n.is("ل")
                || n.is("لـ")
                || n.is("عن")
                || n.is("الي")
                || n.is_punct(":")
                || n.is("ما")
                || n.is("به")
                || n.is("بها")
        }) {
            start += 1;
        }
        if toks.get(start).is_some_and(|n| ar_is(&n.norm, AR_ID_WORDS)) {
            return None;
        }
        let mut end = start;
        while end < toks.len() && end < start + 8 {
            let n = &toks[end];
            // An event word ends a name ("قال المرصد إن القتلى"), except where a name goes
            // on with what it is for: "جمعية الساحل للإغاثة", "المفوضية … لشؤون اللاجئين".
            let names_purpose = end >= start + 2
                && (n.norm.starts_with("لل")
                    || ar_is(&toks[end - 1].norm, &["لشوون", "لشؤون", "شوون", "شؤون"]));
            if event_of(n).is_some() && names_purpose && n.kind == Kind::Word {
                end += 1;
                break;
            }
            if n.kind != Kind::Word
                || ar_is(&n.norm, AR_NP_STOP)
                || event_of(n).is_some()
                || ar_is(&n.norm, AR_SAY)
            {
                break;
            }
            if crate::number::mention_at(toks, end).is_some() {
                break;
            }
            end += 1;
        }
        // "إحصائية للأمم المتحدة", "تقرير المرصد": the owner of the document.
        let doc_noun = |t: &Tok| {
            ar_stem(
                &t.norm,
                &[
                    "احصائي",
                    "احصاء",
                    "تقرير",
                    "بيان",
                    "ارقام",
                    "معطيات",
                    "تقديرات",
                    "حصيله",
                    "توثيق",
                ],
            )
        };
        let mut lam = false;
        if end > start + 1 && doc_noun(&toks[start]) {
            start += 1;
            lam = toks[start].norm.starts_with('ل');
        }
        if end > start {
            let mut c = self.span_text(start, end);
            if lam {
                c = strip_lam(&c);
            }
            if according && (t.norm.ends_with("فقا") || t.norm.starts_with("طبقا")) {
                c = strip_lam(&c);
            }
            return Some(c);
        }
        if according {
            return None;
        }
        // Subject before the verb: "المرصد السوري قال إن".
        let mut first = k;
        while first > 0 && first + 6 > k {
            let p = &toks[first - 1];
            if p.kind != Kind::Word
                || !p.arabic
                || ar_is(&p.norm, AR_NP_STOP)
                || ar_is(&p.norm, AR_STOP)
                || event_of(p).is_some()
            {
                break;
            }
            first -= 1;
        }
        (first < k).then(|| self.span_text(first, k))
    }
}

impl Sentence<'_> {
    /// "حصيلة جديدة للمرصد السوري", "تقرير لمنظمة العفو الدولية": the owner of a toll,
    /// report or statement, written with لـ after it.
    fn arabic_document_owner(&self, k: usize) -> Option<String> {
        let toks = self.toks;
        let doc = [
            "حصيله",
            "تقرير",
            "بيان",
            "احصائيه",
            "احصاءات",
            "ارقام",
            "تقديرات",
            "توثيق",
            "معطيات",
        ];
        if !ar_is(&toks[k].norm, &doc) {
            return None;
        }
        let mut start = k + 1;
        if toks.get(start).is_some_and(|t| {
            ar_is(
                &t.norm,
                &[
                    "جديده",
                    "اخيره",
                    "حديثه",
                    "جديد",
                    "اخير",
                    "حديث",
                    "اوليه",
                    "اولي",
                    "محدثه",
                ],
            )
        }) {
            start += 1;
        }
        let first = toks.get(start)?;
        if !first.arabic
            || !first.norm.starts_with('ل')
            || first.norm.starts_with("لحقوق")
            || first.norm.chars().count() < 4
        {
            return None;
        }
        let mut end = start + 1;
        while end < toks.len() && end < start + 6 {
            let n = &toks[end];
            if n.kind != Kind::Word
                || ar_is(&n.norm, AR_NP_STOP)
                || ar_is(&n.norm, AR_STOP)
                || event_of(n).is_some()
            {
                break;
            }
            if crate::number::mention_at(toks, end).is_some() {
                break;
            }
            end += 1;
        }
        Some(strip_lam(&self.span_text(start, end)))
    }
}

/// Words between a subject and its verb that are not part of the subject: auxiliaries and
/// adverbs ("has so far verified", "now says").
fn is_aux(w: &str) -> bool {
    matches!(
        w,
        "has"
            | "have"
            | "had"
            | "also"
            | "later"
            | "previously"
            | "earlier"
            | "separately"
            | "now"
            | "already"
            | "again"
            | "still"
            | "today"
            | "meanwhile"
            | "so"
            | "far"
            | "initially"
            | "first"
    )
}

/// "للمرصد" → "المرصد", "لوزارة" → "وزارة" (after وفقاً).
fn strip_lam(c: &str) -> String {
    if let Some(rest) = c.strip_prefix("لل") {
        format!("ال{rest}")
    } else if let Some(rest) = c.strip_prefix("لـ").or_else(|| c.strip_prefix('ل')) {
        rest.trim_start().to_string()
    } else {
        c.to_string()
    }
}

fn strip_det(c: &str) -> &str {
    let c = c.trim();
    for det in [
        "the ", "The ", "a ", "A ", "an ", "An ", "another ", "Another ",
    ] {
        if let Some(rest) = c.strip_prefix(det) {
            return rest.trim();
        }
    }
    c
}

/// "the governor's figures" → "governor"; "local officials" stays.
fn strip_data_noun(c: &str) -> String {
    let mut c = c.trim().to_string();
    for noun in [
        " figures",
        " count",
        " tally",
        " data",
        " estimates",
        " estimate",
        " records",
        " report",
        " statement",
    ] {
        if let Some(rest) = c.strip_suffix(noun) {
            c = rest.to_string();
            break;
        }
    }
    for poss in ["'s", "’s", "'"] {
        if let Some(rest) = c.strip_suffix(poss) {
            c = rest.to_string();
            break;
        }
    }
    strip_det(&c).to_string()
}

fn is_pronoun(c: &str) -> bool {
    let lower = c.to_lowercase();
    let bare = lower.strip_prefix("the ").unwrap_or(&lower);
    EN_PRONOUNS.contains(&lower.as_str())
        || EN_PRONOUNS.contains(&format!("the {bare}").as_str())
        || ["هو", "هي", "هم"].contains(&c)
        || is_description(c)
}

/// "the UK-based monitor", "the independent rights group": a description of an
/// organization named before, not a name (its words are lower-case but for "X-based").
fn is_description(full: &str) -> bool {
    let c = full
        .strip_prefix("the ")
        .or_else(|| full.strip_prefix("The "))
        .unwrap_or(full);
    let words: Vec<&str> = c.split_whitespace().collect();
    let Some((head, rest)) = words.split_last() else {
        return false;
    };
    let heads = [
        "monitor",
        "group",
        "organisation",
        "organization",
        "agency",
        "watchdog",
        "observatory",
        "network",
        "office",
        "body",
    ];
    // "a war monitor" is someone new; "the UK-based monitor" (its article is gone here)
    // is the one named before.
    let definite = c.len() < full.len() || rest.iter().any(|w| w.ends_with("-based"));
    definite
        && !rest.is_empty()
        && heads.contains(head)
        && rest
            .iter()
            .all(|w| w.ends_with("-based") || w.chars().all(|ch| !ch.is_uppercase()))
}

/// A generic subject kept when nothing names it ("the ministry"), never a bare pronoun.
fn generic(c: &str) -> Option<String> {
    let lower = c.to_lowercase();
    let bare = lower.strip_prefix("the ").unwrap_or(&lower);
    let personal = ["it", "he", "she", "they", "we", "i", "هو", "هي", "هم"].contains(&bare);
    (!personal).then(|| c.get(c.len() - bare.len()..).unwrap_or(c).to_string())
}

/// A short form ("the Observatory", "المرصد") becomes the full name given earlier in the
/// document ("Syrian Observatory for Human Rights", "المرصد السوري لحقوق الإنسان").
fn expand(c: String, history: &[String]) -> String {
    let words: Vec<String> = c.split_whitespace().map(fold).collect();
    if words.len() != 1 || words[0].chars().count() < 3 {
        return c;
    }
    let key = &words[0];
    history
        .iter()
        .rev()
        .find(|h| {
            let hw: Vec<String> = h.split_whitespace().map(fold).collect();
            // "the committee" is the committee, not "Committee spokesman Yasser al-Farhan".
            let person = hw.iter().any(|w| {
                [
                    "spokesman",
                    "spokesperson",
                    "spokeswoman",
                    "head",
                    "director",
                    "chief",
                    "chairman",
                    "official",
                    "minister",
                    "member",
                    "المتحدث",
                    "الناطق",
                    "مدير",
                    "رئيس",
                ]
                .contains(&w.as_str())
            });
            !person
                && hw.len() > 1
                && hw.iter().any(|w| {
                    w == key
                        || w.strip_prefix("ال")
                            .is_some_and(|r| key.strip_prefix("ال") == Some(r))
                })
        })
        .cloned()
        .unwrap_or(c)
}
