//! Who may use the admin side: the bearer token, the sign-in form's session
//! cookie, and same-origin checks on changes.
#![allow(clippy::unwrap_used)] // test code

mod common;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use leadkit_core::{ContactDetails, LeadStatus, Policy};
use leadkit_engine::engine::ManualClock;
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

fn leads_page(cookie: &str) -> Request<Body> {
    Request::get("/admin/leads")
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap()
}

fn logout(cookie: &str) -> Request<Body> {
    Request::post("/admin/logout")
        .header(header::COOKIE, cookie)
        .header("sec-fetch-site", "same-origin")
        .body(Body::empty())
        .unwrap()
}

#[tokio::test]
async fn each_sign_in_is_a_new_session_and_logout_ends_it_on_the_server() {
    let f = fixture().await;
    let first = session_cookie(&f.app).await;
    let second = session_cookie(&f.app).await;
    assert_ne!(first, second, "two sign-ins get different cookies");
    for cookie in [&first, &second] {
        assert_eq!(
            send(&f.app, leads_page(cookie)).await.status(),
            StatusCode::OK
        );
    }
    let out = send(&f.app, logout(&first)).await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    // A replay of the logged-out cookie is refused; the other session lives.
    let replay = send(&f.app, leads_page(&first)).await;
    assert_eq!(replay.status(), StatusCode::SEE_OTHER);
    assert_eq!(replay.headers()[header::LOCATION], "/admin");
    let api = Request::get("/admin/api/leads")
        .header(header::COOKIE, &first)
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&f.app, api).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        send(&f.app, leads_page(&second)).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn sessions_expire_on_the_server() {
    let clock = Arc::new(ManualClock::new(t0()));
    let f = fixture_configured(Policy::after_first_query(), |config| {
        config
            .clock(clock.clone())
            .session_lifetime(std::time::Duration::from_secs(3600))
    })
    .await;
    let response = send(&f.app, login(TOKEN)).await;
    let set_cookie = response.headers()[header::SET_COOKIE].to_str().unwrap();
    assert!(set_cookie.contains("Max-Age=3600"), "{set_cookie}");
    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    clock.advance(chrono::Duration::seconds(3599));
    assert_eq!(
        send(&f.app, leads_page(&cookie)).await.status(),
        StatusCode::OK
    );
    clock.advance(chrono::Duration::seconds(1));
    let expired = send(&f.app, leads_page(&cookie)).await;
    assert_eq!(expired.status(), StatusCode::SEE_OTHER);

    // The default lifetime is 12 hours.
    let f = fixture_configured(Policy::after_first_query(), |config| {
        config.clock(clock.clone())
    })
    .await;
    let cookie = session_cookie(&f.app).await;
    clock.advance(chrono::Duration::hours(12) - chrono::Duration::seconds(1));
    assert_eq!(
        send(&f.app, leads_page(&cookie)).await.status(),
        StatusCode::OK
    );
    clock.advance(chrono::Duration::seconds(1));
    assert_eq!(
        send(&f.app, leads_page(&cookie)).await.status(),
        StatusCode::SEE_OTHER
    );
}

fn login_from(token: &str, client: [u8; 4]) -> Request<Body> {
    let mut request = login(token);
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from((client, 50_000))));
    request
}

#[tokio::test]
async fn wrong_tokens_are_throttled_per_address_and_logged_without_the_token() {
    let (captured, _guard) = capture_logs();

    let clock = Arc::new(ManualClock::new(t0()));
    let f = fixture_configured(Policy::after_first_query(), |config| {
        config.clock(clock.clone())
    })
    .await;
    let attacker = [203, 0, 113, 7];
    let mut statuses = Vec::new();
    for n in 0..8 {
        let wrong = format!("wrong-guess-number-{n:04}");
        statuses.push(send(&f.app, login_from(&wrong, attacker)).await.status());
    }
    assert_eq!(
        statuses[..6],
        [StatusCode::UNAUTHORIZED; 6],
        "five free tries, then a one-second lockout after the sixth: {statuses:?}"
    );
    assert_eq!(statuses[6..], [StatusCode::TOO_MANY_REQUESTS; 2]);
    // Even the right token waits out the lockout …
    let locked = send(&f.app, login_from(TOKEN, attacker)).await;
    assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(locked.headers()[header::RETRY_AFTER], "1");
    // … while another address signs in at once.
    let other = send(&f.app, login_from(TOKEN, [198, 51, 100, 1])).await;
    assert_eq!(other.status(), StatusCode::SEE_OTHER);
    // The backoff doubles.
    clock.advance(chrono::Duration::seconds(1));
    let again = send(&f.app, login_from("wrong-guess-again-0000", attacker)).await;
    assert_eq!(again.status(), StatusCode::UNAUTHORIZED);
    let locked = send(&f.app, login_from(TOKEN, attacker)).await;
    assert_eq!(locked.headers()[header::RETRY_AFTER], "2");

    let logs = captured.text();
    let refusals = logs
        .lines()
        .filter(|line| line.contains("WARN") && line.contains("client=203.0.113.7"))
        .count();
    // Six wrong tokens, three throttled attempts, one more wrong, one more throttled.
    assert_eq!(refusals, 11, "every refusal is a warning:\n{logs}");
    assert!(!logs.contains("wrong-guess"), "{logs}");
    assert!(!logs.contains(TOKEN), "{logs}");
}

#[tokio::test]
async fn wrong_bearer_tokens_are_throttled_like_sign_ins() {
    let f = fixture().await;
    let api = |token: &str, client: [u8; 4]| {
        let mut request = Request::get("/admin/api/leads")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap();
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from((client, 50_000))));
        request
    };
    let attacker = [203, 0, 113, 9];
    for n in 0..6 {
        let wrong = format!("wrong-bearer-guess-{n:04}");
        let response = send(&f.app, api(&wrong, attacker)).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "guess {n}");
    }
    let locked = send(&f.app, api(TOKEN, attacker)).await;
    assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(locked.headers()[header::RETRY_AFTER], "1");
    assert_eq!(body_json(locked).await["error"], "too_many_attempts");
    let other = send(&f.app, api(TOKEN, [198, 51, 100, 9])).await;
    assert_eq!(other.status(), StatusCode::OK);
}
