//! Person name validation and normalisation.

use std::fmt;
use std::sync::LazyLock;

use regex::Regex;

use crate::error::{Error, Field};

/// Options for [`validate_name`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct NameOptions {
    /// The longest name accepted, in characters, after white space is
    /// collapsed. Default 100.
    pub max_chars: usize,
    /// Reject placeholders and filler words ("test", "asdf", "no", "n/a" …).
    /// Default `true`.
    pub reject_placeholders: bool,
}

impl Default for NameOptions {
    fn default() -> Self {
        Self {
            max_chars: 100,
            reject_placeholders: true,
        }
    }
}

impl NameOptions {
    /// The default options.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets [`max_chars`](Self::max_chars).
    #[must_use]
    pub fn with_max_chars(mut self, max_chars: usize) -> Self {
        self.max_chars = max_chars;
        self
    }

    /// Sets [`reject_placeholders`](Self::reject_placeholders).
    #[must_use]
    pub fn with_reject_placeholders(mut self, reject: bool) -> Self {
        self.reject_placeholders = reject;
        self
    }
}

/// A validated name: trimmed, inner white space collapsed to single spaces,
/// case kept as typed.
///
/// Its `Debug` output is redacted (`Name(<redacted>)`).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Name(String);

impl Name {
    /// The normalised name.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Name(<redacted>)")
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Words that are not a name when they are the whole input, compared
/// case-insensitively.
const PLACEHOLDERS: &[&str] = &[
    "asdf",
    "asdfg",
    "asdfgh",
    "asdf asdf",
    "qwerty",
    "qwertz",
    "azerty",
    "test",
    "testing",
    "tester",
    "test test",
    "no",
    "nope",
    "none",
    "nobody",
    "no name",
    "noname",
    "n/a",
    "na",
    "null",
    "nil",
    "undefined",
    "anonymous",
    "anon",
    "unknown",
    "name",
    "my name",
    "your name",
    "first last",
    "firstname lastname",
    "first name",
    "last name",
    "fake",
    "xxx",
    "abc",
    "foo",
    "bar",
    "foobar",
    "lol",
    "idk",
    "yes",
    "ok",
    "okay",
    "hi",
    "hello",
    "hey",
    "hola",
    "bonjour",
    "salut",
    "hallo",
    "olá",
    "ola",
    "oi",
    "user",
    "customer",
    "client",
    "admin",
    "guest",
    "mr",
    "mrs",
    "ms",
    "nadie",
    "ninguno",
    "keiner",
    "niemand",
    "personne",
    "ninguém",
    "prefer not to say",
    "not telling",
    "secret",
    "teste",
    "prueba",
    "probando",
    "essai",
    "testen",
];

/// Letters, marks, apostrophes, hyphens, dots (initials) and spaces.
static NAME_CHARS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\p{L}\p{M}'’ʼ\-‐‑. ]+$").expect("static regex is valid"));

/// Validates and normalises a person's name.
///
/// # Errors
///
/// A typed reason (see [`Error`]) when the input is clearly not a name.
///
/// # Examples
///
/// ```
/// use leadkit_contact::{validate_name, Error, NameOptions};
///
/// let name = validate_name("  María   José  O'Neill-Núñez ", &NameOptions::default())?;
/// assert_eq!(name.as_str(), "María José O'Neill-Núñez");
///
/// let err = validate_name("asdf", &NameOptions::default()).unwrap_err();
/// assert_eq!(err, Error::NamePlaceholder);
/// # Ok::<(), Error>(())
/// ```
pub fn validate_name(input: &str, options: &NameOptions) -> Result<Name, Error> {
    // Bound the work before normalising: collapsing spaces cannot shrink a
    // name below a tenth of its length unless it is mostly white space.
    if input.len() > options.max_chars.saturating_mul(16).max(64) {
        return Err(Error::TooLong(Field::Name));
    }
    let normalized = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if normalized.is_empty() {
        return Err(Error::Empty(Field::Name));
    }
    if normalized.chars().count() > options.max_chars {
        return Err(Error::TooLong(Field::Name));
    }
    if normalized.contains('@') {
        return Err(Error::NameLooksLikeEmail);
    }
    if looks_like_url(&normalized) {
        return Err(Error::NameLooksLikeUrl);
    }
    if normalized.chars().any(char::is_numeric) {
        return Err(Error::NameDigits);
    }
    if !NAME_CHARS.is_match(&normalized) {
        return Err(Error::NameCharacters);
    }
    for word in normalized.split(' ') {
        let starts_ok = word.chars().next().is_some_and(char::is_alphabetic);
        let ends_ok = word
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphabetic() || c == '.' || is_mark(c));
        if !starts_ok || !ends_ok {
            return Err(Error::NameCharacters);
        }
    }
    let letters: Vec<char> = normalized
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    if letters.len() < 2 {
        return Err(Error::NameTooShort);
    }
    if options.reject_placeholders && is_placeholder(&normalized, &letters) {
        return Err(Error::NamePlaceholder);
    }
    Ok(Name(normalized))
}

fn is_mark(c: char) -> bool {
    static MARK: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\p{M}$").expect("static regex is valid"));
    let mut buf = [0u8; 4];
    MARK.is_match(c.encode_utf8(&mut buf))
}

fn looks_like_url(s: &str) -> bool {
    let lower = s.to_lowercase();
    lower.contains("://")
        || lower.starts_with("www.")
        || [
            ".com", ".net", ".org", ".io", ".de", ".fr", ".es", ".br", ".pt",
        ]
        .iter()
        .any(|tld| lower.ends_with(tld) && !lower.contains(' '))
}

fn is_placeholder(normalized: &str, letters: &[char]) -> bool {
    let lower = normalized.to_lowercase();
    if PLACEHOLDERS.contains(&lower.as_str()) {
        return true;
    }
    // "aaaa", "xx x": one letter repeated.
    if letters.iter().all(|&c| Some(c) == letters.first().copied()) {
        return true;
    }
    // Keyboard runs typed as a single word ("asdfgh", "qwer", "jkl").
    let single_word = !lower.contains(' ');
    single_word
        && letters.len() >= 4
        && ["qwertyuiop", "asdfghjkl", "zxcvbnm", "abcdefgh"]
            .iter()
            .any(|row| row.contains(lower.as_str()))
}
