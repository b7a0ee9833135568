//! The crate's one error type: a typed rejection reason for each field.
//!
//! Every message is a short sentence an integrator can show to the visitor as
//! it is. No message ever contains the value that was rejected: emails, phone
//! numbers and names are personal data.

use std::fmt;

/// Which contact field a rejection is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Field {
    /// An email address.
    Email,
    /// A phone number.
    Phone,
    /// A person's name.
    Name,
}

impl Field {
    /// A short lowercase label for the field (`"email"`, `"phone"`, `"name"`).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Phone => "phone",
            Self::Name => "name",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Email => "email address",
            Self::Phone => "phone number",
            Self::Name => "name",
        })
    }
}

/// Why a value was rejected.
///
/// Match on the variant (or call [`Error::field`]) rather than on the message
/// text: messages may be reworded between releases.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The value is empty (or only white space).
    #[error("the {0} is empty")]
    Empty(Field),
    /// The value is longer than any real value of its kind.
    #[error("that {0} is too long")]
    TooLong(Field),

    /// The email address has no `@` sign.
    #[error("that email address has no @ sign")]
    EmailNoAtSign,
    /// Nothing comes before the `@` sign.
    #[error("that email address has nothing before the @ sign")]
    EmailNoLocalPart,
    /// Nothing comes after the `@` sign.
    #[error("that email address has no domain part")]
    EmailNoDomain,
    /// The address is wrapped in a display name or angle brackets (`Ann <ann@example.com>`).
    #[error("please give the email address alone, without a name or angle brackets")]
    EmailDisplayName,
    /// The part before the `@` is quoted (`"john smith"@example.com`), which
    /// is rejected unless [`EmailOptions::allow_quoted_local_part`](crate::EmailOptions::allow_quoted_local_part).
    #[error("quoted email addresses are not accepted")]
    EmailQuotedLocalPart,
    /// The address contains an RFC 5322 comment (`john(work)@example.com`),
    /// rejected unless [`EmailOptions::allow_comments`](crate::EmailOptions::allow_comments).
    #[error("that email address contains a comment in parentheses")]
    EmailComment,
    /// The domain is an IP address literal (`me@[127.0.0.1]`), rejected unless
    /// [`EmailOptions::allow_ip_literal`](crate::EmailOptions::allow_ip_literal).
    #[error("email addresses at an IP address are not accepted")]
    EmailIpLiteral,
    /// The part before the `@` starts or ends with a dot, or has two dots in a row.
    #[error("that email address has a misplaced dot before the @ sign")]
    EmailLocalPartDots,
    /// The part before the `@` contains a character that is not allowed there.
    #[error("that email address contains a character that is not allowed before the @ sign")]
    EmailLocalPartCharacters,
    /// The part before the `@` is longer than 64 characters (RFC 5321).
    #[error("the part before the @ sign of that email address is too long")]
    EmailLocalPartTooLong,
    /// The domain contains characters that are not allowed in a domain name.
    #[error("the domain of that email address contains characters that are not allowed")]
    EmailDomainCharacters,
    /// The domain has an empty label: a leading or trailing dot, or two dots in a row.
    #[error("the domain of that email address has a misplaced dot")]
    EmailDomainDots,
    /// A domain label starts or ends with a hyphen, or has `--` in third and
    /// fourth position without being Punycode.
    #[error("the domain of that email address has a misplaced hyphen")]
    EmailDomainHyphens,
    /// The domain or one of its labels is longer than DNS allows.
    #[error("the domain of that email address is too long")]
    EmailDomainTooLong,
    /// The domain has no dot (`me@localhost`), rejected unless
    /// [`EmailOptions::allow_dotless_domain`](crate::EmailOptions::allow_dotless_domain).
    #[error("the domain of that email address is incomplete (it needs a dot, as in example.com)")]
    EmailDotlessDomain,
    /// The domain does not end in something that can be a top-level domain.
    #[error("the domain of that email address does not end in a valid top-level domain")]
    EmailTopLevelDomain,
    /// The domain is special-use or reserved (`.test`, `.localhost`, `.onion` …),
    /// rejected unless [`EmailOptions::allow_special_use_domain`](crate::EmailOptions::allow_special_use_domain).
    #[error("that email address uses a reserved domain that cannot receive mail")]
    EmailSpecialUseDomain,
    /// The domain belongs to a disposable / throwaway email provider
    /// (feature `disposable`, with `EmailOptions::reject_disposable`).
    #[error("please use a permanent email address, not a disposable one")]
    EmailDisposable,

    /// The phone number contains letters or symbols that cannot be part of a number.
    #[error("that phone number contains characters that are not allowed")]
    PhoneCharacters,
    /// The phone number has too few digits to be a phone number.
    #[error("that phone number is too short")]
    PhoneTooShort,
    /// The phone number has more digits than any phone number can have.
    #[error("that phone number has too many digits")]
    PhoneTooManyDigits,
    /// The number has no country code and no default region was configured.
    #[error("please add the country code to that phone number (for example +44)")]
    PhoneNeedsCountryCode,
    /// The country calling code does not exist.
    #[error("that phone number has an unknown country code")]
    PhoneCountryCode,
    /// The number does not exist in the numbering plan of its country.
    #[error("that phone number is not a valid number")]
    PhoneInvalid,
    /// The configured default region is not a region code the metadata knows
    /// (a configuration error, not the visitor's).
    #[error("the default phone region is not a known two-letter region code")]
    PhoneRegionCode,

    /// The name looks like an email address.
    #[error("that looks like an email address, not a name")]
    NameLooksLikeEmail,
    /// The name looks like a web address.
    #[error("that looks like a web address, not a name")]
    NameLooksLikeUrl,
    /// The name contains digits.
    #[error("a name should not contain digits")]
    NameDigits,
    /// The name contains a character that is not a letter, mark, apostrophe,
    /// hyphen, dot or space.
    #[error("that name contains characters that are not allowed")]
    NameCharacters,
    /// The name has fewer than two letters.
    #[error("that name is too short")]
    NameTooShort,
    /// The name is a placeholder or filler word ("test", "asdf", "no" …).
    #[error("please enter your real name")]
    NamePlaceholder,
}

impl Error {
    /// The field this rejection is about.
    #[must_use]
    pub const fn field(&self) -> Field {
        match self {
            Self::Empty(field) | Self::TooLong(field) => *field,
            Self::EmailNoAtSign
            | Self::EmailNoLocalPart
            | Self::EmailNoDomain
            | Self::EmailDisplayName
            | Self::EmailQuotedLocalPart
            | Self::EmailComment
            | Self::EmailIpLiteral
            | Self::EmailLocalPartDots
            | Self::EmailLocalPartCharacters
            | Self::EmailLocalPartTooLong
            | Self::EmailDomainCharacters
            | Self::EmailDomainDots
            | Self::EmailDomainHyphens
            | Self::EmailDomainTooLong
            | Self::EmailDotlessDomain
            | Self::EmailTopLevelDomain
            | Self::EmailSpecialUseDomain
            | Self::EmailDisposable => Field::Email,
            Self::PhoneCharacters
            | Self::PhoneTooShort
            | Self::PhoneTooManyDigits
            | Self::PhoneNeedsCountryCode
            | Self::PhoneCountryCode
            | Self::PhoneInvalid
            | Self::PhoneRegionCode => Field::Phone,
            Self::NameLooksLikeEmail
            | Self::NameLooksLikeUrl
            | Self::NameDigits
            | Self::NameCharacters
            | Self::NameTooShort
            | Self::NamePlaceholder => Field::Name,
        }
    }

    /// A stable snake_case code for the reason (`"email_no_domain"` …), for
    /// logs, metrics and translations.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Empty(Field::Email) => "email_empty",
            Self::Empty(Field::Phone) => "phone_empty",
            Self::Empty(Field::Name) => "name_empty",
            Self::TooLong(Field::Email) => "email_too_long",
            Self::TooLong(Field::Phone) => "phone_too_long",
            Self::TooLong(Field::Name) => "name_too_long",
            Self::EmailNoAtSign => "email_no_at_sign",
            Self::EmailNoLocalPart => "email_no_local_part",
            Self::EmailNoDomain => "email_no_domain",
            Self::EmailDisplayName => "email_display_name",
            Self::EmailQuotedLocalPart => "email_quoted_local_part",
            Self::EmailComment => "email_comment",
            Self::EmailIpLiteral => "email_ip_literal",
            Self::EmailLocalPartDots => "email_local_part_dots",
            Self::EmailLocalPartCharacters => "email_local_part_characters",
            Self::EmailLocalPartTooLong => "email_local_part_too_long",
            Self::EmailDomainCharacters => "email_domain_characters",
            Self::EmailDomainDots => "email_domain_dots",
            Self::EmailDomainHyphens => "email_domain_hyphens",
            Self::EmailDomainTooLong => "email_domain_too_long",
            Self::EmailDotlessDomain => "email_dotless_domain",
            Self::EmailTopLevelDomain => "email_top_level_domain",
            Self::EmailSpecialUseDomain => "email_special_use_domain",
            Self::EmailDisposable => "email_disposable",
            Self::PhoneCharacters => "phone_characters",
            Self::PhoneTooShort => "phone_too_short",
            Self::PhoneTooManyDigits => "phone_too_many_digits",
            Self::PhoneNeedsCountryCode => "phone_needs_country_code",
            Self::PhoneCountryCode => "phone_country_code",
            Self::PhoneInvalid => "phone_invalid",
            Self::PhoneRegionCode => "phone_region_code",
            Self::NameLooksLikeEmail => "name_looks_like_email",
            Self::NameLooksLikeUrl => "name_looks_like_url",
            Self::NameDigits => "name_digits",
            Self::NameCharacters => "name_characters",
            Self::NameTooShort => "name_too_short",
            Self::NamePlaceholder => "name_placeholder",
        }
    }
}
