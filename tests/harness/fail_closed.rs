//! Everything that is not a documented allow or denial is Inconclusive, never a pass.

use crate::fake_server::Reply;
use crate::support::{ProbeBench, item, object, probe, secret};
use std::time::Duration;
use xtenant::probe::{Outcome, Verdict};
use xtenant::scenario::{Action, Expectation};

async fn both_expectations_inconclusive(
    bench: &ProbeBench,
    target: xtenant::scenario::ResourceTarget,
) -> String {
    for expectation in [Expectation::Allow, Expectation::Deny] {
        let record = bench
            .run(&probe(target.clone(), Action::Read, expectation))
            .await;
        assert_eq!(record.verdict, Verdict::Inconclusive, "{record:?}");
        assert_eq!(record.outcome, Outcome::Inconclusive);
        assert!(!record.reason.is_empty());
    }
    bench
        .run(&probe(target, Action::Read, Expectation::Deny))
        .await
        .reason
        .to_string()
}

#[tokio::test]
async fn a_500_after_retries_is_inconclusive() {
    let bench = ProbeBench::new(|_| {
        Reply::s3_error(500, "InternalError", "We encountered an internal error.")
    })
    .await;
    let reason = both_expectations_inconclusive(&bench, object()).await;
    assert!(reason.contains("server error"), "{reason}");
    // Two attempts per probe: the SDK's retries ran before the verdict.
    assert_eq!(bench.server.seen().len(), 6);
}

#[tokio::test]
async fn a_connection_reset_is_inconclusive() {
    let bench = ProbeBench::new(|_| Reply::Reset).await;
    let reason = both_expectations_inconclusive(&bench, item()).await;
    assert!(
        reason.contains("network") || reason.contains("could not be parsed"),
        "{reason}"
    );
}

#[tokio::test]
async fn a_timeout_is_inconclusive() {
    let bench = ProbeBench::new(|_| Reply::Hang(Duration::from_secs(10))).await;
    let record = bench
        .run(&probe(secret(), Action::Read, Expectation::Deny))
        .await;
    assert_eq!(record.verdict, Verdict::Inconclusive);
    assert!(record.reason.contains("timed out"), "{}", record.reason);
}

#[tokio::test]
async fn an_unknown_error_code_is_inconclusive() {
    let bench = ProbeBench::new(|_| Reply::json_error(400, "SomethingNewException", "new")).await;
    let reason = both_expectations_inconclusive(&bench, item()).await;
    assert!(reason.contains("SomethingNewException"), "{reason}");
}

#[tokio::test]
async fn expired_credentials_are_inconclusive_even_with_a_403() {
    let s3 = ProbeBench::new(|_| {
        Reply::s3_error(400, "ExpiredToken", "The provided token has expired.")
    })
    .await;
    let reason = both_expectations_inconclusive(&s3, object()).await;
    assert!(reason.contains("expired"), "{reason}");
    let dynamodb = ProbeBench::new(|_| {
        Reply::json_error(
            400,
            "com.amazonaws.dynamodb.v20120810#ExpiredTokenException",
            "The security token included in the request is expired",
        )
    })
    .await;
    both_expectations_inconclusive(&dynamodb, item()).await;
}

#[tokio::test]
async fn throttling_that_outlives_retries_is_inconclusive() {
    let bench = ProbeBench::new(|_| {
        Reply::json_error(
            400,
            "com.amazonaws.dynamodb.v20120810#ThrottlingException",
            "Rate of requests exceeds the allowed throughput.",
        )
    })
    .await;
    let record = bench
        .run(&probe(item(), Action::Read, Expectation::Deny))
        .await;
    assert_eq!(record.verdict, Verdict::Inconclusive);
    assert!(record.reason.contains("throttled"), "{}", record.reason);
    assert_eq!(
        bench.server.count("GetItem"),
        2,
        "the SDK retried before giving up"
    );
}

#[tokio::test]
async fn a_denial_code_with_the_wrong_status_is_inconclusive() {
    let bench = ProbeBench::new(|_| Reply::s3_error(500, "AccessDenied", "odd")).await;
    both_expectations_inconclusive(&bench, object()).await;
}

#[tokio::test]
async fn a_get_object_whose_body_breaks_off_is_inconclusive_without_read_evidence() {
    let bench = ProbeBench::new(|_| Reply::Truncated {
        status: 200,
        headers: vec![("etag", "\"e1\"".to_owned())],
        body: "abc".to_owned(),
        declared_len: 100,
    })
    .await;
    let record = bench
        .run(&probe(object(), Action::Read, Expectation::Deny))
        .await;
    assert_eq!(record.verdict, Verdict::Inconclusive, "{}", record.reason);
    assert_eq!(record.outcome, Outcome::Inconclusive);
    assert!(
        record.reason.contains("could not be read in full"),
        "{}",
        record.reason
    );
    assert_eq!(record.read_evidence, None);
}

#[tokio::test]
async fn a_success_with_an_undocumented_status_is_inconclusive_and_records_the_status_seen() {
    // DeleteObject documents 204; a 200 is not its success.
    let delete = ProbeBench::new(|_| Reply::empty(200)).await;
    let record = delete
        .run(&probe(object(), Action::Delete, Expectation::Deny))
        .await;
    assert_eq!(record.verdict, Verdict::Inconclusive, "{}", record.reason);
    assert_eq!(record.http_status, Some(200));

    // GetObject documents 200; a 206 to a request without a Range is not its success.
    let get = ProbeBench::new(|_| Reply::Http {
        status: 206,
        headers: vec![("etag", "\"e1\"".to_owned())],
        body: "abc".to_owned(),
    })
    .await;
    let record = get
        .run(&probe(object(), Action::Read, Expectation::Deny))
        .await;
    assert_eq!(record.verdict, Verdict::Inconclusive, "{}", record.reason);
    assert_eq!(record.http_status, Some(206));
}

#[tokio::test]
async fn a_success_records_the_status_seen_on_the_wire() {
    let delete = ProbeBench::new(|_| Reply::empty(204)).await;
    let record = delete
        .run(&probe(object(), Action::Delete, Expectation::Allow))
        .await;
    assert_eq!(record.verdict, Verdict::Allowed, "{}", record.reason);
    assert_eq!(record.http_status, Some(204));
    let list = ProbeBench::new(|_| {
        Reply::xml(
            200,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult \
             xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>tenant-data</Name>\
             <Prefix>globex/</Prefix><KeyCount>0</KeyCount><MaxKeys>1</MaxKeys>\
             <IsTruncated>false</IsTruncated></ListBucketResult>",
        )
    })
    .await;
    let record = list
        .run(&probe(object(), Action::List, Expectation::Allow))
        .await;
    assert_eq!(record.verdict, Verdict::Allowed, "{}", record.reason);
    assert_eq!(record.http_status, Some(200));
}

#[tokio::test]
async fn s3_writes_and_heads_without_their_documented_shape_are_inconclusive() {
    // PutObject without an ETag.
    let no_etag = ProbeBench::new(|_| Reply::empty(200)).await;
    let record = no_etag
        .run(&probe(object(), Action::Write, Expectation::Deny))
        .await;
    assert_eq!(record.verdict, Verdict::Inconclusive, "{}", record.reason);
    assert!(record.reason.contains("no ETag"), "{}", record.reason);
    assert!(
        record.reason.contains("stays in the cleanup ledger"),
        "{}",
        record.reason
    );

    // PutObject with an ETag and a garbage body.
    let garbage = ProbeBench::new(|_| Reply::Http {
        status: 200,
        headers: vec![("etag", "\"e1\"".to_owned())],
        body: "\u{1}garbage<<".to_owned(),
    })
    .await;
    let record = garbage
        .run(&probe(object(), Action::Write, Expectation::Deny))
        .await;
    assert_eq!(record.verdict, Verdict::Inconclusive, "{}", record.reason);
    assert!(record.reason.contains("byte body"), "{}", record.reason);

    // DeleteObject's 204 with a body.
    let delete = ProbeBench::new(|_| Reply::Http {
        status: 204,
        headers: vec![],
        body: String::new(),
    })
    .await;
    let record = delete
        .run(&probe(object(), Action::Delete, Expectation::Deny))
        .await;
    assert_eq!(record.verdict, Verdict::Allowed, "{}", record.reason);
    let delete_with_body = ProbeBench::new(|_| Reply::Http {
        status: 200,
        headers: vec![],
        body: "garbage".to_owned(),
    })
    .await;
    let record = delete_with_body
        .run(&probe(object(), Action::Delete, Expectation::Deny))
        .await;
    assert_eq!(record.verdict, Verdict::Inconclusive, "{}", record.reason);

    // HeadObject 200 without an ETag.
    let head = ProbeBench::new(|_| Reply::empty(200)).await;
    let record = head
        .run(&probe(
            object(),
            Action::Api("s3:HeadObject".into()),
            Expectation::Deny,
        ))
        .await;
    assert_eq!(record.verdict, Verdict::Inconclusive, "{}", record.reason);
}

#[tokio::test]
async fn a_secret_value_without_its_documented_fields_is_inconclusive_and_unrecorded() {
    let bench = ProbeBench::new(|_| Reply::json(200, "{}")).await;
    let record = bench
        .run(&probe(secret(), Action::Read, Expectation::Deny))
        .await;
    assert_eq!(record.verdict, Verdict::Inconclusive, "{}", record.reason);
    assert!(
        record
            .reason
            .contains("it lacks ARN, Name, SecretString or SecretBinary"),
        "{}",
        record.reason
    );
    assert_eq!(record.read_evidence, None);
}
