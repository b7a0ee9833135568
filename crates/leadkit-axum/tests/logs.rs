//! No contact details in log output: a whole chat, a sign-in and the admin
//! API run under a subscriber that records everything, at every level.
#![allow(clippy::unwrap_used)] // test code

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use leadkit_core::BotId;
use serde_json::json;

mod common;
use common::*;

#[tokio::test]
async fn logs_never_contain_contact_details() {
    let (captured, _guard) = capture_logs();

    let f = fixture().await;
    let app = &f.app;
    let first = chat(app, json!({"bot": SALES, "message": "Prices?"})).await;
    let conversation = first["conversation"].clone();
    let token = first["token"].clone();
    let message = "I'm Quentin Zylberstein, quentin.zylberstein@example.com, +1 415 555 0199";
    for body in [
        json!({"bot": SALES, "conversation": conversation, "token": token, "message": message}),
        json!({"bot": SALES, "conversation": conversation, "token": token, "message": message, "visitor": "quentin-visitor", "signature": "bad"}),
        json!({"bot": SALES, "message": 42, "note": message}),
        json!({"bot": BotId::from_u128(9), "message": message}),
    ] {
        send(app, chat_request(body)).await;
    }
    let sign_in = Request::post("/admin/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("token=wrong-token-quentin-zylberstein"))
        .unwrap();
    assert_eq!(send(app, sign_in).await.status(), StatusCode::UNAUTHORIZED);
    for uri in [
        "/admin/api/leads?q=zylberstein",
        "/admin/api/leads.csv?q=quentin",
        "/admin/leads?q=zylberstein",
    ] {
        let response = send(app, admin_get(uri)).await;
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        assert!(
            body_text(response).await.contains("zylberstein"),
            "{uri}: the lead was captured"
        );
    }

    let logs = captured.text();
    assert!(
        logs.contains("leadkit.turn"),
        "the engine logged its turns:\n{logs}"
    );
    for secret in [
        "zylberstein",
        "Zylberstein",
        "Quentin",
        "quentin",
        // The phone number as typed, in E.164 and national forms; not a bare
        // "555", which a random conversation id or a duration can contain.
        "415 555",
        "555 0199",
        "4155550199",
        "555-0199",
        TOKEN,
    ] {
        assert!(
            !logs.contains(secret),
            "{secret:?} leaked into the logs:\n{logs}"
        );
    }
}
