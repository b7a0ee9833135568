//! The Bots pages and the bot-settings API: the workspace's bots with their
//! lead-collection state and recent leads, and each bot's Lead Collection
//! section, saved through the engine (so this server applies a change from
//! its next turn, and others sharing the store within their settings
//! cache's bound) with the change recorded for the audit trail.
//!
//! The dashboard has one admin token, not user accounts, so a change is
//! recorded as made by `"dashboard"` or `"admin API"`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, extract::Query};
use chrono::Utc;
use leadkit_core::Field;
use leadkit_engine::messages::Locale;
use leadkit_store::{BotSettings, SettingsUpdate};
use maud::{Markup, html};
use serde::Deserialize;

use super::bot_view::{
    BotSettingsView, MODES, RULES, SettingsForm, SettingsJson, bot_id, bot_rows, collection_state,
    differences, find_bot, language_name, load_settings, save_error, settings_refused,
};
use super::pages::PageError;
use crate::config::AppState;
use crate::error::ApiError;
use crate::html::Page;

/// Who a change through the dashboard is recorded as made by.
const DASHBOARD_ACTOR: &str = "dashboard";
/// Who a change through the admin API is recorded as made by.
const API_ACTOR: &str = "admin API";

fn time(t: chrono::DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// `GET /admin/bots`
pub(super) async fn list(State(app): State<AppState>) -> Result<Page, PageError> {
    let rows = bot_rows(&app).await?;
    let body = html! {
        h1 { "Bots" }
        table id="bots" {
            thead {
                tr {
                    th { "Bot" } th { "Lead collection" }
                    th class="num" { "Leads, 7 days" } th class="num" { "Leads, 30 days" }
                }
            }
            tbody {
                @for row in &rows {
                    tr data-bot=(row.bot.id) {
                        td { a class="bot-link" href={ "/admin/bots/" (row.bot.id) } { (row.bot.name) } }
                        td {
                            span class={ "collection " (if row.settings.enabled { "on" } else { "off" }) } {
                                (collection_state(&row.settings))
                            }
                        }
                        td class="num leads-7" { (row.leads_7_days) }
                        td class="num leads-30" { (row.leads_30_days) }
                    }
                }
                @if rows.is_empty() {
                    tr { td colspan="4" class="empty" { "No bots are registered in this workspace." } }
                }
            }
        }
    };
    Ok(Page::ok("Bots", body))
}

#[derive(Deserialize)]
pub(super) struct Notice {
    saved: Option<String>,
}

/// `GET /admin/bots/{id}`
pub(super) async fn page(
    State(app): State<AppState>,
    Path(id): Path<String>,
    notice: Result<Query<Notice>, axum::extract::rejection::QueryRejection>,
) -> Result<Page, PageError> {
    let view = load_settings(&app, bot_id(&id)?).await?;
    let saved = notice.is_ok_and(|Query(n)| n.saved.is_some());
    let notice = saved.then_some("Saved. The bot's next chat turn uses these settings.");
    Ok(bot_page(&view, notice, None, StatusCode::OK))
}

/// `POST /admin/bots/{id}/settings` (the Lead Collection form)
pub(super) async fn save(
    State(app): State<AppState>,
    Path(id): Path<String>,
    form: Result<Form<SettingsForm>, FormRejection>,
) -> Result<Response, PageError> {
    let id = bot_id(&id)?;
    find_bot(&app, id).await?;
    let Ok(Form(form)) = form else {
        return Err(ApiError::bad_request("invalid_request", "the form could not be read").into());
    };
    let refused = match form.settings() {
        Ok(settings) => {
            let update = SettingsUpdate::new(settings, DASHBOARD_ACTOR, Utc::now());
            match app
                .engine
                .put_bot_settings(app.workspace, id, &update)
                .await
            {
                Ok(_) => {
                    return Ok(Redirect::to(&format!("/admin/bots/{id}?saved=1")).into_response());
                }
                Err(error) => save_error(error),
            }
        }
        Err(error) => error,
    };
    if !refused.status.is_client_error() {
        return Err(refused.into());
    }
    // Nothing was saved: the page again, with what is stored and why.
    let view = load_settings(&app, id).await?;
    Ok(bot_page(&view, None, Some(&refused.message), refused.status).into_response())
}

/// A bot's page: its Lead Collection section showing the settings in use, and the
/// change history below.
fn bot_page(
    view: &BotSettingsView,
    notice: Option<&str>,
    error: Option<&str>,
    status: StatusCode,
) -> Page {
    let settings = &view.settings;
    let id = view.bot.id;
    let body = html! {
        p class="back" { a href="/admin/bots" { "← Bots" } }
        h1 id="bot-name" { (view.bot.name) }
        @if let Some(notice) = notice {
            p class="notice" role="status" id="saved" { (notice) }
        }
        @if let Some(error) = error {
            p class="error" role="alert" id="settings-error" { (error) }
        }
        section class="settings" id="lead-collection" {
            h2 { "Lead Collection" }
            @if view.stored.is_none() {
                p class="hint" { "Not changed yet: these are the defaults for a new bot." }
            }
            (settings_form(id, settings))
        }
        h2 { "Change history" }
        (history(view))
    };
    Page::new(status, &view.bot.name, true, body)
}

fn settings_form(id: leadkit_core::BotId, settings: &BotSettings) -> Markup {
    let field_rule = |field: Field| settings.fields.rule(field);
    html! {
        form method="post" action={ "/admin/bots/" (id) "/settings" } class="settings-form" id="settings-form" {
            label class="switch" {
                input type="checkbox" name="enabled" id="enabled" checked[settings.enabled];
                " Collect leads in this bot's chats"
            }
            fieldset {
                legend { "When to ask" }
                @for (mode, name, label) in MODES {
                    label class="choice" {
                        input type="radio" name="mode" value=(name) id={ "mode-" (name) }
                            checked[settings.mode == mode];
                        " " (label)
                    }
                }
            }
            fieldset {
                legend { "Details to ask for" }
                @for (field, label) in [(Field::Name, "Name"), (Field::Email, "Email"), (Field::Phone, "Phone")] {
                    label class="row" {
                        span { (label) }
                        select name=(field.as_str()) id={ "field-" (field.as_str()) } {
                            @for (rule, name, text) in RULES {
                                option value=(name) selected[field_rule(field) == rule] { (text) }
                            }
                        }
                    }
                }
                p class="hint" { "Mark email and phone “Either this or the other contact” to ask for email or phone." }
            }
            fieldset {
                legend { "Limits" }
                label class="row" {
                    span { "Maximum asks per conversation" }
                    input type="number" min="0" name="max_asks" id="max_asks"
                        value=(settings.max_asks.map(|n| n.to_string()).unwrap_or_default())
                        placeholder="no limit";
                }
                label class="row" {
                    span { "Quiet turns after a decline" }
                    input type="number" min="0" name="cooldown_turns" id="cooldown_turns"
                        value=(settings.cooldown_turns);
                }
            }
            fieldset {
                legend { "Consent" }
                label class="switch" {
                    input type="checkbox" name="consent_required" id="consent_required"
                        checked[settings.consent.required];
                    " Ask for consent before a lead counts"
                }
                label class="row" {
                    span { "Notice" }
                    textarea name="consent_text" id="consent_text" rows="3" { (settings.consent.text) }
                }
                label class="row" {
                    span { "Notice version" }
                    input type="text" name="consent_version" id="consent_version"
                        value=(settings.consent.version);
                }
            }
            fieldset {
                legend { "Region and language" }
                label class="row" {
                    span { "Phone region (ISO country code)" }
                    input type="text" name="phone_region" id="phone_region" maxlength="2"
                        value=(settings.phone_region.map(|r| r.as_str().to_owned()).unwrap_or_default())
                        placeholder="GB";
                }
                label class="row" {
                    span { "Language" }
                    select name="language" id="language" {
                        @for locale in Locale::ALL {
                            option value=(locale.code()) selected[settings.language == locale] {
                                (language_name(locale))
                            }
                        }
                    }
                }
            }
            fieldset {
                legend { "Custom ask messages" }
                p class="hint" { "Leave blank to use the built-in message." }
                @for locale in Locale::ALL {
                    label class="row" {
                        span { (language_name(locale)) }
                        textarea name={ "ask_" (locale.code()) } id={ "ask_" (locale.code()) } rows="2" {
                            (settings.ask_message_for(locale).unwrap_or_default())
                        }
                    }
                }
            }
            button type="submit" id="save-settings" { "Save" }
        }
    }
}

fn history(view: &BotSettingsView) -> Markup {
    html! {
        @if view.history.is_empty() {
            p class="muted" id="no-history" { "No changes yet." }
        } @else {
            table id="history" {
                thead { tr { th { "When" } th { "Who" } th { "Setting" } th { "Before" } th { "After" } } }
                tbody {
                    @for change in &view.history {
                        @let diffs = differences(change);
                        @let rows = diffs.len().max(1);
                        @for (i, diff) in diffs.iter().enumerate() {
                            tr data-version=(change.version) {
                                @if i == 0 {
                                    td class="nowrap" rowspan=(rows) { (time(change.at)) }
                                    td rowspan=(rows) { (change.actor.expose()) }
                                }
                                td { (diff.setting) }
                                td class="old" { (diff.old) }
                                td class="new" { (diff.new) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `GET /admin/api/bots/{id}/settings`
pub(super) async fn api_get(
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<SettingsJson>, ApiError> {
    let view = load_settings(&app, bot_id(&id)?).await?;
    Ok(Json(SettingsJson::new(&view)))
}

/// `PUT /admin/api/bots/{id}/settings` with the settings' JSON form (keys
/// left out take the defaults of a new bot; an unknown key, such as a
/// misspelt one, is refused): validated, saved with the
/// change recorded, and answered like the GET. Invalid settings change
/// nothing: 400 when they cannot be read, 422 when a value is out of
/// bounds.
pub(super) async fn api_put(
    State(app): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<SettingsJson>, ApiError> {
    let id = bot_id(&id)?;
    find_bot(&app, id).await?;
    let text = std::str::from_utf8(&body)
        .map_err(|_| ApiError::bad_request("invalid_settings", "the body must be UTF-8 JSON"))?;
    let settings = BotSettings::from_json_strict(text).map_err(|e| settings_refused(&e))?;
    let update = SettingsUpdate::new(settings, API_ACTOR, Utc::now());
    app.engine
        .put_bot_settings(app.workspace, id, &update)
        .await
        .map_err(save_error)?;
    let view = load_settings(&app, id).await?;
    Ok(Json(SettingsJson::new(&view)))
}
