//! `sijill import distributions|households`: all or nothing, idempotent, errors with
//! file, line and column (exit 2).

mod common;

use common::sijill;
use sijill_model::account::{NewOrganization, OrgKind};

#[tokio::test]
async fn import_kobo_exports() {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("r.db");
    let db = format!("sqlite:{}", db_path.display());
    let store = sijill_store::Store::open(&db).await.unwrap();
    store
        .create_org(&NewOrganization {
            name: "Jableh Youth".into(),
            name_ar: None,
            kind: OrgKind::Relief,
            network_member: true,
        })
        .await
        .unwrap();
    store.close().await;

    let good = dir.path().join("dist.csv");
    std::fs::write(
        &good,
        "g/date;g/area;g/item;g/quantity;g/households;g/religion;_uuid\n\
         2025-03-12;Jableh;food-basket;120;120;x;a1\n\
         2025-03-13;SY1002;bread;٣٠٠٠;300;y;a2\n",
    )
    .unwrap();
    let file = good.to_str().unwrap();
    let out = sijill(&[
        "import",
        "distributions",
        file,
        "--org",
        "Jableh Youth",
        "--db",
        &db,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("2 added, 0 already there"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("\"g/religion\" dropped"));
    let again = sijill(&[
        "import",
        "distributions",
        file,
        "--org",
        "Jableh Youth",
        "--db",
        &db,
    ]);
    assert!(String::from_utf8_lossy(&again.stdout).contains("0 added, 2 already there"));

    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "date,area,item,quantity\n2025-03-12,Jableh,food-basket,5\n2025-03-12,Atlantis,food-basket,5\n",
    )
    .unwrap();
    let out = sijill(&[
        "import",
        "distributions",
        bad.to_str().unwrap(),
        "--org",
        "Jableh Youth",
        "--db",
        &db,
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.csv:3:2:"), "{err}");

    let hh = dir.path().join("hh.csv");
    std::fs::write(
        &hh,
        "name,father_name,area,size,_uuid\nRana Saleh,Omar,Banyas,4,h1\n",
    )
    .unwrap();
    let out = sijill(&[
        "import",
        "households",
        hh.to_str().unwrap(),
        "--org",
        "Jableh Youth",
        "--db",
        &db,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Nothing of the refused file was written: 2 distributions in all.
    let store = sijill_store::Store::open(&db).await.unwrap();
    let n: u64 = store
        .four_w(None)
        .await
        .unwrap()
        .iter()
        .map(|c| c.distributions)
        .sum();
    assert_eq!(n, 2);
    store.close().await;
}
