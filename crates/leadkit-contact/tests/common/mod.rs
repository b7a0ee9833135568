//! Helpers shared by the integration tests.

use std::path::PathBuf;

/// Reads `../shared/corpora/<name>` (beside the workspace), or panics with a
/// message that says where it looked and what to do.
pub(crate) fn corpus(name: &str) -> serde_json::Value {
    let path = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpora"
    ))
    .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|err| {
        panic!(
            "test corpus {name} is missing ({err}): looked for it at {}. \
             The shared/ folder must be checked out beside the workspace \
             (../shared/corpora relative to the workspace root).",
            path.display()
        )
    });
    serde_json::from_str(&text).unwrap_or_else(|err| panic!("{name} is not valid JSON: {err}"))
}
