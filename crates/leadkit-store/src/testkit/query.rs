//! The Leads-screen query: filters, search, sort, pagination, count, export.

use chrono::Duration;
use futures_util::StreamExt;
use leadkit_core::{LeadId, LeadStatus};

use super::fixture::{self, Fixture, Spec};
use super::{fresh_workspace, ok, t0};
use crate::{
    ConsentFilter, CsvOptions, CsvRow, Cursor, Direction, Error, ExportRow, LeadPatch, LeadQuery,
    SortColumn, SortValue, Store, export_csv, fold,
};

fn expected_value(spec: &Spec, column: SortColumn) -> SortValue {
    let text = |v: Option<&String>| SortValue::Text(v.map(|v| fold(v)).unwrap_or_default());
    match column {
        SortColumn::CreatedAt => SortValue::Time(spec.created),
        SortColumn::LastSeenAt => SortValue::Time(spec.last_seen),
        SortColumn::Status => SortValue::Status(spec.status),
        SortColumn::Name => text(Some(&spec.name)),
        SortColumn::Email => text(spec.email.as_ref()),
        SortColumn::Phone => text(spec.phone.as_ref()),
        SortColumn::Company => text(spec.company.as_ref()),
    }
}

/// Every page of `query`, following cursors.
async fn all_pages(store: &dyn Store, fx: &Fixture, query: &LeadQuery) -> Vec<LeadId> {
    let mut ids = Vec::new();
    let mut page_query = query.clone();
    for _ in 0..100 {
        let page = ok(
            store.query_leads(fx.workspace, &page_query).await,
            "query_leads",
        );
        assert!(
            page.leads.len() <= page_query.page_size() as usize,
            "page too long"
        );
        ids.extend(page.leads.iter().map(|l| l.id));
        match page.next {
            Some(cursor) => page_query = page_query.after(cursor),
            None => return ids,
        }
    }
    panic!("pagination did not end");
}

async fn check(
    store: &dyn Store,
    fx: &Fixture,
    what: &str,
    query: LeadQuery,
    keep: impl Fn(&Spec) -> bool,
) {
    for (column, direction) in [
        (SortColumn::CreatedAt, Direction::Desc),
        (SortColumn::Name, Direction::Asc),
    ] {
        let query = query.clone().sort(column, direction).limit(7);
        let expected = expected_order(fx.leads.iter().filter(|s| keep(s)), column, direction);
        let got = all_pages(store, fx, &query).await;
        assert_eq!(
            got, expected,
            "query {what:?} sorted by {column:?} {direction:?}"
        );
        let count = ok(store.count_leads(fx.workspace, &query).await, "count_leads");
        assert_eq!(count, expected.len() as u64, "count of {what:?}");
    }
}

/// The ids of `leads` in the order a store must return them: by `column`
/// in `direction`, ties broken by id (reversed with the rest when
/// descending).
fn expected_order<'a>(
    leads: impl Iterator<Item = &'a Spec>,
    column: SortColumn,
    direction: Direction,
) -> Vec<LeadId> {
    let mut expected: Vec<&Spec> = leads.collect();
    expected.sort_by(|a, b| {
        let natural = expected_value(a, column)
            .cmp(&expected_value(b, column))
            .then(a.id.cmp(&b.id));
        if direction == Direction::Asc {
            natural
        } else {
            natural.reverse()
        }
    });
    expected.iter().map(|s| s.id).collect()
}

pub(crate) async fn sorts_and_pages(store: &dyn Store, fx: &Fixture) {
    for column in SortColumn::ALL {
        for direction in [Direction::Asc, Direction::Desc] {
            let query = LeadQuery::new().sort(column, direction).limit(6);
            let expected = expected_order(fx.leads.iter(), column, direction);
            assert_eq!(
                all_pages(store, fx, &query).await,
                expected,
                "all leads sorted by {column:?} {direction:?}"
            );
        }
    }
    // A full last page still has a cursor; the page after it is empty.
    let query = LeadQuery::new().limit(u32::try_from(fixture::COUNT).expect("small"));
    let page = ok(store.query_leads(fx.workspace, &query).await, "full page");
    let next = page.next.expect("a full page has a next cursor");
    let after = ok(
        store.query_leads(fx.workspace, &query.after(next)).await,
        "after last",
    );
    assert!(
        after.leads.is_empty() && after.next.is_none(),
        "nothing after the last page"
    );
}

fn searches(fx: &Fixture, text: &str) -> impl Fn(&Spec) -> bool {
    // Phone-like terms are compacted to digits the same way the query does
    // ("(415) 555-0009" finds "+14155550009").
    let needle = crate::query::compact_phone_fragment(fold(text.trim()).trim());
    let _ = fx;
    move |s: &Spec| needle.is_empty() || s.search_text().iter().any(|v| v.contains(&needle))
}

pub(crate) async fn filters(store: &dyn Store, fx: &Fixture) {
    let [b0, b1, b2] = fx.bots;
    check(store, fx, "everything", LeadQuery::new(), |_| true).await;
    check(store, fx, "bots", LeadQuery::new().bots([b0, b2]), |s| {
        s.bot != b1
    })
    .await;
    check(
        store,
        fx,
        "statuses",
        LeadQuery::new().statuses([LeadStatus::Contacted, LeadStatus::Lost]),
        |s| matches!(s.status, LeadStatus::Contacted | LeadStatus::Lost),
    )
    .await;
    check(
        store,
        fx,
        "no email",
        LeadQuery::new().has_email(false),
        |s| s.email.is_none(),
    )
    .await;
    check(store, fx, "phone", LeadQuery::new().has_phone(true), |s| {
        s.phone.is_some()
    })
    .await;
    for (filter, want) in [
        (ConsentFilter::Given, Some(true)),
        (ConsentFilter::Refused, Some(false)),
        (ConsentFilter::Missing, None),
    ] {
        check(
            store,
            fx,
            "consent",
            LeadQuery::new().consent(filter),
            |s| s.consent == want,
        )
        .await;
    }
    // One `check` per filter rather than a table: each predicate is a
    // closure of its own type.
    let (from, to) = (t0() + Duration::days(1), t0() + Duration::days(3));
    check(
        store,
        fx,
        "created range",
        LeadQuery::new().created_between(from, to),
        |s| s.created >= from && s.created < to,
    )
    .await;
    let (from, to) = (t0() + Duration::hours(1), t0() + Duration::days(2));
    check(
        store,
        fx,
        "last-seen range",
        LeadQuery::new().last_seen_between(from, to),
        |s| s.last_seen >= from && s.last_seen < to,
    )
    .await;
    check(
        store,
        fx,
        "empty range",
        LeadQuery::new().created_between(from, from),
        |_| false,
    )
    .await;
    let combined = LeadQuery::new()
        .search("example.com")
        .bots([b1])
        .has_phone(false)
        .statuses([LeadStatus::New, LeadStatus::Qualified, LeadStatus::Lost]);
    let search = searches(fx, "example.com");
    check(store, fx, "combined", combined, |s| {
        search(s)
            && s.bot == b1
            && s.phone.is_none()
            && matches!(
                s.status,
                LeadStatus::New | LeadStatus::Qualified | LeadStatus::Lost
            )
    })
    .await;
    for text in [
        "alvarez",
        "ÁLVAREZ",
        "jose",
        "ångström",
        "zoe",
        "souza",
        "acme",
        "ecole lumiere",
        "user1",
        "USER12@",
        "+1415",
        "5550009",
        "(415) 555-0009",
        "+1 415 555",
        "strasse",
        "lukasz",
        "  ana  ",
        "oberg",
    ] {
        check(
            store,
            fx,
            text,
            LeadQuery::new().search(text),
            searches(fx, text),
        )
        .await;
    }
}

pub(crate) async fn hostile_search(store: &dyn Store, fx: &Fixture) {
    for text in [
        "%",
        "_",
        "100%",
        "l_name",
        "real_",
        "\\",
        "back\\s",
        "'",
        "o'brien",
        "\"",
        "''; --",
        "select * from",
        "; --",
        "' OR '1'='1",
        "%_%",
        "\\%",
        "[a-z]",
        "*",
        "=hyperlink",
        "\u{0}",
        "a\u{1f}b",
    ] {
        check(
            store,
            fx,
            text,
            LeadQuery::new().search(text),
            searches(fx, text),
        )
        .await;
    }
    // Exactly the limit is fine; one byte more is a typed error.
    let at_limit = "x".repeat(crate::MAX_SEARCH_LEN);
    check(
        store,
        fx,
        "512 bytes",
        LeadQuery::new().search(at_limit),
        |_| false,
    )
    .await;
    let long = "ü".repeat(5 * 1024);
    for result in [
        store
            .query_leads(fx.workspace, &LeadQuery::new().search(long.clone()))
            .await
            .map(|_| 0),
        store
            .count_leads(fx.workspace, &LeadQuery::new().search(long))
            .await,
    ] {
        assert!(
            matches!(result, Err(Error::InvalidQuery { .. })),
            "10 kB of search text is a typed error, got {result:?}"
        );
    }
}

pub(crate) async fn bad_queries(store: &dyn Store, fx: &Fixture) {
    let ws = fx.workspace;
    let backwards = LeadQuery::new().created_between(t0() + Duration::days(2), t0());
    assert!(matches!(
        store.query_leads(ws, &backwards).await,
        Err(Error::InvalidQuery { .. })
    ));
    assert!(matches!(
        store.count_leads(ws, &backwards).await,
        Err(Error::InvalidQuery { .. })
    ));
    let backwards = LeadQuery::new().last_seen_between(t0() + Duration::days(2), t0());
    assert!(matches!(
        store.query_leads(ws, &backwards).await,
        Err(Error::InvalidQuery { .. })
    ));
    for limit in [0, crate::MAX_PAGE_SIZE + 1] {
        assert!(matches!(
            store.query_leads(ws, &LeadQuery::new().limit(limit)).await,
            Err(Error::InvalidQuery { .. })
        ));
    }

    let query = LeadQuery::new()
        .sort(SortColumn::Name, Direction::Asc)
        .limit(5);
    let page = ok(store.query_leads(ws, &query).await, "first page");
    let cursor = page.next.expect("more than one page");
    // The cursor continues its own query ...
    ok(
        store
            .query_leads(ws, &query.clone().after(cursor.clone()))
            .await,
        "next page",
    );
    // ... but not another sort, filter or workspace.
    for other in [
        LeadQuery::new().sort(SortColumn::Name, Direction::Desc),
        LeadQuery::new().sort(SortColumn::Email, Direction::Asc),
        LeadQuery::new()
            .sort(SortColumn::Name, Direction::Asc)
            .search("a"),
    ] {
        let result = store.query_leads(ws, &other.after(cursor.clone())).await;
        assert!(
            matches!(result, Err(Error::InvalidCursor)),
            "foreign cursor: {result:?}"
        );
    }
    let result = store
        .query_leads(fresh_workspace(), &query.clone().after(cursor.clone()))
        .await;
    assert!(
        matches!(result, Err(Error::InvalidCursor)),
        "cursor of another workspace"
    );
    // Tampering with any character is detected: the token no longer
    // parses, or its signature no longer holds.
    let text = cursor.as_str();
    for i in (0..text.len()).step_by(3) {
        let mut bytes = text.as_bytes().to_vec();
        bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
        let tampered = String::from_utf8(bytes).expect("base64url is ASCII");
        let result = match tampered.parse::<Cursor>() {
            Ok(tampered) => store.query_leads(ws, &query.clone().after(tampered)).await,
            Err(error) => Err(error),
        };
        assert!(
            matches!(result, Err(Error::InvalidCursor)),
            "tampered cursor at {i}"
        );
    }
    for junk in [
        "",
        "zz",
        "abc",
        "0011",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ] {
        let parsed = junk.parse::<Cursor>();
        if let Ok(cursor) = parsed {
            let result = store.query_leads(ws, &query.clone().after(cursor)).await;
            assert!(
                matches!(result, Err(Error::InvalidCursor)),
                "junk cursor {junk:?}"
            );
        }
    }
}

pub(crate) async fn export(store: &dyn Store, fx: &Fixture) {
    let [b0, _, b2] = fx.bots;
    let query = LeadQuery::new()
        .bots([b0, b2])
        .sort(SortColumn::Name, Direction::Asc);
    let mut out = Vec::new();
    let rows = ok(
        export_csv(
            store,
            fx.workspace,
            &query,
            &mut out,
            CsvOptions::new().bom(true),
        )
        .await,
        "export_csv",
    );
    let expected: Vec<&Spec> = fx.leads.iter().filter(|s| s.bot != fx.bots[1]).collect();
    assert_eq!(rows, expected.len() as u64);
    assert!(out.starts_with("\u{feff}".as_bytes()), "BOM first");
    let body = &out[3..];
    let mut reader = csv::ReaderBuilder::new().from_reader(body);
    let header: Vec<String> = reader
        .headers()
        .expect("a header row")
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header, CsvRow::HEADER);
    let records: Vec<csv::StringRecord> = reader
        .records()
        .collect::<Result<_, _>>()
        .expect("valid CSV");
    assert_eq!(records.len(), expected.len());
    let bots = ok(store.list_bots(fx.workspace).await, "list_bots");
    for record in &records {
        let id: LeadId = record[0].parse().expect("an id");
        let spec = expected
            .iter()
            .find(|s| s.id == id)
            .expect("a selected lead");
        let bot = bots.iter().find(|b| b.id == spec.bot).expect("bot");
        assert_eq!(&record[3], bot.name);
        assert_eq!(&record[4], spec.status.as_str());
        let name = &record[5];
        if spec.name.starts_with('=') {
            assert_eq!(name, format!("'{}", spec.name), "formula defused");
        } else {
            assert_eq!(name, spec.name);
        }
        assert_eq!(&record[6], spec.email.as_deref().unwrap_or(""));
        // E.164 phones stay readable as numbers.
        assert_eq!(&record[7], spec.phone.as_deref().unwrap_or(""));
        let consent = match spec.consent {
            Some(true) => "given",
            Some(false) => "refused",
            None => "",
        };
        assert_eq!(&record[9], consent);
    }
    assert!(out.windows(2).any(|w| w == b"\r\n"), "RFC 4180 line ends");
}

/// A backend's own export path ([`crate::LeadStore::export_pages`]) gives
/// exactly the rows, in exactly the order, that its query pages give, a
/// page at a time: every sort, both directions, a search and a filter,
/// across small pages, with text that needs quoting in CSV.
pub(crate) async fn export_pages_match_queries(store: &dyn Store, fx: &Fixture) {
    let awkward = "=SUM(A1)\n\"quoted\", comma; tab\there \u{e9}\u{1f600}";
    ok(
        store
            .update_lead(
                fx.workspace,
                fx.leads[0].id,
                &LeadPatch::new().notes(awkward),
            )
            .await,
        "update_lead",
    );
    let mut queries = Vec::new();
    for column in SortColumn::ALL {
        for direction in [Direction::Asc, Direction::Desc] {
            queries.push(LeadQuery::new().sort(column, direction));
        }
    }
    queries.push(
        LeadQuery::new()
            .search("a")
            .sort(SortColumn::Email, Direction::Desc),
    );
    queries.push(
        LeadQuery::new()
            .bots([fx.bots[1]])
            .consent(ConsentFilter::Given)
            .sort(SortColumn::Company, Direction::Asc),
    );
    for query in queries {
        let query = query.limit(7);
        let mut expected = Vec::new();
        let mut page_query = query.clone();
        loop {
            let page = ok(
                store.query_leads(fx.workspace, &page_query).await,
                "query_leads",
            );
            expected.extend(page.leads.iter().map(ExportRow::from_lead));
            match page.next {
                Some(cursor) => page_query = page_query.after(cursor),
                None => break,
            }
        }
        let mut pages = store.export_pages(fx.workspace, &query);
        let (mut rows, mut count) = (Vec::new(), 0);
        while let Some(page) = pages.next().await {
            let page = ok(page, "export page");
            assert!(count < 1000, "the export of {query:?} never ends");
            assert!(page.len() <= 7, "a page holds at most the page size");
            rows.extend(page);
            count += 1;
        }
        assert!(
            count > 1 || rows.len() < 7,
            "{query:?} was exported in pages"
        );
        assert_eq!(rows.len(), expected.len(), "row count of {query:?}");
        for (i, (got, want)) in rows.iter().zip(&expected).enumerate() {
            // `ExportRow`'s Debug hides the personal columns: compare them
            // one by one so a failure says which.
            assert_eq!(got.id, want.id, "row {i} of {query:?}");
            assert!(
                got == want,
                "row {i} of {query:?} differs from its query page"
            );
        }
    }
}
