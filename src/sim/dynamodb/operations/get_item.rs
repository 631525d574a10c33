//! GetItem: reads one item by its primary key.
//! See <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html>.

use super::super::attribute_value::item_to_json;
use super::super::authorization::AccessKeys;
use super::super::consumed_capacity::{CapacityReport, read_units};
use super::super::error::DynamoDbError;
use super::super::expression::ExpressionParser;
use super::super::item_size::item_size;
use super::super::projection::project;
use super::input::{
    OperationContext, Placeholders, item, leading_keys_of_key, parse_body, reject_legacy,
    top_level_names,
};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GetItemInput {
    table_name: Option<String>,
    return_consumed_capacity: Option<String>,
    key: Option<Map<String, Value>>,
    /// Every read of local staging is strongly consistent, so both settings read the same
    /// data; the setting only changes the capacity reported.
    consistent_read: Option<bool>,
    projection_expression: Option<String>,
    expression_attribute_names: Option<BTreeMap<String, String>>,
    expression_attribute_values: Option<Map<String, Value>>,
    attributes_to_get: Option<Value>,
}

pub fn get_item(context: &OperationContext<'_>, body: &[u8]) -> Result<Value, DynamoDbError> {
    let input: GetItemInput = parse_body(body)?;
    let capacity = CapacityReport::parse(input.return_consumed_capacity.as_deref())?;
    reject_legacy(&[("AttributesToGet", input.attributes_to_get.is_some())])?;
    let (arn, table) = context.table(input.table_name.as_deref())?;
    let key = item(input.key.as_ref(), "key")?;
    let placeholders = Placeholders::read(
        input.expression_attribute_names,
        input.expression_attribute_values,
        input.projection_expression.is_some(),
    )?;
    let mut parser = ExpressionParser::new(&placeholders.names, &placeholders.values);
    let projection = input
        .projection_expression
        .as_deref()
        .map(|text| parser.projection(text))
        .transpose()?;
    parser.finish()?;

    let mut attributes: std::collections::BTreeSet<String> = key.keys().cloned().collect();
    if let Some(paths) = &projection {
        attributes.extend(top_level_names(paths));
    }
    let keys = AccessKeys {
        leading_keys: Some(leading_keys_of_key(table, &key)),
        attributes: Some(attributes),
        select: None,
        return_values: None,
        return_consumed_capacity: input.return_consumed_capacity.clone(),
    };
    let table = context.authorize_then_find("dynamodb:GetItem", &arn, table, &keys)?;

    let storage_key = table.schema.key_of_request(&key)?;
    let found = table.items().get(&storage_key).cloned();
    let units = read_units(
        found.as_ref().map_or(0, item_size),
        input.consistent_read.unwrap_or(false),
    );
    let mut response = match found {
        Some(found) => {
            let shown = match &projection {
                Some(paths) => project(&found, paths),
                None => found,
            };
            json!({ "Item": item_to_json(&shown) })
        }
        // GetItem answers an empty object when no item has the key.
        // See <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html#API_GetItem_ResponseSyntax>.
        None => json!({}),
    };
    capacity.add_to(&mut response, &table.name, units);
    Ok(response)
}
