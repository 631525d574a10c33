//! PutItem: creates or replaces one item, optionally under a condition.
//! See <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html>.

use super::super::attribute_value::item_to_json;
use super::super::authorization::AccessKeys;
use super::super::condition::require;
use super::super::consumed_capacity::{CapacityReport, write_units};
use super::super::error::DynamoDbError;
use super::super::expression::{ExpressionKind, ExpressionParser};
use super::super::item_size::{check_item_size, item_size};
use super::input::{
    OperationContext, Placeholders, item, parse_body, reject_legacy, return_values,
};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PutItemInput {
    table_name: Option<String>,
    return_consumed_capacity: Option<String>,
    item: Option<Map<String, Value>>,
    condition_expression: Option<String>,
    expression_attribute_names: Option<BTreeMap<String, String>>,
    expression_attribute_values: Option<Map<String, Value>>,
    return_values: Option<String>,
    expected: Option<Value>,
    conditional_operator: Option<Value>,
}

pub fn put_item(context: &OperationContext<'_>, body: &[u8]) -> Result<Value, DynamoDbError> {
    let input: PutItemInput = parse_body(body)?;
    let capacity = CapacityReport::parse(input.return_consumed_capacity.as_deref())?;
    reject_legacy(&[
        ("Expected", input.expected.is_some()),
        ("ConditionalOperator", input.conditional_operator.is_some()),
    ])?;
    let (arn, table) = context.table(input.table_name.as_deref())?;
    let new_item = item(input.item.as_ref(), "item")?;
    // PutItem returns nothing or the replaced item.
    // See <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html#DDB-PutItem-request-ReturnValues>.
    let returns = return_values(
        input.return_values.as_deref(),
        &["NONE", "ALL_OLD"],
        "ReturnValues can only be ALL_OLD or NONE",
    )?;
    let placeholders = Placeholders::read(
        input.expression_attribute_names,
        input.expression_attribute_values,
        input.condition_expression.is_some(),
    )?;
    let mut parser = ExpressionParser::new(&placeholders.names, &placeholders.values);
    let condition = input
        .condition_expression
        .as_deref()
        .map(|text| parser.condition(ExpressionKind::Condition, text))
        .transpose()?;
    parser.finish()?;

    // The partition key value is known only from the schema; an unknown table has no
    // partition key to report, and the request ends in ResourceNotFound once allowed.
    let leading_keys = table.map(|t| {
        new_item
            .get(&t.schema.partition.name)
            .and_then(|v| v.key_text())
            .into_iter()
            .collect()
    });
    let keys = AccessKeys {
        leading_keys,
        attributes: Some(new_item.keys().cloned().collect()),
        select: None,
        return_values: returns.clone(),
        return_consumed_capacity: input.return_consumed_capacity.clone(),
    };
    let table = context.authorize_then_find("dynamodb:PutItem", &arn, table, &keys)?;

    let storage_key = table.schema.key_of_item(&new_item)?;
    check_item_size(&new_item)?;
    let mut items = table.items();
    let old = items.get(&storage_key).cloned();
    require(condition.as_ref(), old.as_ref())?;
    // A put is charged for the larger of the item it replaces and the new one.
    let units = write_units(item_size(&new_item).max(old.as_ref().map_or(0, item_size)));
    items.insert(storage_key, new_item);
    drop(items);
    let mut response = match (returns.as_deref(), old) {
        (Some("ALL_OLD"), Some(old)) => json!({ "Attributes": item_to_json(&old) }),
        _ => json!({}),
    };
    capacity.add_to(&mut response, &table.name, units);
    Ok(response)
}
