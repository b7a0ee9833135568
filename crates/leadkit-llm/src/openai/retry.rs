//! When to try again: exponential backoff with jitter, and `Retry-After`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::HeaderMap;

/// How long to wait between retries.
///
/// Without a `Retry-After` from the server, retry `n` (from 1) waits
/// `initial × 2^(n-1)`, capped at `max`; with jitter, a random time between
/// half that and all of it, so that many clients rate limited at once do not
/// come back at once. A `Retry-After` (seconds, an HTTP date, or Azure's
/// `retry-after-ms`) is honoured as given, unless it exceeds
/// `max_retry_after`: then the call fails at once with
/// [`Error::RateLimited`](crate::Error::RateLimited) carrying the wait, for
/// the caller to decide.
///
/// A wait is read as a non-negative number of seconds (a fraction or an
/// exponent allowed: `1.5`, `1e3`) or an HTTP date; a date in the past is no
/// wait. Anything longer than [`Backoff::RETRY_AFTER_CEILING`] (one day),
/// `1e30` and `inf` included, is read as that ceiling; a negative number,
/// `NaN` or text that is neither is ignored, as if the header were absent.
/// No header value can make the client panic.
///
/// ```
/// use std::time::Duration;
/// use leadkit_llm::Backoff;
///
/// let backoff = Backoff::default().without_jitter();
/// assert_eq!(backoff.delay(1), Duration::from_millis(500));
/// assert_eq!(backoff.delay(3), Duration::from_secs(2));
/// assert_eq!(backoff.delay(30), backoff.max);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Backoff {
    /// The wait before the first retry.
    pub initial: Duration,
    /// The longest wait between retries.
    pub max: Duration,
    /// The longest `Retry-After` honoured.
    pub max_retry_after: Duration,
    /// Whether waits are randomised.
    pub jitter: bool,
}

impl Default for Backoff {
    /// 500 ms doubling up to 8 s, with jitter, honouring `Retry-After` up
    /// to 30 s.
    fn default() -> Self {
        Self {
            initial: Duration::from_millis(500),
            max: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(30),
            jitter: true,
        }
    }
}

impl Backoff {
    /// The longest wait read from a `Retry-After` or `retry-after-ms`
    /// header: one day. A longer one is read as this, and fails the call
    /// with [`Error::RateLimited`](crate::Error::RateLimited) unless
    /// `max_retry_after` is at least this long.
    pub const RETRY_AFTER_CEILING: Duration = Duration::from_secs(24 * 60 * 60);

    /// Waits of `initial` doubling up to `max`, with jitter.
    pub fn new(initial: Duration, max: Duration) -> Self {
        Self {
            initial,
            max,
            ..Self::default()
        }
    }

    /// Without jitter: waits are exactly `initial × 2^(n-1)` (for tests and
    /// single clients).
    #[must_use]
    pub fn without_jitter(mut self) -> Self {
        self.jitter = false;
        self
    }

    /// With another cap on honoured `Retry-After` waits.
    #[must_use]
    pub fn with_max_retry_after(mut self, max: Duration) -> Self {
        self.max_retry_after = max;
        self
    }

    /// The wait before retry `retry` (from 1), before jitter.
    pub fn delay(&self, retry: u32) -> Duration {
        let factor = 1u32 << retry.saturating_sub(1).min(20);
        self.initial.saturating_mul(factor).min(self.max)
    }

    /// The wait before retry `retry`, with jitter from `rng` when enabled.
    pub(crate) fn jittered(&self, retry: u32, rng: &Jitter) -> Duration {
        let delay = self.delay(retry);
        if !self.jitter {
            return delay;
        }
        // Equal jitter: half fixed, half random.
        let half = delay / 2;
        let nanos = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX);
        let random = if nanos == 0 { 0 } else { rng.next() % nanos };
        half + Duration::from_nanos(random)
    }
}

/// A tiny xorshift generator: jitter needs spread, not cryptographic
/// strength, and a dependency is not worth it.
#[derive(Debug)]
pub(crate) struct Jitter(AtomicU64);

impl Jitter {
    /// Seeded from the clock.
    pub(crate) fn from_clock() -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0x9E37_79B9_7F4A_7C15, |d| d.as_nanos() as u64);
        Self(AtomicU64::new(nanos | 1))
    }

    pub(crate) fn next(&self) -> u64 {
        let mut x = self.0.load(Ordering::Relaxed);
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0.store(x, Ordering::Relaxed);
        x
    }
}

/// The wait a 429 or 503 answer asks for, if it says (see [`Backoff`] for
/// what is read and the ceiling).
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let header = |name| {
        headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::trim)
    };
    if let Some(wait) = header("retry-after-ms")
        .and_then(|ms| ms.parse::<f64>().ok())
        .and_then(|ms| seconds(ms / 1000.0))
    {
        return Some(wait);
    }
    let value = header("retry-after")?;
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds).min(Backoff::RETRY_AFTER_CEILING));
    }
    if let Ok(number) = value.parse::<f64>() {
        return seconds(number);
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(now)
            .unwrap_or(Duration::ZERO)
            .min(Backoff::RETRY_AFTER_CEILING),
    )
}

/// A wait of `seconds`, capped at [`Backoff::RETRY_AFTER_CEILING`]; `None`
/// for a negative number or NaN. `Duration::from_secs_f64` panics on values
/// it cannot hold (`1e30`, infinity), so the conversion is checked.
fn seconds(seconds: f64) -> Option<Duration> {
    // NaN and negatives are not waits; -0.0 is a zero wait.
    if seconds.is_nan() || seconds < 0.0 {
        return None;
    }
    if seconds == 0.0 {
        return Some(Duration::ZERO);
    }
    let ceiling = Backoff::RETRY_AFTER_CEILING;
    Some(Duration::try_from_secs_f64(seconds).map_or(ceiling, |wait| wait.min(ceiling)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(name: &'static str, value: &str) -> HeaderMap {
        let mut map = HeaderMap::new();
        map.insert(name, HeaderValue::from_str(value).unwrap());
        map
    }

    #[test]
    fn retry_after_in_seconds_dates_and_milliseconds() {
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(
            retry_after(&headers("retry-after", "7"), now),
            Some(Duration::from_secs(7))
        );
        let date = httpdate::fmt_http_date(now + Duration::from_secs(12));
        assert_eq!(
            retry_after(&headers("retry-after", &date), now),
            Some(Duration::from_secs(12))
        );
        let past = httpdate::fmt_http_date(now - Duration::from_secs(12));
        assert_eq!(
            retry_after(&headers("retry-after", &past), now),
            Some(Duration::ZERO)
        );
        assert_eq!(
            retry_after(&headers("retry-after-ms", "250"), now),
            Some(Duration::from_millis(250))
        );
        assert_eq!(retry_after(&headers("retry-after", "soon"), now), None);
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn no_retry_after_value_panics_and_long_ones_stop_at_the_ceiling() {
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let ceiling = Backoff::RETRY_AFTER_CEILING;
        for (name, value, expected) in [
            ("retry-after", "1e30", Some(ceiling)),
            ("retry-after", "1.7976931348623157e308", Some(ceiling)),
            ("retry-after", "inf", Some(ceiling)),
            ("retry-after", "+Infinity", Some(ceiling)),
            ("retry-after", "18446744073709551615", Some(ceiling)),
            ("retry-after", "86401", Some(ceiling)),
            ("retry-after", "86400", Some(ceiling)),
            ("retry-after", "1.5", Some(Duration::from_millis(1500))),
            ("retry-after", "2e1", Some(Duration::from_secs(20))),
            ("retry-after", "0", Some(Duration::ZERO)),
            ("retry-after", "-0.0", Some(Duration::ZERO)),
            ("retry-after", "-1", None),
            ("retry-after", "-1e30", None),
            ("retry-after", "-inf", None),
            ("retry-after", "NaN", None),
            ("retry-after", "", None),
            ("retry-after-ms", "1e30", Some(ceiling)),
            ("retry-after-ms", "inf", Some(ceiling)),
            ("retry-after-ms", "1e-300", Some(Duration::ZERO)),
            ("retry-after-ms", "-5", None),
            ("retry-after-ms", "NaN", None),
        ] {
            assert_eq!(
                retry_after(&headers(name, value), now),
                expected,
                "{name}: {value}"
            );
        }
        // HTTP dates: the far future stops at the ceiling, the past is no wait.
        let far = httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(253_402_300_799));
        assert_eq!(
            retry_after(&headers("retry-after", &far), now),
            Some(ceiling)
        );
        let epoch = httpdate::fmt_http_date(UNIX_EPOCH);
        assert_eq!(
            retry_after(&headers("retry-after", &epoch), now),
            Some(Duration::ZERO)
        );
        // An unreadable `retry-after-ms` falls back to `Retry-After`.
        let mut both = headers("retry-after-ms", "NaN");
        both.insert("retry-after", HeaderValue::from_static("3"));
        assert_eq!(retry_after(&both, now), Some(Duration::from_secs(3)));
    }

    #[test]
    fn jitter_stays_between_half_and_all_of_the_delay() {
        let backoff = Backoff::new(Duration::from_millis(100), Duration::from_secs(1));
        let rng = Jitter::from_clock();
        let mut distinct = std::collections::BTreeSet::new();
        for retry in 1..=4 {
            for _ in 0..50 {
                let wait = backoff.jittered(retry, &rng);
                let full = backoff.delay(retry);
                assert!(wait >= full / 2 && wait <= full, "{wait:?} vs {full:?}");
                distinct.insert(wait);
            }
        }
        assert!(distinct.len() > 10, "jitter should spread the waits");
        let fixed = backoff.without_jitter();
        assert_eq!(fixed.jittered(2, &rng), Duration::from_millis(200));
    }
}
