//! DynamoDB numbers through aws-sdk-dynamodb: stored in canonical form, and a key equal as a
//! number addresses the same item whatever its spelling.
//! See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html#HowItWorks.DataTypes.Number>.

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::HashMap;

use crate::support::{credentials, sdk_config, start};

pub const WORLD: &str = r#"account_id: "111122223333"
region: us-east-1
iam:
  users:
    - UserName: admin
      AccessKeys: [{AccessKeyId: AKIANUMBERSADMIN0001, SecretAccessKey: numbers-admin-secret}]
      Policies:
        - PolicyName: all
          PolicyDocument:
            Statement: [{Effect: Allow, Action: "dynamodb:*", Resource: "*"}]
dynamodb:
  tables:
    - TableName: scores
      KeySchema: [{AttributeName: pk, KeyType: HASH}, {AttributeName: rank, KeyType: RANGE}]
      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}, {AttributeName: rank, AttributeType: N}]
"#;

pub fn key(rank: &str) -> HashMap<String, AttributeValue> {
    HashMap::from([
        ("pk".to_string(), AttributeValue::S("acme".to_string())),
        ("rank".to_string(), AttributeValue::N(rank.to_string())),
    ])
}

/// A client of the world's admin, allowed every DynamoDB action.
pub async fn admin_client(staging: &xtenant::sim::LocalStaging) -> Client {
    let admin = credentials("AKIANUMBERSADMIN0001", "numbers-admin-secret", None);
    Client::new(&sdk_config(staging, Some(admin)).await)
}

#[tokio::test]
async fn numbers_read_back_canonical_and_equal_numbers_are_one_key() {
    let staging = start(WORLD).await;
    let client = admin_client(&staging).await;
    let mut item = key("012.50");
    item.insert("score".to_string(), AttributeValue::N("1E+2".to_string()));
    client
        .put_item()
        .table_name("scores")
        .set_item(Some(item))
        .send()
        .await
        .expect("PutItem");

    let read = client
        .get_item()
        .table_name("scores")
        .set_key(Some(key("12.5")))
        .send()
        .await
        .expect("GetItem");
    let item = read.item().expect("the item under the equal key 12.5");
    assert_eq!(
        item.get("rank"),
        Some(&AttributeValue::N("12.5".to_string()))
    );
    assert_eq!(
        item.get("score"),
        Some(&AttributeValue::N("100".to_string()))
    );

    // A second put under another spelling of the same number replaces, not adds.
    client
        .put_item()
        .table_name("scores")
        .set_item(Some(key("12.500")))
        .send()
        .await
        .expect("PutItem");
    let scan = client
        .scan()
        .table_name("scores")
        .send()
        .await
        .expect("Scan");
    assert_eq!(scan.count(), 1);
}
