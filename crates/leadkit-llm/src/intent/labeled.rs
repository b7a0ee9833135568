//! Labelled messages for training: [`LabeledText`] and the JSONL format
//! integrators use to adapt the model.

use serde::Deserialize;

use super::IntentClass;

/// One labelled message.
///
/// `Debug` shows the class and the text's length, not the text.
#[derive(Clone, PartialEq, Eq)]
pub struct LabeledText {
    /// The visitor's message.
    pub text: String,
    /// What it is.
    pub class: IntentClass,
}

impl LabeledText {
    /// A labelled message.
    pub fn new(text: impl Into<String>, class: IntentClass) -> Self {
        Self {
            text: text.into(),
            class,
        }
    }
}

impl std::fmt::Debug for LabeledText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LabeledText")
            .field("text", &crate::chat::Redacted(self.text.len()))
            .field("class", &self.class)
            .finish()
    }
}

/// A line of a JSONL file of labelled messages that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct JsonlError {
    /// The line number, from 1.
    pub line: usize,
    /// What is wrong with it (never the line's text).
    pub reason: &'static str,
}

#[derive(Deserialize)]
struct Line {
    text: String,
    label: String,
}

/// Reads labelled messages from JSONL: one `{"text": "…", "label": "…"}`
/// object per line, the label one of the [`IntentClass`] names
/// (`interest`, `support`, `chitchat`, `other`, `decline`, `affirm`).
/// Blank lines are skipped; any other bad line is an error that names the
/// line, so nothing is silently dropped.
///
/// ```
/// use leadkit_llm::{IntentClass, read_labeled_jsonl};
///
/// let examples = read_labeled_jsonl(
///     "{\"text\": \"Do you ship pallets to Norway?\", \"label\": \"interest\"}\n\n\
///      {\"text\": \"Where is pallet 4411?\", \"label\": \"support\"}\n",
/// )?;
/// assert_eq!(examples[1].class, IntentClass::Support);
/// assert_eq!(read_labeled_jsonl("{\"text\": \"hi\", \"label\": \"greeting\"}").unwrap_err().line, 1);
/// # Ok::<(), leadkit_llm::JsonlError>(())
/// ```
pub fn read_labeled_jsonl(jsonl: &str) -> Result<Vec<LabeledText>, JsonlError> {
    let mut out = Vec::new();
    for (i, raw) in jsonl.lines().enumerate() {
        let line = i + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let parsed: Line = serde_json::from_str(raw).map_err(|_| JsonlError {
            line,
            reason: "not a JSON object with string fields \"text\" and \"label\"",
        })?;
        let class = parsed.label.parse().map_err(|_| JsonlError {
            line,
            reason: "unknown label (expected interest, support, chitchat, other, decline or affirm)",
        })?;
        out.push(LabeledText::new(parsed.text, class));
    }
    Ok(out)
}
