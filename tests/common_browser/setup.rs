//! What every real-browser test starts with: Chromium and ChromeDriver
//! present (or a skip that says so, which is a failure under `CI=true`),
//! the `server` example's binary, and a browser driven over WebDriver.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use super::http::free_port;
use super::process::Guard;
use super::webdriver::Browser;

/// Debian's `chromium` (`bash .ci/chromium.sh` installs it).
pub(crate) const CHROMIUM: &str = "/usr/bin/chromium";
/// Debian's `chromium-driver`.
pub(crate) const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// How long a page, a server or an element may take.
pub(crate) const WAIT: Duration = Duration::from_secs(20);
/// The bot behind the example's widget (the example registers it).
pub(crate) const FAQ_BOT: &str = "00000000-0000-0000-1ead-000000000002";

/// Whether Chromium and ChromeDriver are installed. Without them the test
/// says how to install them and passes, except under `CI=true`, where
/// their absence is a failure.
pub(crate) fn tools_present() -> bool {
    let missing: Vec<&str> = [CHROMIUM, CHROMEDRIVER]
        .into_iter()
        .filter(|path| !Path::new(path).exists())
        .collect();
    if missing.is_empty() {
        return true;
    }
    let message = format!(
        "the real-browser test needs {} (Debian's chromium and chromium-driver); install them with `bash .ci/chromium.sh`",
        missing.join(" and ")
    );
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{message}");
    }
    // Straight to stderr: the test harness captures `eprintln!` of a
    // passing test, and a skip nobody sees looks like a pass.
    let _ = writeln!(std::io::stderr().lock(), "skipping: {message}");
    false
}

/// `<target>/debug/examples/server`, built by `cargo test` with the tests.
pub(crate) fn server_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("the test's path");
    // <target>/debug/deps/<test>-<hash>
    let debug_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("the test runs from <target>/debug/deps");
    let binary = debug_dir
        .join("examples")
        .join(format!("server{}", std::env::consts::EXE_SUFFIX));
    assert!(
        binary.exists(),
        "{} is missing: run the tests with `cargo test` (which builds the examples) or `cargo build --example server` first",
        binary.display()
    );
    binary
}

/// ChromeDriver on a free port and a headless Chromium session through it,
/// with its profile and the driver's log in `dir`.
pub(crate) fn start_browser(dir: &Path) -> Browser {
    let driver_port = free_port();
    let driver = Guard::spawn(
        Command::new(CHROMEDRIVER).arg(format!("--port={driver_port}")),
        &dir.join("chromedriver.log"),
    );
    Browser::start(driver_port, CHROMIUM, &dir.join("profile"), WAIT, driver)
}
