//! The phone region of a turn: which country a number written without its
//! country code ("020 7946 0958") is read in.

/// A country code (ISO 3166-1 alpha-2), as bot settings, visits and
/// verified details carry it: [`leadkit_store::PhoneRegion`].
pub use leadkit_store::PhoneRegion;

use super::{Engine, TurnSettings, Visit};

impl Engine {
    /// The region a turn's phone numbers are read in, first found of:
    ///
    /// 1. the visit's ([`Visit::with_region`]): the integrator knows this
    ///    visitor (a signed-in user's country, the site's country version);
    /// 2. the bot's own ([`TurnSettings::phone_region`], from its stored
    ///    settings);
    /// 3. the engine's default ([`EngineBuilder::default_region`](super::EngineBuilder::default_region)).
    ///
    /// A country with no telephone numbering plan of its own (Antarctica,
    /// `AQ`; Bouvet Island, `BV`) names no region for phones and is passed
    /// over. With none, a number without its country code is not guessed
    /// at: the visitor is asked to add the country code.
    pub(super) fn turn_region(
        &self,
        visit: &Visit,
        settings: &TurnSettings,
    ) -> Option<leadkit_contact::PhoneRegion> {
        [
            visit.region,
            settings.phone_region,
            self.inner.default_region,
        ]
        .into_iter()
        .flatten()
        .find_map(|region| leadkit_contact::PhoneRegion::parse(region.as_str()).ok())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn countries_without_a_numbering_plan_name_no_phone_region() {
        for code in ["AQ", "BV", "HM"] {
            let iso: super::PhoneRegion = code.parse().unwrap();
            assert!(
                leadkit_contact::PhoneRegion::parse(iso.as_str()).is_err(),
                "{code}"
            );
        }
        let gb: super::PhoneRegion = "GB".parse().unwrap();
        assert!(leadkit_contact::PhoneRegion::parse(gb.as_str()).is_ok());
    }
}
