//! Contact validation and extraction for leadkit (work in progress).
#![forbid(unsafe_code)]
#![deny(missing_docs)]
