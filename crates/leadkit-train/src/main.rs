//! Trains and evaluates leadkit-llm's intent model (work in progress).

fn main() {}
