//! Every probe kind of the design's probe table against local staging, each for an allowed
//! and a denied case: the verdict, the method, the error code, the HTTP status and the
//! request id the harness records.

use crate::local_staging_support::{
    ALICE, AMY, BUCKET, UserBench, guest, item, object, planned, prefix, role_arn, secret,
    signed_in_user, start, web_client, web_user,
};
use xtenant::identity::{IdentityFlow, SignInFlow};
use xtenant::probe::{Outcome, ProbeRecord, Verdict};
use xtenant::scenario::{Action, Expectation, ResourceTarget};

/// What one probe must record.
struct Case {
    target: ResourceTarget,
    action: Action,
    expectation: Expectation,
    api_call: &'static str,
    method: &'static str,
    verdict: Verdict,
    http_status: Option<u16>,
    error_code: Option<&'static str>,
}

fn api(name: &str) -> Action {
    Action::Api(name.into())
}

#[allow(clippy::too_many_arguments)]
fn case(
    target: ResourceTarget,
    action: Action,
    api_call: &'static str,
    method: &'static str,
    verdict: Verdict,
    http_status: u16,
    error_code: Option<&'static str>,
) -> Case {
    let expectation = match verdict {
        Verdict::Denied => Expectation::Deny,
        _ => Expectation::Allow,
    };
    Case {
        target,
        action,
        expectation,
        api_call,
        method,
        verdict,
        http_status: Some(http_status),
        error_code,
    }
}

/// Runs every case as `bench`'s user and reports every mismatch at once.
async fn check_all(bench: &UserBench, user: &str, cases: Vec<Case>) -> Vec<ProbeRecord> {
    let mut failures = Vec::new();
    let mut records = Vec::new();
    for case in cases {
        let tenant = match &case.target {
            ResourceTarget::S3Object { key, .. } => key.split('/').next().unwrap_or_default(),
            ResourceTarget::S3Prefix { prefix, .. } => prefix.trim_end_matches('/'),
            ResourceTarget::DynamoDbItem { table, .. } => {
                table.split('-').next().unwrap_or_default()
            }
            ResourceTarget::Secret { secret_id } => secret_id.split('/').next().unwrap_or_default(),
            ResourceTarget::Identity { .. } => "",
        }
        .to_owned();
        let probe = planned(
            user,
            &tenant,
            "data",
            case.target.clone(),
            case.action.clone(),
            case.expectation,
        );
        let record = bench.run(&probe).await;
        let actual = (
            record.api_call.as_str(),
            record.method.as_str(),
            record.verdict,
            record.http_status,
            record.error_code.as_deref(),
        );
        let expected = (
            case.api_call,
            case.method,
            case.verdict,
            case.http_status,
            case.error_code,
        );
        if actual != expected {
            failures.push(format!(
                "{}: expected {expected:?}, got {actual:?} ({})",
                probe.name, record.reason
            ));
        }
        if record.outcome != Outcome::Held {
            failures.push(format!("{}: outcome {:?}", probe.name, record.outcome));
        }
        if record.request_id.as_deref().is_none_or(str::is_empty) {
            failures.push(format!("{}: no request id", probe.name));
        }
        // A denial records the service's message, which says why.
        if record.verdict == Verdict::Denied
            && record
                .error_message
                .as_deref()
                .is_none_or(|message| !message.contains("not authorized"))
        {
            failures.push(format!(
                "{}: denial message {:?}",
                probe.name, record.error_message
            ));
        }
        // Local staging words its denials as AWS does, so each names the probed call's own
        // IAM action and the policy type.
        if record.verdict == Verdict::Denied
            && (record.denied_action.is_none()
                || record.denial_layer.is_none()
                || record.denial_of_other_action().is_some())
        {
            failures.push(format!(
                "{}: denial decision {:?} / {:?}",
                probe.name, record.denied_action, record.denial_layer
            ));
        }
        records.push(record);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(
        bench.outstanding_canaries(),
        0,
        "every canary intent is resolved"
    );
    records
}

#[tokio::test]
async fn s3_probes_allow_the_own_prefix_and_deny_the_other_tenants() {
    let staging = start().await;
    let alice = UserBench::new(&web_user(&staging, ALICE)).await;
    use Verdict::{Allowed, Denied};
    // S3 answers an IAM denial with 403 AccessDenied, and a failed precondition with 412
    // PreconditionFailed after authorization
    // (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList).
    let records = check_all(
        &alice,
        ALICE.0,
        vec![
            case(
                object("acme"),
                Action::Read,
                "s3:GetObject",
                "direct",
                Allowed,
                200,
                None,
            ),
            case(
                object("globex"),
                Action::Read,
                "s3:GetObject",
                "direct",
                Denied,
                403,
                Some("AccessDenied"),
            ),
            case(
                object("acme"),
                Action::Write,
                "s3:PutObject",
                "put-if-none-match",
                Allowed,
                412,
                Some("PreconditionFailed"),
            ),
            case(
                object("globex"),
                Action::Write,
                "s3:PutObject",
                "put-if-none-match",
                Denied,
                403,
                Some("AccessDenied"),
            ),
            case(
                prefix("acme"),
                Action::List,
                "s3:ListObjectsV2",
                "direct",
                Allowed,
                200,
                None,
            ),
            case(
                prefix("globex"),
                Action::List,
                "s3:ListObjectsV2",
                "direct",
                Denied,
                403,
                Some("AccessDenied"),
            ),
            case(
                object("acme"),
                Action::Delete,
                "s3:DeleteObject",
                "delete-if-match-impossible-etag",
                Allowed,
                412,
                Some("PreconditionFailed"),
            ),
            case(
                object("globex"),
                Action::Delete,
                "s3:DeleteObject",
                "delete-if-match-impossible-etag",
                Denied,
                403,
                Some("AccessDenied"),
            ),
            case(
                object("acme"),
                api("s3:HeadObject"),
                "s3:HeadObject",
                "direct",
                Allowed,
                200,
                None,
            ),
            // HEAD has no error body; the paired ranged GET names the denial.
            case(
                object("globex"),
                api("s3:HeadObject"),
                "s3:HeadObject",
                "head-paired-with-ranged-get",
                Denied,
                403,
                Some("AccessDenied"),
            ),
        ],
    )
    .await;
    // A readable object is recorded by size and hash, never by content.
    let read = &records[0];
    let evidence = read.read_evidence.as_ref().expect("read evidence");
    assert_eq!(evidence.size_bytes, "acme,quarterly,revenue\n".len() as u64);
    assert_eq!(evidence.sha256_prefix.len(), 16);
    assert!(!serde_json::to_string(read).unwrap().contains("quarterly"));
}

#[tokio::test]
async fn s3_write_under_a_prefix_creates_a_canary_and_removes_it() {
    let staging = start().await;
    let alice = UserBench::new(&web_user(&staging, ALICE)).await;
    let records = check_all(
        &alice,
        ALICE.0,
        vec![
            case(
                prefix("acme"),
                Action::Write,
                "s3:PutObject",
                "canary",
                Verdict::Allowed,
                200,
                None,
            ),
            case(
                prefix("globex"),
                Action::Write,
                "s3:PutObject",
                "put-if-none-match",
                Verdict::Denied,
                403,
                Some("AccessDenied"),
            ),
        ],
    )
    .await;
    assert!(
        records[0].reason.contains("removed"),
        "{}",
        records[0].reason
    );
    // Nothing is left under the prefix but the object the world put there.
    let listed = alice
        .clients
        .s3
        .list_objects_v2()
        .bucket(BUCKET)
        .prefix("acme/")
        .send()
        .await
        .expect("alice may list her prefix");
    let keys: Vec<&str> = listed.contents().iter().filter_map(|o| o.key()).collect();
    assert_eq!(keys, vec!["acme/report.csv"]);
}

#[tokio::test]
async fn dynamodb_probes_allow_the_own_table_and_deny_the_other_tenants() {
    let staging = start().await;
    let alice = UserBench::new(&web_user(&staging, ALICE)).await;
    use Verdict::{Allowed, Denied};
    // DynamoDB answers an IAM denial with 400 AccessDeniedException, and a failed condition
    // with 400 ConditionalCheckFailedException after authorization
    // (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html).
    let denied = Some("AccessDeniedException");
    let condition = Some("ConditionalCheckFailedException");
    let records = check_all(
        &alice,
        ALICE.0,
        vec![
            case(
                item("acme"),
                Action::Read,
                "dynamodb:GetItem",
                "direct",
                Allowed,
                200,
                None,
            ),
            case(
                item("globex"),
                Action::Read,
                "dynamodb:GetItem",
                "direct",
                Denied,
                400,
                denied,
            ),
            case(
                item("acme"),
                api("dynamodb:Query"),
                "dynamodb:Query",
                "partition-key",
                Allowed,
                200,
                None,
            ),
            case(
                item("globex"),
                api("dynamodb:Query"),
                "dynamodb:Query",
                "partition-key",
                Denied,
                400,
                denied,
            ),
            case(
                item("acme"),
                Action::Write,
                "dynamodb:PutItem",
                "condition-cannot-hold",
                Allowed,
                400,
                condition,
            ),
            case(
                item("globex"),
                Action::Write,
                "dynamodb:PutItem",
                "condition-cannot-hold",
                Denied,
                400,
                denied,
            ),
            case(
                item("acme"),
                api("dynamodb:UpdateItem"),
                "dynamodb:UpdateItem",
                "condition-cannot-hold",
                Allowed,
                400,
                condition,
            ),
            case(
                item("globex"),
                api("dynamodb:UpdateItem"),
                "dynamodb:UpdateItem",
                "condition-cannot-hold",
                Denied,
                400,
                denied,
            ),
            case(
                item("acme"),
                Action::List,
                "dynamodb:Scan",
                "direct",
                Allowed,
                200,
                None,
            ),
            case(
                item("globex"),
                Action::List,
                "dynamodb:Scan",
                "direct",
                Denied,
                400,
                denied,
            ),
            case(
                item("acme"),
                Action::Delete,
                "dynamodb:DeleteItem",
                "condition-cannot-hold",
                Allowed,
                400,
                condition,
            ),
            case(
                item("globex"),
                Action::Delete,
                "dynamodb:DeleteItem",
                "condition-cannot-hold",
                Denied,
                400,
                denied,
            ),
        ],
    )
    .await;
    for read in [&records[0], &records[2], &records[8]] {
        assert!(read.read_evidence.is_some(), "{}: read evidence", read.name);
        assert!(!serde_json::to_string(read).unwrap().contains("shipped"));
    }
}

#[tokio::test]
async fn secrets_manager_probes_allow_the_own_secret_and_deny_the_other_tenants() {
    let staging = start().await;
    let alice = UserBench::new(&web_user(&staging, ALICE)).await;
    use Verdict::{Allowed, Denied};
    // Secrets Manager answers an IAM denial with 400 AccessDeniedException, and a reused
    // ClientRequestToken with a different value with 400 ResourceExistsException
    // (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutSecretValue.html#API_PutSecretValue_Errors).
    let denied = Some("AccessDeniedException");
    let records = check_all(
        &alice,
        ALICE.0,
        vec![
            case(
                secret("acme"),
                Action::Read,
                "secretsmanager:GetSecretValue",
                "direct",
                Allowed,
                200,
                None,
            ),
            case(
                secret("globex"),
                Action::Read,
                "secretsmanager:GetSecretValue",
                "direct",
                Denied,
                400,
                denied,
            ),
            case(
                secret("acme"),
                Action::Write,
                "secretsmanager:PutSecretValue",
                "idempotency-token-conflict",
                Allowed,
                400,
                Some("ResourceExistsException"),
            ),
            // Without DescribeSecret the only proof is a canary version; the write is denied
            // before it can create one.
            case(
                secret("globex"),
                Action::Write,
                "secretsmanager:PutSecretValue",
                "canary-version",
                Denied,
                400,
                denied,
            ),
            case(
                secret("acme"),
                Action::List,
                "secretsmanager:ListSecrets",
                "account-wide",
                Allowed,
                200,
                None,
            ),
            case(
                secret("acme"),
                api("secretsmanager:DescribeSecret"),
                "secretsmanager:DescribeSecret",
                "direct",
                Allowed,
                200,
                None,
            ),
            case(
                secret("globex"),
                api("secretsmanager:DescribeSecret"),
                "secretsmanager:DescribeSecret",
                "direct",
                Denied,
                400,
                denied,
            ),
        ],
    )
    .await;
    assert!(records[0].read_evidence.is_some());
    assert!(
        !serde_json::to_string(&records[0])
            .unwrap()
            .contains("acme_app")
    );

    // ListSecrets is authorized account-wide, so its denied case is a user without it.
    let visitor = UserBench::new(&guest(&staging)).await;
    check_all(
        &visitor,
        "guest",
        vec![case(
            secret("acme"),
            Action::List,
            "secretsmanager:ListSecrets",
            "account-wide",
            Denied,
            400,
            denied,
        )],
    )
    .await;
}

#[tokio::test]
async fn a_missing_key_the_user_may_read_but_not_list_is_never_a_held_denial() {
    let staging = start().await;
    // XtAuditor may GetObject every key of the bucket but not list it. S3 answers such a
    // caller's read of a missing key with 403 AccessDenied naming s3:ListBucket
    // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html#API_GetObject_Permissions):
    // counting that as a denial would report "isolated" for a cross-tenant read the role
    // is in fact allowed.
    let amy = UserBench::new(&signed_in_user(
        &staging,
        AMY,
        web_client(),
        SignInFlow::UserPassword,
        IdentityFlow::Enhanced {
            custom_role_arn: Some(role_arn("XtAuditor")),
        },
    ))
    .await;
    let missing = ResourceTarget::S3Object {
        bucket: BUCKET.to_owned(),
        key: "globex/no-such-report.csv".to_owned(),
    };
    for action in [Action::Read, api("s3:HeadObject")] {
        let record = amy
            .run(&planned(
                AMY.0,
                "globex",
                "missing",
                missing.clone(),
                action,
                Expectation::Deny,
            ))
            .await;
        assert_eq!(record.verdict, Verdict::Inconclusive, "{}", record.reason);
        assert_eq!(record.outcome, Outcome::Inconclusive);
        assert!(record.reason.contains("s3:ListBucket"), "{}", record.reason);
    }
    // The same role on a key that exists: the read is allowed, a breach of the deny.
    let record = amy
        .run(&planned(
            AMY.0,
            "globex",
            "report",
            object("globex"),
            Action::Read,
            Expectation::Deny,
        ))
        .await;
    assert_eq!(record.outcome, Outcome::Breach, "{}", record.reason);
}
