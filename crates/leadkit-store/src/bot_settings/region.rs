//! A bot's default phone region: an ISO 3166-1 alpha-2 country code.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::SettingsError;

/// Every officially assigned ISO 3166-1 alpha-2 code (249 codes, as of the
/// 2024 edition), sorted so that a lookup is a binary search. The list is
/// short, fixed and stable, so it lives here rather than behind a crate.
const ISO_3166_ALPHA_2: [&str; 249] = [
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
];

/// A default phone region: an officially assigned ISO 3166-1 alpha-2 code
/// (`"GB"`, `"US"`, `"BR"` …), stored upper-case.
///
/// A national number such as "020 7946 0958" is read in this region. Codes
/// that are not officially assigned (`"UK"`, `"EU"`, `"XK"`) are refused,
/// and so is anything but two letters.
///
/// ```
/// use leadkit_store::PhoneRegion;
///
/// let gb: PhoneRegion = "gb".parse()?;
/// assert_eq!(gb.as_str(), "GB");
/// assert!("UK".parse::<PhoneRegion>().is_err());
/// assert!("GBR".parse::<PhoneRegion>().is_err());
/// # Ok::<(), leadkit_store::SettingsError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PhoneRegion([u8; 2]);

impl PhoneRegion {
    /// The region named by `code` (either case, surrounding spaces ignored).
    pub fn new(code: &str) -> Result<Self, SettingsError> {
        let code = code.trim();
        let &[a, b] = code.as_bytes() else {
            return Err(SettingsError::InvalidRegion);
        };
        let upper = [a.to_ascii_uppercase(), b.to_ascii_uppercase()];
        let text = std::str::from_utf8(&upper).map_err(|_| SettingsError::InvalidRegion)?;
        ISO_3166_ALPHA_2
            .binary_search(&text)
            .map(|_| Self(upper))
            .map_err(|_| SettingsError::InvalidRegion)
    }

    /// The upper-case code.
    pub fn as_str(&self) -> &str {
        // Only ASCII letters from the list above are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("ZZ")
    }
}

impl fmt::Display for PhoneRegion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PhoneRegion {
    type Err = SettingsError;

    fn from_str(code: &str) -> Result<Self, SettingsError> {
        Self::new(code)
    }
}

impl Serialize for PhoneRegion {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for PhoneRegion {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = String::deserialize(deserializer)?;
        Self::new(&code).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_sorted_and_unique() {
        assert!(ISO_3166_ALPHA_2.windows(2).all(|w| w[0] < w[1]));
        assert!(
            ISO_3166_ALPHA_2
                .iter()
                .all(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()))
        );
    }

    #[test]
    fn codes_are_checked() {
        for good in ["GB", "gb", " us ", "Br", "ZW", "AD"] {
            assert!(PhoneRegion::new(good).is_ok(), "{good}");
        }
        for bad in ["", "G", "UK", "EU", "XK", "GBR", "44", "é1", "G\0", "ÉÉ"] {
            assert!(PhoneRegion::new(bad).is_err(), "{bad}");
        }
        let json = serde_json::to_string(&PhoneRegion::new("de").unwrap()).unwrap();
        assert_eq!(json, "\"DE\"");
        assert!(serde_json::from_str::<PhoneRegion>("\"UK\"").is_err());
    }
}
