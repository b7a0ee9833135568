//! The router end to end, through `tower::ServiceExt::oneshot`, on the
//! in-memory store.
#![allow(clippy::unwrap_used)] // test code

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_trait::async_trait;
use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{Request, Response, StatusCode, header};
use chrono::{DateTime, Duration, TimeZone, Utc};
use leadkit_axum::{AdminToken, Leadkit, Responder};
use leadkit_core::{
    BotId, ContactDetails, ConversationId, LeadId, LeadStatus, Policy, WorkspaceId,
};
use leadkit_engine::engine::{Engine, StaticPolicies, VisitorVerifier};
use leadkit_store::{
    Bot, BotStore, CsvRow, LeadStore, LeadUpsert, MemoryStore, Role, TranscriptMessage,
    TranscriptStore,
};
use serde_json::{Value, json};
use tower::ServiceExt;

const TOKEN: &str = "test-admin-token-0123456789";
const WS: WorkspaceId = WorkspaceId::from_u128(0xA);
const SALES: BotId = BotId::from_u128(0xB1);
const SUPPORT: BotId = BotId::from_u128(0xB2);

/// Answers from a fixed text and counts its calls.
#[derive(Default)]
struct Canned {
    calls: AtomicUsize,
}

#[async_trait]
impl Responder for Canned {
    async fn answer(&self, _bot: BotId, _conversation: ConversationId, message: &str) -> String {
        self.calls.fetch_add(1, Ordering::SeqCst);
        format!("Answer to: {}", message.len())
    }
}

struct Fixture {
    app: Router,
    store: Arc<MemoryStore>,
    responder: Arc<Canned>,
}

async fn fixture_with(policy: Policy) -> Fixture {
    let store = Arc::new(MemoryStore::new());
    store
        .put_bot(WS, &Bot::new(SALES, WS, "Sales bot"))
        .await
        .unwrap();
    store
        .put_bot(WS, &Bot::new(SUPPORT, WS, "Support bot"))
        .await
        .unwrap();
    let engine = Engine::builder()
        .store(store.clone())
        .policies(Arc::new(StaticPolicies::new(policy)))
        .visitor_verifier(VisitorVerifier::new(vec![9; 32]).unwrap())
        .build()
        .unwrap();
    let responder = Arc::new(Canned::default());
    let app = Leadkit::new(
        engine,
        WS,
        AdminToken::new(TOKEN).unwrap(),
        responder.clone(),
    )
    .router();
    Fixture {
        app,
        store,
        responder,
    }
}

async fn fixture() -> Fixture {
    fixture_with(Policy::after_first_query()).await
}

async fn send(app: &Router, request: Request<Body>) -> Response<Body> {
    app.clone().oneshot(request).await.unwrap()
}

async fn body_text(response: Response<Body>) -> String {
    String::from_utf8(
        to_bytes(response.into_body(), 64 << 20)
            .await
            .unwrap()
            .to_vec(),
    )
    .unwrap()
}

async fn body_json(response: Response<Body>) -> Value {
    serde_json::from_str(&body_text(response).await).unwrap()
}

fn chat_request(body: Value) -> Request<Body> {
    Request::post("/chat")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

fn admin_get(uri: &str) -> Request<Body> {
    Request::get(uri)
        .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
        .body(Body::empty())
        .unwrap()
}

async fn chat(app: &Router, body: Value) -> Value {
    let response = send(app, chat_request(body)).await;
    assert_eq!(response.status(), StatusCode::OK);
    body_json(response).await
}

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, 12, 0, 0).unwrap()
}

async fn seed(
    store: &MemoryStore,
    n: u128,
    bot: BotId,
    details: ContactDetails,
    at: DateTime<Utc>,
) -> LeadId {
    store
        .upsert_lead(WS, &LeadUpsert::new(LeadId::from_u128(n), bot, details, at))
        .await
        .unwrap()
        .lead
        .id
}

#[tokio::test]
async fn a_chat_asks_after_the_first_query_and_captures_the_lead() {
    let f = fixture().await;
    let first = chat(
        &f.app,
        json!({"bot": SALES, "message": "What are your opening hours?"}),
    )
    .await;
    assert_eq!(first["action"], "ask");
    assert_eq!(first["turn"], 1);
    assert_eq!(first["fields"], json!(["name", "email"]));
    assert_eq!(first["lead_captured"], false);
    let reply = first["reply"].as_str().unwrap();
    assert!(reply.starts_with("Answer to: 28\n\n"), "{reply}");
    assert!(reply.len() > "Answer to: 28\n\n".len());
    let conversation = first["conversation"].as_str().unwrap().to_owned();

    let second = chat(
        &f.app,
        json!({"bot": SALES, "conversation": conversation, "message": "Sure, I'm Ana Souza, ana@example.com"}),
    )
    .await;
    assert_eq!(second["conversation"], conversation.as_str());
    assert_eq!(second["turn"], 2);
    assert_eq!(second["lead_captured"], true);
    assert_eq!(f.responder.calls.load(Ordering::SeqCst), 2);

    let list = body_json(send(&f.app, admin_get("/admin/api/leads")).await).await;
    assert_eq!(list["total"], 1);
    let lead = &list["leads"][0];
    assert_eq!(lead["email"], "ana@example.com");
    assert_eq!(lead["name"], "Ana Souza");
    assert_eq!(lead["bot_name"], "Sales bot");
    assert_eq!(lead["status"], "new");

    let id = lead["id"].as_str().unwrap();
    let detail = body_json(send(&f.app, admin_get(&format!("/admin/api/leads/{id}"))).await).await;
    let messages = detail["conversations"][0]["messages"].as_array().unwrap();
    assert_eq!(detail["conversations"][0]["id"], conversation.as_str());
    let roles: Vec<&str> = messages
        .iter()
        .map(|m| m["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["visitor", "assistant", "visitor", "assistant"]);
    assert_eq!(messages[0]["text"], "What are your opening hours?");
    // The transcript holds the reply that was actually sent.
    assert_eq!(messages[1]["text"], reply);
}

#[tokio::test]
async fn a_gate_sends_the_prompt_alone_and_never_asks_the_bot() {
    let f = fixture_with(Policy::before_chat()).await;
    let reply = chat(
        &f.app,
        json!({"bot": SUPPORT, "message": "How much is it?", "locale": "es-MX"}),
    )
    .await;
    assert_eq!(reply["action"], "gate");
    assert!(
        reply["reply"]
            .as_str()
            .unwrap()
            .starts_with("Antes de responder"),
        "{reply}"
    );
    assert_eq!(f.responder.calls.load(Ordering::SeqCst), 0);

    // Accept-Language picks the language when the body does not.
    let request = Request::post("/chat")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT_LANGUAGE, "de-DE,de;q=0.9,en;q=0.5")
        .body(Body::from(
            json!({"bot": SUPPORT, "message": "Preis?"}).to_string(),
        ))
        .unwrap();
    let german = body_json(send(&f.app, request).await).await;
    assert_eq!(german["action"], "gate");
    assert_ne!(german["reply"], reply["reply"]);
    assert_eq!(f.responder.calls.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_bad_visitor_signature_means_an_anonymous_visit() {
    let f = fixture().await;
    let reply = chat(
        &f.app,
        json!({"bot": SALES, "message": "hello", "visitor": "user-1", "signature": "00ff"}),
    )
    .await;
    assert_eq!(reply["turn"], 1);
    // A valid signature is accepted, and the visitor id is kept with the lead.
    let verifier = VisitorVerifier::new(vec![9; 32]).unwrap();
    let signature = verifier.sign(&leadkit_core::VisitorId::new("user-2").unwrap());
    let reply = chat(
        &f.app,
        json!({"bot": SALES, "message": "I'm Bo Li, bo@example.com", "visitor": "user-2", "signature": signature}),
    )
    .await;
    assert_eq!(reply["lead_captured"], true);
    let list = body_json(send(&f.app, admin_get("/admin/api/leads")).await).await;
    assert_eq!(list["leads"][0]["visitor"], "user-2");
}

#[tokio::test]
async fn bad_chat_requests_get_json_errors() {
    let f = fixture().await;
    let cases = [
        (
            Request::post("/chat")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{not json"))
                .unwrap(),
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
        (
            chat_request(json!({"message": "no bot"})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_request",
        ),
        (
            Request::post("/chat")
                .body(Body::from(
                    json!({"bot": SALES, "message": "hi"}).to_string(),
                ))
                .unwrap(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "invalid_request",
        ),
        (
            chat_request(json!({"bot": SALES, "message": "   "})),
            StatusCode::BAD_REQUEST,
            "empty_message",
        ),
        (
            chat_request(json!({"bot": SALES, "message": "x".repeat(4097)})),
            StatusCode::PAYLOAD_TOO_LARGE,
            "message_too_long",
        ),
        (
            chat_request(json!({"bot": SALES, "message": "x".repeat(100_000)})),
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
        ),
        (
            chat_request(json!({"bot": BotId::from_u128(99), "message": "hi"})),
            StatusCode::NOT_FOUND,
            "unknown_bot",
        ),
        (
            chat_request(json!({"bot": SALES, "message": "hi", "conversation": "nope"})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_request",
        ),
    ];
    for (request, status, code) in cases {
        let response = send(&f.app, request).await;
        assert_eq!(response.status(), status, "{code}");
        let body = body_json(response).await;
        assert_eq!(body["error"], code);
        assert!(!body["message"].as_str().unwrap().is_empty());
    }
    // Exactly the limit is fine.
    let ok = send(
        &f.app,
        chat_request(json!({"bot": SALES, "message": "x".repeat(4096)})),
    )
    .await;
    assert_eq!(ok.status(), StatusCode::OK);
    assert_eq!(f.responder.calls.load(Ordering::SeqCst), 1);
}

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

fn login(token: &str) -> Request<Body> {
    Request::post("/admin/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "dash.example")
        .header(header::ORIGIN, "http://dash.example")
        .body(Body::from(format!("token={token}")))
        .unwrap()
}

async fn session_cookie(app: &Router) -> String {
    let response = send(app, login(TOKEN)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[header::LOCATION], "/admin/leads");
    let cookie = response.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_owned();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/admin"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    assert!(
        !cookie.contains(TOKEN),
        "the cookie must not carry the token itself"
    );
    cookie.split(';').next().unwrap().to_owned()
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

async fn seed_five(store: &MemoryStore) -> Vec<LeadId> {
    let people = [
        ("Álvaro Núñez", "alvaro@example.com", SALES, 0),
        ("Bea Ortiz", "bea@example.org", SUPPORT, 1),
        ("Chen Wei", "chen@example.com", SALES, 2),
        ("Dana Scott", "dana@example.net", SUPPORT, 3),
        ("Eve Adams", "eve@example.com", SALES, 40),
    ];
    let mut ids = Vec::new();
    for (n, (name, email, bot, days)) in people.into_iter().enumerate() {
        let details = ContactDetails::new().with_name(name).with_email(email);
        ids.push(
            seed(
                store,
                n as u128 + 1,
                bot,
                details,
                t0() + Duration::days(days),
            )
            .await,
        );
    }
    ids
}

async fn names(app: &Router, query: &str) -> (Vec<String>, Value) {
    let response = send(app, admin_get(&format!("/admin/api/leads?{query}"))).await;
    assert_eq!(response.status(), StatusCode::OK, "{query}");
    let body = body_json(response).await;
    let names = body["leads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap().to_owned())
        .collect();
    (names, body)
}

#[tokio::test]
async fn filters_sort_and_pages_come_from_query_parameters() {
    let f = fixture().await;
    let ids = seed_five(&f.store).await;
    f.store
        .update_lead(
            WS,
            ids[1],
            &leadkit_store::LeadPatch::new().status(LeadStatus::Qualified),
        )
        .await
        .unwrap();

    assert_eq!(
        names(&f.app, "").await.0,
        [
            "Eve Adams",
            "Dana Scott",
            "Chen Wei",
            "Bea Ortiz",
            "Álvaro Núñez"
        ]
    );
    assert_eq!(names(&f.app, "q=alvaro").await.0, ["Álvaro Núñez"]);
    assert_eq!(
        names(&f.app, "q=EXAMPLE.COM&sort=name&dir=asc").await.0,
        ["Álvaro Núñez", "Chen Wei", "Eve Adams"]
    );
    assert_eq!(
        names(&f.app, &format!("bot={SUPPORT}&sort=created_at&dir=asc"))
            .await
            .0,
        ["Bea Ortiz", "Dana Scott"]
    );
    assert_eq!(
        names(&f.app, &format!("bot={SUPPORT}&bot={SALES}&limit=1000"))
            .await
            .1["total"],
        5
    );
    assert_eq!(names(&f.app, "status=qualified").await.0, ["Bea Ortiz"]);
    assert_eq!(
        names(&f.app, "status=qualified&status=new").await.1["total"],
        5
    );
    assert_eq!(
        names(
            &f.app,
            "created_from=2026-03-11&created_to=2026-03-12&sort=name&dir=asc"
        )
        .await
        .0,
        ["Bea Ortiz", "Chen Wei"]
    );
    assert_eq!(
        names(&f.app, "created_to=2026-03-10T12:00:00Z").await.0,
        Vec::<String>::new()
    );
    assert_eq!(names(&f.app, "has_phone=true").await.1["total"], 0);
    assert_eq!(
        names(&f.app, "has_email=true&consent=missing").await.1["total"],
        5
    );

    // Keyset pages of two, by name descending, cover every lead once.
    let mut seen = Vec::new();
    let mut query = "sort=name&dir=desc&limit=2".to_owned();
    loop {
        let (page, body) = names(&f.app, &query).await;
        assert_eq!(body["total"], 5);
        assert!(page.len() <= 2);
        seen.extend(page);
        match body["next_cursor"].as_str() {
            Some(cursor) => query = format!("sort=name&dir=desc&limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(
        seen,
        [
            "Eve Adams",
            "Dana Scott",
            "Chen Wei",
            "Bea Ortiz",
            "Álvaro Núñez"
        ]
    );
}

#[tokio::test]
async fn invalid_parameters_are_a_clear_400() {
    let f = fixture().await;
    seed_five(&f.store).await;
    let (_, body) = names(&f.app, "limit=2").await;
    let cursor = body["next_cursor"].as_str().unwrap().to_owned();
    for (query, needle) in [
        ("status=hot", "`status`"),
        ("sort=password", "`sort`"),
        ("created_from=31/12/2026", "`created_from`"),
        ("limit=0", "`limit`"),
        ("bot=sales", "`bot`"),
        ("dir=sideways", "`dir`"),
        ("cursor=zz", "`cursor`"),
    ] {
        let response = send(&f.app, admin_get(&format!("/admin/api/leads?{query}"))).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{query}");
        let body = body_json(response).await;
        assert_eq!(body["error"], "invalid_parameter");
        assert!(body["message"].as_str().unwrap().contains(needle), "{body}");
    }
    // A cursor from another sort.
    let response = send(
        &f.app,
        admin_get(&format!(
            "/admin/api/leads?limit=2&sort=name&cursor={cursor}"
        )),
    )
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(body_json(response).await["error"], "invalid_cursor");
    // The export and the pages check the same way.
    let csv = send(&f.app, admin_get("/admin/api/leads.csv?status=hot")).await;
    assert_eq!(csv.status(), StatusCode::BAD_REQUEST);
    let page = send(&f.app, admin_get("/admin/leads?sort=password")).await;
    assert_eq!(page.status(), StatusCode::BAD_REQUEST);
    assert!(body_text(page).await.contains("invalid `sort` parameter"));
    let bad_id = send(&f.app, admin_get("/admin/api/leads/not-a-uuid")).await;
    assert_eq!(bad_id.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_csv_export_streams_the_current_filter() {
    let f = fixture().await;
    seed_five(&f.store).await;
    let hostile = ContactDetails::new()
        .with_name("=HYPERLINK(\"http://x\")")
        .with_email("zed@example.com")
        .with_phone("+14155552671");
    seed(&f.store, 99, SALES, hostile, t0()).await;

    let response = send(
        &f.app,
        admin_get(&format!(
            "/admin/api/leads.csv?bot={SALES}&sort=email&dir=asc"
        )),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "text/csv; charset=utf-8"
    );
    let disposition = response.headers()[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"leads-") && disposition.ends_with(".csv\""),
        "{disposition}"
    );
    let text = body_text(response).await;
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert_eq!(lines[0], CsvRow::HEADER.join(","));
    assert_eq!(lines.len(), 1 + 4 + 1, "{text}"); // header, four Sales leads, the final empty piece
    assert!(
        lines[1].contains(",Sales bot,new,Álvaro Núñez,alvaro@example.com,"),
        "{}",
        lines[1]
    );
    assert!(
        lines[4].contains(",\"'=HYPERLINK(\"\"http://x\"\")\",zed@example.com,+14155552671,"),
        "{}",
        lines[4]
    );
    assert!(!text.contains("Bea Ortiz"));
    assert!(!text.starts_with('\u{feff}'));

    let with_bom =
        body_text(send(&f.app, admin_get("/admin/api/leads.csv?q=zed&bom=true")).await).await;
    assert!(with_bom.starts_with("\u{feff}id,created_at,"), "{with_bom}");
    assert_eq!(with_bom.matches("\r\n").count(), 2);
    let bad = send(&f.app, admin_get("/admin/api/leads.csv?bom=maybe")).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_csv_export_spans_many_pages() {
    let f = fixture().await;
    for n in 0..2100u128 {
        let details = ContactDetails::new().with_email(format!("lead{n}@example.com"));
        seed(
            &f.store,
            n + 1,
            SALES,
            details,
            t0() + Duration::seconds(n as i64),
        )
        .await;
    }
    let text = body_text(
        send(
            &f.app,
            admin_get("/admin/api/leads.csv?sort=created_at&dir=asc"),
        )
        .await,
    )
    .await;
    let rows: Vec<&str> = text
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .skip(1)
        .collect();
    assert_eq!(rows.len(), 2100);
    assert!(rows[0].contains("lead0@example.com"));
    assert!(rows[2099].contains("lead2099@example.com"));
}

#[tokio::test]
async fn visitor_text_is_escaped_on_every_page() {
    let f = fixture().await;
    let details = ContactDetails::new()
        .with_name("<script>alert('pwned')</script>")
        .with_email("x@example.com")
        .with_custom("company", "\"Quotes\" & <b>Co</b>");
    let id = seed(&f.store, 7, SALES, details, t0()).await;
    let conversation = ConversationId::from_u128(77);
    f.store
        .append_messages(
            WS,
            &[TranscriptMessage::new(
                conversation,
                SALES,
                Role::Visitor,
                "<img src=x onerror=alert(1)>",
                t0(),
            )],
        )
        .await
        .unwrap();
    f.store
        .upsert_lead(
            WS,
            &LeadUpsert::new(
                LeadId::from_u128(8),
                SALES,
                ContactDetails::new().with_email("x@example.com"),
                t0(),
            )
            .conversation(conversation),
        )
        .await
        .unwrap();
    let cookie = session_cookie(&f.app).await;
    for uri in [
        "/admin/leads".to_owned(),
        format!("/admin/leads/{id}"),
        "/admin/conversations".to_owned(),
        format!("/admin/leads/{id}/erase"),
    ] {
        let response = send(
            &f.app,
            Request::get(&uri)
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        let html = body_text(response).await;
        assert!(!html.contains("<script>alert"), "{uri}");
        assert!(!html.contains("<img src=x"), "{uri}");
        assert!(!html.contains("<b>Co</b>"), "{uri}");
        // The templates escape `&`, `<`, `>` and `"`; a `'` stays as it is,
        // inert because every attribute is written double-quoted.
        assert!(
            html.contains("&lt;script&gt;alert('pwned')&lt;/script&gt;"),
            "{uri}"
        );
    }
    let lead_page = body_text(
        send(
            &f.app,
            Request::get(format!("/admin/leads/{id}"))
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await,
    )
    .await;
    assert!(lead_page.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(lead_page.contains("&quot;Quotes&quot; &amp; &lt;b&gt;Co&lt;/b&gt;"));
}

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
async fn status_changes_and_erasure_through_the_api() {
    let f = fixture().await;
    let ids = seed_five(&f.store).await;
    let other_workspace = WorkspaceId::from_u128(0xF);
    let foreign = f
        .store
        .upsert_lead(
            other_workspace,
            &LeadUpsert::new(
                LeadId::from_u128(50),
                SALES,
                ContactDetails::new().with_email("o@example.com"),
                t0(),
            ),
        )
        .await
        .unwrap()
        .lead
        .id;

    let set = |id: LeadId, body: &str| {
        Request::post(format!("/admin/api/leads/{id}/status"))
            .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_owned()))
            .unwrap()
    };
    let response = send(&f.app, set(ids[2], r#"{"status":"converted"}"#)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body_json(response).await["status"], "converted");
    assert_eq!(names(&f.app, "status=converted").await.0, ["Chen Wei"]);
    let bad = send(&f.app, set(ids[2], r#"{"status":"hot"}"#)).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert_eq!(body_json(bad).await["error"], "invalid_status");
    assert_eq!(
        send(&f.app, set(foreign, r#"{"status":"lost"}"#))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    let delete = |id: LeadId| {
        Request::delete(format!("/admin/api/leads/{id}"))
            .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(
        send(&f.app, delete(ids[0])).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        send(&f.app, admin_get(&format!("/admin/api/leads/{}", ids[0])))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        send(&f.app, delete(ids[0])).await.status(),
        StatusCode::NOT_FOUND
    );
    // Scoped to the configured workspace: another workspace's lead is not there.
    assert_eq!(
        send(&f.app, admin_get(&format!("/admin/api/leads/{foreign}")))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        send(&f.app, delete(foreign)).await.status(),
        StatusCode::NOT_FOUND
    );
    assert!(
        f.store
            .get_lead(other_workspace, foreign)
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(names(&f.app, "").await.1["total"], 4);
}

#[tokio::test]
async fn the_dashboard_pages_show_the_leads_and_their_history() {
    let f = fixture().await;
    let first = chat(
        &f.app,
        json!({"bot": SUPPORT, "message": "Do you ship to Chile?"}),
    )
    .await;
    let conversation = first["conversation"].as_str().unwrap();
    chat(&f.app, json!({"bot": SUPPORT, "conversation": conversation, "message": "I'm Zoë Ünal, zoe@example.com"})).await;
    seed_five(&f.store).await;

    let leads = body_text(send(&f.app, admin_get("/admin/leads?q=zoe")).await).await;
    assert!(
        leads.contains("<span id=\"total\">1</span> lead</span>"),
        "{leads}"
    );
    assert!(leads.contains("Zoë Ünal") && leads.contains("Support bot"));
    assert!(
        leads.contains("href=\"/admin/api/leads.csv?q=zoe\""),
        "{leads}"
    );
    assert!(!leads.contains("Bea Ortiz"));

    let sorted =
        body_text(send(&f.app, admin_get("/admin/leads?sort=name&dir=asc&limit=2")).await).await;
    assert!(sorted.contains("aria-sort=\"ascending\""));
    assert!(
        sorted.contains("href=\"/admin/leads?sort=name&amp;dir=desc&amp;limit=2\""),
        "{sorted}"
    );
    assert!(sorted.contains(
        "id=\"next-page\" href=\"/admin/leads?sort=name&amp;dir=asc&amp;limit=2&amp;cursor="
    ));

    let list = body_json(send(&f.app, admin_get("/admin/api/leads?q=zoe")).await).await;
    let id = list["leads"][0]["id"].as_str().unwrap();
    let page = body_text(send(&f.app, admin_get(&format!("/admin/leads/{id}"))).await).await;
    assert!(page.contains("Do you ship to Chile?"));
    assert!(
        page.contains("We ship worldwide") || page.contains("Answer to: 21"),
        "{page}"
    );
    assert!(page.contains(&format!("id=\"conversation-{conversation}\"")));

    let conversations =
        body_text(send(&f.app, admin_get("/admin/conversations?q=zoe")).await).await;
    assert!(conversations.contains(&format!("<code>{conversation}</code>")));
    assert!(
        conversations.contains("<td class=\"num\">4</td>"),
        "{conversations}"
    );
}

#[cfg(feature = "mock")]
#[tokio::test]
async fn the_responder_gets_the_turn_it_answers() {
    let store = Arc::new(MemoryStore::new());
    store
        .put_bot(WS, &Bot::new(SALES, WS, "Sales bot"))
        .await
        .unwrap();
    let engine = Engine::builder().store(store).build().unwrap();
    let conversation = ConversationId::from_u128(0xC0);
    let mut responder = leadkit_axum::MockResponder::new();
    responder
        .expect_answer()
        .withf(move |bot, conv, message| {
            *bot == SALES && *conv == conversation && message == "Any refunds?"
        })
        .times(1)
        .returning(|_, _, _| "Yes, within 30 days.".to_owned());
    let app = Leadkit::new(
        engine,
        WS,
        AdminToken::new(TOKEN).unwrap(),
        Arc::new(responder),
    )
    .router();
    let reply = chat(
        &app,
        json!({"bot": SALES, "conversation": conversation, "message": "Any refunds?"}),
    )
    .await;
    assert!(
        reply["reply"]
            .as_str()
            .unwrap()
            .starts_with("Yes, within 30 days.\n\n")
    );
}
