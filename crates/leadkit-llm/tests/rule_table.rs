//! The rule analyzer against the crate's hand-written utterance tables
//! (`tests/data/utterances.tsv` and the paraphrase table
//! `utterances_holdout.tsv`): precision and recall per label, held to
//! floors. Both tables were used to tune the phrase lists, so this is a
//! regression test of the rules, not a measure of how they generalise; the
//! measure of turn understanding is the intent model's evaluation on public
//! data in BENCHMARKS.md (`cargo run -p leadkit-train --release -- eval`).
#![allow(clippy::unwrap_used, clippy::print_stdout)] // test code

mod common;

use std::collections::BTreeMap;

use common::{Label, Utterance, paraphrase_utterances, utterances};
use leadkit_core::Policy;
use leadkit_llm::RuleAnalyzer;

/// Floors the analyzer meets today; a regression in the phrase lists or the
/// scoring fails them.
const PRECISION_FLOOR: f64 = 0.95;
const RECALL_FLOOR: f64 = 0.95;
const ACCURACY_FLOOR_PER_LANGUAGE: f64 = 0.95;
/// Floors for the paraphrase table (see
/// [`paraphrase_table_meets_its_lower_floors`]). It was kept out of tuning
/// for three rounds, when the rules got about 40 % of it right; a fourth
/// round added broader cues after reading it (88 % now). Its figures are
/// in-sample: these floors, rounded down from today's figures, guard
/// against regressions and measure nothing unseen.
const PARAPHRASE_PRECISION_FLOOR: f64 = 0.7;
const PARAPHRASE_NO_INTEREST_RECALL_FLOOR: f64 = 0.9;
const PARAPHRASE_ACCURACY_FLOOR: f64 = 0.85;

/// What the rules scored on one table.
struct Metrics {
    /// Per label: precision (`None` when never predicted) and recall.
    labels: BTreeMap<Label, (Option<f64>, f64)>,
    languages: BTreeMap<String, f64>,
    overall: f64,
}

/// Precision, recall and accuracy of the rules on `table`, printed.
fn measure(name: &str, table: &[Utterance]) -> Metrics {
    let rules = RuleAnalyzer::new();
    let frugal = RuleAnalyzer::new().with_cueless_questions_unsure(false);
    // How many mistakes the rules flag as unsure (a hybrid would ask its
    // model about those), by default and with cue-less questions sure.
    let (mut flagged, mut flagged_frugal, mut unsure, mut unsure_frugal) = (0u32, 0u32, 0u32, 0u32);
    let policy = Policy::on_interest();
    let threshold = policy.interest_threshold.get();

    let mut confusion: BTreeMap<(Label, Label), u32> = BTreeMap::new();
    let mut per_language: BTreeMap<&str, (u32, u32)> = BTreeMap::new();
    let mut misses = Vec::new();
    let mut right_overall = 0u32;
    for utterance in table {
        let assessment = rules.assess(&policy, &utterance.text);
        let predicted = Label::of(&assessment.signals, threshold);
        let frugal_unsure = !frugal.assess(&policy, &utterance.text).is_sure();
        unsure += u32::from(!assessment.is_sure());
        unsure_frugal += u32::from(frugal_unsure);
        if predicted != utterance.label {
            flagged += u32::from(!assessment.is_sure());
            flagged_frugal += u32::from(frugal_unsure);
        }
        *confusion.entry((utterance.label, predicted)).or_default() += 1;
        let entry = per_language.entry(utterance.lang.as_str()).or_default();
        entry.1 += 1;
        if predicted == utterance.label {
            entry.0 += 1;
            right_overall += 1;
        } else {
            misses.push(format!(
                "  [{}] expected {} got {} (interest {:.2}{}): {}",
                utterance.lang,
                utterance.label.as_str(),
                predicted.as_str(),
                assessment.signals.interest.get(),
                if assessment.is_sure() { "" } else { ", unsure" },
                utterance.text
            ));
        }
    }

    println!(
        "rule analyzer on the {name} table, {} utterances",
        table.len()
    );
    println!(
        "{:<12} {:>9} {:>9} {:>7}",
        "label", "precision", "recall", "support"
    );
    let mut labels = BTreeMap::new();
    for label in Label::ALL {
        let tp = f64::from(*confusion.get(&(label, label)).unwrap_or(&0));
        let predicted: u32 = confusion
            .iter()
            .filter(|((_, p), _)| *p == label)
            .map(|(_, n)| n)
            .sum();
        let actual: u32 = confusion
            .iter()
            .filter(|((a, _), _)| *a == label)
            .map(|(_, n)| n)
            .sum();
        let precision = (predicted > 0).then(|| tp / f64::from(predicted));
        let recall = if actual == 0 {
            0.0
        } else {
            tp / f64::from(actual)
        };
        let shown = precision.map_or("-".to_owned(), |p| format!("{p:.3}"));
        println!(
            "{:<12} {shown:>9} {recall:>9.3} {actual:>7}",
            label.as_str()
        );
        labels.insert(label, (precision, recall));
    }
    let mut languages = BTreeMap::new();
    for (lang, (right, total)) in &per_language {
        let accuracy = f64::from(*right) / f64::from(*total);
        println!("accuracy {lang}: {accuracy:.3} ({right}/{total})");
        languages.insert((*lang).to_owned(), accuracy);
    }
    let overall = f64::from(right_overall) / table.len() as f64;
    println!("accuracy overall: {overall:.3}");
    println!(
        "mistakes flagged unsure: {flagged}/{} by default (unsure on {unsure} of {} utterances), \
         {flagged_frugal}/{} with cue-less questions sure (unsure on {unsure_frugal})",
        misses.len(),
        table.len(),
        misses.len(),
    );
    println!("misclassified ({}):\n{}", misses.len(), misses.join("\n"));
    Metrics {
        labels,
        languages,
        overall,
    }
}

#[test]
fn precision_and_recall_per_label_meet_the_floors() {
    let table = utterances();
    assert!(
        table.len() >= 300,
        "the table has {} utterances",
        table.len()
    );
    let metrics = measure("labelled", &table);
    for (label, (precision, recall)) in &metrics.labels {
        let precision = precision.unwrap_or(0.0);
        assert!(
            precision >= PRECISION_FLOOR,
            "{label:?} precision {precision:.3}"
        );
        assert!(*recall >= RECALL_FLOOR, "{label:?} recall {recall:.3}");
    }
    for (lang, accuracy) in &metrics.languages {
        assert!(
            *accuracy >= ACCURACY_FLOOR_PER_LANGUAGE,
            "{lang} accuracy {accuracy:.3}"
        );
    }
    assert_eq!(metrics.languages.len(), 5, "every language is in the table");
}

/// The paraphrase table was read while tuning the phrase lists (see the
/// floors above), so its figures are in-sample too; its floors are lower
/// because the rules still miss more of it.
#[test]
fn paraphrase_table_meets_its_lower_floors() {
    let table = paraphrase_utterances();
    assert!(
        table.len() >= 40,
        "the paraphrase table has {} utterances",
        table.len()
    );
    let metrics = measure("paraphrases (in-sample)", &table);
    for label in [Label::Interest, Label::Decline, Label::Consent] {
        if let Some(precision) = metrics.labels[&label].0 {
            assert!(
                precision >= PARAPHRASE_PRECISION_FLOOR,
                "{label:?} precision {precision:.3}"
            );
        }
    }
    let no_interest_recall = metrics.labels[&Label::NoInterest].1;
    assert!(
        no_interest_recall >= PARAPHRASE_NO_INTEREST_RECALL_FLOOR,
        "no_interest recall {no_interest_recall:.3}"
    );
    assert!(
        metrics.overall >= PARAPHRASE_ACCURACY_FLOOR,
        "overall accuracy {:.3}",
        metrics.overall
    );
}
