//! The classes the intent model tells apart.

use std::fmt;
use std::str::FromStr;

/// What a visitor's message is about, as the [`IntentModel`](crate::IntentModel)
/// classifies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IntentClass {
    /// Buying interest: pricing, purchase, quote, demo, trial, sign-up,
    /// talk to sales, availability, booking.
    Interest,
    /// A request of an existing customer about what they already have.
    Support,
    /// Talk that asks nothing: greetings, thanks, goodbyes, how-are-you,
    /// compliments and feelings. A question to the bot about itself is
    /// [`Other`](Self::Other): it is a query.
    ChitChat,
    /// Anything else.
    Other,
    /// Says no or withdraws ("no", "not really", "never mind").
    Decline,
    /// Says yes or agrees.
    Affirm,
}

impl IntentClass {
    /// Every class, in the order of the model file's columns.
    pub const ALL: [IntentClass; 6] = [
        IntentClass::Interest,
        IntentClass::Support,
        IntentClass::ChitChat,
        IntentClass::Other,
        IntentClass::Decline,
        IntentClass::Affirm,
    ];

    /// The class's name in label files (`interest`, `support`, `chitchat`,
    /// `other`, `decline`, `affirm`).
    pub const fn name(self) -> &'static str {
        match self {
            IntentClass::Interest => "interest",
            IntentClass::Support => "support",
            IntentClass::ChitChat => "chitchat",
            IntentClass::Other => "other",
            IntentClass::Decline => "decline",
            IntentClass::Affirm => "affirm",
        }
    }

    /// The class's column in the model.
    pub const fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for IntentClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A label that is not the name of an [`IntentClass`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown intent label (expected interest, support, chitchat, other, decline or affirm)")]
pub struct UnknownLabel;

impl FromStr for IntentClass {
    type Err = UnknownLabel;

    fn from_str(label: &str) -> Result<Self, Self::Err> {
        IntentClass::ALL
            .into_iter()
            .find(|class| class.name() == label)
            .ok_or(UnknownLabel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_in_column_order() {
        for (i, class) in IntentClass::ALL.into_iter().enumerate() {
            assert_eq!(class.index(), i);
            assert_eq!(class.name().parse::<IntentClass>(), Ok(class));
        }
        assert_eq!("Interest".parse::<IntentClass>(), Err(UnknownLabel));
    }
}
