//! Conversation tokens: proof that this server started a conversation, for
//! this bot in this workspace.
//!
//! A conversation id alone would be a capability anyone could guess or
//! copy from another visitor, and write into their conversation. So `POST
//! /chat` answers a new conversation with a token, an HMAC-SHA256 of the
//! workspace, bot and conversation ids under a key derived from the admin
//! token, and accepts a turn for an existing conversation only with its
//! token. Nothing is stored: every server that knows the admin token
//! checks tokens any of them issued. Changing the admin token invalidates
//! open conversations' tokens; the widget then starts a new conversation.

use hmac::{Hmac, Mac};
use leadkit_core::{BotId, ConversationId, WorkspaceId};
use sha2::Sha256;

use crate::token::{derive_key, hmac};

/// Issues and checks conversation tokens.
#[derive(Clone)]
pub(crate) struct ConversationKeys {
    key: [u8; 32],
}

impl ConversationKeys {
    pub(crate) fn derive(admin_token: &str) -> Self {
        Self {
            key: derive_key(admin_token, "leadkit-axum conversation token key v1"),
        }
    }

    fn mac(
        &self,
        workspace: WorkspaceId,
        bot: BotId,
        conversation: ConversationId,
    ) -> Hmac<Sha256> {
        let ids = format!("v1.{workspace}.{bot}.{conversation}");
        hmac(&self.key, &[ids.as_bytes()])
    }

    /// The token of `conversation` with `bot` in `workspace`.
    pub(crate) fn issue(
        &self,
        workspace: WorkspaceId,
        bot: BotId,
        conversation: ConversationId,
    ) -> String {
        hex::encode(
            self.mac(workspace, bot, conversation)
                .finalize()
                .into_bytes(),
        )
    }

    /// Whether `token` is the one issued for exactly these ids (constant
    /// time).
    pub(crate) fn verify(
        &self,
        workspace: WorkspaceId,
        bot: BotId,
        conversation: ConversationId,
        token: &str,
    ) -> bool {
        let Ok(tag) = hex::decode(token) else {
            return false;
        };
        self.mac(workspace, bot, conversation)
            .verify_slice(&tag)
            .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_fits_only_its_own_workspace_bot_and_conversation() {
        let keys = ConversationKeys::derive("correct-horse-battery");
        let (ws, bot, conv) = (
            WorkspaceId::from_u128(1),
            BotId::from_u128(2),
            ConversationId::from_u128(3),
        );
        let token = keys.issue(ws, bot, conv);
        assert_eq!(token.len(), 64);
        assert!(keys.verify(ws, bot, conv, &token));
        assert!(!keys.verify(WorkspaceId::from_u128(9), bot, conv, &token));
        assert!(!keys.verify(ws, BotId::from_u128(9), conv, &token));
        assert!(!keys.verify(ws, bot, ConversationId::from_u128(9), &token));
        assert!(!keys.verify(ws, bot, conv, &token[..63]));
        assert!(!keys.verify(ws, bot, conv, ""));
        assert!(!keys.verify(ws, bot, conv, "not hex at all"));
        let other = ConversationKeys::derive("correct-horse-battery2");
        assert!(!other.verify(ws, bot, conv, &token));
    }
}
