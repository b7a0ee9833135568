//! The admin token, and the session key derived from it.

use std::fmt;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::Error;
use crate::conversation_token::ConversationKeys;
use crate::session::SessionKeys;

/// The secret that opens the admin API and dashboard.
///
/// API clients send it as `Authorization: Bearer <token>`; the dashboard's
/// sign-in form trades it for a new session cookie, signed with a key
/// derived from the token (see [`SessionRevocations`](crate::SessionRevocations)),
/// so every replica that knows the token accepts the cookie, and changing
/// the token signs everyone out. Both are compared in constant time.
/// `Debug` never shows it.
///
/// ```
/// use leadkit_axum::AdminToken;
///
/// let token = AdminToken::generate();
/// assert_eq!(token.expose().len(), 64);
/// assert!(AdminToken::new("too-short").is_err());
/// assert_eq!(format!("{token:?}"), "AdminToken(<redacted>)");
/// ```
#[derive(Clone)]
pub struct AdminToken {
    token: String,
    sessions: SessionKeys,
    conversations: ConversationKeys,
}

impl AdminToken {
    /// The shortest token accepted, in characters.
    pub const MIN_LEN: usize = 16;
    /// The longest token accepted, in characters.
    pub const MAX_LEN: usize = 256;

    /// A token you chose (from configuration or an environment variable):
    /// [`MIN_LEN`](Self::MIN_LEN) to [`MAX_LEN`](Self::MAX_LEN) visible ASCII
    /// characters, so it fits a header and a form without encoding issues.
    pub fn new(token: impl Into<String>) -> Result<Self, Error> {
        let token = token.into();
        if token.len() < Self::MIN_LEN {
            return Err(Error::InvalidToken {
                reason: "shorter than 16 characters",
            });
        }
        if token.len() > Self::MAX_LEN {
            return Err(Error::InvalidToken {
                reason: "longer than 256 characters",
            });
        }
        if !token.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Error::InvalidToken {
                reason: "only visible ASCII characters (no spaces) are allowed",
            });
        }
        Ok(Self::with_keys(token))
    }

    /// A random token: 64 hex digits (244 random bits) from the operating
    /// system's generator.
    pub fn generate() -> Self {
        let token = format!(
            "{}{}",
            uuid::Uuid::new_v4().simple(),
            uuid::Uuid::new_v4().simple()
        );
        Self::with_keys(token)
    }

    fn with_keys(token: String) -> Self {
        Self {
            sessions: SessionKeys::derive(&token),
            conversations: ConversationKeys::derive(&token),
            token,
        }
    }

    /// The token's text, to show the operator once at start-up.
    pub fn expose(&self) -> &str {
        &self.token
    }

    /// Whether `candidate` is the token (constant time).
    pub(crate) fn matches(&self, candidate: &str) -> bool {
        bool::from(self.token.as_bytes().ct_eq(candidate.as_bytes()))
    }

    /// Issues and checks conversation tokens.
    pub(crate) fn conversations(&self) -> &ConversationKeys {
        &self.conversations
    }

    /// Issues and checks session cookies.
    pub(crate) fn sessions(&self) -> &SessionKeys {
        &self.sessions
    }
}

/// An HMAC-SHA256 under `key` (any length) over `parts`.
pub(crate) fn hmac(key: &[u8], parts: &[&[u8]]) -> Hmac<Sha256> {
    let mut mac =
        <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC accepts keys of any length");
    for part in parts {
        mac.update(part);
    }
    mac
}

/// A key of its own for each use of the admin token (`label` names the
/// use), so a value made for one use never passes for another.
pub(crate) fn derive_key(admin_token: &str, label: &str) -> [u8; 32] {
    hmac(admin_token.as_bytes(), &[label.as_bytes()])
        .finalize()
        .into_bytes()
        .into()
}

impl fmt::Debug for AdminToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AdminToken(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_checked_and_compared_exactly() {
        let token = AdminToken::new("correct-horse-battery").unwrap();
        assert!(token.matches("correct-horse-battery"));
        for wrong in [
            "",
            "correct-horse-batter",
            "correct-horse-battery!",
            "CORRECT-HORSE-BATTERY",
        ] {
            assert!(!token.matches(wrong), "{wrong}");
        }
        assert!(AdminToken::new("has a space in it ok").is_err());
        assert!(AdminToken::new("x".repeat(257)).is_err());
        assert!(AdminToken::new("ünïcödé-is-not-ascii").is_err());
        assert_ne!(
            AdminToken::generate().expose(),
            AdminToken::generate().expose()
        );
        assert!(!format!("{token:?}").contains("horse"));
    }
}
