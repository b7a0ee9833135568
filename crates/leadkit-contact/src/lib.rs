#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod disposable;
mod email;
mod error;
mod extract;
mod name;
mod obfuscation;
mod phone;
mod phone_region;
mod typo;

pub use email::{Email, EmailOptions, validate_email};
pub use error::{Error, Field};
pub use extract::{
    ContactKind, ExtractOptions, Extraction, Found, PhoneReading, PhoneStatus, RegionHint, extract,
};
pub use name::{Name, NameOptions, validate_name};
pub use phone::{NumberType, Phone, PhoneOptions, validate_phone};
pub use phone_region::PhoneRegion;

/// Loads the lookup tables that are otherwise built on first use
/// (libphonenumber's metadata and regexes, the extraction patterns), so
/// that the first visitor does not pay for them. Call it once at start-up; calling it again costs a few
/// microseconds.
///
/// ```
/// leadkit_contact::preload();
/// ```
pub fn preload() {
    let _ = validate_phone("+14155552671", &PhoneOptions::default());
    let _ = extract(
        "I'm Ana, ana@example.com or +44 20 7946 0958",
        &ExtractOptions::default(),
    );
}
