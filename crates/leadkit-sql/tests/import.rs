//! `import_leads`: bulk import in one transaction.
#![allow(clippy::unwrap_used)] // test code
#![cfg(feature = "sqlite")]

use chrono::{DateTime, Utc};
use leadkit_core::{BotId, ContactDetails, LeadId, Pii, WorkspaceId};
use leadkit_sql::SqliteStore;
use leadkit_store::{
    ContactValue, Direction, Error, Lead, LeadKey, LeadQuery, LeadStore, LeadUpsert, SortColumn,
};

fn lead(ws: WorkspaceId, n: u128) -> Lead {
    let at = DateTime::<Utc>::UNIX_EPOCH + chrono::Duration::seconds(i64::try_from(n).unwrap());
    let mut lead = Lead::new(LeadId::from_u128(n), ws, BotId::from_u128(1), at);
    let email = format!("person{n}@example.com");
    lead.details = ContactDetails::new()
        .with_name(format!("Person Nº{n}"))
        .with_email(email.clone());
    lead.history.push(ContactValue::new("email", email, at));
    lead
}

#[tokio::test]
async fn imported_leads_are_found_searched_and_deduplicated() {
    let store = SqliteStore::open_in_memory().await.unwrap();
    let ws = WorkspaceId::from_u128(9);
    let leads: Vec<Lead> = (1..=1200).map(|n| lead(ws, n)).collect();
    assert_eq!(store.import_leads(ws, &leads).await.unwrap(), 1200);

    let all = LeadQuery::new();
    assert_eq!(store.count_leads(ws, &all).await.unwrap(), 1200);
    let page = store
        .query_leads(
            ws,
            &LeadQuery::new()
                .sort(SortColumn::CreatedAt, Direction::Asc)
                .limit(3),
        )
        .await
        .unwrap();
    let ids: Vec<LeadId> = page.leads.iter().map(|l| l.id).collect();
    assert_eq!(ids, [1, 2, 3].map(LeadId::from_u128));
    assert_eq!(page.leads[0], leads[0], "a lead reads back as imported");
    let found = store
        .find_lead(
            ws,
            &LeadKey::Email(Pii::new("PERSON77@example.com".to_owned())),
        )
        .await
        .unwrap();
    assert_eq!(found.map(|l| l.id), Some(LeadId::from_u128(77)));
    let hits = store
        .count_leads(ws, &LeadQuery::new().search("person nº11"))
        .await
        .unwrap();
    // 11, 110–119, 1100–1199
    assert_eq!(hits, 1 + 10 + 100);

    // An upsert with an imported email merges into the imported lead.
    let upsert = LeadUpsert::new(
        LeadId::from_u128(5000),
        BotId::from_u128(2),
        ContactDetails::new().with_email("person5@example.com"),
        DateTime::<Utc>::UNIX_EPOCH,
    );
    let outcome = store.upsert_lead(ws, &upsert).await.unwrap();
    assert!(!outcome.created);
    assert_eq!(outcome.lead.id, LeadId::from_u128(5));

    // Importing a lead whose key is taken fails as a whole.
    let clash = vec![lead(ws, 2000), lead(ws, 3)];
    let mut clash = clash;
    clash[1].id = LeadId::from_u128(3000);
    let result = store.import_leads(ws, &clash).await;
    assert!(matches!(result, Err(Error::Backend(_))), "{result:?}");
    assert_eq!(
        store.get_lead(ws, LeadId::from_u128(2000)).await.unwrap(),
        None
    );

    // Leads of another workspace are refused.
    let result = store
        .import_leads(WorkspaceId::from_u128(10), &leads[..1])
        .await;
    assert!(matches!(result, Err(Error::InvalidInput { .. })));
}
