//! The admin JSON API: filters, sorting and keyset pages from query
//! parameters, clear errors for bad ones, status changes and erasure.
#![allow(clippy::unwrap_used)] // test code

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use leadkit_core::{ContactDetails, LeadId, LeadStatus, WorkspaceId};
use leadkit_store::{LeadStore, LeadUpsert};

use common::*;

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
    let mut query = "sort=name&dir=desc&limit=2&count=true".to_owned();
    loop {
        let (page, body) = names(&f.app, &query).await;
        assert_eq!(body["total"], 5);
        assert!(page.len() <= 2);
        seen.extend(page);
        match body["next_cursor"].as_str() {
            Some(cursor) => {
                query = format!("sort=name&dir=desc&limit=2&count=true&cursor={cursor}")
            }
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
        ("q=a&q=b", "`q` parameter: given more than once"),
        ("has_email=perhaps", "`has_email`"),
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
