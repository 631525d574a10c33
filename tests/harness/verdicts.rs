//! The genuine response shapes of each service yield the documented verdicts.

use crate::fake_server::Reply;
use crate::support::{ProbeBench, item, object, probe, secret};
use xtenant::probe::{Outcome, Verdict};
use xtenant::scenario::{Action, Expectation};

const EXPLICIT_DENY: &str = "User: arn:aws:sts::111122223333:assumed-role/acme/CognitoIdentityCredentials is not authorized to perform: dynamodb:GetItem on resource: arn:aws:dynamodb:us-east-1:111122223333:table/records with an explicit deny in an identity-based policy";

#[tokio::test]
async fn s3_403_access_denied_xml_is_denied_and_holds_an_expected_deny() {
    let bench = ProbeBench::new(|_| Reply::s3_error(403, "AccessDenied", "Access Denied")).await;
    let record = bench
        .run(&probe(object(), Action::Read, Expectation::Deny))
        .await;
    assert_eq!(record.verdict, Verdict::Denied);
    assert_eq!(record.outcome, Outcome::Held);
    assert_eq!(record.api_call, "s3:GetObject");
    assert_eq!(record.http_status, Some(403));
    assert_eq!(record.error_code.as_deref(), Some("AccessDenied"));
    assert_eq!(record.error_message.as_deref(), Some("Access Denied"));
    assert_eq!(record.request_id.as_deref(), Some("REQ-S3-1"));
    // Path-style addressing against an endpoint override.
    assert_eq!(
        bench.server.seen()[0].path_and_query.split('?').next(),
        Some("/tenant-data/globex/report.csv")
    );
}

#[tokio::test]
async fn s3_404_no_such_key_is_allowed_and_breaches_an_expected_deny() {
    let bench =
        ProbeBench::new(|_| Reply::s3_error(404, "NoSuchKey", "The specified key does not exist."))
            .await;
    let record = bench
        .run(&probe(object(), Action::Read, Expectation::Deny))
        .await;
    assert_eq!(record.verdict, Verdict::Allowed);
    assert_eq!(record.outcome, Outcome::Breach);
}

#[tokio::test]
async fn a_readable_object_is_recorded_by_size_and_hash_only() {
    let bench = ProbeBench::new(|_| Reply::Http {
        status: 200,
        headers: vec![("content-type", "text/plain".to_owned())],
        body: "abc".to_owned(),
    })
    .await;
    let record = bench
        .run(&probe(object(), Action::Read, Expectation::Deny))
        .await;
    assert_eq!(record.verdict, Verdict::Allowed);
    assert_eq!(record.outcome, Outcome::Breach);
    let evidence = record.read_evidence.expect("read evidence");
    assert_eq!(evidence.size_bytes, 3);
    assert_eq!(evidence.sha256_prefix, "ba7816bf8f01cfea");
}

#[tokio::test]
async fn dynamodb_access_denied_exception_is_denied_with_its_message() {
    let bench = ProbeBench::new(|_| {
        Reply::json_error(
            400,
            "com.amazonaws.dynamodb.v20120810#AccessDeniedException",
            EXPLICIT_DENY,
        )
    })
    .await;
    let record = bench
        .run(&probe(item(), Action::Read, Expectation::Allow))
        .await;
    assert_eq!(record.verdict, Verdict::Denied);
    assert_eq!(record.outcome, Outcome::UnexpectedDeny);
    assert_eq!(record.api_call, "dynamodb:GetItem");
    assert_eq!(record.error_code.as_deref(), Some("AccessDeniedException"));
    assert!(
        record
            .error_message
            .as_deref()
            .unwrap()
            .contains("explicit deny")
    );
    assert_eq!(record.request_id.as_deref(), Some("REQ-JSON-1"));
    assert_eq!(bench.server.seen()[0].operation(), "GetItem");
}

#[tokio::test]
async fn dynamodb_query_uses_the_partition_key() {
    let bench =
        ProbeBench::new(|_| Reply::json(200, r#"{"Count":0,"Items":[],"ScannedCount":0}"#)).await;
    let record = bench
        .run(&probe(
            item(),
            Action::Api("dynamodb:Query".to_owned()),
            Expectation::Allow,
        ))
        .await;
    assert_eq!(record.verdict, Verdict::Allowed);
    assert_eq!(record.outcome, Outcome::Held);
    let seen = &bench.server.seen()[0];
    assert_eq!(seen.operation(), "Query");
    assert!(seen.body.contains("#pk = :pk"), "{}", seen.body);
    assert!(seen.body.contains("\"globex\""), "{}", seen.body);
}

#[tokio::test]
async fn secrets_manager_denial_and_missing_secret_are_told_apart() {
    let denied = ProbeBench::new(|_| {
        Reply::json_error(400, "AccessDeniedException", "User is not authorized to perform: secretsmanager:GetSecretValue because no identity-based policy allows it")
    })
    .await;
    let record = denied
        .run(&probe(secret(), Action::Read, Expectation::Deny))
        .await;
    assert_eq!(record.verdict, Verdict::Denied);
    assert_eq!(record.outcome, Outcome::Held);

    let missing = ProbeBench::new(|_| {
        Reply::json_error(
            400,
            "ResourceNotFoundException",
            "Secrets Manager can't find the specified secret.",
        )
    })
    .await;
    let record = missing
        .run(&probe(secret(), Action::Read, Expectation::Deny))
        .await;
    assert_eq!(record.verdict, Verdict::Allowed);
    assert_eq!(record.outcome, Outcome::Breach);
}

#[tokio::test]
async fn head_403_is_denied_only_when_the_paired_ranged_get_is_access_denied() {
    let bench = ProbeBench::new(|request| match request.method.as_str() {
        "HEAD" => Reply::empty(403),
        _ => Reply::s3_error(403, "AccessDenied", "Access Denied"),
    })
    .await;
    let record = bench
        .run(&probe(
            object(),
            Action::Api("s3:HeadObject".to_owned()),
            Expectation::Deny,
        ))
        .await;
    assert_eq!(record.verdict, Verdict::Denied, "{}", record.reason);
    assert_eq!(record.method, "head-paired-with-ranged-get");
    assert_eq!(bench.server.seen()[1].header("range"), Some("bytes=0-0"));

    let ambiguous = ProbeBench::new(|request| match request.method.as_str() {
        "HEAD" => Reply::empty(403),
        _ => Reply::s3_error(404, "NoSuchKey", "The specified key does not exist."),
    })
    .await;
    let record = ambiguous
        .run(&probe(
            object(),
            Action::Api("s3:HeadObject".to_owned()),
            Expectation::Deny,
        ))
        .await;
    assert_eq!(record.verdict, Verdict::Inconclusive, "{}", record.reason);
    assert_eq!(record.outcome, Outcome::Inconclusive);
}

#[tokio::test]
async fn an_action_without_a_probe_is_inconclusive_and_makes_no_call() {
    let bench = ProbeBench::new(|_| Reply::empty(200)).await;
    let record = bench
        .run(&probe(secret(), Action::Delete, Expectation::Deny))
        .await;
    assert_eq!(record.verdict, Verdict::Inconclusive);
    assert!(record.reason.contains("no probe"), "{}", record.reason);
    assert!(bench.server.seen().is_empty());
}
