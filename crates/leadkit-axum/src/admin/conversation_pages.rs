//! The Conversations screen: every conversation of the workspace (with or
//! without a lead), searchable and filtered, in keyset pages; and one
//! conversation's transcript, read backwards a page at a time. Each page
//! reads a page of summaries or lines from the store, whatever the number
//! of conversations or the length of one.

use axum::extract::{Path, State};
use axum_extra::extract::{Query, QueryRejection};
use leadkit_core::{BotId, ConversationId, Pii};
use leadkit_store::{ConversationQuery, Cursor};
use maud::{Markup, html};
use serde::Deserialize;

use std::collections::HashMap;

use super::pages::{PageError, display_name, messages, time};
use super::view::{BotNames, bot_name, bot_names};
use crate::config::AppState;
use crate::error::ApiError;
use crate::html::Page;
use crate::params::{DateBound, Param, ParamError};

/// Lines per transcript page.
pub(super) const TRANSCRIPT_PAGE: u32 = 50;

/// The Conversations screen's filter, as the query string carries it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(super) struct ConversationFilter {
    q: Param<Pii<String>>,
    bot: Param<BotId>,
    from: Param<DateBound>,
    to: Param<DateBound>,
    lead: Param<bool>,
    after: Param<Cursor>,
}

impl ConversationFilter {
    fn search(&self) -> Option<&str> {
        self.q.0.as_ref().map(|q| q.expose().as_str())
    }

    fn query(&self) -> ConversationQuery {
        let mut query = ConversationQuery::new().active_between(
            self.from.0.as_ref().map(DateBound::start),
            self.to.0.as_ref().map(DateBound::end),
        );
        if let Some(q) = self.search() {
            query = query.search(q);
        }
        if let Some(bot) = self.bot.0 {
            query = query.bot(bot);
        }
        if let Some(linked) = self.lead.0 {
            query = query.has_lead(linked);
        }
        if let Some(after) = &self.after.0 {
            query = query.after(after.clone());
        }
        query
    }

    /// This filter's query string, with `after` as the cursor.
    fn link(&self, after: Option<&Cursor>) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        if let Some(q) = self.search() {
            out.append_pair("q", q);
        }
        if let Some(bot) = self.bot.0 {
            out.append_pair("bot", &bot.to_string());
        }
        if let Some(from) = &self.from.0 {
            out.append_pair("from", &from.text);
        }
        if let Some(to) = &self.to.0 {
            out.append_pair("to", &to.text);
        }
        if let Some(linked) = self.lead.0 {
            out.append_pair("lead", if linked { "yes" } else { "no" });
        }
        if let Some(after) = after {
            out.append_pair("after", after.as_str());
        }
        out.finish()
    }

    fn form(&self, names: &BotNames) -> Markup {
        let mut bots: Vec<(&BotId, &String)> = names.iter().collect();
        bots.sort_by(|a, b| a.1.cmp(b.1).then(a.0.cmp(b.0)));
        let date =
            |bound: &Param<DateBound>| bound.0.as_ref().map_or(String::new(), |b| b.text.clone());
        html! {
            form method="get" action="/admin/conversations" class="filters" id="filters" {
                input type="search" name="q" id="q" value=(self.search().unwrap_or_default())
                    placeholder="Search the transcripts (3+ characters)" aria-label="Search";
                select name="bot" id="bot" aria-label="Bot" {
                    option value="" { "All bots" }
                    @for (id, name) in bots {
                        option value=(id) selected[self.bot.0 == Some(*id)] { (name) }
                    }
                }
                select name="lead" id="lead" aria-label="Lead" {
                    option value="" { "With or without a lead" }
                    option value="yes" selected[self.lead.0 == Some(true)] { "With a lead" }
                    option value="no" selected[self.lead.0 == Some(false)] { "Without a lead" }
                }
                label { "Active from " input type="date" name="from" id="from" value=(date(&self.from)); }
                label { "To " input type="date" name="to" id="to" value=(date(&self.to)); }
                button type="submit" id="apply" { "Filter" }
                " "
                a href="/admin/conversations" class="clear" { "Clear" }
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

/// `GET /admin/conversations?<filter>`
pub(super) async fn list(
    State(app): State<AppState>,
    query: Result<Query<ConversationFilter>, QueryRejection>,
) -> Result<Page, PageError> {
    let Query(filter) = query?;
    if let (Some(from), Some(to)) = (&filter.from.0, &filter.to.0)
        && from.start() > to.end()
    {
        return Err(ParamError::new("to", "a date not before from").into());
    }
    let store = app.engine.store();
    let page = store
        .list_conversations(app.workspace, &filter.query())
        .await?;
    let names = bot_names(&app).await?;
    // The linked leads' names: one lookup per distinct lead on the page.
    let mut leads = HashMap::new();
    for lead in page.conversations.iter().filter_map(|c| c.lead) {
        if !leads.contains_key(&lead)
            && let Some(found) = store.get_lead(app.workspace, lead).await?
        {
            leads.insert(lead, found);
        }
    }
    let first_page = filter.after.0.is_some();
    let body = html! {
        h1 { "Conversations" }
        (filter.form(&names))
        table id="conversations" {
            thead {
                tr {
                    th { "Conversation" } th { "Bot" } th { "Lead" } th class="num" { "Messages" }
                    th { "Started" } th { "Last message" }
                }
            }
            tbody {
                @for c in &page.conversations {
                    tr data-conversation=(c.id) {
                        td { a href={ "/admin/conversations/" (c.id) } { code { (c.id) } } }
                        td { (bot_name(&names, c.bot)) }
                        td {
                            @match c.lead {
                                Some(lead) => a href={ "/admin/leads/" (lead) } class="lead-link" {
                                    (leads.get(&lead).map_or("Lead", display_name))
                                },
                                None => span class="muted" { "—" },
                            }
                        }
                        td class="num" { (c.message_count) }
                        td class="nowrap" { (time(c.first_at)) }
                        td class="nowrap" { (time(c.last_at)) }
                    }
                }
                @if page.conversations.is_empty() {
                    tr { td colspan="6" class="empty" { "No conversations match." } }
                }
            }
        }
        p class="pager" {
            @if first_page {
                a id="first-page" href={ "/admin/conversations?" (filter.link(None)) } { "← First page" }
            }
            @if let Some(next) = &page.next {
                a id="next-page" href={ "/admin/conversations?" (filter.link(Some(next))) } { "Next page →" }
            }
        }
    };
    Ok(Page::ok("Conversations", body))
}

/// The transcript view's paging parameter.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(super) struct TranscriptParams {
    before: Param<Cursor>,
}

/// `GET /admin/conversations/{id}?before=<cursor>`: the latest lines, or
/// the page before a cursor, oldest first.
pub(super) async fn transcript(
    State(app): State<AppState>,
    Path(id): Path<String>,
    query: Result<Query<TranscriptParams>, QueryRejection>,
) -> Result<Page, PageError> {
    let id = conversation_id(&id)?;
    let Query(params) = query?;
    let store = app.engine.store();
    let summary = store
        .conversation_summary(app.workspace, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let paged_back = params.before.0.is_some();
    let page = store
        .transcript_page(app.workspace, id, params.before.0, TRANSCRIPT_PAGE)
        .await?;
    let names = bot_names(&app).await?;
    let lead = match summary.lead {
        Some(lead) => store.get_lead(app.workspace, lead).await?,
        None => None,
    };
    let body = html! {
        p class="back" { a href="/admin/conversations" { "← Conversations" } }
        h1 { "Conversation" }
        dl class="details" id="summary" {
            dt { "Bot" } dd { (bot_name(&names, summary.bot)) }
            dt { "Lead" }
            dd {
                @match &lead {
                    Some(lead) => a href={ "/admin/leads/" (lead.id) } id="lead-link" { (display_name(lead)) },
                    None => "—",
                }
            }
            dt { "Messages" } dd id="message-count" { (summary.message_count) }
            dt { "Started" } dd { (time(summary.first_at)) }
            dt { "Last message" } dd { (time(summary.last_at)) }
        }
        p class="pager" {
            @if let Some(older) = &page.older {
                a id="older" href={ "/admin/conversations/" (id) "?before=" (older.as_str()) } { "← Older messages" }
            }
            @if paged_back {
                a id="latest" href={ "/admin/conversations/" (id) } { "Latest messages →" }
            }
        }
        section class="conversation" id="transcript" {
            (messages(&page.messages))
            @if page.messages.is_empty() {
                p class="muted" { "No messages." }
            }
        }
    };
    Ok(Page::ok("Conversation", body))
}
