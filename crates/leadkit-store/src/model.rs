//! The records a store keeps: leads, bots and transcript lines.

use std::fmt;

use chrono::{DateTime, Utc};
use leadkit_core::{
    BotId, Consent, ContactDetails, ConversationId, LeadId, LeadStatus, Pii, VisitorId, WorkspaceId,
};
use serde::{Deserialize, Serialize};

/// The custom-field key under which a lead's company is kept.
pub const COMPANY_FIELD: &str = "company";

/// A lead: a person who gave a way to reach them, as the Leads screen shows it.
///
/// Contact details are [`Pii`]: `Debug` output never shows a name, an
/// email, a phone, a note or a custom value.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Lead {
    /// The lead's id.
    pub id: LeadId,
    /// The workspace it belongs to.
    pub workspace: WorkspaceId,
    /// The bot that captured it first.
    pub bot: BotId,
    /// Every bot it has talked to, the first one first.
    pub bots: Vec<BotId>,
    /// The integrator's visitor id, when known.
    pub visitor: Option<VisitorId>,
    /// The current contact details (the company is the custom field
    /// [`COMPANY_FIELD`]).
    pub details: ContactDetails,
    /// Where the lead stands.
    pub status: LeadStatus,
    /// Free-form notes from the business.
    pub notes: Pii<String>,
    /// The latest answer to the consent notice.
    pub consent: Option<Consent>,
    /// When it was captured.
    pub created_at: DateTime<Utc>,
    /// When it was last seen in a conversation.
    pub last_seen_at: DateTime<Utc>,
    /// Every distinct value seen for each field, so that a conflicting
    /// value (the same email with another phone) is kept, not overwritten.
    pub history: Vec<ContactValue>,
}

impl Lead {
    /// A new lead with no details, status new, first and last seen at
    /// `created_at`. Stores build leads with it; applications receive them.
    pub fn new(id: LeadId, workspace: WorkspaceId, bot: BotId, created_at: DateTime<Utc>) -> Self {
        Self {
            id,
            workspace,
            bot,
            bots: vec![bot],
            visitor: None,
            details: ContactDetails::new(),
            status: LeadStatus::New,
            notes: Pii::new(String::new()),
            consent: None,
            created_at,
            last_seen_at: created_at,
            history: Vec::new(),
        }
    }

    /// The company, if known.
    pub fn company(&self) -> Option<&str> {
        self.details
            .custom
            .get(COMPANY_FIELD)
            .map(|v| v.expose().as_str())
    }

    /// The distinct values seen for one field (`"name"`, `"email"`,
    /// `"phone"` or a custom key), oldest first.
    pub fn values_of<'a>(&'a self, field: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.history
            .iter()
            .filter(move |v| v.field == field)
            .map(|v| v.value.expose().as_str())
    }
}

/// One value seen for one field of a lead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ContactValue {
    /// `"name"`, `"email"`, `"phone"`, `"visitor"` or a custom key.
    pub field: String,
    /// The value as given.
    pub value: Pii<String>,
    /// When it was first given.
    pub first_seen_at: DateTime<Utc>,
    /// When it was last given.
    pub last_seen_at: DateTime<Utc>,
}

impl ContactValue {
    /// A value seen once, at `at`.
    pub fn new(field: impl Into<String>, value: impl Into<String>, at: DateTime<Utc>) -> Self {
        Self {
            field: field.into(),
            value: Pii::new(value.into()),
            first_seen_at: at,
            last_seen_at: at,
        }
    }
}

/// What a conversation learnt about a visitor, to create or update their lead.
///
/// The store finds the lead by visitor id, normalised email or E.164 phone
/// (in that order of precedence) within the workspace, or creates one with
/// `new_id`. At least one of the three must be present.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LeadUpsert {
    /// The id to give the lead if a new one is created.
    pub new_id: LeadId,
    /// The bot of the conversation.
    pub bot: BotId,
    /// The conversation the details came from, linked to the lead (or, when
    /// it is not the lead's own and not verified, recorded as a
    /// [`Claim`](crate::Claim) on it: see
    /// [`merge_upsert`](crate::backend::merge_upsert)).
    pub conversation: Option<ConversationId>,
    /// Whether the visitor's identity was verified (the engine sets it for
    /// a [verified visitor](https://docs.rs/leadkit-engine)). An unverified
    /// conversation's details cannot change a lead it does not own.
    pub verified: bool,
    /// The integrator's visitor id.
    pub visitor: Option<VisitorId>,
    /// The details captured (validated and normalised by the caller).
    pub details: ContactDetails,
    /// The consent answer, if one was given.
    pub consent: Option<Consent>,
    /// When the details were captured.
    pub at: DateTime<Utc>,
}

// Builder methods: each sets one field and returns `self`, so they share
// one shape here and with the other builders of the workspace.
impl LeadUpsert {
    /// Details for a lead, from `bot`, captured at `at`.
    pub fn new(new_id: LeadId, bot: BotId, details: ContactDetails, at: DateTime<Utc>) -> Self {
        Self {
            new_id,
            bot,
            conversation: None,
            verified: false,
            visitor: None,
            details,
            consent: None,
            at,
        }
    }

    /// From this conversation.
    #[must_use]
    pub fn conversation(mut self, conversation: ConversationId) -> Self {
        self.conversation = Some(conversation);
        self
    }

    /// From a verified visitor (`true`) or not (the default).
    #[must_use]
    pub fn verified(mut self, verified: bool) -> Self {
        self.verified = verified;
        self
    }

    /// For this visitor.
    #[must_use]
    pub fn visitor(mut self, visitor: VisitorId) -> Self {
        self.visitor = Some(visitor);
        self
    }

    /// With a consent answer.
    #[must_use]
    pub fn consent(mut self, consent: Consent) -> Self {
        self.consent = Some(consent);
        self
    }
}

/// The result of [`LeadStore::upsert_lead`](crate::LeadStore::upsert_lead).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UpsertOutcome {
    /// The lead as stored after the merge.
    pub lead: Lead,
    /// Whether a new lead was created (otherwise an existing one was updated).
    pub created: bool,
    /// Whether the upsert was only recorded as an unconfirmed
    /// [`Claim`](crate::Claim) on `lead`, which it left unchanged.
    pub claimed: bool,
}

impl UpsertOutcome {
    /// An outcome.
    pub fn new(lead: Lead, created: bool) -> Self {
        Self {
            lead,
            created,
            claimed: false,
        }
    }

    /// A claim recorded on `lead` (unchanged).
    pub fn claim(lead: Lead) -> Self {
        Self {
            lead,
            created: false,
            claimed: true,
        }
    }
}

/// How to find a known visitor's lead.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LeadKey {
    /// By the integrator's visitor id.
    Visitor(VisitorId),
    /// By email address (compared normalised, see [`email_key`](crate::email_key)).
    Email(Pii<String>),
    /// By phone number (compared in E.164, see [`phone_key`](crate::phone_key)).
    Phone(Pii<String>),
}

/// Changes the business makes to a lead on the Leads screen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct LeadPatch {
    /// A new status.
    pub status: Option<LeadStatus>,
    /// New notes (replacing the old ones).
    pub notes: Option<Pii<String>>,
    /// Custom fields to set (`Some`) or remove (`None`). The company is the
    /// key [`COMPANY_FIELD`].
    pub custom: Vec<(String, Option<Pii<String>>)>,
}

impl LeadPatch {
    /// No change.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the status.
    #[must_use]
    pub fn status(mut self, status: LeadStatus) -> Self {
        self.status = Some(status);
        self
    }

    /// Replaces the notes.
    #[must_use]
    pub fn notes(mut self, notes: impl Into<String>) -> Self {
        self.notes = Some(Pii::new(notes.into()));
        self
    }

    /// Sets a custom field.
    #[must_use]
    pub fn set_custom(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.custom.push((key.into(), Some(Pii::new(value.into()))));
        self
    }

    /// Removes a custom field.
    #[must_use]
    pub fn remove_custom(mut self, key: impl Into<String>) -> Self {
        self.custom.push((key.into(), None));
        self
    }
}

/// A bot, so that leads can be listed and filtered by its display name.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Bot {
    /// The bot's id.
    pub id: BotId,
    /// The workspace it belongs to.
    pub workspace: WorkspaceId,
    /// Its display name (not personal data).
    pub name: String,
}

impl Bot {
    /// A bot.
    pub fn new(id: BotId, workspace: WorkspaceId, name: impl Into<String>) -> Self {
        Self {
            id,
            workspace,
            name: name.into(),
        }
    }
}

/// Who wrote a transcript line: a chat has two sides, so this enum is
/// exhaustive and callers map it without a catch-all arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The visitor.
    Visitor,
    /// The bot.
    Assistant,
}

impl Role {
    /// The role's stored name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Visitor => "visitor",
            Role::Assistant => "assistant",
        }
    }

    /// Parses a stored name.
    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "visitor" => Some(Role::Visitor),
            "assistant" => Some(Role::Assistant),
            _ => None,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One line of a conversation's transcript. The text is [`Pii`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TranscriptMessage {
    /// The conversation.
    pub conversation: ConversationId,
    /// The bot of the conversation.
    pub bot: BotId,
    /// Who wrote it.
    pub role: Role,
    /// What was written.
    pub text: Pii<String>,
    /// When.
    pub at: DateTime<Utc>,
}

impl TranscriptMessage {
    /// A transcript line.
    pub fn new(
        conversation: ConversationId,
        bot: BotId,
        role: Role,
        text: impl Into<String>,
        at: DateTime<Utc>,
    ) -> Self {
        Self {
            conversation,
            bot,
            role,
            text: Pii::new(text.into()),
            at,
        }
    }
}
