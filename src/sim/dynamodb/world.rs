//! The world file's `dynamodb` section: tables with their key schema, tags and items, in
//! the shape of CreateTable and PutItem, validated into tables.
//!
//! ```yaml
//! dynamodb:
//!   tables:
//!     - TableName: records
//!       KeySchema: [{AttributeName: pk, KeyType: HASH}, {AttributeName: sk, KeyType: RANGE}]
//!       AttributeDefinitions:
//!         - {AttributeName: pk, AttributeType: S}
//!         - {AttributeName: sk, AttributeType: S}
//!       Tags: [{Key: env, Value: staging}]
//!       Items:
//!         - {pk: {S: tenant-a}, sk: {S: doc#1}, body: {S: hello}}
//! ```

use super::attribute_value::item_from_json;
use super::key_schema::{KeyAttribute, KeySchema, ScalarType};
use super::table::Table;
use crate::sim::world::WorldError;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DynamoDbWorld {
    #[serde(default)]
    pub tables: Vec<TableSpec>,
}

/// One table, as CreateTable describes it, with its initial items.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html>.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct TableSpec {
    pub table_name: String,
    pub key_schema: Vec<KeySchemaElement>,
    pub attribute_definitions: Vec<AttributeDefinition>,
    /// Items in DynamoDB JSON (`{"pk": {"S": "tenant-a"}}`).
    #[serde(default)]
    pub items: Vec<serde_json::Value>,
    #[serde(default)]
    pub tags: Vec<TagSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct KeySchemaElement {
    pub attribute_name: String,
    /// `HASH` (partition key) or `RANGE` (sort key).
    pub key_type: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct AttributeDefinition {
    pub attribute_name: String,
    /// `S`, `N` or `B`.
    pub attribute_type: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct TagSpec {
    pub key: String,
    pub value: String,
}

impl DynamoDbWorld {
    /// Checks every table and returns them, or every problem found.
    pub fn validate(&self, region: &str, account_id: &str) -> Result<Vec<Table>, Vec<WorldError>> {
        let mut errors = Vec::new();
        let mut tables = Vec::new();
        let mut names = BTreeSet::new();
        for (index, spec) in self.tables.iter().enumerate() {
            let path = format!("dynamodb.tables[{index}]");
            if !names.insert(spec.table_name.clone()) {
                errors.push(error(
                    format!("{path}.TableName"),
                    format!("duplicate table `{}`", spec.table_name),
                ));
            }
            if let Some(table) = spec.validate(&path, region, account_id, &mut errors) {
                tables.push(table);
            }
        }
        if errors.is_empty() {
            Ok(tables)
        } else {
            Err(errors)
        }
    }
}

fn error(path: String, message: impl Into<String>) -> WorldError {
    WorldError {
        path,
        message: message.into(),
    }
}

/// Table names are 3 to 255 characters of letters, digits, `_`, `-` and `.`.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html#HowItWorks.NamingRules>.
fn valid_table_name(name: &str) -> bool {
    (3..=255).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

impl TableSpec {
    fn validate(
        &self,
        path: &str,
        region: &str,
        account_id: &str,
        errors: &mut Vec<WorldError>,
    ) -> Option<Table> {
        let before = errors.len();
        if !valid_table_name(&self.table_name) {
            errors.push(error(
                format!("{path}.TableName"),
                "table names are 3 to 255 characters of letters, digits, `_`, `-` and `.`",
            ));
        }
        let definitions: BTreeMap<&str, &str> = self
            .attribute_definitions
            .iter()
            .map(|d| (d.attribute_name.as_str(), d.attribute_type.as_str()))
            .collect();
        let mut key_attribute = |index: usize, element: &KeySchemaElement| {
            let element_path = format!("{path}.KeySchema[{index}]");
            let Some(type_text) = definitions.get(element.attribute_name.as_str()) else {
                errors.push(error(
                    format!("{element_path}.AttributeName"),
                    format!(
                        "key attribute `{}` has no entry in AttributeDefinitions",
                        element.attribute_name
                    ),
                ));
                return None;
            };
            let Some(scalar_type) = ScalarType::parse(type_text) else {
                errors.push(error(
                    format!("{path}.AttributeDefinitions"),
                    format!("attribute type `{type_text}` is not one of S, N, B"),
                ));
                return None;
            };
            Some(KeyAttribute {
                name: element.attribute_name.clone(),
                scalar_type,
            })
        };
        // The first element is the HASH key, an optional second the RANGE key.
        // See <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_KeySchemaElement.html>.
        let shape: Vec<&str> = self
            .key_schema
            .iter()
            .map(|e| e.key_type.as_str())
            .collect();
        let schema = match shape.as_slice() {
            ["HASH"] => key_attribute(0, &self.key_schema[0]).map(|partition| KeySchema {
                partition,
                sort: None,
            }),
            ["HASH", "RANGE"] => {
                let partition = key_attribute(0, &self.key_schema[0]);
                let sort = key_attribute(1, &self.key_schema[1]);
                match (partition, sort) {
                    (Some(partition), Some(sort)) if partition.name != sort.name => {
                        Some(KeySchema {
                            partition,
                            sort: Some(sort),
                        })
                    }
                    (Some(_), Some(_)) => {
                        errors.push(error(
                            format!("{path}.KeySchema"),
                            "the partition and sort key must be different attributes",
                        ));
                        None
                    }
                    _ => None,
                }
            }
            _ => {
                errors.push(error(
                    format!("{path}.KeySchema"),
                    "expected one HASH element, optionally followed by one RANGE element",
                ));
                None
            }
        };
        // Without secondary indexes, AttributeDefinitions holds exactly the key attributes.
        // See <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html#DDB-CreateTable-request-AttributeDefinitions>.
        for (index, definition) in self.attribute_definitions.iter().enumerate() {
            let is_key = self
                .key_schema
                .iter()
                .any(|k| k.attribute_name == definition.attribute_name);
            if !is_key {
                errors.push(error(
                    format!("{path}.AttributeDefinitions[{index}]"),
                    format!(
                        "`{}` is not a key attribute; define only the attributes of KeySchema",
                        definition.attribute_name
                    ),
                ));
            }
        }
        let schema = schema?;
        let table = Table::new(
            &self.table_name,
            region,
            account_id,
            schema,
            self.tags
                .iter()
                .map(|t| (t.key.clone(), t.value.clone()))
                .collect(),
        );
        for (index, raw) in self.items.iter().enumerate() {
            let item_path = format!("{path}.Items[{index}]");
            let Some(object) = raw.as_object() else {
                errors.push(error(
                    item_path,
                    "an item is a map of attribute names to DynamoDB JSON values",
                ));
                continue;
            };
            let item = match item_from_json(object) {
                Ok(item) => item,
                Err(e) => {
                    errors.push(error(item_path, e.message()));
                    continue;
                }
            };
            match table.schema.key_of_item(&item) {
                Ok(key) => {
                    if !table.seed(key, item) {
                        errors.push(error(item_path, "another item has the same primary key"));
                    }
                }
                Err(e) => errors.push(error(item_path, e.message())),
            }
        }
        (errors.len() == before).then_some(table)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn world(yaml: &str) -> DynamoDbWorld {
        serde_yaml::from_str(yaml).unwrap()
    }

    const GOOD: &str = r#"
tables:
  - TableName: records
    KeySchema: [{AttributeName: pk, KeyType: HASH}, {AttributeName: sk, KeyType: RANGE}]
    AttributeDefinitions: [{AttributeName: pk, AttributeType: S}, {AttributeName: sk, AttributeType: N}]
    Tags: [{Key: owner, Value: platform}]
    Items:
      - {pk: {S: tenant-a}, sk: {N: "1"}, body: {S: hello}}
      - {pk: {S: tenant-b}, sk: {N: "1"}}
"#;

    #[test]
    fn loads_tables_with_items_and_tags() {
        let tables = world(GOOD).validate("us-east-1", "123456789012").unwrap();
        assert_eq!(tables.len(), 1);
        assert_eq!(
            tables[0].arn,
            "arn:aws:dynamodb:us-east-1:123456789012:table/records"
        );
        assert_eq!(tables[0].tags["owner"], "platform");
        assert_eq!(tables[0].item_count(), 2);
    }

    #[test]
    fn reports_every_problem_with_its_key_path() {
        let yaml = r#"
tables:
  - TableName: records
    KeySchema: [{AttributeName: pk, KeyType: HASH}]
    AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
    Items:
      - {other: {S: x}}
      - {pk: {N: "1"}}
      - {pk: {S: a}}
      - {pk: {S: a}}
  - TableName: records
    KeySchema: [{AttributeName: id, KeyType: HASH}]
    AttributeDefinitions: [{AttributeName: extra, AttributeType: S}]
"#;
        let errors = world(yaml)
            .validate("us-east-1", "123456789012")
            .unwrap_err();
        let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "dynamodb.tables[0].Items[0]",
                "dynamodb.tables[0].Items[1]",
                "dynamodb.tables[0].Items[3]",
                "dynamodb.tables[1].TableName",
                "dynamodb.tables[1].KeySchema[0].AttributeName",
                "dynamodb.tables[1].AttributeDefinitions[0]",
            ]
        );
        assert!(errors[0].message.contains("Missing the key pk in the item"));
        assert!(
            errors[1]
                .message
                .contains("Type mismatch for key pk expected: S actual: N")
        );
        assert!(errors[3].message.contains("duplicate table `records`"));
    }

    #[test]
    fn rejects_unknown_fields() {
        let result: Result<DynamoDbWorld, _> = serde_yaml::from_str(
            "tables: [{TableName: t1x, KeySchema: [], AttributeDefinitions: [], BillingMode: X}]",
        );
        assert!(result.is_err());
    }
}
