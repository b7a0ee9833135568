//! Typo hints for the domains of common email providers (`gmial.com` →
//! `gmail.com`). A hint is only ever offered as a suggestion.

/// Domains people mistype most, by share of consumer mail in the five
/// languages leadkit targets.
const PROVIDERS: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "yahoo.com",
    "hotmail.com",
    "outlook.com",
    "live.com",
    "icloud.com",
    "aol.com",
    "msn.com",
    "protonmail.com",
    "proton.me",
    "comcast.net",
    "verizon.net",
    "hotmail.co.uk",
    "yahoo.co.uk",
    "btinternet.com",
    "gmx.de",
    "gmx.net",
    "web.de",
    "t-online.de",
    "hotmail.fr",
    "yahoo.fr",
    "orange.fr",
    "wanadoo.fr",
    "laposte.net",
    "free.fr",
    "hotmail.es",
    "yahoo.es",
    "uol.com.br",
    "bol.com.br",
    "terra.com.br",
];

/// Real mail domains that sit one or two edits from a provider above and
/// must not be "corrected".
const REAL: &[&str] = &[
    "mail.com",
    "email.com",
    "ymail.com",
    "gmx.com",
    "gmx.at",
    "gmx.ch",
    "mac.com",
    "me.com",
    "aim.com",
    "live.de",
    "live.fr",
    "live.co.uk",
    "hotmail.it",
    "yahoo.it",
    "yahoo.de",
    "web.com",
    "free.com",
    "mail.de",
    "mail.ru",
    "ig.com.br",
    "sapo.pt",
];

/// Misspellings of `com` that are not themselves a top-level domain
/// people use for mail.
const COM_TYPOS: &[&str] = &[
    "con", "cmo", "ocm", "cim", "vom", "xom", "comm", "coom", "cpm", "cm", "om",
];

/// Returns the provider domain `ascii_domain` was probably meant to be, if any.
pub(crate) fn suggest_domain(ascii_domain: &str) -> Option<&'static str> {
    if ascii_domain.len() < 5 || PROVIDERS.contains(&ascii_domain) || REAL.contains(&ascii_domain) {
        return None;
    }
    let (sld, tld) = ascii_domain.split_once('.')?;
    let mut best: Option<(usize, &'static str)> = None;
    for &provider in PROVIDERS {
        let Some((p_sld, p_tld)) = provider.split_once('.') else {
            continue;
        };
        let distance = if sld == p_sld {
            // Same provider name, different ending: only a known `com` typo
            // counts (`gmx.at` is a real provider, not a typo of `gmx.de`).
            if p_tld == "com" && COM_TYPOS.contains(&tld) {
                1
            } else {
                continue;
            }
        } else if tld == p_tld || (p_tld == "com" && COM_TYPOS.contains(&tld)) {
            osa_distance(sld, p_sld)
        } else {
            continue;
        };
        let limit = if p_sld.len() >= 6 { 2 } else { 1 };
        if distance == 0 || distance > limit {
            continue;
        }
        if best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, provider));
        }
    }
    best.map(|(_, provider)| provider)
}

/// Optimal string alignment distance (Levenshtein plus adjacent
/// transpositions), on bytes; inputs are short ASCII labels.
fn osa_distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len().abs_diff(b.len()) > 2 || a.len() > 64 || b.len() > 64 {
        return usize::MAX;
    }
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for i in 0..=a.len() {
        d[i * width] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_typos_are_suggested() {
        assert_eq!(suggest_domain("gmial.com"), Some("gmail.com"));
        assert_eq!(suggest_domain("gmail.con"), Some("gmail.com"));
        assert_eq!(suggest_domain("hotmial.com"), Some("hotmail.com"));
        assert_eq!(suggest_domain("yaho.com"), Some("yahoo.com"));
        assert_eq!(suggest_domain("outlok.com"), Some("outlook.com"));
        assert_eq!(suggest_domain("gmal.com"), Some("gmail.com"));
    }

    #[test]
    fn real_domains_are_left_alone() {
        for domain in [
            "gmail.com",
            "gmx.at",
            "example.com",
            "acme.co.uk",
            "mail.com",
            "live.fr",
        ] {
            assert_eq!(suggest_domain(domain), None, "{domain}");
        }
    }

    #[test]
    fn osa_counts_transpositions_once() {
        assert_eq!(osa_distance("gmial", "gmail"), 1);
        assert_eq!(osa_distance("gmail", "gmail"), 0);
        assert_eq!(osa_distance("gml", "gmail"), 2);
    }
}
