//! The JSON chat endpoint a web widget talks to.

use std::fmt;

use axum::extract::rejection::JsonRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{Extensions, HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use leadkit_core::{BotId, ConversationId, VisitorId};
use leadkit_engine::engine::{VerifiedVisitor, Visit};
use leadkit_engine::messages::Locale;
use serde::{Deserialize, Serialize};

use crate::config::AppState;
use crate::error::ApiError;
use crate::limits::too_many;

/// The largest request body read, whatever the message limit.
const MAX_BODY_BYTES: usize = 64 * 1024;

const WIDGET_JS: &str = include_str!("../assets/widget.js");

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/chat", post(chat))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .route("/leadkit/widget.js", get(widget_js))
}

async fn widget_js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        WIDGET_JS,
    )
}

/// `POST /chat` body.
#[derive(Deserialize)]
struct ChatRequest {
    bot: BotId,
    #[serde(default)]
    conversation: Option<ConversationId>,
    /// The token the server issued with `conversation`.
    #[serde(default)]
    token: Option<String>,
    message: String,
    #[serde(default)]
    visitor: Option<String>,
    #[serde(default)]
    signature: Option<String>,
    #[serde(default)]
    locale: Option<String>,
}

impl fmt::Debug for ChatRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChatRequest")
            .field("bot", &self.bot)
            .field("conversation", &self.conversation)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("message", &format_args!("<{} bytes>", self.message.len()))
            .field("visitor", &self.visitor.as_ref().map(|_| "<redacted>"))
            .field("locale", &self.locale)
            .finish_non_exhaustive()
    }
}

/// `POST /chat` answer.
#[derive(Serialize)]
struct ChatResponse {
    conversation: ConversationId,
    /// Send it back with `conversation`: it proves the server started it.
    token: String,
    turn: u32,
    action: &'static str,
    reply: String,
    fields: Vec<&'static str>,
    lead_captured: bool,
}

async fn chat(
    State(app): State<AppState>,
    headers: HeaderMap,
    extensions: Extensions,
    body: Result<Json<ChatRequest>, JsonRejection>,
) -> Result<Json<ChatResponse>, ApiError> {
    // The rejection's own text can quote the body: keep it out of the reply.
    let Json(request) = body.map_err(|rejection| {
        let status = rejection.status();
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(status, "body_too_large", "the request body is too large")
        } else {
            ApiError::new(
                status,
                "invalid_request",
                "send JSON {\"bot\": uuid, \"message\": text} with optional conversation and token, visitor, signature and locale",
            )
        }
    })?;
    if request.message.trim().is_empty() {
        return Err(ApiError::bad_request(
            "empty_message",
            "the message is empty",
        ));
    }
    if request.message.len() > app.max_message_bytes {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "message_too_long",
            format!("messages are limited to {} bytes", app.max_message_bytes),
        ));
    }
    let engine = &app.engine;
    let client = app.client_address.read(&headers, &extensions);
    if engine
        .store()
        .get_bot(app.workspace, request.bot)
        .await?
        .is_none()
    {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_bot",
            "no bot with that id is registered in this workspace",
        ));
    }
    let conversation = issued_conversation(&app, &request, client)?;
    within_limits(&app, client, conversation, request.conversation.is_none()).await?;
    // The visitor's language, if the request says; otherwise the bot's
    // (from its settings) applies.
    let locale = match &request.locale {
        Some(tags) => Some(Locale::negotiate(tags)),
        None => headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|value| value.to_str().ok())
            .map(Locale::negotiate),
    };
    let mut visit = Visit::new(app.workspace, request.bot, conversation);
    if let Some(locale) = locale {
        visit = visit.with_locale(locale);
    }
    if let Some(visitor) = verified_visitor(&app, &request) {
        visit = visit.with_visitor(visitor);
    }

    let turn = engine.user_message(&visit, &request.message).await?;
    let responder = &app.responder;
    let answer = match (&turn.acknowledgement, turn.answers_query()) {
        (_, false) => None,
        (None, true) => Some(
            responder
                .answer(request.bot, conversation, &request.message)
                .await,
        ),
        // Thanks for the details, or "No problem." for a decline, then the
        // bot's answer if it has a real one (never its fallback).
        (Some(acknowledgement), true) => Some(
            match responder
                .answer_if_any(request.bot, conversation, &request.message)
                .await
            {
                Some(answer) => format!("{acknowledgement}\n\n{answer}"),
                None => acknowledgement.to_string(),
            },
        ),
    };
    let reply = match (answer, turn.prompt.clone()) {
        (Some(answer), Some(prompt)) => format!("{answer}\n\n{prompt}"),
        (Some(text), None) | (None, Some(text)) => text,
        (None, None) => String::new(),
    };
    if let Err(err) = engine.assistant_message(&visit, &reply).await {
        // The visitor's turn is stored; failing now would make the widget
        // resend it. Answer, and leave the gap in the transcript logged.
        tracing::error!(error = %err, %conversation, "could not record the reply");
    }
    Ok(Json(ChatResponse {
        conversation,
        token: app
            .token
            .conversations()
            .issue(app.workspace, request.bot, conversation),
        turn: turn.turn,
        action: turn.kind().as_str(),
        reply,
        fields: turn.action.fields().iter().map(|f| f.as_str()).collect(),
        // A claim on another conversation's lead reads the same as a
        // capture: the answer must not tell whether an email is a lead's.
        lead_captured: turn.lead.is_some() || turn.claimed,
    }))
}

/// The conversation the turn belongs to: a new one, or the one named, when
/// its token shows this server started it with this bot.
fn issued_conversation(
    app: &AppState,
    request: &ChatRequest,
    client: std::net::IpAddr,
) -> Result<ConversationId, ApiError> {
    let Some(id) = request.conversation else {
        return Ok(app.engine.new_conversation_id());
    };
    let token = request.token.as_deref().unwrap_or_default();
    if app
        .token
        .conversations()
        .verify(app.workspace, request.bot, id, token)
    {
        return Ok(id);
    }
    tracing::warn!(%client, bot = %request.bot, "turn refused: conversation token missing or not issued for this bot");
    Err(ApiError::new(
        StatusCode::FORBIDDEN,
        "conversation_not_issued",
        "this conversation was not started here with this bot; send the token it came with, or start a new conversation (no conversation id)",
    ))
}

/// The chat limits: new conversations per client address, turns per
/// conversation (rate and total).
async fn within_limits(
    app: &AppState,
    client: std::net::IpAddr,
    conversation: ConversationId,
    is_new: bool,
) -> Result<(), ApiError> {
    let limits = &app.chat_limits;
    if is_new && let Some(limiter) = &limits.new_conversations {
        limiter.check(&client).map_err(|wait| {
            tracing::warn!(%client, "new conversation refused: address over its hourly limit");
            too_many(
                "too_many_conversations",
                "too many new conversations from this address; wait and try again",
                wait,
            )
        })?;
    }
    if let Some(limiter) = &limits.per_conversation {
        limiter.check(&conversation).map_err(|wait| {
            tracing::warn!(%client, %conversation, "turn refused: conversation over its rate limit");
            too_many(
                "conversation_rate_limited",
                "messages are coming too fast in this conversation; wait and try again",
                wait,
            )
        })?;
    }
    if let Some(max) = limits.limits.max_turns.filter(|_| !is_new) {
        // Through the engine, whose cache usually holds the state: the
        // cap costs no read of its own on a busy conversation.
        let turns = app.engine.user_turns(app.workspace, conversation).await?;
        if turns >= max {
            tracing::warn!(%client, %conversation, max, "turn refused: conversation at its turn cap");
            return Err(too_many(
                "conversation_too_long",
                "this conversation has reached its length limit; start a new one",
                std::time::Duration::from_secs(3600),
            ));
        }
    }
    Ok(())
}

/// The visitor, when both an id and a valid signature came. Anything less
/// is an anonymous visit, never an error: a widget with a stale signature
/// must still chat.
fn verified_visitor(app: &AppState, request: &ChatRequest) -> Option<VerifiedVisitor> {
    let (Some(id), Some(signature)) = (&request.visitor, &request.signature) else {
        return None;
    };
    let id = VisitorId::new(id.as_str()).ok()?;
    match app.engine.verify_visitor(id, signature) {
        Ok(visitor) => Some(visitor),
        Err(err) => {
            tracing::debug!(error = %err, "visitor not verified; chatting anonymously");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chat_requests_do_not_show_their_text_in_debug_output() {
        let request: ChatRequest = serde_json::from_str(
            r#"{"bot":"00000000-0000-0000-0000-000000000001","message":"I'm ana@example.com","visitor":"user-9"}"#,
        )
        .unwrap();
        let debug = format!("{request:?}");
        assert!(!debug.contains("ana@"), "{debug}");
        assert!(!debug.contains("user-9"), "{debug}");
        assert!(debug.contains("<19 bytes>"), "{debug}");
    }
}
