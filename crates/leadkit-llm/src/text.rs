//! Text folding shared by the phrase matcher and the grounding checks.
//!
//! Chat text is folded once per message: lowercase, accents removed
//! (`é` → `e`, `ß` → `ss`, by `leadkit_core::fold`), and every run of characters that is not a letter
//! or digit turned into one space, with a space at each end. Phrase lists are
//! folded the same way, so `"don't"`, `"Don’t"` and `"DONT"`-less spellings
//! meet on `" don t "`, and a phrase written with spaces around it only ever
//! matches whole words.

/// Folds `text` into `out` (cleared first): [`leadkit_core::fold`] (the
/// workspace's one case and accent fold), then every run of characters that
/// is not a letter or digit turned into one space, with one space at each
/// end.
pub(crate) fn fold_into(text: &str, out: &mut String) {
    out.clear();
    // ASCII needs no accent folding: skip the allocation on most messages.
    let folded;
    let text = if text.is_ascii() {
        text
    } else {
        folded = leadkit_core::fold(text);
        folded.as_str()
    };
    out.reserve(text.len() + 2);
    out.push(' ');
    let mut last_space = true;
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.push(c.to_ascii_lowercase());
            last_space = false;
        } else if !last_space {
            out.push(' ');
            last_space = true;
        }
    }
    if !last_space {
        out.push(' ');
    }
}

/// Words that qualify a phrase without changing what it says for lead
/// capture ("you can *also* call me", "Sie können mich *gern* anrufen").
/// The cue matcher drops them from messages and phrases alike.
const FILLERS: &[&str] = &[
    "also", "aussi", "tambien", "tambem", "auch", "gern", "gerne",
];

/// `folded` (the output of [`fold_into`]) without [`FILLERS`], into `out`.
pub(crate) fn drop_fillers_into(folded: &str, out: &mut String) {
    out.clear();
    out.reserve(folded.len());
    out.push(' ');
    for word in folded.split(' ').filter(|w| !w.is_empty()) {
        if FILLERS.contains(&word) {
            continue;
        }
        out.push_str(word);
        out.push(' ');
    }
}

/// At most `max` bytes of `text`, cut back to a char boundary.
pub(crate) fn prefix(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or_default()
}

/// Folds `text` into a new string (see [`fold_into`]).
pub(crate) fn fold(text: &str) -> String {
    let mut out = String::new();
    fold_into(text, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_accents_and_punctuation() {
        assert_eq!(fold("Hola, ¿cuánto CUESTA?"), " hola cuanto cuesta ");
        assert_eq!(fold("Don’t  contact me!!"), " don t contact me ");
        assert_eq!(fold("Größe für Bücher"), " grosse fur bucher ");
        assert_eq!(fold("Ça m'intéresse"), " ca m interesse ");
        assert_eq!(fold("não, obrigado"), " nao obrigado ");
        assert_eq!(fold(""), " ");
        assert_eq!(fold("日本語"), " 日本語 ");
        let mut out = String::new();
        drop_fillers_into(&fold("Vous pouvez aussi m'appeler"), &mut out);
        assert_eq!(out, " vous pouvez m appeler ");
        drop_fillers_into(" ", &mut out);
        assert_eq!(out, " ");
    }
}
