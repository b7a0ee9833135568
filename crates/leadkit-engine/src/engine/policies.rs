//! Where the engine gets each bot's policy from.

use std::collections::HashMap;

use async_trait::async_trait;
use leadkit_core::{BotId, Policy, WorkspaceId};

use super::TurnSettings;
use crate::Error;

/// A source of per-bot lead-capture policies (a configuration file, a
/// database table …). Asked on every turn, so a change applies at once.
///
/// The engine's default is [`StoredSettings`](super::StoredSettings), the
/// settings each bot has in the store; [`StaticPolicies`] holds them in
/// the integrator's code.
#[async_trait]
pub trait PolicySource: Send + Sync + 'static {
    /// The policy of `bot` in `workspace`.
    async fn policy(&self, workspace: WorkspaceId, bot: BotId) -> Result<Policy, Error>;

    /// What a turn of `bot` sees: the policy and, for a source that has
    /// them, the bot's custom ask messages, phone region and language. The
    /// engine calls this once per turn; the default wraps
    /// [`policy`](Self::policy).
    async fn turn_settings(
        &self,
        workspace: WorkspaceId,
        bot: BotId,
    ) -> Result<TurnSettings, Error> {
        Ok(TurnSettings::from_policy(
            self.policy(workspace, bot).await?,
        ))
    }
}

/// Policies held in memory: one per bot, and a default for the others.
#[derive(Debug, Clone, Default)]
pub struct StaticPolicies {
    default: Policy,
    per_bot: HashMap<BotId, Policy>,
}

impl StaticPolicies {
    /// Every bot uses `default` unless given its own.
    pub fn new(default: Policy) -> Self {
        Self {
            default,
            per_bot: HashMap::new(),
        }
    }

    /// With a policy for one bot.
    #[must_use]
    pub fn with_bot(mut self, bot: BotId, policy: Policy) -> Self {
        self.per_bot.insert(bot, policy);
        self
    }
}

#[async_trait]
impl PolicySource for StaticPolicies {
    async fn policy(&self, _workspace: WorkspaceId, bot: BotId) -> Result<Policy, Error> {
        Ok(self.per_bot.get(&bot).unwrap_or(&self.default).clone())
    }
}
