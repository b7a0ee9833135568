//! Just enough of the W3C WebDriver protocol to drive headless Chromium.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::http;
use super::process::Guard;

/// The W3C key of an element reference.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// Polls `probe` every 50 ms until it returns `Some`, for at most `timeout`.
pub(crate) fn wait_for<T>(
    timeout: Duration,
    what: &str,
    mut probe: impl FnMut() -> Option<T>,
) -> T {
    let start = Instant::now();
    loop {
        if let Some(value) = probe() {
            return value;
        }
        assert!(
            start.elapsed() < timeout,
            "timed out after {timeout:?} waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// An element reference.
pub(crate) struct Element(String);

/// A browser session. Dropping it ends the session (closing the browser),
/// then stops chromedriver.
pub(crate) struct Browser {
    session: String,
    timeout: Duration,
    // Dropped after the session is deleted in `Drop::drop`.
    _driver: Guard,
}

impl Browser {
    /// Waits for chromedriver on `port` and opens a headless session.
    pub(crate) fn start(
        port: u16,
        binary: &str,
        profile: &Path,
        timeout: Duration,
        driver: Guard,
    ) -> Browser {
        let base = format!("http://127.0.0.1:{port}");
        wait_for(timeout, "chromedriver to be ready", || {
            std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
            let status = http::request("GET", &format!("{base}/status"), &[], None);
            (status.status == 200 && status.json()["value"]["ready"] == true).then_some(())
        });
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": binary,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.display()),
                ],
            },
        }}});
        let response = http::request(
            "POST",
            &format!("{base}/session"),
            &[],
            Some(&capabilities.to_string()),
        );
        let body = response.json();
        let session = body["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session ({}): {body}\n{}", response.status, driver.log()))
            .to_owned();
        Browser {
            session: format!("{base}/session/{session}"),
            timeout,
            _driver: driver,
        }
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let body = body.map(|b| b.to_string());
        let response = http::request(
            method,
            &format!("{}{path}", self.session),
            &[],
            body.as_deref(),
        );
        let json = response.json();
        assert_eq!(
            response.status, 200,
            "WebDriver {method} {path} failed: {json}"
        );
        json["value"].clone()
    }

    pub(crate) fn goto(&self, url: &str) {
        self.call("POST", "/url", Some(json!({"url": url})));
    }

    pub(crate) fn url(&self) -> String {
        self.call("GET", "/url", None).as_str().unwrap().to_owned()
    }

    /// The first element matching a CSS selector, waiting for it to appear.
    pub(crate) fn find(&self, css: &str) -> Element {
        wait_for(
            self.timeout,
            &format!("an element matching {css:?}"),
            || {
                let body = json!({"using": "css selector", "value": css}).to_string();
                let response = http::request(
                    "POST",
                    &format!("{}/element", self.session),
                    &[],
                    Some(&body),
                );
                (response.status == 200)
                    .then(|| {
                        response.json()["value"][ELEMENT]
                            .as_str()
                            .map(|id| Element(id.to_owned()))
                    })
                    .flatten()
            },
        )
    }

    pub(crate) fn click(&self, element: &Element) {
        self.call(
            "POST",
            &format!("/element/{}/click", element.0),
            Some(json!({})),
        );
    }

    pub(crate) fn send_keys(&self, element: &Element, text: &str) {
        self.call(
            "POST",
            &format!("/element/{}/value", element.0),
            Some(json!({"text": text})),
        );
    }

    /// The text of the first element matching a CSS selector, waiting for
    /// it. The element is found again if the page replaced it between the
    /// find and the read (a "stale element reference" after a navigation).
    pub(crate) fn text_of(&self, css: &str) -> String {
        wait_for(self.timeout, &format!("the text of {css:?}"), || {
            let element = self.find(css);
            let response = http::request(
                "GET",
                &format!("{}/element/{}/text", self.session, element.0),
                &[],
                None,
            );
            (response.status == 200)
                .then(|| response.json()["value"].as_str().map(str::to_owned))
                .flatten()
        })
    }

    pub(crate) fn property(&self, element: &Element, name: &str) -> String {
        self.call(
            "GET",
            &format!("/element/{}/property/{name}", element.0),
            None,
        )
        .as_str()
        .unwrap_or_default()
        .to_owned()
    }

    pub(crate) fn execute(&self, script: &str) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
    }

    pub(crate) fn execute_async(&self, script: &str, args: &[Value]) -> Value {
        self.call(
            "POST",
            "/execute/async",
            Some(json!({"script": script, "args": args})),
        )
    }

    #[allow(dead_code)] // used for screenshots only
    pub(crate) fn set_window(&self, width: u32, height: u32) {
        self.call(
            "POST",
            "/window/rect",
            Some(json!({"width": width, "height": height})),
        );
    }

    /// A PNG of the viewport.
    #[allow(dead_code)] // used for screenshots only
    pub(crate) fn screenshot(&self) -> Vec<u8> {
        let encoded = self.call("GET", "/screenshot", None);
        decode_base64(encoded.as_str().unwrap())
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Ends the session so chromedriver closes the browser; the driver
        // guard (a field) then stops chromedriver's process group.
        let _ = http::try_request("DELETE", &self.session, &[], None);
    }
}

fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a' + 26),
            b'0'..=b'9' => u32::from(c - b'0' + 52),
            b'+' => 62,
            b'/' => 63,
            _ => panic!("not base64: {c}"),
        }
    };
    let bytes: Vec<u8> = text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
        .collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut acc = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            acc |= value(*c) << (18 - 6 * i);
        }
        let n = chunk.len() * 6 / 8;
        out.extend_from_slice(&acc.to_be_bytes()[1..1 + n]);
    }
    out
}
