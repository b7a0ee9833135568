//! The crate's one error type.

/// An error from the integrator's own code (a [`PolicySource`](crate::engine::PolicySource) …).
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Everything that can go wrong in the engine and its messages (re-exported
/// as `leadkit::Error`).
///
/// Match on the variants, not on the `Display` text. No variant carries
/// personal data.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A language tag names a language without built-in messages. Use one
    /// of [`Locale::ALL`](crate::messages::Locale::ALL), or supply your own
    /// [`MessageCatalog`](crate::messages::MessageCatalog).
    #[error("no built-in messages for this language; supported: en, es, de, fr, pt")]
    UnsupportedLocale,

    /// The integrator's [`PolicySource`](crate::engine::PolicySource) could
    /// not give the bot's policy (its database was down …). The turn was not
    /// stored; try it again.
    #[error("the bot's lead-capture policy could not be read")]
    Policy(#[source] BoxError),

    /// The engine is configured inconsistently.
    #[error("invalid engine configuration: {reason}")]
    InvalidConfig {
        /// What is wrong.
        reason: &'static str,
    },

    /// A visitor id's signature did not check out: treat the visitor as
    /// anonymous.
    #[error("the visitor id signature is not valid")]
    InvalidSignature,

    /// Verified visitor details passed with a visit were refused by
    /// leadkit-contact (the source names the field and why, never the
    /// value). Nothing was stored; fix the integrator's user record or
    /// leave the field out.
    #[error("a verified visitor detail is not valid")]
    InvalidVerifiedDetails(#[source] leadkit_contact::Error),

    /// Verified visitor details need an email address or a phone number,
    /// by which the visitor's lead is found again.
    #[error("verified visitor details need an email address or a phone number")]
    VerifiedDetailsIncomplete,

    /// No lead with that id in the workspace.
    #[error("no such lead in this workspace")]
    LeadNotFound,

    /// An error from the lead-capture core (a corrupt saved state, an
    /// invalid policy …).
    #[error(transparent)]
    Core(#[from] leadkit_core::Error),

    /// An error from the store.
    #[error(transparent)]
    Store(#[from] leadkit_store::Error),

    /// An error from the analyzer (a model that did not answer …).
    #[error(transparent)]
    Analyzer(#[from] leadkit_llm::Error),
}

impl From<leadkit_messages::UnsupportedLocale> for Error {
    fn from(_: leadkit_messages::UnsupportedLocale) -> Self {
        Error::UnsupportedLocale
    }
}

impl Error {
    /// Whether the turn failed because other turns of the same conversation
    /// kept changing its state, past the engine's
    /// [`conflict_retries`](crate::EngineBuilder::conflict_retries). Nothing
    /// was stored; the message can be sent again.
    pub fn is_conflict(&self) -> bool {
        matches!(
            self,
            Error::Store(leadkit_store::Error::VersionConflict { .. })
        )
    }
}
