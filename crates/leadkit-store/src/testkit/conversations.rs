//! Conversations: the list with its filters and pages, summaries kept on
//! write, transcript pages, links to leads, and erasure of every linked
//! conversation.

use chrono::Duration;
use leadkit_core::{
    BotId, ContactDetails, Conversation, ConversationId, LeadId, Signals, VisitorId, WorkspaceId,
};

use super::{after_one_turn, fresh_workspace, ok, t0};
use crate::{
    ConversationQuery, ConversationSummary, Error, LeadKey, LeadUpsert, Role, Store,
    TranscriptMessage, TurnWrite,
};

fn lead_id(ws: WorkspaceId, n: u128) -> LeadId {
    LeadId::from_u128(ws.as_uuid().as_u128() ^ (n << 8))
}

fn bot(ws: WorkspaceId, n: u128) -> BotId {
    BotId::from_u128(ws.as_uuid().as_u128() ^ (n << 64))
}

fn conv(ws: WorkspaceId, n: u128) -> ConversationId {
    ConversationId::from_u128(ws.as_uuid().as_u128() ^ (n << 32))
}

fn line(c: ConversationId, b: BotId, text: &str, minute: i64) -> TranscriptMessage {
    TranscriptMessage::new(c, b, Role::Visitor, text, t0() + Duration::minutes(minute))
}

fn ids(summaries: &[ConversationSummary]) -> Vec<ConversationId> {
    summaries.iter().map(|s| s.id).collect()
}

/// Every page of `query`, followed by cursor, with the page size.
async fn all_pages(
    store: &dyn Store,
    ws: WorkspaceId,
    query: ConversationQuery,
) -> Vec<ConversationId> {
    let mut seen = Vec::new();
    let mut page = ok(store.list_conversations(ws, &query).await, "first page");
    loop {
        assert!(page.conversations.len() <= query.page_size() as usize);
        seen.extend(ids(&page.conversations));
        let Some(next) = page.next else { break };
        page = ok(
            store
                .list_conversations(ws, &query.clone().after(next))
                .await,
            "next page",
        );
    }
    seen
}

/// Five conversations: c1 (bot 1, no lead, minutes 0-2), c2 (bot 2, a
/// captured lead, minute 5), c3 (bot 1, appended lines about pricing,
/// minutes 1 and 10), c4 (bot 2, no lead, minute 7), c5 (bot 1, linked to
/// the lead before its first line, minute 3).
async fn five(store: &dyn Store, ws: WorkspaceId) -> LeadId {
    let (b1, b2) = (bot(ws, 1), bot(ws, 2));
    let c = |n| conv(ws, n);
    // c1: two turns without a lead.
    let first = TurnWrite::new(c(1), Conversation::new(), None)
        .message(line(c(1), b1, "hello there", 0))
        .message(line(c(1), b1, "hi! how can I help?", 1));
    let v = ok(store.persist_turn(ws, &first).await, "c1 turn").version;
    let second =
        TurnWrite::new(c(1), Conversation::new(), Some(v)).message(line(c(1), b1, "bye", 2));
    ok(store.persist_turn(ws, &second).await, "c1 turn 2");
    // c2: a turn that captures a lead.
    let capture = TurnWrite::new(c(2), Conversation::new(), None)
        .message(line(c(2), b2, "I am ana@example.com", 5))
        .lead(LeadUpsert::new(
            lead_id(ws, 1),
            b2,
            ContactDetails::new().with_email("ana@example.com"),
            t0(),
        ));
    let lead = ok(store.persist_turn(ws, &capture).await, "c2 capture")
        .lead
        .expect("a lead")
        .lead
        .id;
    // c3: plain appends, out of time order.
    ok(
        store
            .append_messages(ws, &[line(c(3), b1, "What is your PRICING?", 10)])
            .await,
        "c3 append",
    );
    ok(
        store
            .append_messages(ws, &[line(c(3), b1, "earlier 50%_\"quoted\" line", 1)])
            .await,
        "c3 append 2",
    );
    // c4.
    ok(
        store
            .append_messages(ws, &[line(c(4), b2, "Pricing for teams?", 7)])
            .await,
        "c4 append",
    );
    // c5: linked before its first line.
    ok(store.link_conversation(ws, c(5), lead).await, "link c5");
    ok(
        store
            .append_messages(ws, &[line(c(5), b1, "back again", 3)])
            .await,
        "c5 append",
    );
    lead
}

/// Summaries kept on write, the list's order, every filter, and pages.
pub(crate) async fn conversations_list(store: &dyn Store) {
    let ws = fresh_workspace();
    let lead = five(store, ws).await;
    let c = |n| conv(ws, n);
    let (b1, b2) = (bot(ws, 1), bot(ws, 2));
    let at = |m| t0() + Duration::minutes(m);

    let summary = |n| async move {
        ok(store.conversation_summary(ws, c(n)).await, "summary").expect("a summary")
    };
    assert_eq!(
        summary(1).await,
        ConversationSummary::new(c(1), b1, at(0), at(2), 3, None)
    );
    assert_eq!(
        summary(2).await,
        ConversationSummary::new(c(2), b2, at(5), at(5), 1, Some(lead))
    );
    assert_eq!(
        summary(3).await,
        ConversationSummary::new(c(3), b1, at(1), at(10), 2, None)
    );
    assert_eq!(
        summary(5).await,
        ConversationSummary::new(c(5), b1, at(3), at(3), 1, Some(lead)),
        "a link before the first line"
    );
    assert_eq!(ok(store.conversation_summary(ws, c(9)).await, "none"), None);

    // Newest activity first, whole and in pages of every size.
    let newest = vec![c(3), c(4), c(2), c(5), c(1)];
    for size in [1, 2, 3, 5, 50] {
        assert_eq!(
            all_pages(store, ws, ConversationQuery::new().limit(size)).await,
            newest,
            "pages of {size}"
        );
    }
    let filtered = [
        (ConversationQuery::new().bot(b1), vec![c(3), c(5), c(1)]),
        (ConversationQuery::new().bot(b2), vec![c(4), c(2)]),
        (ConversationQuery::new().has_lead(true), vec![c(2), c(5)]),
        (
            ConversationQuery::new().has_lead(false),
            vec![c(3), c(4), c(1)],
        ),
        (
            ConversationQuery::new().active_between(Some(at(3)), Some(at(7))),
            vec![c(2), c(5)],
        ),
        (
            ConversationQuery::new().active_between(Some(at(7)), None),
            vec![c(3), c(4)],
        ),
        (
            ConversationQuery::new().active_between(None, Some(at(3))),
            vec![c(1)],
        ),
        (ConversationQuery::new().search("pricing"), vec![c(3), c(4)]),
        (
            ConversationQuery::new().search("  PRICING "),
            vec![c(3), c(4)],
        ),
        (
            ConversationQuery::new().search("pricing").bot(b2),
            vec![c(4)],
        ),
        (ConversationQuery::new().search("ana@example"), vec![c(2)]),
        (
            ConversationQuery::new().search("50%_\"quoted\""),
            vec![c(3)],
        ),
        // Wildcards and quotes match themselves only.
        (ConversationQuery::new().search("5%_"), Vec::new()),
        (ConversationQuery::new().search("\"quoted"), vec![c(3)]),
        (
            ConversationQuery::new().search("nothing like it"),
            Vec::new(),
        ),
        (ConversationQuery::new().search("   "), newest.clone()),
    ];
    for (query, expected) in filtered {
        assert_eq!(
            all_pages(store, ws, query.clone().limit(1)).await,
            expected,
            "{query:?}"
        );
        assert_eq!(
            all_pages(store, ws, query.clone()).await,
            expected,
            "{query:?}"
        );
    }

    // Another workspace sees none of it.
    let other = fresh_workspace();
    let page = ok(
        store
            .list_conversations(other, &ConversationQuery::new())
            .await,
        "other",
    );
    assert!(page.conversations.is_empty() && page.next.is_none());
    assert_eq!(
        ok(store.conversation_summary(other, c(1)).await, "other"),
        None
    );
    assert!(matches!(
        store.link_conversation(other, c(1), lead).await,
        Err(Error::NotFound { .. })
    ));

    // Bad queries and foreign cursors are refused.
    for bad in [
        ConversationQuery::new().search("ab"),
        ConversationQuery::new().search("x".repeat(600)),
        ConversationQuery::new().limit(0),
        ConversationQuery::new().limit(1001),
        ConversationQuery::new().active_between(Some(at(5)), Some(at(1))),
    ] {
        assert!(
            matches!(
                store.list_conversations(ws, &bad).await,
                Err(Error::InvalidInput { .. })
            ),
            "{bad:?}"
        );
    }
    let next = ok(
        store
            .list_conversations(ws, &ConversationQuery::new().limit(1))
            .await,
        "page",
    )
    .next
    .expect("a next page");
    for (ws, query) in [
        (ws, ConversationQuery::new().limit(1).bot(b1)),
        (ws, ConversationQuery::new().limit(1).search("pricing")),
        (other, ConversationQuery::new().limit(1)),
    ] {
        assert!(matches!(
            store
                .list_conversations(ws, &query.after(next.clone()))
                .await,
            Err(Error::InvalidCursor)
        ));
    }
    assert!(matches!(
        store.transcript_page(ws, c(1), Some(next), 10).await,
        Err(Error::InvalidCursor)
    ));
    assert!(matches!(
        store.link_conversation(ws, c(1), lead_id(ws, 77)).await,
        Err(Error::NotFound { .. })
    ));
    // Linking again changes nothing.
    ok(store.link_conversation(ws, c(5), lead).await, "link again");
    assert_eq!(summary(5).await.message_count, 1);
}

/// A transcript read backwards in pages, oldest first within each.
pub(crate) async fn transcript_pages(store: &dyn Store) {
    let ws = fresh_workspace();
    let (b, c, other) = (bot(ws, 1), conv(ws, 1), conv(ws, 2));
    let lines: Vec<_> = (0..7)
        .map(|i| line(c, b, &format!("line {i}"), i))
        .collect();
    ok(store.append_messages(ws, &lines[..4]).await, "append");
    ok(store.append_messages(ws, &lines[4..]).await, "append");
    ok(
        store
            .append_messages(ws, &[line(other, b, "other", 0)])
            .await,
        "append other",
    );

    let mut pages = Vec::new();
    let mut before = None;
    loop {
        let page = ok(store.transcript_page(ws, c, before, 3).await, "page");
        pages.push(page.messages);
        match page.older {
            Some(cursor) => before = Some(cursor),
            None => break,
        }
    }
    assert_eq!(
        pages,
        vec![
            lines[4..7].to_vec(),
            lines[1..4].to_vec(),
            lines[0..1].to_vec()
        ]
    );
    let whole = ok(store.transcript_page(ws, c, None, 7).await, "whole");
    assert_eq!((whole.messages, whole.older), (lines.clone(), None));
    let first = ok(store.transcript_page(ws, c, None, 2).await, "first");
    let older = first.older.expect("older lines");
    // A cursor pages only its own conversation and workspace.
    assert!(matches!(
        store
            .transcript_page(ws, other, Some(older.clone()), 2)
            .await,
        Err(Error::InvalidCursor)
    ));
    assert!(matches!(
        store
            .transcript_page(fresh_workspace(), c, Some(older.clone()), 2)
            .await,
        Err(Error::InvalidCursor)
    ));
    assert!(matches!(
        store
            .list_conversations(ws, &ConversationQuery::new().after(older))
            .await,
        Err(Error::InvalidCursor)
    ));
    for limit in [0, 1001] {
        assert!(matches!(
            store.transcript_page(ws, c, None, limit).await,
            Err(Error::InvalidInput { .. })
        ));
    }
    let none = ok(
        store.transcript_page(ws, conv(ws, 9), None, 5).await,
        "none",
    );
    assert!(none.messages.is_empty() && none.older.is_none());
}

/// A lead with three conversations, linked in the three ways the engine
/// links them (a capture, a recognised visitor linked before the
/// conversation's first line, details verified mid-conversation linked
/// after its lines): erasure leaves nothing of any of them.
pub(crate) async fn erases_every_conversation(store: &dyn Store) {
    let ws = fresh_workspace();
    let b = bot(ws, 1);
    let c = |n| conv(ws, n);
    let email = "gone.for.good@example.com";
    let visitor = VisitorId::new("visitor-gone").expect("a visitor id");
    let holding =
        || after_one_turn(Signals::none().with_details(ContactDetails::new().with_email(email)));

    // 1. A capture.
    let capture = TurnWrite::new(c(1), holding(), None)
        .message(line(c(1), b, &format!("mail me at {email}"), 0))
        .lead(
            LeadUpsert::new(
                lead_id(ws, 1),
                b,
                ContactDetails::new().with_email(email),
                t0(),
            )
            .visitor(visitor.clone()),
        );
    let lead = ok(store.persist_turn(ws, &capture).await, "capture")
        .lead
        .expect("a lead")
        .lead
        .id;
    // 2. The verified visitor comes back: found, linked, then the turn.
    let found = ok(
        store
            .find_lead(ws, &LeadKey::Visitor(visitor.clone()))
            .await,
        "find",
    )
    .expect("recognised");
    ok(store.link_conversation(ws, c(2), found.id).await, "link 2");
    let back = TurnWrite::new(c(2), holding(), None).message(line(
        c(2),
        b,
        &format!("it's me again, {email}"),
        10,
    ));
    ok(store.persist_turn(ws, &back).await, "return turn");
    // 3. Lines first; verified details passed in later link it.
    let third =
        TurnWrite::new(c(3), holding(), None).message(line(c(3), b, &format!("{email} here"), 20));
    ok(store.persist_turn(ws, &third).await, "third turn");
    ok(store.link_conversation(ws, c(3), lead).await, "link 3");
    // Someone else's conversation, and one without a lead.
    let kept = TurnWrite::new(c(4), Conversation::new(), None)
        .message(line(c(4), b, "another person, same example.com", 30))
        .lead(LeadUpsert::new(
            lead_id(ws, 2),
            b,
            ContactDetails::new().with_email("kept@example.com"),
            t0(),
        ));
    ok(store.persist_turn(ws, &kept).await, "kept");
    ok(
        store
            .append_messages(ws, &[line(c(5), b, "anonymous example.com", 40)])
            .await,
        "anonymous",
    );
    let linked = ConversationQuery::new().has_lead(true);
    assert_eq!(
        all_pages(store, ws, linked.clone()).await,
        vec![c(4), c(3), c(2), c(1)]
    );

    ok(store.erase_lead(ws, lead).await, "erase");
    for n in 1..=3 {
        assert!(
            ok(store.conversation_messages(ws, c(n)).await, "lines").is_empty(),
            "conversation {n}"
        );
        assert_eq!(
            ok(store.conversation_summary(ws, c(n)).await, "summary"),
            None
        );
        let page = ok(store.transcript_page(ws, c(n), None, 10).await, "page");
        assert!(page.messages.is_empty());
        let state = ok(store.load_state(ws, c(n)).await, "state").expect("a state");
        assert_eq!(
            (state.conversation, state.version),
            (Conversation::new(), 2),
            "conversation {n} starts over at the next version"
        );
    }
    assert!(ok(store.lead_conversations(ws, lead).await, "links").is_empty());
    for text in ["gone.for.good", "example.com"] {
        let found = all_pages(store, ws, ConversationQuery::new().search(text)).await;
        assert!(
            found.iter().all(|id| [c(4), c(5)].contains(id)),
            "{text}: {found:?}"
        );
    }
    assert_eq!(all_pages(store, ws, linked).await, vec![c(4)]);
    assert_eq!(
        all_pages(store, ws, ConversationQuery::new()).await,
        vec![c(5), c(4)]
    );
    assert_eq!(
        ok(
            store.find_lead(ws, &LeadKey::Visitor(visitor)).await,
            "find"
        ),
        None
    );
}

/// The Leads screen's bot filter matches any bot a lead talked to, not only
/// the one that captured it; the count agrees.
pub(crate) async fn bot_filter_matches_any_bot(store: &dyn Store) {
    use crate::{LeadQuery, LeadStore};
    let ws = fresh_workspace();
    let (a, b, other) = (bot(ws, 1), bot(ws, 2), bot(ws, 3));
    let upsert = |n: u128, bot: BotId, email: &str| {
        LeadUpsert::new(
            lead_id(ws, n),
            bot,
            ContactDetails::new().with_email(email),
            t0(),
        )
    };
    let both = ok(
        store
            .upsert_lead(ws, &upsert(1, a, "both@example.com"))
            .await,
        "first bot",
    )
    .lead
    .id;
    ok(
        store
            .upsert_lead(ws, &upsert(2, b, "both@example.com"))
            .await,
        "second bot",
    );
    let only_a = ok(
        store
            .upsert_lead(ws, &upsert(3, a, "only-a@example.com"))
            .await,
        "only a",
    )
    .lead
    .id;
    for (bots, expected) in [
        (vec![a], vec![only_a, both]),
        (vec![b], vec![both]),
        (vec![b, other], vec![both]),
        (vec![other], vec![]),
    ] {
        let query = LeadQuery::new()
            .bots(bots.clone())
            .sort(crate::SortColumn::Email, crate::Direction::Desc);
        let page = ok(LeadStore::query_leads(store, ws, &query).await, "query");
        let found: Vec<LeadId> = page.leads.iter().map(|l| l.id).collect();
        assert_eq!(found, expected, "{bots:?}");
        assert_eq!(
            ok(store.count_leads(ws, &query).await, "count"),
            expected.len() as u64
        );
    }
}

/// Previous pages: from any page, `prev` leads back to exactly the page
/// before, in every sort and direction; a cursor of one way is refused
/// the other way.
pub(crate) async fn previous_pages(store: &dyn Store) {
    use crate::{Direction, LeadQuery, LeadStore, SortColumn};
    let ws = fresh_workspace();
    let b = bot(ws, 1);
    for n in 0..8u128 {
        let details = ContactDetails::new()
            .with_name(format!("Person {}", (n * 5) % 8))
            .with_email(format!("p{n}@example.com"));
        let at = t0() + Duration::minutes(i64::try_from(n).unwrap_or(0));
        ok(
            store
                .upsert_lead(ws, &LeadUpsert::new(lead_id(ws, n + 1), b, details, at))
                .await,
            "seed",
        );
    }
    for (sort, direction) in [
        (SortColumn::CreatedAt, Direction::Desc),
        (SortColumn::Name, Direction::Asc),
        (SortColumn::Email, Direction::Desc),
    ] {
        let base = LeadQuery::new().sort(sort, direction).limit(3);
        // Forwards, remembering every page.
        let mut pages = Vec::new();
        let mut page = ok(LeadStore::query_leads(store, ws, &base).await, "first");
        assert_eq!(page.prev, None, "the first page has no previous one");
        loop {
            let ids: Vec<LeadId> = page.leads.iter().map(|l| l.id).collect();
            let (next, prev) = (page.next.clone(), page.prev.clone());
            pages.push((ids, prev));
            let Some(next) = next else { break };
            page = ok(
                LeadStore::query_leads(store, ws, &base.clone().after(next)).await,
                "next",
            );
        }
        assert_eq!(pages.len(), 3, "{sort:?}");
        // Backwards from each page to the one before.
        for i in (1..pages.len()).rev() {
            let prev = pages[i].1.clone().expect("a previous page");
            let back = ok(
                LeadStore::query_leads(store, ws, &base.clone().before(prev.clone())).await,
                "previous",
            );
            let ids: Vec<LeadId> = back.leads.iter().map(|l| l.id).collect();
            assert_eq!(ids, pages[i - 1].0, "{sort:?} {direction:?} page {i}");
            // Its next page is the page we came from.
            let again = ok(
                LeadStore::query_leads(store, ws, &base.clone().after(back.next.expect("next")))
                    .await,
                "forward again",
            );
            let ids: Vec<LeadId> = again.leads.iter().map(|l| l.id).collect();
            assert_eq!(ids, pages[i].0);
            // A "before" cursor does not page forwards, nor in another order.
            assert!(matches!(
                LeadStore::query_leads(store, ws, &base.clone().after(prev.clone())).await,
                Err(Error::InvalidCursor)
            ));
            let other = LeadQuery::new().sort(sort, Direction::Asc).limit(3);
            if direction != Direction::Asc {
                assert!(matches!(
                    LeadStore::query_leads(store, ws, &other.before(prev)).await,
                    Err(Error::InvalidCursor)
                ));
            }
        }
    }
}
