//! Storage for [leadkit](https://github.com/leadkit/leadkit): leads,
//! transcripts, conversation state and bots, behind async traits.
//!
//! A chatbot that captures leads needs to remember four things: the
//! **leads** themselves (de-duplicated, editable by the business, erasable
//! on request), the **transcripts** of the conversations, the **state** of
//! each conversation between turns (the core's [`Conversation`]), and the
//! **bots**, so the Leads screen can show and filter by a bot's name. This
//! crate defines one trait for each ([`LeadStore`], [`TranscriptStore`],
//! [`ConversationStateStore`], [`BotStore`]) and a [`Store`] that combines
//! them and writes a whole chat turn in one transaction
//! ([`Store::persist_turn`]).
//!
//! [`MemoryStore`] implements all of it in memory; `leadkit-sql` implements
//! it on SQLite and PostgreSQL. Both pass the same conformance suite
//! (feature `testkit`).
//!
//! # Tenancy
//!
//! Every method takes the [`WorkspaceId`] first, and no call reads or
//! writes across workspaces: the same email in two workspaces is two leads.
//!
//! # De-duplication and merging
//!
//! [`LeadStore::upsert_lead`] finds the lead by visitor id, then normalised
//! email ([`email_key`]), then E.164 phone ([`phone_key`]), and otherwise
//! creates one. Merging never overwrites a value silently: a field keeps
//! its first value and every distinct value is kept in [`Lead::history`]
//! (see [`backend::merge_upsert`]). Every email and phone a lead ever had
//! finds it again.
//!
//! ```
//! use chrono::{DateTime, Duration, Utc};
//! use leadkit_core::{BotId, ContactDetails, LeadId, WorkspaceId};
//! use leadkit_store::{LeadKey, LeadStore, LeadUpsert, MemoryStore};
//!
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! let store = MemoryStore::new();
//! let (ws, bot, t0) = (WorkspaceId::from_u128(1), BotId::from_u128(2), DateTime::<Utc>::UNIX_EPOCH);
//!
//! let first = ContactDetails::new().with_email("Ana@Example.com").with_phone("+14155550100");
//! store.upsert_lead(ws, &LeadUpsert::new(LeadId::from_u128(10), bot, first, t0)).await?;
//!
//! // Same email, another phone: the same lead, both phones kept.
//! let second = ContactDetails::new().with_email("ana@example.com").with_phone("+14155550199");
//! let outcome = store
//!     .upsert_lead(ws, &LeadUpsert::new(LeadId::from_u128(11), bot, second, t0 + Duration::minutes(5)))
//!     .await?;
//! assert!(!outcome.created);
//! assert_eq!(outcome.lead.details.phone.as_ref().map(|p| p.expose().as_str()), Some("+14155550100"));
//! assert_eq!(outcome.lead.values_of("phone").count(), 2);
//!
//! // Either phone finds her.
//! let found = store.find_lead(ws, &LeadKey::Phone("+14155550199".to_string().into())).await?;
//! assert_eq!(found.map(|l| l.id), Some(LeadId::from_u128(10)));
//! # Ok::<(), leadkit_store::Error>(())
//! # }).unwrap();
//! ```
//!
//! # The Leads screen
//!
//! A [`LeadQuery`] filters (free text over name, email, phone and company,
//! ignoring case and accents; bots; created and last-seen ranges;
//! statuses; has email / phone; consent), sorts by any [`SortColumn`] with
//! the id as tie-break, and pages with an opaque keyset [`Cursor`]
//! ([`LeadPage::next`]), signed with the store's [`CursorKey`].
//! [`LeadStore::count_leads`] gives the total.
//!
//! # Exports
//!
//! [`LeadStore::export_pages`] streams every selected lead's exported
//! columns ([`ExportRow`]) a page at a time, in constant memory; the
//! [`csv`] module turns them into CSV ([`export_csv`]).
//!
//! # Conversation state
//!
//! [`ConversationStateStore::save_state`] is a compare-and-swap on a
//! version number: two servers handling the same conversation cannot both
//! save over the same version; the loser gets [`Error::VersionConflict`],
//! reloads and applies its turn again.
//!
//! # Personal data
//!
//! Names, emails, phones, notes and transcript text are [`Pii`]: `Debug`
//! output of every type here redacts them, and no error message carries
//! them.
//!
//! # Crate features
//!
//! - `mock`: mockall mocks of the four traits ([`MockLeadStore`],
//!   [`MockTranscriptStore`], [`MockConversationStateStore`],
//!   [`MockBotStore`]) and of a whole [`Store`] ([`MockStore`]).
//! - `testkit`: [`testkit`], the conformance suite every backend runs
//!   (pulls in tokio to spawn concurrent writers).
//!
//! [`Conversation`]: leadkit_core::Conversation
//! [`WorkspaceId`]: leadkit_core::WorkspaceId
//! [`Pii`]: leadkit_core::Pii
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod backend;
pub mod csv;
mod cursor;
mod error;
mod export;
mod fold;
mod memory;
mod model;
mod query;
mod sort;
#[cfg(feature = "testkit")]
pub mod testkit;
mod traits;

// The CSV consumer's main entry points, also at the root.
pub use csv::{CsvOptions, CsvRow, export_csv};
pub use cursor::{Cursor, CursorKey};
pub use error::Error;
pub use export::{ConsentAnswer, EXPORT_PAGE_SIZE, ExportPages, ExportRow};
pub use fold::{SEARCH_SEPARATOR, email_key, fold, is_e164, phone_key};
pub use memory::{MemoryStore, check_bot};
pub use model::{
    Bot, COMPANY_FIELD, ContactValue, Lead, LeadKey, LeadPatch, LeadUpsert, Role,
    TranscriptMessage, UpsertOutcome,
};
pub use query::{
    ConsentFilter, DEFAULT_PAGE_SIZE, LeadPage, LeadQuery, MAX_PAGE_SIZE, MAX_SEARCH_LEN,
    ValidQuery,
};
pub use sort::{CursorPosition, Direction, SortColumn, SortValue};
pub use traits::{
    BotStore, ConversationStateStore, LeadStore, Store, TranscriptStore, TurnReceipt, TurnWrite,
    VersionedState,
};
#[cfg(feature = "mock")]
pub use traits::{
    MockBotStore, MockConversationStateStore, MockLeadStore, MockStore, MockTranscriptStore,
};
