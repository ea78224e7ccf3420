//! The reconcile part of the demo: four overlapping synthetic victim lists (from
//! `sijill-synth`, every name invented) held by the documenting monitor, linked into
//! persons, one estimate, and the published claims about the March 2025 coastal
//! killings with their documents. The documents are short neutral summaries written for
//! the demo that quote the published figures; the outlets' names are invented.

use crate::error::CliError;
use anyhow::Context;
use sijill_server::reconcile::{engine, import, link_blocking};
use sijill_store::reconcile_claims::{ClaimFields, ClaimStatus, NewDocument};
use sijill_store::reconcile_lists::{NewEstimate, NewVictimList};
use sijill_store::{Actor, Store};

/// The organization that holds the demo lists (the documenter's).
pub const HOLDER: &str = "Coast Rights Observatory";

/// Readable names of the synthetic lists.
const LIST_SOURCES: [(&str, &str); 4] = [
    ("shuhada_ar", "Martyrs' register (Arabic)"),
    ("monitor_ar", "Monitor field list (Arabic)"),
    ("ngo_en", "NGO casualty list"),
    ("local_en", "Local committee list"),
];

/// One document with its claims: source, kind, title, day, language, text, claims
/// `(value, low, high, qualifier, measure, claimant, as of, quote)`.
type Fig = (
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<&'static str>,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

struct Doc {
    source: &'static str,
    kind: &'static str,
    title: &'static str,
    day: &'static str,
    lang: &'static str,
    body: &'static str,
    claims: &'static [Fig],
    status: ClaimStatus,
}

const DOCS: &[Doc] = &[
    Doc {
        source: "Coastal Rights Watch",
        kind: "monitor",
        title: "Update on killings in the coastal governorates",
        day: "2025-03-09",
        lang: "en",
        body: "Coastal Rights Watch said it had documented the killing of over 973 civilians in Latakia, Tartous, Homs and Hama since 6 March. The group said its count includes women and children and that documentation continues.",
        claims: &[(
            Some(973.0),
            None,
            None,
            Some("over"),
            "killed_civilians",
            "Coastal Rights Watch",
            "2025-03-09",
            "Coastal Rights Watch said it had documented the killing of over 973 civilians in Latakia, Tartous, Homs and Hama since 6 March.",
        )],
        status: ClaimStatus::Unverified,
    },
    Doc {
        source: "Levant Casualty Count",
        kind: "monitor",
        title: "Fatalities recorded in the coastal violence",
        day: "2025-03-08",
        lang: "en",
        body: "Levant Casualty Count recorded 779 fatalities (383 attributed to former-regime loyalists and 396 to reprisals by factions affiliated with the security administration). The figures cover the coastal governorates up to 8 March.",
        claims: &[
            (
                Some(779.0),
                None,
                None,
                None,
                "killed",
                "Levant Casualty Count",
                "2025-03-08",
                "Levant Casualty Count recorded 779 fatalities (383 attributed to former-regime loyalists and 396 to reprisals by factions affiliated with the security administration).",
            ),
            (
                Some(383.0),
                None,
                None,
                None,
                "killed",
                "Levant Casualty Count",
                "2025-03-08",
                "383 attributed to former-regime loyalists",
            ),
            (
                Some(396.0),
                None,
                None,
                None,
                "killed",
                "Levant Casualty Count",
                "2025-03-08",
                "396 to reprisals by factions affiliated with the security administration",
            ),
        ],
        status: ClaimStatus::Unverified,
    },
    Doc {
        source: "Syrian Victims Register",
        kind: "monitor",
        title: "حصيلة الضحايا المدنيين في الساحل",
        day: "2025-03-10",
        lang: "ar",
        body: "وثّق سجل الضحايا السوريين مقتل 9,372 مدنياً حتى 10 آذار في محافظات الساحل، بحسب بيان نشره اليوم.",
        claims: &[(
            Some(9372.0),
            None,
            None,
            None,
            "killed_civilians",
            "سجل الضحايا السوريين",
            "2025-03-10",
            "وثّق سجل الضحايا السوريين مقتل 9,372 مدنياً حتى 10 آذار في محافظات الساحل",
        )],
        status: ClaimStatus::Contested,
    },
    Doc {
        source: "Mediterranean Monitor",
        kind: "monitor",
        title: "Death toll on the coast",
        day: "2025-03-13",
        lang: "en",
        body: "Mediterranean Monitor said 14,763 people had been killed by 13 March, a figure it described as preliminary and covering all deaths.",
        claims: &[(
            Some(14763.0),
            None,
            None,
            None,
            "killed",
            "Mediterranean Monitor",
            "2025-03-13",
            "Mediterranean Monitor said 14,763 people had been killed by 13 March.",
        )],
        status: ClaimStatus::Contested,
    },
    Doc {
        source: "Coastline News Agency",
        kind: "media",
        title: "Wire: toll rises in western Syria",
        day: "2025-03-09",
        lang: "en",
        body: "More than 740 civilians and 300 security personnel have been killed, according to a monitoring group cited by Coastline News Agency on Sunday.",
        claims: &[
            (
                Some(740.0),
                None,
                None,
                Some("over"),
                "killed_civilians",
                "Coastline News Agency",
                "2025-03-09",
                "More than 740 civilians and 300 security personnel have been killed.",
            ),
            (
                Some(300.0),
                None,
                None,
                None,
                "killed_security",
                "Coastline News Agency",
                "2025-03-09",
                "More than 740 civilians and 300 security personnel have been killed.",
            ),
        ],
        status: ClaimStatus::Corroborated,
    },
    Doc {
        source: "Coast Activists Network",
        kind: "activists",
        title: "أكثر من 1400 مدني",
        day: "2025-03-12",
        lang: "ar",
        body: "قال ناشطون في شبكة ناشطي الساحل إن أكثر من 1,400 مدني قُتلوا منذ 6 آذار، وإن العدد بين 1,300 و1,500 بحسب القوائم الأولية.",
        claims: &[
            (
                Some(1400.0),
                None,
                None,
                Some("over"),
                "killed_civilians",
                "شبكة ناشطي الساحل",
                "2025-03-12",
                "قال ناشطون في شبكة ناشطي الساحل إن أكثر من 1,400 مدني قُتلوا منذ 6 آذار",
            ),
            (
                None,
                Some(1300.0),
                Some(1500.0),
                None,
                "killed_civilians",
                "شبكة ناشطي الساحل",
                "2025-03-12",
                "وإن العدد بين 1,300 و1,500 بحسب القوائم الأولية",
            ),
        ],
        status: ClaimStatus::Unverified,
    },
];

/// Seeds the lists, a linkage run, an estimate and the claims. Needs the keyring.
pub async fn seed(store: &Store) -> Result<(), CliError> {
    let org = store
        .org_by_name(HOLDER)
        .await
        .context("finding the demo monitor")?
        .context("the demo monitor is missing")?;
    let by = Actor {
        user: None,
        org: org.id,
    };
    let data = sijill_synth::generate(&sijill_synth::Config {
        records: 1_200,
        seed: 20_250_306,
    });
    for list in &data.lists {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(&list.header)
            .context("writing a demo list")?;
        for r in &list.rows {
            w.write_record(r).context("writing a demo list")?;
        }
        let bytes = w.into_inner().context("writing a demo list")?;
        let parsed = import::parse(&bytes, None).context("reading a demo list")?;
        let source = LIST_SOURCES
            .iter()
            .find(|(k, _)| *k == list.name)
            .map_or(list.name.as_str(), |(_, v)| v);
        store
            .import_victim_list(
                by,
                &NewVictimList {
                    source: source.into(),
                    file_name: format!("{}.csv", list.name),
                    raw: bytes,
                    mapping: serde_json::to_value(&parsed.mapping).unwrap_or_default(),
                    dropped: parsed.dropped,
                    rows: parsed.rows,
                },
            )
            .await
            .context("importing a demo list")?;
    }
    let run = store
        .start_linkage_run(by, &serde_json::json!({"threshold": 0.5}))
        .await
        .context("starting the demo linkage")?;
    let (s, handle, id) = (store.clone(), tokio::runtime::Handle::current(), run.id);
    tokio::task::spawn_blocking(move || link_blocking(s, handle, by, id, 0.5))
        .await
        .context("linking the demo lists")?;
    let lists = store.victim_lists(org.id).await.context("reading lists")?;
    let members = store
        .run_memberships(org.id, run.id)
        .await
        .context("reading persons")?;
    let ids: Vec<_> = lists.iter().map(|l| l.id).collect();
    let names: Vec<String> = lists.iter().map(|l| l.source.clone()).collect();
    let ids2 = ids.clone();
    let est = tokio::task::spawn_blocking(move || {
        engine::estimate(&members, &ids2, &names, "none", "loglinear")
    })
    .await
    .context("estimating")?;
    match est {
        Ok(o) => {
            store
                .save_estimate(
                    by,
                    &NewEstimate {
                        run_id: run.id,
                        method: "loglinear".into(),
                        stratum_by: "none".into(),
                        lists: ids,
                        params: serde_json::json!({"level": 0.95, "method": "loglinear", "strata": "none"}),
                        observed: o.observed,
                        estimate: o.estimate,
                        low: o.low,
                        high: o.high,
                        model: o.model,
                        report: o.report,
                    },
                )
                .await
                .context("saving the demo estimate")?;
        }
        Err(reason) => tracing::warn!(%reason, "the demo estimate was not made"),
    }
    for d in DOCS {
        let src = store
            .ensure_claim_source(by, d.source, d.kind)
            .await
            .context("adding a demo source")?;
        let (doc, _) = store
            .add_claim_document(
                by,
                &NewDocument {
                    source_id: src.id,
                    title: d.title.into(),
                    url: None,
                    published_on: Some(d.day.into()),
                    lang: d.lang.into(),
                    body: d.body.into(),
                },
            )
            .await
            .context("adding a demo document")?;
        let fields: Vec<ClaimFields> = d
            .claims
            .iter()
            .map(
                |&(value, low, high, qualifier, measure, claimant, as_of, quote)| ClaimFields {
                    value,
                    low,
                    high,
                    qualifier: qualifier.map(str::to_owned),
                    measure: measure.into(),
                    scope_pcode: Some("SY".into()),
                    period_from: Some("2025-03-06".into()),
                    period_to: Some(as_of.into()),
                    as_of: Some(as_of.into()),
                    claimant: Some(claimant.into()),
                    quote: quote.into(),
                    status: d.status,
                },
            )
            .collect();
        store
            .add_claims(by, doc.id, &fields)
            .await
            .context("adding demo claims")?;
    }
    Ok(())
}
