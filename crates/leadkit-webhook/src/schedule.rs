//! When to try a failed delivery again, and when to give up on an
//! endpoint.

use std::time::{Duration, SystemTime};

/// The waits between attempts: exponential steps over about a day, each
/// spread by a random jitter so that endpoints that failed together do not
/// all retry in the same second.
#[derive(Debug, Clone, PartialEq)]
pub struct RetrySchedule {
    delays: Vec<Duration>,
    jitter: f64,
    max_retry_after: Duration,
}

impl Default for RetrySchedule {
    /// 5 s, 5 min, 30 min, 2 h, 5 h, 10 h (17.6 h in all, 7 attempts),
    /// ±20 % jitter, and a `Retry-After` honoured up to 24 h.
    fn default() -> Self {
        const MINUTE: u64 = 60;
        const HOUR: u64 = 60 * MINUTE;
        Self {
            delays: [5, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR]
                .into_iter()
                .map(Duration::from_secs)
                .collect(),
            jitter: 0.2,
            max_retry_after: Duration::from_secs(24 * HOUR),
        }
    }
}

impl RetrySchedule {
    /// A schedule with these waits (the first is the wait after the first
    /// failed attempt). An empty list never retries.
    pub fn new(delays: impl IntoIterator<Item = Duration>) -> Self {
        Self {
            delays: delays.into_iter().collect(),
            ..Self::default()
        }
    }

    /// With a jitter of `fraction` either way (clamped to `0.0..=0.5`).
    #[must_use]
    pub fn jitter(mut self, fraction: f64) -> Self {
        self.jitter = if fraction.is_finite() {
            fraction.clamp(0.0, 0.5)
        } else {
            0.0
        };
        self
    }

    /// With the longest `Retry-After` that is honoured; longer ones are cut
    /// to it (a receiver cannot park an event for a year).
    #[must_use]
    pub fn max_retry_after(mut self, max: Duration) -> Self {
        self.max_retry_after = max;
        self
    }

    /// How many attempts an event gets in all.
    pub fn attempts(&self) -> usize {
        self.delays.len() + 1
    }

    /// The wait after `failed_attempts` attempts have failed (1 after the
    /// first), or `None` when the schedule is spent. `retry_after` is the
    /// receiver's `Retry-After`: the wait is never shorter. `unit` is a
    /// random number in `0.0..1.0` that places the wait in its jitter band;
    /// [`RetrySchedule::next_wait`] draws it.
    pub fn wait_with(
        &self,
        failed_attempts: u32,
        retry_after: Option<Duration>,
        unit: f64,
    ) -> Option<Duration> {
        let index = usize::try_from(failed_attempts.checked_sub(1)?).ok()?;
        let base = *self.delays.get(index)?;
        let unit = if unit.is_finite() {
            unit.clamp(0.0, 1.0)
        } else {
            0.5
        };
        let factor = 1.0 - self.jitter + 2.0 * self.jitter * unit;
        let jittered = base.mul_f64(factor);
        let asked = retry_after.map_or(Duration::ZERO, |d| d.min(self.max_retry_after));
        Some(jittered.max(asked))
    }

    /// [`RetrySchedule::wait_with`] with a random `unit`.
    pub fn next_wait(
        &self,
        failed_attempts: u32,
        retry_after: Option<Duration>,
    ) -> Option<Duration> {
        self.wait_with(failed_attempts, retry_after, random_unit())
    }
}

/// A number in `0.0..1.0` from the OS source; 0.5 (no jitter) if it fails.
fn random_unit() -> f64 {
    let mut bytes = [0_u8; 8];
    match getrandom::fill(&mut bytes) {
        // 53 random bits: exactly representable in an f64.
        Ok(()) => (u64::from_le_bytes(bytes) >> 11) as f64 / (1_u64 << 53) as f64,
        Err(_) => 0.5,
    }
}

/// When an endpoint that keeps failing is disabled: after it has failed
/// without a single success for `after`, and at least `min_failures`
/// times (so one slow retry does not disable an endpoint that failed once
/// a day ago). A 410 Gone disables it at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct DisablePolicy {
    /// How long an endpoint may fail without a success.
    pub after: Duration,
    /// The fewest failures that disable it.
    pub min_failures: u32,
}

impl Default for DisablePolicy {
    /// Five days and ten failures, as hosted webhook services do.
    fn default() -> Self {
        Self {
            after: Duration::from_secs(5 * 24 * 3600),
            min_failures: 10,
        }
    }
}

/// An endpoint's run of failures since its last success.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct EndpointHealth {
    /// Failed attempts since the last success.
    pub consecutive_failures: u32,
    /// When the first of them happened.
    pub failing_since: Option<SystemTime>,
}

impl EndpointHealth {
    /// After a success: healthy again.
    pub fn succeeded(&mut self) {
        *self = Self::default();
    }

    /// After a failure at `at`; returns whether `policy` now disables the
    /// endpoint.
    pub fn failed(&mut self, at: SystemTime, policy: DisablePolicy) -> bool {
        self.consecutive_failures = self.consecutive_failures.saturating_add(1);
        let since = *self.failing_since.get_or_insert(at);
        let failing_for = at.duration_since(since).unwrap_or(Duration::ZERO);
        self.consecutive_failures >= policy.min_failures && failing_for >= policy.after
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_schedule_spans_about_a_day_with_bounded_jitter() {
        let s = RetrySchedule::default();
        assert_eq!(s.attempts(), 7);
        assert_eq!(s.wait_with(0, None, 0.5), None);
        assert_eq!(s.wait_with(1, None, 0.5), Some(Duration::from_secs(5)));
        assert_eq!(s.wait_with(1, None, 0.0), Some(Duration::from_secs(4)));
        assert_eq!(s.wait_with(1, None, 1.0), Some(Duration::from_secs(6)));
        assert_eq!(s.wait_with(6, None, 0.5), Some(Duration::from_secs(36_000)));
        assert_eq!(s.wait_with(7, None, 0.5), None);
        let total: Duration = (1..=6).filter_map(|n| s.wait_with(n, None, 0.5)).sum();
        assert!(total > Duration::from_secs(16 * 3600) && total < Duration::from_secs(30 * 3600));
        for _ in 0..100 {
            let w = s.next_wait(2, None).expect("wait");
            assert!(
                w >= Duration::from_secs(240) && w <= Duration::from_secs(360),
                "{w:?}"
            );
        }
    }

    #[test]
    fn retry_after_lengthens_but_never_shortens_and_is_capped() {
        let s = RetrySchedule::default();
        let hour = Duration::from_secs(3600);
        assert_eq!(s.wait_with(1, Some(hour), 0.5), Some(hour));
        assert_eq!(
            s.wait_with(1, Some(Duration::from_secs(1)), 0.5),
            Some(Duration::from_secs(5))
        );
        assert_eq!(s.wait_with(1, Some(Duration::MAX), 0.5), Some(24 * hour));
        assert_eq!(s.wait_with(1, None, f64::NAN), Some(Duration::from_secs(5)));
    }

    #[test]
    fn an_endpoint_is_disabled_only_after_failing_long_and_often() {
        let policy = DisablePolicy::default();
        let t0 = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let mut health = EndpointHealth::default();
        for i in 0..9 {
            assert!(!health.failed(t0 + Duration::from_secs(i * 86_400), policy));
        }
        assert!(health.failed(t0 + Duration::from_secs(9 * 86_400), policy));
        health.succeeded();
        assert_eq!(health, EndpointHealth::default());
        let mut fast = EndpointHealth::default();
        for _ in 0..50 {
            assert!(
                !fast.failed(t0, policy),
                "many failures in a moment do not disable"
            );
        }
    }
}
