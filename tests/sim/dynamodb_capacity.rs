//! `ReturnConsumedCapacity` through aws-sdk-dynamodb: `ConsumedCapacity` comes back when
//! asked, in the documented units, and not otherwise.
//! See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html>.

use aws_sdk_dynamodb::types::{AttributeValue, ReturnConsumedCapacity};

use crate::dynamodb_numbers::{WORLD, admin_client, key};
use crate::support::start;

#[tokio::test]
async fn consumed_capacity_is_returned_when_asked_in_documented_units() {
    let staging = start(WORLD).await;
    let client = admin_client(&staging).await;
    let mut item = key("1");
    // 2,000 bytes of payload: two write units, one read unit.
    item.insert("blob".to_string(), AttributeValue::S("x".repeat(2000)));
    let put = client
        .put_item()
        .table_name("scores")
        .set_item(Some(item))
        .return_consumed_capacity(ReturnConsumedCapacity::Total)
        .send()
        .await
        .expect("PutItem");
    let consumed = put.consumed_capacity().expect("ConsumedCapacity on TOTAL");
    assert_eq!(consumed.table_name(), Some("scores"));
    assert_eq!(consumed.capacity_units(), Some(2.0));

    let eventually = client
        .get_item()
        .table_name("scores")
        .set_key(Some(key("1")))
        .return_consumed_capacity(ReturnConsumedCapacity::Indexes)
        .send()
        .await
        .expect("GetItem");
    let consumed = eventually
        .consumed_capacity()
        .expect("ConsumedCapacity on INDEXES");
    assert_eq!(consumed.capacity_units(), Some(0.5));
    assert_eq!(consumed.table().and_then(|t| t.capacity_units()), Some(0.5));
    let strongly = client
        .get_item()
        .table_name("scores")
        .set_key(Some(key("1")))
        .consistent_read(true)
        .return_consumed_capacity(ReturnConsumedCapacity::Total)
        .send()
        .await
        .expect("GetItem");
    assert_eq!(
        strongly
            .consumed_capacity()
            .and_then(|c| c.capacity_units()),
        Some(1.0)
    );

    let query = client
        .query()
        .table_name("scores")
        .key_condition_expression("pk = :pk")
        .expression_attribute_values(":pk", AttributeValue::S("acme".to_string()))
        .return_consumed_capacity(ReturnConsumedCapacity::Total)
        .send()
        .await
        .expect("Query");
    assert_eq!(
        query.consumed_capacity().and_then(|c| c.capacity_units()),
        Some(0.5)
    );

    let silent = client
        .get_item()
        .table_name("scores")
        .set_key(Some(key("1")))
        .send()
        .await
        .expect("GetItem");
    assert!(
        silent.consumed_capacity().is_none(),
        "nothing asked, nothing said"
    );
}
