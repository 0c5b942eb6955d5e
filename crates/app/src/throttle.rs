//! Login throttling against password guessing: at most 5 failed attempts per login and 30 per
//! client address in any 15-minute window; beyond that, 429 until the oldest failure ages out.
//! Kept in memory: a restart clears it, which costs an attacker a restart they cannot cause.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const WINDOW: Duration = Duration::from_secs(15 * 60);
pub const MAX_PER_LOGIN: usize = 5;
pub const MAX_PER_IP: usize = 30;

#[derive(Default)]
pub struct Throttle {
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl Throttle {
    fn keys(login: &str, ip: Option<&str>) -> [(String, usize); 2] {
        [
            (format!("login:{}", login.to_lowercase()), MAX_PER_LOGIN),
            (format!("ip:{}", ip.unwrap_or("?")), MAX_PER_IP),
        ]
    }

    /// `Some(seconds to wait)` when this login or address is blocked now.
    pub fn blocked(&self, login: &str, ip: Option<&str>, now: Instant) -> Option<u64> {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let mut wait = None;
        for (key, max) in Self::keys(login, ip) {
            if let Some(q) = map.get_mut(&key) {
                while q.front().is_some_and(|t| now.duration_since(*t) >= WINDOW) {
                    q.pop_front();
                }
                if q.len() >= max {
                    let oldest = *q.front().expect("non-empty");
                    let secs = (WINDOW - now.duration_since(oldest)).as_secs().max(1);
                    wait = Some(wait.map_or(secs, |w: u64| w.max(secs)));
                }
            }
        }
        wait
    }

    pub fn fail(&self, login: &str, ip: Option<&str>, now: Instant) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > 100_000 {
            map.retain(|_, q| q.back().is_some_and(|t| now.duration_since(*t) < WINDOW));
        }
        for (key, _) in Self::keys(login, ip) {
            map.entry(key).or_default().push_back(now);
        }
    }

    /// A success clears the login's failures (not the address's: one right guess must not
    /// reset a spray across many logins).
    pub fn succeed(&self, login: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(&format!("login:{}", login.to_lowercase()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_block_the_login_for_the_rest_of_the_window() {
        let t = Throttle::default();
        let t0 = Instant::now();
        for i in 0..5 {
            assert_eq!(t.blocked("Admin", Some("1.2.3.4"), t0), None, "attempt {i}");
            t.fail("admin", Some("1.2.3.4"), t0);
        }
        let wait = t
            .blocked("ADMIN", Some("9.9.9.9"), t0 + Duration::from_secs(60))
            .unwrap();
        assert_eq!(wait, 14 * 60);
        assert_eq!(t.blocked("admin", None, t0 + WINDOW), None);
        assert_eq!(t.blocked("other", Some("1.2.3.4"), t0), None);
    }

    #[test]
    fn an_address_spraying_many_logins_is_blocked() {
        let t = Throttle::default();
        let t0 = Instant::now();
        for i in 0..30 {
            t.fail(&format!("user{i}"), Some("6.6.6.6"), t0);
        }
        assert!(t.blocked("someone", Some("6.6.6.6"), t0).is_some());
        assert!(t.blocked("someone", Some("7.7.7.7"), t0).is_none());
    }

    #[test]
    fn success_resets_the_login_counter() {
        let t = Throttle::default();
        let t0 = Instant::now();
        for _ in 0..4 {
            t.fail("chef", None, t0);
        }
        t.succeed("chef");
        t.fail("chef", None, t0);
        assert_eq!(t.blocked("chef", None, t0), None);
    }
}
