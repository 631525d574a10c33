//! What every operation shares: the body, the table it names, its expression placeholders
//! and the caller.

use super::super::attribute_value::{AttributeValue, Item, item_from_json};
use super::super::authorization::{AccessKeys, authorize};
use super::super::error::DynamoDbError;
use super::super::expression::DocumentPath;
use super::super::table::Table;
use crate::sim::core::SimCore;
use crate::sim::principal::Principal;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// Everything an operation needs besides its own input.
pub struct OperationContext<'a> {
    pub core: &'a dyn SimCore,
    pub principal: &'a Principal,
    pub tables: &'a BTreeMap<String, Table>,
}

impl OperationContext<'_> {
    /// Finds the table a `TableName` names (a name or a table ARN) and the ARN to authorize
    /// against, whether or not the table exists.
    /// See <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html#DDB-GetItem-request-TableName>.
    pub fn table(
        &self,
        table_name: Option<&str>,
    ) -> Result<(String, Option<&Table>), DynamoDbError> {
        let Some(name) = table_name else {
            // The service framework's message for a missing required member.
            return Err(DynamoDbError::validation(
                "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null",
            ));
        };
        if name.starts_with("arn:") {
            let table = self.tables.values().find(|t| t.arn == name);
            return Ok((name.to_string(), table));
        }
        if name.len() < 3 {
            return Err(DynamoDbError::validation(format!(
                "1 validation error detected: Value '{name}' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3"
            )));
        }
        let arn = format!(
            "arn:aws:dynamodb:{}:{}:table/{name}",
            self.core.region(),
            self.core.account_id()
        );
        Ok((arn, self.tables.get(name)))
    }

    /// Authorizes the operation and then requires the table to exist, in that order, so a
    /// caller without access never learns whether the table exists.
    pub fn authorize_then_find<'t>(
        &self,
        action: &str,
        arn: &str,
        table: Option<&'t Table>,
        keys: &AccessKeys,
    ) -> Result<&'t Table, DynamoDbError> {
        authorize(self.core, self.principal, action, arn, table, keys)?;
        table.ok_or(DynamoDbError::ResourceNotFound)
    }
}

/// Reads the body as the operation's input. The message names the kind of problem only:
/// serde's own text would quote the body, which may hold item values.
pub fn parse_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, DynamoDbError> {
    serde_json::from_slice(body).map_err(|e| {
        let problem = match e.classify() {
            serde_json::error::Category::Io => "i/o error",
            serde_json::error::Category::Syntax => "not valid JSON",
            serde_json::error::Category::Data => "unexpected field type",
            serde_json::error::Category::Eof => "unexpected end of input",
        };
        DynamoDbError::Serialization(format!("could not read the request body: {problem}"))
    })
}

/// Reads a map of DynamoDB JSON values (`Key`, `Item`, `ExclusiveStartKey`).
pub fn item(map: Option<&Map<String, Value>>, member: &str) -> Result<Item, DynamoDbError> {
    let Some(map) = map else {
        return Err(DynamoDbError::validation(format!(
            "1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null"
        )));
    };
    item_from_json(map)
}

/// `ExpressionAttributeNames` and `ExpressionAttributeValues`.
pub struct Placeholders {
    pub names: BTreeMap<String, String>,
    pub values: BTreeMap<String, AttributeValue>,
}

impl Placeholders {
    /// Reads the placeholders; DynamoDB rejects them when the request has no expression,
    /// and rejects them empty.
    /// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ExpressionAttributeNames.html>.
    pub fn read(
        names: Option<BTreeMap<String, String>>,
        values: Option<Map<String, Value>>,
        has_expression: bool,
    ) -> Result<Placeholders, DynamoDbError> {
        if !has_expression {
            if names.is_some() {
                return Err(DynamoDbError::validation(
                    "ExpressionAttributeNames can only be specified when using expressions",
                ));
            }
            if values.is_some() {
                return Err(DynamoDbError::validation(
                    "ExpressionAttributeValues can only be specified when using expressions",
                ));
            }
        }
        if names.as_ref().is_some_and(BTreeMap::is_empty) {
            return Err(DynamoDbError::validation(
                "ExpressionAttributeNames must not be empty",
            ));
        }
        if values.as_ref().is_some_and(Map::is_empty) {
            return Err(DynamoDbError::validation(
                "ExpressionAttributeValues must not be empty",
            ));
        }
        let values = match values {
            Some(map) => map
                .iter()
                .map(|(k, v)| Ok((k.clone(), AttributeValue::from_json(v)?)))
                .collect::<Result<_, DynamoDbError>>()?,
            None => BTreeMap::new(),
        };
        Ok(Placeholders {
            names: names.unwrap_or_default(),
            values,
        })
    }
}

/// Rejects the pre-expression parameters. Local staging does not implement them, and
/// silently ignoring one (`Expected`, `QueryFilter`) would let a write or read through
/// that AWS would refuse.
pub fn reject_legacy(parameters: &[(&str, bool)]) -> Result<(), DynamoDbError> {
    match parameters.iter().find(|(_, present)| *present) {
        Some((name, _)) => Err(DynamoDbError::validation(format!(
            "local staging does not support the legacy parameter {name}; use expression parameters instead"
        ))),
        None => Ok(()),
    }
}

/// The value of a `ReturnValues` parameter among the ones the operation allows.
pub fn return_values(
    value: Option<&str>,
    allowed: &[&str],
    message: &str,
) -> Result<Option<String>, DynamoDbError> {
    match value {
        None => Ok(None),
        Some(v) if allowed.contains(&v) => Ok(Some(v.to_string())),
        Some(_) => Err(DynamoDbError::validation(message)),
    }
}

/// The top-level attribute names of some paths.
pub fn top_level_names<'p>(paths: impl IntoIterator<Item = &'p DocumentPath>) -> BTreeSet<String> {
    paths
        .into_iter()
        .map(|p| p.top_level().to_string())
        .collect()
}

/// `dynamodb:LeadingKeys` for a `Key` parameter: the partition key's value; when the table
/// is unknown, every key value sent, so that a `ForAllValues` condition must hold for each.
pub fn leading_keys_of_key(table: Option<&Table>, key: &Item) -> Vec<String> {
    match table {
        Some(table) => key
            .get(&table.schema.partition.name)
            .and_then(AttributeValue::key_text)
            .into_iter()
            .collect(),
        None => key.values().filter_map(AttributeValue::key_text).collect(),
    }
}

/// The resource a Query or Scan is authorized on: reading an index is authorized on the
/// index's own ARN.
/// See <https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html#amazondynamodb-resources-for-iam-policies>.
pub fn read_resource(table_arn: String, index_name: Option<&str>) -> String {
    match index_name {
        Some(index) => format!("{table_arn}/index/{index}"),
        None => table_arn,
    }
}

/// Local staging's tables have no secondary indexes, so naming one is a validation error.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html#DDB-Query-request-IndexName>.
pub fn reject_index(index_name: Option<&str>) -> Result<(), DynamoDbError> {
    match index_name {
        Some(index) => Err(DynamoDbError::validation(format!(
            "The table does not have the specified index: {index}"
        ))),
        None => Ok(()),
    }
}
