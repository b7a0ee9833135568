//! Helpers of the real-browser tests: a small HTTP/1.1 client, child
//! processes that are always stopped, a W3C WebDriver client, and the
//! set-up every test starts with.

pub(crate) mod http;
pub(crate) mod process;
pub(crate) mod setup;
pub(crate) mod webdriver;
