//! [`OpenAiCompatible`]: a [`ChatModel`] for any OpenAI-compatible endpoint.

mod retry;
mod tls;

use std::fmt;
use std::time::{Duration, Instant, SystemTime};

use async_trait::async_trait;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue, USER_AGENT};
use reqwest::{StatusCode, Url};

pub use retry::Backoff;
use retry::{Jitter, retry_after};

use crate::openai_wire as wire;
use crate::{BoxError, ChatModel, ChatRequest, ChatResponse, Error};

/// Error bodies are read up to this size, for their error code.
const MAX_ERROR_BODY: usize = 16 * 1024;

/// Where and how an [`OpenAiCompatible`] client connects.
///
/// `Debug` never shows the API key or header values.
///
/// ```
/// use std::time::Duration;
/// use leadkit_llm::OpenAiConfig;
///
/// let config = OpenAiConfig::new("https://api.openai.com/v1", "gpt-4o-mini")
///     .with_api_key("sk-secret")
///     .with_read_timeout(Duration::from_secs(20))
///     .with_max_retries(3);
/// assert!(!format!("{config:?}").contains("sk-secret"));
///
/// // Azure OpenAI: the deployment in the path, the key in an `api-key` header.
/// let azure = OpenAiConfig::new("https://example.openai.azure.com/openai/deployments/chat", "gpt-4o-mini")
///     .with_header("api-key", "secret")
///     .with_query("api-version", "2024-10-21");
/// # let _ = azure;
/// ```
#[derive(Clone)]
#[non_exhaustive]
pub struct OpenAiConfig {
    /// The API base URL, up to and without `/chat/completions`
    /// (`https://api.openai.com/v1`, `http://localhost:11434/v1` for Ollama,
    /// `http://localhost:8000/v1` for vLLM, `http://localhost:8080/v1` for
    /// llama.cpp server, `http://localhost:1234/v1` for LM Studio).
    pub base_url: String,
    /// The model name sent with each request.
    pub model: String,
    api_key: Option<String>,
    headers: Vec<(String, String)>,
    query: Vec<(String, String)>,
    /// How long connecting may take. Default 10 s.
    pub connect_timeout: Duration,
    /// How long the server may stay silent while answering (each read).
    /// Default 60 s.
    pub read_timeout: Duration,
    /// How long a whole request may take (`None`: no limit beyond the read
    /// timeout). Default 120 s.
    pub request_timeout: Option<Duration>,
    /// Retries after a 429 or 5xx answer (other 4xx answers are never
    /// retried). Default 2.
    pub max_retries: u32,
    /// Waits between retries.
    pub backoff: Backoff,
}

impl OpenAiConfig {
    /// A configuration for `model` at `base_url`, without an API key (local
    /// servers need none).
    pub fn new(base_url: impl Into<String>, model: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            model: model.into(),
            api_key: None,
            headers: Vec::new(),
            query: Vec::new(),
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(60),
            request_timeout: Some(Duration::from_secs(120)),
            max_retries: 2,
            backoff: Backoff::default(),
        }
    }

    /// With an API key, sent as `Authorization: Bearer …`.
    #[must_use]
    pub fn with_api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// With an extra header on every request (`api-key` for Azure,
    /// `OpenAI-Organization` …). Values are treated as secrets.
    #[must_use]
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// With an extra query parameter on every request (`api-version` for
    /// Azure).
    #[must_use]
    pub fn with_query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// With another connect timeout.
    #[must_use]
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// With another read timeout.
    #[must_use]
    pub fn with_read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// With another whole-request timeout.
    #[must_use]
    pub fn with_request_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// With another number of retries.
    #[must_use]
    pub fn with_max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// With other waits between retries.
    #[must_use]
    pub fn with_backoff(mut self, backoff: Backoff) -> Self {
        self.backoff = backoff;
        self
    }

    /// Whether an API key is set.
    pub fn has_api_key(&self) -> bool {
        self.api_key.is_some()
    }
}

impl fmt::Debug for OpenAiConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = |pairs: &[(String, String)]| -> Vec<String> {
            pairs.iter().map(|(name, _)| name.clone()).collect()
        };
        f.debug_struct("OpenAiConfig")
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("headers", &names(&self.headers))
            .field("query", &names(&self.query))
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("max_retries", &self.max_retries)
            .field("backoff", &self.backoff)
            .finish()
    }
}

/// A [`ChatModel`] for any OpenAI-compatible `/chat/completions` endpoint:
/// OpenAI, Azure OpenAI, Ollama, vLLM, llama.cpp server, LM Studio …
///
/// - HTTPS through reqwest and rustls on the `ring` provider, verifying
///   certificates with the platform's verifier;
/// - connect, read and whole-request timeouts;
/// - retries on 429 and 5xx with exponential backoff and jitter, honouring
///   `Retry-After` (seconds or HTTP date) and `retry-after-ms`; no retry on
///   other 4xx answers;
/// - lenient decoding of the servers' quirks (see the `wire` module docs);
/// - typed errors: [`Error::Auth`], [`Error::RateLimited`],
///   [`Error::Timeout`], [`Error::Connect`], [`Error::Server`],
///   [`Error::Rejected`], [`Error::BadResponse`];
/// - the API key is a sensitive header, never in `Debug`, errors or logs;
///   error bodies are read only for their error code, as they may echo the
///   prompt.
///
/// ```no_run
/// # async fn run() -> Result<(), leadkit_llm::Error> {
/// use leadkit_llm::{HybridAnalyzer, LlmAnalyzer, OpenAiCompatible, OpenAiConfig, StructuredOutput};
///
/// let model = OpenAiCompatible::new(
///     OpenAiConfig::new("http://localhost:11434/v1", "llama3.2").with_max_retries(1),
/// )?;
/// let analyzer = HybridAnalyzer::from_llm(
///     LlmAnalyzer::new(model).with_structured_output(StructuredOutput::JsonSchema),
/// );
/// # let _ = analyzer;
/// # Ok(())
/// # }
/// ```
pub struct OpenAiCompatible {
    client: reqwest::Client,
    url: Url,
    config: OpenAiConfig,
    jitter: Jitter,
}

impl fmt::Debug for OpenAiCompatible {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpenAiCompatible")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl OpenAiCompatible {
    /// A client for `config`. Fails on a base URL that does not parse or a
    /// header that is not valid HTTP.
    pub fn new(config: OpenAiConfig) -> Result<Self, Error> {
        let mut url = Url::parse(config.base_url.trim_end_matches('/'))
            .map_err(|e| config_error("the base URL does not parse", Box::new(e)))?;
        if url.cannot_be_a_base() || !matches!(url.scheme(), "http" | "https") {
            return Err(Error::Config {
                reason: "the base URL must be an http or https URL",
                source: None,
            });
        }
        let path = format!("{}/chat/completions", url.path().trim_end_matches('/'));
        url.set_path(&path);
        if !config.query.is_empty() {
            url.query_pairs_mut().extend_pairs(config.query.iter());
        }

        let mut headers = HeaderMap::new();
        headers.insert(
            USER_AGENT,
            HeaderValue::from_static(concat!("leadkit-llm/", env!("CARGO_PKG_VERSION"))),
        );
        if let Some(key) = &config.api_key {
            let mut value =
                HeaderValue::from_str(&format!("Bearer {key}")).map_err(|_| Error::Config {
                    reason: "the API key contains characters not allowed in an HTTP header",
                    source: None,
                })?;
            value.set_sensitive(true);
            headers.insert(AUTHORIZATION, value);
        }
        for (name, value) in &config.headers {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|e| config_error("an extra header name is not valid HTTP", Box::new(e)))?;
            let mut value = HeaderValue::from_str(value).map_err(|_| Error::Config {
                reason: "an extra header value contains characters not allowed in HTTP",
                source: None,
            })?;
            value.set_sensitive(true);
            headers.insert(name, value);
        }

        let mut builder = reqwest::Client::builder()
            .default_headers(headers)
            .connect_timeout(config.connect_timeout)
            .read_timeout(config.read_timeout)
            .tls_backend_preconfigured(tls::client_config()?);
        if let Some(timeout) = config.request_timeout {
            builder = builder.timeout(timeout);
        }
        let client = builder.build().map_err(|e| {
            config_error(
                "the HTTP client could not be built",
                Box::new(e.without_url()),
            )
        })?;
        Ok(Self {
            client,
            url,
            config,
            jitter: Jitter::from_clock(),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &OpenAiConfig {
        &self.config
    }

    /// The full URL requests go to.
    pub fn endpoint(&self) -> &str {
        self.url.as_str()
    }
}

#[async_trait]
impl ChatModel for OpenAiCompatible {
    async fn complete(&self, request: &ChatRequest) -> Result<ChatResponse, Error> {
        let body = wire::request_body(&self.config.model, request);
        let wants_json = request.json_schema.is_some();
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let started = Instant::now();
            let sent = self.client.post(self.url.clone()).json(&body).send().await;
            let response = match sent {
                Ok(response) => response,
                Err(error) => {
                    tracing::debug!(
                        attempt,
                        latency_ms = elapsed_ms(started),
                        "chat completion failed to send"
                    );
                    return Err(transport_error(error, attempt));
                }
            };
            let status = response.status();
            tracing::debug!(
                model = %self.config.model,
                attempt,
                status = status.as_u16(),
                latency_ms = elapsed_ms(started),
                "chat completion answered"
            );
            if status.is_success() {
                let bytes = response
                    .bytes()
                    .await
                    .map_err(|error| transport_error(error, attempt))?;
                return wire::decode(&bytes, wants_json);
            }

            let wait = retry_after(response.headers(), SystemTime::now());
            let code = error_code(response).await;
            let retryable = status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error();
            let retries_left = attempt <= self.config.max_retries;
            let wait_ok = wait.is_none_or(|w| w <= self.config.backoff.max_retry_after);
            if retryable && retries_left && wait_ok {
                let delay =
                    wait.unwrap_or_else(|| self.config.backoff.jittered(attempt, &self.jitter));
                tracing::warn!(
                    attempt,
                    status = status.as_u16(),
                    delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                    "chat completion will be retried"
                );
                tokio::time::sleep(delay).await;
                continue;
            }
            return Err(match status.as_u16() {
                401 | 403 => Error::Auth {
                    status: status.as_u16(),
                    code,
                },
                429 => Error::RateLimited {
                    retry_after: wait,
                    attempts: attempt,
                },
                500..=599 => Error::Server {
                    status: status.as_u16(),
                    attempts: attempt,
                },
                other => Error::Rejected {
                    status: other,
                    code,
                },
            });
        }
    }
}

/// The error code of an error answer, reading at most [`MAX_ERROR_BODY`].
async fn error_code(mut response: reqwest::Response) -> Option<String> {
    let mut body = Vec::new();
    while let Ok(Some(chunk)) = response.chunk().await {
        body.extend_from_slice(&chunk);
        if body.len() > MAX_ERROR_BODY {
            return None;
        }
    }
    wire::error_code(&body)
}

fn transport_error(error: reqwest::Error, attempts: u32) -> Error {
    // The URL is dropped from the error: it is configuration, not news, and
    // keeps query parameters out of logs.
    let error = error.without_url();
    if error.is_timeout() {
        Error::Timeout {
            attempts,
            source: Box::new(error),
        }
    } else if error.is_connect() {
        Error::Connect {
            source: Box::new(error),
        }
    } else if error.is_builder() {
        config_error("the request could not be built", Box::new(error))
    } else {
        Error::Transport {
            source: Box::new(error),
        }
    }
}

fn config_error(reason: &'static str, source: BoxError) -> Error {
    Error::Config {
        reason,
        source: Some(source),
    }
}

fn elapsed_ms(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
}
