//! Security headers on every response, whichever part of the router answers.
#![allow(clippy::unwrap_used)] // test code

mod common;

use axum::body::Body;
use axum::http::{Request, header};
use serde_json::json;

use common::*;

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let f = fixture().await;
    let requests = [
        chat_request(json!({"bot": SALES, "message": "hi"})),
        chat_request(json!({"bot": SALES})),
        Request::get("/admin").body(Body::empty()).unwrap(),
        Request::get("/admin/api/leads")
            .body(Body::empty())
            .unwrap(),
        admin_get("/admin/leads"),
        admin_get("/admin/api/leads.csv"),
        Request::get("/admin/assets/admin.css")
            .body(Body::empty())
            .unwrap(),
        Request::get("/leadkit/widget.js")
            .body(Body::empty())
            .unwrap(),
    ];
    for request in requests {
        let uri = request.uri().to_string();
        let response = send(&f.app, request).await;
        let headers = response.headers();
        assert_eq!(
            headers[header::CONTENT_SECURITY_POLICY],
            leadkit_axum::CONTENT_SECURITY_POLICY,
            "{uri}"
        );
        assert!(leadkit_axum::CONTENT_SECURITY_POLICY.contains("frame-ancestors 'none'"));
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{uri}");
        assert_eq!(headers[header::REFERRER_POLICY], "no-referrer", "{uri}");
        assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY", "{uri}");
        assert!(headers.contains_key(header::CACHE_CONTROL), "{uri}");
        if uri.starts_with("/admin/api") || uri == "/admin" || uri == "/admin/leads" {
            assert_eq!(headers[header::CACHE_CONTROL], "no-store", "{uri}");
        }
    }
}
