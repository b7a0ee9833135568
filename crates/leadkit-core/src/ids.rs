//! Identifiers. They come in as inputs: this crate never generates one.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize};
use uuid::Uuid;

use crate::Error;

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident, $kind:literal) => {
        $(#[$doc])*
        ///
        /// A UUID chosen by the caller (the engine's id source, or the
        /// integrator). It prints and parses in the hyphenated form.
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// Wraps a UUID.
            pub const fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            /// Builds an id from a `u128` (handy for deterministic tests).
            pub const fn from_u128(value: u128) -> Self {
                Self(Uuid::from_u128(value))
            }

            /// The UUID inside.
            pub const fn as_uuid(&self) -> &Uuid {
                &self.0
            }
        }

        impl From<Uuid> for $name {
            fn from(uuid: Uuid) -> Self {
                Self(uuid)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0.hyphenated(), f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), self.0.hyphenated())
            }
        }

        impl FromStr for $name {
            type Err = Error;

            fn from_str(s: &str) -> Result<Self, Error> {
                Uuid::parse_str(s).map(Self).map_err(|_| Error::InvalidId {
                    kind: $kind,
                    reason: "not a UUID",
                })
            }
        }
    };
}

uuid_id!(
    /// A workspace: the tenant boundary. Every lead, bot and conversation belongs to one.
    WorkspaceId,
    "workspace"
);
uuid_id!(
    /// A bot (agent) inside a workspace, with its own lead-capture policy.
    BotId,
    "bot"
);
uuid_id!(
    /// One conversation between a visitor and a bot.
    ConversationId,
    "conversation"
);
uuid_id!(
    /// A lead: a contact captured from one or more conversations.
    LeadId,
    "lead"
);

/// The integrator's own identifier for a visitor (a cookie value, an account id …).
///
/// Any non-empty string of at most [`VisitorId::MAX_LEN`] bytes without control
/// characters. It is a pseudonymous handle, not contact data, so it prints in
/// `Debug`; do not use an email address as a visitor id.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct VisitorId(String);

impl VisitorId {
    /// The longest accepted visitor id, in bytes.
    pub const MAX_LEN: usize = 256;

    /// Checks and wraps a visitor id.
    pub fn new(id: impl Into<String>) -> Result<Self, Error> {
        let id = id.into();
        let reason = if id.is_empty() {
            Some("empty")
        } else if id.len() > Self::MAX_LEN {
            Some("longer than 256 bytes")
        } else if id.chars().any(char::is_control) {
            Some("contains control characters")
        } else {
            None
        };
        match reason {
            Some(reason) => Err(Error::InvalidId {
                kind: "visitor",
                reason,
            }),
            None => Ok(Self(id)),
        }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for VisitorId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for VisitorId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VisitorId({:?})", self.0)
    }
}

impl FromStr for VisitorId {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        Self::new(s)
    }
}

impl<'de> Deserialize<'de> for VisitorId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Self::new(raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_ids_round_trip_through_text() {
        let id = LeadId::from_u128(7);
        let parsed: LeadId = id.to_string().parse().unwrap();
        assert_eq!(parsed, id);
        assert_eq!(
            "nope".parse::<BotId>(),
            Err(Error::InvalidId {
                kind: "bot",
                reason: "not a UUID"
            })
        );
    }

    #[test]
    fn visitor_ids_are_checked() {
        assert!(VisitorId::new("cookie-123").is_ok());
        assert!(VisitorId::new("").is_err());
        assert!(VisitorId::new("a\nb").is_err());
        assert!(VisitorId::new("x".repeat(257)).is_err());
        assert!(serde_json::from_str::<VisitorId>("\"\"").is_err());
    }
}
