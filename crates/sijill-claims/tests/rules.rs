//! Rule tables: each qualifier phrase, each measure phrase and each kind of number that is
//! not a claim, tried in a carrier sentence of its language.

use sijill_claims::{Measure, Options, Qualifier, extract};

fn only_claim(text: &str) -> sijill_claims::Claim {
    let claims = extract(text, &Options::default());
    assert_eq!(claims.len(), 1, "{text}: {claims:#?}");
    claims.into_iter().next().unwrap_or_else(|| unreachable!())
}

#[test]
fn every_qualifier_phrase_is_normalised() {
    use Qualifier::*;
    let english = [
        ("over", Some(Over)),
        ("more than", Some(Over)),
        ("in excess of", Some(Over)),
        ("upwards of", Some(Over)),
        ("at least", Some(AtLeast)),
        ("no fewer than", Some(AtLeast)),
        ("no less than", Some(AtLeast)),
        ("nearly", Some(Nearly)),
        ("almost", Some(Nearly)),
        ("close to", Some(Nearly)),
        ("just under", Some(Nearly)),
        ("about", Some(About)),
        ("around", Some(About)),
        ("approximately", Some(About)),
        ("roughly", Some(About)),
        ("some", Some(About)),
        ("an estimated", Some(About)),
        ("~", Some(About)),
        ("up to", Some(UpTo)),
        ("as many as", Some(UpTo)),
        ("at most", Some(UpTo)),
        ("fewer than", Some(Under)),
        ("less than", Some(Under)),
        ("", None),
    ];
    for (phrase, want) in english {
        let text = format!("The monitor said {phrase} 500 civilians were killed in Jableh.");
        let c = only_claim(&text);
        assert_eq!(c.qualifier, want, "{text}");
        assert_eq!(
            (c.measure, c.value.map(|v| v.0)),
            (Measure::KilledCivilians, Some(500.0)),
            "{text}"
        );
    }
    let arabic = [
        ("أكثر من", Some(Over)),
        ("ما يزيد عن", Some(Over)),
        ("ما يزيد على", Some(Over)),
        ("ما يربو على", Some(Over)),
        ("ما لا يقل عن", Some(AtLeast)),
        ("لا يقل عن", Some(AtLeast)),
        ("قرابة", Some(Nearly)),
        ("ما يقارب", Some(Nearly)),
        ("نحو", Some(About)),
        ("حوالي", Some(About)),
        ("حوالى", Some(About)),
        ("زهاء", Some(About)),
        ("ما يصل إلى", Some(UpTo)),
        ("أقل من", Some(Under)),
        ("", None),
    ];
    for (phrase, want) in arabic {
        let text = format!("وقال المرصد إن {phrase} 500 مدني قتلوا في جبلة.");
        let c = only_claim(&text);
        assert_eq!(c.qualifier, want, "{text}");
        assert_eq!(
            (c.measure, c.value.map(|v| v.0)),
            (Measure::KilledCivilians, Some(500.0)),
            "{text}"
        );
    }
    // Qualifiers after the figure.
    for (text, want) in [
        ("350+ volunteers took part.", Over),
        (
            "A 300-plus strong team of volunteers and 300-odd volunteers joined.",
            About,
        ),
        ("500 families or more fled.", AtLeast),
        ("نزحت 500 عائلة تقريباً.", About),
        ("قتل 25 شخصاً على الأقل.", AtLeast),
        ("نزحت 500 عائلة فأكثر.", AtLeast),
    ] {
        let claims = extract(text, &Options::default());
        assert_eq!(
            claims.last().and_then(|c| c.qualifier),
            Some(want),
            "{text}: {claims:#?}"
        );
    }
}

#[test]
fn every_measure_phrase_is_normalised() {
    use Measure::*;
    let cases = [
        ("Over 700 civilians were killed.", KilledCivilians),
        ("300 security personnel were killed.", KilledSecurity),
        ("125 members of the security forces died.", KilledSecurity),
        ("148 gunmen were killed.", KilledFighters),
        ("The toll reached 1,500.", Killed),
        ("779 fatalities were recorded.", Killed),
        ("60 people were wounded.", Injured),
        ("20 people are missing.", Missing),
        ("40 men were arrested.", Detained),
        ("Rescuers recovered 100 bodies.", BodiesRecovered),
        ("Teams rescued 300 people.", PeopleRescued),
        ("Teams ran 30 rescue missions.", RescueMissions),
        ("9,000 people sheltered at the base.", PeopleDisplaced),
        ("1,476 families fled.", FamiliesDisplaced),
        ("They gave out 1,000 food baskets.", FoodBaskets),
        ("They baked 15,000 loaves of bread.", Loaves),
        ("They cooked 2,500 ready meals.", Meals),
        ("They handed out 400 hygiene kits.", HygieneKits),
        ("They gave cash to 300 families.", CashFamilies),
        ("The campaign had 30,000 beneficiaries.", Beneficiaries),
        ("350 volunteers joined.", Volunteers),
        ("SNHR documented 40 massacres.", Incidents),
        ("1.2 million people need aid.", PeopleInNeed),
        ("Donors gave $2 million.", Money),
        ("قتل 700 مدني.", KilledCivilians),
        ("قتل 300 عنصر من قوات الأمن العام.", KilledSecurity),
        ("قتل 250 مسلحاً من فلول النظام.", KilledFighters),
        ("ارتفعت حصيلة القتلى إلى 1500.", Killed),
        ("أصيب 60 شخصاً بجروح.", Injured),
        ("ما زال 20 شخصاً في عداد المفقودين.", Missing),
        ("اعتقل 40 شاباً.", Detained),
        ("انتشلت الفرق 100 جثة.", BodiesRecovered),
        ("أنقذت الفرق 300 شخص.", PeopleRescued),
        ("نفذت الفرق 30 مهمة إنقاذ.", RescueMissions),
        ("لجأ 9000 شخص إلى القاعدة.", PeopleDisplaced),
        ("نزحت 1476 عائلة.", FamiliesDisplaced),
        ("وزعت الشبكة 1000 سلة غذائية.", FoodBaskets),
        ("وزعت الشبكة 15000 ربطة خبز.", Loaves),
        ("وزعت الشبكة 2500 وجبة جاهزة.", Meals),
        ("وزعت الشبكة 400 سلة صحية.", HygieneKits),
        ("قدمت الشبكة مساعدات نقدية لـ300 عائلة.", CashFamilies),
        ("بلغ عدد المستفيدين 30000 مستفيد.", Beneficiaries),
        ("شارك 350 متطوعاً.", Volunteers),
    ];
    for (text, want) in cases {
        let c = only_claim(text);
        assert_eq!(c.measure, want, "{text}: {c:#?}");
    }
}

#[test]
fn numbers_that_are_not_claims() {
    let cases = [
        "The violence began in 2025.",
        "On 6 March 2025 the clashes began; by March 13 they had spread.",
        "The report was published on 2025-03-13 and updated on 14/03/2025.",
        "Fighting resumed at 10:30 and again at 3 p.m.",
        "Civilians were killed.[12]",
        "A 70-year-old man was killed.",
        "A man aged 35 was shot.",
        "The campaign lasted six days.",
        "Rescuers worked for 48 hours.",
        "About 40% of the displaced are children.",
        "About 40 per cent of the displaced are children.",
        "It was the 3rd attack on the town.",
        "Call +963 11 234 5678 or 0933-123-456.",
        "Under Resolution 2254 and Article 12, see report No. 45.",
        "Traffic on the M4 highway stopped; COVID-19 cases rose.",
        "The 1,000-strong force moved 30 km north.",
        "They attacked 15 villages in three districts.",
        "One of the victims was a teacher.",
        "قتل في عام 2025 رجل.",
        "في الساعة 10 صباحاً بدأ القصف.",
        "قتل رجل يبلغ من العمر 70 عاماً.",
        "استمر الحصار ستة أيام و48 ساعة.",
        "نزح 40 بالمئة من السكان و30 في المئة من العائلات و20٪ من الأطفال.",
        "وفق القرار 2254 والمادة 12.",
        "بين 6 و10 آذار/مارس 2025.",
    ];
    for text in cases {
        let claims = extract(text, &Options::default());
        assert!(claims.is_empty(), "{text}: {claims:#?}");
    }
}

#[test]
fn claims_serialise_to_the_cli_record() {
    let claims = extract(
        "By 10 March 2025, over 973 civilians had been killed in Latakia, the Syrian Observatory for Human Rights said. Between 700 and 800 families fled. About 2.5 million people need aid.",
        &Options::default(),
    );
    let json = serde_json::to_value(&claims).expect("claims serialise");
    let first = &json[0];
    let mut keys: Vec<&str> = first
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "as_of",
            "claimant",
            "high",
            "low",
            "measure",
            "place",
            "qualifier",
            "quote",
            "value"
        ]
    );
    assert_eq!(first["value"], serde_json::json!(973));
    assert!(
        first["value"].is_u64() || first["value"].is_i64(),
        "whole numbers are JSON integers"
    );
    assert_eq!(first["qualifier"], "over");
    assert_eq!(first["measure"], "killed_civilians");
    assert_eq!(first["as_of"], "2025-03-10");
    assert_eq!(first["place"], "Latakia");
    assert_eq!(first["claimant"], "Syrian Observatory for Human Rights");
    assert_eq!(
        (&json[1]["value"], &json[1]["low"], &json[1]["high"]),
        (
            &serde_json::Value::Null,
            &serde_json::json!(700),
            &serde_json::json!(800)
        )
    );
    assert_eq!(json[2]["value"], serde_json::json!(2_500_000));
}

/// What the articles' errors taught, each tried in more than one wording: a toll counts
/// deaths whatever events it names; people accused are not a toll; the date of the
/// events is not the as-of date; "according to the report" is the report named before.
#[test]
fn tolls_suspects_event_dates_and_the_report() {
    for text in [
        "Toll of the coastal massacres reaches 1,084, the monitor said.",
        "The death toll from the attacks rose to 1,084, the monitor said.",
        "قال المرصد إن حصيلة المجازر ارتفعت إلى ١٠٨٤.",
    ] {
        let c = only_claim(text);
        assert_eq!(
            (c.measure, c.value.map(|v| v.0)),
            (Measure::Killed, Some(1084.0)),
            "{text}"
        );
    }
    for text in [
        "The committee said it had referred 298 suspects to the judiciary.",
        "Prosecutors said 31 defendants would stand trial in Lattakia.",
        "قالت اللجنة إنها أحالت ٢٩٨ مشتبهاً به إلى القضاء.",
    ] {
        let c = only_claim(text);
        assert_eq!(c.measure, Measure::Other, "{text}");
    }
    let opts = Options {
        doc_date: sijill_claims::Date::parse_iso("2025-07-22").ok(),
        ..Options::default()
    };
    for text in [
        "The committee said 238 members of the security forces were killed in the attacks of March 6.",
        "The committee said 238 soldiers were killed in the March 6 attacks.",
        "قالت اللجنة إن ٢٣٨ من عناصر الأمن قتلوا في هجمات ٦ آذار.",
    ] {
        let claims = extract(text, &opts);
        assert_eq!(claims.len(), 1, "{text}: {claims:#?}");
        assert_eq!(
            claims[0].as_of.map(|d| d.to_string()).as_deref(),
            Some("2025-07-22"),
            "{text}"
        );
    }
    // A date that is not the events' stays the as-of date.
    let claims = extract(
        "By 10 March, the monitor said 740 civilians were killed.",
        &opts,
    );
    assert_eq!(
        claims
            .first()
            .and_then(|c| c.as_of)
            .map(|d| d.to_string())
            .as_deref(),
        Some("2025-03-10")
    );
    let claims = extract(
        "The Syrian Network for Human Rights documented 1,084 deaths. According to the report, 300 of the victims were killed in Baniyas.",
        &Options::default(),
    );
    assert_eq!(claims.len(), 2, "{claims:#?}");
    assert_eq!(
        claims[1].claimant.as_deref(),
        Some("Syrian Network for Human Rights")
    );
}

/// Wordings met in wire reports, live pages, UN briefings and an inquiry's press release
/// (each once read wrongly): qualifiers of a rising toll, the subject of a long noun
/// phrase, a name with "al-", generic descriptions of a monitor named before, event days
/// that are not as-of days, and verbs that count people who were not harmed.
#[test]
fn wordings_of_published_articles() {
    let opts = Options {
        doc_date: sijill_claims::Date::parse_iso("2025-07-22").ok(),
        ..Options::default()
    };
    let one = |text: &str| {
        let claims = extract(text, &opts);
        assert_eq!(claims.len(), 1, "{text}: {claims:#?}");
        claims.into_iter().next().unwrap_or_else(|| unreachable!())
    };
    for text in [
        "Death toll from the coastal violence climbs past 1,300, the monitor said.",
        "The toll passed 1,300 on Monday, the monitor said.",
        "قال المرصد إن الحصيلة تخطت 1300 قتيل.",
    ] {
        let c = one(text);
        assert_eq!(
            (c.qualifier, c.value.map(|v| v.0)),
            (Some(Qualifier::Over), Some(1300.0)),
            "{text}"
        );
    }
    // Who speaks: the subject before a participle or a relative clause, a name with
    // "al-", a spokesman "for" someone, an adverb between subject and verb.
    for (text, who) in [
        (
            "A national committee investigating the violence on the coast in March said it had identified 1,426 people killed.",
            "national committee",
        ),
        (
            "The Office of the High Commissioner, which has documented violations in Syria since 2011, said it had received reports of 46 summary executions.",
            "Office of the High Commissioner",
        ),
        (
            "Committee spokesman Yasser al-Farhan told a news conference that 238 members of the security forces were killed.",
            "Committee spokesman Yasser al-Farhan",
        ),
        (
            "A spokesman for the base told Russian media that 8,000 people were sheltering there.",
            "spokesman for the base",
        ),
        (
            "A man from Baniyas said that 12 members of his family were shot dead.",
            "man from Baniyas",
        ),
        (
            "The Syrian Observatory for Human Rights now says 1,311 people have been killed.",
            "Syrian Observatory for Human Rights",
        ),
        (
            "The UN Human Rights Office has so far verified the killing of 111 civilians.",
            "UN Human Rights Office",
        ),
    ] {
        assert_eq!(one(text).claimant.as_deref(), Some(who), "{text}");
    }
    for (text, who) in [
        (
            "The violence has claimed the lives of more than 1,300 people, according to the Syrian Observatory for Human Rights.",
            "Syrian Observatory for Human Rights",
        ),
        (
            "Some 40,000 people have fled, the International Rescue Committee estimated.",
            "International Rescue Committee",
        ),
    ] {
        assert_eq!(one(text).claimant.as_deref(), Some(who), "{text}");
    }
    // "The UK-based monitor", "the agency": the organization named before.
    let claims = extract(
        "The Syrian Observatory for Human Rights says 830 civilians were killed. The UK-based monitor says 231 members of the security forces are among the dead.",
        &opts,
    );
    assert_eq!(claims.len(), 2, "{claims:#?}");
    assert_eq!(
        claims[1].claimant.as_deref(),
        Some("Syrian Observatory for Human Rights")
    );
    // The day the events began or happened is not the day the figure was counted.
    for text in [
        "The committee said 238 members of the security forces were killed in the attacks that began on March 6.",
        "Residents said gunmen killed at least 30 men on March 7.",
    ] {
        assert_eq!(
            one(text).as_of.map(|d| d.to_string()).as_deref(),
            Some("2025-07-22"),
            "{text}"
        );
    }
    // People interviewed, trapped, suspected or arriving are not killed, even after a
    // sentence about the dead; an unknown noun takes the event of its own clause.
    let after_toll = |text: &str| {
        let doc = format!("The monitor said 1,084 people were killed. {text}");
        let claims = extract(&doc, &opts);
        assert_eq!(claims.len(), 2, "{doc}: {claims:#?}");
        claims[1].measure
    };
    assert_eq!(
        after_toll("Human Rights Watch interviewed 22 people."),
        Measure::People
    );
    assert_eq!(
        after_toll("Two staff members were among those trapped in the town."),
        Measure::People
    );
    assert_eq!(
        after_toll("The committee identified 298 people suspected of taking part in violations."),
        Measure::Other
    );
    assert_eq!(
        after_toll("Volunteers registered roughly 1,200 families arriving in Akkar."),
        Measure::FamiliesDisplaced
    );
    assert_eq!(
        after_toll("Around 9,000 are staying in the Hmeimim air base, the agency added."),
        Measure::PeopleDisplaced
    );
    assert_eq!(
        one("An investigation by Reuters found that about 1,500 Alawites were killed.").measure,
        Measure::Killed
    );
    assert_eq!(
        one("قالت المفوضية إن نحو عشرة آلاف شخص عبروا الحدود إلى لبنان خلال أسبوع.").measure,
        Measure::PeopleDisplaced
    );
}

/// Attribution carried by a breakdown sentence, a short name that is an organization and
/// not its spokesman, and part of a count of people unharmed.
#[test]
fn breakdowns_and_short_names() {
    let opts = Options::default();
    let claims = extract(
        "The UN Human Rights Office said it had verified the killing of 111 civilians. Of those verified, 90 were men and 18 were women.",
        &opts,
    );
    assert_eq!(claims.len(), 3, "{claims:#?}");
    for c in &claims[1..] {
        assert_eq!(c.claimant.as_deref(), Some("UN Human Rights Office"));
    }
    let claims = extract(
        "A national committee said it had identified 1,426 people killed. Committee spokesman Yasser al-Farhan said 238 soldiers were killed. The committee said it had heard 938 testimonies.",
        &opts,
    );
    assert_eq!(claims.len(), 3, "{claims:#?}");
    assert_eq!(claims[2].claimant.as_deref(), Some("national committee"));
    let claims = extract(
        "Human Rights Watch said it interviewed 22 people, including 15 witnesses and relatives of victims.",
        &opts,
    );
    assert_eq!(claims.len(), 2, "{claims:#?}");
    assert_eq!(
        (claims[0].measure, claims[1].measure),
        (Measure::People, Measure::People)
    );
    let claims = extract(
        "Lebanese Red Cross volunteers said they had registered 1,200 families arriving in Akkar.",
        &opts,
    );
    assert_eq!(
        claims.first().and_then(|c| c.claimant.as_deref()),
        Some("Lebanese Red Cross volunteers")
    );
}

/// Days named relative to the document's date: the day a figure was stated.
#[test]
fn relative_days_resolve_against_the_document_date() {
    let opts = Options {
        // A Tuesday.
        doc_date: sijill_claims::Date::parse_iso("2025-03-11").ok(),
        ..Options::default()
    };
    for (text, day) in [
        (
            "The monitor said on Sunday that 745 civilians had been killed.",
            "2025-03-09",
        ),
        (
            "The monitor said yesterday 745 civilians were killed.",
            "2025-03-10",
        ),
        ("قال المرصد أمس إن 745 مدنياً قتلوا.", "2025-03-10"),
        ("وأعلن المرصد يوم الأحد مقتل 745 مدنياً.", "2025-03-09"),
        // Since last Thursday is the start of the period, not the as-of day.
        (
            "قال المرصد إن 745 مدنياً قتلوا منذ بدء الأحداث يوم الخميس الماضي.",
            "2025-03-11",
        ),
    ] {
        let claims = extract(text, &opts);
        assert_eq!(claims.len(), 1, "{text}: {claims:#?}");
        assert_eq!(
            claims[0].as_of.map(|d| d.to_string()).as_deref(),
            Some(day),
            "{text}"
        );
    }
    // Without a document date a weekday says nothing.
    let claims = extract(
        "The monitor said on Sunday that 745 civilians had been killed.",
        &Options::default(),
    );
    assert_eq!(claims.first().and_then(|c| c.as_of), None);
}
