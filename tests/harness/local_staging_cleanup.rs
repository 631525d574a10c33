//! A killed run's ledger is cleaned by the built `xtenant cleanup`: canaries a crashed run
//! created in local staging (recorded in the ledger, never resolved) are removed with the
//! ambient credentials from the environment, and nothing that is not ours is touched.

use crate::local_staging_support::{
    ADMIN_KEY_ID, ADMIN_SECRET_KEY, BUCKET, BYSTANDER_KEY_ID, BYSTANDER_SECRET_KEY, REGION,
    admin_config, s3_client, start,
};
use aws_sdk_s3::primitives::ByteStream;
use std::path::Path;
use std::time::Duration;
use xtenant::exit_code;
use xtenant::ledger::{Canary, CleanupLedger};
use xtenant::sim::LocalStaging;

const ADMIN: (&str, &str) = (ADMIN_KEY_ID, ADMIN_SECRET_KEY);

/// Runs the built binary's `cleanup --ledger FILE` with only the environment a CI job
/// would give it: endpoint, keys and region, no profile or instance metadata.
async fn run_cleanup(
    staging: &LocalStaging,
    ledger: &Path,
    (access_key_id, secret_access_key): (&str, &str),
) -> std::process::Output {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_xtenant"));
    command.arg("cleanup").arg("--ledger").arg(ledger);
    for (name, _) in std::env::vars() {
        if name.starts_with("AWS_") {
            command.env_remove(name);
        }
    }
    // The SDK reads the endpoint override, keys and region from these variables
    // (https://docs.aws.amazon.com/sdkref/latest/guide/settings-reference.html#EVarSettings).
    command
        .env("AWS_ENDPOINT_URL", staging.endpoint())
        .env("AWS_ACCESS_KEY_ID", access_key_id)
        .env("AWS_SECRET_ACCESS_KEY", secret_access_key)
        .env("AWS_REGION", REGION)
        .env("AWS_CONFIG_FILE", ledger.with_file_name("no-config"))
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            ledger.with_file_name("no-credentials"),
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .kill_on_drop(true);
    tokio::time::timeout(Duration::from_secs(30), command.output())
        .await
        .expect("cleanup finishes in time")
        .expect("the xtenant binary runs")
}

/// Puts an object as a probe's canary would be: its body is the marker.
async fn put_object(s3: &aws_sdk_s3::Client, key: &str, body: &str) {
    s3.put_object()
        .bucket(BUCKET)
        .key(key)
        .body(ByteStream::from(body.as_bytes().to_vec()))
        .send()
        .await
        .expect("admin puts the object");
}

async fn object_body(s3: &aws_sdk_s3::Client, key: &str) -> Option<Vec<u8>> {
    match s3.get_object().bucket(BUCKET).key(key).send().await {
        Ok(object) => Some(object.body.collect().await.expect("body").to_vec()),
        Err(error) => {
            let service_error = error.into_service_error();
            assert!(service_error.is_no_such_key(), "{service_error:?}");
            None
        }
    }
}

#[tokio::test]
async fn cleanup_removes_a_crashed_runs_canaries_and_leaves_what_is_not_ours() {
    let staging = start().await;
    let admin = admin_config(&staging).await;
    let s3 = s3_client(&admin);
    let dir = tempfile::tempdir().unwrap();
    let ledger_path = dir.path().join("ledger.jsonl");
    let ledger = CleanupLedger::open(&ledger_path).unwrap();
    let endpoint = Some(staging.endpoint());

    // The crashed run: intents written, canaries created, no resolutions.
    let canary_key = "acme/xtenant-canary-crashed";
    let marker = "xtenant canary 6f1d2c3b-crashed";
    ledger
        .record_intent(
            Canary::S3Object {
                bucket: BUCKET.to_owned(),
                key: canary_key.to_owned(),
                marker: marker.to_owned(),
            },
            REGION,
            endpoint,
        )
        .unwrap();
    put_object(&s3, canary_key, marker).await;

    // An intent whose key now holds someone else's object: not ours, left alone.
    let taken_key = "acme/xtenant-canary-overwritten";
    ledger
        .record_intent(
            Canary::S3Object {
                bucket: BUCKET.to_owned(),
                key: taken_key.to_owned(),
                marker: "xtenant canary overwritten".to_owned(),
            },
            REGION,
            endpoint,
        )
        .unwrap();
    put_object(&s3, taken_key, "a tenant's own data").await;
    drop(ledger);
    assert_eq!(CleanupLedger::outstanding(&ledger_path).unwrap().len(), 2);

    let output = run_cleanup(&staging, &ledger_path, ADMIN).await;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(exit_code::SUCCESS),
        "{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains("2 outstanding canaries handled, 0 still outstanding"),
        "{stdout}"
    );
    assert!(!stdout.contains(ADMIN_SECRET_KEY) && !stderr.contains(ADMIN_SECRET_KEY));

    assert_eq!(
        object_body(&s3, canary_key).await,
        None,
        "the canary is gone"
    );
    assert_eq!(
        object_body(&s3, taken_key).await.as_deref(),
        Some(b"a tenant's own data".as_slice()),
        "an object that is not ours stays"
    );
    // Every intent is resolved, so a second cleanup has nothing to do.
    assert!(CleanupLedger::outstanding(&ledger_path).unwrap().is_empty());
    let again = run_cleanup(&staging, &ledger_path, ADMIN).await;
    assert_eq!(again.status.code(), Some(exit_code::SUCCESS));
    assert!(
        String::from_utf8_lossy(&again.stdout).contains("0 outstanding canaries handled"),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );
}

#[tokio::test]
async fn cleanup_that_cannot_check_a_canary_keeps_it_outstanding_and_exits_inconclusive() {
    let staging = start().await;
    let s3 = s3_client(&admin_config(&staging).await);
    let dir = tempfile::tempdir().unwrap();
    let ledger_path = dir.path().join("ledger.jsonl");
    let ledger = CleanupLedger::open(&ledger_path).unwrap();
    let canary_key = "globex/xtenant-canary-crashed";
    let marker = "xtenant canary 0a9b8c7d-crashed";
    ledger
        .record_intent(
            Canary::S3Object {
                bucket: BUCKET.to_owned(),
                key: canary_key.to_owned(),
                marker: marker.to_owned(),
            },
            REGION,
            Some(staging.endpoint()),
        )
        .unwrap();
    put_object(&s3, canary_key, marker).await;
    drop(ledger);

    // The bystander may not read the canary, so whether it is ours stays unknown: the
    // intent stays outstanding and the exit code says so (3, inconclusive), never 0.
    let output = run_cleanup(
        &staging,
        &ledger_path,
        (BYSTANDER_KEY_ID, BYSTANDER_SECRET_KEY),
    )
    .await;
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(exit_code::INCONCLUSIVE),
        "{stdout}"
    );
    assert!(stdout.contains("still outstanding"), "{stdout}");
    assert!(stdout.contains("AccessDenied"), "{stdout}");
    assert!(!stdout.contains(BYSTANDER_SECRET_KEY), "{stdout}");
    assert_eq!(
        object_body(&s3, canary_key).await.as_deref(),
        Some(marker.as_bytes())
    );
    assert_eq!(CleanupLedger::outstanding(&ledger_path).unwrap().len(), 1);
}

#[tokio::test]
async fn cleanup_reaches_local_staging_through_aws_endpoint_url_when_the_ledger_has_no_endpoint() {
    // A ledger written against AWS records no endpoint; the operator may still point
    // cleanup elsewhere with AWS_ENDPOINT_URL, and the S3 client must then address buckets
    // by path, as the probes do.
    let staging = start().await;
    let s3 = s3_client(&admin_config(&staging).await);
    let dir = tempfile::tempdir().unwrap();
    let ledger_path = dir.path().join("ledger.jsonl");
    let ledger = CleanupLedger::open(&ledger_path).unwrap();
    let canary_key = "acme/xtenant-canary-no-endpoint";
    let marker = "xtenant canary 1c2d3e4f-no-endpoint";
    ledger
        .record_intent(
            Canary::S3Object {
                bucket: BUCKET.to_owned(),
                key: canary_key.to_owned(),
                marker: marker.to_owned(),
            },
            REGION,
            None,
        )
        .unwrap();
    put_object(&s3, canary_key, marker).await;
    drop(ledger);

    let output = run_cleanup(&staging, &ledger_path, ADMIN).await;
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(exit_code::SUCCESS), "{stdout}");
    assert_eq!(
        object_body(&s3, canary_key).await,
        None,
        "the canary is gone"
    );
}

/// A ledger holding one crashed run's intent for a canary that exists, then `tail`.
async fn crashed_ledger_then(
    staging: &LocalStaging,
    s3: &aws_sdk_s3::Client,
    dir: &Path,
    canary_key: &str,
    tail: &str,
) -> std::path::PathBuf {
    let ledger_path = dir.join("ledger.jsonl");
    let ledger = CleanupLedger::open(&ledger_path).unwrap();
    let marker = format!("xtenant canary {canary_key}");
    ledger
        .record_intent(
            Canary::S3Object {
                bucket: BUCKET.to_owned(),
                key: canary_key.to_owned(),
                marker: marker.clone(),
            },
            REGION,
            Some(staging.endpoint()),
        )
        .unwrap();
    put_object(s3, canary_key, &marker).await;
    drop(ledger);
    let mut text = std::fs::read_to_string(&ledger_path).unwrap();
    text.push_str(tail);
    std::fs::write(&ledger_path, text).unwrap();
    ledger_path
}

#[tokio::test]
async fn cleanup_skips_a_torn_last_line_with_a_warning_and_removes_the_rest() {
    let staging = start().await;
    let s3 = s3_client(&admin_config(&staging).await);
    let dir = tempfile::tempdir().unwrap();
    let canary_key = "acme/xtenant-canary-torn-ledger";
    // The crash: the next append cut off before its newline.
    let ledger_path = crashed_ledger_then(
        &staging,
        &s3,
        dir.path(),
        canary_key,
        "{\"record\":\"intent\",\"id\":\"5b0c",
    )
    .await;

    let output = run_cleanup(&staging, &ledger_path, ADMIN).await;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(exit_code::SUCCESS),
        "{stdout}\n{stderr}"
    );
    let warning = format!(
        "warning: cleanup ledger `{}` line 2 was cut off before its newline",
        ledger_path.display()
    );
    assert!(stderr.contains(&warning), "{stderr}");
    assert!(
        stdout.contains("1 outstanding canaries handled, 0 still outstanding"),
        "{stdout}"
    );
    assert_eq!(
        object_body(&s3, canary_key).await,
        None,
        "the canary is gone"
    );
    // The resolution went after a whole line: the ledger reads back cleanly.
    let contents = xtenant::ledger::read_ledger(&ledger_path).unwrap();
    assert_eq!(
        (contents.outstanding().len(), contents.torn_line),
        (0, None)
    );
}

#[tokio::test]
async fn cleanup_refuses_a_ledger_corrupt_before_its_end_and_names_file_and_line() {
    let staging = start().await;
    let s3 = s3_client(&admin_config(&staging).await);
    for (case, tail) in [
        ("a bad line in the middle", "not a record\n{}\n"),
        (
            "a bad last line ending with its newline",
            "{\"record\":\"intent\"\n",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let canary_key = "acme/xtenant-canary-corrupt-ledger";
        let ledger_path = crashed_ledger_then(&staging, &s3, dir.path(), canary_key, tail).await;
        let output = run_cleanup(&staging, &ledger_path, ADMIN).await;
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(exit_code::INVALID_INPUT),
            "{case}: {stderr}"
        );
        let error = format!(
            "error: cleanup ledger `{}` line 2 is not a ledger record",
            ledger_path.display()
        );
        assert!(stderr.contains(&error), "{case}: {stderr}");
        assert!(
            object_body(&s3, canary_key).await.is_some(),
            "{case}: nothing is removed from a ledger that cannot be trusted"
        );
    }
}

/// A DynamoDB canary item a crashed run wrote is removed by `xtenant cleanup` while it still
/// holds its marker; an item at a ledgered key that carries another marker is left alone,
/// and a key nothing was written to is settled as never created.
#[tokio::test]
async fn cleanup_removes_a_dynamodb_canary_item_only_while_it_holds_its_marker() {
    use aws_sdk_dynamodb::types::AttributeValue;
    use xtenant::ledger::CanaryKeyAttribute;
    let staging = start().await;
    let admin = admin_config(&staging).await;
    let dynamodb = aws_sdk_dynamodb::Client::new(&admin);
    let dir = tempfile::tempdir().unwrap();
    let ledger_path = dir.path().join("ledger.jsonl");
    let ledger = CleanupLedger::open(&ledger_path).unwrap();
    let endpoint = Some(staging.endpoint());
    let key = |id: &str| {
        vec![
            CanaryKeyAttribute {
                name: "tenant".to_owned(),
                kind: "S".to_owned(),
                value: "acme".to_owned(),
            },
            CanaryKeyAttribute {
                name: "id".to_owned(),
                kind: "N".to_owned(),
                value: id.to_owned(),
            },
        ]
    };
    let put = |id: &'static str, marker: &'static str| {
        let dynamodb = dynamodb.clone();
        async move {
            dynamodb
                .put_item()
                .table_name("acme-records")
                .item("tenant", AttributeValue::S("acme".to_owned()))
                .item("id", AttributeValue::N(id.to_owned()))
                .item("xtenant_canary", AttributeValue::S(marker.to_owned()))
                .send()
                .await
                .expect("admin puts the item");
        }
    };
    for (id, marker) in [
        ("-0.1", "xtenant canary ours"),
        ("-0.2", "xtenant canary theirs"),
        ("-0.3", "never written"),
    ] {
        ledger
            .record_intent(
                Canary::DynamoDbItem {
                    table: "acme-records".to_owned(),
                    key: key(id),
                    marker: marker.to_owned(),
                },
                REGION,
                endpoint,
            )
            .unwrap();
    }
    put("-0.1", "xtenant canary ours").await;
    put("-0.2", "someone else's marker").await;
    drop(ledger);

    let output = run_cleanup(&staging, &ledger_path, ADMIN).await;
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(exit_code::SUCCESS), "{stdout}");
    assert!(
        stdout.contains("3 outstanding canaries handled, 0 still outstanding"),
        "{stdout}"
    );
    let present = |id: &'static str| {
        let dynamodb = dynamodb.clone();
        async move {
            dynamodb
                .get_item()
                .table_name("acme-records")
                .key("tenant", AttributeValue::S("acme".to_owned()))
                .key("id", AttributeValue::N(id.to_owned()))
                .send()
                .await
                .unwrap()
                .item()
                .is_some()
        }
    };
    assert!(!present("-0.1").await, "our canary is removed");
    assert!(present("-0.2").await, "an item that is not ours stays");
    assert!(CleanupLedger::outstanding(&ledger_path).unwrap().is_empty());
}
