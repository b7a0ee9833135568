//! Errors of configuration. A delivery that fails is not an error: it is
//! an [`Attempt`](crate::Attempt) with a failure outcome, to be retried.

/// Why a webhook could not be set up. No variant quotes a secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A secret's text is not `whsec_` and 24 to 64 bytes of base64.
    #[error("invalid webhook secret: {0}")]
    InvalidSecret(&'static str),
    /// An endpoint URL was refused.
    #[error("invalid webhook URL: {0}")]
    InvalidUrl(&'static str),
    /// An event id read back is not one this crate writes.
    #[error("invalid webhook event id")]
    InvalidEventId,
    /// The operating system's random source failed.
    #[error("the random source failed: {0}")]
    Random(getrandom::Error),
    #[cfg(feature = "sender")]
    /// The TLS configuration could not be built.
    #[error("TLS setup failed: {reason}")]
    Tls {
        /// What failed.
        reason: &'static str,
        /// The cause.
        #[source]
        source: rustls::Error,
    },
    #[cfg(feature = "sender")]
    /// The HTTP client could not be built.
    #[error("the HTTP client could not be built")]
    Client(#[source] reqwest::Error),
}
