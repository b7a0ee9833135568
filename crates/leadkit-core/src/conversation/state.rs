//! The saved form of a conversation: versioned, compact, checked on load.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{ConsentMark, Conversation};
use crate::{ContactDetails, Error, LeadId};

/// The version of the saved conversation state this build writes and reads.
///
/// Every saved state carries it as `"v"`. Loading a state of another version
/// fails with [`Error::UnsupportedStateVersion`]; a later version of this
/// crate that changes the layout will read the older versions it knows.
pub const STATE_VERSION: u32 = 1;

fn is_zero(n: &u32) -> bool {
    *n == 0
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// The serialised layout. Defaults are omitted so a typical state stays
/// well under 512 bytes of JSON.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct StateRepr {
    v: u64,
    #[serde(default, skip_serializing_if = "is_zero")]
    turns: u32,
    #[serde(default, skip_serializing_if = "is_zero")]
    asks: u32,
    #[serde(default, skip_serializing_if = "is_zero")]
    gates: u32,
    #[serde(default, skip_serializing_if = "is_zero")]
    last_request: u32,
    #[serde(default, skip_serializing_if = "is_zero")]
    quiet_until: u32,
    #[serde(default, skip_serializing_if = "is_false")]
    declined: bool,
    #[serde(default, skip_serializing_if = "is_zero")]
    first_gated: u32,
    #[serde(default, skip_serializing_if = "is_false")]
    gate_lifted: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    known: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    known_lead: Option<LeadId>,
    #[serde(default, skip_serializing_if = "is_false")]
    lead: bool,
    #[serde(default, skip_serializing_if = "ContactDetails::is_empty")]
    details: ContactDetails,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    consent: Option<ConsentMark>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    last_at: Option<DateTime<Utc>>,
}

impl From<Conversation> for StateRepr {
    fn from(c: Conversation) -> Self {
        Self {
            v: u64::from(STATE_VERSION),
            turns: c.user_turns,
            asks: c.asks,
            gates: c.gates,
            last_request: c.last_request_turn,
            quiet_until: c.quiet_until,
            declined: c.declined,
            first_gated: c.first_gated_turn,
            gate_lifted: c.gate_lifted,
            known: c.known,
            known_lead: c.known_lead,
            lead: c.lead_counted,
            details: c.details,
            consent: c.consent,
            last_at: c.last_input_at,
        }
    }
}

impl TryFrom<StateRepr> for Conversation {
    type Error = Error;

    fn try_from(s: StateRepr) -> Result<Self, Error> {
        if s.v != u64::from(STATE_VERSION) {
            return Err(Error::UnsupportedStateVersion {
                found: s.v,
                supported: STATE_VERSION,
            });
        }
        let corrupt = |reason: &str| {
            Err(Error::CorruptState {
                reason: reason.to_owned(),
            })
        };
        if s.asks > s.turns || s.gates > s.turns {
            return corrupt("more requests than user turns");
        }
        if s.last_request > s.turns || s.first_gated > s.turns {
            return corrupt("a turn number beyond the turns handled");
        }
        if s.gate_lifted && s.first_gated == 0 {
            return corrupt("a gate lifted that was never closed");
        }
        if s.known_lead.is_some() && !s.known {
            return corrupt("a linked lead for a visitor who is not known");
        }
        if s.known && !s.lead {
            return corrupt("a known visitor without a lead mark");
        }
        if s.lead && !s.known && s.details.is_empty() {
            return corrupt("a lead without any details");
        }
        if s.turns > 0 && s.last_at.is_none() {
            return corrupt("turns without a time");
        }
        Ok(Conversation {
            user_turns: s.turns,
            asks: s.asks,
            gates: s.gates,
            last_request_turn: s.last_request,
            quiet_until: s.quiet_until,
            declined: s.declined,
            first_gated_turn: s.first_gated,
            gate_lifted: s.gate_lifted,
            known: s.known,
            known_lead: s.known_lead,
            lead_counted: s.lead,
            details: s.details,
            consent: s.consent,
            last_input_at: s.last_at,
        })
    }
}

#[cfg(feature = "json")]
mod json {
    use super::*;

    /// Reads only the version, so an unknown version is reported as such
    /// even when the rest of the layout is unknown too.
    #[derive(Deserialize)]
    struct VersionProbe {
        v: u64,
    }

    /// A serde_json error, described without the input's text: its messages
    /// can quote values, and a state holds contact details.
    fn describe(err: &serde_json::Error) -> String {
        let kind = match err.classify() {
            serde_json::error::Category::Io => "I/O error",
            serde_json::error::Category::Syntax => "invalid JSON",
            serde_json::error::Category::Data => "unexpected field or value",
            serde_json::error::Category::Eof => "truncated JSON",
        };
        format!("{kind} at line {} column {}", err.line(), err.column())
    }

    impl Conversation {
        /// The state as JSON (feature `json`).
        pub fn to_json(&self) -> String {
            serde_json::to_string(&StateRepr::from(self.clone())).expect(
                "the state holds only strings, numbers and maps, which JSON can always encode",
            )
        }

        /// Restores a state saved with [`to_json`](Self::to_json) (feature
        /// `json`).
        ///
        /// Fails with [`Error::UnsupportedStateVersion`] for a state of
        /// another version and [`Error::CorruptState`] for anything that is
        /// not a valid state; the error never quotes the blob.
        pub fn from_json(json: &str) -> Result<Self, Error> {
            let probe: VersionProbe =
                serde_json::from_str(json).map_err(|err| Error::CorruptState {
                    reason: format!("no version field: {}", describe(&err)),
                })?;
            if probe.v != u64::from(STATE_VERSION) {
                return Err(Error::UnsupportedStateVersion {
                    found: probe.v,
                    supported: STATE_VERSION,
                });
            }
            let repr: StateRepr =
                serde_json::from_str(json).map_err(|err| Error::CorruptState {
                    reason: describe(&err),
                })?;
            Conversation::try_from(repr)
        }
    }
}
