//! An integrator's adaptation, tested: about 50 labelled messages of a
//! domain the base model never saw raise recall on that domain's held-back
//! messages without costing more than 2 points of F1 on the base test
//! split.
//!
//! The unseen domain is NLU++ hotels (new bookings and prices against an
//! existing guest's requests). The base model is trained on every other
//! source; the adapted one on the same plus 50 NLU++ messages (every other
//! `interest` message in file order, then `support` ones), written to
//! JSONL and read back with `read_labeled_jsonl`, as an integrator's file
//! would be. The held-back messages are all the other NLU++ messages.
//!
//! It trains two models with the shipped options on the whole base data
//! (about 4 s in a release build, minutes in a debug one), so it runs in
//! release builds only: `cargo test -p leadkit-train --release`.

#[cfg(test)]
mod tests {
    use leadkit_llm::{IntentClass, IntentModel, LabeledText, TrainOptions, read_labeled_jsonl};

    use crate::data::{Item, data_dir, load_all};
    use crate::metrics::Counts;
    use crate::split::Split;
    use crate::training_sets;

    const DOMAIN: &str = "nlupp_hotels";

    fn interest_counts(model: &IntentModel, items: &[&Item]) -> Counts {
        let threshold = leadkit_core::Policy::on_interest().interest_threshold.get();
        let mut counts = Counts::default();
        for item in items {
            counts.add(
                item.class == IntentClass::Interest,
                model.classify(&item.text).interest() >= threshold,
            );
        }
        counts
    }

    fn jsonl(examples: &[&Item]) -> String {
        examples
            .iter()
            .map(|item| {
                serde_json::json!({"text": item.text, "label": item.class.name()}).to_string()
                    + "\n"
            })
            .collect()
    }

    #[test]
    #[cfg_attr(
        debug_assertions,
        ignore = "trains two models: run `cargo test -p leadkit-train --release`"
    )]
    fn fifty_examples_of_an_unseen_domain_raise_its_recall_and_keep_the_base() {
        let items = load_all(&data_dir()).expect("the vendored data loads");
        let base_items: Vec<Item> = items
            .iter()
            .filter(|i| i.source != DOMAIN)
            .cloned()
            .collect();
        let domain: Vec<&Item> = items.iter().filter(|i| i.source == DOMAIN).collect();
        let interest: Vec<&Item> = domain
            .iter()
            .copied()
            .filter(|i| i.class == IntentClass::Interest)
            .collect();
        let mut extra: Vec<&Item> = interest.iter().copied().step_by(2).collect();
        let support = domain
            .iter()
            .copied()
            .filter(|i| i.class == IntentClass::Support);
        extra.extend(support.take(50 - extra.len()));
        assert_eq!(extra.len(), 50);
        let held_back: Vec<&Item> = domain
            .iter()
            .copied()
            .filter(|i| !extra.iter().any(|e| std::ptr::eq(*e, *i)))
            .collect();
        let base_test: Vec<&Item> = base_items
            .iter()
            .filter(|i| i.split == Split::Test)
            .collect();

        let options = TrainOptions::default();
        let (train, validation) = training_sets(&base_items);
        let base = IntentModel::train(&train, &validation, &options);
        let mut adapted_train: Vec<LabeledText> = train.clone();
        adapted_train.extend(read_labeled_jsonl(&jsonl(&extra)).expect("our own JSONL reads back"));
        let adapted = IntentModel::from_bytes(
            &IntentModel::train(&adapted_train, &validation, &options).to_bytes(),
        )
        .expect("the adapted model file loads");

        let before = interest_counts(&base, &held_back);
        let after = interest_counts(&adapted, &held_back);
        let base_before = interest_counts(&base, &base_test).f1();
        let base_after = interest_counts(&adapted, &base_test).f1();
        println!(
            "held-back {DOMAIN} interest recall {:.3} -> {:.3} ({} interest of {}); base test F1 {base_before:.3} -> {base_after:.3}",
            before.recall(),
            after.recall(),
            before.positives(),
            held_back.len()
        );
        assert!(before.positives() >= 30);
        assert!(after.recall() > before.recall());
        assert!(base_after >= base_before - 0.02);
    }
}
