//! Bytes from the internet through the axum router, in process
//! (`tower::ServiceExt::oneshot` on a router over a `MemoryStore`, built as
//! `crates/leadkit-axum/tests/common/mod.rs` builds it):
//!
//! - a chat request body (any bytes, JSON or not) gets a 200 or a 4xx,
//!   never a 5xx, and a body that is not a JSON object always a 4xx;
//! - an admin query string (signed in with the admin token) on the lead
//!   list, the CSV download and the pages gets a 200 or a 4xx, never a 5xx,
//!   and the whole body streams without an error.
#![no_main]

use std::sync::Arc;

use async_trait::async_trait;
use axum::body::{Body, to_bytes};
use axum::http::{Request, header};
use chrono::DateTime;
use leadkit_axum::{AdminToken, Leadkit, Responder};
use leadkit_core::{BotId, ContactDetails, ConversationId, LeadId, Policy, WorkspaceId};
use leadkit_engine::engine::{Engine, StaticPolicies, VisitorVerifier};
use leadkit_fuzz::runtime;
use leadkit_store::{Bot, BotStore, LeadStore, LeadUpsert, MemoryStore};
use libfuzzer_sys::fuzz_target;
use tower::ServiceExt;

const TOKEN: &str = "fuzz-admin-token-0123456789";
const WS: WorkspaceId = WorkspaceId::from_u128(0xA);
const SALES: BotId = BotId::from_u128(0xB1);

/// The admin routes that read a query string.
const ADMIN_PATHS: [&str; 4] = [
    "/admin/api/leads",
    "/admin/api/leads.csv",
    "/admin/leads",
    "/admin/conversations",
];

struct Echo;

#[async_trait]
impl Responder for Echo {
    async fn answer(&self, _bot: BotId, _conversation: ConversationId, message: &str) -> String {
        format!("{} bytes", message.len())
    }
}

/// A fresh router per input, so that a crash replays on its own.
async fn app() -> axum::Router {
    let store = Arc::new(MemoryStore::new());
    store
        .put_bot(WS, &Bot::new(SALES, WS, "Sales bot"))
        .await
        .expect("a bot");
    for (n, details) in [
        ContactDetails::new()
            .with_name("Ana")
            .with_email("ana@example.com"),
        ContactDetails::new()
            .with_name("=cmd()")
            .with_phone("+14155552671"),
    ]
    .into_iter()
    .enumerate()
    {
        let lead = LeadUpsert::new(
            LeadId::from_u128(n as u128 + 1),
            SALES,
            details,
            DateTime::UNIX_EPOCH,
        );
        store.upsert_lead(WS, &lead).await.expect("a lead");
    }
    let engine = Engine::builder()
        .store(store)
        .policies(Arc::new(StaticPolicies::new(Policy::after_first_query())))
        .visitor_verifier(VisitorVerifier::new(vec![9; 32]).expect("a key"))
        .build()
        .expect("an engine");
    Leadkit::new(
        engine,
        WS,
        AdminToken::new(TOKEN).expect("a token"),
        Arc::new(Echo),
    )
    .router()
}

/// Percent-encodes what a URI cannot hold raw, keeping `%` (so malformed
/// escapes reach the parser) and every other byte a browser may send.
fn query_string(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?%".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

async fn check(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let app = app().await;
    let (request, must_refuse) = if selector < 128 {
        let request = Request::post("/chat")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(rest.to_vec()))
            .expect("a request");
        // serde skips the strings of unknown fields without checking their
        // UTF-8, so judge the shape of the text, not its encoding.
        let is_object = serde_json::from_str::<serde_json::Value>(&String::from_utf8_lossy(rest))
            .is_ok_and(|v| v.is_object());
        (request, !is_object)
    } else {
        let path = ADMIN_PATHS[usize::from(selector) % ADMIN_PATHS.len()];
        let Ok(request) = Request::get(format!("{path}?{}", query_string(rest)))
            .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
            .body(Body::empty())
        else {
            return;
        };
        (request, false)
    };
    let response = app
        .oneshot(request)
        .await
        .expect("the router is infallible");
    let status = response.status();
    assert!(
        status.is_success() || status.is_client_error(),
        "status {status}"
    );
    if must_refuse {
        assert!(
            status.is_client_error(),
            "a body that is not a JSON object got {status}"
        );
    }
    to_bytes(response.into_body(), 64 << 20)
        .await
        .expect("the body streams to its end");
}

fuzz_target!(|data: &[u8]| {
    runtime().block_on(check(data));
});
