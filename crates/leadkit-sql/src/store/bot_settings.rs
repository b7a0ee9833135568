//! Bots' settings and their change history on SQL (see migration 0003):
//! the settings as JSON, one row per bot, and one row per change.

use async_trait::async_trait;
use leadkit_core::{BotId, Pii, WorkspaceId};
use leadkit_store::{
    BotSettings, BotSettingsStore, Error as StoreError, HistoryQuery, SettingsChange,
    SettingsUpdate, StoredBotSettings,
};

use super::{Backend, SqlStore, sql, version_of};
use crate::columns::{from_micros, micros};
use crate::error::{backend, corrupt};
use crate::sql_db::{BindParam, Exec, SqlDb};

fn decode(json: &str) -> Result<BotSettings, StoreError> {
    serde_json::from_str(json).map_err(|e| corrupt("bot settings", e))
}

fn int(value: u64) -> Result<i64, StoreError> {
    i64::try_from(value).map_err(|_| StoreError::InvalidInput {
        reason: "a settings version beyond the 64-bit range",
    })
}

// The method signatures repeat `BotSettingsStore`'s (and so the in-memory
// store's impl); the bodies are this store's own SQL.
#[async_trait]
impl<B: Backend> BotSettingsStore for SqlStore<B> {
    async fn bot_settings(
        &self,
        workspace: WorkspaceId,
        bot: BotId,
    ) -> Result<Option<StoredBotSettings>, StoreError> {
        let mut qb = sql::<B::Db>(
            "SELECT version, settings, updated_at FROM bot_settings WHERE workspace_id = ",
        );
        qb.param(*workspace.as_uuid())
            .push(" AND bot_id = ")
            .param(*bot.as_uuid());
        let mut conn = self.backend.pool().acquire().await.map_err(backend)?;
        let Some(row) = B::Db::fetch_optional(qb, &mut conn)
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        let version = version_of(Some(B::Db::int(&row, 0).map_err(backend)?))?.unwrap_or(0);
        let settings = decode(&B::Db::text(&row, 1).map_err(backend)?)?;
        let updated_at = from_micros(B::Db::int(&row, 2).map_err(backend)?)?;
        Ok(Some(StoredBotSettings::new(
            bot, settings, version, updated_at,
        )))
    }

    async fn put_bot_settings(
        &self,
        workspace: WorkspaceId,
        bot: BotId,
        update: &SettingsUpdate,
    ) -> Result<StoredBotSettings, StoreError> {
        update.validate()?;
        let new_json = update.settings.to_json();
        self.retrying("bot settings", || async {
            let mut tx = self.begin_write().await.map_err(backend)?;
            // Locking the bot's row serialises every save of its settings,
            // the first one included (PostgreSQL; SQLite locks the whole
            // database for a write transaction anyway).
            let mut qb = sql::<B::Db>("SELECT name FROM bots WHERE workspace_id = ");
            qb.param(*workspace.as_uuid())
                .push(" AND id = ")
                .param(*bot.as_uuid())
                .push(B::FOR_UPDATE);
            if B::Db::fetch_optional(qb, &mut tx)
                .await
                .map_err(backend)?
                .is_none()
            {
                return Err(StoreError::NotFound { kind: "bot" });
            }
            let mut qb = sql::<B::Db>(
                "SELECT version, settings, updated_at FROM bot_settings WHERE workspace_id = ",
            );
            qb.param(*workspace.as_uuid())
                .push(" AND bot_id = ")
                .param(*bot.as_uuid());
            let old = match B::Db::fetch_optional(qb, &mut tx)
                .await
                .map_err(backend)?
            {
                Some(row) => {
                    let version =
                        version_of(Some(B::Db::int(&row, 0).map_err(backend)?))?.unwrap_or(0);
                    let settings = decode(&B::Db::text(&row, 1).map_err(backend)?)?;
                    let at = from_micros(B::Db::int(&row, 2).map_err(backend)?)?;
                    Some(StoredBotSettings::new(bot, settings, version, at))
                }
                None => None,
            };
            if let Some(old) = &old
                && old.settings == update.settings
            {
                // No change: nothing to write or record.
                return Ok(old.clone());
            }
            let version = old.as_ref().map_or(1, |o| o.version + 1);
            let mut qb = sql::<B::Db>(
                "INSERT INTO bot_settings (workspace_id, bot_id, version, settings, updated_at) VALUES (",
            );
            qb.param(*workspace.as_uuid())
                .push(", ")
                .param(*bot.as_uuid())
                .push(", ")
                .param(int(version)?)
                .push(", ")
                .param(new_json.clone())
                .push(", ")
                .param(micros(update.at))
                .push(
                    ") ON CONFLICT (workspace_id, bot_id) DO UPDATE SET version = excluded.version, \
                     settings = excluded.settings, updated_at = excluded.updated_at",
                );
            B::Db::execute(qb, &mut tx).await.map_err(backend)?;
            let mut qb = sql::<B::Db>(
                "INSERT INTO bot_settings_changes (workspace_id, bot_id, version, changed_at, actor, \
                 old_settings, new_settings) VALUES (",
            );
            qb.param(*workspace.as_uuid())
                .push(", ")
                .param(*bot.as_uuid())
                .push(", ")
                .param(int(version)?)
                .push(", ")
                .param(micros(update.at))
                .push(", ")
                .param(update.actor.expose().clone())
                .push(", ")
                .param(old.as_ref().map(|o| o.settings.to_json()))
                .push(", ")
                .param(new_json.clone())
                .push(")");
            B::Db::execute(qb, &mut tx).await.map_err(backend)?;
            tx.commit().await.map_err(backend)?;
            Ok(StoredBotSettings::new(
                bot,
                update.settings.clone(),
                version,
                update.at,
            ))
        })
        .await
    }

    async fn bot_settings_history(
        &self,
        workspace: WorkspaceId,
        bot: BotId,
        query: &HistoryQuery,
    ) -> Result<Vec<SettingsChange>, StoreError> {
        let mut qb = sql::<B::Db>(
            "SELECT version, changed_at, actor, old_settings, new_settings \
             FROM bot_settings_changes WHERE workspace_id = ",
        );
        qb.param(*workspace.as_uuid())
            .push(" AND bot_id = ")
            .param(*bot.as_uuid());
        if let Some(before) = query.before_version {
            qb.push(" AND version < ")
                .param(i64::try_from(before).unwrap_or(i64::MAX));
        }
        qb.push(" ORDER BY version DESC LIMIT ")
            .param(i64::try_from(query.effective_limit()).unwrap_or(i64::MAX));
        let mut conn = self.backend.pool().acquire().await.map_err(backend)?;
        let rows = B::Db::fetch_all(qb, &mut conn).await.map_err(backend)?;
        rows.iter()
            .map(|row| {
                let version = version_of(Some(B::Db::int(row, 0).map_err(backend)?))?.unwrap_or(0);
                let at = from_micros(B::Db::int(row, 1).map_err(backend)?)?;
                let actor = Pii::new(B::Db::text(row, 2).map_err(backend)?);
                let old = B::Db::opt_text(row, 3)
                    .map_err(backend)?
                    .map(|json| decode(&json))
                    .transpose()?;
                let new = decode(&B::Db::text(row, 4).map_err(backend)?)?;
                Ok(SettingsChange::new(bot, version, at, actor, old, new))
            })
            .collect()
    }
}
