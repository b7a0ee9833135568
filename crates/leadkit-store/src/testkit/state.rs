//! Conversation state (compare-and-swap) and a turn's atomic persistence.

use std::sync::Arc;

use leadkit_core::{
    BotId, ContactDetails, Conversation, ConversationId, LeadId, Signals, WorkspaceId,
};

use super::{after_one_turn, fresh_workspace, ok, t0};
use crate::{Error, LeadQuery, LeadUpsert, Role, Store, TranscriptMessage, TurnWrite};

fn advanced() -> Conversation {
    after_one_turn(Signals::none())
}

pub(crate) async fn compare_and_swap(store: &dyn Store) {
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

pub(crate) async fn persist_turn(store: &dyn Store) {
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
    // A later turn adds a phone: the same lead, updated and findable by
    // it, its conversation linked once.
    let more = TurnWrite::new(c, advanced(), Some(1))
        .message(line(c, bot, "and +1 415 555 0100"))
        .lead(LeadUpsert::new(
            LeadId::from_u128(ws.as_uuid().as_u128() ^ 5),
            bot,
            ContactDetails::new()
                .with_email("Ana@Example.com")
                .with_phone("+14155550100"),
            t0(),
        ));
    let receipt = ok(
        store.persist_turn(ws, &more).await,
        "turn with more details",
    );
    assert_eq!(receipt.version, 2);
    let merged = receipt.lead.expect("the lead updated");
    assert!(!merged.created, "merged into the existing lead");
    assert_eq!(merged.lead.id, lead_id);
    assert_eq!(
        merged
            .lead
            .details
            .phone
            .as_ref()
            .map(|p| p.expose().as_str()),
        Some("+14155550100")
    );
    let by_phone = ok(
        store
            .find_lead(ws, &crate::LeadKey::Phone("+14155550100".to_owned().into()))
            .await,
        "find by the new phone",
    );
    assert_eq!(by_phone.map(|l| l.id), Some(lead_id));
    assert_eq!(
        ok(store.get_lead(ws, lead_id).await, "stored lead"),
        Some(merged.lead.clone()),
        "the receipt's lead is the stored one"
    );
    // The same visitor, verified, in another conversation: that one is
    // linked too.
    let c2 = ConversationId::from_u128(ws.as_uuid().as_u128() ^ 6);
    let elsewhere = TurnWrite::new(c2, advanced(), None)
        .message(line(c2, bot, "hi again"))
        .lead(
            LeadUpsert::new(
                LeadId::from_u128(ws.as_uuid().as_u128() ^ 7),
                bot,
                ContactDetails::new().with_phone("+14155550100"),
                t0(),
            )
            .verified(true),
        );
    let receipt = ok(
        store.persist_turn(ws, &elsewhere).await,
        "other conversation",
    );
    assert_eq!(
        receipt.lead.map(|l| (l.lead.id, l.created)),
        Some((lead_id, false))
    );
    assert_eq!(
        ok(store.lead_conversations(ws, lead_id).await, "links"),
        vec![c, c2]
    );
    assert_eq!(
        ok(store.count_leads(ws, &LeadQuery::new()).await, "leads"),
        1
    );
    // Searching finds the lead by the phone the turn added.
    let found = ok(
        store
            .query_leads(ws, &LeadQuery::new().search("555 0100"))
            .await,
        "search",
    );
    assert_eq!(found.leads.len(), 1, "the search index follows the update");

    // A turn without a lead.
    let next = TurnWrite::new(c, advanced(), Some(2)).message(TranscriptMessage::new(
        c,
        bot,
        Role::Visitor,
        "more",
        t0(),
    ));
    let receipt = ok(store.persist_turn(ws, &next).await, "second turn");
    assert_eq!((receipt.version, receipt.lead), (3, None));
    // An invalid lead fails the whole turn.
    let bad = TurnWrite::new(c, Conversation::new(), Some(3))
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
        4
    );
    assert_eq!(
        ok(store.load_state(ws, c).await, "state").map(|s| s.version),
        Some(3)
    );
}

/// A fresh workspace with one conversation whose state is saved at version 1.
async fn created_conversation(store: &Arc<dyn Store>) -> (WorkspaceId, ConversationId) {
    let ws = fresh_workspace();
    let c = ConversationId::from_u128(ws.as_uuid().as_u128() ^ 1);
    ok(
        store.save_state(ws, c, &Conversation::new(), None).await,
        "create",
    );
    (ws, c)
}

pub(crate) async fn concurrent_saves(store: &Arc<dyn Store>) {
    // Eight servers race to save over the same version: exactly one wins.
    let (ws, c) = created_conversation(store).await;
    let (won, _conflicts) = race(|_| {
        let store = Arc::clone(store);
        async move { store.save_state(ws, c, &advanced(), Some(1)).await }
    })
    .await;
    assert_eq!(won, [2], "exactly one concurrent save wins");
}

/// Runs eight writers at once (`write(n)` for n in 0..8); returns the
/// versions the winners wrote and the losers' conflicts. Any other error
/// fails the check.
async fn race<F, Fut>(write: F) -> (Vec<u64>, Vec<Error>)
where
    F: Fn(usize) -> Fut,
    Fut: Future<Output = Result<u64, Error>> + Send + 'static,
{
    let tasks: Vec<_> = (0..8).map(|n| tokio::spawn(write(n))).collect();
    let (mut won, mut conflicts) = (Vec::new(), Vec::new());
    for task in tasks {
        match task.await.expect("task did not panic") {
            Ok(version) => won.push(version),
            Err(conflict @ Error::VersionConflict { .. }) => conflicts.push(conflict),
            Err(other) => panic!("unexpected error: {other:?}"),
        }
    }
    (won, conflicts)
}

fn line(c: ConversationId, bot: BotId, text: &str) -> TranscriptMessage {
    TranscriptMessage::new(c, bot, Role::Visitor, text, t0())
}

pub(crate) async fn turns_without_a_lead(store: &dyn Store) {
    // Backends may persist a turn without a lead on a faster path; it
    // keeps the same all-or-nothing rules.
    let ws = fresh_workspace();
    let c = ConversationId::from_u128(ws.as_uuid().as_u128() ^ 1);
    let bot = BotId::from_u128(ws.as_uuid().as_u128() ^ 2);
    let first = TurnWrite::new(c, advanced(), None)
        .message(line(c, bot, "one"))
        .message(line(c, bot, "two"));
    let receipt = ok(store.persist_turn(ws, &first).await, "first turn");
    assert_eq!((receipt.version, receipt.lead), (1, None));
    let lines = |label: &'static str| async move {
        ok(store.conversation_messages(ws, c).await, label)
            .into_iter()
            .map(|m| m.text.expose().clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(lines("lines").await, ["one", "two"]);

    // Creating a conversation that exists, updating a stale version and
    // updating one that does not exist all conflict and write nothing. (The
    // same conflicts as `compare_and_swap`'s, through `persist_turn`.)
    let again = TurnWrite::new(c, Conversation::new(), None).message(line(c, bot, "lost"));
    let result = store.persist_turn(ws, &again).await;
    assert!(
        matches!(
            result,
            Err(Error::VersionConflict {
                expected: None,
                found: Some(1)
            })
        ),
        "second create: {result:?}"
    );
    let stale = TurnWrite::new(c, Conversation::new(), Some(7)).message(line(c, bot, "lost"));
    let result = store.persist_turn(ws, &stale).await;
    assert!(
        matches!(
            result,
            Err(Error::VersionConflict {
                expected: Some(7),
                found: Some(1)
            })
        ),
        "stale turn: {result:?}"
    );
    let elsewhere = ConversationId::from_u128(ws.as_uuid().as_u128() ^ 9);
    let missing =
        TurnWrite::new(elsewhere, advanced(), Some(1)).message(line(elsewhere, bot, "lost"));
    let result = store.persist_turn(ws, &missing).await;
    assert!(
        matches!(
            result,
            Err(Error::VersionConflict {
                expected: Some(1),
                found: None
            })
        ),
        "missing conversation: {result:?}"
    );
    assert_eq!(lines("after conflicts").await, ["one", "two"]);
    assert!(
        ok(
            store.conversation_messages(ws, elsewhere).await,
            "missing lines"
        )
        .is_empty()
    );
    assert_eq!(
        ok(store.load_state(ws, c).await, "state").map(|s| (s.version, s.conversation)),
        Some((1, advanced()))
    );

    // A turn with no line saves the state alone; the next one adds its
    // line after the others.
    let quiet = TurnWrite::new(c, Conversation::new(), Some(1));
    assert_eq!(ok(store.persist_turn(ws, &quiet).await, "quiet").version, 2);
    let next = TurnWrite::new(c, advanced(), Some(2)).message(line(c, bot, "three"));
    assert_eq!(ok(store.persist_turn(ws, &next).await, "next").version, 3);
    assert_eq!(lines("final").await, ["one", "two", "three"]);
    // Another workspace sees none of it.
    let other = fresh_workspace();
    assert_eq!(ok(store.load_state(other, c).await, "other state"), None);
    assert!(ok(store.conversation_messages(other, c).await, "other lines").is_empty());
}

pub(crate) async fn concurrent_turns(store: &Arc<dyn Store>) {
    // Eight servers handle a message of the same conversation at once:
    // one turn lands with its line, the others conflict and write nothing.
    let (ws, c) = created_conversation(store).await;
    let bot = BotId::from_u128(ws.as_uuid().as_u128() ^ 2);
    let (won, conflicts) = race(|n| {
        let store = Arc::clone(store);
        async move {
            let turn =
                TurnWrite::new(c, advanced(), Some(1)).message(line(c, bot, &format!("from {n}")));
            store
                .persist_turn(ws, &turn)
                .await
                .map(|receipt| receipt.version)
        }
    })
    .await;
    assert_eq!(won, [2], "exactly one concurrent turn wins");
    for conflict in conflicts {
        assert!(
            matches!(
                conflict,
                Error::VersionConflict {
                    expected: Some(1),
                    found: Some(2),
                }
            ),
            "a losing turn reports what it found: {conflict:?}"
        );
    }
    assert_eq!(
        ok(store.conversation_messages(ws, c).await, "lines").len(),
        1,
        "only the winning turn's line is written"
    );
}
