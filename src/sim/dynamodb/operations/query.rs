//! Query: reads the items of one partition, in sort key order.
//! See <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html>.

use super::super::attribute_value::AttributeValue;
use super::super::authorization::AccessKeys;
use super::super::consumed_capacity::CapacityReport;
use super::super::error::DynamoDbError;
use super::super::expression::{Condition, ExpressionKind, ExpressionParser};
use super::super::key_condition::{KeyCondition, equality_values};
use super::super::key_schema::{KEY_MISMATCH, KeyValue};
use super::input::{
    OperationContext, Placeholders, item, parse_body, read_resource, reject_index, reject_legacy,
    top_level_names,
};
use super::page::{PageShape, ReadCapacity, limit, page, select, start_key};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::ops::Bound;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct QueryInput {
    table_name: Option<String>,
    return_consumed_capacity: Option<String>,
    index_name: Option<String>,
    key_condition_expression: Option<String>,
    filter_expression: Option<String>,
    projection_expression: Option<String>,
    expression_attribute_names: Option<BTreeMap<String, String>>,
    expression_attribute_values: Option<Map<String, Value>>,
    select: Option<String>,
    limit: Option<i64>,
    exclusive_start_key: Option<Map<String, Value>>,
    scan_index_forward: Option<bool>,
    /// Every read of local staging is strongly consistent; the setting only changes the
    /// capacity reported.
    #[serde(rename = "ConsistentRead")]
    consistent_read: Option<bool>,
    key_conditions: Option<Value>,
    query_filter: Option<Value>,
    attributes_to_get: Option<Value>,
    conditional_operator: Option<Value>,
}

pub fn query(context: &OperationContext<'_>, body: &[u8]) -> Result<Value, DynamoDbError> {
    let input: QueryInput = parse_body(body)?;
    let capacity = CapacityReport::parse(input.return_consumed_capacity.as_deref())?;
    reject_legacy(&[
        ("KeyConditions", input.key_conditions.is_some()),
        ("QueryFilter", input.query_filter.is_some()),
        ("AttributesToGet", input.attributes_to_get.is_some()),
        ("ConditionalOperator", input.conditional_operator.is_some()),
    ])?;
    let (arn, table) = context.table(input.table_name.as_deref())?;
    let Some(key_condition_text) = input.key_condition_expression.as_deref() else {
        return Err(DynamoDbError::validation(
            "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.",
        ));
    };
    let limit = limit(input.limit)?;
    let selected = select(
        input.select.as_deref(),
        input.projection_expression.is_some(),
    )?;
    let placeholders = Placeholders::read(
        input.expression_attribute_names,
        input.expression_attribute_values,
        true,
    )?;
    let mut parser = ExpressionParser::new(&placeholders.names, &placeholders.values);
    let key_condition = parser.condition(ExpressionKind::KeyCondition, key_condition_text)?;
    let filter = input
        .filter_expression
        .as_deref()
        .map(|text| parser.condition(ExpressionKind::Filter, text))
        .transpose()?;
    let projection = input
        .projection_expression
        .as_deref()
        .map(|text| parser.projection(text))
        .transpose()?;
    parser.finish()?;
    let start = input
        .exclusive_start_key
        .as_ref()
        .map(|map| item(Some(map), "exclusiveStartKey"))
        .transpose()?;

    let leading_keys = match table {
        Some(table) => KeyCondition::from_condition(&key_condition, &table.schema)
            .ok()
            .and_then(|k| k.partition.key_text())
            .into_iter()
            .collect(),
        None => equality_values(&key_condition)
            .iter()
            .filter_map(AttributeValue::key_text)
            .collect(),
    };
    let mut attributes = top_level_names(key_condition.paths());
    if let Some(paths) = &projection {
        attributes.extend(top_level_names(paths));
    }
    let keys = AccessKeys {
        leading_keys: Some(leading_keys),
        attributes: Some(attributes),
        select: selected.clone(),
        return_values: None,
        return_consumed_capacity: input.return_consumed_capacity.clone(),
    };
    let resource = read_resource(arn, input.index_name.as_deref());
    let table = context.authorize_then_find("dynamodb:Query", &resource, table, &keys)?;

    reject_index(input.index_name.as_deref())?;
    let key_condition = KeyCondition::from_condition(&key_condition, &table.schema)?;
    if let Some(filter) = &filter {
        check_filter_avoids_keys(filter, &table.schema.names())?;
    }
    let start = start_key(&table.schema, start)?;

    let partition_value = KeyValue::from_attribute(&key_condition.partition)
        .ok_or_else(|| DynamoDbError::validation(KEY_MISMATCH))?;
    let items = table.items();
    let in_partition = items
        .range((
            Bound::Included((partition_value.clone(), None)),
            Bound::Unbounded,
        ))
        .take_while(|((p, _), _)| *p == partition_value);
    let forward = input.scan_index_forward.unwrap_or(true);
    let mut ordered: Vec<_> = in_partition.collect();
    if !forward {
        ordered.reverse();
    }
    let after_start = ordered
        .into_iter()
        .skip_while(|(key, _)| match &start {
            Some(start) => {
                if forward {
                    *key <= start
                } else {
                    *key >= start
                }
            }
            None => false,
        })
        .map(|(_, item)| item)
        .filter(|item| key_condition.matches_sort(item, &table.schema));
    let shape = PageShape {
        schema: &table.schema,
        limit,
        filter: filter.as_ref(),
        projection: projection.as_deref(),
        count_only: selected.as_deref() == Some("COUNT"),
        capacity: Some(ReadCapacity {
            report: capacity,
            table_name: &table.name,
            consistent: input.consistent_read.unwrap_or(false),
        }),
    };
    Ok(page(after_start, &shape))
}

/// A Query filter may not use the key attributes.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.FilterExpression.html>.
fn check_filter_avoids_keys(filter: &Condition, key_names: &[&str]) -> Result<(), DynamoDbError> {
    match filter
        .paths()
        .into_iter()
        .find(|p| key_names.contains(&p.top_level()))
    {
        Some(path) => Err(DynamoDbError::validation(format!(
            "Filter Expression can only contain non-primary key attributes: Primary key attribute: {}",
            path.top_level()
        ))),
        None => Ok(()),
    }
}
