//! Disposable-provider detection (feature `disposable`).
//!
//! The list is the one maintained by the `mailchecker` project, loaded once
//! into a hash set on first use.

#[cfg(feature = "disposable")]
mod list {
    use std::collections::HashSet;
    use std::sync::LazyLock;

    static DOMAINS: LazyLock<HashSet<&'static str>> =
        LazyLock::new(|| mailchecker::blacklist().into_iter().collect());

    /// Whether `ascii_domain` (lowercase ASCII) or one of its parent domains
    /// is a known disposable provider.
    pub(crate) fn is_disposable_domain(ascii_domain: &str) -> bool {
        let mut rest = ascii_domain;
        loop {
            if DOMAINS.contains(rest) {
                return true;
            }
            match rest.split_once('.') {
                Some((_, parent)) if parent.contains('.') => rest = parent,
                _ => return false,
            }
        }
    }
}

#[cfg(feature = "disposable")]
pub(crate) use list::is_disposable_domain;

/// Without the `disposable` feature no domain is considered disposable.
#[cfg(not(feature = "disposable"))]
pub(crate) fn is_disposable_domain(_ascii_domain: &str) -> bool {
    false
}
