//! The admin side: authentication, the JSON API, the CSV export and the
//! HTML dashboard, all scoped to the configured workspace.

mod api;
mod auth;
mod bot_view;
mod bots;
mod claims;
mod conversation_pages;
mod export;
mod lead_total;
mod pages;
mod throttle;
mod view;

use axum::Router;
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};

use crate::config::AppState;

pub(crate) use throttle::SignInThrottle;

/// The API and the pages are two route tables of the same shape, each
/// behind the guard for its [`Side`](auth::Side).
pub(crate) fn routes(state: &AppState) -> Router<AppState> {
    let api = Router::new()
        .route("/admin/api/leads", get(api::list))
        .route("/admin/api/leads.csv", get(export::csv))
        .route("/admin/api/leads/{id}", get(api::detail).delete(api::erase))
        .route("/admin/api/leads/{id}/status", post(api::set_status))
        .route(
            "/admin/api/leads/{id}/claims/{conversation}",
            post(claims::resolve_api),
        )
        .route(
            "/admin/api/bots/{id}/settings",
            get(bots::api_get).put(bots::api_put),
        )
        .route_layer(from_fn_with_state(
            (state.clone(), auth::Side::Api),
            auth::guard,
        ));
    let pages = Router::new()
        .route("/admin/leads", get(pages::leads))
        .route("/admin/leads/{id}", get(pages::lead))
        .route("/admin/leads/{id}/status", post(pages::set_status))
        .route(
            "/admin/leads/{id}/claims/{conversation}/{action}",
            post(claims::resolve_page),
        )
        .route(
            "/admin/leads/{id}/erase",
            get(pages::confirm_erase).post(pages::erase),
        )
        .route("/admin/conversations", get(conversation_pages::list))
        .route(
            "/admin/conversations/{id}",
            get(conversation_pages::transcript),
        )
        .route("/admin/bots", get(bots::list))
        .route("/admin/bots/{id}", get(bots::page))
        .route("/admin/bots/{id}/settings", post(bots::save))
        .route_layer(from_fn_with_state(
            (state.clone(), auth::Side::Pages),
            auth::guard,
        ));
    let open = Router::new()
        .route("/admin", get(auth::home))
        .route("/admin/login", post(auth::login))
        .route("/admin/logout", post(auth::logout))
        .route("/admin/assets/admin.css", get(pages::stylesheet));
    api.merge(pages).merge(open)
}
