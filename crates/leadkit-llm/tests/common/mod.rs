//! Shared test helpers: the labelled data files and a scripted model.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used)] // test code, each test uses a part

use std::sync::Mutex;

use async_trait::async_trait;
use leadkit_llm::{ChatContent, ChatModel, ChatRequest, ChatResponse, Error, Usage};

/// One labelled utterance.
#[derive(Debug, Clone)]
pub struct Utterance {
    pub lang: String,
    pub label: Label,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Label {
    Interest,
    NoInterest,
    Decline,
    Consent,
}

impl Label {
    pub const ALL: [Label; 4] = [
        Label::Interest,
        Label::NoInterest,
        Label::Decline,
        Label::Consent,
    ];

    pub fn parse(text: &str) -> Label {
        match text {
            "interest" => Label::Interest,
            "no_interest" => Label::NoInterest,
            "decline" => Label::Decline,
            "consent" => Label::Consent,
            other => panic!("unknown label {other:?}"),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Label::Interest => "interest",
            Label::NoInterest => "no_interest",
            Label::Decline => "decline",
            Label::Consent => "consent",
        }
    }

    /// The label a set of signals amounts to under an interest threshold.
    pub fn of(signals: &leadkit_core::Signals, threshold: f32) -> Label {
        if signals.consent {
            Label::Consent
        } else if signals.declined {
            Label::Decline
        } else if signals.interest.get() >= threshold {
            Label::Interest
        } else {
            Label::NoInterest
        }
    }
}

/// Tab-separated rows of a data file, comments and blank lines skipped.
pub fn rows(data: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    data.lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| line.split('\t').collect())
}

pub fn utterances() -> Vec<Utterance> {
    parse_utterances(include_str!("../data/utterances.tsv"))
}

pub fn paraphrase_utterances() -> Vec<Utterance> {
    parse_utterances(include_str!("../data/utterances_holdout.tsv"))
}

fn parse_utterances(data: &'static str) -> Vec<Utterance> {
    rows(data)
        .map(|cols| {
            assert_eq!(cols.len(), 3, "bad row {cols:?}");
            Utterance {
                lang: cols[0].to_owned(),
                label: Label::parse(cols[1]),
                text: cols[2].to_owned(),
            }
        })
        .collect()
}

/// One turn of a labelled conversation.
#[derive(Debug, Clone)]
pub struct ConversationTurn {
    pub conversation: String,
    pub label: Label,
    /// The visitor's own email or phone in this turn, if any (what a
    /// perfect model would report).
    pub detail: Option<String>,
    pub text: String,
}

pub fn conversations() -> Vec<Vec<ConversationTurn>> {
    let mut out: Vec<Vec<ConversationTurn>> = Vec::new();
    for cols in rows(include_str!("../data/conversations.tsv")) {
        assert_eq!(cols.len(), 4, "bad row {cols:?}");
        let turn = ConversationTurn {
            conversation: cols[0].to_owned(),
            label: Label::parse(cols[1]),
            detail: (cols[2] != "-").then(|| cols[2].to_owned()),
            text: cols[3].to_owned(),
        };
        match out.last_mut() {
            Some(last) if last[0].conversation == turn.conversation => last.push(turn),
            _ => out.push(vec![turn]),
        }
    }
    out
}

/// A model that answers each request with a scripted JSON verdict, found by
/// the visitor message it is asked about.
pub struct ScriptedModel {
    script: Vec<(String, String)>,
    pub calls: Mutex<u32>,
}

impl ScriptedModel {
    /// Answers for each labelled conversation turn, as a perfect model
    /// would: the label, and the visitor's own detail.
    pub fn from_turns(turns: &[ConversationTurn]) -> Self {
        let script = turns
            .iter()
            .map(|t| {
                let interest = if t.label == Label::Interest {
                    0.9
                } else {
                    0.05
                };
                let (email, phone) = match &t.detail {
                    Some(d) if d.contains('@') => (Some(d.clone()), None),
                    Some(d) => (None, Some(d.clone())),
                    None => (None, None),
                };
                let verdict = serde_json::json!({
                    "interest": interest,
                    "declined": t.label == Label::Decline,
                    "consent": t.label == Label::Consent,
                    "email": email,
                    "phone": phone,
                    "name": null,
                });
                (t.text.clone(), verdict.to_string())
            })
            .collect();
        Self {
            script,
            calls: Mutex::new(0),
        }
    }
}

/// The new message of a request an `LlmAnalyzer` built.
pub fn new_message(request: &ChatRequest) -> String {
    let user = request.messages.last().unwrap();
    let payload: serde_json::Value = serde_json::from_str(&user.content).unwrap();
    payload["new_message"].as_str().unwrap().to_owned()
}

#[async_trait]
impl ChatModel for ScriptedModel {
    async fn complete(&self, request: &ChatRequest) -> Result<ChatResponse, Error> {
        *self.calls.lock().unwrap() += 1;
        let message = new_message(request);
        let answer = self
            .script
            .iter()
            .find(|(text, _)| *text == message)
            .map(|(_, answer)| answer.clone())
            .unwrap_or_else(|| panic!("no scripted answer for a message"));
        Ok(
            ChatResponse::new(ChatContent::Text(answer)).with_usage(Usage {
                prompt_tokens: 400,
                completion_tokens: 40,
                total_tokens: 440,
            }),
        )
    }
}
