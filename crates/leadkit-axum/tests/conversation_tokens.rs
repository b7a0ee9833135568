//! A conversation id is not a capability: a turn needs the token the
//! server issued with the conversation, for the same bot.
#![allow(clippy::unwrap_used)] // test code

mod common;

use axum::http::StatusCode;
use leadkit_core::ConversationId;
use leadkit_store::TranscriptStore;
use serde_json::json;

use common::*;

#[tokio::test]
async fn turns_for_unissued_conversations_or_another_bot_are_refused() {
    let f = fixture().await;
    let first = chat(&f.app, json!({"bot": SALES, "message": "Hello"})).await;
    let conversation = first["conversation"].as_str().unwrap().to_owned();
    let token = first["token"].as_str().unwrap().to_owned();
    assert_eq!(token.len(), 64);
    // A second conversation gets its own token.
    let other = chat(&f.app, json!({"bot": SALES, "message": "Hello"})).await;
    assert_ne!(other["token"], first["token"]);

    let refusals = [
        // An id the server never issued, with or without a token.
        json!({"bot": SALES, "conversation": ConversationId::from_u128(0xBAD), "message": "hi"}),
        json!({"bot": SALES, "conversation": ConversationId::from_u128(0xBAD), "token": token, "message": "hi"}),
        // Another visitor's id without its token, or with a token of another conversation.
        json!({"bot": SALES, "conversation": conversation, "message": "I'm Eve, eve@example.com"}),
        json!({"bot": SALES, "conversation": conversation, "token": other["token"], "message": "I'm Eve"}),
        json!({"bot": SALES, "conversation": conversation, "token": "00", "message": "I'm Eve"}),
        // The right token, for another bot.
        json!({"bot": SUPPORT, "conversation": conversation, "token": token, "message": "I'm Eve"}),
    ];
    for body in refusals {
        let response = send(&f.app, chat_request(body.clone())).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{body}");
        assert_eq!(
            body_json(response).await["error"],
            "conversation_not_issued"
        );
    }
    // Nothing of the refused turns was stored.
    let id: ConversationId = conversation.parse().unwrap();
    let lines = f.store.conversation_messages(WS, id).await.unwrap();
    assert_eq!(lines.len(), 2, "the first turn and its reply only");

    let ok = chat(
        &f.app,
        json!({"bot": SALES, "conversation": conversation, "token": token, "message": "More please"}),
    )
    .await;
    assert_eq!(ok["conversation"], conversation.as_str());
    assert_eq!(ok["token"], token.as_str());
    assert_eq!(ok["turn"], 2);
}
