//! The dashboard's page frame, and pages as responses.
//!
//! Pages are [maud] templates: checked when the crate compiles, and every
//! value spliced into them with `(…)` is HTML-escaped (`&`, `<`, `>`, `"`;
//! attributes are always double-quoted, so a `'` is inert). Nothing here
//! escapes by hand, and only [`maud::PreEscaped`] could bypass it: this
//! crate never uses it.

use std::fmt;

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use maud::{DOCTYPE, Markup, html};

/// A complete HTML page with its status. `Debug` shows the status and the
/// size, never the page: it holds visitors' contact details.
pub(crate) struct Page {
    status: StatusCode,
    html: Markup,
}

impl Page {
    /// `body` in the dashboard's frame. `title` is plain text; the
    /// navigation (and the sign-out button) shows when `signed_in`.
    pub(crate) fn new(status: StatusCode, title: &str, signed_in: bool, body: Markup) -> Self {
        let html = html! {
            (DOCTYPE)
            html lang="en" {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (title) " · leadkit" }
                    link rel="stylesheet" href="/admin/assets/admin.css";
                }
                body {
                    header {
                        span class="brand" { "leadkit" }
                        @if signed_in {
                            nav {
                                a href="/admin/leads" { "Leads" }
                                a href="/admin/conversations" { "Conversations" }
                                a href="/admin/bots" id="nav-bots" { "Bots" }
                                form method="post" action="/admin/logout" class="inline" {
                                    button type="submit" class="link" { "Sign out" }
                                }
                            }
                        }
                    }
                    main { (body) }
                }
            }
        };
        Self { status, html }
    }

    /// A `200 OK` page for a signed-in user.
    pub(crate) fn ok(title: &str, body: Markup) -> Self {
        Self::new(StatusCode::OK, title, true, body)
    }
}

impl fmt::Debug for Page {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Page")
            .field("status", &self.status)
            .field("html", &format_args!("<{} bytes>", self.html.0.len()))
            .finish()
    }
}

impl IntoResponse for Page {
    fn into_response(self) -> Response {
        // `Html` sets `Content-Type: text/html; charset=utf-8`.
        (self.status, Html(self.html.into_string())).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(page: Page) -> String {
        page.html.into_string()
    }

    #[test]
    fn the_frame_escapes_the_title_and_shows_the_navigation_when_signed_in() {
        let page = text(Page::new(StatusCode::OK, "<b>\"x\" & y", false, html! {}));
        assert!(
            page.contains("<title>&lt;b&gt;&quot;x&quot; &amp; y · leadkit</title>"),
            "{page}"
        );
        assert!(!page.contains("Sign out"));
        assert!(text(Page::ok("Leads", html! {})).contains("Sign out"));
    }

    #[test]
    fn debug_output_does_not_show_the_page() {
        let page = Page::ok("Ana Souza", html! { p { "ana@example.com" } });
        let debug = format!("{page:?}");
        assert!(!debug.contains("ana@"), "{debug}");
        assert!(!debug.contains("Ana"), "{debug}");
        assert!(debug.contains("200"), "{debug}");
    }

    #[test]
    fn spliced_attribute_values_cannot_leave_their_quotes() {
        let value = "\" onmouseover=\"alert(1)";
        let markup = html! { input value=(value); };
        assert_eq!(
            markup.into_string(),
            "<input value=\"&quot; onmouseover=&quot;alert(1)\">"
        );
    }
}
