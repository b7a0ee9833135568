//! Leads and conversations as the API returns them and the pages show them.

use std::collections::HashMap;

use chrono::{DateTime, SecondsFormat, Utc};
use leadkit_core::{BotId, ConversationId, LeadId};
use leadkit_store::{ConversationSummary, Lead, TranscriptMessage};
use serde::Serialize;

use crate::config::AppState;
use crate::error::ApiError;

/// Bot display names by id.
pub(super) type BotNames = HashMap<BotId, String>;

pub(super) async fn bot_names(app: &AppState) -> Result<BotNames, ApiError> {
    Ok(app
        .engine
        .store()
        .list_bots(app.workspace)
        .await?
        .into_iter()
        .map(|bot| (bot.id, bot.name))
        .collect())
}

/// A bot's name, or its id when it was never registered.
pub(super) fn bot_name(names: &BotNames, bot: BotId) -> String {
    names.get(&bot).cloned().unwrap_or_else(|| bot.to_string())
}

pub(super) fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

#[derive(Serialize)]
pub(super) struct ConsentJson {
    given: bool,
    version: String,
    text: String,
    at: String,
}

impl ConsentJson {
    pub(super) fn new(c: &leadkit_core::Consent) -> Self {
        Self {
            given: c.given,
            version: c.version.clone(),
            text: c.text.clone(),
            at: rfc3339(c.at),
        }
    }
}

#[derive(Serialize)]
pub(super) struct ValueJson {
    field: String,
    value: String,
    first_seen_at: String,
    last_seen_at: String,
}

/// A lead in the admin API.
#[derive(Serialize)]
pub(super) struct LeadJson {
    id: LeadId,
    bot: BotId,
    bot_name: String,
    bots: Vec<BotId>,
    visitor: Option<String>,
    name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    company: Option<String>,
    status: &'static str,
    notes: String,
    consent: Option<ConsentJson>,
    created_at: String,
    last_seen_at: String,
    history: Vec<ValueJson>,
}

impl LeadJson {
    pub(super) fn new(lead: &Lead, names: &BotNames) -> Self {
        let text = |v: &Option<leadkit_core::Pii<String>>| v.as_ref().map(|p| p.expose().clone());
        Self {
            id: lead.id,
            bot: lead.bot,
            bot_name: bot_name(names, lead.bot),
            bots: lead.bots.clone(),
            visitor: lead.visitor.as_ref().map(|v| v.as_str().to_owned()),
            name: text(&lead.details.name),
            email: text(&lead.details.email),
            phone: text(&lead.details.phone),
            company: lead.company().map(str::to_owned),
            status: lead.status.as_str(),
            notes: lead.notes.expose().clone(),
            consent: lead.consent.as_ref().map(ConsentJson::new),
            created_at: rfc3339(lead.created_at),
            last_seen_at: rfc3339(lead.last_seen_at),
            history: lead
                .history
                .iter()
                .map(|v| ValueJson {
                    field: v.field.clone(),
                    value: v.value.expose().clone(),
                    first_seen_at: rfc3339(v.first_seen_at),
                    last_seen_at: rfc3339(v.last_seen_at),
                })
                .collect(),
        }
    }
}

/// How many of a conversation's latest lines a lead's page and the API's
/// lead detail show (the rest are on the conversation's own pages).
pub(super) const LATEST_LINES: u32 = 20;

/// One conversation: its summary and its latest lines.
pub(super) struct ConversationView {
    pub(super) id: ConversationId,
    pub(super) summary: Option<ConversationSummary>,
    /// The latest [`LATEST_LINES`] lines, oldest first.
    pub(super) messages: Vec<TranscriptMessage>,
}

impl ConversationView {
    /// The bot of the conversation (from its first line).
    pub(super) fn bot(&self) -> Option<BotId> {
        self.summary.as_ref().map(|s| s.bot)
    }

    /// How many lines it has in all.
    pub(super) fn message_count(&self) -> u64 {
        self.summary.as_ref().map_or(0, |s| s.message_count)
    }
}

/// A lead and its conversations, or 404.
pub(super) async fn load_lead(
    app: &AppState,
    id: LeadId,
) -> Result<(Lead, Vec<ConversationView>), ApiError> {
    let store = app.engine.store();
    let lead = store
        .get_lead(app.workspace, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let conversations = lead_conversations(app, id).await?;
    Ok((lead, conversations))
}

/// A lead's conversations, each with its summary and latest lines only:
/// the cost does not grow with a conversation's length.
pub(super) async fn lead_conversations(
    app: &AppState,
    id: LeadId,
) -> Result<Vec<ConversationView>, ApiError> {
    let store = app.engine.store();
    let mut conversations = Vec::new();
    for conversation in store.lead_conversations(app.workspace, id).await? {
        let summary = store
            .conversation_summary(app.workspace, conversation)
            .await?;
        let messages = store
            .transcript_page(app.workspace, conversation, None, LATEST_LINES)
            .await?
            .messages;
        conversations.push(ConversationView {
            id: conversation,
            summary,
            messages,
        });
    }
    Ok(conversations)
}

#[derive(Serialize)]
pub(super) struct MessageJson {
    role: &'static str,
    text: String,
    at: String,
}

#[derive(Serialize)]
pub(super) struct ConversationJson {
    id: ConversationId,
    bot: Option<BotId>,
    bot_name: Option<String>,
    /// How many lines the conversation has in all.
    message_count: u64,
    /// Its latest lines (at most [`LATEST_LINES`]), oldest first.
    messages: Vec<MessageJson>,
}

// Like `LeadJson::new`'s history, the messages map field by field, with
// times through `rfc3339`: the same shape, different types.
impl ConversationJson {
    pub(super) fn new(view: &ConversationView, names: &BotNames) -> Self {
        Self {
            id: view.id,
            bot: view.bot(),
            bot_name: view.bot().map(|b| bot_name(names, b)),
            message_count: view.message_count(),
            messages: view
                .messages
                .iter()
                .map(|m| MessageJson {
                    role: m.role.as_str(),
                    text: m.text.expose().clone(),
                    at: rfc3339(m.at),
                })
                .collect(),
        }
    }
}

/// Parses a lead id from the path.
pub(super) fn lead_id(text: &str) -> Result<LeadId, ApiError> {
    text.parse()
        .map_err(|_| ApiError::bad_request("invalid_lead_id", "the lead id must be a UUID"))
}
