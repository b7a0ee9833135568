//! Extraction must return for any text, with spans on char boundaries,
//! ordered and inside the scanned prefix.
#![no_main]

use leadkit_contact::{ExtractOptions, extract};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    for options in [
        ExtractOptions::default(),
        ExtractOptions::default()
            .with_default_region("US")
            .with_max_len(512),
    ] {
        let extraction = extract(text, &options);
        let mut last_end = 0;
        for found in &extraction.found {
            assert!(found.span.start >= last_end && found.span.start < found.span.end);
            assert!(
                text.is_char_boundary(found.span.start) && text.is_char_boundary(found.span.end)
            );
            assert!(found.span.end <= options.max_len.min(text.len()));
            assert_eq!(found.valid, found.error.is_none());
            last_end = found.span.end;
        }
        assert_eq!(extraction.truncated, text.len() > options.max_len);
    }
});
