//! One Aho-Corasick pass over the folded message finds every cue.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::phrases::{
    BARE_AGREEMENTS, BARE_REFUSALS, CONTACT_REQUESTS, Cue, PHRASES, Part, SUPPORT_QUESTIONS,
    THIRD_PARTY,
};
use crate::text::{drop_fillers_into, fold};

/// Patterns beyond this many are ignored (a unit test keeps the lists
/// below it); the per-message "seen" set is a fixed array on the stack.
const MAX_PATTERNS: usize = 1024;

/// The cue automaton, built once per process.
pub(crate) struct CueMatcher {
    automaton: AhoCorasick,
    cues: Vec<Cue>,
}

/// What the cues of one message add up to.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct CueTally {
    /// Noisy-or of the interest cues, `0.0..=1.0`.
    pub(crate) interest: f32,
    /// Noisy-or of the cues against interest, `0.0..=1.0`.
    pub(crate) against: f32,
    /// An explicit decline was found.
    pub(crate) decline: bool,
    /// Agreement to be contacted was found.
    pub(crate) consent: bool,
    /// Words steering the assistant or redirecting details were found.
    pub(crate) steering: bool,
    /// No phrase of any kind matched.
    pub(crate) no_cue: bool,
}

static CUES: LazyLock<CueMatcher> = LazyLock::new(CueMatcher::build);
static THIRD_PARTY_MATCHER: LazyLock<AhoCorasick> = LazyLock::new(|| {
    let patterns: Vec<String> = THIRD_PARTY.iter().map(|p| fold(p)).collect();
    AhoCorasick::new(patterns).expect("the third-party phrases are a small fixed list")
});

impl CueMatcher {
    /// The shared matcher.
    pub(crate) fn get() -> &'static CueMatcher {
        &CUES
    }

    fn build() -> CueMatcher {
        let mut patterns: Vec<String> = Vec::with_capacity(PHRASES.len());
        let mut cues = Vec::with_capacity(PHRASES.len());
        let support = SUPPORT_QUESTIONS
            .iter()
            .map(|phrase| (*phrase, Cue::Support));
        for (phrase, cue) in PHRASES.iter().copied().chain(support) {
            let pattern = folded_pattern(phrase);
            // The same phrase in two languages ("demo") counts once.
            if patterns.contains(&pattern) {
                continue;
            }
            patterns.push(pattern);
            cues.push(cue);
        }
        patterns.truncate(MAX_PATTERNS);
        cues.truncate(MAX_PATTERNS);
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .expect("the cue phrases are a fixed list well within automaton limits");
        CueMatcher { automaton, cues }
    }

    /// Tallies the cues of a folded message (see `crate::text::fold`).
    pub(crate) fn tally(&self, folded: &str) -> CueTally {
        let mut seen = [0u64; MAX_PATTERNS / 64];
        let mut interest_keep = 1.0f32;
        let mut against_keep = 1.0f32;
        let mut tally = CueTally::default();
        let mut parts = [false; 6];
        let mut any = false;
        for found in self.automaton.find_overlapping_iter(folded) {
            let index = found.pattern().as_usize();
            let (word, bit) = (index / 64, 1u64 << (index % 64));
            let Some(slot) = seen.get_mut(word) else {
                continue;
            };
            if *slot & bit != 0 {
                continue;
            }
            *slot |= bit;
            any = true;
            match self.cues.get(index) {
                Some(Cue::Interest(weight)) => interest_keep *= 1.0 - weight,
                Some(Cue::Against(weight)) => against_keep *= 1.0 - weight,
                Some(Cue::Decline) => tally.decline = true,
                Some(Cue::Consent) => tally.consent = true,
                Some(Cue::Steering) => tally.steering = true,
                Some(Cue::Support) => {}
                Some(Cue::Part(part)) => parts[*part as usize] = true,
                None => {}
            }
        }
        if parts[Part::Refusal as usize] && parts[Part::ShareObject as usize] {
            tally.decline = true;
        }
        if (parts[Part::SendToMe as usize] && parts[Part::ViaChannel as usize])
            || (parts[Part::PermitMe as usize] && parts[Part::ContactVerb as usize])
        {
            tally.consent = true;
        }
        if BARE_REFUSALS.contains(&folded) {
            tally.decline = true;
        }
        tally.no_cue = !any && !tally.decline;
        tally.interest = 1.0 - interest_keep;
        tally.against = 1.0 - against_keep;
        tally
    }

    /// How many distinct phrases the automaton holds.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.cues.len()
    }
}

static CONTACT_REQUEST_MATCHER: LazyLock<AhoCorasick> = LazyLock::new(|| {
    let patterns: Vec<String> = CONTACT_REQUESTS.iter().map(|p| fold(p)).collect();
    AhoCorasick::new(patterns).expect("the contact-request phrases are a small fixed list")
});

/// Whether a folded message (fillers dropped) is a bare "yes".
pub(crate) fn is_bare_agreement(folded: &str) -> bool {
    BARE_AGREEMENTS.contains(&folded)
}

/// Whether the folded assistant message asks to contact the visitor.
pub(crate) fn asks_to_contact(folded_assistant: &str) -> bool {
    CONTACT_REQUEST_MATCHER.is_match(folded_assistant)
}

/// Whether the folded `window` attributes a detail to someone else.
pub(crate) fn mentions_third_party(folded_window: &str) -> bool {
    THIRD_PARTY_MATCHER.is_match(folded_window)
}

/// A phrase folded into its pattern: `" how much "`, or `" pric"` for the
/// prefix phrase `"pric*"`.
fn folded_pattern(phrase: &str) -> String {
    let (words, prefix) = match phrase.strip_suffix('*') {
        Some(words) => (words, true),
        None => (phrase, false),
    };
    let mut folded = String::new();
    drop_fillers_into(&fold(words), &mut folded);
    if prefix {
        folded.truncate(folded.trim_end().len());
    }
    folded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_phrase_fits_and_folds_to_words() {
        assert!(PHRASES.len() + SUPPORT_QUESTIONS.len() < MAX_PATTERNS);
        assert!(CueMatcher::get().len() > 300);
        for (phrase, _) in PHRASES {
            let pattern = folded_pattern(phrase);
            assert!(pattern.len() > 2, "{phrase:?} folds to nothing");
            assert!(pattern.starts_with(' '), "{phrase:?}");
        }
    }

    #[test]
    fn no_phrase_is_listed_twice_with_different_cues() {
        let mut seen: Vec<(String, Cue)> = Vec::new();
        let support = SUPPORT_QUESTIONS
            .iter()
            .map(|phrase| (*phrase, Cue::Support));
        for (phrase, cue) in PHRASES.iter().copied().chain(support) {
            let pattern = folded_pattern(phrase);
            if let Some((_, earlier)) = seen.iter().find(|(p, _)| *p == pattern) {
                assert_eq!(*earlier, cue, "{phrase:?} is listed with two cues");
            }
            seen.push((pattern, cue));
        }
    }

    #[test]
    fn prefix_phrases_match_word_starts_only() {
        let matcher = CueMatcher::get();
        assert!(matcher.tally(&fold("What's your pricing?")).interest > 0.6);
        assert!(matcher.tally(&fold("Is this an aprice thing")).interest < 0.1);
    }

    #[test]
    fn repeated_cues_count_once() {
        let matcher = CueMatcher::get();
        let once = matcher.tally(&fold("price"));
        let twice = matcher.tally(&fold("price price price"));
        assert_eq!(once, twice);
    }

    #[test]
    fn third_party_windows() {
        assert!(mentions_third_party(&fold("this is my boss's email:")));
        assert!(mentions_third_party(&fold("use his address")));
        assert!(!mentions_third_party(&fold("here is my email:")));
    }
}
