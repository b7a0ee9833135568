//! The admin JSON API.

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use leadkit_core::LeadStatus;
use serde::{Deserialize, Serialize};

use super::claims::{ClaimJson, lead_claims};
use super::view::{ConversationJson, LeadJson, bot_names, lead_id, load_lead};
use crate::config::AppState;
use crate::error::ApiError;
use crate::params::LeadFilter;

/// Decoded query pairs, or 400 (for the CSV export, which reads its own
/// `bom` beside the filter; everything else takes `Query<LeadFilter>`).
pub(super) fn query_pairs(
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Vec<(String, String)>, ApiError> {
    query.map(|Query(pairs)| pairs).map_err(|_| {
        ApiError::bad_request("invalid_parameter", "the query string could not be decoded")
    })
}

#[derive(Serialize)]
pub(super) struct LeadList {
    leads: Vec<LeadJson>,
    next_cursor: Option<String>,
    /// The page before this one (pass it as `before`), if any.
    prev_cursor: Option<String>,
    /// Every match counted: known when the first page holds them all, or
    /// counted with `count=true`; `null` otherwise.
    total: Option<u64>,
}

/// `GET /admin/api/leads`
pub(super) async fn list(
    State(app): State<AppState>,
    query: Result<axum_extra::extract::Query<LeadFilter>, axum_extra::extract::QueryRejection>,
) -> Result<Json<LeadList>, ApiError> {
    let axum_extra::extract::Query(filter) = query?;
    filter.check()?;
    let query = filter.query();
    let store = app.engine.store();
    let page = store.query_leads(app.workspace, &query).await?;
    let total = super::lead_total::lead_total(&app, &filter, &query, &page).await?;
    let names = bot_names(&app).await?;
    Ok(Json(LeadList {
        leads: page
            .leads
            .iter()
            .map(|l| LeadJson::new(l, &names))
            .collect(),
        next_cursor: page.next.map(|c| c.as_str().to_owned()),
        prev_cursor: page.prev.map(|c| c.as_str().to_owned()),
        total,
    }))
}

#[derive(Serialize)]
pub(super) struct LeadDetail {
    lead: LeadJson,
    conversations: Vec<ConversationJson>,
    /// Unconfirmed claims on the lead (see `admin::claims`).
    claims: Vec<ClaimJson>,
}

/// `GET /admin/api/leads/{id}`
pub(super) async fn detail(
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<LeadDetail>, ApiError> {
    let (lead, conversations) = load_lead(&app, lead_id(&id)?).await?;
    let claims = lead_claims(&app, lead.id).await?;
    let names = bot_names(&app).await?;
    Ok(Json(LeadDetail {
        claims: claims.iter().map(|c| ClaimJson::new(c, &names)).collect(),
        lead: LeadJson::new(&lead, &names),
        conversations: conversations
            .iter()
            .map(|c| ConversationJson::new(c, &names))
            .collect(),
    }))
}

#[derive(Deserialize)]
pub(super) struct StatusBody {
    status: String,
}

/// Parses a status, or 400.
pub(super) fn parse_status(text: &str) -> Result<LeadStatus, ApiError> {
    text.parse().map_err(|_| {
        ApiError::bad_request(
            "invalid_status",
            "status must be one of new, contacted, qualified, converted, lost",
        )
    })
}

/// `POST /admin/api/leads/{id}/status` with `{"status": "contacted"}`
pub(super) async fn set_status(
    State(app): State<AppState>,
    Path(id): Path<String>,
    body: Result<Json<StatusBody>, JsonRejection>,
) -> Result<Json<LeadJson>, ApiError> {
    let id = lead_id(&id)?;
    let Json(body) = body.map_err(|rejection| {
        ApiError::new(
            rejection.status(),
            "invalid_request",
            "send JSON {\"status\": \"contacted\"}",
        )
    })?;
    let status = parse_status(&body.status)?;
    let lead = app.engine.set_status(app.workspace, id, status).await?;
    let names = bot_names(&app).await?;
    Ok(Json(LeadJson::new(&lead, &names)))
}

/// `DELETE /admin/api/leads/{id}`: erases the lead, its details and its
/// transcripts.
pub(super) async fn erase(
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    app.engine.erase_lead(app.workspace, lead_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
