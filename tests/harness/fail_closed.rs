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
