//! Writes and deletes prove authorization without changing what exists, name their method,
//! and ledger every canary before the call that could create it.

use crate::fake_server::{FakeServer, Reply};
use crate::support::{ProbeBench, fast_target, item, object, prefix, probe, secret};
use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use xtenant::identity::CredentialsSource;
use xtenant::ledger::{Canary, CleanupLedger, Resolution, remove_outstanding};
use xtenant::probe::Verdict;
use xtenant::scenario::{Action, Expectation};

#[tokio::test]
async fn s3_write_on_an_existing_object_is_a_412_and_leaves_nothing_behind() {
    let bench = ProbeBench::new(|_| {
        Reply::s3_error(
            412,
            "PreconditionFailed",
            "At least one of the pre-conditions you specified did not hold",
        )
    })
    .await;
    let record = bench
        .run(&probe(object(), Action::Write, Expectation::Deny))
        .await;
    assert_eq!(record.verdict, Verdict::Allowed);
    assert_eq!(record.method, "put-if-none-match");
    let seen = bench.server.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].method, "PUT");
    assert_eq!(seen[0].header("if-none-match"), Some("*"));
    assert_eq!(bench.outstanding_canaries(), 0);
}

#[tokio::test]
async fn s3_write_that_created_a_canary_removes_exactly_that_version() {
    let bench = ProbeBench::new(|request| match request.method.as_str() {
        "PUT" => Reply::Http {
            status: 200,
            headers: vec![("etag", "\"abc123\"".to_owned())],
            body: String::new(),
        },
        _ => Reply::empty(204),
    })
    .await;
    let record = bench
        .run(&probe(prefix(), Action::Write, Expectation::Allow))
        .await;
    assert_eq!(record.verdict, Verdict::Allowed);
    assert_eq!(record.method, "canary");
    let seen = bench.server.seen();
    assert_eq!(seen.len(), 2);
    assert!(
        seen[0]
            .path_and_query
            .starts_with("/tenant-data/globex/xtenant-canary-")
    );
    assert!(seen[0].body.contains("xtenant canary"), "{}", seen[0].body);
    assert_eq!(seen[1].method, "DELETE");
    assert_eq!(seen[1].header("if-match"), Some("\"abc123\""));
    assert_eq!(bench.outstanding_canaries(), 0);
}

#[tokio::test]
async fn an_inconclusive_write_keeps_its_canary_in_the_ledger() {
    let bench = ProbeBench::new(|_| Reply::Reset).await;
    let record = bench
        .run(&probe(object(), Action::Write, Expectation::Deny))
        .await;
    assert_eq!(record.verdict, Verdict::Inconclusive);
    assert!(
        record.reason.contains("stays in the cleanup ledger"),
        "{}",
        record.reason
    );
    assert_eq!(bench.outstanding_canaries(), 1);
}

#[tokio::test]
async fn s3_delete_carries_an_if_match_no_object_can_have() {
    let bench = ProbeBench::new(|_| {
        Reply::s3_error(
            412,
            "PreconditionFailed",
            "At least one of the pre-conditions you specified did not hold",
        )
    })
    .await;
    let record = bench
        .run(&probe(object(), Action::Delete, Expectation::Deny))
        .await;
    assert_eq!(record.verdict, Verdict::Allowed);
    assert_eq!(record.method, "delete-if-match-impossible-etag");
    let seen = bench.server.seen();
    let if_match = seen[0].header("if-match").expect("If-Match sent");
    assert_ne!(if_match, "*");
    assert!(
        if_match.starts_with('"') && if_match.len() == 34,
        "{if_match}"
    );
}

#[tokio::test]
async fn dynamodb_writes_and_deletes_carry_a_condition_that_cannot_hold() {
    let bench = ProbeBench::new(|_| {
        Reply::json_error(
            400,
            "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",
            "The conditional request failed",
        )
    })
    .await;
    for (action, operation) in [
        (Action::Write, "PutItem"),
        (Action::Api("dynamodb:UpdateItem".into()), "UpdateItem"),
        (Action::Delete, "DeleteItem"),
    ] {
        let record = bench.run(&probe(item(), action, Expectation::Deny)).await;
        assert_eq!(record.verdict, Verdict::Allowed, "{operation}");
        assert_eq!(record.method, "condition-cannot-hold");
        let seen = bench.server.seen();
        let request = seen.last().unwrap();
        assert_eq!(request.operation(), operation);
        assert!(
            request
                .body
                .contains("attribute_not_exists(#pk) AND attribute_exists(#pk)"),
            "{}",
            request.body
        );
        assert!(
            !request.body.contains("UpdateExpression"),
            "{}",
            request.body
        );
    }
}

#[tokio::test]
async fn secrets_write_reuses_an_existing_version_token_and_writes_nothing() {
    let bench = ProbeBench::new(|request| match request.operation().as_str() {
        "DescribeSecret" => Reply::json(
            200,
            r#"{"Name":"tenants/globex/db","VersionIdsToStages":{"11111111-2222-3333-4444-555555555555":["AWSCURRENT"]}}"#,
        ),
        _ => Reply::json_error(400, "ResourceExistsException", "You can't modify an existing version, you can only create a new version."),
    })
    .await;
    let record = bench
        .run(&probe(secret(), Action::Write, Expectation::Deny))
        .await;
    assert_eq!(record.verdict, Verdict::Allowed, "{}", record.reason);
    assert_eq!(record.method, "idempotency-token-conflict");
    let seen = bench.server.seen();
    let put: serde_json::Value = serde_json::from_str(&seen[1].body).unwrap();
    assert_eq!(
        put["ClientRequestToken"],
        "11111111-2222-3333-4444-555555555555"
    );
    assert!(put.get("VersionStages").is_none());
    assert_eq!(bench.outstanding_canaries(), 0);
}

#[tokio::test]
async fn secrets_write_without_describe_uses_a_labelled_canary_version() {
    let bench = ProbeBench::new(|request| {
        let action = format!("secretsmanager:{}", request.operation());
        Reply::json_error(
            400,
            "AccessDeniedException",
            &format!(
                "User: arn:aws:sts::111122223333:assumed-role/acme/s is not authorized to \
                 perform: {action} on resource: tenants/globex/db because no identity-based \
                 policy allows the {action} action"
            ),
        )
    })
    .await;
    let record = bench
        .run(&probe(secret(), Action::Write, Expectation::Deny))
        .await;
    assert_eq!(record.verdict, Verdict::Denied);
    assert_eq!(record.method, "canary-version");
    let seen = bench.server.seen();
    let put: serde_json::Value = serde_json::from_str(&seen[1].body).unwrap();
    let stages = put["VersionStages"].as_array().unwrap();
    assert_eq!(stages.len(), 1);
    assert!(stages[0].as_str().unwrap().starts_with("xtenant-canary-"));
    // Denied: nothing was created, so nothing is outstanding.
    assert_eq!(bench.outstanding_canaries(), 0);
}

async fn cleanup_bench(body: &'static str) -> (FakeServer, tempfile::TempDir, std::path::PathBuf) {
    let server = FakeServer::start(move |request| match request.method.as_str() {
        "GET" => Reply::Http {
            status: 200,
            headers: vec![("etag", "\"e1\"".to_owned())],
            body: body.to_owned(),
        },
        _ => Reply::empty(204),
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.jsonl");
    let ledger = CleanupLedger::open(&path).unwrap();
    ledger
        .record_intent(
            Canary::S3Object {
                bucket: "tenant-data".to_owned(),
                key: "globex/xtenant-canary-1".to_owned(),
                marker: "xtenant canary 1".to_owned(),
            },
            "us-east-1",
            Some(&server.url),
        )
        .unwrap();
    (server, dir, path)
}

async fn ambient(url: &str) -> aws_config::SdkConfig {
    let credentials = Credentials::new("AKIDADMIN", "admin-secret", None, None, "test");
    fast_target(url)
        .sdk_config(CredentialsSource::Provider(SharedCredentialsProvider::new(
            credentials,
        )))
        .await
}

#[tokio::test]
async fn cleanup_removes_a_leftover_canary_only_while_it_is_ours() {
    let (server, _dir, path) = cleanup_bench("xtenant canary 1").await;
    let report = remove_outstanding(&path, &ambient(&server.url).await)
        .await
        .unwrap();
    assert_eq!(report.results.len(), 1);
    assert_eq!(report.results[0].result, Ok(Resolution::Removed));
    let seen = server.seen();
    assert_eq!(seen[1].method, "DELETE");
    assert_eq!(seen[1].header("if-match"), Some("\"e1\""));
    assert!(CleanupLedger::outstanding(&path).unwrap().is_empty());

    let (server, _dir, path) = cleanup_bench("someone else's data").await;
    let report = remove_outstanding(&path, &ambient(&server.url).await)
        .await
        .unwrap();
    assert_eq!(report.results[0].result, Ok(Resolution::NotOurs));
    assert!(
        server
            .seen()
            .iter()
            .all(|request| request.method != "DELETE")
    );
}

#[tokio::test]
async fn secrets_write_never_gives_a_secret_its_first_version_or_writes_on_a_guess() {
    let empty = ProbeBench::new(|_| Reply::json(200, r#"{"Name":"tenants/globex/db"}"#)).await;
    let record = empty
        .run(&probe(secret(), Action::Write, Expectation::Deny))
        .await;
    assert_eq!(record.verdict, Verdict::Inconclusive);
    assert_eq!(empty.server.count("PutSecretValue"), 0);

    let failing = ProbeBench::new(|_| Reply::json_error(500, "InternalServiceError", "oops")).await;
    let record = failing
        .run(&probe(secret(), Action::Write, Expectation::Deny))
        .await;
    assert_eq!(record.verdict, Verdict::Inconclusive);
    assert!(
        record.reason.contains("no write attempted"),
        "{}",
        record.reason
    );
    assert_eq!(failing.server.count("PutSecretValue"), 0);
    assert_eq!(failing.outstanding_canaries(), 0);
}
