//! A DNS resolver for the sender that drops addresses the policy refuses.
//!
//! reqwest asks it when it opens a connection, and connects only to what
//! it returns. The check therefore sees the addresses actually used: a
//! name that resolved to a public address when the endpoint was saved and
//! to 127.0.0.1 now (DNS rebinding) is refused now.

use std::net::SocketAddr;
use std::sync::Arc;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use crate::address::{AddressPolicy, AddressRefused};

#[derive(Debug)]
pub(crate) struct GuardedResolver {
    pub(crate) policy: Arc<AddressPolicy>,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = Arc::clone(&self.policy);
        Box::pin(async move {
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((name.as_str(), 0)).await?.collect();
            let mut refused: Option<AddressRefused> = None;
            let allowed: Vec<SocketAddr> = found
                .into_iter()
                .filter(|addr| match policy.check(addr.ip()) {
                    Ok(()) => true,
                    Err(why) => {
                        refused.get_or_insert(why);
                        false
                    }
                })
                .collect();
            match (allowed.is_empty(), refused) {
                (true, Some(why)) => Err(Box::new(why) as Box<dyn std::error::Error + Send + Sync>),
                _ => Ok(Box::new(allowed.into_iter()) as Addrs),
            }
        })
    }
}
