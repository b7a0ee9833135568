//! The phone region of a turn: which country a number written without its
//! country code ("020 7946 0958") is read in.

pub use leadkit_contact::PhoneRegion;

use super::{Engine, TurnSettings, Visit};

impl Engine {
    /// The region a turn's phone numbers are read in, first found of:
    ///
    /// 1. the visit's ([`Visit::with_region`]): the integrator knows this
    ///    visitor (a signed-in user's country, the site's country version);
    /// 2. the bot's own ([`TurnSettings::phone_region`], from its stored
    ///    settings); an ISO code with no numbering plan of its own
    ///    (Antarctica, `AQ`) names no region for phones and is passed over;
    /// 3. the engine's default ([`EngineBuilder::default_region`](super::EngineBuilder::default_region)).
    ///
    /// With none, a number without its country code is not guessed at: the
    /// visitor is asked to add the country code.
    pub(super) fn turn_region(
        &self,
        visit: &Visit,
        settings: &TurnSettings,
    ) -> Option<PhoneRegion> {
        let bot = settings
            .phone_region
            .and_then(|region| PhoneRegion::parse(region.as_str()).ok());
        visit.region.or(bot).or(self.inner.default_region)
    }
}
