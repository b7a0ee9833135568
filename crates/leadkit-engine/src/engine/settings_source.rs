//! The default [`PolicySource`]: each bot's settings as stored through
//! [`BotSettingsStore`](leadkit_store::BotSettingsStore), cached per bot
//! for a bounded time.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, PoisonError};

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use leadkit_core::{BotId, Policy, WorkspaceId};
use leadkit_store::{BotSettings, PhoneRegion, Store};

use super::{Clock, PolicySource};
use crate::Error;
use crate::messages::Locale;

/// How long the engine trusts a bot's settings it read from the store
/// before reading them again, by default (1 second): a person who switches
/// a bot's mode on one server and then chats through another sees the new
/// mode, while a busy bot costs each process one settings read a second
/// rather than one per turn.
pub const DEFAULT_SETTINGS_MAX_AGE: std::time::Duration = std::time::Duration::from_secs(1);

/// How many bots' settings the engine keeps in memory, by default.
pub const DEFAULT_CACHED_SETTINGS: usize = 10_000;

/// What a turn sees of its bot's settings: the policy, and what else the
/// settings say about the bot's messages and phone numbers.
///
/// A [`PolicySource`] that knows only policies gives a policy with no
/// custom message, region or language ([`TurnSettings::from_policy`]).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TurnSettings {
    /// The lead-capture policy.
    pub policy: Policy,
    /// Messages that replace the built-in request text, per language.
    pub ask_messages: BTreeMap<Locale, String>,
    /// The region national phone numbers are read in, if the bot has one.
    pub phone_region: Option<PhoneRegion>,
    /// The bot's language, used when the visit does not give one
    /// ([`Visit::with_locale`](super::Visit::with_locale)); `None`: English.
    pub language: Option<Locale>,
}

impl TurnSettings {
    /// A policy alone.
    pub fn from_policy(policy: Policy) -> Self {
        Self {
            policy,
            ask_messages: BTreeMap::new(),
            phone_region: None,
            language: None,
        }
    }

    /// Stored settings, through [`BotSettings::policy`].
    pub fn from_settings(settings: &BotSettings) -> Self {
        Self {
            policy: settings.policy(),
            ask_messages: settings.ask_messages.clone(),
            phone_region: settings.phone_region,
            language: Some(settings.language),
        }
    }

    /// The custom ask message for `locale`, if any.
    pub fn ask_message(&self, locale: Locale) -> Option<&str> {
        self.ask_messages.get(&locale).map(String::as_str)
    }
}

/// Each bot's policy from its settings in the store: the engine's
/// [`PolicySource`] unless the integrator passes another
/// ([`EngineBuilder::policies`](super::EngineBuilder::policies)).
///
/// **Staleness.** Settings read from the store are kept per bot for at
/// most `max_age` ([`DEFAULT_SETTINGS_MAX_AGE`], changed with
/// [`EngineBuilder::settings_max_age`](super::EngineBuilder::settings_max_age)),
/// measured on the engine's [`Clock`]. So a change saved by any process
/// that shares the store applies on every engine from its first turn that
/// starts more than `max_age` after the save, at the latest. A change made
/// through [`Engine::put_bot_settings`](super::Engine::put_bot_settings)
/// applies on that engine from its very next turn. A `max_age` of zero
/// reads the store on every turn.
///
/// **Default.** A bot with no stored settings gets the default settings
/// ([`BotSettings::collecting`] unless changed with
/// [`EngineBuilder::default_settings`](super::EngineBuilder::default_settings)).
/// "No stored settings" is cached like stored settings are.
pub struct StoredSettings {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    default: BotSettings,
    max_age: Duration,
    capacity: usize,
    cache: Mutex<HashMap<(WorkspaceId, BotId), Cached>>,
}

struct Cached {
    read_at: DateTime<Utc>,
    settings: Option<BotSettings>,
}

impl std::fmt::Debug for StoredSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredSettings")
            .field("default", &self.default)
            .field("max_age", &self.max_age)
            .field("capacity", &self.capacity)
            .finish_non_exhaustive()
    }
}

impl StoredSettings {
    /// Settings from `store`, timed by `clock`, with the default settings
    /// and bounds of an engine.
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        Self {
            store,
            clock,
            default: BotSettings::collecting(),
            max_age: Duration::from_std(DEFAULT_SETTINGS_MAX_AGE).unwrap_or(Duration::MAX),
            capacity: DEFAULT_CACHED_SETTINGS,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// The settings of a bot with none stored.
    #[must_use]
    pub fn default_settings(mut self, settings: BotSettings) -> Self {
        self.default = settings;
        self
    }

    /// How long settings read from the store are trusted (see the type's
    /// docs). Longer than about 290 000 years counts as forever.
    #[must_use]
    pub fn max_age(mut self, max_age: std::time::Duration) -> Self {
        self.max_age = Duration::from_std(max_age).unwrap_or(Duration::MAX);
        self
    }

    /// How many bots' settings are kept in memory (0 keeps none and reads
    /// the store on every turn). When the cache is full, expired entries
    /// are dropped, and if none expired, all of them.
    #[must_use]
    pub fn capacity(mut self, bots: usize) -> Self {
        self.capacity = bots;
        self
    }

    /// The default settings for bots with none stored.
    pub fn defaults(&self) -> &BotSettings {
        &self.default
    }

    /// The settings the bot's turns use now: the stored ones, or the
    /// default; from the cache while it is fresh.
    pub async fn effective(
        &self,
        workspace: WorkspaceId,
        bot: BotId,
    ) -> Result<BotSettings, Error> {
        let now = self.clock.now();
        let key = (workspace, bot);
        if let Some(hit) = self.lock().get(&key)
            && self.fresh(hit, now)
        {
            return Ok(hit.settings.clone().unwrap_or_else(|| self.default.clone()));
        }
        let stored = self
            .store
            .bot_settings(workspace, bot)
            .await?
            .map(|s| s.settings);
        self.remember(key, stored.clone(), now);
        Ok(stored.unwrap_or_else(|| self.default.clone()))
    }

    /// Forgets a bot's cached settings: its next turn reads the store.
    pub fn forget(&self, workspace: WorkspaceId, bot: BotId) {
        self.lock().remove(&(workspace, bot));
    }

    /// Remembers settings just saved, as read now.
    pub(super) fn remember(
        &self,
        key: (WorkspaceId, BotId),
        settings: Option<BotSettings>,
        now: DateTime<Utc>,
    ) {
        if self.capacity == 0 {
            return;
        }
        let mut cache = self.lock();
        if cache.len() >= self.capacity && !cache.contains_key(&key) {
            cache.retain(|_, cached| self.fresh(cached, now));
            if cache.len() >= self.capacity {
                cache.clear();
            }
        }
        cache.insert(
            key,
            Cached {
                read_at: now,
                settings,
            },
        );
    }

    /// Whether a cached entry may still be used at `now`. An entry read
    /// "in the future" (the clock stepped back) is not trusted.
    fn fresh(&self, cached: &Cached, now: DateTime<Utc>) -> bool {
        cached.read_at <= now && now - cached.read_at < self.max_age
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(WorkspaceId, BotId), Cached>> {
        // The map holds only copies of stored data: a panic elsewhere
        // cannot leave it inconsistent.
        self.cache.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[async_trait]
impl PolicySource for StoredSettings {
    async fn policy(&self, workspace: WorkspaceId, bot: BotId) -> Result<Policy, Error> {
        Ok(self.effective(workspace, bot).await?.policy())
    }

    async fn turn_settings(
        &self,
        workspace: WorkspaceId,
        bot: BotId,
    ) -> Result<TurnSettings, Error> {
        Ok(TurnSettings::from_settings(
            &self.effective(workspace, bot).await?,
        ))
    }
}
