//! Stored settings, the changes that made them, and how the change history
//! is read.

use chrono::{DateTime, Utc};
use leadkit_core::{BotId, Pii};

use super::{BotSettings, SettingsError, has_control};

/// The longest actor accepted, in bytes.
pub const MAX_ACTOR_LEN: usize = 256;
/// The most changes one history read returns.
pub const MAX_HISTORY_PAGE: u32 = 500;

/// A bot's stored settings and their version.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct StoredBotSettings {
    /// The bot.
    pub bot: BotId,
    /// The settings.
    pub settings: BotSettings,
    /// 1 after the first save, one more after each change.
    pub version: u64,
    /// When they were last changed.
    pub updated_at: DateTime<Utc>,
}

impl StoredBotSettings {
    /// Stored settings.
    pub fn new(bot: BotId, settings: BotSettings, version: u64, updated_at: DateTime<Utc>) -> Self {
        Self {
            bot,
            settings,
            version,
            updated_at,
        }
    }
}

/// A change to save: the new settings, who makes it and when.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SettingsUpdate {
    /// The new settings (validated by the store before anything is written).
    pub settings: BotSettings,
    /// Who makes the change: a dashboard user's name or email, an API
    /// key's label, `"integrator"` … It can be personal data, so it is held
    /// as [`Pii`] (redacted in `Debug`) and never logged.
    pub actor: Pii<String>,
    /// When.
    pub at: DateTime<Utc>,
}

impl SettingsUpdate {
    /// A change by `actor` at `at`.
    pub fn new(settings: BotSettings, actor: impl Into<String>, at: DateTime<Utc>) -> Self {
        Self {
            settings,
            actor: Pii::new(actor.into()),
            at,
        }
    }

    /// Checks the settings and the actor (1 to [`MAX_ACTOR_LEN`] bytes, not
    /// blank, no control character).
    pub fn validate(&self) -> Result<(), SettingsError> {
        let actor = self.actor.expose();
        if actor.trim().is_empty() || actor.len() > MAX_ACTOR_LEN || has_control(actor, false) {
            return Err(SettingsError::InvalidActor);
        }
        self.settings.validate()
    }
}

/// One recorded change, for the audit trail: who, when, the settings
/// before (`None` for the first save) and after.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SettingsChange {
    /// The bot.
    pub bot: BotId,
    /// The version this change made (1 for the first save).
    pub version: u64,
    /// When.
    pub at: DateTime<Utc>,
    /// Who (redacted in `Debug`; see [`SettingsUpdate::actor`]).
    pub actor: Pii<String>,
    /// The settings before the change; `None` when there were none stored.
    pub old: Option<BotSettings>,
    /// The settings after it.
    pub new: BotSettings,
}

impl SettingsChange {
    /// A recorded change.
    pub fn new(
        bot: BotId,
        version: u64,
        at: DateTime<Utc>,
        actor: Pii<String>,
        old: Option<BotSettings>,
        new: BotSettings,
    ) -> Self {
        Self {
            bot,
            version,
            at,
            actor,
            old,
            new,
        }
    }
}

/// Which changes of a bot's history to read: newest first, at most
/// `limit`, optionally only those older than a version (the next page
/// starts before the last version of this one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct HistoryQuery {
    /// At most this many changes (1 to [`MAX_HISTORY_PAGE`]; default 50).
    pub limit: u32,
    /// Only changes with a version below this one.
    pub before_version: Option<u64>,
}

impl Default for HistoryQuery {
    fn default() -> Self {
        Self {
            limit: 50,
            before_version: None,
        }
    }
}

impl HistoryQuery {
    /// The newest 50 changes.
    pub fn new() -> Self {
        Self::default()
    }

    /// At most `limit` changes (clamped to 1 ..= [`MAX_HISTORY_PAGE`]).
    #[must_use]
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = limit.clamp(1, MAX_HISTORY_PAGE);
        self
    }

    /// Only changes older than `version`.
    #[must_use]
    pub fn before(mut self, version: u64) -> Self {
        self.before_version = Some(version);
        self
    }

    /// The limit, clamped, as a count.
    pub fn effective_limit(&self) -> usize {
        self.limit.clamp(1, MAX_HISTORY_PAGE) as usize
    }
}
