//! The Leads screen's total, counted only when it is free or asked for;
//! the last-seen filter and column; the bot filter matching any bot a lead
//! talked to.
#![allow(clippy::unwrap_used)] // test code

mod common;

use chrono::Duration;
use leadkit_core::{ContactDetails, LeadId};
use leadkit_store::{LeadStore, LeadUpsert};
use serde_json::Value;

use common::*;

#[tokio::test]
async fn the_total_is_counted_only_when_free_or_asked_for() {
    let f = fixture().await;
    seed_five(&f.store).await;
    // The first page holds every match: the total is its length.
    assert_eq!(names(&f.app, "").await.1["total"], 5);
    // More pages: no count unless asked.
    let (_, body) = names(&f.app, "limit=2").await;
    assert_eq!(body["total"], Value::Null);
    assert_eq!(names(&f.app, "limit=2&count=true").await.1["total"], 5);
    let cursor = body["next_cursor"].as_str().unwrap();
    let later = names(&f.app, &format!("limit=2&cursor={cursor}")).await.1;
    assert_eq!(later["total"], Value::Null);

    let page = body_text(send(&f.app, admin_get("/admin/leads?limit=2")).await).await;
    assert!(!page.contains("id=\"total\""), "{page}");
    assert!(
        page.contains("id=\"count-all\" href=\"/admin/leads?limit=2&amp;count=true\""),
        "{page}"
    );
    let counted = body_text(send(&f.app, admin_get("/admin/leads?limit=2&count=true")).await).await;
    assert!(
        counted.contains("<span id=\"total\">5</span> leads"),
        "{counted}"
    );
    // Links to other pages do not carry the count.
    assert!(
        !counted.contains("count=true&amp;cursor") && !counted.contains("&amp;count=true&amp;")
    );
}

#[tokio::test]
async fn last_seen_filters_and_shows() {
    let f = fixture().await;
    seed_five(&f.store).await;
    // Eve was seen 40 days after t0, the others within 3 days.
    let (seen, _) = names(&f.app, "seen_from=2026-04-01").await;
    assert_eq!(seen, ["Eve Adams"]);
    let (before, _) = names(&f.app, "seen_to=2026-03-11&sort=name&dir=asc").await;
    assert_eq!(before, ["Álvaro Núñez", "Bea Ortiz"]);
    let response = send(
        &f.app,
        admin_get("/admin/api/leads?seen_from=2026-04-02&seen_to=2026-03-31"),
    )
    .await;
    assert_eq!(response.status(), axum::http::StatusCode::BAD_REQUEST);

    let page =
        body_text(send(&f.app, admin_get("/admin/leads?sort=last_seen_at&dir=desc")).await).await;
    assert!(page.contains("data-sort=\"last_seen_at\""), "{page}");
    assert!(page.contains("id=\"seen_from\""));
    let eve = page.find("Eve Adams").unwrap();
    assert!(eve < page.find("Dana Scott").unwrap());
}

#[tokio::test]
async fn the_bot_filter_matches_any_bot_a_lead_talked_to() {
    let f = fixture().await;
    let details = || {
        ContactDetails::new()
            .with_name("Ivy Both")
            .with_email("ivy@example.com")
    };
    for (n, bot) in [(1, SALES), (2, SUPPORT)] {
        f.store
            .upsert_lead(
                WS,
                &LeadUpsert::new(
                    LeadId::from_u128(n),
                    bot,
                    details(),
                    t0() + Duration::hours(1),
                ),
            )
            .await
            .unwrap();
    }
    for bot in [SALES, SUPPORT] {
        let (found, _) = names(&f.app, &format!("bot={bot}")).await;
        assert_eq!(found, ["Ivy Both"], "{bot}");
    }
}

#[tokio::test]
async fn previous_and_next_pages() {
    let f = fixture().await;
    seed_five(&f.store).await;
    let (first, body) = names(&f.app, "sort=name&dir=asc&limit=2").await;
    assert_eq!(body["prev_cursor"], Value::Null);
    let next = body["next_cursor"].as_str().unwrap().to_owned();
    let (second, body) = names(&f.app, &format!("sort=name&dir=asc&limit=2&cursor={next}")).await;
    let prev = body["prev_cursor"].as_str().unwrap().to_owned();
    let (back, _) = names(&f.app, &format!("sort=name&dir=asc&limit=2&before={prev}")).await;
    assert_eq!(back, first);
    assert_ne!(second, first);
    // Both at once is refused; a "before" cursor is not a "next" one.
    for query in [
        format!("limit=2&sort=name&dir=asc&cursor={next}&before={prev}"),
        format!("limit=2&sort=name&dir=asc&cursor={prev}"),
    ] {
        let response = send(&f.app, admin_get(&format!("/admin/api/leads?{query}"))).await;
        assert_eq!(
            response.status(),
            axum::http::StatusCode::BAD_REQUEST,
            "{query}"
        );
    }

    // The dashboard links both ways.
    let page = body_text(
        send(
            &f.app,
            admin_get(&format!(
                "/admin/leads?sort=name&dir=asc&limit=2&cursor={next}"
            )),
        )
        .await,
    )
    .await;
    assert!(
        page.contains(&format!(
            "id=\"prev-page\" href=\"/admin/leads?sort=name&amp;dir=asc&amp;limit=2&amp;before={prev}\""
        )),
        "{page}"
    );
    assert!(page.contains("id=\"next-page\""));
    let back = body_text(
        send(
            &f.app,
            admin_get(&format!(
                "/admin/leads?sort=name&dir=asc&limit=2&before={prev}"
            )),
        )
        .await,
    )
    .await;
    assert!(
        back.contains("Álvaro Núñez") && back.contains("Bea Ortiz"),
        "{back}"
    );
    assert!(back.contains("id=\"next-page\""));
}
