//! A property over random edit sequences (a seeded loop; `SIJILL_SLOW=1` runs more
//! seeds): two laptops create, edit and delete households, distributions, volunteers
//! (a personal name) and rescue missions (a timestamp) offline in a random order, syncing now and then over a transport cut at random points. After a
//! final round of syncs every instance holds the same revisions, the same records and
//! the same open conflicts, and every field edited by only one side since the last
//! sync shows that side's value.

mod common;

use common::{distribution, flaky, household, instance, org, set, sync_until_done};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sijill_store::document_field::NewRescueMission;
use sijill_store::document_types::{Actor, MissionKind};
use sijill_store::{ExportFilter, NewVolunteer, Store};
use std::collections::BTreeSet;
use uuid::Uuid;

async fn revision_ids(s: &Store) -> BTreeSet<Uuid> {
    s.sync_export(&ExportFilter::default(), 0, 10_000)
        .await
        .unwrap()
        .batch
        .revisions
        .into_iter()
        .map(|r| r.revision_id)
        .collect()
}

async fn conflict_set(s: &Store) -> BTreeSet<(String, Uuid, String, Vec<Uuid>)> {
    s.sync_conflicts(None)
        .await
        .unwrap()
        .into_iter()
        .map(|c| {
            let mut ids: Vec<Uuid> = c.candidates.iter().map(|v| v.revision_id).collect();
            ids.sort();
            (c.kind, c.record_id, c.field, ids)
        })
        .collect()
}

async fn run(seed: u64, steps: usize) {
    let dbs: Vec<_> = (0..3).map(|_| sijill_testkit::sqlite_url()).collect();
    let server = instance(dbs[0].url()).await;
    let laptops = [instance(dbs[1].url()).await, instance(dbs[2].url()).await];
    let server_org = org(&server, "Jableh Youth").await;
    let orgs = [
        org(&laptops[0], "Jableh Youth").await,
        org(&laptops[1], "Jableh Youth").await,
    ];
    let item = laptops[0]
        .create_item(
            "prop-kit",
            ("Hygiene kit", "حقيبة نظافة"),
            ("kit", "حقيبة"),
            false,
        )
        .await
        .unwrap();
    let transports = [
        flaky(&server, server_org, seed * 2 + 1),
        flaky(&server, server_org, seed * 2 + 2),
    ];
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut records: Vec<(&str, Uuid)> = Vec::new();
    // What each laptop wrote to each field since it last synced, to check no edit is lost.
    let mut unsynced: [Vec<(&str, Uuid, &str, String)>; 2] = [Vec::new(), Vec::new()];
    for step in 0..steps {
        let who = rng.random_range(0..2usize);
        let store = &laptops[who];
        let op = rng.random_range(0..12u8);
        match op {
            0..=1 => {
                let id = store
                    .register_household(
                        None,
                        orgs[who],
                        &household(&format!("Household {seed}-{step}")),
                    )
                    .await
                    .unwrap();
                records.push(("household", id));
            }
            2 if who == 0 => {
                let id = store
                    .create_distribution(
                        None,
                        orgs[who],
                        &distribution(item.id, rng.random_range(1..50)),
                    )
                    .await
                    .unwrap()
                    .id;
                records.push(("distribution", id));
            }
            8 => {
                let id = store
                    .create_volunteer(
                        orgs[who],
                        &NewVolunteer {
                            campaign: None,
                            name: format!("Volunteer {seed}-{step}"),
                            pcode: sijill_model::geo::PCode::parse("SY0602").unwrap(),
                            skills: vec!["first aid".into()],
                            days_active: rng.random_range(0..20),
                        },
                    )
                    .await
                    .unwrap();
                records.push(("volunteer", id));
            }
            9 => {
                let id = store
                    .create_rescue_mission(
                        &NewRescueMission {
                            team: format!("Team {step}"),
                            started_at: time::macros::datetime!(2025-03-09 06:00 UTC),
                            area: "SY0602".into(),
                            place: "orchards".into(),
                            kind: MissionKind::SearchRescue,
                            rescued_alive: rng.random_range(0..9),
                            bodies_recovered: 0,
                            remarks: "none".into(),
                            handed_over_to: "hospital".into(),
                        },
                        Actor {
                            user: None,
                            org: orgs[who],
                        },
                    )
                    .await
                    .unwrap()
                    .id;
                records.push(("rescue-mission", id));
            }
            3..=6 if !records.is_empty() => {
                let (kind, id) = records[rng.random_range(0..records.len())];
                let (field, value) = match (kind, rng.random_range(0..3u8)) {
                    ("household", 0) => ("size", rng.random_range(1..12u32).to_string()),
                    ("household", 1) => ("pcode", format!("SY06020{}", rng.random_range(0..3u8))),
                    ("household", _) => ("name_sealed", format!("{{\"name\":\"edit {step}\"}}")),
                    ("volunteer", 0) => ("days_active", rng.random_range(0..30u32).to_string()),
                    ("volunteer", 1) => ("skills", format!("skill {step}")),
                    ("volunteer", _) => ("name_sealed", format!("Name {step}")),
                    ("rescue-mission", 0) => ("remarks", format!("remark {step}")),
                    ("rescue-mission", 1) => {
                        ("rescued_alive", rng.random_range(0..9u32).to_string())
                    }
                    ("rescue-mission", _) => (
                        "started_at",
                        format!("2025-03-{:02}T06:00:00.000000Z", 10 + step % 18),
                    ),
                    (_, 0) => ("quantity", rng.random_range(1..90u32).to_string()),
                    (_, _) => ("site", format!("site {step}")),
                };
                match store
                    .sync_edit(None, orgs[who], kind, id, &set(&[(field, &value)]))
                    .await
                {
                    Ok(()) => {
                        unsynced[who]
                            .retain(|(k, i, f, _)| !(*k == kind && *i == id && *f == field));
                        unsynced[who].push((kind, id, field, value));
                    }
                    // Not here yet (made on the other laptop, not synced) or deleted here.
                    Err(sijill_store::StoreError::NotFound) => {}
                    Err(e) => panic!("edit failed: {e}"),
                }
            }
            7 if !records.is_empty() => {
                let (kind, id) = records[rng.random_range(0..records.len())];
                match store.sync_delete(None, orgs[who], kind, id).await {
                    Ok(()) | Err(sijill_store::StoreError::NotFound) => {}
                    Err(e) => panic!("delete failed: {e}"),
                }
            }
            _ => {
                sync_until_done(store, &transports[who]).await;
                unsynced[who].clear();
            }
        }
    }
    // The last unsynced edits of a side that the other side did not touch must survive.
    let touched_by = |w: usize| -> BTreeSet<(&str, Uuid, &str)> {
        unsynced[w]
            .iter()
            .map(|(k, i, f, _)| (*k, *i, *f))
            .collect()
    };
    let (t0, t1) = (touched_by(0), touched_by(1));
    let expected: Vec<(&str, Uuid, &str, String)> = unsynced
        .iter()
        .enumerate()
        .flat_map(|(w, edits)| {
            let other = if w == 0 { &t1 } else { &t0 };
            edits
                .iter()
                .filter(|(k, i, f, _)| !other.contains(&(*k, *i, *f)))
                .cloned()
                .collect::<Vec<_>>()
        })
        .collect();
    for _ in 0..2 {
        for w in 0..2 {
            sync_until_done(&laptops[w], &transports[w]).await;
        }
    }
    let snap = server.sync_snapshot().await.unwrap();
    let revs = revision_ids(&server).await;
    let conflicts = conflict_set(&server).await;
    for l in &laptops {
        assert_eq!(
            l.sync_snapshot().await.unwrap(),
            snap,
            "seed {seed}: same records"
        );
        assert_eq!(revision_ids(l).await, revs, "seed {seed}: same revisions");
        assert_eq!(
            conflict_set(l).await,
            conflicts,
            "seed {seed}: same conflicts"
        );
    }
    for (kind, id, field, value) in expected {
        // A record deleted meanwhile is a tombstone; otherwise the lone edit shows.
        if let Some(rec) = snap.get(&(kind.to_owned(), id)) {
            let open = conflicts.iter().any(|c| c.1 == id && c.2 == field);
            assert!(
                open || rec[field].as_deref() == Some(value.as_str()),
                "seed {seed}: {kind} {id} {field} lost its only edit"
            );
        }
    }
}

#[tokio::test]
async fn random_edit_sequences_converge() {
    let (seeds, steps) = if std::env::var("SIJILL_SLOW").is_ok_and(|v| v == "1") {
        (12, 60)
    } else {
        (4, 30)
    };
    for seed in 0..seeds {
        run(seed, steps).await;
    }
}
