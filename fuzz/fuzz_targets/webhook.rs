//! What a webhook receiver or the dashboard reads from outside: signature
//! headers and bodies (`leadkit_webhook::verify`), endpoint URLs, event ids
//! and secrets typed by the business.
//!
//! Invariants, beyond "does not panic":
//! - `verify` of arbitrary headers and body returns, and its error text is
//!   one of the fixed messages (it quotes nothing of the request);
//! - what `sign` produces for any id and body verifies with the same
//!   secret, and fails with another secret or with one body byte changed;
//! - a URL that parses shows only its scheme and host (`Display` ends in
//!   `/…`, has no `?`), an event id that parses is the text given and has
//!   no `.`, and a secret that parses round-trips through its text form.
#![no_main]

use std::time::{Duration, UNIX_EPOCH};

use leadkit_webhook::{
    DEFAULT_TOLERANCE, EndpointUrl, EventId, SigningKeys, WebhookSecret, sign, verify,
};
use libfuzzer_sys::fuzz_target;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const OTHER: &str = "whsec_QmFkIHNlY3JldCBmb3IgdGhlIGZ1enplciEhIQ==";

// The input: id, timestamp, signature header and body, separated by
// `0xFF` (never part of UTF-8, so seeds stay readable).
fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(4, |&b| b == 0xFF);
    let id = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let timestamp = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let signature = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let body = parts.next().unwrap_or_default();

    let secret = WebhookSecret::parse(SECRET).expect("the fixed secret parses");
    let other = WebhookSecret::parse(OTHER).expect("the other secret parses");
    let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);

    // Arbitrary headers: an answer, and a fixed message.
    if let Err(error) = verify(&secret, &id, &timestamp, &signature, body, now, DEFAULT_TOLERANCE) {
        let text = error.to_string();
        assert!(text.starts_with("the webhook") || text.starts_with("no webhook"), "{text}");
    }

    // What we sign verifies, and only as signed.
    let signed = sign(&SigningKeys::new(secret.clone()), &id, now, body);
    let ts = signed.timestamp.to_string();
    assert_eq!(verify(&secret, &id, &ts, &signed.signature, body, now, DEFAULT_TOLERANCE), Ok(()));
    assert!(verify(&other, &id, &ts, &signed.signature, body, now, DEFAULT_TOLERANCE).is_err());
    if let Some(first) = body.first() {
        let mut changed = body.to_vec();
        changed[0] = first.wrapping_add(1);
        assert!(verify(&secret, &id, &ts, &signed.signature, &changed, now, DEFAULT_TOLERANCE).is_err());
    }
    let late = now + DEFAULT_TOLERANCE + Duration::from_secs(1);
    assert!(verify(&secret, &id, &ts, &signed.signature, body, late, DEFAULT_TOLERANCE).is_err());

    // Configuration typed by the business.
    let text = String::from_utf8_lossy(data);
    if let Ok(url) = EndpointUrl::parse(&text) {
        let shown = url.to_string();
        assert!(shown.ends_with("/…") && !shown.contains('?'), "{shown}");
    }
    if let Ok(event) = EventId::parse(&id) {
        assert_eq!(event.as_str(), id);
        assert!(!id.contains('.'));
    }
    if let Ok(parsed) = WebhookSecret::parse(&text) {
        assert_eq!(WebhookSecret::parse(&parsed.expose()).expect("round trip"), parsed);
    }
});
