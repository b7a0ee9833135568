//! Trains and evaluates leadkit-llm's intent model from the public data
//! vendored in `data/` (see `SOURCES.md`).
//!
//! ```text
//! cargo run -p leadkit-train --release                 # train, write the shipped model
//! cargo run -p leadkit-train --release -- --check      # train, compare with the shipped model (CI)
//! cargo run -p leadkit-train --release -- eval         # the evaluation in BENCHMARKS.md
//! cargo run -p leadkit-train --release -- tune         # hyper-parameters on the validation split
//! cargo run -p leadkit-train --release -- score < messages.txt   # the shipped model, line by line
//! cargo run -p leadkit-train --release -- --extra mine.jsonl --out mine.bin
//! ```
//!
//! Training is single-threaded and seeded: the same data gives the same
//! bytes.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod adaptation;
mod data;
mod engine_requests;
mod eval;
mod metrics;
mod sources;
mod split;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use leadkit_llm::{IntentModel, LabeledText, TrainOptions, read_labeled_jsonl};

use crate::data::{Error, Item, data_dir, load_all};
use crate::split::Split;

/// Where the shipped model lives in the workspace.
fn shipped_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../leadkit-llm/src/intent/model.bin")
}

/// The training and validation examples of `items`.
pub(crate) fn training_sets(items: &[Item]) -> (Vec<LabeledText>, Vec<LabeledText>) {
    let pick = |split| {
        items
            .iter()
            .filter(|item| item.split == split)
            .map(Item::labeled)
            .collect::<Vec<_>>()
    };
    (pick(Split::Train), pick(Split::Validation))
}

/// The shipped model: every source's training split, calibrated on every
/// source's validation split.
fn train_base(items: &[Item], extra: &[LabeledText]) -> IntentModel {
    let (mut train, validation) = training_sets(items);
    train.extend_from_slice(extra);
    IntentModel::train(&train, &validation, &TrainOptions::default())
}

fn run(args: &[String]) -> Result<ExitCode, Error> {
    let items = load_all(&data_dir())?;
    match args.first().map(String::as_str) {
        None => {
            let bytes = train_base(&items, &[]).to_bytes();
            std::fs::write(shipped_path(), &bytes)?;
            println!("wrote {} ({} bytes)", shipped_path().display(), bytes.len());
        }
        Some("--check") => {
            let bytes = train_base(&items, &[]).to_bytes();
            let shipped = std::fs::read(shipped_path())?;
            if bytes != shipped {
                eprintln!(
                    "the trained model ({} bytes) differs from the shipped one ({} bytes): run `cargo run -p leadkit-train --release` and commit",
                    bytes.len(),
                    shipped.len()
                );
                return Ok(ExitCode::FAILURE);
            }
            println!(
                "the training reproduces the shipped model ({} bytes)",
                bytes.len()
            );
        }
        Some("--extra") => {
            let [_, extra, out_flag, out] = args else {
                return Err("usage: leadkit-train --extra <labels.jsonl> --out <model.bin>".into());
            };
            if out_flag != "--out" {
                return Err("usage: leadkit-train --extra <labels.jsonl> --out <model.bin>".into());
            }
            let extra = read_labeled_jsonl(&std::fs::read_to_string(extra)?)?;
            let bytes = train_base(&items, &extra).to_bytes();
            std::fs::write(out, &bytes)?;
            println!(
                "trained with {} extra examples, wrote {out} ({} bytes)",
                extra.len(),
                bytes.len()
            );
        }
        Some("eval") => eval::report(&items, IntentModel::shipped()),
        Some("tune") => eval::tune(&items),
        Some("score") => {
            // One message per line on stdin: the shipped model's view of it.
            for line in std::io::stdin().lines() {
                let line = line?;
                let scores = IntentModel::shipped().classify(&line);
                println!("{:.3}\t{}\t{line}", scores.interest(), scores.top());
            }
        }
        Some(other) => return Err(format!("unknown argument {other:?}").into()),
    }
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("leadkit-train: {error}");
            ExitCode::FAILURE
        }
    }
}
