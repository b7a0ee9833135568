//! What an analyzer says about one user turn.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use crate::{ContactDetails, Error, Field};

/// How much buying interest a turn shows, from 0 (none) to 1 (certain).
///
/// Always a finite number in `0.0..=1.0`.
///
/// ```
/// use leadkit_core::Interest;
///
/// assert_eq!(Interest::clamped(1.7), Interest::MAX);
/// assert_eq!(Interest::clamped(f32::NAN), Interest::NONE);
/// assert!(Interest::new(0.5).is_ok());
/// assert!(Interest::new(-0.1).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default, Serialize)]
#[serde(transparent)]
pub struct Interest(f32);

impl Interest {
    /// No interest.
    pub const NONE: Interest = Interest(0.0);
    /// Certain interest.
    pub const MAX: Interest = Interest(1.0);

    /// An interest score; an error unless `value` is in `0.0..=1.0`.
    pub fn new(value: f32) -> Result<Interest, Error> {
        if (0.0..=1.0).contains(&value) {
            Ok(Interest(value))
        } else {
            Err(Error::InvalidInterest)
        }
    }

    /// An interest score forced into range: below 0 is 0, above 1 is 1, NaN is 0.
    /// Use it for scores from sources you do not control, such as a model.
    pub fn clamped(value: f32) -> Interest {
        if value.is_nan() {
            Interest::NONE
        } else {
            Interest(value.clamp(0.0, 1.0))
        }
    }

    /// The score.
    pub const fn get(self) -> f32 {
        self.0
    }
}

impl<'de> Deserialize<'de> for Interest {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = f32::deserialize(deserializer)?;
        Interest::new(value).map_err(serde::de::Error::custom)
    }
}

/// Why a value the visitor gave was not accepted, in the broad terms a reply
/// can use ("that email looks incomplete").
///
/// Validators with finer reasons (`leadkit-contact`) map onto these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum InvalidReason {
    /// Part of the value is missing (no domain, too few digits).
    Incomplete,
    /// The value has characters or a shape that cannot be right.
    Malformed,
    /// Well formed, but refused by configuration (a disposable address, a
    /// premium-rate number).
    NotAllowed,
    /// Well formed, but not believable (a name such as "asdf", a number that
    /// is not assigned anywhere).
    Implausible,
    /// A phone number written without its country code where none can be
    /// assumed (the bot has no phone region), or one that is valid only in
    /// another country than the bot's: the visitor is asked to add it.
    NeedsCountryCode,
}

impl fmt::Display for InvalidReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            InvalidReason::Incomplete => "looks incomplete",
            InvalidReason::Malformed => "does not look right",
            InvalidReason::NotAllowed => "cannot be accepted",
            InvalidReason::Implausible => "does not look real",
            InvalidReason::NeedsCountryCode => "needs its country code",
        })
    }
}

/// A value the visitor gave for a field that failed validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct InvalidAttempt {
    /// Which field the value was for.
    pub field: Field,
    /// Why it failed.
    pub reason: InvalidReason,
}

/// What an analyzer found in one user turn.
///
/// The state machine trusts it: contact details must already be validated
/// and normalised; values that failed validation go in
/// [`invalid`](Signals::invalid) instead, so the bot can ask for a
/// correction.
///
/// ```
/// use leadkit_core::{ContactDetails, Field, InvalidReason, Signals};
///
/// let signals = Signals::none()
///     .with_interest(0.8)
///     .with_details(ContactDetails::new().with_name("Ana"))
///     .with_invalid(Field::Email, InvalidReason::Incomplete);
/// assert!(signals.interest.get() > 0.5);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Signals {
    /// Buying interest shown by this turn.
    #[serde(default)]
    pub interest: Interest,
    /// The visitor explicitly declined to share details ("no thanks").
    #[serde(default)]
    pub declined: bool,
    /// The visitor agreed to be contacted ("yes, you can email me").
    #[serde(default)]
    pub consent: bool,
    /// The turn is only small talk ("Hi", "thanks", "bye"): not a query.
    /// [`Mode::AfterFirstQuery`](crate::Mode::AfterFirstQuery) waits for a
    /// turn that is not small talk before its first request.
    #[serde(default)]
    pub small_talk: bool,
    /// Valid contact details found in the turn.
    #[serde(default)]
    pub details: ContactDetails,
    /// Values that were meant as contact details but failed validation.
    #[serde(default)]
    pub invalid: Vec<InvalidAttempt>,
}

impl Signals {
    /// Nothing of note: no interest, no details.
    pub fn none() -> Self {
        Self::default()
    }

    /// With an interest score (clamped into `0.0..=1.0`).
    #[must_use]
    pub fn with_interest(mut self, interest: f32) -> Self {
        self.interest = Interest::clamped(interest);
        self
    }

    /// Marked as an explicit decline.
    #[must_use]
    pub fn declined(mut self) -> Self {
        self.declined = true;
        self
    }

    /// Marked as consent to be contacted.
    #[must_use]
    pub fn with_consent(mut self) -> Self {
        self.consent = true;
        self
    }

    /// Marked as small talk (a greeting, thanks, a goodbye): not a query.
    #[must_use]
    pub fn small_talk(mut self) -> Self {
        self.small_talk = true;
        self
    }

    /// With valid contact details.
    #[must_use]
    pub fn with_details(mut self, details: ContactDetails) -> Self {
        self.details = details;
        self
    }

    /// With a value that failed validation.
    #[must_use]
    pub fn with_invalid(mut self, field: Field, reason: InvalidReason) -> Self {
        self.invalid.push(InvalidAttempt { field, reason });
        self
    }
}
