//! The CSV download of the current filter, streamed.
#![allow(clippy::unwrap_used)] // test code

mod common;

use axum::http::{StatusCode, header};
use chrono::Duration;
use leadkit_core::ContactDetails;
use leadkit_store::CsvRow;

use common::*;

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
