//! BatchWriteItem: up to 25 put and delete requests over one or more tables, without
//! conditions. See <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html>.
//!
//! Each table of `RequestItems` is authorized as `dynamodb:BatchWriteItem` on that table,
//! with `dynamodb:LeadingKeys` holding the partition key of every item put and key deleted
//! there; a table that is denied fails the whole request, before anything is written.
//! See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html>
//! and <https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html>.
//! Local staging applies every request, so `UnprocessedItems` is always empty.

use super::super::attribute_value::Item;
use super::super::authorization::AccessKeys;
use super::super::error::DynamoDbError;
use super::super::item_size::check_item_size;
use super::input::{OperationContext, item, leading_keys_of_key, parse_body};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};

/// At most 25 put or delete requests in one call.
const MAX_REQUESTS: usize = 25;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct BatchWriteItemInput {
    request_items: Option<BTreeMap<String, Vec<WriteRequest>>>,
    return_consumed_capacity: Option<String>,
    #[serde(rename = "ReturnItemCollectionMetrics")]
    _return_item_collection_metrics: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WriteRequest {
    put_request: Option<PutRequest>,
    delete_request: Option<DeleteRequest>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PutRequest {
    item: Option<Map<String, Value>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DeleteRequest {
    key: Option<Map<String, Value>>,
}

/// One write, read and checked.
enum Write {
    Put(Item),
    Delete(Item),
}

pub fn batch_write_item(
    context: &OperationContext<'_>,
    body: &[u8],
) -> Result<Value, DynamoDbError> {
    let input: BatchWriteItemInput = parse_body(body)?;
    let Some(request_items) = input.request_items.filter(|items| !items.is_empty()) else {
        return Err(DynamoDbError::validation(
            "1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: Member must not be null",
        ));
    };
    let total: usize = request_items.values().map(Vec::len).sum();
    if total > MAX_REQUESTS {
        return Err(DynamoDbError::validation(format!(
            "1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to {MAX_REQUESTS}]"
        )));
    }
    let mut planned = Vec::new();
    for (name, requests) in &request_items {
        let (arn, table) = context.table(Some(name))?;
        if requests.is_empty() {
            return Err(DynamoDbError::validation(format!(
                "1 validation error detected: Value at 'requestItems.{name}.member' failed to satisfy constraint: Member must have length greater than or equal to 1"
            )));
        }
        let mut writes = Vec::new();
        for request in requests {
            // Each WriteRequest holds exactly one of PutRequest and DeleteRequest.
            let write = match (&request.put_request, &request.delete_request) {
                (Some(put), None) => Write::Put(item(put.item.as_ref(), "item")?),
                (None, Some(delete)) => Write::Delete(item(delete.key.as_ref(), "key")?),
                _ => {
                    return Err(DynamoDbError::validation(
                        "a WriteRequest must hold exactly one of PutRequest and DeleteRequest",
                    ));
                }
            };
            writes.push(write);
        }
        let mut leading_keys = BTreeSet::new();
        let mut attributes = BTreeSet::new();
        for write in &writes {
            let (Write::Put(values) | Write::Delete(values)) = write;
            leading_keys.extend(leading_keys_of_key(table, values));
            attributes.extend(values.keys().cloned());
        }
        let access = AccessKeys {
            leading_keys: Some(leading_keys.into_iter().collect()),
            attributes: Some(attributes),
            select: None,
            return_values: None,
            return_consumed_capacity: input.return_consumed_capacity.clone(),
        };
        let table = context.authorize_then_find("dynamodb:BatchWriteItem", &arn, table, &access)?;
        let mut seen = BTreeSet::new();
        let mut checked = Vec::new();
        for write in writes {
            let storage_key = match &write {
                Write::Put(new_item) => {
                    check_item_size(new_item)?;
                    table.schema.key_of_item(new_item)?
                }
                Write::Delete(key) => table.schema.key_of_request(key)?,
            };
            // The same item twice in one table is refused.
            if !seen.insert(storage_key.clone()) {
                return Err(DynamoDbError::validation(
                    "Provided list of item keys contains duplicates",
                ));
            }
            checked.push((storage_key, write));
        }
        planned.push((table, checked));
    }
    // Every table is authorized and every request valid before anything is written.
    for (table, checked) in planned {
        let mut items = table.items();
        for (storage_key, write) in checked {
            match write {
                Write::Put(new_item) => {
                    items.insert(storage_key, new_item);
                }
                Write::Delete(_) => {
                    items.remove(&storage_key);
                }
            }
        }
    }
    Ok(json!({ "UnprocessedItems": {} }))
}
