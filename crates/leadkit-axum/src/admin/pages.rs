//! The HTML dashboard: leads, a lead with its history, conversations.
//!
//! Pages are rendered on the server; filters, sorting and paging are plain
//! links and GET forms, changes are POST forms, and there is no script. Every
//! value that did not come from this crate goes through [`escape`].

use std::fmt::Write as _;

use axum::Form;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use leadkit_core::{Field, LeadStatus};
use leadkit_store::{Direction, Lead, SortColumn};
use serde::Deserialize;

use super::api::{parse_status, query_pairs};
use super::view::{
    BotNames, ConversationView, bot_name, bot_names, lead_conversations, lead_id, load_lead,
};
use crate::config::AppState;
use crate::error::ApiError;
use crate::html::{Page, escape, frame};
use crate::params::{LeadFilter, ParamError, dir_name, sort_name};

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
pub(super) struct PageError(ApiError);

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
        let body = format!(
            "<h1>{}</h1><p class=\"error\" role=\"alert\">{}</p><p><a href=\"/admin/leads\">Back to the leads</a></p>",
            escape(title),
            escape(&self.0.message)
        );
        Page {
            status: self.0.status,
            html: frame(title, true, &body),
        }
        .into_response()
    }
}

fn ok(title: &str, body: &str) -> Page {
    Page {
        status: StatusCode::OK,
        html: frame(title, true, body),
    }
}

fn time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

fn field(lead: &Lead, field: Field) -> String {
    escape(lead.details.get(field).unwrap_or_default())
}

/// A detail for the lead page: a dash when absent.
fn or_dash(text: String) -> String {
    if text.is_empty() {
        "—".to_owned()
    } else {
        text
    }
}

fn consent_text(lead: &Lead) -> &'static str {
    match &lead.consent {
        Some(c) if c.given => "given",
        Some(_) => "refused",
        None => "—",
    }
}

fn display_name(lead: &Lead) -> String {
    lead.details
        .get(Field::Name)
        .or_else(|| lead.details.get(Field::Email))
        .or_else(|| lead.details.get(Field::Phone))
        .unwrap_or("(no name)")
        .to_owned()
}

/// The filter form shared by the leads and conversations pages.
fn filter_form(action: &str, filter: &LeadFilter, names: &BotNames) -> String {
    let mut bots: Vec<(&leadkit_core::BotId, &String)> = names.iter().collect();
    bots.sort_by(|a, b| a.1.cmp(b.1).then(a.0.cmp(b.0)));
    let mut bot_options = String::from("<option value=\"\">All bots</option>");
    for (id, name) in bots {
        let selected = if filter.bots.contains(id) {
            " selected"
        } else {
            ""
        };
        let _ = write!(
            bot_options,
            "<option value=\"{id}\"{selected}>{}</option>",
            escape(name)
        );
    }
    let mut status_options = String::from("<option value=\"\">Any status</option>");
    for status in LeadStatus::ALL {
        let selected = if filter.statuses.contains(&status) {
            " selected"
        } else {
            ""
        };
        let _ = write!(
            status_options,
            "<option value=\"{s}\"{selected}>{s}</option>",
            s = status.as_str()
        );
    }
    let value = |v: Option<&str>| escape(v.unwrap_or_default());
    let mut hidden = String::new();
    if filter.sort != SortColumn::default() || filter.dir != Direction::default() {
        let _ = write!(
            hidden,
            "<input type=\"hidden\" name=\"sort\" value=\"{}\"><input type=\"hidden\" name=\"dir\" value=\"{}\">",
            sort_name(filter.sort),
            dir_name(filter.dir)
        );
    }
    format!(
        "<form method=\"get\" action=\"{action}\" class=\"filters\" id=\"filters\">\
         <input type=\"search\" name=\"q\" id=\"q\" value=\"{q}\" placeholder=\"Search name, email, phone, company\" aria-label=\"Search\">\
         <select name=\"bot\" id=\"bot\" aria-label=\"Bot\">{bot_options}</select>\
         <select name=\"status\" id=\"status\" aria-label=\"Status\">{status_options}</select>\
         <label>From <input type=\"date\" name=\"created_from\" id=\"created_from\" value=\"{from}\"></label>\
         <label>To <input type=\"date\" name=\"created_to\" id=\"created_to\" value=\"{to}\"></label>\
         {hidden}<button type=\"submit\" id=\"apply\">Filter</button> <a href=\"{action}\" class=\"clear\">Clear</a></form>",
        q = value(filter.q.as_deref()),
        from = value(filter.created_from.as_ref().map(|d| d.text.as_str())),
        to = value(filter.created_to.as_ref().map(|d| d.text.as_str())),
    )
}

/// A column header that sorts by `column`, ascending first, flipping when
/// it is the current sort.
fn sort_header(filter: &LeadFilter, column: SortColumn, label: &str) -> String {
    let current = filter.sort == column;
    let dir = if current && filter.dir == Direction::Asc {
        Direction::Desc
    } else {
        Direction::Asc
    };
    let arrow = match (current, filter.dir) {
        (false, _) => "",
        (true, Direction::Asc) => " ▲",
        (true, Direction::Desc) => " ▼",
    };
    let sort_attr = if current {
        format!(
            " aria-sort=\"{}\"",
            if filter.dir == Direction::Asc {
                "ascending"
            } else {
                "descending"
            }
        )
    } else {
        String::new()
    };
    format!(
        "<th{sort_attr}><a href=\"/admin/leads?{}\" data-sort=\"{}\">{label}{arrow}</a></th>",
        escape(&filter.link(column, dir, &[])),
        sort_name(column)
    )
}

/// `GET /admin/leads?<filter>`
pub(super) async fn leads(
    State(app): State<AppState>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Page, PageError> {
    let filter = LeadFilter::parse(&query_pairs(query)?)?;
    let query = filter.query();
    let store = app.engine.store();
    let page = store.query_leads(app.workspace, &query).await?;
    let total = store.count_leads(app.workspace, &query).await?;
    let names = bot_names(&app).await?;

    let mut rows = String::new();
    for lead in &page.leads {
        let _ = write!(
            rows,
            "<tr data-lead=\"{id}\"><td><a class=\"lead-link\" href=\"/admin/leads/{id}\">{name}</a></td>\
             <td>{email}</td><td>{phone}</td><td>{company}</td><td>{bot}</td>\
             <td><span class=\"status status-{status}\">{status}</span></td><td class=\"nowrap\">{created}</td><td>{consent}</td></tr>",
            id = lead.id,
            name = escape(&display_name(lead)),
            email = field(lead, Field::Email),
            phone = field(lead, Field::Phone),
            company = escape(lead.company().unwrap_or_default()),
            bot = escape(&bot_name(&names, lead.bot)),
            status = lead.status.as_str(),
            created = time(lead.created_at),
            consent = consent_text(lead),
        );
    }
    if page.leads.is_empty() {
        rows.push_str(
            "<tr><td colspan=\"8\" class=\"empty\">No leads match this filter.</td></tr>",
        );
    }
    let next = page.next.as_ref().map_or(String::new(), |cursor| {
        format!(
            "<a id=\"next-page\" href=\"/admin/leads?{}\">Next page →</a>",
            escape(&filter.link(
                filter.sort,
                filter.dir,
                &[("cursor", cursor.as_str().to_owned())]
            ))
        )
    });
    let first = if filter.cursor.is_some() {
        format!(
            "<a href=\"/admin/leads?{}\">← First page</a>",
            escape(&filter.link(filter.sort, filter.dir, &[]))
        )
    } else {
        String::new()
    };
    let export = escape(&filter.link(filter.sort, filter.dir, &[]));
    let body = format!(
        "<h1>Leads</h1>{form}\
         <p class=\"summary\"><span><span id=\"total\">{total}</span> {noun}</span> \
         <a class=\"button\" id=\"export\" href=\"/admin/api/leads.csv?{export}\" download>Export CSV</a></p>\
         <table id=\"leads\"><thead><tr>{name}{email}{phone}{company}<th>Bot</th>{status}{created}<th>Consent</th></tr></thead>\
         <tbody>{rows}</tbody></table><p class=\"pager\">{first}{next}</p>",
        form = filter_form("/admin/leads", &filter, &names),
        noun = if total == 1 { "lead" } else { "leads" },
        name = sort_header(&filter, SortColumn::Name, "Name"),
        email = sort_header(&filter, SortColumn::Email, "Email"),
        phone = sort_header(&filter, SortColumn::Phone, "Phone"),
        company = sort_header(&filter, SortColumn::Company, "Company"),
        status = sort_header(&filter, SortColumn::Status, "Status"),
        created = sort_header(&filter, SortColumn::CreatedAt, "Created"),
    );
    Ok(ok("Leads", &body))
}

fn transcript(view: &ConversationView, names: &BotNames) -> String {
    let mut lines = String::new();
    for message in &view.messages {
        let role = message.role.as_str();
        let who = if role == "visitor" { "Visitor" } else { "Bot" };
        let _ = write!(
            lines,
            "<li class=\"msg {role}\"><div class=\"meta\"><span class=\"who\">{who}</span> <time>{at}</time></div><p>{text}</p></li>",
            at = time(message.at),
            text = escape(message.text.expose()),
        );
    }
    format!(
        "<section class=\"conversation\" id=\"conversation-{id}\"><h3>Conversation <code>{id}</code> · {bot} · {n} messages</h3>\
         <ol class=\"transcript\">{lines}</ol></section>",
        id = view.id,
        bot = escape(&view.bot().map(|b| bot_name(names, b)).unwrap_or_default()),
        n = view.messages.len(),
    )
}

/// `GET /admin/leads/{id}`
pub(super) async fn lead(
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> Result<Page, PageError> {
    let (lead, conversations) = load_lead(&app, lead_id(&id)?).await?;
    let names = bot_names(&app).await?;
    let mut status_options = String::new();
    for status in LeadStatus::ALL {
        let selected = if lead.status == status {
            " selected"
        } else {
            ""
        };
        let _ = write!(
            status_options,
            "<option value=\"{s}\"{selected}>{s}</option>",
            s = status.as_str()
        );
    }
    let bots = lead
        .bots
        .iter()
        .map(|b| escape(&bot_name(&names, *b)))
        .collect::<Vec<_>>()
        .join(", ");
    let consent = match &lead.consent {
        Some(c) => format!(
            "{} (version {}, {})",
            if c.given { "given" } else { "refused" },
            escape(&c.version),
            time(c.at)
        ),
        None => "—".to_owned(),
    };
    let mut others = String::new();
    for value in &lead.history {
        let current = match value.field.as_str() {
            "name" => lead.details.get(Field::Name),
            "email" => lead.details.get(Field::Email),
            "phone" => lead.details.get(Field::Phone),
            _ => None,
        };
        if current.is_some_and(|c| c != value.value.expose()) {
            let _ = write!(
                others,
                "<li>{}: {} <span class=\"muted\">(last given {})</span></li>",
                escape(&value.field),
                escape(value.value.expose()),
                time(value.last_seen_at)
            );
        }
    }
    if !others.is_empty() {
        others = format!("<h2>Other values given</h2><ul class=\"history\">{others}</ul>");
    }
    let mut history = String::new();
    for view in &conversations {
        history.push_str(&transcript(view, &names));
    }
    if conversations.is_empty() {
        history.push_str("<p class=\"muted\">No conversations recorded.</p>");
    }
    let id = lead.id;
    let body = format!(
        "<p class=\"back\"><a href=\"/admin/leads\">← Leads</a></p><h1 id=\"lead-name\">{name}</h1>\
         <div class=\"lead-layout\"><dl class=\"details\" id=\"details\">\
         <dt>Email</dt><dd>{email}</dd><dt>Phone</dt><dd>{phone}</dd><dt>Company</dt><dd>{company}</dd>\
         <dt>Bot</dt><dd>{bots}</dd><dt>Status</dt><dd><span class=\"status status-{status}\" id=\"lead-status\">{status}</span></dd>\
         <dt>Created</dt><dd>{created}</dd><dt>Last seen</dt><dd>{seen}</dd><dt>Consent</dt><dd>{consent}</dd>\
         <dt>Visitor id</dt><dd>{visitor}</dd><dt>Notes</dt><dd>{notes}</dd></dl>\
         <aside class=\"actions\"><form method=\"post\" action=\"/admin/leads/{id}/status\" class=\"status-form\">\
         <label for=\"status-select\">Status</label><select name=\"status\" id=\"status-select\">{status_options}</select>\
         <button type=\"submit\" id=\"save-status\">Save</button></form>\
         <p><a class=\"danger\" id=\"erase\" href=\"/admin/leads/{id}/erase\">Erase this lead…</a></p></aside></div>\
         {others}<h2>Chat history</h2>{history}",
        name = escape(&display_name(&lead)),
        email = or_dash(field(&lead, Field::Email)),
        phone = or_dash(field(&lead, Field::Phone)),
        company = or_dash(escape(lead.company().unwrap_or_default())),
        status = lead.status.as_str(),
        created = time(lead.created_at),
        seen = time(lead.last_seen_at),
        visitor = escape(lead.visitor.as_ref().map(|v| v.as_str()).unwrap_or("—")),
        notes = or_dash(escape(lead.notes.expose())),
    );
    Ok(ok(&display_name(&lead), &body))
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
    let body = format!(
        "<h1>Erase {name}?</h1><p>This deletes the lead, every contact detail it ever gave and the \
         transcripts of its {n} conversation(s). It cannot be undone.</p>\
         <form method=\"post\" action=\"/admin/leads/{id}/erase\" class=\"confirm\">\
         <button type=\"submit\" class=\"danger\" id=\"confirm-erase\">Erase permanently</button> \
         <a href=\"/admin/leads/{id}\">Cancel</a></form>",
        name = escape(&display_name(&lead)),
        n = conversations.len(),
        id = lead.id,
    );
    Ok(ok("Erase lead", &body))
}

/// `POST /admin/leads/{id}/erase`
pub(super) async fn erase(
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    app.engine.erase_lead(app.workspace, lead_id(&id)?).await?;
    Ok(Redirect::to("/admin/leads").into_response())
}

/// `GET /admin/conversations?<filter>`: the conversations of the leads the
/// filter selects, one page of leads at a time (the store lists
/// conversations per lead, not on their own).
pub(super) async fn conversations(
    State(app): State<AppState>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Page, PageError> {
    let filter = LeadFilter::parse(&query_pairs(query)?)?;
    let page = app
        .engine
        .store()
        .query_leads(app.workspace, &filter.query())
        .await?;
    let names = bot_names(&app).await?;
    let mut rows = String::new();
    for lead in &page.leads {
        for view in lead_conversations(&app, lead.id).await? {
            let _ = write!(
                rows,
                "<tr data-conversation=\"{conv}\"><td><a href=\"/admin/leads/{id}\">{name}</a></td><td>{bot}</td>\
                 <td><code>{conv}</code></td><td class=\"num\">{n}</td><td class=\"nowrap\">{last}</td>\
                 <td><a href=\"/admin/leads/{id}#conversation-{conv}\">Transcript</a></td></tr>",
                id = lead.id,
                name = escape(&display_name(lead)),
                bot = escape(&view.bot().map(|b| bot_name(&names, b)).unwrap_or_default()),
                conv = view.id,
                n = view.messages.len(),
                last = view.last_at().map(time).unwrap_or_default(),
            );
        }
    }
    if rows.is_empty() {
        rows.push_str(
            "<tr><td colspan=\"6\" class=\"empty\">No conversations for these leads.</td></tr>",
        );
    }
    let next = page.next.as_ref().map_or(String::new(), |cursor| {
        format!(
            "<a id=\"next-page\" href=\"/admin/conversations?{}\">Next page →</a>",
            escape(&filter.link(
                filter.sort,
                filter.dir,
                &[("cursor", cursor.as_str().to_owned())]
            ))
        )
    });
    let body = format!(
        "<h1>Conversations</h1>{form}<p class=\"summary muted\">Conversations of the leads that match the filter.</p>\
         <table id=\"conversations\"><thead><tr><th>Lead</th><th>Bot</th><th>Conversation</th><th class=\"num\">Messages</th>\
         <th>Last message</th><th></th></tr></thead><tbody>{rows}</tbody></table><p class=\"pager\">{next}</p>",
        form = filter_form("/admin/conversations", &filter, &names),
    );
    Ok(ok("Conversations", &body))
}
