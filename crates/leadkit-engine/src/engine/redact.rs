//! Text with contact details masked, for logs.

use std::fmt;
use std::sync::LazyLock;

use leadkit_contact::{ContactKind, ExtractOptions, extract};

static OPTIONS: LazyLock<ExtractOptions> = LazyLock::new(ExtractOptions::default);

/// Shows a message with every email address, phone number and self-stated
/// name replaced by `[email]`, `[phone]` or `[name]`, so that an
/// integrator who wants message text in a log line can have it without the
/// personal data. The engine itself never logs message text.
///
/// ```
/// use leadkit_engine::engine::Redacted;
///
/// let line = "I'm Ana Souza, write to ana@example.com or call +44 20 7946 0958";
/// let shown = Redacted(line).to_string();
/// assert!(!shown.contains("ana@example.com") && !shown.contains("7946") && !shown.contains("Souza"));
/// assert!(shown.contains("[email]") && shown.contains("[phone]"));
/// ```
#[derive(Clone, Copy)]
pub struct Redacted<'a>(pub &'a str);

impl fmt::Display for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0;
        let extraction = extract(text, &OPTIONS);
        let mut at = 0;
        for found in &extraction.found {
            let span = found.span.clone();
            if span.start < at || span.end > text.len() {
                continue;
            }
            f.write_str(text.get(at..span.start).unwrap_or_default())?;
            f.write_str(match found.kind {
                ContactKind::Email => "[email]",
                ContactKind::Phone => "[phone]",
                _ => "[name]",
            })?;
            at = span.end;
        }
        let rest = text.get(at..).unwrap_or_default();
        if extraction.truncated && !rest.is_empty() {
            // Text past the scanned length was not checked: do not show it.
            return f.write_str("[…]");
        }
        f.write_str(rest)
    }
}

impl fmt::Debug for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.to_string())
    }
}
