//! Reading and writing document paths (`a.b[0]`) inside an item.

use super::attribute_value::{AttributeValue, Item};
use super::expression::{DocumentPath, PathElement};

/// The value at a path, or `None` when any step is missing or of the wrong type.
pub fn get<'a>(item: &'a Item, path: &DocumentPath) -> Option<&'a AttributeValue> {
    let mut elements = path.elements.iter();
    let mut current = match elements.next()? {
        PathElement::Attribute(name) => item.get(name)?,
        PathElement::Index(_) => return None,
    };
    for element in elements {
        current = match (element, current) {
            (PathElement::Attribute(name), AttributeValue::M(map)) => map.get(name)?,
            (PathElement::Index(index), AttributeValue::L(list)) => list.get(*index)?,
            _ => return None,
        };
    }
    Some(current)
}

/// Why a path cannot be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidPathForUpdate;

/// Writes a value at a path. The parent must exist; a list index past the end appends,
/// as DynamoDB's SET does.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html#Expressions.UpdateExpressions.SET.AddingListElements>.
pub fn set(
    item: &mut Item,
    path: &DocumentPath,
    value: AttributeValue,
) -> Result<(), InvalidPathForUpdate> {
    let (last, parents) = path.elements.split_last().ok_or(InvalidPathForUpdate)?;
    if parents.is_empty() {
        return match last {
            PathElement::Attribute(name) => {
                item.insert(name.clone(), value);
                Ok(())
            }
            PathElement::Index(_) => Err(InvalidPathForUpdate),
        };
    }
    let parent = parent_mut(item, parents).ok_or(InvalidPathForUpdate)?;
    match (last, parent) {
        (PathElement::Attribute(name), AttributeValue::M(map)) => {
            map.insert(name.clone(), value);
            Ok(())
        }
        (PathElement::Index(index), AttributeValue::L(list)) => {
            if *index < list.len() {
                list[*index] = value;
            } else {
                list.push(value);
            }
            Ok(())
        }
        _ => Err(InvalidPathForUpdate),
    }
}

/// Removes the value at a path; a missing path is not an error.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html#Expressions.UpdateExpressions.REMOVE>.
pub fn remove(item: &mut Item, path: &DocumentPath) {
    let Some((last, parents)) = path.elements.split_last() else {
        return;
    };
    if parents.is_empty() {
        if let PathElement::Attribute(name) = last {
            item.remove(name);
        }
        return;
    }
    match (last, parent_mut(item, parents)) {
        (PathElement::Attribute(name), Some(AttributeValue::M(map))) => {
            map.remove(name);
        }
        (PathElement::Index(index), Some(AttributeValue::L(list))) if *index < list.len() => {
            list.remove(*index);
        }
        _ => {}
    }
}

fn parent_mut<'a>(item: &'a mut Item, elements: &[PathElement]) -> Option<&'a mut AttributeValue> {
    let (first, rest) = elements.split_first()?;
    let mut current = match first {
        PathElement::Attribute(name) => item.get_mut(name)?,
        PathElement::Index(_) => return None,
    };
    for element in rest {
        current = match (element, current) {
            (PathElement::Attribute(name), AttributeValue::M(map)) => map.get_mut(name)?,
            (PathElement::Index(index), AttributeValue::L(list)) => list.get_mut(*index)?,
            _ => return None,
        };
    }
    Some(current)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(elements: Vec<PathElement>) -> DocumentPath {
        DocumentPath { elements }
    }

    fn attr(name: &str) -> PathElement {
        PathElement::Attribute(name.into())
    }

    fn sample() -> Item {
        Item::from([(
            "a".to_string(),
            AttributeValue::M(Item::from([(
                "l".to_string(),
                AttributeValue::L(vec![AttributeValue::S("x".into())]),
            )])),
        )])
    }

    #[test]
    fn gets_nested_values_and_misses_wrong_types() {
        let item = sample();
        let hit = path(vec![attr("a"), attr("l"), PathElement::Index(0)]);
        assert_eq!(get(&item, &hit), Some(&AttributeValue::S("x".into())));
        assert_eq!(
            get(&item, &path(vec![attr("a"), PathElement::Index(0)])),
            None
        );
        assert_eq!(get(&item, &path(vec![attr("b")])), None);
    }

    #[test]
    fn sets_into_existing_parents_only() {
        let mut item = sample();
        set(
            &mut item,
            &path(vec![attr("a"), attr("k")]),
            AttributeValue::Null,
        )
        .unwrap();
        assert!(get(&item, &path(vec![attr("a"), attr("k")])).is_some());
        set(
            &mut item,
            &path(vec![attr("a"), attr("l"), PathElement::Index(9)]),
            AttributeValue::Bool(true),
        )
        .unwrap();
        assert_eq!(
            get(
                &item,
                &path(vec![attr("a"), attr("l"), PathElement::Index(1)])
            ),
            Some(&AttributeValue::Bool(true))
        );
        assert_eq!(
            set(
                &mut item,
                &path(vec![attr("z"), attr("k")]),
                AttributeValue::Null
            ),
            Err(InvalidPathForUpdate)
        );
    }

    #[test]
    fn removes_nested_and_ignores_missing() {
        let mut item = sample();
        remove(
            &mut item,
            &path(vec![attr("a"), attr("l"), PathElement::Index(0)]),
        );
        assert_eq!(
            get(&item, &path(vec![attr("a"), attr("l")])),
            Some(&AttributeValue::L(vec![]))
        );
        remove(&mut item, &path(vec![attr("missing")]));
        remove(&mut item, &path(vec![attr("a")]));
        assert!(item.is_empty());
    }
}
