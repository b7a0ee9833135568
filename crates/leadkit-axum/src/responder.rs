//! The integrator's chatbot, as the chat endpoint sees it.

use async_trait::async_trait;
use leadkit_core::{BotId, ConversationId};

/// The bot's brain: answers a visitor's message.
///
/// The chat endpoint calls it only when the engine says the query is
/// answered (never while lead capture holds the query behind a gate), then
/// appends the engine's request for contact details to the answer.
///
/// ```
/// use async_trait::async_trait;
/// use leadkit_core::{BotId, ConversationId};
/// use leadkit_axum::Responder;
///
/// struct Echo;
///
/// #[async_trait]
/// impl Responder for Echo {
///     async fn answer(&self, _bot: BotId, _conversation: ConversationId, message: &str) -> String {
///         format!("You said: {message}")
///     }
/// }
/// ```
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait Responder: Send + Sync {
    /// The answer to `message`, the latest visitor message of
    /// `conversation` with `bot`. Earlier lines are in the engine's store
    /// ([`TranscriptStore::conversation_messages`](leadkit_store::TranscriptStore::conversation_messages)).
    async fn answer(&self, bot: BotId, conversation: ConversationId, message: &str) -> String;

    /// The answer to `message` when the bot has one of its own, or `None`
    /// when all it could say is a fallback ("Ask me about …").
    ///
    /// The chat endpoint asks this instead of [`answer`](Self::answer) when
    /// the engine acknowledges the visitor
    /// ([`TurnReply::acknowledgement`](leadkit_engine::TurnReply::acknowledgement):
    /// "Thanks, Ana — we'll be in touch.", "No problem."). The reply is the
    /// acknowledgement followed by the answer, or the acknowledgement alone,
    /// so a message that only gave details or said "no thanks" is not
    /// answered with the fallback. The default always answers.
    async fn answer_if_any(
        &self,
        bot: BotId,
        conversation: ConversationId,
        message: &str,
    ) -> Option<String> {
        Some(self.answer(bot, conversation, message).await)
    }
}
