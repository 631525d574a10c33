//! DynamoDB probes: GetItem, Query, PutItem, UpdateItem, Scan and DeleteItem, with every
//! write and delete carrying a condition that cannot hold, so nothing is ever changed.

use super::attempt::{Attempt, read_evidence_of};
use super::clients::ProbeClients;
use super::service::AwsService;
use super::wire_response::WireResponse;
use crate::scenario::{ItemKey, KeyValue};
use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::{BTreeMap, HashMap};

const SERVICE: AwsService = AwsService::DynamoDb;

/// Holds for no item: an item either has its partition key attribute or it does not.
// Condition functions: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html.
const CONDITION_THAT_CANNOT_HOLD: &str = "attribute_not_exists(#pk) AND attribute_exists(#pk)";
const CONDITION_METHOD: &str = "condition-cannot-hold";

/// The DynamoDB operations a probe can make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DynamoDbCall {
    GetItem,
    Query,
    PutItem,
    UpdateItem,
    Scan,
    DeleteItem,
}

impl DynamoDbCall {
    pub fn from_api(api: &str) -> Option<DynamoDbCall> {
        match api {
            "dynamodb:GetItem" => Some(DynamoDbCall::GetItem),
            "dynamodb:Query" => Some(DynamoDbCall::Query),
            "dynamodb:PutItem" => Some(DynamoDbCall::PutItem),
            "dynamodb:UpdateItem" => Some(DynamoDbCall::UpdateItem),
            "dynamodb:Scan" => Some(DynamoDbCall::Scan),
            "dynamodb:DeleteItem" => Some(DynamoDbCall::DeleteItem),
            _ => None,
        }
    }
}

/// Makes one DynamoDB call against the item `key` of `table`.
pub async fn probe(
    clients: &ProbeClients,
    call: DynamoDbCall,
    table: &str,
    key: &ItemKey,
) -> Attempt {
    let client = &clients.dynamodb;
    let partition_name = key.partition.0.clone();
    match call {
        DynamoDbCall::GetItem => {
            let wire = WireResponse::default();
            let result = client
                .get_item()
                .table_name(table)
                .set_key(Some(key_map(key)))
                .customize()
                .interceptor(wire.clone())
                .send()
                .await;
            let mut attempt =
                Attempt::from_result(SERVICE, "dynamodb:GetItem", "direct", &result, &wire);
            if let Ok(Some(item)) = result.as_ref().map(|output| output.item()) {
                attempt.read_evidence = Some(read_evidence_of(
                    canonical(std::slice::from_ref(item)).as_bytes(),
                ));
            }
            attempt
        }
        DynamoDbCall::Query => {
            let wire = WireResponse::default();
            let result = client
                .query()
                .table_name(table)
                .key_condition_expression("#pk = :pk")
                .expression_attribute_names("#pk", &partition_name)
                .expression_attribute_values(":pk", attribute(&key.partition.1))
                .limit(1)
                .customize()
                .interceptor(wire.clone())
                .send()
                .await;
            let mut attempt =
                Attempt::from_result(SERVICE, "dynamodb:Query", "partition-key", &result, &wire);
            if let Ok(output) = &result
                && !output.items().is_empty()
            {
                attempt.read_evidence =
                    Some(read_evidence_of(canonical(output.items()).as_bytes()));
            }
            attempt
        }
        DynamoDbCall::Scan => {
            let wire = WireResponse::default();
            let result = client
                .scan()
                .table_name(table)
                .limit(1)
                .customize()
                .interceptor(wire.clone())
                .send()
                .await;
            let mut attempt =
                Attempt::from_result(SERVICE, "dynamodb:Scan", "direct", &result, &wire);
            if let Ok(output) = &result
                && !output.items().is_empty()
            {
                attempt.read_evidence =
                    Some(read_evidence_of(canonical(output.items()).as_bytes()));
            }
            attempt
        }
        // PutItem with only the key and a condition that cannot hold: the condition is
        // checked against the stored item after authorization, and on failure nothing is
        // written (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html).
        DynamoDbCall::PutItem => {
            let wire = WireResponse::default();
            let result = client
                .put_item()
                .table_name(table)
                .set_item(Some(key_map(key)))
                .condition_expression(CONDITION_THAT_CANNOT_HOLD)
                .expression_attribute_names("#pk", &partition_name)
                .customize()
                .interceptor(wire.clone())
                .send()
                .await;
            conditional(
                Attempt::from_result(
                    SERVICE,
                    "dynamodb:PutItem",
                    CONDITION_METHOD,
                    &result,
                    &wire,
                ),
                result.is_ok(),
            )
        }
        // UpdateItem without an update expression touches no attribute beyond the key.
        DynamoDbCall::UpdateItem => {
            let wire = WireResponse::default();
            let result = client
                .update_item()
                .table_name(table)
                .set_key(Some(key_map(key)))
                .condition_expression(CONDITION_THAT_CANNOT_HOLD)
                .expression_attribute_names("#pk", &partition_name)
                .customize()
                .interceptor(wire.clone())
                .send()
                .await;
            conditional(
                Attempt::from_result(
                    SERVICE,
                    "dynamodb:UpdateItem",
                    CONDITION_METHOD,
                    &result,
                    &wire,
                ),
                result.is_ok(),
            )
        }
        DynamoDbCall::DeleteItem => {
            let wire = WireResponse::default();
            let result = client
                .delete_item()
                .table_name(table)
                .set_key(Some(key_map(key)))
                .condition_expression(CONDITION_THAT_CANNOT_HOLD)
                .expression_attribute_names("#pk", &partition_name)
                .customize()
                .interceptor(wire.clone())
                .send()
                .await;
            conditional(
                Attempt::from_result(
                    SERVICE,
                    "dynamodb:DeleteItem",
                    CONDITION_METHOD,
                    &result,
                    &wire,
                ),
                result.is_ok(),
            )
        }
    }
}

/// A conditional write that succeeded means the service ignored a condition that cannot
/// hold: still an authorized call, but the record must say data may have changed.
fn conditional(attempt: Attempt, succeeded: bool) -> Attempt {
    if succeeded {
        attempt.with_note("the write succeeded although its condition cannot hold: the service ignored the condition")
    } else {
        attempt
    }
}

pub(super) fn key_map(key: &ItemKey) -> HashMap<String, AttributeValue> {
    let mut map = HashMap::new();
    map.insert(key.partition.0.clone(), attribute(&key.partition.1));
    if let Some((name, value)) = &key.sort {
        map.insert(name.clone(), attribute(value));
    }
    map
}

fn attribute(value: &KeyValue) -> AttributeValue {
    match value {
        KeyValue::S(text) => AttributeValue::S(text.clone()),
        KeyValue::N(number) => AttributeValue::N(number.clone()),
    }
}

/// A deterministic rendering of items, used only to hash and size them.
pub(super) fn canonical(items: &[HashMap<String, AttributeValue>]) -> String {
    let ordered: Vec<BTreeMap<&String, String>> = items
        .iter()
        .map(|item| {
            item.iter()
                .map(|(name, value)| (name, format!("{value:?}")))
                .collect()
        })
        .collect();
    format!("{ordered:?}")
}
