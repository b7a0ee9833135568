//! `GET /admin/api/leads.csv`: the current filter as CSV, streamed.
//!
//! [`leadkit_store::export_csv`] writes to a synchronous `io::Write`; this
//! sends the same bytes as a streamed body instead: the store's export
//! pages ([`LeadStore::export_pages`](leadkit_store::LeadStore::export_pages))
//! through the same [`CsvEncoder`] (the same columns and formula defence,
//! RFC 4180 with CRLF line ends), [`EXPORT_PAGE_SIZE`] rows per chunk.
//! Memory stays at a page or two whatever the number of leads.

use axum::body::{Body, Bytes};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use leadkit_store::EXPORT_PAGE_SIZE;
use leadkit_store::csv::{CsvEncoder, CsvOptions};

use super::api::query_pairs;
use super::view::bot_names;
use crate::config::AppState;
use crate::error::ApiError;
use crate::params::LeadFilter;

/// The export's options from the query: `bom=true` starts the file with a
/// UTF-8 byte-order mark, so that Excel reads accents right.
fn options(pairs: &[(String, String)]) -> Result<CsvOptions, ApiError> {
    let mut options = CsvOptions::new();
    for (key, value) in pairs {
        if key == "bom" {
            let bom = match value.as_str() {
                "true" | "1" => true,
                "false" | "0" | "" => false,
                _ => {
                    return Err(ApiError::bad_request(
                        "invalid_parameter",
                        "invalid `bom` parameter: true or false",
                    ));
                }
            };
            options = options.bom(bom);
        }
    }
    Ok(options)
}

/// `GET /admin/api/leads.csv?<filter>[&bom=true]`
pub(super) async fn csv(
    State(app): State<AppState>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, ApiError> {
    let pairs = query_pairs(query)?;
    let filter = LeadFilter::parse(&pairs)?;
    let options = options(&pairs)?;
    let query = filter.query().first_page().limit(EXPORT_PAGE_SIZE);
    // Refuse a bad query now, while a status code can still say so.
    query.check()?;
    let mut encoder = CsvEncoder::new(bot_names(&app).await?);
    let head = encoder.head(options)?;
    // The store's export stream borrows the store, and a body must own
    // what it streams: a task drives the export and hands each chunk over
    // a channel of one, so reading stays a page or two ahead of the
    // client at most (and the task ends when the client goes away).
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Result<Bytes, leadkit_store::Error>>(1);
    tokio::spawn(async move {
        let store = app.engine.store().clone();
        let mut pages = store.export_pages(app.workspace, &query);
        while let Some(page) = pages.next().await {
            let chunk = page.and_then(|rows| encoder.page(&rows));
            let failed = chunk.is_err();
            if tx.send(chunk.map(Bytes::from)).await.is_err() || failed {
                break;
            }
        }
    });
    let rest = futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx));
    let stream = futures_util::stream::once(async move { Ok(Bytes::from(head)) }).chain(rest);
    let filename = format!(
        "attachment; filename=\"leads-{}.csv\"",
        chrono::Utc::now().format("%Y%m%d-%H%M%S")
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, filename),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}
