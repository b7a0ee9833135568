//! Who may use the admin side, and from where.
//!
//! A request is authenticated by `Authorization: Bearer <token>` or by the
//! session cookie the sign-in form sets (`HttpOnly; SameSite=Strict;
//! Path=/admin; Secure`): a new signed session per sign-in, checked for
//! expiry and logout on every request (see [`crate::session`]). Wrong
//! tokens at the sign-in form are throttled ([`super::throttle`]). A
//! state-changing request (anything but GET and HEAD) must also come from
//! the dashboard's own origin: a browser says where a request comes from
//! in `Sec-Fetch-Site` and `Origin`, and a cross-site value in either is
//! refused. That, with the `SameSite=Strict` cookie, defends against
//! cross-site request forgery; non-browser clients send neither header and
//! authenticate with the bearer token.

use axum::Form;
use axum::extract::FromRequest;
use axum::extract::rejection::FormRejection;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;

use crate::config::AppState;
use crate::error::ApiError;
use crate::html::Page;
use crate::limits::too_many;
use crate::session::Session;

/// The session cookie's name.
pub(super) const COOKIE: &str = "leadkit_admin";

/// Whether the request carries the token or a live session cookie.
pub(super) async fn is_signed_in(app: &AppState, headers: &HeaderMap) -> bool {
    let bearer = headers
        .get_all(header::AUTHORIZATION)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .filter_map(|value| value.strip_prefix("Bearer "))
        .any(|token| app.token.matches(token.trim()));
    bearer || live_session(app, headers).await.is_some()
}

/// The request's session, when its cookie is ours, unexpired and not
/// logged out.
async fn live_session(app: &AppState, headers: &HeaderMap) -> Option<Session> {
    let now = app.clock.now();
    let session = cookies(headers)
        .filter(|(name, _)| *name == COOKIE)
        .find_map(|(_, value)| app.token.sessions().check(value, now, app.session_lifetime))?;
    match app.revocations.is_revoked(session.id).await {
        Ok(false) => Some(session),
        Ok(true) => None,
        Err(err) => {
            // Refuse: a storage outage must not bring a logged-out session back.
            tracing::error!(error = %err, "could not read session revocations");
            None
        }
    }
}

fn cookies(headers: &HeaderMap) -> impl Iterator<Item = (&str, &str)> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
}

/// Whether a state-changing request may come from where it says it does.
///
/// `Sec-Fetch-Site` decides when present: browsers set it and pages cannot
/// forge it. `Origin` is only the fallback, because under
/// `Referrer-Policy: no-referrer` a browser sends `Origin: null` even for a
/// same-origin form; it must name this host with the expected `scheme`
/// (`https`, or `http` in development), so a page on `http://` cannot act
/// on the `https://` dashboard. A request with neither comes from a
/// non-browser client, which cannot be made to carry the victim's cookie.
pub(super) fn is_same_origin(headers: &HeaderMap, scheme: &str) -> bool {
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    if let Some(site) = text(header::HeaderName::from_static("sec-fetch-site")) {
        return site == "same-origin";
    }
    match text(header::ORIGIN) {
        None => true,
        Some(origin) => {
            let host = text(header::HOST).unwrap_or_default();
            let Some((origin_scheme, origin_host)) = origin.split_once("://") else {
                return false;
            };
            !host.is_empty()
                && origin_scheme.eq_ignore_ascii_case(scheme)
                && origin_host.eq_ignore_ascii_case(host)
        }
    }
}

/// The scheme the dashboard is served with.
fn scheme(app: &AppState) -> &'static str {
    if app.development_http {
        "http"
    } else {
        "https"
    }
}

fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD)
}

/// Why a guard turns a request away.
enum Refusal {
    /// Neither the token nor a valid session cookie came.
    SignedOut,
    /// A state change from another site.
    CrossSite,
}

/// The check both guards make; they differ only in how they refuse.
async fn admit(app: &AppState, method: &Method, headers: &HeaderMap) -> Result<(), Refusal> {
    if !is_signed_in(app, headers).await {
        return Err(Refusal::SignedOut);
    }
    if changes_state(method) && !is_same_origin(headers, scheme(app)) {
        return Err(Refusal::CrossSite);
    }
    Ok(())
}

/// The part of the admin side a guard protects: each refuses in its own
/// way.
#[derive(Debug, Clone, Copy)]
pub(super) enum Side {
    /// The JSON API: `401` JSON without credentials, `403` JSON for a
    /// cross-site state change.
    Api,
    /// The dashboard: a redirect to the sign-in page without credentials,
    /// `403` for a cross-site state change.
    Pages,
}

/// The admin side's guard (a middleware with the app and the [`Side`] as
/// its state).
pub(super) async fn guard(
    State((app, side)): State<(AppState, Side)>,
    request: Request,
    next: Next,
) -> Response {
    // A bearer token is a guess at the admin token like the sign-in form's,
    // and is throttled the same way.
    let bearer = request.headers().contains_key(header::AUTHORIZATION);
    let client = app
        .client_address
        .read(request.headers(), request.extensions());
    let now = app.clock.now();
    if bearer && let Err(wait) = app.throttle.check(client, now) {
        tracing::warn!(%client, "admin request throttled after wrong tokens");
        let wait = wait.to_std().unwrap_or(std::time::Duration::from_secs(1));
        return too_many(
            "too_many_attempts",
            "too many wrong admin tokens from this address; wait and try again",
            wait,
        )
        .into_response();
    }
    // The body is not `Sync`: check on the parts the decision needs.
    let admitted = admit(&app, request.method(), request.headers()).await;
    if bearer && matches!(admitted, Err(Refusal::SignedOut)) {
        app.throttle.failed(client, now);
        // The client's address, never the token sent.
        tracing::warn!(%client, "admin request refused: wrong bearer token");
    }
    match (admitted, side) {
        (Ok(()), _) => next.run(request).await,
        (Err(Refusal::SignedOut), Side::Api) => {
            let mut response = ApiError::unauthorized().into_response();
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"leadkit admin\""),
            );
            response
        }
        (Err(Refusal::CrossSite), Side::Api) => ApiError::cross_site().into_response(),
        (Err(Refusal::SignedOut), Side::Pages) => Redirect::to("/admin").into_response(),
        (Err(Refusal::CrossSite), Side::Pages) => forbidden_page(),
    }
}

fn forbidden_page() -> Response {
    let body = html! {
        h1 { "Refused" }
        p { "Changes must be made from the dashboard itself." }
    };
    Page::new(StatusCode::FORBIDDEN, "Refused", false, body).into_response()
}

/// `GET /admin`: the leads when signed in, otherwise the sign-in form.
pub(super) async fn home(State(app): State<AppState>, headers: HeaderMap) -> Response {
    if is_signed_in(&app, &headers).await {
        return Redirect::to("/admin/leads").into_response();
    }
    login_page(StatusCode::OK, None).into_response()
}

fn login_page(status: StatusCode, error: Option<&str>) -> Page {
    let body = html! {
        section class="login" {
            h1 { "Sign in" }
            @if let Some(error) = error {
                p class="error" role="alert" { (error) }
            }
            form method="post" action="/admin/login" {
                label for="token" { "Admin token" }
                input id="token" name="token" type="password" autocomplete="current-password" required autofocus;
                button type="submit" id="sign-in" { "Sign in" }
            }
            p class="hint" { "The server printed the token when it started." }
        }
    };
    Page::new(status, "Sign in", false, body)
}

#[derive(Deserialize)]
pub(super) struct LoginForm {
    token: String,
}

/// `POST /admin/login`: checks the token and sets a new session cookie.
pub(super) async fn login(State(app): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    if !is_same_origin(&parts.headers, scheme(&app)) {
        return forbidden_page();
    }
    let client = app.client_address.read(&parts.headers, &parts.extensions);
    let now = app.clock.now();
    if let Err(wait) = app.throttle.check(client, now) {
        let seconds = wait.num_seconds().max(1);
        tracing::warn!(%client, retry_after_s = seconds, "admin sign-in throttled");
        let mut response = login_page(
            StatusCode::TOO_MANY_REQUESTS,
            Some("Too many wrong tokens; wait a moment and try again."),
        )
        .into_response();
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        return response;
    }
    let form: Result<Form<LoginForm>, FormRejection> =
        Form::from_request(Request::from_parts(parts, body), &()).await;
    let Ok(Form(form)) = form else {
        return login_page(StatusCode::BAD_REQUEST, Some("Enter the admin token.")).into_response();
    };
    if !app.token.matches(form.token.trim()) {
        app.throttle.failed(client, now);
        // The client's address, never anything of what was typed.
        tracing::warn!(%client, "admin sign-in refused: wrong token");
        return login_page(StatusCode::UNAUTHORIZED, Some("That token is not right."))
            .into_response();
    }
    app.throttle.succeeded(client);
    let secure = if app.development_http { "" } else { "; Secure" };
    let cookie = format!(
        "{COOKIE}={}; HttpOnly; SameSite=Strict; Path=/admin; Max-Age={}{secure}",
        app.token.sessions().issue(now),
        app.session_lifetime.num_seconds()
    );
    let mut response = Redirect::to("/admin/leads").into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// `POST /admin/logout`: ends the session on the server and clears the
/// cookie.
pub(super) async fn logout(State(app): State<AppState>, headers: HeaderMap) -> Response {
    if !is_same_origin(&headers, scheme(&app)) {
        return forbidden_page();
    }
    if let Some(session) = live_session(&app, &headers).await
        && let Err(err) = app.revocations.revoke(session.id, session.expires).await
    {
        tracing::error!(error = %err, "could not revoke the session at logout");
        let body = html! {
            h1 { "Not signed out" }
            p { "The server could not end the session; try again." }
        };
        return Page::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "Not signed out",
            false,
            body,
        )
        .into_response();
    }
    let secure = if app.development_http { "" } else { "; Secure" };
    let mut response = Redirect::to("/admin").into_response();
    if let Ok(value) = HeaderValue::from_str(&format!(
        "{COOKIE}=; HttpOnly; SameSite=Strict; Path=/admin; Max-Age=0{secure}"
    )) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(list: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in list {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn origin_checks() {
        let is_same_origin = |headers: &HeaderMap| is_same_origin(headers, "http");
        assert!(is_same_origin(&headers(&[])));
        assert!(is_same_origin(&headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "http://127.0.0.1:3000"),
            ("sec-fetch-site", "same-origin"),
        ])));
        assert!(!is_same_origin(&headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "http://evil.example"),
        ])));
        assert!(!is_same_origin(&headers(&[(
            "sec-fetch-site",
            "cross-site"
        )])));
        assert!(!is_same_origin(&headers(&[(
            "sec-fetch-site",
            "same-site"
        )])));
        assert!(!is_same_origin(&headers(&[("origin", "null")])));
        // What a browser sends for a same-origin form under no-referrer.
        assert!(is_same_origin(&headers(&[
            ("origin", "null"),
            ("sec-fetch-site", "same-origin"),
        ])));
        assert!(!is_same_origin(&headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "http://127.0.0.1:3000"),
            ("sec-fetch-site", "cross-site"),
        ])));
        // The scheme counts: an http page cannot act on the https dashboard.
        let secure = headers(&[("host", "dash.example"), ("origin", "http://dash.example")]);
        assert!(!super::is_same_origin(&secure, "https"));
        assert!(super::is_same_origin(
            &headers(&[("host", "dash.example"), ("origin", "https://dash.example")]),
            "https"
        ));
        assert!(!super::is_same_origin(
            &headers(&[("host", "dash.example"), ("origin", "dash.example")]),
            "https"
        ));
    }
}
