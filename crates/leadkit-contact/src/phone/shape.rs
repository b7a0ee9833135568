//! Cheap shape checks run before the phone parser (which costs a few µs):
//! allowed characters, digit counts, the `+` position, `(0)` and extensions.

use std::sync::LazyLock;

use regex::Regex;

use crate::error::{Error, Field};

/// No phone number with extension is longer than this many bytes as typed.
const MAX_INPUT_LEN: usize = 64;
/// Fewer digits than this cannot be a subscriber number anywhere.
pub(crate) const MIN_DIGITS: usize = 3;
/// E.164 allows 15 digits; leave room for a trunk prefix and an IDD.
pub(crate) const MAX_DIGITS: usize = 17;

/// A trailing extension: `ext 22`, `ext. 22`, `extension 22`, `x22`, `#22`,
/// `;ext=22`, and the German, French, Portuguese and Spanish words.
static EXTENSION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\s*[,;]?\s*(?:ext(?:ension|n)?|x|#|durchwahl|dw|poste|ramal|anexo|int)\s*[.:=]?\s*(\d{1,7})$",
    )
    .expect("static regex is valid")
});

/// What the parser is given.
#[derive(Debug)]
pub(crate) struct Shape {
    /// Digits only, with a leading `+` when international.
    pub(crate) number: String,
    /// Whether the number carries its country code (`+` or `00` prefix).
    pub(crate) international: bool,
    /// Extension digits.
    pub(crate) extension: Option<String>,
}

pub(crate) fn check(input: &str) -> Result<Shape, Error> {
    if input.len() > MAX_INPUT_LEN {
        return Err(Error::TooLong(Field::Phone));
    }
    let (main, extension) = match EXTENSION.captures(input) {
        Some(caps) => {
            let whole = caps.get(0).map_or(0..0, |m| m.range());
            let digits = caps.get(1).map(|m| m.as_str().to_owned());
            (input.get(..whole.start).unwrap_or(input), digits)
        }
        None => (input, None),
    };
    let main = main.trim();
    let mut number = String::with_capacity(main.len());
    let mut plus = false;
    let mut digits = 0usize;
    let mut rest = main;
    // Leading "(+44)" or "+44": the plus must come before any digit.
    if let Some(after) = rest.strip_prefix("(+").or_else(|| rest.strip_prefix('+')) {
        plus = true;
        rest = after;
    }
    // "+44 (0)20 …": the bracketed trunk prefix is not dialled from abroad.
    let without_trunk;
    if plus && let Some(at) = rest.find("(0)") {
        without_trunk = format!(
            "{} {}",
            rest.get(..at).unwrap_or_default(),
            rest.get(at + 3..).unwrap_or_default()
        );
        rest = &without_trunk;
    }
    for c in rest.chars() {
        match c {
            '0'..='9' => {
                digits += 1;
                number.push(c);
            }
            ' ' | '\t' | '\u{a0}' | '-' | '.' | '(' | ')' | '/' | '\u{2010}' | '\u{2011}'
            | '\u{2012}' | '\u{2013}' | '\u{2014}' => {}
            _ => return Err(Error::PhoneCharacters),
        }
    }
    if digits < MIN_DIGITS {
        return Err(Error::PhoneTooShort);
    }
    if digits > MAX_DIGITS {
        return Err(Error::PhoneTooManyDigits);
    }
    let international = plus || number.starts_with("00");
    let number = if plus {
        format!("+{number}")
    } else if let Some(after_idd) = number.strip_prefix("00") {
        format!("+{after_idd}")
    } else {
        number
    };
    Ok(Shape {
        number,
        international,
        extension,
    })
}

/// Luhn checksum over the ASCII digits of `digits`.
pub(crate) fn luhn_valid(digits: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, d) in digits.iter().rev().enumerate() {
        let mut v = u32::from(d.saturating_sub(b'0'));
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    !digits.is_empty() && sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extension_and_trunk_are_split_off() {
        let shape = check("+44 (0)20 7946 0958 ext. 22").expect("valid shape");
        assert_eq!(shape.number, "+442079460958");
        assert_eq!(shape.extension.as_deref(), Some("22"));
        assert!(shape.international);
        let shape = check("555.123.4567 x 9").expect("valid shape");
        assert_eq!(shape.number, "5551234567");
        assert_eq!(shape.extension.as_deref(), Some("9"));
        let shape = check("+12015550123;ext=22").expect("valid shape");
        assert_eq!(shape.extension.as_deref(), Some("22"));
    }

    #[test]
    fn letters_and_misplaced_plus_are_rejected() {
        assert_eq!(check("call 555 1234").unwrap_err(), Error::PhoneCharacters);
        assert_eq!(check("555+1234").unwrap_err(), Error::PhoneCharacters);
        assert_eq!(check("12").unwrap_err(), Error::PhoneTooShort);
    }

    #[test]
    fn luhn() {
        assert!(luhn_valid(b"4111111111111111"));
        assert!(!luhn_valid(b"4111111111111112"));
    }
}
