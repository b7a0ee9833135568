//! Phone number validation and normalisation, on libphonenumber's metadata
//! (the `phonenumber` crate).
//!
//! `phonenumber` serialises parsing behind a global lock (its regex cache),
//! so [`shape`] rejects what cannot be a number before the parser is called.

mod kind;
pub(crate) mod shape;
mod trunk;

use std::fmt;

use phonenumber::country::Id;
use phonenumber::{Mode, PhoneNumber, Type};

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

    fn from_metadata(kind: Type) -> Self {
        match kind {
            Type::FixedLine => Self::FixedLine,
            Type::Mobile => Self::Mobile,
            Type::FixedLineOrMobile => Self::FixedLineOrMobile,
            Type::TollFree => Self::TollFree,
            Type::PremiumRate => Self::PremiumRate,
            Type::SharedCost => Self::SharedCost,
            Type::PersonalNumber => Self::PersonalNumber,
            Type::Voip => Self::Voip,
            Type::Pager => Self::Pager,
            Type::Uan => Self::Uan,
            Type::Voicemail => Self::Voicemail,
            _ => Self::Unknown,
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
    // A number with its country code is parsed without a region, exactly as
    // its canonical form will be: the result must not depend on the region.
    let region = if shape.international { None } else { region };
    let number = phonenumber::parse(region, &shape.number).map_err(map_parse_error)?;
    match read(&number, &shape) {
        Ok(phone) => Ok(phone),
        Err(error) => match trunk::reread(region, &shape, &number) {
            Some(again) => {
                let e164 = again.format().mode(Mode::E164).to_string();
                build(&again, e164, shape.extension).ok_or(error)
            }
            None => Err(error),
        },
    }
}

/// The validated number from the parser's reading of `shape`.
fn read(number: &PhoneNumber, shape: &shape::Shape) -> Result<Phone, Error> {
    let e164 = number.format().mode(Mode::E164).to_string();
    if shape.international && number.carrier().is_none() && e164 == shape.number {
        return build(number, e164, shape.extension.clone()).ok_or(Error::PhoneInvalid);
    }
    // phonenumber 0.3.10 sometimes strips a carrier or trunk prefix and calls
    // the rest valid although that E.164 form does not parse as valid again
    // ("90900940004" in BR, "+7 8112921905"), and it keeps a carrier code in
    // the national format ("0 99 (96) 5950-9996"); all found by fuzzing. So
    // whenever the parser changed the digits or saw a carrier code, the
    // result is rebuilt from its E.164 form, which must be valid and stable.
    let again = phonenumber::parse(None, &e164).map_err(|_| Error::PhoneInvalid)?;
    let again_e164 = again.format().mode(Mode::E164).to_string();
    if again_e164 != e164 {
        return Err(Error::PhoneInvalid);
    }
    build(&again, again_e164, shape.extension.clone()).ok_or(Error::PhoneInvalid)
}

pub(crate) fn parse_region(code: &str) -> Result<Id, Error> {
    if code.len() != 2 {
        return Err(Error::PhoneRegionCode);
    }
    code.to_ascii_uppercase()
        .parse::<Id>()
        .map_err(|_| Error::PhoneRegionCode)
}

/// The validated number, or `None` when it is not valid.
fn build(number: &PhoneNumber, e164: String, extension: Option<String>) -> Option<Phone> {
    let classified = kind::classify(number)?;
    Some(Phone {
        e164,
        international: number.format().mode(Mode::International).to_string(),
        national: number.format().mode(Mode::National).to_string(),
        region: classified.region,
        number_type: NumberType::from_metadata(classified.kind),
        extension,
    })
}

fn map_parse_error(err: phonenumber::ParseError) -> Error {
    use phonenumber::ParseError as P;
    match err {
        P::InvalidCountryCode => Error::PhoneCountryCode,
        P::TooLong => Error::PhoneTooManyDigits,
        P::NoNumber | P::TooShortAfterIdd | P::TooShortNsn => Error::PhoneTooShort,
        _ => Error::PhoneInvalid,
    }
}
