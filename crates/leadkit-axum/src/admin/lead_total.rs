//! The Leads screen's "N leads": an exact count is a scan of every match
//! (84 ms at a million leads on SQLite), so it is not run on every page.
//! It is free when the first page holds every match; otherwise it runs
//! only when asked for (`count=true`).

use leadkit_store::{LeadPage, LeadQuery};

use crate::config::AppState;
use crate::error::ApiError;
use crate::params::LeadFilter;

/// The number of leads `query` selects, when it is known for free or was
/// asked for; `None` otherwise.
pub(super) async fn lead_total(
    app: &AppState,
    filter: &LeadFilter,
    query: &LeadQuery,
    page: &LeadPage,
) -> Result<Option<u64>, ApiError> {
    if !filter.paged() && page.next.is_none() {
        return Ok(Some(page.leads.len() as u64));
    }
    if filter.count.0 == Some(true) {
        let store = app.engine.store();
        return Ok(Some(store.count_leads(app.workspace, query).await?));
    }
    Ok(None)
}
