//! The extractor's fixture table: real-style report sentences in English and Arabic, each
//! with the claims it must yield (one line per claim), covering every rule and every kind
//! of number that is not a claim.

use expect_test::{Expect, expect};
use sijill_claims::{Date, Options, extract};

fn render(text: &str, opts: &Options) -> String {
    let mut out = String::new();
    for c in extract(text, opts) {
        let fig = match (c.value, c.low, c.high) {
            (Some(v), _, _) => v.to_string(),
            (None, Some(l), Some(h)) => format!("{l}..{h}"),
            _ => "?".to_string(),
        };
        let q = c.qualifier.map_or("-", |q| q.as_str());
        out.push_str(&format!(
            "{fig} {q} {} [{}]",
            c.measure.as_str(),
            c.measure_phrase
        ));
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
fn check(text: &str, expect: Expect) {
    expect.assert_eq(&render(text, &Options::default()));
}

#[track_caller]
fn check_dated(text: &str, date: &str, expect: Expect) {
    let opts = Options {
        doc_date: Some(Date::parse_iso(date).expect("fixture date")),
        ..Options::default()
    };
    expect.assert_eq(&render(text, &opts));
}

// --- The figures of the March 2025 reports ---------------------------------------------

#[test]
fn monitor_over_973_civilians() {
    check(
        "The Syrian Observatory for Human Rights said it had documented the killing of over 973 civilians in Latakia, Tartous and Hama.",
        expect![[r#"
            973 over killed_civilians [civilians] by=Syrian Observatory for Human Rights at=Latakia
        "#]],
    );
}

#[test]
fn nested_fatalities_become_separate_claims() {
    check(
        "The Syrian Network for Human Rights recorded 779 fatalities (383 attributed to former-regime loyalists, 396 to reprisals by factions affiliated with the security administration).",
        expect![[r#"
            779 - killed [fatalities] by=Syrian Network for Human Rights
            383 - killed [] by=Syrian Network for Human Rights
            396 - killed [] by=Syrian Network for Human Rights
        "#]],
    );
}

#[test]
fn civilian_deaths_by_a_date() {
    check(
        "A third monitor counted 9,372 civilian deaths by 10 March 2025.",
        expect![[r#"
            9372 - killed_civilians [civilian deaths] by=third monitor asof=2025-03-10
        "#]],
    );
}

#[test]
fn bare_figure_takes_the_measure_before_it() {
    check(
        "Another group put the death toll at 14,763 by 13 March.",
        expect![[r#"
            14763 - killed [] by=group asof=--03-13
        "#]],
    );
}

#[test]
fn coordinated_figures_share_the_event() {
    check(
        "Over 740 civilians and 300 security personnel were killed, the monitor said.",
        expect![[r#"
            740 over killed_civilians [civilians] by=monitor
            300 - killed_security [security personnel] by=monitor
        "#]],
    );
}

#[test]
fn activists_over_1400() {
    check(
        "Activists say over 1,400 civilians were killed in Jableh and Baniyas.",
        expect![[r#"
        1400 over killed_civilians [civilians] by=Activists at=Jableh
    "#]],
    );
}

#[test]
fn families_and_people_in_akkar() {
    check(
        "Thousands fled across the border into Lebanon. By the governor's count, 1,476 families (6,078 people) had arrived in 15 towns of Akkar, while local officials said 12,000 had crossed.",
        expect![[r#"
            ? indefinite people_displaced [] at=Lebanon
            1476 - families_displaced [families] by=governor at=Akkar
            6078 - people_displaced [people] by=governor at=Akkar
            12000 - people_displaced [] by=local officials at=Akkar
        "#]],
    );
}

#[test]
fn sheltered_at_an_air_base() {
    check(
        "Over 9,000 people sheltered at the Hmeimim air base, according to the UN refugee agency.",
        expect![[r#"
            9000 over people_displaced [people] by=UN refugee agency at=Hmeimim
        "#]],
    );
}

#[test]
fn relief_campaign_figures() {
    check(
        "Over six days the network distributed over 1,000 food baskets, 15,000 loaves of bread, 2,500 ready meals, hygiene kits and cash for 300 families, reaching ~30,000 beneficiaries with 350+ volunteers.",
        expect![[r#"
            1000 over food_baskets [food baskets]
            15000 - loaves [loaves of bread]
            2500 - meals [ready meals]
            300 - cash_families [families]
            30000 about beneficiaries [beneficiaries]
            350 over volunteers [volunteers]
        "#]],
    );
}

#[test]
fn rescue_missions_and_bodies() {
    check(
        "The civil defence said its teams ran ~30 rescue missions a day and recovered over 100 bodies, some with signs of binding.",
        expect![[r#"
            30 about rescue_missions [rescue missions] by=civil defence
            100 over bodies_recovered [bodies] by=civil defence
        "#]],
    );
}

// --- Numbers in words, scales, ranges, qualifiers --------------------------------------

#[test]
fn english_number_words_and_scales() {
    check(
        "Three hundred people were displaced from Qardaha. Around 1.5 million people need aid, the UN said. Dozens of civilians were killed in Baniyas.",
        expect![[r#"
            300 - people_displaced [people] at=Qardaha
            1500000 about people_in_need [people] by=UN
            ? indefinite killed_civilians [civilians] at=Baniyas
        "#]],
    );
}

#[test]
fn ranges_in_english() {
    check(
        "Between 700 and 800 people were killed, while 20-30 bodies were recovered and from 5,000 to 6,000 families fled.",
        expect![[r#"
            700..800 - killed [people]
            20..30 - bodies_recovered [bodies]
            5000..6000 - families_displaced [families]
        "#]],
    );
}

#[test]
fn rising_toll_is_not_a_range() {
    check(
        "The toll rose from 779 to 973 on Sunday, the Observatory said.",
        expect![[r#"
        779 - killed [] by=Observatory
        973 - killed [] by=Observatory
    "#]],
    );
}

#[test]
fn qualifiers_in_english() {
    check(
        "At least 200 were wounded; nearly 50 remain missing; up to 1,000 were detained; fewer than 10 bodies were identified; 500 or more families fled.",
        expect![[r#"
            200 at_least injured [wounded]
            50 nearly missing [remain missing]
            1000 up_to detained [detained]
            10 under bodies_recovered [bodies]
            500 at_least families_displaced [families]
        "#]],
    );
}

#[test]
fn claimant_after_the_quote() {
    check(
        "\"More than 1,500 people have been killed,\" said Rami Abdel Rahman, head of the Observatory.",
        expect![[r#"
            1500 over killed [people] by=Rami Abdel Rahman
        "#]],
    );
}

#[test]
fn passive_attribution() {
    check(
        "At least 803 killings were documented by SNHR in Tartous.",
        expect![[r#"
        803 at_least killed [killings] by=SNHR at=Tartous
    "#]],
    );
}

#[test]
fn pronoun_resolves_to_the_previous_claimant() {
    check(
        "The Syrian Network for Human Rights said on Monday that it had documented 803 deaths. It said 39 were children.",
        expect![[r#"
            803 - killed [deaths] by=Syrian Network for Human Rights
            39 - killed [children] by=Syrian Network for Human Rights
        "#]],
    );
}

// --- Arabic -----------------------------------------------------------------------------

#[test]
fn arabic_observatory_over_973() {
    check(
        "وثّق المرصد السوري لحقوق الإنسان مقتل أكثر من ٩٧٣ مدنياً في اللاذقية وطرطوس حتى 10 آذار/مارس 2025.",
        expect![[r#"
            973 over killed_civilians [مدنياً] by=المرصد السوري لحقوق الإنسان asof=2025-03-10 at=Latakia
        "#]],
    );
}

#[test]
fn arabic_according_to() {
    check(
        "وبحسب الشبكة السورية لحقوق الإنسان، قُتل ما لا يقل عن 803 أشخاص، بينهم 39 طفلاً.",
        expect![[r#"
            803 at_least killed [أشخاص] by=الشبكة السورية لحقوق الإنسان
            39 - killed [طفلاً] by=الشبكة السورية لحقوق الإنسان
        "#]],
    );
}

#[test]
fn arabic_number_words_and_duals() {
    check(
        "قال الدفاع المدني إن فرقه انتشلت نحو مئة جثة، وأنقذت ألفي شخص، ونفذت قرابة ثلاثين مهمة إنقاذ يومياً في جبلة.",
        expect![[r#"
            100 about bodies_recovered [جثة] by=الدفاع المدني at=Jableh
            2000 - people_rescued [شخص] by=الدفاع المدني at=Jableh
            30 nearly rescue_missions [مهمة إنقاذ] by=الدفاع المدني at=Jableh
        "#]],
    );
}

#[test]
fn arabic_displacement_in_akkar() {
    check(
        "أعلن محافظ عكار وصول ١٬٤٧٦ عائلة (٦٠٧٨ شخصاً) إلى 15 بلدة في عكار، فيما قدّر ناشطون العدد بـ 12 ألف نازح.",
        expect![[r#"
            1476 - families_displaced [عائلة] by=محافظ عكار at=Akkar
            6078 - people_displaced [شخصاً] by=محافظ عكار at=Akkar
            12000 - people_displaced [نازح] by=ناشطون at=Akkar
        "#]],
    );
}

#[test]
fn arabic_relief_figures() {
    check(
        "ووزعت الشبكة أكثر من ألف سلة غذائية و15 ألف ربطة خبز و2500 وجبة جاهزة ومساعدات نقدية لـ300 عائلة، واستفاد منها نحو 30 ألف شخص بمشاركة 350 متطوعاً.",
        expect![[r#"
            1000 over food_baskets [سلة غذائية]
            15000 - loaves [ربطة خبز]
            2500 - meals [وجبة جاهزة]
            300 - cash_families [عائلة]
            30000 about beneficiaries [شخص]
            350 - volunteers [متطوعاً]
        "#]],
    );
}

#[test]
fn arabic_ranges_and_indefinite() {
    check(
        "نزح ما بين 700 و800 شخص من بانياس، ومن 20 إلى 30 عائلة من القدموس، فيما لجأ آلاف المدنيين إلى الأحراج وفر عشرات الآلاف إلى لبنان.",
        expect![[r#"
            700..800 - people_displaced [شخص] at=Baniyas
            20..30 - families_displaced [عائلة] at=Qadmus
            ? indefinite people_displaced [المدنيين] at=Lebanon
            ? indefinite people_displaced [] at=Lebanon
        "#]],
    );
}

#[test]
fn arabic_qualifiers() {
    check(
        "أفاد ناشطون بمقتل حوالي 40 شخصاً، وإصابة ما يزيد عن 60 آخرين، وفقاً للمرصد، فيما لا يزال 25 شخصاً على الأقل في عداد المفقودين.",
        expect![[r#"
            40 about killed [شخصاً] by=ناشطون
            60 over injured [آخرين] by=ناشطون
            25 at_least missing [شخصاً] by=المرصد
        "#]],
    );
}

#[test]
fn arabic_compound_words() {
    check(
        "قُتل مئة وخمسون مدنياً وأحد عشر عنصراً من الأمن العام، ونزحت ثلاثة آلاف وخمسمائة عائلة.",
        expect![[r#"
            150 - killed_civilians [مدنياً]
            11 - killed_security [عنصراً من الأمن العام]
            3500 - families_displaced [عائلة]
        "#]],
    );
}

// --- What is not a claim ----------------------------------------------------------------

#[test]
fn years_dates_times_are_not_claims() {
    check(
        "In 2025, on 6 March at 10:30, fighting began; by March 13 it had spread. The 2011 uprising is long past.",
        expect![[r#"
            (none)
        "#]],
    );
}

#[test]
fn footnotes_ages_durations_are_not_claims() {
    check(
        "A 70-year-old man was killed in Jableh.[12] The campaign lasted six days and rescuers worked for 48 hours; a man aged 35 was shot.",
        expect![[r#"
            (none)
        "#]],
    );
}

#[test]
fn ids_phones_percentages_ordinals_are_not_claims() {
    check(
        "Under Resolution 2254, on the M4 highway, call +963 11 234 5678 or 0933-123-456; 40% of homes were hit on the 3rd day; see Article 12 and report No. 45.",
        expect![[r#"
            (none)
        "#]],
    );
}

#[test]
fn arabic_non_claims() {
    check(
        "في عام 2025، وفي الساعة 10 صباحاً، قُتل رجل يبلغ من العمر 70 عاماً بعد حصار دام ستة أيام، أي ما نسبته 40 بالمئة، وفق القرار 2254.",
        expect![[r#"
            (none)
        "#]],
    );
}

// --- Document date ----------------------------------------------------------------------

#[test]
fn document_date_gives_the_year_and_the_default_as_of() {
    check_dated(
        "The monitor said 1,500 people were killed by 8 March. Another 200 families fled to Tripoli.",
        "2025-03-14",
        expect![[r#"
            1500 - killed [people] by=monitor asof=2025-03-08
            200 - families_displaced [families] asof=2025-03-14 at=Tripoli
        "#]],
    );
}

#[test]
fn empty_and_numberless_text() {
    check(
        "",
        expect![[r#"
        (none)
    "#]],
    );
    check(
        "No figures here, only words.",
        expect![[r#"
        (none)
    "#]],
    );
}

#[test]
fn including_and_copula_take_the_noun_of_the_part() {
    check(
        "The death toll has risen to 1,383, including 1,130 civilians, the Observatory said on Monday. Of the 1,225 people killed, 830 were civilians.",
        expect![[r#"
            1383 - killed [] by=Observatory
            1130 - killed_civilians [civilians] by=Observatory
            1225 - killed [people killed]
            830 - killed_civilians [civilians]
        "#]],
    );
}

#[test]
fn a_tally_belongs_to_its_owner() {
    check(
        "An AFP tally put the toll at 1,068. Up to 1,700 people may have been killed, according to estimates by the Syrian Observatory.",
        expect![[r#"
            1068 - killed [] by=AFP
            1700 up_to killed [people] by=Syrian Observatory
        "#]],
    );
}

#[test]
fn populations_and_compound_adjectives_are_not_claims() {
    check(
        "Latakia's population of 1.2 million was cut off from power. The 1,000-strong force entered Jableh with 40 vehicles.",
        expect![[r#"
            (none)
        "#]],
    );
}

#[test]
fn money_and_words_after_a() {
    check(
        "Donors pledged $2.5 million in aid. A dozen bodies were found and nearly a thousand people fled.",
        expect![[r#"
            2500000 - money []
            12 - bodies_recovered [bodies]
            1000 nearly people_displaced [people]
        "#]],
    );
}

#[test]
fn arabic_tolls_duals_and_evacuations() {
    check(
        "ارتفعت حصيلة ضحايا المجازر إلى 1225 قتيلاً، بينهم 830 مدنياً. وأحصى ناشطون أكثر من مئتي قتيل وعشرات الجثث في الشوارع. ونزحت نحو ألفي عائلة، فيما وصل ما يزيد على ثلاثة آلاف نازح إلى طرطوس. وأجلت فرق الهلال الأحمر 250 عائلة من بانياس.",
        expect![[r#"
            1225 - killed [قتيلاً]
            830 - killed_civilians [مدنياً]
            200 over killed [قتيل] by=ناشطون
            ? indefinite bodies_recovered [الجثث] by=ناشطون
            2000 about families_displaced [عائلة] at=Tartous
            3000 over people_displaced [نازح] at=Tartous
            250 - families_displaced [عائلة] at=Baniyas
        "#]],
    );
}

#[test]
fn arabic_subject_before_the_toll() {
    check(
        "وأعلنت وزارة الصحة السورية أن عدد القتلى وصل إلى 300. ولقي 12 شخصاً حتفهم في جبلة، بينما قتل ثمانية عناصر من الأمن العام. ووزّع الهلال الأحمر العربي السوري ٥٬٠٠٠ حصة غذائية في ٣ محافظات خلال ٢٤ ساعة.",
        expect![[r#"
            300 - killed [] by=وزارة الصحة السورية
            12 - killed [شخصاً] at=Jableh
            8 - killed_security [عناصر من الأمن العام] at=Jableh
            5000 - food_baskets [حصة غذائية]
        "#]],
    );
}

#[test]
fn scale_of_the_upper_end_applies_to_the_range() {
    check(
        "Between 15 and 20 thousand people fled. ونزح ما بين 15 و20 ألفاً. Half a million people need aid.",
        expect![[r#"
            15000..20000 - people_displaced [people]
            15000..20000 - people_displaced []
            500000 - people_in_need [people]
        "#]],
    );
}

#[test]
fn years_before_events_times_and_member_states_are_not_claims() {
    check(
        "The 1982 Hama massacre is remembered. The attack began at 3 p.m. on Friday. The UN's 193 member states were briefed. In 2000 families fled. وفي عام 2011 نزحت 2000 عائلة.",
        expect![[r#"
            2000 - families_displaced [عائلة]
        "#]],
    );
}

#[test]
fn generic_sources_are_claimants_and_arabic_quotes_end_the_name() {
    check(
        "Sources said 40 people were executed. قال مصدر أمني لـ\"عنب بلدي\" إن 20 عنصراً قتلوا.",
        expect![[r#"
            40 - killed [people] by=Sources
            20 - killed_security [عنصراً] by=مصدر أمني
        "#]],
    );
}

#[test]
fn owners_of_tolls_and_reports() {
    check(
        "The Observatory's latest toll stood at 1,557 on Tuesday. وفي حصيلة جديدة للمرصد السوري لحقوق الإنسان، ارتفع عدد القتلى إلى 1557. وأشار تقرير لمنظمة العفو الدولية إلى مقتل 32 مدنياً في بانياس. وبحسب ما أفاد به المرصد، قتل 40 شخصاً.",
        expect![[r#"
            1557 - killed [] by=Observatory
            1557 - killed [] by=المرصد السوري لحقوق الإنسان
            32 - killed_civilians [مدنياً] by=منظمة العفو الدولية at=Baniyas
            40 - killed [شخصاً] by=المرصد السوري لحقوق الإنسان
        "#]],
    );
}

#[test]
fn ages_between_commas_and_reading_times_are_not_claims() {
    check(
        "Abu Ali, 45, said his brother was killed. It is a 5 min read.",
        expect![[r#"
            (none)
        "#]],
    );
}

#[test]
fn members_of_a_family_are_not_security_and_one_is_not_a_toll() {
    check(
        "Seven members of one family were killed in Baniyas. The bodies of 25 people were found in a mass grave near Qardaha. Amnesty International said it had verified 32 killings in Baniyas on 8 and 9 March.",
        expect![[r#"
            7 - killed [members] at=Baniyas
            25 - bodies_recovered [people] at=Qardaha
            32 - killed [killings] by=Amnesty International asof=--03-09 at=Baniyas
        "#]],
    );
}

#[test]
fn the_number_restates_the_previous_count() {
    check(
        "About 10,000 people crossed into Lebanon, the UN said. Lebanese army sources put the number at 12,000.",
        expect![[r#"
            10000 about people_displaced [people] by=UN at=Lebanon
            12000 - people_displaced [] by=Lebanese army sources
        "#]],
    );
}

#[test]
fn a_date_belongs_to_its_own_part_of_the_sentence() {
    check(
        "The Observatory put the toll at 1,383 civilians, while the Syrian Network for Human Rights says at least 803 people were killed between March 6 and 10. By 10 March, 740 civilians had been killed, the monitor said.",
        expect![[r#"
            1383 - killed_civilians [civilians] by=Observatory
            803 at_least killed [people] by=Syrian Network for Human Rights asof=--03-10
            740 - killed_civilians [civilians] by=Syrian Network for Human Rights asof=--03-10
        "#]],
    );
}

#[test]
fn a_place_in_the_clause_is_not_the_claimant() {
    check(
        "Two people were killed and three others wounded when gunmen opened fire on a car near Jableh on Monday, the state news agency SANA reported. ونقلت وكالة الأنباء السورية (سانا) عن مصدر أن ٢٠ شخصاً قتلوا.",
        expect![[r#"
            2 - killed [people] by=state news agency SANA at=Jableh
            3 - injured [others wounded] by=state news agency SANA at=Jableh
            20 - killed [شخصاً] by=وكالة الأنباء السورية
        "#]],
    );
}

// --- Whole reports (tests/data) ---------------------------------------------------------

#[test]
fn wire_report_in_english() {
    check(
        include_str!("data/wire-en.txt"),
        expect![[r#"
            1000 over killed [people] by=war monitor asof=--03-10 at=Damascus
            745 - killed_civilians [civilians] by=Syrian Observatory for Human Rights asof=--03-10
            125 - killed_security [members of the government security forces] by=Syrian Observatory for Human Rights asof=--03-10
            148 - killed_fighters [militants] by=Syrian Observatory for Human Rights asof=--03-10
            30 - incidents [massacres] by=Rami Abdulrahman asof=--03-10
            5000 about people_displaced [people] by=Lebanese officials asof=--03-10 at=Lebanon
            1500 about people_displaced [] by=Lebanese officials asof=--03-10 at=Hmeimim
            803 at_least killed [people] by=Syrian Network for Human Rights (SNHR) asof=--03-10
            39 - killed [children] by=Syrian Network for Human Rights (SNHR) asof=--03-10
            49 - killed [women] by=Syrian Network for Human Rights (SNHR) asof=--03-10
        "#]],
    );
}

#[test]
fn news_report_in_arabic() {
    check(
        include_str!("data/news-ar.txt"),
        expect![[r#"
        1500 over killed []
        1311 - killed [شخصاً] by=المرصد السوري لحقوق الإنسان
        973 - killed_civilians [مدنياً] by=المرصد السوري لحقوق الإنسان
        231 - killed_security [عنصراً من قوات الأمن] by=المرصد السوري لحقوق الإنسان
        250 - killed_fighters [مسلحاً من فلول النظام] by=المرصد السوري لحقوق الإنسان
        803 at_least killed [أشخاص] by=الشبكة السورية لحقوق الإنسان asof=--03-10
        39 - killed [طفلاً] by=الشبكة السورية لحقوق الإنسان asof=--03-10
        49 - killed [سيدة] by=الشبكة السورية لحقوق الإنسان asof=--03-10
        1476 about families_displaced [عائلة] by=مصادر محلية at=Akkar
        6078 nearly people_displaced [شخصاً] by=مصادر محلية at=Akkar
        12000 about people_displaced [] by=فعاليات محلية at=Akkar
        30 nearly rescue_missions [مهمة إنقاذ] by=الدفاع المدني السوري
        100 over bodies_recovered [جثة] by=الدفاع المدني السوري
        9000 over people_displaced [شخص] by=الأمم المتحدة at=Hmeimim
        ? indefinite people_displaced [آخرون] by=الأمم المتحدة at=Hmeimim
        1000 over food_baskets [سلة غذائية]
        15000 - loaves [ربطة خبز]
        2500 - meals [وجبة جاهزة]
        300 - cash_families [عائلة]
        30000 nearly beneficiaries [شخص]
        350 over volunteers [متطوعاً]
    "#]],
    );
}

#[test]
fn humanitarian_flash_update_in_english() {
    check(
        include_str!("data/flash-update-en.txt"),
        expect![[r#"
            21000 about people_displaced [people] by=partners asof=2025-03-13 at=Latakia
            10000 nearly people_displaced [Syrians] asof=2025-03-12 at=Lebanon
            1476 - families_displaced [families] by=Lebanon's Akkar governor asof=2025-03-13 at=Akkar
            6078 - people_displaced [individuals] by=Lebanon's Akkar governor asof=2025-03-13 at=Akkar
            2 at_least other [ambulances] by=Health partners asof=2025-03-13
            8000 about people_displaced [people] by=local authorities asof=2025-03-13 at=Jabal Mohsen
            ? indefinite killed [deaths] asof=2025-03-13
            111 - killed [killings] by=UN Human Rights Office asof=2025-03-13
            1200000 about people_in_need [people] asof=2025-03-13
            900000 - people_in_need [] asof=2025-03-13
        "#]],
    );
}

#[test]
fn civil_defence_update_in_arabic() {
    check(
        include_str!("data/civil-defence-ar.txt"),
        expect![[r#"
        90 over other [نداء استغاثة] by=الدفاع المدني السوري at=Latakia
        112 - bodies_recovered [شخصاً] by=الدفاع المدني السوري at=Hama
        14 - bodies_recovered [امرأة] by=الدفاع المدني السوري at=Hama
        9 - bodies_recovered [أطفال] by=الدفاع المدني السوري at=Hama
        300 about people_rescued [مدني عالقين] by=مدير الدفاع المدني at=Latakia
        57 - injured [مصاباً] by=مدير الدفاع المدني at=Latakia
        450 over volunteers [متطوعاً]
        21000 about people_displaced [شخص] by=الأمم المتحدة asof=2025-03-12 at=Latakia
        10000 nearly people_displaced [شخص] by=الأمم المتحدة asof=2025-03-12 at=Lebanon
        2 - injured [آخران] by=ناشطين محليين
    "#]],
    );
}

#[test]
fn monitor_report_in_arabic_with_a_headline_and_a_list() {
    check(
        include_str!("data/monitor-ar.txt"),
        expect![[r#"
        1383 - killed_civilians [مدنياً ضحايا عمليات] by=المرصد السوري at=Latakia
        1383 - killed_civilians [مدنياً علوياً] by=المرصد السوري لحقوق الإنسان asof=2025-03-13
        570 - killed_civilians [مدنياً] at=Latakia
        455 - killed_civilians [مدنياً] at=Tartous
        358 - killed_civilians [مدنياً] at=Hama
        273 - killed_security [عنصراً من الأمن العام]
        250 - killed_fighters [مسلحاً من فلول النظام]
        1906 - killed [قتلى]
        1500 over families_displaced [عائلة] by=مصادر المرصد at=Baniyas
        ? indefinite people_displaced [] by=مصادر المرصد at=Baniyas
    "#]],
    );
}

#[test]
fn the_published_figures_of_the_design_one_per_line() {
    check(
        include_str!("data/design-figures-en.txt"),
        expect![[r#"
        973 over killed_civilians [civilians killed] by=One monitor
        779 - killed [fatalities]
        383 - killed []
        396 - killed []
        9372 - killed_civilians [civilian deaths] by=third asof=--03-10
        14763 - killed_civilians [] by=third asof=--03-13
        740 over killed_civilians [civilians] by=Wire reports
        300 - killed_security [security personnel] by=Wire reports
        1400 over killed_civilians [civilians] by=activists
        1476 - families [families] by=governor at=Akkar
        6078 - people [people] by=governor at=Akkar
        12000 - people [] by=local count at=Akkar
        8000 about people [] by=local count at=Jabal Mohsen
        9000 over people_displaced [people]
        1000 over food_baskets [food baskets]
        15000 - loaves [loaves of bread]
        2500 - meals [ready meals]
        300 - cash_families [families]
        30000 about beneficiaries [beneficiaries]
        350 over volunteers [volunteers]
        30 about rescue_missions [rescue missions]
        100 over bodies_recovered [bodies]
    "#]],
    );
}
