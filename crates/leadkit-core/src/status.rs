//! Where a lead stands in the sales process.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::Error;

/// A lead's status on the Leads screen.
///
/// Every captured lead starts as [`LeadStatus::New`]; the business moves it
/// on. The set is the common funnel of CRM tools; it is `#[non_exhaustive]`
/// so that more can be added without a breaking change.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LeadStatus {
    /// Captured, nobody has acted on it yet.
    #[default]
    New,
    /// Someone reached out to the visitor.
    Contacted,
    /// The visitor is a real prospect.
    Qualified,
    /// The visitor became a customer.
    Converted,
    /// Not a prospect, or no longer one.
    Lost,
}

impl LeadStatus {
    /// Every status, in funnel order.
    pub const ALL: [LeadStatus; 5] = [
        LeadStatus::New,
        LeadStatus::Contacted,
        LeadStatus::Qualified,
        LeadStatus::Converted,
        LeadStatus::Lost,
    ];

    /// The status's lowercase name, as stored and exported.
    pub const fn as_str(self) -> &'static str {
        match self {
            LeadStatus::New => "new",
            LeadStatus::Contacted => "contacted",
            LeadStatus::Qualified => "qualified",
            LeadStatus::Converted => "converted",
            LeadStatus::Lost => "lost",
        }
    }
}

impl fmt::Display for LeadStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for LeadStatus {
    type Err = Error;

    /// Parses a status name, ASCII case-insensitively.
    fn from_str(s: &str) -> Result<Self, Error> {
        LeadStatus::ALL
            .into_iter()
            .find(|status| status.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or(Error::UnknownLeadStatus)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_through_text() {
        for status in LeadStatus::ALL {
            assert_eq!(status.to_string().parse::<LeadStatus>(), Ok(status));
        }
        assert_eq!(
            " Qualified ".parse::<LeadStatus>(),
            Ok(LeadStatus::Qualified)
        );
        assert_eq!("won".parse::<LeadStatus>(), Err(Error::UnknownLeadStatus));
    }
}
