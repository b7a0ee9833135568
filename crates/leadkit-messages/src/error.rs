//! The crate's one error.

/// A language tag names a language without built-in messages.
///
/// Use one of [`Locale::ALL`](crate::Locale::ALL), fall back with
/// [`Locale::negotiate`](crate::Locale::negotiate), or supply your own
/// [`MessageCatalog`](crate::MessageCatalog).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("no built-in messages for this language; supported: en, es, de, fr, pt")]
pub struct UnsupportedLocale;
