//! Folding text for case- and accent-insensitive search, and the keys that
//! de-duplicate leads.

use icu_normalizer::DecomposingNormalizerBorrowed;

/// Separates the values inside a lead's search text. It is a control
/// character, and [`fold`] turns control characters of a query into spaces,
/// so a search never matches across two values.
pub const SEARCH_SEPARATOR: char = '\u{1f}';

/// Folds text for comparison: compatibility decomposition (NFKD), accents
/// and other combining marks removed, lowercase, a few letters that do not
/// decompose spelled out (`ß` → `ss`, `ø` → `o`, `ł` → `l` …), control
/// characters turned into spaces.
///
/// ```
/// use leadkit_store::fold;
///
/// assert_eq!(fold("José ÁLVAREZ"), "jose alvarez");
/// assert_eq!(fold("Straße"), "strasse");
/// assert_eq!(fold("ＡＣＭＥ"), "acme");
/// ```
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    if text.is_ascii() {
        out.extend(text.chars().map(|c| {
            if c.is_ascii_control() {
                ' '
            } else {
                c.to_ascii_lowercase()
            }
        }));
        return out;
    }
    let nfkd = DecomposingNormalizerBorrowed::new_nfkd();
    for c in nfkd.normalize_iter(text.chars()) {
        if is_combining_mark(c) {
            continue;
        }
        if c.is_control() {
            out.push(' ');
            continue;
        }
        match c {
            'ß' | 'ẞ' => out.push_str("ss"),
            'æ' | 'Æ' => out.push_str("ae"),
            'œ' | 'Œ' => out.push_str("oe"),
            'ø' | 'Ø' => out.push('o'),
            'ł' | 'Ł' => out.push('l'),
            'đ' | 'Đ' | 'ð' | 'Ð' => out.push('d'),
            'þ' | 'Þ' => out.push_str("th"),
            'ı' => out.push('i'),
            _ => out.extend(c.to_lowercase().filter(|l| !is_combining_mark(*l))),
        }
    }
    out
}

/// The combining-mark blocks that NFKD separates from their base letters.
fn is_combining_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}'
        | '\u{3099}'..='\u{309A}')
}

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

/// A SQL `LIKE` pattern matching `folded` anywhere, with `\` as the escape
/// character: `%`, `_` and `\` in the text match themselves.
///
/// ```
/// use leadkit_store::like_contains_pattern;
///
/// assert_eq!(like_contains_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
/// ```
pub fn like_contains_pattern(folded: &str) -> String {
    let mut pattern = String::with_capacity(folded.len() + 8);
    pattern.push('%');
    for c in folded.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_removes_case_and_accents() {
        assert_eq!(fold("ÉLODIE Müller-Çelik"), "elodie muller-celik");
        assert_eq!(fold("Łukasz Øster"), "lukasz oster");
        assert_eq!(fold("İstanbul"), "istanbul");
        assert_eq!(fold("a\u{1f}b\nc"), "a b c");
        assert_eq!(fold("ﬁne"), "fine");
    }

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
