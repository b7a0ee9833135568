//! Which contact fields a policy asks for, and how they combine.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize};

use crate::{Error, Field, FieldSet};

/// How a policy treats one field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldRule {
    /// Must be given.
    Required,
    /// At least one of the fields marked `OneOf` must be given ("email or phone").
    OneOf,
    /// Asked for alongside the required fields, never insisted on.
    Optional,
    /// Never asked for. A value the visitor volunteers is still kept.
    NotAsked,
}

/// The fields a policy asks for: each of name, email and phone is required,
/// one of a group, optional or not asked.
///
/// The text form used by configuration files and command lines lists fields
/// separated by commas: a bare field is required, `field?` is optional, and
/// `a|b` is a group of which at least one is required. Fields not listed are
/// not asked.
///
/// ```
/// use leadkit_core::{Field, FieldRequirements, FieldRule, FieldSet};
///
/// let fields: FieldRequirements = "name?,email|phone".parse()?;
/// assert_eq!(fields.rule(Field::Name), FieldRule::Optional);
/// assert_eq!(fields.rule(Field::Phone), FieldRule::OneOf);
///
/// let have = FieldSet::only(Field::Phone);
/// assert!(fields.is_satisfied(have));
/// assert_eq!(fields.to_string(), "email|phone,name?");
/// # Ok::<(), leadkit_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct FieldRequirements {
    /// How the name is treated.
    pub name: FieldRule,
    /// How the email address is treated.
    pub email: FieldRule,
    /// How the phone number is treated.
    pub phone: FieldRule,
}

impl FieldRequirements {
    /// Nothing asked; a starting point for building requirements.
    pub const NONE: FieldRequirements = FieldRequirements {
        name: FieldRule::NotAsked,
        email: FieldRule::NotAsked,
        phone: FieldRule::NotAsked,
    };

    /// Name and email, both required (the classic website chat form).
    pub const NAME_AND_EMAIL: FieldRequirements = FieldRequirements {
        name: FieldRule::Required,
        email: FieldRule::Required,
        phone: FieldRule::NotAsked,
    };

    /// Email or phone, and the name if the visitor will give it.
    pub const EMAIL_OR_PHONE: FieldRequirements = FieldRequirements {
        name: FieldRule::Optional,
        email: FieldRule::OneOf,
        phone: FieldRule::OneOf,
    };

    /// These requirements with `field` set to `rule`.
    #[must_use]
    pub const fn with(mut self, field: Field, rule: FieldRule) -> Self {
        match field {
            Field::Name => self.name = rule,
            Field::Email => self.email = rule,
            Field::Phone => self.phone = rule,
        }
        self
    }

    /// How `field` is treated.
    pub const fn rule(&self, field: Field) -> FieldRule {
        match field {
            Field::Name => self.name,
            Field::Email => self.email,
            Field::Phone => self.phone,
        }
    }

    fn with_rule(&self, rule: FieldRule) -> FieldSet {
        Field::ALL
            .into_iter()
            .filter(|f| self.rule(*f) == rule)
            .collect()
    }

    /// Fields that must each be given.
    pub fn required(&self) -> FieldSet {
        self.with_rule(FieldRule::Required)
    }

    /// The group of which at least one must be given (empty if none).
    pub fn one_of(&self) -> FieldSet {
        self.with_rule(FieldRule::OneOf)
    }

    /// Fields asked for but never insisted on.
    pub fn optional(&self) -> FieldSet {
        self.with_rule(FieldRule::Optional)
    }

    /// Every field that is asked for in some way.
    pub fn asked(&self) -> FieldSet {
        FieldSet::ALL.difference(self.with_rule(FieldRule::NotAsked))
    }

    /// Whether `have` meets the requirements.
    pub fn is_satisfied(&self, have: FieldSet) -> bool {
        let one_of = self.one_of();
        have.intersection(self.required()) == self.required()
            && (one_of.is_empty() || one_of.intersects(have))
    }

    /// What is still to be asked for, given the fields already held.
    pub fn outstanding(&self, have: FieldSet) -> FieldRequest {
        let one_of = self.one_of();
        FieldRequest {
            required: self.required().difference(have),
            one_of: if one_of.intersects(have) {
                FieldSet::EMPTY
            } else {
                one_of
            },
            optional: self.optional().difference(have),
        }
    }

    /// Checks that the requirements make sense for an enabled policy: at
    /// least one field is insisted on, and a one-of group has two or more
    /// fields.
    pub fn validate(&self) -> Result<(), Error> {
        let group = self.one_of().len();
        if group == 1 {
            return Err(Error::InvalidPolicy {
                reason: "a one-of field group needs at least two fields; mark a lone field required",
            });
        }
        if self.required().is_empty() && group == 0 {
            return Err(Error::InvalidPolicy {
                reason: "an enabled policy must require at least one field (or a one-of group)",
            });
        }
        Ok(())
    }
}

impl Default for FieldRequirements {
    /// Name and email, both required ([`FieldRequirements::NAME_AND_EMAIL`]).
    fn default() -> Self {
        Self::NAME_AND_EMAIL
    }
}

impl fmt::Display for FieldRequirements {
    /// The text form, in a canonical order: required fields, the one-of
    /// group, then optional fields.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut items: Vec<String> = self.required().iter().map(|x| x.to_string()).collect();
        let group = self.one_of();
        if !group.is_empty() {
            items.push(
                group
                    .iter()
                    .map(Field::as_str)
                    .collect::<Vec<_>>()
                    .join("|"),
            );
        }
        items.extend(self.optional().iter().map(|x| format!("{x}?")));
        f.write_str(&items.join(","))
    }
}

impl FromStr for FieldRequirements {
    type Err = Error;

    /// Parses the text form (see the type's docs) and validates it.
    fn from_str(spec: &str) -> Result<Self, Error> {
        let mut out = FieldRequirements::NONE;
        let mut seen = FieldSet::EMPTY;
        let mut saw_group = false;
        let mut offset = 0;
        for item in spec.split(',') {
            let item_start = offset;
            offset += item.len() + 1;
            let trimmed = item.trim();
            if trimmed.is_empty() {
                return Err(Error::InvalidFieldSpec {
                    position: item_start,
                    reason: "empty item; list fields separated by commas",
                });
            }
            let (names, rule) = if trimmed.contains('|') {
                if saw_group {
                    return Err(Error::InvalidFieldSpec {
                        position: item_start,
                        reason: "only one one-of group (a|b) is supported",
                    });
                }
                saw_group = true;
                (trimmed, FieldRule::OneOf)
            } else if let Some(name) = trimmed.strip_suffix('?') {
                (name, FieldRule::Optional)
            } else {
                (trimmed, FieldRule::Required)
            };
            for name in names.split('|') {
                let field = Field::from_name(name.trim()).ok_or(Error::InvalidFieldSpec {
                    position: item_start,
                    reason: "unknown field; expected name, email or phone",
                })?;
                if seen.contains(field) {
                    return Err(Error::InvalidFieldSpec {
                        position: item_start,
                        reason: "field listed twice",
                    });
                }
                seen = seen.with(field);
                out = out.with(field, rule);
            }
        }
        out.validate().map_err(|err| match err {
            Error::InvalidPolicy { reason } => Error::InvalidFieldSpec {
                position: 0,
                reason,
            },
            other => other,
        })?;
        Ok(out)
    }
}

impl<'de> Deserialize<'de> for FieldRequirements {
    /// Accepts either the text form (`"name,email|phone"`) or a map of rules
    /// (`{"name": "required", "email": "one_of", "phone": "one_of"}`).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Rules {
            #[serde(default = "not_asked")]
            name: FieldRule,
            #[serde(default = "not_asked")]
            email: FieldRule,
            #[serde(default = "not_asked")]
            phone: FieldRule,
        }
        fn not_asked() -> FieldRule {
            FieldRule::NotAsked
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Form {
            Text(String),
            Rules(Rules),
        }
        match Form::deserialize(deserializer)? {
            Form::Text(text) => text.parse().map_err(serde::de::Error::custom),
            Form::Rules(rules) => Ok(FieldRequirements {
                name: rules.name,
                email: rules.email,
                phone: rules.phone,
            }),
        }
    }
}

/// Fields to ask the visitor for, as carried by a request.
///
/// Template it as: "could you share your {required, joined with 'and'}
/// and your {one_of, joined with 'or'}?", mentioning `optional` fields as
/// welcome but not needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct FieldRequest {
    /// Each of these is needed.
    pub required: FieldSet,
    /// One of these is needed (empty when no group is outstanding).
    pub one_of: FieldSet,
    /// Welcome, not needed.
    pub optional: FieldSet,
}

impl FieldRequest {
    /// Whether nothing needed is outstanding (optional fields do not count).
    pub const fn is_satisfied(&self) -> bool {
        self.required.is_empty() && self.one_of.is_empty()
    }

    /// Every field mentioned in the request.
    pub const fn all(&self) -> FieldSet {
        self.required.union(self.one_of).union(self.optional)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_form_parses_and_prints() {
        let cases = [
            ("name,email", "name,email"),
            ("email|phone", "email|phone"),
            (" Email | PHONE , name? ", "email|phone,name?"),
            ("phone,name?,email?", "phone,name?,email?"),
        ];
        for (input, canonical) in cases {
            let parsed: FieldRequirements = input.parse().unwrap();
            assert_eq!(parsed.to_string(), canonical, "{input}");
            assert_eq!(canonical.parse::<FieldRequirements>().unwrap(), parsed);
        }
    }

    #[test]
    fn bad_text_forms_are_typed_errors() {
        for bad in [
            "",
            "name,,email",
            "fax",
            "email,email",
            "email|phone,name|email",
            "name?",
            "email|",
        ] {
            assert!(
                matches!(
                    bad.parse::<FieldRequirements>(),
                    Err(Error::InvalidFieldSpec { .. })
                ),
                "{bad:?} should be rejected"
            );
        }
    }

    #[test]
    fn outstanding_asks_only_for_what_is_missing() {
        let fields: FieldRequirements = "name,email|phone".parse().unwrap();
        let request = fields.outstanding(FieldSet::only(Field::Email));
        assert_eq!(request.required, FieldSet::only(Field::Name));
        assert!(request.one_of.is_empty());
        assert!(!fields.is_satisfied(FieldSet::only(Field::Email)));
        assert!(fields.is_satisfied(FieldSet::only(Field::Phone).with(Field::Name)));
    }

    #[test]
    fn deserialises_from_text_or_rules() {
        let from_text: FieldRequirements = serde_json::from_str(r#""name,email""#).unwrap();
        let from_rules: FieldRequirements =
            serde_json::from_str(r#"{"name":"required","email":"required"}"#).unwrap();
        assert_eq!(from_text, from_rules);
        assert!(serde_json::from_str::<FieldRequirements>(r#""name,fax""#).is_err());
    }
}
