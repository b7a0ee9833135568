//! Contact fields and the details a visitor gives.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{SeqAccess, Visitor};
use serde::ser::SerializeSeq;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Pii;

/// One of the standard contact fields a policy can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The visitor's name.
    Name,
    /// An email address.
    Email,
    /// A phone number.
    Phone,
}

impl Field {
    /// Every field, in display order.
    pub const ALL: [Field; 3] = [Field::Name, Field::Email, Field::Phone];

    /// The field's lowercase name: `"name"`, `"email"` or `"phone"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Email => "email",
            Field::Phone => "phone",
        }
    }

    /// Parses `"name"`, `"email"` or `"phone"` (ASCII case-insensitive).
    pub fn from_name(name: &str) -> Option<Field> {
        Field::ALL
            .into_iter()
            .find(|field| field.as_str().eq_ignore_ascii_case(name))
    }

    const fn bit(self) -> u8 {
        match self {
            Field::Name => 1,
            Field::Email => 2,
            Field::Phone => 4,
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A set of [`Field`]s, small and `Copy`.
///
/// Serialises as a list of field names, in display order.
///
/// ```
/// use leadkit_core::{Field, FieldSet};
///
/// let set = FieldSet::EMPTY.with(Field::Phone).with(Field::Email);
/// assert!(set.contains(Field::Email));
/// assert_eq!(set.to_string(), "email, phone");
/// assert_eq!(set.iter().collect::<Vec<_>>(), [Field::Email, Field::Phone]);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct FieldSet(u8);

impl FieldSet {
    /// No field.
    pub const EMPTY: FieldSet = FieldSet(0);
    /// Name, email and phone.
    pub const ALL: FieldSet = FieldSet(7);

    /// A set of one field.
    pub const fn only(field: Field) -> FieldSet {
        FieldSet(field.bit())
    }

    /// This set plus `field`.
    #[must_use]
    pub const fn with(self, field: Field) -> FieldSet {
        FieldSet(self.0 | field.bit())
    }

    /// This set without `field`.
    #[must_use]
    pub const fn without(self, field: Field) -> FieldSet {
        FieldSet(self.0 & !field.bit())
    }

    /// Whether `field` is in the set.
    pub const fn contains(self, field: Field) -> bool {
        self.0 & field.bit() != 0
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// How many fields the set holds.
    pub const fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// Fields in both sets.
    #[must_use]
    pub const fn intersection(self, other: FieldSet) -> FieldSet {
        FieldSet(self.0 & other.0)
    }

    /// Fields in either set.
    #[must_use]
    pub const fn union(self, other: FieldSet) -> FieldSet {
        FieldSet(self.0 | other.0)
    }

    /// Fields in this set and not in `other`.
    #[must_use]
    pub const fn difference(self, other: FieldSet) -> FieldSet {
        FieldSet(self.0 & !other.0)
    }

    /// Whether the two sets share a field.
    pub const fn intersects(self, other: FieldSet) -> bool {
        self.0 & other.0 != 0
    }

    /// The fields in display order (name, email, phone).
    pub fn iter(self) -> impl Iterator<Item = Field> {
        Field::ALL.into_iter().filter(move |f| self.contains(*f))
    }
}

impl FromIterator<Field> for FieldSet {
    fn from_iter<I: IntoIterator<Item = Field>>(iter: I) -> Self {
        iter.into_iter().fold(FieldSet::EMPTY, FieldSet::with)
    }
}

impl fmt::Debug for FieldSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl fmt::Display for FieldSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, field) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(field.as_str())?;
        }
        Ok(())
    }
}

impl Serialize for FieldSet {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        for field in self.iter() {
            seq.serialize_element(&field)?;
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for FieldSet {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SetVisitor;
        impl<'de> Visitor<'de> for SetVisitor {
            type Value = FieldSet;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of field names (name, email, phone)")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<FieldSet, A::Error> {
                let mut set = FieldSet::EMPTY;
                while let Some(field) = seq.next_element::<Field>()? {
                    set = set.with(field);
                }
                Ok(set)
            }
        }
        deserializer.deserialize_seq(SetVisitor)
    }
}

/// Contact details: what a visitor gave, or what is known about them.
///
/// Values are expected to be validated and normalised already (by
/// `leadkit-contact`, or by the integrator's own checks): emails as given
/// with a lowercase domain, phones in E.164. Every value is [`Pii`], so
/// `Debug` output never shows it.
///
/// ```
/// use leadkit_core::{ContactDetails, Field};
///
/// let details = ContactDetails::new()
///     .with_name("Ana Souza")
///     .with_email("ana@example.com")
///     .with_custom("company", "Acme");
/// assert!(details.has(Field::Email));
/// assert_eq!(details.get(Field::Name), Some("Ana Souza"));
/// assert!(!format!("{details:?}").contains("Ana"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ContactDetails {
    /// The visitor's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Pii<String>>,
    /// An email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<Pii<String>>,
    /// A phone number, E.164 when it came through `leadkit-contact`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<Pii<String>>,
    /// Further fields the integrator collects (company, job title …), by key.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub custom: BTreeMap<String, Pii<String>>,
}

// Builder methods: each sets one field and returns `self`, so they share
// one shape here and with the other builders of the workspace.
impl ContactDetails {
    /// No details.
    pub fn new() -> Self {
        Self::default()
    }

    /// With a name.
    #[must_use]
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(Pii::new(name.into()));
        self
    }

    /// With an email address.
    #[must_use]
    pub fn with_email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(Pii::new(email.into()));
        self
    }

    /// With a phone number.
    #[must_use]
    pub fn with_phone(mut self, phone: impl Into<String>) -> Self {
        self.phone = Some(Pii::new(phone.into()));
        self
    }

    /// With a custom field.
    #[must_use]
    pub fn with_custom(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.custom.insert(key.into(), Pii::new(value.into()));
        self
    }

    /// Sets one standard field.
    pub fn set(&mut self, field: Field, value: impl Into<String>) {
        *self.slot_mut(field) = Some(Pii::new(value.into()));
    }

    /// One standard field's value.
    pub fn get(&self, field: Field) -> Option<&str> {
        self.slot(field).as_ref().map(|v| v.expose().as_str())
    }

    /// Whether a standard field is present.
    pub fn has(&self, field: Field) -> bool {
        self.slot(field).is_some()
    }

    /// The standard fields present.
    pub fn fields(&self) -> FieldSet {
        Field::ALL.into_iter().filter(|f| self.has(*f)).collect()
    }

    /// Whether nothing at all is present (standard or custom).
    pub fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.email.is_none()
            && self.phone.is_none()
            && self.custom.is_empty()
    }

    /// Whether there is a way to reach the visitor: an email or a phone.
    pub fn has_channel(&self) -> bool {
        self.email.is_some() || self.phone.is_some()
    }

    /// Copies every value of `newer` over this one, and says which standard
    /// fields changed and whether any custom field changed. Values equal to
    /// the ones held are not changes.
    pub(crate) fn merge_from(&mut self, newer: ContactDetails) -> (FieldSet, bool) {
        let mut changed = FieldSet::EMPTY;
        let ContactDetails {
            name,
            email,
            phone,
            custom,
        } = newer;
        for (field, value) in [
            (Field::Name, name),
            (Field::Email, email),
            (Field::Phone, phone),
        ] {
            if let Some(value) = value {
                let slot = self.slot_mut(field);
                if slot.as_ref() != Some(&value) {
                    *slot = Some(value);
                    changed = changed.with(field);
                }
            }
        }
        let mut custom_changed = false;
        for (key, value) in custom {
            if self.custom.get(&key) != Some(&value) {
                self.custom.insert(key, value);
                custom_changed = true;
            }
        }
        (changed, custom_changed)
    }

    fn slot(&self, field: Field) -> &Option<Pii<String>> {
        match field {
            Field::Name => &self.name,
            Field::Email => &self.email,
            Field::Phone => &self.phone,
        }
    }

    fn slot_mut(&mut self, field: Field) -> &mut Option<Pii<String>> {
        match field {
            Field::Name => &mut self.name,
            Field::Email => &mut self.email,
            Field::Phone => &mut self.phone,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_sets_serialise_as_name_lists() {
        let set = FieldSet::only(Field::Phone).with(Field::Name);
        let json = serde_json::to_string(&set).unwrap();
        assert_eq!(json, r#"["name","phone"]"#);
        assert_eq!(serde_json::from_str::<FieldSet>(&json).unwrap(), set);
        assert!(serde_json::from_str::<FieldSet>(r#"["fax"]"#).is_err());
    }

    #[test]
    fn merge_reports_only_real_changes() {
        let mut held = ContactDetails::new().with_email("a@example.com");
        let (changed, custom) = held.merge_from(
            ContactDetails::new()
                .with_email("a@example.com")
                .with_name("Ana"),
        );
        assert_eq!(changed, FieldSet::only(Field::Name));
        assert!(!custom);
        let (changed, custom) =
            held.merge_from(ContactDetails::new().with_custom("company", "Acme"));
        assert!(changed.is_empty());
        assert!(custom);
    }

    #[test]
    fn debug_never_shows_values() {
        let details = ContactDetails::new()
            .with_name("Ana Souza")
            .with_email("ana@example.com")
            .with_phone("+5511987654321")
            .with_custom("company", "Acme Secret");
        let debug = format!("{details:?} {details:#?}");
        for secret in ["Ana", "ana@", "+55", "Acme"] {
            assert!(!debug.contains(secret), "{secret} leaked in {debug}");
        }
    }
}
