//! Whole news-style articles about the March 2025 coastal killings, in English and
//! Arabic, written for these tests in the manner of wire reports and monitors' updates
//! (attributions, Arabic-Indic digits, ranges, "dozens", years, dates and footnote marks
//! that are not claims). Each article is run as one text, as a pasted document is.
//!
//! Errors these articles once showed, now fixed and tried in other wordings in rules.rs:
//! a headline toll read as `incidents`, 298 referred suspects read as killed, "According
//! to the report" without its claimant, and the day of the attacks taken as the as-of date;
//! later, a rising toll ("climbs past 1,300") without its qualifier, a month or a town
//! ("in March", "from Baniyas") or half a name ("-Farhan") read as the claimant, "the
//! UK-based monitor" not resolved to the monitor named before, people interviewed or
//! trapped counted as killed after a sentence about the dead, "Reuters found that" read
//! as bodies found, and a killing's day ("killed 30 men on March 7") as the as-of date.
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
            ? indefinite families_displaced by=SNHR asof=2025-03-17
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

const LIVE_EN: &str = "\
Live: Death toll from Syria coastal violence climbs past 1,300

Monday, 10 March 2025

09:15 GMT – Monitor raises toll
The Syrian Observatory for Human Rights now says 1,311 people have been killed since Thursday, including 830 civilians. The UK-based monitor says 231 members of the security forces and 250 fighters loyal to the former government are among the dead.

10:40 GMT – Civil defence recovers bodies
The Syria Civil Defence, known as the White Helmets, said its teams had recovered 78 bodies from streets and homes in the countryside of Jableh and Latakia over the past two days. It said 24 teams carried out 96 missions.

12:05 GMT – Thousands shelter at air base
An estimated 8,000 people are sheltering at Hmeimim air base near Jableh, a spokesman for the base told Russian media. Others said they had spent nights in the woods with their children.

14:30 GMT – Ministry figures
The interior ministry said that 273 members of the security forces had been killed since the start of the attacks, while about 400 gunmen had been arrested. It gave no figure for civilians.

16:00 GMT – Lebanon
Lebanese Red Cross volunteers said they had registered roughly 1,200 families arriving in Akkar over the weekend. Lebanese army sources put the number of people who crossed at nearly 6,000.
";

/// A live page: timed entries, a monitor's rising toll ("climbs past"), "the UK-based
/// monitor" for the monitor named just before, bodies and missions, a base's spokesman,
/// arrests, and families registered on arrival in Lebanon.
#[test]
fn live_page_in_english() {
    check(
        LIVE_EN,
        "2025-03-10",
        expect![[r#"
        1300 over killed asof=2025-03-10 at=Syria
        1311 - killed by=Syrian Observatory for Human Rights asof=2025-03-10
        830 - killed_civilians by=Syrian Observatory for Human Rights asof=2025-03-10
        231 - killed_security by=Syrian Observatory for Human Rights asof=2025-03-10
        250 - killed_fighters by=Syrian Observatory for Human Rights asof=2025-03-10
        78 - bodies_recovered by=White Helmets asof=2025-03-10 at=Jableh
        96 - rescue_missions by=White Helmets asof=2025-03-10
        ? indefinite people_displaced asof=2025-03-10
        8000 about people_displaced by=spokesman for the base asof=2025-03-10 at=Hmeimim
        273 - killed_security by=interior ministry asof=2025-03-10
        400 about detained by=interior ministry asof=2025-03-10
        1200 about families_displaced by=Lebanese Red Cross volunteers asof=2025-03-10 at=Akkar
        6000 nearly people_displaced by=Lebanese army sources asof=2025-03-10
    "#]],
    );
}

const INQUIRY_EN: &str = "\
Syria inquiry says 1,426 killed in coastal violence, refers 298 suspects

DAMASCUS, July 22, 2025 – A national committee investigating the violence on Syria's coast in March said on Tuesday it had identified 1,426 people killed, most of them civilians, including 90 women.

Committee spokesman Yasser al-Farhan told a news conference in Damascus that 238 members of the army and security forces had also been killed in the attacks that began on March 6. The committee identified 298 people suspected of taking part in violations and referred their names to the judiciary, he said.

The committee said it had heard 938 testimonies and visited 33 sites during its four months of work. It said 20 people had disappeared and their fate was unknown.

Earlier tallies ranged widely. The Syrian Network for Human Rights has put the toll at 1,662, while the Syrian Observatory for Human Rights said in April that 1,700 civilians had been killed. An investigation by Reuters found that about 1,500 Alawites were killed and dozens remained missing.
";

/// An inquiry's findings as a wire story: the subject before a participle ("A national
/// committee investigating …"), its spokesman with "al-", the day the attacks began (not
/// the as-of day), suspects and testimonies (not tolls), earlier tallies by others.
#[test]
fn inquiry_press_report_in_english() {
    check(
        INQUIRY_EN,
        "2025-07-22",
        expect![[r#"
        1426 - killed by=Syria inquiry asof=2025-07-22 at=Syria
        298 - other by=Syria inquiry asof=2025-07-22 at=Syria
        1426 - killed by=national committee asof=2025-07-22 at=Damascus
        90 - killed by=national committee asof=2025-07-22 at=Damascus
        238 - killed_security by=Committee spokesman Yasser al-Farhan asof=2025-07-22 at=Damascus
        298 - other by=national committee asof=2025-07-22
        938 - other by=national committee asof=2025-07-22
        20 - missing by=national committee asof=2025-07-22
        1662 - killed by=Syrian Network for Human Rights asof=2025-07-22
        1700 - killed_civilians by=Syrian Observatory for Human Rights asof=2025-07-22
        1500 about killed by=Reuters asof=2025-07-22
        ? indefinite missing by=Reuters asof=2025-07-22
    "#]],
    );
}

const UN_BRIEFING_EN: &str = "\
Syria: UN rights chief calls for prompt, transparent investigations into coastal killings

GENEVA (11 March 2025) – The UN Human Rights Office has so far verified the killing of 111 civilians in the coastal areas, and the figure is expected to rise significantly, spokesperson Thameen Al-Kheetan told journalists on Tuesday. Of those verified, 90 were men, 18 were women and 3 were children.

\"Whole families, including women, children and fighters hors de combat, were killed,\" he said. The office is still receiving reports and has not been able to verify many of them.

According to UNHCR, some 21,000 people have crossed into northern Lebanon since 6 March, most of them women and children. Around 9,000 are staying in the Hmeimim air base, the agency added.

The Office of the High Commissioner, which has documented violations in Syria since 2011, said it had received reports of 46 summary executions in Baniyas alone. Two of its staff members were among those trapped for 48 hours in the town.
";

/// A UN briefing: "has so far verified", a breakdown sentence ("Of those verified …")
/// carrying the attribution, a claimant before a relative clause, "the agency", staff
/// trapped (not killed), and durations that are not claims.
#[test]
fn un_briefing_in_english() {
    check(
        UN_BRIEFING_EN,
        "2025-03-11",
        expect![[r#"
        111 - killed_civilians by=UN Human Rights Office asof=2025-03-11
        90 - killed by=spokesperson Thameen Al-Kheetan asof=2025-03-11
        18 - killed by=spokesperson Thameen Al-Kheetan asof=2025-03-11
        3 - killed by=spokesperson Thameen Al-Kheetan asof=2025-03-11
        21000 about people_displaced by=UNHCR asof=2025-03-11 at=Lebanon
        9000 about people_displaced by=UNHCR asof=2025-03-11 at=Hmeimim
        46 - killed by=Office of the High Commissioner asof=2025-03-11 at=Baniyas
        2 - people asof=2025-03-11
    "#]],
    );
}

const RIGHTS_GROUP_EN: &str = "\
Syria: Coastal Killings Demand Accountability

(Beirut, April 3, 2025) – Syrian government forces and affiliated armed groups summarily executed dozens of people in Alawite-majority areas in early March 2025, Human Rights Watch said today. Human Rights Watch interviewed 22 people, including 15 witnesses and relatives of victims, and analyzed 74 videos and photographs.

The Syrian Network for Human Rights, an independent monitor, documented at least 1,084 people killed between March 6 and March 13, of whom 211 were members of government forces.

In the village of al-Mukhtariya, residents said gunmen killed at least 30 men on March 7. A man from Baniyas said that 12 members of his extended family, including a 5-year-old girl, were shot dead.

Human Rights Watch previously documented abuses in 2012 and 2013. The group called on the authorities to grant access to the UN Commission of Inquiry, which was established in 2011 and has published more than 30 reports.
";

/// A rights group's report: people interviewed (not victims), "a man from Baniyas",
/// a killing on a given day (an event day, not the as-of day), years that are not claims.
#[test]
fn rights_group_report_in_english() {
    check(
        RIGHTS_GROUP_EN,
        "2025-04-03",
        expect![[r#"
        ? indefinite killed by=Human Rights Watch asof=2025-04-03
        22 - people asof=2025-04-03
        15 - people asof=2025-04-03
        1084 at_least killed by=Syrian Network for Human Rights asof=2025-03-13
        211 - killed_security by=Syrian Network for Human Rights asof=2025-03-13
        30 at_least killed by=residents asof=2025-04-03 at=Mukhtariya
        12 - killed by=man from Baniyas asof=2025-04-03 at=Baniyas
    "#]],
    );
}

const NEWS_AR: &str = "\
ارتفاع حصيلة ضحايا الساحل السوري

أعلن المرصد السوري لحقوق الإنسان، اليوم الثلاثاء 11 آذار 2025، ارتفاع حصيلة القتلى في الساحل السوري إلى 1383 مدنياً، بينهم نساء وأطفال، منذ بدء الأحداث يوم الخميس الماضي.

ووثقت الشبكة السورية لحقوق الإنسان مقتل ما لا يقل عن 803 أشخاص خارج نطاق القانون بين 6 و10 آذار، بينهم 39 طفلاً و49 سيدة، وقالت إن الحصيلة مرشحة للارتفاع.

وقال الدفاع المدني السوري إن فرقه انتشلت جثامين 47 شخصاً في ريف بانياس خلال يومين، ونفذت 31 مهمة إنقاذ.

وبحسب مصادر محلية، لجأ نحو تسعة آلاف شخص إلى قاعدة حميميم، فيما نزح أكثر من ألفي عائلة إلى ريف عكار في لبنان.

وقالت وزارة الداخلية إن أكثر من مئتي عنصر من قوات الأمن قتلوا منذ السادس من آذار.
";

/// An Arabic news site: a monitor's rising toll, "ما لا يقل عن", children and women
/// among the dead, civil defence, numbers in words (تسعة آلاف، ألفي، مئتي).
#[test]
fn news_site_in_arabic() {
    check(
        NEWS_AR,
        "2025-03-11",
        expect![[r#"
        1383 - killed_civilians by=المرصد السوري لحقوق الإنسان asof=2025-03-11
        803 at_least killed by=الشبكة السورية لحقوق الإنسان asof=2025-03-10
        39 - killed by=الشبكة السورية لحقوق الإنسان asof=2025-03-10
        49 - killed by=الشبكة السورية لحقوق الإنسان asof=2025-03-10
        47 - bodies_recovered by=الدفاع المدني السوري asof=2025-03-11 at=Baniyas
        31 - rescue_missions by=الدفاع المدني السوري asof=2025-03-11 at=Baniyas
        9000 about people_displaced by=مصادر محلية asof=2025-03-11 at=Hmeimim
        2000 over families_displaced by=مصادر محلية asof=2025-03-11 at=Akkar
        200 over killed_security by=وزارة الداخلية asof=2025-03-11
    "#]],
    );
}

const RELIEF_AR: &str = "\
مبادرة أهلية توزع المساعدات في ريف اللاذقية وطرطوس

وزعت شبكة من ثماني منظمات محلية خلال ستة أيام 1040 سلة غذائية و15 ألف ربطة خبز و2500 وجبة جاهزة، إضافة إلى مواد النظافة، ووصلت المساعدات إلى نحو 30 ألف مستفيد، بحسب منسق الحملة.

وشارك في الحملة أكثر من 350 متطوعاً، وقدمت مساعدات نقدية لـ300 عائلة.

وقال المنسق إن الفرق عقدت 6 جلسات حوار مجتمعي مع وجهاء وأهالي وناشطين في جبلة وبانياس.
";

/// A relief campaign's news in Arabic: baskets, bundles of bread, meals, beneficiaries,
/// volunteers, cash for families and dialogue sessions.
#[test]
fn relief_campaign_in_arabic() {
    check(
        RELIEF_AR,
        "2025-03-18",
        expect![[r#"
        1040 - food_baskets by=منسق الحملة asof=2025-03-18
        15000 - loaves by=منسق الحملة asof=2025-03-18
        2500 - meals by=منسق الحملة asof=2025-03-18
        30000 about beneficiaries by=منسق الحملة asof=2025-03-18
        350 over volunteers asof=2025-03-18
        300 - cash_families asof=2025-03-18
    "#]],
    );
}
