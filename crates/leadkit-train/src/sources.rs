//! Sources vendored by the data search (`data/SOURCES-intentdata.md`): TSV
//! files with the header `text, label, lang, group`.

use std::path::Path;

use leadkit_llm::IntentClass;

use crate::data::{Error, Item, LabelMap};
use crate::split::{Split, split_of_group};

/// How a source's rows are used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Use {
    /// Split 70 / 15 / 15 by group.
    Grouped,
    /// Test only: recogniser test cases, too few and too odd to train on.
    TestOnly,
    /// Training only: word lists and machine translations, never a test.
    TrainOnly,
}

/// Name (in `label-map.tsv`), file, use; in a fixed order.
const SOURCES: &[(&str, &str, Use)] = &[
    (
        "chatterbot_corpus",
        "chatterbot_corpus/openers.tsv",
        Use::Grouped,
    ),
    (
        "nlpjs_corpus50",
        "nlpjs_corpus50/corpus50.tsv",
        Use::Grouped,
    ),
    (
        "botframework_restaurant_es",
        "botframework_general/restaurant_es.tsv",
        Use::Grouped,
    ),
    (
        "nlupp_hotels",
        "nlupp_hotels/hotels_folds0-9.tsv",
        Use::Grouped,
    ),
    (
        "botframework_general",
        "botframework_general/general.tsv",
        Use::TrainOnly,
    ),
    (
        "ovos_yesno_lexicon",
        "ovos_yesno/lexicon.tsv",
        Use::TrainOnly,
    ),
    (
        "ovos_yesno_sentences",
        "ovos_yesno/test_sentences.tsv",
        Use::TestOnly,
    ),
    (
        "recognizers_text_choice",
        "recognizers_text_choice/choice_boolean.tsv",
        Use::TestOnly,
    ),
];

/// Items of the multilingual sources.
pub(crate) fn load_intentdata(dir: &Path, labels: &LabelMap) -> Result<Vec<Item>, Error> {
    let mut items = Vec::new();
    for &(source, file, usage) in SOURCES {
        let path = dir.join(file);
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        for (n, line) in text.lines().enumerate().skip(1) {
            let fields: Vec<&str> = line.split('\t').collect();
            let [text, label, lang, group] = fields[..] else {
                return Err(
                    format!("{file} line {}: expected text, label, lang, group", n + 1).into(),
                );
            };
            let class = if source == "nlupp_hotels" {
                nlupp_class(label)
            } else {
                Some(labels.class(source, label)?)
            };
            let Some(class) = class else { continue };
            let split = match usage {
                Use::Grouped => split_of_group(source, group),
                Use::TestOnly => Split::Test,
                Use::TrainOnly => Split::Train,
            };
            items.push(Item {
                text: text.to_owned(),
                class,
                source,
                language: lang.to_owned(),
                split,
            });
        }
    }
    items.extend(seed(dir)?);
    Ok(items)
}

/// The hand-written seed set (`data/seed/seed.tsv`, see SOURCES.md):
/// training only, never validation or test.
fn seed(dir: &Path) -> Result<Vec<Item>, Error> {
    let path = dir.join("seed/seed.tsv");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut items = Vec::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        let fields: Vec<&str> = line.split('\t').collect();
        let [text, class, lang] = fields[..] else {
            return Err(format!("seed.tsv line {}: expected text, class, lang", n + 1).into());
        };
        items.push(Item {
            text: text.to_owned(),
            class: class
                .parse()
                .map_err(|e| format!("seed.tsv line {}: {e}", n + 1))?,
            source: "seed",
            language: lang.to_owned(),
            split: Split::Train,
        });
    }
    Ok(items)
}

/// NLU++ is multi-label; the rules of SOURCES-intentdata.md, first match
/// wins. `None`: a slot-only answer, dropped (its meaning is the question's).
fn nlupp_class(label: &str) -> Option<IntentClass> {
    const SUPPORT: &[&str] = &[
        "existing",
        "change",
        "cancel_close_leave_freeze",
        "refund",
        "wrong_notworking_notshowing",
        "lost_stolen",
        "housekeeping",
        "room_service",
        "check_in",
        "check_out",
        "handoff",
    ];
    const CHITCHAT: &[&str] = &["greet", "thank", "end_call", "acknowledge"];
    if label == "(slots only)" {
        return None;
    }
    let intents: Vec<&str> = label.split('+').collect();
    let has = |name: &str| intents.contains(&name);
    Some(if intents.iter().any(|i| SUPPORT.contains(i)) {
        IntentClass::Support
    } else if has("booking") && (has("make_open_apply_setup_get_activate") || has("new"))
        || has("how_much")
    {
        // A new booking or availability request, or a price question.
        IntentClass::Interest
    } else if has("affirm") {
        IntentClass::Affirm
    } else if has("deny") {
        IntentClass::Decline
    } else if intents.iter().all(|i| CHITCHAT.contains(i)) {
        IntentClass::ChitChat
    } else {
        IntentClass::Other
    })
}
