//! Sends one signed request to one endpoint and says what happened.
//!
//! The sender protects the process it runs in: it connects only to
//! addresses the [`AddressPolicy`] allows (checked at connect time), never
//! follows a redirect (a redirect to an internal address would skip the
//! check), ignores proxy settings from the environment (a proxy would
//! resolve names where the check cannot see), has a total and a connect
//! timeout, and reads at most a few kilobytes of any response.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{CONTENT_TYPE, HeaderMap, RETRY_AFTER, USER_AGENT};
use reqwest::{StatusCode, redirect};
use rustls::ClientConfig;
use rustls_platform_verifier::BuilderVerifierExt;

use crate::Error;
use crate::address::{AddressPolicy, AddressRefused};
use crate::endpoint::EndpointUrl;
use crate::event::WebhookEvent;
use crate::resolve::GuardedResolver;
use crate::secret::SigningKeys;
use crate::signature::{HEADER_ID, HEADER_SIGNATURE, HEADER_TIMESTAMP, sign};

/// What one attempt ended with.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// A 2xx: delivered.
    Delivered,
    /// A 410 Gone: the receiver asks never to be called again; the
    /// endpoint should be disabled and the event not retried.
    Gone,
    /// Anything else: retry on the schedule.
    Failed(Failure),
}

/// Why an attempt failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Failure {
    /// The receiver answered with this status (3xx included: redirects
    /// are not followed).
    Status(u16),
    /// No answer within the timeout.
    Timeout,
    /// Every address of the endpoint is one the policy refuses.
    Refused(AddressRefused),
    /// The connection could not be made or broke.
    Connection,
}

/// One attempt: its outcome, status, timing and the receiver's
/// `Retry-After`. It holds nothing of the request or response body.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Attempt {
    /// The outcome.
    pub outcome: Outcome,
    /// The HTTP status, if one arrived.
    pub status: Option<u16>,
    /// From sending to the end of the (capped) response.
    pub latency: Duration,
    /// The receiver's `Retry-After`, capped at a day.
    pub retry_after: Option<Duration>,
}

/// A `Retry-After` longer than this is cut to it.
const RETRY_AFTER_CAP: Duration = Duration::from_secs(24 * 3600);

/// Builds a [`Sender`].
#[derive(Debug, Clone)]
pub struct SenderBuilder {
    policy: AddressPolicy,
    timeout: Duration,
    connect_timeout: Duration,
    max_response_bytes: usize,
}

impl Default for SenderBuilder {
    fn default() -> Self {
        Self {
            policy: AddressPolicy::public_only(),
            timeout: Duration::from_secs(15),
            connect_timeout: Duration::from_secs(5),
            max_response_bytes: 16 * 1024,
        }
    }
}

impl SenderBuilder {
    /// The addresses the sender may reach (default: public only).
    #[must_use]
    pub fn address_policy(mut self, policy: AddressPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// The most one attempt may take, response included (default 15 s).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The most opening a connection may take (default 5 s).
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The most of a response body that is read (default 16 KiB); the rest
    /// is dropped with the connection.
    #[must_use]
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// The sender.
    pub fn build(self) -> Result<Sender, Error> {
        let policy = Arc::new(self.policy);
        let client = reqwest::Client::builder()
            .tls_backend_preconfigured(tls_config()?)
            .dns_resolver(Arc::new(GuardedResolver {
                policy: Arc::clone(&policy),
            }))
            .redirect(redirect::Policy::none())
            .no_proxy()
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            .build()
            .map_err(Error::Client)?;
        Ok(Sender {
            client,
            policy,
            max_response_bytes: self.max_response_bytes,
        })
    }
}

/// Sends signed webhook requests.
#[derive(Debug, Clone)]
pub struct Sender {
    client: reqwest::Client,
    policy: Arc<AddressPolicy>,
    max_response_bytes: usize,
}

impl Sender {
    /// A builder with the defaults.
    pub fn builder() -> SenderBuilder {
        SenderBuilder::default()
    }

    /// Posts `event` to `url`, signed at `now` with `keys`.
    pub async fn send(
        &self,
        url: &EndpointUrl,
        keys: &SigningKeys,
        event: &WebhookEvent,
        now: SystemTime,
    ) -> Attempt {
        let started = Instant::now();
        let failed = |failure, status| Attempt {
            outcome: Outcome::Failed(failure),
            status,
            latency: started.elapsed(),
            retry_after: None,
        };
        // The resolver only sees names: an address written in the URL is
        // checked here.
        if let Some(Err(refused)) = literal_address(url).map(|ip| self.policy.check(ip)) {
            return failed(Failure::Refused(refused), None);
        }
        let body = event.body();
        let signed = sign(keys, event.id.as_str(), now, &body);
        let request = self
            .client
            .post(url.url().clone())
            .header(CONTENT_TYPE, "application/json")
            .header(
                USER_AGENT,
                concat!("leadkit-webhook/", env!("CARGO_PKG_VERSION")),
            )
            .header(HEADER_ID, &signed.id)
            .header(HEADER_TIMESTAMP, signed.timestamp.to_string())
            .header(HEADER_SIGNATURE, &signed.signature)
            .body(body);
        let mut response = match request.send().await {
            Ok(response) => response,
            Err(error) => return failed(transport_failure(&error), None),
        };
        let status = response.status();
        let retry_after = retry_after(response.headers(), now);
        // Read a bounded part of the body, so the connection can be reused
        // for a small answer and a huge one costs nothing.
        let mut read = 0_usize;
        while read < self.max_response_bytes {
            match response.chunk().await {
                Ok(Some(chunk)) => read = read.saturating_add(chunk.len()),
                Ok(None) | Err(_) => break,
            }
        }
        let outcome = if status.is_success() {
            Outcome::Delivered
        } else if status == StatusCode::GONE {
            Outcome::Gone
        } else {
            Outcome::Failed(Failure::Status(status.as_u16()))
        };
        Attempt {
            outcome,
            status: Some(status.as_u16()),
            latency: started.elapsed(),
            retry_after,
        }
    }
}

fn literal_address(url: &EndpointUrl) -> Option<std::net::IpAddr> {
    // An IPv6 host is written in brackets; a name does not parse.
    let host = url.url().host_str()?;
    host.trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .ok()
}

fn transport_failure(error: &reqwest::Error) -> Failure {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(cause) = source {
        if let Some(refused) = cause.downcast_ref::<AddressRefused>() {
            return Failure::Refused(*refused);
        }
        source = cause.source();
    }
    if error.is_timeout() {
        Failure::Timeout
    } else {
        Failure::Connection
    }
}

/// `Retry-After` in seconds or as an HTTP date, capped at a day.
fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    let wait = match value.parse::<u64>() {
        Ok(seconds) => Duration::from_secs(seconds),
        Err(_) => httpdate::parse_http_date(value)
            .ok()?
            .duration_since(now)
            .unwrap_or(Duration::ZERO),
    };
    Some(wait.min(RETRY_AFTER_CAP))
}

/// rustls on `ring` with the platform's verifier, handed to reqwest so the
/// library installs no process-wide provider (leadkit-llm's client does
/// the same for the same reason).
fn tls_config() -> Result<ClientConfig, Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|source| Error::Tls {
            reason: "TLS protocol versions are not supported",
            source,
        })?
        .with_platform_verifier()
        .map_err(|source| Error::Tls {
            reason: "the platform certificate verifier is unavailable",
            source,
        })?
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(value: &str) -> HeaderMap {
        let mut map = HeaderMap::new();
        map.insert(RETRY_AFTER, HeaderValue::from_str(value).expect("header"));
        map
    }

    #[test]
    fn retry_after_cannot_overflow_and_is_capped() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(
            retry_after(&headers("7"), now),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            retry_after(&headers("18446744073709551615"), now),
            Some(RETRY_AFTER_CAP)
        );
        assert_eq!(retry_after(&headers("1e30"), now), None);
        let later = httpdate::fmt_http_date(now + Duration::from_secs(90));
        assert_eq!(
            retry_after(&headers(&later), now),
            Some(Duration::from_secs(90))
        );
        let earlier = httpdate::fmt_http_date(now - Duration::from_secs(90));
        assert_eq!(retry_after(&headers(&earlier), now), Some(Duration::ZERO));
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }
}
