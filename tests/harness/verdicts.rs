//! The genuine response shapes of each service yield the documented verdicts.

use crate::fake_server::Reply;
use crate::support::{ProbeBench, item, object, probe, secret};
use xtenant::probe::{DenialLayer, Outcome, Verdict};
use xtenant::scenario::{Action, Expectation};

const EXPLICIT_DENY: &str = "User: arn:aws:sts::111122223333:assumed-role/acme/CognitoIdentityCredentials is not authorized to perform: dynamodb:GetItem on resource: arn:aws:dynamodb:us-east-1:111122223333:table/records with an explicit deny in an identity-based policy";

/// S3's same-account denial of `action` on the probed object, as the S3 User Guide shows it.
fn s3_denial_of(action: &str) -> String {
    format!(
        "User: arn:aws:sts::111122223333:assumed-role/acme/CognitoIdentityCredentials is not \
         authorized to perform: {action} on resource: \"arn:aws:s3:::tenant-data/globex/report.csv\" \
         because no identity-based policy allows the {action} action"
    )
}

#[tokio::test]
async fn s3_403_access_denied_naming_the_call_is_denied_and_holds_an_expected_deny() {
    let bench =
        ProbeBench::new(|_| Reply::s3_error(403, "AccessDenied", &s3_denial_of("s3:GetObject")))
            .await;
    let record = bench
        .run(&probe(object(), Action::Read, Expectation::Deny))
        .await;
    assert_eq!(record.verdict, Verdict::Denied, "{}", record.reason);
    assert_eq!(record.outcome, Outcome::Held);
    assert_eq!(record.api_call, "s3:GetObject");
    assert_eq!(record.http_status, Some(403));
    assert_eq!(record.error_code.as_deref(), Some("AccessDenied"));
    assert_eq!(record.denied_action.as_deref(), Some("s3:GetObject"));
    assert_eq!(record.denial_layer, Some(DenialLayer::Identity));
    assert_eq!(record.denial_explicit, Some(false));
    assert_eq!(record.denial_of_other_action(), None);
    assert_eq!(record.request_id.as_deref(), Some("REQ-S3-1"));
    // Path-style addressing against an endpoint override.
    assert_eq!(
        bench.server.seen()[0].path_and_query.split('?').next(),
        Some("/tenant-data/globex/report.csv")
    );
}

#[tokio::test]
async fn a_bare_s3_access_denied_proves_nothing_for_either_expectation() {
    let bench = ProbeBench::new(|_| Reply::s3_error(403, "AccessDenied", "Access Denied")).await;
    for expectation in [Expectation::Deny, Expectation::Allow] {
        let record = bench.run(&probe(object(), Action::Read, expectation)).await;
        assert_eq!(record.verdict, Verdict::Inconclusive, "{}", record.reason);
        assert_eq!(record.outcome, Outcome::Inconclusive);
        assert!(record.reason.contains("bare message"), "{}", record.reason);
        assert_eq!(record.denied_action, None);
    }
}

#[tokio::test]
async fn an_access_denied_about_the_request_not_a_policy_is_inconclusive() {
    for message in [
        "There were headers present in the request which were not signed",
        "Request has expired",
        "Invalid date format header, expected to be in ISO8601, RFC1123 or RFC1123Z time format.",
    ] {
        let bench = ProbeBench::new(move |_| Reply::s3_error(403, "AccessDenied", message)).await;
        let record = bench
            .run(&probe(object(), Action::Read, Expectation::Deny))
            .await;
        assert_eq!(record.verdict, Verdict::Inconclusive, "{message}");
        assert!(
            record.reason.contains("not an IAM authorization decision"),
            "{}",
            record.reason
        );
    }
    let json = ProbeBench::new(|_| {
        Reply::json_error(400, "AccessDeniedException", "Access to KMS is not allowed")
    })
    .await;
    let record = json
        .run(&probe(secret(), Action::Read, Expectation::Deny))
        .await;
    assert_eq!(record.verdict, Verdict::Inconclusive, "{}", record.reason);
}

#[tokio::test]
async fn a_denial_of_another_action_is_inconclusive_and_names_that_action() {
    // A PutObject to an SSE-KMS bucket whose key the caller may not use.
    let bench = ProbeBench::new(|_| {
        Reply::s3_error(403, "AccessDenied", &s3_denial_of("kms:GenerateDataKey"))
    })
    .await;
    let record = bench
        .run(&probe(object(), Action::Write, Expectation::Deny))
        .await;
    assert_eq!(record.verdict, Verdict::Inconclusive, "{}", record.reason);
    assert_eq!(record.denied_action.as_deref(), Some("kms:GenerateDataKey"));
    assert_eq!(record.denial_of_other_action(), Some("kms:GenerateDataKey"));
    assert_eq!(
        record.other_denial_summary().as_deref(),
        Some("denied by kms:GenerateDataKey, not s3:PutObject (identity-based policy)")
    );

    let dynamodb = ProbeBench::new(|_| {
        Reply::json_error(
            400,
            "com.amazonaws.dynamodb.v20120810#AccessDeniedException",
            &EXPLICIT_DENY.replace("dynamodb:GetItem", "dynamodb:Query"),
        )
    })
    .await;
    let record = dynamodb
        .run(&probe(item(), Action::Read, Expectation::Deny))
        .await;
    assert_eq!(record.verdict, Verdict::Inconclusive, "{}", record.reason);
    assert_eq!(record.denied_action.as_deref(), Some("dynamodb:Query"));
    assert_eq!(record.denial_explicit, Some(true));
}

#[tokio::test]
async fn a_kms_decrypt_denial_of_a_read_is_denied_and_flagged_as_another_action() {
    let s3 =
        ProbeBench::new(|_| Reply::s3_error(403, "AccessDenied", &s3_denial_of("kms:Decrypt")))
            .await;
    let record = s3
        .run(&probe(object(), Action::Read, Expectation::Deny))
        .await;
    assert_eq!(record.verdict, Verdict::Denied, "{}", record.reason);
    assert_eq!(record.outcome, Outcome::Held);
    assert_eq!(
        record.other_denial_summary().as_deref(),
        Some("denied by kms:Decrypt, not s3:GetObject (identity-based policy)")
    );
    assert!(
        record
            .reason
            .contains("denied by kms:Decrypt, not s3:GetObject"),
        "{}",
        record.reason
    );

    let secrets = ProbeBench::new(|_| {
        Reply::json_error(
            400,
            "AccessDeniedException",
            "User: arn:aws:sts::111122223333:assumed-role/acme/s is not authorized to perform: \
             kms:Decrypt on resource: arn:aws:kms:us-east-1:111122223333:key/k with an explicit \
             deny in a resource-based policy",
        )
    })
    .await;
    let record = secrets
        .run(&probe(secret(), Action::Read, Expectation::Allow))
        .await;
    assert_eq!(record.verdict, Verdict::Denied, "{}", record.reason);
    assert_eq!(record.outcome, Outcome::UnexpectedDeny);
    assert_eq!(record.denied_action.as_deref(), Some("kms:Decrypt"));
    assert_eq!(record.denial_layer, Some(DenialLayer::Resource));
    assert_eq!(record.denial_explicit, Some(true));
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
            Action::Api("dynamodb:Query".into()),
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
        Reply::json_error(
            400,
            "AccessDeniedException",
            "User: arn:aws:sts::111122223333:assumed-role/acme/s is not authorized to perform: \
             secretsmanager:GetSecretValue on resource: tenants/globex/db because no \
             identity-based policy allows the secretsmanager:GetSecretValue action",
        )
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
        _ => Reply::s3_error(403, "AccessDenied", &s3_denial_of("s3:GetObject")),
    })
    .await;
    let record = bench
        .run(&probe(
            object(),
            Action::Api("s3:HeadObject".into()),
            Expectation::Deny,
        ))
        .await;
    assert_eq!(record.verdict, Verdict::Denied, "{}", record.reason);
    assert_eq!(record.method, "head-paired-with-ranged-get");
    assert_eq!(bench.server.seen()[1].header("range"), Some("bytes=0-0"));

    // HEAD needs no kms:Decrypt, so the paired GET's KMS denial does not confirm it.
    let kms = ProbeBench::new(|request| match request.method.as_str() {
        "HEAD" => Reply::empty(403),
        _ => Reply::s3_error(403, "AccessDenied", &s3_denial_of("kms:Decrypt")),
    })
    .await;
    let record = kms
        .run(&probe(
            object(),
            Action::Api("s3:HeadObject".into()),
            Expectation::Deny,
        ))
        .await;
    assert_eq!(record.verdict, Verdict::Inconclusive, "{}", record.reason);

    let ambiguous = ProbeBench::new(|request| match request.method.as_str() {
        "HEAD" => Reply::empty(403),
        _ => Reply::s3_error(404, "NoSuchKey", "The specified key does not exist."),
    })
    .await;
    let record = ambiguous
        .run(&probe(
            object(),
            Action::Api("s3:HeadObject".into()),
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
