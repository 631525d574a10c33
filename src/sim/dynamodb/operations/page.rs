//! One page of Query or Scan results: Limit, filter, projection, Select COUNT and
//! LastEvaluatedKey.

use super::super::attribute_value::{Item, item_to_json};
use super::super::condition::evaluate;
use super::super::consumed_capacity::{CapacityReport, read_units};
use super::super::error::DynamoDbError;
use super::super::expression::{Condition, DocumentPath};
use super::super::item_size::item_size;
use super::super::key_schema::{KEY_MISMATCH, KeySchema, StorageKey};
use super::super::projection::project;
use serde_json::{Value, json};

/// How to cut and shape one page.
pub struct PageShape<'a> {
    pub schema: &'a KeySchema,
    pub limit: Option<usize>,
    pub filter: Option<&'a Condition>,
    pub projection: Option<&'a [DocumentPath]>,
    pub count_only: bool,
    /// What to report of the capacity the page consumed.
    pub capacity: Option<ReadCapacity<'a>>,
}

/// The capacity a Query or Scan page reports: the items it evaluated, filtered or not.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html#read-operation-consumption>.
pub struct ReadCapacity<'a> {
    pub report: CapacityReport,
    pub table_name: &'a str,
    pub consistent: bool,
}

/// The storage key a page resumes after: `ExclusiveStartKey` must be a primary key of
/// the table.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html#DDB-Query-request-ExclusiveStartKey>.
pub fn start_key(
    schema: &KeySchema,
    start: Option<Item>,
) -> Result<Option<StorageKey>, DynamoDbError> {
    start
        .map(|start| {
            schema.key_of_request(&start).map_err(|_| {
                DynamoDbError::validation(format!(
                    "The provided starting key is invalid: {KEY_MISMATCH}"
                ))
            })
        })
        .transpose()
}

/// Reads `Limit`, which must be at least 1.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html#DDB-Query-request-Limit>.
pub fn limit(value: Option<i64>) -> Result<Option<usize>, DynamoDbError> {
    match value {
        None => Ok(None),
        Some(n) if n >= 1 => Ok(Some(usize::try_from(n).unwrap_or(usize::MAX))),
        Some(n) => Err(DynamoDbError::validation(format!(
            "1 validation error detected: Value '{n}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"
        ))),
    }
}

/// Checks `Select` against the projection and returns the value `dynamodb:Select` sees:
/// the one sent, or SPECIFIC_ATTRIBUTES when only a projection is sent.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html#DDB-Query-request-Select>.
pub fn select(value: Option<&str>, has_projection: bool) -> Result<Option<String>, DynamoDbError> {
    match (value, has_projection) {
        (None, false) => Ok(None),
        (None, true) | (Some("SPECIFIC_ATTRIBUTES"), true) => {
            Ok(Some("SPECIFIC_ATTRIBUTES".to_string()))
        }
        (Some("SPECIFIC_ATTRIBUTES"), false) => Err(DynamoDbError::validation(
            "Select type SPECIFIC_ATTRIBUTES requires AttributesToGet or ProjectionExpression",
        )),
        (Some("ALL_ATTRIBUTES" | "COUNT"), false) => Ok(value.map(str::to_string)),
        (Some("ALL_ATTRIBUTES" | "COUNT"), true) => Err(DynamoDbError::validation(
            "Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES or COUNT",
        )),
        (Some("ALL_PROJECTED_ATTRIBUTES"), _) => Err(DynamoDbError::validation(
            "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName",
        )),
        (Some(other), _) => Err(DynamoDbError::validation(format!(
            "1 validation error detected: Value '{other}' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]"
        ))),
    }
}

/// Builds the response from items in evaluation order. `Limit` caps the items evaluated
/// (before the filter); when it is reached, `LastEvaluatedKey` names the last one.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.Pagination.html>.
pub fn page<'i>(items: impl Iterator<Item = &'i Item>, shape: &PageShape<'_>) -> Value {
    let mut scanned = 0usize;
    let mut matched = Vec::new();
    let mut last = None;
    let mut scanned_bytes = 0usize;
    for item in items {
        if shape.limit.is_some_and(|limit| scanned >= limit) {
            break;
        }
        scanned += 1;
        scanned_bytes += item_size(item);
        last = Some(item);
        if shape.filter.is_some_and(|filter| !evaluate(filter, item)) {
            continue;
        }
        matched.push(match shape.projection {
            Some(paths) => project(item, paths),
            None => item.clone(),
        });
    }
    let mut response = json!({ "Count": matched.len(), "ScannedCount": scanned });
    if !shape.count_only {
        response["Items"] = Value::Array(matched.iter().map(item_to_json).collect());
    }
    if let (Some(limit), Some(last)) = (shape.limit, last)
        && scanned == limit
    {
        response["LastEvaluatedKey"] = item_to_json(&shape.schema.key_item(last));
    }
    if let Some(capacity) = &shape.capacity {
        capacity.report.add_to(
            &mut response,
            capacity.table_name,
            read_units(scanned_bytes, capacity.consistent),
        );
    }
    response
}
