//! A bot's lead-collection settings, as the business changes them at run
//! time (the dashboard's Bots page, the admin API), and their one mapping
//! to the core's [`Policy`].

mod history;
mod locale_serde;
mod region;

use std::collections::BTreeMap;

use leadkit_core::{ConsentPolicy, FieldRequirements, Mode, Policy};
use leadkit_messages::Locale;
use serde::{Deserialize, Serialize};

pub use history::{
    HistoryQuery, MAX_ACTOR_LEN, MAX_HISTORY_PAGE, SettingsChange, SettingsUpdate,
    StoredBotSettings,
};
pub use region::PhoneRegion;

/// The most requests per conversation a bot may be set to make.
pub const MAX_ASKS_LIMIT: u32 = 100;
/// The longest cool-down accepted, in user turns.
pub const MAX_COOLDOWN_TURNS: u32 = 1_000;
/// The longest consent notice accepted, in bytes (4 KiB).
pub const MAX_NOTICE_LEN: usize = 4 * 1024;
/// The longest consent notice version accepted, in bytes.
pub const MAX_NOTICE_VERSION_LEN: usize = 64;
/// The longest custom ask message accepted, in bytes.
pub const MAX_ASK_MESSAGE_LEN: usize = 1024;

/// Why settings were refused. Nothing was stored.
///
/// The messages name the setting and the limit and never echo the value,
/// so they can be shown to the business as they are.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SettingsError {
    /// The settings could not be read (an unknown mode or language, a
    /// negative number, a wrong type …). The text is the parser's.
    #[error("invalid bot settings: {0}")]
    Malformed(String),
    /// `max_asks` is above [`MAX_ASKS_LIMIT`].
    #[error("max_asks must be at most {MAX_ASKS_LIMIT}")]
    TooManyAsks,
    /// `cooldown_turns` is above [`MAX_COOLDOWN_TURNS`].
    #[error("cooldown_turns must be at most {MAX_COOLDOWN_TURNS}")]
    CooldownTooLong,
    /// The consent notice is longer than [`MAX_NOTICE_LEN`] or holds a
    /// control character other than a line break or tab.
    #[error("the consent notice must be at most {MAX_NOTICE_LEN} bytes of text")]
    InvalidNotice,
    /// The consent notice version is blank, longer than
    /// [`MAX_NOTICE_VERSION_LEN`], or holds a control character.
    #[error("the consent notice version must be 1 to {MAX_NOTICE_VERSION_LEN} bytes of text")]
    InvalidNoticeVersion,
    /// A custom ask message is blank, longer than [`MAX_ASK_MESSAGE_LEN`],
    /// or holds a control character other than a line break or tab.
    #[error("the {0} ask message must be 1 to {MAX_ASK_MESSAGE_LEN} bytes of text")]
    InvalidAskMessage(Locale),
    /// The phone region is not an ISO 3166-1 alpha-2 code.
    #[error("the phone region must be an ISO 3166-1 alpha-2 country code such as GB or US")]
    InvalidRegion,
    /// Who made the change is blank, longer than [`MAX_ACTOR_LEN`] or
    /// holds a control character.
    #[error("the change's actor must be 1 to {MAX_ACTOR_LEN} bytes of text")]
    InvalidActor,
    /// The settings do not make a valid policy (collection on with no
    /// field insisted on, required consent with a blank notice …).
    #[error(transparent)]
    Policy(#[from] leadkit_core::Error),
}

/// A bot's lead-collection settings.
///
/// Plain data with public fields: build from [`BotSettings::collecting`] or
/// [`BotSettings::off`], change what you need, and
/// [`validate`](Self::validate) (every store validates before it saves).
/// [`BotSettings::policy`] is the one place the settings become the core's
/// [`Policy`]. Settings are not personal data.
///
/// The JSON form (what the SQL stores keep, and the admin API's body):
///
/// ```
/// use leadkit_core::Mode;
/// use leadkit_store::BotSettings;
///
/// let settings = BotSettings::from_json(r#"{
///     "enabled": true,
///     "mode": "before_chat",
///     "fields": "name?,email|phone",
///     "max_asks": null,
///     "cooldown_turns": 2,
///     "consent": {"required": true, "text": "We will call you back.", "version": "2025-01"},
///     "ask_messages": {"es": "¿Nos dejas tu email o teléfono?"},
///     "phone_region": "GB",
///     "language": "en"
/// }"#)?;
/// assert_eq!(settings.mode, Mode::BeforeChat);
/// assert!(settings.policy().consent.required);
///
/// // An unknown mode, a negative cool-down, a region that is not ISO 3166 …
/// assert!(BotSettings::from_json(r#"{"mode": "sometimes"}"#).is_err());
/// assert!(BotSettings::from_json(r#"{"cooldown_turns": -1}"#).is_err());
/// assert!(BotSettings::from_json(r#"{"phone_region": "UK"}"#).is_err());
/// # Ok::<(), leadkit_store::SettingsError>(())
/// ```
///
/// Keys left out take their values from [`BotSettings::default`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct BotSettings {
    /// The switch: off, the bot never asks and never creates a lead.
    pub enabled: bool,
    /// When to ask.
    pub mode: Mode,
    /// Which fields are required (name, email, phone, "email or phone").
    pub fields: FieldRequirements,
    /// The most requests per conversation in the voluntary modes (`None`:
    /// no limit), at most [`MAX_ASKS_LIMIT`].
    pub max_asks: Option<u32>,
    /// How many user turns pass without a request after a decline or an
    /// ignored request, at most [`MAX_COOLDOWN_TURNS`].
    pub cooldown_turns: u32,
    /// Whether consent is required, the notice (at most
    /// [`MAX_NOTICE_LEN`]) and its version.
    pub consent: ConsentPolicy,
    /// Ask messages that replace the built-in request text, per language.
    #[serde(with = "locale_serde::map")]
    pub ask_messages: BTreeMap<Locale, String>,
    /// The region a national phone number is read in (`None`: the
    /// integrator's default, if any).
    pub phone_region: Option<PhoneRegion>,
    /// The language of the bot's messages when the visit does not say.
    #[serde(with = "locale_serde::one")]
    pub language: Locale,
}

impl Default for BotSettings {
    /// [`BotSettings::collecting`]: the crate's default for a bot with no
    /// stored settings (see there why).
    fn default() -> Self {
        Self::collecting()
    }
}

impl BotSettings {
    /// Collection on, asking for name and email with the answer to the
    /// visitor's first query, at most twice, three quiet turns after a
    /// decline ([`Policy::after_first_query`]): the "on by default, opt
    /// out" behaviour of a website chat product.
    ///
    /// This is the crate's default for a bot with no stored settings,
    /// because it is what an engine without settings did before (an
    /// integrator who upgrades keeps capturing leads) and what a business
    /// that installs a lead-capture library expects.
    pub fn collecting() -> Self {
        Self::from_policy(&Policy::after_first_query())
    }

    /// Collection off, ready to be switched on in
    /// [`Mode::OnInterest`] asking for email or phone
    /// ([`Policy::disabled`]): the "off by default, opt in" behaviour of an
    /// AI agent product.
    pub fn off() -> Self {
        Self::from_policy(&Policy::disabled())
    }

    /// The settings of a policy, in English with no region and no custom
    /// message. The policy's interest threshold and decline handling are
    /// not settings: [`policy`](Self::policy) takes them from the mode's
    /// preset.
    pub fn from_policy(policy: &Policy) -> Self {
        Self {
            enabled: policy.enabled,
            mode: policy.mode,
            fields: policy.fields,
            max_asks: policy.max_asks,
            cooldown_turns: policy.cooldown_turns,
            consent: policy.consent.clone(),
            ask_messages: BTreeMap::new(),
            phone_region: None,
            language: Locale::English,
        }
    }

    /// Reads and validates the JSON form (see the type's docs).
    pub fn from_json(json: &str) -> Result<Self, SettingsError> {
        let settings: Self =
            serde_json::from_str(json).map_err(|e| SettingsError::Malformed(e.to_string()))?;
        settings.validate()?;
        Ok(settings)
    }

    /// Reads and validates the JSON form like [`from_json`](Self::from_json),
    /// and also refuses keys it does not know (at the top level and in
    /// `consent`): for input typed by people or sent by API clients, where a
    /// misspelt key would otherwise be ignored in silence. Stored settings
    /// are read leniently, so that settings written by a newer version
    /// still load.
    pub fn from_json_strict(json: &str) -> Result<Self, SettingsError> {
        // The typed read comes first: it refuses a key given twice, which
        // reading into a `Value` would settle in silence by keeping the
        // last (found by the `bot_settings` fuzz target).
        let settings = Self::from_json(json)?;
        let value: serde_json::Value =
            serde_json::from_str(json).map_err(|e| SettingsError::Malformed(e.to_string()))?;
        let known = serde_json::to_value(Self::default()).unwrap_or_default();
        check_keys(&value, &known, "")?;
        if let (Some(consent), Some(known)) = (value.get("consent"), known.get("consent")) {
            check_keys(consent, known, "consent.")?;
        }
        Ok(settings)
    }

    /// The JSON form.
    pub fn to_json(&self) -> String {
        // Plain data with string keys: serialising cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// This with the switch on or off.
    #[must_use]
    pub fn enabled(mut self, on: bool) -> Self {
        self.enabled = on;
        self
    }

    /// This with another mode.
    #[must_use]
    pub fn mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    /// This with other required fields.
    #[must_use]
    pub fn fields(mut self, fields: FieldRequirements) -> Self {
        self.fields = fields;
        self
    }

    /// This with a default phone region.
    #[must_use]
    pub fn phone_region(mut self, region: PhoneRegion) -> Self {
        self.phone_region = Some(region);
        self
    }

    /// This with a default language.
    #[must_use]
    pub fn language(mut self, language: Locale) -> Self {
        self.language = language;
        self
    }

    /// This with an ask message for one language.
    #[must_use]
    pub fn ask_message(mut self, language: Locale, text: impl Into<String>) -> Self {
        self.ask_messages.insert(language, text.into());
        self
    }

    /// The custom ask message for `language`, if one is set.
    pub fn ask_message_for(&self, language: Locale) -> Option<&str> {
        self.ask_messages.get(&language).map(String::as_str)
    }

    /// Checks every limit, then that the settings make a valid
    /// [`Policy`]. A switched-off bot still needs settings within the
    /// limits (they are kept for when it is switched on).
    pub fn validate(&self) -> Result<(), SettingsError> {
        if self.max_asks.is_some_and(|n| n > MAX_ASKS_LIMIT) {
            return Err(SettingsError::TooManyAsks);
        }
        if self.cooldown_turns > MAX_COOLDOWN_TURNS {
            return Err(SettingsError::CooldownTooLong);
        }
        if self.consent.text.len() > MAX_NOTICE_LEN || has_control(&self.consent.text, true) {
            return Err(SettingsError::InvalidNotice);
        }
        let version = &self.consent.version;
        if version.trim().is_empty()
            || version.len() > MAX_NOTICE_VERSION_LEN
            || has_control(version, false)
        {
            return Err(SettingsError::InvalidNoticeVersion);
        }
        for (language, text) in &self.ask_messages {
            if text.trim().is_empty() || text.len() > MAX_ASK_MESSAGE_LEN || has_control(text, true)
            {
                return Err(SettingsError::InvalidAskMessage(*language));
            }
        }
        self.policy().validate()?;
        Ok(())
    }

    /// The core's policy for these settings. The interest threshold and
    /// what a decline does come from the mode's preset
    /// ([`Policy::on_interest`] …).
    pub fn policy(&self) -> Policy {
        let mut policy = match self.mode {
            Mode::AfterFirstQuery => Policy::after_first_query(),
            Mode::OnInterest => Policy::on_interest(),
            Mode::EveryReply => Policy::every_reply(),
            Mode::BeforeChat => Policy::before_chat(),
        };
        policy.enabled = self.enabled;
        policy.fields = self.fields;
        policy.max_asks = self.max_asks;
        policy.cooldown_turns = self.cooldown_turns;
        policy.consent = self.consent.clone();
        policy
    }
}

/// Refuses a key of the object `value` that `known` (an object) lacks.
fn check_keys(
    value: &serde_json::Value,
    known: &serde_json::Value,
    prefix: &str,
) -> Result<(), SettingsError> {
    let (Some(value), Some(known)) = (value.as_object(), known.as_object()) else {
        // Not an object: the typed parse says what is wrong.
        return Ok(());
    };
    match value.keys().find(|key| !known.contains_key(*key)) {
        Some(key) => {
            let shown: String = key.chars().take(64).collect();
            Err(SettingsError::Malformed(format!(
                "unknown setting `{prefix}{shown}`"
            )))
        }
        None => Ok(()),
    }
}

/// Whether `text` holds a control character (line breaks and tabs allowed
/// when `multiline`).
fn has_control(text: &str, multiline: bool) -> bool {
    text.chars()
        .any(|c| c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')))
}

#[cfg(test)]
mod tests {
    use leadkit_core::{Field, FieldRule};

    use super::*;

    #[test]
    fn presets_are_valid_and_map_to_their_policies() {
        for (settings, policy) in [
            (BotSettings::collecting(), Policy::after_first_query()),
            (BotSettings::off(), Policy::disabled()),
        ] {
            settings.validate().unwrap();
            assert_eq!(settings.policy(), policy);
        }
        assert_eq!(BotSettings::default(), BotSettings::collecting());
        assert!(!BotSettings::off().enabled);
    }

    #[test]
    fn every_mode_maps_to_its_preset() {
        for (mode, preset) in [
            (Mode::AfterFirstQuery, Policy::after_first_query()),
            (Mode::OnInterest, Policy::on_interest()),
            (Mode::EveryReply, Policy::every_reply()),
            (Mode::BeforeChat, Policy::before_chat()),
        ] {
            let settings = BotSettings::off()
                .enabled(true)
                .mode(mode)
                .fields(FieldRequirements::NONE.with(Field::Phone, FieldRule::Required));
            let policy = settings.policy();
            assert!(policy.enabled);
            assert_eq!(policy.mode, mode);
            assert_eq!(policy.fields.rule(Field::Phone), FieldRule::Required);
            assert_eq!(policy.interest_threshold, preset.interest_threshold);
            assert_eq!(policy.on_decline, preset.on_decline);
            assert_eq!(policy.max_asks, settings.max_asks);
            assert_eq!(policy.cooldown_turns, settings.cooldown_turns);
        }
    }

    #[test]
    fn limits_are_enforced() {
        let ok = BotSettings::collecting();
        let mut s = ok.clone();
        s.max_asks = Some(MAX_ASKS_LIMIT + 1);
        assert_eq!(s.validate(), Err(SettingsError::TooManyAsks));
        let mut s = ok.clone();
        s.cooldown_turns = MAX_COOLDOWN_TURNS + 1;
        assert_eq!(s.validate(), Err(SettingsError::CooldownTooLong));
        let mut s = ok.clone();
        s.consent.text = "x".repeat(MAX_NOTICE_LEN + 1);
        assert_eq!(s.validate(), Err(SettingsError::InvalidNotice));
        s.consent.text = "x".repeat(MAX_NOTICE_LEN);
        assert_eq!(s.validate(), Ok(()));
        s.consent.text = "a\0b".to_owned();
        assert_eq!(s.validate(), Err(SettingsError::InvalidNotice));
        let mut s = ok.clone();
        s.consent.version = " ".to_owned();
        assert_eq!(s.validate(), Err(SettingsError::InvalidNoticeVersion));
        let s = ok.clone().ask_message(Locale::German, "  ");
        assert_eq!(
            s.validate(),
            Err(SettingsError::InvalidAskMessage(Locale::German))
        );
        let s = ok.clone().fields(FieldRequirements::NONE);
        assert!(matches!(s.validate(), Err(SettingsError::Policy(_))));
        // Off, the fields need not make sense yet.
        assert_eq!(s.enabled(false).validate(), Ok(()));
    }

    #[test]
    fn json_round_trips_and_refuses_bad_input() {
        let settings = BotSettings::off()
            .enabled(true)
            .mode(Mode::EveryReply)
            .phone_region(PhoneRegion::new("GB").unwrap())
            .language(Locale::Portuguese)
            .ask_message(Locale::Spanish, "¿Tu email?");
        let json = settings.to_json();
        assert!(json.contains("\"phone_region\":\"GB\""), "{json}");
        assert!(json.contains("\"language\":\"pt\""), "{json}");
        assert!(json.contains("\"es\":\"¿Tu email?\""), "{json}");
        assert_eq!(BotSettings::from_json(&json).unwrap(), settings);
        assert_eq!(
            BotSettings::from_json("{}").unwrap(),
            BotSettings::default()
        );
        for bad in [
            r#"{"mode":"sometimes"}"#,
            r#"{"cooldown_turns":-1}"#,
            r#"{"max_asks":-2}"#,
            r#"{"phone_region":"UK"}"#,
            r#"{"language":"xx"}"#,
            r#"{"ask_messages":{"klingon":"hi"}}"#,
            r#"{"fields":"name,bogus"}"#,
            "not json",
        ] {
            assert!(
                matches!(
                    BotSettings::from_json(bad),
                    Err(SettingsError::Malformed(_))
                ),
                "{bad}"
            );
        }
        // Strict parsing refuses misspelt keys; lenient parsing ignores them.
        let typo = r#"{"enabled":false,"cooldown":5}"#;
        assert!(BotSettings::from_json(typo).is_ok());
        assert_eq!(
            BotSettings::from_json_strict(typo),
            Err(SettingsError::Malformed(
                "unknown setting `cooldown`".to_owned()
            ))
        );
        assert!(matches!(
            BotSettings::from_json_strict(r#"{"consent":{"txt":"x"}}"#),
            Err(SettingsError::Malformed(m)) if m.contains("consent.txt")
        ));
        assert_eq!(BotSettings::from_json_strict(&json).unwrap(), settings);
        assert!(matches!(
            BotSettings::from_json_strict(r#"{"mode":"sometimes"}"#),
            Err(SettingsError::Malformed(_))
        ));
        let huge = format!(r#"{{"consent":{{"text":"{}"}}}}"#, "x".repeat(100 * 1024));
        assert_eq!(
            BotSettings::from_json(&huge),
            Err(SettingsError::InvalidNotice)
        );
    }

    #[test]
    fn a_key_given_twice_is_refused_by_both_readers() {
        // The fuzz target's reproducer: `language` twice, null then "en".
        let json = r#"{"enabled": true, "language": null, "cooldown_turns": 2, "language": "en"}"#;
        assert!(matches!(
            BotSettings::from_json(json),
            Err(SettingsError::Malformed(_))
        ));
        assert!(matches!(
            BotSettings::from_json_strict(json),
            Err(SettingsError::Malformed(_))
        ));
        let nested = r#"{"consent": {"required": true, "required": false}}"#;
        assert!(BotSettings::from_json_strict(nested).is_err());
    }
}
