//! DeleteItem: removes one item by its primary key, optionally under a condition.
//! See <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteItem.html>.

use super::super::attribute_value::item_to_json;
use super::super::authorization::AccessKeys;
use super::super::condition::require;
use super::super::consumed_capacity::{CapacityReport, write_units};
use super::super::error::DynamoDbError;
use super::super::expression::{ExpressionKind, ExpressionParser};
use super::super::item_size::item_size;
use super::input::{
    OperationContext, Placeholders, item, leading_keys_of_key, parse_body, reject_legacy,
    return_values,
};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DeleteItemInput {
    table_name: Option<String>,
    return_consumed_capacity: Option<String>,
    key: Option<Map<String, Value>>,
    condition_expression: Option<String>,
    expression_attribute_names: Option<BTreeMap<String, String>>,
    expression_attribute_values: Option<Map<String, Value>>,
    return_values: Option<String>,
    expected: Option<Value>,
    conditional_operator: Option<Value>,
}

pub fn delete_item(context: &OperationContext<'_>, body: &[u8]) -> Result<Value, DynamoDbError> {
    let input: DeleteItemInput = parse_body(body)?;
    let capacity = CapacityReport::parse(input.return_consumed_capacity.as_deref())?;
    reject_legacy(&[
        ("Expected", input.expected.is_some()),
        ("ConditionalOperator", input.conditional_operator.is_some()),
    ])?;
    let (arn, table) = context.table(input.table_name.as_deref())?;
    let key = item(input.key.as_ref(), "key")?;
    // See <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteItem.html#DDB-DeleteItem-request-ReturnValues>.
    let returns = return_values(
        input.return_values.as_deref(),
        &["NONE", "ALL_OLD"],
        "Return values set to invalid value",
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

    let keys = AccessKeys {
        leading_keys: Some(leading_keys_of_key(table, &key)),
        attributes: Some(key.keys().cloned().collect()),
        select: None,
        return_values: returns.clone(),
        return_consumed_capacity: input.return_consumed_capacity.clone(),
    };
    let table = context.authorize_then_find("dynamodb:DeleteItem", &arn, table, &keys)?;

    let storage_key = table.schema.key_of_request(&key)?;
    let mut items = table.items();
    let old = items.get(&storage_key).cloned();
    require(condition.as_ref(), old.as_ref())?;
    items.remove(&storage_key);
    drop(items);
    let units = write_units(old.as_ref().map_or(0, item_size));
    let mut response = match (returns.as_deref(), old) {
        (Some("ALL_OLD"), Some(old)) => json!({ "Attributes": item_to_json(&old) }),
        _ => json!({}),
    };
    capacity.add_to(&mut response, &table.name, units);
    Ok(response)
}
