//! The per-turn engine: the core's decisions, an analyzer's signals and a
//! store's persistence, wired together.

mod acknowledge;
mod builder;
mod clock;
mod events;
mod identity;
mod ids;
mod policies;
mod redact;
mod region;
mod settings_api;
mod settings_source;
mod state_cache;
mod turn;
mod verified;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use leadkit_core::{Action, ActionKind, BotId, ConversationId, LeadId, LeadStatus, WorkspaceId};
use leadkit_llm::TurnAnalyzer;
use leadkit_store::{Lead, LeadPatch, Role, Store, TranscriptMessage};
use tokio::sync::broadcast;
use tracing::Instrument;

pub use acknowledge::{Acknowledgement, Happened};
pub use builder::EngineBuilder;
pub use clock::{Clock, ManualClock, SystemClock};
pub use events::LeadEvent;
pub use identity::{VerifiedVisitor, VisitorVerifier};
pub use ids::{IdSource, RandomIds, SequentialIds};
pub use policies::{PolicySource, StaticPolicies};
pub use redact::Redacted;
pub use region::PhoneRegion;
pub use settings_source::{
    DEFAULT_CACHED_SETTINGS, DEFAULT_SETTINGS_MAX_AGE, StoredSettings, TurnSettings,
};
use state_cache::StateCache;
pub use verified::{VerifiedDetails, VerifiedDetailsBuilder};

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
    /// The language of the messages the bot adds, when
    /// [`locale_given`](Self::locale_given); otherwise the bot's language
    /// from its settings is used, and this (English) only for a bot whose
    /// policy source has none.
    pub locale: Locale,
    /// The country a phone number written without its country code is read
    /// in, when the integrator knows it for this visit (it wins over the
    /// bot's and the engine's default, see
    /// [`EngineBuilder::default_region`]).
    pub region: Option<PhoneRegion>,
    /// Whether `locale` was given for this visit
    /// ([`with_locale`](Self::with_locale)) rather than left to the bot's
    /// settings.
    pub locale_given: bool,
    /// The signed-in visitor's details from the integrator's own records
    /// ([`VerifiedDetails`]): the visitor is never asked, and the
    /// conversation belongs to their lead.
    pub verified_details: Option<VerifiedDetails>,
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
            region: None,
            locale_given: false,
            verified_details: None,
        }
    }

    /// With the country to read phone numbers without a country code in.
    #[must_use]
    pub fn with_region(mut self, region: PhoneRegion) -> Self {
        self.region = Some(region);
        self
    }

    /// With a verified visitor.
    #[must_use]
    pub fn with_visitor(mut self, visitor: VerifiedVisitor) -> Self {
        self.visitor = Some(visitor);
        self
    }

    /// With a signed-in visitor's verified details (see
    /// [`VerifiedDetails`]).
    #[must_use]
    pub fn with_verified_details(mut self, details: VerifiedDetails) -> Self {
        self.verified_details = Some(details);
        self
    }

    /// With the language of the bot's messages.
    #[must_use]
    pub fn with_locale(mut self, locale: Locale) -> Self {
        self.locale = locale;
        self.locale_given = true;
        self
    }

    /// The language of this visit's messages: the visit's own, else the
    /// bot's (from its settings), else English.
    pub fn language(&self, settings: &TurnSettings) -> Locale {
        if self.locale_given {
            self.locale
        } else {
            settings.language.unwrap_or(self.locale)
        }
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
    /// one. `None` when the turn's details only became an unconfirmed claim
    /// on a lead captured in another conversation (see
    /// [`leadkit_store::Claim`]): that lead is not this visitor's to see.
    pub lead: Option<Lead>,
    /// Lead events of this turn (also published to subscribers).
    pub events: Vec<LeadEvent>,
    /// Whether the turn's details were recorded as an unconfirmed claim on
    /// a lead captured in another conversation (then `lead` is `None`). A
    /// chat should tell the visitor the same as for a captured lead, so
    /// that nobody learns whether an email belongs to a lead.
    pub claimed: bool,
    /// What just happened to the visitor's details: captured, declined, or
    /// a correction asked. `None` on a turn that touched none.
    pub happened: Option<Happened>,
    /// A short reply acknowledging the visitor, in the visit's language:
    /// "Thanks, Ana — we'll be in touch." when the turn's details made or
    /// updated a lead, "No problem." when they declined. Send it before the
    /// answer, or in place of a fallback answer when the message held no
    /// question ("ana@example.com" alone, "no thanks"). `None` when the
    /// prompt speaks instead (a correction, a request for what is missing).
    pub acknowledgement: Option<Acknowledgement>,
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

/// What an engine shares between its clones. Its fields mirror
/// [`EngineBuilder`]'s, which holds the same things before they are
/// checked (an optional store, a window still to be defaulted).
struct Inner {
    store: Arc<dyn Store>,
    analyzer: Arc<dyn TurnAnalyzer>,
    policies: Arc<dyn PolicySource>,
    /// The default policy source, when the integrator gave none.
    stored_settings: Option<Arc<StoredSettings>>,
    catalogs: HashMap<Locale, MessageCatalog>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdSource>,
    verifier: Option<VisitorVerifier>,
    default_region: Option<PhoneRegion>,
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

    /// How many visitor turns a conversation has had: from this engine's
    /// cache when it holds the conversation, else from the store (and the
    /// state read is cached for the turn that usually follows, so a check
    /// before a turn costs no extra read).
    pub async fn user_turns(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
    ) -> Result<u32, Error> {
        let inner = &self.inner;
        let key = (workspace, conversation);
        if let Some(state) = inner.states.get(key) {
            return Ok(state.conversation.user_turns());
        }
        let Some(state) = inner.store.load_state(workspace, conversation).await? else {
            return Ok(0);
        };
        let turns = state.conversation.user_turns();
        inner.states.put(key, state);
        Ok(turns)
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

    /// The prompt for `action` in `locale`: the bot's custom ask message
    /// for that language in place of the built-in request text when it has
    /// one and fields are asked for (followed by the consent notice when
    /// consent is asked), else the catalog's text (a request for consent
    /// alone, a correction).
    fn render(&self, locale: Locale, action: &Action, settings: &TurnSettings) -> Option<String> {
        let consent_text = &settings.policy.consent.text;
        let catalog = self.catalog(locale)?;
        match (action, settings.ask_message(locale)) {
            (Action::AnswerAndAsk(request) | Action::Gate(request), Some(custom))
                if !request.fields.all().is_empty() =>
            {
                let mut text = custom.trim().to_owned();
                if request.consent {
                    text.push(' ');
                    text.push_str(&catalog.consent.replace("{consent}", consent_text.trim()));
                }
                Some(text)
            }
            _ => catalog.render(action, consent_text),
        }
    }

    /// The messages of `locale`, or English ones.
    fn catalog(&self, locale: Locale) -> Option<&MessageCatalog> {
        self.inner
            .catalogs
            .get(&locale)
            .or_else(|| self.inner.catalogs.get(&Locale::English))
    }
}
