//! The storage traits.

use async_trait::async_trait;
use leadkit_core::{BotId, Conversation, ConversationId, LeadId, WorkspaceId};

use crate::Error;
#[cfg(feature = "mock")]
use crate::bot_settings::{HistoryQuery, SettingsChange, SettingsUpdate, StoredBotSettings};
use crate::claim::{Claim, ClaimDecision};
use crate::conversations::ConversationStore;
#[cfg(feature = "mock")]
use crate::conversations::{
    ConversationPage, ConversationQuery, ConversationSummary, TranscriptPage,
};
#[cfg(feature = "mock")]
use crate::cursor::Cursor;
use crate::export::{ExportPages, ExportRow};
use crate::model::{Bot, Lead, LeadKey, LeadPatch, LeadUpsert, TranscriptMessage, UpsertOutcome};
use crate::query::{LeadPage, LeadQuery};
use crate::settings_store::BotSettingsStore;

/// Leads: de-duplicated upsert, lookup, the business's edits, erasure and
/// the Leads-screen query. Every method is scoped to one workspace.
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait LeadStore: Send + Sync {
    /// Creates the lead or merges into the one it matches (by visitor id,
    /// normalised email or E.164 phone, in that order, in `workspace` only).
    /// See [`backend::merge_upsert`](crate::backend::merge_upsert) for the
    /// merge rules. Concurrent upserts of the same visitor create one lead.
    async fn upsert_lead(
        &self,
        workspace: WorkspaceId,
        upsert: &LeadUpsert,
    ) -> Result<UpsertOutcome, Error>;

    /// A lead by id.
    async fn get_lead(&self, workspace: WorkspaceId, id: LeadId) -> Result<Option<Lead>, Error>;

    /// A known visitor's lead, by visitor id, email or phone (any value
    /// the lead ever had, not only the current one).
    async fn find_lead(&self, workspace: WorkspaceId, key: &LeadKey)
    -> Result<Option<Lead>, Error>;

    /// Changes status, notes or custom fields; returns the updated lead.
    async fn update_lead(
        &self,
        workspace: WorkspaceId,
        id: LeadId,
        patch: &LeadPatch,
    ) -> Result<Lead, Error>;

    /// Erases a lead: the lead, its details and history, its claims, and
    /// the transcripts of its conversations (the claiming conversations'
    /// too: they hold the lead's email or phone), in one transaction. Their saved
    /// states start over ([`Conversation::new`]) at the next version rather
    /// than being deleted, so a version is never reused: a writer still
    /// holding a state from before the erasure conflicts instead of writing
    /// the erased details back.
    async fn erase_lead(&self, workspace: WorkspaceId, id: LeadId) -> Result<(), Error>;

    /// The unconfirmed claims on a lead (see [`Claim`]), oldest first.
    async fn lead_claims(&self, workspace: WorkspaceId, lead: LeadId) -> Result<Vec<Claim>, Error>;

    /// Merges or rejects a conversation's claim on a lead, in one
    /// transaction, and returns the lead as it is afterwards.
    ///
    /// [`ClaimDecision::Merge`] applies the claimed details
    /// ([`backend::merge_claim`](crate::backend::merge_claim)) and links the
    /// conversation to the lead as its own (its later turns merge as the
    /// lead's own conversation's do); [`ClaimDecision::Reject`] drops the
    /// claim and leaves the lead as it is. Either way the claim is gone.
    /// [`Error::NotFound`] (`"claim"`) if the conversation has no claim on
    /// the lead.
    async fn resolve_claim(
        &self,
        workspace: WorkspaceId,
        lead: LeadId,
        conversation: ConversationId,
        decision: ClaimDecision,
    ) -> Result<Lead, Error>;

    /// One page of the leads a query selects.
    async fn query_leads(
        &self,
        workspace: WorkspaceId,
        query: &LeadQuery,
    ) -> Result<LeadPage, Error>;

    /// How many leads the query selects in all (its cursor and page size
    /// are ignored).
    async fn count_leads(&self, workspace: WorkspaceId, query: &LeadQuery) -> Result<u64, Error>;

    /// Streams the exported columns of every lead `query` selects, in its
    /// order, one page of the query's page size at a time (exports use
    /// [`EXPORT_PAGE_SIZE`](crate::EXPORT_PAGE_SIZE)). The query's cursor
    /// is ignored: an export starts at the first row. Memory stays at a
    /// page or two whatever the number of rows.
    ///
    /// [`export_csv`](crate::export_csv) writes the pages as CSV.
    /// The default reads pages with [`LeadStore::query_leads`]. The SQL
    /// stores read only the exported columns, and read the next page while
    /// the caller handles this one.
    fn export_pages(&self, workspace: WorkspaceId, query: &LeadQuery) -> ExportPages<'_> {
        let query = query.clone().first_page();
        Box::pin(futures_util::stream::try_unfold(
            Some(query),
            move |query| async move {
                let Some(query) = query else {
                    return Ok(None);
                };
                let leads = self.query_leads(workspace, &query).await?;
                let rows = leads.leads.iter().map(ExportRow::from_lead).collect();
                Ok(Some((rows, leads.next.map(|c| query.after(c)))))
            },
        ))
    }
}

/// Chat transcripts.
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait TranscriptStore: Send + Sync {
    /// Appends lines to their conversations, in order, atomically.
    async fn append_messages(
        &self,
        workspace: WorkspaceId,
        messages: &[TranscriptMessage],
    ) -> Result<(), Error>;

    /// A conversation's lines in the order they were appended.
    async fn conversation_messages(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
    ) -> Result<Vec<TranscriptMessage>, Error>;

    /// A conversation's last `limit` lines, oldest first: what an analyzer
    /// reads as context, without loading a long conversation whole. The
    /// default reads every line and keeps the last ones; the stores in
    /// leadkit read only those.
    async fn recent_messages(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
        limit: usize,
    ) -> Result<Vec<TranscriptMessage>, Error> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let mut lines = self.conversation_messages(workspace, conversation).await?;
        let skip = lines.len().saturating_sub(limit);
        lines.drain(..skip);
        Ok(lines)
    }

    /// The conversations linked to a lead as its own, in the order they
    /// were linked (a conversation with an unconfirmed claim on it is not
    /// one of them until the claim is merged: see
    /// [`LeadStore::lead_claims`]).
    async fn lead_conversations(
        &self,
        workspace: WorkspaceId,
        lead: LeadId,
    ) -> Result<Vec<ConversationId>, Error>;
}

/// A conversation's saved state and its version.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct VersionedState {
    /// The state.
    pub conversation: Conversation,
    /// Its version: 1 after the first save, one more after each (and after
    /// an erasure, see [`LeadStore::erase_lead`]). A conversation never
    /// sees the same version twice, so a cached state whose version is
    /// still the stored one is the stored state.
    pub version: u64,
}

impl VersionedState {
    /// A state at a version.
    pub fn new(conversation: Conversation, version: u64) -> Self {
        Self {
            conversation,
            version,
        }
    }
}

/// The core's per-conversation state, saved with optimistic concurrency.
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait ConversationStateStore: Send + Sync {
    /// The saved state, if any.
    async fn load_state(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
    ) -> Result<Option<VersionedState>, Error>;

    /// Saves the state if the stored version is still `expected_version`
    /// (`None`: no state saved yet) and returns the new version; otherwise
    /// [`Error::VersionConflict`] and nothing is written. Two servers
    /// handling the same conversation therefore never lose an update.
    async fn save_state(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
        state: &Conversation,
        expected_version: Option<u64>,
    ) -> Result<u64, Error>;
}

/// Bots and their display names.
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait BotStore: Send + Sync {
    /// Registers a bot or renames it. Its workspace must be `workspace`.
    async fn put_bot(&self, workspace: WorkspaceId, bot: &Bot) -> Result<(), Error>;

    /// A bot by id.
    async fn get_bot(&self, workspace: WorkspaceId, id: BotId) -> Result<Option<Bot>, Error>;

    /// Every bot of the workspace, by name.
    async fn list_bots(&self, workspace: WorkspaceId) -> Result<Vec<Bot>, Error>;
}

/// Everything one chat turn writes: the state, the transcript lines and,
/// when details were captured, the lead.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TurnWrite {
    /// The conversation.
    pub conversation: ConversationId,
    /// Its state after the turn.
    pub state: Conversation,
    /// The version loaded before the turn (`None`: a new conversation).
    pub expected_version: Option<u64>,
    /// The turn's transcript lines (usually the visitor's message and the reply).
    pub messages: Vec<TranscriptMessage>,
    /// The lead to upsert, if the turn captured details. Its conversation
    /// is linked to the lead, or recorded as an unconfirmed claim on it
    /// (see [`backend::merge_upsert`](crate::backend::merge_upsert)).
    pub lead: Option<LeadUpsert>,
}

impl TurnWrite {
    /// A turn's write.
    pub fn new(
        conversation: ConversationId,
        state: Conversation,
        expected_version: Option<u64>,
    ) -> Self {
        Self {
            conversation,
            state,
            expected_version,
            messages: Vec::new(),
            lead: None,
        }
    }

    /// With a transcript line.
    #[must_use]
    pub fn message(mut self, message: TranscriptMessage) -> Self {
        self.messages.push(message);
        self
    }

    /// With a lead upsert.
    #[must_use]
    pub fn lead(mut self, lead: LeadUpsert) -> Self {
        self.lead = Some(lead);
        self
    }
}

/// What [`Store::persist_turn`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TurnReceipt {
    /// The state's new version.
    pub version: u64,
    /// The lead upserted, if any.
    pub lead: Option<UpsertOutcome>,
}

impl TurnReceipt {
    /// A receipt.
    pub fn new(version: u64, lead: Option<UpsertOutcome>) -> Self {
        Self { version, lead }
    }
}

/// A complete store: every trait, plus a turn's persistence in one
/// transaction.
#[async_trait]
pub trait Store:
    LeadStore
    + TranscriptStore
    + ConversationStateStore
    + BotStore
    + BotSettingsStore
    + ConversationStore
{
    /// Writes one chat turn atomically: the state (compare-and-swap on the
    /// version), the transcript lines and the lead upsert. On a
    /// [`Error::VersionConflict`] nothing is written.
    async fn persist_turn(
        &self,
        workspace: WorkspaceId,
        turn: &TurnWrite,
    ) -> Result<TurnReceipt, Error>;
}

#[cfg(feature = "mock")]
mockall::mock! {
    /// A mock of a complete [`Store`]: every trait, [`Store::persist_turn`]
    /// included (mockall's `automock` cannot mock a trait with supertraits).
    pub Store {}

    #[async_trait]
    impl LeadStore for Store {
        async fn upsert_lead(&self, workspace: WorkspaceId, upsert: &LeadUpsert) -> Result<UpsertOutcome, Error>;
        async fn get_lead(&self, workspace: WorkspaceId, id: LeadId) -> Result<Option<Lead>, Error>;
        async fn find_lead(&self, workspace: WorkspaceId, key: &LeadKey) -> Result<Option<Lead>, Error>;
        async fn update_lead(&self, workspace: WorkspaceId, id: LeadId, patch: &LeadPatch) -> Result<Lead, Error>;
        async fn erase_lead(&self, workspace: WorkspaceId, id: LeadId) -> Result<(), Error>;
        async fn lead_claims(&self, workspace: WorkspaceId, lead: LeadId) -> Result<Vec<Claim>, Error>;
        async fn resolve_claim(&self, workspace: WorkspaceId, lead: LeadId, conversation: ConversationId, decision: ClaimDecision) -> Result<Lead, Error>;
        async fn query_leads(&self, workspace: WorkspaceId, query: &LeadQuery) -> Result<LeadPage, Error>;
        async fn count_leads(&self, workspace: WorkspaceId, query: &LeadQuery) -> Result<u64, Error>;
        fn export_pages<'a>(&'a self, workspace: WorkspaceId, query: &LeadQuery) -> ExportPages<'a>;
    }

    #[async_trait]
    impl TranscriptStore for Store {
        async fn append_messages(&self, workspace: WorkspaceId, messages: &[TranscriptMessage]) -> Result<(), Error>;
        async fn conversation_messages(&self, workspace: WorkspaceId, conversation: ConversationId) -> Result<Vec<TranscriptMessage>, Error>;
        async fn recent_messages(&self, workspace: WorkspaceId, conversation: ConversationId, limit: usize) -> Result<Vec<TranscriptMessage>, Error>;
        async fn lead_conversations(&self, workspace: WorkspaceId, lead: LeadId) -> Result<Vec<ConversationId>, Error>;
    }

    #[async_trait]
    impl ConversationStateStore for Store {
        async fn load_state(&self, workspace: WorkspaceId, conversation: ConversationId) -> Result<Option<VersionedState>, Error>;
        async fn save_state(&self, workspace: WorkspaceId, conversation: ConversationId, state: &Conversation, expected_version: Option<u64>) -> Result<u64, Error>;
    }

    #[async_trait]
    impl BotStore for Store {
        async fn put_bot(&self, workspace: WorkspaceId, bot: &Bot) -> Result<(), Error>;
        async fn get_bot(&self, workspace: WorkspaceId, id: BotId) -> Result<Option<Bot>, Error>;
        async fn list_bots(&self, workspace: WorkspaceId) -> Result<Vec<Bot>, Error>;
    }

    #[async_trait]
    impl BotSettingsStore for Store {
        async fn bot_settings(&self, workspace: WorkspaceId, bot: BotId) -> Result<Option<StoredBotSettings>, Error>;
        async fn put_bot_settings(&self, workspace: WorkspaceId, bot: BotId, update: &SettingsUpdate) -> Result<StoredBotSettings, Error>;
        async fn bot_settings_history(&self, workspace: WorkspaceId, bot: BotId, query: &HistoryQuery) -> Result<Vec<SettingsChange>, Error>;
    }

    #[async_trait]
    impl ConversationStore for Store {
        async fn list_conversations(&self, workspace: WorkspaceId, query: &ConversationQuery) -> Result<ConversationPage, Error>;
        async fn conversation_summary(&self, workspace: WorkspaceId, conversation: ConversationId) -> Result<Option<ConversationSummary>, Error>;
        async fn transcript_page(&self, workspace: WorkspaceId, conversation: ConversationId, before: Option<Cursor>, limit: u32) -> Result<TranscriptPage, Error>;
        async fn link_conversation(&self, workspace: WorkspaceId, conversation: ConversationId, lead: LeadId) -> Result<(), Error>;
    }

    #[async_trait]
    impl Store for Store {
        async fn persist_turn(&self, workspace: WorkspaceId, turn: &TurnWrite) -> Result<TurnReceipt, Error>;
    }
}
