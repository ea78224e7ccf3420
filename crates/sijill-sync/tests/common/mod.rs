//! Test support shared by the sync tests: the server side in process and a transport
//! that drops calls at seeded random points.

#![allow(dead_code)]

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sijill_model::account::{NewOrganization, OrgId, OrgKind, Role};
use sijill_model::geo::PCode;
use sijill_store::{
    ApplyOutcome, Batch, ExportFilter, Fields, Identity, Keyring, NewDistribution, NewHousehold,
    PullPage, Store, SyncScope,
};
use sijill_sync::{Account, Transport, TransportError};
use std::sync::Mutex;
use uuid::Uuid;

/// The server side in process: what the HTTP handlers do, with the same scope.
pub struct Direct<'a> {
    pub server: &'a Store,
    pub org: OrgId,
    pub org_name: String,
    pub role: Role,
}

impl Transport for Direct<'_> {
    async fn account(&self) -> Result<Account, TransportError> {
        Ok(Account {
            organization: self.org_name.clone(),
        })
    }
    async fn push(&self, batch: &Batch) -> Result<ApplyOutcome, TransportError> {
        let scope = SyncScope::for_role(self.org, self.role);
        self.server
            .sync_apply(None, batch, Some(&scope), None)
            .await
            .map_err(|e| TransportError::Refused(e.to_string()))
    }
    async fn pull(&self, after: i64, limit: u32) -> Result<PullPage, TransportError> {
        let scope = SyncScope::for_role(self.org, self.role);
        let filter = ExportFilter {
            org: Some(self.org),
            kinds: Some(scope.kinds),
            local_only: false,
        };
        self.server
            .sync_export(&filter, after, limit)
            .await
            .map_err(|e| TransportError::Refused(e.to_string()))
    }
}

/// Drops calls at seeded random points.
pub struct Flaky<'a> {
    pub inner: Direct<'a>,
    pub rng: Mutex<ChaCha8Rng>,
    pub drops: Mutex<u32>,
}

impl Flaky<'_> {
    /// 0: deliver; 1: lose the request; 2: lose the answer.
    fn roll(&self) -> u8 {
        let r: f64 = self.rng.lock().unwrap().random();
        let fate = if r < 0.25 {
            1
        } else if r < 0.5 {
            2
        } else {
            0
        };
        if fate > 0 {
            *self.drops.lock().unwrap() += 1;
        }
        fate
    }
}

fn cut() -> TransportError {
    TransportError::Connection("the connection was cut".into())
}

impl Transport for Flaky<'_> {
    async fn account(&self) -> Result<Account, TransportError> {
        if self.roll() == 1 {
            return Err(cut());
        }
        self.inner.account().await
    }
    async fn push(&self, batch: &Batch) -> Result<ApplyOutcome, TransportError> {
        match self.roll() {
            1 => Err(cut()),
            2 => {
                self.inner.push(batch).await?;
                Err(cut())
            }
            _ => self.inner.push(batch).await,
        }
    }
    async fn pull(&self, after: i64, limit: u32) -> Result<PullPage, TransportError> {
        match self.roll() {
            1 => Err(cut()),
            2 => {
                self.inner.pull(after, limit).await?;
                Err(cut())
            }
            _ => self.inner.pull(after, limit).await,
        }
    }
}

/// Syncs until a run completes, as a user pressing "sync" again after each cut would.
pub async fn sync_until_done(store: &Store, t: &Flaky<'_>) -> sijill_sync::Report {
    for _ in 0..500 {
        match sijill_sync::sync(store, t, "server", |_| {}).await {
            Ok(r) => return r,
            Err(sijill_sync::SyncError::Transport(TransportError::Connection(_))) => continue,
            Err(e) => panic!("sync failed: {e}"),
        }
    }
    panic!("no sync completed in 500 attempts");
}

pub async fn instance(url: &str) -> Store {
    Store::open(url)
        .await
        .unwrap()
        .with_keyring(Keyring::generate())
        .await
        .unwrap()
}

pub fn flaky<'a>(server: &'a Store, org: OrgId, seed: u64) -> Flaky<'a> {
    Flaky {
        inner: Direct {
            server,
            org,
            org_name: "Jableh Youth".into(),
            role: Role::Coordinator,
        },
        rng: Mutex::new(ChaCha8Rng::seed_from_u64(seed)),
        drops: Mutex::new(0),
    }
}

pub async fn org(store: &Store, name: &str) -> OrgId {
    store
        .create_org(&NewOrganization {
            name: name.into(),
            name_ar: Some("شباب جبلة".into()),
            kind: OrgKind::Relief,
            network_member: true,
        })
        .await
        .unwrap()
        .id
}

pub fn household(name: &str) -> NewHousehold {
    NewHousehold {
        identity: Identity {
            name: name.into(),
            father_name: "Ali".into(),
            birth_year: Some(1980),
            locality: "SY0602".into(),
        },
        contact: Some("+963 911 111 111".into()),
        pcode: PCode::parse("SY060200").unwrap(),
        size: 4,
        females: 2,
        males: 2,
        children: 1,
        elderly: 0,
        vulnerability: Vec::new(),
        import_key: None,
    }
}

pub fn distribution(item: Uuid, quantity: u64) -> NewDistribution {
    NewDistribution {
        campaign: None,
        on: time::macros::date!(2025 - 03 - 12),
        pcode: PCode::parse("SY060200").unwrap(),
        site: Some("School square".into()),
        item,
        quantity,
        households: quantity,
        individuals: quantity * 5,
        import_key: None,
    }
}

pub fn set(pairs: &[(&str, &str)]) -> Fields {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), Some((*v).to_owned())))
        .collect()
}
