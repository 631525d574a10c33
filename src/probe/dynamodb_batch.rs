//! The DynamoDB BatchGetItem probe: the cell's item alone, or together with the same item
//! of the caller's own tenant. A policy with `ForAnyValue` on `dynamodb:LeadingKeys` allows
//! the mixed request although it denies the item alone.

use super::attempt::{Attempt, read_evidence_of};
use super::classify::Classification;
use super::clients::ProbeClients;
use super::dynamodb::{canonical, key_map};
use super::service::AwsService;
use super::wire_response::WireResponse;
use crate::scenario::ItemKey;
use aws_sdk_dynamodb::types::{AttributeValue, KeysAndAttributes};
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
