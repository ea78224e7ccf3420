//! Login rate limiting, in memory and bounded.
//!
//! Failed sign-ins are counted per username and per client IP in fixed windows. When
//! either count reaches its limit, further attempts for that key are refused until the
//! window ends, whether or not the password is right (so guessing cannot continue).
//! A successful sign-in clears the username's count. The table holds at most
//! `capacity` keys: when full, expired windows are dropped first, then the oldest.
//! Time is passed in, so the tests drive the clock without sleeping.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Limits of the login limiter.
#[derive(Debug, Clone)]
pub struct LoginLimits {
    /// Failures allowed per username in one window.
    pub per_user: u32,
    /// Failures allowed per client IP in one window.
    pub per_ip: u32,
    /// Length of a window.
    pub window: Duration,
    /// Most keys kept in memory.
    pub capacity: usize,
}

impl Default for LoginLimits {
    fn default() -> Self {
        LoginLimits {
            per_user: 5,
            per_ip: 30,
            window: Duration::from_secs(15 * 60),
            capacity: 10_000,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    User(String),
    Ip(IpAddr),
}

#[derive(Debug, Clone, Copy)]
struct Window {
    start: Instant,
    failures: u32,
}

/// Counts failed logins; shared by all requests of one server.
#[derive(Debug)]
pub struct LoginLimiter {
    limits: LoginLimits,
    table: Mutex<HashMap<Key, Window>>,
}

impl LoginLimiter {
    /// A limiter with these limits and an empty table.
    pub fn new(limits: LoginLimits) -> Self {
        LoginLimiter {
            limits,
            table: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Window>> {
        // A panic while holding the lock cannot leave the counts inconsistent.
        self.table.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn limit(&self, key: &Key) -> u32 {
        match key {
            Key::User(_) => self.limits.per_user,
            Key::Ip(_) => self.limits.per_ip,
        }
    }

    fn keys(username: &str, ip: Option<IpAddr>) -> Vec<Key> {
        let mut keys = vec![Key::User(username.trim().to_lowercase())];
        keys.extend(ip.map(Key::Ip));
        keys
    }

    /// Whether an attempt for this username from this IP may be checked now.
    pub fn allowed(&self, username: &str, ip: Option<IpAddr>, now: Instant) -> bool {
        let table = self.lock();
        Self::keys(username, ip)
            .iter()
            .all(|key| match table.get(key) {
                Some(w) if now.saturating_duration_since(w.start) < self.limits.window => {
                    w.failures < self.limit(key)
                }
                _ => true,
            })
    }

    /// Records a failed attempt.
    pub fn record_failure(&self, username: &str, ip: Option<IpAddr>, now: Instant) {
        let mut table = self.lock();
        for key in Self::keys(username, ip) {
            if !table.contains_key(&key) && table.len() >= self.limits.capacity {
                self.make_room(&mut table, now);
            }
            let w = table.entry(key).or_insert(Window {
                start: now,
                failures: 0,
            });
            if now.saturating_duration_since(w.start) >= self.limits.window {
                *w = Window {
                    start: now,
                    failures: 0,
                };
            }
            w.failures = w.failures.saturating_add(1);
        }
    }

    /// Records a successful sign-in: the username's failures are forgotten.
    pub fn record_success(&self, username: &str) {
        self.lock()
            .remove(&Key::User(username.trim().to_lowercase()));
    }

    fn make_room(&self, table: &mut HashMap<Key, Window>, now: Instant) {
        let window = self.limits.window;
        table.retain(|_, w| now.saturating_duration_since(w.start) < window);
        if table.len() >= self.limits.capacity {
            if let Some(oldest) = table
                .iter()
                .min_by_key(|(_, w)| w.start)
                .map(|(k, _)| k.clone())
            {
                table.remove(&oldest);
            }
        }
    }

    /// Number of keys held (for tests and metrics).
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether no key is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter(capacity: usize) -> LoginLimiter {
        LoginLimiter::new(LoginLimits {
            per_user: 3,
            per_ip: 5,
            window: Duration::from_secs(60),
            capacity,
        })
    }

    #[test]
    fn per_user_limit_and_window() {
        let l = limiter(100);
        let t0 = Instant::now();
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        for _ in 0..3 {
            assert!(l.allowed("Amal", Some(ip), t0));
            l.record_failure("Amal", Some(ip), t0);
        }
        assert!(!l.allowed("amal", Some(ip), t0), "case-folded username");
        assert!(
            !l.allowed("amal", None, t0),
            "username limit holds from any IP"
        );
        assert!(l.allowed("other", Some(ip), t0));
        assert!(
            l.allowed("amal", None, t0 + Duration::from_secs(61)),
            "window ends"
        );
        l.record_success("amal");
        assert!(l.allowed("amal", Some(ip), t0));
    }

    #[test]
    fn per_ip_limit_spans_usernames() {
        let l = limiter(100);
        let t0 = Instant::now();
        let ip: IpAddr = "2001:db8::1".parse().unwrap();
        for i in 0..5 {
            l.record_failure(&format!("user{i}"), Some(ip), t0);
        }
        assert!(!l.allowed("fresh", Some(ip), t0));
        assert!(l.allowed("fresh", Some("2001:db8::2".parse().unwrap()), t0));
    }

    #[test]
    fn table_stays_bounded() {
        let l = limiter(10);
        let t0 = Instant::now();
        for i in 0..100u32 {
            l.record_failure(&format!("u{i}"), None, t0 + Duration::from_millis(i.into()));
            assert!(l.len() <= 10);
        }
        // The newest keys survive eviction.
        assert!(!l.is_empty());
        l.record_failure("u99", None, t0 + Duration::from_millis(100));
        l.record_failure("u99", None, t0 + Duration::from_millis(100));
        assert!(!l.allowed("u99", None, t0 + Duration::from_millis(100)));
    }
}
