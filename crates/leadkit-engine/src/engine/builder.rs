//! Building an [`Engine`]: the store it needs, and every default it can
//! change.

use std::collections::HashMap;
use std::sync::Arc;

use leadkit_llm::{IntentAnalyzer, TurnAnalyzer};
use leadkit_store::{BotSettings, Store};
use tokio::sync::broadcast;

use super::state_cache::StateCache;
use super::{
    Clock, DEFAULT_SETTINGS_MAX_AGE, Engine, IdSource, Inner, PhoneRegion, PolicySource, RandomIds,
    StoredSettings, SystemClock, VisitorVerifier,
};
use crate::Error;
use crate::messages::{Locale, MessageCatalog};

/// Builds an [`Engine`]. Only the store is required.
#[must_use]
pub struct EngineBuilder {
    store: Option<Arc<dyn Store>>,
    analyzer: Arc<dyn TurnAnalyzer>,
    /// `None`: [`StoredSettings`] on the store.
    policies: Option<Arc<dyn PolicySource>>,
    default_settings: BotSettings,
    settings_max_age: std::time::Duration,
    catalogs: HashMap<Locale, MessageCatalog>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdSource>,
    verifier: Option<VisitorVerifier>,
    default_region: Option<PhoneRegion>,
    custom_analyzer: bool,
    transcript_window: Option<usize>,
    conflict_retries: u32,
    cached_states: usize,
}

impl EngineBuilder {
    pub(super) fn new() -> Self {
        Self {
            store: None,
            analyzer: Arc::new(IntentAnalyzer::new()),
            policies: None,
            default_settings: BotSettings::collecting(),
            settings_max_age: DEFAULT_SETTINGS_MAX_AGE,
            catalogs: Locale::ALL
                .into_iter()
                .map(|locale| (locale, MessageCatalog::builtin(locale)))
                .collect(),
            clock: Arc::new(SystemClock),
            ids: Arc::new(RandomIds),
            verifier: None,
            default_region: None,
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

    /// The analyzer (default: [`IntentAnalyzer`], the trained intent model
    /// embedded in leadkit-llm, offline; contact details come from
    /// leadkit-contact).
    pub fn analyzer(mut self, analyzer: Arc<dyn TurnAnalyzer>) -> Self {
        self.analyzer = analyzer;
        self.custom_analyzer = true;
        self
    }

    /// Where per-bot policies come from, in place of the default: each
    /// bot's settings in the store ([`StoredSettings`], see
    /// [`default_settings`](Self::default_settings) and
    /// [`settings_max_age`](Self::settings_max_age)). With a source of
    /// your own (such as [`StaticPolicies`](super::StaticPolicies)), stored
    /// settings are ignored.
    pub fn policies(mut self, policies: Arc<dyn PolicySource>) -> Self {
        self.policies = Some(policies);
        self
    }

    /// The settings of a bot that has none stored (default:
    /// [`BotSettings::collecting`], lead collection on, asking with the
    /// answer to the first query, which is how an engine behaved before
    /// settings were stored; pass [`BotSettings::off`] for bots to start
    /// with collection off until the business switches it on). Ignored
    /// with a [`policies`](Self::policies) source of your own.
    pub fn default_settings(mut self, settings: BotSettings) -> Self {
        self.default_settings = settings;
        self
    }

    /// How long a bot's settings read from the store are used before they
    /// are read again (default [`DEFAULT_SETTINGS_MAX_AGE`], 1 second; 0
    /// reads them on every turn). A change saved by another process
    /// applies here from the first turn that starts more than this long
    /// after it; one saved through [`Engine::put_bot_settings`] applies here
    /// at once. Measured on the engine's [`clock`](Self::clock).
    pub fn settings_max_age(mut self, max_age: std::time::Duration) -> Self {
        self.settings_max_age = max_age;
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

    /// The country whose national format is assumed for a phone number
    /// written without its country code, for bots and visits that name
    /// none (default: none). A visit's own region
    /// ([`Visit::with_region`](super::Visit::with_region)) wins over it.
    ///
    /// With no region at all, "020 7946 0958" is not refused as invalid nor
    /// guessed at: the analyzers report it as
    /// [`InvalidReason::NeedsCountryCode`](leadkit_core::InvalidReason::NeedsCountryCode)
    /// and the visitor is asked to add the country code. A guess (from the
    /// message's language, say) would store a wrong number for every
    /// visitor abroad, and a lead with a number nobody can call is worse
    /// than one more question.
    pub fn default_region(mut self, region: PhoneRegion) -> Self {
        self.default_region = Some(region);
        self
    }

    /// How many earlier messages the analyzer sees. The default is 10 for
    /// an analyzer set with [`analyzer`](Self::analyzer) and 0 for the
    /// default [`IntentAnalyzer`], which reads the new message and whether
    /// the conversation's last bot message asked for details (the engine
    /// passes that from the saved state, so the transcript is not loaded at
    /// all).
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

    /// How many times a turn is decided again when another server changed
    /// the conversation's state between this turn's read and its write
    /// (default 3). When the retries run out the turn fails with
    /// [`Error::Store`] holding a version conflict
    /// ([`Error::is_conflict`] is true): nothing was stored, and the visitor's
    /// message can be sent again.
    pub fn conflict_retries(mut self, retries: u32) -> Self {
        self.conflict_retries = retries;
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
        if let Err(error) = self.default_settings.validate() {
            tracing::debug!(%error, "invalid default bot settings");
            return Err(Error::InvalidConfig {
                reason: "the default bot settings are not valid",
            });
        }
        let (policies, stored_settings): (Arc<dyn PolicySource>, _) = match self.policies {
            Some(policies) => (policies, None),
            None => {
                let stored = Arc::new(
                    StoredSettings::new(Arc::clone(&store), Arc::clone(&self.clock))
                        .default_settings(self.default_settings)
                        .max_age(self.settings_max_age),
                );
                (Arc::clone(&stored) as Arc<dyn PolicySource>, Some(stored))
            }
        };
        let (events, _) = broadcast::channel(256);
        Ok(Engine {
            inner: Arc::new(Inner {
                store,
                analyzer: self.analyzer,
                policies,
                stored_settings,
                catalogs: self.catalogs,
                clock: self.clock,
                ids: self.ids,
                verifier: self.verifier,
                default_region: self.default_region,
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
