//! Whole news-style articles about the March 2025 coastal killings, in English and
//! Arabic, written for these tests in the manner of wire reports and monitors' updates
//! (attributions, Arabic-Indic digits, ranges, "dozens", years, dates and footnote marks
//! that are not claims). Each article is run as one text, as a pasted document is.
//!
//! Errors these articles once showed, now fixed and tried in other wordings in rules.rs:
//! a headline toll read as `incidents`, 298 referred suspects read as killed, "According
//! to the report" without its claimant, and the day of the attacks taken as the as-of date.
//! Still debatable: "between 6 and 10 March" gives the end of the period as the as-of date,
//! not the day the report was issued.

use expect_test::{Expect, expect};
use sijill_claims::{Date, Options, extract};

fn render(text: &str, date: &str) -> String {
    let opts = Options {
        doc_date: Some(Date::parse_iso(date).expect("article date")),
        ..Options::default()
    };
    let mut out = String::new();
    for c in extract(text, &opts) {
        let fig = match (c.value, c.low, c.high) {
            (Some(v), _, _) => v.to_string(),
            (None, Some(l), Some(h)) => format!("{l}..{h}"),
            _ => "?".to_string(),
        };
        let q = c.qualifier.map_or("-", |q| q.as_str());
        out.push_str(&format!("{fig} {q} {}", c.measure.as_str()));
        if let Some(who) = &c.claimant {
            out.push_str(&format!(" by={who}"));
        }
        if let Some(d) = c.as_of {
            out.push_str(&format!(" asof={d}"));
        }
        if let Some(p) = &c.place {
            out.push_str(&format!(" at={p}"));
        }
        out.push('\n');
    }
    if out.is_empty() {
        out.push_str("(none)\n");
    }
    out
}

#[track_caller]
fn check(text: &str, date: &str, expect: Expect) {
    expect.assert_eq(&render(text, date));
}

const WIRE_EN: &str = "\
Syria's coastal death toll rises as monitors differ on scale

DAMASCUS, March 10 (Reuters) - More than 1,000 people, most of them civilians, have been killed in four days of clashes and revenge killings in Syria's coastal region, a war monitor said on Monday.

The Syrian Observatory for Human Rights, a Britain-based monitor, said 745 civilians were among the dead, along with 125 members of government security forces and 148 fighters from armed groups loyal to Bashar al-Assad, who was ousted in December 2024.

The Syrian Network for Human Rights said it had documented at least 779 deaths between March 6 and March 10, 2025, and said the real figure was likely higher. Residents in Baniyas told Reuters that dozens of bodies remained in the streets.

Interim President Ahmed al-Sharaa said on Sunday a committee of seven members would investigate the violence and report within 30 days.[1]

[1] The committee was formed under decree No. 149 of 2025.
";

#[test]
fn wire_report_in_english() {
    check(
        WIRE_EN,
        "2025-03-10",
        expect![[r#"
            1000 over killed by=war monitor asof=2025-03-10 at=Damascus
            745 - killed_civilians by=Syrian Observatory for Human Rights asof=2025-03-10
            125 - killed_security by=Syrian Observatory for Human Rights asof=2025-03-10
            148 - killed_fighters by=Syrian Observatory for Human Rights asof=2025-03-10
            779 at_least killed by=Syrian Network for Human Rights asof=2025-03-10
            ? indefinite bodies_recovered by=Residents in Baniyas asof=2025-03-10 at=Baniyas
        "#]],
    );
}

const MONITOR_EN: &str = "\
SNHR: Toll of the coastal massacres reaches 1,084

The Syrian Network for Human Rights (SNHR) said in its report issued on 17 March 2025 that it had documented the killing of 1,084 people between 6 and 10 March, including 803 civilians, among them 39 children and 49 women. According to the report, between 300 and 400 of the victims were killed in Baniyas alone. SNHR said hundreds of families had fled to the countryside and that its team of 12 researchers was still verifying cases reported after 2 p.m. on 9 March.
";

#[test]
fn monitor_report_in_english() {
    check(
        MONITOR_EN,
        "2025-03-17",
        expect![[r#"
            1084 - killed by=SNHR asof=2025-03-17
            1084 - killed by=Syrian Network for Human Rights (SNHR) asof=2025-03-10
            803 - killed_civilians by=Syrian Network for Human Rights (SNHR) asof=2025-03-10
            39 - killed by=Syrian Network for Human Rights (SNHR) asof=2025-03-17
            49 - killed by=Syrian Network for Human Rights (SNHR) asof=2025-03-17
            300..400 - killed by=Syrian Network for Human Rights (SNHR) asof=2025-03-17 at=Baniyas
            ? indefinite families_displaced by=SNHR asof=2025-03-09
        "#]],
    );
}

const COMMITTEE_EN: &str = "\
The national fact-finding committee said on July 22 that it had identified 1,426 people killed, among them 90 women, and that most were civilians. The committee said 238 members of the security forces and army were killed in the attacks of March 6, and that it had referred 298 suspects to the judiciary. Its spokesman said about 930 testimonies were heard in 33 sites.
";

#[test]
fn committee_findings_in_english() {
    check(
        COMMITTEE_EN,
        "2025-07-22",
        expect![[r#"
            1426 - killed by=national fact-finding committee asof=2025-07-22
            90 - killed by=national fact-finding committee asof=2025-07-22
            238 - killed_security by=national fact-finding committee asof=2025-07-22
            298 - other by=national fact-finding committee asof=2025-07-22
            930 about other by=Its spokesman asof=2025-07-22
        "#]],
    );
}

const WIRE_AR: &str = "\
ارتفاع حصيلة القتلى في الساحل السوري

دمشق (رويترز) - قال المرصد السوري لحقوق الإنسان يوم الاثنين ١٠ آذار ٢٠٢٥ إن عدد القتلى المدنيين في الساحل ارتفع إلى ١٣٨٣ مدنياً، فيما قُتل نحو ٢٣١ من عناصر الأمن العام. وأفاد سكان في بانياس بأن عشرات الجثث ما زالت في الشوارع.

وبحسب الشبكة السورية لحقوق الإنسان، فقد وثّقت مقتل ما لا يقل عن ٧٧٩ شخصاً بين ٦ و١٠ آذار، بينهم ما بين ٣٠٠ و٤٠٠ في مدينة بانياس وحدها.
";

#[test]
fn wire_report_in_arabic() {
    check(
        WIRE_AR,
        "2025-03-10",
        expect![[r#"
            1383 - killed_civilians by=المرصد السوري لحقوق الإنسان asof=2025-03-10 at=Damascus
            231 about killed_security by=المرصد السوري لحقوق الإنسان asof=2025-03-10 at=Damascus
            ? indefinite bodies_recovered by=سكان asof=2025-03-10 at=Baniyas
            779 at_least killed by=الشبكة السورية لحقوق الإنسان asof=2025-03-10 at=Baniyas
            300..400 - killed by=الشبكة السورية لحقوق الإنسان asof=2025-03-10 at=Baniyas
        "#]],
    );
}

const COMMITTEE_AR: &str = "\
أعلنت اللجنة الوطنية المستقلة للتحقيق وتقصي الحقائق في أحداث الساحل، في مؤتمر صحفي في دمشق في ٢٢ تموز ٢٠٢٥، أنها حددت هوية ١٤٢٦ قتيلاً، بينهم ٩٠ امرأة، وأن ٢٣٨ من عناصر الأمن والجيش قُتلوا في هجمات ٦ آذار. وقال المتحدث باسم اللجنة إنها استمعت إلى أكثر من ٩٣٨ شهادة في ٣٣ موقعاً خلال ٤ أشهر، وأحالت ٢٩٨ مشتبهاً به إلى القضاء.(٢)
";

#[test]
fn committee_findings_in_arabic() {
    check(
        COMMITTEE_AR,
        "2025-07-22",
        expect![[r#"
            1426 - killed by=اللجنة الوطنية المستقلة للتحقيق وتقصي الحقائق asof=2025-07-22 at=Damascus
            90 - killed by=اللجنة الوطنية المستقلة للتحقيق وتقصي الحقائق asof=2025-07-22 at=Damascus
            238 - killed_security by=اللجنة الوطنية المستقلة للتحقيق وتقصي الحقائق asof=2025-07-22 at=Damascus
            938 over other by=المتحدث باسم اللجنة asof=2025-07-22
            298 - other by=المتحدث باسم اللجنة asof=2025-07-22
        "#]],
    );
}

const ROUNDUP_EN: &str = "\
The Syrian Observatory for Human Rights (SOHR) has documented the death of 1,383 civilians, most of them Alawites, in the coastal region since March 6. SOHR said the toll included 231 members of the security forces and 250 gunmen loyal to the former regime.

Amnesty International said on April 3 that it had investigated the killing of 32 people in Baniyas on March 8 and 9, and that at least 100 people had been killed in the city.

The UN human rights office said it had verified the killing of 111 civilians by March 11, and that the real number was likely to be much higher. OHCHR spokesperson Thameen Al-Kheetan said entire families, including women, children and fighters hors de combat, were killed.

Civil defence teams said they had carried out 347 missions between March 7 and March 12 and recovered 114 bodies. The White Helmets said 16,000 people had fled to the Hmeimim air base.

Some 21,000 people have crossed into Lebanon's Akkar district, according to the UNHCR, while local officials put the figure at nearly 30,000.
";

/// A round-up of several monitors, agencies and rescuers: statement days ("said on April
/// 3") are the as-of days, not the days of the killings they report.
#[test]
fn roundup_of_several_sources_in_english() {
    check(
        ROUNDUP_EN,
        "2025-04-05",
        expect![[r#"
        1383 - killed_civilians by=Syrian Observatory for Human Rights (SOHR) asof=2025-04-05
        231 - killed_security by=SOHR asof=2025-04-05
        250 - killed_fighters by=SOHR asof=2025-04-05
        32 - killed by=Amnesty International asof=2025-04-03 at=Baniyas
        100 at_least killed by=Amnesty International asof=2025-04-05 at=Baniyas
        111 - killed_civilians by=UN human rights office asof=2025-03-11
        347 - rescue_missions by=Civil defence teams asof=2025-03-12
        114 - bodies_recovered by=Civil defence teams asof=2025-03-12
        16000 - people_displaced by=White Helmets asof=2025-04-05 at=Hmeimim
        21000 about people_displaced by=UNHCR asof=2025-04-05 at=Akkar
        30000 nearly people_displaced by=local officials asof=2025-04-05 at=Akkar
    "#]],
    );
}

const ROUNDUP_AR: &str = "\
وثّق المرصد السوري لحقوق الإنسان مقتل ١٥٥٧ مدنياً في مناطق الساحل وجبال اللاذقية منذ السادس من آذار، بينهم نساء وأطفال، في حين بلغ عدد قتلى عناصر الأمن العام ٢٧٣ عنصراً.

وقال الدفاع المدني السوري إن فرقه نفّذت ٢١٧ مهمة خلال ثلاثة أيام، وانتشلت جثامين ٨٧ شخصاً من بلدات ريف بانياس.

ونقلت وكالة الأنباء الرسمية عن مصدر في وزارة الداخلية أن أكثر من ٢٠٠ شخص اعتُقلوا للاشتباه بتورطهم في الانتهاكات.

وبحسب المفوضية السامية للأمم المتحدة لشؤون اللاجئين، عبر نحو ١٥ ألف شخص إلى شمال لبنان، فيما لجأ آلاف آخرون إلى قاعدة حميميم الجوية.

وأعلنت جمعية الساحل للإغاثة أنها وزّعت ٤٢٠٠ سلة غذائية و١٢ ألف ربطة خبز على العائلات النازحة خلال أسبوع.
";

/// An Arabic round-up: monitors, civil defence, the official agency, the refugee agency and
/// a relief association, whose names go on past a word of their purpose (للإغاثة, لشؤون
/// اللاجئين) without being cut there.
#[test]
fn roundup_of_several_sources_in_arabic() {
    check(
        ROUNDUP_AR,
        "2025-03-15",
        expect![[r#"
        1557 - killed_civilians by=المرصد السوري لحقوق الإنسان asof=2025-03-15 at=Latakia
        273 - killed_security by=المرصد السوري لحقوق الإنسان asof=2025-03-15 at=Latakia
        217 - rescue_missions by=الدفاع المدني السوري asof=2025-03-15 at=Baniyas
        87 - bodies_recovered by=الدفاع المدني السوري asof=2025-03-15 at=Baniyas
        200 over detained by=وكالة الأنباء الرسمية asof=2025-03-15
        15000 about people_displaced by=المفوضية السامية للأمم المتحدة لشؤون اللاجئين asof=2025-03-15 at=Lebanon
        ? indefinite people_displaced by=المفوضية السامية للأمم المتحدة لشؤون اللاجئين asof=2025-03-15 at=Hmeimim
        4200 - food_baskets by=جمعية الساحل للإغاثة asof=2025-03-15
        12000 - loaves by=جمعية الساحل للإغاثة asof=2025-03-15
    "#]],
    );
}
