//! Who may use the admin side: the bearer token, the sign-in form's session
//! cookie, and same-origin checks on changes.
#![allow(clippy::unwrap_used)] // test code

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use leadkit_core::{ContactDetails, LeadStatus};
use leadkit_store::LeadStore;

use common::*;

#[tokio::test]
async fn the_admin_side_refuses_requests_without_the_token() {
    let f = fixture().await;
    for uri in [
        "/admin/api/leads",
        "/admin/api/leads.csv",
        "/admin/api/leads/00000000-0000-0000-0000-000000000001",
    ] {
        let response = send(&f.app, Request::get(uri).body(Body::empty()).unwrap()).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{uri}");
        assert!(response.headers().contains_key(header::WWW_AUTHENTICATE));
        assert_eq!(body_json(response).await["error"], "unauthorized");
    }
    let wrong = Request::get("/admin/api/leads")
        .header(header::AUTHORIZATION, "Bearer test-admin-token-0123456788")
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&f.app, wrong).await.status(), StatusCode::UNAUTHORIZED);
    let forged_cookie = Request::get("/admin/api/leads")
        .header(header::COOKIE, format!("leadkit_admin={TOKEN}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        send(&f.app, forged_cookie).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let delete = Request::delete("/admin/api/leads/00000000-0000-0000-0000-000000000001")
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        send(&f.app, delete).await.status(),
        StatusCode::UNAUTHORIZED
    );
    for uri in [
        "/admin/leads",
        "/admin/conversations",
        "/admin/leads/00000000-0000-0000-0000-000000000001",
    ] {
        let response = send(&f.app, Request::get(uri).body(Body::empty()).unwrap()).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{uri}");
        assert_eq!(response.headers()[header::LOCATION], "/admin");
    }
    let login_page = send(&f.app, Request::get("/admin").body(Body::empty()).unwrap()).await;
    assert_eq!(login_page.status(), StatusCode::OK);
    assert!(body_text(login_page).await.contains("name=\"token\""));
}

#[tokio::test]
async fn signing_in_sets_a_session_cookie_and_changes_need_the_same_origin() {
    let f = fixture().await;
    let refused = send(&f.app, login("not-the-token-at-all")).await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert!(!refused.headers().contains_key(header::SET_COOKIE));
    assert!(body_text(refused).await.contains("not right"));

    let cookie = session_cookie(&f.app).await;
    let id = seed(
        &f.store,
        1,
        SALES,
        ContactDetails::new().with_email("a@example.com"),
        t0(),
    )
    .await;
    let page = Request::get("/admin/leads")
        .header(header::COOKIE, &cookie)
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&f.app, page).await.status(), StatusCode::OK);
    assert_eq!(
        send(
            &f.app,
            Request::get("/admin")
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap()
        )
        .await
        .headers()[header::LOCATION],
        "/admin/leads"
    );

    let change = |origin: &'static str, site: &'static str| {
        Request::post(format!("/admin/leads/{id}/status"))
            .header(header::COOKIE, &cookie)
            .header(header::HOST, "dash.example")
            .header(header::ORIGIN, origin)
            .header("sec-fetch-site", site)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from("status=contacted"))
            .unwrap()
    };
    let cross = send(&f.app, change("http://evil.example", "cross-site")).await;
    assert_eq!(cross.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        f.store.get_lead(WS, id).await.unwrap().unwrap().status,
        LeadStatus::New
    );
    let same = send(&f.app, change("http://dash.example", "same-origin")).await;
    assert_eq!(same.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        same.headers()[header::LOCATION],
        format!("/admin/leads/{id}").as_str()
    );
    assert_eq!(
        f.store.get_lead(WS, id).await.unwrap().unwrap().status,
        LeadStatus::Contacted
    );

    // The API refuses a cross-site change made with the cookie too.
    let api = Request::delete(format!("/admin/api/leads/{id}"))
        .header(header::COOKIE, &cookie)
        .header("sec-fetch-site", "cross-site")
        .body(Body::empty())
        .unwrap();
    let response = send(&f.app, api).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(body_json(response).await["error"], "cross_site_request");

    // Erasing from the dashboard: a confirmation page, then the POST.
    let confirm = Request::get(format!("/admin/leads/{id}/erase"))
        .header(header::COOKIE, &cookie)
        .body(Body::empty())
        .unwrap();
    let text = body_text(send(&f.app, confirm).await).await;
    assert!(text.contains("id=\"confirm-erase\""));
    let erase = Request::post(format!("/admin/leads/{id}/erase"))
        .header(header::COOKIE, &cookie)
        .header("sec-fetch-site", "same-origin")
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&f.app, erase).await.status(), StatusCode::SEE_OTHER);
    assert!(f.store.get_lead(WS, id).await.unwrap().is_none());

    let logout = Request::post("/admin/logout")
        .header(header::COOKIE, &cookie)
        .body(Body::empty())
        .unwrap();
    let response = send(&f.app, logout).await;
    assert!(
        response.headers()[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
}
