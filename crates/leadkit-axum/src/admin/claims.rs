//! Unconfirmed claims on a lead (see [`leadkit_store::Claim`]): how the
//! lead page and the API show them, and the merge and reject actions.
//!
//! An anonymous chat that gives an existing lead's email or phone changes
//! nothing of that lead; its details wait here until a person merges them
//! (they replace the lead's) or rejects them. Both actions are POSTs
//! behind the admin guard (session and same-origin check).

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use leadkit_core::{BotId, ConversationId, Field, LeadId};
use leadkit_store::{Claim, ClaimDecision};
use maud::{Markup, html};
use serde::{Deserialize, Serialize};

use super::pages::PageError;
use super::view::{BotNames, ConsentJson, LeadJson, bot_name, bot_names, lead_id, rfc3339};
use crate::config::AppState;
use crate::error::ApiError;

/// The claims on a lead, oldest first.
pub(super) async fn lead_claims(app: &AppState, lead: LeadId) -> Result<Vec<Claim>, ApiError> {
    Ok(app.engine.store().lead_claims(app.workspace, lead).await?)
}

/// A claim in the admin API.
#[derive(Serialize)]
pub(super) struct ClaimJson {
    conversation: ConversationId,
    bot: BotId,
    bot_name: String,
    name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    custom: std::collections::BTreeMap<String, String>,
    consent: Option<ConsentJson>,
    first_at: String,
    at: String,
}

impl ClaimJson {
    pub(super) fn new(claim: &Claim, names: &BotNames) -> Self {
        let text = |field| claim.details.get(field).map(str::to_owned);
        Self {
            conversation: claim.conversation,
            bot: claim.bot,
            bot_name: bot_name(names, claim.bot),
            name: text(Field::Name),
            email: text(Field::Email),
            phone: text(Field::Phone),
            custom: claim
                .details
                .custom
                .iter()
                .map(|(k, v)| (k.clone(), v.expose().clone()))
                .collect(),
            consent: claim.consent.as_ref().map(ConsentJson::new),
            first_at: rfc3339(claim.first_at),
            at: rfc3339(claim.at),
        }
    }
}

/// The lead page's section of claims (nothing when there are none).
pub(super) fn section(lead: LeadId, claims: &[Claim], names: &BotNames) -> Markup {
    let time = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%d %H:%M UTC").to_string();
    html! {
        @if !claims.is_empty() {
            section class="claims" id="claims" {
                h2 { "Unconfirmed claims" }
                p class="muted" {
                    "An unverified chat gave this lead's email or phone. Nothing of the lead was "
                    "changed. Merge a claim if it is the same person (its details replace the "
                    "lead's), or reject it."
                }
                @for claim in claims {
                    @let base = format!("/admin/leads/{lead}/claims/{}", claim.conversation);
                    div class="claim" id={ "claim-" (claim.conversation) } {
                        dl class="details" {
                            @for field in [Field::Name, Field::Email, Field::Phone] {
                                @if let Some(value) = claim.details.get(field) {
                                    dt { (field.as_str()) } dd { (value) }
                                }
                            }
                            @for (key, value) in &claim.details.custom {
                                dt { (key) } dd { (value.expose()) }
                            }
                            dt { "consent" }
                            dd {
                                @match &claim.consent {
                                    Some(c) => { (if c.given { "given" } else { "refused" }) " (version " (c.version) ")" }
                                    None => { "—" }
                                }
                            }
                            dt { "conversation" }
                            dd {
                                code { (claim.conversation) } " · " (bot_name(names, claim.bot))
                                " · " (time(claim.at))
                            }
                        }
                        form method="post" action={ (base) "/merge" } class="claim-action" {
                            button type="submit" class="merge" { "Merge into this lead" }
                        }
                        form method="post" action={ (base) "/reject" } class="claim-action" {
                            button type="submit" class="danger reject" { "Reject" }
                        }
                    }
                }
            }
        }
    }
}

fn conversation_id(text: &str) -> Result<ConversationId, ApiError> {
    text.parse().map_err(|_| {
        ApiError::bad_request(
            "invalid_conversation_id",
            "the conversation id must be a UUID",
        )
    })
}

fn decision(text: &str) -> Result<ClaimDecision, ApiError> {
    match text {
        "merge" => Ok(ClaimDecision::Merge),
        "reject" => Ok(ClaimDecision::Reject),
        _ => Err(ApiError::bad_request(
            "invalid_decision",
            "decision must be merge or reject",
        )),
    }
}

async fn resolve(
    app: &AppState,
    lead: &str,
    conversation: &str,
    decision: ClaimDecision,
) -> Result<leadkit_store::Lead, ApiError> {
    let (lead, conversation) = (lead_id(lead)?, conversation_id(conversation)?);
    let lead = app
        .engine
        .store()
        .resolve_claim(app.workspace, lead, conversation, decision)
        .await?;
    tracing::info!(%lead.id, %conversation, ?decision, "lead claim resolved");
    Ok(lead)
}

/// `POST /admin/leads/{id}/claims/{conversation}/{merge|reject}` (form):
/// back to the lead page.
pub(super) async fn resolve_page(
    State(app): State<AppState>,
    Path((id, conversation, action)): Path<(String, String, String)>,
) -> Result<Response, PageError> {
    let lead = resolve(&app, &id, &conversation, decision(&action)?).await?;
    Ok(Redirect::to(&format!("/admin/leads/{}", lead.id)).into_response())
}

#[derive(Deserialize)]
pub(super) struct DecisionBody {
    decision: String,
}

/// `POST /admin/api/leads/{id}/claims/{conversation}` with
/// `{"decision": "merge"}` or `{"decision": "reject"}`: the lead after it.
pub(super) async fn resolve_api(
    State(app): State<AppState>,
    Path((id, conversation)): Path<(String, String)>,
    body: Result<Json<DecisionBody>, JsonRejection>,
) -> Result<Json<LeadJson>, ApiError> {
    let Json(body) = body.map_err(|rejection| {
        ApiError::new(
            rejection.status(),
            "invalid_request",
            "send JSON {\"decision\": \"merge\"} or {\"decision\": \"reject\"}",
        )
    })?;
    let lead = resolve(&app, &id, &conversation, decision(&body.decision)?).await?;
    let names = bot_names(&app).await?;
    Ok(Json(LeadJson::new(&lead, &names)))
}
