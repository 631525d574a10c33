//! Request-shape cases against a fake server: the batch APIs' per-item answers inside a 200
//! give fail-closed verdicts (a per-secret denial is Denied, another tenant's value is
//! Allowed, anything else Inconclusive; keys DynamoDB leaves unprocessed prove nothing),
//! and the listing shapes send exactly the request they are named after.

use crate::fake_server::Reply;
use crate::support::{ProbeBench, item, prefix, probe, secret};
use xtenant::probe::{Outcome, Verdict};
use xtenant::scenario::{Action, Expectation, ItemKey, KeyValue, PlannedProbe, RequestShape};

fn shaped(mut planned: PlannedProbe, shape: RequestShape) -> PlannedProbe {
    planned.name = format!("{}::{shape}", planned.name).into();
    planned.shape = Some(Box::new(shape));
    planned
}

fn secret_read(shape: RequestShape) -> PlannedProbe {
    shaped(probe(secret(), Action::Read, Expectation::Deny), shape)
}

const GET_SECRET_DENIAL: &str = "User: arn:aws:sts::111122223333:assumed-role/acme/CognitoIdentityCredentials is not authorized to perform: secretsmanager:GetSecretValue on resource: tenants/globex/db because no identity-based policy allows the secretsmanager:GetSecretValue action";

#[tokio::test]
async fn a_per_secret_access_denied_inside_a_200_is_a_denial_of_that_secret() {
    let body = serde_json::json!({
        "SecretValues": [],
        "Errors": [{"SecretId": "tenants/globex/db", "ErrorCode": "AccessDeniedException", "Message": GET_SECRET_DENIAL}],
    })
    .to_string();
    let bench = ProbeBench::new(move |_| Reply::json(200, &body)).await;
    let record = bench
        .run(&secret_read(RequestShape::BatchGetSecretValue))
        .await;
    assert_eq!(record.verdict, Verdict::Denied, "{}", record.reason);
    assert_eq!(record.outcome, Outcome::Held);
    assert_eq!(record.api_call, "secretsmanager:BatchGetSecretValue");
    assert_eq!(
        record.denied_action.as_deref(),
        Some("secretsmanager:GetSecretValue")
    );
    // GetSecretValue is the action BatchGetSecretValue authorizes each secret by.
    assert_eq!(record.denial_of_other_action(), None);
    assert_eq!(
        record.shape.as_deref(),
        Some(&RequestShape::BatchGetSecretValue)
    );
    assert_eq!(bench.server.count("BatchGetSecretValue"), 1);
}

#[tokio::test]
async fn another_tenants_value_inside_a_batch_answer_is_a_breach_recorded_by_hash_only() {
    let body = serde_json::json!({
        "SecretValues": [{"ARN": "arn:aws:secretsmanager:us-east-1:111122223333:secret:tenants/globex/db-AbCdEf", "Name": "tenants/globex/db", "SecretString": "globex-db-password"}],
        "Errors": [],
    })
    .to_string();
    let bench = ProbeBench::new(move |_| Reply::json(200, &body)).await;
    let record = bench
        .run(&secret_read(RequestShape::BatchGetSecretValue))
        .await;
    assert_eq!(record.verdict, Verdict::Allowed, "{}", record.reason);
    assert_eq!(record.outcome, Outcome::Breach);
    let evidence = record.read_evidence.as_ref().expect("read evidence");
    assert_eq!(evidence.size_bytes, "globex-db-password".len() as u64);
    let json = serde_json::to_string(&record).unwrap();
    assert!(!json.contains("globex-db-password"), "{json}");
}

#[tokio::test]
async fn a_batch_answer_that_neither_returns_nor_refuses_the_secret_proves_nothing() {
    let replies = [
        serde_json::json!({"SecretValues": [], "Errors": []}),
        serde_json::json!({"SecretValues": [], "Errors": [{"SecretId": "tenants/globex/db", "ErrorCode": "DecryptionFailure", "Message": "cannot decrypt"}]}),
        serde_json::json!({"SecretValues": [], "Errors": [{"SecretId": "tenants/globex/db", "ErrorCode": "AccessDeniedException", "Message": "Access Denied"}]}),
        serde_json::json!({"SecretValues": [], "Errors": [{"SecretId": "tenants/globex/db", "ErrorCode": "AccessDeniedException", "Message": GET_SECRET_DENIAL.replace("secretsmanager:GetSecretValue", "kms:Decrypt")}]}),
    ];
    for reply in replies {
        let body = reply.to_string();
        let bench = ProbeBench::new(move |_| Reply::json(200, &body)).await;
        for expectation in [Expectation::Deny, Expectation::Allow] {
            let mut planned = secret_read(RequestShape::BatchGetSecretValue);
            planned.expectation = expectation;
            let record = bench.run(&planned).await;
            assert_eq!(
                record.verdict,
                Verdict::Inconclusive,
                "{reply}: {}",
                record.reason
            );
        }
    }
}

#[tokio::test]
async fn keys_dynamodb_leaves_unprocessed_are_retried_and_then_inconclusive() {
    let unprocessed = serde_json::json!({
        "Responses": {"records": []},
        "UnprocessedKeys": {"records": {"Keys": [{"tenant": {"S": "globex"}, "id": {"N": "1"}}]}},
    })
    .to_string();
    let bench = ProbeBench::new(move |_| Reply::json(200, &unprocessed)).await;
    let planned = shaped(
        probe(item(), Action::Read, Expectation::Deny),
        RequestShape::BatchGetItem,
    );
    let record = bench.run(&planned).await;
    assert_eq!(record.verdict, Verdict::Inconclusive, "{}", record.reason);
    assert!(
        record.reason.contains("UnprocessedKeys"),
        "{}",
        record.reason
    );
    assert_eq!(bench.server.count("BatchGetItem"), 3);
}

#[tokio::test]
async fn a_mixed_batch_answered_200_is_allowed_and_hashes_only_the_probed_item() {
    let answer = serde_json::json!({
        "Responses": {"records": [
            {"tenant": {"S": "acme"}, "id": {"N": "1"}, "body": {"S": "own"}},
            {"tenant": {"S": "globex"}, "id": {"N": "1"}, "body": {"S": "theirs"}},
        ]},
        "UnprocessedKeys": {},
    })
    .to_string();
    let bench = ProbeBench::new(move |_| Reply::json(200, &answer)).await;
    let own_key = ItemKey {
        partition: ("tenant".to_owned(), KeyValue::S("acme".to_owned())),
        sort: Some(("id".to_owned(), KeyValue::N("1".to_owned()))),
    };
    let planned = shaped(
        probe(item(), Action::Read, Expectation::Deny),
        RequestShape::BatchGetItemWithOwnKey {
            own_tenant: "acme".to_owned(),
            own_key,
        },
    );
    let record = bench.run(&planned).await;
    assert_eq!(record.verdict, Verdict::Allowed, "{}", record.reason);
    assert_eq!(record.outcome, Outcome::Breach);
    assert_eq!(record.method, "batch-with-own-key");
    assert!(record.read_evidence.is_some());
    let sent = &bench.server.seen()[0].body;
    assert!(
        sent.contains("\"acme\"") && sent.contains("\"globex\""),
        "{sent}"
    );
}

#[tokio::test]
async fn listing_shapes_send_no_prefix_the_parent_prefix_and_version_1() {
    let listing = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>tenant-data</Name><Prefix></Prefix><MaxKeys>1</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>";
    let bench = ProbeBench::new(move |_| Reply::xml(200, listing)).await;
    let mut nested = probe(prefix(), Action::List, Expectation::Deny);
    nested.target = xtenant::scenario::ResourceTarget::S3Prefix {
        bucket: "tenant-data".to_owned(),
        prefix: "tenants/globex/".to_owned(),
    }
    .into();
    let shapes = [
        RequestShape::NoPrefix,
        RequestShape::ParentPrefix {
            parent: "tenants/".to_owned(),
        },
        RequestShape::ListObjectsV1,
    ];
    for shape in shapes {
        let record = bench.run(&shaped(nested.clone(), shape.clone())).await;
        assert_eq!(
            record.verdict,
            Verdict::Allowed,
            "{shape}: {}",
            record.reason
        );
        assert_eq!(record.outcome, Outcome::Breach);
    }
    let queries: Vec<String> = bench
        .server
        .seen()
        .iter()
        .map(|seen| seen.path_and_query.clone())
        .collect();
    assert!(!queries[0].contains("prefix="), "{}", queries[0]);
    assert!(queries[0].contains("list-type=2"), "{}", queries[0]);
    assert!(queries[1].contains("prefix=tenants%2F"), "{}", queries[1]);
    assert!(!queries[1].contains("globex"), "{}", queries[1]);
    assert!(!queries[2].contains("list-type=2"), "{}", queries[2]);
    assert!(
        queries[2].contains("prefix=tenants%2Fglobex%2F"),
        "{}",
        queries[2]
    );
}

#[tokio::test]
async fn a_batch_delete_names_a_key_no_item_has_and_an_unprocessed_delete_proves_nothing() {
    let bench = ProbeBench::new(|_| Reply::json(200, r#"{"UnprocessedItems":{}}"#)).await;
    let planned = shaped(
        probe(item(), Action::Delete, Expectation::Deny),
        RequestShape::BatchWriteItemDelete,
    );
    let record = bench.run(&planned).await;
    assert_eq!(record.verdict, Verdict::Allowed, "{}", record.reason);
    assert_eq!(record.outcome, Outcome::Breach);
    assert_eq!(record.api_call, "dynamodb:BatchWriteItem");
    assert_eq!(record.method, "delete-absent-key");
    let sent: serde_json::Value = serde_json::from_str(&bench.server.seen()[0].body).unwrap();
    let key = &sent["RequestItems"]["records"][0]["DeleteRequest"]["Key"];
    assert_eq!(key["tenant"]["S"], "globex", "{sent}");
    let sort = key["id"]["N"].as_str().unwrap();
    assert!(sort.starts_with("-0.") && sort != "1", "{sent}");

    let unprocessed =
        serde_json::json!({"UnprocessedItems": {"records": [{"DeleteRequest": {"Key": key}}]}})
            .to_string();
    let stuck = ProbeBench::new(move |_| Reply::json(200, &unprocessed)).await;
    let record = stuck.run(&planned).await;
    assert_eq!(record.verdict, Verdict::Inconclusive, "{}", record.reason);
    assert!(
        record.reason.contains("UnprocessedItems"),
        "{}",
        record.reason
    );
    assert_eq!(stuck.server.count("BatchWriteItem"), 3);
}
