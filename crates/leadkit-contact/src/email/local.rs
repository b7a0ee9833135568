//! The part before the `@`.

use std::borrow::Cow;
use std::sync::LazyLock;

use icu_normalizer::ComposingNormalizerBorrowed;

use regex::Regex;

use crate::email::EmailOptions;
use crate::error::Error;

/// RFC 5321 §4.5.3.1.1: 64 octets.
const MAX_LOCAL_LEN: usize = 64;

/// Non-ASCII characters allowed in an internationalised local part (RFC 6531
/// allows any; like python-email-validator we keep letters, marks, numbers,
/// punctuation and symbols and refuse controls, format characters, private
/// use, unassigned code points and non-ASCII spaces).
static INTL_CHARS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\p{L}\p{M}\p{N}\p{P}\p{S}]*$").expect("static regex is valid"));

/// Checks the local part and returns it as it will be stored: in Unicode
/// normalisation form C, so that one address has one spelling.
pub(super) fn check<'a>(raw: &'a str, options: &EmailOptions) -> Result<Cow<'a, str>, Error> {
    let local = strip_comments(raw, options)?;
    if local.is_ascii() {
        check_ascii_or_quoted(local, options)?;
        return Ok(Cow::Borrowed(local));
    }
    // Check what was typed, then its NFC form (which may differ: U+037E GREEK
    // QUESTION MARK becomes ';', compatibility ideographs become unified ones).
    check_ascii_or_quoted(local, options)?;
    let nfc = ComposingNormalizerBorrowed::new_nfc().normalize(local);
    check_ascii_or_quoted(&nfc, options)?;
    Ok(nfc)
}

fn check_ascii_or_quoted(local: &str, options: &EmailOptions) -> Result<(), Error> {
    if local.is_empty() {
        return Err(Error::EmailNoLocalPart);
    }
    if local.starts_with('"') {
        if !options.allow_quoted_local_part {
            return Err(Error::EmailQuotedLocalPart);
        }
        if local.len() < 2 || !local.ends_with('"') {
            return Err(Error::EmailLocalPartCharacters);
        }
        if local.len() > MAX_LOCAL_LEN {
            return Err(Error::EmailLocalPartTooLong);
        }
        // The quoted grammar itself is checked by `email_address` afterwards.
        return Ok(());
    }
    check_dot_atom(local)?;
    if local.len() > MAX_LOCAL_LEN {
        return Err(Error::EmailLocalPartTooLong);
    }
    Ok(())
}

fn check_dot_atom(local: &str) -> Result<(), Error> {
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err(Error::EmailLocalPartDots);
    }
    let mut non_ascii = false;
    for c in local.chars() {
        if c.is_ascii() {
            if !(c == '.' || is_atext(c)) {
                return Err(Error::EmailLocalPartCharacters);
            }
        } else {
            non_ascii = true;
            // These decompose canonically to '<' or '>' plus a combining mark.
            if matches!(c, '\u{226E}' | '\u{226F}') {
                return Err(Error::EmailLocalPartCharacters);
            }
        }
    }
    if non_ascii {
        if !INTL_CHARS.is_match(local) {
            return Err(Error::EmailLocalPartCharacters);
        }
        // A leading combining mark would combine with whatever precedes the address.
        if local.chars().next().is_some_and(is_mark) {
            return Err(Error::EmailLocalPartCharacters);
        }
    }
    Ok(())
}

fn is_mark(c: char) -> bool {
    static MARK: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\p{M}$").expect("static regex is valid"));
    let mut buf = [0u8; 4];
    MARK.is_match(c.encode_utf8(&mut buf))
}

/// RFC 5322 `atext` (ASCII part).
fn is_atext(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c)
}

/// Removes one leading and one trailing `( … )` comment when allowed.
fn strip_comments<'a>(raw: &'a str, options: &EmailOptions) -> Result<&'a str, Error> {
    let has_comment = raw.starts_with('(') || raw.ends_with(')');
    if !has_comment {
        return Ok(raw);
    }
    if !options.allow_comments {
        return Err(Error::EmailComment);
    }
    super::domain::strip_outer_comments(raw)
}
