//! Shared set-up for the engine tests: an engine on the in-memory store with
//! a manual clock, sequential ids and a visitor verifier.
#![allow(dead_code, unreachable_pub)]

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use leadkit_core::{BotId, ConversationId, Policy, WorkspaceId};
use leadkit_engine::engine::{
    Engine, ManualClock, SequentialIds, StaticPolicies, Visit, VisitorVerifier,
};
use leadkit_store::MemoryStore;

pub const WORKSPACE: WorkspaceId = WorkspaceId::from_u128(1);
pub const BOT: BotId = BotId::from_u128(2);
pub const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

pub struct Setup {
    pub engine: Engine,
    pub store: Arc<MemoryStore>,
    pub clock: Arc<ManualClock>,
}

pub fn setup(policy: Policy) -> Setup {
    let store = Arc::new(MemoryStore::new());
    let clock = Arc::new(ManualClock::new(
        DateTime::<Utc>::UNIX_EPOCH + Duration::days(20_000),
    ));
    let engine = Engine::builder()
        .store(store.clone())
        .policies(Arc::new(StaticPolicies::new(policy)))
        .clock(clock.clone())
        .ids(Arc::new(SequentialIds::new()))
        .visitor_verifier(VisitorVerifier::new(SECRET.to_vec()).unwrap())
        .build()
        .unwrap();
    Setup {
        engine,
        store,
        clock,
    }
}

pub fn visit(conversation: u128) -> Visit {
    Visit::new(WORKSPACE, BOT, ConversationId::from_u128(conversation))
}

impl Setup {
    pub async fn turn(&self, visit: &Visit, text: &str) -> leadkit_engine::engine::TurnReply {
        self.clock.advance(Duration::seconds(5));
        let reply = self.engine.user_message(visit, text).await.unwrap();
        self.clock.advance(Duration::seconds(1));
        self.engine
            .assistant_message(visit, "(the bot's answer)")
            .await
            .unwrap();
        reply
    }
}
