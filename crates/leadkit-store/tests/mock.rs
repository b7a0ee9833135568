//! The mockall mocks stand in for a real store behind `dyn`.

use leadkit_core::{LeadId, WorkspaceId};
use leadkit_store::{Error, LeadStore, MockLeadStore};

#[tokio::test]
async fn a_mock_lead_store_is_usable_as_dyn() {
    let mut mock = MockLeadStore::new();
    mock.expect_get_lead()
        .withf(|ws, id| *ws == WorkspaceId::from_u128(1) && *id == LeadId::from_u128(2))
        .times(1)
        .returning(|_, _| Ok(None));
    mock.expect_erase_lead()
        .returning(|_, _| Err(Error::NotFound { kind: "lead" }));
    let store: &dyn LeadStore = &mock;
    let found = store
        .get_lead(WorkspaceId::from_u128(1), LeadId::from_u128(2))
        .await;
    assert!(matches!(found, Ok(None)));
    let erased = store
        .erase_lead(WorkspaceId::from_u128(1), LeadId::from_u128(2))
        .await;
    assert!(matches!(erased, Err(Error::NotFound { .. })));
}

#[tokio::test]
async fn a_mock_store_stands_in_for_a_whole_store() {
    use leadkit_core::{Conversation, ConversationId};
    use leadkit_store::{MockStore, Store, TurnReceipt, TurnWrite};

    let mut mock = MockStore::new();
    mock.expect_persist_turn().times(1).returning(|_, turn| {
        Ok(TurnReceipt::new(
            turn.expected_version.unwrap_or(0) + 1,
            None,
        ))
    });
    mock.expect_list_bots().returning(|_| Ok(Vec::new()));
    let store: &dyn Store = &mock;
    let turn = TurnWrite::new(ConversationId::from_u128(3), Conversation::new(), Some(4));
    let receipt = store
        .persist_turn(WorkspaceId::from_u128(1), &turn)
        .await
        .expect("the mock answers");
    assert_eq!(receipt.version, 5);
    assert!(
        store
            .list_bots(WorkspaceId::from_u128(1))
            .await
            .expect("bots")
            .is_empty()
    );
}
