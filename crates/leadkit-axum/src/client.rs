//! Which address a request comes from, for throttling and rate limits.

use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;
use axum::http::{HeaderName, Request};

/// Where the client's address is read from.
///
/// By default it is the TCP peer address, which axum records when the app
/// is served with
/// [`into_make_service_with_connect_info::<SocketAddr>()`](axum::Router::into_make_service_with_connect_info).
/// Behind a reverse proxy every request has the proxy's address, so name
/// the header the proxy sets instead ([`ClientAddress::TrustedHeader`]),
/// and make sure clients cannot reach the app except through the proxy:
/// the header is believed as sent.
///
/// A request whose address cannot be read (no connect info, a missing or
/// malformed header) counts as coming from one shared "unknown" client, so
/// a misconfiguration makes limits stricter, never absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClientAddress {
    /// The TCP peer address (axum's `ConnectInfo<SocketAddr>`).
    #[default]
    Peer,
    /// The last address in this header, as appended by your proxy:
    /// `X-Forwarded-For` (the rightmost entry is the one the proxy added),
    /// `X-Real-IP`, `Fly-Client-IP` …
    TrustedHeader(HeaderName),
}

/// The address requests with no readable client address share.
pub(crate) const UNKNOWN: IpAddr = IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED);

impl ClientAddress {
    /// The client's address for `request`, or the shared unknown address.
    pub fn of<B>(&self, request: &Request<B>) -> IpAddr {
        self.read(request.headers(), request.extensions())
    }

    pub(crate) fn read(
        &self,
        headers: &axum::http::HeaderMap,
        extensions: &axum::http::Extensions,
    ) -> IpAddr {
        let found = match self {
            ClientAddress::Peer => extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(addr)| addr.ip()),
            ClientAddress::TrustedHeader(name) => headers
                .get_all(name)
                .iter()
                .next_back()
                .and_then(|value| value.to_str().ok())
                .and_then(|value| value.rsplit(',').next())
                .and_then(|last| last.trim().parse::<IpAddr>().ok()),
        };
        found.map_or(UNKNOWN, canonical)
    }
}

/// IPv4-mapped IPv6 addresses as IPv4, so one client is one key.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        IpAddr::V4(_) => ip,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_come_from_the_peer_or_the_trusted_header_only() {
        let mut request = Request::new(());
        request.headers_mut().insert(
            "x-forwarded-for",
            "203.0.113.9, 198.51.100.7".parse().unwrap(),
        );
        assert_eq!(ClientAddress::Peer.of(&request), UNKNOWN);
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from(([10, 0, 0, 1], 4000))));
        assert_eq!(
            ClientAddress::Peer.of(&request),
            "10.0.0.1".parse::<IpAddr>().unwrap()
        );
        let header = ClientAddress::TrustedHeader(HeaderName::from_static("x-forwarded-for"));
        assert_eq!(
            header.of(&request),
            "198.51.100.7".parse::<IpAddr>().unwrap()
        );
        let real_ip = ClientAddress::TrustedHeader(HeaderName::from_static("x-real-ip"));
        assert_eq!(real_ip.of(&request), UNKNOWN);
        request
            .headers_mut()
            .insert("x-real-ip", "::ffff:192.0.2.1".parse().unwrap());
        assert_eq!(real_ip.of(&request), "192.0.2.1".parse::<IpAddr>().unwrap());
        request
            .headers_mut()
            .insert("x-real-ip", "not an address".parse().unwrap());
        assert_eq!(real_ip.of(&request), UNKNOWN);
    }
}
