//! The Conversations screen: every conversation, with or without a lead,
//! filtered and paged; a long transcript read a page at a time; a lead's
//! page showing only each conversation's latest lines.
#![allow(clippy::unwrap_used)] // test code

mod common;

use axum::http::StatusCode;
use chrono::Duration;
use leadkit_core::{ContactDetails, ConversationId, LeadId};
use leadkit_store::{
    ConversationStore, LeadStore, LeadUpsert, Role, TranscriptMessage, TranscriptStore,
};

use common::*;

fn line(c: ConversationId, n: i64, text: &str) -> TranscriptMessage {
    let role = if n % 2 == 0 {
        Role::Visitor
    } else {
        Role::Assistant
    };
    TranscriptMessage::new(c, SALES, role, text, t0() + Duration::seconds(n))
}

/// The number of `needle`s in `haystack`.
fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

/// The `href` of the element with `id`, unescaped.
fn link(html: &str, id: &str) -> Option<String> {
    let needle = format!("id=\"{id}\" href=\"");
    let start = html.find(&needle)? + needle.len();
    let end = start + html[start..].find('"')?;
    Some(html[start..end].replace("&amp;", "&"))
}

#[tokio::test]
async fn every_conversation_is_listed_filtered_and_paged() {
    let f = fixture().await;
    // 55 anonymous conversations and one with a lead.
    for n in 0..55u128 {
        let c = ConversationId::from_u128(1000 + n);
        let text = if n == 7 {
            "ask about ENTERPRISE pricing"
        } else {
            "hello"
        };
        f.store
            .append_messages(WS, &[line(c, i64::try_from(n).unwrap(), text)])
            .await
            .unwrap();
    }
    let linked = ConversationId::from_u128(1);
    let lead = f
        .store
        .upsert_lead(
            WS,
            &LeadUpsert::new(
                LeadId::from_u128(9),
                SALES,
                ContactDetails::new()
                    .with_name("Mia Linked")
                    .with_email("mia@example.com"),
                t0(),
            )
            .conversation(linked),
        )
        .await
        .unwrap()
        .lead
        .id;
    f.store
        .append_messages(WS, &[line(linked, 100, "I'm Mia")])
        .await
        .unwrap();

    let first = body_text(send(&f.app, admin_get("/admin/conversations")).await).await;
    assert_eq!(count(&first, "data-conversation="), 50, "a page of 50");
    // Newest first: the linked conversation, with its lead's name.
    let newest = first
        .find(&format!("data-conversation=\"{linked}\""))
        .unwrap();
    assert_eq!(first.find("data-conversation="), Some(newest));
    assert!(first.contains(&format!(
        "href=\"/admin/leads/{lead}\" class=\"lead-link\">Mia Linked"
    )));
    let next = link(&first, "next-page").expect("a next page");
    let second = body_text(send(&f.app, admin_get(&next)).await).await;
    assert_eq!(count(&second, "data-conversation="), 6);
    assert!(link(&second, "next-page").is_none());
    assert!(link(&second, "first-page").is_some());

    let without = body_text(send(&f.app, admin_get("/admin/conversations?lead=no")).await).await;
    assert!(!without.contains(&format!("data-conversation=\"{linked}\"")));
    let with = body_text(send(&f.app, admin_get("/admin/conversations?lead=yes")).await).await;
    assert_eq!(count(&with, "data-conversation="), 1);
    let found = body_text(send(&f.app, admin_get("/admin/conversations?q=enterprise")).await).await;
    assert_eq!(count(&found, "data-conversation="), 1);
    assert!(found.contains(&ConversationId::from_u128(1007).to_string()));
    let other_bot = body_text(
        send(
            &f.app,
            admin_get(&format!("/admin/conversations?bot={SUPPORT}")),
        )
        .await,
    )
    .await;
    assert!(other_bot.contains("No conversations match."));
    let dated =
        body_text(send(&f.app, admin_get("/admin/conversations?from=2026-03-11")).await).await;
    assert!(dated.contains("No conversations match."));

    for bad in [
        "/admin/conversations?q=ab",
        "/admin/conversations?after=junk",
        "/admin/conversations?from=2026-03-11&to=2026-03-01",
        "/admin/conversations?lead=maybe",
        "/admin/conversations/not-a-uuid",
    ] {
        let response = send(&f.app, admin_get(bad)).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{bad}");
    }
    // A cursor of another filter is refused, not reinterpreted.
    let cursor = next.split("after=").nth(1).unwrap();
    let response = send(
        &f.app,
        admin_get(&format!("/admin/conversations?lead=no&after={cursor}")),
    )
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let response = send(
        &f.app,
        admin_get(&format!(
            "/admin/conversations/{}",
            ConversationId::from_u128(5)
        )),
    )
    .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_long_transcript_is_read_a_page_at_a_time() {
    let f = fixture().await;
    let c = ConversationId::from_u128(42);
    let lines: Vec<_> = (0..130)
        .map(|n| line(c, n, &format!("line number {n}.")))
        .collect();
    f.store.append_messages(WS, &lines).await.unwrap();
    let lead = f
        .store
        .upsert_lead(
            WS,
            &LeadUpsert::new(
                LeadId::from_u128(3),
                SALES,
                ContactDetails::new().with_email("long@example.com"),
                t0(),
            ),
        )
        .await
        .unwrap()
        .lead
        .id;
    f.store.link_conversation(WS, c, lead).await.unwrap();

    // The latest 50, then 50 before them, then the first 30.
    let mut uri = format!("/admin/conversations/{c}");
    let mut shown = Vec::new();
    for expected in [80..130, 30..80, 0..30] {
        let page = body_text(send(&f.app, admin_get(&uri)).await).await;
        assert!(page.contains("<dd id=\"message-count\">130</dd>"));
        assert!(page.contains(&format!("href=\"/admin/leads/{lead}\"")));
        assert_eq!(count(&page, "class=\"msg "), expected.len());
        for n in expected.clone() {
            assert!(page.contains(&format!("line number {n}.")), "{n}");
        }
        assert!(!page.contains(&format!("line number {}.", expected.end)));
        shown.extend(expected);
        match link(&page, "older") {
            Some(older) => uri = older,
            None => break,
        }
    }
    shown.sort_unstable();
    assert_eq!(shown, (0..130).collect::<Vec<_>>());

    // The lead's page shows the latest 20 and links to the rest.
    let page = body_text(send(&f.app, admin_get(&format!("/admin/leads/{lead}"))).await).await;
    assert_eq!(count(&page, "class=\"msg "), 20);
    assert!(page.contains("line number 129.") && !page.contains("line number 109."));
    assert!(page.contains(&format!(
        "href=\"/admin/conversations/{c}\" class=\"all-messages\""
    )));
    assert!(page.contains("130 messages"));
    // So does the API's lead detail, with the whole count.
    let detail =
        body_json(send(&f.app, admin_get(&format!("/admin/api/leads/{lead}"))).await).await;
    assert_eq!(detail["conversations"][0]["message_count"], 130);
    assert_eq!(
        detail["conversations"][0]["messages"]
            .as_array()
            .unwrap()
            .len(),
        20
    );
}
