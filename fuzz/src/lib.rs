//! What several fuzz targets share.

use std::sync::OnceLock;

/// One current-thread tokio runtime per process, to drive the async APIs
/// (the router, the analyzer) input after input without rebuilding it.
pub fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a current-thread runtime")
    })
}
