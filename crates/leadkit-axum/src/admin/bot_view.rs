//! Bots and their lead-collection settings as the Bots pages show them and
//! the admin API returns them: the modes in the words users know, lead
//! counts, the settings form, and what each recorded change changed.

use chrono::{Duration, Utc};
use leadkit_core::{BotId, Field, FieldRequirements, FieldRule, Mode};
use leadkit_engine::messages::Locale;
use leadkit_store::{
    Bot, BotSettings, HistoryQuery, LeadQuery, SettingsChange, SettingsError, StoredBotSettings,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::view::rfc3339;
use crate::config::AppState;
use crate::error::ApiError;

/// Every mode: its wire name and how the dashboard words it.
pub(super) const MODES: [(Mode, &str, &str); 4] = [
    (
        Mode::AfterFirstQuery,
        "after_first_query",
        "Ask after the first question",
    ),
    (
        Mode::OnInterest,
        "on_interest",
        "Ask when the visitor shows interest",
    ),
    (Mode::EveryReply, "every_reply", "Ask on every reply"),
    (Mode::BeforeChat, "before_chat", "Ask before answering"),
];

/// How the dashboard words a mode.
pub(super) fn mode_label(mode: Mode) -> &'static str {
    MODES
        .iter()
        .find(|(m, _, _)| *m == mode)
        .map_or("", |(_, _, label)| label)
}

/// The rules a field can have in the form: wire name and label.
pub(super) const RULES: [(FieldRule, &str, &str); 4] = [
    (FieldRule::Required, "required", "Required"),
    (
        FieldRule::OneOf,
        "one_of",
        "Either this or the other contact",
    ),
    (FieldRule::Optional, "optional", "Optional"),
    (FieldRule::NotAsked, "not_asked", "Not asked"),
];

/// "On — Ask before answering", or "Off".
pub(super) fn collection_state(settings: &BotSettings) -> String {
    if settings.enabled {
        format!("On — {}", mode_label(settings.mode))
    } else {
        "Off".to_owned()
    }
}

/// The language's name in English, for labels.
pub(super) fn language_name(locale: Locale) -> &'static str {
    match locale {
        Locale::Spanish => "Spanish",
        Locale::German => "German",
        Locale::French => "French",
        Locale::Portuguese => "Portuguese",
        _ => "English",
    }
}

/// Parses a bot id from the path.
pub(super) fn bot_id(text: &str) -> Result<BotId, ApiError> {
    text.parse()
        .map_err(|_| ApiError::bad_request("invalid_bot_id", "the bot id must be a UUID"))
}

/// A registered bot of the workspace, or 404.
pub(super) async fn find_bot(app: &AppState, id: BotId) -> Result<Bot, ApiError> {
    app.engine
        .store()
        .get_bot(app.workspace, id)
        .await?
        .ok_or_else(ApiError::not_found)
}

/// One row of the Bots list.
pub(super) struct BotRow {
    pub(super) bot: Bot,
    pub(super) settings: BotSettings,
    pub(super) leads_7_days: u64,
    pub(super) leads_30_days: u64,
}

/// The workspace's bots by name, with their settings in use and the leads
/// they captured in the last 7 and 30 days (counted by the store, no lead
/// is loaded).
pub(super) async fn bot_rows(app: &AppState) -> Result<Vec<BotRow>, ApiError> {
    let store = app.engine.store();
    let mut bots = store.list_bots(app.workspace).await?;
    bots.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    let now = Utc::now();
    let mut rows = Vec::with_capacity(bots.len());
    for bot in bots {
        let settings = app.engine.bot_settings(app.workspace, bot.id).await?;
        let since = |days| {
            LeadQuery::new()
                .bots([bot.id])
                .created_from(now - Duration::days(days))
        };
        let leads_7_days = store.count_leads(app.workspace, &since(7)).await?;
        let leads_30_days = store.count_leads(app.workspace, &since(30)).await?;
        rows.push(BotRow {
            bot,
            settings,
            leads_7_days,
            leads_30_days,
        });
    }
    Ok(rows)
}

/// A bot's settings as its turns use them, what is stored, and its newest
/// changes.
pub(super) struct BotSettingsView {
    pub(super) bot: Bot,
    pub(super) settings: BotSettings,
    pub(super) stored: Option<StoredBotSettings>,
    pub(super) history: Vec<SettingsChange>,
}

/// How many changes the bot page and the API show.
const HISTORY_SHOWN: u32 = 50;

pub(super) async fn load_settings(app: &AppState, id: BotId) -> Result<BotSettingsView, ApiError> {
    let bot = find_bot(app, id).await?;
    let store = app.engine.store();
    let settings = app.engine.bot_settings(app.workspace, id).await?;
    let stored = store.bot_settings(app.workspace, id).await?;
    let history = store
        .bot_settings_history(app.workspace, id, &HistoryQuery::new().limit(HISTORY_SHOWN))
        .await?;
    Ok(BotSettingsView {
        bot,
        settings,
        stored,
        history,
    })
}

/// The admin API's answer for a bot's settings.
#[derive(Serialize)]
pub(super) struct SettingsJson {
    bot: BotId,
    name: String,
    /// Whether the bot has stored settings (else `settings` is the
    /// engine's default for a new bot).
    stored: bool,
    version: Option<u64>,
    updated_at: Option<String>,
    settings: Value,
    history: Vec<ChangeJson>,
}

#[derive(Serialize)]
pub(super) struct ChangeJson {
    version: u64,
    at: String,
    actor: String,
    old: Option<Value>,
    new: Value,
}

fn settings_value(settings: &BotSettings) -> Value {
    serde_json::to_value(settings).unwrap_or(Value::Null)
}

impl SettingsJson {
    pub(super) fn new(view: &BotSettingsView) -> Self {
        Self {
            bot: view.bot.id,
            name: view.bot.name.clone(),
            stored: view.stored.is_some(),
            version: view.stored.as_ref().map(|s| s.version),
            updated_at: view.stored.as_ref().map(|s| rfc3339(s.updated_at)),
            settings: settings_value(&view.settings),
            history: view
                .history
                .iter()
                .map(|change| ChangeJson {
                    version: change.version,
                    at: rfc3339(change.at),
                    actor: change.actor.expose().clone(),
                    old: change.old.as_ref().map(settings_value),
                    new: settings_value(&change.new),
                })
                .collect(),
        }
    }
}

/// A refusal of the settings as a 4xx: 400 for what could not be read at
/// all, 422 for readable settings outside the limits. The message names
/// the setting, never echoes the value.
pub(super) fn settings_refused(error: &SettingsError) -> ApiError {
    let status = match error {
        SettingsError::Malformed(_) => axum::http::StatusCode::BAD_REQUEST,
        _ => axum::http::StatusCode::UNPROCESSABLE_ENTITY,
    };
    ApiError::new(status, "invalid_settings", error.to_string())
}

/// A settings save's error as a 4xx/5xx.
pub(super) fn save_error(error: leadkit_engine::Error) -> ApiError {
    match error {
        leadkit_engine::Error::Store(leadkit_store::Error::InvalidSettings(e)) => {
            settings_refused(&e)
        }
        other => other.into(),
    }
}

/// The Lead Collection form as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct SettingsForm {
    enabled: Option<String>,
    mode: String,
    name: String,
    email: String,
    phone: String,
    max_asks: String,
    cooldown_turns: String,
    consent_required: Option<String>,
    consent_text: String,
    consent_version: String,
    phone_region: String,
    language: String,
    ask_en: String,
    ask_es: String,
    ask_de: String,
    ask_fr: String,
    ask_pt: String,
}

/// A whole number from the form, or `None` when blank.
fn number(text: &str, setting: &str) -> Result<Option<i64>, ApiError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse().map(Some).map_err(|_| {
        ApiError::new(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_settings",
            format!("{setting} must be a whole number"),
        )
    })
}

fn rule(text: &str) -> FieldRule {
    RULES
        .iter()
        .find(|(_, name, _)| *name == text)
        .map_or(FieldRule::NotAsked, |(rule, _, _)| *rule)
}

impl SettingsForm {
    /// The settings the form describes, through the same JSON form and
    /// checks as the admin API ([`BotSettings::from_json_strict`]).
    pub(super) fn settings(&self) -> Result<BotSettings, ApiError> {
        let mut fields = FieldRequirements::NONE;
        for (field, text) in [
            (Field::Name, &self.name),
            (Field::Email, &self.email),
            (Field::Phone, &self.phone),
        ] {
            fields = fields.with(field, rule(text));
        }
        let cooldown = number(&self.cooldown_turns, "The cool-down")?.unwrap_or(0);
        let mut ask_messages = serde_json::Map::new();
        for (locale, text) in [
            (Locale::English, &self.ask_en),
            (Locale::Spanish, &self.ask_es),
            (Locale::German, &self.ask_de),
            (Locale::French, &self.ask_fr),
            (Locale::Portuguese, &self.ask_pt),
        ] {
            if !text.trim().is_empty() {
                ask_messages.insert(locale.code().to_owned(), json!(text));
            }
        }
        let region = self.phone_region.trim();
        let value = json!({
            "enabled": self.enabled.is_some(),
            "mode": self.mode,
            "fields": fields.to_string(),
            "max_asks": number(&self.max_asks, "The maximum number of asks")?,
            "cooldown_turns": cooldown,
            "consent": {
                "required": self.consent_required.is_some(),
                "text": self.consent_text,
                "version": self.consent_version,
            },
            "ask_messages": ask_messages,
            "phone_region": if region.is_empty() { Value::Null } else { json!(region) },
            "language": if self.language.is_empty() { "en" } else { self.language.as_str() },
        });
        BotSettings::from_json_strict(&value.to_string()).map_err(|e| settings_refused(&e))
    }
}

/// One setting that a recorded change changed: its label, the old and new
/// values as the dashboard shows them.
pub(super) struct Difference {
    pub(super) setting: String,
    pub(super) old: String,
    pub(super) new: String,
}

/// Every setting as (label, shown value), in the form's order.
fn described(settings: &BotSettings) -> Vec<(String, String)> {
    let mut out = vec![
        (
            "Lead collection".to_owned(),
            if settings.enabled { "on" } else { "off" }.to_owned(),
        ),
        (
            "When to ask".to_owned(),
            mode_label(settings.mode).to_owned(),
        ),
        ("Fields".to_owned(), settings.fields.to_string()),
        (
            "Maximum asks".to_owned(),
            settings
                .max_asks
                .map_or_else(|| "no limit".to_owned(), |n| n.to_string()),
        ),
        (
            "Cool-down (turns)".to_owned(),
            settings.cooldown_turns.to_string(),
        ),
        (
            "Consent required".to_owned(),
            if settings.consent.required {
                "yes"
            } else {
                "no"
            }
            .to_owned(),
        ),
        ("Consent notice".to_owned(), settings.consent.text.clone()),
        (
            "Notice version".to_owned(),
            settings.consent.version.clone(),
        ),
        (
            "Phone region".to_owned(),
            settings
                .phone_region
                .map_or_else(|| "none".to_owned(), |r| r.as_str().to_owned()),
        ),
        (
            "Language".to_owned(),
            language_name(settings.language).to_owned(),
        ),
    ];
    for locale in Locale::ALL {
        out.push((
            format!("Ask message ({})", language_name(locale)),
            settings
                .ask_message_for(locale)
                .map_or_else(|| "built-in".to_owned(), str::to_owned),
        ));
    }
    out
}

/// What `change` changed, setting by setting (every setting for the first
/// save).
pub(super) fn differences(change: &SettingsChange) -> Vec<Difference> {
    let new = described(&change.new);
    let old = change.old.as_ref().map(described);
    new.into_iter()
        .enumerate()
        .filter_map(|(i, (setting, new))| {
            let old = match &old {
                Some(old) => old.get(i).map(|(_, value)| value.clone())?,
                // The first save: nothing was stored before it.
                None => "—".to_owned(),
            };
            (old != new).then_some(Difference { setting, old, new })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mode_has_its_words_and_wire_name() {
        for (mode, name, label) in MODES {
            assert_eq!(mode_label(mode), label);
            // The wire name is the JSON form's.
            let json = format!(r#"{{"mode":"{name}"}}"#);
            assert_eq!(BotSettings::from_json(&json).unwrap().mode, mode);
        }
    }

    #[test]
    fn a_form_becomes_the_settings_it_shows() {
        let form = SettingsForm {
            enabled: Some("on".into()),
            mode: "before_chat".into(),
            name: "optional".into(),
            email: "one_of".into(),
            phone: "one_of".into(),
            cooldown_turns: "2".into(),
            consent_text: "We may call you.".into(),
            consent_version: "3".into(),
            phone_region: "gb".into(),
            language: "de".into(),
            ask_es: "¿Tu email?".into(),
            ..SettingsForm::default()
        };
        let settings = form.settings().unwrap();
        assert!(settings.enabled);
        assert_eq!(settings.mode, Mode::BeforeChat);
        assert_eq!(settings.fields.to_string(), "email|phone,name?");
        assert_eq!(settings.max_asks, None);
        assert_eq!(settings.cooldown_turns, 2);
        assert_eq!(
            settings
                .phone_region
                .map(|r| r.as_str().to_owned())
                .as_deref(),
            Some("GB")
        );
        assert_eq!(settings.language, Locale::German);
        assert_eq!(
            settings.ask_message_for(Locale::Spanish),
            Some("¿Tu email?")
        );
        assert_eq!(settings.ask_message_for(Locale::English), None);
    }

    #[test]
    fn bad_form_values_are_refused_with_a_4xx() {
        let good = || SettingsForm {
            mode: "on_interest".into(),
            email: "required".into(),
            consent_version: "1".into(),
            ..SettingsForm::default()
        };
        good().settings().unwrap();
        for form in [
            SettingsForm {
                mode: "sometimes".into(),
                ..good()
            },
            SettingsForm {
                cooldown_turns: "-1".into(),
                ..good()
            },
            SettingsForm {
                cooldown_turns: "soon".into(),
                ..good()
            },
            SettingsForm {
                phone_region: "UK".into(),
                ..good()
            },
            SettingsForm {
                consent_text: "x".repeat(100 * 1024),
                ..good()
            },
        ] {
            let error = form.settings().unwrap_err();
            assert!(error.status.is_client_error(), "{form:?}");
        }
    }

    #[test]
    fn a_change_lists_only_what_it_changed() {
        let before = BotSettings::collecting();
        let after = before.clone().mode(Mode::BeforeChat).enabled(false);
        let change = SettingsChange::new(
            BotId::from_u128(1),
            2,
            Utc::now(),
            "dashboard".to_owned().into(),
            Some(before),
            after,
        );
        let diffs = differences(&change);
        let settings: Vec<&str> = diffs.iter().map(|d| d.setting.as_str()).collect();
        assert_eq!(settings, ["Lead collection", "When to ask"]);
        assert_eq!(diffs[1].old, "Ask after the first question");
        assert_eq!(diffs[1].new, "Ask before answering");
    }
}
