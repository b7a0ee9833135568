//! Every offline analyzer reads a national phone number in the turn's
//! region, and without one reports that the number needs its country code.
#![allow(clippy::unwrap_used)] // test code

use leadkit_contact::{ExtractOptions, PhoneRegion};
use leadkit_core::{Field, InvalidReason, Policy, Signals};
use leadkit_llm::{IntentAnalyzer, RuleAnalyzer, TurnInput};

const MESSAGE: &str = "my number is 020 7946 0958";

fn both(input: &TurnInput<'_>) -> [Signals; 2] {
    [
        IntentAnalyzer::new().assess_turn(input).signals,
        RuleAnalyzer::new().assess_turn(input).signals,
    ]
}

#[test]
fn a_gb_turn_reads_a_national_number_as_e164() {
    let policy = Policy::before_chat();
    let gb: PhoneRegion = "GB".parse().unwrap();
    for signals in both(&TurnInput::new(&policy, MESSAGE).with_region(Some(gb))) {
        assert_eq!(signals.details.get(Field::Phone), Some("+442079460958"));
        assert!(signals.invalid.is_empty(), "{signals:?}");
    }
}

#[test]
fn without_a_region_the_number_needs_its_country_code() {
    let policy = Policy::before_chat();
    for signals in both(&TurnInput::new(&policy, MESSAGE)) {
        assert_eq!(signals.details.get(Field::Phone), None);
        assert_eq!(signals.invalid.len(), 1, "{signals:?}");
        assert_eq!(signals.invalid[0].field, Field::Phone);
        assert_eq!(signals.invalid[0].reason, InvalidReason::NeedsCountryCode);
    }
    // A number with its country code needs no region.
    for signals in both(&TurnInput::new(&policy, "call me on +44 20 7946 0958")) {
        assert_eq!(signals.details.get(Field::Phone), Some("+442079460958"));
    }
}

#[test]
fn the_turn_region_wins_over_the_analyzer_default() {
    let policy = Policy::before_chat();
    let us = ExtractOptions::default().with_default_region("US");
    let gb: PhoneRegion = "GB".parse().unwrap();
    let input = TurnInput::new(&policy, MESSAGE).with_region(Some(gb));
    let intent = IntentAnalyzer::new().with_extract_options(us.clone());
    let rules = RuleAnalyzer::new().with_extract_options(us);
    for signals in [
        intent.assess_turn(&input).signals,
        rules.assess_turn(&input).signals,
    ] {
        assert_eq!(signals.details.get(Field::Phone), Some("+442079460958"));
    }
}

#[test]
fn a_number_valid_only_in_another_country_needs_its_country_code() {
    let policy = Policy::before_chat();
    let us: PhoneRegion = "US".parse().unwrap();
    // Not a US number, but a London one: ask for the code, don't call it unreal.
    let input = TurnInput::new(&policy, "my UK number is 020 7946 0958").with_region(Some(us));
    for signals in both(&input) {
        assert_eq!(signals.details.get(Field::Phone), None, "{signals:?}");
        assert_eq!(signals.invalid.len(), 1, "{signals:?}");
        assert_eq!(signals.invalid[0].reason, InvalidReason::NeedsCountryCode);
    }
}
