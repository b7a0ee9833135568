//! The conformance suite against `MemoryStore`.

use std::sync::Arc;

use leadkit_store::{MemoryStore, testkit};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn memory_store_passes_the_conformance_suite() {
    testkit::run_all(Arc::new(MemoryStore::new())).await;
}
