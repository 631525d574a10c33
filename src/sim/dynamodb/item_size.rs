//! The size DynamoDB counts for an item, and its 400 KB limit.

use super::attribute_value::{AttributeValue, Item};
use super::error::DynamoDbError;

/// The largest item DynamoDB stores: 400 KB, names and values together.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-items>.
pub const MAX_ITEM_BYTES: usize = 400 * 1024;

/// The item's size as DynamoDB counts it: each attribute name's UTF-8 bytes plus its
/// value's size.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html>.
pub fn item_size(item: &Item) -> usize {
    item.iter()
        .map(|(name, value)| name.len() + value_size(value))
        .sum()
}

/// Strings and binaries count their bytes; numbers one byte per two significant digits
/// plus one; null and booleans one byte; lists and maps three bytes plus one per element
/// plus their contents.
fn value_size(value: &AttributeValue) -> usize {
    match value {
        AttributeValue::S(s) => s.len(),
        AttributeValue::N(n) => number_size(n),
        AttributeValue::B(b) => b.len(),
        AttributeValue::Ss(set) => set.iter().map(String::len).sum(),
        AttributeValue::Ns(set) => set.iter().map(|n| number_size(n)).sum(),
        AttributeValue::Bs(set) => set.iter().map(Vec::len).sum(),
        AttributeValue::M(map) => 3 + map.len() + item_size(map),
        AttributeValue::L(list) => 3 + list.len() + list.iter().map(value_size).sum::<usize>(),
        AttributeValue::Null | AttributeValue::Bool(_) => 1,
    }
}

fn number_size(text: &str) -> usize {
    let digits = text
        .split(['e', 'E'])
        .next()
        .unwrap_or_default()
        .chars()
        .filter(char::is_ascii_digit)
        .collect::<String>();
    let significant = digits
        .trim_start_matches('0')
        .trim_end_matches('0')
        .len()
        .max(1);
    significant.div_ceil(2) + 1
}

/// Rejects an item over the limit with DynamoDB's message.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html#API_PutItem_Errors>.
pub fn check_item_size(item: &Item) -> Result<(), DynamoDbError> {
    if item_size(item) > MAX_ITEM_BYTES {
        return Err(DynamoDbError::validation(
            "Item size has exceeded the maximum allowed size",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_names_and_values() {
        let item = Item::from([
            ("pk".to_string(), AttributeValue::S("abc".into())),
            ("n".to_string(), AttributeValue::N("12345".into())),
            ("flag".to_string(), AttributeValue::Bool(true)),
            (
                "l".to_string(),
                AttributeValue::L(vec![AttributeValue::Null, AttributeValue::S("xy".into())]),
            ),
        ]);
        // pk:2+3, n:1+(3+1), flag:4+1, l:1+(3+2+1+2).
        assert_eq!(item_size(&item), 5 + 5 + 5 + 9);
    }

    #[test]
    fn rejects_items_over_400_kb() {
        let big =
            |bytes: usize| Item::from([("b".to_string(), AttributeValue::S("x".repeat(bytes)))]);
        assert!(check_item_size(&big(MAX_ITEM_BYTES - 1)).is_ok());
        assert_eq!(
            check_item_size(&big(MAX_ITEM_BYTES)).unwrap_err(),
            DynamoDbError::validation("Item size has exceeded the maximum allowed size")
        );
    }
}
