//! DynamoDB attribute values and items, read from and written as DynamoDB JSON
//! (`{"S": "tenant-a"}`), with DynamoDB's comparison rules.

use super::error::DynamoDbError;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use bigdecimal::BigDecimal;
use serde_json::{Map, Value};
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::str::FromStr;

/// An item: attribute names to values.
pub type Item = BTreeMap<String, AttributeValue>;

/// One attribute value in DynamoDB's data model. Numbers are kept in DynamoDB's canonical
/// text (no leading or trailing zeros, no exponent) and compared as decimals.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_AttributeValue.html>.
#[derive(Debug, Clone)]
pub enum AttributeValue {
    S(String),
    N(String),
    B(Vec<u8>),
    Ss(Vec<String>),
    Ns(Vec<String>),
    Bs(Vec<Vec<u8>>),
    M(Item),
    L(Vec<AttributeValue>),
    Null,
    Bool(bool),
}

impl PartialEq for AttributeValue {
    fn eq(&self, other: &Self) -> bool {
        self.equals(other)
    }
}

impl AttributeValue {
    /// The data type descriptor (`S`, `N`, `SS`, `M`, ...).
    pub fn type_name(&self) -> &'static str {
        match self {
            AttributeValue::S(_) => "S",
            AttributeValue::N(_) => "N",
            AttributeValue::B(_) => "B",
            AttributeValue::Ss(_) => "SS",
            AttributeValue::Ns(_) => "NS",
            AttributeValue::Bs(_) => "BS",
            AttributeValue::M(_) => "M",
            AttributeValue::L(_) => "L",
            AttributeValue::Null => "NULL",
            AttributeValue::Bool(_) => "BOOL",
        }
    }

    /// A number as a decimal; `None` for other types.
    pub fn as_decimal(&self) -> Option<BigDecimal> {
        match self {
            AttributeValue::N(text) => BigDecimal::from_str(text).ok(),
            _ => None,
        }
    }

    /// A number value from a decimal, written without trailing zeros as DynamoDB returns it.
    pub fn number(value: &BigDecimal) -> AttributeValue {
        AttributeValue::N(value.normalized().to_plain_string())
    }

    /// Equality as the `=` operator defines it: same type and same value; numbers compare
    /// as decimals and sets ignore order.
    /// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html#Expressions.OperatorsAndFunctions.Comparators>.
    pub fn equals(&self, other: &AttributeValue) -> bool {
        match (self, other) {
            (AttributeValue::S(a), AttributeValue::S(b)) => a == b,
            (AttributeValue::N(_), AttributeValue::N(_)) => self.as_decimal() == other.as_decimal(),
            (AttributeValue::B(a), AttributeValue::B(b)) => a == b,
            (AttributeValue::Ss(a), AttributeValue::Ss(b)) => same_elements(a, b, |x, y| x == y),
            (AttributeValue::Ns(a), AttributeValue::Ns(b)) => {
                same_elements(a, b, |x, y| decimal(x) == decimal(y))
            }
            (AttributeValue::Bs(a), AttributeValue::Bs(b)) => same_elements(a, b, |x, y| x == y),
            (AttributeValue::M(a), AttributeValue::M(b)) => {
                a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| v.equals(w)))
            }
            (AttributeValue::L(a), AttributeValue::L(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.equals(y))
            }
            (AttributeValue::Null, AttributeValue::Null) => true,
            (AttributeValue::Bool(a), AttributeValue::Bool(b)) => a == b,
            _ => false,
        }
    }

    /// Ordering as `<`, `<=`, `>`, `>=` and `BETWEEN` define it: only between two numbers,
    /// two strings (by UTF-8 bytes) or two binaries (as unsigned bytes); `None` otherwise,
    /// which makes the comparison false.
    /// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html#HowItWorks.DataTypes>.
    pub fn compare(&self, other: &AttributeValue) -> Option<Ordering> {
        match (self, other) {
            (AttributeValue::S(a), AttributeValue::S(b)) => Some(a.as_bytes().cmp(b.as_bytes())),
            (AttributeValue::N(_), AttributeValue::N(_)) => {
                Some(self.as_decimal()?.cmp(&other.as_decimal()?))
            }
            (AttributeValue::B(a), AttributeValue::B(b)) => Some(a.cmp(b)),
            _ => None,
        }
    }

    /// Reads a value from DynamoDB JSON: an object with exactly one type descriptor.
    pub fn from_json(value: &Value) -> Result<AttributeValue, DynamoDbError> {
        let Value::Object(object) = value else {
            return Err(DynamoDbError::Serialization(
                "Unexpected value type in payload".to_string(),
            ));
        };
        let mut entries = object.iter();
        let (Some((descriptor, inner)), None) = (entries.next(), entries.next()) else {
            // DynamoDB's wording for an AttributeValue with zero or several types.
            // See <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_AttributeValue.html>.
            return Err(DynamoDbError::validation(
                "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes",
            ));
        };
        let parsed = match (descriptor.as_str(), inner) {
            ("S", Value::String(s)) => AttributeValue::S(s.clone()),
            ("N", Value::String(n)) => AttributeValue::N(parse_number(n)?),
            ("B", Value::String(b)) => AttributeValue::B(parse_binary(b)?),
            ("SS", Value::Array(items)) => {
                let strings = items
                    .iter()
                    .map(|v| v.as_str().map(str::to_string).ok_or_else(bad_payload))
                    .collect::<Result<Vec<_>, _>>()?;
                check_set(&strings, "string", |a, b| a == b)?;
                AttributeValue::Ss(strings)
            }
            ("NS", Value::Array(items)) => {
                let numbers = items
                    .iter()
                    .map(|v| v.as_str().ok_or_else(bad_payload).and_then(parse_number))
                    .collect::<Result<Vec<_>, _>>()?;
                check_set(&numbers, "number", |a, b| decimal(a) == decimal(b))?;
                AttributeValue::Ns(numbers)
            }
            ("BS", Value::Array(items)) => {
                let binaries = items
                    .iter()
                    .map(|v| v.as_str().ok_or_else(bad_payload).and_then(parse_binary))
                    .collect::<Result<Vec<_>, _>>()?;
                check_set(&binaries, "binary", |a, b| a == b)?;
                AttributeValue::Bs(binaries)
            }
            ("M", Value::Object(map)) => AttributeValue::M(item_from_json(map)?),
            ("L", Value::Array(items)) => AttributeValue::L(
                items
                    .iter()
                    .map(AttributeValue::from_json)
                    .collect::<Result<_, _>>()?,
            ),
            // DynamoDB accepts only `true` for NULL.
            // See <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_AttributeValue.html>.
            ("NULL", Value::Bool(true)) => AttributeValue::Null,
            ("NULL", Value::Bool(false)) => {
                return Err(DynamoDbError::validation(
                    "One or more parameter values were invalid: Null attribute value types must have the value of true",
                ));
            }
            ("BOOL", Value::Bool(b)) => AttributeValue::Bool(*b),
            ("S" | "N" | "B" | "SS" | "NS" | "BS" | "M" | "L" | "NULL" | "BOOL", _) => {
                return Err(bad_payload());
            }
            _ => {
                return Err(DynamoDbError::validation(
                    "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
                ));
            }
        };
        Ok(parsed)
    }

    /// Writes the value as DynamoDB JSON.
    pub fn to_json(&self) -> Value {
        let (descriptor, inner) = match self {
            AttributeValue::S(s) => ("S", Value::String(s.clone())),
            AttributeValue::N(n) => ("N", Value::String(n.clone())),
            AttributeValue::B(b) => ("B", Value::String(BASE64.encode(b))),
            AttributeValue::Ss(items) => (
                "SS",
                Value::Array(items.iter().cloned().map(Value::String).collect()),
            ),
            AttributeValue::Ns(items) => (
                "NS",
                Value::Array(items.iter().cloned().map(Value::String).collect()),
            ),
            AttributeValue::Bs(items) => (
                "BS",
                Value::Array(
                    items
                        .iter()
                        .map(|b| Value::String(BASE64.encode(b)))
                        .collect(),
                ),
            ),
            AttributeValue::M(item) => ("M", item_to_json(item)),
            AttributeValue::L(items) => (
                "L",
                Value::Array(items.iter().map(AttributeValue::to_json).collect()),
            ),
            AttributeValue::Null => ("NULL", Value::Bool(true)),
            AttributeValue::Bool(b) => ("BOOL", Value::Bool(*b)),
        };
        let mut object = Map::new();
        object.insert(descriptor.to_string(), inner);
        Value::Object(object)
    }

    /// The text a policy sees for a key value (`dynamodb:LeadingKeys`): strings as they
    /// are, numbers in canonical form, binaries in base64.
    pub fn key_text(&self) -> Option<String> {
        match self {
            AttributeValue::S(s) => Some(s.clone()),
            AttributeValue::N(n) => Some(n.clone()),
            AttributeValue::B(b) => Some(BASE64.encode(b)),
            _ => None,
        }
    }
}

/// Reads an item (attribute name to DynamoDB JSON value).
pub fn item_from_json(map: &Map<String, Value>) -> Result<Item, DynamoDbError> {
    map.iter()
        .map(|(name, value)| Ok((name.clone(), AttributeValue::from_json(value)?)))
        .collect()
}

/// Writes an item as DynamoDB JSON.
pub fn item_to_json(item: &Item) -> Value {
    Value::Object(
        item.iter()
            .map(|(name, value)| (name.clone(), value.to_json()))
            .collect(),
    )
}

fn bad_payload() -> DynamoDbError {
    DynamoDbError::Serialization("Unexpected value type in payload".to_string())
}

fn decimal(text: &str) -> Option<BigDecimal> {
    BigDecimal::from_str(text).ok()
}

/// Numbers are sent as strings and must parse as decimals of at most 38 significant digits.
/// DynamoDB stores them normalised: leading and trailing zeros are dropped (`012.50` reads
/// back as `12.5`), so two numbers equal as numbers are the same key.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html#HowItWorks.DataTypes.Number>.
fn parse_number(text: &str) -> Result<String, DynamoDbError> {
    let trimmed = text.trim();
    let parsed = BigDecimal::from_str(trimmed)
        .ok()
        .filter(|_| !trimmed.is_empty() && !trimmed.contains(['x', 'X', '_']));
    match parsed {
        Some(number) if number.normalized().digits() <= 38 => Ok(canonical_number_text(&number)),
        Some(_) => Err(DynamoDbError::validation(
            "Attempting to store more than 38 significant digits in a Number",
        )),
        None => Err(DynamoDbError::validation(
            "A value provided cannot be converted into a number",
        )),
    }
}

/// The plain decimal text without redundant zeros; zero has no sign.
fn canonical_number_text(number: &BigDecimal) -> String {
    let normalized = number.normalized();
    if normalized == 0 {
        return "0".to_string();
    }
    normalized.to_plain_string()
}

fn parse_binary(text: &str) -> Result<Vec<u8>, DynamoDbError> {
    BASE64
        .decode(text)
        .map_err(|_| DynamoDbError::Serialization("Base64 encoded length is invalid".to_string()))
}

/// Sets may be neither empty nor hold duplicates.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html#HowItWorks.DataTypes.SetTypes>.
fn check_set<T: std::fmt::Debug>(
    items: &[T],
    kind: &str,
    same: impl Fn(&T, &T) -> bool,
) -> Result<(), DynamoDbError> {
    if items.is_empty() {
        return Err(DynamoDbError::validation(format!(
            "One or more parameter values were invalid: An {kind} set  may not be empty"
        )));
    }
    for (i, a) in items.iter().enumerate() {
        if items[i + 1..].iter().any(|b| same(a, b)) {
            return Err(DynamoDbError::validation(
                "One or more parameter values were invalid: Input collection contains duplicates",
            ));
        }
    }
    Ok(())
}

fn same_elements<T>(a: &[T], b: &[T], same: impl Fn(&T, &T) -> bool) -> bool {
    a.len() == b.len() && a.iter().all(|x| b.iter().any(|y| same(x, y)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn value(json: Value) -> AttributeValue {
        AttributeValue::from_json(&json).unwrap()
    }

    #[test]
    fn numbers_compare_as_decimals_not_text() {
        assert!(value(json!({"N": "10"})).equals(&value(json!({"N": "10.00"}))));
        assert_eq!(
            value(json!({"N": "9"})).compare(&value(json!({"N": "10"}))),
            Some(Ordering::Less)
        );
        assert_eq!(
            value(json!({"N": "-1.5"})).compare(&value(json!({"N": "-1.25"}))),
            Some(Ordering::Less)
        );
    }

    #[test]
    fn numbers_are_stored_in_canonical_form() {
        for (sent, stored) in [
            ("012.50", "12.5"),
            ("1E+2", "100"),
            ("1.0e-3", "0.001"),
            ("-0.0", "0"),
            ("+7", "7"),
            (" 42 ", "42"),
            ("100", "100"),
        ] {
            assert_eq!(
                value(json!({"N": sent})).to_json(),
                json!({"N": stored}),
                "{sent}"
            );
        }
        assert_eq!(
            value(json!({"NS": ["1.50", "2"]})).to_json(),
            json!({"NS": ["1.5", "2"]})
        );
        assert_eq!(value(json!({"N": "5.00"})).key_text().as_deref(), Some("5"));
    }

    #[test]
    fn different_types_are_neither_equal_nor_ordered() {
        let s = value(json!({"S": "1"}));
        let n = value(json!({"N": "1"}));
        assert!(!s.equals(&n));
        assert_eq!(s.compare(&n), None);
    }

    #[test]
    fn sets_ignore_order() {
        assert!(value(json!({"SS": ["a", "b"]})).equals(&value(json!({"SS": ["b", "a"]}))));
        assert!(value(json!({"NS": ["1", "2.0"]})).equals(&value(json!({"NS": ["2", "1"]}))));
    }

    #[test]
    fn round_trips_every_type() {
        let original = json!({"M": {
            "s": {"S": "x"}, "n": {"N": "1.5"}, "b": {"B": "AAE="},
            "ss": {"SS": ["a"]}, "ns": {"NS": ["1"]}, "bs": {"BS": ["AAE="]},
            "l": {"L": [{"NULL": true}, {"BOOL": false}]}
        }});
        assert_eq!(value(original.clone()).to_json(), original);
    }

    #[test]
    fn rejects_non_numbers_and_empty_sets_and_two_types() {
        assert_eq!(
            AttributeValue::from_json(&json!({"N": "abc"})).unwrap_err(),
            DynamoDbError::validation("A value provided cannot be converted into a number")
        );
        assert!(matches!(
            AttributeValue::from_json(&json!({"SS": []})),
            Err(DynamoDbError::Validation(m)) if m.contains("may not be empty")
        ));
        assert!(matches!(
            AttributeValue::from_json(&json!({"S": "a", "N": "1"})),
            Err(DynamoDbError::Validation(m)) if m.contains("more than one datatypes")
        ));
        assert!(matches!(
            AttributeValue::from_json(&json!({"S": 1})),
            Err(DynamoDbError::Serialization(_))
        ));
    }

    #[test]
    fn number_arithmetic_results_are_normalized() {
        let sum = value(json!({"N": "1.50"})).as_decimal().unwrap()
            + value(json!({"N": "2"})).as_decimal().unwrap();
        assert_eq!(AttributeValue::number(&sum).to_json(), json!({"N": "3.5"}));
    }
}
