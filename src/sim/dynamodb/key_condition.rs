//! Query's key conditions: equality on the partition key and one optional condition on
//! the sort key.

use super::attribute_value::{AttributeValue, Item};
use super::error::DynamoDbError;
use super::expression::{Comparator, Condition, DocumentPath, Operand, PathElement};
use super::key_schema::KeySchema;
use std::cmp::Ordering;

/// The condition on the sort key.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.KeyConditionExpressions.html>.
#[derive(Debug, Clone, PartialEq)]
pub enum SortKeyCondition {
    Compare(Comparator, AttributeValue),
    Between(AttributeValue, AttributeValue),
    BeginsWith(AttributeValue),
}

/// A validated key condition.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyCondition {
    pub partition: AttributeValue,
    pub sort: Option<SortKeyCondition>,
}

fn unsupported() -> DynamoDbError {
    DynamoDbError::validation("Query key condition not supported")
}

fn type_mismatch() -> DynamoDbError {
    DynamoDbError::validation(
        "One or more parameter values were invalid: Condition parameter type does not match schema type",
    )
}

/// The attribute a single-name path names, or `None` for nested paths.
fn attribute_name(path: &DocumentPath) -> Option<&str> {
    match path.elements.as_slice() {
        [PathElement::Attribute(name)] => Some(name),
        _ => None,
    }
}

/// Conditions joined by AND, flattened; OR and NOT are not allowed.
fn conjuncts<'a>(
    condition: &'a Condition,
    out: &mut Vec<&'a Condition>,
) -> Result<(), DynamoDbError> {
    match condition {
        Condition::And(a, b) => {
            conjuncts(a, out)?;
            conjuncts(b, out)
        }
        Condition::Or(..) => Err(DynamoDbError::validation(
            "Invalid operator used in KeyConditionExpression: OR",
        )),
        Condition::Not(..) => Err(DynamoDbError::validation(
            "Invalid operator used in KeyConditionExpression: NOT",
        )),
        other => {
            out.push(other);
            Ok(())
        }
    }
}

/// The attribute a conjunct constrains.
fn constrained_attribute(condition: &Condition) -> Result<&str, DynamoDbError> {
    let path = match condition {
        Condition::Compare(Operand::Path(path), _, Operand::Value(_))
        | Condition::Between(Operand::Path(path), Operand::Value(_), Operand::Value(_))
        | Condition::BeginsWith(Operand::Path(path), Operand::Value(_)) => path,
        _ => return Err(unsupported()),
    };
    attribute_name(path).ok_or_else(unsupported)
}

impl KeyCondition {
    /// Validates a parsed `KeyConditionExpression` against the table's key schema.
    pub fn from_condition(
        condition: &Condition,
        schema: &KeySchema,
    ) -> Result<KeyCondition, DynamoDbError> {
        let mut parts = Vec::new();
        conjuncts(condition, &mut parts)?;
        if parts.len() > 2 {
            return Err(DynamoDbError::validation(
                "Conditions can be of length 1 or 2 only",
            ));
        }
        let mut partition = None;
        let mut sort = None;
        for part in parts {
            let name = constrained_attribute(part)?;
            if name == schema.partition.name {
                let Condition::Compare(_, Comparator::Eq, Operand::Value(value)) = part else {
                    return Err(unsupported());
                };
                if partition.is_some() {
                    return Err(unsupported());
                }
                if value.type_name() != schema.partition.scalar_type.name() {
                    return Err(type_mismatch());
                }
                partition = Some(value.clone());
            } else if let Some(sort_key) = schema.sort.as_ref().filter(|s| s.name == name) {
                if sort.is_some() {
                    return Err(unsupported());
                }
                let wanted = sort_key.scalar_type.name();
                let check = |v: &AttributeValue| {
                    if v.type_name() == wanted {
                        Ok(v.clone())
                    } else {
                        Err(type_mismatch())
                    }
                };
                sort = Some(match part {
                    Condition::Compare(_, Comparator::Ne, _) => return Err(unsupported()),
                    Condition::Compare(_, comparator, Operand::Value(v)) => {
                        SortKeyCondition::Compare(*comparator, check(v)?)
                    }
                    Condition::Between(_, Operand::Value(low), Operand::Value(high)) => {
                        let (low, high) = (check(low)?, check(high)?);
                        if low.compare(&high) == Some(Ordering::Greater) {
                            // See <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html#DDB-Query-request-KeyConditionExpression>.
                            return Err(DynamoDbError::validation(
                                "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound",
                            ));
                        }
                        SortKeyCondition::Between(low, high)
                    }
                    Condition::BeginsWith(_, Operand::Value(prefix)) => {
                        if sort_key.scalar_type.name() == "N" {
                            return Err(DynamoDbError::validation(
                                "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N",
                            ));
                        }
                        SortKeyCondition::BeginsWith(check(prefix)?)
                    }
                    _ => return Err(unsupported()),
                });
            } else {
                return Err(unsupported());
            }
        }
        let Some(partition) = partition else {
            // See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.KeyConditionExpressions.html>.
            return Err(DynamoDbError::validation(format!(
                "Query condition missed key schema element: {}",
                schema.partition.name
            )));
        };
        Ok(KeyCondition { partition, sort })
    }

    /// Whether an item of the queried partition satisfies the sort key condition.
    pub fn matches_sort(&self, item: &Item, schema: &KeySchema) -> bool {
        let (Some(condition), Some(sort_key)) = (&self.sort, &schema.sort) else {
            return true;
        };
        let Some(value) = item.get(&sort_key.name) else {
            return false;
        };
        match condition {
            SortKeyCondition::Compare(comparator, bound) => {
                let Some(order) = value.compare(bound) else {
                    return false;
                };
                match comparator {
                    Comparator::Eq => order == Ordering::Equal,
                    Comparator::Lt => order == Ordering::Less,
                    Comparator::Le => order != Ordering::Greater,
                    Comparator::Gt => order == Ordering::Greater,
                    Comparator::Ge => order != Ordering::Less,
                    Comparator::Ne => false,
                }
            }
            SortKeyCondition::Between(low, high) => {
                value.compare(low).is_some_and(|o| o != Ordering::Less)
                    && value.compare(high).is_some_and(|o| o != Ordering::Greater)
            }
            SortKeyCondition::BeginsWith(prefix) => match (value, prefix) {
                (AttributeValue::S(s), AttributeValue::S(p)) => s.starts_with(p.as_str()),
                (AttributeValue::B(s), AttributeValue::B(p)) => s.starts_with(p),
                _ => false,
            },
        }
    }
}

/// The values compared with `=` in a key condition, for `dynamodb:LeadingKeys` when the
/// table (and so its partition key) is unknown: every candidate partition value.
pub fn equality_values(condition: &Condition) -> Vec<AttributeValue> {
    let mut parts = Vec::new();
    if conjuncts(condition, &mut parts).is_err() {
        return Vec::new();
    }
    parts
        .into_iter()
        .filter_map(|part| match part {
            Condition::Compare(Operand::Path(_), Comparator::Eq, Operand::Value(v)) => {
                Some(v.clone())
            }
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::dynamodb::expression::{ExpressionKind, ExpressionParser};
    use crate::sim::dynamodb::key_schema::{KeyAttribute, ScalarType};
    use std::collections::BTreeMap;

    fn schema() -> KeySchema {
        KeySchema {
            partition: KeyAttribute {
                name: "pk".into(),
                scalar_type: ScalarType::S,
            },
            sort: Some(KeyAttribute {
                name: "sk".into(),
                scalar_type: ScalarType::S,
            }),
        }
    }

    fn key_condition(text: &str) -> Result<KeyCondition, DynamoDbError> {
        let names = BTreeMap::new();
        let values = BTreeMap::from([
            (":a".to_string(), AttributeValue::S("tenant-a".into())),
            (":lo".to_string(), AttributeValue::S("b".into())),
            (":hi".to_string(), AttributeValue::S("d".into())),
            (":n".to_string(), AttributeValue::N("1".into())),
        ]);
        let condition =
            ExpressionParser::new(&names, &values).condition(ExpressionKind::KeyCondition, text)?;
        KeyCondition::from_condition(&condition, &schema())
    }

    fn sort_matches(text: &str, sk: &str) -> bool {
        let item = Item::from([
            ("pk".to_string(), AttributeValue::S("tenant-a".into())),
            ("sk".to_string(), AttributeValue::S(sk.into())),
        ]);
        key_condition(text).unwrap().matches_sort(&item, &schema())
    }

    #[test]
    fn every_sort_key_operator() {
        assert!(sort_matches("pk = :a AND sk = :lo", "b"));
        assert!(sort_matches("pk = :a AND sk < :lo", "a"));
        assert!(!sort_matches("pk = :a AND sk < :lo", "b"));
        assert!(sort_matches("pk = :a AND sk <= :lo", "b"));
        assert!(sort_matches("pk = :a AND sk > :lo", "c"));
        assert!(!sort_matches("pk = :a AND sk >= :lo", "a"));
        assert!(sort_matches("sk BETWEEN :lo AND :hi AND pk = :a", "d"));
        assert!(!sort_matches("pk = :a AND sk BETWEEN :lo AND :hi", "da"));
        assert!(sort_matches("pk = :a AND begins_with(sk, :lo)", "bravo"));
        assert!(!sort_matches("pk = :a AND begins_with(sk, :lo)", "abc"));
    }

    #[test]
    fn rejects_what_dynamodb_rejects() {
        assert_eq!(
            key_condition("sk = :lo").unwrap_err(),
            DynamoDbError::validation("Query condition missed key schema element: pk")
        );
        assert_eq!(
            key_condition("pk = :a OR sk = :lo").unwrap_err(),
            DynamoDbError::validation("Invalid operator used in KeyConditionExpression: OR")
        );
        assert_eq!(key_condition("pk > :a").unwrap_err(), unsupported());
        assert_eq!(
            key_condition("pk = :a AND extra = :lo").unwrap_err(),
            unsupported()
        );
        assert_eq!(
            key_condition("pk = :a AND sk <> :lo").unwrap_err(),
            unsupported()
        );
        assert_eq!(key_condition("pk = :n").unwrap_err(), type_mismatch());
        assert!(matches!(
            key_condition("pk = :a AND sk BETWEEN :hi AND :lo").unwrap_err(),
            DynamoDbError::Validation(m) if m.contains("upper bound")
        ));
    }

    #[test]
    fn equality_values_collects_candidate_partitions() {
        let names = BTreeMap::new();
        let values = BTreeMap::from([
            (":a".to_string(), AttributeValue::S("tenant-a".into())),
            (":lo".to_string(), AttributeValue::S("b".into())),
        ]);
        let condition = ExpressionParser::new(&names, &values)
            .condition(ExpressionKind::KeyCondition, "pk = :a AND sk > :lo")
            .unwrap();
        assert_eq!(
            equality_values(&condition),
            vec![AttributeValue::S("tenant-a".into())]
        );
    }
}
