//! Training: plain SGD on the softmax loss, single-threaded and seeded, so
//! the same data and options give the same bytes on every run.

use super::features::{FeatureConfig, Scratch, extract};
use super::model::{CLASSES, IntentModel, Platt, softmax};
use super::{IntentClass, LabeledText};

/// Hyper-parameters of [`IntentModel::train`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TrainOptions {
    /// Passes over the training data.
    pub epochs: u32,
    /// Initial learning rate, decayed linearly to 0 (as fastText does).
    pub learning_rate: f32,
    /// Features are hashed into `1 << bucket_bits` buckets (10..=24).
    pub bucket_bits: u8,
    /// Seed of the shuffling.
    pub seed: u64,
    /// How much rare classes are weighted up: each example's step is
    /// multiplied by `(examples / (classes × examples of its class))^balance`
    /// (0: no weighting, 1: fully balanced classes).
    pub balance: f32,
}

impl Default for TrainOptions {
    /// The options the shipped model was trained with.
    fn default() -> Self {
        Self {
            epochs: 40,
            learning_rate: 0.5,
            bucket_bits: 18,
            seed: 12,
            balance: 0.5,
        }
    }
}

impl TrainOptions {
    /// With another number of epochs.
    #[must_use]
    pub fn with_epochs(mut self, epochs: u32) -> Self {
        self.epochs = epochs;
        self
    }

    /// With another initial learning rate.
    #[must_use]
    pub fn with_learning_rate(mut self, learning_rate: f32) -> Self {
        self.learning_rate = learning_rate;
        self
    }

    /// With another number of hash buckets (`1 << bits`, clamped to 10..=24).
    #[must_use]
    pub fn with_bucket_bits(mut self, bits: u8) -> Self {
        self.bucket_bits = bits.clamp(10, 24);
        self
    }

    /// With another class-balance exponent (clamped to `0..=1`).
    #[must_use]
    pub fn with_balance(mut self, balance: f32) -> Self {
        self.balance = if balance.is_finite() {
            balance.clamp(0.0, 1.0)
        } else {
            0.0
        };
        self
    }

    /// With another shuffling seed.
    #[must_use]
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
}

/// SplitMix64: a tiny, fixed pseudo-random sequence for the shuffles.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn featurize(examples: &[LabeledText], config: &FeatureConfig) -> Vec<Vec<u32>> {
    let mut scratch = Scratch::default();
    examples
        .iter()
        .map(|example| {
            let mut features = Vec::new();
            extract(&example.text, config, &mut scratch, &mut features);
            features
        })
        .collect()
}

impl IntentModel {
    /// Trains a model on `train`, then calibrates its interest probability
    /// on `validation` (Platt scaling; none if `validation` has no interest
    /// example or no other example).
    ///
    /// Deterministic: the same examples in the same order with the same
    /// options give a model with the same [`to_bytes`](Self::to_bytes).
    /// `leadkit-train` trains the shipped model with this function.
    pub fn train(
        train: &[LabeledText],
        validation: &[LabeledText],
        options: &TrainOptions,
    ) -> IntentModel {
        let config = FeatureConfig {
            bucket_bits: options.bucket_bits.clamp(10, 24),
            char_min: 3,
            char_max: 5,
        };
        let features = featurize(train, &config);
        let mut weights = vec![0.0f32; config.buckets() * CLASSES];
        let mut biases = [0.0f32; CLASSES];
        let mut counts = [0usize; CLASSES];
        for example in train {
            counts[example.class.index()] += 1;
        }
        let class_weight = counts.map(|n| {
            if n == 0 {
                1.0
            } else {
                (train.len() as f32 / (CLASSES as f32 * n as f32)).powf(options.balance)
            }
        });
        let mut order: Vec<usize> = (0..train.len()).collect();
        let mut rng = SplitMix(options.seed);
        let total_steps = (train.len() as u64 * u64::from(options.epochs)).max(1) as f32;
        let mut step = 0u64;
        for _ in 0..options.epochs {
            for i in (1..order.len()).rev() {
                order.swap(i, rng.below(i + 1));
            }
            for &index in &order {
                let rate = options.learning_rate
                    * (1.0 - step as f32 / total_steps)
                    * class_weight[train[index].class.index()];
                step += 1;
                let row = &features[index];
                let norm = 1.0 / (row.len().max(1) as f32).sqrt();
                let mut logits = biases;
                for &feature in row {
                    let start = feature as usize * CLASSES;
                    for (logit, weight) in logits.iter_mut().zip(&weights[start..start + CLASSES]) {
                        *logit += weight * norm;
                    }
                }
                let mut gradient = softmax(logits);
                gradient[train[index].class.index()] -= 1.0;
                for (bias, g) in biases.iter_mut().zip(&gradient) {
                    *bias -= rate * g;
                }
                for &feature in row {
                    let start = feature as usize * CLASSES;
                    for (weight, g) in weights[start..start + CLASSES].iter_mut().zip(&gradient) {
                        *weight -= rate * g * norm;
                    }
                }
            }
        }
        let mut model = quantize(config, &weights, biases);
        model.platt = calibrate(&model, &featurize(validation, &config), validation);
        model
    }
}

/// `i8` weights with one scale per class (the largest weight maps to 127).
fn quantize(config: FeatureConfig, weights: &[f32], biases: [f32; CLASSES]) -> IntentModel {
    let mut scales = [0.0f32; CLASSES];
    for row in weights.chunks_exact(CLASSES) {
        for (scale, weight) in scales.iter_mut().zip(row) {
            *scale = scale.max(weight.abs());
        }
    }
    for scale in &mut scales {
        *scale = if *scale > 0.0 { *scale / 127.0 } else { 1.0 };
    }
    let quantized = weights
        .chunks_exact(CLASSES)
        .flat_map(|row| {
            row.iter()
                .zip(scales)
                .map(|(weight, scale)| (weight / scale).round().clamp(-127.0, 127.0) as i8)
        })
        .collect();
    IntentModel {
        config,
        platt: Platt::IDENTITY,
        scales,
        biases,
        weights: quantized,
    }
}

/// Platt scaling of the quantised model's interest log-odds, fitted by
/// Newton's method with Platt's smoothed targets.
fn calibrate(model: &IntentModel, features: &[Vec<u32>], examples: &[LabeledText]) -> Platt {
    let points: Vec<(f64, bool)> = features
        .iter()
        .zip(examples)
        .map(|(row, example)| {
            let scores = model.scores(row);
            (
                f64::from(scores.interest_logit()),
                example.class == IntentClass::Interest,
            )
        })
        .collect();
    let positives = points.iter().filter(|(_, y)| *y).count() as f64;
    let negatives = points.len() as f64 - positives;
    if positives == 0.0 || negatives == 0.0 {
        return Platt::IDENTITY;
    }
    let high = (positives + 1.0) / (positives + 2.0);
    let low = 1.0 / (negatives + 2.0);
    let target = |y: bool| if y { high } else { low };
    // Cross-entropy against the smoothed targets, computed stably.
    let loss = |a: f64, b: f64| -> f64 {
        points
            .iter()
            .map(|&(x, y)| {
                let z = a * x + b;
                let t = target(y);
                // -t ln σ(z) - (1-t) ln(1-σ(z)) = ln(1+e^z) - t z
                let softplus = if z > 0.0 {
                    z + (-z).exp().ln_1p()
                } else {
                    z.exp().ln_1p()
                };
                softplus - t * z
            })
            .sum()
    };
    let (mut a, mut b) = (1.0f64, 0.0f64);
    let mut current = loss(a, b);
    for _ in 0..100 {
        // Gradient and Hessian of the loss in (a, b).
        let (mut ga, mut gb, mut haa, mut hab, mut hbb) = (0.0, 0.0, 1e-9, 0.0, 1e-9);
        for &(x, y) in &points {
            let z = a * x + b;
            let p = 1.0 / (1.0 + (-z).exp());
            let d = p - target(y);
            let w = (p * (1.0 - p)).max(1e-12);
            ga += d * x;
            gb += d;
            haa += w * x * x;
            hab += w * x;
            hbb += w;
        }
        let det = haa * hbb - hab * hab;
        if det.abs() < 1e-18 {
            break;
        }
        let step_a = (hbb * ga - hab * gb) / det;
        let step_b = (haa * gb - hab * ga) / det;
        // Backtracking: Newton's full step can overshoot on nearly
        // separable data (Platt 1999; Lin, Lin and Weng 2007).
        let mut scale = 1.0;
        let mut improved = false;
        while scale > 1e-6 {
            let (na, nb) = (a - scale * step_a, b - scale * step_b);
            let next = loss(na, nb);
            if next < current {
                (a, b, current) = (na, nb, next);
                improved = true;
                break;
            }
            scale /= 2.0;
        }
        if !improved || (scale * step_a).abs() < 1e-9 && (scale * step_b).abs() < 1e-9 {
            break;
        }
    }
    if a.is_finite() && b.is_finite() {
        Platt {
            a: a as f32,
            b: b as f32,
        }
    } else {
        Platt::IDENTITY
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy() -> Vec<LabeledText> {
        let mut out = Vec::new();
        for (text, class) in [
            ("how much does it cost", IntentClass::Interest),
            ("what is the price of the plan", IntentClass::Interest),
            ("i want to buy a license", IntentClass::Interest),
            ("my order never arrived", IntentClass::Support),
            ("reset my password please", IntentClass::Support),
            ("hello there", IntentClass::ChitChat),
            ("thanks a lot", IntentClass::ChitChat),
            ("no", IntentClass::Decline),
            ("yes", IntentClass::Affirm),
            ("what is the weather", IntentClass::Other),
        ] {
            out.push(LabeledText::new(text, class));
        }
        out
    }

    #[test]
    fn training_is_deterministic_and_learns_the_toy_set() {
        let options = TrainOptions::default().with_bucket_bits(12).with_epochs(30);
        let data = toy();
        let first = IntentModel::train(&data, &data, &options);
        let second = IntentModel::train(&data, &data, &options);
        assert_eq!(first.to_bytes(), second.to_bytes());
        let right = data
            .iter()
            .filter(|example| first.classify(&example.text).top() == example.class)
            .count();
        assert!(right >= 9, "{right} of 10");
        let other_seed = IntentModel::train(&data, &data, &options.clone().with_seed(7));
        assert_ne!(first.to_bytes(), other_seed.to_bytes());
    }
}
