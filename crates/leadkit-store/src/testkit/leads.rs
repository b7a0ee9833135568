//! Leads: de-duplication, conflicts, edits, erasure, transcripts,
//! tenancy and concurrent upserts.

use std::sync::Arc;

use chrono::Duration;
use leadkit_core::{
    BotId, Consent, ContactDetails, Conversation, ConversationId, LeadId, LeadStatus, Pii, Signals,
    VisitorId, WorkspaceId,
};

use super::{after_one_turn, fresh_workspace, ok, t0};
use crate::{
    Bot, COMPANY_FIELD, Error, LeadKey, LeadPatch, LeadQuery, LeadUpsert, Role, Store,
    TranscriptMessage,
};

pub(crate) fn id(ws: WorkspaceId, n: u128) -> LeadId {
    LeadId::from_u128(ws.as_uuid().as_u128() ^ n)
}

pub(crate) fn bot(ws: WorkspaceId, n: u128) -> BotId {
    BotId::from_u128(ws.as_uuid().as_u128() ^ (n << 64))
}

pub(crate) fn conv(ws: WorkspaceId, n: u128) -> ConversationId {
    ConversationId::from_u128(ws.as_uuid().as_u128() ^ (n << 32))
}

fn visitor(name: &str) -> VisitorId {
    VisitorId::new(name).expect("valid visitor id")
}

pub(crate) async fn dedupes(store: &dyn Store) {
    let ws = fresh_workspace();
    let (b1, b2) = (bot(ws, 1), bot(ws, 2));
    let first = LeadUpsert::new(
        id(ws, 1),
        b1,
        ContactDetails::new()
            .with_name("Ana")
            .with_email("Ana.Souza@Example.COM"),
        t0(),
    );
    let created = ok(store.upsert_lead(ws, &first).await, "first upsert");
    assert!(created.created);
    assert_eq!(created.lead.id, id(ws, 1));
    assert_eq!(created.lead.status, LeadStatus::New);
    assert_eq!(created.lead.created_at, t0());

    // Same email in other case, from another bot, later: same lead.
    let later = t0() + Duration::hours(2);
    let again = LeadUpsert::new(
        id(ws, 2),
        b2,
        ContactDetails::new()
            .with_email(" ana.souza@example.com")
            .with_phone("+1 415 555 0100"),
        later,
    );
    let merged = ok(store.upsert_lead(ws, &again).await, "second upsert");
    assert!(!merged.created, "normalised email de-duplicates");
    assert_eq!(merged.lead.id, id(ws, 1));
    assert_eq!(merged.lead.bot, b1, "first bot kept");
    assert_eq!(merged.lead.bots, vec![b1, b2]);
    assert_eq!(merged.lead.created_at, t0());
    assert_eq!(merged.lead.last_seen_at, later);
    assert_eq!(
        merged.lead.details.get(leadkit_core::Field::Name),
        Some("Ana")
    );

    // The phone, written differently, finds the same lead.
    let by_phone = LeadUpsert::new(
        id(ws, 3),
        b1,
        ContactDetails::new().with_phone("+14155550100"),
        later,
    );
    let merged = ok(store.upsert_lead(ws, &by_phone).await, "phone upsert");
    assert!(!merged.created, "E.164 phone de-duplicates");
    assert_eq!(merged.lead.id, id(ws, 1));

    // A visitor id links too, and then finds the lead alone.
    let linked = LeadUpsert::new(
        id(ws, 4),
        b1,
        ContactDetails::new().with_email("ana.souza@example.com"),
        later,
    )
    .visitor(visitor("cookie-ana"));
    ok(store.upsert_lead(ws, &linked).await, "link visitor");
    let by_visitor = LeadUpsert::new(id(ws, 5), b1, ContactDetails::new().with_name("A."), later)
        .visitor(visitor("cookie-ana"));
    let merged = ok(store.upsert_lead(ws, &by_visitor).await, "visitor upsert");
    assert!(!merged.created);
    assert_eq!(merged.lead.visitor, Some(visitor("cookie-ana")));

    for key in [
        LeadKey::Visitor(visitor("cookie-ana")),
        LeadKey::Email(Pii::new("ANA.SOUZA@example.com".to_owned())),
        LeadKey::Phone(Pii::new("+1 (415) 555-0100".to_owned())),
    ] {
        let found = ok(store.find_lead(ws, &key).await, "find_lead");
        assert_eq!(found.map(|l| l.id), Some(id(ws, 1)), "find by {key:?}");
    }
    for key in [
        LeadKey::Visitor(visitor("someone-else")),
        LeadKey::Email(Pii::new("other@example.com".to_owned())),
        LeadKey::Phone(Pii::new("0415 555 0100".to_owned())),
    ] {
        assert_eq!(ok(store.find_lead(ws, &key).await, "find none"), None);
    }
    // A different person is a different lead.
    let other = LeadUpsert::new(
        id(ws, 6),
        b1,
        ContactDetails::new().with_email("bob@example.com"),
        later,
    );
    assert!(ok(store.upsert_lead(ws, &other).await, "other").created);
    assert_eq!(
        ok(store.count_leads(ws, &LeadQuery::new()).await, "count"),
        2
    );
}

pub(crate) async fn keeps_conflicts(store: &dyn Store) {
    let ws = fresh_workspace();
    let b = bot(ws, 1);
    let first = LeadUpsert::new(
        id(ws, 1),
        b,
        ContactDetails::new()
            .with_name("Ana Souza")
            .with_email("ana@example.com")
            .with_phone("+14155550100")
            .with_custom(COMPANY_FIELD, "Acme"),
        t0(),
    )
    .consent(Consent::new(true, "notice", "v1", t0()));
    ok(store.upsert_lead(ws, &first).await, "first");
    let t1 = t0() + Duration::days(1);
    let second = LeadUpsert::new(
        id(ws, 2),
        b,
        ContactDetails::new()
            .with_name("Ana S.")
            .with_email("ana@example.com")
            .with_phone("+14155550199")
            .with_custom(COMPANY_FIELD, "Globex"),
        t1,
    )
    .consent(Consent::new(false, "notice", "v2", t1));
    let merged = ok(store.upsert_lead(ws, &second).await, "conflicting").lead;
    assert_eq!(
        merged.details.get(leadkit_core::Field::Phone),
        Some("+14155550100")
    );
    assert_eq!(
        merged.details.get(leadkit_core::Field::Name),
        Some("Ana Souza")
    );
    assert_eq!(merged.company(), Some("Acme"));
    let phones: Vec<&str> = merged.values_of("phone").collect();
    assert_eq!(phones, ["+14155550100", "+14155550199"], "both phones kept");
    assert_eq!(merged.values_of("name").count(), 2);
    assert_eq!(merged.values_of(COMPANY_FIELD).count(), 2);
    let entry = merged
        .history
        .iter()
        .find(|v| v.value.expose() == "+14155550199")
        .expect("the new phone is in the history");
    assert_eq!((entry.first_seen_at, entry.last_seen_at), (t1, t1));
    assert_eq!(
        merged.consent.as_ref().map(|c| c.given),
        Some(false),
        "latest consent wins"
    );
    // The second phone finds the lead; the history survives a reload.
    let found = ok(
        store
            .find_lead(ws, &LeadKey::Phone(Pii::new("+14155550199".to_owned())))
            .await,
        "find by second phone",
    );
    assert_eq!(found.as_ref(), Some(&merged));
    // Searching an old company finds the lead too.
    let page = ok(
        store
            .query_leads(ws, &LeadQuery::new().search("globex"))
            .await,
        "search",
    );
    assert_eq!(page.leads.len(), 1);
    // Older consent does not replace a newer one.
    let stale = LeadUpsert::new(
        id(ws, 3),
        b,
        ContactDetails::new().with_email("ana@example.com"),
        t0(),
    )
    .consent(Consent::new(true, "notice", "v1", t0()));
    let lead = ok(store.upsert_lead(ws, &stale).await, "stale consent").lead;
    assert_eq!(lead.consent.as_ref().map(|c| c.given), Some(false));
    assert_eq!(lead.last_seen_at, t1, "last seen never moves back");
}

pub(crate) async fn needs_a_key(store: &dyn Store) {
    let ws = fresh_workspace();
    let nameless = LeadUpsert::new(
        id(ws, 1),
        bot(ws, 1),
        ContactDetails::new().with_name("Ana"),
        t0(),
    );
    let result = store.upsert_lead(ws, &nameless).await;
    assert!(
        matches!(result, Err(Error::InvalidInput { .. })),
        "no key: {result:?}"
    );
    let local_phone = LeadUpsert::new(
        id(ws, 1),
        bot(ws, 1),
        ContactDetails::new().with_phone("0415 555 0100"),
        t0(),
    );
    let result = store.upsert_lead(ws, &local_phone).await;
    assert!(
        matches!(result, Err(Error::InvalidInput { .. })),
        "non-E.164 phone only"
    );
    let huge = LeadUpsert::new(
        id(ws, 1),
        bot(ws, 1),
        ContactDetails::new()
            .with_email("a@example.com")
            .with_name("x".repeat(20_000)),
        t0(),
    );
    let result = store.upsert_lead(ws, &huge).await;
    assert!(
        matches!(result, Err(Error::InvalidInput { .. })),
        "huge value"
    );
    assert_eq!(
        ok(store.count_leads(ws, &LeadQuery::new()).await, "count"),
        0
    );
}

pub(crate) async fn edits(store: &dyn Store) {
    let ws = fresh_workspace();
    let upsert = LeadUpsert::new(
        id(ws, 1),
        bot(ws, 1),
        ContactDetails::new().with_email("e@example.com"),
        t0(),
    );
    ok(store.upsert_lead(ws, &upsert).await, "upsert");
    let patch = LeadPatch::new()
        .status(LeadStatus::Qualified)
        .notes("Call back on Monday; budget 10k €")
        .set_custom(COMPANY_FIELD, "Ünïcorn Labs")
        .set_custom("job_title", "CTO");
    let lead = ok(store.update_lead(ws, id(ws, 1), &patch).await, "update");
    assert_eq!(lead.status, LeadStatus::Qualified);
    assert_eq!(lead.notes.expose(), "Call back on Monday; budget 10k €");
    assert_eq!(lead.company(), Some("Ünïcorn Labs"));
    let reloaded = ok(store.get_lead(ws, id(ws, 1)).await, "get").expect("exists");
    assert_eq!(reloaded, lead);
    let page = ok(
        store
            .query_leads(ws, &LeadQuery::new().search("unicorn"))
            .await,
        "search company",
    );
    assert_eq!(page.leads.len(), 1, "an edited company is searchable");
    let lead = ok(
        store
            .update_lead(ws, id(ws, 1), &LeadPatch::new().remove_custom("job_title"))
            .await,
        "remove custom",
    );
    assert!(!lead.details.custom.contains_key("job_title"));
    let result = store.update_lead(ws, id(ws, 9), &LeadPatch::new()).await;
    assert!(
        matches!(result, Err(Error::NotFound { .. })),
        "unknown lead"
    );
    let result = store
        .update_lead(ws, id(ws, 1), &LeadPatch::new().notes("x".repeat(20_000)))
        .await;
    assert!(matches!(result, Err(Error::InvalidInput { .. })));
}

pub(crate) async fn transcripts(store: &dyn Store) {
    let ws = fresh_workspace();
    let (b, c1, c2) = (bot(ws, 1), conv(ws, 1), conv(ws, 2));
    let lines: Vec<TranscriptMessage> = (0..6)
        .map(|i| {
            let role = if i % 2 == 0 {
                Role::Visitor
            } else {
                Role::Assistant
            };
            // Equal times: the order is the append order, not the clock.
            TranscriptMessage::new(c1, b, role, format!("line {i} ' % _ \\ ü"), t0())
        })
        .collect();
    ok(store.append_messages(ws, &lines[..2]).await, "append");
    ok(
        store
            .append_messages(
                ws,
                &[TranscriptMessage::new(c2, b, Role::Visitor, "other", t0())],
            )
            .await,
        "append other",
    );
    ok(store.append_messages(ws, &lines[2..]).await, "append more");
    assert_eq!(
        ok(store.conversation_messages(ws, c1).await, "history"),
        lines
    );
    assert_eq!(
        ok(store.conversation_messages(ws, c2).await, "history").len(),
        1
    );
    assert!(ok(store.conversation_messages(ws, conv(ws, 3)).await, "empty").is_empty());
    // The last lines, oldest first, however many there are.
    for limit in [0, 1, 3, lines.len(), lines.len() + 5, usize::MAX] {
        let tail = &lines[lines.len().saturating_sub(limit)..];
        assert_eq!(
            ok(store.recent_messages(ws, c1, limit).await, "recent"),
            tail,
            "last {limit}"
        );
    }
    assert!(ok(store.recent_messages(ws, conv(ws, 3), 5).await, "none").is_empty());
    let elsewhere = fresh_workspace();
    assert!(
        ok(
            store.recent_messages(elsewhere, c1, 5).await,
            "other workspace"
        )
        .is_empty()
    );

    for (n, c) in [(1, c1), (2, c2), (3, c1)] {
        let upsert = LeadUpsert::new(
            id(ws, n),
            b,
            ContactDetails::new().with_email("t@example.com"),
            t0(),
        )
        .conversation(c)
        // Verified: the same person in both conversations (an unverified
        // second conversation would only claim the lead; see `claims`).
        .verified(true);
        ok(store.upsert_lead(ws, &upsert).await, "link conversation");
    }
    assert_eq!(
        ok(
            store.lead_conversations(ws, id(ws, 1)).await,
            "conversations"
        ),
        vec![c1, c2]
    );
}

/// A conversation's state after a turn that captured `details`.
fn holding(details: ContactDetails) -> Conversation {
    after_one_turn(Signals::none().with_details(details))
}

pub(crate) async fn erases(store: &dyn Store) {
    let ws = fresh_workspace();
    let (b, c1, c2, c3) = (bot(ws, 1), conv(ws, 1), conv(ws, 2), conv(ws, 3));
    for (n, c, email) in [
        (1, c1, "gone@example.com"),
        (1, c2, "gone@example.com"),
        (2, c3, "stays@example.com"),
    ] {
        let upsert = LeadUpsert::new(id(ws, n), b, ContactDetails::new().with_email(email), t0())
            .conversation(c)
            .visitor(visitor(email))
            .verified(true);
        ok(store.upsert_lead(ws, &upsert).await, "upsert");
        let line = TranscriptMessage::new(c, b, Role::Visitor, "my email is …", t0());
        ok(store.append_messages(ws, &[line]).await, "append");
        let state = holding(ContactDetails::new().with_email(email));
        let first = ok(store.save_state(ws, c, &state, None).await, "save state");
        ok(
            store.save_state(ws, c, &state, Some(first)).await,
            "save again",
        );
    }
    ok(store.erase_lead(ws, id(ws, 1)).await, "erase");
    assert_eq!(ok(store.get_lead(ws, id(ws, 1)).await, "get"), None);
    for c in [c1, c2] {
        assert!(ok(store.conversation_messages(ws, c).await, "messages").is_empty());
        // The state starts over, at the next version: nothing writes the
        // erased details back with a version from before (a cached state).
        let state = ok(store.load_state(ws, c).await, "state").expect("a blank state");
        assert_eq!(
            (state.conversation, state.version),
            (Conversation::new(), 3)
        );
        let stale = holding(ContactDetails::new().with_email("gone@example.com"));
        for expected in [None, Some(1), Some(2)] {
            let result = store.save_state(ws, c, &stale, expected).await;
            assert!(
                matches!(result, Err(Error::VersionConflict { found: Some(3), .. })),
                "a state from before the erasure ({expected:?}) conflicts: {result:?}"
            );
        }
    }
    assert!(ok(store.lead_conversations(ws, id(ws, 1)).await, "links").is_empty());
    let gone = LeadKey::Email(Pii::new("gone@example.com".to_owned()));
    assert_eq!(ok(store.find_lead(ws, &gone).await, "find"), None);
    assert_eq!(
        ok(
            store
                .find_lead(ws, &LeadKey::Visitor(visitor("gone@example.com")))
                .await,
            "find"
        ),
        None
    );
    // The other lead is untouched.
    assert_eq!(
        ok(store.conversation_messages(ws, c3).await, "kept").len(),
        1
    );
    let kept = ok(store.load_state(ws, c3).await, "kept").expect("kept");
    assert_eq!(kept.version, 2);
    assert_eq!(
        kept.conversation
            .details()
            .email
            .as_ref()
            .map(|e| e.expose().as_str()),
        Some("stays@example.com")
    );
    assert_eq!(
        ok(store.count_leads(ws, &LeadQuery::new()).await, "count"),
        1
    );
    // Erasing again, or an unknown lead, is NotFound.
    let result = store.erase_lead(ws, id(ws, 1)).await;
    assert!(matches!(result, Err(Error::NotFound { .. })));
    // The same person coming back is a new lead.
    let back = LeadUpsert::new(
        id(ws, 3),
        b,
        ContactDetails::new().with_email("gone@example.com"),
        t0(),
    );
    assert!(ok(store.upsert_lead(ws, &back).await, "again").created);
}

pub(crate) async fn isolates_workspaces(store: &dyn Store) {
    let (a, other) = (fresh_workspace(), fresh_workspace());
    let (b, c) = (bot(a, 1), conv(a, 1));
    ok(store.put_bot(a, &Bot::new(b, a, "Sales")).await, "bot");
    let upsert = LeadUpsert::new(
        id(a, 1),
        b,
        ContactDetails::new()
            .with_name("Ana")
            .with_email("ana@example.com")
            .with_phone("+14155550100"),
        t0(),
    )
    .visitor(visitor("v-1"))
    .conversation(c);
    ok(store.upsert_lead(a, &upsert).await, "upsert in A");
    ok(
        store
            .append_messages(
                a,
                &[TranscriptMessage::new(c, b, Role::Visitor, "hi", t0())],
            )
            .await,
        "line",
    );
    ok(
        store.save_state(a, c, &Conversation::new(), None).await,
        "state",
    );

    // Workspace B sees none of it.
    assert_eq!(ok(store.get_lead(other, id(a, 1)).await, "get"), None);
    for key in [
        LeadKey::Visitor(visitor("v-1")),
        LeadKey::Email(Pii::new("ana@example.com".to_owned())),
        LeadKey::Phone(Pii::new("+14155550100".to_owned())),
    ] {
        assert_eq!(ok(store.find_lead(other, &key).await, "find"), None);
    }
    assert!(
        ok(store.query_leads(other, &LeadQuery::new()).await, "query")
            .leads
            .is_empty()
    );
    assert!(
        ok(
            store
                .query_leads(other, &LeadQuery::new().search("ana"))
                .await,
            "search"
        )
        .leads
        .is_empty()
    );
    assert_eq!(
        ok(store.count_leads(other, &LeadQuery::new()).await, "count"),
        0
    );
    assert!(matches!(
        store
            .update_lead(other, id(a, 1), &LeadPatch::new().status(LeadStatus::Lost))
            .await,
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        store.erase_lead(other, id(a, 1)).await,
        Err(Error::NotFound { .. })
    ));
    assert!(ok(store.conversation_messages(other, c).await, "messages").is_empty());
    assert!(ok(store.lead_conversations(other, id(a, 1)).await, "links").is_empty());
    assert_eq!(ok(store.load_state(other, c).await, "state"), None);
    assert_eq!(ok(store.get_bot(other, b).await, "bot"), None);
    assert!(ok(store.list_bots(other).await, "bots").is_empty());
    let mut out = Vec::new();
    let rows = ok(
        crate::export_csv(
            store,
            other,
            &LeadQuery::new(),
            &mut out,
            crate::CsvOptions::new(),
        )
        .await,
        "export",
    );
    assert_eq!(rows, 0);
    // A bot of A cannot be registered under B.
    assert!(matches!(
        store.put_bot(other, &Bot::new(b, a, "x")).await,
        Err(Error::InvalidInput { .. })
    ));
    // The same details in B make a separate lead, and the same lead id is
    // allowed there; A is unchanged.
    let same = LeadUpsert { ..upsert.clone() };
    let in_b = ok(store.upsert_lead(other, &same).await, "upsert in B");
    assert!(in_b.created, "never de-duplicated across workspaces");
    let lead_a = ok(store.get_lead(a, id(a, 1)).await, "A").expect("A keeps its lead");
    assert_eq!(lead_a.workspace, a);
    assert_eq!(in_b.lead.workspace, other);
    ok(
        store
            .update_lead(other, id(a, 1), &LeadPatch::new().status(LeadStatus::Lost))
            .await,
        "B edit",
    );
    let lead_a = ok(store.get_lead(a, id(a, 1)).await, "A").expect("A keeps its lead");
    assert_eq!(
        lead_a.status,
        LeadStatus::New,
        "an edit in B does not touch A"
    );
    ok(store.erase_lead(other, id(a, 1)).await, "erase in B");
    assert!(
        ok(store.get_lead(a, id(a, 1)).await, "A").is_some(),
        "erasure in B does not touch A"
    );
    assert_eq!(
        ok(store.conversation_messages(a, c).await, "A lines").len(),
        1
    );
    // Bots are per workspace.
    let bots = ok(store.list_bots(a).await, "bots");
    assert_eq!(bots, vec![Bot::new(b, a, "Sales")]);
    ok(
        store.put_bot(a, &Bot::new(b, a, "Sales EU")).await,
        "rename",
    );
    assert_eq!(
        ok(store.get_bot(a, b).await, "bot").map(|b| b.name),
        Some("Sales EU".to_owned())
    );
}

pub(crate) async fn concurrent_upserts(store: &Arc<dyn Store>) {
    let ws = fresh_workspace();
    let mut tasks = Vec::new();
    for n in 0..16u128 {
        let store = Arc::clone(store);
        tasks.push(tokio::spawn(async move {
            let upsert = LeadUpsert::new(
                id(ws, 100 + n),
                bot(ws, n % 3),
                ContactDetails::new()
                    .with_email("same@example.com")
                    .with_name(format!("Task {n}")),
                t0() + Duration::seconds(i64::try_from(n).expect("small")),
            )
            .visitor(visitor("the-visitor"));
            store.upsert_lead(ws, &upsert).await
        }));
    }
    let mut ids = Vec::new();
    let mut created = 0;
    for task in tasks {
        let outcome = ok(task.await.expect("task did not panic"), "concurrent upsert");
        created += usize::from(outcome.created);
        ids.push(outcome.lead.id);
    }
    ids.dedup();
    assert_eq!(
        ids.len(),
        1,
        "16 concurrent upserts of one visitor made one lead"
    );
    assert_eq!(created, 1);
    assert_eq!(
        ok(store.count_leads(ws, &LeadQuery::new()).await, "count"),
        1
    );
    let lead = ok(store.get_lead(ws, ids[0]).await, "get").expect("exists");
    assert_eq!(
        lead.values_of("name").count(),
        16,
        "every task's name was recorded"
    );
}

pub(crate) async fn redacts(store: &dyn Store) {
    let ws = fresh_workspace();
    let upsert = LeadUpsert::new(
        id(ws, 1),
        bot(ws, 1),
        ContactDetails::new()
            .with_name("Secret Name")
            .with_email("secret@example.com")
            .with_phone("+14155550123")
            .with_custom(COMPANY_FIELD, "Secret Co"),
        t0(),
    );
    let lead = ok(store.upsert_lead(ws, &upsert).await, "upsert").lead;
    let lead = ok(
        store
            .update_lead(ws, lead.id, &LeadPatch::new().notes("secret note"))
            .await,
        "notes",
    );
    let line = TranscriptMessage::new(conv(ws, 1), bot(ws, 1), Role::Visitor, "secret text", t0());
    let page = ok(
        store
            .query_leads(ws, &LeadQuery::new().search("secret"))
            .await,
        "query",
    );
    for debug in [
        format!("{lead:?}"),
        format!("{upsert:?}"),
        format!("{line:?}"),
        format!("{page:?}"),
    ] {
        for secret in ["Secret", "secret", "4155550123"] {
            assert!(!debug.contains(secret), "Debug leaks {secret:?}: {debug}");
        }
    }
}
