//! Abuse limits: the per-client rate and concurrency layers, and the chat
//! endpoint's per-conversation rate, turn cap and new conversations per
//! address. Every refusal is a 429 with `Retry-After`.
#![allow(clippy::unwrap_used)] // test code

mod common;

use std::net::SocketAddr;
use std::sync::Arc;

use async_trait::async_trait;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use leadkit_axum::limits::{ChatLimits, ClientRateLimitLayer, ConcurrencyLimitLayer, Rate};
use leadkit_axum::{AdminToken, ClientAddress, Leadkit, Responder};
use leadkit_core::{BotId, ConversationId, Policy};
use leadkit_engine::engine::{Engine, StaticPolicies};
use leadkit_store::{Bot, BotStore, MemoryStore};
use serde_json::{Value, json};
use tokio::sync::Semaphore;

use common::*;

fn from(client: [u8; 4], mut request: Request<Body>) -> Request<Body> {
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from((client, 40_000))));
    request
}

async fn assert_refused(response: axum::http::Response<Body>, code: &str) {
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = response.headers()[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait >= 1, "{wait}");
    assert_eq!(body_json(response).await["error"], code);
}

#[tokio::test]
async fn a_client_over_its_rate_gets_429_and_others_do_not() {
    let f = fixture().await;
    let app = f.app.clone().layer(ClientRateLimitLayer::new(
        Rate::per_minute(1, 3),
        ClientAddress::Peer,
    ));
    let widget = || {
        Request::get("/leadkit/widget.js")
            .body(Body::empty())
            .unwrap()
    };
    for _ in 0..3 {
        let response = send(&app, from([192, 0, 2, 1], widget())).await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    let refused = send(&app, from([192, 0, 2, 1], widget())).await;
    assert_refused(refused, "rate_limited").await;
    let other = send(&app, from([192, 0, 2, 2], widget())).await;
    assert_eq!(other.status(), StatusCode::OK);

    // Behind a proxy, the trusted header decides and the peer does not.
    let app = f.app.clone().layer(ClientRateLimitLayer::new(
        Rate::per_minute(1, 1),
        ClientAddress::TrustedHeader(header::HeaderName::from_static("x-real-ip")),
    ));
    let via_proxy = |ip: &str| {
        let mut request = from([10, 0, 0, 1], widget());
        request
            .headers_mut()
            .insert("x-real-ip", ip.parse().unwrap());
        request
    };
    assert_eq!(send(&app, via_proxy("203.0.113.1")).await.status(), 200);
    assert_eq!(send(&app, via_proxy("203.0.113.2")).await.status(), 200);
    assert_refused(send(&app, via_proxy("203.0.113.1")).await, "rate_limited").await;
}

/// Holds every answer until released, to keep requests in progress.
struct Held(Arc<Semaphore>);

#[async_trait]
impl Responder for Held {
    async fn answer(&self, _bot: BotId, _conversation: ConversationId, _message: &str) -> String {
        let _permit = self.0.acquire().await.unwrap();
        "held".to_owned()
    }
}

#[tokio::test]
async fn requests_past_the_concurrency_limit_get_429_at_once() {
    let store = Arc::new(MemoryStore::new());
    store
        .put_bot(WS, &Bot::new(SALES, WS, "Sales bot"))
        .await
        .unwrap();
    let engine = Engine::builder()
        .store(store)
        .policies(Arc::new(StaticPolicies::new(Policy::disabled())))
        .build()
        .unwrap();
    let gate = Arc::new(Semaphore::new(0));
    let app = Leadkit::new(
        engine,
        WS,
        AdminToken::new(TOKEN).unwrap(),
        Arc::new(Held(gate.clone())),
    )
    .router()
    .layer(ConcurrencyLimitLayer::new(2));
    let held: Vec<_> = (0..2)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move {
                send(&app, chat_request(json!({"bot": SALES, "message": "hi"}))).await
            })
        })
        .collect();
    // Let both reach the responder.
    for _ in 0..50 {
        tokio::task::yield_now().await;
    }
    let refused = send(&app, chat_request(json!({"bot": SALES, "message": "hi"}))).await;
    assert_refused(refused, "server_busy").await;
    gate.add_permits(2);
    for request in held {
        assert_eq!(request.await.unwrap().status(), StatusCode::OK);
    }
    gate.add_permits(1);
    let after = send(&app, chat_request(json!({"bot": SALES, "message": "hi"}))).await;
    assert_eq!(after.status(), StatusCode::OK);
}

async fn turn(app: &axum::Router, client: [u8; 4], body: Value) -> axum::http::Response<Body> {
    send(app, from(client, chat_request(body))).await
}

#[tokio::test]
async fn a_conversation_is_limited_in_rate_and_length() {
    let f = fixture_configured(Policy::disabled(), |config| {
        config.chat_limits(ChatLimits::default().max_turns(None))
    })
    .await;
    let client = [192, 0, 2, 10];
    let first = body_json(turn(&f.app, client, json!({"bot": SALES, "message": "hi"})).await).await;
    let mut next = first.clone();
    next["bot"] = json!(SALES);
    next["message"] = json!("and again");
    // The default burst is five turns; the first was one of them.
    for _ in 0..4 {
        assert_eq!(turn(&f.app, client, next.clone()).await.status(), 200);
    }
    assert_refused(
        turn(&f.app, client, next.clone()).await,
        "conversation_rate_limited",
    )
    .await;
    // Another conversation is not affected.
    let other = turn(&f.app, client, json!({"bot": SALES, "message": "hi"})).await;
    assert_eq!(other.status(), 200);

    let f = fixture_configured(Policy::disabled(), |config| {
        config.chat_limits(ChatLimits::none().max_turns(Some(3)))
    })
    .await;
    let first = body_json(turn(&f.app, client, json!({"bot": SALES, "message": "hi"})).await).await;
    let mut next = first.clone();
    next["bot"] = json!(SALES);
    next["message"] = json!("more");
    for _ in 0..2 {
        assert_eq!(turn(&f.app, client, next.clone()).await.status(), 200);
    }
    assert_refused(
        turn(&f.app, client, next.clone()).await,
        "conversation_too_long",
    )
    .await;
}

#[tokio::test]
async fn an_address_may_start_only_so_many_conversations_an_hour() {
    let f = fixture_configured(Policy::disabled(), |config| {
        config.chat_limits(ChatLimits::none().new_conversations(Some(Rate::per_hour(1, 2))))
    })
    .await;
    let start = json!({"bot": SALES, "message": "hi"});
    for _ in 0..2 {
        assert_eq!(
            turn(&f.app, [192, 0, 2, 20], start.clone()).await.status(),
            200
        );
    }
    assert_refused(
        turn(&f.app, [192, 0, 2, 20], start.clone()).await,
        "too_many_conversations",
    )
    .await;
    assert_eq!(turn(&f.app, [192, 0, 2, 21], start).await.status(), 200);
}
