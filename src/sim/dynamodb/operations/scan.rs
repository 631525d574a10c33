//! Scan: reads every item of a table, a page at a time.
//! See <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html>.

use super::super::authorization::AccessKeys;
use super::super::consumed_capacity::CapacityReport;
use super::super::error::DynamoDbError;
use super::super::expression::{ExpressionKind, ExpressionParser};
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
struct ScanInput {
    table_name: Option<String>,
    return_consumed_capacity: Option<String>,
    index_name: Option<String>,
    filter_expression: Option<String>,
    projection_expression: Option<String>,
    expression_attribute_names: Option<BTreeMap<String, String>>,
    expression_attribute_values: Option<Map<String, Value>>,
    select: Option<String>,
    limit: Option<i64>,
    exclusive_start_key: Option<Map<String, Value>>,
    /// Every read of local staging is strongly consistent; the setting only changes the
    /// capacity reported.
    #[serde(rename = "ConsistentRead")]
    consistent_read: Option<bool>,
    segment: Option<Value>,
    total_segments: Option<Value>,
    scan_filter: Option<Value>,
    attributes_to_get: Option<Value>,
    conditional_operator: Option<Value>,
}

pub fn scan(context: &OperationContext<'_>, body: &[u8]) -> Result<Value, DynamoDbError> {
    let input: ScanInput = parse_body(body)?;
    let capacity = CapacityReport::parse(input.return_consumed_capacity.as_deref())?;
    reject_legacy(&[
        ("ScanFilter", input.scan_filter.is_some()),
        ("AttributesToGet", input.attributes_to_get.is_some()),
        ("ConditionalOperator", input.conditional_operator.is_some()),
        // A parallel scan would otherwise hand every segment the whole table.
        (
            "Segment",
            input.segment.is_some() || input.total_segments.is_some(),
        ),
    ])?;
    let (arn, table) = context.table(input.table_name.as_deref())?;
    let limit = limit(input.limit)?;
    let selected = select(
        input.select.as_deref(),
        input.projection_expression.is_some(),
    )?;
    let placeholders = Placeholders::read(
        input.expression_attribute_names,
        input.expression_attribute_values,
        input.filter_expression.is_some() || input.projection_expression.is_some(),
    )?;
    let mut parser = ExpressionParser::new(&placeholders.names, &placeholders.values);
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

    // A Scan names no partition key, so `dynamodb:LeadingKeys` is absent from its
    // context: a `ForAllValues` condition on it holds vacuously, which is why AWS pairs
    // leading-key policies with a deny (or no allow) for Scan.
    // See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html>.
    let keys = AccessKeys {
        leading_keys: None,
        attributes: projection.as_deref().map(top_level_names),
        select: selected.clone(),
        return_values: None,
        return_consumed_capacity: input.return_consumed_capacity.clone(),
    };
    let resource = read_resource(arn, input.index_name.as_deref());
    let table = context.authorize_then_find("dynamodb:Scan", &resource, table, &keys)?;

    reject_index(input.index_name.as_deref())?;
    let start = start_key(&table.schema, start)?;
    let items = table.items();
    let lower = match &start {
        Some(start) => Bound::Excluded(start.clone()),
        None => Bound::Unbounded,
    };
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
    Ok(page(
        items.range((lower, Bound::Unbounded)).map(|(_, item)| item),
        &shape,
    ))
}
