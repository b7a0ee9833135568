//! A wrapper that keeps personal data out of logs.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Personal data (a name, an email address, a phone number, a custom field).
///
/// `Pii` prints as `<redacted>` in `Debug` and has no `Display`, so a stray
/// `{:?}` in a log line or a panic message cannot leak a visitor's details.
/// Read the value deliberately with [`Pii::expose`]. Serialisation is
/// transparent: storage needs the real value.
///
/// ```
/// use leadkit_core::Pii;
///
/// let email = Pii::new("ana@example.com".to_string());
/// assert_eq!(format!("{email:?}"), "<redacted>");
/// assert_eq!(email.expose(), "ana@example.com");
/// ```
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Pii<T>(T);

impl<T> Pii<T> {
    /// Wraps a personal value.
    pub const fn new(value: T) -> Self {
        Self(value)
    }

    /// The value itself. Call it where the value is really needed (storage,
    /// a reply to the visitor), never to build a log line.
    pub const fn expose(&self) -> &T {
        &self.0
    }

    /// Unwraps the value.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> From<T> for Pii<T> {
    fn from(value: T) -> Self {
        Self(value)
    }
}

impl<T> fmt::Debug for Pii<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}
