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
//! 3. the few words before the value do not attribute it to someone else
//!    ("my boss's email is …", "use his number", "mi jefe …").
//!
//! A value a model reports is accepted only if it equals one of these
//! self-stated values: case-insensitively for emails, digit for digit for
//! phones (against the E.164 form or the digits as typed), and after case
//! and accent folding for names. The value recorded is always the
//! validator's normalised form, never the model's string.

use leadkit_contact::{ContactKind, Error as ContactError, ExtractOptions, extract};
use leadkit_core::{ContactDetails, Field, InvalidAttempt, InvalidReason};

use crate::rules::mentions_third_party;
use crate::text::fold;

/// How many bytes before a value are searched for a third-party mention.
const ATTRIBUTION_WINDOW: usize = 40;

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
        if attributed_to_someone_else(text, found.span.start) {
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
            let reason = found
                .error
                .as_ref()
                .map_or(InvalidReason::Malformed, reason_for);
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

/// Whether the words just before byte `start` of `text` give the value to
/// someone else.
fn attributed_to_someone_else(text: &str, start: usize) -> bool {
    let mut from = start.saturating_sub(ATTRIBUTION_WINDOW);
    while from < start && !text.is_char_boundary(from) {
        from += 1;
    }
    text.get(from..start)
        .is_some_and(|window| mentions_third_party(&fold(window)))
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
        | E::PhoneNeedsCountryCode
        | E::NameTooShort => InvalidReason::Incomplete,
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
