//! A bot's lead-capture policy.

use serde::{Deserialize, Serialize};

use crate::{Error, FieldRequirements, Interest};

/// When the bot asks for contact details.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Answer the visitor's first query and ask for the details with that
    /// answer; a turn that is only [small talk](crate::Signals::small_talk)
    /// ("Hi", "thanks") is not a query. Never blocks; a visitor who ignores
    /// or declines the request can still give details later.
    AfterFirstQuery,
    /// Full conversation; ask only on a turn whose interest reaches
    /// [`Policy::interest_threshold`].
    OnInterest,
    /// Full conversation; every reply carries the request until the details
    /// are in (an explicit decline follows [`Policy::on_decline`]).
    EveryReply,
    /// Insist: no query is answered until the required details (and consent,
    /// if required) are given.
    BeforeChat,
}

impl Mode {
    /// Whether the visitor may chat without giving details (every mode but
    /// [`Mode::BeforeChat`]).
    pub const fn is_voluntary(self) -> bool {
        !matches!(self, Mode::BeforeChat)
    }
}

/// What an explicit decline ("no thanks") does in the voluntary modes.
///
/// A visitor who declined can always give details later; this only governs
/// further requests. [`Mode::BeforeChat`] ignores it: the gate stays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnDecline {
    /// Pause for [`Policy::cooldown_turns`] user turns, then ask again if
    /// asks remain. The default in every preset, [`Mode::EveryReply`]
    /// included: a "no" is respected for a while, not forever.
    #[default]
    Cooldown,
    /// Never ask again in this conversation.
    StopAsking,
    /// Take no notice of the decline.
    KeepAsking,
}

/// Consent to be contacted: whether it is needed before a lead counts, and
/// the notice shown.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ConsentPolicy {
    /// Whether a lead counts only once the visitor has agreed to be
    /// contacted. While consent is missing, details are kept but no lead
    /// event is emitted, and requests carry the notice.
    pub required: bool,
    /// The notice shown with a request.
    pub text: String,
    /// The notice's version, recorded with each consent.
    pub version: String,
}

impl Default for ConsentPolicy {
    /// Not required; a short English notice, version `"1"`.
    fn default() -> Self {
        Self {
            required: false,
            text: "We will use these details only to follow up on this conversation.".to_owned(),
            version: "1".to_owned(),
        }
    }
}

/// A bot's lead-capture policy.
///
/// Start from a preset and adjust:
///
/// ```
/// use leadkit_core::{FieldRequirements, Mode, OnDecline, Policy};
///
/// let mut policy = Policy::on_interest();
/// policy.fields = "name,email|phone".parse()?;
/// policy.max_asks = Some(3);
/// assert_eq!(policy.mode, Mode::OnInterest);
/// policy.validate()?;
///
/// // Policies are plain serde data, so they live in any configuration format.
/// let json = serde_json::to_string(&Policy::every_reply())?;
/// let back: Policy = serde_json::from_str(&json)?;
/// assert_eq!(back.on_decline, OnDecline::Cooldown);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// Missing keys in a serialised policy take their values from
/// [`Policy::default`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Policy {
    /// The per-bot switch. A disabled policy never asks and never creates a
    /// lead, whatever the visitor types.
    pub enabled: bool,
    /// When to ask.
    pub mode: Mode,
    /// Which fields to ask for.
    pub fields: FieldRequirements,
    /// Whether consent is needed, and the notice.
    pub consent: ConsentPolicy,
    /// In [`Mode::OnInterest`], the interest at which a turn triggers a
    /// request. Ignored by the other modes.
    pub interest_threshold: Interest,
    /// In the voluntary modes, the most requests made in one conversation
    /// (`None`: no limit). Corrections and [`Mode::BeforeChat`] gates do not
    /// count.
    pub max_asks: Option<u32>,
    /// In the voluntary modes, how many user turns pass without a request
    /// after a decline (with [`OnDecline::Cooldown`]) or after a request the
    /// visitor ignored. [`Mode::EveryReply`] does not cool down after an
    /// ignored request: asking on every reply is the point of that mode.
    pub cooldown_turns: u32,
    /// What an explicit decline does in the voluntary modes.
    pub on_decline: OnDecline,
}

impl Default for Policy {
    /// [`Policy::after_first_query`]: enabled, ask for name and email with
    /// the answer to the first query, at most twice, three quiet turns after
    /// a decline or an ignored request, no consent required.
    fn default() -> Self {
        Self::after_first_query()
    }
}

impl Policy {
    /// The interest threshold of the presets.
    pub const DEFAULT_INTEREST_THRESHOLD: f32 = 0.6;

    fn preset(mode: Mode, fields: FieldRequirements, max_asks: Option<u32>) -> Self {
        Self {
            enabled: true,
            mode,
            fields,
            consent: ConsentPolicy::default(),
            interest_threshold: Interest::clamped(Self::DEFAULT_INTEREST_THRESHOLD),
            max_asks,
            cooldown_turns: 3,
            on_decline: OnDecline::Cooldown,
        }
    }

    /// [`Mode::AfterFirstQuery`] asking for name and email (both required),
    /// at most twice per conversation. The behaviour of a website chat that
    /// captures leads by default.
    pub fn after_first_query() -> Self {
        Self::preset(
            Mode::AfterFirstQuery,
            FieldRequirements::NAME_AND_EMAIL,
            Some(2),
        )
    }

    /// [`Mode::OnInterest`] at interest 0.6, asking for email or phone (name
    /// optional), at most twice per conversation.
    pub fn on_interest() -> Self {
        Self::preset(Mode::OnInterest, FieldRequirements::EMAIL_OR_PHONE, Some(2))
    }

    /// [`Mode::EveryReply`] asking for email or phone (name optional) with no
    /// limit on requests; a decline pauses requests for three turns.
    pub fn every_reply() -> Self {
        Self::preset(Mode::EveryReply, FieldRequirements::EMAIL_OR_PHONE, None)
    }

    /// [`Mode::BeforeChat`] insisting on email or phone (name optional).
    pub fn before_chat() -> Self {
        Self::preset(Mode::BeforeChat, FieldRequirements::EMAIL_OR_PHONE, None)
    }

    /// Lead capture switched off: [`Policy::on_interest`] with `enabled`
    /// false, ready to be switched on (the default of an AI agent product
    /// where lead collection is opt-in).
    pub fn disabled() -> Self {
        Self {
            enabled: false,
            ..Self::on_interest()
        }
    }

    /// This policy with another mode.
    #[must_use]
    pub fn with_mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    /// This policy with other field requirements.
    #[must_use]
    pub fn with_fields(mut self, fields: FieldRequirements) -> Self {
        self.fields = fields;
        self
    }

    /// This policy requiring consent with the given notice and version.
    #[must_use]
    pub fn with_required_consent(
        mut self,
        text: impl Into<String>,
        version: impl Into<String>,
    ) -> Self {
        self.consent = ConsentPolicy {
            required: true,
            text: text.into(),
            version: version.into(),
        };
        self
    }

    /// Checks the policy. An enabled policy must insist on at least one
    /// field, and a required consent needs a notice and a version. A
    /// disabled policy is always valid.
    pub fn validate(&self) -> Result<(), Error> {
        if !self.enabled {
            return Ok(());
        }
        self.fields.validate()?;
        if self.consent.required
            && (self.consent.text.trim().is_empty() || self.consent.version.trim().is_empty())
        {
            return Err(Error::InvalidPolicy {
                reason: "required consent needs a notice text and a version",
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_are_valid_and_distinct() {
        let presets = [
            Policy::after_first_query(),
            Policy::on_interest(),
            Policy::every_reply(),
            Policy::before_chat(),
            Policy::disabled(),
        ];
        for preset in &presets {
            preset.validate().unwrap();
        }
        assert_eq!(Policy::default(), Policy::after_first_query());
        assert!(!Policy::disabled().enabled);
    }

    #[test]
    fn partial_config_takes_defaults() {
        let policy: Policy =
            serde_json::from_str(r#"{"mode":"before_chat","fields":"email"}"#).unwrap();
        assert_eq!(policy.mode, Mode::BeforeChat);
        assert_eq!(policy.cooldown_turns, Policy::default().cooldown_turns);
        assert!(serde_json::from_str::<Policy>(r#"{"interest_threshold":2.0}"#).is_err());
        assert!(serde_json::from_str::<Policy>(r#"{"mode":"sometimes"}"#).is_err());
    }

    #[test]
    fn invalid_policies_are_reported() {
        let mut policy = Policy::before_chat().with_required_consent(" ", "v2");
        assert!(matches!(
            policy.validate(),
            Err(Error::InvalidPolicy { .. })
        ));
        policy.enabled = false;
        assert!(policy.validate().is_ok());
        let no_fields = Policy::on_interest().with_fields(FieldRequirements::NONE);
        assert!(no_fields.validate().is_err());
    }
}
