//! `Retry-After` values a real server could send, through `OpenAiCompatible`
//! against a local wiremock server: none may panic the client, a wait too
//! long to honour is a typed error carrying the documented ceiling, and an
//! unreadable one falls back to the client's own backoff.
#![cfg(feature = "openai")]
#![allow(clippy::unwrap_used)] // test code

use std::time::{Duration, Instant, SystemTime};

use leadkit_llm::{
    Backoff, ChatContent, ChatMessage, ChatModel, ChatRequest, Error, OpenAiCompatible,
    OpenAiConfig,
};
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer, backoff: Backoff) -> OpenAiCompatible {
    let config = OpenAiConfig::new(format!("{}/v1", server.uri()), "gpt-4o-mini")
        .with_api_key("sk-test-key")
        .with_backoff(backoff);
    OpenAiCompatible::new(config).unwrap()
}

fn fast_backoff() -> Backoff {
    Backoff::new(Duration::from_millis(10), Duration::from_millis(40)).without_jitter()
}

fn request() -> ChatRequest {
    ChatRequest::new(vec![ChatMessage::user("Hi")])
}

fn completion() -> serde_json::Value {
    json!({
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1_731_000_000,
        "model": "gpt-4o-mini",
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": "ok"}}]
    })
}

/// A server that answers 429 with `name: value` once, then succeeds.
async fn rate_limited_once(name: &str, value: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header(name, value))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(completion()))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn absurdly_long_waits_are_a_rate_limit_error_with_the_ceiling() {
    let far_future = httpdate::fmt_http_date(
        SystemTime::UNIX_EPOCH + Duration::from_secs(253_402_300_799), // 9999-12-31
    );
    for (name, value) in [
        ("retry-after", "1e30"),
        ("retry-after", "inf"),
        ("retry-after", "18446744073709551615"),
        ("retry-after", far_future.as_str()),
        ("retry-after-ms", "1e300"),
    ] {
        let server = rate_limited_once(name, value).await;
        let started = Instant::now();
        let error = client(&server, fast_backoff())
            .complete(&request())
            .await
            .unwrap_err();
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{name}: {value}"
        );
        match error {
            Error::RateLimited {
                retry_after: Some(wait),
                attempts: 1,
            } => assert_eq!(wait, Backoff::RETRY_AFTER_CEILING, "{name}: {value}"),
            other => panic!("{name}: {value}: unexpected {other:?}"),
        }
    }
}

#[tokio::test]
async fn unreadable_waits_fall_back_to_the_clients_backoff() {
    for value in ["-1", "NaN", "-inf", "soon", ""] {
        let server = rate_limited_once("retry-after", value).await;
        let response = client(&server, fast_backoff())
            .complete(&request())
            .await
            .unwrap();
        assert_eq!(
            response.content,
            ChatContent::Text("ok".into()),
            "{value:?}"
        );
        assert_eq!(server.received_requests().await.unwrap().len(), 2);
    }
}

#[tokio::test]
async fn a_date_in_the_past_and_a_fractional_wait_are_honoured() {
    let past = httpdate::fmt_http_date(SystemTime::now() - Duration::from_secs(3600));
    let server = rate_limited_once("retry-after", &past).await;
    let started = Instant::now();
    client(&server, fast_backoff())
        .complete(&request())
        .await
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(2));

    let server = rate_limited_once("retry-after", "0.3").await;
    let started = Instant::now();
    client(&server, fast_backoff())
        .complete(&request())
        .await
        .unwrap();
    assert!(started.elapsed() >= Duration::from_millis(290));
}

#[tokio::test]
async fn a_ceiling_wait_is_slept_only_when_the_caller_allows_it() {
    // With `max_retry_after` at the ceiling, a huge wait is honoured: the
    // call is still pending after a moment, rather than failing or panicking.
    let server = rate_limited_once("retry-after", "1e30").await;
    let backoff = fast_backoff().with_max_retry_after(Backoff::RETRY_AFTER_CEILING);
    let pending = tokio::time::timeout(
        Duration::from_millis(300),
        client(&server, backoff).complete(&request()),
    )
    .await;
    assert!(pending.is_err(), "the one-day wait should still be running");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}
