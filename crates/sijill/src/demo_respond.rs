//! The demo's relief campaign: eight partners, six days from rural Lattakia through
//! Tartous to Aleppo and Daraa — over 1,000 food baskets, 15,000 loaves, 2,500 ready
//! meals, hygiene supplies, cash for 300 families, about 30,000 beneficiaries, 350
//! volunteers and community dialogue sessions. The Jableh and Baniyas partners (the
//! demo users `field` and `field2`) both registered some of the same families, one in
//! Arabic script and one in Latin, so the duplicate alert shows on both sides. Every
//! name here is invented.

use crate::error::CliError;
use anyhow::Context;
use sijill_model::account::OrgId;
use sijill_model::geo::PCode;
use sijill_store::{
    Dialogue, Identity, Modality, NewCampaign, NewCashTransfer, NewDistribution, NewHousehold,
    NewVolunteer, Participants, Store, Vulnerability,
};
use time::{Date, Duration, macros::date};

/// The relief partners, in the order the plan below refers to them.
const PARTNERS: [&str; 8] = [
    "Sahel Relief Association",
    "Jableh Youth Initiative",
    "Baniyas Family Aid",
    "Tartous Solidarity Team",
    "Qardaha Community Kitchen",
    "Green Mountain Volunteers",
    "Homs Bridge Foundation",
    "Hama Helping Hands",
];

/// A dialogue session of the plan: partner, area, day, participants by group (dignitaries,
/// residents, activists, youth, women), topics, outcomes, follow-ups.
type Session = (
    usize,
    &'static str,
    i64,
    [u32; 5],
    &'static str,
    &'static str,
    &'static str,
);

/// First day of the campaign.
const START: Date = date!(2025 - 03 - 12);

/// Where each partner works (p-codes), in turn.
const AREAS: [&[&str]; 8] = [
    &["SY060000", "SY0600", "SY060200"],
    &["SY060200", "SY060203", "SY060204", "SY060205"],
    &["SY100200", "SY1002"],
    &["SY100000", "SY1003", "SY1006"],
    &["SY060400", "SY0603"],
    &["SY060205", "SY060203", "SY0603"],
    &["SY02"],
    &["SY12"],
];

/// Items and totals: code, quantity, households, individuals.
const PLAN: &[(&str, u64, u64, u64)] = &[
    ("food-basket", 1_040, 1_040, 5_200),
    ("bread", 15_000, 4_160, 20_800),
    ("ready-meal", 2_500, 500, 2_500),
    ("hygiene-kit", 520, 520, 0),
    ("diapers", 640, 410, 0),
    ("towels", 900, 450, 0),
    ("cleaning-kit", 430, 430, 0),
    ("cash", 300, 300, 1_500),
];

fn pc(s: &str) -> Result<PCode, CliError> {
    PCode::parse(s).map_err(|_| CliError::Other(anyhow::anyhow!("demo area {s} is not a p-code")))
}

/// Splits `total` into `n` near-equal whole parts.
fn split(total: u64, n: u64) -> Vec<u64> {
    (0..n)
        .map(|i| total / n + u64::from(i < total % n))
        .collect()
}

/// Families registered by both Jableh and Baniyas partners: Arabic and Latin spelling
/// of head, father, birth year.
const SHARED: &[(&str, &str, &str, &str, i32)] = &[
    ("محمد الحسن", "علي", "Mohammad al-Hasan", "Ali", 1971),
    ("فاطمة إبراهيم", "حسن", "Fatima Ibrahim", "Hasan", 1983),
    (
        "عبد الرحمن يوسف",
        "محمود",
        "Abdulrahman Youssef",
        "Mahmoud",
        1966,
    ),
    ("رنا صالح", "عمر", "Rana Saleh", "Omar", 1990),
    ("يوسف خليل", "إبراهيم", "Yousef Khalil", "Ibrahim", 1958),
    ("ليلى ديب", "سليمان", "Layla Deeb", "Sleiman", 1979),
];

const GIVEN: &[&str] = &[
    "أحمد",
    "مريم",
    "سامر",
    "هالة",
    "نزار",
    "ريم",
    "وسيم",
    "سلمى",
    "جميل",
    "نادين",
    "كنان",
    "لمى",
    "حيدر",
    "رهف",
    "باسل",
    "دعاء",
];
const FAMILY: &[&str] = &[
    "الأحمد",
    "سلوم",
    "ميهوب",
    "عيسى",
    "ونوس",
    "حداد",
    "شاهين",
    "إسماعيل",
    "درويش",
    "زيدان",
];

/// Seeds the campaign; `orgs` are the demo organizations by Latin name.
pub async fn seed(store: &Store) -> Result<(), CliError> {
    let orgs = store.list_orgs().await.context("listing organizations")?;
    let id = |name: &str| -> Result<OrgId, CliError> {
        orgs.iter()
            .find(|o| o.name == name)
            .map(|o| o.id)
            .ok_or_else(|| {
                CliError::Other(anyhow::anyhow!("the demo organization {name} is missing"))
            })
    };
    let partners: Vec<OrgId> = PARTNERS.iter().map(|p| id(p)).collect::<Result<_, _>>()?;
    let mut targets = Vec::new();
    for a in [
        "SY0600", "SY0602", "SY0603", "SY0604", "SY1000", "SY1002", "SY1003", "SY1005", "SY1006",
        "SY02", "SY12",
    ] {
        targets.push(pc(a)?);
    }
    let campaign = store
        .create_campaign(&NewCampaign {
            name: "Coastal relief week".into(),
            name_ar: Some("أسبوع الإغاثة الساحلية".into()),
            starts_on: START,
            ends_on: START + Duration::days(5),
            lead_org: partners[0],
            partners: partners.clone(),
            areas: targets,
        })
        .await
        .context("adding the demo campaign")?;
    let items = store.list_items().await.context("listing items")?;

    // Distributions: each item's totals split over the partners' areas and the six days.
    let mut by_org: Vec<Vec<NewDistribution>> = vec![Vec::new(); partners.len()];
    for (k, &(code, quantity, households, individuals)) in PLAN.iter().enumerate() {
        let item = items
            .iter()
            .find(|i| i.code == code)
            .context("a demo item is missing")?
            .id;
        // Every item is given by five of the eight partners, a different five each time.
        let givers: Vec<usize> = (0..5).map(|j| (k + j * 3) % partners.len()).collect();
        let slots = givers.len() as u64 * 3;
        let q = split(quantity, slots);
        let h = split(households, slots);
        let p = split(individuals, slots);
        for s in 0..slots as usize {
            let o = givers[s % givers.len()];
            let areas = AREAS[o];
            let day = (s + k) % 6;
            by_org[o].push(NewDistribution {
                campaign: Some(campaign.id),
                on: START + Duration::days(day as i64),
                pcode: pc(areas[s % areas.len()])?,
                site: None,
                item,
                quantity: q[s],
                households: h[s],
                individuals: p[s],
                import_key: Some(format!("demo-{code}-{s}")),
            });
        }
    }
    for (o, rows) in by_org.iter().enumerate() {
        store
            .import_distributions(None, partners[o], rows)
            .await
            .context("adding demo distributions")?;
    }

    // Households: the shared families, then others for each partner.
    let household = |name: &str,
                     father: &str,
                     year: i32,
                     pcode: &str,
                     n: usize|
     -> Result<NewHousehold, CliError> {
        let code = pc(pcode)?;
        let size = 3 + (n % 6) as u32;
        let flags = [
            Vulnerability::Displaced,
            Vulnerability::FemaleHeaded,
            Vulnerability::LostMember,
            Vulnerability::ChronicIllness,
        ];
        Ok(NewHousehold {
            identity: Identity {
                name: name.into(),
                father_name: father.into(),
                birth_year: Some(year),
                locality: pcode[..6.min(pcode.len())].to_owned(),
            },
            contact: Some(format!(
                "+963 9{:02} {:03} {:03}",
                30 + n % 60,
                (n * 37) % 1000,
                (n * 91) % 1000
            )),
            pcode: code,
            size,
            females: size / 2 + 1,
            males: size - size / 2 - 1,
            children: size / 2,
            elderly: u32::from(n % 4 == 0),
            vulnerability: vec![flags[n % flags.len()]],
            import_key: Some(format!("demo-hh-{n}")),
        })
    };
    let mut jableh = Vec::new();
    let mut baniyas = Vec::new();
    for (i, &(ar, ar_father, latin, latin_father, year)) in SHARED.iter().enumerate() {
        jableh.push(household(ar, ar_father, year, "SY060200", i)?);
        baniyas.push(household(latin, latin_father, year, "SY060204", 100 + i)?);
    }
    let mut others: Vec<Vec<NewHousehold>> = vec![Vec::new(); partners.len()];
    for n in 0..120 {
        let o = n % partners.len();
        let name = format!(
            "{} {}",
            GIVEN[n % GIVEN.len()],
            FAMILY[(n / GIVEN.len() + n) % FAMILY.len()]
        );
        let father = GIVEN[(n * 7 + 3) % GIVEN.len()];
        let areas = AREAS[o];
        others[o].push(household(
            &name,
            father,
            1950 + (n % 50) as i32,
            areas[n % areas.len()],
            1000 + n,
        )?);
    }
    others[1].splice(0..0, jableh);
    others[2].splice(0..0, baniyas);
    for (o, rows) in others.iter().enumerate() {
        store
            .import_households(None, partners[o], rows)
            .await
            .context("adding demo households")?;
    }

    // Cash for some registered families of the Baniyas partner.
    for h in store
        .list_households(partners[2])
        .await
        .context("listing demo households")?
        .iter()
        .take(12)
    {
        store
            .create_cash_transfer(
                None,
                partners[2],
                &NewCashTransfer {
                    household: h.id,
                    campaign: Some(campaign.id),
                    amount: 500_000,
                    currency: "SYP".into(),
                    paid_on: START + Duration::days(3),
                    modality: Modality::CashInHand,
                    allow_repeat: false,
                },
            )
            .await
            .context("adding a demo cash transfer")?;
    }

    // 350 volunteers.
    let skills = [
        "first aid",
        "driving",
        "cooking",
        "logistics",
        "psychosocial support",
    ];
    for n in 0..350 {
        let o = n % partners.len();
        let areas = AREAS[o];
        store
            .create_volunteer(
                partners[o],
                &NewVolunteer {
                    campaign: Some(campaign.id),
                    name: format!(
                        "{} {}",
                        GIVEN[(n * 5) % GIVEN.len()],
                        FAMILY[(n * 3) % FAMILY.len()]
                    ),
                    pcode: pc(areas[n % areas.len()])?,
                    skills: vec![
                        skills[n % skills.len()].into(),
                        skills[(n + 2) % skills.len()].into(),
                    ],
                    days_active: 1 + (n % 6) as u32,
                },
            )
            .await
            .context("adding a demo volunteer")?;
    }

    // Dialogue sessions with dignitaries, residents and activists.
    let sessions: [Session; 6] = [
        (
            1,
            "SY060200",
            1,
            [8, 40, 6, 15, 12],
            "عودة العائلات إلى القرى وسلامة الطرق",
            "لجنة أهلية مشتركة للطرق",
            "اجتماع أسبوعي في مركز جبلة",
        ),
        (
            2,
            "SY100200",
            2,
            [6, 35, 9, 10, 14],
            "Distribution fairness between neighbourhoods",
            "One list per neighbourhood, read aloud",
            "Joint distribution point in Baniyas",
        ),
        (
            0,
            "SY060000",
            2,
            [10, 20, 12, 8, 6],
            "تنسيق الشركاء وتفادي التكرار",
            "اعتماد بصمة الهوية لتفادي التكرار",
            "متابعة يومية للفجوات",
        ),
        (
            3,
            "SY100000",
            3,
            [5, 28, 7, 12, 16],
            "Needs of families displaced to Tartous",
            "Shelter list shared with the municipality",
            "Visit to the Safita shelters",
        ),
        (
            5,
            "SY060205",
            4,
            [4, 22, 5, 18, 9],
            "حماية الشباب والتعافي النفسي",
            "جلسات دعم أسبوعية",
            "مبادرة شبابية لترميم المدرسة",
        ),
        (
            4,
            "SY060400",
            5,
            [7, 30, 4, 9, 20],
            "Women-headed households and cash",
            "Priority list for cash",
            "Second cash round review",
        ),
    ];
    for (o, area, day, g, topics, outcomes, follow) in sessions {
        store
            .create_dialogue(
                partners[o],
                &Dialogue {
                    id: Default::default(),
                    org: partners[o],
                    campaign: Some(campaign.id),
                    held_on: START + Duration::days(day),
                    pcode: area.into(),
                    facilitators: "Lina, Sami".into(),
                    participants: Participants {
                        dignitaries: g[0],
                        residents: g[1],
                        activists: g[2],
                        youth: g[3],
                        women: g[4],
                    },
                    topics: topics.into(),
                    outcomes: outcomes.into(),
                    follow_ups: follow.into(),
                },
            )
            .await
            .context("adding a demo dialogue session")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_add_up() {
        for &(_, q, h, p) in PLAN {
            assert_eq!(split(q, 15).iter().sum::<u64>(), q);
            assert_eq!(split(h, 15).iter().sum::<u64>(), h);
            assert_eq!(split(p, 15).iter().sum::<u64>(), p);
        }
        let beneficiaries: u64 = PLAN.iter().map(|p| p.3).sum();
        assert_eq!(beneficiaries, 30_000);
    }
}
