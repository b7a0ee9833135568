//! The crate's one error type.

use chrono::{DateTime, Utc};

/// Everything that can go wrong in `leadkit-core`.
///
/// Every variant says what the caller can do about it. None carries personal
/// data: an invalid id or field specification is reported by position and
/// kind, never by echoing a visitor's text.
///
/// Match on the variants, not on the `Display` text: the wording may change.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An input carried a time earlier than an input the conversation already
    /// handled. Inputs must be fed in the order they happened; the state was
    /// left unchanged.
    #[error("input at {at} is earlier than the previous input at {previous}; feed inputs in order")]
    OutOfOrder {
        /// The time of the rejected input.
        at: DateTime<Utc>,
        /// The time of the latest input already handled.
        previous: DateTime<Utc>,
    },

    /// A saved conversation state has a version this build does not know.
    /// It was probably written by a newer leadkit: upgrade, or start a new
    /// conversation.
    #[error(
        "conversation state version {found} is not supported (this build reads version {supported})"
    )]
    UnsupportedStateVersion {
        /// The version found in the blob.
        found: u64,
        /// The version this build writes and reads.
        supported: u32,
    },

    /// A saved conversation state could not be decoded or breaks an invariant
    /// (for example more asks than user turns). The blob is damaged; it was
    /// not loaded.
    #[error("conversation state is corrupt: {reason}")]
    CorruptState {
        /// What is wrong with it.
        reason: String,
    },

    /// A policy is inconsistent (for example an interest threshold outside
    /// `0..=1`, or an enabled policy that asks for no field). Fix the
    /// configuration; no input was handled.
    #[error("invalid lead-capture policy: {reason}")]
    InvalidPolicy {
        /// What is wrong with it.
        reason: &'static str,
    },

    /// A field specification such as `"name,email|phone"` could not be parsed.
    #[error("invalid field specification at byte {position}: {reason}")]
    InvalidFieldSpec {
        /// Byte offset in the specification where the problem starts.
        position: usize,
        /// What is wrong there.
        reason: &'static str,
    },

    /// An interest score was not a number in `0.0..=1.0`.
    #[error("interest must be a number from 0 to 1")]
    InvalidInterest,

    /// An identifier could not be parsed or is empty or too long.
    #[error("invalid {kind} id: {reason}")]
    InvalidId {
        /// Which kind of id (`"workspace"`, `"visitor"` …).
        kind: &'static str,
        /// Why it was rejected.
        reason: &'static str,
    },

    /// A lead status name is not one of the known statuses.
    #[error("unknown lead status; expected one of new, contacted, qualified, converted, lost")]
    UnknownLeadStatus,
}
