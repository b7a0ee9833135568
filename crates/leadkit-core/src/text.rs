//! Folding text for case- and accent-insensitive comparison: one function
//! that search (leadkit-store, leadkit-sql) and turn understanding
//! (leadkit-llm) share, so a value found by one is found by the other.

use icu_normalizer::DecomposingNormalizerBorrowed;

/// Folds text for comparison: compatibility decomposition (NFKD), accents
/// and other combining marks removed, lowercase, a few letters that do not
/// decompose spelled out (`ß` → `ss`, `ø` → `o`, `ł` → `l` …), control
/// characters turned into spaces.
///
/// ```
/// use leadkit_core::fold;
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

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folding_removes_case_and_accents() {
        assert_eq!(fold("ÉLODIE Müller-Çelik"), "elodie muller-celik");
        assert_eq!(fold("Łukasz Øster"), "lukasz oster");
        assert_eq!(fold("İstanbul"), "istanbul");
        assert_eq!(fold("a\u{1f}b\nc"), "a b c");
        assert_eq!(fold("ﬁne"), "fine");
    }
}
