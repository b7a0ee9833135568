//! The evaluation printed by `leadkit-train eval` (markdown, for
//! BENCHMARKS.md) and the hyper-parameter search on the validation split.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use leadkit_core::{Conversation, Policy, Signals, UserTurn};
use leadkit_engine::messages::{Locale, MessageCatalog};
use leadkit_llm::{ChatMessage, IntentAnalyzer, IntentClass, IntentModel, TrainOptions, TurnInput};

use crate::data::Item;
use crate::metrics::{Confusion, Counts, Reliability, ratio};
use crate::split::Split;
use crate::training_sets;

/// `Policy::on_interest()`'s threshold.
fn on_interest_threshold() -> f32 {
    Policy::on_interest().interest_threshold.get()
}

fn is_interest(item: &Item) -> bool {
    item.class == IntentClass::Interest
}

/// Interest at the on-interest threshold, by a key of the item.
fn interest_table<K: Ord + std::fmt::Display>(
    items: &[&Item],
    model: &IntentModel,
    key: impl Fn(&Item) -> K,
) {
    let threshold = on_interest_threshold();
    let mut rows: BTreeMap<K, Counts> = BTreeMap::new();
    let mut all = Counts::default();
    for item in items {
        let predicted = model.classify(&item.text).interest() >= threshold;
        rows.entry(key(item))
            .or_default()
            .add(is_interest(item), predicted);
        all.add(is_interest(item), predicted);
    }
    println!("| slice | items | interest items | precision | recall | F1 |");
    println!("|---|---|---|---|---|---|");
    for (k, counts) in &rows {
        println!("| {k} | {} | {} |", counts.n, counts.cells());
    }
    println!("| all | {} | {} |", all.n, all.cells());
}

pub(crate) fn report(items: &[Item], model: &IntentModel) {
    let test: Vec<&Item> = items.iter().filter(|i| i.split == Split::Test).collect();
    let threshold = on_interest_threshold();
    println!("### Interest on the test split (threshold {threshold}, `Policy::on_interest()`)\n");
    println!("By language:\n");
    interest_table(&test, model, |i| i.language.clone());
    println!("\nBy source and language:\n");
    interest_table(&test, model, |i| format!("{} ({})", i.source, i.language));

    println!("\n### Confusion table (test split, top class)\n");
    let mut confusion = Confusion::default();
    for item in &test {
        confusion.add(item.class, model.classify(&item.text).top());
    }
    confusion.print();

    println!("\n### What the threshold buys (test split)\n");
    println!("| threshold | precision | recall | F1 | support questions above it |");
    println!("|---|---|---|---|---|");
    let scored: Vec<(f32, &Item)> = test
        .iter()
        .map(|i| (model.classify(&i.text).interest(), *i))
        .collect();
    for step in 2..=9 {
        let t = step as f32 / 10.0;
        let mut counts = Counts::default();
        let (mut support, mut fired) = (0, 0);
        for (p, item) in &scored {
            counts.add(is_interest(item), *p >= t);
            if item.class == IntentClass::Support {
                support += 1;
                fired += usize::from(*p >= t);
            }
        }
        println!(
            "| {t:.1}{} | {:.3} | {:.3} | {:.3} | {:.2} % ({fired} of {support}) |",
            if (t - threshold).abs() < 1e-6 {
                " (on_interest)"
            } else {
                ""
            },
            counts.precision(),
            counts.recall(),
            counts.f1(),
            100.0 * ratio(fired, support)
        );
    }

    println!("\n### Reliability of the calibrated interest probability (test split)\n");
    let mut reliability = Reliability::default();
    for (p, item) in &scored {
        reliability.add(*p, is_interest(item));
    }
    reliability.print();

    println!("\n### Decline and consent right after the engine's request (test split)\n");
    decline_and_consent(&test, model);

    println!("\n### The crate's hand-written sales tables (not trained on)\n");
    crate_tables(model);

    println!("\n### Cross-source: trained without a source, tested on all of it\n");
    cross_source(items);
}

/// Interest on leadkit-llm's own utterance tables (`lang, label, text`;
/// written for the rules' tests, in no training split; the seed set was
/// written after they had been read).
fn crate_tables(model: &IntentModel) {
    let threshold = on_interest_threshold();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../leadkit-llm/tests/data");
    println!("| table | language | items | interest items | precision | recall | F1 |");
    println!("|---|---|---|---|---|---|---|");
    for file in ["utterances.tsv", "utterances_holdout.tsv"] {
        let Ok(text) = std::fs::read_to_string(dir.join(file)) else {
            println!("| {file} | (not found) | | | | | |");
            continue;
        };
        let mut rows: BTreeMap<String, Counts> = BTreeMap::new();
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let fields: Vec<&str> = line.split('\t').collect();
            let [language, label, message] = fields[..] else {
                continue;
            };
            let predicted = model.classify(message).interest() >= threshold;
            rows.entry(language.to_owned())
                .or_default()
                .add(label == "interest", predicted);
            rows.entry("all".to_owned())
                .or_default()
                .add(label == "interest", predicted);
        }
        for (language, counts) in &rows {
            println!(
                "| {file} | {language} | {} | {} |",
                counts.n,
                counts.cells()
            );
        }
    }
}

/// The consent notice of the requests (an integrator's text; the engine
/// does not translate it).
const NOTICE: &str = "We will use these details only to follow up on this conversation.";

/// The engine's own request for details with consent, in `language`.
fn engine_request(language: &str) -> String {
    let locale: Locale = language.parse().unwrap_or_default();
    let policy = Policy::on_interest().with_required_consent(NOTICE, "v1");
    let mut conversation = Conversation::new();
    let outcome = conversation.handle_user_turn(
        &policy,
        UserTurn::new(
            DateTime::<Utc>::UNIX_EPOCH,
            Signals::none().with_interest(1.0),
        ),
    );
    outcome
        .ok()
        .and_then(|o| MessageCatalog::builtin(locale).render(&o.action, NOTICE))
        .unwrap_or_default()
}

fn decline_and_consent(test: &[&Item], model: &IntentModel) {
    let analyzer = IntentAnalyzer::new().with_model(model.clone());
    let policy = Policy::on_interest();
    let mut by_language: BTreeMap<&str, (Counts, Counts, usize, usize)> = BTreeMap::new();
    let unrelated = [ChatMessage::assistant(
        "Our office is open from 9 to 5. Anything else?",
    )];
    for item in test {
        let asked = [ChatMessage::assistant(engine_request(&item.language))];
        let after =
            analyzer.assess_turn(&TurnInput::new(&policy, &item.text).with_transcript(&asked));
        let without =
            analyzer.assess_turn(&TurnInput::new(&policy, &item.text).with_transcript(&unrelated));
        let entry = by_language.entry(item.language.as_str()).or_default();
        entry
            .0
            .add(item.class == IntentClass::Decline, after.signals.declined);
        entry
            .1
            .add(item.class == IntentClass::Affirm, after.signals.consent);
        if item.class == IntentClass::Affirm {
            entry.2 += 1;
            entry.3 += usize::from(without.signals.consent);
        }
    }
    println!(
        "| language | items | declines | decline P | decline R | decline F1 | yes answers | consent P | consent recall | consent F1 | yes read as consent without a request |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    let (mut d, mut c, mut yes, mut loose) = (Counts::default(), Counts::default(), 0, 0);
    for (language, (decline, consent, affirm, without)) in &by_language {
        println!(
            "| {language} | {} | {} | {} | {} / {affirm} |",
            decline.n,
            decline.cells(),
            consent.cells(),
            without
        );
        merge(&mut d, decline);
        merge(&mut c, consent);
        yes += affirm;
        loose += without;
    }
    println!(
        "| all | {} | {} | {} | {loose} / {yes} |",
        d.n,
        d.cells(),
        c.cells()
    );
}

fn merge(into: &mut Counts, from: &Counts) {
    into.tp += from.tp;
    into.fp += from.fp;
    into.fn_ += from.fn_;
    into.n += from.n;
}

fn cross_source(items: &[Item]) {
    let threshold = on_interest_threshold();
    let mut sources: Vec<&str> = items.iter().map(|i| i.source).collect();
    sources.dedup();
    println!(
        "| held-out source | items | interest items | precision | recall | F1 | top-class accuracy |"
    );
    println!("|---|---|---|---|---|---|---|");
    for source in sources {
        let rest: Vec<Item> = items
            .iter()
            .filter(|i| i.source != source)
            .cloned()
            .collect();
        let (train, validation) = training_sets(&rest);
        let model = IntentModel::train(&train, &validation, &TrainOptions::default());
        let mut counts = Counts::default();
        let mut right = 0;
        let held: Vec<&Item> = items.iter().filter(|i| i.source == source).collect();
        for item in &held {
            let scores = model.classify(&item.text);
            counts.add(is_interest(item), scores.interest() >= threshold);
            right += usize::from(scores.top() == item.class);
        }
        println!(
            "| {source} | {} | {} | {:.3} |",
            counts.n,
            counts.cells(),
            ratio(right, held.len())
        );
    }
}

/// Validation-split figures for a small grid of options (the test split is
/// not read).
pub(crate) fn tune(items: &[Item]) {
    tune_training(items);
    tune_answer_prior(items);
}

/// Decline and consent after the engine's request on the validation split,
/// for a range of answer priors, with the default training options.
fn tune_answer_prior(items: &[Item]) {
    let (train, validation) = training_sets(items);
    let model = IntentModel::train(&train, &validation, &TrainOptions::default());
    let policy = Policy::on_interest();
    let validation: Vec<&Item> = items
        .iter()
        .filter(|i| i.split == Split::Validation)
        .collect();
    println!(
        "\n| answer prior | val decline P | val decline R | val decline F1 | val consent P | val consent recall |"
    );
    println!("|---|---|---|---|---|---|");
    for prior in [1.0f32, 2.0, 4.0, 8.0, 16.0, 32.0] {
        let analyzer = IntentAnalyzer::new()
            .with_model(model.clone())
            .with_answer_prior(prior);
        let (mut decline, mut consent) = (Counts::default(), Counts::default());
        for item in &validation {
            let asked = [ChatMessage::assistant(engine_request(&item.language))];
            let after =
                analyzer.assess_turn(&TurnInput::new(&policy, &item.text).with_transcript(&asked));
            decline.add(item.class == IntentClass::Decline, after.signals.declined);
            consent.add(item.class == IntentClass::Affirm, after.signals.consent);
        }
        println!(
            "| {prior} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} |",
            decline.precision(),
            decline.recall(),
            decline.f1(),
            consent.precision(),
            consent.recall()
        );
    }
}

fn tune_training(items: &[Item]) {
    let (train, validation) = training_sets(items);
    let threshold = on_interest_threshold();
    println!(
        "| epochs | learning rate | class balance | val interest F1 | val top-class accuracy | val decline F1 |"
    );
    println!("|---|---|---|---|---|---|");
    for balance in [0.0f32, 0.5] {
        for epochs in [40u32] {
            for rate in [0.25f32, 0.5, 1.0] {
                let options = TrainOptions::default()
                    .with_epochs(epochs)
                    .with_learning_rate(rate)
                    .with_balance(balance);
                let model = IntentModel::train(&train, &validation, &options);
                let (mut interest, mut decline, mut right) =
                    (Counts::default(), Counts::default(), 0);
                for example in &validation {
                    let scores = model.classify(&example.text);
                    interest.add(
                        example.class == IntentClass::Interest,
                        scores.interest() >= threshold,
                    );
                    decline.add(
                        example.class == IntentClass::Decline,
                        scores.top() == IntentClass::Decline,
                    );
                    right += usize::from(scores.top() == example.class);
                }
                println!(
                    "| {epochs} | {rate} | {balance} | {:.3} | {:.3} | {:.3} |",
                    interest.f1(),
                    ratio(right, validation.len()),
                    decline.f1()
                );
            }
        }
    }
}
