//! The trained intent model: classes, features, model file, training.

mod class;
mod features;
mod format;
mod labeled;
mod model;
mod train;

pub use class::{IntentClass, UnknownLabel};
pub use format::ModelError;
pub use labeled::{JsonlError, LabeledText, read_labeled_jsonl};
pub use model::{IntentModel, IntentScores};
pub use train::TrainOptions;
