//! Text folding shared by the phrase matcher and the grounding checks.
//!
//! Chat text is folded once per message: lowercase, Latin accents removed
//! (`é` → `e`, `ß` → `ss`), and every run of characters that is not a letter
//! or digit turned into one space, with a space at each end. Phrase lists are
//! folded the same way, so `"don't"`, `"Don’t"` and `"DONT"`-less spellings
//! meet on `" don t "`, and a phrase written with spaces around it only ever
//! matches whole words.

/// Folds `text` into `out` (cleared first): lowercase, accents removed,
/// non-alphanumerics collapsed to single spaces, one leading and one trailing
/// space.
pub(crate) fn fold_into(text: &str, out: &mut String) {
    out.clear();
    out.reserve(text.len() + 2);
    out.push(' ');
    let mut last_space = true;
    for c in text.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
                last_space = false;
            } else if !last_space {
                out.push(' ');
                last_space = true;
            }
            continue;
        }
        match fold_char(c) {
            Folded::One(f) => {
                out.push(f);
                last_space = false;
            }
            Folded::Two(a, b) => {
                out.push(a);
                out.push(b);
                last_space = false;
            }
            Folded::Keep => {
                for lower in c.to_lowercase() {
                    out.push(lower);
                }
                last_space = false;
            }
            Folded::Space => {
                if !last_space {
                    out.push(' ');
                    last_space = true;
                }
            }
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

enum Folded {
    One(char),
    Two(char, char),
    Keep,
    Space,
}

/// The accent-free lowercase form of one non-ASCII character.
fn fold_char(c: char) -> Folded {
    let one = match c {
        'á' | 'à' | 'â' | 'ã' | 'ä' | 'å' | 'Á' | 'À' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'a',
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' | 'Í' | 'Ì' | 'Î' | 'Ï' => 'i',
        'ó' | 'ò' | 'ô' | 'õ' | 'ö' | 'Ó' | 'Ò' | 'Ô' | 'Õ' | 'Ö' => 'o',
        'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Ù' | 'Û' | 'Ü' => 'u',
        'ç' | 'Ç' => 'c',
        'ñ' | 'Ñ' => 'n',
        'ý' | 'ÿ' | 'Ý' => 'y',
        'ß' => return Folded::Two('s', 's'),
        'œ' | 'Œ' => return Folded::Two('o', 'e'),
        'æ' | 'Æ' => return Folded::Two('a', 'e'),
        // Typographic apostrophes and quotes, dashes, inverted marks and
        // no-break spaces separate words like their ASCII forms.
        '\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}' | '\u{00AB}' | '\u{00BB}'
        | '\u{2013}' | '\u{2014}' | '\u{00BF}' | '\u{00A1}' | '\u{00A0}' | '\u{2026}' => {
            return Folded::Space;
        }
        c if c.is_whitespace() || !c.is_alphanumeric() => return Folded::Space,
        _ => return Folded::Keep,
    };
    Folded::One(one)
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
