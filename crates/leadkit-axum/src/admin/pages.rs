//! The HTML dashboard: leads, a lead with its history, conversations.
//!
//! Pages are rendered on the server from [maud] templates, which escape
//! every value spliced into them; filters, sorting and paging are plain
//! links and GET forms, changes are POST forms, and there is no script.

use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::{Query, QueryRejection};
use chrono::{DateTime, Utc};
use leadkit_core::{BotId, Field, LeadStatus};
use leadkit_store::{Direction, Lead, SortColumn, TranscriptMessage};
use maud::{Markup, html};
use serde::Deserialize;

use super::api::parse_status;
use super::view::{BotNames, ConversationView, bot_name, bot_names, lead_id, load_lead};
use crate::config::AppState;
use crate::error::ApiError;
use crate::html::Page;
use crate::params::{DateBound, LeadFilter, Param, ParamError, dir_name, sort_name};

const STYLESHEET: &str = include_str!("../../assets/admin.css");

/// `GET /admin/assets/admin.css` (public: the sign-in page uses it).
pub(super) async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        STYLESHEET,
    )
}

/// An error shown as a page.
pub(crate) struct PageError(ApiError);

impl From<ApiError> for PageError {
    fn from(err: ApiError) -> Self {
        Self(err)
    }
}

impl From<ParamError> for PageError {
    fn from(err: ParamError) -> Self {
        Self(err.into())
    }
}

impl From<QueryRejection> for PageError {
    fn from(rejection: QueryRejection) -> Self {
        Self(rejection.into())
    }
}

impl From<leadkit_engine::Error> for PageError {
    fn from(err: leadkit_engine::Error) -> Self {
        Self(err.into())
    }
}

impl From<leadkit_store::Error> for PageError {
    fn from(err: leadkit_store::Error) -> Self {
        Self(err.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let title = self.0.status.canonical_reason().unwrap_or("Error");
        let body = html! {
            h1 { (title) }
            p class="error" role="alert" { (self.0.message) }
            p { a href="/admin/leads" { "Back to the leads" } }
        };
        Page::new(self.0.status, title, true, body).into_response()
    }
}

/// The filter from the query string, checked.
fn filter(query: Result<Query<LeadFilter>, QueryRejection>) -> Result<LeadFilter, PageError> {
    let Query(filter) = query?;
    filter.check()?;
    Ok(filter)
}

pub(super) fn time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

fn field(lead: &Lead, field: Field) -> &str {
    lead.details.get(field).unwrap_or_default()
}

/// A detail for the lead page: a dash when absent.
fn or_dash(text: &str) -> &str {
    if text.is_empty() { "—" } else { text }
}

fn consent_text(lead: &Lead) -> &'static str {
    match &lead.consent {
        Some(c) if c.given => "given",
        Some(_) => "refused",
        None => "—",
    }
}

pub(super) fn display_name(lead: &Lead) -> &str {
    lead.details
        .get(Field::Name)
        .or_else(|| lead.details.get(Field::Email))
        .or_else(|| lead.details.get(Field::Phone))
        .unwrap_or("(no name)")
}

/// The filter form shared by the leads and conversations pages.
fn filter_form(action: &str, filter: &LeadFilter, names: &BotNames) -> Markup {
    let mut bots: Vec<(&BotId, &String)> = names.iter().collect();
    bots.sort_by(|a, b| a.1.cmp(b.1).then(a.0.cmp(b.0)));
    let chosen_bots: Vec<BotId> = filter.bots().collect();
    let chosen_statuses: Vec<LeadStatus> = filter.statuses().collect();
    fn date(bound: &Param<DateBound>) -> &str {
        bound.0.as_ref().map_or("", |b| b.text.as_str())
    }
    html! {
        form method="get" action=(action) class="filters" id="filters" {
            input type="search" name="q" id="q" value=(filter.search().unwrap_or_default())
                placeholder="Search name, email, phone, company" aria-label="Search";
            select name="bot" id="bot" aria-label="Bot" {
                option value="" { "All bots" }
                @for (id, name) in bots {
                    option value=(id) selected[chosen_bots.contains(id)] { (name) }
                }
            }
            select name="status" id="status" aria-label="Status" {
                option value="" { "Any status" }
                @for status in LeadStatus::ALL {
                    option value=(status.as_str()) selected[chosen_statuses.contains(&status)] {
                        (status.as_str())
                    }
                }
            }
            label { "From " input type="date" name="created_from" id="created_from" value=(date(&filter.created_from)); }
            label { "To " input type="date" name="created_to" id="created_to" value=(date(&filter.created_to)); }
            @if action == "/admin/leads" {
                label { "Last seen from " input type="date" name="seen_from" id="seen_from" value=(date(&filter.seen_from)); }
                label { "To " input type="date" name="seen_to" id="seen_to" value=(date(&filter.seen_to)); }
            }
            @if filter.sort() != SortColumn::default() || filter.dir() != Direction::default() {
                input type="hidden" name="sort" value=(sort_name(filter.sort()));
                input type="hidden" name="dir" value=(dir_name(filter.dir()));
            }
            button type="submit" id="apply" { "Filter" }
            " "
            a href=(action) class="clear" { "Clear" }
        }
    }
}

/// A column header that sorts by `column`, ascending first, flipping when
/// it is the current sort.
fn sort_header(filter: &LeadFilter, column: SortColumn, label: &str) -> Markup {
    let current = filter.sort() == column;
    let ascending = filter.dir() == Direction::Asc;
    let next = if current && ascending {
        Direction::Desc
    } else {
        Direction::Asc
    };
    let (arrow, aria) = match (current, ascending) {
        (false, _) => ("", None),
        (true, true) => (" ▲", Some("ascending")),
        (true, false) => (" ▼", Some("descending")),
    };
    html! {
        th aria-sort=[aria] {
            a href={ "/admin/leads?" (filter.link(column, next, None)) } data-sort=(sort_name(column)) {
                (label) (arrow)
            }
        }
    }
}

/// The link to the page after this one, when there is one.
fn next_page(path: &str, filter: &LeadFilter, next: Option<&leadkit_store::Cursor>) -> Markup {
    html! {
        @if let Some(cursor) = next {
            a id="next-page" href={ (path) "?" (filter.current_link(Some(cursor))) } { "Next page →" }
        }
    }
}

/// `GET /admin/leads?<filter>`
pub(super) async fn leads(
    State(app): State<AppState>,
    query: Result<Query<LeadFilter>, QueryRejection>,
) -> Result<Page, PageError> {
    let filter = filter(query)?;
    let query = filter.query();
    let store = app.engine.store();
    let page = store.query_leads(app.workspace, &query).await?;
    let total = super::lead_total::lead_total(&app, &filter, &query, &page).await?;
    let names = bot_names(&app).await?;
    let link = filter.current_link(None);
    let here = match &filter.before.0 {
        Some(before) => filter.before_link(before),
        None => filter.current_link(filter.cursor.0.as_ref()),
    };
    let body = html! {
        h1 { "Leads" }
        (filter_form("/admin/leads", &filter, &names))
        p class="summary" {
            @match total {
                Some(total) => span { span id="total" { (total) } " " (if total == 1 { "lead" } else { "leads" }) },
                None => span {
                    (page.leads.len()) " leads on this page · "
                    a id="count-all" href={ "/admin/leads?" (here) (if here.is_empty() { "" } else { "&" }) "count=true" } { "Count all matches" }
                },
            }
            " "
            a class="button" id="export" href={ "/admin/api/leads.csv?" (link) } download { "Export CSV" }
        }
        table id="leads" {
            thead {
                tr {
                    (sort_header(&filter, SortColumn::Name, "Name"))
                    (sort_header(&filter, SortColumn::Email, "Email"))
                    (sort_header(&filter, SortColumn::Phone, "Phone"))
                    (sort_header(&filter, SortColumn::Company, "Company"))
                    th { "Bot" }
                    (sort_header(&filter, SortColumn::Status, "Status"))
                    (sort_header(&filter, SortColumn::CreatedAt, "Created"))
                    (sort_header(&filter, SortColumn::LastSeenAt, "Last seen"))
                    th { "Consent" }
                }
            }
            tbody {
                @for lead in &page.leads {
                    tr data-lead=(lead.id) {
                        td { a class="lead-link" href={ "/admin/leads/" (lead.id) } { (display_name(lead)) } }
                        td { (field(lead, Field::Email)) }
                        td { (field(lead, Field::Phone)) }
                        td { (lead.company().unwrap_or_default()) }
                        td { (bot_name(&names, lead.bot)) }
                        td { span class={ "status status-" (lead.status.as_str()) } { (lead.status.as_str()) } }
                        td class="nowrap" { (time(lead.created_at)) }
                        td class="nowrap" { (time(lead.last_seen_at)) }
                        td { (consent_text(lead)) }
                    }
                }
                @if page.leads.is_empty() {
                    tr { td colspan="9" class="empty" { "No leads match this filter." } }
                }
            }
        }
        p class="pager" {
            @if filter.paged() {
                a id="first-page" href={ "/admin/leads?" (link) } { "« First page" }
            }
            @if let Some(prev) = &page.prev {
                a id="prev-page" href={ "/admin/leads?" (filter.before_link(prev)) } { "← Previous page" }
            }
            (next_page("/admin/leads", &filter, page.next.as_ref()))
        }
    };
    Ok(Page::ok("Leads", body))
}

fn transcript(view: &ConversationView, names: &BotNames) -> Markup {
    html! {
        section class="conversation" id={ "conversation-" (view.id) } {
            h3 {
                "Conversation " code { (view.id) } " · "
                (view.bot().map(|b| bot_name(names, b)).unwrap_or_default())
                " · " (view.message_count()) " messages"
            }
            @if view.message_count() > view.messages.len() as u64 {
                p class="muted" {
                    "The latest " (view.messages.len()) " messages. "
                    a href={ "/admin/conversations/" (view.id) } class="all-messages" { "All messages →" }
                }
            }
            (messages(&view.messages))
        }
    }
}

/// Transcript lines, oldest first.
pub(super) fn messages(lines: &[TranscriptMessage]) -> Markup {
    html! {
            ol class="transcript" {
                @for message in lines {
                    @let role = message.role.as_str();
                    li class={ "msg " (role) } {
                        div class="meta" {
                            span class="who" { (if role == "visitor" { "Visitor" } else { "Bot" }) }
                            " "
                            time { (time(message.at)) }
                        }
                        p { (message.text.expose()) }
                    }
                }
            }
    }
}

/// `GET /admin/leads/{id}`
pub(super) async fn lead(
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> Result<Page, PageError> {
    let (lead, conversations) = load_lead(&app, lead_id(&id)?).await?;
    let claims = super::claims::lead_claims(&app, lead.id).await?;
    let names = bot_names(&app).await?;
    let bots = lead
        .bots
        .iter()
        .map(|b| bot_name(&names, *b))
        .collect::<Vec<_>>()
        .join(", ");
    // Values the lead gave before that differ from the current ones.
    let others: Vec<_> = lead
        .history
        .iter()
        .filter(|value| {
            let current = Field::ALL
                .into_iter()
                .find(|f| f.as_str() == value.field)
                .and_then(|f| lead.details.get(f));
            current.is_some_and(|c| c != value.value.expose())
        })
        .collect();
    let id = lead.id;
    let status = lead.status.as_str();
    let body = html! {
        p class="back" { a href="/admin/leads" { "← Leads" } }
        h1 id="lead-name" { (display_name(&lead)) }
        div class="lead-layout" {
            dl class="details" id="details" {
                dt { "Email" } dd { (or_dash(field(&lead, Field::Email))) }
                dt { "Phone" } dd { (or_dash(field(&lead, Field::Phone))) }
                dt { "Company" } dd { (or_dash(lead.company().unwrap_or_default())) }
                dt { "Bot" } dd { (bots) }
                dt { "Status" } dd { span class={ "status status-" (status) } id="lead-status" { (status) } }
                dt { "Created" } dd { (time(lead.created_at)) }
                dt { "Last seen" } dd { (time(lead.last_seen_at)) }
                dt { "Consent" }
                dd {
                    @match &lead.consent {
                        Some(c) => {
                            (if c.given { "given" } else { "refused" })
                            " (version " (c.version) ", " (time(c.at)) ")"
                        }
                        None => { "—" }
                    }
                }
                dt { "Visitor id" } dd { (lead.visitor.as_ref().map_or("—", |v| v.as_str())) }
                dt { "Notes" } dd { (or_dash(lead.notes.expose())) }
            }
            aside class="actions" {
                form method="post" action={ "/admin/leads/" (id) "/status" } class="status-form" {
                    label for="status-select" { "Status" }
                    select name="status" id="status-select" {
                        @for s in LeadStatus::ALL {
                            option value=(s.as_str()) selected[lead.status == s] { (s.as_str()) }
                        }
                    }
                    button type="submit" id="save-status" { "Save" }
                }
                p { a class="danger" id="erase" href={ "/admin/leads/" (id) "/erase" } { "Erase this lead…" } }
            }
        }
        (super::claims::section(id, &claims, &names))
        @if !others.is_empty() {
            h2 { "Other values given" }
            ul class="history" {
                @for value in &others {
                    li {
                        (value.field) ": " (value.value.expose()) " "
                        span class="muted" { "(last given " (time(value.last_seen_at)) ")" }
                    }
                }
            }
        }
        h2 { "Chat history" }
        @for view in &conversations {
            (transcript(view, &names))
        }
        @if conversations.is_empty() {
            p class="muted" { "No conversations recorded." }
        }
    };
    Ok(Page::ok(display_name(&lead), body))
}

#[derive(Deserialize)]
pub(super) struct StatusForm {
    status: String,
}

/// `POST /admin/leads/{id}/status` (form)
pub(super) async fn set_status(
    State(app): State<AppState>,
    Path(id): Path<String>,
    form: Result<Form<StatusForm>, FormRejection>,
) -> Result<Response, PageError> {
    let id = lead_id(&id)?;
    let Ok(Form(form)) = form else {
        return Err(ApiError::bad_request("invalid_request", "choose a status").into());
    };
    let status = parse_status(&form.status)?;
    app.engine.set_status(app.workspace, id, status).await?;
    Ok(Redirect::to(&format!("/admin/leads/{id}")).into_response())
}

/// `GET /admin/leads/{id}/erase`: asks for confirmation.
pub(super) async fn confirm_erase(
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> Result<Page, PageError> {
    let (lead, conversations) = load_lead(&app, lead_id(&id)?).await?;
    let id = lead.id;
    let body = html! {
        h1 { "Erase " (display_name(&lead)) "?" }
        p {
            "This deletes the lead, every contact detail it ever gave, and its "
            (conversations.len()) " conversation(s) with their transcripts and saved states. \
             It cannot be undone."
        }
        form method="post" action={ "/admin/leads/" (id) "/erase" } class="confirm" {
            button type="submit" class="danger" id="confirm-erase" { "Erase permanently" }
            " "
            a href={ "/admin/leads/" (id) } { "Cancel" }
        }
    };
    Ok(Page::ok("Erase lead", body))
}

/// `POST /admin/leads/{id}/erase`
pub(super) async fn erase(
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    app.engine.erase_lead(app.workspace, lead_id(&id)?).await?;
    Ok(Redirect::to("/admin/leads").into_response())
}
