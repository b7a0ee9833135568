//! Regions to read a number written without its country code in, from what
//! the message says around it: a country named near it, the message's
//! language, and the number's own shape.

use super::{window_after, window_before};

/// Bytes looked at on each side of a number for a country's name.
const COUNTRY_WINDOW_BEFORE: usize = 48;
const COUNTRY_WINDOW_AFTER: usize = 24;

/// Country names and adjectives in English, Spanish, German, French and
/// Portuguese (lowercase; common inflections), with the region they name.
#[rustfmt::skip]
const COUNTRY_WORDS: &[(&str, &str)] = &[
    ("uk", "GB"), ("britain", "GB"), ("british", "GB"), ("england", "GB"), ("scotland", "GB"),
    ("wales", "GB"), ("usa", "US"), ("america", "US"), ("american", "US"), ("canada", "CA"),
    ("canadian", "CA"), ("australia", "AU"), ("australian", "AU"), ("ireland", "IE"),
    ("irish", "IE"), ("india", "IN"), ("indian", "IN"), ("germany", "DE"), ("german", "DE"),
    ("deutschland", "DE"), ("deutsche", "DE"), ("deutschen", "DE"), ("deutscher", "DE"),
    ("allemagne", "DE"), ("alemania", "DE"), ("alemanha", "DE"), ("austria", "AT"),
    ("österreich", "AT"), ("österreichische", "AT"), ("austrian", "AT"), ("autriche", "AT"), ("switzerland", "CH"),
    ("schweiz", "CH"), ("schweizer", "CH"), ("suisse", "CH"), ("suiza", "CH"), ("suíça", "CH"),
    ("swiss", "CH"), ("france", "FR"), ("french", "FR"), ("français", "FR"), ("française", "FR"),
    ("francia", "FR"), ("frankreich", "FR"), ("französische", "FR"), ("frança", "FR"),
    ("francês", "FR"), ("francés", "FR"), ("spain", "ES"), ("spanish", "ES"), ("españa", "ES"),
    ("español", "ES"), ("española", "ES"), ("spanien", "ES"), ("spanische", "ES"),
    ("espagne", "ES"), ("espagnol", "ES"), ("espanha", "ES"), ("espanhol", "ES"),
    ("mexico", "MX"), ("méxico", "MX"), ("mexican", "MX"), ("mexicano", "MX"),
    ("mexicana", "MX"), ("mexique", "MX"), ("mexiko", "MX"), ("argentina", "AR"),
    ("colombia", "CO"), ("colombian", "CO"), ("colombiano", "CO"), ("argentine", "AR"),
    ("argentinian", "AR"), ("argentino", "AR"), ("chile", "CL"), ("chilean", "CL"),
    ("chileno", "CL"), ("peru", "PE"), ("perú", "PE"), ("peruvian", "PE"), ("peruano", "PE"), ("brazil", "BR"),
    ("brasil", "BR"), ("brazilian", "BR"), ("brasileiro", "BR"), ("brasileira", "BR"),
    ("brasilien", "BR"), ("brésil", "BR"), ("portugal", "PT"), ("portuguese", "PT"),
    ("português", "PT"), ("portuguesa", "PT"), ("portugais", "PT"), ("italy", "IT"),
    ("italia", "IT"), ("italian", "IT"), ("italien", "IT"), ("italie", "IT"), ("itália", "IT"),
    ("belgium", "BE"), ("belgian", "BE"), ("belge", "BE"), ("belgique", "BE"), ("belgien", "BE"), ("bélgica", "BE"),
    ("netherlands", "NL"), ("dutch", "NL"), ("nederland", "NL"), ("niederlande", "NL"),
    ("holland", "NL"), ("luxembourg", "LU"), ("luxemburg", "LU"), ("russia", "RU"),
    ("russian", "RU"), ("russland", "RU"), ("rusia", "RU"), ("russie", "RU"), ("rússia", "RU"),
];

/// Country abbreviations that are also common words in lowercase ("us"):
/// matched only as typed in capitals.
const COUNTRY_CAPITALS: &[(&str, &str)] =
    &[("US", "US"), ("U.S.", "US"), ("UK", "GB"), ("U.K.", "GB")];

/// The regions where each language is most used, most likely first.
const LANGUAGE_REGIONS: &[(&str, &[&str])] = &[
    ("en", &["US", "GB", "CA", "AU", "IE", "NZ", "ZA", "IN"]),
    ("es", &["ES", "MX", "AR", "CO", "CL", "PE", "US"]),
    ("de", &["DE", "AT", "CH"]),
    ("fr", &["FR", "BE", "CH", "CA", "LU"]),
    ("pt", &["BR", "PT"]),
];

/// A few very common words of each language, for a guess of the message's
/// language when the caller did not give it.
#[rustfmt::skip]
const LANGUAGE_WORDS: &[(&str, &[&str])] = &[
    ("en", &["the", "my", "is", "me", "and", "you", "at", "on", "call", "number", "phone", "please", "i'm", "reach", "or", "to"]),
    ("es", &["mi", "es", "el", "la", "y", "de", "llámame", "llamame", "número", "teléfono", "móvil", "movil", "por", "favor", "al", "con"]),
    ("de", &["mein", "meine", "ist", "die", "der", "und", "ich", "mich", "unter", "nummer", "telefon", "handy", "bitte", "sie", "an"]),
    ("fr", &["mon", "ma", "est", "le", "les", "et", "je", "au", "numéro", "téléphone", "portable", "appelez", "moi", "merci", "sur"]),
    ("pt", &["meu", "minha", "é", "o", "e", "de", "para", "número", "telefone", "celular", "ligue", "me", "obrigado", "whats", "no"]),
];

/// The most likely language of `text` by its common words, if any word
/// counts at all.
pub(super) fn guess_language(text: &str) -> Option<&'static str> {
    let mut scores = [0usize; LANGUAGE_WORDS.len()];
    for word in text
        .split(|c: char| !(c.is_alphabetic() || c == '\''))
        .filter(|w| !w.is_empty() && w.len() <= 12)
    {
        let lower = word.to_lowercase();
        for (score, (_, words)) in scores.iter_mut().zip(LANGUAGE_WORDS) {
            if words.contains(&lower.as_str()) {
                *score += 1;
            }
        }
    }
    let (best, &score) = scores
        .iter()
        .enumerate()
        .max_by_key(|&(i, s)| (*s, usize::MAX - i))?;
    (score > 0).then(|| LANGUAGE_WORDS.get(best).map(|(lang, _)| *lang))?
}

/// The regions of `language` (`"en"`, `"pt-BR"` …; the part before `-`),
/// and the language's own region first when one is given (`pt-PT`).
pub(super) fn language_regions(language: &str) -> Vec<&'static str> {
    let mut parts = language.split(['-', '_']);
    let lang = parts.next().unwrap_or_default().to_ascii_lowercase();
    let country = parts.next().map(str::to_ascii_uppercase);
    let Some((_, regions)) = LANGUAGE_REGIONS.iter().find(|(l, _)| *l == lang) else {
        return Vec::new();
    };
    let mut out: Vec<&'static str> = Vec::with_capacity(regions.len());
    if let Some(country) = country
        && let Some(own) = regions.iter().find(|r| **r == country)
    {
        out.push(own);
    }
    for region in regions.iter() {
        if !out.contains(region) {
            out.push(region);
        }
    }
    out
}

/// Regions named on the same line near the number at `start..end`, nearest
/// first.
pub(super) fn countries_named(text: &str, start: usize, end: usize) -> Vec<&'static str> {
    let line_start = |s: &str| s.rsplit('\n').next().unwrap_or_default().to_owned();
    let before = line_start(window_before(text, start, COUNTRY_WINDOW_BEFORE));
    let after = window_after(text, end, COUNTRY_WINDOW_AFTER)
        .split('\n')
        .next()
        .unwrap_or_default()
        .to_owned();
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !(c.is_alphabetic() || c == '.'))
            .map(|w| w.trim_matches('.').to_owned())
            .filter(|w| !w.is_empty())
            .collect()
    };
    let mut found = Vec::new();
    // Nearest first: the words before in reverse, then the words after.
    let before_words = words(&before);
    let after_words = words(&after);
    for word in before_words.iter().rev().chain(after_words.iter()) {
        let lower = word.to_lowercase();
        let region = COUNTRY_WORDS
            .iter()
            .find(|(w, _)| *w == lower)
            .or_else(|| {
                COUNTRY_CAPITALS
                    .iter()
                    .find(|(w, _)| w.trim_matches('.') == word.as_str())
            })
            .map(|(_, r)| *r);
        if let Some(region) = region
            && !found.contains(&region)
        {
            found.push(region);
        }
    }
    found
}

/// Regions the digits' own shape points to: a leading `1` and eleven
/// digits, or ten digits grouped `NXX NXX XXXX`, are North American; an
/// `8` trunk prefix and eleven digits are Russian or Kazakh.
pub(super) fn shape_regions(digits: &[u8], group_lens: &[usize]) -> Vec<&'static str> {
    match (digits.first(), digits.len()) {
        (Some(b'1'), 11) => vec!["US"],
        (Some(b'2'..=b'9'), 10) if matches!(group_lens, [3, 3, 4] | [10]) => vec!["US"],
        (Some(b'8'), 11) => vec!["RU", "KZ"],
        _ => Vec::new(),
    }
}
