//! Turns on one conversation that race with another server's: the engine
//! decides again on the fresh state, up to its `conflict_retries`, and then
//! fails with an error that says so and stores nothing.
#![allow(clippy::unwrap_used)] // test code: a panic is a failed test

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use chrono::{DateTime, Duration, Utc};
use leadkit_core::{Policy, Signals, UserTurn};
use leadkit_engine::engine::{Clock, StaticPolicies};
use leadkit_engine::{Engine, Visit};
use leadkit_store::{ConversationStateStore, MemoryStore, TranscriptStore};

mod common;
use common::visit;

/// A clock that, each time it is read while it has races left, lets
/// "another server" handle a turn of the same conversation: it saves the
/// state one turn further, between the engine's load and its write. The
/// in-memory store's futures finish without waiting, so they are polled in
/// place.
struct RacingClock {
    store: Arc<MemoryStore>,
    visit: Visit,
    races: AtomicU32,
}

fn ready<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    match future.as_mut().poll(&mut context) {
        std::task::Poll::Ready(output) => output,
        std::task::Poll::Pending => panic!("the in-memory store never waits"),
    }
}

impl Clock for RacingClock {
    fn now(&self) -> DateTime<Utc> {
        let now = DateTime::<Utc>::UNIX_EPOCH + Duration::days(20_000);
        let raced = self
            .races
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok();
        if raced {
            let (ws, conv) = (self.visit.workspace, self.visit.conversation);
            let saved = ready(self.store.load_state(ws, conv)).unwrap().unwrap();
            let mut conversation = saved.conversation;
            let turn = UserTurn::new(now, Signals::none());
            let _ = conversation
                .handle_user_turn(&Policy::every_reply(), turn)
                .unwrap();
            ready(
                self.store
                    .save_state(ws, conv, &conversation, Some(saved.version)),
            )
            .unwrap();
        }
        now
    }
}

fn racing_engine(
    conversation: u128,
    retries: Option<u32>,
) -> (Engine, Arc<MemoryStore>, Arc<RacingClock>, Visit) {
    let store = Arc::new(MemoryStore::new());
    let v = visit(conversation);
    let clock = Arc::new(RacingClock {
        store: store.clone(),
        visit: v.clone(),
        races: AtomicU32::new(0),
    });
    let mut builder = Engine::builder()
        .store(store.clone())
        .policies(Arc::new(StaticPolicies::new(Policy::every_reply())))
        .clock(clock.clone());
    if let Some(retries) = retries {
        builder = builder.conflict_retries(retries);
    }
    (builder.build().unwrap(), store, clock, v)
}

#[tokio::test]
async fn a_concurrent_update_makes_the_engine_decide_again_on_the_fresh_state() {
    let (engine, store, clock, v) = racing_engine(51, None);
    assert_eq!(engine.user_message(&v, "first").await.unwrap().turn, 1);
    clock.races.store(1, Ordering::SeqCst);
    // Another server handles turn 2 while this one works on its message:
    // the first write conflicts, the turn is decided again, and becomes 3.
    let reply = engine.user_message(&v, "third").await.unwrap();
    assert_eq!(reply.turn, 3);
    let saved = store
        .load_state(v.workspace, v.conversation)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(saved.conversation.user_turns(), 3);
    assert_eq!(saved.version, 3);
}

#[tokio::test]
async fn conflicts_past_the_retries_fail_as_conflicts_and_store_nothing() {
    let (engine, store, clock, v) = racing_engine(52, Some(2));
    engine.user_message(&v, "first").await.unwrap();
    // The cached state's conflict is free; then two retries; the fourth
    // decision conflicts once more and the turn gives up.
    clock.races.store(4, Ordering::SeqCst);
    let error = engine.user_message(&v, "lost").await.unwrap_err();
    assert!(error.is_conflict(), "{error:?}");
    let lines = store
        .conversation_messages(v.workspace, v.conversation)
        .await
        .unwrap();
    assert_eq!(lines.len(), 1, "only the first turn's line is stored");
    let saved = store
        .load_state(v.workspace, v.conversation)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        saved.conversation.user_turns(),
        5,
        "1 turn + 4 races, not the lost one"
    );

    // The failed turn dropped its cached state, so the next turn reads the
    // stored one: two races are what two retries absorb.
    clock.races.store(2, Ordering::SeqCst);
    let reply = engine.user_message(&v, "kept").await.unwrap();
    assert_eq!(reply.turn, 8);
}

#[tokio::test]
async fn no_retries_means_the_first_conflict_fails() {
    let (engine, _store, clock, v) = racing_engine(53, Some(0));
    engine.user_message(&v, "first").await.unwrap();
    clock.races.store(2, Ordering::SeqCst);
    assert!(
        engine
            .user_message(&v, "lost")
            .await
            .unwrap_err()
            .is_conflict()
    );
}
