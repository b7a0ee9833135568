//! Sign-in throttling: wrong admin tokens slow down further attempts, per
//! client address and for everyone, with exponential backoff.
//!
//! Each client address may get [`PER_ADDRESS_FREE`] wrong tokens in a row;
//! each further one locks that address out for twice as long as the last
//! (1 s, 2 s, 4 s … up to [`PER_ADDRESS_MAX`]). Across all addresses,
//! [`GLOBAL_FREE`] failures are allowed, then the sign-in form as a whole
//! backs off the same way up to [`GLOBAL_MAX`], which bounds a guessing
//! attack from many addresses. A success clears its address's count; a
//! count is forgotten [`FORGET_AFTER`] after its last failure. Refused
//! attempts are not checked against the token and do not count.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

/// Wrong tokens allowed per address before backoff starts.
pub(crate) const PER_ADDRESS_FREE: u32 = 5;
/// The longest an address is locked out.
pub(crate) const PER_ADDRESS_MAX: Duration = Duration::minutes(15);
/// Wrong tokens allowed from all addresses together before backoff starts.
pub(crate) const GLOBAL_FREE: u32 = 100;
/// The longest the sign-in form is closed for everyone.
pub(crate) const GLOBAL_MAX: Duration = Duration::minutes(1);
/// How long a failure count is kept after its last failure.
pub(crate) const FORGET_AFTER: Duration = Duration::minutes(15);
/// Addresses tracked before stale entries are swept.
const SWEEP_AT: usize = 10_000;

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: DateTime<Utc>,
}

impl Failures {
    /// When attempts may resume, if they are held back now.
    fn locked_until(&self, free: u32, max: Duration) -> Option<DateTime<Utc>> {
        let over = self.count.checked_sub(free)?.checked_sub(1)?;
        let delay = Duration::seconds(1i64 << over.min(30)).min(max);
        Some(self.last + delay)
    }

    fn stale(&self, now: DateTime<Utc>) -> bool {
        now - self.last > FORGET_AFTER
    }
}

#[derive(Debug, Default)]
struct State {
    per_address: HashMap<IpAddr, Failures>,
    global: Option<Failures>,
}

/// The sign-in form's throttle, shared by all its requests.
#[derive(Debug, Default)]
pub(crate) struct SignInThrottle {
    state: Mutex<State>,
}

impl SignInThrottle {
    /// `Err(wait)` when `client` must wait before trying a token again.
    pub(crate) fn check(&self, client: IpAddr, now: DateTime<Utc>) -> Result<(), Duration> {
        let Ok(state) = self.state.lock() else {
            // A poisoned lock: refuse rather than stop throttling.
            return Err(Duration::seconds(1));
        };
        let address = state
            .per_address
            .get(&client)
            .filter(|f| !f.stale(now))
            .and_then(|f| f.locked_until(PER_ADDRESS_FREE, PER_ADDRESS_MAX));
        let global = state
            .global
            .filter(|f| !f.stale(now))
            .and_then(|f| f.locked_until(GLOBAL_FREE, GLOBAL_MAX));
        match address.into_iter().chain(global).max() {
            Some(until) if until > now => Err(until - now),
            _ => Ok(()),
        }
    }

    /// Counts a wrong token from `client`.
    pub(crate) fn failed(&self, client: IpAddr, now: DateTime<Utc>) {
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        if state.per_address.len() >= SWEEP_AT {
            state.per_address.retain(|_, f| !f.stale(now));
        }
        let bump = |entry: Option<Failures>| match entry {
            Some(f) if !f.stale(now) => Failures {
                count: f.count.saturating_add(1),
                last: now,
            },
            _ => Failures {
                count: 1,
                last: now,
            },
        };
        let address = bump(state.per_address.get(&client).copied());
        state.per_address.insert(client, address);
        state.global = Some(bump(state.global));
    }

    /// Clears `client`'s count after a correct token.
    pub(crate) fn succeeded(&self, client: IpAddr) {
        if let Ok(mut state) = self.state.lock() {
            state.per_address.remove(&client);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(n: u8) -> IpAddr {
        IpAddr::from([192, 0, 2, n])
    }

    #[test]
    fn an_address_backs_off_exponentially_and_others_are_unaffected() {
        let throttle = SignInThrottle::default();
        let t = Utc::now();
        for _ in 0..PER_ADDRESS_FREE {
            assert!(throttle.check(ip(1), t).is_ok());
            throttle.failed(ip(1), t);
        }
        assert!(throttle.check(ip(1), t).is_ok());
        throttle.failed(ip(1), t);
        assert_eq!(throttle.check(ip(1), t), Err(Duration::seconds(1)));
        assert!(throttle.check(ip(2), t).is_ok());
        let t = t + Duration::seconds(1);
        assert!(throttle.check(ip(1), t).is_ok());
        throttle.failed(ip(1), t);
        assert_eq!(throttle.check(ip(1), t), Err(Duration::seconds(2)));
        throttle.failed(ip(1), t);
        assert_eq!(throttle.check(ip(1), t), Err(Duration::seconds(4)));
        for _ in 0..40 {
            throttle.failed(ip(1), t);
        }
        assert_eq!(throttle.check(ip(1), t), Err(PER_ADDRESS_MAX));
        throttle.succeeded(ip(1));
        assert!(throttle.check(ip(1), t).is_ok());
        // Forgotten after a quiet spell.
        throttle.failed(ip(3), t);
        for _ in 0..10 {
            throttle.failed(ip(3), t);
        }
        assert!(
            throttle
                .check(ip(3), t + FORGET_AFTER + Duration::seconds(1))
                .is_ok()
        );
    }

    #[test]
    fn many_addresses_together_close_the_form_for_everyone() {
        let throttle = SignInThrottle::default();
        let t = Utc::now();
        for n in 0..=GLOBAL_FREE {
            let client = IpAddr::from([198, 51, (n / 250) as u8, (n % 250) as u8]);
            throttle.failed(client, t);
        }
        let wait = throttle.check(ip(99), t).unwrap_err();
        assert_eq!(wait, Duration::seconds(1));
        assert!(throttle.check(ip(99), t + Duration::seconds(1)).is_ok());
    }
}
