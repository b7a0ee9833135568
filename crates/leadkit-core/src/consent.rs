//! Consent to be contacted.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A visitor's answer to the consent notice, as recorded with a lead.
///
/// The text and version are the ones the policy showed at the time, so a
/// lead can later prove what the visitor agreed to even after the wording
/// changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Consent {
    /// Whether consent was given.
    pub given: bool,
    /// The notice shown to the visitor.
    pub text: String,
    /// The notice's version, as configured in the policy.
    pub version: String,
    /// When the visitor answered.
    pub at: DateTime<Utc>,
}

impl Consent {
    /// A consent record.
    pub fn new(
        given: bool,
        text: impl Into<String>,
        version: impl Into<String>,
        at: DateTime<Utc>,
    ) -> Self {
        Self {
            given,
            text: text.into(),
            version: version.into(),
            at,
        }
    }
}
