//! The HTML dashboard: what its pages show, and that visitor text on them is
//! escaped.
#![allow(clippy::unwrap_used)] // test code

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use leadkit_core::{ContactDetails, ConversationId, LeadId};
use leadkit_store::{LeadStore, LeadUpsert, Role, TranscriptMessage, TranscriptStore};
use serde_json::json;

use common::*;

#[tokio::test]
async fn the_dashboard_pages_show_the_leads_and_their_history() {
    let f = fixture().await;
    let first = chat(
        &f.app,
        json!({"bot": SUPPORT, "message": "Do you ship to Chile?"}),
    )
    .await;
    let conversation = first["conversation"].as_str().unwrap();
    chat(&f.app, json!({"bot": SUPPORT, "conversation": conversation, "token": first["token"], "message": "I'm Zoë Ünal, zoe@example.com"})).await;
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
            .conversation(conversation)
            // The lead's own visitor, so the conversation is one of its own.
            .verified(true),
        )
        .await
        .unwrap();
    // An unverified chat's claim on the lead, shown on its page.
    f.store
        .upsert_lead(
            WS,
            &LeadUpsert::new(
                LeadId::from_u128(9),
                SALES,
                ContactDetails::new()
                    .with_name("<img src=x onerror=alert(2)>")
                    .with_email("x@example.com")
                    .with_custom("<b>Co</b>", "<script>alert('pwned')</script>"),
                t0(),
            )
            .conversation(ConversationId::from_u128(78)),
        )
        .await
        .unwrap();
    let cookie = session_cookie(&f.app).await;
    for uri in [
        "/admin/leads".to_owned(),
        format!("/admin/leads/{id}"),
        "/admin/conversations".to_owned(),
        format!("/admin/conversations/{conversation}"),
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
async fn query_text_written_back_into_the_page_is_escaped() {
    let f = fixture().await;
    seed_five(&f.store).await;
    // q = `"><script>alert(1)</script>`, sorted so the form carries hidden fields too.
    let uri = "/admin/leads?q=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E&sort=name&dir=asc";
    let response = send(&f.app, admin_get(uri)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = body_text(response).await;
    assert!(!html.contains("<script>"), "{html}");
    // Back in the search box, escaped.
    assert!(
        html.contains("value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""),
        "{html}"
    );
    // In the links, URL-encoded (then `&` escaped for the attribute).
    assert!(
        html.contains(
            "href=\"/admin/api/leads.csv?q=%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E&amp;sort=name&amp;dir=asc\""
        ),
        "{html}"
    );
    assert!(html.contains("<span id=\"total\">0</span> leads</span>"));
}
