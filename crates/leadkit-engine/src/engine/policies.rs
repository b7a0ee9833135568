//! Where the engine gets each bot's policy from.

use std::collections::HashMap;

use async_trait::async_trait;
use leadkit_core::{BotId, Policy, WorkspaceId};

use crate::Error;

/// A source of per-bot lead-capture policies (a configuration file, a
/// database table …). Asked on every turn, so a change applies at once.
#[async_trait]
pub trait PolicySource: Send + Sync + 'static {
    /// The policy of `bot` in `workspace`.
    async fn policy(&self, workspace: WorkspaceId, bot: BotId) -> Result<Policy, Error>;
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
