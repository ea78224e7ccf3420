//! The state shared by every request: the store, the configuration, the login limiter.

use crate::config::ServerConfig;
use crate::ratelimit::LoginLimiter;
use sijill_model::geo::Gazetteer;
use sijill_store::Store;
use std::sync::Arc;

/// Everything a handler needs; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// Server settings.
    pub config: Arc<ServerConfig>,
    /// Failed-login counters.
    pub limiter: Arc<LoginLimiter>,
    /// Reference geography for the areas lookup.
    pub geo: Arc<Gazetteer>,
}

impl AppState {
    /// State over an opened store (see `sijill_store::Store::open`) with these settings
    /// and the compiled-in reference geography.
    pub fn new(store: Store, config: ServerConfig) -> Self {
        let limiter = Arc::new(LoginLimiter::new(config.login_limits.clone()));
        AppState {
            store,
            config: Arc::new(config),
            limiter,
            geo: Arc::new(Gazetteer::builtin()),
        }
    }

    /// The same state with another gazetteer (e.g. built-in areas plus an imported
    /// COD-AB table: `Gazetteer::with_areas`).
    pub fn with_gazetteer(mut self, geo: Gazetteer) -> Self {
        self.geo = Arc::new(geo);
        self
    }
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}
