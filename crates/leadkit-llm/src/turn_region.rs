//! The contact-extraction options of one turn: an analyzer's own options,
//! with the turn's phone region ([`TurnInput::region`](crate::TurnInput::region))
//! in place of their default region.

use std::borrow::Cow;

use leadkit_contact::{ExtractOptions, PhoneRegion};

/// `base`, or a copy of it reading national numbers in `region` when the
/// turn has one. The turn's region wins over one set in `base`: it is the
/// bot's or the visitor's, set per conversation, while `base` is the
/// analyzer's for every bot.
pub(crate) fn options_for_turn(
    base: &ExtractOptions,
    region: Option<PhoneRegion>,
) -> Cow<'_, ExtractOptions> {
    match region {
        Some(region) if base.phone.default_region.as_deref() != Some(region.as_str()) => {
            Cow::Owned(base.clone().with_default_region(region.as_str()))
        }
        _ => Cow::Borrowed(base),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_turn_region_replaces_the_analyzer_default() {
        let base = ExtractOptions::default().with_default_region("US");
        let gb: PhoneRegion = "GB".parse().unwrap();
        let options = options_for_turn(&base, Some(gb));
        assert_eq!(options.phone.default_region.as_deref(), Some("GB"));
        assert!(matches!(options_for_turn(&base, None), Cow::Borrowed(_)));
        let us: PhoneRegion = "US".parse().unwrap();
        assert!(matches!(
            options_for_turn(&base, Some(us)),
            Cow::Borrowed(_)
        ));
    }
}
