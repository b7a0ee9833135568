//! Loading the vendored sources into labelled items with a source, a
//! language and a split.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use leadkit_llm::{IntentClass, LabeledText};

use crate::split::{Split, split_of_group};

/// One labelled message of a source.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    pub(crate) text: String,
    pub(crate) class: IntentClass,
    pub(crate) source: &'static str,
    pub(crate) language: String,
    pub(crate) split: Split,
}

impl Item {
    pub(crate) fn labeled(&self) -> LabeledText {
        LabeledText::new(self.text.clone(), self.class)
    }
}

/// The vendored data directory of this crate.
pub(crate) fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

pub(crate) type Error = Box<dyn std::error::Error>;

fn read(path: &Path) -> Result<String, Error> {
    fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()).into())
}

/// `source → intent → class` from `data/label-map.tsv`.
pub(crate) struct LabelMap(HashMap<(String, String), IntentClass>);

impl LabelMap {
    pub(crate) fn load(dir: &Path) -> Result<LabelMap, Error> {
        let mut map = HashMap::new();
        for (n, line) in read(&dir.join("label-map.tsv"))?.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            let [source, intent, class, reason] = fields[..] else {
                return Err(format!(
                    "label-map.tsv line {}: expected 4 tab-separated fields",
                    n + 1
                )
                .into());
            };
            if reason.trim().is_empty() {
                return Err(format!("label-map.tsv line {}: no reason given", n + 1).into());
            }
            let class = class
                .parse()
                .map_err(|e| format!("label-map.tsv line {}: {e}", n + 1))?;
            if map
                .insert((source.to_owned(), intent.to_owned()), class)
                .is_some()
            {
                return Err(format!(
                    "label-map.tsv line {}: {source}/{intent} mapped twice",
                    n + 1
                )
                .into());
            }
        }
        Ok(LabelMap(map))
    }

    pub(crate) fn class(&self, source: &str, intent: &str) -> Result<IntentClass, Error> {
        self.0
            .get(&(source.to_owned(), intent.to_owned()))
            .copied()
            .ok_or_else(|| format!("label-map.tsv has no row for {source}/{intent}").into())
    }
}

/// Every item of every source, in a fixed order.
pub(crate) fn load_all(dir: &Path) -> Result<Vec<Item>, Error> {
    let labels = LabelMap::load(dir)?;
    let mut items = bitext(dir, &labels)?;
    items.extend(clinc150(dir, &labels)?);
    items.extend(crate::sources::load_intentdata(dir, &labels)?);
    Ok(items)
}

/// Bitext: rows grouped by template (the entity span replaced by a
/// placeholder, then folded to letters), each group in one split.
fn bitext(dir: &Path, labels: &LabelMap) -> Result<Vec<Item>, Error> {
    let text = read(&dir.join("bitext/instructions.tsv"))?;
    let mut items = Vec::new();
    for line in text.lines().skip(1) {
        let fields: Vec<&str> = line.split('\t').collect();
        let [instruction, intent, _entity, start, end] = fields[..] else {
            return Err("bitext/instructions.tsv: expected 5 fields".into());
        };
        let class = labels.class("bitext", intent)?;
        let template = bitext_template(instruction, start, end);
        items.push(Item {
            text: instruction.to_owned(),
            class,
            source: "bitext",
            language: "en".into(),
            split: split_of_group("bitext", &format!("{intent}|{template}")),
        });
    }
    Ok(items)
}

/// The template of a Bitext instruction: the entity span (character
/// offsets) replaced by a placeholder, folded, letters only.
pub(crate) fn bitext_template(instruction: &str, start: &str, end: &str) -> String {
    let span = start.parse::<usize>().ok().zip(end.parse::<usize>().ok());
    let chars: Vec<char> = instruction.chars().collect();
    let replaced: String = match span {
        Some((s, e)) if s < e && e <= chars.len() => chars[..s]
            .iter()
            .chain(" ENTITY ".chars().collect::<Vec<_>>().iter())
            .chain(&chars[e..])
            .collect(),
        _ => instruction.to_owned(),
    };
    leadkit_core::fold(&replaced)
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// CLINC150 with its own splits; `oos_*` rows are the intent `oos`.
fn clinc150(dir: &Path, labels: &LabelMap) -> Result<Vec<Item>, Error> {
    let json: serde_json::Value =
        serde_json::from_str(&read(&dir.join("clinc150/data_full.json"))?)?;
    let mut items = Vec::new();
    for (key, split) in [
        ("train", Split::Train),
        ("oos_train", Split::Train),
        ("val", Split::Validation),
        ("oos_val", Split::Validation),
        ("test", Split::Test),
        ("oos_test", Split::Test),
    ] {
        let rows = json[key].as_array().ok_or("clinc150: missing split")?;
        for row in rows {
            let (Some(text), Some(intent)) = (row[0].as_str(), row[1].as_str()) else {
                return Err("clinc150: a row is not [text, intent]".into());
            };
            items.push(Item {
                text: text.to_owned(),
                class: labels.class("clinc150", intent)?,
                source: "clinc150",
                language: "en".into(),
                split,
            });
        }
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bitext_templates_ignore_the_entity_and_spelling_of_case() {
        let a = bitext_template("how can I cancel purchase 113542617735902?", "26", "41");
        let b = bitext_template("How can I cancel purchase 00004587?", "26", "34");
        assert_eq!(a, b);
        assert_eq!(a, "how can i cancel purchase entity");
    }
}
