//! Unconfirmed claims: details an unverified visitor gave that match a
//! lead captured in another conversation.
//!
//! A chat visitor can type anyone's email. When an unverified conversation
//! gives an email or phone that already belongs to a lead, the store does
//! not merge it (that would let anyone rename a lead, replace its phone or
//! its consent): the conversation is linked to the lead as a [`Claim`],
//! which a person merges or rejects ([`LeadStore::resolve_claim`]). See
//! [`backend::merge_upsert`](crate::backend::merge_upsert) for every rule.
//!
//! [`LeadStore::resolve_claim`]: crate::LeadStore::resolve_claim

use chrono::{DateTime, Utc};
use leadkit_core::{BotId, Consent, ContactDetails, ConversationId};
use serde::{Deserialize, Serialize};

use crate::model::LeadUpsert;

/// Details an unverified conversation gave for a lead it does not own,
/// waiting for a person to merge or reject them. The details are
/// [`Pii`](leadkit_core::Pii): `Debug` shows none of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Claim {
    /// The claiming conversation.
    pub conversation: ConversationId,
    /// Its bot.
    pub bot: BotId,
    /// Every detail the conversation gave (the latest turn's set).
    pub details: ContactDetails,
    /// The consent answer the conversation gave, if any (the latest).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<Consent>,
    /// When the conversation first claimed the lead.
    pub first_at: DateTime<Utc>,
    /// When it last did.
    pub at: DateTime<Utc>,
}

impl Claim {
    /// The claim an upsert makes from `conversation`, updating the claim
    /// the same conversation made before (`previous`): the details are the
    /// upsert's (a conversation's capture carries every detail so far), a
    /// consent answer is kept until a later one replaces it.
    pub fn from_upsert(
        conversation: ConversationId,
        upsert: &LeadUpsert,
        previous: Option<Claim>,
    ) -> Self {
        let (first_at, old_consent) = match previous {
            Some(old) => (old.first_at.min(upsert.at), old.consent),
            None => (upsert.at, None),
        };
        let consent = match (old_consent, upsert.consent.clone()) {
            (Some(old), Some(new)) => Some(if new.at >= old.at { new } else { old }),
            (old, new) => new.or(old),
        };
        Self {
            conversation,
            bot: upsert.bot,
            details: upsert.details.clone(),
            consent,
            first_at,
            at: upsert.at,
        }
    }

    /// The claim as stored (JSON).
    pub fn to_json(&self) -> String {
        // A struct of plain fields and string maps always serialises.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A stored claim.
    pub fn from_json(text: &str) -> Result<Self, crate::Error> {
        serde_json::from_str(text).map_err(|e| crate::Error::Corrupt {
            what: "lead claim",
            source: Some(Box::new(e)),
        })
    }
}

/// What a person decided about a [`Claim`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ClaimDecision {
    /// The claim is the lead's own person: its details are applied (see
    /// [`backend::merge_claim`](crate::backend::merge_claim)) and the
    /// conversation becomes one of the lead's.
    Merge,
    /// The claim is discarded; the lead is unchanged. The conversation's
    /// transcript stays (it is no longer linked to the lead).
    Reject,
}
