//! Building blocks for store implementations: the merge rules, the search
//! text and the sort keys, written once so that every backend behaves the
//! same. Applications do not need this module; backends such as
//! `leadkit-sql` do.

use chrono::{DateTime, Utc};
use leadkit_core::Field;

use crate::fold::{SEARCH_SEPARATOR, email_key, fold, phone_key};
use crate::model::{COMPANY_FIELD, ContactValue, Lead, LeadPatch, LeadUpsert};
use crate::{Error, LeadKey};

// The conversations list's and transcript pages' building blocks.
pub use crate::conversations::{
    TranscriptPosition, check_transcript_limit, open_transcript_cursor, transcript_page,
};

/// At most this many distinct values are kept in a lead's history; later
/// new values still update the lead's fields when they are empty, but are
/// not recorded (a bound against a visitor flooding one lead).
pub const MAX_HISTORY: usize = 200;

/// The longest notes or custom value accepted, in bytes.
pub const MAX_TEXT_LEN: usize = 16 * 1024;

/// The kinds of key a lead is de-duplicated on, in order of precedence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum KeyKind {
    /// The integrator's visitor id.
    Visitor,
    /// A normalised email address.
    Email,
    /// An E.164 phone number.
    Phone,
}

impl KeyKind {
    /// A small number for storage.
    pub const fn code(self) -> i32 {
        match self {
            KeyKind::Visitor => 0,
            KeyKind::Email => 1,
            KeyKind::Phone => 2,
        }
    }
}

/// The de-duplication keys of an upsert, checked: at least one is present.
pub fn upsert_keys(upsert: &LeadUpsert) -> Result<Vec<(KeyKind, String)>, Error> {
    let mut keys = Vec::with_capacity(3);
    // The email and phone steps look alike but each normalises with its own
    // key function; they are written out in the order of precedence.
    if let Some(visitor) = &upsert.visitor {
        keys.push((KeyKind::Visitor, visitor.as_str().to_owned()));
    }
    if let Some(email) = upsert
        .details
        .email
        .as_ref()
        .and_then(|e| email_key(e.expose()))
    {
        keys.push((KeyKind::Email, email));
    }
    if let Some(phone) = upsert
        .details
        .phone
        .as_ref()
        .and_then(|p| phone_key(p.expose()))
    {
        keys.push((KeyKind::Phone, phone));
    }
    if keys.is_empty() {
        return Err(Error::InvalidInput {
            reason: "a lead needs a visitor id, an email or an E.164 phone to be found again",
        });
    }
    check_details(&upsert.details)?;
    Ok(keys)
}

/// The email and phone keys of some details (what a claim's details would
/// give the lead they are merged into).
pub fn detail_keys(details: &leadkit_core::ContactDetails) -> Vec<(KeyKind, String)> {
    [Field::Email, Field::Phone]
        .into_iter()
        .filter_map(|field| details.get(field).and_then(|v| value_key(field, v)))
        .collect()
}

/// The key to look a [`LeadKey`] up by, or `None` when it cannot match any
/// lead (an empty email, a phone that is not E.164).
pub fn lookup_key(key: &LeadKey) -> Option<(KeyKind, String)> {
    match key {
        LeadKey::Visitor(visitor) => Some((KeyKind::Visitor, visitor.as_str().to_owned())),
        LeadKey::Email(email) => email_key(email.expose()).map(|k| (KeyKind::Email, k)),
        LeadKey::Phone(phone) => phone_key(phone.expose()).map(|k| (KeyKind::Phone, k)),
    }
}

/// Every key a stored lead can be found by: its visitor id and every email
/// and phone in its history.
pub fn lead_keys(lead: &Lead) -> Vec<(KeyKind, String)> {
    let mut keys = Vec::new();
    if let Some(visitor) = &lead.visitor {
        keys.push((KeyKind::Visitor, visitor.as_str().to_owned()));
    }
    for value in &lead.history {
        let key = match value.field.as_str() {
            "visitor" => Some((KeyKind::Visitor, value.value.expose().clone())),
            "email" => email_key(value.value.expose()).map(|k| (KeyKind::Email, k)),
            "phone" => phone_key(value.value.expose()).map(|k| (KeyKind::Phone, k)),
            _ => None,
        };
        if let Some(key) = key
            && !keys.contains(&key)
        {
            keys.push(key);
        }
    }
    keys
}

fn check_details(details: &leadkit_core::ContactDetails) -> Result<(), Error> {
    let too_long = [&details.name, &details.email, &details.phone]
        .into_iter()
        .flatten()
        .chain(details.custom.values())
        .any(|v| v.expose().len() > MAX_TEXT_LEN || v.expose().contains('\0'));
    if too_long || details.custom.keys().any(|k| k.is_empty() || k.len() > 64) {
        return Err(Error::InvalidInput {
            reason: "a contact value is longer than 16 KiB or contains NUL, or a custom key is empty or longer than 64 bytes",
        });
    }
    Ok(())
}

/// What a store knows about the lead an upsert matched, besides the lead
/// itself: whether the conversation is the lead's own, and which of the
/// upsert's keys other leads hold. [`merge_upsert`] decides with it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct MatchContext {
    /// The upsert's conversation is linked to the lead as one of its own
    /// (not as a claim).
    pub own_conversation: bool,
    /// The upsert's keys that another lead holds (see [`upsert_keys`]).
    pub taken: Vec<(KeyKind, String)>,
}

impl MatchContext {
    /// No own conversation, no key taken.
    pub fn new() -> Self {
        Self::default()
    }

    /// With the conversation's link to the lead.
    #[must_use]
    pub fn own_conversation(mut self, own: bool) -> Self {
        self.own_conversation = own;
        self
    }

    /// With the upsert's keys another lead holds.
    #[must_use]
    pub fn taken(mut self, taken: Vec<(KeyKind, String)>) -> Self {
        self.taken = taken;
        self
    }
}

/// What [`merge_upsert`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Merge {
    /// The upsert's details were merged into the lead.
    Merged,
    /// The upsert is an unconfirmed claim: the lead is unchanged, and the
    /// store records a [`Claim`](crate::Claim) for its conversation
    /// (replacing that conversation's earlier claim on the lead, see
    /// [`Claim::from_upsert`](crate::Claim::from_upsert)) instead of
    /// linking the conversation to the lead.
    Claimed,
}

/// Whether an upsert that matched an existing lead is only a claim on it:
/// it comes from a conversation ([`LeadUpsert::conversation`]) that is not
/// the lead's own, and is not [`LeadUpsert::verified`].
pub fn is_claim(upsert: &LeadUpsert, context: &MatchContext) -> bool {
    !upsert.verified && upsert.conversation.is_some() && !context.own_conversation
}

/// A new lead from an upsert (no key of it is taken: none matched).
pub fn new_lead(workspace: leadkit_core::WorkspaceId, upsert: &LeadUpsert) -> Lead {
    let mut lead = Lead::new(upsert.new_id, workspace, upsert.bot, upsert.at);
    apply(
        &mut lead,
        upsert.bot,
        upsert.visitor.as_ref(),
        &upsert.details,
        upsert.at,
        &[],
        false,
    );
    take_consent(&mut lead, upsert.consent.as_ref());
    lead
}

/// Merges an upsert into the existing lead it matched, or finds that it is
/// only a claim on it.
///
/// The store finds the lead by the upsert's most trusted key: visitor id,
/// then normalised email, then E.164 phone (see [`upsert_keys`]). Then:
///
/// - **Claims.** An upsert from a conversation that is not the lead's own
///   and that is not [`verified`](LeadUpsert::verified) (an anonymous chat
///   typed an email or phone that belongs to the lead) changes nothing of
///   the lead: no field, no history, no consent, no bot, no time. It is
///   [`Merge::Claimed`], and the store links the conversation to the lead
///   as an unconfirmed [`Claim`](crate::Claim) that a person merges or
///   rejects ([`LeadStore::resolve_claim`](crate::LeadStore::resolve_claim)).
///   The lead's own conversations (the one that created it, or a claim once
///   merged), verified visitors and upserts without a conversation (the
///   integrator's own code) merge as below.
/// - **Fields.** An empty field takes the new value; a field that has a
///   value keeps it (nothing is overwritten silently), and every distinct
///   value ever given is recorded in [`Lead::history`] with when it was
///   first and last seen; emails are compared normalised, phones in E.164.
/// - **Keys of other leads.** No lead ever takes another lead's key. When
///   the email matches lead A and the phone matches lead B (or any key of
///   the upsert belongs to a lead other than the one it merges into), the
///   upsert merges into A (the most trusted key wins) without the value
///   whose key B holds: A's fields and history do not get B's phone, B
///   keeps it, and a search by that phone finds B only. The value stays in
///   the conversation's transcript. Leads are never merged with each other.
/// - **Visitor id.** It is set if the lead had none (another one is
///   recorded in the history, and finds the lead too).
/// - **Consent.** The latest consent answer (by time) replaces an older
///   one, so that a withdrawal takes effect; a claim never replaces it.
/// - The bot is added to [`Lead::bots`]; `last_seen_at` moves forward,
///   `created_at` and the status never change.
pub fn merge_upsert(lead: &mut Lead, upsert: &LeadUpsert, context: &MatchContext) -> Merge {
    if is_claim(upsert, context) {
        return Merge::Claimed;
    }
    apply(
        lead,
        upsert.bot,
        upsert.visitor.as_ref(),
        &upsert.details,
        upsert.at,
        &context.taken,
        false,
    );
    take_consent(lead, upsert.consent.as_ref());
    Merge::Merged
}

/// Applies a claim a person merged: unlike a conversation's upsert, the
/// claimed name, email, phone and custom values replace the lead's current
/// ones (a person confirmed them), each is recorded in the history, the
/// claim's consent replaces the lead's if it is later, and the claim's bot
/// joins [`Lead::bots`]. A value whose key another lead holds (`taken`) is
/// still left out: no lead takes another lead's key.
pub fn merge_claim(lead: &mut Lead, claim: &crate::Claim, taken: &[(KeyKind, String)]) {
    apply(lead, claim.bot, None, &claim.details, claim.at, taken, true);
    take_consent(lead, claim.consent.as_ref());
}

/// The key of a detail value, if it is a key at all.
fn value_key(field: Field, value: &str) -> Option<(KeyKind, String)> {
    match field {
        Field::Email => email_key(value).map(|k| (KeyKind::Email, k)),
        Field::Phone => phone_key(value).map(|k| (KeyKind::Phone, k)),
        _ => None,
    }
}

fn apply(
    lead: &mut Lead,
    bot: leadkit_core::BotId,
    visitor: Option<&leadkit_core::VisitorId>,
    details: &leadkit_core::ContactDetails,
    at: DateTime<Utc>,
    taken: &[(KeyKind, String)],
    overwrite: bool,
) {
    if !lead.bots.contains(&bot) {
        lead.bots.push(bot);
    }
    if let Some(visitor) = visitor
        && !taken.contains(&(KeyKind::Visitor, visitor.as_str().to_owned()))
    {
        if lead.visitor.is_none() {
            lead.visitor = Some(visitor.clone());
        }
        record(lead, "visitor", visitor.as_str(), at);
    }
    for field in [Field::Name, Field::Email, Field::Phone] {
        if let Some(value) = details.get(field) {
            if value_key(field, value).is_some_and(|key| taken.contains(&key)) {
                continue;
            }
            if overwrite || !lead.details.has(field) {
                lead.details.set(field, value);
            }
            record(lead, field.as_str(), value, at);
        }
    }
    for (key, value) in &details.custom {
        if overwrite {
            lead.details.custom.insert(key.clone(), value.clone());
        } else {
            lead.details
                .custom
                .entry(key.clone())
                .or_insert_with(|| value.clone());
        }
        record(lead, key, value.expose(), at);
    }
    if at > lead.last_seen_at {
        lead.last_seen_at = at;
    }
}

fn take_consent(lead: &mut Lead, consent: Option<&leadkit_core::Consent>) {
    if let Some(consent) = consent
        && lead.consent.as_ref().is_none_or(|old| old.at <= consent.at)
    {
        lead.consent = Some(consent.clone());
    }
}

/// Records a value in the history: updates the entry it matches, or adds one.
fn record(lead: &mut Lead, field: &str, value: &str, at: DateTime<Utc>) {
    let same = |stored: &str| match field {
        "email" => email_key(stored) == email_key(value),
        "phone" => match (phone_key(stored), phone_key(value)) {
            (Some(a), Some(b)) => a == b,
            _ => stored.trim() == value.trim(),
        },
        _ => stored == value,
    };
    if let Some(entry) = lead
        .history
        .iter_mut()
        .find(|v| v.field == field && same(v.value.expose()))
    {
        entry.first_seen_at = entry.first_seen_at.min(at);
        entry.last_seen_at = entry.last_seen_at.max(at);
    } else if lead.history.len() < MAX_HISTORY {
        lead.history.push(ContactValue::new(field, value, at));
    } else {
        tracing::warn!(lead = %lead.id, field, "lead history is full; a new value was not recorded");
    }
}

/// Applies the business's changes to a lead.
pub fn apply_patch(lead: &mut Lead, patch: &LeadPatch) -> Result<(), Error> {
    let bad = |text: &str| text.len() > MAX_TEXT_LEN || text.contains('\0');
    let notes_too_long = patch.notes.as_ref().is_some_and(|n| bad(n.expose()));
    let bad_custom = patch.custom.iter().any(|(key, value)| {
        key.is_empty() || key.len() > 64 || value.as_ref().is_some_and(|v| bad(v.expose()))
    });
    if notes_too_long || bad_custom {
        return Err(Error::InvalidInput {
            reason: "notes or a custom value longer than 16 KiB or containing NUL, or a custom key empty or longer than 64 bytes",
        });
    }
    if let Some(status) = patch.status {
        lead.status = status;
    }
    if let Some(notes) = &patch.notes {
        lead.notes = notes.clone();
    }
    for (key, value) in &patch.custom {
        match value {
            Some(value) => {
                lead.details.custom.insert(key.clone(), value.clone());
            }
            None => {
                lead.details.custom.remove(key);
            }
        }
    }
    Ok(())
}

/// The folded text a free-text search runs over: every name, email, phone
/// and company the lead has had, separated by [`SEARCH_SEPARATOR`].
pub fn search_text(lead: &Lead) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut add = |value: &str| {
        let folded = fold(value);
        if !folded.is_empty() && !parts.contains(&folded) {
            parts.push(folded);
        }
    };
    for field in [Field::Name, Field::Email, Field::Phone] {
        if let Some(value) = lead.details.get(field) {
            add(value);
        }
    }
    if let Some(company) = lead.company() {
        add(company);
    }
    for value in &lead.history {
        if matches!(
            value.field.as_str(),
            "name" | "email" | "phone" | COMPANY_FIELD
        ) {
            add(value.value.expose());
        }
    }
    parts.join(&SEARCH_SEPARATOR.to_string())
}

/// The longest transcript line accepted, in bytes.
pub const MAX_MESSAGE_LEN: usize = 64 * 1024;

/// Checks transcript lines before they are stored.
pub fn check_messages(messages: &[crate::TranscriptMessage]) -> Result<(), Error> {
    if messages
        .iter()
        .any(|m| m.text.expose().len() > MAX_MESSAGE_LEN || m.text.expose().contains('\0'))
    {
        return Err(Error::InvalidInput {
            reason: "a transcript line is longer than 64 KiB or contains NUL",
        });
    }
    Ok(())
}
