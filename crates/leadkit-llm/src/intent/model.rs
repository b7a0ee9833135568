//! [`IntentModel`]: the quantised linear model and its calibrated scores.

use std::cell::RefCell;
use std::fmt;
use std::sync::LazyLock;

use super::IntentClass;
use super::features::{FeatureConfig, Scratch, extract};
use super::format::{self, ModelError};

pub(crate) const CLASSES: usize = IntentClass::ALL.len();

/// The model shipped with the crate, trained by `leadkit-train` from the
/// public data listed in its `SOURCES.md`.
static SHIPPED_BYTES: &[u8] = include_bytes!("model.bin");

static SHIPPED: LazyLock<IntentModel> = LazyLock::new(|| {
    // A unit test decodes the same bytes, so a release cannot ship a file
    // that fails here.
    IntentModel::from_bytes(SHIPPED_BYTES).expect("the shipped intent model is checked by tests")
});

thread_local! {
    static SCRATCH: RefCell<(Scratch, Vec<u32>)> = RefCell::default();
}

/// Platt scaling of the interest score: `sigmoid(a * logit + b)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Platt {
    pub(crate) a: f32,
    pub(crate) b: f32,
}

impl Platt {
    pub(crate) const IDENTITY: Platt = Platt { a: 1.0, b: 0.0 };

    pub(crate) fn apply(self, logit: f32) -> f32 {
        sigmoid(self.a * logit + self.b)
    }
}

/// A multinomial logistic regression over hashed word and character
/// n-grams (fastText style, without the hidden layer), with `i8` weights
/// and a per-class scale.
///
/// [`IntentModel::shipped`] is the model embedded in the crate (about 1.5
/// MB, parsed once per process). [`IntentModel::from_bytes`] reads a model
/// file written by `leadkit-train` or [`IntentModel::to_bytes`], for
/// instance one adapted to an integrator's own labelled messages.
///
/// ```
/// use leadkit_llm::{IntentClass, IntentModel};
///
/// let model = IntentModel::shipped();
/// let scores = model.classify("How much is the pro plan for 10 users?");
/// assert_eq!(scores.top(), IntentClass::Interest);
/// assert!(scores.interest() > 0.5);
/// ```
#[derive(Clone, PartialEq)]
pub struct IntentModel {
    pub(crate) config: FeatureConfig,
    pub(crate) platt: Platt,
    pub(crate) scales: [f32; CLASSES],
    pub(crate) biases: [f32; CLASSES],
    /// `buckets × CLASSES`, bucket-major.
    pub(crate) weights: Vec<i8>,
}

impl fmt::Debug for IntentModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IntentModel")
            .field("buckets", &self.config.buckets())
            .field(
                "char_ngrams",
                &(self.config.char_min..=self.config.char_max),
            )
            .finish_non_exhaustive()
    }
}

/// What the model makes of one message.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IntentScores {
    probabilities: [f32; CLASSES],
    interest: f32,
    logit: f32,
}

impl IntentScores {
    /// The model's probability for `class` (softmax; the six sum to 1).
    pub fn probability(&self, class: IntentClass) -> f32 {
        self.probabilities[class.index()]
    }

    /// The most likely class.
    pub fn top(&self) -> IntentClass {
        let mut best = IntentClass::Other;
        for class in IntentClass::ALL {
            if self.probability(class) > self.probability(best) {
                best = class;
            }
        }
        best
    }

    /// The most likely class of a message that answers a yes/no request
    /// (the bot just asked for details or consent): the odds of
    /// [`Affirm`](IntentClass::Affirm) and [`Decline`](IntentClass::Decline)
    /// are multiplied by `prior`, because after such a question a yes or a
    /// no is much more likely than it is in general.
    pub fn top_answering(&self, prior: f32) -> IntentClass {
        let weight = |class: IntentClass| match class {
            IntentClass::Affirm | IntentClass::Decline => prior,
            _ => 1.0,
        };
        let mut best = IntentClass::Other;
        for class in IntentClass::ALL {
            if self.probability(class) * weight(class) > self.probability(best) * weight(best) {
                best = class;
            }
        }
        best
    }

    /// The calibrated probability that the message shows buying interest:
    /// Platt-scaled on the validation split, so that of the messages scored
    /// about `p`, about a fraction `p` are interest.
    pub fn interest(&self) -> f32 {
        self.interest
    }

    /// The uncalibrated log-odds of interest against every other class.
    pub fn interest_logit(&self) -> f32 {
        self.logit
    }
}

impl IntentModel {
    /// The model embedded in the crate.
    pub fn shipped() -> &'static IntentModel {
        &SHIPPED
    }

    /// Reads a model file ([`to_bytes`](Self::to_bytes) or `leadkit-train
    /// --out`). A damaged or foreign file is a [`ModelError`].
    pub fn from_bytes(bytes: &[u8]) -> Result<IntentModel, ModelError> {
        format::decode(bytes)
    }

    /// The model file.
    pub fn to_bytes(&self) -> Vec<u8> {
        format::encode(self)
    }

    /// Classifies one message.
    pub fn classify(&self, text: &str) -> IntentScores {
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut buffers) => {
                let (scratch, features) = &mut *buffers;
                extract(text, &self.config, scratch, features);
                self.scores(features)
            }
            // Only reachable if classify re-entered itself on this thread.
            Err(_) => {
                let mut features = Vec::new();
                extract(text, &self.config, &mut Scratch::default(), &mut features);
                self.scores(&features)
            }
        })
    }

    /// Scores precomputed features (see `features::extract`).
    pub(crate) fn scores(&self, features: &[u32]) -> IntentScores {
        let mut sums = [0i32; CLASSES];
        for &feature in features {
            let start = feature as usize * CLASSES;
            if let Some(row) = self.weights.get(start..start + CLASSES) {
                for (sum, weight) in sums.iter_mut().zip(row) {
                    *sum += i32::from(*weight);
                }
            }
        }
        let norm = 1.0 / (features.len().max(1) as f32).sqrt();
        let mut logits = [0.0f32; CLASSES];
        for c in 0..CLASSES {
            logits[c] = self.biases[c] + self.scales[c] * sums[c] as f32 * norm;
        }
        let probabilities = softmax(logits);
        let logit = interest_logit(&probabilities);
        IntentScores {
            probabilities,
            interest: self.platt.apply(logit),
            logit,
        }
    }
}

pub(crate) fn softmax(logits: [f32; CLASSES]) -> [f32; CLASSES] {
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut out = logits.map(|l| (l - max).exp());
    let total: f32 = out.iter().sum();
    for p in &mut out {
        *p /= total;
    }
    out
}

/// Log-odds of interest against the rest, bounded so calibration stays finite.
pub(crate) fn interest_logit(probabilities: &[f32; CLASSES]) -> f32 {
    let p = probabilities[IntentClass::Interest.index()].clamp(1e-6, 1.0 - 1e-6);
    (p / (1.0 - p)).ln()
}

pub(crate) fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_model_loads_and_round_trips() {
        let model = IntentModel::from_bytes(SHIPPED_BYTES).expect("the shipped model decodes");
        assert_eq!(model.to_bytes(), SHIPPED_BYTES);
        assert!(SHIPPED_BYTES.len() <= 8 * 1024 * 1024);
    }

    #[test]
    fn scores_are_probabilities() {
        let model = IntentModel::shipped();
        for text in ["", "?", "hello", "ｈｏｗ ｍｕｃｈ", &"x".repeat(100_000)] {
            let scores = model.classify(text);
            let total: f32 = IntentClass::ALL
                .iter()
                .map(|c| scores.probability(*c))
                .sum();
            assert!((total - 1.0).abs() < 1e-4, "{total}");
            assert!((0.0..=1.0).contains(&scores.interest()));
        }
    }
}
