//! BatchGetItem: reads up to 100 items by primary key from one or more tables.
//! See <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html>.
//!
//! Each table of `RequestItems` is authorized as `dynamodb:BatchGetItem` on that table, with
//! `dynamodb:LeadingKeys` holding the partition key of every key requested from it, so a
//! `ForAllValues` condition must hold for each key and a `ForAnyValue` condition for one;
//! a table that is denied fails the whole request.
//! See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html>
//! and <https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html>.
//! Local staging reads every key in one answer, so `UnprocessedKeys` is always empty.

use super::super::attribute_value::{Item, item_to_json};
use super::super::authorization::AccessKeys;
use super::super::error::DynamoDbError;
use super::super::expression::ExpressionParser;
use super::super::projection::project;
use super::input::{
    OperationContext, Placeholders, item, leading_keys_of_key, parse_body, reject_legacy,
    top_level_names,
};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};

/// At most 100 keys in one request.
const MAX_KEYS: usize = 100;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct BatchGetItemInput {
    request_items: Option<BTreeMap<String, KeysAndAttributes>>,
    return_consumed_capacity: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct KeysAndAttributes {
    keys: Option<Vec<Map<String, Value>>>,
    /// Every read of local staging is strongly consistent, so both settings read the same.
    #[serde(rename = "ConsistentRead")]
    _consistent_read: Option<bool>,
    projection_expression: Option<String>,
    expression_attribute_names: Option<BTreeMap<String, String>>,
    attributes_to_get: Option<Value>,
}

pub fn batch_get_item(context: &OperationContext<'_>, body: &[u8]) -> Result<Value, DynamoDbError> {
    let input: BatchGetItemInput = parse_body(body)?;
    let Some(request_items) = input.request_items.filter(|items| !items.is_empty()) else {
        return Err(DynamoDbError::validation(
            "1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: Member must not be null",
        ));
    };
    let total: usize = request_items
        .values()
        .map(|table| table.keys.as_ref().map_or(0, Vec::len))
        .sum();
    if total > MAX_KEYS {
        return Err(DynamoDbError::validation(
            "Too many items requested for the BatchGetItem call",
        ));
    }
    let mut responses = Map::new();
    let mut reads = Vec::new();
    for (name, request) in &request_items {
        reject_legacy(&[("AttributesToGet", request.attributes_to_get.is_some())])?;
        let (arn, table) = context.table(Some(name))?;
        let keys = match &request.keys {
            Some(keys) if !keys.is_empty() => keys
                .iter()
                .map(|key| item(Some(key), "keys"))
                .collect::<Result<Vec<Item>, _>>()?,
            _ => {
                return Err(DynamoDbError::validation(format!(
                    "1 validation error detected: Value at 'requestItems.{name}.member.keys' failed to satisfy constraint: Member must have length greater than or equal to 1"
                )));
            }
        };
        let placeholders = Placeholders::read(
            request.expression_attribute_names.clone(),
            None,
            request.projection_expression.is_some(),
        )?;
        let mut parser = ExpressionParser::new(&placeholders.names, &placeholders.values);
        let projection = request
            .projection_expression
            .as_deref()
            .map(|text| parser.projection(text))
            .transpose()?;
        parser.finish()?;
        let mut attributes: BTreeSet<String> =
            keys.iter().flat_map(|k| k.keys().cloned()).collect();
        if let Some(paths) = &projection {
            attributes.extend(top_level_names(paths));
        }
        let leading_keys: BTreeSet<String> = keys
            .iter()
            .flat_map(|key| leading_keys_of_key(table, key))
            .collect();
        let access = AccessKeys {
            leading_keys: Some(leading_keys.into_iter().collect()),
            attributes: Some(attributes),
            select: None,
            return_values: None,
            return_consumed_capacity: input.return_consumed_capacity.clone(),
        };
        let table = context.authorize_then_find("dynamodb:BatchGetItem", &arn, table, &access)?;
        let mut storage_keys = BTreeSet::new();
        for key in &keys {
            // The same key twice is refused.
            if !storage_keys.insert(table.schema.key_of_request(key)?) {
                return Err(DynamoDbError::validation(
                    "Provided list of item keys contains duplicates",
                ));
            }
        }
        reads.push((name.clone(), table, storage_keys, projection));
    }
    for (name, table, storage_keys, projection) in reads {
        let stored = table.items();
        let found: Vec<Value> = storage_keys
            .iter()
            .filter_map(|key| stored.get(key))
            .map(|found| match &projection {
                Some(paths) => item_to_json(&project(found, paths)),
                None => item_to_json(found),
            })
            .collect();
        responses.insert(name, Value::Array(found));
    }
    Ok(json!({ "Responses": responses, "UnprocessedKeys": {} }))
}
