//! The model file: a small versioned binary format.
//!
//! ```text
//! magic      b"LKIM"
//! version    u16 LE (1)
//! classes    u8 (6, in IntentClass::ALL order)
//! bits       u8 (buckets = 1 << bits, 10..=24)
//! char_min   u8, char_max u8 (character n-gram lengths, 1..=8)
//! platt      f32 LE a, f32 LE b (interest calibration)
//! scales     f32 LE × classes (dequantisation factor per class)
//! biases     f32 LE × classes
//! weights    i8 × buckets × classes (bucket-major)
//! checksum   u64 LE, FNV-1a of every byte before it
//! ```

use std::hash::Hasher;

use fnv::FnvHasher;

use super::features::FeatureConfig;
use super::model::{CLASSES, IntentModel, Platt};

const MAGIC: &[u8; 4] = b"LKIM";
const VERSION: u16 = 1;
const HEADER: usize = 4 + 2 + 1 + 1 + 1 + 1 + 4 + 4;
const CHECKSUM: usize = 8;

/// Why bytes could not be read as an intent model.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// The bytes do not start like a leadkit intent model.
    #[error("not a leadkit intent model (bad magic bytes)")]
    NotAModel,
    /// The file was written by a newer (or unknown) format version.
    #[error("unsupported intent model format version {0}")]
    UnsupportedVersion(u16),
    /// The header describes a model this crate cannot use.
    #[error("invalid intent model header: {0}")]
    InvalidHeader(&'static str),
    /// The file is shorter or longer than its header says.
    #[error("intent model file has {actual} bytes, its header needs {expected}")]
    WrongLength {
        /// Bytes the header implies.
        expected: usize,
        /// Bytes given.
        actual: usize,
    },
    /// The checksum does not match: the file is corrupt.
    #[error("intent model checksum mismatch (the file is corrupt)")]
    Corrupt,
}

fn checksum(bytes: &[u8]) -> u64 {
    let mut hasher = FnvHasher::default();
    hasher.write(bytes);
    hasher.finish()
}

pub(crate) fn encode(model: &IntentModel) -> Vec<u8> {
    let config = model.config;
    let mut out = Vec::with_capacity(HEADER + model.weights.len() + 8 * CLASSES + CHECKSUM);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.push(CLASSES as u8);
    out.push(config.bucket_bits);
    out.push(config.char_min);
    out.push(config.char_max);
    out.extend_from_slice(&model.platt.a.to_le_bytes());
    out.extend_from_slice(&model.platt.b.to_le_bytes());
    for value in model.scales.iter().chain(&model.biases) {
        out.extend_from_slice(&value.to_le_bytes());
    }
    out.extend(model.weights.iter().map(|w| w.to_le_bytes()[0]));
    let sum = checksum(&out);
    out.extend_from_slice(&sum.to_le_bytes());
    out
}

/// Reads little-endian values off the front of a slice.
struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0; N];
        if let Some((head, rest)) = self.0.split_first_chunk::<N>() {
            out = *head;
            self.0 = rest;
        }
        out
    }

    fn f32(&mut self) -> Result<f32, ModelError> {
        let value = f32::from_le_bytes(self.take());
        if value.is_finite() {
            Ok(value)
        } else {
            Err(ModelError::InvalidHeader(
                "a parameter is not a finite number",
            ))
        }
    }
}

pub(crate) fn decode(bytes: &[u8]) -> Result<IntentModel, ModelError> {
    if bytes.len() < HEADER || &bytes[..4] != MAGIC {
        return Err(ModelError::NotAModel);
    }
    let mut reader = Reader(&bytes[4..]);
    let version = u16::from_le_bytes(reader.take());
    if version != VERSION {
        return Err(ModelError::UnsupportedVersion(version));
    }
    let [classes, bucket_bits, char_min, char_max] = reader.take();
    if usize::from(classes) != CLASSES {
        return Err(ModelError::InvalidHeader("wrong number of classes"));
    }
    if !(10..=24).contains(&bucket_bits) {
        return Err(ModelError::InvalidHeader("bucket bits outside 10..=24"));
    }
    if char_min == 0 || char_min > char_max || char_max > 8 {
        return Err(ModelError::InvalidHeader(
            "character n-gram lengths outside 1..=8",
        ));
    }
    let config = FeatureConfig {
        bucket_bits,
        char_min,
        char_max,
    };
    let weights_len = config.buckets() * CLASSES;
    let expected = HEADER + 8 * CLASSES + weights_len + CHECKSUM;
    if bytes.len() != expected {
        return Err(ModelError::WrongLength {
            expected,
            actual: bytes.len(),
        });
    }
    let (body, sum) = bytes.split_at(expected - CHECKSUM);
    let mut stored = [0; CHECKSUM];
    stored.copy_from_slice(sum);
    if checksum(body) != u64::from_le_bytes(stored) {
        return Err(ModelError::Corrupt);
    }
    let platt = Platt {
        a: reader.f32()?,
        b: reader.f32()?,
    };
    let mut scales = [0.0; CLASSES];
    for scale in &mut scales {
        *scale = reader.f32()?;
    }
    let mut biases = [0.0; CLASSES];
    for bias in &mut biases {
        *bias = reader.f32()?;
    }
    let weights = reader.0[..weights_len]
        .iter()
        .map(|b| i8::from_le_bytes([*b]))
        .collect();
    Ok(IntentModel {
        config,
        platt,
        scales,
        biases,
        weights,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> IntentModel {
        IntentModel {
            config: FeatureConfig {
                bucket_bits: 10,
                char_min: 3,
                char_max: 4,
            },
            platt: Platt { a: 1.5, b: -0.5 },
            scales: [0.01; CLASSES],
            biases: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
            weights: (0..(1024 * CLASSES)).map(|i| (i % 255) as i8).collect(),
        }
    }

    #[test]
    fn a_model_round_trips() {
        let model = tiny();
        let bytes = encode(&model);
        assert_eq!(decode(&bytes), Ok(model));
    }

    #[test]
    fn damaged_files_are_typed_errors() {
        let bytes = encode(&tiny());
        assert_eq!(decode(b""), Err(ModelError::NotAModel));
        assert_eq!(
            decode(&bytes[..40]),
            Err(ModelError::WrongLength {
                expected: bytes.len(),
                actual: 40
            })
        );
        let mut flipped = bytes.clone();
        flipped[100] ^= 1;
        assert_eq!(decode(&flipped), Err(ModelError::Corrupt));
        let mut newer = bytes.clone();
        newer[4] = 2;
        assert_eq!(decode(&newer), Err(ModelError::UnsupportedVersion(2)));
        let mut huge = bytes.clone();
        huge[7] = 40;
        assert!(matches!(decode(&huge), Err(ModelError::InvalidHeader(_))));
        // Every truncation and every single-byte change is an error, never a panic.
        for len in 0..bytes.len().min(200) {
            assert!(decode(&bytes[..len]).is_err());
        }
        for i in (0..bytes.len()).step_by(97) {
            let mut changed = bytes.clone();
            changed[i] = changed[i].wrapping_add(1);
            assert!(decode(&changed).is_err());
        }
    }
}
