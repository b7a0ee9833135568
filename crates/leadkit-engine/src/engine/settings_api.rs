//! The engine's bot-settings calls: read what a bot's turns use, and save
//! a change that this engine applies from its very next turn.

use leadkit_core::{BotId, WorkspaceId};
use leadkit_store::{BotSettings, SettingsUpdate, StoredBotSettings};

use super::Engine;
use crate::Error;

impl Engine {
    /// The settings `bot`'s turns use now: its stored settings, or the
    /// engine's default when it has none
    /// ([`EngineBuilder::default_settings`](super::EngineBuilder::default_settings)).
    /// With a policy source of the integrator's own, the stored settings
    /// (or the default), which that source does not read.
    pub async fn bot_settings(
        &self,
        workspace: WorkspaceId,
        bot: BotId,
    ) -> Result<BotSettings, Error> {
        match &self.inner.stored_settings {
            Some(source) => source.effective(workspace, bot).await,
            None => Ok(self
                .inner
                .store
                .bot_settings(workspace, bot)
                .await?
                .map_or_else(BotSettings::collecting, |s| s.settings)),
        }
    }

    /// Saves a bot's settings through the store (validated, with the change
    /// recorded; see
    /// [`BotSettingsStore::put_bot_settings`](leadkit_store::BotSettingsStore::put_bot_settings))
    /// and makes this engine use them from its next turn. Other processes
    /// sharing the store apply them within their
    /// [`settings_max_age`](super::EngineBuilder::settings_max_age).
    pub async fn put_bot_settings(
        &self,
        workspace: WorkspaceId,
        bot: BotId,
        update: &SettingsUpdate,
    ) -> Result<StoredBotSettings, Error> {
        let result = self
            .inner
            .store
            .put_bot_settings(workspace, bot, update)
            .await;
        if let Some(source) = &self.inner.stored_settings {
            // Whatever happened (a failed write may still have committed),
            // the next turn reads the store.
            source.forget(workspace, bot);
        }
        let stored = result?;
        // Who made the change is not logged: it may be personal data.
        tracing::info!(
            workspace = %workspace,
            bot = %bot,
            version = stored.version,
            enabled = stored.settings.enabled,
            "bot settings saved"
        );
        Ok(stored)
    }
}
