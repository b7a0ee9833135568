//! What the router tests share: a router on the in-memory store with two
//! bots, requests with and without the admin token, and seeded leads.
// Each test file uses some of these helpers, and a test binary warns about
// the ones it does not.
#![allow(dead_code)]

use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{Request, Response, StatusCode, header};
use chrono::{DateTime, Duration, TimeZone, Utc};
use leadkit_axum::{AdminToken, Leadkit, Responder};
use leadkit_core::{BotId, ContactDetails, ConversationId, LeadId, Policy, WorkspaceId};
use leadkit_engine::engine::{Engine, StaticPolicies, VisitorVerifier};
use leadkit_store::{Bot, BotStore, LeadStore, LeadUpsert, MemoryStore};
use serde_json::Value;
use tower::ServiceExt;

pub(crate) const TOKEN: &str = "test-admin-token-0123456789";
pub(crate) const WS: WorkspaceId = WorkspaceId::from_u128(0xA);
pub(crate) const SALES: BotId = BotId::from_u128(0xB1);
pub(crate) const SUPPORT: BotId = BotId::from_u128(0xB2);

/// Answers from a fixed text and counts its calls.
#[derive(Default)]
pub(crate) struct Canned {
    pub(crate) calls: AtomicUsize,
}

#[async_trait]
impl Responder for Canned {
    async fn answer(&self, _bot: BotId, _conversation: ConversationId, message: &str) -> String {
        self.calls.fetch_add(1, Ordering::SeqCst);
        format!("Answer to: {}", message.len())
    }
}

pub(crate) struct Fixture {
    pub(crate) app: Router,
    pub(crate) store: Arc<MemoryStore>,
    pub(crate) responder: Arc<Canned>,
}

pub(crate) async fn fixture_with(policy: Policy) -> Fixture {
    fixture_configured(policy, |config| config).await
}

/// A fixture whose router configuration `configure` adjusts.
pub(crate) async fn fixture_configured(
    policy: Policy,
    configure: impl FnOnce(Leadkit) -> Leadkit,
) -> Fixture {
    let store = Arc::new(MemoryStore::new());
    store
        .put_bot(WS, &Bot::new(SALES, WS, "Sales bot"))
        .await
        .unwrap();
    store
        .put_bot(WS, &Bot::new(SUPPORT, WS, "Support bot"))
        .await
        .unwrap();
    let engine = Engine::builder()
        .store(store.clone())
        .policies(Arc::new(StaticPolicies::new(policy)))
        .visitor_verifier(VisitorVerifier::new(vec![9; 32]).unwrap())
        .build()
        .unwrap();
    let responder = Arc::new(Canned::default());
    let app = configure(Leadkit::new(
        engine,
        WS,
        AdminToken::new(TOKEN).unwrap(),
        responder.clone(),
    ))
    .router();
    Fixture {
        app,
        store,
        responder,
    }
}

pub(crate) async fn fixture() -> Fixture {
    fixture_with(Policy::after_first_query()).await
}

pub(crate) async fn send(app: &Router, request: Request<Body>) -> Response<Body> {
    app.clone().oneshot(request).await.unwrap()
}

pub(crate) async fn body_text(response: Response<Body>) -> String {
    String::from_utf8(
        to_bytes(response.into_body(), 64 << 20)
            .await
            .unwrap()
            .to_vec(),
    )
    .unwrap()
}

pub(crate) async fn body_json(response: Response<Body>) -> Value {
    serde_json::from_str(&body_text(response).await).unwrap()
}

pub(crate) fn chat_request(body: Value) -> Request<Body> {
    Request::post("/chat")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

pub(crate) fn admin_get(uri: &str) -> Request<Body> {
    Request::get(uri)
        .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
        .body(Body::empty())
        .unwrap()
}

pub(crate) async fn chat(app: &Router, body: Value) -> Value {
    let response = send(app, chat_request(body)).await;
    assert_eq!(response.status(), StatusCode::OK);
    body_json(response).await
}

pub(crate) fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, 12, 0, 0).unwrap()
}

pub(crate) async fn seed(
    store: &MemoryStore,
    n: u128,
    bot: BotId,
    details: ContactDetails,
    at: DateTime<Utc>,
) -> LeadId {
    store
        .upsert_lead(WS, &LeadUpsert::new(LeadId::from_u128(n), bot, details, at))
        .await
        .unwrap()
        .lead
        .id
}

pub(crate) fn login(token: &str) -> Request<Body> {
    Request::post("/admin/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "dash.example")
        .header(header::ORIGIN, "https://dash.example")
        .body(Body::from(format!("token={token}")))
        .unwrap()
}

pub(crate) async fn session_cookie(app: &Router) -> String {
    let response = send(app, login(TOKEN)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[header::LOCATION], "/admin/leads");
    let cookie = response.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_owned();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/admin", "Secure"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    assert!(
        !cookie.contains(TOKEN),
        "the cookie must not carry the token itself"
    );
    cookie.split(';').next().unwrap().to_owned()
}

pub(crate) async fn seed_five(store: &MemoryStore) -> Vec<LeadId> {
    let people = [
        ("Álvaro Núñez", "alvaro@example.com", SALES, 0),
        ("Bea Ortiz", "bea@example.org", SUPPORT, 1),
        ("Chen Wei", "chen@example.com", SALES, 2),
        ("Dana Scott", "dana@example.net", SUPPORT, 3),
        ("Eve Adams", "eve@example.com", SALES, 40),
    ];
    let mut ids = Vec::new();
    for (n, (name, email, bot, days)) in people.into_iter().enumerate() {
        let details = ContactDetails::new().with_name(name).with_email(email);
        ids.push(
            seed(
                store,
                n as u128 + 1,
                bot,
                details,
                t0() + Duration::days(days),
            )
            .await,
        );
    }
    ids
}

pub(crate) async fn names(app: &Router, query: &str) -> (Vec<String>, Value) {
    let response = send(app, admin_get(&format!("/admin/api/leads?{query}"))).await;
    assert_eq!(response.status(), StatusCode::OK, "{query}");
    let body = body_json(response).await;
    let names = body["leads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap().to_owned())
        .collect();
    (names, body)
}

/// Everything a log subscriber writes. leadkit-engine's log test has the
/// same few lines: test crates share code only through a support crate,
/// which this is too small to be worth.
#[derive(Clone, Default)]
pub(crate) struct Captured(Arc<Mutex<Vec<u8>>>);

/// Records everything logged, at every level, until the guard drops.
pub(crate) fn capture_logs() -> (Captured, tracing::subscriber::DefaultGuard) {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    (captured, tracing::subscriber::set_default(subscriber))
}

impl Captured {
    pub(crate) fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

impl io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
