//! An endpoint's URL, checked when it is configured.

use std::fmt;

use url::Url;

use crate::Error;

/// The longest URL accepted.
const MAX_URL_BYTES: usize = 2048;

/// A webhook URL: `http` or `https`, with a host and no user name or
/// password (they would end up in logs and screens). Its
/// [`Debug`](fmt::Debug) and [`Display`](fmt::Display) show the scheme
/// and host only, because many receivers put a token in the path or query
/// (Slack's incoming webhooks do).
#[derive(Clone, PartialEq, Eq)]
pub struct EndpointUrl(Url);

impl EndpointUrl {
    /// Parses and checks a URL.
    pub fn parse(text: &str) -> Result<Self, Error> {
        if text.len() > MAX_URL_BYTES {
            return Err(Error::InvalidUrl("the URL is longer than 2048 bytes"));
        }
        let url = Url::parse(text.trim()).map_err(|_| Error::InvalidUrl("not a URL"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::InvalidUrl(
                "the URL must start with http:// or https://",
            ));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(Error::InvalidUrl("the URL has no host"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Error::InvalidUrl(
                "the URL may not contain a user name or password",
            ));
        }
        Ok(Self(url))
    }

    /// The whole URL, for the request and for storage.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    #[cfg(feature = "sender")]
    pub(crate) fn url(&self) -> &Url {
        &self.0
    }
}

impl fmt::Display for EndpointUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let host = self.0.host_str().unwrap_or_default();
        match self.0.port() {
            Some(port) => write!(f, "{}://{host}:{port}/…", self.0.scheme()),
            None => write!(f, "{}://{host}/…", self.0.scheme()),
        }
    }
}

impl fmt::Debug for EndpointUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EndpointUrl({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_scheme_host_and_credentials() {
        assert!(EndpointUrl::parse("https://crm.example.com/hooks/leads?token=abc").is_ok());
        for bad in [
            "",
            "crm.example.com/hook",
            "ftp://crm.example.com/",
            "file:///etc/passwd",
            "https://user:pass@crm.example.com/",
            "http://",
            &format!("https://e.com/{}", "a".repeat(2048)),
        ] {
            assert!(EndpointUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn display_hides_path_and_query() {
        let url = EndpointUrl::parse("https://hooks.example.com:8443/services/T0/B0/secret?x=1")
            .expect("url");
        assert_eq!(url.to_string(), "https://hooks.example.com:8443/…");
        assert!(!format!("{url:?}").contains("secret"));
    }
}
