//! The engine's cache of conversation states: a cached conversation's turn
//! reads nothing before it writes, and a cached state that is no longer the
//! stored one (another server, an erasure) is never written back.
#![allow(clippy::unwrap_used)] // test code: a panic is a failed test

mod common;

use std::sync::{Arc, Mutex};

use common::{Setup, WORKSPACE, setup, visit};
use leadkit_core::{ActionKind, Policy};
use leadkit_engine::engine::{Engine, StaticPolicies, Visit};
use leadkit_store::{
    ConversationStateStore, LeadQuery, LeadStore, MockStore, Store, TranscriptStore, TurnReceipt,
    VersionedState,
};

/// A mock store that answers turns like a real one (versions 1, 2, …) and
/// records the versions each turn expected; `load_state` finds nothing.
fn counting_store(expected: Arc<Mutex<Vec<Option<u64>>>>, loads: usize) -> MockStore {
    let mut store = MockStore::new();
    store
        .expect_load_state()
        .times(loads)
        .returning(|_, _| Ok(None));
    store.expect_persist_turn().returning(move |_, turn| {
        expected.lock().unwrap().push(turn.expected_version);
        Ok(TurnReceipt::new(
            turn.expected_version.unwrap_or(0) + 1,
            None,
        ))
    });
    store
}

fn engine_on(store: Arc<dyn Store>, cached_states: usize) -> Engine {
    Engine::builder()
        .store(store)
        .policies(Arc::new(StaticPolicies::new(Policy::on_interest())))
        .cached_states(cached_states)
        .build()
        .unwrap()
}

/// The state stored for `v`'s conversation (which must have one).
async fn stored_state(s: &Setup, v: &Visit) -> VersionedState {
    s.store
        .load_state(WORKSPACE, v.conversation)
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn a_cached_conversation_reads_its_state_once() {
    let expected = Arc::new(Mutex::new(Vec::new()));
    // `times(1)`: the mock fails the test on a second read.
    let engine = engine_on(Arc::new(counting_store(expected.clone(), 1)), 100);
    let v = visit(1);
    for (n, text) in ["hello", "what does it cost?", "thanks"]
        .into_iter()
        .enumerate()
    {
        assert_eq!(
            engine.user_message(&v, text).await.unwrap().turn,
            n as u32 + 1
        );
    }
    assert_eq!(*expected.lock().unwrap(), [None, Some(1), Some(2)]);
}

#[tokio::test]
async fn without_a_cache_every_turn_reads_its_state() {
    let expected = Arc::new(Mutex::new(Vec::new()));
    let engine = engine_on(Arc::new(counting_store(expected.clone(), 3)), 0);
    let v = visit(1);
    for text in ["hello", "what does it cost?", "thanks"] {
        let _ = engine.user_message(&v, text).await.unwrap();
    }
    // The mock's state never advances, so each turn expects none.
    assert_eq!(*expected.lock().unwrap(), [None, None, None]);
}

#[tokio::test]
async fn two_servers_with_their_own_caches_lose_no_turn() {
    let s = setup(Policy::every_reply());
    let other = engine_on(s.store.clone(), 100);
    let v = visit(2);
    for n in 1..=8u32 {
        // Alternate servers: each one's cached state is stale every time.
        let server = if n % 2 == 0 { &other } else { &s.engine };
        assert_eq!(
            server
                .user_message(&v, "and another thing")
                .await
                .unwrap()
                .turn,
            n
        );
    }
    let saved = stored_state(&s, &v).await;
    assert_eq!((saved.version, saved.conversation.user_turns()), (8, 8));
}

#[tokio::test]
async fn an_erased_lead_never_comes_back_from_another_servers_cache() {
    let s = setup(Policy::after_first_query());
    let other = engine_on(s.store.clone(), 100);
    let v = visit(3);
    let _ = s.turn(&v, "Hi, what are your opening hours?").await;
    let captured = s.turn(&v, "I'm Ana Souza, ana.souza@example.com").await;
    let lead = captured.lead.unwrap();
    // This server's cache now holds the state with Ana's details. The lead
    // is erased on another server, where the visitor goes on chatting …
    other.erase_lead(WORKSPACE, lead.id).await.unwrap();
    for text in ["hello again", "do you ship to Portugal?"] {
        let _ = other.user_message(&v, text).await.unwrap();
    }
    // … and then comes back to this one.
    let reply = s.turn(&v, "and to Spain?").await;
    assert_eq!(
        reply.turn, 3,
        "the conversation started over at the erasure"
    );
    assert!(reply.lead.is_none());
    let saved = stored_state(&s, &v).await;
    assert!(
        saved.conversation.details().is_empty(),
        "erased details came back"
    );
    assert_eq!(
        s.store
            .count_leads(WORKSPACE, &LeadQuery::new())
            .await
            .unwrap(),
        0
    );
    let lines = s
        .store
        .conversation_messages(WORKSPACE, v.conversation)
        .await
        .unwrap();
    assert!(
        lines
            .iter()
            .all(|line| !line.text.expose().contains("ana.souza"))
    );
}

#[tokio::test]
async fn erasing_on_this_server_drops_the_cached_states() {
    let expected = Arc::new(Mutex::new(Vec::new()));
    // Read once for the first turn, and again after the erasure.
    let mut store = counting_store(expected.clone(), 2);
    let lead = leadkit_core::LeadId::from_u128(9);
    let v = visit(4);
    let conversation = v.conversation;
    store
        .expect_lead_conversations()
        .returning(move |_, _| Ok(vec![conversation]));
    store.expect_erase_lead().times(1).returning(|_, _| Ok(()));
    let engine = engine_on(Arc::new(store), 100);
    let _ = engine.user_message(&v, "hello").await.unwrap();
    let _ = engine.user_message(&v, "hello?").await.unwrap();
    engine.erase_lead(WORKSPACE, lead).await.unwrap();
    let reply = engine.user_message(&v, "anyone?").await.unwrap();
    assert_eq!(reply.kind(), ActionKind::Answer);
    assert_eq!(*expected.lock().unwrap(), [None, Some(1), None]);
}
