//! The engine end to end on the in-memory store with the rule analyzer.
#![allow(clippy::unwrap_used)] // test code: a panic is a failed test

mod common;

use chrono::Duration;
use common::{SECRET, WORKSPACE, setup, visit};
use leadkit_core::{ActionKind, LeadStatus, Policy, VisitorId};
use leadkit_engine::engine::{LeadEvent, VisitorVerifier};
use leadkit_engine::messages::Locale;
use leadkit_store::{LeadQuery, LeadStore, TranscriptStore};

#[tokio::test]
async fn after_first_query_then_details_creates_one_lead_with_history() {
    let s = setup(Policy::after_first_query());
    let v = visit(10);
    let first = s.turn(&v, "Hi, what are your opening hours?").await;
    assert_eq!(first.kind(), ActionKind::Ask);
    assert_eq!(
        first.prompt.as_deref(),
        Some("By the way, could you share your name and your email address so we can follow up?")
    );
    let second = s
        .turn(
            &v,
            "Sure! My name is Ana Souza and my email is ana.souza@example.com",
        )
        .await;
    assert_eq!(second.kind(), ActionKind::Answer);
    let lead = second.lead.unwrap();
    assert_eq!(
        lead.details.get(leadkit_core::Field::Name),
        Some("Ana Souza")
    );
    assert!(matches!(
        second.events.as_slice(),
        [LeadEvent::Created { .. }]
    ));

    let page = s
        .store
        .query_leads(WORKSPACE, &LeadQuery::new())
        .await
        .unwrap();
    assert_eq!(page.leads.len(), 1);
    let transcript = s
        .store
        .conversation_messages(WORKSPACE, v.conversation)
        .await
        .unwrap();
    assert_eq!(transcript.len(), 4, "two visitor messages and two replies");
    let conversations = s
        .store
        .lead_conversations(WORKSPACE, lead.id)
        .await
        .unwrap();
    assert_eq!(conversations, [v.conversation]);
}

#[tokio::test]
async fn before_chat_gates_and_corrects_in_the_visitors_language() {
    let s = setup(Policy::before_chat());
    let v = visit(11).with_locale(Locale::Spanish);
    let gate = s.turn(&v, "¿Cuánto cuesta el plan anual?").await;
    assert_eq!(gate.kind(), ActionKind::Gate);
    assert!(gate.prompt.unwrap().starts_with("Antes de responder"));
    let fix = s.turn(&v, "mi correo es ana@example").await;
    assert_eq!(fix.kind(), ActionKind::Correct, "{:?}", fix.action);
    assert!(fix.prompt.unwrap().contains("correo electrónico"));
    let ok = s.turn(&v, "perdón: ana@example.com").await;
    assert!(ok.answers_query());
    assert!(ok.lead.is_some());
}

#[tokio::test]
async fn verified_known_visitors_are_never_asked_and_unverified_ids_are_refused() {
    let s = setup(Policy::every_reply());
    let visitor = VisitorId::new("user-7").unwrap();
    let verifier = VisitorVerifier::new(SECRET.to_vec()).unwrap();
    let verified = s
        .engine
        .verify_visitor(visitor.clone(), &verifier.sign(&visitor))
        .unwrap();

    // First conversation: the signed-in visitor gives details once.
    let first = visit(20).with_visitor(verified.clone());
    assert_eq!(s.turn(&first, "hello").await.kind(), ActionKind::Ask);
    assert!(s.turn(&first, "ana@example.com").await.lead.is_some());

    // A later conversation: known, never asked.
    let later = visit(21).with_visitor(verified);
    for text in ["hi again", "how much is the pro plan?", "thanks"] {
        assert_eq!(s.turn(&later, text).await.kind(), ActionKind::Answer);
    }
    // Someone else claiming the id without the signature gets nothing.
    assert!(s.engine.verify_visitor(visitor, "00").is_err());
}

#[tokio::test]
async fn lead_events_reach_subscribers() {
    let s = setup(Policy::on_interest());
    let mut events = s.engine.subscribe();
    let v = visit(30);
    let reply = s
        .turn(&v, "I'd like a quote, call me on +44 20 7946 0958")
        .await;
    let lead = reply.lead.unwrap();
    let _ = s.turn(&v, "or email me at ana@example.com").await;
    s.engine
        .set_status(WORKSPACE, lead.id, LeadStatus::Contacted)
        .await
        .unwrap();
    s.engine.erase_lead(WORKSPACE, lead.id).await.unwrap();
    let mut kinds = Vec::new();
    while let Ok(event) = events.try_recv() {
        assert_eq!(event.lead_id(), lead.id);
        kinds.push(match event {
            LeadEvent::Created { .. } => "created",
            LeadEvent::Updated { .. } => "updated",
            LeadEvent::StatusChanged { .. } => "status",
            LeadEvent::Erased { .. } => "erased",
            _ => "other",
        });
    }
    assert_eq!(kinds, ["created", "updated", "status", "erased"]);
    assert!(
        s.store
            .get_lead(WORKSPACE, lead.id)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn a_clock_that_steps_back_does_not_break_a_conversation() {
    let s = setup(Policy::every_reply());
    let v = visit(40);
    let _ = s.turn(&v, "hello").await;
    s.clock.advance(Duration::hours(-2));
    assert_eq!(s.turn(&v, "still there?").await.kind(), ActionKind::Ask);
}

#[tokio::test]
async fn two_servers_on_one_conversation_lose_no_turn() {
    let s = setup(Policy::every_reply());
    let other = s.engine.clone();
    let v = visit(50);
    let (a, b) = tokio::join!(
        s.engine.user_message(&v, "first"),
        other.user_message(&v, "second")
    );
    let mut turns = [a.unwrap().turn, b.unwrap().turn];
    turns.sort();
    assert_eq!(turns, [1, 2]);
}

/// An analyzer that records the context it is given.
struct RecordingAnalyzer(std::sync::Mutex<Vec<Vec<String>>>);

#[async_trait::async_trait]
impl leadkit_llm::TurnAnalyzer for RecordingAnalyzer {
    async fn analyze<'a>(
        &self,
        input: leadkit_llm::TurnInput<'a>,
    ) -> Result<leadkit_core::Signals, leadkit_llm::Error> {
        let context = input.transcript.iter().map(|m| m.content.clone()).collect();
        self.0.lock().unwrap().push(context);
        Ok(leadkit_core::Signals::none())
    }
}

#[tokio::test]
async fn an_analyzer_sees_the_last_lines_of_its_window() {
    let store = std::sync::Arc::new(leadkit_store::MemoryStore::new());
    let analyzer = std::sync::Arc::new(RecordingAnalyzer(std::sync::Mutex::default()));
    let engine = leadkit_engine::engine::Engine::builder()
        .store(store)
        .analyzer(analyzer.clone())
        .transcript_window(3)
        .build()
        .unwrap();
    let v = visit(60);
    for n in 1..=3 {
        let _ = engine
            .user_message(&v, &format!("question {n}"))
            .await
            .unwrap();
        engine
            .assistant_message(&v, &format!("answer {n}"))
            .await
            .unwrap();
    }
    let seen = analyzer.0.lock().unwrap().clone();
    assert_eq!(
        seen,
        [
            vec![],
            vec!["question 1".to_owned(), "answer 1".to_owned()],
            vec![
                "answer 1".to_owned(),
                "question 2".to_owned(),
                "answer 2".to_owned()
            ],
        ]
    );
}

/// A policy source whose backing service is down.
struct BrokenPolicies;

#[async_trait::async_trait]
impl leadkit_engine::engine::PolicySource for BrokenPolicies {
    async fn policy(
        &self,
        _workspace: leadkit_core::WorkspaceId,
        _bot: leadkit_core::BotId,
    ) -> Result<Policy, leadkit_engine::Error> {
        let down = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "settings db down");
        Err(leadkit_engine::Error::Policy(Box::new(down)))
    }
}

#[tokio::test]
async fn a_failing_policy_source_fails_the_turn_with_its_cause_and_stores_nothing() {
    use leadkit_store::TranscriptStore;
    let store = std::sync::Arc::new(leadkit_store::MemoryStore::new());
    let engine = leadkit_engine::Engine::builder()
        .store(store.clone())
        .policies(std::sync::Arc::new(BrokenPolicies))
        .build()
        .unwrap();
    let v = visit(61);
    let error = engine.user_message(&v, "hello").await.unwrap_err();
    assert!(
        matches!(error, leadkit_engine::Error::Policy(_)),
        "{error:?}"
    );
    let cause = std::error::Error::source(&error).expect("the cause is kept");
    assert_eq!(cause.to_string(), "settings db down");
    assert!(!error.is_conflict());
    let lines = store
        .conversation_messages(v.workspace, v.conversation)
        .await
        .unwrap();
    assert!(lines.is_empty());
}
