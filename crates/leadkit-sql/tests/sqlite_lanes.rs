//! A file store runs each turn's calls on connections of its own (lanes),
//! and commits the turns and lines waiting for the writer together: these
//! tests drop turns part-way and check that nothing is left half done or
//! locked, and run many conversations at once.
#![cfg(feature = "sqlite")]
#![allow(clippy::unwrap_used)] // test code

use std::time::Duration;

use futures_util::FutureExt;
use leadkit_core::{BotId, ContactDetails, Conversation, ConversationId, LeadId, WorkspaceId};
use leadkit_sql::SqliteStore;
use leadkit_store::{
    ConversationStateStore, LeadStore, LeadUpsert, Role, Store, TranscriptMessage, TranscriptStore,
    TurnWrite, testkit,
};

fn temp_db(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "leadkit-sql-{name}-{}-{}",
        std::process::id(),
        testkit::fresh_workspace()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("leads.db")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn turns_dropped_part_way_land_whole_or_not_at_all() {
    let path = temp_db("dropped-turns");
    let store = SqliteStore::open(&path).await.unwrap();
    let ws = WorkspaceId::from_u128(1);
    let c = ConversationId::from_u128(2);
    let bot = BotId::from_u128(3);
    store
        .save_state(ws, c, &Conversation::new(), None)
        .await
        .unwrap();
    for n in 0..200u128 {
        let version = store.load_state(ws, c).await.unwrap().unwrap().version;
        let line =
            TranscriptMessage::new(c, bot, Role::Visitor, format!("dropped {n}"), testkit::t0());
        let turn = TurnWrite::new(c, Conversation::new(), Some(version)).message(line);
        // Polled once (the statements go to SQLite's thread), then dropped,
        // as when a client disconnects in the middle of a request.
        drop(store.persist_turn(ws, &turn).now_or_never());

        // Another writer, outside the lane, is not locked out...
        let lead = LeadUpsert::new(
            LeadId::from_u128(1000 + n),
            bot,
            ContactDetails::new().with_email(format!("visitor{n}@example.com")),
            testkit::t0(),
        );
        tokio::time::timeout(Duration::from_secs(3), store.upsert_lead(ws, &lead))
            .await
            .expect("the dropped turn released the write lock")
            .unwrap();
        // ...and the next turn lands on whatever version is current (the
        // dropped one may still be finishing: a conflict means read again,
        // as the engine does).
        let mut attempts = 0;
        loop {
            attempts += 1;
            let version = store.load_state(ws, c).await.unwrap().unwrap().version;
            let line =
                TranscriptMessage::new(c, bot, Role::Visitor, format!("kept {n}"), testkit::t0());
            let turn = TurnWrite::new(c, Conversation::new(), Some(version)).message(line);
            match store.persist_turn(ws, &turn).await {
                Ok(_) => break,
                Err(leadkit_store::Error::VersionConflict { .. }) if attempts < 3 => {}
                Err(other) => panic!("turn after a dropped one: {other:?}"),
            }
        }
    }
    // Each turn that landed wrote its line and one version step together.
    let version = store.load_state(ws, c).await.unwrap().unwrap().version;
    let lines = store.conversation_messages(ws, c).await.unwrap();
    assert_eq!(lines.len() as u64, version - 1);
    let kept = lines
        .iter()
        .filter(|m| m.text.expose().starts_with("kept "))
        .count();
    assert_eq!(kept, 200);
    store.close().await;
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_store_refuses_turns() {
    let path = temp_db("closed");
    let store = SqliteStore::open(&path).await.unwrap();
    store.close().await;
    let c = ConversationId::from_u128(2);
    let turn = TurnWrite::new(c, Conversation::new(), None);
    assert!(
        store
            .persist_turn(WorkspaceId::from_u128(1), &turn)
            .await
            .is_err()
    );
    assert!(
        store
            .load_state(WorkspaceId::from_u128(1), c)
            .await
            .is_err()
    );
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_conversations_each_get_their_own_answers() {
    let path = temp_db("concurrent");
    let store = std::sync::Arc::new(SqliteStore::open(&path).await.unwrap());
    let ws = WorkspaceId::from_u128(1);
    let bot = BotId::from_u128(3);
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..24u128 {
        let store = store.clone();
        tasks.spawn(async move {
            let c = ConversationId::from_u128(100 + n);
            let mut version = None;
            for turn in 0..8 {
                let line = TranscriptMessage::new(
                    c,
                    bot,
                    Role::Visitor,
                    format!("{n}: visitor {turn}"),
                    testkit::t0(),
                );
                let write = TurnWrite::new(c, Conversation::new(), version).message(line);
                let receipt = store.persist_turn(ws, &write).await.unwrap();
                assert_eq!(receipt.version, turn + 1, "conversation {n}");
                // A stale copy of the same turn conflicts and writes nothing,
                // whatever it shares a commit with.
                let stale = TurnWrite::new(c, Conversation::new(), version).message(
                    TranscriptMessage::new(c, bot, Role::Visitor, "stale", testkit::t0()),
                );
                let conflict = store.persist_turn(ws, &stale).await;
                assert!(
                    matches!(
                        conflict,
                        Err(leadkit_store::Error::VersionConflict { found: Some(v), .. })
                            if v == turn + 1
                    ),
                    "{conflict:?}"
                );
                version = Some(receipt.version);
                let reply = TranscriptMessage::new(
                    c,
                    bot,
                    Role::Assistant,
                    format!("{n}: reply {turn}"),
                    testkit::t0(),
                );
                store.append_messages(ws, &[reply]).await.unwrap();
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap();
    }
    for n in 0..24u128 {
        let c = ConversationId::from_u128(100 + n);
        let lines: Vec<String> = store
            .conversation_messages(ws, c)
            .await
            .unwrap()
            .iter()
            .map(|m| m.text.expose().clone())
            .collect();
        let expected: Vec<String> = (0..8)
            .flat_map(|turn| [format!("{n}: visitor {turn}"), format!("{n}: reply {turn}")])
            .collect();
        assert_eq!(lines, expected);
        assert_eq!(store.load_state(ws, c).await.unwrap().unwrap().version, 8);
    }
    store.close().await;
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
}
