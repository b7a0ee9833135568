//! An erased lead leaves nothing readable in the SQLite files: the
//! database, its write-ahead log and shared-memory file are scanned byte
//! by byte for the erased email and the transcript's text (which the
//! scan first finds there before the erasure, so it can fail).
#![cfg(feature = "sqlite")]
#![allow(clippy::unwrap_used)] // test code: a panic is a failed test

use std::path::Path;

use chrono::{TimeZone, Utc};
use leadkit_core::{BotId, ContactDetails, Conversation, ConversationId, LeadId};
use leadkit_sql::SqliteStore;
use leadkit_store::{
    ConversationStore, LeadStore, LeadUpsert, Role, Store, TranscriptMessage, TranscriptStore,
    TurnWrite,
};

const EMAIL: &str = "erased.person.q7@example.com";
const SECRET_LINE: &str = "my passport number is ZX9931-erased";

/// Which of the needles occur in any file of `dir`.
fn found_in(dir: &Path, needles: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        for needle in needles {
            if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                found.push(format!(
                    "{needle} in {}",
                    path.file_name().unwrap().to_string_lossy()
                ));
            }
        }
    }
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_erased_lead_leaves_no_bytes_behind() {
    let ws = leadkit_store::testkit::fresh_workspace();
    let dir = std::env::temp_dir().join(format!("leadkit-erasure-bytes-{ws}"));
    std::fs::create_dir_all(&dir).unwrap();
    let store = SqliteStore::open(dir.join("leads.db")).await.unwrap();
    let bot = BotId::from_u128(1);
    let at = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    let conv = |n: u128| ConversationId::from_u128(ws.as_uuid().as_u128() ^ n);
    let line = |c, text: &str| TranscriptMessage::new(c, bot, Role::Visitor, text, at);

    // Someone else's data around it, so the erased rows share pages with
    // rows that stay.
    for n in 0..50u128 {
        let c = conv(1000 + n);
        let turn = TurnWrite::new(c, Conversation::new(), None)
            .message(line(c, &format!("other visitor {n} says hello")))
            .lead(LeadUpsert::new(
                LeadId::from_u128(5000 + n),
                bot,
                ContactDetails::new().with_email(format!("kept{n}@example.org")),
                at,
            ));
        store.persist_turn(ws, &turn).await.unwrap();
    }
    // The lead: captured in one conversation, linked to two more.
    let capture = TurnWrite::new(conv(1), Conversation::new(), None)
        .message(line(conv(1), &format!("reach me at {EMAIL}")))
        .lead(LeadUpsert::new(
            LeadId::from_u128(1),
            bot,
            ContactDetails::new().with_email(EMAIL),
            at,
        ));
    let lead = store
        .persist_turn(ws, &capture)
        .await
        .unwrap()
        .lead
        .unwrap()
        .lead
        .id;
    for n in [2, 3] {
        store
            .append_messages(ws, &[line(conv(n), &format!("{SECRET_LINE} {EMAIL}"))])
            .await
            .unwrap();
        store.link_conversation(ws, conv(n), lead).await.unwrap();
    }
    let needles = [EMAIL, "ZX9931-erased"];
    assert!(
        !found_in(&dir, &needles).is_empty(),
        "the scan finds the data before the erasure"
    );

    store.erase_lead(ws, lead).await.unwrap();
    let left = found_in(&dir, &needles);
    assert!(left.is_empty(), "after the erasure, store open: {left:?}");
    // The other leads are intact.
    assert_eq!(
        store
            .conversation_messages(ws, conv(1000))
            .await
            .unwrap()
            .len(),
        1
    );
    store.close().await;
    let left = found_in(&dir, &needles);
    assert!(left.is_empty(), "after closing: {left:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}
