//! The part after the `@`: UTS #46 (IDNA) mapping, DNS shape rules and the
//! special-use domain list.

use std::net::{Ipv4Addr, Ipv6Addr};

use idna::uts46::{AsciiDenyList, DnsLength, Hyphens, Uts46};

use crate::email::EmailOptions;
use crate::error::Error;

/// DNS limits (RFC 1035), on the ASCII form.
const MAX_DOMAIN_LEN: usize = 253;
const MAX_LABEL_LEN: usize = 63;

/// Special-use and reserved top-level names that cannot have a globally
/// deliverable address (RFC 6761, 6762, 7686, 9476 and python-email-validator's
/// list; `internal` and `alt` are added, see the crate docs).
const SPECIAL_USE: &[&str] = &[
    "arpa",
    "invalid",
    "local",
    "localhost",
    "onion",
    "test",
    "internal",
    "alt",
];

/// A checked domain.
pub(super) struct Domain {
    /// Lowercase ASCII (Punycode) form, or the literal as typed.
    pub(super) ascii: String,
    /// Lowercase Unicode form, or the literal as typed.
    pub(super) unicode: String,
    /// Whether this is an IP address literal.
    pub(super) is_literal: bool,
}

pub(super) fn check(raw: &str, options: &EmailOptions) -> Result<Domain, Error> {
    let domain = if raw.starts_with('(') || raw.ends_with(')') {
        if !options.allow_comments {
            return Err(Error::EmailComment);
        }
        strip_outer_comments(raw)?
    } else {
        raw
    };
    if domain.is_empty() {
        return Err(Error::EmailNoDomain);
    }
    if domain.starts_with('[') {
        return check_literal(domain, options);
    }
    if domain.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::EmailDomainCharacters);
    }
    let uts46 = Uts46::new();
    let ascii = uts46
        .to_ascii(
            domain.as_bytes(),
            AsciiDenyList::STD3,
            Hyphens::Allow,
            DnsLength::Ignore,
        )
        .map_err(|_| Error::EmailDomainCharacters)?
        .into_owned();
    check_shape(&ascii, options)?;
    let (unicode, result) = uts46.to_unicode(ascii.as_bytes(), AsciiDenyList::STD3, Hyphens::Allow);
    if result.is_err() {
        return Err(Error::EmailDomainCharacters);
    }
    // The Unicode form must map back to the same ASCII form, or the
    // normalised address would not validate again (a Punycode label that
    // decodes to another "xn--" label, found by fuzzing).
    if unicode != ascii {
        let back = uts46.to_ascii(
            unicode.as_bytes(),
            AsciiDenyList::STD3,
            Hyphens::Allow,
            DnsLength::Ignore,
        );
        if back.ok().as_deref() != Some(ascii.as_str()) {
            return Err(Error::EmailDomainCharacters);
        }
    }
    Ok(Domain {
        unicode: unicode.into_owned(),
        ascii,
        is_literal: false,
    })
}

/// DNS shape rules on the ASCII form.
fn check_shape(ascii: &str, options: &EmailOptions) -> Result<(), Error> {
    if ascii.is_empty() {
        return Err(Error::EmailNoDomain);
    }
    if ascii.split('.').any(str::is_empty) {
        return Err(Error::EmailDomainDots);
    }
    for label in ascii.split('.') {
        if label.starts_with('-') || label.ends_with('-') {
            return Err(Error::EmailDomainHyphens);
        }
        // UTS #46 CheckHyphens: "--" in third and fourth position is reserved
        // for Punycode ("xn--").
        if label.get(2..4) == Some("--") && !label.starts_with("xn--") {
            return Err(Error::EmailDomainHyphens);
        }
        if label.len() > MAX_LABEL_LEN {
            return Err(Error::EmailDomainTooLong);
        }
    }
    if ascii.len() > MAX_DOMAIN_LEN {
        return Err(Error::EmailDomainTooLong);
    }
    let tld = ascii.rsplit('.').next().unwrap_or(ascii);
    if !ascii.contains('.') && !options.allow_dotless_domain {
        return Err(Error::EmailDotlessDomain);
    }
    // Every top-level domain ends with a letter (python-email-validator's rule).
    if !ascii.ends_with(|c: char| c.is_ascii_alphabetic()) {
        return Err(Error::EmailTopLevelDomain);
    }
    if !options.allow_special_use_domain && SPECIAL_USE.contains(&tld) {
        return Err(Error::EmailSpecialUseDomain);
    }
    Ok(())
}

fn check_literal(domain: &str, options: &EmailOptions) -> Result<Domain, Error> {
    if !options.allow_ip_literal {
        return Err(Error::EmailIpLiteral);
    }
    let inner = domain
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
        .ok_or(Error::EmailDomainCharacters)?;
    let valid = match inner.get(..5) {
        Some(tag) if tag.eq_ignore_ascii_case("IPv6:") => inner
            .get(5..)
            .is_some_and(|ip| ip.parse::<Ipv6Addr>().is_ok()),
        _ => inner.parse::<Ipv4Addr>().is_ok(),
    };
    if !valid {
        return Err(Error::EmailIpLiteral);
    }
    Ok(Domain {
        ascii: domain.to_owned(),
        unicode: domain.to_owned(),
        is_literal: true,
    })
}

/// Strips one `( … )` comment (nesting allowed) from each end of `raw`.
pub(super) fn strip_outer_comments(raw: &str) -> Result<&str, Error> {
    let mut s = raw;
    if s.starts_with('(') {
        let end = closing_paren(s).ok_or(Error::EmailComment)?;
        s = s.get(end + 1..).ok_or(Error::EmailComment)?;
    }
    if s.ends_with(')') {
        let start = opening_paren_from_end(s).ok_or(Error::EmailComment)?;
        s = s.get(..start).ok_or(Error::EmailComment)?;
    }
    Ok(s)
}

/// Byte index of the `)` matching the `(` at index 0.
fn closing_paren(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Byte index of the `(` matching the final `)`.
// The mirror of `closing_paren` (scanning backwards, the parentheses
// swapped): a shared function taking a direction would read worse than the
// two short loops.
fn opening_paren_from_end(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in s.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}
