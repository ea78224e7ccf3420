//! The 4W page over HTTP on both backends: the summary by organization × area × item
//! with its totals, the rows by day a page at a time behind stable links that keep the
//! filter, each filter (organization, area with the areas inside it, item, dates), a
//! filter that is not understood, both languages, no script; and the exports still hold
//! every row.

use crate::respond_http::{PASSWORD, start, user};
use crate::support::{Browser, PAGE_BUDGET};
use reqwest::StatusCode;
use sijill_model::account::Role;
use sijill_model::geo::PCode;
use sijill_store::NewDistribution;
use time::macros::date;
use time::{Date, Duration};

/// Thousands with a comma, as the English pages print counts.
fn en(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

async fn story(url: &str) {
    let (base, store, stop) = start(url).await;
    user(&store, "Jableh Youth", "coord4w", Role::Coordinator).await;
    user(&store, "Baniyas Aid", "field4w", Role::Field).await;
    let jableh = store.org_by_name("Jableh Youth").await.unwrap().unwrap().id;
    let baniyas = store.org_by_name("Baniyas Aid").await.unwrap().unwrap().id;
    let items = store.list_items().await.unwrap();
    let bread = items.iter().find(|i| i.code == "bread").unwrap().id;
    let basket = items.iter().find(|i| i.code == "food-basket").unwrap().id;
    let dist = |on: Date, pcode: &str, item, quantity: u64, households: u64| NewDistribution {
        campaign: None,
        on,
        pcode: PCode::parse(pcode).unwrap(),
        site: None,
        item,
        quantity,
        households,
        individuals: households * 5,
        import_key: None,
    };
    // Jableh: bread in Jablah district every day for 130 days; Baniyas: food baskets in
    // Baniyas district on five days in June. 135 rows by day, three pages of 50.
    let start_day = date!(2025 - 01 - 01);
    let jableh_rows: Vec<NewDistribution> = (0..130u64)
        .map(|d| {
            dist(
                start_day + Duration::days(d as i64),
                "SY0602",
                bread,
                d + 1,
                2,
            )
        })
        .collect();
    let baniyas_rows: Vec<NewDistribution> = (0..5u64)
        .map(|d| {
            dist(
                date!(2025 - 06 - 01) + Duration::days(d as i64),
                "SY1002",
                basket,
                10,
                3,
            )
        })
        .collect();
    store
        .import_distributions(None, jableh, &jableh_rows)
        .await
        .unwrap();
    store
        .import_distributions(None, baniyas, &baniyas_rows)
        .await
        .unwrap();
    let bread_total: u64 = jableh_rows.iter().map(|d| d.quantity).sum();
    let households: u64 = jableh_rows
        .iter()
        .chain(&baniyas_rows)
        .map(|d| d.households)
        .sum();

    let mut coord = Browser::new(base.clone());
    let res = coord.login("coord4w", PASSWORD).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);

    // The first page: the summary and its totals, then 50 rows and the way on.
    let first = coord.get("/respond/4w?lang=en").await;
    assert_eq!(first.status, StatusCode::OK);
    let body = &first.body;
    assert!(body.len() < PAGE_BUDGET, "{} bytes", body.len());
    assert!(!body.contains("<script"), "no script");
    assert!(body.contains("Summary by organization, area and item"));
    assert!(body.contains(&format!("<td class=\"n\">{}</td>", en(bread_total))));
    assert!(body.contains("Total for Jableh Youth"));
    assert!(body.contains("Total for Baniyas Aid"));
    let grand = body.split("class=\"total grand\"").nth(1).unwrap();
    assert!(
        grand.contains(&format!("<td class=\"n\">{}</td>", en(households))),
        "grand total of households"
    );
    assert!(body.contains("Rows 1–50 of 135 (page 1 of 3)"), "{body}");
    assert!(body.contains("2025-01-01") && !body.contains("2025-06-05"));
    assert!(body.contains("href=\"/respond/4w?page=2#days\" rel=\"next\""));

    // The last page holds the rest, and links back; an address is stable.
    let last = coord.get("/respond/4w?page=3").await;
    assert!(last.body.contains("Rows 101–135 of 135 (page 3 of 3)"));
    assert!(
        last.body
            .contains("href=\"/respond/4w?page=2#days\" rel=\"prev\"")
    );
    let second = coord.get("/respond/4w?page=2").await;
    assert!(second.body.contains("Rows 51–100 of 135 (page 2 of 3)"));
    assert!(last.body.contains("2025-06-05") && !last.body.contains("<bdi>2025-01-01</bdi>"));
    assert!(
        second
            .body
            .contains("href=\"/respond/4w#days\" rel=\"prev\"")
    );
    let again = coord.get("/respond/4w?page=2").await;
    let rows = |b: &str| {
        b.split("<h2 id=\"days\">")
            .nth(1)
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(rows(&again.body), rows(&second.body));
    // Past the end: the last page.
    let past = coord.get("/respond/4w?page=99").await;
    assert!(past.body.contains("Rows 101–135 of 135"));

    // Filters: one organization (its links keep it), an area with the areas inside it,
    // an item and a range of days.
    let only_j = coord.get(&format!("/respond/4w?org={jableh}")).await;
    assert!(only_j.body.contains("Rows 1–50 of 130"));
    assert!(
        only_j.body.contains(&format!(
            "href=\"/respond/4w?org={jableh}&#38;page=2#days\""
        )),
        "{}",
        only_j
            .body
            .split("class=\"pager\"")
            .nth(1)
            .unwrap_or_default()
    );
    assert!(!only_j.body.contains("Total for Baniyas Aid"));
    let only_b = coord.get(&format!("/respond/4w?org={baniyas}")).await;
    assert!(only_b.body.contains("Rows 1–5 of 5"));
    assert!(
        !only_b.body.contains("class=\"pager\""),
        "one page, no pager"
    );
    let tartous = coord.get("/respond/4w?area=SY10").await;
    assert!(
        tartous.body.contains("Rows 1–5 of 5"),
        "SY1002 lies in SY10"
    );
    let days = coord
        .get(&format!(
            "/respond/4w?item={bread}&from=2025-01-05&to=2025-01-09"
        ))
        .await;
    assert!(days.body.contains("Rows 1–5 of 5"));
    let week: u64 = jableh_rows[4..9].iter().map(|d| d.quantity).sum();
    assert!(days.body.contains(&format!("<td class=\"n\">{week}</td>")));
    assert!(
        days.body.contains("value=\"2025-01-05\""),
        "the form shows the filter"
    );
    // A filter that is not understood is said so and left out.
    let bad = coord.get("/respond/4w?org=nobody&from=soon").await;
    assert_eq!(bad.status, StatusCode::OK);
    assert!(bad.body.contains("role=\"alert\""));
    assert!(bad.body.contains("Rows 1–50 of 135"));

    // Arabic, right to left, Arabic digits.
    let ar = coord.get("/respond/4w?lang=ar&page=2").await;
    assert!(ar.body.contains("dir=\"rtl\""));
    assert!(ar.body.contains("الصفوف ٥١–١٠٠ من ١٣٥"), "{}", ar.body);
    assert!(ar.body.contains("الصفحة السابقة"));

    // The exports are not paged.
    let csv = coord.get("/respond/4w.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.body.lines().count(), 2 + 135);
    let json = coord.get("/api/v1/respond/4w").await;
    assert_eq!(json.status, StatusCode::OK);
    assert_eq!(json.json().as_array().unwrap().len(), 135);

    let _ = stop.send(());
    store.close().await;
}

#[tokio::test]
async fn four_w_pages_sqlite() {
    let db = sijill_testkit::sqlite_url();
    story(db.url()).await;
}

#[tokio::test]
async fn four_w_pages_postgres() {
    let Some(db) = sijill_testkit::postgres() else {
        return;
    };
    story(db.url()).await;
}
