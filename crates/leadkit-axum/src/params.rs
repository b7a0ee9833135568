//! The Leads-screen filter as URL query parameters, shared by the admin
//! API, the CSV export and the dashboard pages: read with serde (through
//! [`axum_extra::extract::Query`], whose `serde_html_form` takes repeated
//! keys such as `status=new&status=lost`), written back into links with
//! `form_urlencoded`.
//!
//! `q`, `bot` (repeatable), `status` (repeatable), `created_from`,
//! `created_to` (`YYYY-MM-DD` or RFC 3339; a date `created_to` includes
//! that whole day), `has_email`, `has_phone` (`true`/`false`), `consent`
//! (`given`/`refused`/`missing`), `sort` (a column name), `dir`
//! (`asc`/`desc`), `cursor`, `limit`. Blank values count as absent (HTML
//! forms send empty fields); unknown names are ignored (form buttons, the
//! export's `bom`).

use std::error::Error as _;
use std::fmt;
use std::marker::PhantomData;

use axum_extra::extract::QueryRejection;
use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use leadkit_core::{BotId, LeadStatus, Pii};
use leadkit_store::{ConsentFilter, Cursor, Direction, LeadQuery, MAX_PAGE_SIZE, SortColumn};
use serde::de::{self, Deserialize, Deserializer, SeqAccess, Visitor};

use crate::error::ApiError;

/// A parameter that could not be read: which one, and what it should be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParamError {
    pub(crate) parameter: String,
    pub(crate) expected: String,
}

impl ParamError {
    pub(crate) fn new(parameter: impl Into<String>, expected: impl Into<String>) -> Self {
        Self {
            parameter: parameter.into(),
            expected: expected.into(),
        }
    }

    /// Reads the parameter's name and our message from a failed
    /// `serde_html_form` deserialisation that `serde_path_to_error` tracked
    /// (as both `axum_extra`'s `Query` and [`LeadFilter::parse`] do).
    fn from_serde(err: &serde_path_to_error::Error<de::value::Error>) -> Self {
        let parameter = err
            .path()
            .iter()
            .find_map(|segment| match segment {
                serde_path_to_error::Segment::Map { key } => Some(key.clone()),
                _ => None,
            })
            .unwrap_or_else(|| "query string".to_owned());
        Self::new(parameter, err.inner().to_string())
    }
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid `{}` parameter: {}",
            self.parameter, self.expected
        )
    }
}

impl From<ParamError> for ApiError {
    fn from(err: ParamError) -> Self {
        ApiError::bad_request("invalid_parameter", err.to_string())
    }
}

impl From<QueryRejection> for ParamError {
    fn from(rejection: QueryRejection) -> Self {
        // The rejection wraps axum's error, which wraps the tracked serde
        // error; walk the chain rather than parse the rejection's text. Our
        // `serde_path_to_error` must be axum-extra's for the downcast to
        // match: tests/admin_api.rs (`invalid_parameters_are_a_clear_400`)
        // fails if an upgrade splits them.
        let mut source = rejection.source();
        while let Some(err) = source {
            if let Some(err) = err.downcast_ref::<serde_path_to_error::Error<de::value::Error>>() {
                return ParamError::from_serde(err);
            }
            source = err.source();
        }
        ParamError::new("query string", "a URL-encoded query string")
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        ParamError::from(rejection).into()
    }
}

/// A type a query parameter holds: how its text reads, and what to tell
/// the caller when it does not.
pub(crate) trait ParamType: Sized {
    /// What a valid value looks like, for the error message.
    const EXPECTED: &'static str;

    /// The value, from trimmed, non-empty text.
    fn parse(text: &str) -> Option<Self>;
}

/// One parameter's value: `None` when absent or blank. Given twice, it is
/// an error (only `bot` and `status` repeat, as lists of these).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Param<T>(pub(crate) Option<T>);

impl<T> Default for Param<T> {
    fn default() -> Self {
        Self(None)
    }
}

impl<'de, T: ParamType> Deserialize<'de> for Param<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ParamVisitor<T>(PhantomData<T>);

        impl<'de, T: ParamType> Visitor<'de> for ParamVisitor<T> {
            type Value = Param<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(T::EXPECTED)
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Param<T>, E> {
                let text = text.trim();
                if text.is_empty() {
                    return Ok(Param(None));
                }
                T::parse(text)
                    .map(|value| Param(Some(value)))
                    .ok_or_else(|| E::custom(T::EXPECTED))
            }

            // serde_html_form hands a repeated key over as a sequence.
            fn visit_seq<A: SeqAccess<'de>>(self, _values: A) -> Result<Param<T>, A::Error> {
                Err(de::Error::custom("given more than once"))
            }
        }

        deserializer.deserialize_any(ParamVisitor(PhantomData))
    }
}

/// The values of a repeatable parameter, blanks left out.
fn values<T: Clone>(list: &[Param<T>]) -> impl Iterator<Item = T> + '_ {
    list.iter().filter_map(|p| p.0.clone())
}

// The impls below all have the same shape: each type names what it expects,
// and the ones with a `FromStr` (ids, statuses, cursors) delegate to it. A
// macro would save a few lines and cost the reader more.
/// Search text: often a name or an email, so `Debug` hides it.
impl ParamType for Pii<String> {
    const EXPECTED: &'static str = "text";

    fn parse(text: &str) -> Option<Self> {
        Some(Pii::new(text.to_owned()))
    }
}

// The `ParamType` impls share the trait's shape; each has its own message
// and parser.
impl ParamType for BotId {
    const EXPECTED: &'static str = "a bot id (UUID)";

    fn parse(text: &str) -> Option<Self> {
        text.parse().ok()
    }
}

impl ParamType for LeadStatus {
    const EXPECTED: &'static str = "one of new, contacted, qualified, converted, lost";

    fn parse(text: &str) -> Option<Self> {
        text.parse().ok()
    }
}

impl ParamType for Cursor {
    const EXPECTED: &'static str = "a cursor returned as next_cursor";

    fn parse(text: &str) -> Option<Self> {
        text.parse().ok()
    }
}

impl ParamType for bool {
    const EXPECTED: &'static str = "true or false";

    fn parse(text: &str) -> Option<Self> {
        match text {
            "true" | "1" | "yes" => Some(true),
            "false" | "0" | "no" => Some(false),
            _ => None,
        }
    }
}

/// The URL names of the sort columns, in [`SortColumn::ALL`] order.
const SORT_NAMES: [&str; 7] = [
    "created_at",
    "last_seen_at",
    "name",
    "email",
    "phone",
    "company",
    "status",
];

/// The URL name of a sort column.
pub(crate) fn sort_name(column: SortColumn) -> &'static str {
    SortColumn::ALL
        .iter()
        .position(|c| *c == column)
        .map_or(SORT_NAMES[0], |i| SORT_NAMES[i])
}

impl ParamType for SortColumn {
    const EXPECTED: &'static str =
        "one of created_at, last_seen_at, name, email, phone, company, status";

    fn parse(text: &str) -> Option<Self> {
        let i = SORT_NAMES.iter().position(|name| *name == text)?;
        SortColumn::ALL.get(i).copied()
    }
}

/// The URL name of a direction.
pub(crate) const fn dir_name(dir: Direction) -> &'static str {
    match dir {
        Direction::Asc => "asc",
        Direction::Desc => "desc",
    }
}

impl ParamType for Direction {
    const EXPECTED: &'static str = "asc or desc";

    fn parse(text: &str) -> Option<Self> {
        [Direction::Asc, Direction::Desc]
            .into_iter()
            .find(|d| dir_name(*d) == text)
    }
}

const CONSENTS: [(ConsentFilter, &str); 3] = [
    (ConsentFilter::Given, "given"),
    (ConsentFilter::Refused, "refused"),
    (ConsentFilter::Missing, "missing"),
];

fn consent_name(consent: ConsentFilter) -> &'static str {
    CONSENTS
        .iter()
        .find(|(c, _)| *c == consent)
        .map_or("missing", |(_, name)| name)
}

impl ParamType for ConsentFilter {
    const EXPECTED: &'static str = "one of given, refused, missing";

    fn parse(text: &str) -> Option<Self> {
        CONSENTS
            .iter()
            .find(|(_, name)| *name == text)
            .map(|(c, _)| *c)
    }
}

/// A page size, 1 to [`MAX_PAGE_SIZE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PageSize(pub(crate) u32);

impl ParamType for PageSize {
    const EXPECTED: &'static str = "a number from 1 to 1000";

    fn parse(text: &str) -> Option<Self> {
        let n = text.parse().ok()?;
        (1..=MAX_PAGE_SIZE).contains(&n).then_some(PageSize(n))
    }
}

/// A date bound as given (to write it back into links and forms) and as
/// instants: a day runs from its midnight UTC to the next, so that as an
/// end bound it includes the whole day; an RFC 3339 time is one instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DateBound {
    pub(crate) text: String,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

impl DateBound {
    /// The first instant the bound covers (a day's midnight UTC).
    pub(crate) fn start(&self) -> DateTime<Utc> {
        self.start
    }

    /// The instant just after it (the next midnight for a day).
    pub(crate) fn end(&self) -> DateTime<Utc> {
        self.end
    }
}

impl ParamType for DateBound {
    const EXPECTED: &'static str = "a date (YYYY-MM-DD) or an RFC 3339 time";

    fn parse(text: &str) -> Option<Self> {
        let (start, end) = match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(day) => (
                day.and_time(NaiveTime::MIN).and_utc(),
                day.checked_add_days(Days::new(1))?
                    .and_time(NaiveTime::MIN)
                    .and_utc(),
            ),
            Err(_) => {
                let at = DateTime::parse_from_rfc3339(text).ok()?.with_timezone(&Utc);
                (at, at)
            }
        };
        Some(DateBound {
            text: text.to_owned(),
            start,
            end,
        })
    }
}

/// The filter, as the query string carries it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub(crate) struct LeadFilter {
    pub(crate) q: Param<Pii<String>>,
    pub(crate) bot: Vec<Param<BotId>>,
    pub(crate) status: Vec<Param<LeadStatus>>,
    pub(crate) created_from: Param<DateBound>,
    pub(crate) created_to: Param<DateBound>,
    pub(crate) has_email: Param<bool>,
    pub(crate) has_phone: Param<bool>,
    pub(crate) consent: Param<ConsentFilter>,
    pub(crate) sort: Param<SortColumn>,
    pub(crate) dir: Param<Direction>,
    pub(crate) seen_from: Param<DateBound>,
    pub(crate) seen_to: Param<DateBound>,
    pub(crate) cursor: Param<Cursor>,
    /// The page before this cursor (a page's `prev_cursor`).
    pub(crate) before: Param<Cursor>,
    pub(crate) limit: Param<PageSize>,
    /// Run the exact count of the matches (never kept in links: the
    /// count costs a scan of every match, see `admin::lead_total`).
    pub(crate) count: Param<bool>,
}

impl LeadFilter {
    /// Reads the filter from decoded query pairs, as the `Query` extractor
    /// would from the URL (for callers that read the pairs themselves).
    pub(crate) fn parse(pairs: &[(String, String)]) -> Result<Self, ParamError> {
        let query = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        let deserializer =
            serde_html_form::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        let filter: Self = serde_path_to_error::deserialize(deserializer)
            .map_err(|err| ParamError::from_serde(&err))?;
        filter.check()?;
        Ok(filter)
    }

    /// What serde cannot see one parameter at a time.
    pub(crate) fn check(&self) -> Result<(), ParamError> {
        if self.cursor.0.is_some() && self.before.0.is_some() {
            return Err(ParamError::new(
                "before",
                "either cursor or before, not both",
            ));
        }
        match (&self.created_from.0, &self.created_to.0) {
            (Some(from), Some(to)) if from.start > to.end => {
                return Err(ParamError::new(
                    "created_to",
                    "a date not before created_from",
                ));
            }
            _ => {}
        }
        match (&self.seen_from.0, &self.seen_to.0) {
            (Some(from), Some(to)) if from.start > to.end => {
                Err(ParamError::new("seen_to", "a date not before seen_from"))
            }
            _ => Ok(()),
        }
    }

    /// The search text.
    pub(crate) fn search(&self) -> Option<&str> {
        self.q.0.as_ref().map(|q| q.expose().as_str())
    }

    pub(crate) fn sort(&self) -> SortColumn {
        self.sort.0.unwrap_or_default()
    }

    pub(crate) fn dir(&self) -> Direction {
        self.dir.0.unwrap_or_default()
    }

    pub(crate) fn bots(&self) -> impl Iterator<Item = BotId> + '_ {
        values(&self.bot)
    }

    pub(crate) fn statuses(&self) -> impl Iterator<Item = LeadStatus> + '_ {
        values(&self.status)
    }

    /// The store query (with the cursor and page size).
    pub(crate) fn query(&self) -> LeadQuery {
        let mut query = LeadQuery::new()
            .bots(self.bots())
            .statuses(self.statuses())
            .sort(self.sort(), self.dir());
        if let Some(q) = self.search() {
            query = query.search(q);
        }
        if let Some(from) = &self.created_from.0 {
            query = query.created_from(from.start);
        }
        if let Some(to) = &self.created_to.0 {
            query = query.created_before(to.end);
        }
        if let Some(from) = &self.seen_from.0 {
            query = query.seen_from(from.start);
        }
        if let Some(to) = &self.seen_to.0 {
            query = query.seen_before(to.end);
        }
        if let Some(has) = self.has_email.0 {
            query = query.has_email(has);
        }
        if let Some(has) = self.has_phone.0 {
            query = query.has_phone(has);
        }
        if let Some(consent) = self.consent.0 {
            query = query.consent(consent);
        }
        if let Some(PageSize(limit)) = self.limit.0 {
            query = query.limit(limit);
        }
        if let Some(cursor) = &self.cursor.0 {
            query = query.after(cursor.clone());
        }
        if let Some(cursor) = &self.before.0 {
            query = query.before(cursor.clone());
        }
        query
    }

    /// The query string of this filter with a sort (the page size kept, the
    /// cursor dropped), then `cursor` when given.
    pub(crate) fn link(&self, sort: SortColumn, dir: Direction, cursor: Option<&Cursor>) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        if let Some(q) = self.search() {
            out.append_pair("q", q);
        }
        for bot in self.bots() {
            out.append_pair("bot", &bot.to_string());
        }
        for status in self.statuses() {
            out.append_pair("status", status.as_str());
        }
        if let Some(from) = &self.created_from.0 {
            out.append_pair("created_from", &from.text);
        }
        if let Some(to) = &self.created_to.0 {
            out.append_pair("created_to", &to.text);
        }
        if let Some(from) = &self.seen_from.0 {
            out.append_pair("seen_from", &from.text);
        }
        if let Some(to) = &self.seen_to.0 {
            out.append_pair("seen_to", &to.text);
        }
        if let Some(has) = self.has_email.0 {
            out.append_pair("has_email", if has { "true" } else { "false" });
        }
        if let Some(has) = self.has_phone.0 {
            out.append_pair("has_phone", if has { "true" } else { "false" });
        }
        if let Some(consent) = self.consent.0 {
            out.append_pair("consent", consent_name(consent));
        }
        if sort != SortColumn::default() || dir != Direction::default() {
            out.append_pair("sort", sort_name(sort));
            out.append_pair("dir", dir_name(dir));
        }
        if let Some(PageSize(limit)) = self.limit.0 {
            out.append_pair("limit", &limit.to_string());
        }
        if let Some(cursor) = cursor {
            out.append_pair("cursor", cursor.as_str());
        }
        out.finish()
    }

    /// The query string of the page before `cursor` (a page's `prev`).
    pub(crate) fn before_link(&self, cursor: &Cursor) -> String {
        let mut link = self.link(self.sort(), self.dir(), None);
        if !link.is_empty() {
            link.push('&');
        }
        link.push_str("before=");
        link.push_str(cursor.as_str());
        link
    }

    /// Whether this is a page other than the first.
    pub(crate) fn paged(&self) -> bool {
        self.cursor.0.is_some() || self.before.0.is_some()
    }

    /// [`link`](Self::link) with the current sort.
    pub(crate) fn current_link(&self, cursor: Option<&Cursor>) -> String {
        self.link(self.sort(), self.dir(), cursor)
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
        assert_eq!(filter.search(), Some("Ana Souza"));
        assert!(!format!("{filter:?}").contains("Ana"));
        assert_eq!(filter.bots().collect::<Vec<_>>(), vec![bot]);
        assert_eq!(
            filter.statuses().collect::<Vec<_>>(),
            vec![LeadStatus::New, LeadStatus::Qualified]
        );
        assert_eq!(
            filter.created_to.0.as_ref().unwrap().end.to_rfc3339(),
            "2026-02-01T00:00:00+00:00"
        );
        assert_eq!(filter.sort(), SortColumn::Name);
        assert_eq!(filter.dir(), Direction::Asc);
        assert_eq!(filter.query().page_size(), 25);
        let link = filter.current_link(None);
        assert!(link.starts_with("q=Ana+Souza&bot="), "{link}");
        assert!(link.contains(
            "&status=new&status=qualified&created_from=2026-01-01&created_to=2026-01-31"
        ));
        assert!(link.ends_with("&sort=name&dir=asc&limit=25"), "{link}");
        // A link reads back as the same filter.
        let again: Vec<(String, String)> = form_urlencoded::parse(link.as_bytes())
            .into_owned()
            .collect();
        let mut reread = LeadFilter::parse(&again).unwrap();
        reread.status = filter.status.clone(); // `QUALIFIED` came back lower-case
        assert_eq!(reread, filter);
    }

    #[test]
    fn every_sort_column_has_a_name_that_reads_back() {
        for column in SortColumn::ALL {
            assert_eq!(SortColumn::parse(sort_name(column)), Some(column));
        }
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
            assert!(err.to_string().contains(&format!("`{parameter}`")), "{err}");
        }
        let err = LeadFilter::parse(&pairs(&[("q", "a"), ("q", "b")])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid `q` parameter: given more than once"
        );
    }

    #[test]
    fn rfc3339_bounds_and_blank_values() {
        let filter = LeadFilter::parse(&pairs(&[
            ("created_from", "2026-03-01T10:00:00+02:00"),
            ("q", "   "),
            ("status", ""),
            ("bot", ""),
        ]))
        .unwrap();
        assert_eq!(
            filter.created_from.0.as_ref().unwrap().start.to_rfc3339(),
            "2026-03-01T08:00:00+00:00"
        );
        assert_eq!(filter.search(), None);
        assert_eq!(filter.statuses().count(), 0);
        assert_eq!(filter.bots().count(), 0);
        assert_eq!(
            filter.current_link(None),
            "created_from=2026-03-01T10%3A00%3A00%2B02%3A00"
        );
    }
}
