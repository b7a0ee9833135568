#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod builtin;
mod error;

use std::fmt;
use std::str::FromStr;

use leadkit_core::{Action, AskReason, Correction, Field, FieldSet, InvalidReason, Request};

pub use error::UnsupportedLocale;

/// A language the built-in messages are written in.
///
/// Parse a language tag with [`Locale::from_str`] (`"es"`, `"pt-BR"`,
/// `"de_AT"` …: only the primary language counts), or pick the best match
/// with a fallback using [`Locale::negotiate`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[non_exhaustive]
pub enum Locale {
    /// English.
    #[default]
    English,
    /// Spanish.
    Spanish,
    /// German.
    German,
    /// French.
    French,
    /// Portuguese (Brazilian wording).
    Portuguese,
}

impl Locale {
    /// Every built-in locale.
    pub const ALL: [Locale; 5] = [
        Locale::English,
        Locale::Spanish,
        Locale::German,
        Locale::French,
        Locale::Portuguese,
    ];

    /// The ISO 639-1 code: `"en"`, `"es"`, `"de"`, `"fr"` or `"pt"`.
    pub const fn code(self) -> &'static str {
        match self {
            Locale::English => "en",
            Locale::Spanish => "es",
            Locale::German => "de",
            Locale::French => "fr",
            Locale::Portuguese => "pt",
        }
    }

    /// The first locale of an `Accept-Language`-style list
    /// (`"pt-BR,pt;q=0.9,en;q=0.8"`) that has built-in messages, or English.
    pub fn negotiate(tags: &str) -> Locale {
        tags.split(',')
            .filter_map(|tag| tag.split(';').next())
            .find_map(|tag| tag.parse().ok())
            .unwrap_or_default()
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Locale {
    type Err = UnsupportedLocale;

    fn from_str(tag: &str) -> Result<Self, UnsupportedLocale> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        Locale::ALL
            .into_iter()
            .find(|locale| locale.code().eq_ignore_ascii_case(primary))
            .ok_or(UnsupportedLocale)
    }
}

/// The sentences of one language. Every field is public so an integrator
/// can reword any of them; start from [`MessageCatalog::builtin`].
///
/// Placeholders: `{fields}` (the fields asked for, joined with the
/// catalog's "and" / "or"), `{optional}` (optional fields), `{consent}` (the
/// policy's consent notice), `{field}` and `{reason}` (in a correction).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MessageCatalog {
    /// How the request names each field, as the object of a sentence
    /// ("your email address"), in the order name, email, phone.
    pub field_objects: [String; 3],
    /// How a correction names each field, as the subject of a sentence
    /// ("That email address"), in the order name, email, phone.
    pub field_subjects: [String; 3],
    /// The word joining required fields ("and").
    pub and: String,
    /// The word joining alternatives ("or").
    pub or: String,
    /// With the answer to the first query.
    pub ask_first_query: String,
    /// A later request after a cool-down.
    pub ask_reminder: String,
    /// On a turn that showed buying interest.
    pub ask_interest: String,
    /// On every reply.
    pub ask_every_reply: String,
    /// After the visitor gave some of the details.
    pub ask_missing: String,
    /// Holding the query until details are given.
    pub gate: String,
    /// Appended when optional fields are mentioned.
    pub optional: String,
    /// Appended when consent is asked for.
    pub consent: String,
    /// A correction: `{field}` is a field subject, `{reason}` one of the
    /// reason phrases.
    pub correction: String,
    /// Reason phrases in the order incomplete, malformed, not allowed,
    /// implausible.
    pub reasons: [String; 4],
    /// The correction for a phone number that needs its country code
    /// ([`InvalidReason::NeedsCountryCode`]): a whole sentence.
    pub country_code: String,
    /// The acknowledgement of details that made or updated a lead, when the
    /// visitor's name is not known ("Thanks — we'll be in touch.").
    pub thanks: String,
    /// The same with the visitor's name: `{name}` ("Thanks, {name} — we'll
    /// be in touch.").
    pub thanks_named: String,
    /// The acknowledgement of a decline ("No problem.").
    pub no_problem: String,
}

impl MessageCatalog {
    /// The built-in sentences for `locale`.
    pub fn builtin(locale: Locale) -> MessageCatalog {
        builtin::catalog(locale)
    }

    /// The text to append to (or, for a gate, send instead of) the answer
    /// for this action, or `None` for a plain answer.
    ///
    /// ```
    /// use leadkit_messages::{Locale, MessageCatalog};
    /// use leadkit_core::{Conversation, Policy, Signals, UserTurn};
    /// use chrono::DateTime;
    ///
    /// let policy = Policy::after_first_query();
    /// let mut conversation = Conversation::new();
    /// let turn = UserTurn::new(DateTime::UNIX_EPOCH, Signals::none());
    /// let outcome = conversation.handle_user_turn(&policy, turn)?;
    ///
    /// let english = MessageCatalog::builtin(Locale::English);
    /// assert_eq!(
    ///     english.render(&outcome.action, &policy.consent.text).as_deref(),
    ///     Some("By the way, could you share your name and your email address so we can follow up?"),
    /// );
    /// let german = MessageCatalog::builtin("de-AT".parse()?);
    /// assert!(german.render(&outcome.action, "").unwrap().contains("Ihre E-Mail-Adresse"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn render(&self, action: &Action, consent_text: &str) -> Option<String> {
        match action {
            Action::AnswerAndAsk(request) | Action::Gate(request) => {
                Some(self.request(request, consent_text))
            }
            Action::Correct { correction, .. } => Some(self.correction(correction, consent_text)),
            _ => None,
        }
    }

    /// The text of a request.
    pub fn request(&self, request: &Request, consent_text: &str) -> String {
        let mut fields = self.join_request(request.fields.required, request.fields.one_of);
        if !request.fields.optional.is_empty() && !fields.is_empty() {
            // Optional fields ride along right after the needed ones.
            let optional = self.join(request.fields.optional, &self.and);
            fields.push_str(&self.optional.replace("{optional}", &optional));
        }
        let mut text = if fields.is_empty() {
            String::new()
        } else {
            let template = match request.reason {
                AskReason::FirstQuery => &self.ask_first_query,
                AskReason::Reminder => &self.ask_reminder,
                AskReason::Interest => &self.ask_interest,
                AskReason::EveryReply => &self.ask_every_reply,
                AskReason::Gate => &self.gate,
                _ => &self.ask_missing,
            };
            template.replace("{fields}", &fields)
        };
        if request.consent {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(&self.consent.replace("{consent}", consent_text.trim()));
        }
        text
    }

    /// The text of a correction, followed by what is still needed besides
    /// the corrected field.
    pub fn correction(&self, correction: &Correction, consent_text: &str) -> String {
        let mut text = if correction.reason == InvalidReason::NeedsCountryCode {
            self.country_code.clone()
        } else {
            let subject = &self.field_subjects[field_index(correction.field)];
            let reason = &self.reasons[reason_index(correction.reason)];
            self.correction
                .replace("{field}", subject)
                .replace("{reason}", reason)
        };
        if correction.request.consent {
            text.push(' ');
            text.push_str(&self.consent.replace("{consent}", consent_text.trim()));
        }
        text
    }

    /// The acknowledgement of details that made or updated a lead, with the
    /// visitor's name when it is known.
    ///
    /// The name is personal data: the text is for the visitor, not for a
    /// log.
    ///
    /// ```
    /// use leadkit_messages::{Locale, MessageCatalog};
    ///
    /// let english = MessageCatalog::builtin(Locale::English);
    /// assert_eq!(english.thanks(Some("Ana")), "Thanks, Ana — we'll be in touch.");
    /// assert_eq!(english.thanks(None), "Thanks — we'll be in touch.");
    /// assert_eq!(english.no_problem(), "No problem.");
    /// ```
    pub fn thanks(&self, name: Option<&str>) -> String {
        match name.map(str::trim).filter(|name| !name.is_empty()) {
            Some(name) => self.thanks_named.replace("{name}", name),
            None => self.thanks.clone(),
        }
    }

    /// The acknowledgement of a decline ("No problem.").
    pub fn no_problem(&self) -> &str {
        &self.no_problem
    }

    fn join(&self, fields: FieldSet, word: &str) -> String {
        let names: Vec<&str> = fields
            .iter()
            .map(|field| self.field_objects[field_index(field)].as_str())
            .collect();
        match names.as_slice() {
            [] => String::new(),
            [one] => (*one).to_owned(),
            [init @ .., last] => format!("{} {word} {last}", init.join(", ")),
        }
    }

    fn join_request(&self, required: FieldSet, one_of: FieldSet) -> String {
        let required = self.join(required, &self.and);
        let alternatives = self.join(one_of, &self.or);
        match (required.is_empty(), alternatives.is_empty()) {
            (_, true) => required,
            (true, false) => alternatives,
            (false, false) => format!("{required} {} {alternatives}", self.and),
        }
    }
}

fn field_index(field: Field) -> usize {
    match field {
        Field::Name => 0,
        Field::Email => 1,
        Field::Phone => 2,
    }
}

fn reason_index(reason: InvalidReason) -> usize {
    match reason {
        InvalidReason::Incomplete => 0,
        InvalidReason::Malformed => 1,
        InvalidReason::NotAllowed => 2,
        _ => 3,
    }
}

#[cfg(test)]
mod tests;
