//! `GET /admin/api/leads.csv`: the current filter as CSV, streamed.
//!
//! [`leadkit_store::export_csv`] writes to a synchronous `io::Write` and
//! awaits the store between pages, so it cannot hand a page to the HTTP
//! body while it runs. This streams the same thing page by page instead,
//! with the store's own pieces: the [`CsvRow`] columns and formula
//! defence, [`EXPORT_PAGE_SIZE`], RFC 4180 with CRLF line ends. The next
//! page is read only when the client has taken the previous one, so memory
//! stays at one page whatever the number of leads.

use axum::body::{Body, Bytes};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use leadkit_store::{CsvOptions, CsvRow, EXPORT_PAGE_SIZE, LeadQuery};

use super::api::query_pairs;
use super::view::{BotNames, bot_name, bot_names};
use crate::config::AppState;
use crate::error::ApiError;
use crate::params::LeadFilter;

enum Step {
    Header(LeadQuery),
    Page(LeadQuery),
}

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
    query.validate(app.workspace)?;
    let names = bot_names(&app).await?;
    let stream = futures_util::stream::try_unfold(Some(Step::Header(query)), move |step| {
        let app = app.clone();
        let names = names.clone();
        async move {
            match step {
                None => Ok(None),
                Some(Step::Header(query)) => {
                    let mut chunk = Vec::new();
                    if options.bom {
                        chunk.extend_from_slice("\u{feff}".as_bytes());
                    }
                    chunk.extend_from_slice(&encode(|w| w.write_record(CsvRow::HEADER))?);
                    let chunk = Bytes::from(chunk);
                    Ok(Some((chunk, Some(Step::Page(query)))))
                }
                Some(Step::Page(query)) => {
                    let page = app
                        .engine
                        .store()
                        .query_leads(app.workspace, &query)
                        .await?;
                    let chunk = rows(&page.leads, &names)?;
                    let next = page.next.map(|cursor| Step::Page(query.after(cursor)));
                    Ok::<_, leadkit_store::Error>(Some((chunk, next)))
                }
            }
        }
    });
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

fn rows(leads: &[leadkit_store::Lead], names: &BotNames) -> Result<Bytes, leadkit_store::Error> {
    encode(|writer| {
        for lead in leads {
            writer.write_record(&CsvRow::from_lead(lead, &bot_name(names, lead.bot)).cells)?;
        }
        Ok(())
    })
}

fn encode(
    write: impl FnOnce(&mut csv::Writer<Vec<u8>>) -> Result<(), csv::Error>,
) -> Result<Bytes, leadkit_store::Error> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .has_headers(false)
        .from_writer(Vec::new());
    write(&mut writer).map_err(leadkit_store::Error::Csv)?;
    let bytes = writer
        .into_inner()
        .map_err(|e| leadkit_store::Error::Csv(e.into_error().into()))?;
    Ok(Bytes::from(bytes))
}
