//! How the Leads screen orders leads: the sort columns, the direction, and
//! a lead's position in that order.

use chrono::{DateTime, Utc};
use leadkit_core::{Field, LeadId, LeadStatus};

use crate::fold::fold;
use crate::model::Lead;

/// A column the Leads screen sorts by. Ties are broken by lead id, in the
/// same direction, so the order is total and pages never overlap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum SortColumn {
    /// When the lead was captured (the default).
    #[default]
    CreatedAt,
    /// When the lead was last seen.
    LastSeenAt,
    /// The name, folded (case- and accent-insensitive).
    Name,
    /// The email, folded.
    Email,
    /// The phone.
    Phone,
    /// The company, folded.
    Company,
    /// The status, in funnel order (new, contacted, qualified, converted, lost).
    Status,
}

impl SortColumn {
    /// Every column.
    pub const ALL: [SortColumn; 7] = [
        SortColumn::CreatedAt,
        SortColumn::LastSeenAt,
        SortColumn::Name,
        SortColumn::Email,
        SortColumn::Phone,
        SortColumn::Company,
        SortColumn::Status,
    ];

    /// A small stable number, written into cursors.
    pub(crate) const fn code(self) -> u8 {
        match self {
            SortColumn::CreatedAt => 0,
            SortColumn::LastSeenAt => 1,
            SortColumn::Name => 2,
            SortColumn::Email => 3,
            SortColumn::Phone => 4,
            SortColumn::Company => 5,
            SortColumn::Status => 6,
        }
    }

    /// Whether the column sorts folded text.
    pub const fn is_text(self) -> bool {
        matches!(
            self,
            SortColumn::Name | SortColumn::Email | SortColumn::Phone | SortColumn::Company
        )
    }
}

/// Sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Direction {
    /// Smallest first.
    Asc,
    /// Largest first (the default: newest leads first).
    #[default]
    Desc,
}

/// A lead's value in a sort column. Values of one column are always the
/// same variant, and order as the Leads screen sorts.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SortValue {
    /// A time (created, last seen).
    Time(DateTime<Utc>),
    /// A status; statuses order as the funnel does ([`LeadStatus::ALL`]).
    Status(LeadStatus),
    /// Folded text; the empty string when the lead has no value, so it
    /// sorts before every other.
    Text(String),
}

impl SortValue {
    /// The value `lead` sorts by in `column`.
    pub fn of(lead: &Lead, column: SortColumn) -> Self {
        let text = |value: Option<&str>| SortValue::Text(value.map(fold).unwrap_or_default());
        match column {
            SortColumn::CreatedAt => SortValue::Time(lead.created_at),
            SortColumn::LastSeenAt => SortValue::Time(lead.last_seen_at),
            SortColumn::Status => SortValue::Status(lead.status),
            SortColumn::Name => text(lead.details.get(Field::Name)),
            SortColumn::Email => text(lead.details.get(Field::Email)),
            SortColumn::Phone => text(lead.details.get(Field::Phone)),
            SortColumn::Company => text(lead.company()),
        }
    }

    /// Whether this value belongs to `column`.
    pub(crate) fn fits(&self, column: SortColumn) -> bool {
        match self {
            SortValue::Time(_) => {
                matches!(column, SortColumn::CreatedAt | SortColumn::LastSeenAt)
            }
            SortValue::Status(_) => column == SortColumn::Status,
            SortValue::Text(_) => column.is_text(),
        }
    }
}

/// Where a page ended: the last row's sort value and id.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CursorPosition {
    /// The last row's value in the sort column.
    pub value: SortValue,
    /// The last row's id.
    pub id: LeadId,
}

impl CursorPosition {
    /// The position of a row with this sort value and id.
    pub fn new(value: SortValue, id: LeadId) -> Self {
        Self { value, id }
    }
}

/// A status's place in [`LeadStatus::ALL`].
pub(crate) fn funnel_position(status: LeadStatus) -> u8 {
    LeadStatus::ALL
        .iter()
        .position(|s| *s == status)
        .and_then(|p| u8::try_from(p).ok())
        .unwrap_or(u8::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_sort_in_funnel_order() {
        // SQL stores sort by the funnel position; this order must agree.
        let mut sorted = LeadStatus::ALL;
        sorted.sort();
        assert_eq!(sorted, LeadStatus::ALL);
    }
}
