//! Conversations: every conversation of a workspace with its summary (the
//! Conversations screen), each transcript in pages, and the link from a
//! conversation to its lead.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use leadkit_core::{BotId, ConversationId, LeadId, Pii, WorkspaceId};

use crate::Error;
use crate::cursor::{Cursor, CursorKey};
use crate::model::TranscriptMessage;
use crate::query::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, MAX_SEARCH_LEN};

/// The shortest transcript search, in characters: the stores answer it
/// from a trigram index, which needs three characters to look anything up.
pub const MIN_TRANSCRIPT_SEARCH: usize = 3;

/// What a store keeps about a conversation besides its transcript, updated
/// as lines are written (never computed by reading the transcript).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConversationSummary {
    /// The conversation.
    pub id: ConversationId,
    /// The bot of its first line.
    pub bot: BotId,
    /// When its earliest line was written.
    pub first_at: DateTime<Utc>,
    /// When its latest line was written.
    pub last_at: DateTime<Utc>,
    /// How many lines it has.
    pub message_count: u64,
    /// The lead it is linked to, if any (the latest link when a
    /// conversation was linked twice).
    pub lead: Option<LeadId>,
}

impl ConversationSummary {
    /// A summary (stores build them; applications receive them).
    pub fn new(
        id: ConversationId,
        bot: BotId,
        first_at: DateTime<Utc>,
        last_at: DateTime<Utc>,
        message_count: u64,
        lead: Option<LeadId>,
    ) -> Self {
        Self {
            id,
            bot,
            first_at,
            last_at,
            message_count,
            lead,
        }
    }
}

/// Which conversations a Conversations-screen page shows: newest activity
/// first (latest line, then id), filtered by bot, by the time of the latest
/// line, by whether a lead is linked, and by text in the transcript.
///
/// ```
/// use leadkit_store::ConversationQuery;
/// let query = ConversationQuery::new().has_lead(false).search("pricing").limit(20);
/// assert_eq!(query.page_size(), 20);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConversationQuery {
    bot: Option<BotId>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    has_lead: Option<bool>,
    search: Option<Pii<String>>,
    limit: Option<u32>,
    cursor: Option<Cursor>,
}

// Builder methods: each sets one field and returns `self`.
impl ConversationQuery {
    /// Every conversation, newest first, the first page.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only the conversations of this bot.
    #[must_use]
    pub fn bot(mut self, bot: BotId) -> Self {
        self.bot = Some(bot);
        self
    }

    /// Only conversations whose latest line is in `[from, to)` (either
    /// bound may be open).
    #[must_use]
    pub fn active_between(
        mut self,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> Self {
        self.from = from;
        self.to = to;
        self
    }

    /// Only conversations linked to a lead (`true`) or not (`false`).
    #[must_use]
    pub fn has_lead(mut self, linked: bool) -> Self {
        self.has_lead = Some(linked);
        self
    }

    /// Only conversations with a line containing `text`, ignoring case
    /// (accents count). At least [`MIN_TRANSCRIPT_SEARCH`] characters;
    /// blank text searches nothing.
    #[must_use]
    pub fn search(mut self, text: impl Into<String>) -> Self {
        self.search = Some(Pii::new(text.into()));
        self
    }

    /// Page size, 1 to [`MAX_PAGE_SIZE`] (default [`DEFAULT_PAGE_SIZE`]).
    #[must_use]
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// The page after the one that gave `cursor`.
    #[must_use]
    pub fn after(mut self, cursor: Cursor) -> Self {
        self.cursor = Some(cursor);
        self
    }

    /// The page size asked for.
    pub fn page_size(&self) -> u32 {
        self.limit.unwrap_or(DEFAULT_PAGE_SIZE)
    }

    /// Checks the query and opens its cursor (signed by `key` for this
    /// query and workspace). The stores call it; so can an application
    /// that wants to report a bad query before running it.
    pub fn validate(
        &self,
        workspace: WorkspaceId,
        key: &CursorKey,
    ) -> Result<ValidConversationQuery, Error> {
        let limit = self.page_size();
        if limit == 0 || limit > MAX_PAGE_SIZE {
            return Err(Error::InvalidInput {
                reason: "the page size must be between 1 and 1000",
            });
        }
        if let (Some(from), Some(to)) = (self.from, self.to)
            && from > to
        {
            return Err(Error::InvalidInput {
                reason: "the date range ends before it starts",
            });
        }
        let search = match self.search.as_ref().map(|s| s.expose().trim()) {
            None | Some("") => None,
            Some(text) if text.len() > MAX_SEARCH_LEN => {
                return Err(Error::InvalidInput {
                    reason: "the search text is too long",
                });
            }
            Some(text) if text.chars().count() < MIN_TRANSCRIPT_SEARCH => {
                return Err(Error::InvalidInput {
                    reason: "a transcript search needs at least 3 characters",
                });
            }
            Some(text) => Some(Pii::new(text.to_owned())),
        };
        let mut valid = ValidConversationQuery {
            workspace,
            bot: self.bot,
            from: self.from,
            to: self.to,
            has_lead: self.has_lead,
            search,
            limit,
            after: None,
            key: key.clone(),
        };
        if let Some(cursor) = &self.cursor {
            let body = cursor.open_raw(key, &valid.fingerprint())?;
            valid.after = Some(decode_list_position(&body)?);
        }
        Ok(valid)
    }
}

/// A checked [`ConversationQuery`]: what a store runs.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ValidConversationQuery {
    /// The workspace.
    pub workspace: WorkspaceId,
    /// Only this bot's conversations.
    pub bot: Option<BotId>,
    /// Latest line at or after.
    pub from: Option<DateTime<Utc>>,
    /// Latest line before.
    pub to: Option<DateTime<Utc>>,
    /// Linked to a lead or not.
    pub has_lead: Option<bool>,
    /// Trimmed search text of at least [`MIN_TRANSCRIPT_SEARCH`]
    /// characters.
    pub search: Option<Pii<String>>,
    /// Page size.
    pub limit: u32,
    /// The last row of the previous page (latest line, id): this page
    /// holds the rows strictly after it in the order.
    pub after: Option<(DateTime<Utc>, ConversationId)>,
    key: CursorKey,
}

impl ValidConversationQuery {
    /// What a cursor is signed for: every filter, so a cursor never pages
    /// another query.
    fn fingerprint(&self) -> Vec<u8> {
        let mut bytes = b"conversations\0".to_vec();
        bytes.extend_from_slice(self.workspace.as_uuid().as_bytes());
        match self.bot {
            Some(bot) => bytes.extend_from_slice(bot.as_uuid().as_bytes()),
            None => bytes.push(0),
        }
        for bound in [self.from, self.to] {
            match bound {
                Some(t) => bytes.extend_from_slice(&t.timestamp_micros().to_be_bytes()),
                None => bytes.push(0),
            }
        }
        bytes.push(match self.has_lead {
            None => 0,
            Some(false) => 1,
            Some(true) => 2,
        });
        if let Some(search) = &self.search {
            bytes.extend_from_slice(search.expose().as_bytes());
        }
        bytes
    }

    /// Whether a summary passes every filter but the search (which the
    /// in-memory store checks against the transcript itself).
    pub fn matches(&self, summary: &ConversationSummary) -> bool {
        self.bot.is_none_or(|b| summary.bot == b)
            && self.from.is_none_or(|from| summary.last_at >= from)
            && self.to.is_none_or(|to| summary.last_at < to)
            && self
                .has_lead
                .is_none_or(|linked| summary.lead.is_some() == linked)
            && self.after.is_none_or(|(at, id)| {
                (summary.last_at.timestamp_micros(), summary.id) < (at.timestamp_micros(), id)
            })
    }

    /// Whether a line's text contains the search, ignoring case (what the
    /// SQL stores' indexes answer).
    pub fn text_matches(&self, text: &str) -> bool {
        self.search
            .as_ref()
            .is_none_or(|s| text.to_lowercase().contains(&s.expose().to_lowercase()))
    }

    /// The page from rows in order (newest first), at most `limit + 1` of
    /// them: a row more than the limit means there is a next page.
    pub fn page(&self, mut rows: Vec<ConversationSummary>) -> ConversationPage {
        let limit = usize::try_from(self.limit).unwrap_or(usize::MAX);
        let next = if rows.len() > limit {
            rows.truncate(limit);
            rows.last().map(|last| {
                let mut body = Vec::with_capacity(25);
                body.push(LIST_CURSOR);
                body.extend_from_slice(&last.last_at.timestamp_micros().to_be_bytes());
                body.extend_from_slice(last.id.as_uuid().as_bytes());
                Cursor::sign_raw(&self.key, &self.fingerprint(), &body)
            })
        } else {
            None
        };
        ConversationPage {
            conversations: rows,
            next,
        }
    }
}

const LIST_CURSOR: u8 = b'c';
const TRANSCRIPT_CURSOR: u8 = b't';

fn decode_list_position(body: &[u8]) -> Result<(DateTime<Utc>, ConversationId), Error> {
    let [LIST_CURSOR, rest @ ..] = body else {
        return Err(Error::InvalidCursor);
    };
    let (micros, id) = rest.split_first_chunk::<8>().ok_or(Error::InvalidCursor)?;
    let id: [u8; 16] = id.try_into().map_err(|_| Error::InvalidCursor)?;
    let at =
        DateTime::from_timestamp_micros(i64::from_be_bytes(*micros)).ok_or(Error::InvalidCursor)?;
    Ok((at, ConversationId::from_u128(u128::from_be_bytes(id))))
}

/// One page of conversations.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConversationPage {
    /// The conversations, newest activity first.
    pub conversations: Vec<ConversationSummary>,
    /// The cursor of the next page, if there is one.
    pub next: Option<Cursor>,
}

/// A stretch of a transcript: lines oldest first, and the cursor of the
/// lines before them.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TranscriptPage {
    /// The lines, oldest first.
    pub messages: Vec<TranscriptMessage>,
    /// The cursor of the page of older lines, if there are any.
    pub older: Option<Cursor>,
}

/// Where a transcript page ends: a store's position of a line (its
/// sequence number), signed for one conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TranscriptPosition(pub u64);

/// What a transcript cursor is signed for.
fn transcript_fingerprint(workspace: WorkspaceId, conversation: ConversationId) -> Vec<u8> {
    let mut bytes = b"transcript\0".to_vec();
    bytes.extend_from_slice(workspace.as_uuid().as_bytes());
    bytes.extend_from_slice(conversation.as_uuid().as_bytes());
    bytes
}

/// The position a transcript cursor holds, if it was made by this key for
/// this conversation.
pub fn open_transcript_cursor(
    key: &CursorKey,
    workspace: WorkspaceId,
    conversation: ConversationId,
    cursor: &Cursor,
) -> Result<TranscriptPosition, Error> {
    let body = cursor.open_raw(key, &transcript_fingerprint(workspace, conversation))?;
    let [TRANSCRIPT_CURSOR, rest @ ..] = body.as_slice() else {
        return Err(Error::InvalidCursor);
    };
    let seq: [u8; 8] = rest.try_into().map_err(|_| Error::InvalidCursor)?;
    Ok(TranscriptPosition(u64::from_be_bytes(seq)))
}

/// A transcript page from up to `limit + 1` lines read backwards from the
/// end (or from the cursor), each with its position: newest first in, oldest
/// first out, with a cursor when there were more than `limit`.
pub fn transcript_page(
    key: &CursorKey,
    workspace: WorkspaceId,
    conversation: ConversationId,
    limit: u32,
    mut newest_first: Vec<(TranscriptPosition, TranscriptMessage)>,
) -> TranscriptPage {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let older = if newest_first.len() > limit {
        newest_first.truncate(limit);
        newest_first.last().map(|(position, _)| {
            let mut body = vec![TRANSCRIPT_CURSOR];
            body.extend_from_slice(&position.0.to_be_bytes());
            Cursor::sign_raw(key, &transcript_fingerprint(workspace, conversation), &body)
        })
    } else {
        None
    };
    let messages = newest_first.into_iter().rev().map(|(_, m)| m).collect();
    TranscriptPage { messages, older }
}

/// Checks a transcript page size: 1 to [`MAX_PAGE_SIZE`].
pub fn check_transcript_limit(limit: u32) -> Result<(), Error> {
    if limit == 0 || limit > MAX_PAGE_SIZE {
        return Err(Error::InvalidInput {
            reason: "the page size must be between 1 and 1000",
        });
    }
    Ok(())
}

/// Conversations: the Conversations screen's list, summaries, transcript
/// pages and links to leads. Every method is scoped to one workspace.
///
/// A conversation appears once it has a transcript line. Its summary is
/// kept as lines are written ([`TranscriptStore::append_messages`] and
/// [`Store::persist_turn`]) and goes, with its transcript and its search
/// index entries, when its lead is erased ([`LeadStore::erase_lead`]).
///
/// [`TranscriptStore::append_messages`]: crate::TranscriptStore::append_messages
/// [`Store::persist_turn`]: crate::Store::persist_turn
/// [`LeadStore::erase_lead`]: crate::LeadStore::erase_lead
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait ConversationStore: Send + Sync {
    /// One page of the conversations `query` selects, newest activity
    /// first. Cursors are signed like the Leads screen's
    /// ([`Error::InvalidCursor`] for a cursor of another query).
    async fn list_conversations(
        &self,
        workspace: WorkspaceId,
        query: &ConversationQuery,
    ) -> Result<ConversationPage, Error>;

    /// One conversation's summary, if it has any line.
    async fn conversation_summary(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
    ) -> Result<Option<ConversationSummary>, Error>;

    /// The last `limit` lines of a conversation (`before: None`), or the
    /// `limit` lines before a page's [`TranscriptPage::older`] cursor;
    /// oldest first. Reads only those lines, however long the
    /// conversation.
    async fn transcript_page(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
        before: Option<Cursor>,
        limit: u32,
    ) -> Result<TranscriptPage, Error>;

    /// Links a conversation to a lead (the engine does when it knows whose
    /// the conversation is: a recognised verified visitor, details passed
    /// in with the visit, a merge). Linking again is a no-op. Erasing the
    /// lead then erases the conversation. [`Error::NotFound`] if the lead
    /// does not exist.
    async fn link_conversation(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
        lead: LeadId,
    ) -> Result<(), Error>;
}
