//! Shared helpers for leadkit's top-level examples, benchmarks and integration tests.
//!
//! This package is not published; it exists so that `examples/`, `benches/` and
//! `tests/` at the workspace root have a package to belong to.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

use std::path::PathBuf;

pub mod demo;
pub mod faq;

/// The folder of shared test corpora (`../shared/corpora` beside the workspace).
///
/// Tests that need a corpus call [`corpus_file`], which explains what is missing
/// instead of failing with a bare "file not found".
pub fn corpora_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora")
}

/// Reads one corpus file, or returns a message that says where it was looked for
/// and how to provide it.
pub fn corpus_file(name: &str) -> Result<String, String> {
    let path = corpora_dir().join(name);
    std::fs::read_to_string(&path).map_err(|err| {
        format!(
            "test corpus {name} is missing ({err}): expected it at {}. \
             Check out the shared/ folder beside the workspace (../shared/corpora).",
            path.display()
        )
    })
}
