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

#[tokio::test]
async fn hsts_is_sent_only_when_configured() {
    let f = fixture().await;
    let response = send(&f.app, Request::get("/admin").body(Body::empty()).unwrap()).await;
    assert!(
        !response
            .headers()
            .contains_key(header::STRICT_TRANSPORT_SECURITY)
    );
    let f = fixture_configured(leadkit_core::Policy::after_first_query(), |config| {
        config.hsts(std::time::Duration::from_secs(31_536_000))
    })
    .await;
    for request in [
        Request::get("/admin").body(Body::empty()).unwrap(),
        chat_request(json!({"bot": SALES, "message": "hi"})),
    ] {
        let response = send(&f.app, request).await;
        assert_eq!(
            response.headers()[header::STRICT_TRANSPORT_SECURITY],
            "max-age=31536000"
        );
    }
}

#[tokio::test]
async fn the_session_cookie_is_secure_unless_development_http_is_chosen() {
    let f = fixture().await;
    // `session_cookie` checks for `Secure`.
    session_cookie(&f.app).await;
    // An http:// page cannot sign in to the https:// dashboard.
    let plain = Request::post("/admin/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "dash.example")
        .header(header::ORIGIN, "http://dash.example")
        .body(Body::from(format!("token={TOKEN}")))
        .unwrap();
    assert_eq!(send(&f.app, plain).await.status(), 403);

    let f = fixture_configured(leadkit_core::Policy::after_first_query(), |config| {
        config.insecure_development_http(true)
    })
    .await;
    let plain = Request::post("/admin/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, "http://127.0.0.1:3000")
        .body(Body::from(format!("token={TOKEN}")))
        .unwrap();
    let response = send(&f.app, plain).await;
    assert_eq!(response.status(), 303);
    let cookie = response.headers()[header::SET_COOKIE].to_str().unwrap();
    assert!(!cookie.contains("Secure"), "{cookie}");
}
