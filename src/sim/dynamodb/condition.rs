//! Evaluates condition and filter expressions against an item.

use super::attribute_value::{AttributeValue, Item};
use super::document;
use super::error::DynamoDbError;
use super::expression::{Comparator, Condition, Operand};
use bigdecimal::BigDecimal;
use std::cmp::Ordering;

/// A write's `ConditionExpression` checked against the item it would replace (an absent
/// item seen as empty): ConditionalCheckFailedException when it does not hold.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html>.
pub fn require(condition: Option<&Condition>, stored: Option<&Item>) -> Result<(), DynamoDbError> {
    match condition {
        Some(condition) if !evaluate(condition, stored.unwrap_or(&Item::new())) => {
            Err(DynamoDbError::ConditionalCheckFailed)
        }
        _ => Ok(()),
    }
}

/// Whether the item satisfies the condition. A absent attribute makes a comparison or
/// function false (so `NOT` of it true), as DynamoDB evaluates it; a condition on a
/// absent item sees an empty item.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html>.
pub fn evaluate(condition: &Condition, item: &Item) -> bool {
    match condition {
        Condition::Compare(left, comparator, right) => {
            let (Some(left), Some(right)) = (operand(left, item), operand(right, item)) else {
                return false;
            };
            match comparator {
                Comparator::Eq => left.equals(&right),
                Comparator::Ne => !left.equals(&right),
                Comparator::Lt => left.compare(&right) == Some(Ordering::Less),
                Comparator::Le => {
                    matches!(left.compare(&right), Some(Ordering::Less | Ordering::Equal))
                }
                Comparator::Gt => left.compare(&right) == Some(Ordering::Greater),
                Comparator::Ge => matches!(
                    left.compare(&right),
                    Some(Ordering::Greater | Ordering::Equal)
                ),
            }
        }
        Condition::Between(value, low, high) => {
            let (Some(value), Some(low), Some(high)) = (
                operand(value, item),
                operand(low, item),
                operand(high, item),
            ) else {
                return false;
            };
            matches!(
                value.compare(&low),
                Some(Ordering::Greater | Ordering::Equal)
            ) && matches!(value.compare(&high), Some(Ordering::Less | Ordering::Equal))
        }
        Condition::In(value, list) => {
            let Some(value) = operand(value, item) else {
                return false;
            };
            list.iter()
                .filter_map(|candidate| operand(candidate, item))
                .any(|candidate| value.equals(&candidate))
        }
        Condition::AttributeExists(path) => document::get(item, path).is_some(),
        Condition::AttributeNotExists(path) => document::get(item, path).is_none(),
        Condition::AttributeType(path, type_name) => {
            match (document::get(item, path), operand(type_name, item)) {
                (Some(value), Some(AttributeValue::S(wanted))) => value.type_name() == wanted,
                _ => false,
            }
        }
        Condition::BeginsWith(value, prefix) => {
            match (operand(value, item), operand(prefix, item)) {
                (Some(AttributeValue::S(s)), Some(AttributeValue::S(p))) => s.starts_with(&p),
                (Some(AttributeValue::B(s)), Some(AttributeValue::B(p))) => s.starts_with(&p),
                _ => false,
            }
        }
        Condition::Contains(container, needle) => {
            let (Some(container), Some(needle)) = (operand(container, item), operand(needle, item))
            else {
                return false;
            };
            contains(&container, &needle)
        }
        Condition::And(a, b) => evaluate(a, item) && evaluate(b, item),
        Condition::Or(a, b) => evaluate(a, item) || evaluate(b, item),
        Condition::Not(a) => !evaluate(a, item),
    }
}

/// `contains`: a substring of a string, an element of a set, or an element of a list.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html#Expressions.OperatorsAndFunctions.Functions>.
fn contains(container: &AttributeValue, needle: &AttributeValue) -> bool {
    match (container, needle) {
        (AttributeValue::S(s), AttributeValue::S(n)) => s.contains(n.as_str()),
        (AttributeValue::B(s), AttributeValue::B(n)) => {
            n.is_empty() || s.windows(n.len()).any(|w| w == n.as_slice())
        }
        (AttributeValue::Ss(set), AttributeValue::S(n)) => set.contains(n),
        (AttributeValue::Ns(set), AttributeValue::N(_)) => set
            .iter()
            .any(|member| AttributeValue::N(member.clone()).equals(needle)),
        (AttributeValue::Bs(set), AttributeValue::B(n)) => set.contains(n),
        (AttributeValue::L(list), _) => list.iter().any(|member| member.equals(needle)),
        _ => false,
    }
}

fn operand(operand: &Operand, item: &Item) -> Option<AttributeValue> {
    match operand {
        Operand::Value(value) => Some(value.clone()),
        Operand::Path(path) => document::get(item, path).cloned(),
        Operand::Size(path) => size(document::get(item, path)?),
    }
}

/// `size`: string length, binary length, number of set members, list elements or map
/// entries.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html#Expressions.OperatorsAndFunctions.Functions>.
fn size(value: &AttributeValue) -> Option<AttributeValue> {
    let length = match value {
        AttributeValue::S(s) => s.chars().count(),
        AttributeValue::B(b) => b.len(),
        AttributeValue::Ss(s) => s.len(),
        AttributeValue::Ns(s) => s.len(),
        AttributeValue::Bs(s) => s.len(),
        AttributeValue::L(l) => l.len(),
        AttributeValue::M(m) => m.len(),
        AttributeValue::N(_) | AttributeValue::Null | AttributeValue::Bool(_) => return None,
    };
    Some(AttributeValue::number(&BigDecimal::from(length as u64)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::dynamodb::expression::{ExpressionKind, ExpressionParser};
    use std::collections::BTreeMap;

    fn item() -> Item {
        Item::from([
            ("pk".to_string(), AttributeValue::S("tenant-a".into())),
            ("amount".to_string(), AttributeValue::N("10".into())),
            (
                "tags".to_string(),
                AttributeValue::Ss(vec!["x".into(), "y".into()]),
            ),
            (
                "doc".to_string(),
                AttributeValue::M(Item::from([(
                    "parts".to_string(),
                    AttributeValue::L(vec![AttributeValue::N("1".into())]),
                )])),
            ),
        ])
    }

    fn holds(text: &str) -> bool {
        let names = BTreeMap::new();
        let values = BTreeMap::from([
            (":a".to_string(), AttributeValue::S("tenant-a".into())),
            (":b".to_string(), AttributeValue::S("tenant-b".into())),
            (":pre".to_string(), AttributeValue::S("ten".into())),
            (":nine".to_string(), AttributeValue::N("9".into())),
            (":ten".to_string(), AttributeValue::N("10.0".into())),
            (":x".to_string(), AttributeValue::S("x".into())),
            (":one".to_string(), AttributeValue::N("1".into())),
            (":ss".to_string(), AttributeValue::S("SS".into())),
        ]);
        let condition = ExpressionParser::new(&names, &values)
            .condition(ExpressionKind::Condition, text)
            .unwrap();
        evaluate(&condition, &item())
    }

    #[test]
    fn comparisons_use_decimal_numbers() {
        assert!(holds("amount = :ten"));
        assert!(holds("amount > :nine"));
        assert!(holds("amount >= :ten AND amount <= :ten"));
        assert!(!holds("amount < :ten"));
        assert!(holds("amount BETWEEN :nine AND :ten"));
        assert!(!holds("amount <> :ten"));
    }

    #[test]
    fn comparisons_across_types_are_false() {
        assert!(!holds("pk < :nine"));
        assert!(!holds("pk = :nine"));
    }

    #[test]
    fn missing_attributes_make_comparisons_false_and_not_true() {
        assert!(!holds("absent = :a"));
        assert!(holds("NOT absent = :a"));
        assert!(holds("attribute_not_exists(absent)"));
        assert!(!holds("attribute_exists(absent)"));
        assert!(holds("attribute_exists(doc.parts[0])"));
    }

    #[test]
    fn precedence_not_and_or() {
        // NOT binds to the first comparison only: (NOT false) AND true OR false.
        assert!(holds("NOT pk = :b AND pk = :a OR pk = :b"));
        // Parentheses change the result: NOT (true OR false) is false.
        assert!(!holds("NOT (pk = :a OR pk = :b)"));
        // AND before OR: true OR (false AND false).
        assert!(holds("pk = :a OR pk = :b AND pk = :b"));
        // (true OR false) AND false.
        assert!(!holds("(pk = :a OR pk = :b) AND pk = :b"));
    }

    #[test]
    fn functions() {
        assert!(holds("begins_with(pk, :pre)"));
        assert!(!holds("begins_with(amount, :pre)"));
        assert!(holds("contains(tags, :x)"));
        assert!(holds("contains(pk, :pre)"));
        assert!(holds("contains(doc.parts, :one)"));
        assert!(holds("attribute_type(tags, :ss)"));
        assert!(holds("size(tags) > :one AND size(pk) < :nine"));
        assert!(!holds("size(amount) > :one"));
        assert!(holds("pk IN (:b, :a)"));
        assert!(!holds("pk IN (:b)"));
    }
}
