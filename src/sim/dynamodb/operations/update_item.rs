//! UpdateItem: edits (or creates) one item with an update expression, optionally under a
//! condition.
//! See <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html>.

use super::super::attribute_value::{Item, item_to_json};
use super::super::authorization::AccessKeys;
use super::super::condition::require;
use super::super::consumed_capacity::{CapacityReport, write_units};
use super::super::error::DynamoDbError;
use super::super::expression::{ExpressionKind, ExpressionParser, UpdateAction};
use super::super::item_size::{check_item_size, item_size};
use super::super::update::{apply, check_key_untouched};
use super::input::{
    OperationContext, Placeholders, item, leading_keys_of_key, parse_body, reject_legacy,
    return_values, top_level_names,
};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct UpdateItemInput {
    table_name: Option<String>,
    return_consumed_capacity: Option<String>,
    key: Option<Map<String, Value>>,
    update_expression: Option<String>,
    condition_expression: Option<String>,
    expression_attribute_names: Option<BTreeMap<String, String>>,
    expression_attribute_values: Option<Map<String, Value>>,
    return_values: Option<String>,
    attribute_updates: Option<Value>,
    expected: Option<Value>,
    conditional_operator: Option<Value>,
}

pub fn update_item(context: &OperationContext<'_>, body: &[u8]) -> Result<Value, DynamoDbError> {
    let input: UpdateItemInput = parse_body(body)?;
    let capacity = CapacityReport::parse(input.return_consumed_capacity.as_deref())?;
    reject_legacy(&[
        ("AttributeUpdates", input.attribute_updates.is_some()),
        ("Expected", input.expected.is_some()),
        ("ConditionalOperator", input.conditional_operator.is_some()),
    ])?;
    let (arn, table) = context.table(input.table_name.as_deref())?;
    let key = item(input.key.as_ref(), "key")?;
    // See <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html#DDB-UpdateItem-request-ReturnValues>.
    let returns = return_values(
        input.return_values.as_deref(),
        &["NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"],
        "Return values set to invalid value",
    )?;
    let placeholders = Placeholders::read(
        input.expression_attribute_names,
        input.expression_attribute_values,
        input.update_expression.is_some() || input.condition_expression.is_some(),
    )?;
    let mut parser = ExpressionParser::new(&placeholders.names, &placeholders.values);
    let actions = match input.update_expression.as_deref() {
        Some(text) => parser.update(text)?,
        None => Vec::new(),
    };
    let condition = input
        .condition_expression
        .as_deref()
        .map(|text| parser.condition(ExpressionKind::Condition, text))
        .transpose()?;
    parser.finish()?;

    let mut attributes: BTreeSet<String> = key.keys().cloned().collect();
    attributes.extend(top_level_names(
        actions.iter().flat_map(UpdateAction::paths),
    ));
    let keys = AccessKeys {
        leading_keys: Some(leading_keys_of_key(table, &key)),
        attributes: Some(attributes),
        select: None,
        return_values: returns.clone(),
        return_consumed_capacity: input.return_consumed_capacity.clone(),
    };
    let table = context.authorize_then_find("dynamodb:UpdateItem", &arn, table, &keys)?;

    let storage_key = table.schema.key_of_request(&key)?;
    check_key_untouched(&actions, &table.schema.names())?;
    let mut items = table.items();
    let old = items.get(&storage_key).cloned();
    require(condition.as_ref(), old.as_ref())?;
    // A missing item is created from its key, as UpdateItem does.
    let base = old.clone().unwrap_or_else(|| key.clone());
    let new = apply(&base, &actions)?;
    check_item_size(&new)?;
    // An update is charged for the larger of the item before and after it.
    let units = write_units(item_size(&new).max(old.as_ref().map_or(0, item_size)));
    items.insert(storage_key, new.clone());
    drop(items);

    let updated: BTreeSet<&str> = actions.iter().map(|a| a.target().top_level()).collect();
    let only_updated = |item: &Item| -> Item {
        item.iter()
            .filter(|(name, _)| updated.contains(name.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    let attributes = match returns.as_deref() {
        Some("ALL_OLD") => old,
        Some("UPDATED_OLD") => old.as_ref().map(only_updated),
        Some("ALL_NEW") => Some(new),
        Some("UPDATED_NEW") => Some(only_updated(&new)),
        _ => None,
    };
    let mut response = match attributes {
        Some(attributes) if !attributes.is_empty() => {
            json!({ "Attributes": item_to_json(&attributes) })
        }
        _ => json!({}),
    };
    capacity.add_to(&mut response, &table.name, units);
    Ok(response)
}
