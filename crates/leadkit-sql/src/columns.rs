//! How the store's typed values are held in SQL columns: the sort columns'
//! names, statuses and consent answers as small integers, times as
//! microseconds, and the `LIKE` pattern of a search (see the migrations for
//! the schema these match).

use chrono::{DateTime, Utc};
use leadkit_core::{Consent, LeadStatus};
use leadkit_store::{ConsentFilter, Error, SortColumn, SortValue};

/// The column holding a sort column's value (`*_sort` columns hold folded
/// text).
pub(crate) const fn sort_column(column: SortColumn) -> &'static str {
    match column {
        SortColumn::CreatedAt => "created_at",
        SortColumn::LastSeenAt => "last_seen_at",
        SortColumn::Name => "name_sort",
        SortColumn::Email => "email_sort",
        SortColumn::Phone => "phone_sort",
        SortColumn::Company => "company_sort",
        // `SortColumn` is non-exhaustive; a column added later sorts by
        // status until it has a column of its own.
        _ => "status",
    }
}

/// A status as stored: its position in the funnel, so that `ORDER BY
/// status` sorts in funnel order. (leadkit-store's cursors number statuses
/// the same way, privately: that is a token's encoding, this a column's.)
pub(crate) fn status_code(status: LeadStatus) -> i64 {
    LeadStatus::ALL
        .iter()
        .position(|s| *s == status)
        .and_then(|p| i64::try_from(p).ok())
        .unwrap_or(i64::MAX)
}

/// The status at a stored funnel position.
pub(crate) fn status_from_code(code: i64) -> Result<LeadStatus, Error> {
    usize::try_from(code)
        .ok()
        .and_then(|i| LeadStatus::ALL.get(i).copied())
        .ok_or(Error::Corrupt {
            what: "lead status",
            source: None,
        })
}

/// The `consent_state` column: 0 no answer, 1 given, 2 refused.
pub(crate) fn consent_state(consent: Option<&Consent>) -> i64 {
    match consent {
        None => 0,
        Some(c) if c.given => 1,
        Some(_) => 2,
    }
}

/// The `consent_state` a consent filter selects.
pub(crate) fn consent_filter_state(filter: ConsentFilter) -> i64 {
    match filter {
        ConsentFilter::Given => 1,
        ConsentFilter::Refused => 2,
        // Missing, and any filter added later, selects leads without an answer.
        _ => 0,
    }
}

/// A time as stored: microseconds since the Unix epoch.
pub(crate) fn micros(at: DateTime<Utc>) -> i64 {
    at.timestamp_micros()
}

/// The time at a stored microsecond count.
pub(crate) fn from_micros(micros: i64) -> Result<DateTime<Utc>, Error> {
    DateTime::<Utc>::from_timestamp_micros(micros).ok_or(Error::Corrupt {
        what: "timestamp",
        source: None,
    })
}

/// A sort value as its column holds it.
pub(crate) enum SortParam {
    /// Times (microseconds) and statuses (funnel position).
    Int(i64),
    /// Folded text.
    Text(String),
}

impl SortParam {
    pub(crate) fn of(value: &SortValue) -> Self {
        match value {
            SortValue::Time(t) => Self::Int(micros(*t)),
            SortValue::Status(s) => Self::Int(status_code(*s)),
            SortValue::Text(t) => Self::Text(t.clone()),
        }
    }
}

/// A SQL `LIKE` pattern matching `folded` anywhere, with `\` as the escape
/// character: `%`, `_` and `\` in the text match themselves.
pub(crate) fn like_contains_pattern(folded: &str) -> String {
    let mut pattern = String::with_capacity(folded.len() + 8);
    pattern.push('%');
    for c in folded.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_contains_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }

    #[test]
    fn statuses_round_trip_in_funnel_order() {
        for (i, status) in LeadStatus::ALL.into_iter().enumerate() {
            assert_eq!(status_code(status), i as i64);
            assert_eq!(status_from_code(i as i64).ok(), Some(status));
        }
        assert!(status_from_code(-1).is_err());
        assert!(status_from_code(99).is_err());
    }
}
