//! `ReturnConsumedCapacity` and the `ConsumedCapacity` DynamoDB answers with: read units
//! per 4 KB (half for an eventually consistent read), write units per 1 KB, at least one
//! unit (half a unit for an eventually consistent read) even when no item was found.
//! See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html>
//! and <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ConsumedCapacity.html>.

use super::error::DynamoDbError;
use serde_json::{Value, json};

const READ_UNIT_BYTES: usize = 4 * 1024;
const WRITE_UNIT_BYTES: usize = 1024;

/// What the request asked to be told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CapacityReport {
    None,
    /// The table's total.
    Total,
    /// The total and the table's own share (local staging serves no secondary indexes).
    Indexes,
}

impl CapacityReport {
    /// Reads `ReturnConsumedCapacity` (absent means NONE).
    /// See <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html#DDB-GetItem-request-ReturnConsumedCapacity>.
    pub fn parse(value: Option<&str>) -> Result<CapacityReport, DynamoDbError> {
        match value {
            None | Some("NONE") => Ok(CapacityReport::None),
            Some("TOTAL") => Ok(CapacityReport::Total),
            Some("INDEXES") => Ok(CapacityReport::Indexes),
            Some(other) => Err(DynamoDbError::validation(format!(
                "1 validation error detected: Value '{other}' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]"
            ))),
        }
    }

    /// Adds `ConsumedCapacity` to `response` unless nothing was asked.
    pub fn add_to(self, response: &mut Value, table_name: &str, units: f64) {
        let capacity = match self {
            CapacityReport::None => return,
            CapacityReport::Total => json!({"TableName": table_name, "CapacityUnits": units}),
            CapacityReport::Indexes => json!({
                "TableName": table_name,
                "CapacityUnits": units,
                "Table": {"CapacityUnits": units},
            }),
        };
        if let Value::Object(map) = response {
            map.insert("ConsumedCapacity".to_string(), capacity);
        }
    }
}

/// Read units for `bytes` read in one request: whole 4 KB blocks, at least one.
pub fn read_units(bytes: usize, consistent: bool) -> f64 {
    let blocks = bytes.div_ceil(READ_UNIT_BYTES).max(1) as f64;
    if consistent { blocks } else { blocks / 2.0 }
}

/// Write units for an item of `bytes` (the larger of before and after): whole 1 KB blocks,
/// at least one.
pub fn write_units(bytes: usize) -> f64 {
    bytes.div_ceil(WRITE_UNIT_BYTES).max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_follow_the_documented_block_sizes() {
        assert_eq!(read_units(0, false), 0.5);
        assert_eq!(read_units(4096, true), 1.0);
        assert_eq!(read_units(4097, true), 2.0);
        assert_eq!(read_units(10_000, false), 1.5);
        assert_eq!(write_units(0), 1.0);
        assert_eq!(write_units(1025), 2.0);
    }

    #[test]
    fn only_a_known_setting_is_accepted_and_none_adds_nothing() {
        assert_eq!(CapacityReport::parse(None).unwrap(), CapacityReport::None);
        assert!(CapacityReport::parse(Some("ALL")).is_err());
        let mut response = json!({});
        CapacityReport::None.add_to(&mut response, "t", 1.0);
        assert_eq!(response, json!({}));
        CapacityReport::Indexes.add_to(&mut response, "t", 1.0);
        assert_eq!(response["ConsumedCapacity"]["Table"]["CapacityUnits"], 1.0);
    }
}
