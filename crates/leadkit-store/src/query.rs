//! The Leads-screen query: filters, sort, keyset pagination.

use std::cmp::Ordering;

use chrono::{DateTime, Utc};
use leadkit_core::{BotId, LeadId, LeadStatus, WorkspaceId};

use crate::cursor::{Cursor, CursorPosition};
use crate::fold::fold;
use crate::model::Lead;
use crate::{Error, backend};

/// The longest free-text search accepted, in bytes after folding. Longer
/// text cannot be part of a name, email, phone or company anyway.
pub const MAX_SEARCH_LEN: usize = 512;

/// The largest page.
pub const MAX_PAGE_SIZE: u32 = 1000;

/// The page size when none is given.
pub const DEFAULT_PAGE_SIZE: u32 = 50;

/// A search term typed like a phone number ("912 345 678",
/// "(201) 555-0123", "+351 912-345") with its separators removed, so that
/// it matches the E.164 form phones are stored in. Any other term is kept
/// as it is.
pub(crate) fn compact_phone_fragment(term: &str) -> String {
    let phone_like = term
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')' | '+' | '/'));
    let digits = term.chars().filter(char::is_ascii_digit).count();
    if !phone_like || digits < 3 {
        return term.to_owned();
    }
    let plus = term.trim_start().starts_with('+');
    let mut compact = String::with_capacity(term.len());
    if plus {
        compact.push('+');
    }
    compact.extend(term.chars().filter(char::is_ascii_digit));
    compact
}

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

    /// The SQL column holding the sort value (see `leadkit-sql`'s schema).
    pub const fn sql_column(self) -> &'static str {
        match self {
            SortColumn::CreatedAt => "created_at",
            SortColumn::LastSeenAt => "last_seen_at",
            SortColumn::Name => "name_sort",
            SortColumn::Email => "email_sort",
            SortColumn::Phone => "phone_sort",
            SortColumn::Company => "company_sort",
            SortColumn::Status => "status",
        }
    }

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

    pub(crate) const fn is_text(self) -> bool {
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

/// A lead's value in a sort column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SortValue {
    /// Times (microseconds) and statuses (funnel position).
    Int(i64),
    /// Folded text; the empty string when the lead has no value.
    Text(String),
}

/// Filter on the consent answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConsentFilter {
    /// Consent was given.
    Given,
    /// Consent was refused.
    Refused,
    /// No answer recorded.
    Missing,
}

impl ConsentFilter {
    /// The stored consent state: 0 missing, 1 given, 2 refused.
    pub const fn code(self) -> i64 {
        match self {
            ConsentFilter::Missing => 0,
            ConsentFilter::Given => 1,
            ConsentFilter::Refused => 2,
        }
    }
}

/// The consent state code of a lead (see [`ConsentFilter::code`]).
pub fn consent_code(lead: &Lead) -> i64 {
    match &lead.consent {
        None => 0,
        Some(c) if c.given => 1,
        Some(_) => 2,
    }
}

/// What the Leads screen asks for: filters, a sort and a page.
///
/// Build it with the methods; every store checks it when it runs
/// ([`LeadQuery::validate`]) and reports a bad one as
/// [`Error::InvalidQuery`] or [`Error::InvalidCursor`].
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use leadkit_core::{BotId, LeadStatus};
/// use leadkit_store::{Direction, LeadQuery, SortColumn};
///
/// let query = LeadQuery::new()
///     .search("álvarez")
///     .bots([BotId::from_u128(1)])
///     .statuses([LeadStatus::New, LeadStatus::Contacted])
///     .created_between(
///         Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
///         Utc.with_ymd_and_hms(2026, 2, 1, 0, 0, 0).unwrap(),
///     )
///     .has_email(true)
///     .sort(SortColumn::Name, Direction::Asc)
///     .limit(25);
/// assert_eq!(query.page_size(), 25);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LeadQuery {
    search: Option<String>,
    bots: Vec<BotId>,
    created_from: Option<DateTime<Utc>>,
    created_to: Option<DateTime<Utc>>,
    seen_from: Option<DateTime<Utc>>,
    seen_to: Option<DateTime<Utc>>,
    statuses: Vec<LeadStatus>,
    has_email: Option<bool>,
    has_phone: Option<bool>,
    consent: Option<ConsentFilter>,
    sort: SortColumn,
    direction: Direction,
    limit: Option<u32>,
    cursor: Option<Cursor>,
}

impl LeadQuery {
    /// Every lead, newest first, the first page.
    pub fn new() -> Self {
        Self::default()
    }

    /// Free-text search: leads whose name, email, phone or company contains
    /// `text`, ignoring case and accents. Blank text searches nothing.
    #[must_use]
    pub fn search(mut self, text: impl Into<String>) -> Self {
        self.search = Some(text.into());
        self
    }

    /// Leads captured by one of these bots (call again to add more).
    #[must_use]
    pub fn bots(mut self, bots: impl IntoIterator<Item = BotId>) -> Self {
        self.bots.extend(bots);
        self
    }

    /// Leads created in `[from, to)`.
    #[must_use]
    pub fn created_between(mut self, from: DateTime<Utc>, to: DateTime<Utc>) -> Self {
        self.created_from = Some(from);
        self.created_to = Some(to);
        self
    }

    /// Leads created at or after `from`.
    #[must_use]
    pub fn created_from(mut self, from: DateTime<Utc>) -> Self {
        self.created_from = Some(from);
        self
    }

    /// Leads created before `to`.
    #[must_use]
    pub fn created_before(mut self, to: DateTime<Utc>) -> Self {
        self.created_to = Some(to);
        self
    }

    /// Leads last seen in `[from, to)`.
    #[must_use]
    pub fn last_seen_between(mut self, from: DateTime<Utc>, to: DateTime<Utc>) -> Self {
        self.seen_from = Some(from);
        self.seen_to = Some(to);
        self
    }

    /// Leads with one of these statuses (call again to add more).
    #[must_use]
    pub fn statuses(mut self, statuses: impl IntoIterator<Item = LeadStatus>) -> Self {
        self.statuses.extend(statuses);
        self
    }

    /// Leads with (`true`) or without (`false`) an email.
    #[must_use]
    pub fn has_email(mut self, has: bool) -> Self {
        self.has_email = Some(has);
        self
    }

    /// Leads with (`true`) or without (`false`) a phone.
    #[must_use]
    pub fn has_phone(mut self, has: bool) -> Self {
        self.has_phone = Some(has);
        self
    }

    /// Leads whose consent answer is `consent`.
    #[must_use]
    pub fn consent(mut self, consent: ConsentFilter) -> Self {
        self.consent = Some(consent);
        self
    }

    /// Sort by `column` in `direction` (ties broken by id).
    #[must_use]
    pub fn sort(mut self, column: SortColumn, direction: Direction) -> Self {
        self.sort = column;
        self.direction = direction;
        self
    }

    /// Page size, 1 to [`MAX_PAGE_SIZE`] (default [`DEFAULT_PAGE_SIZE`]).
    #[must_use]
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// The page after the one that returned `cursor`.
    #[must_use]
    pub fn after(mut self, cursor: Cursor) -> Self {
        self.cursor = Some(cursor);
        self
    }

    /// The same query from the first page.
    #[must_use]
    pub fn first_page(mut self) -> Self {
        self.cursor = None;
        self
    }

    /// The page size asked for.
    pub fn page_size(&self) -> u32 {
        self.limit.unwrap_or(DEFAULT_PAGE_SIZE)
    }

    /// Checks the query for `workspace` and resolves it into what a backend runs.
    pub fn validate(&self, workspace: WorkspaceId) -> Result<ValidQuery, Error> {
        let search = match &self.search {
            Some(text) => {
                let folded = fold(text.trim());
                let folded = folded.trim();
                if folded.len() > MAX_SEARCH_LEN {
                    return Err(Error::InvalidQuery {
                        reason: "search text is longer than 512 bytes",
                    });
                }
                (!folded.is_empty()).then(|| compact_phone_fragment(folded))
            }
            None => None,
        };
        check_range(
            self.created_from,
            self.created_to,
            "created range starts after it ends",
        )?;
        check_range(
            self.seen_from,
            self.seen_to,
            "last-seen range starts after it ends",
        )?;
        let limit = self.page_size();
        if limit == 0 || limit > MAX_PAGE_SIZE {
            return Err(Error::InvalidQuery {
                reason: "page size must be between 1 and 1000",
            });
        }
        let mut bots = self.bots.clone();
        bots.sort();
        bots.dedup();
        let mut statuses: Vec<i64> = self
            .statuses
            .iter()
            .map(|s| backend::status_code(*s))
            .collect();
        statuses.sort_unstable();
        statuses.dedup();
        let mut valid = ValidQuery {
            workspace,
            search,
            bots,
            created_from: self.created_from.map(backend::micros),
            created_to: self.created_to.map(backend::micros),
            seen_from: self.seen_from.map(backend::micros),
            seen_to: self.seen_to.map(backend::micros),
            statuses,
            has_email: self.has_email,
            has_phone: self.has_phone,
            consent: self.consent.map(ConsentFilter::code),
            sort: self.sort,
            direction: self.direction,
            limit,
            after: None,
        };
        if let Some(cursor) = &self.cursor {
            valid.after = Some(cursor.decode(valid.fingerprint(), self.sort)?);
        }
        Ok(valid)
    }
}

fn check_range(
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    reason: &'static str,
) -> Result<(), Error> {
    match (from, to) {
        (Some(from), Some(to)) if from > to => Err(Error::InvalidQuery { reason }),
        _ => Ok(()),
    }
}

/// A checked [`LeadQuery`], resolved for one workspace: search text folded,
/// times in microseconds, statuses as funnel codes, the cursor decoded.
/// Ranges are half-open: `from <= t < to`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ValidQuery {
    /// The workspace every row must belong to.
    pub workspace: WorkspaceId,
    /// The folded search text.
    pub search: Option<String>,
    /// Bots (sorted, distinct); empty means any.
    pub bots: Vec<BotId>,
    /// Created at or after.
    pub created_from: Option<i64>,
    /// Created before.
    pub created_to: Option<i64>,
    /// Last seen at or after.
    pub seen_from: Option<i64>,
    /// Last seen before.
    pub seen_to: Option<i64>,
    /// Status codes (sorted, distinct); empty means any.
    pub statuses: Vec<i64>,
    /// Has an email.
    pub has_email: Option<bool>,
    /// Has a phone.
    pub has_phone: Option<bool>,
    /// Consent state code.
    pub consent: Option<i64>,
    /// Sort column.
    pub sort: SortColumn,
    /// Sort direction.
    pub direction: Direction,
    /// Page size.
    pub limit: u32,
    /// Start after this position (from the cursor).
    pub after: Option<CursorPosition>,
}

impl ValidQuery {
    /// A stable hash of everything that selects and orders rows (not the
    /// page size), so that a cursor only continues the query it came from.
    pub fn fingerprint(&self) -> u64 {
        let mut h = Fnv::new();
        h.bytes(self.workspace.as_uuid().as_bytes());
        h.opt_bytes(self.search.as_deref().map(str::as_bytes));
        h.u64(self.bots.len() as u64);
        for bot in &self.bots {
            h.bytes(bot.as_uuid().as_bytes());
        }
        for bound in [
            self.created_from,
            self.created_to,
            self.seen_from,
            self.seen_to,
        ] {
            h.opt_i64(bound);
        }
        h.u64(self.statuses.len() as u64);
        for status in &self.statuses {
            h.i64(*status);
        }
        for flag in [self.has_email, self.has_phone] {
            h.opt_i64(flag.map(i64::from));
        }
        h.opt_i64(self.consent);
        h.u64(u64::from(self.sort.code()));
        h.u64(u64::from(self.direction == Direction::Asc));
        h.finish()
    }

    /// Whether a lead passes the filters (not the cursor). `search_text` is
    /// the lead's [`backend::search_text`]. Used by in-memory backends.
    pub fn matches(&self, lead: &Lead, search_text: &str) -> bool {
        let in_range = |t: i64, from: Option<i64>, to: Option<i64>| {
            from.is_none_or(|f| t >= f) && to.is_none_or(|e| t < e)
        };
        lead.workspace == self.workspace
            && self
                .search
                .as_deref()
                .is_none_or(|s| search_text.contains(s))
            && (self.bots.is_empty() || self.bots.binary_search(&lead.bot).is_ok())
            && in_range(
                backend::micros(lead.created_at),
                self.created_from,
                self.created_to,
            )
            && in_range(
                backend::micros(lead.last_seen_at),
                self.seen_from,
                self.seen_to,
            )
            && (self.statuses.is_empty()
                || self
                    .statuses
                    .binary_search(&backend::status_code(lead.status))
                    .is_ok())
            && self
                .has_email
                .is_none_or(|h| lead.details.email.is_some() == h)
            && self
                .has_phone
                .is_none_or(|h| lead.details.phone.is_some() == h)
            && self.consent.is_none_or(|c| consent_code(lead) == c)
    }

    /// Orders two `(sort value, id)` positions in the query's direction.
    pub fn compare(&self, a: (&SortValue, LeadId), b: (&SortValue, LeadId)) -> Ordering {
        let natural = a.0.cmp(b.0).then(a.1.cmp(&b.1));
        match self.direction {
            Direction::Asc => natural,
            Direction::Desc => natural.reverse(),
        }
    }

    /// Whether a position comes after the cursor (always true without one).
    pub fn is_after_cursor(&self, value: &SortValue, id: LeadId) -> bool {
        self.after.as_ref().is_none_or(|after| {
            self.compare((value, id), (&after.value, after.id)) == Ordering::Greater
        })
    }

    /// The cursor for the page after one ending with `last`.
    pub fn cursor_after(&self, last: &Lead) -> Cursor {
        self.cursor_at(&CursorPosition::new(
            backend::sort_value(last, self.sort),
            last.id,
        ))
    }

    /// The cursor for the page after one ending at `position` (for a
    /// backend that reads the last row's sort value itself, as the
    /// SQL stores' exports do).
    pub fn cursor_at(&self, position: &CursorPosition) -> Cursor {
        Cursor::encode(self.fingerprint(), self.sort, position)
    }
}

/// One page of leads.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LeadPage {
    /// The leads, in order.
    pub leads: Vec<Lead>,
    /// The cursor for the next page, if this one was full.
    pub next: Option<Cursor>,
}

impl LeadPage {
    /// A page; `next` is set only when the page is full.
    pub fn new(query: &ValidQuery, leads: Vec<Lead>) -> Self {
        let full = u32::try_from(leads.len()).is_ok_and(|n| n == query.limit);
        let next = if full {
            leads.last().map(|last| query.cursor_after(last))
        } else {
            None
        };
        Self { leads, next }
    }
}

/// FNV-1a, 64-bit: stable across processes and versions (unlike std's
/// hasher), which a cursor needs.
pub(crate) struct Fnv(u64);

impl Fnv {
    pub(crate) const fn new() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }

    pub(crate) fn bytes(&mut self, bytes: &[u8]) {
        self.u64(bytes.len() as u64);
        self.raw(bytes);
    }

    fn raw(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn u64(&mut self, value: u64) {
        self.raw(&value.to_be_bytes());
    }

    fn i64(&mut self, value: i64) {
        self.raw(&value.to_be_bytes());
    }

    fn opt_i64(&mut self, value: Option<i64>) {
        match value {
            Some(v) => {
                self.raw(&[1]);
                self.i64(v);
            }
            None => self.raw(&[0]),
        }
    }

    fn opt_bytes(&mut self, value: Option<&[u8]>) {
        match value {
            Some(v) => {
                self.raw(&[1]);
                self.bytes(v);
            }
            None => self.raw(&[0]),
        }
    }

    pub(crate) const fn finish(&self) -> u64 {
        self.0
    }
}
