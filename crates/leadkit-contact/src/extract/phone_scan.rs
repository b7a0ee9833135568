//! Phone numbers in text.
//!
//! A byte scanner collects runs of digits joined by the separators people
//! type (space, `-`, `.`, `/`, parentheses), then rejects the runs that are
//! something else (dates, times, card numbers, IBANs, IP addresses, versions,
//! prices, postcodes, national-id shapes, order or ticket numbers) before the
//! phone parser (a few µs a call) is called.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::cues::{NOT_PHONE_BEFORE, PHONE_CUES};
use super::{ContactKind, ExtractOptions, Found, char_at, char_before, overlaps, window_before};
use crate::phone::{shape, validate_phone};

/// A run needs this many digits to be considered at all.
const MIN_DIGITS: usize = 7;
/// Runs with more digits are data, not a phone number.
const MAX_DIGITS: usize = 16;
/// Longest run of separator characters between two digit groups.
const MAX_GAP: usize = 3;

/// An extension right after the number.
static EXTENSION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?i)\s*[,;]?\s*(?:ext(?:ension|n)?|x|#|durchwahl|dw|poste|ramal|anexo)\s*[.:=]?\s*\d{1,7}",
    )
    .expect("static regex is valid")
});

/// An IBAN (country code, check digits, then groups): every digit inside one
/// is masked.
static IBAN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)[a-z]{2}\d{2}(?:[ ]?[a-z0-9]{4}){2,7}(?:[ ]?[a-z0-9]{1,3})?")
        .expect("static regex is valid")
});

/// A run of digits and separators, with its digit groups.
struct Run {
    start: usize,
    end: usize,
    plus: bool,
    groups: Vec<Range<usize>>,
}

impl Run {
    fn digits(&self) -> usize {
        self.groups.iter().map(ExactSizeIterator::len).sum()
    }
}

pub(super) fn scan(
    text: &str,
    options: &ExtractOptions,
    taken: &[Range<usize>],
    found: &mut Vec<Found>,
) {
    let bytes = text.as_bytes();
    if bytes.iter().filter(|b| b.is_ascii_digit()).count() < MIN_DIGITS {
        return;
    }
    let mut scanner = Scanner {
        text,
        options,
        taken,
        ibans: None,
    };
    let mut i = 0;
    while i < bytes.len() {
        let Some(run) = next_run(text, i) else {
            break;
        };
        i = run.end.max(i + 1);
        let whole = scanner.consider(&run);
        if let Some(item) = &whole {
            i = i.max(item.span.end);
        }
        if whole.as_ref().is_some_and(|f| f.valid) {
            found.extend(whole);
            continue;
        }
        // "201-555-0123 / 201-555-0124": two numbers joined by a slash.
        let parts: Vec<Found> = split_at_slashes(text, &run)
            .iter()
            .filter_map(|part| scanner.consider(part))
            .collect();
        if parts.iter().any(|f| f.valid) {
            found.extend(parts);
        } else {
            found.extend(whole);
        }
    }
}

/// What one scan needs for every run.
struct Scanner<'a> {
    text: &'a str,
    options: &'a ExtractOptions,
    taken: &'a [Range<usize>],
    /// IBAN spans, found only once a run survives the cheap rules.
    ibans: Option<Vec<Range<usize>>>,
}

impl Scanner<'_> {
    /// The phone number (valid, or invalid but announced) that `run` is.
    fn consider(&mut self, run: &Run) -> Option<Found> {
        let text = self.text;
        let mut span = run.start..run.end;
        if let Some(ext) = text.get(span.end..).and_then(|rest| EXTENSION.find(rest)) {
            span.end += ext.end();
        }
        if overlaps(&span, self.taken) || !plausible(text, run, &span) {
            return None;
        }
        let ibans = self.ibans.get_or_insert_with(|| {
            IBAN.find_iter(text)
                .filter(|m| m.as_str().bytes().filter(u8::is_ascii_digit).count() >= 8)
                .map(|m| m.range())
                .collect()
        });
        if overlaps(&span, ibans) {
            return None;
        }
        let candidate = text.get(span.clone())?;
        match validate_phone(candidate, &self.options.phone) {
            Ok(phone) => Some(Found {
                kind: ContactKind::Phone,
                span,
                value: phone.canonical(),
                valid: true,
                error: None,
            }),
            Err(error) => (run.plus || announced(text, run.start)).then(|| Found {
                kind: ContactKind::Phone,
                span,
                value: candidate.to_owned(),
                valid: false,
                error: Some(error),
            }),
        }
    }
}

/// The runs between gaps that contain a `/`, when there are any.
fn split_at_slashes(text: &str, run: &Run) -> Vec<Run> {
    let mut parts = Vec::new();
    let mut first = 0;
    for (k, pair) in run.groups.windows(2).enumerate() {
        let gap = text.get(pair[0].end..pair[1].start).unwrap_or_default();
        if gap.contains('/') {
            parts.push(sub_run(run, first, k + 1));
            first = k + 1;
        }
    }
    if parts.is_empty() {
        return parts;
    }
    parts.push(sub_run(run, first, run.groups.len()));
    parts
}

fn sub_run(run: &Run, from: usize, to: usize) -> Run {
    let groups = run.groups.get(from..to).unwrap_or_default().to_vec();
    let start = if from == 0 {
        run.start
    } else {
        groups.first().map_or(run.start, |g| g.start)
    };
    let end = groups.last().map_or(run.end, |g| g.end);
    Run {
        start,
        end,
        plus: run.plus && from == 0,
        groups,
    }
}

/// The next run of digits and separators starting at or after `from`.
fn next_run(text: &str, from: usize) -> Option<Run> {
    let bytes = text.as_bytes();
    let mut i = from;
    loop {
        // Find the next digit that starts a token (not glued to a word).
        let d = i + bytes.get(i..)?.iter().position(u8::is_ascii_digit)?;
        let glued = char_before(text, d).is_some_and(|c| c.is_alphanumeric() || c == '_');
        if glued {
            // Skip the rest of this alphanumeric token.
            i = d + bytes[d..]
                .iter()
                .position(|b| !b.is_ascii_alphanumeric())
                .unwrap_or(bytes.len() - d);
            continue;
        }
        let mut start = d;
        let mut plus = false;
        // Take a directly preceding "+", "(" or "(+".
        if start >= 1 && bytes[start - 1] == b'(' {
            start -= 1;
            if start >= 1 && bytes[start - 1] == b'+' {
                start -= 1;
                plus = true;
            }
        } else if start >= 1 && bytes[start - 1] == b'+' {
            start -= 1;
            plus = true;
            if start >= 1 && bytes[start - 1] == b'(' {
                start -= 1;
            }
        }
        let mut groups = Vec::new();
        let mut j = d;
        let mut end = d;
        loop {
            let g_start = j;
            while j < bytes.len() && bytes[j].is_ascii_digit() {
                j += 1;
            }
            groups.push(g_start..j);
            end = end.max(j);
            // A separator gap, then another digit?
            let mut k = j;
            let mut non_space = 0;
            while k < bytes.len() && k - j < MAX_GAP && is_separator(bytes[k]) {
                if bytes[k] != b' ' {
                    non_space += 1;
                }
                k += 1;
            }
            if k > j && non_space <= 2 && k < bytes.len() && bytes[k].is_ascii_digit() {
                j = k;
                continue;
            }
            break;
        }
        // Keep a closing parenthesis that belongs to an opening one.
        if bytes.get(end) == Some(&b')') && text.get(start..end).is_some_and(|s| s.contains('(')) {
            let opens = text.get(start..end).map_or(0, |s| s.matches('(').count());
            let closes = text.get(start..end).map_or(0, |s| s.matches(')').count());
            if opens > closes {
                end += 1;
            }
        }
        if bytes.get(start) == Some(&b'(') && !text.get(start..end).is_some_and(|s| s.contains(')'))
        {
            start += 1;
        }
        return Some(Run {
            start,
            end,
            plus,
            groups,
        });
    }
}

fn is_separator(b: u8) -> bool {
    matches!(b, b' ' | b'-' | b'.' | b'/' | b'(' | b')')
}

/// Shape and context rules: `false` for runs that are something other than
/// a phone number.
fn plausible(text: &str, run: &Run, span: &Range<usize>) -> bool {
    let digits = run.digits();
    if !(MIN_DIGITS..=MAX_DIGITS).contains(&digits) {
        return false;
    }
    if !context_allows(text, run.start, span.end) {
        return false;
    }
    let seps = separators(text, run);
    let lens: Vec<usize> = run.groups.iter().map(ExactSizeIterator::len).collect();
    let all_digits: Vec<u8> = run
        .groups
        .iter()
        .filter_map(|g| text.get(g.clone()))
        .flat_map(str::bytes)
        .collect();
    let starts_intl = run.plus || all_digits.starts_with(b"00");
    if is_date(text, run, &seps, &lens) || is_ip(text, run, &seps) || is_compact_date(&all_digits) {
        return false;
    }
    // Time ranges: "10.30 - 11.45", "9.00-17.30".
    if matches!(lens.as_slice(), [1 | 2, 2, 1 | 2, 2])
        && matches!(
            sep_strs(&seps).as_slice(),
            [".", "-", "."] | [".", "–", "."]
        )
    {
        return false;
    }
    // Version strings: dotted groups with a one-digit part after the first.
    if lens.len() >= 3 && seps.iter().all(|s| s == ".") && lens.iter().skip(1).any(|&l| l == 1) {
        return false;
    }
    // National-id and postcode shapes.
    match (lens.as_slice(), sep_strs(&seps).as_slice()) {
        // US SSN 123-45-6789.
        ([3, 2, 4], [s1, s2]) if s1 == s2 && (*s1 == "-" || *s1 == " ") => return false,
        // Brazilian CPF 123.456.789-09.
        ([3, 3, 3, 2], [".", ".", "-"]) => return false,
        // ZIP+4, Brazilian CEP, Portuguese postcode.
        ([5, 4] | [5, 3] | [4, 3], ["-"]) => return false,
        _ => {}
    }
    if !starts_intl {
        // Card numbers: 4-4-4-4 groups, or 13–19 digits passing Luhn.
        if lens.len() >= 4 && lens.iter().all(|&l| l == 4) {
            return false;
        }
        if digits >= 13 && shape::luhn_valid(&all_digits) {
            return false;
        }
        if digits > 13 {
            return false;
        }
    }
    true
}

fn separators(text: &str, run: &Run) -> Vec<String> {
    run.groups
        .windows(2)
        .filter_map(|w| text.get(w[0].end..w[1].start))
        .map(|s| s.trim().to_owned())
        .map(|s| if s.is_empty() { " ".to_owned() } else { s })
        .collect()
}

fn sep_strs(seps: &[String]) -> Vec<&str> {
    seps.iter().map(String::as_str).collect()
}

/// `20240501`: eight digits that read as a date from 1900 to 2099.
fn is_compact_date(digits: &[u8]) -> bool {
    let [y1, y2, _, _, m1, m2, d1, d2] = digits else {
        return false;
    };
    let num =
        |a: u8, b: u8| u32::from(a.saturating_sub(b'0')) * 10 + u32::from(b.saturating_sub(b'0'));
    matches!((y1, y2), (b'1', b'9') | (b'2', b'0'))
        && (1..=12).contains(&num(*m1, *m2))
        && (1..=31).contains(&num(*d1, *d2))
}

fn group_value(text: &str, g: &Range<usize>) -> u32 {
    text.get(g.clone())
        .and_then(|s| s.parse::<u32>().ok())
        .unwrap_or(u32::MAX)
}

/// `2024-05-01`, `01/05/2024`, `1.5.24`, optionally followed by a time.
fn is_date(text: &str, run: &Run, seps: &[String], lens: &[usize]) -> bool {
    if lens.len() < 3 {
        return false;
    }
    let (s1, s2) = (&seps[0], &seps[1]);
    if s1 != s2 || !matches!(s1.as_str(), "-" | "/" | ".") {
        return false;
    }
    // More groups are only a date when a time follows after a space.
    if lens.len() > 3 && seps.get(2).is_none_or(|s| s != " ") {
        return false;
    }
    let v: Vec<u32> = run
        .groups
        .iter()
        .take(3)
        .map(|g| group_value(text, g))
        .collect();
    let ymd = lens[0] == 4
        && lens[1] <= 2
        && lens[2] <= 2
        && (1..=12).contains(&v[1])
        && (1..=31).contains(&v[2]);
    let dmy = lens[0] <= 2
        && lens[1] <= 2
        && (lens[2] == 2 || lens[2] == 4)
        && (1..=31).contains(&v[0])
        && (1..=31).contains(&v[1])
        && (v[0] <= 12 || v[1] <= 12);
    ymd || dmy
}

fn is_ip(text: &str, run: &Run, seps: &[String]) -> bool {
    run.groups.len() == 4
        && seps.iter().all(|s| s == ".")
        && run
            .groups
            .iter()
            .all(|g| g.len() <= 3 && group_value(text, g) <= 255)
}

/// Words, symbols and characters around the run that say it is not a phone.
fn context_allows(text: &str, start: usize, end: usize) -> bool {
    // Glued to a following letter ("12345678Z", "5000kg"), a percent sign,
    // a time ("10:30") or a decimal/thousands comma ("1,299").
    match char_at(text, end) {
        Some(c) if c.is_alphanumeric() || c == '%' || c == '_' => return false,
        Some(':' | ',') if char_at(text, end + 1).is_some_and(|c| c.is_ascii_digit()) => {
            return false;
        }
        _ => {}
    }
    if char_before(text, start) == Some(',') || char_before(text, start) == Some(':') {
        // "1,234,567" or "10:30:45" continuing a previous group.
        if window_before(text, start, 2)
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit())
        {
            return false;
        }
    }
    // Digits inside a URL path or query ("example.com/order/2015550123",
    // "?id=2015550123"): the part of the token before the run says so.
    let token = window_before(text, start, 200)
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or_default();
    if token.contains("://") || token.contains("www.") || token.contains(['/', '=', '?', '&']) {
        return false;
    }
    let before = window_before(text, start, 40).to_lowercase();
    let before = before.trim_end();
    // Currency, hash (order #…), and "No."-style markers right before.
    if before.ends_with(['$', '€', '£', '¥', '#', '№']) || before.ends_with("r$") {
        return false;
    }
    let after = text.get(end..).unwrap_or_default();
    let after_word = after
        .trim_start()
        .split(|c: char| !c.is_alphanumeric() && c != '€' && c != '$' && c != '£')
        .next()
        .unwrap_or_default()
        .to_lowercase();
    if matches!(
        after_word.as_str(),
        "€" | "$"
            | "£"
            | "usd"
            | "eur"
            | "gbp"
            | "brl"
            | "dollars"
            | "euros"
            | "euro"
            | "reais"
            | "kg"
            | "km"
            | "units"
            | "pcs"
            | "items"
    ) {
        return false;
    }
    let trimmed = before.trim_end_matches([':', '#', '.', ' ', '-', '=']);
    let mut words = trimmed.rsplit(|c: char| !c.is_alphanumeric() && c != '°' && c != 'º');
    let mut last = words.next().unwrap_or_default();
    if matches!(
        last,
        "number"
            | "no"
            | "nr"
            | "num"
            | "nummer"
            | "número"
            | "numero"
            | "numéro"
            | "n°"
            | "nº"
            | "n"
    ) {
        last = words.find(|w| !w.is_empty()).unwrap_or_default();
        if matches!(last, "de" | "du" | "do" | "da") {
            last = words.find(|w| !w.is_empty()).unwrap_or_default();
        }
    }
    !NOT_PHONE_BEFORE.contains(&last)
}

/// Whether a phone cue ("call", "tel", "WhatsApp", "Handy" …) comes shortly before.
fn announced(text: &str, start: usize) -> bool {
    let before = window_before(text, start, 32).to_lowercase();
    before
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| PHONE_CUES.contains(&w))
}
