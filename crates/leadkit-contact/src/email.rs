//! Email address validation and normalisation.
//!
//! The policy follows python-email-validator's defaults (see the crate docs
//! for the deliberate differences): unquoted local parts (ASCII or
//! internationalised), internationalised domains converted with UTS #46, no
//! quoted local parts, IP literals, comments, dotless or special-use domains
//! unless an option allows them.

mod domain;
mod local;

use std::fmt;

use crate::error::{Error, Field};
use crate::typo;

/// The longest address accepted, in bytes (RFC 5321 path limit less the angle brackets).
const MAX_ADDRESS_LEN: usize = 254;

/// Options for [`validate_email`].
///
/// `EmailOptions::default()` is the strict, practical policy for an address a
/// visitor gives in order to be contacted; each `allow_*` flag relaxes one rule.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct EmailOptions {
    /// Accept a quoted local part such as `"john smith"@example.com`. Default `false`.
    pub allow_quoted_local_part: bool,
    /// Accept an IP address literal as the domain (`me@[192.0.2.1]`,
    /// `me@[IPv6:2001:db8::1]`). Default `false`.
    pub allow_ip_literal: bool,
    /// Accept (and strip) RFC 5322 comments at either end of the local part
    /// or domain (`john(work)@example.com`). Default `false`.
    pub allow_comments: bool,
    /// Accept a domain without a dot (`me@localhost`). Default `false`.
    pub allow_dotless_domain: bool,
    /// Accept special-use and reserved domains (`.test`, `.localhost`,
    /// `.local`, `.invalid`, `.onion`, `.arpa`, `.internal`, `.alt`). Default `false`.
    pub allow_special_use_domain: bool,
    /// Look for a likely typo in a common provider's domain (`gmial.com`) and
    /// report it as [`Email::suggestion`]. The address itself is never changed.
    /// Default `true`.
    pub suggest_typos: bool,
    /// Reject addresses at known disposable providers with
    /// [`Error::EmailDisposable`] instead of only flagging them with
    /// [`Email::is_disposable`]. Default `false`. Needs the `disposable`
    /// feature; without it no address is ever considered disposable.
    pub reject_disposable: bool,
}

impl Default for EmailOptions {
    fn default() -> Self {
        Self {
            allow_quoted_local_part: false,
            allow_ip_literal: false,
            allow_comments: false,
            allow_dotless_domain: false,
            allow_special_use_domain: false,
            suggest_typos: true,
            reject_disposable: false,
        }
    }
}

impl EmailOptions {
    /// The default options (same as `EmailOptions::default()`).
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets [`allow_quoted_local_part`](Self::allow_quoted_local_part).
    #[must_use]
    pub fn with_quoted_local_part(mut self, allow: bool) -> Self {
        self.allow_quoted_local_part = allow;
        self
    }

    /// Sets [`allow_ip_literal`](Self::allow_ip_literal).
    #[must_use]
    pub fn with_ip_literal(mut self, allow: bool) -> Self {
        self.allow_ip_literal = allow;
        self
    }

    /// Sets [`allow_comments`](Self::allow_comments).
    #[must_use]
    pub fn with_comments(mut self, allow: bool) -> Self {
        self.allow_comments = allow;
        self
    }

    /// Sets [`allow_dotless_domain`](Self::allow_dotless_domain).
    #[must_use]
    pub fn with_dotless_domain(mut self, allow: bool) -> Self {
        self.allow_dotless_domain = allow;
        self
    }

    /// Sets [`allow_special_use_domain`](Self::allow_special_use_domain).
    #[must_use]
    pub fn with_special_use_domain(mut self, allow: bool) -> Self {
        self.allow_special_use_domain = allow;
        self
    }

    /// Sets [`suggest_typos`](Self::suggest_typos).
    #[must_use]
    pub fn with_typo_suggestions(mut self, suggest: bool) -> Self {
        self.suggest_typos = suggest;
        self
    }

    /// Sets [`reject_disposable`](Self::reject_disposable).
    #[must_use]
    pub fn with_reject_disposable(mut self, reject: bool) -> Self {
        self.reject_disposable = reject;
        self
    }
}

/// A validated, normalised email address.
///
/// Its `Debug` output is redacted (`Email(<redacted>)`): the address is
/// personal data. Use [`Email::as_str`] or `Display` to get at it on purpose.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Email {
    /// `local@unicode-domain`.
    normalized: String,
    /// Byte index of the separating `@` in `normalized`.
    at: usize,
    /// The domain as lowercase ASCII (Punycode for internationalised labels).
    ascii_domain: String,
    suggestion: Option<String>,
    disposable: bool,
}

impl Email {
    /// The normalised address: the local part as typed (case kept) and the
    /// domain lowercased, in Unicode form.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.normalized
    }

    /// The part before the `@`, case kept.
    #[must_use]
    pub fn local_part(&self) -> &str {
        self.normalized.get(..self.at).unwrap_or_default()
    }

    /// The domain in Unicode form, lowercased (`臺網中心.tw`).
    #[must_use]
    pub fn domain(&self) -> &str {
        self.normalized.get(self.at + 1..).unwrap_or_default()
    }

    /// The domain as lowercase ASCII, with internationalised labels in
    /// Punycode (`xn--fiqq24b10vi0d.tw`).
    #[must_use]
    pub fn ascii_domain(&self) -> &str {
        &self.ascii_domain
    }

    /// The whole address in ASCII (`local@ascii-domain`), or `None` when the
    /// local part is internationalised (such an address needs SMTPUTF8).
    #[must_use]
    pub fn ascii(&self) -> Option<String> {
        let local = self.local_part();
        local
            .is_ascii()
            .then(|| format!("{local}@{}", self.ascii_domain))
    }

    /// A likely intended address when the domain looks like a typo of a
    /// common provider (`ann@gmial.com` → `ann@gmail.com`). Offer it to the
    /// visitor; the validated address is unchanged.
    #[must_use]
    pub fn suggestion(&self) -> Option<&str> {
        self.suggestion.as_deref()
    }

    /// Whether the domain belongs to a known disposable email provider.
    /// Always `false` without the `disposable` feature.
    #[must_use]
    pub fn is_disposable(&self) -> bool {
        self.disposable
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Email(<redacted>)")
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.normalized)
    }
}

/// Validates and normalises an email address typed by a visitor.
///
/// The input is taken as it is: surrounding white space makes it invalid,
/// so trim form input first if that is your policy.
///
/// # Errors
///
/// A typed reason (see [`Error`]) when the address is not acceptable under
/// `options`.
///
/// # Examples
///
/// ```
/// use leadkit_contact::{validate_email, EmailOptions, Error};
///
/// let email = validate_email("Ann.Lee@Example.COM", &EmailOptions::default())?;
/// assert_eq!(email.as_str(), "Ann.Lee@example.com");
///
/// let typo = validate_email("ann@gmial.com", &EmailOptions::default())?;
/// assert_eq!(typo.suggestion(), Some("ann@gmail.com"));
///
/// let err = validate_email("ann@", &EmailOptions::default()).unwrap_err();
/// assert_eq!(err, Error::EmailNoDomain);
/// assert_eq!(err.to_string(), "that email address has no domain part");
/// # Ok::<(), Error>(())
/// ```
pub fn validate_email(input: &str, options: &EmailOptions) -> Result<Email, Error> {
    if input.is_empty() {
        return Err(Error::Empty(Field::Email));
    }
    // The address as typed must fit too (python-email-validator checks both
    // the typed and the normalised form); this also bounds all later work.
    if input.len() > MAX_ADDRESS_LEN {
        return Err(Error::TooLong(Field::Email));
    }
    if has_display_name(input) {
        return Err(Error::EmailDisplayName);
    }
    let (raw_local, raw_domain) = split_at_sign(input)?;

    let local = local::check(raw_local, options)?;
    let domain = domain::check(raw_domain, options)?;

    let normalized = format!("{local}@{}", domain.unicode);
    let ascii_len = local.len() + 1 + domain.ascii.len();
    if normalized.len() > MAX_ADDRESS_LEN || ascii_len > MAX_ADDRESS_LEN {
        return Err(Error::TooLong(Field::Email));
    }
    if local.is_ascii() && !domain.is_literal {
        // Cross-check the ASCII form with `email_address`'s RFC 5322 grammar
        // (strict: no display text, no domain literal).
        let ascii = format!("{local}@{}", domain.ascii);
        let strict = email_address::Options::default()
            .without_display_text()
            .without_domain_literal();
        if let Err(err) = email_address::EmailAddress::parse_with_options(&ascii, strict) {
            return Err(map_grammar_error(&err));
        }
    }

    let disposable = crate::disposable::is_disposable_domain(&domain.ascii);
    if disposable && options.reject_disposable {
        return Err(Error::EmailDisposable);
    }
    let suggestion = if options.suggest_typos && !domain.is_literal {
        typo::suggest_domain(&domain.ascii).map(|fixed| format!("{local}@{fixed}"))
    } else {
        None
    };
    Ok(Email {
        at: local.len(),
        normalized,
        ascii_domain: domain.ascii,
        suggestion,
        disposable,
    })
}

/// `Name <addr>`, `<addr>` and friends: angle brackets outside a quoted local part.
fn has_display_name(input: &str) -> bool {
    let mut quoted = false;
    let mut escaped = false;
    for c in input.chars() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '<' | '>' if !quoted => return true,
            _ => {}
        }
    }
    false
}

/// Splits at the last `@` (a quoted local part may itself contain `@`).
fn split_at_sign(input: &str) -> Result<(&str, &str), Error> {
    let Some((local, domain)) = input.rsplit_once('@') else {
        return Err(Error::EmailNoAtSign);
    };
    if local.is_empty() {
        return Err(Error::EmailNoLocalPart);
    }
    if domain.is_empty() {
        return Err(Error::EmailNoDomain);
    }
    Ok((local, domain))
}

fn map_grammar_error(err: &email_address::Error) -> Error {
    use email_address::Error as E;
    match err {
        E::LocalPartTooLong => Error::EmailLocalPartTooLong,
        E::DomainTooLong | E::SubDomainTooLong => Error::EmailDomainTooLong,
        E::SubDomainEmpty | E::DomainInvalidSeparator => Error::EmailDomainDots,
        E::DomainTooFew => Error::EmailDotlessDomain,
        E::UnsupportedDisplayName | E::MissingDisplayName | E::MissingEndBracket => {
            Error::EmailDisplayName
        }
        E::UnbalancedQuotes => Error::EmailQuotedLocalPart,
        E::InvalidComment => Error::EmailComment,
        E::InvalidIPAddress | E::UnsupportedDomainLiteral => Error::EmailIpLiteral,
        E::LocalPartEmpty => Error::EmailNoLocalPart,
        E::DomainEmpty => Error::EmailNoDomain,
        E::MissingSeparator => Error::EmailNoAtSign,
        _ => Error::EmailLocalPartCharacters,
    }
}
