//! HTML escaping, URL query encoding and the dashboard's page frame.

use std::fmt::Write as _;

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// Escapes text for HTML element content and quoted attribute values.
///
/// Every value a visitor (or anyone but this crate) wrote goes through it
/// before it reaches a page.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

/// Percent-encodes a query-string key or value (everything but the
/// unreserved characters of RFC 3986).
pub(crate) fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// `key=value&…`, encoded.
pub(crate) fn query_string<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    pairs
        .into_iter()
        .map(|(k, v)| format!("{}={}", encode_component(k), encode_component(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A complete HTML page.
#[derive(Debug)]
pub(crate) struct Page {
    pub(crate) status: axum::http::StatusCode,
    pub(crate) html: String,
}

impl IntoResponse for Page {
    fn into_response(self) -> Response {
        (
            self.status,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            self.html,
        )
            .into_response()
    }
}

/// Wraps a page body in the dashboard's frame. `title` is plain text;
/// `body` is HTML built with [`escape`]d values. The navigation (and the
/// sign-out button) shows when `signed_in`.
pub(crate) fn frame(title: &str, signed_in: bool, body: &str) -> String {
    let nav = if signed_in {
        "<nav><a href=\"/admin/leads\">Leads</a><a href=\"/admin/conversations\">Conversations</a>\
         <form method=\"post\" action=\"/admin/logout\" class=\"inline\"><button type=\"submit\" class=\"link\">Sign out</button></form></nav>"
    } else {
        ""
    };
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · leadkit</title><link rel=\"stylesheet\" href=\"/admin/assets/admin.css\"></head>\
         <body><header><span class=\"brand\">leadkit</span>{nav}</header><main>{body}</main></body></html>\n",
        title = escape(title),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_neutralises_markup() {
        assert_eq!(
            escape("<script>alert('x')</script>"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"
        );
        assert_eq!(
            escape("a \"quoted\" & 'single'"),
            "a &quot;quoted&quot; &amp; &#39;single&#39;"
        );
        assert_eq!(escape("&amp;"), "&amp;amp;");
        assert_eq!(escape("Zoë Ünal, 東京"), "Zoë Ünal, 東京");
        assert_eq!(escape(""), "");
    }

    #[test]
    fn query_components_are_percent_encoded() {
        assert_eq!(encode_component("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
        assert_eq!(encode_component("Ok-_.~9"), "Ok-_.~9");
        assert_eq!(
            query_string([("q", "ana souza"), ("status", "new")]),
            "q=ana%20souza&status=new"
        );
    }

    #[test]
    fn the_frame_escapes_the_title() {
        let page = frame("<b>", false, "");
        assert!(page.contains("<title>&lt;b&gt; · leadkit</title>"));
        assert!(!page.contains("Sign out"));
        assert!(frame("Leads", true, "").contains("Sign out"));
    }
}
