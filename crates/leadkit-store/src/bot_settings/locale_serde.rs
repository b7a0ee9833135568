//! Languages in the JSON form as their ISO 639-1 codes (`"en"`, `"pt"` …):
//! `leadkit-messages` has no serde of its own.

use std::collections::BTreeMap;

use leadkit_messages::Locale;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serializer};

fn parse<E: serde::de::Error>(code: &str) -> Result<Locale, E> {
    code.parse()
        .map_err(|_| E::custom("unsupported language; use one of en, es, de, fr, pt"))
}

/// One language.
pub(super) mod one {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(locale: &Locale, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(locale.code())
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Locale, D::Error> {
        parse(&String::deserialize(d)?)
    }
}

/// A text per language.
pub(super) mod map {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(
        texts: &BTreeMap<Locale, String>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_map(texts.iter().map(|(locale, text)| (locale.code(), text)))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<BTreeMap<Locale, String>, D::Error> {
        let raw = BTreeMap::<String, String>::deserialize(d)?;
        let mut texts = BTreeMap::new();
        for (code, text) in raw {
            if texts.insert(parse(&code)?, text).is_some() {
                return Err(D::Error::custom("two ask messages for one language"));
            }
        }
        Ok(texts)
    }
}
