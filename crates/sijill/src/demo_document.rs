//! Demo records of the documentation area: incidents in the Jableh, Baniyas and Qardaha
//! areas with each source's account, evidence files made here (small text notes and a
//! PNG) with custody events, a testimony, civil-defence missions over several days, and
//! displacement sites whose counts disagree by source (Akkar: the governor's 1,476
//! families / 6,078 people against a local count of 12,000).

use crate::error::CliError;
use anyhow::Context;
use sijill_model::account::Username;
use sijill_store::Store;
use sijill_store::document_evidence::NewEvidence;
use sijill_store::document_field::{NewRescueMission, NewSite, NewSiteReport};
use sijill_store::document_incident::{IncidentSource, NewIncident};
use sijill_store::document_links::NewBody;
use sijill_store::document_testimony::NewTestimony;
use sijill_store::document_types::{
    Actor, ConsentScope, CustodyEvent, DatePrecision, Day, MissionKind, SiteKind, SubEventType,
    Violation,
};
use time::macros::datetime;

/// A 1×1 PNG (made here, no third-party data).
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
    0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

async fn actor_of(store: &Store, username: &str) -> Result<Actor, CliError> {
    let name = Username::parse(username).context("a demo username")?;
    let (u, _) = store
        .user_credentials(&name)
        .await
        .context("reading a demo user")?
        .context("a demo user is missing")?;
    Ok(Actor {
        user: Some(u.id),
        org: u.org_id,
    })
}

fn src(source: &str, perpetrator: &str, target: &str, claim: &str) -> IncidentSource {
    IncidentSource {
        source: source.into(),
        url: None,
        perpetrator: perpetrator.into(),
        target: target.into(),
        claim: claim.into(),
    }
}

fn day(s: &str) -> Result<Day, CliError> {
    Ok(Day::parse(s).context("a demo date")?)
}

/// A demo site report: site index, as-of, families, people, origins, needs, source.
type Report = (
    usize,
    &'static str,
    Option<u32>,
    Option<u32>,
    &'static [&'static str],
    &'static str,
    &'static str,
);

/// Seeds the documentation records (after the users exist).
pub async fn seed(store: &Store) -> Result<(), CliError> {
    let doc = actor_of(store, "documenter").await?;
    let files = store
        .evidence_files()
        .await
        .context("finding the evidence directory")?;
    let incidents = [
        (
            "2025-03-07",
            DatePrecision::Day,
            "SY060203",
            "عين شقاق",
            SubEventType::Attack,
            "Killings of residents in their homes after the ambush near Jableh.",
            vec![
                src(
                    "Coast Rights Observatory",
                    "armed factions affiliated with the security administration",
                    "residents of the village",
                    "at least 30 civilians killed",
                ),
                src(
                    "Families of victims",
                    "gunmen in uniform, unidentified",
                    "men of the village",
                    "the families name 24 killed",
                ),
            ],
        ),
        (
            "2025-03-06",
            DatePrecision::Day,
            "SY0602",
            "محيط جبلة",
            SubEventType::ArmedClash,
            "Ambush on security forces near Jableh.",
            vec![src(
                "Wire reports",
                "former-regime loyalists",
                "security forces",
                "over 10 security personnel killed",
            )],
        ),
        (
            "2025-03-08",
            DatePrecision::Approximate,
            "SY100200",
            "حي القصور، بانياس",
            SubEventType::Attack,
            "Killings in a neighbourhood of Baniyas.",
            vec![
                src(
                    "Coast Rights Observatory",
                    "armed factions",
                    "residents of the neighbourhood",
                    "dozens killed",
                ),
                src(
                    "Local activists",
                    "groups arriving from outside the city",
                    "families",
                    "over 60 killed",
                ),
            ],
        ),
        (
            "2025-03-01",
            DatePrecision::Month,
            "SY060400",
            "القرداحة",
            SubEventType::Looting,
            "Looting and burning of houses.",
            vec![src(
                "Residents",
                "unidentified armed men",
                "houses and shops",
                "about 20 houses burnt",
            )],
        ),
    ];
    let mut first = None;
    for (on, precision, area, place, sub, summary, sources) in incidents {
        let i = store
            .create_incident(
                &NewIncident {
                    occurred_on: day(on)?,
                    precision,
                    area: area.into(),
                    place: place.into(),
                    sub_event_type: sub,
                    summary: summary.into(),
                    sources,
                },
                doc,
            )
            .await
            .context("adding a demo incident")?;
        first.get_or_insert(i.id);
    }
    let first = first.context("no demo incident")?;
    let evidence = [
        (
            "archived-post.txt",
            "text/plain",
            "Archived text of a post showing the killings, captured before it was deleted.\n"
                .as_bytes()
                .to_vec(),
            Some("https://example.org/channel/post/1042"),
            "wget 1.21 + manual note",
        ),
        (
            "frame-0001.png",
            "image/png",
            PNG.to_vec(),
            Some("https://example.org/video/8812"),
            "ffmpeg 6.1 frame export",
        ),
    ];
    for (name, media, bytes, url, tool) in evidence {
        let e = store
            .add_evidence(
                &files,
                &NewEvidence {
                    incident_id: Some(first),
                    original_name: name.into(),
                    media_type: media.into(),
                    origin_url: url.map(str::to_owned),
                    captured_at: datetime!(2025-03-08 10:15 UTC),
                    capture_tool: tool.into(),
                    captured_by: "Yara (documenter)".into(),
                    violation: Violation::UnlawfulKilling,
                    description: "Posted by the perpetrators themselves.".into(),
                },
                bytes,
                doc,
            )
            .await
            .context("adding demo evidence")?;
        store
            .record_custody(
                e.id,
                CustodyEvent::Viewed,
                doc,
                "reviewed by the documentation team",
            )
            .await
            .context("adding a custody event")?;
        store
            .record_custody(e.id, CustodyEvent::Verified, doc, "re-hashed, matches")
            .await
            .context("adding a custody event")?;
    }
    store
        .create_testimony(
            &NewTestimony {
                incident_id: Some(first),
                consent: ConsentScope::Investigators,
                interviewer: "Yara (documenter)".into(),
                interviewed_on: day("2025-03-11")?,
                content: "روت السيدة أن مسلحين دخلوا الحي صباح السابع من آذار واقتادوا الرجال إلى ساحة القرية.".into(),
            },
            doc,
        )
        .await
        .context("adding a demo testimony")?;

    // The first incident names some victim records of the documenter's own lists: those
    // who died on its day, as a documenter would link them after reading the lists.
    let records = store
        .victim_records(doc.org, &[])
        .await
        .context("reading the demo victim lists")?;
    let on_the_day: Vec<_> = records
        .iter()
        .filter(|r| r.row.date_of_death.as_deref() == Some("2025-03-07"))
        .take(6)
        .collect();
    for r in on_the_day {
        store
            .link_incident_victim(first, r.list_id, &r.record_key, doc)
            .await
            .context("linking a demo victim record")?;
    }

    let cd = actor_of(store, "coordinator").await.ok();
    let rescuer = match store.org_by_name("Coastal Civil Defence Teams").await {
        Ok(Some(o)) => Actor {
            user: cd.and_then(|a| a.user),
            org: o.id,
        },
        _ => doc,
    };
    let missions = [
        (
            datetime!(2025-03-08 07:30 UTC),
            "SY0602",
            "بساتين جبلة",
            MissionKind::BodyRecovery,
            0,
            9,
            "signs of binding on three bodies",
        ),
        (
            datetime!(2025-03-08 12:00 UTC),
            "SY060203",
            "عين شقاق",
            MissionKind::SearchRescue,
            4,
            2,
            "",
        ),
        (
            datetime!(2025-03-09 06:45 UTC),
            "SY100200",
            "بانياس، حي القصور",
            MissionKind::BodyRecovery,
            0,
            14,
            "bodies in the street, several with hands bound",
        ),
        (
            datetime!(2025-03-09 15:20 UTC),
            "SY1002",
            "طريق بانياس",
            MissionKind::Evacuation,
            11,
            0,
            "families evacuated to the air base",
        ),
        (
            datetime!(2025-03-10 08:10 UTC),
            "SY060400",
            "القرداحة",
            MissionKind::Fire,
            2,
            1,
            "houses set on fire",
        ),
        (
            datetime!(2025-03-10 13:00 UTC),
            "SY0602",
            "ريف جبلة",
            MissionKind::BodyRecovery,
            0,
            6,
            "",
        ),
        (
            datetime!(2025-03-11 09:00 UTC),
            "SY100200",
            "بانياس",
            MissionKind::BodyRecovery,
            0,
            8,
            "mass grave reported by residents",
        ),
    ];
    let mut grave = None;
    for (at, area, place, kind, alive, bodies, remarks) in missions {
        let m = store
            .create_rescue_mission(
                &NewRescueMission {
                    team: "Coastal team 3".into(),
                    started_at: at,
                    area: area.into(),
                    place: place.into(),
                    kind,
                    rescued_alive: alive,
                    bodies_recovered: bodies,
                    remarks: remarks.into(),
                    handed_over_to: if bodies > 0 {
                        "National hospital forensic unit".into()
                    } else {
                        String::new()
                    },
                },
                rescuer,
            )
            .await
            .context("adding a demo mission")?;
        if !remarks.is_empty() {
            grave = Some(m.id);
        }
    }
    // Two of the bodies from the reported grave, not yet identified, become victim
    // records of the civil-defence service, to be linked and counted like any list.
    if let Some(mission) = grave {
        for (sex, age) in [("male", 40), ("female", 30)] {
            let body = NewBody {
                name: None,
                sex: Some(sex.into()),
                age: Some(age),
            };
            store
                .body_to_victim(mission, &body, rescuer)
                .await
                .context("making a demo body a victim record")?;
        }
    }

    let sites = [
        (
            "Hmeimim air base",
            "قاعدة حميميم",
            SiteKind::AirBase,
            "SY0602",
        ),
        (
            "Woods above Baniyas",
            "أحراج بانياس",
            SiteKind::Forest,
            "SY1002",
        ),
        (
            "Akkar host villages",
            "قرى عكار",
            SiteKind::CrossBorder,
            "LB-AK",
        ),
        (
            "Jabal Mohsen",
            "جبل محسن",
            SiteKind::CrossBorder,
            "LB-AS-TRP-JM",
        ),
    ];
    let reports: &[Report] = &[
        (
            0,
            "2025-03-10",
            None,
            Some(9_000),
            &["SY0602", "SY060203"],
            "food, water, medicine",
            "Media reports",
        ),
        (
            1,
            "2025-03-10",
            None,
            Some(1_500),
            &["SY1002"],
            "blankets, food",
            "Local activists",
        ),
        (
            2,
            "2025-03-12",
            Some(1_476),
            Some(6_078),
            &["SY1002", "SY0602", "SY1000"],
            "shelter, mattresses, food",
            "Governor of Akkar",
        ),
        (
            2,
            "2025-03-12",
            None,
            Some(12_000),
            &["SY1002", "SY0602", "SY1000"],
            "shelter",
            "Local count",
        ),
        (
            3,
            "2025-03-13",
            None,
            Some(8_000),
            &["SY0602", "SY060400"],
            "food, hygiene kits",
            "Municipal committee",
        ),
    ];
    let mut made = Vec::new();
    for (name, name_ar, kind, area) in sites {
        made.push(
            store
                .create_site(
                    &NewSite {
                        name: name.into(),
                        name_ar: Some(name_ar.into()),
                        kind,
                        area: area.into(),
                    },
                    doc,
                )
                .await
                .context("adding a demo site")?,
        );
    }
    for &(site, as_of, families, individuals, origins, needs, source) in reports {
        store
            .add_site_report(
                &NewSiteReport {
                    site_id: made[site].id,
                    as_of: day(as_of)?,
                    families,
                    individuals,
                    origins: origins.iter().map(|s| (*s).to_owned()).collect(),
                    needs: needs.into(),
                    source: source.into(),
                },
                doc,
            )
            .await
            .context("adding a demo site report")?;
    }
    Ok(())
}
