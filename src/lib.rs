//! Shared helpers for leadkit's top-level examples, benchmarks and integration tests.
//!
//! This package is not published; it exists so that `examples/`, `benches/` and
//! `tests/` at the workspace root have a package to belong to.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod demo;
pub mod faq;
