//! Imported reference areas round-trip on both backends and replace older rows.

use sijill_model::geo::{AdminLevel, Area, CodeScheme, Gazetteer, PCode};
use sijill_store::Store;

fn area(code: &str, level: AdminLevel, parent: &str, en: &str, ar: &str) -> Area {
    Area {
        pcode: PCode::parse(code).unwrap(),
        level,
        parent: Some(PCode::parse(parent).unwrap()),
        name_en: en.into(),
        name_ar: ar.into(),
        aliases: vec!["Ayn ash-Sharqiyah".into()],
        scheme: CodeScheme::Ocha,
    }
}

async fn story(url: &str) {
    let store = Store::open(url).await.unwrap();
    assert!(store.imported_areas().await.unwrap().is_empty());
    let rows = vec![
        area(
            "SY060201",
            AdminLevel::SubDistrict,
            "SY0602",
            "Ein Elsharqiyeh",
            "عين الشرقية",
        ),
        area(
            "SY060202",
            AdminLevel::SubDistrict,
            "SY0602",
            "Qteilbiyyeh",
            "القطيلبية",
        ),
    ];
    assert_eq!(store.upsert_areas(&rows, "test.csv").await.unwrap(), 2);
    // Importing again replaces, never doubles.
    let mut again = rows.clone();
    again[1].name_en = "Al-Qutailibiyah".into();
    assert_eq!(store.upsert_areas(&again, "test2.csv").await.unwrap(), 2);
    let back = store.imported_areas().await.unwrap();
    assert_eq!(back, again);
    let g = Gazetteer::with_areas(back);
    assert_eq!(g.resolve("عين الشرقية").unwrap().pcode.as_str(), "SY060201");
    assert_eq!(
        g.resolve("Ayn ash-Sharqiyah").unwrap().pcode.as_str(),
        "SY060201"
    );
}

#[tokio::test]
async fn areas_sqlite() {
    let db = sijill_testkit::sqlite_url();
    story(db.url()).await;
}

#[tokio::test]
async fn areas_postgres() {
    let Some(db) = sijill_testkit::postgres() else {
        return;
    };
    story(db.url()).await;
}
