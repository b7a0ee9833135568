//! Conversation state (compare-and-swap) and a turn's atomic persistence.

use std::sync::Arc;

use leadkit_core::{
    BotId, ContactDetails, Conversation, ConversationId, LeadId, Policy, Signals, UserTurn,
};

use super::{fresh_workspace, ok, t0};
use crate::{Error, LeadQuery, LeadUpsert, Role, Store, TranscriptMessage, TurnWrite};

pub(crate) async fn run(store: &Arc<dyn Store>) {
    compare_and_swap(store.as_ref()).await;
    persist_turn(store.as_ref()).await;
    concurrent_saves(store).await;
}

fn advanced() -> Conversation {
    let mut conversation = Conversation::new();
    let policy = Policy::after_first_query();
    let _ = conversation
        .handle_user_turn(&policy, UserTurn::new(t0(), Signals::none()))
        .expect("a valid first turn");
    conversation
}

async fn compare_and_swap(store: &dyn Store) {
    let ws = fresh_workspace();
    let c = ConversationId::from_u128(ws.as_uuid().as_u128() ^ 1);
    assert_eq!(ok(store.load_state(ws, c).await, "load empty"), None);
    assert_eq!(
        ok(
            store.save_state(ws, c, &Conversation::new(), None).await,
            "create"
        ),
        1
    );
    let result = store.save_state(ws, c, &Conversation::new(), None).await;
    assert!(
        matches!(
            result,
            Err(Error::VersionConflict {
                expected: None,
                found: Some(1)
            })
        ),
        "second create conflicts: {result:?}"
    );
    let state = advanced();
    assert_eq!(
        ok(store.save_state(ws, c, &state, Some(1)).await, "update"),
        2
    );
    let result = store.save_state(ws, c, &Conversation::new(), Some(1)).await;
    assert!(
        matches!(
            result,
            Err(Error::VersionConflict {
                expected: Some(1),
                found: Some(2)
            })
        ),
        "stale update conflicts: {result:?}"
    );
    let loaded = ok(store.load_state(ws, c).await, "load").expect("saved");
    assert_eq!(loaded.version, 2);
    assert_eq!(
        loaded.conversation, state,
        "the stale write was not applied"
    );
    let missing = ConversationId::from_u128(ws.as_uuid().as_u128() ^ 2);
    let result = store.save_state(ws, missing, &state, Some(3)).await;
    assert!(matches!(
        result,
        Err(Error::VersionConflict {
            expected: Some(3),
            found: None
        })
    ));
}

async fn persist_turn(store: &dyn Store) {
    let ws = fresh_workspace();
    let c = ConversationId::from_u128(ws.as_uuid().as_u128() ^ 1);
    let bot = BotId::from_u128(ws.as_uuid().as_u128() ^ 2);
    let lead_id = LeadId::from_u128(ws.as_uuid().as_u128() ^ 3);
    let turn = TurnWrite::new(c, advanced(), None)
        .message(TranscriptMessage::new(
            c,
            bot,
            Role::Visitor,
            "I'm ana@example.com",
            t0(),
        ))
        .message(TranscriptMessage::new(
            c,
            bot,
            Role::Assistant,
            "Thanks!",
            t0(),
        ))
        .lead(LeadUpsert::new(
            lead_id,
            bot,
            ContactDetails::new().with_email("ana@example.com"),
            t0(),
        ));
    let receipt = ok(store.persist_turn(ws, &turn).await, "persist_turn");
    assert_eq!(receipt.version, 1);
    let lead = receipt.lead.expect("a lead upserted");
    assert!(lead.created);
    assert_eq!(
        ok(store.conversation_messages(ws, c).await, "lines"),
        turn.messages
    );
    assert_eq!(
        ok(store.lead_conversations(ws, lead_id).await, "links"),
        vec![c]
    );
    assert_eq!(
        ok(store.load_state(ws, c).await, "state").map(|s| (s.version, s.conversation)),
        Some((1, turn.state.clone()))
    );

    // A stale turn writes nothing at all: no line, no lead, no state.
    let stale = TurnWrite::new(c, Conversation::new(), None)
        .message(TranscriptMessage::new(c, bot, Role::Visitor, "again", t0()))
        .lead(LeadUpsert::new(
            LeadId::from_u128(ws.as_uuid().as_u128() ^ 4),
            bot,
            ContactDetails::new().with_email("bob@example.com"),
            t0(),
        ));
    let result = store.persist_turn(ws, &stale).await;
    assert!(
        matches!(result, Err(Error::VersionConflict { .. })),
        "stale turn: {result:?}"
    );
    assert_eq!(
        ok(store.conversation_messages(ws, c).await, "lines").len(),
        2
    );
    assert_eq!(
        ok(store.count_leads(ws, &LeadQuery::new()).await, "leads"),
        1
    );
    // A turn without a lead.
    let next = TurnWrite::new(c, advanced(), Some(1)).message(TranscriptMessage::new(
        c,
        bot,
        Role::Visitor,
        "more",
        t0(),
    ));
    let receipt = ok(store.persist_turn(ws, &next).await, "second turn");
    assert_eq!((receipt.version, receipt.lead), (2, None));
    // An invalid lead fails the whole turn.
    let bad = TurnWrite::new(c, Conversation::new(), Some(2))
        .message(TranscriptMessage::new(c, bot, Role::Visitor, "x", t0()))
        .lead(LeadUpsert::new(
            lead_id,
            bot,
            ContactDetails::new().with_name("no key"),
            t0(),
        ));
    assert!(matches!(
        store.persist_turn(ws, &bad).await,
        Err(Error::InvalidInput { .. })
    ));
    assert_eq!(
        ok(store.conversation_messages(ws, c).await, "lines").len(),
        3
    );
    assert_eq!(
        ok(store.load_state(ws, c).await, "state").map(|s| s.version),
        Some(2)
    );
}

async fn concurrent_saves(store: &Arc<dyn Store>) {
    // Eight servers race to save over the same version: exactly one wins.
    let ws = fresh_workspace();
    let c = ConversationId::from_u128(ws.as_uuid().as_u128() ^ 1);
    ok(
        store.save_state(ws, c, &Conversation::new(), None).await,
        "create",
    );
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let store = Arc::clone(store);
        tasks.push(tokio::spawn(async move {
            store.save_state(ws, c, &advanced(), Some(1)).await
        }));
    }
    let mut won = 0;
    for task in tasks {
        match task.await.expect("task did not panic") {
            Ok(version) => {
                assert_eq!(version, 2);
                won += 1;
            }
            Err(Error::VersionConflict { .. }) => {}
            Err(other) => panic!("unexpected error: {other:?}"),
        }
    }
    assert_eq!(won, 1, "exactly one concurrent save wins");
}
