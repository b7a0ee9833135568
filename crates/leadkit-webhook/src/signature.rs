//! Standard Webhooks signatures: `webhook-id`, `webhook-timestamp` and
//! `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`.
//!
//! [`sign`] is what the sender uses; [`verify`] is what a receiver written
//! in Rust can use (the receiver example does), and checks the timestamp
//! against a tolerance so a captured request cannot be replayed later.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::secret::{SigningKeys, WebhookSecret};

/// The header naming the message (the event id: stable across retries,
/// so receivers deduplicate on it).
pub const HEADER_ID: &str = "webhook-id";
/// The header with the signing time, in seconds since the Unix epoch.
pub const HEADER_TIMESTAMP: &str = "webhook-timestamp";
/// The header with the space-separated `v1,<signature>` list.
pub const HEADER_SIGNATURE: &str = "webhook-signature";

/// How far a timestamp may be from the receiver's clock by default, as
/// the reference verifiers use.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(5 * 60);

type HmacSha256 = Hmac<Sha256>;

/// The three headers of one signed request.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SignedHeaders {
    /// `webhook-id`.
    pub id: String,
    /// `webhook-timestamp`, seconds since the Unix epoch.
    pub timestamp: u64,
    /// `webhook-signature`: one `v1,<base64>` per active secret.
    pub signature: String,
}

/// Signs `body` for message `id` at `at` with every secret active then.
pub fn sign(keys: &SigningKeys, id: &str, at: SystemTime, body: &[u8]) -> SignedHeaders {
    let timestamp = unix_seconds(at);
    let signature = keys
        .active(at)
        .map(|secret| format!("v1,{}", STANDARD.encode(mac(secret, id, timestamp, body))))
        .collect::<Vec<_>>()
        .join(" ");
    SignedHeaders {
        id: id.to_owned(),
        timestamp,
        signature,
    }
}

/// Why a request did not verify. None of them quotes the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// `webhook-timestamp` is not a number of seconds.
    #[error("the webhook-timestamp header is not a number of seconds")]
    BadTimestamp,
    /// The timestamp is further from now than the tolerance.
    #[error("the webhook timestamp is outside the tolerance")]
    Expired,
    /// No `v1` signature in the header matches.
    #[error("no webhook signature matches")]
    NoMatch,
}

/// Checks a received request: `timestamp` within `tolerance` of `now`, and
/// one of the `v1` signatures in `signature` made with `secret`. The
/// comparison takes the same time whatever the signature's bytes.
pub fn verify(
    secret: &WebhookSecret,
    id: &str,
    timestamp: &str,
    signature: &str,
    body: &[u8],
    now: SystemTime,
    tolerance: Duration,
) -> Result<(), VerifyError> {
    let seconds: u64 = timestamp
        .trim()
        .parse()
        .map_err(|_| VerifyError::BadTimestamp)?;
    let now = unix_seconds(now);
    if seconds.abs_diff(now) > tolerance.as_secs() {
        return Err(VerifyError::Expired);
    }
    let matches = signature
        .split(' ')
        .filter_map(|entry| entry.strip_prefix("v1,"))
        .filter_map(|encoded| STANDARD.decode(encoded).ok())
        .any(|given| {
            let mut mac = keyed(secret);
            feed(&mut mac, id, seconds, body);
            mac.verify_slice(&given).is_ok()
        });
    if matches {
        Ok(())
    } else {
        Err(VerifyError::NoMatch)
    }
}

fn mac(secret: &WebhookSecret, id: &str, timestamp: u64, body: &[u8]) -> Vec<u8> {
    let mut mac = keyed(secret);
    feed(&mut mac, id, timestamp, body);
    mac.finalize().into_bytes().to_vec()
}

fn keyed(secret: &WebhookSecret) -> HmacSha256 {
    // HMAC takes a key of any length; the secret's is 24 to 64 bytes.
    #[allow(clippy::expect_used)]
    HmacSha256::new_from_slice(secret.key()).expect("HMAC accepts any key length")
}

fn feed(mac: &mut HmacSha256, id: &str, timestamp: u64, body: &[u8]) {
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
}

fn unix_seconds(at: SystemTime) -> u64 {
    at.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example in the Standard Webhooks reference libraries' tests.
    #[test]
    fn matches_the_reference_vector() {
        let secret =
            WebhookSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").expect("secret");
        let at = UNIX_EPOCH + Duration::from_secs(1_614_265_330);
        let headers = sign(
            &SigningKeys::new(secret),
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            at,
            br#"{"test": 2432232314}"#,
        );
        assert_eq!(
            headers.signature,
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
        assert_eq!(headers.timestamp, 1_614_265_330);
    }

    #[test]
    fn verify_accepts_its_own_and_refuses_changes() {
        let secret = WebhookSecret::generate().expect("random");
        let other = WebhookSecret::generate().expect("random");
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let h = sign(&SigningKeys::new(secret.clone()), "evt_1", now, b"{}");
        let ts = h.timestamp.to_string();
        let ok = |s: &WebhookSecret, id: &str, body: &[u8], at| {
            verify(s, id, &ts, &h.signature, body, at, DEFAULT_TOLERANCE)
        };
        assert_eq!(ok(&secret, "evt_1", b"{}", now), Ok(()));
        assert_eq!(ok(&other, "evt_1", b"{}", now), Err(VerifyError::NoMatch));
        assert_eq!(ok(&secret, "evt_2", b"{}", now), Err(VerifyError::NoMatch));
        assert_eq!(ok(&secret, "evt_1", b"{ }", now), Err(VerifyError::NoMatch));
        assert_eq!(
            ok(&secret, "evt_1", b"{}", now + Duration::from_secs(301)),
            Err(VerifyError::Expired)
        );
        assert_eq!(
            verify(
                &secret,
                "evt_1",
                "soon",
                &h.signature,
                b"{}",
                now,
                DEFAULT_TOLERANCE
            ),
            Err(VerifyError::BadTimestamp)
        );
    }
}
