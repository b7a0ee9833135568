//! The model's input: hashed word uni- and bigrams and character 3–5-grams
//! of the folded message, fastText style.
//!
//! Training (`leadkit-train`) and inference call the same function, so the
//! features a model was trained on are the features it sees at run time.

use std::hash::Hasher;

use fnv::FnvHasher;

/// Only this many bytes of a message are read: intent shows in the first
/// lines, and the cost per message stays bounded.
const MAX_READ: usize = 2 * 1024;

/// Start and end markers of a message for word bigrams, and of a word for
/// character n-grams.
const START: &str = "<s>";
const END: &str = "</s>";

/// The feature kinds, hashed in so that a word and a character n-gram with
/// the same letters land in different buckets.
const WORD: u8 = 1;
const BIGRAM: u8 = 2;
const CHARS: u8 = 3;

/// How a model turns text into features; stored in the model file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FeatureConfig {
    /// Features are hashed into `1 << bucket_bits` buckets.
    pub(crate) bucket_bits: u8,
    /// Shortest character n-gram.
    pub(crate) char_min: u8,
    /// Longest character n-gram.
    pub(crate) char_max: u8,
}

impl FeatureConfig {
    /// Buckets in the weight table.
    pub(crate) fn buckets(&self) -> usize {
        1 << self.bucket_bits
    }
}

/// Reusable buffers for feature extraction.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    words: String,
    bounds: Vec<usize>,
}

/// Writes the feature buckets of `text` into `out` (cleared first).
///
/// The text is folded with [`leadkit_core::fold`] (case, accents), split
/// into words at every character that is not a letter or digit, and every
/// run of digits becomes one `0` (order numbers, amounts and dates then
/// share a feature).
pub(crate) fn extract(
    text: &str,
    config: &FeatureConfig,
    scratch: &mut Scratch,
    out: &mut Vec<u32>,
) {
    out.clear();
    let folded = leadkit_core::fold(crate::text::prefix(text, MAX_READ));
    let words = &mut scratch.words;
    words.clear();
    let mut in_digits = false;
    for c in folded.chars() {
        if c.is_ascii_digit() || (c.is_numeric() && !c.is_alphabetic()) {
            if !in_digits {
                words.push('0');
                in_digits = true;
            }
        } else if c.is_alphanumeric() {
            words.push(c);
            in_digits = false;
        } else {
            if !words.ends_with(' ') && !words.is_empty() {
                words.push(' ');
            }
            in_digits = false;
        }
    }
    let mask = (1u64 << config.bucket_bits) - 1;
    let bucket = |hasher: FnvHasher| (fold64(hasher.finish()) & mask) as u32;
    let mut previous = START;
    for word in words.split_ascii_whitespace() {
        let mut hasher = FnvHasher::default();
        hasher.write_u8(WORD);
        hasher.write(word.as_bytes());
        out.push(bucket(hasher));
        out.push(bigram(previous, word, &bucket));
        char_ngrams(word, config, &mut scratch.bounds, &bucket, out);
        previous = word;
    }
    if previous != START {
        out.push(bigram(previous, END, &bucket));
    }
}

fn bigram(first: &str, second: &str, bucket: &impl Fn(FnvHasher) -> u32) -> u32 {
    let mut hasher = FnvHasher::default();
    hasher.write_u8(BIGRAM);
    hasher.write(first.as_bytes());
    hasher.write_u8(b' ');
    hasher.write(second.as_bytes());
    bucket(hasher)
}

/// The character n-grams of `<word>`.
fn char_ngrams(
    word: &str,
    config: &FeatureConfig,
    bounds: &mut Vec<usize>,
    bucket: &impl Fn(FnvHasher) -> u32,
    out: &mut Vec<u32>,
) {
    // Char boundaries of "<word>", as byte offsets into the three pieces
    // hashed one after the other.
    bounds.clear();
    bounds.extend([0, 1]);
    bounds.extend(word.char_indices().map(|(i, c)| i + c.len_utf8() + 1));
    bounds.push(word.len() + 2);
    let marked = |start: usize, end: usize, hasher: &mut FnvHasher| {
        // Byte `0` is '<', bytes `1..=len` the word, byte `len + 1` '>'.
        let len = word.len();
        if start == 0 {
            hasher.write_u8(b'<');
        }
        let from = start.max(1) - 1;
        let to = end.min(len + 1) - 1;
        if from < to {
            hasher.write(&word.as_bytes()[from..to]);
        }
        if end == len + 2 {
            hasher.write_u8(b'>');
        }
    };
    let chars = bounds.len() - 1;
    for n in usize::from(config.char_min)..=usize::from(config.char_max) {
        if n > chars {
            break;
        }
        for start in 0..=chars - n {
            let mut hasher = FnvHasher::default();
            hasher.write_u8(CHARS);
            marked(bounds[start], bounds[start + n], &mut hasher);
            out.push(bucket(hasher));
        }
    }
}

/// Mixes the high half of a 64-bit hash into the low bits used as bucket.
fn fold64(hash: u64) -> u64 {
    hash ^ (hash >> 32)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: FeatureConfig = FeatureConfig {
        bucket_bits: 20,
        char_min: 3,
        char_max: 5,
    };

    fn features(text: &str) -> Vec<u32> {
        let mut out = Vec::new();
        extract(text, &CONFIG, &mut Scratch::default(), &mut out);
        out
    }

    #[test]
    fn case_accents_punctuation_and_digits_do_not_change_features() {
        assert_eq!(features("¿Cuánto cuesta?"), features("cuanto  CUESTA"));
        assert_eq!(features("order 123-456"), features("order 9 7"));
        assert!(features("").is_empty() && features(" ?! ").is_empty());
    }

    #[test]
    fn one_word_gives_word_bigrams_and_char_ngrams() {
        // "no": the word, "<s> no", "no </s>", and "<no>" has two 3-grams
        // and one 4-gram.
        assert_eq!(features("no").len(), 1 + 1 + 1 + 3);
        // "demo": "<demo>" has 4 + 3 + 2 n-grams of length 3, 4, 5.
        assert_eq!(features("demo").len(), 3 + 9);
        let multibyte = features("größe");
        // "größe" folds to "grosse": "<grosse>" has 6 + 5 + 4 n-grams.
        assert_eq!(multibyte.len(), 3 + 6 + 5 + 4);
        assert!(multibyte.iter().all(|b| *b < 1 << 20));
    }

    #[test]
    fn char_ngrams_hash_the_marked_word() {
        // Of "no" and "not", only the 3-gram "<no" is the same.
        let no = features("no");
        let not = features("not");
        assert_eq!(no.iter().filter(|f| not.contains(f)).count(), 1);
    }
}
