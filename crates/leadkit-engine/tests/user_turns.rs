//! `Engine::user_turns`, which `POST /chat`'s turn cap asks before every
//! turn: answered from the engine's state cache (no read of its own on a
//! cached conversation), from the store otherwise.
#![allow(clippy::unwrap_used)] // test code: a panic is a failed test

mod common;

use std::sync::Arc;

use common::{WORKSPACE, setup, visit};
use leadkit_core::Policy;
use leadkit_engine::engine::{Engine, StaticPolicies};
use leadkit_store::{MockStore, Store, TurnReceipt};

fn engine_on(store: Arc<dyn Store>, cached_states: usize) -> Engine {
    Engine::builder()
        .store(store)
        .policies(Arc::new(StaticPolicies::new(Policy::on_interest())))
        .cached_states(cached_states)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_cached_conversation_is_counted_without_a_read() {
    let mut store = MockStore::new();
    // `times(1)`: the first turn's read; a second read fails the test.
    store
        .expect_load_state()
        .times(1)
        .returning(|_, _| Ok(None));
    store.expect_persist_turn().returning(|_, turn| {
        Ok(TurnReceipt::new(
            turn.expected_version.unwrap_or(0) + 1,
            None,
        ))
    });
    let engine = engine_on(Arc::new(store), 100);
    let v = visit(1);
    let _ = engine.user_message(&v, "hello").await.unwrap();
    for n in 1..=3 {
        // What the turn cap asks before each turn.
        assert_eq!(
            engine.user_turns(WORKSPACE, v.conversation).await.unwrap(),
            n
        );
        let _ = engine.user_message(&v, "and another thing").await.unwrap();
    }
}

#[tokio::test]
async fn without_the_state_cached_the_store_answers() {
    let s = setup(Policy::every_reply());
    let v = visit(2);
    assert_eq!(
        s.engine
            .user_turns(WORKSPACE, v.conversation)
            .await
            .unwrap(),
        0
    );
    for _ in 0..3 {
        let _ = s.turn(&v, "hello").await;
    }
    // Another server, with no cache and with a cache it fills, while this
    // one goes on too.
    let mut turns = 3;
    for cached in [0, 100] {
        let other = engine_on(s.store.clone(), cached);
        assert_eq!(
            other.user_turns(WORKSPACE, v.conversation).await.unwrap(),
            turns
        );
        let _ = other.user_message(&v, "more").await.unwrap();
        turns += 1;
        assert_eq!(
            other.user_turns(WORKSPACE, v.conversation).await.unwrap(),
            turns
        );
        let _ = s.turn(&v, "again").await;
        turns += 1;
    }
}
