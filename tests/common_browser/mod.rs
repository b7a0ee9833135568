//! Helpers of the real-browser test: a small HTTP/1.1 client, child
//! processes that are always stopped, and a W3C WebDriver client.

pub(crate) mod http;
pub(crate) mod process;
pub(crate) mod webdriver;
