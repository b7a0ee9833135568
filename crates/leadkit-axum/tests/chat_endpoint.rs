//! The chat endpoint: a visitor's turn through `POST /chat`, the answer, the
//! engine's request for contact details, and JSON errors for bad requests.
#![allow(clippy::unwrap_used)] // test code

mod common;

use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use leadkit_axum::{AdminToken, Leadkit};
use leadkit_core::{BotId, ConversationId, Policy};
use leadkit_engine::engine::{Engine, VisitorVerifier};
use leadkit_store::{Bot, BotStore, MemoryStore};
use serde_json::json;

use common::*;

#[tokio::test]
async fn a_chat_asks_after_the_first_query_and_captures_the_lead() {
    let f = fixture().await;
    let first = chat(
        &f.app,
        json!({"bot": SALES, "message": "What are your opening hours?"}),
    )
    .await;
    assert_eq!(first["action"], "ask");
    assert_eq!(first["turn"], 1);
    assert_eq!(first["fields"], json!(["name", "email"]));
    assert_eq!(first["lead_captured"], false);
    let reply = first["reply"].as_str().unwrap();
    assert!(reply.starts_with("Answer to: 28\n\n"), "{reply}");
    assert!(reply.len() > "Answer to: 28\n\n".len());
    let conversation = first["conversation"].as_str().unwrap().to_owned();

    let second = chat(
        &f.app,
        json!({"bot": SALES, "conversation": conversation, "token": first["token"], "message": "Sure, I'm Ana Souza, ana@example.com"}),
    )
    .await;
    assert_eq!(second["conversation"], conversation.as_str());
    assert_eq!(second["turn"], 2);
    assert_eq!(second["lead_captured"], true);
    assert_eq!(f.responder.calls.load(Ordering::SeqCst), 2);

    let list = body_json(send(&f.app, admin_get("/admin/api/leads")).await).await;
    assert_eq!(list["total"], 1);
    let lead = &list["leads"][0];
    assert_eq!(lead["email"], "ana@example.com");
    assert_eq!(lead["name"], "Ana Souza");
    assert_eq!(lead["bot_name"], "Sales bot");
    assert_eq!(lead["status"], "new");

    let id = lead["id"].as_str().unwrap();
    let detail = body_json(send(&f.app, admin_get(&format!("/admin/api/leads/{id}"))).await).await;
    let messages = detail["conversations"][0]["messages"].as_array().unwrap();
    assert_eq!(detail["conversations"][0]["id"], conversation.as_str());
    let roles: Vec<&str> = messages
        .iter()
        .map(|m| m["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["visitor", "assistant", "visitor", "assistant"]);
    assert_eq!(messages[0]["text"], "What are your opening hours?");
    // The transcript holds the reply that was actually sent.
    assert_eq!(messages[1]["text"], reply);
}

#[tokio::test]
async fn a_gate_sends_the_prompt_alone_and_never_asks_the_bot() {
    let f = fixture_with(Policy::before_chat()).await;
    let reply = chat(
        &f.app,
        json!({"bot": SUPPORT, "message": "How much is it?", "locale": "es-MX"}),
    )
    .await;
    assert_eq!(reply["action"], "gate");
    assert!(
        reply["reply"]
            .as_str()
            .unwrap()
            .starts_with("Antes de responder"),
        "{reply}"
    );
    assert_eq!(f.responder.calls.load(Ordering::SeqCst), 0);

    // Accept-Language picks the language when the body does not.
    let request = Request::post("/chat")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT_LANGUAGE, "de-DE,de;q=0.9,en;q=0.5")
        .body(Body::from(
            json!({"bot": SUPPORT, "message": "Preis?"}).to_string(),
        ))
        .unwrap();
    let german = body_json(send(&f.app, request).await).await;
    assert_eq!(german["action"], "gate");
    assert_ne!(german["reply"], reply["reply"]);
    assert_eq!(f.responder.calls.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_bad_visitor_signature_means_an_anonymous_visit() {
    let f = fixture().await;
    let reply = chat(
        &f.app,
        json!({"bot": SALES, "message": "hello", "visitor": "user-1", "signature": "00ff"}),
    )
    .await;
    assert_eq!(reply["turn"], 1);
    // A valid signature is accepted, and the visitor id is kept with the lead.
    let verifier = VisitorVerifier::new(vec![9; 32]).unwrap();
    let signature = verifier.sign(&leadkit_core::VisitorId::new("user-2").unwrap());
    let reply = chat(
        &f.app,
        json!({"bot": SALES, "message": "I'm Bo Li, bo@example.com", "visitor": "user-2", "signature": signature}),
    )
    .await;
    assert_eq!(reply["lead_captured"], true);
    let list = body_json(send(&f.app, admin_get("/admin/api/leads")).await).await;
    assert_eq!(list["leads"][0]["visitor"], "user-2");
}

#[tokio::test]
async fn bad_chat_requests_get_json_errors() {
    let f = fixture().await;
    let cases = [
        (
            Request::post("/chat")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{not json"))
                .unwrap(),
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
        (
            chat_request(json!({"message": "no bot"})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_request",
        ),
        (
            Request::post("/chat")
                .body(Body::from(
                    json!({"bot": SALES, "message": "hi"}).to_string(),
                ))
                .unwrap(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "invalid_request",
        ),
        (
            chat_request(json!({"bot": SALES, "message": "   "})),
            StatusCode::BAD_REQUEST,
            "empty_message",
        ),
        (
            chat_request(json!({"bot": SALES, "message": "x".repeat(4097)})),
            StatusCode::PAYLOAD_TOO_LARGE,
            "message_too_long",
        ),
        (
            chat_request(json!({"bot": SALES, "message": "x".repeat(100_000)})),
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
        ),
        (
            chat_request(json!({"bot": BotId::from_u128(99), "message": "hi"})),
            StatusCode::NOT_FOUND,
            "unknown_bot",
        ),
        (
            chat_request(json!({"bot": SALES, "message": "hi", "conversation": "nope"})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_request",
        ),
    ];
    for (request, status, code) in cases {
        let response = send(&f.app, request).await;
        assert_eq!(response.status(), status, "{code}");
        let body = body_json(response).await;
        assert_eq!(body["error"], code);
        assert!(!body["message"].as_str().unwrap().is_empty());
    }
    // Exactly the limit is fine.
    let ok = send(
        &f.app,
        chat_request(json!({"bot": SALES, "message": "x".repeat(4096)})),
    )
    .await;
    assert_eq!(ok.status(), StatusCode::OK);
    assert_eq!(f.responder.calls.load(Ordering::SeqCst), 1);
}

#[cfg(feature = "mock")]
#[tokio::test]
async fn the_responder_gets_the_turn_it_answers() {
    let store = Arc::new(MemoryStore::new());
    store
        .put_bot(WS, &Bot::new(SALES, WS, "Sales bot"))
        .await
        .unwrap();
    let engine = Engine::builder().store(store).build().unwrap();
    // The conversation the responder was asked about.
    let asked = Arc::new(std::sync::Mutex::new(None::<ConversationId>));
    let seen = asked.clone();
    let mut responder = leadkit_axum::MockResponder::new();
    responder
        .expect_answer()
        .withf(|bot, _conversation, message| *bot == SALES && message == "Any refunds?")
        .times(1)
        .returning(move |_, conversation, _| {
            *seen.lock().unwrap() = Some(conversation);
            "Yes, within 30 days.".to_owned()
        });
    let app = Leadkit::new(
        engine,
        WS,
        AdminToken::new(TOKEN).unwrap(),
        Arc::new(responder),
    )
    .router();
    let reply = chat(&app, json!({"bot": SALES, "message": "Any refunds?"})).await;
    let conversation: ConversationId = reply["conversation"].as_str().unwrap().parse().unwrap();
    assert_eq!(*asked.lock().unwrap(), Some(conversation));
    assert!(
        reply["reply"]
            .as_str()
            .unwrap()
            .starts_with("Yes, within 30 days.\n\n")
    );
}
