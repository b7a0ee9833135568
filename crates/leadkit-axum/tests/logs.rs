//! No contact details in log output: a whole chat, a sign-in and the admin
//! API run under a subscriber that records everything, at every level.
#![allow(clippy::unwrap_used)] // test code

use std::io;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use leadkit_axum::{AdminToken, Leadkit, Responder};
use leadkit_core::{BotId, ConversationId, WorkspaceId};
use leadkit_engine::engine::Engine;
use leadkit_store::{Bot, BotStore, MemoryStore};
use serde_json::{Value, json};
use tower::ServiceExt;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

struct Echo;

#[async_trait]
impl Responder for Echo {
    async fn answer(&self, _bot: BotId, _conversation: ConversationId, _message: &str) -> String {
        "Thanks!".to_owned()
    }
}

#[tokio::test]
async fn logs_never_contain_contact_details() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let workspace = WorkspaceId::from_u128(1);
    let bot = BotId::from_u128(2);
    let store = Arc::new(MemoryStore::new());
    store
        .put_bot(workspace, &Bot::new(bot, workspace, "Bot"))
        .await
        .unwrap();
    let engine = Engine::builder().store(store).build().unwrap();
    let token = "log-test-token-0123456789";
    let app = Leadkit::new(
        engine,
        workspace,
        AdminToken::new(token).unwrap(),
        Arc::new(Echo),
    )
    .router();

    let chat = |body: Value| {
        Request::post("/chat")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let first = app
        .clone()
        .oneshot(chat(json!({"bot": bot, "message": "Prices?"})))
        .await
        .unwrap();
    let first: Value =
        serde_json::from_slice(&to_bytes(first.into_body(), 1 << 20).await.unwrap()).unwrap();
    let conversation = first["conversation"].clone();
    let message = "I'm Quentin Zylberstein, quentin.zylberstein@example.com, +1 415 555 0199";
    for body in [
        json!({"bot": bot, "conversation": conversation, "message": message}),
        json!({"bot": bot, "conversation": conversation, "message": message, "visitor": "quentin-visitor", "signature": "bad"}),
        json!({"bot": bot, "message": 42, "note": message}),
        json!({"bot": BotId::from_u128(9), "message": message}),
    ] {
        app.clone().oneshot(chat(body)).await.unwrap();
    }
    let sign_in = Request::post("/admin/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("token=wrong-token-quentin-zylberstein"))
        .unwrap();
    assert_eq!(
        app.clone().oneshot(sign_in).await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    for uri in [
        "/admin/api/leads?q=zylberstein",
        "/admin/api/leads.csv?q=quentin",
        "/admin/leads?q=zylberstein",
    ] {
        let request = Request::get(uri)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap();
        let response = app.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        let body = to_bytes(response.into_body(), 1 << 20).await.unwrap();
        assert!(
            String::from_utf8_lossy(&body).contains("zylberstein"),
            "{uri}: the lead was captured"
        );
    }

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("leadkit.turn"),
        "the engine logged its turns:\n{logs}"
    );
    for secret in [
        "zylberstein",
        "Zylberstein",
        "Quentin",
        "quentin",
        // The phone number as typed, in E.164 and national forms; not a bare
        // "555", which a random conversation id or a duration can contain.
        "415 555",
        "555 0199",
        "4155550199",
        "555-0199",
        token,
    ] {
        assert!(
            !logs.contains(secret),
            "{secret:?} leaked into the logs:\n{logs}"
        );
    }
}
