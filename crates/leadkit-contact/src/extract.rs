//! Finding emails, phone numbers and self-stated names in chat text.
//!
//! Each finder is a linear scan behind a cheap pre-filter (no `@` → no email
//! scan, fewer than seven digits → no phone scan), so ordinary chat text costs
//! little more than a few passes of `memchr`.

mod cues;
mod email_scan;
mod name_scan;
mod phone_scan;
mod reading;
mod region_hints;

use std::fmt;
use std::ops::Range;

use crate::email::EmailOptions;
use crate::error::Error;
use crate::name::NameOptions;
use crate::phone::PhoneOptions;

pub use reading::{PhoneReading, PhoneStatus, RegionHint};

/// What kind of contact detail was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ContactKind {
    /// An email address.
    Email,
    /// A phone number.
    Phone,
    /// A name the writer gave as their own.
    Name,
}

// The same labels as `Field::as_str` (src/error.rs): `ContactKind` names
// what was found, `Field` what failed to validate, two public enums that
// may grow apart (e.g. a company field), so each keeps its own match.
impl ContactKind {
    /// `"email"`, `"phone"` or `"name"`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Phone => "phone",
            Self::Name => "name",
        }
    }
}

/// One contact detail found in a message.
///
/// `Debug` redacts [`value`](Self::value).
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Found {
    /// What was found.
    pub kind: ContactKind,
    /// Byte offsets into the text given to [`extract`]: always on char
    /// boundaries, `text[span]` is what the visitor typed (for an obfuscated
    /// email, the whole spelled-out form).
    pub span: Range<usize>,
    /// The normalised value when valid (see [`crate::Email::as_str`],
    /// [`crate::Phone::canonical`], [`crate::Name::as_str`]); when invalid,
    /// the text as typed (decoded, for an obfuscated email).
    pub value: String,
    /// Whether the value passed its validator.
    pub valid: bool,
    /// Why it is invalid (`None` when valid).
    pub error: Option<Error>,
    /// For a phone number: how it was read (status, region used and where
    /// that region came from). `None` for emails and names.
    pub phone: Option<PhoneReading>,
}

impl fmt::Debug for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Found")
            .field("kind", &self.kind)
            .field("span", &self.span)
            .field("value", &format_args!("<redacted>"))
            .field("valid", &self.valid)
            .field("error", &self.error)
            .field("phone", &self.phone)
            .finish()
    }
}

/// The result of [`extract`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Extraction {
    /// Everything found, ordered by position; spans never overlap.
    pub found: Vec<Found>,
    /// Whether the text was longer than [`ExtractOptions::max_len`] and only
    /// its beginning was scanned.
    pub truncated: bool,
}

/// Options for [`extract`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ExtractOptions {
    /// Only the first `max_len` bytes (cut back to a char boundary) are
    /// scanned; [`Extraction::truncated`] tells when that happened.
    /// Default 64 KiB.
    pub max_len: usize,
    /// Decode spelled-out addresses such as `john dot smith at gmail dot com`
    /// or `ann[at]example[dot]org`. Default `true`.
    pub decode_obfuscation: bool,
    /// Look for email addresses. Default `true`.
    pub emails: bool,
    /// Look for phone numbers. Default `true`.
    pub phones: bool,
    /// Look for self-stated names. Default `true`.
    pub names: bool,
    /// Also report candidates that fail validation (an address with a bad
    /// domain, a `+`-prefixed or announced number that does not exist, a
    /// placeholder after "my name is"), with `valid: false` and the reason.
    /// Default `true`.
    pub include_invalid: bool,
    /// How found emails are validated.
    pub email: EmailOptions,
    /// How found phone numbers are validated; set a default region to find
    /// numbers written without a country code.
    pub phone: PhoneOptions,
    /// How found names are validated.
    pub name: NameOptions,
    /// The message's language (`"en"`, `"pt-BR"` …), used to pick regions
    /// for numbers written without a country code that are not valid in the
    /// caller's region. Default `None`: guessed from the message's common
    /// words (English, Spanish, German, French, Portuguese).
    pub language: Option<String>,
    /// Whether a number that is valid only in a hinted region
    /// ([`PhoneStatus::ValidForHintedRegion`]) counts as valid, with its
    /// E.164 form as [`Found::value`]. Default `false`: it is reported with
    /// `valid: false` and [`Error::PhoneNeedsCountryCode`] (or
    /// [`Error::PhoneInvalid`] when a caller's region was given), and its
    /// reading in [`Found::phone`].
    pub accept_hinted_regions: bool,
}

impl Default for ExtractOptions {
    fn default() -> Self {
        Self {
            max_len: 64 * 1024,
            decode_obfuscation: true,
            emails: true,
            phones: true,
            names: true,
            include_invalid: true,
            email: EmailOptions::default(),
            phone: PhoneOptions::default(),
            name: NameOptions::default(),
            language: None,
            accept_hinted_regions: false,
        }
    }
}

impl ExtractOptions {
    /// The default options.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets [`max_len`](Self::max_len).
    #[must_use]
    pub fn with_max_len(mut self, max_len: usize) -> Self {
        self.max_len = max_len;
        self
    }

    /// Sets [`decode_obfuscation`](Self::decode_obfuscation).
    #[must_use]
    pub fn with_obfuscation_decoding(mut self, decode: bool) -> Self {
        self.decode_obfuscation = decode;
        self
    }

    /// Sets which kinds are looked for.
    #[must_use]
    pub fn with_kinds(mut self, emails: bool, phones: bool, names: bool) -> Self {
        self.emails = emails;
        self.phones = phones;
        self.names = names;
        self
    }

    /// Sets [`include_invalid`](Self::include_invalid).
    #[must_use]
    pub fn with_invalid(mut self, include: bool) -> Self {
        self.include_invalid = include;
        self
    }

    /// Sets the phone default region (see [`PhoneOptions::with_default_region`]).
    #[must_use]
    pub fn with_default_region(mut self, region: &str) -> Self {
        self.phone = self.phone.with_default_region(region);
        self
    }

    /// Sets [`language`](Self::language).
    #[must_use]
    pub fn with_language(mut self, language: &str) -> Self {
        self.language = Some(language.to_owned());
        self
    }

    /// Sets [`accept_hinted_regions`](Self::accept_hinted_regions).
    #[must_use]
    pub fn with_hinted_regions_accepted(mut self, accept: bool) -> Self {
        self.accept_hinted_regions = accept;
        self
    }

    /// Sets the email options.
    #[must_use]
    pub fn with_email_options(mut self, email: EmailOptions) -> Self {
        self.email = email;
        self
    }

    /// Sets the phone options.
    #[must_use]
    pub fn with_phone_options(mut self, phone: PhoneOptions) -> Self {
        self.phone = phone;
        self
    }

    /// Sets the name options.
    #[must_use]
    pub fn with_name_options(mut self, name: NameOptions) -> Self {
        self.name = name;
        self
    }
}

/// Finds every email address, phone number and self-stated name in `text`.
///
/// Never panics; time is linear in `min(text.len(), options.max_len)`.
///
/// # Examples
///
/// ```
/// use leadkit_contact::{extract, ContactKind, ExtractOptions};
///
/// let text = "Hi, I'm Ana Souza. Reach me at ana dot souza at gmail dot com or +44 (0)20 7946 0958.";
/// let found = extract(text, &ExtractOptions::default()).found;
/// let values: Vec<_> = found.iter().map(|f| (f.kind, f.value.as_str())).collect();
/// assert_eq!(
///     values,
///     [
///         (ContactKind::Name, "Ana Souza"),
///         (ContactKind::Email, "ana.souza@gmail.com"),
///         (ContactKind::Phone, "+442079460958"),
///     ]
/// );
/// assert_eq!(&text[found[0].span.clone()], "Ana Souza");
/// ```
#[must_use]
pub fn extract(text: &str, options: &ExtractOptions) -> Extraction {
    let (text, truncated) = cut(text, options.max_len);
    let mut found = Vec::new();
    if options.emails {
        email_scan::scan(text, options, &mut found);
    }
    if options.phones {
        let taken = sorted_spans(&found);
        phone_scan::scan(text, options, &taken, &mut found);
    }
    if options.names {
        let taken = sorted_spans(&found);
        name_scan::scan(text, options, &taken, &mut found);
    }
    if !options.include_invalid {
        found.retain(|f| f.valid);
    }
    found.sort_by_key(|f| (f.span.start, f.span.end));
    Extraction { found, truncated }
}

/// Cuts `text` to at most `max_len` bytes, at a char boundary.
fn cut(text: &str, max_len: usize) -> (&str, bool) {
    if text.len() <= max_len {
        return (text, false);
    }
    let mut end = max_len;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    (text.get(..end).unwrap_or_default(), true)
}

/// Whether `span` overlaps any of `taken`, which must be sorted by start and
/// not overlap each other (binary search keeps extraction linear-ish even
/// when a message holds thousands of items).
fn overlaps(span: &Range<usize>, taken: &[Range<usize>]) -> bool {
    let first_ending_after = taken.partition_point(|t| t.end <= span.start);
    taken
        .get(first_ending_after)
        .is_some_and(|t| t.start < span.end)
}

/// The spans of `found`, sorted, for [`overlaps`].
fn sorted_spans(found: &[Found]) -> Vec<Range<usize>> {
    let mut spans: Vec<Range<usize>> = found.iter().map(|f| f.span.clone()).collect();
    spans.sort_by_key(|s| s.start);
    spans
}

/// The char just before byte `i`, if any.
fn char_before(text: &str, i: usize) -> Option<char> {
    text.get(..i).and_then(|s| s.chars().next_back())
}

/// Up to `max` bytes of `text` after byte `i`, ending on a char boundary.
fn window_after(text: &str, i: usize, max: usize) -> &str {
    let mut end = i.saturating_add(max).min(text.len());
    while end > i && !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(i..end).unwrap_or_default()
}

/// The char at byte `i`, if any.
fn char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..).and_then(|s| s.chars().next())
}

/// Up to `max` bytes of `text` before byte `i`, starting on a char boundary.
fn window_before(text: &str, i: usize, max: usize) -> &str {
    let mut start = i.saturating_sub(max);
    while start < i && !text.is_char_boundary(start) {
        start += 1;
    }
    text.get(start..i).unwrap_or_default()
}
