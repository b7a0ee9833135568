//! The conformance suite against `MemoryStore`: one test per check.

use std::sync::Arc;

use leadkit_store::MemoryStore;
use leadkit_store::testkit::Subject;

async fn subject() -> Option<Subject> {
    Some(Subject::new(Arc::new(MemoryStore::new())))
}

leadkit_store::conformance_tests!(subject);
