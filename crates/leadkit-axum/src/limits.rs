//! Abuse limits: tower layers for per-client rate and global concurrency,
//! and the chat endpoint's per-conversation limits.
//!
//! The layers wrap any service that answers with an axum [`Response`]
//! (mount them on the router: `router.layer(…)`); the chat limits are
//! checked by `POST /chat` itself because they depend on the conversation
//! the body names ([`Leadkit::chat_limits`](crate::Leadkit::chat_limits)).
//! Every refusal is `429 Too Many Requests` with `Retry-After` and a JSON
//! body `{"error": code, "message": text}`.
//!
//! Rates are counted in this process (GCRA, from the `governor` crate):
//! with `n` servers behind a load balancer, a client gets up to `n` times
//! the rate. The turn cap per conversation is read from the store, so it
//! holds across servers.

use std::convert::Infallible;
use std::future::Future;
use std::hash::Hash;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use tokio::sync::Semaphore;
use tower::{Layer, Service};

use crate::ClientAddress;
use crate::error::ApiError;

/// A rate: `burst` requests at once, refilled at `per_minute` per minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    quota: Quota,
}

impl Rate {
    /// `per_minute` requests a minute, up to `burst` at once. Zeros are
    /// taken as one.
    pub fn per_minute(per_minute: u32, burst: u32) -> Self {
        Self::with_quota(Quota::per_minute(non_zero(per_minute)), burst)
    }

    /// `per_hour` requests an hour, up to `burst` at once.
    pub fn per_hour(per_hour: u32, burst: u32) -> Self {
        Self::with_quota(Quota::per_hour(non_zero(per_hour)), burst)
    }

    fn with_quota(quota: Quota, burst: u32) -> Self {
        Self {
            quota: quota.allow_burst(non_zero(burst)),
        }
    }
}

fn non_zero(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN)
}

/// An in-process keyed limiter that forgets idle keys as it goes, so its
/// memory stays bounded by the clients active within one refill period.
pub(crate) struct Keyed<K: Hash + Eq + Clone> {
    limiter: DefaultKeyedRateLimiter<K>,
    checks: AtomicU32,
}

impl<K: Hash + Eq + Clone> Keyed<K> {
    pub(crate) fn new(rate: Rate) -> Self {
        Self {
            limiter: DefaultKeyedRateLimiter::hashmap(rate.quota),
            checks: AtomicU32::new(0),
        }
    }

    /// `Err(wait)` when `key` is over its rate.
    pub(crate) fn check(&self, key: &K) -> Result<(), Duration> {
        if self.checks.fetch_add(1, Ordering::Relaxed) % 4096 == 4095 {
            self.limiter.retain_recent();
        }
        self.limiter
            .check_key(key)
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }
}

/// The refusal: `429` with `Retry-After` (whole seconds, at least one).
pub(crate) fn too_many(code: &'static str, message: &'static str, wait: Duration) -> ApiError {
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    ApiError::new(StatusCode::TOO_MANY_REQUESTS, code, message).retry_after(seconds.max(1))
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

/// A refusal as the layers' response future.
fn refused(error: ApiError) -> BoxFuture<Result<Response, Infallible>> {
    Box::pin(std::future::ready(Ok(error.into_response())))
}

/// The service that `poll_ready` readied, to serve this request; a fresh
/// clone takes its place for the next (tower's usual pattern).
fn take_ready<S: Clone>(inner: &mut S) -> S {
    let clone = inner.clone();
    std::mem::replace(inner, clone)
}

/// Limits the request rate of each client address (a tower [`Layer`]).
///
/// ```
/// use leadkit_axum::{ClientAddress, limits::{ClientRateLimitLayer, Rate}};
///
/// let layer = ClientRateLimitLayer::new(Rate::per_minute(60, 20), ClientAddress::Peer);
/// // leadkit.router().layer(layer)
/// # let _ = layer;
/// ```
#[derive(Clone)]
pub struct ClientRateLimitLayer {
    limiter: Arc<Keyed<IpAddr>>,
    source: ClientAddress,
}

impl std::fmt::Debug for ClientRateLimitLayer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientRateLimitLayer")
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

impl ClientRateLimitLayer {
    /// `rate` per client address, read from `source`.
    pub fn new(rate: Rate, source: ClientAddress) -> Self {
        Self {
            limiter: Arc::new(Keyed::new(rate)),
            source,
        }
    }
}

impl<S> Layer<S> for ClientRateLimitLayer {
    type Service = ClientRateLimit<S>;

    fn layer(&self, inner: S) -> Self::Service {
        ClientRateLimit {
            inner,
            layer: self.clone(),
        }
    }
}

/// The service [`ClientRateLimitLayer`] makes.
#[derive(Clone, Debug)]
pub struct ClientRateLimit<S> {
    inner: S,
    layer: ClientRateLimitLayer,
}

// The two layers' services have the same signature (an axum service in, an
// axum service out, refusals as responses); only `call` differs.
impl<S> Service<Request> for ClientRateLimit<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = BoxFuture<Result<Response, Infallible>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let client = self.layer.source.of(&request);
        if let Err(wait) = self.layer.limiter.check(&client) {
            tracing::warn!(%client, "request refused: client over its rate limit");
            return refused(too_many(
                "rate_limited",
                "too many requests from this address; wait and try again",
                wait,
            ));
        }
        Box::pin(take_ready(&mut self.inner).call(request))
    }
}

/// Caps the requests in progress at once; the next ones get `429` at once
/// rather than queueing (a tower [`Layer`]).
#[derive(Clone, Debug)]
pub struct ConcurrencyLimitLayer {
    permits: Arc<Semaphore>,
}

impl ConcurrencyLimitLayer {
    /// At most `max` requests in progress (at least one).
    pub fn new(max: usize) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(max.max(1))),
        }
    }
}

impl<S> Layer<S> for ConcurrencyLimitLayer {
    type Service = ConcurrencyLimit<S>;

    fn layer(&self, inner: S) -> Self::Service {
        ConcurrencyLimit {
            inner,
            permits: self.permits.clone(),
        }
    }
}

/// The service [`ConcurrencyLimitLayer`] makes.
#[derive(Clone, Debug)]
pub struct ConcurrencyLimit<S> {
    inner: S,
    permits: Arc<Semaphore>,
}

impl<S> Service<Request> for ConcurrencyLimit<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = BoxFuture<Result<Response, Infallible>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let Ok(permit) = self.permits.clone().try_acquire_owned() else {
            tracing::warn!("request refused: the server is at its concurrency limit");
            return refused(too_many(
                "server_busy",
                "the server is busy; try again in a moment",
                Duration::from_secs(1),
            ));
        };
        let mut inner = take_ready(&mut self.inner);
        Box::pin(async move {
            let response = inner.call(request).await;
            drop(permit);
            response
        })
    }
}

/// Limits `POST /chat` applies per conversation and per client address.
/// [`Default`] is on: 20 turns a minute per conversation (burst 5), 200
/// visitor turns per conversation, 30 new conversations per address per
/// hour (burst 10).
#[derive(Debug, Clone, Copy)]
pub struct ChatLimits {
    pub(crate) per_conversation: Option<Rate>,
    pub(crate) max_turns: Option<u32>,
    pub(crate) new_conversations: Option<Rate>,
}

impl Default for ChatLimits {
    fn default() -> Self {
        Self {
            per_conversation: Some(Rate::per_minute(20, 5)),
            max_turns: Some(200),
            new_conversations: Some(Rate::per_hour(30, 10)),
        }
    }
}

impl ChatLimits {
    /// No chat limits at all (for tests and trusted callers).
    pub fn none() -> Self {
        Self {
            per_conversation: None,
            max_turns: None,
            new_conversations: None,
        }
    }

    /// The turn rate of one conversation, or `None` for no limit.
    #[must_use]
    pub fn per_conversation(mut self, rate: Option<Rate>) -> Self {
        self.per_conversation = rate;
        self
    }

    /// The most visitor turns one conversation may have, or `None`.
    #[must_use]
    pub fn max_turns(mut self, turns: Option<u32>) -> Self {
        self.max_turns = turns;
        self
    }

    /// How fast one client address may start conversations, or `None`
    /// (use [`Rate::per_hour`]).
    #[must_use]
    pub fn new_conversations(mut self, rate: Option<Rate>) -> Self {
        self.new_conversations = rate;
        self
    }
}

/// The chat limits' live counters.
pub(crate) struct ChatLimiters {
    pub(crate) limits: ChatLimits,
    pub(crate) per_conversation: Option<Keyed<leadkit_core::ConversationId>>,
    pub(crate) new_conversations: Option<Keyed<IpAddr>>,
}

impl ChatLimiters {
    pub(crate) fn new(limits: ChatLimits) -> Self {
        Self {
            limits,
            per_conversation: limits.per_conversation.map(Keyed::new),
            new_conversations: limits.new_conversations.map(Keyed::new),
        }
    }
}
