//! Decoding spelled-out email addresses: `john dot smith at gmail dot com`,
//! `ann[at]example[dot]org`, `maria arroba gmail punto com`.
//!
//! The text is cut into tokens by one linear regex pass; a small state walk
//! then joins `word (dot word)* at word (dot word)+`. To keep ordinary
//! sentences ("look at google dot com", "we are at acme.com") from becoming
//! addresses, a spelled `at` needs a spelled or bracketed `dot` somewhere in
//! the address, and a one-word local part may not be a common word.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

/// Cheap tests before tokenising: nothing to decode without an "at" form …
static HINT_AT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s(?:at|arroba)\s|[\[({<]\s*(?:at|@|arroba)\s*[\])}>]")
        .expect("static regex is valid")
});

/// … and a spelled dot or a bracketed "at".
static HINT_DOT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)dot|punto|punkt|point|ponto|[\[({<]\s*(?:at|@|arroba)\s*[\])}>]")
        .expect("static regex is valid")
});

static TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?is)[\[({<]\s*(?:at|@|arroba|dot|\.|punto|punkt|point|ponto)\s*[\])}>]|[\p{L}\p{N}_+\-]+|\s+|.",
    )
    .expect("static regex is valid")
});

const AT_WORDS: &[&str] = &["at", "arroba"];
const DOT_WORDS: &[&str] = &["dot", "punto", "punkt", "point", "ponto"];

/// One-word local parts that are ordinary words before a spelled "at".
const NOT_LOCAL: &[&str] = &[
    "me",
    "us",
    "you",
    "him",
    "her",
    "them",
    "it",
    "look",
    "looking",
    "site",
    "website",
    "page",
    "store",
    "shop",
    "office",
    "home",
    "work",
    "here",
    "there",
    "online",
    "available",
    "out",
    "find",
    "visit",
    "check",
    "meet",
    "stay",
    "arrive",
    "located",
    "based",
    "email",
    "mail",
    "write",
    "reach",
    "contact",
    "is",
    "are",
    "am",
    "be",
    "we",
    "i",
    "or",
    "and",
    "live",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Word,
    /// `at`, `arroba` (spelled) or `[at]`, `(@)` … (bracketed).
    At {
        bracketed: bool,
    },
    /// `dot`, `punto` … (spelled), `[dot]`, `(.)` … (bracketed), or a plain `.`.
    Dot {
        obfuscated: bool,
    },
    /// White space or any other character: ends a run.
    Break,
}

#[derive(Debug, Clone)]
struct Item {
    kind: Kind,
    range: Range<usize>,
}

/// Spelled-out addresses in `text`: the span of each (byte offsets) and the
/// decoded address (not yet validated).
pub(crate) fn find(text: &str) -> Vec<(Range<usize>, String)> {
    if !HINT_DOT.is_match(text) || !HINT_AT.is_match(text) {
        return Vec::new();
    }
    let items = tokenize(text);
    let mut out = Vec::new();
    for (k, item) in items.iter().enumerate() {
        let Kind::At { bracketed } = item.kind else {
            continue;
        };
        let Some((local_start, local_obf)) = walk_back(&items, k) else {
            continue;
        };
        let Some((domain_end, domain_obf, dots)) = walk_forward(&items, k) else {
            continue;
        };
        if dots == 0 {
            continue;
        }
        if matches!(
            items.get(domain_end + 1).map(|i| i.kind),
            Some(Kind::At { .. })
        ) {
            // "me at john dot smith at gmail dot com": this "at" belongs to
            // the sentence, the next one to the address.
            continue;
        }
        if !(bracketed || local_obf || domain_obf) {
            continue;
        }
        let local_words: Vec<&str> = items[local_start..k]
            .iter()
            .filter(|i| i.kind == Kind::Word)
            .filter_map(|i| text.get(i.range.clone()))
            .collect();
        if !bracketed
            && local_words.len() == 1
            && local_words
                .first()
                .is_some_and(|w| NOT_LOCAL.contains(&w.to_lowercase().as_str()))
        {
            continue;
        }
        let domain_words: Vec<&str> = items[k + 1..=domain_end]
            .iter()
            .filter(|i| i.kind == Kind::Word)
            .filter_map(|i| text.get(i.range.clone()))
            .collect();
        let decoded = format!("{}@{}", local_words.join("."), domain_words.join("."));
        let span = items[local_start].range.start..items[domain_end].range.end;
        out.push((span, decoded));
    }
    out
}

/// Classifies tokens and drops the white space around spelled or bracketed
/// separators, turning other white space into breaks.
fn tokenize(text: &str) -> Vec<Item> {
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum Raw {
        Word,
        SpelledAt,
        SpelledDot,
        BracketAt,
        BracketDot,
        Period,
        Space,
        Other,
    }
    let raw: Vec<(Raw, Range<usize>)> = TOKEN
        .find_iter(text)
        .map(|m| {
            let s = m.as_str();
            let kind = if s.starts_with(['[', '(', '{', '<']) && s.len() > 1 {
                let inner = s
                    .trim_matches(|c: char| "[](){}<>".contains(c) || c.is_whitespace())
                    .to_lowercase();
                if inner == "@" || AT_WORDS.contains(&inner.as_str()) {
                    Raw::BracketAt
                } else {
                    Raw::BracketDot
                }
            } else if s == "." {
                Raw::Period
            } else if s.chars().all(char::is_whitespace) {
                Raw::Space
            } else if s.chars().all(|c| c.is_alphanumeric() || "_+-".contains(c)) {
                let lower = s.to_lowercase();
                if AT_WORDS.contains(&lower.as_str()) {
                    Raw::SpelledAt
                } else if DOT_WORDS.contains(&lower.as_str()) {
                    Raw::SpelledDot
                } else {
                    Raw::Word
                }
            } else {
                Raw::Other
            };
            (kind, m.range())
        })
        .collect();

    let kind_at = |i: usize| raw.get(i).map(|r| r.0);
    let mut items = Vec::with_capacity(raw.len());
    for (i, (kind, range)) in raw.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(kind_at);
        let next = kind_at(i + 1);
        let item = match kind {
            Raw::Word => Kind::Word,
            Raw::SpelledAt | Raw::SpelledDot => {
                // Spelled separators need white space on both sides.
                if prev == Some(Raw::Space) && next == Some(Raw::Space) {
                    if *kind == Raw::SpelledAt {
                        Kind::At { bracketed: false }
                    } else {
                        Kind::Dot { obfuscated: true }
                    }
                } else {
                    Kind::Word
                }
            }
            Raw::BracketAt => Kind::At { bracketed: true },
            Raw::BracketDot => Kind::Dot { obfuscated: true },
            Raw::Period => {
                if prev == Some(Raw::Word) && next == Some(Raw::Word) {
                    Kind::Dot { obfuscated: false }
                } else {
                    Kind::Break
                }
            }
            Raw::Space => {
                let around_sep = |k: Option<Raw>| {
                    matches!(
                        k,
                        Some(Raw::SpelledAt | Raw::SpelledDot | Raw::BracketAt | Raw::BracketDot)
                    )
                };
                if around_sep(prev) || around_sep(next) {
                    continue;
                }
                Kind::Break
            }
            Raw::Other => Kind::Break,
        };
        items.push(Item {
            kind: item,
            range: range.clone(),
        });
    }
    // A spelled word that turned out not to be a separator leaves its
    // neighbouring spaces dropped; that is harmless because such a word is a
    // `Word` next to another `Word` only through a dropped space, which the
    // walks below treat as the end of a run (two words in a row never join).
    items
}

/// Start index of `word (dot word)*` ending just before `k`, and whether a
/// dot in it was obfuscated.
fn walk_back(items: &[Item], k: usize) -> Option<(usize, bool)> {
    let mut start = k.checked_sub(1)?;
    if items.get(start)?.kind != Kind::Word {
        return None;
    }
    let mut obf = false;
    while start >= 2 {
        match (items[start - 1].kind, items[start - 2].kind) {
            (Kind::Dot { obfuscated }, Kind::Word) => {
                obf |= obfuscated;
                start -= 2;
            }
            _ => break,
        }
    }
    if start >= 1 && items[start - 1].kind == Kind::Word {
        // Two words in a row: not an address run.
        return None;
    }
    Some((start, obf))
}

/// End index of `word (dot word)*` starting just after `k`, whether a dot was
/// obfuscated, and how many dots there were.
fn walk_forward(items: &[Item], k: usize) -> Option<(usize, bool, usize)> {
    let mut end = k + 1;
    if items.get(end)?.kind != Kind::Word {
        return None;
    }
    let mut obf = false;
    let mut dots = 0;
    while let (Some(sep), Some(word)) = (items.get(end + 1), items.get(end + 2)) {
        match (sep.kind, word.kind) {
            (Kind::Dot { obfuscated }, Kind::Word) => {
                obf |= obfuscated;
                dots += 1;
                end += 2;
            }
            _ => break,
        }
    }
    if items.get(end + 1).is_some_and(|i| i.kind == Kind::Word) {
        return None;
    }
    Some((end, obf, dots))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(text: &str) -> Vec<String> {
        find(text).into_iter().map(|(_, s)| s).collect()
    }

    #[test]
    fn spelled_and_bracketed_forms() {
        assert_eq!(
            decoded("reach me at john dot smith at gmail dot com"),
            ["john.smith@gmail.com"]
        );
        assert_eq!(decoded("ann[at]example[dot]org"), ["ann@example.org"]);
        assert_eq!(decoded("ann (at) example.org"), ["ann@example.org"]);
        assert_eq!(decoded("maria arroba gmail punto com"), ["maria@gmail.com"]);
    }

    #[test]
    fn ordinary_sentences_are_left_alone() {
        assert!(decoded("look at google dot com").is_empty());
        assert!(decoded("we are at acme.com").is_empty());
        assert!(decoded("meet me at the station").is_empty());
    }
}
