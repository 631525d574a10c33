//! S3 probes: GetObject, PutObject, ListObjectsV2, DeleteObject and HeadObject, with writes
//! and deletes proved by conditions that change nothing that exists.

use super::attempt::{Attempt, StreamingDigest};
use super::canary_intent::{record_intent, settle};
use super::clients::ProbeClients;
use super::observation::Observation;
use super::record::Verdict;
use super::service::AwsService;
use super::wire_response::{SeenResponse, WireResponse};
use crate::error_chain::error_chain;
use crate::ledger::{Canary, CleanupLedger, Resolution};
use aws_sdk_s3::primitives::ByteStream;
use aws_types::request_id::RequestId;

const SERVICE: AwsService = AwsService::S3;

/// The S3 operations a probe can make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum S3Call {
    GetObject,
    PutObject,
    ListObjectsV2,
    DeleteObject,
    HeadObject,
}

impl S3Call {
    /// The call named by an `s3:Operation` string, if the harness can make it.
    pub fn from_api(api: &str) -> Option<S3Call> {
        match api {
            "s3:GetObject" => Some(S3Call::GetObject),
            "s3:PutObject" => Some(S3Call::PutObject),
            "s3:ListObjectsV2" | "s3:ListBucket" => Some(S3Call::ListObjectsV2),
            "s3:DeleteObject" => Some(S3Call::DeleteObject),
            "s3:HeadObject" => Some(S3Call::HeadObject),
            _ => None,
        }
    }
}

/// Reads the object; a readable object is recorded by size and hash only. The body is
/// hashed as it streams, so a large object is never held in memory. A read is Allowed only
/// when the whole body arrived: a 200 whose body breaks off proves nothing.
pub async fn get_object(clients: &ProbeClients, bucket: &str, key: &str) -> Attempt {
    let wire = WireResponse::default();
    let result = clients
        .s3
        .get_object()
        .bucket(bucket)
        .key(key)
        .customize()
        .interceptor(wire.clone())
        .send()
        .await;
    let output = match result {
        Ok(output) => output,
        Err(error) => {
            return Attempt::from_observation(
                SERVICE,
                "s3:GetObject",
                "direct",
                Observation::from_sdk_error(&error),
            );
        }
    };
    let mut observation = Observation::success(
        wire.seen().map(|seen| seen.status),
        output.request_id().map(str::to_owned),
    );
    let mut body = output.body;
    let mut digest = StreamingDigest::default();
    let read_evidence = loop {
        match body.try_next().await {
            Ok(Some(chunk)) => digest.update(&chunk),
            Ok(None) => break Some(digest.finish()),
            Err(error) => {
                observation.shape_problem = Some(format!(
                    "its body could not be read in full ({})",
                    error_chain(&error)
                ));
                break None;
            }
        }
    };
    let mut attempt = Attempt::from_observation(SERVICE, "s3:GetObject", "direct", observation);
    attempt.read_evidence = read_evidence;
    attempt
}

/// Lists at most one key under `prefix`.
pub async fn list_objects(clients: &ProbeClients, bucket: &str, prefix: &str) -> Attempt {
    list_objects_v2(clients, bucket, Some(prefix), "direct").await
}

/// ListObjectsV2 of at most one key, under `prefix` or, without one, of the whole bucket:
/// a request without a prefix carries no `s3:prefix` key at all, which a condition with
/// `IfExists` on `s3:prefix` lets through
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists).
pub async fn list_objects_v2(
    clients: &ProbeClients,
    bucket: &str,
    prefix: Option<&str>,
    method: &str,
) -> Attempt {
    let wire = WireResponse::default();
    let result = clients
        .s3
        .list_objects_v2()
        .bucket(bucket)
        .set_prefix(prefix.map(str::to_owned))
        .max_keys(1)
        .customize()
        .interceptor(wire.clone())
        .send()
        .await;
    // A ListBucketResult always names its bucket
    // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html#API_ListObjectsV2_ResponseSyntax).
    Attempt::from_checked_result(
        SERVICE,
        "s3:ListObjectsV2",
        method,
        &result,
        &wire,
        |output, _| {
            output
                .name()
                .is_none()
                .then(|| "the ListBucketResult names no bucket".to_owned())
        },
    )
}

/// ListObjects (version 1) of at most one key under `prefix`; it is authorized by
/// `s3:ListBucket` like version 2
/// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjects.html).
pub async fn list_objects_v1(clients: &ProbeClients, bucket: &str, prefix: &str) -> Attempt {
    let wire = WireResponse::default();
    let result = clients
        .s3
        .list_objects()
        .bucket(bucket)
        .prefix(prefix)
        .max_keys(1)
        .customize()
        .interceptor(wire.clone())
        .send()
        .await;
    // A version 1 ListBucketResult names its bucket too
    // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjects.html#API_ListObjects_ResponseSyntax).
    Attempt::from_checked_result(
        SERVICE,
        "s3:ListObjects",
        "version-1",
        &result,
        &wire,
        |output, _| {
            output
                .name()
                .is_none()
                .then(|| "the ListBucketResult names no bucket".to_owned())
        },
    )
}

/// Proves write authorization with `If-None-Match: *`: on an object that exists S3 answers
/// 412 after authorization and writes nothing. If nothing exists at `key`, the put creates
/// our canary, which was recorded in the ledger before the call and is removed after.
// Conditional writes: https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html.
pub async fn put_object(
    clients: &ProbeClients,
    ledger: &CleanupLedger,
    bucket: &str,
    key: &str,
) -> Attempt {
    let marker = format!("xtenant canary {}", uuid::Uuid::new_v4());
    let canary = Canary::S3Object {
        bucket: bucket.to_owned(),
        key: key.to_owned(),
        marker: marker.clone(),
    };
    let intent =
        match record_intent(clients, ledger, canary, "s3:PutObject", "put-if-none-match").await {
            Ok(intent) => intent,
            Err(not_made) => return *not_made,
        };
    let wire = WireResponse::default();
    let result = clients
        .s3
        .put_object()
        .bucket(bucket)
        .key(key)
        .if_none_match("*")
        .body(ByteStream::from(marker.into_bytes()))
        .customize()
        .interceptor(wire.clone())
        .send()
        .await;
    let created_etag = result
        .as_ref()
        .ok()
        .and_then(|output| output.e_tag().map(str::to_owned));
    // A stored object has an ETag and PutObject answers it with an empty body
    // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html#API_PutObject_ResponseSyntax).
    let attempt = Attempt::from_checked_result(
        SERVICE,
        "s3:PutObject",
        "put-if-none-match",
        &result,
        &wire,
        |output, seen| match output.e_tag() {
            None => Some("it carries no ETag".to_owned()),
            Some(_) => unexpected_body(seen),
        },
    );
    match attempt.classification.verdict {
        Verdict::Allowed if result.is_ok() => {
            let mut attempt = attempt;
            attempt.method = "put-if-none-match-created-canary".to_owned();
            let note =
                remove_created_object(clients, ledger, &intent, bucket, key, created_etag).await;
            attempt.with_note(note)
        }
        Verdict::Allowed | Verdict::Denied => {
            settle(ledger, &intent, Resolution::NotCreated, attempt)
        }
        // A timeout or reset may have happened after S3 stored the object: the intent stays
        // outstanding for `xtenant cleanup`, which deletes only an object still holding our
        // marker.
        Verdict::Inconclusive => attempt.with_note(format!(
            "canary intent {intent} stays in the cleanup ledger"
        )),
    }
}

async fn remove_created_object(
    clients: &ProbeClients,
    ledger: &CleanupLedger,
    intent: &str,
    bucket: &str,
    key: &str,
    etag: Option<String>,
) -> String {
    let Some(etag) = etag else {
        return format!("canary created without an ETag; intent {intent} stays in the ledger");
    };
    let removed = clients
        .s3
        .delete_object()
        .bucket(bucket)
        .key(key)
        .if_match(etag)
        .send()
        .await;
    match removed {
        Ok(_) => match ledger.resolve_durably(intent, Resolution::Removed).await {
            Ok(()) => "canary created (nothing existed at the key) and removed".to_owned(),
            Err(error) => format!("canary removed but the ledger was not updated: {error}"),
        },
        Err(_) => format!(
            "canary created and could not be removed with these credentials; intent {intent} \
             stays in the ledger for `xtenant cleanup`"
        ),
    }
}

/// Proves delete authorization with `If-Match` of an ETag no object has: S3 answers 412
/// (or 404 when nothing exists) after authorization and deletes nothing.
// DeleteObject If-Match: https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html.
pub async fn delete_object(clients: &ProbeClients, bucket: &str, key: &str) -> Attempt {
    let impossible_etag = format!("\"{}\"", uuid::Uuid::new_v4().simple());
    let wire = WireResponse::default();
    let result = clients
        .s3
        .delete_object()
        .bucket(bucket)
        .key(key)
        .if_match(impossible_etag)
        .customize()
        .interceptor(wire.clone())
        .send()
        .await;
    // DeleteObject answers 204 No Content with an empty body on success
    // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html#API_DeleteObject_ResponseSyntax).
    let attempt = Attempt::from_checked_result(
        SERVICE,
        "s3:DeleteObject",
        "delete-if-match-impossible-etag",
        &result,
        &wire,
        |_, seen| unexpected_body(seen),
    );
    if result.is_ok() {
        return attempt.with_note(
            "the delete succeeded although its If-Match could not hold: the service ignored the condition",
        );
    }
    attempt
}

/// HeadObject. A bare 403 cannot tell a denial from a missing key, so it is paired with a
/// one-byte ranged GetObject, which needs the same permission (s3:GetObject) and carries an
/// error body: AccessDenied there makes the HEAD a denial too; anything else stays
/// Inconclusive.
// HeadObject permissions: https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html.
pub async fn head_object(clients: &ProbeClients, bucket: &str, key: &str) -> Attempt {
    let wire = WireResponse::default();
    let result = clients
        .s3
        .head_object()
        .bucket(bucket)
        .key(key)
        .customize()
        .interceptor(wire.clone())
        .send()
        .await;
    // HeadObject returns the object's ETag
    // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html#API_HeadObject_ResponseSyntax).
    let attempt = Attempt::from_checked_result(
        SERVICE,
        "s3:HeadObject",
        "direct",
        &result,
        &wire,
        |output, _| {
            output
                .e_tag()
                .is_none()
                .then(|| "it carries no ETag".to_owned())
        },
    );
    let head_status = attempt.observation.as_ref().and_then(|o| o.http_status);
    if attempt.classification.verdict != Verdict::Inconclusive || head_status != Some(403) {
        return attempt;
    }
    let paired = clients
        .s3
        .get_object()
        .bucket(bucket)
        .key(key)
        .range("bytes=0-0")
        .send()
        .await;
    let paired_observation = match &paired {
        Ok(_) => None,
        Err(error) => Some(Observation::from_sdk_error(error)),
    };
    let paired = paired_observation.map(|observation| {
        Attempt::from_observation(
            SERVICE,
            "s3:GetObject",
            "head-paired-with-ranged-get",
            observation,
        )
    });
    match paired {
        // The paired GET is classified like any GetObject, so a 403 that only denies
        // s3:ListBucket (a missing key) does not confirm a denial either; nor does a
        // kms:Decrypt denial, which HEAD (metadata only) does not need.
        Some(mut denied)
            if denied.classification.verdict == Verdict::Denied
                && denied.observation.as_ref().and_then(|o| o.http_status) == Some(403)
                && denied
                    .classification
                    .denial
                    .as_ref()
                    .is_some_and(|denial| denial.names("s3:GetObject")) =>
        {
            denied.api_call = "s3:HeadObject".to_owned();
            denied.with_note(
                "HEAD returned 403 and the paired ranged GetObject returned 403 AccessDenied",
            )
        }
        Some(paired) => attempt.with_note(format!(
            "the paired ranged GetObject did not confirm a denial: {}",
            paired.classification.reason
        )),
        None => attempt.with_note("the paired ranged GetObject did not confirm a denial"),
    }
}

/// A success the API reference documents with an empty body that arrived with one.
fn unexpected_body(seen: &SeenResponse) -> Option<String> {
    match seen.body_len {
        Some(0) | None => None,
        Some(length) => Some(format!(
            "it carries a {length}-byte body where the API reference documents none"
        )),
    }
}
