//! The Leads-screen query: filters, sort, keyset pagination.

use std::cmp::Ordering;

use chrono::{DateTime, Utc};
use leadkit_core::{BotId, LeadId, LeadStatus, WorkspaceId};

use crate::Error;
use crate::cursor::{Cursor, CursorKey};
use crate::fold::fold;
use crate::model::Lead;
use crate::sort::{CursorPosition, Direction, SortColumn, SortValue, funnel_position};

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
    /// Whether a lead's consent answer passes the filter.
    pub fn matches(self, consent: Option<&leadkit_core::Consent>) -> bool {
        match (self, consent) {
            (ConsentFilter::Missing, None) => true,
            (ConsentFilter::Given, Some(c)) => c.given,
            (ConsentFilter::Refused, Some(c)) => !c.given,
            _ => false,
        }
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
    /// Whether `cursor` is a [`LeadPage::prev`] cursor (the page before it).
    backwards: bool,
}

// Builder methods: each sets one field and returns `self`, so they share
// one shape here and with the other builders of the workspace.
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

    /// Leads that talked to one of these bots, first or later (call again
    /// to add more).
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

    /// Leads last seen at or after `from`.
    #[must_use]
    pub fn seen_from(mut self, from: DateTime<Utc>) -> Self {
        self.seen_from = Some(from);
        self
    }

    /// Leads last seen before `to`.
    #[must_use]
    pub fn seen_before(mut self, to: DateTime<Utc>) -> Self {
        self.seen_to = Some(to);
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
        self.backwards = false;
        self
    }

    /// The page before the one that returned `cursor` as its
    /// [`LeadPage::prev`].
    #[must_use]
    pub fn before(mut self, cursor: Cursor) -> Self {
        self.cursor = Some(cursor);
        self.backwards = true;
        self
    }

    /// The same query from the first page.
    #[must_use]
    pub fn first_page(mut self) -> Self {
        self.cursor = None;
        self.backwards = false;
        self
    }

    /// The page size asked for.
    pub fn page_size(&self) -> u32 {
        self.limit.unwrap_or(DEFAULT_PAGE_SIZE)
    }

    /// Checks the filters and the page size (not the cursor, which only a
    /// store's key can open): what [`LeadQuery::validate`] would refuse
    /// before reading anything, for a caller that wants to refuse a bad
    /// query early (an HTTP handler, before it starts a streamed answer).
    pub fn check(&self) -> Result<(), Error> {
        self.search_text()?;
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
        Ok(())
    }

    /// The folded search text, or `None` when blank.
    fn search_text(&self) -> Result<Option<String>, Error> {
        let Some(text) = &self.search else {
            return Ok(None);
        };
        let folded = fold(text.trim());
        let folded = folded.trim();
        if folded.len() > MAX_SEARCH_LEN {
            return Err(Error::InvalidQuery {
                reason: "search text is longer than 512 bytes",
            });
        }
        Ok((!folded.is_empty()).then(|| compact_phone_fragment(folded)))
    }

    /// Checks the query for `workspace` and resolves it into what a
    /// backend runs; the cursor, if any, must carry the signature of `key`
    /// (the store's [`CursorKey`]).
    pub fn validate(&self, workspace: WorkspaceId, key: &CursorKey) -> Result<ValidQuery, Error> {
        self.check()?;
        let mut bots = self.bots.clone();
        bots.sort();
        bots.dedup();
        let mut statuses = self.statuses.clone();
        statuses.sort();
        statuses.dedup();
        let mut valid = ValidQuery {
            workspace,
            search: self.search_text()?,
            bots,
            created_from: self.created_from,
            created_to: self.created_to,
            seen_from: self.seen_from,
            seen_to: self.seen_to,
            statuses,
            has_email: self.has_email,
            has_phone: self.has_phone,
            consent: self.consent,
            sort: self.sort,
            direction: self.direction,
            limit: self.page_size(),
            after: None,
            backwards: false,
            key: key.clone(),
        };
        if let Some(cursor) = &self.cursor {
            let identity = if self.backwards {
                valid.identity_backwards()
            } else {
                valid.identity()
            };
            valid.after = Some(cursor.decode(key, &identity, self.sort)?);
            if self.backwards {
                // The rows before the cursor are the rows after it in the
                // opposite order; `LeadPage::new` puts them back.
                valid.backwards = true;
                valid.direction = match self.direction {
                    Direction::Asc => Direction::Desc,
                    Direction::Desc => Direction::Asc,
                };
            }
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

/// A checked [`LeadQuery`], resolved for one workspace: search text
/// folded, bots and statuses sorted and distinct, the cursor opened.
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
    pub created_from: Option<DateTime<Utc>>,
    /// Created before.
    pub created_to: Option<DateTime<Utc>>,
    /// Last seen at or after.
    pub seen_from: Option<DateTime<Utc>>,
    /// Last seen before.
    pub seen_to: Option<DateTime<Utc>>,
    /// Statuses (in funnel order, distinct); empty means any.
    pub statuses: Vec<LeadStatus>,
    /// Has an email.
    pub has_email: Option<bool>,
    /// Has a phone.
    pub has_phone: Option<bool>,
    /// The consent answer.
    pub consent: Option<ConsentFilter>,
    /// Sort column.
    pub sort: SortColumn,
    /// Sort direction.
    pub direction: Direction,
    /// Page size.
    pub limit: u32,
    /// Start after this position (from the cursor).
    pub after: Option<CursorPosition>,
    /// A page before a cursor: `direction` is the opposite of the one
    /// asked for, so the rows nearest the cursor come first, and
    /// [`LeadPage::new`] puts them back in order.
    pub backwards: bool,
    /// Signs the cursors of the pages that follow.
    key: CursorKey,
}

impl ValidQuery {
    /// Everything that selects and orders rows (not the page size), as
    /// bytes a cursor's signature covers, so that a cursor only continues
    /// the query it came from.
    fn identity(&self) -> Vec<u8> {
        fn time(out: &mut Vec<u8>, t: Option<DateTime<Utc>>) {
            match t {
                Some(t) => {
                    out.push(1);
                    out.extend_from_slice(&t.timestamp_micros().to_be_bytes());
                }
                None => out.push(0),
            }
        }
        let mut out = Vec::with_capacity(128);
        out.extend_from_slice(self.workspace.as_uuid().as_bytes());
        match &self.search {
            Some(text) => {
                out.push(1);
                out.extend_from_slice(&(text.len() as u64).to_be_bytes());
                out.extend_from_slice(text.as_bytes());
            }
            None => out.push(0),
        }
        out.extend_from_slice(&(self.bots.len() as u64).to_be_bytes());
        for bot in &self.bots {
            out.extend_from_slice(bot.as_uuid().as_bytes());
        }
        for bound in [
            self.created_from,
            self.created_to,
            self.seen_from,
            self.seen_to,
        ] {
            time(&mut out, bound);
        }
        out.push(u8::try_from(self.statuses.len()).unwrap_or(u8::MAX));
        out.extend(self.statuses.iter().map(|s| funnel_position(*s)));
        for flag in [self.has_email, self.has_phone] {
            out.push(flag.map_or(0, |f| 1 + u8::from(f)));
        }
        out.push(match self.consent {
            None => 0,
            Some(ConsentFilter::Missing) => 1,
            Some(ConsentFilter::Given) => 2,
            Some(ConsentFilter::Refused) => 3,
        });
        out.push(self.sort.code());
        // The order asked for, whichever way this page is read.
        out.push(u8::from(
            (self.direction == Direction::Asc) != self.backwards,
        ));
        out
    }

    /// What a [`LeadPage::prev`] cursor is signed for: the same query,
    /// marked, so a "before" cursor never pages forwards or back.
    fn identity_backwards(&self) -> Vec<u8> {
        let mut out = self.identity();
        out.push(b'<');
        out
    }

    /// Whether a lead passes the filters (not the cursor). `search_text` is
    /// the lead's [`backend::search_text`](crate::backend::search_text).
    /// Used by in-memory backends.
    pub fn matches(&self, lead: &Lead, search_text: &str) -> bool {
        let in_range =
            |t: DateTime<Utc>, from: Option<DateTime<Utc>>, to: Option<DateTime<Utc>>| {
                from.is_none_or(|f| t >= f) && to.is_none_or(|e| t < e)
            };
        lead.workspace == self.workspace
            && self
                .search
                .as_deref()
                .is_none_or(|s| search_text.contains(s))
            && (self.bots.is_empty()
                || lead.bots.iter().any(|b| self.bots.binary_search(b).is_ok()))
            && in_range(lead.created_at, self.created_from, self.created_to)
            && in_range(lead.last_seen_at, self.seen_from, self.seen_to)
            && (self.statuses.is_empty() || self.statuses.binary_search(&lead.status).is_ok())
            && self
                .has_email
                .is_none_or(|h| lead.details.email.is_some() == h)
            && self
                .has_phone
                .is_none_or(|h| lead.details.phone.is_some() == h)
            && self
                .consent
                .is_none_or(|c| c.matches(lead.consent.as_ref()))
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
            SortValue::of(last, self.sort),
            last.id,
        ))
    }

    /// The cursor for the page after one ending at `position` (for a
    /// backend that reads the last row's sort value itself).
    pub fn cursor_at(&self, position: &CursorPosition) -> Cursor {
        Cursor::encode(&self.key, &self.identity(), self.sort, position)
    }

    /// The cursor for the page before one starting with `first`.
    pub fn cursor_before(&self, first: &Lead) -> Cursor {
        let position = CursorPosition::new(SortValue::of(first, self.sort), first.id);
        Cursor::encode(&self.key, &self.identity_backwards(), self.sort, &position)
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
    /// The cursor for the page before this one ([`LeadQuery::before`]),
    /// if this page did not start at the first row. (A full page read
    /// backwards offers one even when it reached the first row: the page
    /// before is then empty.)
    pub prev: Option<Cursor>,
}

impl LeadPage {
    /// A page; `next` is set only when the page is full.
    pub fn new(query: &ValidQuery, mut leads: Vec<Lead>) -> Self {
        let full = u32::try_from(leads.len()).is_ok_and(|n| n == query.limit);
        if query.backwards {
            // Read in the opposite order from the cursor: put back. The
            // cursor's own row follows, so there is a next page.
            leads.reverse();
            let next = leads.last().map(|last| query.cursor_after(last));
            let prev = if full {
                leads.first().map(|first| query.cursor_before(first))
            } else {
                None
            };
            return Self { leads, next, prev };
        }
        let next = if full {
            leads.last().map(|last| query.cursor_after(last))
        } else {
            None
        };
        let prev = if query.after.is_some() {
            leads.first().map(|first| query.cursor_before(first))
        } else {
            None
        };
        Self { leads, next, prev }
    }
}
