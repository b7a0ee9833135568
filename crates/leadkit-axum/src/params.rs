//! The Leads-screen filter as URL query parameters, shared by the admin
//! API, the CSV export and the dashboard pages.
//!
//! `q`, `bot` (repeatable), `status` (repeatable), `created_from`,
//! `created_to` (`YYYY-MM-DD` or RFC 3339; a date `created_to` includes
//! that whole day), `has_email`, `has_phone` (`true`/`false`), `consent`
//! (`given`/`refused`/`missing`), `sort` (a column name), `dir`
//! (`asc`/`desc`), `cursor`, `limit`. Empty values count as absent (HTML
//! forms send empty fields); unknown names are ignored (form buttons).

use chrono::{DateTime, Days, NaiveDate, Utc};
use leadkit_core::{BotId, LeadStatus};
use leadkit_store::{ConsentFilter, Cursor, Direction, LeadQuery, SortColumn};

use crate::error::ApiError;
use crate::html::query_string;

/// A parameter that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParamError {
    pub(crate) parameter: &'static str,
    pub(crate) expected: &'static str,
}

impl ParamError {
    fn new(parameter: &'static str, expected: &'static str) -> Self {
        Self {
            parameter,
            expected,
        }
    }

    pub(crate) fn message(&self) -> String {
        format!("invalid `{}` parameter: {}", self.parameter, self.expected)
    }
}

impl From<ParamError> for ApiError {
    fn from(err: ParamError) -> Self {
        ApiError::bad_request("invalid_parameter", err.message())
    }
}

/// A date bound as given (to write it back into links and forms) and as
/// resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DateBound {
    pub(crate) text: String,
    pub(crate) at: DateTime<Utc>,
}

/// The parsed filter.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct LeadFilter {
    pub(crate) q: Option<String>,
    pub(crate) bots: Vec<BotId>,
    pub(crate) statuses: Vec<LeadStatus>,
    pub(crate) created_from: Option<DateBound>,
    pub(crate) created_to: Option<DateBound>,
    pub(crate) has_email: Option<bool>,
    pub(crate) has_phone: Option<bool>,
    pub(crate) consent: Option<ConsentFilter>,
    pub(crate) sort: SortColumn,
    pub(crate) dir: Direction,
    pub(crate) cursor: Option<Cursor>,
    pub(crate) limit: Option<u32>,
}

/// The URL name of a sort column.
pub(crate) const fn sort_name(column: SortColumn) -> &'static str {
    match column {
        SortColumn::LastSeenAt => "last_seen_at",
        SortColumn::Name => "name",
        SortColumn::Email => "email",
        SortColumn::Phone => "phone",
        SortColumn::Company => "company",
        SortColumn::Status => "status",
        _ => "created_at",
    }
}

pub(crate) const fn dir_name(dir: Direction) -> &'static str {
    match dir {
        Direction::Asc => "asc",
        Direction::Desc => "desc",
    }
}

const fn consent_name(consent: ConsentFilter) -> &'static str {
    match consent {
        ConsentFilter::Given => "given",
        ConsentFilter::Refused => "refused",
        _ => "missing",
    }
}

const SORT_EXPECTED: &str = "one of created_at, last_seen_at, name, email, phone, company, status";

impl LeadFilter {
    /// Reads the filter from decoded query pairs.
    pub(crate) fn parse(pairs: &[(String, String)]) -> Result<Self, ParamError> {
        let mut filter = LeadFilter::default();
        let mut seen: Vec<&str> = Vec::new();
        for (key, value) in pairs {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            let repeatable = matches!(key.as_str(), "bot" | "status");
            if !repeatable {
                if seen.contains(&key.as_str()) {
                    let name = known_name(key).unwrap_or("parameter");
                    return Err(ParamError::new(name, "given more than once"));
                }
                seen.push(key.as_str());
            }
            match key.as_str() {
                "q" => filter.q = Some(value.to_owned()),
                "bot" => filter.bots.push(
                    value
                        .parse()
                        .map_err(|_| ParamError::new("bot", "a bot id (UUID)"))?,
                ),
                "status" => filter.statuses.push(value.parse().map_err(|_| {
                    ParamError::new(
                        "status",
                        "one of new, contacted, qualified, converted, lost",
                    )
                })?),
                "created_from" => {
                    filter.created_from = Some(DateBound {
                        text: value.to_owned(),
                        at: parse_time(value, false)
                            .ok_or(ParamError::new("created_from", DATE_EXPECTED))?,
                    });
                }
                "created_to" => {
                    filter.created_to = Some(DateBound {
                        text: value.to_owned(),
                        at: parse_time(value, true)
                            .ok_or(ParamError::new("created_to", DATE_EXPECTED))?,
                    });
                }
                "has_email" => filter.has_email = Some(parse_bool(value, "has_email")?),
                "has_phone" => filter.has_phone = Some(parse_bool(value, "has_phone")?),
                "consent" => {
                    filter.consent = Some(match value {
                        "given" => ConsentFilter::Given,
                        "refused" => ConsentFilter::Refused,
                        "missing" => ConsentFilter::Missing,
                        _ => {
                            return Err(ParamError::new(
                                "consent",
                                "one of given, refused, missing",
                            ));
                        }
                    });
                }
                "sort" => {
                    filter.sort = SortColumn::ALL
                        .into_iter()
                        .find(|c| sort_name(*c) == value)
                        .ok_or(ParamError::new("sort", SORT_EXPECTED))?;
                }
                "dir" => {
                    filter.dir = match value {
                        "asc" => Direction::Asc,
                        "desc" => Direction::Desc,
                        _ => return Err(ParamError::new("dir", "asc or desc")),
                    };
                }
                "cursor" => {
                    filter.cursor = Some(value.parse().map_err(|_| {
                        ParamError::new("cursor", "a cursor returned as next_cursor")
                    })?);
                }
                "limit" => {
                    filter.limit = Some(
                        value
                            .parse()
                            .ok()
                            .filter(|n| (1..=leadkit_store::MAX_PAGE_SIZE).contains(n))
                            .ok_or(ParamError::new("limit", "a number from 1 to 1000"))?,
                    );
                }
                _ => {}
            }
        }
        if let (Some(from), Some(to)) = (&filter.created_from, &filter.created_to)
            && from.at > to.at
        {
            return Err(ParamError::new(
                "created_to",
                "a date not before created_from",
            ));
        }
        Ok(filter)
    }

    /// The store query (with the cursor and page size).
    pub(crate) fn query(&self) -> LeadQuery {
        let mut query = LeadQuery::new()
            .bots(self.bots.iter().copied())
            .statuses(self.statuses.iter().copied())
            .sort(self.sort, self.dir);
        if let Some(q) = &self.q {
            query = query.search(q.as_str());
        }
        if let Some(from) = &self.created_from {
            query = query.created_from(from.at);
        }
        if let Some(to) = &self.created_to {
            query = query.created_before(to.at);
        }
        if let Some(has) = self.has_email {
            query = query.has_email(has);
        }
        if let Some(has) = self.has_phone {
            query = query.has_phone(has);
        }
        if let Some(consent) = self.consent {
            query = query.consent(consent);
        }
        if let Some(limit) = self.limit {
            query = query.limit(limit);
        }
        if let Some(cursor) = &self.cursor {
            query = query.after(cursor.clone());
        }
        query
    }

    /// The filter's parameters (not the cursor, sort or page size), to
    /// carry into links.
    pub(crate) fn filter_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(q) = &self.q {
            pairs.push(("q", q.clone()));
        }
        pairs.extend(self.bots.iter().map(|b| ("bot", b.to_string())));
        pairs.extend(
            self.statuses
                .iter()
                .map(|s| ("status", s.as_str().to_owned())),
        );
        if let Some(from) = &self.created_from {
            pairs.push(("created_from", from.text.clone()));
        }
        if let Some(to) = &self.created_to {
            pairs.push(("created_to", to.text.clone()));
        }
        if let Some(has) = self.has_email {
            pairs.push(("has_email", has.to_string()));
        }
        if let Some(has) = self.has_phone {
            pairs.push(("has_phone", has.to_string()));
        }
        if let Some(consent) = self.consent {
            pairs.push(("consent", consent_name(consent).to_owned()));
        }
        pairs
    }

    /// The query string of this filter with a sort, plus `extra` pairs.
    pub(crate) fn link(
        &self,
        sort: SortColumn,
        dir: Direction,
        extra: &[(&'static str, String)],
    ) -> String {
        let mut pairs = self.filter_pairs();
        if sort != SortColumn::default() || dir != Direction::default() {
            pairs.push(("sort", sort_name(sort).to_owned()));
            pairs.push(("dir", dir_name(dir).to_owned()));
        }
        if let Some(limit) = self.limit {
            pairs.push(("limit", limit.to_string()));
        }
        pairs.extend(extra.iter().cloned());
        query_string(pairs.iter().map(|(k, v)| (*k, v.as_str())))
    }
}

fn known_name(key: &str) -> Option<&'static str> {
    [
        "q",
        "created_from",
        "created_to",
        "has_email",
        "has_phone",
        "consent",
        "sort",
        "dir",
        "cursor",
        "limit",
    ]
    .into_iter()
    .find(|name| *name == key)
}

const DATE_EXPECTED: &str = "a date (YYYY-MM-DD) or an RFC 3339 time";

/// A date is midnight UTC; as an end bound it includes that whole day.
fn parse_time(text: &str, end: bool) -> Option<DateTime<Utc>> {
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        let date = if end {
            date.checked_add_days(Days::new(1))?
        } else {
            date
        };
        return Some(date.and_hms_opt(0, 0, 0)?.and_utc());
    }
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

fn parse_bool(text: &str, parameter: &'static str) -> Result<bool, ParamError> {
    match text {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err(ParamError::new(parameter, "true or false")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn a_full_filter_parses_and_round_trips() {
        let bot = BotId::from_u128(7);
        let input = pairs(&[
            ("q", "Ana Souza"),
            ("bot", &bot.to_string()),
            ("status", "new"),
            ("status", "QUALIFIED"),
            ("created_from", "2026-01-01"),
            ("created_to", "2026-01-31"),
            ("has_email", "true"),
            ("consent", "given"),
            ("sort", "name"),
            ("dir", "asc"),
            ("limit", "25"),
            ("apply", ""),
            ("submit", "Filter"),
        ]);
        let filter = LeadFilter::parse(&input).unwrap();
        assert_eq!(filter.q.as_deref(), Some("Ana Souza"));
        assert_eq!(filter.bots, vec![bot]);
        assert_eq!(
            filter.statuses,
            vec![LeadStatus::New, LeadStatus::Qualified]
        );
        assert_eq!(
            filter.created_to.as_ref().unwrap().at.to_rfc3339(),
            "2026-02-01T00:00:00+00:00"
        );
        assert_eq!(filter.sort, SortColumn::Name);
        assert_eq!(filter.dir, Direction::Asc);
        assert_eq!(filter.query().page_size(), 25);
        let link = filter.link(filter.sort, filter.dir, &[]);
        assert!(link.starts_with("q=Ana%20Souza&bot="), "{link}");
        assert!(link.contains(
            "&status=new&status=qualified&created_from=2026-01-01&created_to=2026-01-31"
        ));
        assert!(link.ends_with("&sort=name&dir=asc&limit=25"), "{link}");
    }

    #[test]
    fn bad_parameters_are_named() {
        for (input, parameter) in [
            (vec![("status", "hot")], "status"),
            (vec![("bot", "bot-1")], "bot"),
            (vec![("created_from", "yesterday")], "created_from"),
            (
                vec![("created_from", "2026-02-01"), ("created_to", "2026-01-01")],
                "created_to",
            ),
            (vec![("has_phone", "maybe")], "has_phone"),
            (vec![("sort", "secret_column")], "sort"),
            (vec![("dir", "up")], "dir"),
            (vec![("limit", "0")], "limit"),
            (vec![("limit", "100000")], "limit"),
            (vec![("cursor", "not hex!")], "cursor"),
            (vec![("q", "a"), ("q", "b")], "q"),
            (vec![("consent", "perhaps")], "consent"),
        ] {
            let err = LeadFilter::parse(&pairs(&input)).unwrap_err();
            assert_eq!(err.parameter, parameter, "{input:?}");
            assert!(err.message().contains(parameter));
        }
    }

    #[test]
    fn rfc3339_bounds_and_empty_values() {
        let filter = LeadFilter::parse(&pairs(&[
            ("created_from", "2026-03-01T10:00:00+02:00"),
            ("q", "   "),
            ("status", ""),
        ]))
        .unwrap();
        assert_eq!(
            filter.created_from.unwrap().at.to_rfc3339(),
            "2026-03-01T08:00:00+00:00"
        );
        assert_eq!(filter.q, None);
        assert!(filter.statuses.is_empty());
    }
}
