//! The keys that de-duplicate leads, and the text fold (from leadkit-core)
//! that search uses.

pub use leadkit_core::fold;

/// Separates the values inside a lead's search text. It is a control
/// character, and [`fold`] turns control characters of a query into spaces,
/// so a search never matches across two values.
pub const SEARCH_SEPARATOR: char = '\u{1f}';

/// The key an email address is de-duplicated on: trimmed and lowercased.
///
/// The local part is lowercased too: mail providers treat it
/// case-insensitively in practice, and two leads that differ only in case
/// are the same person far more often than not.
pub fn email_key(email: &str) -> Option<String> {
    let key = email.trim().to_lowercase();
    (!key.is_empty()).then_some(key)
}

/// The key a phone number is de-duplicated on: the number in E.164 (`+`
/// and 7 to 15 digits) after removing spaces, dashes, dots and brackets.
/// A number that is not in E.164 form gives no key: it is stored and shown,
/// but never used to merge two leads (a local number is ambiguous).
pub fn phone_key(phone: &str) -> Option<String> {
    let compact: String = phone
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')' | '\u{a0}'))
        .collect();
    is_e164(&compact).then_some(compact)
}

/// Whether `text` is exactly an E.164 number: `+`, a non-zero digit, and 7
/// to 15 digits in all.
pub fn is_e164(text: &str) -> bool {
    let Some(digits) = text.strip_prefix('+') else {
        return false;
    };
    (7..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_normalise_or_refuse() {
        assert_eq!(
            email_key(" Ana@Example.COM ").as_deref(),
            Some("ana@example.com")
        );
        assert_eq!(email_key("  "), None);
        assert_eq!(
            phone_key("+1 (415) 555-2671").as_deref(),
            Some("+14155552671")
        );
        assert_eq!(phone_key("0415 555 2671"), None);
        assert_eq!(phone_key("+0123456789"), None);
        assert!(is_e164("+4915112345678"));
        assert!(!is_e164("+12"));
        assert!(!is_e164("+1234567890123456"));
    }
}
