#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod backend;
mod bot_settings;
mod claim;
mod conversations;
pub mod csv;
mod cursor;
mod error;
mod export;
mod fold;
mod memory;
mod model;
mod query;
mod settings_store;
mod sort;
#[cfg(feature = "testkit")]
pub mod testkit;
mod traits;

// The CSV consumer's main entry points, also at the root.
pub use bot_settings::{
    BotSettings, HistoryQuery, MAX_ACTOR_LEN, MAX_ASK_MESSAGE_LEN, MAX_ASKS_LIMIT,
    MAX_COOLDOWN_TURNS, MAX_HISTORY_PAGE, MAX_NOTICE_LEN, MAX_NOTICE_VERSION_LEN, PhoneRegion,
    SettingsChange, SettingsError, SettingsUpdate, StoredBotSettings,
};
pub use claim::{Claim, ClaimDecision};
#[cfg(feature = "mock")]
pub use conversations::MockConversationStore;
pub use conversations::{
    ConversationPage, ConversationQuery, ConversationStore, ConversationSummary,
    MIN_TRANSCRIPT_SEARCH, TranscriptPage, ValidConversationQuery,
};
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
pub use settings_store::BotSettingsStore;
#[cfg(feature = "mock")]
pub use settings_store::MockBotSettingsStore;
pub use sort::{CursorPosition, Direction, SortColumn, SortValue};
pub use traits::{
    BotStore, ConversationStateStore, LeadStore, Store, TranscriptStore, TurnReceipt, TurnWrite,
    VersionedState,
};
#[cfg(feature = "mock")]
pub use traits::{
    MockBotStore, MockConversationStateStore, MockLeadStore, MockStore, MockTranscriptStore,
};
