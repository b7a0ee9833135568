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

use rlibphonenumber::enums::Region;

use super::cues::{NOT_PHONE_BEFORE, PHONE_CUES};
use super::reading::{PhoneReading, PhoneStatus, RegionHint};
use super::region_hints;
use super::{ContactKind, ExtractOptions, Found, char_at, char_before, overlaps, window_before};
use crate::phone::{self, shape};

/// A run needs this many digits to be considered at all.
const MIN_DIGITS: usize = 7;
/// Runs with more digits are data, not a phone number (E.164's fifteen
/// digits after a `00` international prefix).
const MAX_DIGITS: usize = 17;
/// Most digit groups in one number ("+55 11 9 6123 4567" has five).
const MAX_GROUPS: usize = 6;
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
        caller: options
            .phone
            .default_region
            .as_deref()
            .and_then(|code| phone::parse_region(code).ok()),
        language_regions: None,
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
        if whole.as_ref().is_some_and(good) {
            found.extend(whole);
            continue;
        }
        // "201-555-0123 / 201-555-0124": two numbers joined by a slash;
        // "020 7946 0958 020 7946 0959": two numbers side by side.
        let mut parts: Vec<Found> = split_at_slashes(text, &run)
            .iter()
            .filter_map(|part| scanner.consider(part))
            .collect();
        if !parts.iter().any(good) && splittable(text, &run) {
            parts = scanner.side_by_side(&run);
        }
        if parts.iter().any(good) {
            found.extend(parts);
        } else {
            found.extend(whole);
        }
    }
}

/// Whether `found` is a number, valid as written or in a hinted region.
fn good(found: &Found) -> bool {
    found.valid
        || found
            .phone
            .as_ref()
            .is_some_and(|p| p.status == PhoneStatus::ValidForHintedRegion)
}

/// What one scan needs for every run.
struct Scanner<'a> {
    text: &'a str,
    options: &'a ExtractOptions,
    taken: &'a [Range<usize>],
    /// IBAN spans, found only once a run survives the cheap rules.
    ibans: Option<Vec<Range<usize>>>,
    /// The caller's region, when it is a known one.
    caller: Option<Region>,
    /// The regions of the message's language, worked out on first need.
    language_regions: Option<Vec<&'static str>>,
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
        let error = match phone::check(candidate, &self.options.phone) {
            Ok((shape, valid)) => {
                let hint = if shape.international {
                    RegionHint::CountryCode
                } else {
                    RegionHint::Caller
                };
                let value = match &shape.extension {
                    Some(ext) => format!("{};ext={ext}", valid.e164),
                    None => valid.e164.clone(),
                };
                return Some(Found {
                    kind: ContactKind::Phone,
                    span,
                    value,
                    valid: true,
                    error: None,
                    phone: Some(PhoneReading {
                        status: PhoneStatus::Valid,
                        region: valid.region(),
                        hint: Some(hint),
                        e164: Some(valid.e164),
                    }),
                });
            }
            Err(error) => error,
        };
        let announced = run.plus || announced(text, run.start);
        let reading = match shape::check(candidate) {
            Ok(shape) if !shape.international && typed_like_national(text, run, announced) => {
                self.hinted(run, &span, &shape, announced)
            }
            _ => None,
        };
        let reading = match reading {
            Some(reading) => reading,
            None if announced => PhoneReading {
                status: PhoneStatus::Invalid,
                region: None,
                hint: None,
                e164: None,
            },
            None => return None,
        };
        let accepted = self.options.accept_hinted_regions
            && reading.status == PhoneStatus::ValidForHintedRegion;
        let value = match (&reading.e164, accepted) {
            (Some(e164), true) => {
                let extension = shape::check(candidate).ok().and_then(|s| s.extension);
                match extension {
                    Some(ext) => format!("{e164};ext={ext}"),
                    None => e164.clone(),
                }
            }
            _ => candidate.to_owned(),
        };
        Some(Found {
            kind: ContactKind::Phone,
            span,
            value,
            valid: accepted,
            error: (!accepted).then_some(error),
            phone: Some(reading),
        })
    }

    /// The reading of a number without country code in a region the
    /// message hints at: valid there, or (when announced) of a possible
    /// length there.
    fn hinted(
        &mut self,
        run: &Run,
        span: &Range<usize>,
        shape: &shape::Shape,
        announced: bool,
    ) -> Option<PhoneReading> {
        let hints = self.hints(run, span);
        for &(code, hint) in &hints {
            let Ok(region) = phone::parse_region(code) else {
                continue;
            };
            if Some(region) == self.caller {
                continue;
            }
            if let Ok(valid) = phone::read(shape, Some(region)) {
                return Some(PhoneReading {
                    status: PhoneStatus::ValidForHintedRegion,
                    region: Some(valid.region().unwrap_or_else(|| code.to_owned())),
                    hint: Some(hint),
                    e164: Some(valid.e164),
                });
            }
        }
        if !announced {
            return None;
        }
        let caller = self.caller.map(|r| (r, RegionHint::Caller));
        let hinted = hints
            .iter()
            .filter_map(|&(code, hint)| Some((phone::parse_region(code).ok()?, hint)));
        caller
            .into_iter()
            .chain(hinted)
            .find(|&(region, _)| phone::possible(shape, Some(region)))
            .map(|(region, hint)| PhoneReading {
                status: PhoneStatus::PossibleUnverified,
                region: Some(region.as_region_str().as_str().to_owned()),
                hint: Some(hint),
                e164: None,
            })
    }

    /// Regions to try for `run`, in order: countries named near it, the
    /// message's language, the number's shape.
    fn hints(&mut self, run: &Run, span: &Range<usize>) -> Vec<(&'static str, RegionHint)> {
        let text = self.text;
        let options = self.options;
        // The caller's region outweighs the language: with one, only a
        // country named near the number or its shape can overrule it.
        let caller = self.caller.is_some();
        let language =
            self.language_regions
                .get_or_insert_with(|| match options.language.as_deref() {
                    _ if caller => Vec::new(),
                    Some(language) => region_hints::language_regions(language),
                    None => region_hints::guess_language(text)
                        .map(region_hints::language_regions)
                        .unwrap_or_default(),
                });
        let lens: Vec<usize> = run.groups.iter().map(ExactSizeIterator::len).collect();
        let mut hints: Vec<(&'static str, RegionHint)> = Vec::new();
        let named = region_hints::countries_named(text, span.start, span.end);
        let shaped = region_hints::shape_regions(&phone_digits(text, run), &lens);
        for (code, hint) in named
            .into_iter()
            .map(|c| (c, RegionHint::CountryNamed))
            .chain(language.iter().map(|&c| (c, RegionHint::Language)))
            .chain(shaped.into_iter().map(|c| (c, RegionHint::Shape)))
        {
            if !hints.iter().any(|(c, _)| *c == code) {
                hints.push((code, hint));
            }
        }
        hints
    }

    /// Two or more numbers written one after the other with only spaces
    /// (or other separators) between them: the numbers that together
    /// cover the most digit groups ("030 123456 030 123457" is two Berlin
    /// numbers, although "030 123456 030" alone would also be valid).
    fn side_by_side(&mut self, run: &Run) -> Vec<Found> {
        let n = run.groups.len();
        // Two numbers need at least twice the digits of the shortest one; a
        // longer run is a table of figures, not numbers to be read apart.
        if !(2..=2 * MAX_GROUPS).contains(&n) || run.digits() < 2 * MIN_DIGITS {
            return Vec::new();
        }
        // best[i]: (groups covered, pieces) from group i on, and the piece
        // starting at i in that best cover (its end and what was found).
        let mut best: Vec<(usize, usize)> = vec![(0, 0); n + 1];
        let mut choice: Vec<Option<(usize, Found)>> = (0..=n).map(|_| None).collect();
        for from in (0..n).rev() {
            best[from] = best[from + 1];
            for to in from + 1..=n.min(from + MAX_GROUPS) {
                let Some(found) = self.consider(&sub_run(run, from, to)) else {
                    continue;
                };
                if !good(&found) {
                    continue;
                }
                let (covered, pieces) = best[to];
                let candidate = (covered + to - from, pieces + 1);
                // More groups covered first, then fewer pieces.
                if candidate.0 > best[from].0
                    || (candidate.0 == best[from].0 && candidate.1 < best[from].1)
                {
                    best[from] = candidate;
                    choice[from] = Some((to, found));
                }
            }
        }
        let mut parts = Vec::new();
        let mut i = 0;
        while i < n {
            match choice[i].take() {
                Some((to, found)) if best[i] != best[i + 1] => {
                    parts.push(found);
                    i = to;
                }
                _ => i += 1,
            }
        }
        parts
    }
}

/// Whether the digit groups look like a national number as people write
/// one: an area code of four or more digits comes after a trunk prefix
/// (`0151 …`, `1800 …`), and so does a long unbroken run of digits (an
/// account number such as `675984103431` has none). Unless the message
/// announces a number, an unbroken run must start with a trunk prefix
/// (`07700900123`, `1 …` for eleven North American digits): people group
/// the digits of a phone number, a total or a count they leave alone.
fn typed_like_national(text: &str, run: &Run, announced: bool) -> bool {
    let digits = phone_digits(text, run);
    let after_prefix = matches!(digits.first(), Some(b'0' | b'1'));
    match run.groups.as_slice() {
        [only] if announced => only.len() <= 10 || after_prefix,
        [only] => {
            digits.first() == Some(&b'0') || (digits.first() == Some(&b'1') && only.len() == 11)
        }
        [first, ..] => first.len() <= 3 || after_prefix,
        [] => false,
    }
}

/// Whether a run too long for one number may be several side by side: not
/// a card number, and nothing around it says it is something else.
fn splittable(text: &str, run: &Run) -> bool {
    let digits = phone_digits(text, run);
    let lens: Vec<usize> = run.groups.iter().map(ExactSizeIterator::len).collect();
    let card = (lens.len() >= 4 && lens.iter().all(|&l| l == 4))
        || ((13..=19).contains(&digits.len()) && shape::luhn_valid(&digits));
    !card && context_allows(text, run.start, run.end)
}

/// The run's digits, without separators.
fn phone_digits(text: &str, run: &Run) -> Vec<u8> {
    run.groups
        .iter()
        .filter_map(|g| text.get(g.clone()))
        .flat_map(str::bytes)
        .collect()
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
    // Version strings: dotted groups with a one-digit part after the first
    // (a version does not start with a zero and more digits: "0900.1.234567"
    // is a number with its trunk prefix).
    let trunk_first =
        run.groups.first().is_some_and(|g| g.len() > 1) && all_digits.first() == Some(&b'0');
    if lens.len() >= 3
        && seps.iter().all(|s| s == ".")
        && lens.iter().skip(1).any(|&l| l == 1)
        && !trunk_first
    {
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
        // Longer national numbers exist only after a trunk prefix
        // (German "0800 1234567890").
        if digits > 13 && !(trunk_first && digits <= 15) {
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

/// `192.168.100.200`: four dotted parts up to 255, none with a leading
/// zero (`021.234.56.78` is a Swiss number).
fn is_ip(text: &str, run: &Run, seps: &[String]) -> bool {
    run.groups.len() == 4
        && seps.iter().all(|s| s == ".")
        && run.groups.iter().all(|g| {
            let part = text.get(g.clone()).unwrap_or_default();
            g.len() <= 3
                && group_value(text, g) <= 255
                && !(part.len() > 1 && part.starts_with('0'))
        })
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
