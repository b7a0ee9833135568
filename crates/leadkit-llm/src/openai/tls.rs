//! rustls on the `ring` provider, with the platform's certificate
//! verifier.
//!
//! reqwest's own `rustls` feature brings aws-lc-rs, a large C build; its
//! `rustls-no-provider` feature leaves the provider to us. Installing a
//! process-wide default provider from a library would surprise the
//! application, so the client gets a preconfigured `ClientConfig` instead.

use std::sync::Arc;

use rustls::ClientConfig;
use rustls_platform_verifier::BuilderVerifierExt;

use crate::Error;

/// A TLS client configuration on `ring` with the platform verifier.
pub(crate) fn client_config() -> Result<ClientConfig, Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| config_error("TLS protocol versions are not supported", e))?
        .with_platform_verifier()
        .map_err(|e| config_error("the platform certificate verifier is unavailable", e))?
        .with_no_client_auth();
    // The client speaks HTTP/1.1 only (no `http2` feature).
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

fn config_error(reason: &'static str, error: rustls::Error) -> Error {
    Error::Config {
        reason,
        source: Some(Box::new(error)),
    }
}
