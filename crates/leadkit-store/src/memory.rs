//! `MemoryStore`: every trait, in process memory.

use std::collections::HashMap;
use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use async_trait::async_trait;
use leadkit_core::{BotId, Conversation, ConversationId, LeadId, WorkspaceId};

use crate::Error;
use crate::backend::{self, KeyKind, MatchContext, Merge};
use crate::bot_settings::{HistoryQuery, SettingsChange, SettingsUpdate, StoredBotSettings};
use crate::claim::{Claim, ClaimDecision};
use crate::conversations::{
    ConversationPage, ConversationQuery, ConversationStore, ConversationSummary, TranscriptPage,
};
use crate::cursor::{Cursor, CursorKey};
use crate::model::{Bot, Lead, LeadKey, LeadPatch, LeadUpsert, TranscriptMessage, UpsertOutcome};
use crate::query::{LeadPage, LeadQuery};
use crate::settings_store::BotSettingsStore;
use crate::sort::SortValue;
use crate::traits::{
    BotStore, ConversationStateStore, LeadStore, Store, TranscriptStore, TurnReceipt, TurnWrite,
    VersionedState,
};

/// A store in process memory: for tests, demos and single-process bots that
/// can lose their data on restart.
///
/// It needs no async runtime (every method completes without awaiting) and
/// behaves exactly as the SQL backends do; the conformance suite checks
/// that. One lock guards everything, so each call is atomic.
///
/// ```
/// use chrono::{DateTime, Utc};
/// use leadkit_core::{BotId, ContactDetails, LeadId, WorkspaceId};
/// use leadkit_store::{LeadQuery, LeadStore, LeadUpsert, MemoryStore};
///
/// # tokio_test_block_on(async {
/// let store = MemoryStore::new();
/// let ws = WorkspaceId::from_u128(1);
/// let details = ContactDetails::new().with_name("José Álvarez").with_email("jose@example.com");
/// let upsert = LeadUpsert::new(LeadId::from_u128(7), BotId::from_u128(2), details, DateTime::<Utc>::UNIX_EPOCH);
/// let outcome = store.upsert_lead(ws, &upsert).await?;
/// assert!(outcome.created);
///
/// let page = store.query_leads(ws, &LeadQuery::new().search("alvarez")).await?;
/// assert_eq!(page.leads.len(), 1);
/// // Another workspace sees nothing.
/// let other = store.query_leads(WorkspaceId::from_u128(2), &LeadQuery::new()).await?;
/// assert!(other.leads.is_empty());
/// # Ok::<(), leadkit_store::Error>(())
/// # }).unwrap();
/// # fn tokio_test_block_on<F: std::future::Future>(f: F) -> F::Output {
/// #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
/// # }
/// ```
#[derive(Debug, Default)]
pub struct MemoryStore {
    spaces: RwLock<HashMap<WorkspaceId, Space>>,
    /// Signs the Leads-screen cursors (random unless given).
    cursor_key: CursorKey,
}

#[derive(Default)]
struct Space {
    leads: HashMap<LeadId, StoredLead>,
    keys: HashMap<(KeyKind, String), LeadId>,
    bots: HashMap<BotId, Bot>,
    messages: HashMap<ConversationId, Vec<TranscriptMessage>>,
    lead_conversations: HashMap<LeadId, Vec<ConversationId>>,
    claims: HashMap<LeadId, Vec<Claim>>,
    states: HashMap<ConversationId, VersionedState>,
    /// Each bot's settings and their changes, oldest first.
    settings: HashMap<BotId, (StoredBotSettings, Vec<SettingsChange>)>,
    /// Each conversation's summary, kept as lines are written.
    summaries: HashMap<ConversationId, ConversationSummary>,
    /// The lead each conversation was last linked to (also before its
    /// first line, which then starts its summary linked).
    conversation_lead: HashMap<ConversationId, LeadId>,
}

impl std::fmt::Debug for Space {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Space")
            .field("leads", &self.leads.len())
            .finish_non_exhaustive()
    }
}

struct StoredLead {
    lead: Lead,
    search: String,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Signs cursors with `key` instead of a random key of its own (see
    /// [`CursorKey`]).
    #[must_use]
    pub fn cursor_key(mut self, key: CursorKey) -> Self {
        self.cursor_key = key;
        self
    }

    fn read(&self) -> RwLockReadGuard<'_, HashMap<WorkspaceId, Space>> {
        // Every write validates before it mutates, so a panic elsewhere
        // cannot leave half a change behind: the data is still consistent.
        self.spaces.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> RwLockWriteGuard<'_, HashMap<WorkspaceId, Space>> {
        self.spaces.write().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Space {
    fn upsert(
        &mut self,
        workspace: WorkspaceId,
        upsert: &LeadUpsert,
    ) -> Result<UpsertOutcome, Error> {
        let keys = backend::upsert_keys(upsert)?;
        let existing = keys.iter().find_map(|k| self.keys.get(k).copied());
        let (lead, created) = match existing.and_then(|id| self.leads.get(&id)) {
            Some(stored) => {
                let id = stored.lead.id;
                let context = MatchContext::new()
                    .own_conversation(upsert.conversation.is_some_and(|c| {
                        self.lead_conversations
                            .get(&id)
                            .is_some_and(|own| own.contains(&c))
                    }))
                    .taken(self.taken(&keys, id));
                let mut lead = stored.lead.clone();
                if let (Merge::Claimed, Some(conversation)) = (
                    backend::merge_upsert(&mut lead, upsert, &context),
                    upsert.conversation,
                ) {
                    // One claim per conversation, kept in the order the
                    // conversations first claimed the lead.
                    let claims = self.claims.entry(id).or_default();
                    match claims.iter_mut().find(|c| c.conversation == conversation) {
                        Some(claim) => {
                            *claim = Claim::from_upsert(conversation, upsert, Some(claim.clone()));
                        }
                        None => claims.push(Claim::from_upsert(conversation, upsert, None)),
                    }
                    return Ok(UpsertOutcome::claim(stored.lead.clone()));
                }
                (lead, false)
            }
            None => {
                if self.leads.contains_key(&upsert.new_id) {
                    return Err(Error::InvalidInput {
                        reason: "new_id is already the id of another lead",
                    });
                }
                (backend::new_lead(workspace, upsert), true)
            }
        };
        self.own(&lead, upsert.conversation);
        self.put(lead.clone());
        Ok(UpsertOutcome::new(lead, created))
    }

    /// Which of `keys` a lead other than `id` holds.
    fn taken(&self, keys: &[(KeyKind, String)], id: LeadId) -> Vec<(KeyKind, String)> {
        keys.iter()
            .filter(|k| self.keys.get(*k).is_some_and(|holder| *holder != id))
            .cloned()
            .collect()
    }

    /// Records the lead's keys (a key another lead holds stays with it) and
    /// links the conversation to it as its own.
    fn own(&mut self, lead: &Lead, conversation: Option<ConversationId>) {
        for key in backend::lead_keys(lead) {
            self.keys.entry(key).or_insert(lead.id);
        }
        if let Some(conversation) = conversation {
            self.link(conversation, lead.id);
        }
    }

    fn resolve_claim(
        &mut self,
        id: LeadId,
        conversation: ConversationId,
        decision: ClaimDecision,
    ) -> Result<Lead, Error> {
        let not_found = Error::NotFound { kind: "claim" };
        let mut lead = self.leads.get(&id).ok_or(not_found)?.lead.clone();
        let claims = self.claims.entry(id).or_default();
        let Some(at) = claims.iter().position(|c| c.conversation == conversation) else {
            return Err(Error::NotFound { kind: "claim" });
        };
        let claim = claims.remove(at);
        if decision == ClaimDecision::Merge {
            let keys = backend::detail_keys(&claim.details);
            backend::merge_claim(&mut lead, &claim, &self.taken(&keys, id));
            self.own(&lead, Some(conversation));
            self.put(lead.clone());
        }
        Ok(lead)
    }

    fn link(&mut self, conversation: ConversationId, lead: LeadId) {
        let list = self.lead_conversations.entry(lead).or_default();
        if !list.contains(&conversation) {
            list.push(conversation);
        }
        self.conversation_lead.insert(conversation, lead);
        if let Some(summary) = self.summaries.get_mut(&conversation) {
            summary.lead = Some(lead);
        }
    }

    /// Appends lines and keeps their conversations' summaries.
    fn record_lines(&mut self, messages: &[TranscriptMessage]) {
        for message in messages {
            let c = message.conversation;
            self.messages.entry(c).or_default().push(message.clone());
            let lead = self.conversation_lead.get(&c).copied();
            self.summaries
                .entry(c)
                .and_modify(|s| {
                    s.first_at = s.first_at.min(message.at);
                    s.last_at = s.last_at.max(message.at);
                    s.message_count += 1;
                })
                .or_insert_with(|| {
                    ConversationSummary::new(c, message.bot, message.at, message.at, 1, lead)
                });
        }
    }

    fn put(&mut self, lead: Lead) {
        let search = backend::search_text(&lead);
        self.leads.insert(lead.id, StoredLead { lead, search });
    }

    fn save_state(
        &mut self,
        conversation: ConversationId,
        state: &Conversation,
        expected: Option<u64>,
    ) -> Result<u64, Error> {
        let found = self.states.get(&conversation).map(|s| s.version);
        if found != expected {
            return Err(Error::VersionConflict { expected, found });
        }
        let version = found.map_or(1, |v| v + 1);
        self.states.insert(
            conversation,
            VersionedState {
                conversation: state.clone(),
                version,
            },
        );
        Ok(version)
    }
}

// The method signatures repeat `LeadStore`'s (and so the SQL store's
// impl); the bodies work on this store's maps.
#[async_trait]
impl LeadStore for MemoryStore {
    async fn upsert_lead(
        &self,
        workspace: WorkspaceId,
        upsert: &LeadUpsert,
    ) -> Result<UpsertOutcome, Error> {
        self.write()
            .entry(workspace)
            .or_default()
            .upsert(workspace, upsert)
    }

    async fn get_lead(&self, workspace: WorkspaceId, id: LeadId) -> Result<Option<Lead>, Error> {
        Ok(self
            .read()
            .get(&workspace)
            .and_then(|s| s.leads.get(&id))
            .map(|s| s.lead.clone()))
    }

    async fn find_lead(
        &self,
        workspace: WorkspaceId,
        key: &LeadKey,
    ) -> Result<Option<Lead>, Error> {
        let Some(key) = backend::lookup_key(key) else {
            return Ok(None);
        };
        let spaces = self.read();
        Ok(spaces.get(&workspace).and_then(|space| {
            let id = space.keys.get(&key)?;
            space.leads.get(id).map(|s| s.lead.clone())
        }))
    }

    async fn update_lead(
        &self,
        workspace: WorkspaceId,
        id: LeadId,
        patch: &LeadPatch,
    ) -> Result<Lead, Error> {
        let mut spaces = self.write();
        let space = spaces
            .get_mut(&workspace)
            .ok_or(Error::NotFound { kind: "lead" })?;
        let stored = space
            .leads
            .get(&id)
            .ok_or(Error::NotFound { kind: "lead" })?;
        let mut lead = stored.lead.clone();
        backend::apply_patch(&mut lead, patch)?;
        space.put(lead.clone());
        Ok(lead)
    }

    async fn erase_lead(&self, workspace: WorkspaceId, id: LeadId) -> Result<(), Error> {
        let mut spaces = self.write();
        let space = spaces
            .get_mut(&workspace)
            .ok_or(Error::NotFound { kind: "lead" })?;
        if space.leads.remove(&id).is_none() {
            return Err(Error::NotFound { kind: "lead" });
        }
        space.keys.retain(|_, lead| *lead != id);
        let claimed = space.claims.remove(&id).unwrap_or_default();
        let own = space.lead_conversations.remove(&id).unwrap_or_default();
        for conversation in own
            .into_iter()
            .chain(claimed.into_iter().map(|c| c.conversation))
        {
            space.messages.remove(&conversation);
            space.summaries.remove(&conversation);
            space.conversation_lead.remove(&conversation);
            // The conversation starts over, but its version keeps counting:
            // a writer holding a state from before the erasure must conflict.
            if let Some(state) = space.states.get_mut(&conversation) {
                state.conversation = Conversation::new();
                state.version = state.version.saturating_add(1);
            }
        }
        Ok(())
    }

    async fn lead_claims(&self, workspace: WorkspaceId, lead: LeadId) -> Result<Vec<Claim>, Error> {
        Ok(self
            .read()
            .get(&workspace)
            .and_then(|s| s.claims.get(&lead))
            .cloned()
            .unwrap_or_default())
    }

    async fn resolve_claim(
        &self,
        workspace: WorkspaceId,
        lead: LeadId,
        conversation: ConversationId,
        decision: ClaimDecision,
    ) -> Result<Lead, Error> {
        self.write()
            .get_mut(&workspace)
            .ok_or(Error::NotFound { kind: "claim" })?
            .resolve_claim(lead, conversation, decision)
    }

    async fn query_leads(
        &self,
        workspace: WorkspaceId,
        query: &LeadQuery,
    ) -> Result<LeadPage, Error> {
        let query = query.validate(workspace, &self.cursor_key)?;
        let spaces = self.read();
        let Some(space) = spaces.get(&workspace) else {
            return Ok(LeadPage::new(&query, Vec::new()));
        };
        let mut rows: Vec<_> = space
            .leads
            .values()
            .filter(|s| query.matches(&s.lead, &s.search))
            .map(|s| (SortValue::of(&s.lead, query.sort), &s.lead))
            .filter(|(value, lead)| query.is_after_cursor(value, lead.id))
            .collect();
        rows.sort_by(|a, b| query.compare((&a.0, a.1.id), (&b.0, b.1.id)));
        let limit = usize::try_from(query.limit).unwrap_or(usize::MAX);
        let leads = rows
            .into_iter()
            .take(limit)
            .map(|(_, l)| l.clone())
            .collect();
        Ok(LeadPage::new(&query, leads))
    }

    async fn count_leads(&self, workspace: WorkspaceId, query: &LeadQuery) -> Result<u64, Error> {
        let query = query
            .clone()
            .first_page()
            .validate(workspace, &self.cursor_key)?;
        let spaces = self.read();
        let count = spaces.get(&workspace).map_or(0, |space| {
            space
                .leads
                .values()
                .filter(|s| query.matches(&s.lead, &s.search))
                .count()
        });
        Ok(count as u64)
    }
}

// The method signatures repeat `TranscriptStore`'s (and so the other
// store's impl). `recent_messages` also opens like the trait's default (an
// empty answer for `limit == 0`) because it overrides that default to read
// only the last lines.
#[async_trait]
impl TranscriptStore for MemoryStore {
    async fn append_messages(
        &self,
        workspace: WorkspaceId,
        messages: &[TranscriptMessage],
    ) -> Result<(), Error> {
        backend::check_messages(messages)?;
        self.write()
            .entry(workspace)
            .or_default()
            .record_lines(messages);
        Ok(())
    }

    async fn conversation_messages(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
    ) -> Result<Vec<TranscriptMessage>, Error> {
        Ok(self
            .read()
            .get(&workspace)
            .and_then(|s| s.messages.get(&conversation))
            .cloned()
            .unwrap_or_default())
    }

    async fn recent_messages(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
        limit: usize,
    ) -> Result<Vec<TranscriptMessage>, Error> {
        let spaces = self.read();
        let lines = spaces
            .get(&workspace)
            .and_then(|s| s.messages.get(&conversation))
            .map_or(&[][..], Vec::as_slice);
        Ok(lines[lines.len().saturating_sub(limit)..].to_vec())
    }

    async fn lead_conversations(
        &self,
        workspace: WorkspaceId,
        lead: LeadId,
    ) -> Result<Vec<ConversationId>, Error> {
        Ok(self
            .read()
            .get(&workspace)
            .and_then(|s| s.lead_conversations.get(&lead))
            .cloned()
            .unwrap_or_default())
    }
}

#[async_trait]
impl ConversationStateStore for MemoryStore {
    async fn load_state(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
    ) -> Result<Option<VersionedState>, Error> {
        Ok(self
            .read()
            .get(&workspace)
            .and_then(|s| s.states.get(&conversation))
            .cloned())
    }

    async fn save_state(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
        state: &Conversation,
        expected_version: Option<u64>,
    ) -> Result<u64, Error> {
        self.write()
            .entry(workspace)
            .or_default()
            .save_state(conversation, state, expected_version)
    }
}

#[async_trait]
impl BotStore for MemoryStore {
    async fn put_bot(&self, workspace: WorkspaceId, bot: &Bot) -> Result<(), Error> {
        check_bot(workspace, bot)?;
        self.write()
            .entry(workspace)
            .or_default()
            .bots
            .insert(bot.id, bot.clone());
        Ok(())
    }

    async fn get_bot(&self, workspace: WorkspaceId, id: BotId) -> Result<Option<Bot>, Error> {
        Ok(self
            .read()
            .get(&workspace)
            .and_then(|s| s.bots.get(&id))
            .cloned())
    }

    async fn list_bots(&self, workspace: WorkspaceId) -> Result<Vec<Bot>, Error> {
        let mut bots: Vec<Bot> = self
            .read()
            .get(&workspace)
            .map(|s| s.bots.values().cloned().collect())
            .unwrap_or_default();
        bots.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        Ok(bots)
    }
}

// The method signatures repeat `BotSettingsStore`'s (and so the SQL
// store's impl); the bodies work on this store's maps.
#[async_trait]
impl BotSettingsStore for MemoryStore {
    async fn bot_settings(
        &self,
        workspace: WorkspaceId,
        bot: BotId,
    ) -> Result<Option<StoredBotSettings>, Error> {
        Ok(self
            .read()
            .get(&workspace)
            .and_then(|s| s.settings.get(&bot))
            .map(|(stored, _)| stored.clone()))
    }

    async fn put_bot_settings(
        &self,
        workspace: WorkspaceId,
        bot: BotId,
        update: &SettingsUpdate,
    ) -> Result<StoredBotSettings, Error> {
        update.validate()?;
        let mut spaces = self.write();
        let space = spaces
            .get_mut(&workspace)
            .filter(|s| s.bots.contains_key(&bot))
            .ok_or(Error::NotFound { kind: "bot" })?;
        let (old, version) = match space.settings.get(&bot) {
            Some((stored, _)) if stored.settings == update.settings => return Ok(stored.clone()),
            Some((stored, _)) => (Some(stored.settings.clone()), stored.version + 1),
            None => (None, 1),
        };
        let stored = StoredBotSettings::new(bot, update.settings.clone(), version, update.at);
        let change = SettingsChange::new(
            bot,
            version,
            update.at,
            update.actor.clone(),
            old,
            update.settings.clone(),
        );
        let entry = space
            .settings
            .entry(bot)
            .or_insert_with(|| (stored.clone(), Vec::new()));
        entry.0 = stored.clone();
        entry.1.push(change);
        Ok(stored)
    }

    async fn bot_settings_history(
        &self,
        workspace: WorkspaceId,
        bot: BotId,
        query: &HistoryQuery,
    ) -> Result<Vec<SettingsChange>, Error> {
        let spaces = self.read();
        let Some((_, changes)) = spaces.get(&workspace).and_then(|s| s.settings.get(&bot)) else {
            return Ok(Vec::new());
        };
        Ok(changes
            .iter()
            .rev()
            .filter(|c| query.before_version.is_none_or(|v| c.version < v))
            .take(query.effective_limit())
            .cloned()
            .collect())
    }
}

/// Checks a bot before it is stored: its workspace and name.
pub fn check_bot(workspace: WorkspaceId, bot: &Bot) -> Result<(), Error> {
    if bot.workspace != workspace {
        return Err(Error::InvalidInput {
            reason: "the bot belongs to another workspace",
        });
    }
    if bot.name.trim().is_empty() || bot.name.len() > 256 {
        return Err(Error::InvalidInput {
            reason: "a bot name must be 1 to 256 bytes and not blank",
        });
    }
    Ok(())
}

#[async_trait]
impl Store for MemoryStore {
    async fn persist_turn(
        &self,
        workspace: WorkspaceId,
        turn: &TurnWrite,
    ) -> Result<TurnReceipt, Error> {
        if let Some(upsert) = &turn.lead {
            backend::upsert_keys(upsert)?;
        }
        backend::check_messages(&turn.messages)?;
        let mut spaces = self.write();
        let space = spaces.entry(workspace).or_default();
        // Check the version first: on a conflict nothing is written.
        let found = space.states.get(&turn.conversation).map(|s| s.version);
        if found != turn.expected_version {
            return Err(Error::VersionConflict {
                expected: turn.expected_version,
                found,
            });
        }
        let lead = match &turn.lead {
            Some(upsert) => {
                let mut upsert = upsert.clone();
                upsert.conversation = Some(turn.conversation);
                Some(space.upsert(workspace, &upsert)?)
            }
            None => None,
        };
        let version = space.save_state(turn.conversation, &turn.state, turn.expected_version)?;
        space.record_lines(&turn.messages);
        Ok(TurnReceipt { version, lead })
    }
}

#[async_trait]
impl ConversationStore for MemoryStore {
    async fn list_conversations(
        &self,
        workspace: WorkspaceId,
        query: &ConversationQuery,
    ) -> Result<ConversationPage, Error> {
        let query = query.validate(workspace, &self.cursor_key)?;
        let spaces = self.read();
        let Some(space) = spaces.get(&workspace) else {
            return Ok(query.page(Vec::new()));
        };
        let mut rows: Vec<ConversationSummary> = space
            .summaries
            .values()
            .filter(|s| query.matches(s))
            .filter(|s| {
                query.search.is_none()
                    || space.messages.get(&s.id).is_some_and(|lines| {
                        lines.iter().any(|l| query.text_matches(l.text.expose()))
                    })
            })
            .cloned()
            .collect();
        // Newest first, at the stores' microsecond precision, then by id.
        rows.sort_by(|a, b| {
            (b.last_at.timestamp_micros(), b.id).cmp(&(a.last_at.timestamp_micros(), a.id))
        });
        rows.truncate(
            usize::try_from(query.limit)
                .unwrap_or(usize::MAX)
                .saturating_add(1),
        );
        Ok(query.page(rows))
    }

    async fn conversation_summary(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
    ) -> Result<Option<ConversationSummary>, Error> {
        Ok(self
            .read()
            .get(&workspace)
            .and_then(|s| s.summaries.get(&conversation))
            .cloned())
    }

    async fn transcript_page(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
        before: Option<Cursor>,
        limit: u32,
    ) -> Result<TranscriptPage, Error> {
        backend::check_transcript_limit(limit)?;
        let end = match &before {
            Some(cursor) => Some(
                backend::open_transcript_cursor(&self.cursor_key, workspace, conversation, cursor)?
                    .0,
            ),
            None => None,
        };
        let spaces = self.read();
        let lines = spaces
            .get(&workspace)
            .and_then(|s| s.messages.get(&conversation))
            .map_or(&[][..], Vec::as_slice);
        // A line's position is its index: lines are only ever appended
        // (an erasure removes the whole conversation).
        let end = end.map_or(lines.len(), |e| {
            usize::try_from(e).unwrap_or(usize::MAX).min(lines.len())
        });
        let take = usize::try_from(limit)
            .unwrap_or(usize::MAX)
            .saturating_add(1);
        let newest_first = lines[..end]
            .iter()
            .enumerate()
            .rev()
            .take(take)
            .map(|(i, m)| (backend::TranscriptPosition(i as u64), m.clone()))
            .collect();
        Ok(backend::transcript_page(
            &self.cursor_key,
            workspace,
            conversation,
            limit,
            newest_first,
        ))
    }

    async fn link_conversation(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
        lead: LeadId,
    ) -> Result<(), Error> {
        let mut spaces = self.write();
        let space = spaces
            .get_mut(&workspace)
            .filter(|s| s.leads.contains_key(&lead))
            .ok_or(Error::NotFound { kind: "lead" })?;
        space.link(conversation, lead);
        Ok(())
    }
}
