//! Which addresses the sender may connect to.
//!
//! A webhook URL is chosen by whoever configures the endpoint, and a DNS
//! name can point anywhere, at any time. Without a check, an endpoint
//! becomes a way to make the server call its own admin ports, the cloud
//! metadata service or the office network (SSRF). The check runs on the
//! addresses actually connected to (see `resolve.rs`), not on the URL.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::{IpNet, Ipv4Net, Ipv6Net};

/// The addresses a sender may reach: public unicast addresses only, plus
/// the networks the integrator allows explicitly (for tests on loopback,
/// or an intranet CRM).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddressPolicy {
    allowed: Vec<IpNet>,
}

/// An address the policy refuses. Its text names the address, which is
/// the endpoint's configuration and not personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{address} is a {kind} address, which webhooks may not reach")]
pub struct AddressRefused {
    /// The address.
    pub address: IpAddr,
    /// What kind of address it is.
    pub kind: &'static str,
}

impl AddressPolicy {
    /// Public addresses only.
    pub fn public_only() -> Self {
        Self::default()
    }

    /// Also allows `network` (e.g. `"127.0.0.1/32".parse()?` in tests).
    #[must_use]
    pub fn allow(mut self, network: IpNet) -> Self {
        self.allowed.push(network);
        self
    }

    /// Whether `address` may be connected to.
    pub fn check(&self, address: IpAddr) -> Result<(), AddressRefused> {
        let address = canonical(address);
        if self.allowed.iter().any(|net| net.contains(&address)) {
            return Ok(());
        }
        match non_public_kind(address) {
            Some(kind) => Err(AddressRefused { address, kind }),
            None => Ok(()),
        }
    }
}

/// An IPv6 address that only wraps an IPv4 one (mapped, or NAT64's
/// well-known prefix) is judged as that IPv4 address.
fn canonical(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return IpAddr::V4(v4);
            }
            let [a, b, ..] = v6.segments();
            if a == 0x64 && b == 0xff9b && v6.segments()[2..6] == [0; 4] {
                let o = v6.octets();
                return IpAddr::V4(Ipv4Addr::new(o[12], o[13], o[14], o[15]));
            }
            IpAddr::V6(v6)
        }
        v4 => v4,
    }
}

/// The special-purpose ranges (IANA's registries) that are not reachable
/// public unicast addresses, with what to call them.
const V4_RANGES: [(Ipv4Addr, u8, &str); 14] = [
    (Ipv4Addr::new(0, 0, 0, 0), 8, "\"this network\""),
    (Ipv4Addr::new(10, 0, 0, 0), 8, "private"),
    (
        Ipv4Addr::new(100, 64, 0, 0),
        10,
        "shared (carrier-grade NAT)",
    ),
    (Ipv4Addr::new(127, 0, 0, 0), 8, "loopback"),
    // Includes the cloud metadata service, 169.254.169.254.
    (Ipv4Addr::new(169, 254, 0, 0), 16, "link-local"),
    (Ipv4Addr::new(172, 16, 0, 0), 12, "private"),
    (Ipv4Addr::new(192, 0, 0, 0), 24, "protocol-assignment"),
    (Ipv4Addr::new(192, 0, 2, 0), 24, "documentation"),
    (Ipv4Addr::new(192, 168, 0, 0), 16, "private"),
    (Ipv4Addr::new(198, 18, 0, 0), 15, "benchmarking"),
    (Ipv4Addr::new(198, 51, 100, 0), 24, "documentation"),
    (Ipv4Addr::new(203, 0, 113, 0), 24, "documentation"),
    (Ipv4Addr::new(224, 0, 0, 0), 4, "multicast"),
    (Ipv4Addr::new(240, 0, 0, 0), 4, "reserved"),
];

const V6_RANGES: [(Ipv6Addr, u8, &str); 9] = [
    (Ipv6Addr::UNSPECIFIED, 128, "unspecified"),
    (Ipv6Addr::LOCALHOST, 128, "loopback"),
    (Ipv6Addr::new(0x100, 0, 0, 0, 0, 0, 0, 0), 64, "discard"),
    (
        Ipv6Addr::new(0x2001, 0, 0, 0, 0, 0, 0, 0),
        23,
        "protocol-assignment",
    ),
    (
        Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0),
        32,
        "documentation",
    ),
    // 6to4 embeds an IPv4 address anywhere, private ones included.
    (Ipv6Addr::new(0x2002, 0, 0, 0, 0, 0, 0, 0), 16, "6to4"),
    // Unique local: includes cloud metadata such as fd00:ec2::254.
    (
        Ipv6Addr::new(0xfc00, 0, 0, 0, 0, 0, 0, 0),
        7,
        "unique-local",
    ),
    (Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, 0), 10, "link-local"),
    (Ipv6Addr::new(0xff00, 0, 0, 0, 0, 0, 0, 0), 8, "multicast"),
];

fn non_public_kind(address: IpAddr) -> Option<&'static str> {
    match address {
        IpAddr::V4(v4) => {
            if v4 == Ipv4Addr::BROADCAST {
                return Some("broadcast");
            }
            V4_RANGES
                .iter()
                .find(|(net, len, _)| Ipv4Net::new(*net, *len).is_ok_and(|n| n.contains(&v4)))
                .map(|(_, _, kind)| *kind)
        }
        IpAddr::V6(v6) => {
            // The old site-local range fec0::/10 and IPv4-compatible
            // addresses ::a.b.c.d are deprecated and never public.
            if v6.segments()[0] & 0xffc0 == 0xfec0 {
                return Some("site-local");
            }
            if v6.segments()[..6] == [0; 6] {
                return Some("IPv4-compatible");
            }
            V6_RANGES
                .iter()
                .find(|(net, len, _)| Ipv6Net::new(*net, *len).is_ok_and(|n| n.contains(&v6)))
                .map(|(_, _, kind)| *kind)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("address")
    }

    #[test]
    fn every_special_range_is_refused() {
        let policy = AddressPolicy::public_only();
        for address in [
            "0.0.0.0",
            "10.1.2.3",
            "100.64.0.1",
            "127.0.0.1",
            "127.8.8.8",
            "169.254.169.254",
            "172.16.0.1",
            "172.31.255.255",
            "192.0.0.8",
            "192.0.2.1",
            "192.168.1.1",
            "198.18.0.1",
            "198.51.100.7",
            "203.0.113.9",
            "224.0.0.1",
            "240.0.0.1",
            "255.255.255.255",
            "::",
            "::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a9fe:a9fe",
            "::127.0.0.1",
            "100::1",
            "2001:db8::1",
            "2002:7f00:1::",
            "fc00::1",
            "fd00:ec2::254",
            "fe80::1",
            "fec0::1",
            "ff02::1",
        ] {
            assert!(
                policy.check(ip(address)).is_err(),
                "{address} must be refused"
            );
        }
    }

    #[test]
    fn public_addresses_pass() {
        let policy = AddressPolicy::public_only();
        for address in [
            "1.1.1.1",
            "8.8.8.8",
            "172.32.0.1",
            "100.128.0.1",
            "2606:4700:4700::1111",
            "::ffff:1.1.1.1",
            "64:ff9b::808:808",
        ] {
            assert_eq!(policy.check(ip(address)), Ok(()), "{address}");
        }
    }

    #[test]
    fn an_allowed_network_passes_and_nothing_else_does() {
        let policy = AddressPolicy::public_only().allow("127.0.0.1/32".parse().expect("net"));
        assert_eq!(policy.check(ip("127.0.0.1")), Ok(()));
        assert_eq!(policy.check(ip("::ffff:127.0.0.1")), Ok(()));
        let refused = policy.check(ip("127.0.0.2")).expect_err("refused");
        assert_eq!(refused.kind, "loopback");
        assert!(refused.to_string().contains("127.0.0.2"));
    }
}
