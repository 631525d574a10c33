//! A table's primary key: its partition and optional sort key, how request keys are
//! checked against it, and the ordered key items are stored under.

use super::attribute_value::{AttributeValue, Item};
use super::error::DynamoDbError;
use bigdecimal::BigDecimal;

/// The scalar types a key attribute may have.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_AttributeDefinition.html>.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarType {
    S,
    N,
    B,
}

impl ScalarType {
    pub fn parse(text: &str) -> Option<ScalarType> {
        match text {
            "S" => Some(ScalarType::S),
            "N" => Some(ScalarType::N),
            "B" => Some(ScalarType::B),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ScalarType::S => "S",
            ScalarType::N => "N",
            ScalarType::B => "B",
        }
    }

    fn matches(self, value: &AttributeValue) -> bool {
        value.type_name() == self.name()
    }
}

/// One key attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyAttribute {
    pub name: String,
    pub scalar_type: ScalarType,
}

/// A table's primary key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeySchema {
    pub partition: KeyAttribute,
    pub sort: Option<KeyAttribute>,
}

/// A key value in storage order: strings by UTF-8 bytes, numbers by value, binaries by
/// unsigned bytes, which is how DynamoDB orders sort keys.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.html>.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum KeyValue {
    S(String),
    N(BigDecimal),
    B(Vec<u8>),
}

impl KeyValue {
    /// The key value of a scalar attribute value; `None` for other types.
    pub fn from_attribute(value: &AttributeValue) -> Option<KeyValue> {
        match value {
            AttributeValue::S(s) => Some(KeyValue::S(s.clone())),
            AttributeValue::N(_) => value.as_decimal().map(KeyValue::N),
            AttributeValue::B(b) => Some(KeyValue::B(b.clone())),
            _ => None,
        }
    }
}

/// Where an item lives: its partition key value, then its sort key value.
pub type StorageKey = (KeyValue, Option<KeyValue>);

/// The message DynamoDB gives for a `Key` that does not fit the schema.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html#API_GetItem_RequestSyntax>.
pub const KEY_MISMATCH: &str = "The provided key element does not match the schema";

impl KeySchema {
    /// The key attribute names, partition first.
    pub fn names(&self) -> Vec<&str> {
        let mut names = vec![self.partition.name.as_str()];
        if let Some(sort) = &self.sort {
            names.push(&sort.name);
        }
        names
    }

    fn attributes(&self) -> impl Iterator<Item = &KeyAttribute> {
        std::iter::once(&self.partition).chain(self.sort.iter())
    }

    /// Checks a `Key` parameter: exactly the key attributes, with their types.
    pub fn key_of_request(&self, key: &Item) -> Result<StorageKey, DynamoDbError> {
        let fits = key.len() == self.names().len()
            && self
                .attributes()
                .all(|a| key.get(&a.name).is_some_and(|v| a.scalar_type.matches(v)));
        if !fits {
            return Err(DynamoDbError::validation(KEY_MISMATCH));
        }
        self.storage_key(key)
    }

    /// Checks an item written by PutItem: every key attribute present with its type and
    /// not empty.
    /// See <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html>.
    pub fn key_of_item(&self, item: &Item) -> Result<StorageKey, DynamoDbError> {
        for attribute in self.attributes() {
            let Some(value) = item.get(&attribute.name) else {
                return Err(DynamoDbError::validation(format!(
                    "One or more parameter values were invalid: Missing the key {} in the item",
                    attribute.name
                )));
            };
            if !attribute.scalar_type.matches(value) {
                return Err(DynamoDbError::validation(format!(
                    "One or more parameter values were invalid: Type mismatch for key {} expected: {} actual: {}",
                    attribute.name,
                    attribute.scalar_type.name(),
                    value.type_name()
                )));
            }
            let empty = match value {
                AttributeValue::S(s) => s.is_empty(),
                AttributeValue::B(b) => b.is_empty(),
                _ => false,
            };
            if empty {
                return Err(DynamoDbError::validation(format!(
                    "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: {}",
                    attribute.name
                )));
            }
        }
        self.storage_key(item)
    }

    /// The key attributes of an item, as `LastEvaluatedKey` and `Key` carry them.
    pub fn key_item(&self, item: &Item) -> Item {
        self.attributes()
            .filter_map(|a| Some((a.name.clone(), item.get(&a.name)?.clone())))
            .collect()
    }

    fn storage_key(&self, item: &Item) -> Result<StorageKey, DynamoDbError> {
        let value = |a: &KeyAttribute| {
            item.get(&a.name)
                .and_then(KeyValue::from_attribute)
                .ok_or_else(|| DynamoDbError::validation(KEY_MISMATCH))
        };
        let partition = value(&self.partition)?;
        let sort = self.sort.as_ref().map(value).transpose()?;
        Ok((partition, sort))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> KeySchema {
        KeySchema {
            partition: KeyAttribute {
                name: "pk".into(),
                scalar_type: ScalarType::S,
            },
            sort: Some(KeyAttribute {
                name: "sk".into(),
                scalar_type: ScalarType::N,
            }),
        }
    }

    fn item(entries: &[(&str, AttributeValue)]) -> Item {
        entries
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn request_keys_must_match_exactly() {
        let s = schema();
        let good = item(&[
            ("pk", AttributeValue::S("a".into())),
            ("sk", AttributeValue::N("1".into())),
        ]);
        assert!(s.key_of_request(&good).is_ok());
        let missing = item(&[("pk", AttributeValue::S("a".into()))]);
        assert_eq!(
            s.key_of_request(&missing).unwrap_err(),
            DynamoDbError::validation(KEY_MISMATCH)
        );
        let wrong_type = item(&[
            ("pk", AttributeValue::N("1".into())),
            ("sk", AttributeValue::N("1".into())),
        ]);
        assert_eq!(
            s.key_of_request(&wrong_type).unwrap_err(),
            DynamoDbError::validation(KEY_MISMATCH)
        );
        let mut extra = good.clone();
        extra.insert("x".into(), AttributeValue::Null);
        assert_eq!(
            s.key_of_request(&extra).unwrap_err(),
            DynamoDbError::validation(KEY_MISMATCH)
        );
    }

    #[test]
    fn put_items_name_the_missing_or_mistyped_key() {
        let s = schema();
        assert_eq!(
            s.key_of_item(&item(&[("pk", AttributeValue::S("a".into()))]))
                .unwrap_err(),
            DynamoDbError::validation(
                "One or more parameter values were invalid: Missing the key sk in the item"
            )
        );
        assert_eq!(
            s.key_of_item(&item(&[
                ("pk", AttributeValue::S("a".into())),
                ("sk", AttributeValue::S("1".into()))
            ]))
            .unwrap_err(),
            DynamoDbError::validation(
                "One or more parameter values were invalid: Type mismatch for key sk expected: N actual: S"
            )
        );
        assert!(matches!(
            s.key_of_item(&item(&[("pk", AttributeValue::S(String::new())), ("sk", AttributeValue::N("1".into()))])),
            Err(DynamoDbError::Validation(m)) if m.contains("cannot contain an empty string value")
        ));
    }

    #[test]
    fn numeric_sort_keys_order_by_value() {
        let s = schema();
        let key = |n: &str| {
            s.key_of_request(&item(&[
                ("pk", AttributeValue::S("a".into())),
                ("sk", AttributeValue::N(n.into())),
            ]))
            .unwrap()
        };
        assert!(key("9") < key("10"));
        assert!(key("-1") < key("0.5"));
        assert_eq!(key("1.0"), key("1"));
    }
}
