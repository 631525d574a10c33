//! The DynamoDB batch probes. BatchGetItem: the cell's item alone, or together with the
//! same item of the caller's own tenant (a policy with `ForAnyValue` on
//! `dynamodb:LeadingKeys` allows the mixed request although it denies the item alone).
//! BatchWriteItem: one DeleteRequest for a key no item has, so an allowed request deletes
//! nothing.

use super::attempt::{Attempt, read_evidence_of};
use super::classify::Classification;
use super::clients::ProbeClients;
use super::dynamodb::{canonical, key_map};
use super::service::AwsService;
use super::wire_response::WireResponse;
use crate::scenario::ItemKey;
use crate::scenario::KeyValue;
use aws_sdk_dynamodb::types::{AttributeValue, DeleteRequest, KeysAndAttributes, WriteRequest};
use std::collections::HashMap;

const API: &str = "dynamodb:BatchGetItem";

/// How many times the probe sends keys DynamoDB left unprocessed before it gives up.
const ROUNDS: usize = 3;

/// Reads `key` of `table` with BatchGetItem, with `own_key` in the same request when set.
///
/// BatchGetItem is authorized once per table, as `dynamodb:BatchGetItem` on the table with
/// `dynamodb:LeadingKeys` holding the partition key of every requested key of that table
/// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html),
/// so a 200 is an allow of the whole request. Keys DynamoDB leaves in `UnprocessedKeys`
/// were neither read nor refused; they are sent again, and a key still unprocessed after
/// the last round leaves the probe Inconclusive
/// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html).
pub async fn batch_get_item(
    clients: &ProbeClients,
    table: &str,
    key: &ItemKey,
    own_key: Option<&ItemKey>,
) -> Attempt {
    let method = if own_key.is_some() {
        "batch-with-own-key"
    } else {
        "batch"
    };
    let target = key_map(key);
    let mut pending = vec![target.clone()];
    pending.extend(own_key.map(key_map));
    let mut found: Vec<HashMap<String, AttributeValue>> = Vec::new();
    let mut decided: Option<Attempt> = None;
    for _ in 0..ROUNDS {
        let request = match KeysAndAttributes::builder()
            .set_keys(Some(pending.clone()))
            .consistent_read(true)
            .build()
        {
            Ok(request) => request,
            Err(error) => {
                return Attempt::not_made(
                    API,
                    method,
                    format!("the BatchGetItem request could not be built: {error}"),
                );
            }
        };
        let wire = WireResponse::default();
        let result = clients
            .dynamodb
            .batch_get_item()
            .request_items(table, request)
            .customize()
            .interceptor(wire.clone())
            .send()
            .await;
        // A BatchGetItem answer always carries `Responses`, with an entry per table read
        // (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html#API_BatchGetItem_ResponseSyntax).
        let attempt = Attempt::from_checked_result(
            AwsService::DynamoDb,
            API,
            method,
            &result,
            &wire,
            |output, _| {
                output
                    .responses()
                    .is_none()
                    .then(|| "the answer has no Responses".to_owned())
            },
        );
        let Ok(output) = &result else {
            return attempt;
        };
        if attempt.classification.verdict != super::Verdict::Allowed {
            return attempt;
        }
        if let Some(items) = output.responses().and_then(|tables| tables.get(table)) {
            found.extend(items.iter().cloned());
        }
        pending = output
            .unprocessed_keys()
            .and_then(|tables| tables.get(table))
            .map(|unprocessed| unprocessed.keys().to_vec())
            .unwrap_or_default();
        decided = Some(attempt);
        if !pending.contains(&target) {
            break;
        }
    }
    let Some(mut attempt) = decided else {
        return Attempt::not_made(API, method, "BatchGetItem was never sent");
    };
    if pending.contains(&target) {
        attempt.classification = Classification::inconclusive(format!(
            "{API} left the probed key in UnprocessedKeys after {ROUNDS} attempts: neither read nor refused"
        ));
        return attempt;
    }
    // Only the probed item is evidence; the caller's own item proves nothing.
    let read: Vec<HashMap<String, AttributeValue>> = found
        .into_iter()
        .filter(|item| {
            target
                .iter()
                .all(|(name, value)| item.get(name) == Some(value))
        })
        .collect();
    if !read.is_empty() {
        attempt.read_evidence = Some(read_evidence_of(canonical(&read).as_bytes()));
    }
    attempt
}

/// Deletes, with BatchWriteItem, a key in the item's partition that no item has: the item's
/// partition key and a sort key made unique for this call. BatchWriteItem has no conditions,
/// so the key's absence is what keeps the probe from changing anything; DynamoDB deletes
/// nothing for a key that does not exist and authorizes the call first, as
/// `dynamodb:BatchWriteItem` with the partition key in `dynamodb:LeadingKeys`
/// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html,
/// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html).
/// A request DynamoDB leaves in `UnprocessedItems` is sent again, and Inconclusive when it
/// is still unprocessed after the last round.
pub async fn batch_delete_absent_key(
    clients: &ProbeClients,
    table: &str,
    key: &ItemKey,
) -> Attempt {
    const WRITE_API: &str = "dynamodb:BatchWriteItem";
    const METHOD: &str = "delete-absent-key";
    let Some((sort_name, sort_value)) = &key.sort else {
        return Attempt::not_made(
            WRITE_API,
            METHOD,
            "the table has no sort key, so every key of the partition may be a real item",
        );
    };
    let unique = uuid::Uuid::new_v4();
    let absent_sort = match sort_value {
        KeyValue::S(_) => KeyValue::S(format!("xtenant-absent-{}", unique.simple())),
        // A negative number with the UUID's 128 bits as its fraction: no real key.
        KeyValue::N(_) => KeyValue::N(format!("-0.{}", unique.as_u128())),
    };
    let absent = ItemKey {
        partition: key.partition.clone(),
        sort: Some((sort_name.clone(), absent_sort)),
    };
    let request = match DeleteRequest::builder()
        .set_key(Some(key_map(&absent)))
        .build()
    {
        Ok(delete) => WriteRequest::builder().delete_request(delete).build(),
        Err(error) => {
            return Attempt::not_made(
                WRITE_API,
                METHOD,
                format!("the BatchWriteItem request could not be built: {error}"),
            );
        }
    };
    let mut decided: Option<Attempt> = None;
    let mut pending = vec![request];
    for _ in 0..ROUNDS {
        let wire = WireResponse::default();
        let result = clients
            .dynamodb
            .batch_write_item()
            .request_items(table, pending.clone())
            .customize()
            .interceptor(wire.clone())
            .send()
            .await;
        let attempt = Attempt::from_result(AwsService::DynamoDb, WRITE_API, METHOD, &result, &wire);
        let Ok(output) = &result else {
            return attempt;
        };
        if attempt.classification.verdict != super::Verdict::Allowed {
            return attempt;
        }
        pending = output
            .unprocessed_items()
            .and_then(|tables| tables.get(table))
            .cloned()
            .unwrap_or_default();
        decided = Some(attempt);
        if pending.is_empty() {
            break;
        }
    }
    let Some(mut attempt) = decided else {
        return Attempt::not_made(WRITE_API, METHOD, "BatchWriteItem was never sent");
    };
    if !pending.is_empty() {
        attempt.classification = Classification::inconclusive(format!(
            "{WRITE_API} left the delete request in UnprocessedItems after {ROUNDS} attempts: neither made nor refused"
        ));
    }
    attempt
}
