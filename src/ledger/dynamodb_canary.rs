//! Removing a DynamoDB canary item: only while it still holds our marker, with a delete
//! whose condition is that marker, so an item someone else wrote at the key is never removed.

use super::canary::{CanaryKeyAttribute, DYNAMODB_MARKER_ATTRIBUTE};
use super::record::Resolution;
use crate::error_chain::error_chain;
use aws_sdk_dynamodb::types::AttributeValue;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use std::collections::HashMap;

/// The canary's key as the DynamoDB SDK takes it.
pub fn key_of(key: &[CanaryKeyAttribute]) -> HashMap<String, AttributeValue> {
    key.iter()
        .map(|attribute| {
            let value = match attribute.kind.as_str() {
                "N" => AttributeValue::N(attribute.value.clone()),
                _ => AttributeValue::S(attribute.value.clone()),
            };
            (attribute.name.clone(), value)
        })
        .collect()
}

/// Deletes the item at `key` of `table` only while its marker attribute is `marker`:
/// `Removed` when it was ours, `NotCreated` when nothing is at the key, `NotOurs` when the
/// item there carries another marker or none.
// A failed ConditionExpression deletes nothing and answers ConditionalCheckFailedException;
// ReturnValues ALL_OLD returns the deleted item
// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteItem.html).
pub async fn remove_dynamodb_canary(
    client: &aws_sdk_dynamodb::Client,
    table: &str,
    key: &[CanaryKeyAttribute],
    marker: &str,
) -> Result<Resolution, String> {
    let described = || {
        let key: Vec<String> = key
            .iter()
            .map(|attribute| format!("{}={}", attribute.name, attribute.value))
            .collect();
        format!("dynamodb:{table}[{}]", key.join(", "))
    };
    let removed = client
        .delete_item()
        .table_name(table)
        .set_key(Some(key_of(key)))
        .condition_expression("#marker = :marker")
        .expression_attribute_names("#marker", DYNAMODB_MARKER_ATTRIBUTE)
        .expression_attribute_values(":marker", AttributeValue::S(marker.to_owned()))
        .return_values(aws_sdk_dynamodb::types::ReturnValue::AllOld)
        .send()
        .await;
    match removed {
        Ok(output) if output.attributes().is_some() => Ok(Resolution::Removed),
        Ok(_) => Err(format!(
            "deleting {} answered without the deleted item",
            described()
        )),
        Err(error) if error.code() == Some("ConditionalCheckFailedException") => {
            // Nothing at the key, or an item that is not ours: tell them apart by reading.
            let read = client
                .get_item()
                .table_name(table)
                .set_key(Some(key_of(key)))
                .consistent_read(true)
                .send()
                .await
                .map_err(|error| {
                    format!("failed to read {}: {}", described(), error_chain(&error))
                })?;
            Ok(match read.item() {
                None => Resolution::NotCreated,
                Some(_) => Resolution::NotOurs,
            })
        }
        Err(error) => Err(format!(
            "failed to delete {}: {}",
            described(),
            error_chain(&error)
        )),
    }
}
