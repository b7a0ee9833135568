//! Claims and the merge rules (issues 15 and 16): an unverified
//! conversation cannot take over a lead it does not own, a person merges
//! or rejects its claim, and no lead ever takes another lead's key.

use chrono::Duration;
use leadkit_core::{Consent, ContactDetails, Conversation, Field, Pii, VisitorId, WorkspaceId};

use super::leads::{bot, conv, id};
use super::{fresh_workspace, ok, t0};
use crate::{
    ClaimDecision, Error, Lead, LeadKey, LeadQuery, LeadUpsert, Role, Store, TranscriptMessage,
    TurnWrite,
};

const EMAIL: &str = "ana@example.com";
const PHONE: &str = "+14155550100";
const SPOOF_PHONE: &str = "+14155550199";

fn phone_key(phone: &str) -> LeadKey {
    LeadKey::Phone(Pii::new(phone.to_owned()))
}

/// Ana's lead, captured in conversation 1 (unverified, as an anonymous
/// chat is) with her name, email, phone and consent.
async fn anas_lead(store: &dyn Store, ws: WorkspaceId) -> Lead {
    let upsert = LeadUpsert::new(
        id(ws, 1),
        bot(ws, 1),
        ContactDetails::new()
            .with_name("Ana Souza")
            .with_email(EMAIL)
            .with_phone(PHONE),
        t0(),
    )
    .conversation(conv(ws, 1))
    .consent(Consent::new(true, "notice", "v1", t0()));
    let outcome = ok(store.upsert_lead(ws, &upsert).await, "Ana's lead");
    assert!(outcome.created && !outcome.claimed);
    outcome.lead
}

/// The probe of issue 16: an anonymous chat gives Ana's email with the
/// name "Eve Spoof", another phone and a refusal.
fn spoof(ws: WorkspaceId, n: u128, minutes: i64) -> LeadUpsert {
    LeadUpsert::new(
        id(ws, 100 + n),
        bot(ws, 2),
        ContactDetails::new()
            .with_name("Eve Spoof")
            .with_email("ANA@example.com")
            .with_phone(SPOOF_PHONE),
        t0() + Duration::minutes(minutes),
    )
    .conversation(conv(ws, n))
    .consent(Consent::new(
        false,
        "notice",
        "v2",
        t0() + Duration::minutes(minutes),
    ))
}

/// An unverified conversation that is not the lead's own changes nothing
/// of the lead, through `upsert_lead` and through `persist_turn`; it is a
/// claim instead. The lead's own conversation, a verified visitor and
/// the integrator's own upsert (no conversation) still update it.
pub(crate) async fn claims_cannot_take_over(store: &dyn Store) {
    let ws = fresh_workspace();
    let before = anas_lead(store, ws).await;

    let outcome = ok(store.upsert_lead(ws, &spoof(ws, 2, 5)).await, "claim");
    assert!(outcome.claimed && !outcome.created, "a claim, not a merge");
    assert_eq!(outcome.lead, before, "the outcome's lead is unchanged");
    // The same through a whole turn (the SQL backends' turn paths).
    let turn = TurnWrite::new(conv(ws, 3), Conversation::new(), None)
        .message(TranscriptMessage::new(
            conv(ws, 3),
            bot(ws, 2),
            Role::Visitor,
            "I'm ana@example.com",
            t0(),
        ))
        .lead(spoof(ws, 3, 6));
    let receipt = ok(store.persist_turn(ws, &turn).await, "claiming turn");
    let outcome = receipt.lead.expect("the turn's upsert outcome");
    assert!(outcome.claimed && !outcome.created);

    let after = ok(store.get_lead(ws, before.id).await, "get").expect("the lead");
    assert_eq!(
        after, before,
        "no field, history, consent, bot or time changed"
    );
    assert_eq!(
        ok(store.find_lead(ws, &phone_key(SPOOF_PHONE)).await, "find"),
        None,
        "the claimed phone finds no lead"
    );
    assert_eq!(
        ok(store.count_leads(ws, &LeadQuery::new()).await, "count"),
        1
    );
    assert!(
        ok(
            store
                .query_leads(ws, &LeadQuery::new().search("spoof"))
                .await,
            "search"
        )
        .leads
        .is_empty(),
        "the claimed name is not searchable on the lead"
    );
    assert_eq!(
        ok(store.lead_conversations(ws, before.id).await, "links"),
        vec![conv(ws, 1)],
        "a claiming conversation is not one of the lead's own"
    );
    let claims = ok(store.lead_claims(ws, before.id).await, "claims");
    assert_eq!(
        claims.iter().map(|c| c.conversation).collect::<Vec<_>>(),
        vec![conv(ws, 2), conv(ws, 3)]
    );
    assert_eq!(claims[0].details.get(Field::Name), Some("Eve Spoof"));
    assert_eq!(claims[0].details.get(Field::Phone), Some(SPOOF_PHONE));
    assert_eq!(claims[0].bot, bot(ws, 2));
    assert_eq!(claims[0].consent.as_ref().map(|c| c.given), Some(false));
    let debug = format!("{claims:?}");
    for secret in ["Eve", "Spoof", "ana@", "ANA@", "0199"] {
        assert!(
            !debug.contains(secret),
            "{secret} in a claim's Debug output"
        );
    }

    // The claiming conversation goes on without a consent answer: still
    // one claim, its details updated, its consent kept.
    let mut again = spoof(ws, 2, 9);
    again.consent = None;
    again.details = again.details.with_custom("company", "Evil Corp");
    let outcome = ok(store.upsert_lead(ws, &again).await, "claim again");
    assert!(outcome.claimed);
    let claims = ok(store.lead_claims(ws, before.id).await, "claims");
    assert_eq!(claims.len(), 2, "one claim per conversation");
    let claim = &claims[0];
    assert_eq!(claim.conversation, conv(ws, 2));
    assert_eq!(
        claim
            .details
            .custom
            .get("company")
            .map(|v| v.expose().as_str()),
        Some("Evil Corp")
    );
    assert_eq!(claim.consent.as_ref().map(|c| c.given), Some(false));
    assert_eq!(
        (claim.first_at, claim.at),
        (t0() + Duration::minutes(5), t0() + Duration::minutes(9))
    );

    // The lead's own conversation updates it as before (an empty field
    // takes the value; a set one keeps it, the new value in the history).
    let own = LeadUpsert::new(
        id(ws, 50),
        bot(ws, 1),
        ContactDetails::new()
            .with_name("Ana S.")
            .with_email(EMAIL)
            .with_custom("company", "Acme"),
        t0() + Duration::minutes(10),
    )
    .conversation(conv(ws, 1));
    let outcome = ok(store.upsert_lead(ws, &own).await, "own conversation");
    assert!(!outcome.claimed && !outcome.created);
    assert_eq!(outcome.lead.company(), Some("Acme"));
    assert_eq!(outcome.lead.details.get(Field::Name), Some("Ana Souza"));
    assert!(outcome.lead.values_of("name").any(|n| n == "Ana S."));
    // A verified visitor in another conversation updates it as before.
    let verified = LeadUpsert::new(
        id(ws, 51),
        bot(ws, 3),
        ContactDetails::new()
            .with_email(EMAIL)
            .with_custom("role", "CTO"),
        t0() + Duration::minutes(11),
    )
    .conversation(conv(ws, 4))
    .consent(Consent::new(
        false,
        "notice",
        "v3",
        t0() + Duration::minutes(11),
    ))
    .verified(true);
    let outcome = ok(store.upsert_lead(ws, &verified).await, "verified");
    assert!(!outcome.claimed);
    assert_eq!(
        outcome
            .lead
            .details
            .custom
            .get("role")
            .map(|v| v.expose().as_str()),
        Some("CTO")
    );
    assert!(outcome.lead.bots.contains(&bot(ws, 3)));
    assert_eq!(
        outcome.lead.consent.as_ref().map(|c| c.version.as_str()),
        Some("v3"),
        "a verified visitor's later answer replaces the consent"
    );
    assert_eq!(
        ok(store.lead_conversations(ws, before.id).await, "links"),
        vec![conv(ws, 1), conv(ws, 4)]
    );
    // The integrator's own upsert (no conversation) merges too.
    let direct = LeadUpsert::new(
        id(ws, 52),
        bot(ws, 1),
        ContactDetails::new()
            .with_email(EMAIL)
            .with_custom("source", "crm"),
        t0() + Duration::minutes(12),
    );
    let outcome = ok(store.upsert_lead(ws, &direct).await, "direct");
    assert!(!outcome.claimed);
    assert!(outcome.lead.details.custom.contains_key("source"));
    assert_eq!(
        ok(store.lead_claims(ws, before.id).await, "claims").len(),
        2
    );
}

/// A person merges a claim (its details replace the lead's, its
/// conversation becomes the lead's own) or rejects it (nothing changes).
pub(crate) async fn claims_are_merged_or_rejected(store: &dyn Store) {
    let ws = fresh_workspace();
    let lead = anas_lead(store, ws).await;
    ok(store.upsert_lead(ws, &spoof(ws, 2, 5)).await, "claim 2");
    ok(store.upsert_lead(ws, &spoof(ws, 3, 6)).await, "claim 3");

    // Another workspace, another lead, an unknown conversation: no claim.
    for (w, l, c) in [
        (fresh_workspace(), lead.id, conv(ws, 2)),
        (ws, id(ws, 77), conv(ws, 2)),
        (ws, lead.id, conv(ws, 1)),
        (ws, lead.id, conv(ws, 9)),
    ] {
        for decision in [ClaimDecision::Merge, ClaimDecision::Reject] {
            let result = store.resolve_claim(w, l, c, decision).await;
            assert!(
                matches!(result, Err(Error::NotFound { kind: "claim" })),
                "no such claim: {result:?}"
            );
        }
    }

    let rejected = ok(
        store
            .resolve_claim(ws, lead.id, conv(ws, 3), ClaimDecision::Reject)
            .await,
        "reject",
    );
    assert_eq!(rejected, lead, "a rejection changes nothing of the lead");
    assert_eq!(
        ok(store.get_lead(ws, lead.id).await, "get"),
        Some(lead.clone())
    );
    let claims = ok(store.lead_claims(ws, lead.id).await, "claims");
    assert_eq!(
        claims.iter().map(|c| c.conversation).collect::<Vec<_>>(),
        vec![conv(ws, 2)]
    );
    assert!(matches!(
        store
            .resolve_claim(ws, lead.id, conv(ws, 3), ClaimDecision::Reject)
            .await,
        Err(Error::NotFound { .. })
    ));

    let merged = ok(
        store
            .resolve_claim(ws, lead.id, conv(ws, 2), ClaimDecision::Merge)
            .await,
        "merge",
    );
    assert_eq!(merged.details.get(Field::Name), Some("Eve Spoof"));
    assert_eq!(merged.details.get(Field::Phone), Some(SPOOF_PHONE));
    assert!(
        merged.values_of("phone").any(|p| p == PHONE),
        "the old phone stays in the history"
    );
    assert_eq!(
        merged
            .consent
            .as_ref()
            .map(|c| (c.given, c.version.as_str())),
        Some((false, "v2")),
        "the claim's later consent answer"
    );
    assert!(merged.bots.contains(&bot(ws, 2)));
    assert_eq!(merged.last_seen_at, t0() + Duration::minutes(5));
    assert_eq!(
        ok(store.get_lead(ws, lead.id).await, "get"),
        Some(merged.clone())
    );
    assert!(ok(store.lead_claims(ws, lead.id).await, "claims").is_empty());
    assert_eq!(
        ok(store.lead_conversations(ws, lead.id).await, "links"),
        vec![conv(ws, 1), conv(ws, 2)]
    );
    for phone in [PHONE, SPOOF_PHONE] {
        assert_eq!(
            ok(store.find_lead(ws, &phone_key(phone)).await, "find").map(|l| l.id),
            Some(lead.id)
        );
    }
    let found = ok(
        store
            .query_leads(ws, &LeadQuery::new().search("spoof"))
            .await,
        "search",
    );
    assert_eq!(found.leads.len(), 1, "the merged name is searchable");
    // The merged conversation is now the lead's own: it updates the lead.
    let next = LeadUpsert::new(
        id(ws, 60),
        bot(ws, 2),
        ContactDetails::new()
            .with_email(EMAIL)
            .with_custom("company", "Acme"),
        t0() + Duration::minutes(20),
    )
    .conversation(conv(ws, 2));
    let outcome = ok(store.upsert_lead(ws, &next).await, "after merge");
    assert!(!outcome.claimed);
    assert_eq!(outcome.lead.company(), Some("Acme"));
}

/// Erasing a lead erases its claiming conversations too (their
/// transcripts hold the lead's email) and its claims.
pub(crate) async fn claims_are_erased(store: &dyn Store) {
    let ws = fresh_workspace();
    let lead = anas_lead(store, ws).await;
    let claim = conv(ws, 2);
    ok(store.upsert_lead(ws, &spoof(ws, 2, 5)).await, "claim");
    let line = TranscriptMessage::new(claim, bot(ws, 2), Role::Visitor, EMAIL, t0());
    ok(store.append_messages(ws, &[line]).await, "line");
    ok(store.erase_lead(ws, lead.id).await, "erase");
    assert!(ok(store.conversation_messages(ws, claim).await, "lines").is_empty());
    assert!(ok(store.lead_claims(ws, lead.id).await, "claims").is_empty());
    assert!(matches!(
        store
            .resolve_claim(ws, lead.id, claim, ClaimDecision::Merge)
            .await,
        Err(Error::NotFound { .. })
    ));
    // The email is free again: the claiming conversation now creates a lead.
    let outcome = ok(store.upsert_lead(ws, &spoof(ws, 2, 30)).await, "anew");
    assert!(outcome.created && !outcome.claimed);
}

/// The A/B case: the email matches lead A and the phone lead B. The
/// upsert merges into A (the more trusted key) without B's phone; B keeps
/// it, and a search or lookup by that phone finds B only. The same for a
/// merged claim, the lead's own conversation and a visitor id.
pub(crate) async fn keys_stay_with_their_lead(store: &dyn Store) {
    let ws = fresh_workspace();
    let b1 = bot(ws, 1);
    let a = ok(
        store
            .upsert_lead(
                ws,
                &LeadUpsert::new(
                    id(ws, 1),
                    b1,
                    ContactDetails::new()
                        .with_name("Ana")
                        .with_email("a@example.com"),
                    t0(),
                )
                .conversation(conv(ws, 1)),
            )
            .await,
        "A",
    )
    .lead;
    let b = ok(
        store
            .upsert_lead(
                ws,
                &LeadUpsert::new(
                    id(ws, 2),
                    b1,
                    ContactDetails::new()
                        .with_name("Bea")
                        .with_email("b@example.com")
                        .with_phone(PHONE),
                    t0(),
                )
                .visitor(VisitorId::new("visitor-b").expect("valid"))
                .verified(true),
            )
            .await,
        "B",
    )
    .lead;
    let no_phone_on_a = |lead: &Lead, what: &str| {
        assert_eq!(lead.id, a.id, "{what}: merged into A");
        assert_eq!(
            lead.details.get(Field::Phone),
            None,
            "{what}: A has no phone"
        );
        assert_eq!(
            lead.values_of("phone").count(),
            0,
            "{what}: nor in its history"
        );
    };
    let check_b = async |what: &str| {
        assert_eq!(
            ok(store.get_lead(ws, b.id).await, "B").as_ref(),
            Some(&b),
            "{what}: B unchanged"
        );
        assert_eq!(
            ok(store.find_lead(ws, &phone_key(PHONE)).await, "find").map(|l| l.id),
            Some(b.id),
            "{what}: the phone finds B"
        );
        let found = ok(
            store
                .query_leads(ws, &LeadQuery::new().search("4155550100"))
                .await,
            "search",
        );
        assert_eq!(
            found.leads.iter().map(|l| l.id).collect::<Vec<_>>(),
            vec![b.id],
            "{what}: a search by the phone finds B only"
        );
    };

    // A verified upsert (and the integrator's own, with no conversation).
    let both = ContactDetails::new()
        .with_email("A@example.com")
        .with_phone(PHONE)
        .with_custom("company", "Acme");
    let outcome = ok(
        store
            .upsert_lead(
                ws,
                &LeadUpsert::new(id(ws, 3), b1, both.clone(), t0() + Duration::minutes(1))
                    .verified(true),
            )
            .await,
        "A/B",
    );
    assert!(!outcome.created && !outcome.claimed);
    no_phone_on_a(&outcome.lead, "verified");
    assert_eq!(outcome.lead.company(), Some("Acme"), "A takes the rest");
    check_b("verified").await;

    // A's own conversation, through a turn.
    let turn = TurnWrite::new(conv(ws, 1), Conversation::new(), None).lead(
        LeadUpsert::new(id(ws, 4), b1, both.clone(), t0() + Duration::minutes(2))
            .conversation(conv(ws, 1)),
    );
    let receipt = ok(store.persist_turn(ws, &turn).await, "own turn");
    let outcome = receipt.lead.expect("an outcome");
    assert!(!outcome.claimed);
    no_phone_on_a(&outcome.lead, "own conversation");
    check_b("own conversation").await;

    // A claim on A that carries B's phone, merged by a person.
    let claim =
        LeadUpsert::new(id(ws, 5), b1, both, t0() + Duration::minutes(3)).conversation(conv(ws, 5));
    assert!(ok(store.upsert_lead(ws, &claim).await, "claim").claimed);
    let merged = ok(
        store
            .resolve_claim(ws, a.id, conv(ws, 5), ClaimDecision::Merge)
            .await,
        "merge",
    );
    no_phone_on_a(&merged, "merged claim");
    check_b("merged claim").await;

    // The visitor id is the most trusted key: B's visitor id with A's
    // email merges into B, which does not take A's email.
    let outcome = ok(
        store
            .upsert_lead(
                ws,
                &LeadUpsert::new(
                    id(ws, 6),
                    b1,
                    ContactDetails::new().with_email("a@example.com"),
                    t0() + Duration::minutes(4),
                )
                .visitor(VisitorId::new("visitor-b").expect("valid"))
                .verified(true),
            )
            .await,
        "visitor first",
    );
    assert_eq!(outcome.lead.id, b.id);
    assert_eq!(
        outcome.lead.details.get(Field::Email),
        Some("b@example.com")
    );
    assert!(
        !outcome
            .lead
            .values_of("email")
            .any(|e| e == "a@example.com")
    );
    let by_email = LeadKey::Email(Pii::new("a@example.com".to_owned()));
    assert_eq!(
        ok(store.find_lead(ws, &by_email).await, "find").map(|l| l.id),
        Some(a.id)
    );
    assert_eq!(
        ok(store.count_leads(ws, &LeadQuery::new()).await, "count"),
        2,
        "no lead created or merged away"
    );
}

/// A claiming conversation is not shown as the lead's (its summary has no
/// lead) until a person merges the claim; a rejected claim leaves it with
/// no lead again.
pub(crate) async fn claims_leave_summaries_unlinked(store: &dyn Store) {
    let ws = fresh_workspace();
    let lead = anas_lead(store, ws).await;
    let claiming_turn = |n: u128| {
        TurnWrite::new(conv(ws, n), Conversation::new(), None)
            .message(TranscriptMessage::new(
                conv(ws, n),
                bot(ws, 2),
                Role::Visitor,
                "I'm ana@example.com",
                t0(),
            ))
            .lead(spoof(ws, n, 5))
    };
    let summary_lead = |n: u128| async move {
        ok(store.conversation_summary(ws, conv(ws, n)).await, "summary")
            .expect("a conversation with a line has a summary")
            .lead
    };
    for n in [3, 4] {
        let receipt = ok(
            store.persist_turn(ws, &claiming_turn(n)).await,
            "claiming turn",
        );
        assert!(receipt.lead.is_some_and(|o| o.claimed));
        assert_eq!(
            summary_lead(n).await,
            None,
            "a claim is not the lead's conversation"
        );
    }
    ok(
        store
            .resolve_claim(ws, lead.id, conv(ws, 3), ClaimDecision::Merge)
            .await,
        "merge",
    );
    assert_eq!(
        summary_lead(3).await,
        Some(lead.id),
        "a merged claim is the lead's"
    );
    ok(
        store
            .resolve_claim(ws, lead.id, conv(ws, 4), ClaimDecision::Reject)
            .await,
        "reject",
    );
    assert_eq!(summary_lead(4).await, None, "a rejected claim has no lead");
}
