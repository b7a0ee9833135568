//! The Bots page and the bot-settings API: the list with lead counts, a
//! bot's Lead Collection form saved under the dashboard's auth and CSRF
//! rules with its change history, and `GET/PUT /admin/api/bots/{id}/settings`
//! refusing invalid input with a clear 4xx that changes nothing.
#![allow(clippy::unwrap_used)] // test code

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{Duration, Utc};
use leadkit_core::{ContactDetails, Mode};
use leadkit_store::BotSettingsStore;
use serde_json::{Value, json};

use common::*;

fn put_settings(bot: &str, body: &str) -> Request<Body> {
    Request::put(format!("/admin/api/bots/{bot}/settings"))
        .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_owned()))
        .unwrap()
}

async fn get_settings(app: &axum::Router, bot: &str) -> Value {
    let response = send(app, admin_get(&format!("/admin/api/bots/{bot}/settings"))).await;
    assert_eq!(response.status(), StatusCode::OK);
    body_json(response).await
}

#[tokio::test]
async fn the_api_reads_and_replaces_a_bots_settings_with_history() {
    let f = fixture().await;
    let bot = SALES.to_string();
    let before = get_settings(&f.app, &bot).await;
    assert_eq!(before["name"], "Sales bot");
    assert_eq!(before["stored"], false);
    assert_eq!(before["settings"]["mode"], "after_first_query");
    assert_eq!(before["history"], json!([]));

    let body = json!({
        "enabled": true,
        "mode": "before_chat",
        "fields": "email|phone",
        "max_asks": null,
        "cooldown_turns": 2,
        "consent": {"required": true, "text": "We will call you back.", "version": "2"},
        "ask_messages": {"es": "¿Nos dejas tu email?"},
        "phone_region": "GB",
        "language": "es"
    });
    let response = send(&f.app, put_settings(&bot, &body.to_string())).await;
    assert_eq!(response.status(), StatusCode::OK);
    let saved = body_json(response).await;
    assert_eq!(saved["stored"], true);
    assert_eq!(saved["version"], 1);
    assert_eq!(saved["settings"]["mode"], "before_chat");
    assert_eq!(saved["settings"]["phone_region"], "GB");
    assert_eq!(saved["history"][0]["actor"], "admin API");
    assert_eq!(saved["history"][0]["old"], Value::Null);
    assert_eq!(saved["history"][0]["new"]["mode"], "before_chat");
    assert_eq!(get_settings(&f.app, &bot).await, saved);
    // Through the store API, as every server sharing the store reads it.
    let stored = f.store.bot_settings(WS, SALES).await.unwrap().unwrap();
    assert_eq!(stored.settings.mode, Mode::BeforeChat);

    // A second change records the old and the new value.
    let body = json!({"enabled": false, "mode": "on_interest"});
    let response = send(&f.app, put_settings(&bot, &body.to_string())).await;
    assert_eq!(response.status(), StatusCode::OK);
    let after = body_json(response).await;
    assert_eq!(after["version"], 2);
    assert_eq!(after["history"][0]["old"]["mode"], "before_chat");
    assert_eq!(after["history"][0]["new"]["mode"], "on_interest");
    assert_eq!(after["history"].as_array().unwrap().len(), 2);
    // The other bot is untouched.
    assert_eq!(
        get_settings(&f.app, &SUPPORT.to_string()).await["stored"],
        false
    );
}

#[tokio::test]
async fn invalid_settings_get_a_clear_4xx_and_change_nothing() {
    let f = fixture().await;
    let bot = SALES.to_string();
    let first = send(&f.app, put_settings(&bot, r#"{"mode":"every_reply"}"#)).await;
    assert_eq!(first.status(), StatusCode::OK);
    let before = get_settings(&f.app, &bot).await;

    let huge_notice =
        json!({"consent": {"required": true, "text": "x".repeat(100 * 1024), "version": "1"}});
    for (body, status, words) in [
        (
            json!({"mode": "sometimes"}).to_string(),
            StatusCode::BAD_REQUEST,
            "sometimes",
        ),
        (
            json!({"cooldown_turns": -1}).to_string(),
            StatusCode::BAD_REQUEST,
            "-1",
        ),
        (
            json!({"phone_region": "UK"}).to_string(),
            StatusCode::BAD_REQUEST,
            "ISO 3166",
        ),
        (
            json!({"phone_region": "GBR"}).to_string(),
            StatusCode::BAD_REQUEST,
            "ISO 3166",
        ),
        (
            huge_notice.to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "notice",
        ),
        (
            json!({"max_asks": 1000}).to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "max_asks",
        ),
        (
            "not json".to_owned(),
            StatusCode::BAD_REQUEST,
            "invalid bot settings",
        ),
    ] {
        let response = send(&f.app, put_settings(&bot, &body)).await;
        assert_eq!(response.status(), status, "{}", &body[..body.len().min(80)]);
        let error = body_json(response).await;
        assert_eq!(error["error"], "invalid_settings");
        let message = error["message"].as_str().unwrap();
        assert!(message.contains(words), "{message}");
        assert!(
            message.len() < 300,
            "the message never echoes a large value"
        );
        assert_eq!(get_settings(&f.app, &bot).await, before, "nothing changed");
    }

    // Unknown bots and bad ids; no token at all.
    let unknown = leadkit_core::BotId::from_u128(0xDEAD).to_string();
    let response = send(&f.app, put_settings(&unknown, "{}")).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = send(&f.app, put_settings("not-a-uuid", "{}")).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let anonymous = Request::put(format!("/admin/api/bots/{bot}/settings"))
        .body(Body::from("{}"))
        .unwrap();
    assert_eq!(
        send(&f.app, anonymous).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(get_settings(&f.app, &bot).await, before);
}

#[tokio::test]
async fn the_bots_page_lists_bots_with_their_state_and_recent_leads() {
    let f = fixture().await;
    let now = Utc::now();
    for (n, days) in [(1, 1), (2, 6), (3, 20), (4, 45)] {
        let details = ContactDetails::new().with_email(format!("p{n}@example.com"));
        seed(&f.store, n, SALES, details, now - Duration::days(days)).await;
    }
    let off = send(
        &f.app,
        put_settings(&SUPPORT.to_string(), r#"{"enabled":false}"#),
    )
    .await;
    assert_eq!(off.status(), StatusCode::OK);

    let cookie = session_cookie(&f.app).await;
    let response = send(
        &f.app,
        Request::get("/admin/bots")
            .header(header::COOKIE, &cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = body_text(response).await;
    assert!(
        html.contains(r#"href="/admin/bots""#),
        "the nav has a Bots entry"
    );
    let sales = row(&html, &SALES.to_string());
    assert!(
        sales.contains("On — Ask after the first question"),
        "{sales}"
    );
    assert!(
        sales.contains(r#"<td class="num leads-7">2</td>"#),
        "{sales}"
    );
    assert!(
        sales.contains(r#"<td class="num leads-30">3</td>"#),
        "{sales}"
    );
    let support = row(&html, &SUPPORT.to_string());
    assert!(support.contains(">Off<"), "{support}");
    assert!(
        support.contains(r#"<td class="num leads-7">0</td>"#),
        "{support}"
    );

    // Signed out, the page is not shown.
    let response = send(
        &f.app,
        Request::get("/admin/bots").body(Body::empty()).unwrap(),
    )
    .await;
    assert_ne!(response.status(), StatusCode::OK);
}

/// The `<tr>` of `bot` in the Bots table.
fn row<'a>(html: &'a str, bot: &str) -> &'a str {
    let start = html.find(&format!(r#"data-bot="{bot}""#)).unwrap();
    let end = html[start..].find("</tr>").unwrap();
    &html[start..start + end]
}

fn form_post(
    bot: &str,
    cookie: &str,
    origin: &'static str,
    site: &'static str,
    body: &str,
) -> Request<Body> {
    Request::post(format!("/admin/bots/{bot}/settings"))
        .header(header::COOKIE, cookie)
        .header(header::HOST, "dash.example")
        .header(header::ORIGIN, origin)
        .header("sec-fetch-site", site)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body.to_owned()))
        .unwrap()
}

#[tokio::test]
async fn the_lead_collection_form_saves_under_the_dashboard_rules() {
    let f = fixture().await;
    let bot = SALES.to_string();
    let cookie = session_cookie(&f.app).await;
    let page = |cookie: String| {
        Request::get(format!("/admin/bots/{bot}"))
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap()
    };
    let html = body_text(send(&f.app, page(cookie.clone())).await).await;
    for words in [
        "Lead Collection",
        "Ask after the first question",
        "Ask when the visitor shows interest",
        "Ask on every reply",
        "Ask before answering",
        "Phone region",
        "Custom ask messages",
        "No changes yet.",
    ] {
        assert!(html.contains(words), "{words}");
    }

    let form = "enabled=on&mode=before_chat&name=optional&email=one_of&phone=one_of\
                &max_asks=&cooldown_turns=2&consent_text=We+may+call+you.&consent_version=1\
                &phone_region=gb&language=en&ask_en=Your+email+or+phone%3F";
    // A cross-site post is refused and saves nothing.
    let cross = send(
        &f.app,
        form_post(&bot, &cookie, "http://evil.example", "cross-site", form),
    )
    .await;
    assert_eq!(cross.status(), StatusCode::FORBIDDEN);
    assert!(f.store.bot_settings(WS, SALES).await.unwrap().is_none());
    // Without a session, nothing is saved either.
    let anonymous = send(
        &f.app,
        form_post(&bot, "", "http://dash.example", "same-origin", form),
    )
    .await;
    // (sent to the sign-in page)
    assert_ne!(
        anonymous
            .headers()
            .get(header::LOCATION)
            .map(|l| l.to_str().unwrap()),
        Some(format!("/admin/bots/{bot}?saved=1").as_str())
    );
    assert!(f.store.bot_settings(WS, SALES).await.unwrap().is_none());

    let same = send(
        &f.app,
        form_post(&bot, &cookie, "http://dash.example", "same-origin", form),
    )
    .await;
    assert_eq!(same.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        same.headers()[header::LOCATION],
        format!("/admin/bots/{bot}?saved=1").as_str()
    );
    let stored = f.store.bot_settings(WS, SALES).await.unwrap().unwrap();
    assert_eq!(stored.settings.mode, Mode::BeforeChat);
    assert_eq!(stored.settings.fields.to_string(), "email|phone,name?");
    assert_eq!(stored.settings.phone_region.unwrap().as_str(), "GB");
    assert_eq!(
        stored
            .settings
            .ask_message_for(leadkit_engine::messages::Locale::English),
        Some("Your email or phone?")
    );

    let saved_page = Request::get(format!("/admin/bots/{bot}?saved=1"))
        .header(header::COOKIE, &cookie)
        .body(Body::empty())
        .unwrap();
    let html = body_text(send(&f.app, saved_page).await).await;
    assert!(html.contains("Saved."), "{html}");
    assert!(
        html.contains(r#"<td class="new">Ask before answering</td>"#),
        "{html}"
    );
    assert!(html.contains("dashboard"), "the change says who made it");

    // Invalid values: the page again with the reason, nothing changed.
    for bad in [
        form.replace("mode=before_chat", "mode=sometimes"),
        form.replace("cooldown_turns=2", "cooldown_turns=-1"),
        form.replace("phone_region=gb", "phone_region=UK"),
        form.replace(
            "consent_text=We+may+call+you.",
            &format!("consent_text={}", "x".repeat(100 * 1024)),
        ),
    ] {
        let response = send(
            &f.app,
            form_post(&bot, &cookie, "http://dash.example", "same-origin", &bad),
        )
        .await;
        assert!(response.status().is_client_error(), "{}", response.status());
        let html = body_text(response).await;
        assert!(html.contains(r#"id="settings-error""#), "{html}");
        let now = f.store.bot_settings(WS, SALES).await.unwrap().unwrap();
        assert_eq!(now.version, stored.version, "nothing changed");
    }
}
