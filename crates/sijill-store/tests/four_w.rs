//! The 4W read model on both backends: the summary by organization × area × item and
//! its totals equal the sums of the distributions written (through the form path, the
//! audited API path and an import), every filter keeps exactly the distributions it
//! names, and the rows by day come a page at a time in a total order, the pages adding up
//! to the complete export with no row twice.

use sijill_model::account::{NewOrganization, OrgId, OrgKind};
use sijill_model::geo::PCode;
use sijill_store::{AuditEntry, FourWFilter, FourWSum, NewCampaign, NewDistribution, Store};
use std::collections::BTreeMap;
use time::macros::date;
use time::{Date, Duration};
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

/// What was written, to sum independently of the store.
#[derive(Clone)]
struct Written {
    org: OrgId,
    campaign: Option<Uuid>,
    pcode: &'static str,
    item: Uuid,
    on: Date,
    quantity: u64,
    households: u64,
}

impl Written {
    fn sum(rows: &[&Written]) -> FourWSum {
        FourWSum {
            quantity: rows.iter().map(|w| w.quantity).sum(),
            households: rows.iter().map(|w| w.households).sum(),
            individuals: rows.iter().map(|w| w.households * 4).sum(),
            distributions: rows.len() as u64,
        }
    }

    fn new_distribution(&self) -> NewDistribution {
        NewDistribution {
            campaign: self.campaign,
            on: self.on,
            pcode: PCode::parse(self.pcode).unwrap(),
            site: None,
            item: self.item,
            quantity: self.quantity,
            households: self.households,
            individuals: self.households * 4,
            import_key: None,
        }
    }
}

async fn story(url: &str, restore_into: Option<&str>) {
    let store = Store::open(url).await.unwrap();
    let jableh = org(&store, "Jableh Youth").await;
    let baniyas = org(&store, "Baniyas Relief").await;
    let items: Vec<Uuid> = store
        .list_items()
        .await
        .unwrap()
        .iter()
        .take(3)
        .map(|i| i.id)
        .collect();
    let campaign = store
        .create_campaign(&NewCampaign {
            name: "Coast week".into(),
            name_ar: None,
            starts_on: date!(2025 - 03 - 06),
            ends_on: date!(2025 - 03 - 20),
            lead_org: jableh,
            partners: vec![baniyas],
            areas: vec![PCode::parse("SY0602").unwrap()],
        })
        .await
        .unwrap()
        .id;
    // SY0602 (Jablah district) holds SY060200; SY0603 (Baniyas) is apart.
    let areas = ["SY0602", "SY060200", "SY0603"];
    let mut written = Vec::new();
    for i in 0..90u64 {
        written.push(Written {
            org: if i % 3 == 0 { baniyas } else { jableh },
            campaign: (i % 4 != 0).then_some(campaign),
            pcode: areas[(i % 3) as usize],
            item: items[(i / 3 % 3) as usize],
            on: date!(2025 - 03 - 06) + Duration::days((i % 7) as i64),
            quantity: 10 + i,
            households: 1 + i % 5,
        });
    }
    // A third through the audited path (group commit where it runs), a third one by one,
    // a third as one import: the read model follows each.
    for w in &written[..30] {
        let audit = AuditEntry {
            actor: None,
            org: Some(w.org),
            action: "distribution.create".into(),
            entity: "distribution".into(),
            entity_id: None,
            detail: serde_json::json!({}),
        };
        store
            .create_distribution_audited(None, w.org, &w.new_distribution(), audit)
            .await
            .unwrap();
    }
    for w in &written[30..60] {
        store
            .create_distribution(None, w.org, &w.new_distribution())
            .await
            .unwrap();
    }
    for o in [jableh, baniyas] {
        let rows: Vec<NewDistribution> = written[60..]
            .iter()
            .filter(|w| w.org == o)
            .map(Written::new_distribution)
            .collect();
        store.import_distributions(None, o, &rows).await.unwrap();
    }

    // The summary and its totals, against sums made here.
    let all = store.four_w_summary(&FourWFilter::default()).await.unwrap();
    let mut cells: BTreeMap<(OrgId, &str, Uuid), Vec<&Written>> = BTreeMap::new();
    for w in &written {
        cells.entry((w.org, w.pcode, w.item)).or_default().push(w);
    }
    assert_eq!(all.cells.len(), cells.len(), "{}", store.backend());
    for c in &all.cells {
        let rows = &cells[&(c.org, c.pcode.as_str(), c.item)];
        assert_eq!(c.sum, Written::sum(rows), "cell {c:?}");
    }
    let everything: Vec<&Written> = written.iter().collect();
    assert_eq!(all.total, Written::sum(&everything));
    assert_eq!(all.total.distributions, 90);
    for (o, s) in &all.by_org {
        let rows: Vec<&Written> = written.iter().filter(|w| w.org == *o).collect();
        assert_eq!(*s, Written::sum(&rows), "organization total");
    }
    assert_eq!(all.by_org.len(), 2);
    for (i, s) in &all.by_item {
        let rows: Vec<&Written> = written.iter().filter(|w| w.item == *i).collect();
        assert_eq!(*s, Written::sum(&rows), "item total");
    }
    assert_eq!(all.by_item.len(), 3);
    // The per-item figures the overview uses agree.
    let totals = store.item_totals(None).await.unwrap();
    for t in &totals {
        let s = all.by_item.iter().find(|(i, _)| *i == t.item).unwrap().1;
        assert_eq!((t.quantity, t.households), (s.quantity, s.households));
    }

    // Each filter keeps exactly what it names.
    let from = date!(2025 - 03 - 08);
    let to = date!(2025 - 03 - 10);
    type Keep = Box<dyn Fn(&Written) -> bool>;
    let filters: Vec<(FourWFilter, Keep)> = vec![
        (
            FourWFilter {
                campaign: Some(campaign),
                ..FourWFilter::default()
            },
            Box::new(move |w: &Written| w.campaign == Some(campaign)),
        ),
        (
            FourWFilter {
                org: Some(baniyas),
                ..FourWFilter::default()
            },
            Box::new(move |w: &Written| w.org == baniyas),
        ),
        (
            FourWFilter {
                pcodes: vec!["SY0602".into(), "SY060200".into()],
                ..FourWFilter::default()
            },
            Box::new(|w: &Written| w.pcode.starts_with("SY0602")),
        ),
        (
            FourWFilter {
                item: Some(items[1]),
                from: Some(from),
                to: Some(to),
                ..FourWFilter::default()
            },
            Box::new(move |w: &Written| w.item == items[1] && w.on >= from && w.on <= to),
        ),
    ];
    for (filter, keep) in &filters {
        let kept: Vec<&Written> = written.iter().filter(|w| keep(w)).collect();
        assert!(!kept.is_empty() && kept.len() < written.len());
        let got = store.four_w_summary(filter).await.unwrap();
        assert_eq!(got.total, Written::sum(&kept), "{filter:?}");
        let days = store.four_w_days(filter, 0, 1000).await.unwrap();
        let n: u64 = days.rows.iter().map(|r| r.distributions).sum();
        assert_eq!(n, kept.len() as u64, "{filter:?}");
        assert_eq!(days.total_rows, days.rows.len() as u64);
    }

    // Pages of 7 rows: they add up to the complete matrix, in its order, no row twice;
    // the same page asked twice is the same; past the end is empty.
    let full = store.four_w(None).await.unwrap();
    let filter = FourWFilter::default();
    let mut paged = Vec::new();
    let mut offset = 0;
    loop {
        let page = store.four_w_days(&filter, offset, 7).await.unwrap();
        assert_eq!(page.total_rows, full.len() as u64);
        assert!(page.rows.len() <= 7);
        if page.rows.is_empty() {
            break;
        }
        assert_eq!(
            store.four_w_days(&filter, offset, 7).await.unwrap(),
            page,
            "a page is stable"
        );
        offset += page.rows.len() as u64;
        paged.extend(page.rows);
    }
    assert_eq!(paged, full, "the pages are the complete matrix");
    assert!(full.len() > 14, "more than two pages");
    let keys: std::collections::BTreeSet<_> = full
        .iter()
        .map(|r| (r.on, r.pcode.clone(), r.item, r.org))
        .collect();
    assert_eq!(
        keys.len(),
        full.len(),
        "one row per day, area, item, organization"
    );
    let export: u64 = full.iter().map(|r| r.distributions).sum();
    assert_eq!(export, 90, "the export holds every distribution");

    // A PostgreSQL restore copies every table: the derived one comes back equal, not
    // doubled by the restored distributions' triggers.
    if let Some(target) = restore_into {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("four_w.dump");
        store.backup_to(&file).await.unwrap();
        let restored = Store::open(target).await.unwrap();
        restored.restore_dump(&file).await.unwrap();
        assert_eq!(restored.four_w(None).await.unwrap(), full);
        assert_eq!(
            restored
                .four_w_summary(&FourWFilter::default())
                .await
                .unwrap(),
            all
        );
        restored.close().await;
    }
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_w_sqlite() {
    let db = sijill_testkit::sqlite_url();
    story(db.url(), None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_w_postgres() {
    let (Some(db), Some(target)) = (sijill_testkit::postgres(), sijill_testkit::postgres()) else {
        return;
    };
    story(db.url(), Some(target.url())).await;
}
