//! The per-turn engine: the core's decisions, an analyzer's signals and a
//! store's persistence, wired together.

mod clock;
mod events;
mod identity;
mod ids;
mod policies;
mod redact;
mod state_cache;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use leadkit_core::{
    Action, ActionKind, BotId, Conversation, ConversationId, Event, KnownVisitor, LeadId,
    LeadStatus, UserTurn, WorkspaceId,
};
use leadkit_llm::{ChatMessage, RuleAnalyzer, TurnAnalyzer, TurnInput};
use leadkit_store::{
    Lead, LeadKey, LeadPatch, LeadUpsert, Role, Store, TranscriptMessage, TurnWrite, VersionedState,
};
use tokio::sync::broadcast;
use tracing::Instrument;

pub use clock::{Clock, ManualClock, SystemClock};
pub use events::LeadEvent;
pub use identity::{VerifiedVisitor, VisitorVerifier};
pub use ids::{IdSource, RandomIds, SequentialIds};
pub use policies::{PolicySource, StaticPolicies};
pub use redact::Redacted;
use state_cache::StateCache;

use crate::Error;
use crate::messages::{Locale, MessageCatalog};

/// Where a message happens: the workspace, the bot, the conversation, and
/// who the visitor is.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Visit {
    /// The workspace (tenant).
    pub workspace: WorkspaceId,
    /// The bot.
    pub bot: BotId,
    /// The conversation.
    pub conversation: ConversationId,
    /// The visitor, when their id was verified (see [`VisitorVerifier`]).
    /// An unverified id is never used: it could claim someone else's lead.
    pub visitor: Option<VerifiedVisitor>,
    /// The language of the messages the bot adds.
    pub locale: Locale,
}

impl Visit {
    /// An anonymous visit in English.
    pub fn new(workspace: WorkspaceId, bot: BotId, conversation: ConversationId) -> Self {
        Self {
            workspace,
            bot,
            conversation,
            visitor: None,
            locale: Locale::English,
        }
    }

    /// With a verified visitor.
    #[must_use]
    pub fn with_visitor(mut self, visitor: VerifiedVisitor) -> Self {
        self.visitor = Some(visitor);
        self
    }

    /// With the language of the bot's messages.
    #[must_use]
    pub fn with_locale(mut self, locale: Locale) -> Self {
        self.locale = locale;
        self
    }
}

/// What to do with a user turn, and what the turn stored.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TurnReply {
    /// The turn's number in the conversation, from 1.
    pub turn: u32,
    /// The core's decision.
    pub action: Action,
    /// The text to append to the answer (a request or a correction), or to
    /// send instead of it (a gate), in the visit's language. `None` for a
    /// plain answer.
    pub prompt: Option<String>,
    /// The lead as stored after this turn, when the turn created or updated
    /// one.
    pub lead: Option<Lead>,
    /// Lead events of this turn (also published to subscribers).
    pub events: Vec<LeadEvent>,
}

impl TurnReply {
    /// The action's kind.
    pub fn kind(&self) -> ActionKind {
        self.action.kind()
    }

    /// Whether the visitor's query should be answered.
    pub fn answers_query(&self) -> bool {
        self.action.answers_query()
    }
}

/// Builds an [`Engine`]. Only the store is required.
#[must_use]
pub struct EngineBuilder {
    store: Option<Arc<dyn Store>>,
    analyzer: Arc<dyn TurnAnalyzer>,
    policies: Arc<dyn PolicySource>,
    catalogs: HashMap<Locale, MessageCatalog>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdSource>,
    verifier: Option<VisitorVerifier>,
    custom_analyzer: bool,
    transcript_window: Option<usize>,
    conflict_retries: u32,
    cached_states: usize,
}

impl EngineBuilder {
    fn new() -> Self {
        Self {
            store: None,
            analyzer: Arc::new(RuleAnalyzer::new()),
            policies: Arc::new(StaticPolicies::default()),
            catalogs: Locale::ALL
                .into_iter()
                .map(|locale| (locale, MessageCatalog::builtin(locale)))
                .collect(),
            clock: Arc::new(SystemClock),
            ids: Arc::new(RandomIds),
            verifier: None,
            custom_analyzer: false,
            transcript_window: None,
            conflict_retries: 3,
            cached_states: 10_000,
        }
    }

    /// The store (required).
    pub fn store(mut self, store: Arc<dyn Store>) -> Self {
        self.store = Some(store);
        self
    }

    /// The analyzer (default: [`RuleAnalyzer`], offline).
    pub fn analyzer(mut self, analyzer: Arc<dyn TurnAnalyzer>) -> Self {
        self.analyzer = analyzer;
        self.custom_analyzer = true;
        self
    }

    /// Where per-bot policies come from (default: [`Policy::default`](leadkit_core::Policy::default) for every bot).
    pub fn policies(mut self, policies: Arc<dyn PolicySource>) -> Self {
        self.policies = policies;
        self
    }

    /// Replaces the messages of one language.
    pub fn messages(mut self, locale: Locale, catalog: MessageCatalog) -> Self {
        self.catalogs.insert(locale, catalog);
        self
    }

    /// The clock (default: the system clock).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The id source (default: random UUIDs).
    pub fn ids(mut self, ids: Arc<dyn IdSource>) -> Self {
        self.ids = ids;
        self
    }

    /// The verifier of visitor-id signatures, needed by
    /// [`Engine::verify_visitor`].
    pub fn visitor_verifier(mut self, verifier: VisitorVerifier) -> Self {
        self.verifier = Some(verifier);
        self
    }

    /// How many earlier messages the analyzer sees. The default is 10 for
    /// an analyzer set with [`analyzer`](Self::analyzer) and 0 for the
    /// default [`RuleAnalyzer`], which reads only the new message (so the
    /// transcript is not loaded at all).
    pub fn transcript_window(mut self, messages: usize) -> Self {
        self.transcript_window = Some(messages);
        self
    }

    /// How many conversations' states the engine keeps in memory (default
    /// 10 000, the least recently used dropped first; 0 keeps none).
    ///
    /// A turn of a cached conversation reads nothing before it writes: the
    /// write is a compare-and-swap on the state's version, and a store never
    /// reuses a version, so if another server (or an erasure) changed the
    /// state meanwhile the write conflicts and the turn is decided again on
    /// the stored state. Each server's cache is its own; erasing a lead
    /// through [`Engine::erase_lead`] drops its conversations from this
    /// engine's cache, and other servers drop them at the conversation's
    /// next turn or as they fill up.
    pub fn cached_states(mut self, conversations: usize) -> Self {
        self.cached_states = conversations;
        self
    }

    /// The engine.
    pub fn build(self) -> Result<Engine, Error> {
        let store = self.store.ok_or(Error::InvalidConfig {
            reason: "the engine needs a store",
        })?;
        // Load the contact tables now rather than on the first visitor's
        // turn (libphonenumber's metadata takes tens of milliseconds).
        leadkit_contact::preload();
        let (events, _) = broadcast::channel(256);
        Ok(Engine {
            inner: Arc::new(Inner {
                store,
                analyzer: self.analyzer,
                policies: self.policies,
                catalogs: self.catalogs,
                clock: self.clock,
                ids: self.ids,
                verifier: self.verifier,
                transcript_window: self.transcript_window.unwrap_or(if self.custom_analyzer {
                    10
                } else {
                    0
                }),
                conflict_retries: self.conflict_retries,
                states: StateCache::new(self.cached_states),
                events,
            }),
        })
    }
}

struct Inner {
    store: Arc<dyn Store>,
    analyzer: Arc<dyn TurnAnalyzer>,
    policies: Arc<dyn PolicySource>,
    catalogs: HashMap<Locale, MessageCatalog>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdSource>,
    verifier: Option<VisitorVerifier>,
    transcript_window: usize,
    conflict_retries: u32,
    states: StateCache,
    events: broadcast::Sender<LeadEvent>,
}

/// The per-turn engine. Cheap to clone; share one per service.
///
/// Call [`user_message`](Self::user_message) for every visitor message and
/// act on the [`TurnReply`]; call [`assistant_message`](Self::assistant_message)
/// with the reply you sent.
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("transcript_window", &self.inner.transcript_window)
            .field("verifier", &self.inner.verifier)
            .finish_non_exhaustive()
    }
}

impl Engine {
    /// A builder.
    pub fn builder() -> EngineBuilder {
        EngineBuilder::new()
    }

    /// The store.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.inner.store
    }

    /// A new conversation id from the engine's id source.
    pub fn new_conversation_id(&self) -> ConversationId {
        self.inner.ids.new_conversation_id()
    }

    /// Lead events from now on. A subscriber that falls more than 256
    /// events behind misses the oldest ones (it is told so by the channel).
    pub fn subscribe(&self) -> broadcast::Receiver<LeadEvent> {
        self.inner.events.subscribe()
    }

    /// Checks a visitor id's signature (see [`VisitorVerifier`]).
    pub fn verify_visitor(
        &self,
        visitor: leadkit_core::VisitorId,
        signature: &str,
    ) -> Result<VerifiedVisitor, Error> {
        let verifier = self.inner.verifier.as_ref().ok_or(Error::InvalidConfig {
            reason: "no visitor verifier configured",
        })?;
        verifier.verify(visitor, signature)
    }

    /// Handles a visitor message: analyzes it, decides, and stores the
    /// turn's state, the message and any lead in one transaction.
    pub async fn user_message(&self, visit: &Visit, text: &str) -> Result<TurnReply, Error> {
        let span = tracing::info_span!(
            "leadkit.turn",
            workspace = %visit.workspace,
            bot = %visit.bot,
            conversation = %visit.conversation,
            turn = tracing::field::Empty,
            action = tracing::field::Empty,
        );
        async {
            let started = Instant::now();
            let reply = self.user_turn(visit, text).await?;
            let span = tracing::Span::current();
            span.record("turn", reply.turn);
            span.record("action", reply.kind().as_str());
            tracing::debug!(
                events = reply.events.len(),
                elapsed_us = started.elapsed().as_micros() as u64,
                "turn handled"
            );
            Ok(reply)
        }
        .instrument(span)
        .await
    }

    async fn user_turn(&self, visit: &Visit, text: &str) -> Result<TurnReply, Error> {
        let inner = &self.inner;
        let policy = inner.policies.policy(visit.workspace, visit.bot).await?;
        let history = if inner.transcript_window == 0 {
            Vec::new()
        } else {
            inner
                .store
                .recent_messages(visit.workspace, visit.conversation, inner.transcript_window)
                .await?
        };
        let transcript: Vec<ChatMessage> = history
            .iter()
            .map(|message| match message.role {
                Role::Assistant => ChatMessage::assistant(message.text.expose().as_str()),
                _ => ChatMessage::user(message.text.expose().as_str()),
            })
            .collect();
        let signals = inner
            .analyzer
            .analyze(TurnInput::new(&policy, text).with_transcript(&transcript))
            .await?;

        let key = (visit.workspace, visit.conversation);
        let mut cached = inner.states.get(key);
        let mut attempt = 0;
        loop {
            let from_cache = cached.is_some();
            let loaded = match cached.take() {
                Some(state) => Some(state),
                None => {
                    inner
                        .store
                        .load_state(visit.workspace, visit.conversation)
                        .await?
                }
            };
            let (mut conversation, version) = match loaded {
                Some(saved) => (saved.conversation, Some(saved.version)),
                None => (Conversation::new(), None),
            };
            let now = self.now_for(&conversation);
            self.recognise(visit, &mut conversation, now).await?;
            let outcome =
                conversation.handle_user_turn(&policy, UserTurn::new(now, signals.clone()))?;

            let message =
                TranscriptMessage::new(visit.conversation, visit.bot, Role::Visitor, text, now);
            let mut write =
                TurnWrite::new(visit.conversation, conversation, version).message(message);
            let consent = outcome.lead().and_then(|lead| lead.consent.clone());
            if let Some(capture) = outcome.lead() {
                let mut upsert = LeadUpsert::new(
                    inner.ids.new_lead_id(),
                    visit.bot,
                    capture.details.clone(),
                    now,
                )
                .conversation(visit.conversation);
                if let Some(visitor) = &visit.visitor {
                    upsert = upsert.visitor(visitor.id().clone());
                }
                if let Some(consent) = consent {
                    upsert = upsert.consent(consent);
                }
                write = write.lead(upsert);
            }

            let receipt = match inner.store.persist_turn(visit.workspace, &write).await {
                Ok(receipt) => receipt,
                Err(error) => {
                    // Changed elsewhere, or not known to be written or not.
                    inner.states.forget(key);
                    match error {
                        leadkit_store::Error::VersionConflict { .. } if from_cache => {
                            // The cached state was not the stored one any
                            // more: decide again on the stored state (not a
                            // retry).
                            tracing::debug!("cached conversation state was stale; reading it");
                        }
                        leadkit_store::Error::VersionConflict { .. }
                            if attempt < inner.conflict_retries =>
                        {
                            // Another server handled a message of this
                            // conversation meanwhile: decide again on the
                            // fresh state.
                            attempt += 1;
                            tracing::debug!(
                                attempt,
                                "conversation state changed concurrently; retrying the turn"
                            );
                        }
                        error => return Err(error.into()),
                    }
                    continue;
                }
            };
            inner
                .states
                .put(key, VersionedState::new(write.state, receipt.version));
            let mut events = Vec::new();
            let lead = receipt.lead.map(|outcome| {
                let event = if outcome.created {
                    LeadEvent::Created {
                        workspace: visit.workspace,
                        lead: Box::new(outcome.lead.clone()),
                    }
                } else {
                    LeadEvent::Updated {
                        workspace: visit.workspace,
                        lead: Box::new(outcome.lead.clone()),
                    }
                };
                events.push(event);
                outcome.lead
            });
            for event in &events {
                // No subscriber is not an error.
                let _ = inner.events.send(event.clone());
            }
            let prompt = self.render(visit.locale, &outcome.action, &policy.consent.text);
            if outcome.events.iter().any(|e| matches!(e, Event::Declined)) {
                tracing::debug!("visitor declined to share details");
            }
            return Ok(TurnReply {
                turn: outcome.turn,
                action: outcome.action,
                prompt,
                lead,
                events,
            });
        }
    }

    /// Records the reply sent for a turn (or a greeting) in the transcript.
    ///
    /// Only the transcript changes: a reply moves nothing in the lead-capture
    /// state, and the engine keeps the next turn's time in order itself, so
    /// the state is neither loaded nor saved (one write instead of a
    /// read-modify-write).
    pub async fn assistant_message(&self, visit: &Visit, text: &str) -> Result<(), Error> {
        let now = self.inner.clock.now();
        let message =
            TranscriptMessage::new(visit.conversation, visit.bot, Role::Assistant, text, now);
        self.inner
            .store
            .append_messages(visit.workspace, std::slice::from_ref(&message))
            .await?;
        Ok(())
    }

    /// Changes a lead's status and tells subscribers.
    pub async fn set_status(
        &self,
        workspace: WorkspaceId,
        lead: LeadId,
        status: LeadStatus,
    ) -> Result<Lead, Error> {
        let store = &self.inner.store;
        let before = store
            .get_lead(workspace, lead)
            .await?
            .ok_or(Error::LeadNotFound)?;
        let after = store
            .update_lead(workspace, lead, &LeadPatch::new().status(status))
            .await?;
        if before.status != after.status {
            let _ = self.inner.events.send(LeadEvent::StatusChanged {
                workspace,
                lead,
                from: before.status,
                to: after.status,
            });
        }
        Ok(after)
    }

    /// Erases a lead with its details and transcripts, and tells subscribers.
    /// The states of its conversations start over, and leave this engine's
    /// cache.
    pub async fn erase_lead(&self, workspace: WorkspaceId, lead: LeadId) -> Result<(), Error> {
        let store = &self.inner.store;
        let conversations = store.lead_conversations(workspace, lead).await?;
        store.erase_lead(workspace, lead).await?;
        for conversation in conversations {
            self.inner.states.forget((workspace, conversation));
        }
        let _ = self
            .inner
            .events
            .send(LeadEvent::Erased { workspace, lead });
        Ok(())
    }

    /// The time for the next input: the clock, but never before the
    /// conversation's latest input (clocks step back; servers disagree).
    fn now_for(&self, conversation: &Conversation) -> chrono::DateTime<chrono::Utc> {
        let now = self.inner.clock.now();
        conversation
            .last_input_at()
            .map_or(now, |last| now.max(last))
    }

    /// Marks the conversation known when the visit carries a verified
    /// visitor who already has a lead.
    async fn recognise(
        &self,
        visit: &Visit,
        conversation: &mut Conversation,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), Error> {
        let Some(visitor) = &visit.visitor else {
            return Ok(());
        };
        if conversation.is_known() {
            return Ok(());
        }
        let key = LeadKey::Visitor(visitor.id().clone());
        if let Some(lead) = self.inner.store.find_lead(visit.workspace, &key).await? {
            conversation
                .handle_known_visitor(now, KnownVisitor::new(Some(lead.id), lead.details))?;
        }
        Ok(())
    }

    fn render(&self, locale: Locale, action: &Action, consent_text: &str) -> Option<String> {
        self.inner
            .catalogs
            .get(&locale)
            .or_else(|| self.inner.catalogs.get(&Locale::English))
            .and_then(|catalog| catalog.render(action, consent_text))
    }
}
