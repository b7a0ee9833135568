//! A verified visitor who comes back is recognised, and the new
//! conversation is linked to their lead: it shows on the lead and in the
//! Conversations list as theirs, and erasing the lead erases it too (its
//! lines, its summary and the details in its state). On the in-memory
//! store, on SQLite and (with `LEADKIT_TEST_POSTGRES_URL`) on PostgreSQL.
#![allow(clippy::unwrap_used)] // test code: a panic is a failed test

use std::io::Write;
use std::sync::Arc;

use leadkit::core::{BotId, Conversation, ConversationId, Policy, VisitorId, WorkspaceId};
use leadkit::engine::{Engine, StaticPolicies, Visit, VisitorVerifier};
use leadkit::store::{ConversationQuery, LeadKey, Store};

const BOT: BotId = BotId::from_u128(0xa);
const SECRET: &[u8] = b"test secret for visitor signatures";

async fn returning_visitor_is_linked_and_erased(store: Arc<dyn Store>) {
    let ws = WorkspaceId::from_uuid(uuid::Uuid::new_v4());
    let engine = Engine::builder()
        .store(store.clone())
        .policies(Arc::new(StaticPolicies::new(Policy::after_first_query())))
        .visitor_verifier(VisitorVerifier::new(SECRET.to_vec()).unwrap())
        .build()
        .unwrap();
    let verifier = VisitorVerifier::new(SECRET.to_vec()).unwrap();
    let ana = VisitorId::new("visitor-ana").unwrap();
    let verified = engine
        .verify_visitor(ana.clone(), &verifier.sign(&ana))
        .unwrap();

    let first = Visit::new(ws, BOT, ConversationId::from_uuid(uuid::Uuid::new_v4()))
        .with_visitor(verified.clone());
    for text in ["What are your prices?", "I'm Ana, ana.erased@example.com"] {
        engine.user_message(&first, text).await.unwrap();
    }
    let lead = store
        .find_lead(ws, &LeadKey::Visitor(ana.clone()))
        .await
        .unwrap()
        .expect("captured");

    // She comes back in a new conversation and says who she is again.
    let second =
        Visit::new(ws, BOT, ConversationId::from_uuid(uuid::Uuid::new_v4())).with_visitor(verified);
    engine
        .user_message(&second, "Hello again, ana.erased@example.com here")
        .await
        .unwrap();
    engine
        .assistant_message(&second, "Welcome back!")
        .await
        .unwrap();

    let linked = store.lead_conversations(ws, lead.id).await.unwrap();
    assert!(linked.contains(&second.conversation), "{linked:?}");
    let summary = store
        .conversation_summary(ws, second.conversation)
        .await
        .unwrap()
        .expect("a summary");
    assert_eq!((summary.lead, summary.message_count), (Some(lead.id), 2));

    engine.erase_lead(ws, lead.id).await.unwrap();
    for visit in [&first, &second] {
        let c = visit.conversation;
        assert!(store.conversation_messages(ws, c).await.unwrap().is_empty());
        assert_eq!(store.conversation_summary(ws, c).await.unwrap(), None);
        let state = store.load_state(ws, c).await.unwrap().expect("a state");
        assert_eq!(state.conversation, Conversation::new());
    }
    let found = store
        .list_conversations(ws, &ConversationQuery::new().search("ana.erased"))
        .await
        .unwrap();
    assert!(found.conversations.is_empty());
}

#[tokio::test]
async fn memory_store() {
    returning_visitor_is_linked_and_erased(Arc::new(leadkit::store::MemoryStore::new())).await;
}

#[tokio::test]
async fn sqlite_store() {
    let dir = std::env::temp_dir().join(format!("leadkit-recognised-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let store = leadkit::sql::SqliteStore::open(dir.join("leads.sqlite"))
        .await
        .unwrap();
    returning_visitor_is_linked_and_erased(Arc::new(store)).await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn postgres_store() {
    let Ok(url) = std::env::var("LEADKIT_TEST_POSTGRES_URL") else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "LEADKIT_TEST_POSTGRES_URL is not set: CI must start PostgreSQL (source .ci/postgres.sh)"
        );
        let _ = writeln!(
            std::io::stderr().lock(),
            "skipping the PostgreSQL run: set LEADKIT_TEST_POSTGRES_URL (source .ci/postgres.sh)"
        );
        return;
    };
    let store = leadkit::sql::PostgresStore::connect(&url).await.unwrap();
    returning_visitor_is_linked_and_erased(Arc::new(store)).await;
}
