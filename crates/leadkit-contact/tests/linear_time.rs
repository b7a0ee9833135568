//! A size sweep: extraction time grows linearly with the input. Each input
//! family is extracted 16 times at 4 KiB and once at 16 times that size;
//! linear time makes the two equal, a quadratic scan makes the large one 16
//! times slower. The ratio must stay under 3. Both sides do the same amount
//! of work at once, so a busy machine slows them alike. No absolute time is
//! asserted: speed is measured in `benches/contact.rs`.

use std::time::{Duration, Instant};

use leadkit_contact::{ExtractOptions, extract};

const SMALL: usize = 4 * 1024;
const FACTOR: usize = 16;

/// Input families: ordinary and dense chat, and shapes that stress each
/// scanner (digit runs with separators, dots and @s, spelled-out
/// separators, cue words, brackets).
fn families() -> Vec<(&'static str, &'static str)> {
    vec![
        (
            "dense",
            "Hi, I'm John Smith, john.smith@example.com, +1 201-555-0123 ext 22, or 020 7946 0958.\n",
        ),
        (
            "chat",
            "Could you tell me what the price is per month for 12 people?\n",
        ),
        ("digits_spaced", "1 "),
        ("digits_dashed", "1-"),
        ("groups", "12 34 56 "),
        ("national_numbers", "call 0151 23456789 "),
        ("dots_then_at", "a."),
        ("at_a", "@a"),
        ("spelled_at", " at a dot"),
        ("im", "I'm "),
        ("this_is", "This is "),
        ("my_name_is", "my name is A "),
        ("plus", "+"),
        ("brackets", "("),
    ]
}

fn build(unit: &str, bytes: usize) -> String {
    let mut text = unit.repeat(bytes / unit.len() + 1);
    // "dots_then_at" needs its one @ at the end.
    if unit == "a." {
        text.push('@');
    }
    text
}

/// The fastest of a few rounds of extracting each of `texts` (more rounds
/// when a round is short, since one preemption by another process weighs
/// more on a short round).
fn time(texts: &[String], options: &ExtractOptions) -> Duration {
    let round = || {
        let start = Instant::now();
        for text in texts {
            std::hint::black_box(extract(std::hint::black_box(text), options));
        }
        start.elapsed()
    };
    let first = round();
    let rounds = if first < Duration::from_millis(50) {
        9
    } else {
        1
    };
    (0..rounds).map(|_| round()).fold(first, Duration::min)
}

#[test]
fn extraction_time_grows_linearly() {
    let mut report = Vec::new();
    let mut failures = Vec::new();
    for region in [None, Some("US")] {
        let mut options = ExtractOptions::default().with_max_len(usize::MAX);
        if let Some(region) = region {
            options = options.with_default_region(region);
        }
        for (name, unit) in families() {
            let small = vec![build(unit, SMALL); FACTOR];
            let large = [build(unit, SMALL * FACTOR)];
            let small_time = time(&small, &options);
            let large_time = time(&large, &options);
            let ratio = large_time.as_secs_f64() / small_time.as_secs_f64().max(1e-9);
            report.push(format!(
                "{name} ({region:?}): {FACTOR} × {SMALL} B in {small_time:?}, {} B in {large_time:?}: ×{ratio:.2}",
                SMALL * FACTOR
            ));
            if ratio > 3.0 {
                failures.push(report.last().cloned().unwrap_or_default());
            }
        }
    }
    eprintln!("{}", report.join("\n"));
    assert!(failures.is_empty(), "not linear:\n{}", failures.join("\n"));
}
