//! Admin sessions: what the sign-in form's cookie holds, how it is checked,
//! and where logouts are remembered.
//!
//! A session cookie is `v1.<id>.<issued>.<mac>`: a random id (122 bits from
//! the operating system), the issue time in Unix seconds, and an HMAC-SHA256
//! of both under a key derived from the admin token. The server accepts it
//! while it is younger than the session lifetime (12 hours by default) and
//! its id was not revoked by a logout.
//!
//! Nothing is stored at sign-in, so every server that knows the admin token
//! accepts a session any of them issued, and changing the token ends every
//! session. Only logouts are stored, in a [`SessionRevocations`] store: the
//! default [`MemoryRevocations`] keeps them in the process, so with several
//! servers a session logged out on one stays usable on the others until it
//! expires. Back the trait with shared storage (your database, Redis …) to
//! make a logout end the session everywhere.

use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use hmac::Mac;
use uuid::Uuid;

use crate::token::{derive_key, hmac};

/// An error from the integrator's revocation storage.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The default session lifetime: one working day.
pub const DEFAULT_SESSION_LIFETIME: Duration = Duration::hours(12);

/// A session's id: random, and meaningless without the signature.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct SessionId(Uuid);

impl SessionId {
    /// The id as a UUID, to store it.
    pub fn as_uuid(&self) -> Uuid {
        self.0
    }

    /// The id stored as [`as_uuid`](Self::as_uuid) gave it.
    pub fn from_uuid(id: Uuid) -> Self {
        Self(id)
    }
}

impl fmt::Debug for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Half the id: enough to correlate log lines, not to forge anything
        // (the id alone opens nothing anyway).
        let text = self.0.simple().to_string();
        write!(f, "SessionId({}…)", &text[..8])
    }
}

/// Where logged-out sessions are remembered until they would have expired.
///
/// Implement it on shared storage when several servers share the admin side
/// (see the [module docs](crate::session)); an error refuses the request
/// (the session is treated as revoked), so a storage outage never lets a
/// logged-out session back in.
#[async_trait]
pub trait SessionRevocations: Send + Sync + 'static {
    /// Remembers that `session` is logged out. It would have expired at
    /// `expires`, after which it may be forgotten.
    async fn revoke(&self, session: SessionId, expires: DateTime<Utc>) -> Result<(), BoxError>;

    /// Whether `session` was logged out.
    async fn is_revoked(&self, session: SessionId) -> Result<bool, BoxError>;
}

/// Logouts kept in this process (the default). Entries are dropped once
/// the session would have expired.
#[derive(Debug, Default)]
pub struct MemoryRevocations {
    revoked: Mutex<HashMap<SessionId, DateTime<Utc>>>,
}

impl MemoryRevocations {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }
}

#[async_trait]
impl SessionRevocations for MemoryRevocations {
    async fn revoke(&self, session: SessionId, expires: DateTime<Utc>) -> Result<(), BoxError> {
        let mut revoked = self
            .revoked
            .lock()
            .map_err(|_| "the revocation list lock is poisoned")?;
        let now = Utc::now();
        revoked.retain(|_, until| *until > now);
        revoked.insert(session, expires);
        Ok(())
    }

    async fn is_revoked(&self, session: SessionId) -> Result<bool, BoxError> {
        let revoked = self
            .revoked
            .lock()
            .map_err(|_| "the revocation list lock is poisoned")?;
        Ok(revoked.contains_key(&session))
    }
}

/// A session whose cookie checked out: signed by us, not expired.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Session {
    pub(crate) id: SessionId,
    pub(crate) expires: DateTime<Utc>,
}

/// Issues and checks session cookie values under a key derived from the
/// admin token.
#[derive(Clone)]
pub(crate) struct SessionKeys {
    key: [u8; 32],
}

impl SessionKeys {
    pub(crate) fn derive(admin_token: &str) -> Self {
        Self {
            key: derive_key(admin_token, "leadkit-axum admin session key v1"),
        }
    }

    /// A new session's cookie value.
    pub(crate) fn issue(&self, now: DateTime<Utc>) -> String {
        let payload = format!("v1.{}.{}", Uuid::new_v4().simple(), now.timestamp());
        let tag = hex::encode(
            hmac(&self.key, &[payload.as_bytes()])
                .finalize()
                .into_bytes(),
        );
        format!("{payload}.{tag}")
    }

    /// The session `value` names, when we signed it and it is younger than
    /// `lifetime` at `now`. Revocation is checked by the caller.
    pub(crate) fn check(
        &self,
        value: &str,
        now: DateTime<Utc>,
        lifetime: Duration,
    ) -> Option<Session> {
        let (payload, tag) = value.rsplit_once('.')?;
        let tag = hex::decode(tag).ok()?;
        // Constant-time comparison of the tag.
        hmac(&self.key, &[payload.as_bytes()])
            .verify_slice(&tag)
            .ok()?;
        let mut parts = payload.split('.');
        let (Some("v1"), Some(id), Some(issued), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        let id = Uuid::try_parse(id).ok()?;
        let issued = DateTime::from_timestamp(issued.parse().ok()?, 0)?;
        let expires = issued.checked_add_signed(lifetime)?;
        // A session from the future (clock skew between servers) is allowed
        // a minute's grace, no more.
        if now >= expires || issued > now + Duration::minutes(1) {
            return None;
        }
        Some(Session {
            id: SessionId(id),
            expires,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_values_are_new_each_time_signed_and_expire() {
        let keys = SessionKeys::derive("correct-horse-battery");
        let now = Utc::now();
        let lifetime = DEFAULT_SESSION_LIFETIME;
        let (a, b) = (keys.issue(now), keys.issue(now));
        assert_ne!(a, b);
        let session = keys.check(&a, now, lifetime).unwrap();
        assert_eq!(session.expires.timestamp(), now.timestamp() + 12 * 3600);
        assert!(keys.check(&a, now + lifetime, lifetime).is_none());
        assert!(keys.check(&a, now - Duration::hours(1), lifetime).is_none());
        // Another token's key, a changed payload, garbage: refused.
        let other = SessionKeys::derive("correct-horse-battery2");
        assert!(other.check(&a, now, lifetime).is_none());
        let (payload, tag) = a.rsplit_once('.').unwrap();
        let (head, _issued) = payload.rsplit_once('.').unwrap();
        let later = format!("{head}.{}.{tag}", now.timestamp() + 3600);
        assert!(keys.check(&later, now, lifetime).is_none());
        for junk in ["", "v1", "v1.x.y.z", "....", "v1..0.", &format!("{a}.00")] {
            assert!(keys.check(junk, now, lifetime).is_none(), "{junk}");
        }
        assert!(!format!("{:?}", session.id).contains(&session.id.as_uuid().simple().to_string()));
    }
}
