//! Phone number validation and normalisation, on libphonenumber's metadata
//! (the `rlibphonenumber` port of Google's library).
//!
//! The parser keeps no lock and no shared mutable cache (its regexes are
//! compiled once, on first use), so validations on several threads run in
//! parallel. [`shape`] still rejects what cannot be a number before the
//! parser is called, because it is much cheaper.

pub(crate) mod shape;

use std::fmt;

use rlibphonenumber::enums::Region;
use rlibphonenumber::{
    PHONE_NUMBER_UTIL, ParseError, PhoneNumber, PhoneNumberFormat, PhoneNumberType,
};

use crate::error::{Error, Field};

/// Options for [`validate_phone`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct PhoneOptions {
    /// The region (ISO 3166-1 alpha-2, such as `"GB"`) whose national format
    /// is assumed for numbers written without a country code. Default `None`:
    /// such numbers are rejected with [`Error::PhoneNeedsCountryCode`].
    pub default_region: Option<String>,
}

impl PhoneOptions {
    /// The default options (no default region).
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets [`default_region`](Self::default_region) (case-insensitive, such as `"us"`).
    #[must_use]
    pub fn with_default_region(mut self, region: &str) -> Self {
        self.default_region = Some(region.to_ascii_uppercase());
        self
    }
}

/// What kind of line a number is, from the numbering plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NumberType {
    /// A landline.
    FixedLine,
    /// A mobile number.
    Mobile,
    /// A landline or a mobile: the plan does not tell them apart (USA, Canada …).
    FixedLineOrMobile,
    /// A freephone number.
    TollFree,
    /// A premium-rate number.
    PremiumRate,
    /// A shared-cost number.
    SharedCost,
    /// A personal number that can be routed anywhere.
    PersonalNumber,
    /// A voice-over-IP number.
    Voip,
    /// A pager.
    Pager,
    /// A universal access (company) number.
    Uan,
    /// A voicemail access number.
    Voicemail,
    /// Any other or unknown kind.
    Unknown,
}

impl NumberType {
    /// A snake_case label (`"mobile"`, `"fixed_line"` …).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::FixedLine => "fixed_line",
            Self::Mobile => "mobile",
            Self::FixedLineOrMobile => "fixed_line_or_mobile",
            Self::TollFree => "toll_free",
            Self::PremiumRate => "premium_rate",
            Self::SharedCost => "shared_cost",
            Self::PersonalNumber => "personal_number",
            Self::Voip => "voip",
            Self::Pager => "pager",
            Self::Uan => "uan",
            Self::Voicemail => "voicemail",
            Self::Unknown => "unknown",
        }
    }

    fn from_metadata(kind: PhoneNumberType) -> Self {
        match kind {
            PhoneNumberType::FixedLine => Self::FixedLine,
            PhoneNumberType::Mobile => Self::Mobile,
            PhoneNumberType::FixedLineOrMobile => Self::FixedLineOrMobile,
            PhoneNumberType::TollFree => Self::TollFree,
            PhoneNumberType::PremiumRate => Self::PremiumRate,
            PhoneNumberType::SharedCost => Self::SharedCost,
            PhoneNumberType::PersonalNumber => Self::PersonalNumber,
            PhoneNumberType::VoIP => Self::Voip,
            PhoneNumberType::Pager => Self::Pager,
            PhoneNumberType::UAN => Self::Uan,
            PhoneNumberType::VoiceMail => Self::Voicemail,
            PhoneNumberType::Unknown => Self::Unknown,
        }
    }
}

/// A validated phone number.
///
/// Its `Debug` output is redacted (`Phone(<redacted>)`): the number is
/// personal data.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Phone {
    e164: String,
    international: String,
    national: String,
    region: Option<String>,
    number_type: NumberType,
    extension: Option<String>,
}

impl Phone {
    /// The number in E.164 form (`+442079460958`), without extension.
    #[must_use]
    pub fn e164(&self) -> &str {
        &self.e164
    }

    /// The number in international format (`+44 20 7946 0958`), without extension.
    #[must_use]
    pub fn international(&self) -> &str {
        &self.international
    }

    /// The number in its country's national format (`020 7946 0958`), without extension.
    #[must_use]
    pub fn national(&self) -> &str {
        &self.national
    }

    /// The region the number belongs to (`"GB"`), when the metadata tells.
    #[must_use]
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// What kind of line this is.
    #[must_use]
    pub fn number_type(&self) -> NumberType {
        self.number_type
    }

    /// The extension (digits only), if one was given.
    #[must_use]
    pub fn extension(&self) -> Option<&str> {
        self.extension.as_deref()
    }

    /// The canonical string for storage: E.164, followed by `;ext=NN` when
    /// there is an extension (RFC 3966 style). [`validate_phone`] accepts it back.
    #[must_use]
    pub fn canonical(&self) -> String {
        match &self.extension {
            Some(ext) => format!("{};ext={ext}", self.e164),
            None => self.e164.clone(),
        }
    }
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Phone(<redacted>)")
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.canonical())
    }
}

/// Validates and normalises a phone number.
///
/// Accepts international (`+44 20 7946 0958`, `+44 (0)20 7946 0958`) and,
/// with a [`PhoneOptions::default_region`], national forms (`020 7946 0958`),
/// with digits grouped by spaces, dots, dashes, slashes or parentheses, and an
/// optional extension (`ext 22`, `x22`, `#22`, `;ext=22`).
///
/// # Errors
///
/// A typed reason (see [`Error`]) when the input is not a valid number.
///
/// # Examples
///
/// ```
/// use leadkit_contact::{validate_phone, NumberType, PhoneOptions};
///
/// let options = PhoneOptions::new().with_default_region("GB");
/// let phone = validate_phone("020 7946 0958", &options)?;
/// assert_eq!(phone.e164(), "+442079460958");
/// assert_eq!(phone.international(), "+44 20 7946 0958");
/// assert_eq!(phone.number_type(), NumberType::FixedLine);
///
/// let us = validate_phone("+1 (201) 555-0123 ext 22", &PhoneOptions::default())?;
/// assert_eq!(us.extension(), Some("22"));
/// assert_eq!(us.canonical(), "+12015550123;ext=22");
/// # Ok::<(), leadkit_contact::Error>(())
/// ```
pub fn validate_phone(input: &str, options: &PhoneOptions) -> Result<Phone, Error> {
    let (shape, valid) = check(input, options)?;
    Ok(build(valid, shape.extension))
}

/// [`validate_phone`]'s checks, without the formatting a [`Phone`] needs
/// (extraction only needs the E.164 form and the region).
pub(crate) fn check(input: &str, options: &PhoneOptions) -> Result<(shape::Shape, Valid), Error> {
    let region = match options.default_region.as_deref() {
        Some(code) => Some(parse_region(code)?),
        None => None,
    };
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(Error::Empty(Field::Phone));
    }
    let shape = shape::check(trimmed)?;
    if !shape.international && region.is_none() {
        return Err(Error::PhoneNeedsCountryCode);
    }
    let valid = read(&shape, region)?;
    Ok((shape, valid))
}

/// A number the metadata calls valid, with its E.164 form and region.
pub(crate) struct Valid {
    number: PhoneNumber,
    pub(crate) e164: String,
    region: Option<Region>,
}

impl Valid {
    /// The region the number belongs to (`"GB"`), when the metadata tells.
    pub(crate) fn region(&self) -> Option<String> {
        self.region.and_then(region_code)
    }
}

/// The valid number that `shape` is, read in `region` when it has no
/// country code of its own.
///
/// The number's E.164 form is canonical: libphonenumber's validity depends
/// only on the calling code and the national significant number (with its
/// leading zeros), both of which E.164 keeps, so the canonical form
/// validates again to the same number (`tests/properties.rs` checks it).
pub(crate) fn read(shape: &shape::Shape, region: Option<Region>) -> Result<Valid, Error> {
    // A number with its country code is parsed without a region, exactly as
    // its canonical form will be: the result must not depend on the region.
    let region = if shape.international { None } else { region };
    let number = PHONE_NUMBER_UTIL
        .parse(&shape.number, region)
        .map_err(map_parse_error)?;
    // libphonenumber's `is_valid` is "valid for the number's own region";
    // looking that region up once serves both (for +1 it tries up to 25
    // regions' patterns).
    let own_region = number.get_region_code();
    if !own_region.is_some_and(|r| number.is_valid_for_region(r)) {
        return Err(Error::PhoneInvalid);
    }
    let e164 = number.format_as(PhoneNumberFormat::E164).into_owned();
    Ok(Valid {
        number,
        e164,
        region: own_region,
    })
}

/// Whether the number's length is possible for its country (the metadata's
/// lengths), although it may not be valid.
pub(crate) fn possible(shape: &shape::Shape, region: Option<Region>) -> bool {
    let region = if shape.international { None } else { region };
    PHONE_NUMBER_UTIL
        .parse(&shape.number, region)
        .is_ok_and(|number| number.is_possible_with_reason().is_ok())
}

/// The region code for `code` (two letters, any case) when the metadata
/// has a numbering plan for it (`ZZ`, "unknown region", has none).
pub(crate) fn parse_region(code: &str) -> Result<Region, Error> {
    if code.len() != 2 {
        return Err(Error::PhoneRegionCode);
    }
    code.to_ascii_uppercase()
        .parse::<Region>()
        .ok()
        .filter(|&region| calling_code(region).is_some())
        .ok_or(Error::PhoneRegionCode)
}

/// The calling code of `region` (`44` for GB).
pub(crate) fn calling_code(region: Region) -> Option<i32> {
    PHONE_NUMBER_UTIL.get_country_code_for_region(region)
}

/// A valid number's normalised forms.
fn build(valid: Valid, extension: Option<String>) -> Phone {
    let number = &valid.number;
    Phone {
        international: number
            .format_as(PhoneNumberFormat::International)
            .into_owned(),
        national: number.format_as(PhoneNumberFormat::National).into_owned(),
        region: valid.region(),
        number_type: NumberType::from_metadata(number.get_type()),
        e164: valid.e164,
        extension,
    }
}

/// A region as a two-letter code (`None` for the non-geographic entity of
/// numbers such as `+800 …`).
fn region_code(region: Region) -> Option<String> {
    Some(region.as_region_str().as_str().to_owned())
        .filter(|code| code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()))
}

fn map_parse_error(err: ParseError) -> Error {
    match err {
        ParseError::InvalidCountryCode => Error::PhoneCountryCode,
        ParseError::TooLongNsn => Error::PhoneTooManyDigits,
        ParseError::TooShortAfterIdd | ParseError::TooShortNsn => Error::PhoneTooShort,
        ParseError::NotANumber(_) => Error::PhoneInvalid,
    }
}
