//! Helpers shared by the integration tests.

use std::path::PathBuf;

/// Reads `tests/data/<name>` (vendored corpora, see `tests/data/SOURCES.md`),
/// or panics with a message that says where it looked.
pub(crate) fn corpus(name: &str) -> serde_json::Value {
    let path = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data")).join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|err| {
        panic!(
            "test corpus {name} is missing ({err}): looked for it at {}",
            path.display()
        )
    });
    serde_json::from_str(&text).unwrap_or_else(|err| panic!("{name} is not valid JSON: {err}"))
}
