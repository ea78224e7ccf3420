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
