//! The phone region of a turn: which country a number written without its
//! country code ("020 7946 0958") is read in.

pub use leadkit_contact::PhoneRegion;

use super::{Engine, Visit};

impl Engine {
    /// The region a turn's phone numbers are read in, first found of:
    ///
    /// 1. the visit's ([`Visit::with_region`]): the integrator knows this
    ///    visitor (a signed-in user's country, the site's country version);
    /// 2. the bot's own (stored bot settings, once the engine reads them);
    /// 3. the engine's default ([`EngineBuilder::default_region`](super::EngineBuilder::default_region)).
    ///
    /// With none, a number without its country code is not guessed at: the
    /// visitor is asked to add the country code.
    pub(super) fn turn_region(&self, visit: &Visit) -> Option<PhoneRegion> {
        visit.region.or(self.inner.default_region)
    }
}
