//! Lead capture over HTTP: an [axum] router with a chat endpoint for web
//! widgets, an admin API and a small leads dashboard. Most integrators use
//! it through the `leadkit` facade's `axum` feature, as `leadkit::axum`.
//!
//! The leadkit engine ([`leadkit_engine`]) decides, on every visitor
//! message, whether to answer, to answer and ask for contact details, or to
//! hold the query until details are given; this crate puts that behind HTTP
//! for one workspace:
//!
//! - **`POST /chat`**: a web widget sends the visitor's message; the engine
//!   handles the turn, your [`Responder`] answers when the engine says the
//!   query is answered, and the reply (the answer followed by the engine's
//!   request, or the request alone for a gate) comes back as JSON. A
//!   ready-made widget is served at `/leadkit/widget.js`.
//! - **`/admin/api/…`**: the Leads screen as JSON: filtered, sorted, paged
//!   lists ([`LeadQuery`](leadkit_store::LeadQuery) over query
//!   parameters), a lead with its conversations and transcripts, status
//!   changes, erasure, and the current filter as CSV, streamed.
//! - **`/admin`**: the same as server-rendered pages with no front-end
//!   build step and no script: the leads table (search, bot / status /
//!   date filters, sortable columns, pages, CSV export), a lead with its
//!   chat history, and a conversations page.
//!
//! Admin routes need the [`AdminToken`] given at start-up, as a bearer
//! token or through the dashboard's sign-in form (an `HttpOnly`,
//! `SameSite=Strict` session cookie); changes must also come from the
//! dashboard's own origin. Every value a visitor wrote is HTML-escaped, and
//! every response carries [`security_headers`].
//!
//! ```
//! use std::sync::Arc;
//! use async_trait::async_trait;
//! use leadkit_core::{BotId, ConversationId, WorkspaceId};
//! use leadkit_engine::engine::Engine;
//! use leadkit_store::{Bot, BotStore, MemoryStore};
//! use leadkit_axum::{AdminToken, Leadkit, Responder};
//!
//! struct Faq;
//!
//! #[async_trait]
//! impl Responder for Faq {
//!     async fn answer(&self, _bot: BotId, _conversation: ConversationId, _message: &str) -> String {
//!         "We're open 9 to 5.".to_owned()
//!     }
//! }
//!
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! let workspace = WorkspaceId::from_u128(1);
//! let store = Arc::new(MemoryStore::new());
//! // The chat endpoint only talks for registered bots.
//! store.put_bot(workspace, &Bot::new(BotId::from_u128(2), workspace, "Support")).await?;
//! let engine = Engine::builder().store(store).build()?;
//!
//! let token = AdminToken::generate(); // print it for the operator
//! let app: axum::Router = Leadkit::new(engine, workspace, token, Arc::new(Faq)).router();
//! // axum::serve(tokio::net::TcpListener::bind("127.0.0.1:3000").await?, app).await?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! ```
//!
//! # The chat endpoint
//!
//! `POST /chat` with `{"bot": uuid, "message": text}` and optionally
//! `"conversation"` (omit it on the first message: a new id comes back),
//! `"visitor"` and `"signature"` (a visitor id signed with the engine's
//! [`VisitorVerifier`](leadkit_engine::engine::VisitorVerifier); a bad signature
//! means an anonymous visitor, never an error) and `"locale"` (otherwise
//! `Accept-Language` decides). The answer is
//! `{"conversation", "turn", "action": "answer|ask|gate|correct", "reply",
//! "fields": ["name", "email"], "lead_captured": bool}`. Bad JSON, an empty
//! message, a message over [`DEFAULT_MAX_MESSAGE_BYTES`] or an unregistered
//! bot get a `4xx` with `{"error": code, "message": text}`.
//!
//! # The admin API
//!
//! | Route | |
//! |---|---|
//! | `GET /admin/api/leads` | `{"leads": […], "next_cursor", "total"}` |
//! | `GET /admin/api/leads/{id}` | `{"lead": {…}, "conversations": [{"id", "bot", "messages": […]}]}` |
//! | `POST /admin/api/leads/{id}/status` | `{"status": "contacted"}` → the lead |
//! | `DELETE /admin/api/leads/{id}` | erases the lead and its transcripts → `204` |
//! | `GET /admin/api/leads.csv` | the filter's leads as CSV, streamed |
//!
//! The list and the export take `q`, `bot` (repeatable), `status`
//! (repeatable), `created_from`, `created_to` (`YYYY-MM-DD`, which
//! includes that day, or RFC 3339), `has_email`, `has_phone`, `consent`
//! (`given|refused|missing`), `sort` (`created_at`, `last_seen_at`,
//! `name`, `email`, `phone`, `company`, `status`), `dir` (`asc|desc`),
//! `cursor` (a `next_cursor`) and `limit` (1 to 1000); the export also
//! `bom=true` (a UTF-8 byte-order mark for Excel). A bad value is a `400`
//! naming the parameter.
//!
//! # Crate features
//!
//! - `mock`: a mockall mock of [`Responder`] (`MockResponder`).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod admin;
mod chat;
mod config;
mod error;
mod headers;
mod html;
mod params;
mod responder;
mod token;

pub use config::{DEFAULT_MAX_MESSAGE_BYTES, Leadkit, router};
pub use error::Error;
pub use headers::{CONTENT_SECURITY_POLICY, security_headers};
#[cfg(feature = "mock")]
pub use responder::MockResponder;
pub use responder::Responder;
pub use token::AdminToken;

/// The axum version this crate's router is built with.
pub use axum;
// The leadkit crates this one is built on, so that a user of `leadkit-axum`
// alone can name the types its API takes. Most users go through the
// `leadkit` facade instead (feature `axum`), which re-exports these and this
// crate as `leadkit::axum`.
/// Ids, policies and domain types ([`leadkit_core`]).
pub use leadkit_core;
/// The per-turn engine and its messages ([`leadkit_engine`]).
pub use leadkit_engine;
/// Storage traits and the in-memory store ([`leadkit_store`]).
pub use leadkit_store;
