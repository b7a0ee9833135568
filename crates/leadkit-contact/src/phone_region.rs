//! [`PhoneRegion`]: a checked region code for reading national numbers.

use std::fmt;
use std::str::FromStr;

use crate::error::Error;
use crate::phone;

/// A region (ISO 3166-1 alpha-2, such as `GB`) that has a telephone
/// numbering plan: the region whose national format is assumed for a
/// number written without its country code.
///
/// Parsing checks the code against libphonenumber's metadata, so a bot or
/// visit can only carry a region that phone validation understands; an
/// unknown code (`"XX"`, `"GBR"`, `"ZZ"`) is refused with
/// [`Error::PhoneRegionCode`] instead of turning every number invalid later.
///
/// ```
/// use leadkit_contact::PhoneRegion;
///
/// let gb: PhoneRegion = "gb".parse()?;
/// assert_eq!(gb.as_str(), "GB");
/// assert!("GBR".parse::<PhoneRegion>().is_err());
/// assert!("XX".parse::<PhoneRegion>().is_err());
/// # Ok::<(), leadkit_contact::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PhoneRegion([u8; 2]);

impl PhoneRegion {
    /// Parses a two-letter region code, in any case.
    pub fn parse(code: &str) -> Result<Self, Error> {
        let code = code.trim();
        phone::parse_region(code)?;
        let bytes = code.as_bytes();
        Ok(Self([
            bytes[0].to_ascii_uppercase(),
            bytes[1].to_ascii_uppercase(),
        ]))
    }

    /// The upper-case code (`"GB"`).
    #[must_use]
    pub fn as_str(&self) -> &str {
        // Both bytes are ASCII letters: `parse_region` accepted them.
        std::str::from_utf8(&self.0).unwrap_or("ZZ")
    }
}

impl FromStr for PhoneRegion {
    type Err = Error;

    fn from_str(code: &str) -> Result<Self, Error> {
        Self::parse(code)
    }
}

impl fmt::Display for PhoneRegion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for PhoneRegion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PhoneRegion({})", self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_regions_parse_in_any_case() {
        for code in ["GB", "gb", " De ", "us", "BR", "pt"] {
            let region = PhoneRegion::parse(code).unwrap();
            assert_eq!(region.as_str(), code.trim().to_ascii_uppercase());
        }
    }

    #[test]
    fn unknown_or_malformed_codes_are_refused() {
        for code in ["", "G", "GBR", "XX", "ZZ", "1A", "é1", "g\u{0}"] {
            assert_eq!(
                PhoneRegion::parse(code),
                Err(Error::PhoneRegionCode),
                "{code:?}"
            );
        }
    }
}
