//! Self-stated names: "my name is …", "I'm …", "this is … from Acme", and the
//! same phrases in Spanish, German, French and Portuguese.

use super::cues::{
    ARTICLES, COMPANY_WORDS, HONORIFICS, NAME_CUES, NAME_ENDERS, NOT_NAMES, PARTICLES, Strength,
};
use super::{ContactKind, ExtractOptions, Found, char_before, overlaps};
use crate::name::validate_name;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

/// Given names in English, Spanish, German, French and Portuguese,
/// lowercase and sorted, one a line: the first names of the Faker person
/// providers en_US, en_GB, es_ES, es_MX, de_DE, fr_FR, pt_BR and pt_PT
/// (joke2k/faker 40.63.0, MIT licence), single words only.
const GIVEN_NAMES: &str = include_str!("given_names.txt");

static GIVEN_NAME_LIST: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| GIVEN_NAMES.lines().filter(|l| !l.is_empty()).collect());

/// Whether `lower` (lowercase) is a known given name.
fn is_given_name(lower: &str) -> bool {
    GIVEN_NAME_LIST.binary_search(&lower).is_ok()
}

/// At most this many words make a name.
const MAX_WORDS: usize = 4;

pub(super) fn scan(
    text: &str,
    options: &ExtractOptions,
    taken: &[Range<usize>],
    found: &mut Vec<Found>,
) {
    for (_, cue_end, strength) in cues(text) {
        let Some(span) = name_after(text, cue_end, strength) else {
            continue;
        };
        // Names come in order, so only the last one can overlap this one.
        let after_last_name = found
            .last()
            .filter(|f| f.kind == ContactKind::Name)
            .is_none_or(|f| f.span.end <= span.start);
        if overlaps(&span, taken) || !after_last_name {
            continue;
        }
        let Some(candidate) = text.get(span.clone()) else {
            continue;
        };
        match validate_name(candidate, &options.name) {
            Ok(name) => found.push(Found {
                kind: ContactKind::Name,
                span,
                value: name.as_str().to_owned(),
                valid: true,
                error: None,
                phone: None,
            }),
            Err(error) if strength == Strength::Strong => {
                found.push(Found {
                    kind: ContactKind::Name,
                    span,
                    value: candidate.to_owned(),
                    valid: false,
                    error: Some(error),
                    phone: None,
                });
            }
            Err(_) => {}
        }
    }
}

/// Every cue phrase, case-insensitive, with flexible white space and either
/// apostrophe. (A hand-written scan over word starts was tried and measured
/// about half as fast as this regex's lazy DFA.)
static CUE: LazyLock<Regex> = LazyLock::new(|| {
    let alternatives: Vec<String> = NAME_CUES
        .iter()
        .map(|(cue, _)| {
            regex::escape(cue)
                .replace(' ', r"\s+")
                .replace('\'', "['’]")
        })
        .collect();
    Regex::new(&format!("(?i)(?:{})", alternatives.join("|"))).expect("cue regex is valid")
});

/// Cue phrases in `text`, left to right and not overlapping, as
/// `(start, end, strength)`: each at a word start and followed by white
/// space (except a label such as `name:`).
fn cues(text: &str) -> impl Iterator<Item = (usize, usize, Strength)> + '_ {
    CUE.find_iter(text).filter_map(|m| {
        if char_before(text, m.start())
            .is_some_and(|c| c.is_alphanumeric() || c == '\'' || c == '’')
        {
            return None;
        }
        let strength = strength_of(m.as_str())?;
        let rest = text.get(m.end()..)?;
        if !m.as_str().ends_with(':') && !rest.starts_with(char::is_whitespace) {
            return None;
        }
        Some((m.start(), m.end(), strength))
    })
}

fn strength_of(cue: &str) -> Option<Strength> {
    let normalized = cue
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('’', "'")
        .to_lowercase();
    NAME_CUES
        .iter()
        .find(|(c, _)| *c == normalized)
        .map(|(_, s)| *s)
}

/// A word as typed: letters, marks, apostrophes and hyphens, or an initial
/// ("J.").
struct Word {
    range: Range<usize>,
    text: String,
    lower: String,
}

fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || c == '\'' || c == '’' || c == '-' || is_combining(c)
}

fn is_combining(c: char) -> bool {
    // Combining marks (enough for names typed in decomposed form).
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}')
}

/// The word starting at `i` (after spaces and tabs), if any.
fn word_at(text: &str, i: usize) -> Option<Word> {
    let rest = text.get(i..)?;
    let skipped = rest.len() - rest.trim_start_matches([' ', '\t', '\u{a0}']).len();
    let start = i + skipped;
    let tail = text.get(start..)?;
    let len: usize = tail
        .chars()
        .take_while(|&c| is_word_char(c))
        .map(char::len_utf8)
        .sum();
    if len == 0 {
        return None;
    }
    let mut end = start + len;
    let word = text.get(start..end)?;
    // An initial keeps its dot: "J. R. Tolkien".
    if word.chars().count() == 1 && text.get(end..).is_some_and(|t| t.starts_with('.')) {
        end += 1;
    }
    let word_text = text.get(start..end)?.to_owned();
    Some(Word {
        range: start..end,
        lower: word_text.to_lowercase(),
        text: word_text,
    })
}

fn capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// The span of the name after a cue ending at byte `i`, if any.
fn name_after(text: &str, i: usize, strength: Strength) -> Option<Range<usize>> {
    let mut pos = i;
    let mut first = word_at(text, pos)?;
    // "Name: Dr. Ana Lima", "sou o Pedro".
    let mut titled = false;
    loop {
        let bare = first.lower.trim_end_matches('.');
        let after = text.get(first.range.end..).unwrap_or_default();
        // "M." (monsieur) only with its dot: a lone "M" may be an initial.
        let is_honorific = (HONORIFICS.contains(&bare)
            && (after.starts_with('.') || after.starts_with(' ')))
            || (first.lower == "m." && after.starts_with(' '));
        let is_article = ARTICLES.contains(&first.lower.as_str()) && !capitalised(&first.text);
        if !(is_honorific || is_article) {
            break;
        }
        titled |= is_honorific;
        pos = first.range.end + usize::from(after.starts_with('.'));
        first = word_at(text, pos)?;
    }
    if NOT_NAMES.contains(&first.lower.as_str()) || NAME_ENDERS.contains(&first.lower.as_str()) {
        return None;
    }
    if strength != Strength::Strong && !capitalised(&first.text) {
        return None;
    }
    // A title says a person follows ("This is Dr. Patel").
    if strength == Strength::Introduction && !titled && !is_given_name(&first.lower) {
        return None;
    }
    let mut words = vec![first];
    while words.len() < MAX_WORDS {
        let last_end = words.last().map_or(pos, |w| w.range.end);
        // Words continue only across spaces on the same line.
        let gap = text.get(last_end..).unwrap_or_default();
        if !gap.starts_with([' ', '\t', '\u{a0}']) {
            break;
        }
        let Some(next) = word_at(text, last_end) else {
            break;
        };
        if COMPANY_WORDS.contains(&next.lower.trim_end_matches('.')) {
            // "This is Acme Support", "I'm Nova Ltd".
            return None;
        }
        if NAME_ENDERS.contains(&next.lower.as_str()) && !PARTICLES.contains(&next.lower.as_str()) {
            break;
        }
        let accept = if capitalised(&next.text) {
            !NOT_NAMES.contains(&next.lower.as_str())
        } else {
            match strength {
                Strength::Weak | Strength::Introduction => false,
                Strength::Strong => {
                    !NOT_NAMES.contains(&next.lower.as_str())
                        || PARTICLES.contains(&next.lower.as_str())
                }
            }
        };
        if !accept {
            break;
        }
        words.push(next);
    }
    // A name never ends on a particle ("me llamo Juan de").
    while words.len() > 1
        && words
            .last()
            .is_some_and(|w| PARTICLES.contains(&w.lower.as_str()))
    {
        words.pop();
    }
    if words
        .iter()
        .any(|w| COMPANY_WORDS.contains(&w.lower.trim_end_matches('.')))
    {
        return None;
    }
    // The name must end at a word boundary: not glued to "@", digits or a
    // domain ("I'm john@example.com", "this is acme.com").
    let end = words.last()?.range.end;
    match text.get(end..).and_then(|t| t.chars().next()) {
        Some(c) if c.is_alphanumeric() || c == '@' || c == '_' => return None,
        Some('.')
            if text
                .get(end + 1..)
                .and_then(|t| t.chars().next())
                .is_some_and(char::is_alphanumeric) =>
        {
            return None;
        }
        _ => {}
    }
    let start = words.first()?.range.start;
    Some(start..end)
}
