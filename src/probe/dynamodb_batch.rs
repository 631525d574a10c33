//! The DynamoDB batch probes. BatchGetItem: the cell's item alone, or together with the
//! same item of the caller's own tenant (a policy with `ForAnyValue` on
//! `dynamodb:LeadingKeys` allows the mixed request although it denies the item alone).
//! BatchWriteItem: one DeleteRequest for a key no item has, so an allowed request deletes
//! nothing, or one PutRequest of a ledgered canary item, removed right after.

use super::attempt::{Attempt, read_evidence_of};
use super::canary_intent::{record_intent, settle};
use super::classify::Classification;
use super::clients::ProbeClients;
use super::dynamodb::{canonical, key_map};
use super::record::Verdict;
use super::service::AwsService;
use super::wire_response::WireResponse;
use crate::ledger::canary::DYNAMODB_MARKER_ATTRIBUTE;
use crate::ledger::dynamodb_canary::remove_dynamodb_canary;
use crate::ledger::{Canary, CanaryKeyAttribute, CleanupLedger, Resolution};
use crate::scenario::ItemKey;
use crate::scenario::KeyValue;
use aws_sdk_dynamodb::types::{
    AttributeValue, DeleteRequest, KeysAndAttributes, PutRequest, WriteRequest,
};
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
    let absent = unique_key(key, sort_name, sort_value, "absent");
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
    batch_write(clients, table, request, METHOD).await
}

/// The item's partition key with a sort key made unique for one call: a key no real item
/// has.
fn unique_key(key: &ItemKey, sort_name: &str, sort_value: &KeyValue, purpose: &str) -> ItemKey {
    let unique = uuid::Uuid::new_v4();
    let sort = match sort_value {
        KeyValue::S(_) => KeyValue::S(format!("xtenant-{purpose}-{}", unique.simple())),
        // A negative fraction of 31 digits from the UUID (DynamoDB numbers hold at most 38
        // significant digits: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html).
        KeyValue::N(_) => KeyValue::N(format!("-0.{:030}1", unique.as_u128() % 10u128.pow(30))),
    };
    ItemKey {
        partition: key.partition.clone(),
        sort: Some((sort_name.to_owned(), sort)),
    }
}

/// Sends one BatchWriteItem request, again while DynamoDB leaves it unprocessed; the
/// attempt is Inconclusive when it is still unprocessed after the last round.
async fn batch_write(
    clients: &ProbeClients,
    table: &str,
    request: WriteRequest,
    method: &str,
) -> Attempt {
    const WRITE_API: &str = "dynamodb:BatchWriteItem";
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
        let attempt = Attempt::from_result(AwsService::DynamoDb, WRITE_API, method, &result, &wire);
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
        return Attempt::not_made(WRITE_API, method, "BatchWriteItem was never sent");
    };
    if !pending.is_empty() {
        attempt.classification = Classification::inconclusive(format!(
            "{WRITE_API} left the request in UnprocessedItems after {ROUNDS} attempts: neither made nor refused"
        ));
    }
    attempt
}

/// Writes, with BatchWriteItem, a canary item in the item's partition: its partition key, a
/// sort key unique to the call and our marker. BatchWriteItem has no conditions, so the
/// canary is recorded in the cleanup ledger before the call and removed (only while it
/// still holds the marker) as soon as the write is allowed; nothing that exists changes.
// BatchWriteItem: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html.
pub async fn batch_put_canary(
    clients: &ProbeClients,
    ledger: &CleanupLedger,
    table: &str,
    key: &ItemKey,
) -> Attempt {
    const WRITE_API: &str = "dynamodb:BatchWriteItem";
    const METHOD: &str = "canary";
    let Some((sort_name, sort_value)) = &key.sort else {
        return Attempt::not_made(
            WRITE_API,
            METHOD,
            "the table has no sort key, so a canary would overwrite the item itself",
        );
    };
    let canary_key = unique_key(key, sort_name, sort_value, "canary");
    let marker = format!("xtenant canary {}", uuid::Uuid::new_v4());
    let ledger_key: Vec<CanaryKeyAttribute> = std::iter::once(&canary_key.partition)
        .chain(canary_key.sort.as_ref())
        .map(|(name, value)| {
            let (kind, text) = match value {
                KeyValue::S(text) => ("S", text),
                KeyValue::N(text) => ("N", text),
            };
            CanaryKeyAttribute {
                name: name.clone(),
                kind: kind.to_owned(),
                value: text.clone(),
            }
        })
        .collect();
    let canary = Canary::DynamoDbItem {
        table: table.to_owned(),
        key: ledger_key.clone(),
        marker: marker.clone(),
    };
    let intent = match record_intent(clients, ledger, canary, WRITE_API, METHOD).await {
        Ok(intent) => intent,
        Err(not_made) => return *not_made,
    };
    let mut item = key_map(&canary_key);
    item.insert(
        DYNAMODB_MARKER_ATTRIBUTE.to_owned(),
        AttributeValue::S(marker.clone()),
    );
    let request = match PutRequest::builder().set_item(Some(item)).build() {
        Ok(put) => WriteRequest::builder().put_request(put).build(),
        Err(error) => {
            return settle(
                ledger,
                &intent,
                Resolution::NotCreated,
                Attempt::not_made(
                    WRITE_API,
                    METHOD,
                    format!("the BatchWriteItem request could not be built: {error}"),
                ),
            );
        }
    };
    let attempt = batch_write(clients, table, request, METHOD).await;
    match attempt.classification.verdict {
        Verdict::Denied => settle(ledger, &intent, Resolution::NotCreated, attempt),
        Verdict::Allowed => {
            match remove_dynamodb_canary(&clients.dynamodb, table, &ledger_key, &marker).await {
                Ok(resolution) => {
                    let note = match resolution {
                        Resolution::Removed => "canary item written and removed",
                        Resolution::NotCreated => {
                            "the write was allowed but no canary item is there"
                        }
                        Resolution::NotOurs => {
                            "an item that is not ours is at the canary key; left alone"
                        }
                    };
                    settle(ledger, &intent, resolution, attempt.with_note(note))
                }
                Err(error) => attempt.with_note(format!(
                    "canary intent {intent} stays in the cleanup ledger: {error}"
                )),
            }
        }
        // An unprocessed, timed-out or reset write may still land: the intent stays
        // outstanding for the cleanup, which removes only an item still holding our marker.
        Verdict::Inconclusive => attempt.with_note(format!(
            "canary intent {intent} stays in the cleanup ledger"
        )),
    }
}
