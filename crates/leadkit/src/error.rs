//! The crate's one error type.

/// Everything that can go wrong in `leadkit`.
///
/// Match on the variants, not on the `Display` text.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A language tag names a language without built-in messages. Use one
    /// of [`Locale::ALL`](crate::messages::Locale::ALL), or supply your own
    /// [`MessageCatalog`](crate::messages::MessageCatalog).
    #[error("no built-in messages for this language; supported: en, es, de, fr, pt")]
    UnsupportedLocale,

    /// An error from the lead-capture core.
    #[error(transparent)]
    Core(#[from] leadkit_core::Error),
}
