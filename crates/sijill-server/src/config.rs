//! Settings of the HTTP server that the CLI or a test chooses.

use crate::ratelimit::LoginLimits;
use std::time::Duration;

/// How the server behaves; [`ServerConfig::default`] suits a local instance.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Set when clients reach the server over HTTPS (directly or via a TLS proxy):
    /// cookies get `Secure` and the `__Host-` prefix, and HSTS is sent.
    pub secure_cookies: bool,
    /// How long a session lasts after sign-in.
    pub session_ttl: Duration,
    /// Longest time a request may take before the server answers 408.
    pub request_timeout: Duration,
    /// Largest request body accepted, in bytes (413 beyond).
    pub body_limit: usize,
    /// Login rate limits.
    pub login_limits: LoginLimits,
    /// Set when a reverse proxy on the same host forwards requests: the client IP for
    /// login limits is then the last address of `X-Forwarded-For` (the one the proxy
    /// added), not the proxy's own. Leave unset when clients connect directly, or a
    /// client could choose its own IP.
    pub trust_forwarded_for: bool,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            secure_cookies: false,
            session_ttl: Duration::from_secs(12 * 3600),
            request_timeout: Duration::from_secs(30),
            body_limit: 2 * 1024 * 1024,
            login_limits: LoginLimits::default(),
            trust_forwarded_for: false,
        }
    }
}
