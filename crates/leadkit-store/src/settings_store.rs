//! The store of bots' lead-collection settings and their change history.

use async_trait::async_trait;
use leadkit_core::{BotId, WorkspaceId};

use crate::Error;
use crate::bot_settings::{HistoryQuery, SettingsChange, SettingsUpdate, StoredBotSettings};

/// Bots' lead-collection settings, each change recorded for the audit
/// trail. Every method is scoped to one workspace.
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait BotSettingsStore: Send + Sync {
    /// The bot's stored settings; `None` when none were ever saved (the
    /// engine then applies its default, see `EngineBuilder::default_settings`
    /// in leadkit-engine).
    async fn bot_settings(
        &self,
        workspace: WorkspaceId,
        bot: BotId,
    ) -> Result<Option<StoredBotSettings>, Error>;

    /// Saves a bot's settings and records the change (who, when, the old
    /// and new settings) in one transaction, returning what is now stored.
    ///
    /// The update is validated first ([`SettingsUpdate::validate`]): invalid
    /// settings or actor give [`Error::InvalidSettings`] and change
    /// nothing. The bot must be registered ([`BotStore::put_bot`](crate::BotStore::put_bot)),
    /// else [`Error::NotFound`]. Saving the settings already stored is not
    /// a change: nothing is written or recorded.
    async fn put_bot_settings(
        &self,
        workspace: WorkspaceId,
        bot: BotId,
        update: &SettingsUpdate,
    ) -> Result<StoredBotSettings, Error>;

    /// The bot's recorded changes, newest first (see [`HistoryQuery`]).
    async fn bot_settings_history(
        &self,
        workspace: WorkspaceId,
        bot: BotId,
        query: &HistoryQuery,
    ) -> Result<Vec<SettingsChange>, Error>;
}
