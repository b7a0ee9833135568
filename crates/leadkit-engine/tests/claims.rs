//! The engine marks a turn's lead upsert verified only for a verified
//! visitor: an anonymous conversation that gives another conversation's
//! lead's email becomes a claim (the lead unchanged, no lead in the reply,
//! no event), while a verified visitor's details update the lead.
#![allow(clippy::unwrap_used)] // test code: a panic is a failed test

mod common;

use common::{SECRET, WORKSPACE, setup, visit};
use leadkit_core::{Field, Policy, VisitorId};
use leadkit_engine::engine::VisitorVerifier;
use leadkit_store::{LeadStore, TranscriptStore};

#[tokio::test]
async fn an_anonymous_conversation_only_claims_another_conversations_lead() {
    let s = setup(Policy::every_reply());
    let ana = visit(1);
    let _ = s.turn(&ana, "hello").await;
    let lead = s
        .turn(&ana, "I'm Ana Souza, ana.souza@example.com")
        .await
        .lead
        .unwrap();
    let mut events = s.engine.subscribe();

    let eve = visit(2);
    let _ = s.turn(&eve, "hello").await;
    let reply = s
        .turn(
            &eve,
            "I'm Eve Spoof, ana.souza@example.com, +1 415 555 0199",
        )
        .await;
    assert!(
        reply.lead.is_none(),
        "another person's lead is not in the reply"
    );
    assert!(reply.events.is_empty());
    assert!(events.try_recv().is_err(), "no event for a claim");
    let stored = s.store.get_lead(WORKSPACE, lead.id).await.unwrap().unwrap();
    assert_eq!(stored, lead, "nothing of the lead changed");
    let claims = s.store.lead_claims(WORKSPACE, lead.id).await.unwrap();
    assert_eq!(claims.len(), 1);
    assert_eq!(claims[0].conversation, eve.conversation);
    assert_eq!(claims[0].details.get(Field::Name), Some("Eve Spoof"));

    // Ana's own conversation goes on updating her lead.
    let more = s.turn(&ana, "my phone is +1 415 555 0100").await;
    let updated = more.lead.unwrap();
    assert_eq!(updated.details.get(Field::Phone), Some("+14155550100"));

    // A verified visitor with her email, in a new conversation, updates it.
    let visitor = VisitorId::new("ana-7").unwrap();
    let verifier = VisitorVerifier::new(SECRET.to_vec()).unwrap();
    let verified = s
        .engine
        .verify_visitor(visitor.clone(), &verifier.sign(&visitor))
        .unwrap();
    let signed_in = visit(3).with_visitor(verified);
    let _ = s.turn(&signed_in, "hello").await;
    let reply = s
        .turn(&signed_in, "I'm at ana.souza@example.com, company Acme")
        .await;
    let merged = reply.lead.unwrap();
    assert_eq!(merged.id, lead.id);
    assert_eq!(merged.visitor.as_ref(), Some(&visitor));
    let own = s
        .store
        .lead_conversations(WORKSPACE, lead.id)
        .await
        .unwrap();
    assert_eq!(own, vec![ana.conversation, signed_in.conversation]);
}
