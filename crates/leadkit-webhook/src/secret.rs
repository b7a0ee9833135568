//! Endpoint secrets in the Standard Webhooks format, and their rotation.
//!
//! A secret is 24 to 64 random bytes, written `whsec_` followed by their
//! standard base64, so receivers can paste it into any Standard Webhooks
//! verifier. The bytes themselves are the HMAC key.

use std::fmt;
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::Error;

/// The prefix of a secret's text form.
pub const SECRET_PREFIX: &str = "whsec_";

/// Bytes in a secret made by [`WebhookSecret::generate`].
const GENERATED_BYTES: usize = 32;
/// The key sizes the Standard Webhooks specification allows.
const MIN_BYTES: usize = 24;
const MAX_BYTES: usize = 64;

/// An endpoint's signing secret. Its [`Debug`](fmt::Debug) output never
/// shows the key; [`WebhookSecret::expose`] gives the text to show the
/// business once, when the endpoint is created.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookSecret {
    key: Vec<u8>,
}

impl WebhookSecret {
    /// A new random secret of 32 bytes from the operating system's source.
    pub fn generate() -> Result<Self, Error> {
        let mut key = vec![0_u8; GENERATED_BYTES];
        getrandom::fill(&mut key).map_err(Error::Random)?;
        Ok(Self { key })
    }

    /// Parses `whsec_<base64>` (the prefix may be left out, as the
    /// reference verifiers allow). The key must be 24 to 64 bytes.
    pub fn parse(text: &str) -> Result<Self, Error> {
        let encoded = text
            .trim()
            .strip_prefix(SECRET_PREFIX)
            .unwrap_or(text.trim());
        let key = STANDARD
            .decode(encoded)
            .map_err(|_| Error::InvalidSecret("the secret is not base64 after `whsec_`"))?;
        if !(MIN_BYTES..=MAX_BYTES).contains(&key.len()) {
            return Err(Error::InvalidSecret("a secret must be 24 to 64 bytes"));
        }
        Ok(Self { key })
    }

    /// The text form, `whsec_<base64>`: show it once, store it encrypted
    /// or not at all.
    pub fn expose(&self) -> String {
        format!("{SECRET_PREFIX}{}", STANDARD.encode(&self.key))
    }

    /// The HMAC key.
    pub(crate) fn key(&self) -> &[u8] {
        &self.key
    }
}

impl fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebhookSecret(<redacted>)")
    }
}

/// The secrets an endpoint signs with: the current one and, after a
/// rotation, the previous ones until their overlap ends.
///
/// Each request carries one signature per active secret (the header
/// allows several, space-separated), so a receiver still configured with
/// the old secret keeps verifying until it is switched, and one already
/// switched verifies at once.
#[derive(Debug, Clone)]
pub struct SigningKeys {
    current: WebhookSecret,
    retiring: Vec<(WebhookSecret, SystemTime)>,
}

impl SigningKeys {
    /// Signs with `current` only.
    pub fn new(current: WebhookSecret) -> Self {
        Self {
            current,
            retiring: Vec::new(),
        }
    }

    /// Makes `next` the current secret. The old one keeps signing until
    /// `now + overlap`; secrets whose overlap has ended are dropped.
    pub fn rotate(&mut self, next: WebhookSecret, now: SystemTime, overlap: Duration) {
        let old = std::mem::replace(&mut self.current, next);
        self.retiring.retain(|(_, until)| *until > now);
        self.retiring.push((old, now + overlap));
    }

    /// The current secret.
    pub fn current(&self) -> &WebhookSecret {
        &self.current
    }

    /// The secrets that sign at `now`: the current one first.
    pub fn active(&self, now: SystemTime) -> impl Iterator<Item = &WebhookSecret> {
        std::iter::once(&self.current).chain(
            self.retiring
                .iter()
                .filter(move |(_, until)| *until > now)
                .map(|(secret, _)| secret),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_secrets_round_trip_and_differ() {
        let a = WebhookSecret::generate().expect("random");
        let b = WebhookSecret::generate().expect("random");
        assert_ne!(a, b);
        assert!(a.expose().starts_with(SECRET_PREFIX));
        assert_eq!(WebhookSecret::parse(&a.expose()).expect("parses"), a);
    }

    #[test]
    fn bad_secrets_are_refused() {
        for text in [
            "",
            "whsec_",
            "whsec_!!!",
            "whsec_c2hvcnQ=",
            &format!("whsec_{}", STANDARD.encode([0_u8; 65])),
        ] {
            assert!(
                matches!(WebhookSecret::parse(text), Err(Error::InvalidSecret(_))),
                "{text}"
            );
        }
    }

    #[test]
    fn debug_never_shows_the_key() {
        let secret = WebhookSecret::generate().expect("random");
        let shown = format!("{secret:?} {:?}", SigningKeys::new(secret.clone()));
        assert!(!shown.contains(&secret.expose()[SECRET_PREFIX.len()..]));
    }

    #[test]
    fn a_rotated_secret_signs_until_its_overlap_ends() {
        let old = WebhookSecret::generate().expect("random");
        let new = WebhookSecret::generate().expect("random");
        let t0 = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let mut keys = SigningKeys::new(old.clone());
        keys.rotate(new.clone(), t0, Duration::from_secs(3600));
        let during: Vec<_> = keys.active(t0 + Duration::from_secs(10)).cloned().collect();
        assert_eq!(during, vec![new.clone(), old]);
        let after: Vec<_> = keys
            .active(t0 + Duration::from_secs(3600))
            .cloned()
            .collect();
        assert_eq!(after, vec![new]);
    }
}
