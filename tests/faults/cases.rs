//! One end-to-end case per fault kind. Each faults a share of the calls of a shipped
//! scenario (PACIFIC: S3 and Secrets Manager; books: DynamoDB) past the SDK's retries and
//! checks that the run fails closed and leaks nothing. Fractions are chosen so that each
//! case hits many probes and finishes in a few seconds.

use crate::fail_closed::{assert_fails_closed_and_leaks_nothing, assert_leaks_nothing};
use crate::fault_rules::{FaultKind, FaultRule};
use crate::staged_run::StagedRun;

/// Inconclusive probes only: the shipped scenarios have no breach on their own worlds.
const INCONCLUSIVE: i32 = 3;

fn pacific_with(kind: FaultKind) -> usize {
    let run = StagedRun::of("pacific")
        .fault(FaultRule::on_probes(kind, 0.4, 7))
        .run();
    assert_fails_closed_and_leaks_nothing(&run, INCONCLUSIVE)
}

#[test]
fn server_errors_past_retries_are_inconclusive() {
    pacific_with(FaultKind::InternalError);
}

#[test]
fn service_unavailable_past_retries_is_inconclusive() {
    pacific_with(FaultKind::ServiceUnavailable);
}

#[test]
fn throttling_past_retries_is_inconclusive_on_dynamodb() {
    let run = StagedRun::of("books")
        .fault(FaultRule::on_probes(FaultKind::Throttling, 0.5, 3))
        .run();
    assert_fails_closed_and_leaks_nothing(&run, INCONCLUSIVE);
}

#[test]
fn throttling_past_retries_is_inconclusive_on_s3_and_secrets_manager() {
    pacific_with(FaultKind::Throttling);
}

#[test]
fn a_reset_connection_is_inconclusive() {
    pacific_with(FaultKind::ConnectionReset);
}

#[test]
fn a_call_that_hangs_past_the_attempt_timeout_is_inconclusive() {
    let run = StagedRun::of("pacific")
        .fault(FaultRule::on_probes(FaultKind::Hang, 0.15, 11))
        .option("--attempt-timeout-seconds")
        .option("1")
        .run();
    assert_fails_closed_and_leaks_nothing(&run, INCONCLUSIVE);
    assert!(
        run.elapsed < std::time::Duration::from_secs(20),
        "the attempt timeout did not bound the hang: {:?}",
        run.elapsed
    );
}

#[test]
fn a_200_with_a_garbage_body_is_inconclusive() {
    // Operations whose 200 carries a document the SDK must parse; an S3 object body is
    // opaque bytes, so garbage there is indistinguishable from content.
    let run = StagedRun::of("pacific")
        .fault(FaultRule::on_probes(FaultKind::GarbageBody, 0.6, 5).only(
            &["s3", "secretsmanager"],
            &[
                "ListObjectsV2",
                "GetSecretValue",
                "PutSecretValue",
                "DescribeSecret",
            ],
        ))
        .run();
    assert_fails_closed_and_leaks_nothing(&run, INCONCLUSIVE);
}

#[test]
fn a_truncated_body_is_inconclusive() {
    let run = StagedRun::of("pacific")
        .fault(FaultRule::on_probes(FaultKind::TruncatedBody, 0.6, 5).only(
            &["s3", "secretsmanager"],
            &[
                "GetObject",
                "ListObjectsV2",
                "GetSecretValue",
                "DescribeSecret",
            ],
        ))
        .run();
    assert_fails_closed_and_leaks_nothing(&run, INCONCLUSIVE);
}

#[test]
fn signature_does_not_match_is_inconclusive() {
    pacific_with(FaultKind::SignatureDoesNotMatch);
}

#[test]
fn request_time_too_skewed_is_inconclusive() {
    pacific_with(FaultKind::RequestTimeTooSkewed);
}

#[test]
fn an_expired_token_that_stays_expired_is_inconclusive() {
    pacific_with(FaultKind::ExpiredToken);
}

#[test]
fn an_invalid_access_key_id_is_inconclusive() {
    pacific_with(FaultKind::InvalidAccessKeyId);
}

#[test]
fn an_unrecognized_client_is_inconclusive() {
    pacific_with(FaultKind::UnrecognizedClient);
}

/// The calls for which a kms:Decrypt denial is not a documented dependency: writes,
/// deletes, listings and metadata (docs/verdicts.md).
const NOT_KMS_DEPENDENT: [&str; 5] = [
    "PutObject",
    "DeleteObject",
    "ListObjectsV2",
    "PutSecretValue",
    "DescribeSecret",
];

#[test]
fn access_denied_naming_another_action_is_inconclusive() {
    let run = StagedRun::of("pacific")
        .fault(
            FaultRule::on_probes(FaultKind::AccessDeniedOtherAction, 0.6, 7)
                .only(&["s3", "secretsmanager"], &NOT_KMS_DEPENDENT),
        )
        .run();
    assert_fails_closed_and_leaks_nothing(&run, INCONCLUSIVE);
}

/// The documented dependency (docs/verdicts.md): a read of an object or secret encrypted
/// under a customer managed key needs kms:Decrypt, so its denial means the data was not
/// readable. Such probes are Denied, and every record names kms:Decrypt as the denied action
/// so that no report can take it for an S3 or Secrets Manager policy decision.
#[test]
fn a_kms_decrypt_denial_of_a_read_is_denied_and_names_kms() {
    let run = StagedRun::of("pacific")
        .fault(
            FaultRule::on_probes(FaultKind::AccessDeniedOtherAction, 1.0, 7)
                .only(&["secretsmanager"], &["GetSecretValue"]),
        )
        .run();
    let records = run.evidence["results"]["records"]
        .as_array()
        .expect("records in the evidence");
    let reads: Vec<&serde_json::Value> = records
        .iter()
        .filter(|record| record["api_call"] == "secretsmanager:GetSecretValue")
        .collect();
    assert!(!reads.is_empty(), "no secret read was probed");
    for record in &reads {
        assert_eq!(record["verdict"], "denied", "{record}");
        assert_eq!(record["denied_action"], "kms:Decrypt", "{record}");
    }
    // Own-tenant reads now fail: unexpected denies, so the run exits 2, and nothing leaks.
    assert_eq!(run.exit_code, Some(2), "{}", run.stderr);
    assert_leaks_nothing(&run);
}

#[test]
fn access_denied_without_an_authorization_decision_is_inconclusive() {
    pacific_with(FaultKind::AccessDeniedWithoutDecision);
}

#[test]
fn errors_echoing_credentials_and_headers_leak_nothing() {
    let faulted = pacific_with(FaultKind::EchoRequest);
    assert!(faulted > 0);
}

#[test]
fn sign_in_errors_echoing_the_id_token_leak_nothing() {
    // AWS's validation errors quote their inputs: "Value '{...}' at 'logins' failed to
    // satisfy constraint" carries the Logins map, and so the ID token.
    let run = StagedRun::of("pacific")
        .fault(FaultRule::on_probes(FaultKind::EchoRequest, 0.5, 2).only(
            &["cognito-identity"],
            &["GetId", "GetCredentialsForIdentity"],
        ))
        .run();
    assert_fails_closed_and_leaks_nothing(&run, INCONCLUSIVE);
    let users = run.evidence["results"]["users"].as_array().unwrap();
    assert!(
        users.iter().any(|user| !user["error"].is_null()),
        "no sign-in was faulted"
    );
}
