//! The sender against a real HTTP receiver on loopback, which verifies
//! each request with the Standard Webhooks project's own Rust verifier
//! (the `standardwebhooks` crate, an implementation independent of this
//! one) and answers as the test tells it to.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::post;
use chrono::{DateTime, Utc};
use leadkit_webhook::{
    AddressPolicy, EndpointUrl, EventId, EventType, Failure, Outcome, Sender, SigningKeys,
    WebhookEvent, WebhookSecret,
};
use tokio::sync::Mutex;

#[derive(Clone)]
struct Receiver {
    secrets: Vec<String>,
    verified: Arc<Mutex<Vec<(String, serde_json::Value)>>>,
    hits: Arc<AtomicUsize>,
}

async fn hook(State(rx): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    rx.hits.fetch_add(1, Ordering::SeqCst);
    for secret in &rx.secrets {
        let verifier = standardwebhooks::Webhook::new(secret).expect("secret");
        if verifier.verify(&body, &headers).is_err() {
            return StatusCode::UNAUTHORIZED;
        }
    }
    let id = headers["webhook-id"].to_str().expect("id").to_owned();
    rx.verified
        .lock()
        .await
        .push((id, serde_json::from_slice(&body).expect("json")));
    StatusCode::NO_CONTENT
}

async fn answer(State(rx): State<Receiver>) -> StatusCode {
    rx.hits.fetch_add(1, Ordering::SeqCst);
    StatusCode::OK
}

async fn serve(router: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, router).await.expect("serve") });
    addr
}

fn receiver(secrets: &[&WebhookSecret]) -> Receiver {
    Receiver {
        secrets: secrets.iter().map(|s| s.expose()).collect(),
        verified: Arc::default(),
        hits: Arc::default(),
    }
}

fn loopback_sender() -> Sender {
    Sender::builder()
        .address_policy(AddressPolicy::public_only().allow("127.0.0.1/32".parse().unwrap()))
        .timeout(Duration::from_millis(800))
        .build()
        .expect("sender")
}

fn event(kind: EventType) -> WebhookEvent {
    WebhookEvent::new(
        EventId::generate().unwrap(),
        kind,
        DateTime::<Utc>::from(SystemTime::now()),
        serde_json::json!({"lead": {"id": "3f1c", "email": "ana@example.com"}}),
    )
}

fn url(addr: SocketAddr, path: &str) -> EndpointUrl {
    EndpointUrl::parse(&format!("http://{addr}{path}")).unwrap()
}

#[tokio::test]
async fn an_independent_verifier_accepts_every_signature_through_a_rotation() {
    let old = WebhookSecret::generate().unwrap();
    let new = WebhookSecret::generate().unwrap();
    let mut keys = SigningKeys::new(old.clone());
    let sender = loopback_sender();

    // Before the rotation the receiver knows the old secret.
    let rx_old = receiver(&[&old]);
    let addr_old = serve(
        Router::new()
            .route("/hook", post(hook))
            .with_state(rx_old.clone()),
    )
    .await;
    let first = event(EventType::LeadCreated);
    let attempt = sender
        .send(&url(addr_old, "/hook"), &keys, &first, SystemTime::now())
        .await;
    assert_eq!(attempt.outcome, Outcome::Delivered, "{attempt:?}");
    assert_eq!(attempt.status, Some(204));

    // During the overlap both secrets sign: a receiver with either verifies.
    keys.rotate(new.clone(), SystemTime::now(), Duration::from_secs(3600));
    let rx_both = receiver(&[&old, &new]);
    let addr_both = serve(
        Router::new()
            .route("/hook", post(hook))
            .with_state(rx_both.clone()),
    )
    .await;
    let second = event(EventType::LeadUpdated);
    let attempt = sender
        .send(&url(addr_both, "/hook"), &keys, &second, SystemTime::now())
        .await;
    assert_eq!(attempt.outcome, Outcome::Delivered, "{attempt:?}");

    // After it, only the new secret signs: the old one no longer verifies.
    let after = SystemTime::now() + Duration::from_secs(3601);
    assert_eq!(keys.active(after).count(), 1);

    let got = rx_old.verified.lock().await.clone();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].0, first.id.as_str());
    assert_eq!(got[0].1["type"], "lead.created");
    assert_eq!(got[0].1["data"]["lead"]["email"], "ana@example.com");
    assert_eq!(rx_both.verified.lock().await[0].0, second.id.as_str());
}

#[tokio::test]
async fn a_tampered_or_wrongly_keyed_request_fails_the_independent_verifier() {
    let ours = WebhookSecret::generate().unwrap();
    let theirs = WebhookSecret::generate().unwrap();
    let rx = receiver(&[&theirs]);
    let addr = serve(
        Router::new()
            .route("/hook", post(hook))
            .with_state(rx.clone()),
    )
    .await;
    let attempt = loopback_sender()
        .send(
            &url(addr, "/hook"),
            &SigningKeys::new(ours),
            &event(EventType::Test),
            SystemTime::now(),
        )
        .await;
    assert_eq!(attempt.outcome, Outcome::Failed(Failure::Status(401)));
    assert!(rx.verified.lock().await.is_empty());
}

#[tokio::test]
async fn statuses_map_to_outcomes_and_retry_after_is_read() {
    let router = Router::new()
        .route(
            "/fail",
            post(|| async { StatusCode::INTERNAL_SERVER_ERROR }),
        )
        .route(
            "/busy",
            post(|| async { (StatusCode::SERVICE_UNAVAILABLE, [("retry-after", "120")]) }),
        )
        .route("/gone", post(|| async { StatusCode::GONE }))
        .route(
            "/moved",
            post(|| async {
                (
                    StatusCode::FOUND,
                    [("location", "http://169.254.169.254/latest/meta-data")],
                )
            }),
        );
    let addr = serve(router).await;
    let keys = SigningKeys::new(WebhookSecret::generate().unwrap());
    let sender = loopback_sender();
    let send = |path: &'static str| {
        let (sender, keys) = (sender.clone(), keys.clone());
        async move {
            sender
                .send(
                    &url(addr, path),
                    &keys,
                    &event(EventType::Test),
                    SystemTime::now(),
                )
                .await
        }
    };

    assert_eq!(
        send("/fail").await.outcome,
        Outcome::Failed(Failure::Status(500))
    );
    let busy = send("/busy").await;
    assert_eq!(busy.outcome, Outcome::Failed(Failure::Status(503)));
    assert_eq!(busy.retry_after, Some(Duration::from_secs(120)));
    assert_eq!(send("/gone").await.outcome, Outcome::Gone);
    // The redirect is reported, not followed (its target is the metadata
    // service, which the policy would refuse anyway).
    assert_eq!(
        send("/moved").await.outcome,
        Outcome::Failed(Failure::Status(302))
    );
}

#[tokio::test]
async fn slow_receivers_time_out_and_huge_answers_are_not_read_whole() {
    let router = Router::new()
        .route(
            "/slow",
            post(|| async {
                tokio::time::sleep(Duration::from_secs(5)).await;
                StatusCode::OK
            }),
        )
        .route(
            "/huge",
            post(|| async {
                // 1 GiB, produced lazily: reading it whole would take seconds.
                let chunk = Bytes::from(vec![b'x'; 64 * 1024]);
                let stream = futures_stream(chunk, 16 * 1024);
                Response::new(Body::from_stream(stream))
            }),
        );
    let addr = serve(router).await;
    let keys = SigningKeys::new(WebhookSecret::generate().unwrap());
    let sender = loopback_sender();
    let slow = sender
        .send(
            &url(addr, "/slow"),
            &keys,
            &event(EventType::Test),
            SystemTime::now(),
        )
        .await;
    assert_eq!(slow.outcome, Outcome::Failed(Failure::Timeout));
    assert!(slow.latency < Duration::from_secs(3), "{:?}", slow.latency);
    let huge = sender
        .send(
            &url(addr, "/huge"),
            &keys,
            &event(EventType::Test),
            SystemTime::now(),
        )
        .await;
    assert_eq!(huge.outcome, Outcome::Delivered);
    assert!(
        huge.latency < Duration::from_millis(800),
        "{:?}",
        huge.latency
    );
}

fn futures_stream(
    chunk: Bytes,
    times: usize,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> {
    futures_util::stream::iter(std::iter::repeat_n(chunk, times).map(Ok))
}

#[tokio::test]
async fn loopback_is_refused_by_default_even_through_a_name() {
    let rx = receiver(&[]);
    let addr = serve(
        Router::new()
            .route("/hook", post(answer))
            .with_state(rx.clone()),
    )
    .await;
    let public_only = Sender::builder().build().expect("sender");
    let keys = SigningKeys::new(WebhookSecret::generate().unwrap());
    for target in [
        format!("http://{addr}/hook"),
        format!("http://localhost:{}/hook", addr.port()),
    ] {
        let attempt = public_only
            .send(
                &EndpointUrl::parse(&target).unwrap(),
                &keys,
                &event(EventType::Test),
                SystemTime::now(),
            )
            .await;
        match attempt.outcome {
            Outcome::Failed(Failure::Refused(refused)) => {
                assert_eq!(refused.kind, "loopback", "{target}")
            }
            other => panic!("{target}: {other:?}"),
        }
    }
    assert_eq!(
        rx.hits.load(Ordering::SeqCst),
        0,
        "the receiver was never called"
    );
}

#[tokio::test]
async fn a_receiver_that_is_down_is_a_connection_failure() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let attempt = loopback_sender()
        .send(
            &url(addr, "/hook"),
            &SigningKeys::new(WebhookSecret::generate().unwrap()),
            &event(EventType::Test),
            SystemTime::now(),
        )
        .await;
    assert_eq!(attempt.outcome, Outcome::Failed(Failure::Connection));
}
