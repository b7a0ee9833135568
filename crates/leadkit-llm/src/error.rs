//! The crate's error type.

use std::time::Duration;

/// A boxed underlying error, kept as the `source` of an [`Error`].
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// What went wrong while analyzing a turn or calling a model.
///
/// Messages never contain the visitor's text, the prompt, the model's answer
/// or an API key; match on the variant, not on the message.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The endpoint refused the credentials (HTTP 401 or 403).
    #[error(
        "the model endpoint refused the credentials (HTTP {status}); check the API key and its permissions"
    )]
    Auth {
        /// The HTTP status.
        status: u16,
        /// The error code the server gave (`"invalid_api_key"` …), if any.
        code: Option<String>,
    },
    /// The endpoint kept answering 429 (Too Many Requests) after every retry.
    #[error(
        "the model endpoint is rate limiting requests after {attempts} attempt(s); retry later or lower the request rate"
    )]
    RateLimited {
        /// The wait the server asked for in its last answer, if any.
        retry_after: Option<Duration>,
        /// How many requests were made.
        attempts: u32,
    },
    /// The endpoint did not answer in time (connect or read timeout).
    #[error(
        "the model endpoint did not answer in time after {attempts} attempt(s); raise the timeout or check the server"
    )]
    Timeout {
        /// How many requests were made.
        attempts: u32,
        /// The underlying error.
        #[source]
        source: BoxError,
    },
    /// No connection could be made (refused, DNS failure, TLS failure).
    #[error(
        "could not connect to the model endpoint; check the base URL and that the server is running"
    )]
    Connect {
        /// The underlying error.
        #[source]
        source: BoxError,
    },
    /// The endpoint kept failing with a server error (HTTP 5xx) after every retry.
    #[error(
        "the model endpoint failed with HTTP {status} after {attempts} attempt(s); retry later"
    )]
    Server {
        /// The last HTTP status.
        status: u16,
        /// How many requests were made.
        attempts: u32,
    },
    /// The endpoint rejected the request (HTTP 4xx other than 401, 403 and
    /// 429): usually a wrong model name, path or unsupported parameter. Not
    /// retried.
    #[error(
        "the model endpoint rejected the request (HTTP {status}); check the base URL, the model name and the structured-output setting"
    )]
    Rejected {
        /// The HTTP status.
        status: u16,
        /// The error code the server gave, if any.
        code: Option<String>,
    },
    /// The endpoint answered, but not with a chat completion this client can
    /// read.
    #[error("the model endpoint's answer could not be read: {reason}")]
    BadResponse {
        /// What was wrong, in words that carry no content.
        reason: &'static str,
        /// The underlying decoding error, if any.
        #[source]
        source: Option<BoxError>,
    },
    /// The model answered, but its answer is not valid structured output for
    /// the turn (not JSON, or JSON of the wrong shape). Try another
    /// [`StructuredOutput`](crate::StructuredOutput) setting or a stronger
    /// model.
    #[error("the model's answer is not the structured output asked for: {reason}")]
    InvalidOutput {
        /// What was wrong, in words that carry no content.
        reason: &'static str,
        /// The underlying decoding error, if any.
        #[source]
        source: Option<BoxError>,
    },
    /// The client is misconfigured (a base URL that does not parse, a header
    /// name or value that is not valid HTTP).
    #[error("the model client is misconfigured: {reason}")]
    Config {
        /// What to fix.
        reason: &'static str,
        /// The underlying error, if any.
        #[source]
        source: Option<BoxError>,
    },
    /// Another transport failure (the connection dropped mid-answer …).
    #[error("the request to the model endpoint failed; retry, or check the network")]
    Transport {
        /// The underlying error.
        #[source]
        source: BoxError,
    },
}

impl Error {
    /// Whether trying again later might succeed (rate limits, timeouts,
    /// server errors, connection and transport failures).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Error::RateLimited { .. }
                | Error::Timeout { .. }
                | Error::Server { .. }
                | Error::Connect { .. }
                | Error::Transport { .. }
        )
    }
}
