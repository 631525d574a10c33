//! Local staging's S3 through aws-sdk-s3: object operations, the shapes of denials and
//! misses, conditional writes, listing, and 64 concurrent clients.

use aws_sdk_s3::config::http::HttpResponse;
use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::ChecksumMode;
use std::time::{Duration, Instant};
use xtenant::sim::LocalStaging;

use crate::support::{credentials, s3_client, sdk_config, start};

pub const WORLD: &str = include_str!("../fixtures/sim/s3_secrets_world.yaml");
pub const BUCKET: &str = "tenant-data";

/// How long the concurrency test runs; the suite's time budget pays for it once.
const LOAD_DURATION: Duration = Duration::from_secs(10);
const LOAD_CLIENTS: usize = 64;

/// The fixture's users and their long-term keys.
pub const ACME: (&str, &str) = ("AKIAACMEAPP000000001", "acme-app-secret-key");
pub const GLOBEX: (&str, &str) = ("AKIAGLOBEXAPP0000001", "globex-app-secret-key");
pub const AUDITOR: (&str, &str) = ("AKIAAUDITOR000000001", "auditor-secret-key");

pub async fn client_for(staging: &LocalStaging, user: (&str, &str)) -> aws_sdk_s3::Client {
    s3_client(&sdk_config(staging, Some(credentials(user.0, user.1, None))).await)
}

/// HTTP status, error code and message of a failed call (status 0 when no response).
pub fn failure<E: ProvideErrorMetadata>(
    error: &SdkError<E, HttpResponse>,
) -> (u16, String, String) {
    (
        error
            .raw_response()
            .map(|r| r.status().as_u16())
            .unwrap_or(0),
        error.code().unwrap_or_default().to_string(),
        error.message().unwrap_or_default().to_string(),
    )
}

#[tokio::test]
async fn a_tenant_reads_writes_lists_and_deletes_under_its_own_prefix() {
    let staging = start(WORLD).await;
    let acme = client_for(&staging, ACME).await;

    let read = acme
        .get_object()
        .bucket(BUCKET)
        .key("acme/report.txt")
        .send()
        .await
        .unwrap();
    assert_eq!(read.content_type(), Some("text/plain"));
    assert_eq!(read.content_length(), Some(21));
    let etag = read.e_tag().unwrap().to_string();
    let body = read.body.collect().await.unwrap().into_bytes();
    assert_eq!(&body[..], b"acme quarterly report");
    assert_eq!(etag, format!("\"{}\"", md5_hex(b"acme quarterly report")));

    let first_bytes = acme
        .get_object()
        .bucket(BUCKET)
        .key("acme/report.txt")
        .range("bytes=0-3")
        .send()
        .await
        .unwrap();
    assert_eq!(first_bytes.content_range(), Some("bytes 0-3/21"));
    let first_bytes = first_bytes.body.collect().await.unwrap().into_bytes();
    assert_eq!(&first_bytes[..], b"acme");

    let put = acme
        .put_object()
        .bucket(BUCKET)
        .key("acme/new/file.txt")
        .body(ByteStream::from_static(b"fresh"))
        .metadata("owner", "acme")
        .send()
        .await
        .unwrap();
    assert_eq!(
        put.e_tag(),
        Some(format!("\"{}\"", md5_hex(b"fresh")).as_str())
    );
    let head = acme
        .head_object()
        .bucket(BUCKET)
        .key("acme/new/file.txt")
        .send()
        .await
        .unwrap();
    assert_eq!(head.content_length(), Some(5));
    assert_eq!(
        head.metadata().unwrap().get("owner").map(String::as_str),
        Some("acme")
    );

    let listed = acme
        .list_objects_v2()
        .bucket(BUCKET)
        .prefix("acme/")
        .send()
        .await
        .unwrap();
    let keys: Vec<&str> = listed.contents().iter().filter_map(|o| o.key()).collect();
    assert_eq!(
        keys,
        vec![
            "acme/locked/contract.txt",
            "acme/new/file.txt",
            "acme/report.txt"
        ]
    );
    assert_eq!(listed.key_count(), Some(3));
    assert_eq!(listed.is_truncated(), Some(false));

    acme.delete_object()
        .bucket(BUCKET)
        .key("acme/new/file.txt")
        .send()
        .await
        .unwrap();
    // Deleting a key that is not there is still a success once authorized.
    acme.delete_object()
        .bucket(BUCKET)
        .key("acme/never/was")
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn cross_tenant_calls_are_403_access_denied_naming_the_missing_identity_allow() {
    let staging = start(WORLD).await;
    let acme = client_for(&staging, ACME).await;

    let error = acme
        .get_object()
        .bucket(BUCKET)
        .key("globex/report.txt")
        .send()
        .await
        .unwrap_err();
    let (status, code, message) = failure(&error);
    assert_eq!((status, code.as_str()), (403, "AccessDenied"));
    assert_eq!(
        message,
        "User: arn:aws:iam::111122223333:user/acme-app is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::tenant-data/globex/report.txt\" because no identity-based policy allows the s3:GetObject action"
    );

    let error = acme
        .put_object()
        .bucket(BUCKET)
        .key("globex/report.txt")
        .if_none_match("*")
        .body(ByteStream::from_static(b"x"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        failure(&error).1,
        "AccessDenied",
        "denied before the condition is checked"
    );

    let error = acme
        .list_objects_v2()
        .bucket(BUCKET)
        .prefix("globex/")
        .send()
        .await
        .unwrap_err();
    let (status, code, message) = failure(&error);
    assert_eq!((status, code.as_str()), (403, "AccessDenied"));
    assert!(message.ends_with("because no identity-based policy allows the s3:ListBucket action"));

    let error = acme
        .head_object()
        .bucket(BUCKET)
        .key("globex/report.txt")
        .send()
        .await
        .unwrap_err();
    assert_eq!(failure(&error).0, 403, "HEAD denials are a bare 403");

    let error = acme
        .delete_object()
        .bucket(BUCKET)
        .key("globex/report.txt")
        .send()
        .await
        .unwrap_err();
    assert_eq!(failure(&error).1, "AccessDenied");
    let globex = client_for(&staging, GLOBEX).await;
    assert!(
        globex
            .get_object()
            .bucket(BUCKET)
            .key("globex/report.txt")
            .send()
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn a_bucket_policy_deny_is_reported_as_an_explicit_resource_based_deny() {
    let staging = start(WORLD).await;
    let acme = client_for(&staging, ACME).await;
    let error = acme
        .delete_object()
        .bucket(BUCKET)
        .key("acme/locked/contract.txt")
        .send()
        .await
        .unwrap_err();
    let (status, code, message) = failure(&error);
    assert_eq!((status, code.as_str()), (403, "AccessDenied"));
    assert!(
        message.ends_with("with an explicit deny in a resource-based policy"),
        "{message}"
    );
    assert!(
        acme.get_object()
            .bucket(BUCKET)
            .key("acme/locked/contract.txt")
            .send()
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn a_missing_key_is_404_only_for_callers_who_may_list_the_bucket() {
    let staging = start(WORLD).await;
    let auditor = client_for(&staging, AUDITOR).await;
    let error = auditor
        .get_object()
        .bucket(BUCKET)
        .key("acme/missing")
        .send()
        .await
        .unwrap_err();
    let (status, code, _) = failure(&error);
    assert_eq!((status, code.as_str()), (404, "NoSuchKey"));
    let error = auditor
        .head_object()
        .bucket(BUCKET)
        .key("acme/missing")
        .send()
        .await
        .unwrap_err();
    assert_eq!(failure(&error).0, 404);
    assert!(error.into_service_error().is_not_found());

    // The tenant may list only with its prefix, which a GetObject carries no trace of.
    let acme = client_for(&staging, ACME).await;
    let error = acme
        .get_object()
        .bucket(BUCKET)
        .key("acme/missing")
        .send()
        .await
        .unwrap_err();
    let (status, code, _) = failure(&error);
    assert_eq!((status, code.as_str()), (403, "AccessDenied"));

    let error = auditor
        .get_object()
        .bucket("no-such-bucket")
        .key("k")
        .send()
        .await
        .unwrap_err();
    let (status, code, _) = failure(&error);
    assert_eq!((status, code.as_str()), (404, "NoSuchBucket"));
}

#[tokio::test]
async fn conditional_writes_fail_with_412_or_404_as_s3_documents() {
    let staging = start(WORLD).await;
    let acme = client_for(&staging, ACME).await;
    let error = acme
        .put_object()
        .bucket(BUCKET)
        .key("acme/report.txt")
        .if_none_match("*")
        .body(ByteStream::from_static(b"overwrite"))
        .send()
        .await
        .unwrap_err();
    let (status, code, _) = failure(&error);
    assert_eq!((status, code.as_str()), (412, "PreconditionFailed"));

    let error = acme
        .put_object()
        .bucket(BUCKET)
        .key("acme/report.txt")
        .if_match("\"00000000000000000000000000000000\"")
        .body(ByteStream::from_static(b"overwrite"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(failure(&error).0, 412);
    let error = acme
        .put_object()
        .bucket(BUCKET)
        .key("acme/absent.txt")
        .if_match("\"00000000000000000000000000000000\"")
        .body(ByteStream::from_static(b"x"))
        .send()
        .await
        .unwrap_err();
    let (status, code, _) = failure(&error);
    assert_eq!((status, code.as_str()), (404, "NoSuchKey"));
    let error = acme
        .delete_object()
        .bucket(BUCKET)
        .key("acme/report.txt")
        .if_match("\"00000000000000000000000000000000\"")
        .send()
        .await
        .unwrap_err();
    assert_eq!(failure(&error).0, 412);

    let body = acme
        .get_object()
        .bucket(BUCKET)
        .key("acme/report.txt")
        .send()
        .await
        .unwrap();
    let text = body.body.collect().await.unwrap().into_bytes();
    assert_eq!(
        &text[..],
        b"acme quarterly report",
        "nothing was overwritten"
    );

    let created = acme
        .put_object()
        .bucket(BUCKET)
        .key("acme/canary")
        .if_none_match("*")
        .body(ByteStream::from_static(b"canary"))
        .send()
        .await;
    assert!(created.is_ok());
}

#[tokio::test]
async fn checksums_sent_with_the_upload_come_back_when_asked() {
    let staging = start(WORLD).await;
    let acme = client_for(&staging, ACME).await;
    let put = acme
        .put_object()
        .bucket(BUCKET)
        .key("acme/checked.bin")
        .checksum_algorithm(aws_sdk_s3::types::ChecksumAlgorithm::Crc32)
        .body(ByteStream::from(vec![7u8; 4096]))
        .send()
        .await
        .unwrap();
    let sent = put.checksum_crc32().map(str::to_string);
    assert!(sent.is_some(), "PutObject echoes the checksum");
    let read = acme
        .get_object()
        .bucket(BUCKET)
        .key("acme/checked.bin")
        .checksum_mode(ChecksumMode::Enabled)
        .send()
        .await
        .unwrap();
    assert_eq!(read.checksum_crc32().map(str::to_string), sent);
    let body = read.body.collect().await.unwrap().into_bytes();
    assert_eq!(body.len(), 4096);
}

/// A checksum header that does not match the body is S3's 400 BadDigest and nothing is
/// stored; a matching one is accepted (the SDK sends a given value as a plain header).
#[tokio::test]
async fn a_checksum_header_that_does_not_match_the_body_is_bad_digest_and_stores_nothing() {
    let staging = start(WORLD).await;
    let acme = client_for(&staging, ACME).await;
    // base64 of SHA-256("hello"), sent with the body "jello".
    let sha256_of_hello = "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=";
    let refused = acme
        .put_object()
        .bucket(BUCKET)
        .key("acme/checksum-mismatch.txt")
        .checksum_sha256(sha256_of_hello)
        .body(ByteStream::from_static(b"jello"))
        .send()
        .await
        .expect_err("a mismatching checksum header is refused");
    let (status, code, message) = failure(&refused);
    assert_eq!((status, code.as_str()), (400, "BadDigest"), "{message}");
    assert!(message.contains("SHA256"), "{message}");
    let missing = acme
        .head_object()
        .bucket(BUCKET)
        .key("acme/checksum-mismatch.txt")
        .send()
        .await;
    assert!(missing.is_err(), "nothing was stored");

    let accepted = acme
        .put_object()
        .bucket(BUCKET)
        .key("acme/checksum-match.txt")
        .checksum_sha256(sha256_of_hello)
        .body(ByteStream::from_static(b"hello"))
        .send()
        .await
        .expect("a matching checksum header is accepted");
    assert_eq!(accepted.checksum_sha256(), Some(sha256_of_hello));
}

#[tokio::test]
async fn list_objects_v2_pages_through_keys_and_common_prefixes() {
    let staging = start(WORLD).await;
    let auditor = client_for(&staging, AUDITOR).await;
    let mut pages = auditor
        .list_objects_v2()
        .bucket(BUCKET)
        .delimiter("/")
        .max_keys(1)
        .into_paginator()
        .send();
    let mut prefixes = Vec::new();
    let mut page_count = 0;
    while let Some(page) = pages.next().await {
        let page = page.unwrap();
        page_count += 1;
        assert_eq!(page.key_count(), Some(1));
        prefixes.extend(
            page.common_prefixes()
                .iter()
                .filter_map(|p| p.prefix())
                .map(str::to_string),
        );
    }
    assert_eq!(prefixes, vec!["acme/", "globex/", "public/"]);
    assert_eq!(page_count, 3);

    let after = auditor
        .list_objects_v2()
        .bucket(BUCKET)
        .start_after("acme/report.txt")
        .send()
        .await
        .unwrap();
    let keys: Vec<&str> = after.contents().iter().filter_map(|o| o.key()).collect();
    assert_eq!(keys, vec!["globex/report.txt", "public/notice.txt"]);
}

#[tokio::test]
async fn unsigned_callers_read_only_what_the_bucket_policy_grants_everyone() {
    let staging = start(WORLD).await;
    let anonymous = s3_client(&sdk_config(&staging, None).await);
    let notice = anonymous
        .get_object()
        .bucket(BUCKET)
        .key("public/notice.txt")
        .send()
        .await
        .unwrap();
    let body = notice.body.collect().await.unwrap().into_bytes();
    assert_eq!(&body[..], b"maintenance on sunday");
    let error = anonymous
        .get_object()
        .bucket(BUCKET)
        .key("acme/report.txt")
        .send()
        .await
        .unwrap_err();
    let (status, code, message) = failure(&error);
    assert_eq!(
        (status, code.as_str(), message.as_str()),
        (403, "AccessDenied", "Access Denied")
    );
}

fn md5_hex(data: &[u8]) -> String {
    use md5::{Digest, Md5};
    hex::encode(Md5::digest(data))
}

/// 64 clients (two tenants) write their own prefix and secret and try the other tenant's
/// for a fixed time. Every answer must be the one authorization dictates, and afterwards
/// every acknowledged write must be there.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_four_concurrent_clients_get_only_authorization_answers_and_lose_no_writes() {
    let staging = start(WORLD).await;
    let deadline = Instant::now() + LOAD_DURATION;
    let mut tasks = tokio::task::JoinSet::new();
    for client_index in 0..LOAD_CLIENTS {
        let (user, own, other) = if client_index % 2 == 0 {
            (ACME, "acme", "globex")
        } else {
            (GLOBEX, "globex", "acme")
        };
        let config = sdk_config(&staging, Some(credentials(user.0, user.1, None))).await;
        let s3 = s3_client(&config);
        let secrets = aws_sdk_secretsmanager::Client::new(&config);
        tasks.spawn(async move {
            let mut writes = 0usize;
            let mut secret_writes = Vec::new();
            let mut unexpected = Vec::new();
            let mut round = 0usize;
            while Instant::now() < deadline {
                round += 1;
                let key = format!("{own}/load/{client_index}/{round}");
                match s3
                    .put_object()
                    .bucket(BUCKET)
                    .key(&key)
                    .body(ByteStream::from(key.clone().into_bytes()))
                    .send()
                    .await
                {
                    Ok(_) => writes += 1,
                    Err(error) => unexpected.push(format!("own put: {:?}", failure(&error))),
                }
                match s3
                    .get_object()
                    .bucket(BUCKET)
                    .key(format!("{other}/report.txt"))
                    .send()
                    .await
                {
                    Err(error) if failure(&error).1 == "AccessDenied" => {}
                    other_result => unexpected.push(format!(
                        "cross get: {:?}",
                        other_result.map(|_| "allowed").map_err(|e| failure(&e))
                    )),
                }
                let value = format!("{own}-{client_index}-{round}");
                match secrets
                    .put_secret_value()
                    .secret_id(format!("{own}/db"))
                    .secret_string(&value)
                    .send()
                    .await
                {
                    Ok(_) => secret_writes.push(value),
                    Err(error) => unexpected.push(format!("own secret put: {:?}", error.code())),
                }
                match secrets
                    .get_secret_value()
                    .secret_id(format!("{other}/db"))
                    .send()
                    .await
                {
                    Err(error) if error.code() == Some("AccessDeniedException") => {}
                    other_result => unexpected.push(format!(
                        "cross secret get: {:?}",
                        other_result
                            .map(|_| "allowed")
                            .map_err(|e| e.code().map(str::to_string))
                    )),
                }
            }
            (own, writes, secret_writes, unexpected)
        });
    }
    let mut written = std::collections::BTreeMap::<&str, usize>::new();
    let mut secret_values = std::collections::BTreeMap::<&str, Vec<String>>::new();
    while let Some(result) = tasks.join_next().await {
        let (own, writes, secret_writes, unexpected) = result.unwrap();
        assert!(
            unexpected.is_empty(),
            "unexpected answers: {:?}",
            &unexpected[..unexpected.len().min(5)]
        );
        *written.entry(own).or_default() += writes;
        secret_values.entry(own).or_default().extend(secret_writes);
    }
    assert!(written["acme"] > 0 && written["globex"] > 0);
    println!(
        "{LOAD_CLIENTS} clients, {LOAD_DURATION:?}: {} + {} object writes, {} + {} secret versions",
        written["acme"],
        written["globex"],
        secret_values["acme"].len(),
        secret_values["globex"].len()
    );

    let auditor = client_for(&staging, AUDITOR).await;
    let acme_secrets = aws_sdk_secretsmanager::Client::new(
        &sdk_config(&staging, Some(credentials(ACME.0, ACME.1, None))).await,
    );
    for tenant in ["acme", "globex"] {
        let mut listed = 0usize;
        let mut pages = auditor
            .list_objects_v2()
            .bucket(BUCKET)
            .prefix(format!("{tenant}/load/"))
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            listed += page.unwrap().contents().len();
        }
        assert_eq!(
            listed, written[tenant],
            "{tenant}: every acknowledged write is listed"
        );
    }
    let current = acme_secrets
        .get_secret_value()
        .secret_id("acme/db")
        .send()
        .await
        .unwrap();
    assert!(
        secret_values["acme"]
            .iter()
            .any(|v| Some(v.as_str()) == current.secret_string())
    );
}

/// ListObjects (version 1) is a bucket GET without `list-type=2`, authorized as
/// `s3:ListBucket` like version 2; a listing without a prefix carries no `s3:prefix`, so a
/// `StringLike` condition on it denies, and with a delimiter a truncated page names its
/// `NextMarker`.
/// See https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjects.html.
#[tokio::test]
async fn list_objects_version_1_is_authorized_as_list_bucket_and_pages_with_markers() {
    let staging = start(WORLD).await;
    let acme = client_for(&staging, ACME).await;
    let own = acme
        .list_objects()
        .bucket(BUCKET)
        .prefix("acme/")
        .send()
        .await
        .unwrap();
    let keys: Vec<&str> = own.contents().iter().filter_map(|o| o.key()).collect();
    assert_eq!(keys, ["acme/locked/contract.txt", "acme/report.txt"]);
    assert_eq!(own.name(), Some(BUCKET));
    assert_eq!(own.is_truncated(), Some(false));

    let other = acme
        .list_objects()
        .bucket(BUCKET)
        .prefix("globex/")
        .send()
        .await
        .unwrap_err();
    let (status, code, message) = failure(&other);
    assert_eq!((status, code.as_str()), (403, "AccessDenied"));
    assert!(message.ends_with("because no identity-based policy allows the s3:ListBucket action"));
    for version_1 in [true, false] {
        let (status, code) = if version_1 {
            let error = acme.list_objects().bucket(BUCKET).send().await.unwrap_err();
            (failure(&error).0, failure(&error).1)
        } else {
            let error = acme
                .list_objects_v2()
                .bucket(BUCKET)
                .send()
                .await
                .unwrap_err();
            (failure(&error).0, failure(&error).1)
        };
        assert_eq!(
            (status, code.as_str()),
            (403, "AccessDenied"),
            "no prefix, v1 {version_1}"
        );
    }

    let auditor = client_for(&staging, AUDITOR).await;
    let first = auditor
        .list_objects()
        .bucket(BUCKET)
        .delimiter("/")
        .max_keys(1)
        .send()
        .await
        .unwrap();
    let prefixes: Vec<&str> = first
        .common_prefixes()
        .iter()
        .filter_map(|p| p.prefix())
        .collect();
    assert_eq!(prefixes, ["acme/"]);
    assert_eq!(first.is_truncated(), Some(true));
    assert_eq!(first.next_marker(), Some("acme/"));
    let second = auditor
        .list_objects()
        .bucket(BUCKET)
        .delimiter("/")
        .max_keys(1)
        .marker("acme/")
        .send()
        .await
        .unwrap();
    let prefixes: Vec<&str> = second
        .common_prefixes()
        .iter()
        .filter_map(|p| p.prefix())
        .collect();
    assert_eq!(prefixes, ["globex/"]);
    assert_eq!(second.marker(), Some("acme/"));
}
