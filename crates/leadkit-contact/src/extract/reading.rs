//! How a phone number found in text was read: its status and the region
//! that was used, with where that region came from.

use std::fmt;

/// Why a phone number found in text got its verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PhoneStatus {
    /// Valid as written: it carries its country code (`+44 …`, `0044 …`),
    /// or it is valid in the caller's region
    /// ([`ExtractOptions::with_default_region`](crate::ExtractOptions::with_default_region)).
    Valid,
    /// Written without a country code and not valid in the caller's region
    /// (or none was given), but valid in a region hinted by the message: a
    /// country named near it, the message's language, or the number's own
    /// shape (see [`RegionHint`]).
    ValidForHintedRegion,
    /// Its length is possible for a hinted region, but it is not a valid
    /// number there, or no region could be checked. Reported only when the
    /// message announces a number ("call me on …", "Tel.").
    PossibleUnverified,
    /// Not a valid number. Reported only when it has a `+` or the message
    /// announces a number.
    Invalid,
}

impl PhoneStatus {
    /// A snake_case label (`"valid"`, `"valid_for_hinted_region"` …).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Valid => "valid",
            Self::ValidForHintedRegion => "valid_for_hinted_region",
            Self::PossibleUnverified => "possible_unverified",
            Self::Invalid => "invalid",
        }
    }
}

/// Where the region used to read a phone number came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RegionHint {
    /// The number's own country code (`+44`, `0044`).
    CountryCode,
    /// The caller's region ([`PhoneOptions::default_region`](crate::PhoneOptions::default_region)).
    Caller,
    /// A country named near the number ("my UK number", "móvil español").
    CountryNamed,
    /// The message's language ([`ExtractOptions::language`](crate::ExtractOptions::language),
    /// or guessed from its common words).
    Language,
    /// The number's shape: a trunk prefix (`8 800 …`), or North American
    /// `NXX-NXX-XXXX` grouping.
    Shape,
}

impl RegionHint {
    /// A snake_case label (`"country_code"`, `"caller"` …).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::CountryCode => "country_code",
            Self::Caller => "caller",
            Self::CountryNamed => "country_named",
            Self::Language => "language",
            Self::Shape => "shape",
        }
    }
}

/// How a phone number found in text was read ([`Found::phone`](crate::Found::phone)).
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PhoneReading {
    /// The verdict and why.
    pub status: PhoneStatus,
    /// The region the number was read in or belongs to (ISO 3166-1
    /// alpha-2), when one is known.
    pub region: Option<String>,
    /// Where that region came from.
    pub hint: Option<RegionHint>,
    /// The E.164 form when the number is valid in that region (also when
    /// [`Found::valid`](crate::Found::valid) is `false` because the region
    /// was only hinted).
    pub e164: Option<String>,
}

impl fmt::Debug for PhoneReading {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PhoneReading")
            .field("status", &self.status)
            .field("region", &self.region)
            .field("hint", &self.hint)
            .field("e164", &self.e164.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}
