//! The relief story on both backends: a campaign with two partners, distributions
//! entered and imported (all or nothing, idempotent), households registered by both
//! partners for the same family (the duplicate alert shows the other organization and
//! nothing of its record), a merge, the duplicate-payment guard, volunteers, dialogue,
//! and the 4W, totals and gap reports.

use sijill_model::account::{NewOrganization, OrgId, OrgKind};
use sijill_model::geo::PCode;
use sijill_store::{
    Dialogue, Identity, Keyring, Modality, NewCampaign, NewCashTransfer, NewDistribution,
    NewHousehold, NewVolunteer, Participants, Store, StoreError, Vulnerability,
};
use time::macros::date;
use uuid::Uuid;

async fn org(store: &Store, name: &str) -> OrgId {
    store
        .create_org(&NewOrganization {
            name: name.into(),
            name_ar: None,
            kind: OrgKind::Relief,
            network_member: true,
        })
        .await
        .unwrap()
        .id
}

fn pc(s: &str) -> PCode {
    PCode::parse(s).unwrap()
}

fn household(name: &str, father: &str, pcode: &str, key: Option<&str>) -> NewHousehold {
    NewHousehold {
        identity: Identity {
            name: name.into(),
            father_name: father.into(),
            birth_year: Some(1975),
            locality: pcode[..6].into(),
        },
        contact: Some("+963 900 000 000".into()),
        pcode: pc(pcode),
        size: 5,
        females: 3,
        males: 2,
        children: 2,
        elderly: 1,
        vulnerability: vec![Vulnerability::FemaleHeaded, Vulnerability::Displaced],
        import_key: key.map(str::to_owned),
    }
}

async fn story(url: &str) {
    let store = Store::open(url)
        .await
        .unwrap()
        .with_keyring(Keyring::generate())
        .await
        .unwrap();
    let jableh = org(&store, "Jableh Youth").await;
    let baniyas = org(&store, "Baniyas Aid").await;
    let items = store.list_items().await.unwrap();
    let item = |code: &str| items.iter().find(|i| i.code == code).unwrap().id;
    assert!(items.last().unwrap().is_cash, "cash comes last");

    let campaign = store
        .create_campaign(&NewCampaign {
            name: "Coast week".into(),
            name_ar: Some("أسبوع الساحل".into()),
            starts_on: date!(2025 - 03 - 12),
            ends_on: date!(2025 - 03 - 17),
            lead_org: jableh,
            partners: vec![baniyas, jableh],
            areas: vec![pc("SY0602"), pc("SY1002"), pc("SY12")],
        })
        .await
        .unwrap();
    assert_eq!(campaign.partners, vec![jableh, baniyas]);
    let listed = store.campaign(campaign.id).await.unwrap().unwrap();
    assert_eq!(listed, campaign);
    let bad = NewCampaign {
        name: "Backwards".into(),
        name_ar: None,
        starts_on: date!(2025 - 03 - 12),
        ends_on: date!(2025 - 03 - 11),
        lead_org: jableh,
        partners: vec![],
        areas: vec![],
    };
    assert!(matches!(
        store.create_campaign(&bad).await,
        Err(StoreError::Invalid(_))
    ));

    // Distributions: one by hand, then an import that is all or nothing and idempotent.
    let dist = |on, pcode: &str, code: &str, q, hh, key: Option<&str>| NewDistribution {
        campaign: Some(campaign.id),
        on,
        pcode: pc(pcode),
        site: None,
        item: item(code),
        quantity: q,
        households: hh,
        individuals: hh * 5,
        import_key: key.map(str::to_owned),
    };
    let d = store
        .create_distribution(
            None,
            jableh,
            &dist(
                date!(2025 - 03 - 12),
                "SY060200",
                "food-basket",
                100,
                100,
                None,
            ),
        )
        .await
        .unwrap();
    assert_eq!(d.quantity, 100);
    let rows = vec![
        dist(
            date!(2025 - 03 - 13),
            "SY060200",
            "bread",
            3000,
            300,
            Some("k1"),
        ),
        dist(
            date!(2025 - 03 - 13),
            "SY100200",
            "food-basket",
            50,
            50,
            Some("k2"),
        ),
    ];
    let mut broken = rows.clone();
    broken.push(dist(
        date!(2025 - 03 - 13),
        "SY100200",
        "bread",
        0,
        0,
        Some("k3"),
    ));
    let err = store
        .import_distributions(None, baniyas, &broken)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("row 3"), "{err}");
    assert!(
        store.four_w(None).await.unwrap().len() == 1,
        "nothing of the failed import"
    );
    let first = store
        .import_distributions(None, baniyas, &rows)
        .await
        .unwrap();
    assert_eq!((first.added, first.already_there), (2, 0));
    let again = store
        .import_distributions(None, baniyas, &rows)
        .await
        .unwrap();
    assert_eq!((again.added, again.already_there), (0, 2));
    // The same key from another organization is its own row.
    let other = store
        .import_distributions(None, jableh, &rows[..1])
        .await
        .unwrap();
    assert_eq!(other.added, 1);

    let matrix = store.four_w(Some(campaign.id)).await.unwrap();
    assert_eq!(matrix.len(), 4);
    let bread: Vec<_> = matrix.iter().filter(|c| c.item == item("bread")).collect();
    assert_eq!(bread.len(), 2);
    assert!(
        bread
            .iter()
            .all(|c| c.quantity == 3000 && c.pcode == "SY060200")
    );
    let totals = store.item_totals(Some(campaign.id)).await.unwrap();
    let baskets = totals
        .iter()
        .find(|t| t.item == item("food-basket"))
        .unwrap();
    assert_eq!((baskets.quantity, baskets.households), (150, 150));

    // Daraa was a target and got nothing.
    let gaps = store.relief_gaps(Some(campaign.id)).await.unwrap();
    assert_eq!(
        gaps.iter().map(|g| g.pcode.as_str()).collect::<Vec<_>>(),
        ["SY12"]
    );
    assert!(gaps[0].reasons.contains(&"target"));

    // Households: the same family registered by both partners, in two scripts.
    let a = store
        .register_household(
            None,
            jableh,
            &household("محمد الحسن", "علي", "SY060200", Some("h1")),
        )
        .await
        .unwrap();
    let b = store
        .register_household(
            None,
            baniyas,
            &household("Mohammad al-Hasan", "Ali", "SY060201", None),
        )
        .await
        .unwrap();
    let lone = store
        .register_household(
            None,
            baniyas,
            &household("Rana Saleh", "Omar", "SY100200", None),
        )
        .await
        .unwrap();
    let mine = store.list_households(jableh).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].name, "محمد الحسن");
    assert_eq!(mine[0].contact.as_deref(), Some("+963 900 000 000"));
    assert_eq!(mine[0].also_registered_by, vec![baniyas]);
    assert_eq!(
        mine[0].vulnerability,
        vec![Vulnerability::FemaleHeaded, Vulnerability::Displaced]
    );
    let theirs = store.list_households(baniyas).await.unwrap();
    assert_eq!(theirs.len(), 2);
    let b_row = theirs.iter().find(|h| h.id == b).unwrap();
    assert_eq!(b_row.also_registered_by, vec![jableh]);
    assert!(
        theirs
            .iter()
            .find(|h| h.id == lone)
            .unwrap()
            .also_registered_by
            .is_empty()
    );
    // Neither partner can read the other's household.
    assert!(store.household(jableh, b).await.unwrap().is_none());
    assert!(store.household(baniyas, a).await.unwrap().is_none());
    assert_eq!(store.count_duplicate_alerts(jableh).await.unwrap(), 1);
    let reach = store.household_reach().await.unwrap();
    assert_eq!((reach.registered, reach.unique, reach.shared), (3, 2, 1));
    // A re-imported household adds nothing.
    let again = store
        .import_households(
            None,
            jableh,
            &[household("محمد الحسن", "علي", "SY060200", Some("h1"))],
        )
        .await
        .unwrap();
    assert_eq!((again.added, again.already_there), (0, 1));

    // Dismissing the match removes the alert on that side only.
    store
        .review_duplicate(None, baniyas, b, jableh, false)
        .await
        .unwrap();
    assert_eq!(store.count_duplicate_alerts(baniyas).await.unwrap(), 0);
    assert_eq!(store.count_duplicate_alerts(jableh).await.unwrap(), 1);
    assert_eq!(
        store.review_duplicate(None, jableh, b, baniyas, true).await,
        Err(StoreError::NotFound),
        "only the owner decides"
    );

    // Cash: the guard refuses a second payment to the same family, across partners.
    let pay = |household: Uuid, allow_repeat| NewCashTransfer {
        household,
        campaign: Some(campaign.id),
        amount: 500_000,
        currency: "syp".into(),
        paid_on: date!(2025 - 03 - 14),
        modality: Modality::CashInHand,
        allow_repeat,
    };
    let t = store
        .create_cash_transfer(None, jableh, &pay(a, false))
        .await
        .unwrap();
    assert_eq!(t.currency, "SYP");
    let prior = store
        .cash_guard(baniyas, b, date!(2025 - 03 - 20))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(prior.org, jableh);
    assert!(matches!(
        store
            .create_cash_transfer(None, baniyas, &pay(b, false))
            .await,
        Err(StoreError::Conflict(_))
    ));
    store
        .create_cash_transfer(None, baniyas, &pay(b, true))
        .await
        .unwrap();
    assert_eq!(
        store
            .create_cash_transfer(None, jableh, &pay(b, false))
            .await,
        Err(StoreError::NotFound),
        "a partner cannot pay another's household"
    );
    let (families, sums) = store.cash_totals().await.unwrap();
    assert_eq!(families, 1);
    assert_eq!(sums, vec![("SYP".to_string(), 1_000_000)]);
    assert_eq!(store.list_cash_transfers(jableh).await.unwrap().len(), 1);

    // Merge within one organization.
    let dup = store
        .register_household(
            None,
            baniyas,
            &household("Rana Saleh", "Omar", "SY100200", None),
        )
        .await
        .unwrap();
    store.merge_households(baniyas, lone, dup).await.unwrap();
    assert_eq!(
        store.merge_households(baniyas, lone, dup).await,
        Err(StoreError::NotFound)
    );
    assert_eq!(
        store.merge_households(jableh, a, b).await,
        Err(StoreError::NotFound)
    );
    let reach = store.household_reach().await.unwrap();
    assert_eq!(reach.registered, 3);

    // Volunteers and dialogue.
    let v = store
        .create_volunteer(
            jableh,
            &NewVolunteer {
                campaign: Some(campaign.id),
                name: "Sami".into(),
                pcode: pc("SY0602"),
                skills: vec!["first aid".into(), "driving".into()],
                days_active: 6,
            },
        )
        .await
        .unwrap();
    let vs = store.list_volunteers(jableh).await.unwrap();
    assert_eq!(vs[0].id, v);
    assert_eq!(vs[0].name, "Sami");
    assert_eq!(vs[0].skills, ["first aid", "driving"]);
    assert!(store.list_volunteers(baniyas).await.unwrap().is_empty());
    store
        .create_dialogue(
            baniyas,
            &Dialogue {
                id: Uuid::nil(),
                org: baniyas,
                campaign: Some(campaign.id),
                held_on: date!(2025 - 03 - 15),
                pcode: "SY1002".into(),
                facilitators: "Rami, Hala".into(),
                participants: Participants {
                    dignitaries: 6,
                    residents: 30,
                    activists: 8,
                    youth: 12,
                    women: 14,
                },
                topics: "Return of families; safety of roads".into(),
                outcomes: "Joint committee".into(),
                follow_ups: "Weekly meeting".into(),
            },
        )
        .await
        .unwrap();
    let seen_by_other = store.list_dialogues(jableh).await.unwrap();
    assert_eq!(
        seen_by_other[0].facilitators, "",
        "names stay with their organization"
    );
    assert_eq!(seen_by_other[0].participants.total(), 70);
    assert_eq!(
        store.list_dialogues(baniyas).await.unwrap()[0].facilitators,
        "Rami, Hala"
    );
    let people = store.people_totals(Some(campaign.id)).await.unwrap();
    assert_eq!(
        (people.volunteers, people.volunteer_days, people.sessions),
        (1, 6, 1)
    );
    assert_eq!(people.participants.dignitaries, 6);

    // Without the keyring no household can be registered or read.
    store.close().await;
    let bare = Store::open(url).await.unwrap();
    assert!(matches!(
        bare.list_households(jableh).await,
        Err(StoreError::Crypto(_))
    ));
    // Aggregates need no key.
    assert_eq!(bare.household_reach().await.unwrap().unique, 2);
    bare.close().await;
}

#[tokio::test]
async fn respond_sqlite() {
    let db = sijill_testkit::sqlite_url();
    story(db.url()).await;
}

#[tokio::test]
async fn respond_postgres() {
    let Some(db) = sijill_testkit::postgres() else {
        return;
    };
    story(db.url()).await;
}
