//! Contact details through `leadkit-contact`, and the grounding rule that
//! decides which of them belong to the visitor.
//!
//! # The rule
//!
//! A contact value counts for the visitor when all of these hold:
//!
//! 1. `leadkit_contact::extract` finds it in the visitor's **new message**
//!    (obfuscated forms such as `ana dot souza at gmail dot com` included)
//!    and it passes validation;
//! 2. the message does not try to steer the assistant or redirect details
//!    (no "ignore your instructions", "system prompt", "record … as my
//!    lead", "set my interest to …", "… instead of mine" and the like in any
//!    supported language): such a message gives no contact details at all;
//! 3. the clause the value sits in gives it to the visitor, not to someone
//!    else (see [below](#whose-value)).
//!
//! A value a model reports is accepted only if it equals one of these
//! self-stated values: case-insensitively for emails, digit for digit for
//! phones (against the E.164 form or the digits as typed), and after case
//! and accent folding for names. The value recorded is always the
//! validator's normalised form, never the model's string.
//!
//! # Whose value
//!
//! Ownership is read from the clause a value sits in, not from a fixed
//! number of bytes before it. The message is cut at sentence ends (`.`
//! followed by a space, `!`, `?`, `…`, a line break) and clause breaks (`,`,
//! `;`, brackets, dashes); the words of the value's clause, nearest first,
//! are looked up for a person:
//!
//! - a first-person word (`my`, `me`, `I`, `our`, `mi`, `mein`, `mon`, `meu`,
//!   …) makes the value the visitor's: "My wife and I want a quote, **my**
//!   email is …";
//! - a third person (`his`, `her`, `their`, `ella`, `seine`, `son`, `dele`,
//!   …), or a relation or role after a possessive ("my **colleague**", "mi
//!   **jefe**", "meinen **Kollegen**", "mon **collègue**", "meu **colega**"),
//!   gives it to someone else: "You can reach my colleague at …". A role
//!   without a possessive describes the writer ("I'm a manager at Acme").
//!
//! The nearest such word decides, so "my colleague" is the colleague's and
//! "my boss asked me to write, **my** email is …" is the visitor's. A value
//! alone in its clause belongs to the person the clause before it ends on
//! ("My colleague Bob, bob@…"), but not to one merely mentioned there
//! ("Their support was slow, ana@…"). Failing both, the words after the
//! value in its own clause are read ("… bob@… is his address"). A value no
//! person word speaks for is the visitor's: they typed it.

use leadkit_contact::{ContactKind, Error as ContactError, ExtractOptions, PhoneStatus, extract};
use leadkit_core::{ContactDetails, Field, InvalidAttempt, InvalidReason};

use crate::rules::mentions_third_party;
use crate::text::fold;

/// How far back from a value its sentence is read, in bytes: the clause
/// rules decide, this only bounds the work on a very long message.
const MAX_SENTENCE: usize = 1024;

/// The contact details of one message that belong to the visitor.
#[derive(Clone, Default, PartialEq)]
pub(crate) struct ContactFindings {
    /// The first valid self-stated value of each field.
    pub(crate) details: ContactDetails,
    /// Values meant as details that failed validation.
    pub(crate) invalid: Vec<InvalidAttempt>,
    /// Every valid self-stated value, for grounding a model's claims.
    pub(crate) values: Vec<SelfStated>,
    /// A value was skipped because the message gives it to someone else.
    pub(crate) redirected: bool,
}

impl std::fmt::Debug for ContactFindings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The values are personal data: show only what kinds were found.
        f.debug_struct("ContactFindings")
            .field("details", &self.details)
            .field("invalid", &self.invalid)
            .field("values", &self.values.len())
            .field("redirected", &self.redirected)
            .finish()
    }
}

/// A valid value the visitor gave as their own.
#[derive(Clone, PartialEq)]
pub(crate) struct SelfStated {
    pub(crate) field: Field,
    /// The validator's normalised form.
    pub(crate) value: String,
    /// The digits as typed (phones only; empty otherwise).
    pub(crate) typed_digits: String,
}

/// Finds the visitor's own contact details in `text`. `steering` says
/// whether the message tries to steer the assistant or redirect details
/// (rule 2).
pub(crate) fn find_contacts(
    text: &str,
    options: &ExtractOptions,
    steering: bool,
) -> ContactFindings {
    let mut findings = ContactFindings::default();
    if steering {
        return findings;
    }
    for found in extract(text, options).found {
        let field = match found.kind {
            ContactKind::Email => Field::Email,
            ContactKind::Phone => Field::Phone,
            ContactKind::Name => Field::Name,
            _ => continue,
        };
        if owner(text, found.span.clone()) == Owner::SomeoneElse {
            findings.redirected = true;
            continue;
        }
        if found.valid {
            if !findings.details.has(field) {
                findings.details.set(field, found.value.clone());
            }
            let typed_digits = if field == Field::Phone {
                text.get(found.span.clone()).map(digits).unwrap_or_default()
            } else {
                String::new()
            };
            findings.values.push(SelfStated {
                field,
                value: found.value,
                typed_digits,
            });
        } else {
            // A national number that is valid in another region than the
            // bot's (a country named near it, the message's language, its
            // shape) is most likely right, only read in the wrong country:
            // ask for the country code rather than call it not real.
            let elsewhere = found
                .phone
                .as_ref()
                .is_some_and(|p| p.status == PhoneStatus::ValidForHintedRegion);
            let reason = if elsewhere {
                InvalidReason::NeedsCountryCode
            } else {
                found
                    .error
                    .as_ref()
                    .map_or(InvalidReason::Malformed, reason_for)
            };
            let attempt = InvalidAttempt { field, reason };
            if !findings.invalid.contains(&attempt) {
                findings.invalid.push(attempt);
            }
        }
    }
    findings
}

impl ContactFindings {
    /// The normalised self-stated value matching a model's `claimed` value
    /// for `field`, if any.
    pub(crate) fn ground(&self, field: Field, claimed: &str) -> Option<&str> {
        let claimed = claimed.trim();
        if claimed.is_empty() {
            return None;
        }
        let claimed_digits = if field == Field::Phone {
            digits(claimed)
        } else {
            String::new()
        };
        let claimed_name = if field == Field::Name {
            fold(claimed)
        } else {
            String::new()
        };
        self.values
            .iter()
            .filter(|stated| stated.field == field)
            .find(|stated| match field {
                Field::Email => stated.value.eq_ignore_ascii_case(claimed),
                Field::Phone => {
                    claimed_digits.len() >= 6
                        && (digits(&stated.value) == claimed_digits
                            || stated.typed_digits == claimed_digits)
                }
                Field::Name => fold(&stated.value) == claimed_name,
            })
            .map(|stated| stated.value.as_str())
    }
}

/// Whose a contact value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    /// The visitor's own.
    Visitor,
    /// A colleague's, a boss's, a friend's: someone the visitor names.
    SomeoneElse,
}

/// Words that speak for the writer, in the supported languages (folded:
/// lowercase, no accents). "I'm" folds to `i m`, "m'écrire" to `m ecrire`.
#[rustfmt::skip]
const FIRST_PERSON: &[&str] = &[
    // English
    "i", "me", "my", "mine", "myself", "we", "us", "our", "ours",
    // Spanish
    "yo", "mi", "mis", "mio", "mia", "conmigo", "nosotros", "nosotras", "nuestro", "nuestra",
    "nuestros", "nuestras",
    // German
    "ich", "mich", "mir", "mein", "meine", "meinen", "meinem", "meiner", "meines", "wir", "uns",
    "unser", "unsere", "unseren", "unserem", "unserer",
    // French ("me" and "nos" are shared with the languages around them)
    "je", "j", "moi", "m", "mon", "ma", "mes", "nous", "notre",
    // Portuguese
    "eu", "mim", "meu", "minha", "meus", "minhas", "comigo", "nosso", "nossa", "nossos", "nossas",
];

/// Third-person pronouns and possessives, and "someone". Words that double
/// as something else are left out: French `il` ("s'il vous plaît"), Spanish
/// `el` (the article), German `sein` (to be), and the possessives that are
/// also the polite "your" (Spanish `su`, German `Ihre`, Portuguese `seu` /
/// `sua`), which a visitor uses for the business ("senden Sie Ihre
/// Preisliste an …").
#[rustfmt::skip]
const THIRD_PERSON: &[&str] = &[
    // English
    "he", "him", "his", "she", "her", "hers", "they", "them", "their", "theirs", "someone",
    "somebody",
    // Spanish
    "ella", "ellos", "ellas", "alguien",
    // German
    "er", "ihm", "seine", "seinen", "seinem", "seiner", "seines", "jemand", "jemanden", "jemandem",
    // French
    "lui", "elle", "elles", "son", "sa", "ses", "leur", "leurs", "quelqu",
    // Portuguese
    "ele", "ela", "eles", "elas", "dele", "dela", "deles", "delas", "alguem",
];

/// Relations and roles people pass details on for. They name someone else
/// only after a possessive ("my colleague", "mi jefe", "meinen Kollegen"):
/// "I'm a manager at Acme" describes the writer.
#[rustfmt::skip]
const RELATIONS: &[&str] = &[
    // English
    "boss", "manager", "colleague", "colleagues", "coworker", "coworkers", "friend", "friends",
    "wife", "husband", "partner", "assistant", "secretary", "ceo", "cto", "cfo", "son", "daughter",
    "mother", "father", "mom", "mum", "dad", "brother", "sister",
    "accountant", "lawyer", "attorney", "supervisor", "director",
    // Spanish
    "jefe", "jefa", "companero", "companera", "colega", "amigo", "amiga", "esposo", "esposa",
    "marido", "mujer", "socio", "socia", "asistente", "secretaria", "secretario", "hijo", "hija",
    "madre", "padre", "hermano", "hermana",
    "contable", "contador", "contadora", "abogado", "abogada", "directora",
    // German
    "chef", "chefin", "vorgesetzter", "vorgesetzten", "kollege", "kollegen", "kollegin", "freund",
    "freundin", "frau", "mann", "partnerin", "assistent", "assistentin", "sekretarin", "sohn",
    "tochter", "mutter", "vater", "bruder", "schwester",
    "buchhalter", "buchhalterin", "anwalt", "anwaltin", "direktor", "direktorin",
    "geschaftsfuhrer", "geschaftsfuhrerin",
    // French
    "patron", "patronne", "collegue", "collegues", "ami", "amie", "femme", "mari", "associe",
    "associee", "assistante", "secretaire", "fils", "fille", "mere", "pere", "frere", "soeur",
    "comptable", "avocat", "avocate", "directeur", "directrice",
    // Portuguese
    "chefe", "colegas", "mulher", "filho", "filha", "mae", "pai", "irmao", "irma",
    "advogado", "advogada", "diretor", "diretora",
];

/// Possessives of every person, which turn a following relation into
/// someone other than the writer ("my boss", "su jefe", "votre collègue").
#[rustfmt::skip]
const POSSESSIVES: &[&str] = &[
    // English
    "my", "our", "your", "his", "her", "their",
    // Spanish
    "mi", "mis", "tu", "tus", "su", "sus", "nuestro", "nuestra", "nuestros", "nuestras", "vuestro",
    "vuestra",
    // German
    "mein", "meine", "meinen", "meinem", "meiner", "dein", "deine", "deinen", "deinem", "seine",
    "seinen", "seinem", "seiner", "ihr", "ihre", "ihren", "ihrem", "ihrer", "unser", "unsere",
    "unseren", "unserem", "euer", "eure",
    // French
    "mon", "ma", "mes", "ton", "ta", "tes", "son", "sa", "ses", "notre", "nos", "votre", "vos",
    "leur", "leurs",
    // Portuguese
    "meu", "minha", "meus", "minhas", "teu", "tua", "seu", "sua", "nosso", "nossa", "nossos",
    "nossas",
];

/// What the word at `index` of `words` says about whose a nearby value is.
fn person_word(words: &[&str], index: usize) -> Option<Owner> {
    let word = *words.get(index)?;
    let before = words
        .get(index.saturating_sub(2)..index)
        .unwrap_or_default();
    let after = words
        .get(index + 1..words.len().min(index + 3))
        .unwrap_or_default();
    let is_relation = |w: &&str| RELATIONS.contains(w);
    if FIRST_PERSON.contains(&word) {
        // "a.m." and "p.m." fold to `a m` and `p m`, not to French "m'".
        if word == "m" && before.last().is_some_and(|w| *w == "a" || *w == "p") {
            return None;
        }
        // "my colleague": the possessive belongs to the relation after it
        // ("I'm a manager" has no possessive, and is the writer).
        if POSSESSIVES.contains(&word) && after.iter().any(is_relation) {
            return Some(Owner::SomeoneElse);
        }
        return Some(Owner::Visitor);
    }
    if THIRD_PERSON.contains(&word) {
        return Some(Owner::SomeoneElse);
    }
    if is_relation(&word) && before.iter().any(|w| POSSESSIVES.contains(w)) {
        // "my wife and I", "me and my wife", "ma femme et moi": the writer is
        // one of the people the clause speaks for.
        let joint = |pair: &[&str]| match pair {
            [a, b] => {
                (COORDINATORS.contains(a) && FIRST_PERSON.contains(b))
                    || (FIRST_PERSON.contains(a) && COORDINATORS.contains(b))
            }
            _ => false,
        };
        let near = words
            .get(index.saturating_sub(3)..words.len().min(index + 3))
            .unwrap_or_default();
        if near.windows(2).any(joint) {
            return Some(Owner::Visitor);
        }
        return Some(Owner::SomeoneElse);
    }
    None
}

/// "and" in the supported languages.
const COORDINATORS: &[&str] = &["and", "y", "e", "und", "et"];

/// Whom the words of `clause` point at, read nearest first: backwards from
/// its end when the value follows the clause, forwards from its start when
/// the value precedes it. The nearest person word decides; when it is the
/// writer, the words between it and the value are still checked against the
/// shared third-party phrases (`crate::rules::mentions_third_party`), which
/// catch what one word cannot: "… is **not mine**".
fn person(clause: &str, backwards: bool) -> Option<Owner> {
    let folded = fold(clause);
    let words: Vec<&str> = folded.split(' ').filter(|word| !word.is_empty()).collect();
    let found = |i: usize| Some((i, person_word(&words, i)?));
    let (index, owner) = if backwards {
        (0..words.len()).rev().find_map(found)?
    } else {
        (0..words.len()).find_map(found)?
    };
    if owner == Owner::Visitor {
        let between = if backwards {
            words.get(index..)
        } else {
            words.get(..=index)
        };
        let between = format!(" {} ", between.unwrap_or_default().join(" "));
        if mentions_third_party(&between) {
            return Some(Owner::SomeoneElse);
        }
    }
    Some(owner)
}

/// Whom `clause` names at its end, for a value that follows it alone: the
/// writer if its nearest person word is theirs, someone else only if that
/// word is followed by nothing but names ("My colleague Bob", "for my
/// husband"). "Their support was slow" names no one for a value after it.
fn named_at_end(clause: &str) -> Option<Owner> {
    let raw: Vec<&str> = clause.split_whitespace().collect();
    // The folded words of `clause`, each with the raw word it came from.
    let mut words = Vec::new();
    let mut from_raw = Vec::new();
    let folded: Vec<String> = raw.iter().map(|word| fold(word)).collect();
    for (r, word) in folded.iter().enumerate() {
        for token in word.split(' ').filter(|token| !token.is_empty()) {
            words.push(token);
            from_raw.push(r);
        }
    }
    let (index, owner) = (0..words.len())
        .rev()
        .find_map(|i| Some((i, person_word(&words, i)?)))?;
    if owner == Owner::Visitor {
        return Some(owner);
    }
    let after = raw.get(from_raw.get(index)? + 1..).unwrap_or_default();
    let is_name = |word: &&str| {
        word.chars()
            .find(|c| c.is_alphabetic())
            .is_some_and(char::is_uppercase)
    };
    after.iter().all(is_name).then_some(owner)
}

/// Whether `c`, at `index` of `text`, ends a sentence.
fn ends_sentence(text: &str, index: usize, c: char) -> bool {
    match c {
        '!' | '?' | '\n' | '\r' | '…' | '¡' | '¿' => true,
        // A full stop ends a sentence only when a space follows: the dots of
        // "ana.souza@example.com" and "e.g." inside a clause do not.
        '.' => text
            .get(index + 1..)
            .and_then(|rest| rest.chars().next())
            .is_none_or(char::is_whitespace),
        _ => false,
    }
}

/// Whether `c` separates two clauses of one sentence.
fn ends_clause(c: char) -> bool {
    matches!(c, ',' | ';' | '(' | ')' | '[' | ']' | '–' | '—' | '|')
}

/// Whose the contact value at `span` of `text` is (see the module notes).
fn owner(text: &str, span: std::ops::Range<usize>) -> Owner {
    let mut from = span.start.saturating_sub(MAX_SENTENCE);
    while from < span.start && !text.is_char_boundary(from) {
        from += 1;
    }
    let before = text.get(from..span.start).unwrap_or_default();
    // The value's sentence, cut into clauses; the value's clause comes last.
    let sentence_start = before
        .char_indices()
        .rev()
        .find(|&(i, c)| ends_sentence(before, i, c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let sentence = before.get(sentence_start..).unwrap_or_default();
    let mut clauses = sentence.rsplit(ends_clause);
    let own = clauses.next().unwrap_or_default();
    if let Some(owner) = person(own, true) {
        return owner;
    }
    // A value standing alone in its clause may be the one the clause before
    // names ("My colleague Bob, bob@…").
    if fold(own).trim().is_empty()
        && let Some(owner) = clauses.next().and_then(named_at_end)
    {
        return owner;
    }
    // Nothing before the value says whose it is: read on to the end of its
    // clause ("bob@example.com is his address").
    let after = text.get(span.end..).unwrap_or_default();
    let clause_end = after
        .char_indices()
        .find(|&(i, c)| ends_clause(c) || ends_sentence(after, i, c))
        .map_or(after.len(), |(i, _)| i);
    let clause = after
        .get(..clause_end.min(MAX_SENTENCE))
        .unwrap_or_default();
    person(clause, false).unwrap_or(Owner::Visitor)
}

fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// Maps `leadkit-contact`'s fine reasons onto the broad ones the core uses.
pub(crate) fn reason_for(error: &ContactError) -> InvalidReason {
    use ContactError as E;
    match error {
        E::Empty(_)
        | E::EmailNoAtSign
        | E::EmailNoLocalPart
        | E::EmailNoDomain
        | E::EmailDotlessDomain
        | E::PhoneTooShort
        | E::NameTooShort => InvalidReason::Incomplete,
        E::PhoneNeedsCountryCode => InvalidReason::NeedsCountryCode,
        E::EmailIpLiteral
        | E::EmailSpecialUseDomain
        | E::EmailDisposable
        | E::EmailQuotedLocalPart
        | E::EmailComment => InvalidReason::NotAllowed,
        E::PhoneCountryCode | E::PhoneInvalid | E::NamePlaceholder => InvalidReason::Implausible,
        _ => InvalidReason::Malformed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(text: &str) -> ContactFindings {
        find_contacts(text, &ExtractOptions::default(), false)
    }

    #[test]
    fn own_details_are_found_and_normalised() {
        let findings = find("Sure, it's Ana.Souza@Example.com or +44 20 7946 0958");
        assert!(findings.details.get(Field::Email).is_some());
        assert_eq!(findings.details.get(Field::Phone), Some("+442079460958"));
        assert!(findings.ground(Field::Phone, "020 7946 0958").is_none());
        assert!(
            findings
                .ground(Field::Phone, "+44 (20) 7946-0958")
                .is_some()
        );
        assert!(
            findings
                .ground(Field::Email, "someone@example.com")
                .is_none()
        );
    }

    #[test]
    fn details_given_for_someone_else_do_not_count() {
        let findings = find("my boss's email is boss@example.com");
        assert!(findings.details.is_empty() && findings.redirected);
        let findings = find_contacts("ana@example.com", &ExtractOptions::default(), true);
        assert!(findings.details.is_empty());
    }

    fn owner_of(text: &str, value: &str) -> Owner {
        let start = text.find(value).unwrap();
        owner(text, start..start + value.len())
    }

    /// Checks each case's owner of its address (`bob@…` when present, the
    /// visitor's `ana@…` otherwise).
    fn assert_owners(cases: &[(&str, Owner)]) {
        for &(text, expected) in cases {
            let value = if text.contains("bob@") {
                "bob@example.com"
            } else {
                "ana@example.com"
            };
            assert_eq!(owner_of(text, value), expected, "{text:?}");
        }
    }

    #[test]
    fn the_clause_of_the_value_decides_not_the_bytes_before_it() {
        use Owner::{SomeoneElse, Visitor};
        let cases = [
            // A third party earlier in the sentence or in an earlier sentence
            // does not own a value the writer introduces with "my".
            (
                "My wife and I want a quote, my email is ana@example.com",
                Visitor,
            ),
            (
                "Their support was slow. my email is ana@example.com",
                Visitor,
            ),
            (
                "My boss asked me to get prices so my email is ana@example.com",
                Visitor,
            ),
            ("Me and my wife want a quote, ana@example.com", Visitor),
            ("I'm a manager at Acme, ana@example.com", Visitor),
            ("Contactez-moi s'il vous plaît à ana@example.com", Visitor),
            (
                "Mon collègue est absent, vous pouvez m'écrire à ana@example.com",
                Visitor,
            ),
            ("Call my boss at 9 a.m on bob@example.com", SomeoneElse),
            ("ana@example.com", Visitor),
            // A relation or a third person attached to the value.
            ("You can reach my colleague at bob@example.com", SomeoneElse),
            ("my boss's email is bob@example.com", SomeoneElse),
            (
                "It's for my husband. His email is bob@example.com",
                SomeoneElse,
            ),
            ("My colleague Bob, bob@example.com", SomeoneElse),
            ("This one is for my husband, bob@example.com", SomeoneElse),
            // A person mentioned in an earlier clause, not named for the value.
            ("Their support was slow, ana@example.com", Visitor),
            (
                "We want a quote for the team; my manager decides, ana@example.com",
                Visitor,
            ),
            ("Thanks, ana@example.com", Visitor),
            ("bob@example.com is not mine", SomeoneElse),
            ("bob@example.com is my colleague's", SomeoneElse),
        ];
        assert_owners(&cases);
    }

    #[test]
    fn ownership_reads_every_supported_language() {
        use Owner::{SomeoneElse, Visitor};
        let cases = [
            (
                "Mi esposa y yo queremos un presupuesto, mi correo es ana@example.com",
                Visitor,
            ),
            (
                "Puedes contactar a mi compañero en bob@example.com",
                SomeoneElse,
            ),
            (
                "Meine Frau und ich möchten ein Angebot, meine E-Mail ist ana@example.com",
                Visitor,
            ),
            (
                "Bitte senden Sie Ihre Preisliste an ana@example.com",
                Visitor,
            ),
            (
                "Sie erreichen meinen Kollegen unter bob@example.com",
                SomeoneElse,
            ),
            (
                "Ma femme et moi voulons un devis, mon e-mail est ana@example.com",
                Visitor,
            ),
            (
                "Vous pouvez joindre mon collègue à bob@example.com",
                SomeoneElse,
            ),
            (
                "Minha esposa e eu queremos um orçamento, meu e-mail é ana@example.com",
                Visitor,
            ),
            (
                "Pode falar com o meu colega em bob@example.com",
                SomeoneElse,
            ),
            ("O e-mail dele é bob@example.com", SomeoneElse),
        ];
        assert_owners(&cases);
    }

    #[test]
    fn ownership_never_panics_on_odd_text() {
        // Multi-byte text right before the value, an empty clause, a value
        // at the very start and end, and a very long sentence.
        for text in [
            "…ana@example.com",
            "¿é?ana@example.com",
            ",,,;ana@example.com",
            "ana@example.com…",
        ] {
            let start = text.find("ana@").unwrap();
            let _ = owner(text, start..start + "ana@example.com".len());
        }
        let long = format!("{} my colleague at bob@example.com", "ünïcödé ".repeat(400));
        assert_eq!(owner_of(&long, "bob@example.com"), Owner::SomeoneElse);
    }

    #[test]
    fn reasons_map_onto_core_reasons() {
        assert_eq!(
            reason_for(&ContactError::EmailNoDomain),
            InvalidReason::Incomplete
        );
        assert_eq!(
            reason_for(&ContactError::PhoneInvalid),
            InvalidReason::Implausible
        );
        assert_eq!(
            reason_for(&ContactError::EmailSpecialUseDomain),
            InvalidReason::NotAllowed
        );
        assert_eq!(
            reason_for(&ContactError::NameDigits),
            InvalidReason::Malformed
        );
    }
}
