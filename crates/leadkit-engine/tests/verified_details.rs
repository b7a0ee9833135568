//! Signed-in visitors: details the integrator passes with the visit make
//! or link the lead without asking, the conversation belongs to that lead,
//! and invalid details are a typed error.
#![allow(clippy::unwrap_used)] // test code: a panic is a failed test

mod common;

use chrono::DateTime;
use common::{SECRET, WORKSPACE, setup, visit};
use leadkit_core::{ActionKind, BotId, ContactDetails, Field, LeadId, Policy, VisitorId};
use leadkit_engine::Error;
use leadkit_engine::engine::{LeadEvent, VerifiedDetails, VisitorVerifier};
use leadkit_store::{LeadQuery, LeadStore, LeadUpsert, PhoneRegion, TranscriptStore};

fn ana() -> VerifiedDetails {
    VerifiedDetails::builder()
        .name("Ana Souza")
        .email("ana.souza@example.com")
        .phone("020 7946 0958")
        .phone_region(PhoneRegion::new("GB").unwrap())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_signed_in_visitor_is_never_asked_and_owns_the_conversation() {
    // The strictest modes: a gate before any answer, and a request on
    // every reply. Neither applies to a signed-in visitor.
    for policy in [Policy::before_chat(), Policy::every_reply()] {
        let s = setup(policy);
        let v = visit(20).with_verified_details(ana());
        let first = s.turn(&v, "What does the premium plan cost?").await;
        assert_eq!(first.kind(), ActionKind::Answer);
        assert_eq!(first.prompt, None);
        let lead = first.lead.clone().expect("a lead made from the details");
        assert_eq!(lead.details.get(Field::Name), Some("Ana Souza"));
        assert_eq!(
            lead.details.get(Field::Email),
            Some("ana.souza@example.com")
        );
        assert_eq!(lead.details.get(Field::Phone), Some("+442079460958"));
        assert!(matches!(
            first.events.as_slice(),
            [LeadEvent::Created { .. }]
        ));
        let owned = s
            .store
            .lead_conversations(WORKSPACE, lead.id)
            .await
            .unwrap();
        assert_eq!(
            owned,
            [v.conversation],
            "the conversation belongs to the lead"
        );

        for text in [
            "And do you ship abroad?",
            "I want to buy it today",
            "no thanks",
        ] {
            let reply = s.turn(&v, text).await;
            assert_eq!(reply.kind(), ActionKind::Answer, "{text}");
            assert_eq!(reply.lead, None, "nothing new to store: {text}");
        }
        let leads = s
            .store
            .query_leads(WORKSPACE, &LeadQuery::new())
            .await
            .unwrap();
        assert_eq!(leads.leads.len(), 1);
        assert_eq!(
            s.store
                .conversation_messages(WORKSPACE, v.conversation)
                .await
                .unwrap()
                .len(),
            8
        );
    }
}

#[tokio::test]
async fn an_existing_lead_is_linked_not_duplicated() {
    let s = setup(Policy::after_first_query());
    let earlier = LeadUpsert::new(
        LeadId::from_u128(0xe1),
        BotId::from_u128(9),
        ContactDetails::new().with_email("ANA.SOUZA@example.com"),
        DateTime::UNIX_EPOCH,
    );
    let existing = s.store.upsert_lead(WORKSPACE, &earlier).await.unwrap().lead;

    // Signed in with a verified visitor id as well.
    let verifier = VisitorVerifier::new(SECRET.to_vec()).unwrap();
    let id = VisitorId::new("user-42").unwrap();
    let visitor = verifier.verify(id.clone(), &verifier.sign(&id)).unwrap();
    let v = visit(21).with_visitor(visitor).with_verified_details(ana());
    let first = s.turn(&v, "Hi, what are your opening hours?").await;
    assert_eq!(first.kind(), ActionKind::Answer, "not asked");
    let lead = first.lead.unwrap();
    assert_eq!(lead.id, existing.id, "linked to the lead with that email");
    assert!(matches!(
        first.events.as_slice(),
        [LeadEvent::Updated { .. }]
    ));
    assert_eq!(lead.visitor.as_ref(), Some(&id));
    assert_eq!(
        lead.details.get(Field::Name),
        Some("Ana Souza"),
        "filled in"
    );
    assert_eq!(
        s.store
            .lead_conversations(WORKSPACE, lead.id)
            .await
            .unwrap(),
        [v.conversation]
    );

    // A later conversation of the same signed-in visitor joins the lead too.
    let v2 = visit(22).with_verified_details(ana());
    let again = s.turn(&v2, "What does shipping cost?").await;
    assert_eq!(again.kind(), ActionKind::Answer);
    assert_eq!(again.lead.unwrap().id, existing.id);
    assert_eq!(
        s.store
            .lead_conversations(WORKSPACE, existing.id)
            .await
            .unwrap(),
        [v.conversation, v2.conversation]
    );
    let all = s
        .store
        .query_leads(WORKSPACE, &LeadQuery::new())
        .await
        .unwrap();
    assert_eq!(all.leads.len(), 1);
}

#[tokio::test]
async fn invalid_details_are_a_typed_error() {
    let cases = [
        (
            VerifiedDetails::builder().email("ana@"),
            "email without a domain",
        ),
        (
            VerifiedDetails::builder()
                .email("ana@example.com")
                .name("   "),
            "blank name",
        ),
        (
            VerifiedDetails::builder().phone("020 7946 0958"),
            "national phone without a region",
        ),
        (
            VerifiedDetails::builder()
                .phone("12")
                .phone_region(PhoneRegion::new("GB").unwrap()),
            "too short",
        ),
    ];
    for (builder, what) in cases {
        match builder.build() {
            Err(Error::InvalidVerifiedDetails(reason)) => {
                // The reason names the problem, never the value.
                let text = reason.to_string();
                assert!(
                    !text.contains("ana") && !text.contains("7946"),
                    "{what}: {text}"
                );
            }
            other => panic!("{what}: {other:?}"),
        }
    }
    assert!(matches!(
        VerifiedDetails::builder().name("Ana").build(),
        Err(Error::VerifiedDetailsIncomplete)
    ));
    let redacted = format!("{:?}", ana());
    assert!(
        !redacted.contains("Souza") && !redacted.contains("7946"),
        "{redacted}"
    );
}
