//! The Leads-screen query as SQL, built once for every backend over
//! `sqlx::QueryBuilder<DB>`: every value is bound, never spliced.

use leadkit_store::{Direction, ValidQuery};
use sqlx::QueryBuilder;

use crate::sql_db::{BindParam, Sql, SqlDb};

#[cfg(feature = "postgres")]
use crate::codec::LEAD_COLUMNS;
use crate::columns::{
    SortParam, consent_filter_state, like_contains_pattern, micros, sort_column, status_code,
};

/// How a backend finds a substring of the folded search column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SearchIndex {
    /// `search LIKE '%text%' ESCAPE '\'` (PostgreSQL answers it from its
    /// trigram GIN index).
    Like,
    /// SQLite: the FTS5 trigram table `leads_search`, queried with GLOB
    /// (its index needs three characters; shorter text uses `Like`, and
    /// matches so many rows that the sorted scan stops early anyway).
    Fts5Trigram,
}

/// `SELECT <lead columns> FROM leads WHERE … ORDER BY … LIMIT …`.
#[cfg(feature = "postgres")]
pub(crate) fn select_page<DB>(query: &ValidQuery, search: SearchIndex) -> Sql<DB>
where
    DB: SqlDb,
{
    let mut qb = QueryBuilder::new("");
    push_page(&mut qb, query, search, LEAD_COLUMNS);
    qb
}

/// SQLite: the same page as one JSON array of rows (one value to move from
/// SQLite's thread instead of one row at a time), each row an array in
/// [`crate::codec::JsonLead`] order.
#[cfg(feature = "sqlite")]
pub(crate) fn select_page_json<DB>(query: &ValidQuery, search: SearchIndex) -> Sql<DB>
where
    DB: SqlDb,
{
    let (column, dir) = (sort_column(query.sort), direction(query));
    let mut qb = QueryBuilder::new(format!(
        "SELECT json_group_array(json_array(hex(id), hex(bot_id), json(bots), visitor_id, \
         name, email, phone, json(custom), status, notes, json(consent), created_at, \
         last_seen_at, json(history)) ORDER BY {column} {dir}, id {dir}) FROM ("
    ));
    push_page(&mut qb, query, search, "*");
    qb.push(")");
    qb
}

/// SQLite: a page of an export as one JSON array of rows, each row an
/// array in [`crate::export::ExportFields`] order.
#[cfg(feature = "sqlite")]
pub(crate) fn select_export_json<DB>(query: &ValidQuery, search: SearchIndex) -> Sql<DB>
where
    DB: SqlDb,
{
    // No ORDER BY in the aggregate: it would sort the page again in a
    // temporary b-tree. The rows come in the subquery's order, and the
    // reader checks it (`export::sort_page`).
    let mut qb = QueryBuilder::new(
        "SELECT json_group_array(json_array(hex(id), hex(bot_id), created_at, last_seen_at, \
         status, name, email, phone, company, visitor_id, notes, consent_state, consent_at, \
         consent_version, sort_key)) FROM (",
    );
    push_page(&mut qb, query, search, &crate::export::columns(query));
    qb.push(")");
    qb
}

/// PostgreSQL: a page of an export, row by row, in
/// [`crate::export::ExportFields`] order.
#[cfg(feature = "postgres")]
pub(crate) fn select_export_page<DB>(query: &ValidQuery, search: SearchIndex) -> Sql<DB>
where
    DB: SqlDb,
{
    let mut qb = QueryBuilder::new("");
    push_page(&mut qb, query, search, &crate::export::columns(query));
    qb
}

fn direction(query: &ValidQuery) -> &'static str {
    match query.direction {
        Direction::Asc => "ASC",
        Direction::Desc => "DESC",
    }
}

fn push_page<DB>(qb: &mut Sql<DB>, query: &ValidQuery, search: SearchIndex, columns: &str)
where
    DB: SqlDb,
{
    qb.push("SELECT ");
    qb.push(columns);
    qb.push(" FROM leads WHERE ");
    push_filters(qb, query, search);
    let column = sort_column(query.sort);
    if let Some(after) = &query.after {
        let op = match query.direction {
            Direction::Asc => ">",
            Direction::Desc => "<",
        };
        qb.push(format_args!(" AND ({column}, id) {op} ("));
        match SortParam::of(&after.value) {
            SortParam::Int(v) => qb.param(v),
            SortParam::Text(t) => qb.param(t),
        };
        qb.push(", ");
        qb.param(*after.id.as_uuid());
        qb.push(")");
    }
    let dir = direction(query);
    qb.push(format_args!(" ORDER BY {column} {dir}, id {dir} LIMIT "));
    qb.param(i64::from(query.limit));
}

/// `SELECT COUNT(*) FROM leads WHERE …` (the cursor is ignored).
pub(crate) fn select_count<DB>(query: &ValidQuery, search: SearchIndex) -> Sql<DB>
where
    DB: SqlDb,
{
    let mut qb = QueryBuilder::new("SELECT COUNT(*) FROM leads WHERE ");
    push_filters(&mut qb, query, search);
    qb
}

fn push_filters<DB>(qb: &mut Sql<DB>, query: &ValidQuery, index: SearchIndex)
where
    DB: SqlDb,
{
    qb.push("workspace_id = ");
    qb.param(*query.workspace.as_uuid());
    if let Some(search) = &query.search {
        if index == SearchIndex::Fts5Trigram && search.chars().count() >= 3 {
            qb.push(" AND seq IN (SELECT rowid FROM leads_search WHERE search GLOB ");
            qb.param(glob_contains_pattern(search));
            qb.push(")");
        } else {
            // Both sides are folded (lowercase, no accents), so LIKE's own
            // case rules never matter; `\` escapes the wildcards in the text.
            qb.push(" AND search LIKE ");
            qb.param(like_contains_pattern(search));
            qb.push(" ESCAPE '\\'");
        }
    }
    if !query.bots.is_empty() {
        // Any bot the lead talked to (`lead_bots`, kept by triggers from
        // the `bots` column), one primary-key lookup per row tested.
        qb.push(
            " AND EXISTS (SELECT 1 FROM lead_bots WHERE lead_bots.workspace_id = leads.workspace_id \
             AND lead_bots.lead_id = leads.id AND lead_bots.bot_id IN (",
        );
        let mut list = qb.separated(", ");
        for bot in &query.bots {
            list.param(*bot.as_uuid());
        }
        qb.push("))");
    }
    for (column, op, bound) in [
        ("created_at", ">=", query.created_from),
        ("created_at", "<", query.created_to),
        ("last_seen_at", ">=", query.seen_from),
        ("last_seen_at", "<", query.seen_to),
    ] {
        if let Some(bound) = bound {
            qb.push(format_args!(" AND {column} {op} "));
            qb.param(micros(bound));
        }
    }
    if !query.statuses.is_empty() {
        qb.push(" AND status IN (");
        let mut list = qb.separated(", ");
        for status in &query.statuses {
            list.param(status_code(*status));
        }
        qb.push(")");
    }
    for (column, wanted) in [("email", query.has_email), ("phone", query.has_phone)] {
        match wanted {
            Some(true) => qb.push(format_args!(" AND {column} IS NOT NULL")),
            Some(false) => qb.push(format_args!(" AND {column} IS NULL")),
            None => qb,
        };
    }
    if let Some(consent) = query.consent {
        qb.push(" AND consent_state = ");
        qb.param(consent_filter_state(consent));
    }
}

/// A GLOB pattern matching `folded` anywhere: `*`, `?` and `[` in the text
/// are put in brackets, where they match themselves.
pub(crate) fn glob_contains_pattern(folded: &str) -> String {
    let mut pattern = String::with_capacity(folded.len() + 8);
    pattern.push('*');
    for c in folded.chars() {
        match c {
            '*' => pattern.push_str("[*]"),
            '?' => pattern.push_str("[?]"),
            '[' => pattern.push_str("[[]"),
            _ => pattern.push(c),
        }
    }
    pattern.push('*');
    pattern
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_patterns_escape_wildcards() {
        assert_eq!(glob_contains_pattern("a*b?c[d]"), "*a[*]b[?]c[[]d]*");
        assert_eq!(glob_contains_pattern("50%_\\"), "*50%_\\*");
    }
}
