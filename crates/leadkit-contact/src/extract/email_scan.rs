//! Email addresses in text: plain, in `<angle brackets>`, after `mailto:`,
//! and (optionally) spelled out.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::cues::EMAIL_CUES;
use super::{ContactKind, ExtractOptions, Found, overlaps, window_before};
use crate::email::validate_email;
use crate::obfuscation;

/// A run of address characters around an `@`. Brackets, quotes, commas,
/// colons (so `mailto:` falls away) and white space end it.
static CANDIDATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[\p{L}\p{N}\p{M}!#$%&'*+/=?^_`{|}~.\-]+@[\p{L}\p{N}\p{M}.\-]+")
        .expect("static regex is valid")
});

/// Provider names that make `ann@gmail` worth reporting as an invalid address.
const PROVIDER_NAMES: &[&str] = &[
    "gmail", "hotmail", "yahoo", "outlook", "icloud", "gmx", "aol",
];

pub(super) fn scan(text: &str, options: &ExtractOptions, found: &mut Vec<Found>) {
    if text.contains('@') {
        for m in CANDIDATE.find_iter(text) {
            if let Some(item) = candidate(text, m.range(), options) {
                found.push(item);
            }
        }
    }
    if options.decode_obfuscation {
        let taken = super::sorted_spans(found);
        for (span, decoded) in obfuscation::find(text) {
            if overlaps(&span, &taken) {
                continue;
            }
            // The same `Found` building as name_scan's: each scanner fills in
            // its own kind, value and validator's answer.
            match validate_email(&decoded, &options.email) {
                Ok(email) => found.push(Found {
                    kind: ContactKind::Email,
                    span,
                    value: email.as_str().to_owned(),
                    valid: true,
                    error: None,
                    phone: None,
                }),
                Err(error) => found.push(Found {
                    kind: ContactKind::Email,
                    span,
                    value: decoded,
                    valid: false,
                    error: Some(error),
                    phone: None,
                }),
            }
        }
    }
}

fn candidate(text: &str, range: Range<usize>, options: &ExtractOptions) -> Option<Found> {
    let raw = text.get(range.clone())?;
    // Leading punctuation is sentence punctuation or a quote, not address.
    let lead = raw.len()
        - raw
            .trim_start_matches(['.', '\'', '`', '-', '{', '|', '}', '~'])
            .len();
    // Trailing dots and hyphens end a sentence ("write to ann@example.com.").
    let trimmed_end = raw.trim_end_matches(['.', '-']);
    let start = range.start + lead;
    let end = range.start + trimmed_end.len();
    if start >= end {
        return None;
    }
    let value = text.get(start..end)?;
    let (local, domain) = value.rsplit_once('@')?;
    if local.is_empty() || domain.is_empty() {
        return None;
    }
    match validate_email(value, &options.email) {
        Ok(email) => Some(Found {
            kind: ContactKind::Email,
            span: start..end,
            value: email.as_str().to_owned(),
            valid: true,
            error: None,
            phone: None,
        }),
        Err(error) => {
            let lower = domain.to_lowercase();
            let worth_reporting = lower.contains('.')
                || PROVIDER_NAMES.contains(&lower.as_str())
                || announced(text, start);
            worth_reporting.then(|| Found {
                kind: ContactKind::Email,
                span: start..end,
                value: value.to_owned(),
                valid: false,
                error: Some(error),
                phone: None,
            })
        }
    }
}

/// Whether an email cue ("email", "correo", "mail" …) comes shortly before.
fn announced(text: &str, start: usize) -> bool {
    let before = window_before(text, start, 32).to_lowercase();
    before
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| EMAIL_CUES.contains(&w))
}
