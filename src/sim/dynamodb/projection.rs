//! Applies projection expressions: copies only the named document paths out of an item.

use super::attribute_value::{AttributeValue, Item};
use super::document;
use super::expression::{DocumentPath, PathElement};

/// The item reduced to the projected paths. Paths that do not exist are left out; list
/// elements picked by index keep their relative order.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ProjectionExpressions.html>.
pub fn project(item: &Item, paths: &[DocumentPath]) -> Item {
    let mut out = Item::new();
    for path in paths {
        if let Some(value) = document::get(item, path) {
            insert(&mut out, &path.elements, value.clone());
        }
    }
    out
}

fn insert(out: &mut Item, elements: &[PathElement], value: AttributeValue) {
    let Some((PathElement::Attribute(name), rest)) = elements.split_first() else {
        return;
    };
    if rest.is_empty() {
        out.insert(name.clone(), value);
        return;
    }
    let slot = out.entry(name.clone()).or_insert_with(|| match rest[0] {
        PathElement::Attribute(_) => AttributeValue::M(Item::new()),
        PathElement::Index(_) => AttributeValue::L(Vec::new()),
    });
    insert_nested(slot, rest, value);
}

fn insert_nested(slot: &mut AttributeValue, elements: &[PathElement], value: AttributeValue) {
    match (slot, elements.split_first()) {
        (AttributeValue::M(map), Some(_)) => insert(map, elements, value),
        (AttributeValue::L(list), Some((PathElement::Index(_), rest))) => {
            if rest.is_empty() {
                list.push(value);
            } else {
                let mut child = match rest[0] {
                    PathElement::Attribute(_) => AttributeValue::M(Item::new()),
                    PathElement::Index(_) => AttributeValue::L(Vec::new()),
                };
                insert_nested(&mut child, rest, value);
                list.push(child);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::dynamodb::expression::ExpressionParser;
    use serde_json::json;
    use std::collections::BTreeMap;

    #[test]
    fn keeps_only_projected_top_level_and_nested_paths() {
        let item = crate::sim::dynamodb::attribute_value::item_from_json(
            json!({
                "pk": {"S": "a"}, "secret": {"S": "s"},
                "doc": {"M": {"keep": {"N": "1"}, "drop": {"N": "2"}}},
                "parts": {"L": [{"S": "x"}, {"S": "y"}, {"S": "z"}]}
            })
            .as_object()
            .unwrap(),
        )
        .unwrap();
        let names = BTreeMap::new();
        let values = BTreeMap::new();
        let paths = ExpressionParser::new(&names, &values)
            .projection("pk, doc.keep, parts[2], absent")
            .unwrap();
        let projected = project(&item, &paths);
        assert_eq!(
            crate::sim::dynamodb::attribute_value::item_to_json(&projected),
            json!({"pk": {"S": "a"}, "doc": {"M": {"keep": {"N": "1"}}}, "parts": {"L": [{"S": "z"}]}})
        );
    }
}
