//! Applies update expressions (SET, REMOVE, ADD, DELETE) to an item.

use super::attribute_value::{AttributeValue, Item};
use super::document;
use super::error::DynamoDbError;
use super::expression::{SetValue, UpdateAction};

/// Rejects updates that write a key attribute.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html>.
pub fn check_key_untouched(
    actions: &[UpdateAction],
    key_names: &[&str],
) -> Result<(), DynamoDbError> {
    for action in actions {
        let name = action.target().top_level();
        if key_names.contains(&name) {
            return Err(DynamoDbError::validation(format!(
                "One or more parameter values were invalid: Cannot update attribute {name}. This attribute is part of the key"
            )));
        }
    }
    Ok(())
}

/// Applies the actions to a copy of `old`. Every right-hand side reads the item as it was
/// before the update, as DynamoDB evaluates them.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html>.
pub fn apply(old: &Item, actions: &[UpdateAction]) -> Result<Item, DynamoDbError> {
    let mut new = old.clone();
    for action in actions {
        match action {
            UpdateAction::Set(path, value) => {
                let value = set_value(value, old)?;
                document::set(&mut new, path, value).map_err(|_| invalid_path())?;
            }
            UpdateAction::Remove(path) => document::remove(&mut new, path),
            UpdateAction::Add(path, value) => {
                let added = add(document::get(old, path), value)?;
                document::set(&mut new, path, added).map_err(|_| invalid_path())?;
            }
            UpdateAction::Delete(path, value) => match delete(document::get(old, path), value)? {
                Some(remaining) => {
                    document::set(&mut new, path, remaining).map_err(|_| invalid_path())?
                }
                None => document::remove(&mut new, path),
            },
        }
    }
    Ok(new)
}

fn invalid_path() -> DynamoDbError {
    DynamoDbError::validation(
        "The document path provided in the update expression is invalid for update",
    )
}

fn wrong_type() -> DynamoDbError {
    DynamoDbError::validation("An operand in the update expression has an incorrect data type")
}

fn set_value(value: &SetValue, old: &Item) -> Result<AttributeValue, DynamoDbError> {
    match value {
        SetValue::Value(v) => Ok(v.clone()),
        SetValue::Path(path) => document::get(old, path).cloned().ok_or_else(|| {
            // See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html#Expressions.UpdateExpressions.SET.IncrementAndDecrement>.
            DynamoDbError::validation(
                "The provided expression refers to an attribute that does not exist in the item",
            )
        }),
        SetValue::IfNotExists(path, fallback) => match document::get(old, path) {
            Some(existing) => Ok(existing.clone()),
            None => set_value(fallback, old),
        },
        SetValue::ListAppend(a, b) => match (set_value(a, old)?, set_value(b, old)?) {
            (AttributeValue::L(mut a), AttributeValue::L(b)) => {
                a.extend(b);
                Ok(AttributeValue::L(a))
            }
            _ => Err(wrong_type()),
        },
        SetValue::Plus(a, b) | SetValue::Minus(a, b) => {
            let (a, b) = (set_value(a, old)?, set_value(b, old)?);
            let (Some(a), Some(b)) = (a.as_decimal(), b.as_decimal()) else {
                return Err(wrong_type());
            };
            let result = if matches!(value, SetValue::Plus(..)) {
                a + b
            } else {
                a - b
            };
            Ok(AttributeValue::number(&result))
        }
    }
}

/// ADD: adds to a number (a absent attribute counts as 0) or unions into a set.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html#Expressions.UpdateExpressions.ADD>.
fn add(
    existing: Option<&AttributeValue>,
    value: &AttributeValue,
) -> Result<AttributeValue, DynamoDbError> {
    match (existing, value) {
        (
            None,
            AttributeValue::N(_)
            | AttributeValue::Ss(_)
            | AttributeValue::Ns(_)
            | AttributeValue::Bs(_),
        ) => Ok(value.clone()),
        (Some(current @ AttributeValue::N(_)), AttributeValue::N(_)) => {
            let (Some(a), Some(b)) = (current.as_decimal(), value.as_decimal()) else {
                return Err(wrong_type());
            };
            Ok(AttributeValue::number(&(a + b)))
        }
        (Some(AttributeValue::Ss(current)), AttributeValue::Ss(more)) => {
            let mut union = current.clone();
            union.extend(more.iter().filter(|m| !current.contains(m)).cloned());
            Ok(AttributeValue::Ss(union))
        }
        (Some(AttributeValue::Ns(current)), AttributeValue::Ns(more)) => {
            let mut union = current.clone();
            for m in more {
                let member = AttributeValue::N(m.clone());
                if !current
                    .iter()
                    .any(|c| AttributeValue::N(c.clone()).equals(&member))
                {
                    union.push(m.clone());
                }
            }
            Ok(AttributeValue::Ns(union))
        }
        (Some(AttributeValue::Bs(current)), AttributeValue::Bs(more)) => {
            let mut union = current.clone();
            union.extend(more.iter().filter(|m| !current.contains(m)).cloned());
            Ok(AttributeValue::Bs(union))
        }
        _ => Err(wrong_type()),
    }
}

/// DELETE: removes members from a set; an emptied set disappears.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html#Expressions.UpdateExpressions.DELETE>.
fn delete(
    existing: Option<&AttributeValue>,
    value: &AttributeValue,
) -> Result<Option<AttributeValue>, DynamoDbError> {
    let remaining = match (existing, value) {
        (None, AttributeValue::Ss(_) | AttributeValue::Ns(_) | AttributeValue::Bs(_)) => {
            return Ok(None);
        }
        (Some(AttributeValue::Ss(current)), AttributeValue::Ss(gone)) => {
            let kept: Vec<_> = current
                .iter()
                .filter(|c| !gone.contains(c))
                .cloned()
                .collect();
            (!kept.is_empty()).then_some(AttributeValue::Ss(kept))
        }
        (Some(AttributeValue::Ns(current)), AttributeValue::Ns(gone)) => {
            let kept: Vec<_> = current
                .iter()
                .filter(|c| {
                    !gone.iter().any(|g| {
                        AttributeValue::N(g.clone()).equals(&AttributeValue::N((*c).clone()))
                    })
                })
                .cloned()
                .collect();
            (!kept.is_empty()).then_some(AttributeValue::Ns(kept))
        }
        (Some(AttributeValue::Bs(current)), AttributeValue::Bs(gone)) => {
            let kept: Vec<_> = current
                .iter()
                .filter(|c| !gone.contains(c))
                .cloned()
                .collect();
            (!kept.is_empty()).then_some(AttributeValue::Bs(kept))
        }
        _ => return Err(wrong_type()),
    };
    Ok(remaining)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::dynamodb::expression::ExpressionParser;
    use std::collections::BTreeMap;

    fn run(old: &Item, text: &str) -> Result<Item, DynamoDbError> {
        let names = BTreeMap::new();
        let values = BTreeMap::from([
            (":n".to_string(), AttributeValue::N("5".into())),
            (":s".to_string(), AttributeValue::S("v".into())),
            (
                ":l".to_string(),
                AttributeValue::L(vec![AttributeValue::S("z".into())]),
            ),
            (
                ":set".to_string(),
                AttributeValue::Ss(vec!["b".into(), "c".into()]),
            ),
        ]);
        let actions = ExpressionParser::new(&names, &values).update(text)?;
        apply(old, &actions)
    }

    fn base() -> Item {
        Item::from([
            ("pk".to_string(), AttributeValue::S("a".into())),
            ("n".to_string(), AttributeValue::N("1.5".into())),
            (
                "parts".to_string(),
                AttributeValue::L(vec![AttributeValue::S("y".into())]),
            ),
            (
                "labels".to_string(),
                AttributeValue::Ss(vec!["a".into(), "b".into()]),
            ),
        ])
    }

    #[test]
    fn set_value_increment_and_if_not_exists() {
        let new = run(&base(), "SET x = :s, n = n + :n, m = n - :n, y = if_not_exists(y, :n), z = if_not_exists(n, :n)").unwrap();
        assert_eq!(new["x"], AttributeValue::S("v".into()));
        assert_eq!(new["n"].to_json(), serde_json::json!({"N": "6.5"}));
        assert_eq!(new["m"].to_json(), serde_json::json!({"N": "-3.5"}));
        assert_eq!(new["y"], AttributeValue::N("5".into()));
        assert_eq!(new["z"], AttributeValue::N("1.5".into()));
    }

    #[test]
    fn list_append_remove_add_delete() {
        let new = run(&base(), "SET parts = list_append(parts, :l) REMOVE pk ADD visits :n, labels :set DELETE absent :set").unwrap();
        assert_eq!(
            new["parts"],
            AttributeValue::L(vec![
                AttributeValue::S("y".into()),
                AttributeValue::S("z".into())
            ])
        );
        assert!(!new.contains_key("pk"));
        assert_eq!(new["visits"], AttributeValue::N("5".into()));
        assert_eq!(
            new["labels"],
            AttributeValue::Ss(vec!["a".into(), "b".into(), "c".into()])
        );
        let emptied = run(&new, "DELETE labels :set").unwrap();
        assert_eq!(emptied["labels"], AttributeValue::Ss(vec!["a".into()]));
    }

    #[test]
    fn arithmetic_on_missing_or_wrong_types_fails_with_aws_wording() {
        assert_eq!(
            run(&base(), "SET x = absent + :n").unwrap_err(),
            DynamoDbError::validation(
                "The provided expression refers to an attribute that does not exist in the item"
            )
        );
        assert_eq!(
            run(&base(), "SET x = pk + :n").unwrap_err(),
            DynamoDbError::validation(
                "An operand in the update expression has an incorrect data type"
            )
        );
        assert_eq!(
            run(&base(), "ADD pk :n").unwrap_err(),
            DynamoDbError::validation(
                "An operand in the update expression has an incorrect data type"
            )
        );
        assert_eq!(
            run(&base(), "SET nope.deeper = :n").unwrap_err(),
            DynamoDbError::validation(
                "The document path provided in the update expression is invalid for update"
            )
        );
    }

    #[test]
    fn key_attributes_cannot_be_updated() {
        let names = BTreeMap::new();
        let values = BTreeMap::from([(":s".to_string(), AttributeValue::S("v".into()))]);
        let actions = ExpressionParser::new(&names, &values)
            .update("SET pk = :s")
            .unwrap();
        assert_eq!(
            check_key_untouched(&actions, &["pk"]).unwrap_err(),
            DynamoDbError::validation(
                "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key"
            )
        );
    }
}
