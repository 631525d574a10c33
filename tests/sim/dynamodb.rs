//! DynamoDB through aws-sdk-dynamodb against local staging: every item operation, IAM
//! denials (explicit and implicit) worded as AWS words them, authorization before any
//! condition or table lookup, and leading-key isolation, including the documented Scan
//! gap of `ForAllValues` policies.

use crate::support::{self, ACCOUNT, TestOidcProvider, credentials, sdk_config};
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::ProvideErrorMetadata;
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue, Select};
use std::collections::HashMap;
use xtenant::sim::LocalStaging;

const TABLE_ARN: &str = "arn:aws:dynamodb:us-east-1:111122223333:table/records";
const ISSUER: &str = "https://idp.example.test";

/// The users of the test world: (name, access key id). Every secret is `<name>-secret-key`.
const ALICE: &str = "AKIAALICEEXAMPLE0001";
const STRICT: &str = "AKIASTRICTEXAMPLE001";
const ADMIN: &str = "AKIAADMINEXAMPLE0001";
const NOBODY: &str = "AKIANOBODYEXAMPLE001";
const ANY: &str = "AKIAANYVALUEEXAMPLE1";

/// A leading-keys policy for tenant-a; `extra` adds condition operators.
fn leading_keys_policy(extra: &str) -> String {
    format!(
        r#"
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: [dynamodb:GetItem, dynamodb:BatchGetItem, dynamodb:Query, dynamodb:PutItem, dynamodb:UpdateItem, dynamodb:DeleteItem, dynamodb:BatchWriteItem, dynamodb:Scan]
                Resource: {TABLE_ARN}
                Condition:
                  ForAllValues:StringEquals: {{"dynamodb:LeadingKeys": [tenant-a]}}
{extra}"#
    )
}

fn user(name: &str, key: &str, policy: Option<String>) -> String {
    let policies = match policy {
        Some(document) => format!(
            "      Policies:\n        - PolicyName: dynamodb\n          PolicyDocument:{document}\n"
        ),
        None => String::new(),
    };
    format!(
        "    - UserName: {name}\n      AccessKeys:\n        - AccessKeyId: {key}\n          SecretAccessKey: {name}-secret-key\n{policies}"
    )
}

fn world(provider: &TestOidcProvider) -> String {
    let admin_policy = format!(
        r#"
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: dynamodb:*
                Resource: "*"
              - Effect: Deny
                Action: dynamodb:DeleteItem
                Resource: {TABLE_ARN}"#
    );
    let users = [
        user("alice", ALICE, Some(leading_keys_policy(""))),
        user(
            "strict",
            STRICT,
            Some(leading_keys_policy(
                "                  \"Null\": {\"dynamodb:LeadingKeys\": \"false\"}",
            )),
        ),
        user("admin", ADMIN, Some(admin_policy)),
        user("nobody", NOBODY, None),
        user(
            "any",
            ANY,
            Some(format!(
                r#"
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: [dynamodb:GetItem, dynamodb:BatchGetItem]
                Resource: {TABLE_ARN}
                Condition:
                  ForAnyValue:StringEquals: {{"dynamodb:LeadingKeys": [tenant-a]}}"#
            )),
        ),
    ]
    .concat();
    format!(
        r#"account_id: "{ACCOUNT}"
region: us-east-1
iam:
  users:
{users}  roles:
    - RoleName: Tenant
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {{Federated: "{federated}"}}
            Action: sts:AssumeRoleWithWebIdentity
      Policies:
        - PolicyName: own-partition
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: [dynamodb:GetItem, dynamodb:Query]
                Resource: {TABLE_ARN}
                Condition:
                  ForAllValues:StringEquals: {{"dynamodb:LeadingKeys": ["${{idp.example.test:sub}}"]}}
oidc_providers:
{entry}dynamodb:
  tables:
    - TableName: records
      KeySchema: [{{AttributeName: pk, KeyType: HASH}}, {{AttributeName: sk, KeyType: RANGE}}]
      AttributeDefinitions: [{{AttributeName: pk, AttributeType: S}}, {{AttributeName: sk, AttributeType: S}}]
      Items:
        - {{pk: {{S: tenant-a}}, sk: {{S: doc#1}}, body: {{S: a1}}}}
        - {{pk: {{S: tenant-a}}, sk: {{S: doc#2}}, body: {{S: a2}}}}
        - {{pk: {{S: tenant-b}}, sk: {{S: doc#1}}, body: {{S: b1}}}}
"#,
        federated = provider.federated_principal(ACCOUNT),
        entry = provider.world_entry(&["client-a"]),
    )
}

async fn staging() -> (LocalStaging, TestOidcProvider) {
    let provider = TestOidcProvider::new(ISSUER);
    let staging = support::start(&world(&provider)).await;
    (staging, provider)
}

async fn client_for(staging: &LocalStaging, name: &str, key: &str) -> Client {
    let secret = format!("{name}-secret-key");
    Client::new(&sdk_config(staging, Some(credentials(key, &secret, None))).await)
}

fn s(value: &str) -> AttributeValue {
    AttributeValue::S(value.to_string())
}

fn key(pk: &str, sk: &str) -> HashMap<String, AttributeValue> {
    HashMap::from([("pk".to_string(), s(pk)), ("sk".to_string(), s(sk))])
}

fn denial(user: &str, action: &str, reason: &str) -> String {
    format!(
        "User: arn:aws:iam::111122223333:user/{user} is not authorized to perform: dynamodb:{action} on resource: {TABLE_ARN} {reason}"
    )
}

#[tokio::test]
async fn every_operation_works_for_an_allowed_caller() {
    let (staging, _) = staging().await;
    let admin = client_for(&staging, "admin", ADMIN).await;
    let got = admin
        .get_item()
        .table_name("records")
        .set_key(Some(key("tenant-a", "doc#1")))
        .consistent_read(true)
        .send()
        .await
        .unwrap();
    assert_eq!(got.item().unwrap().get("body"), Some(&s("a1")));
    admin
        .put_item()
        .table_name("records")
        .item("pk", s("tenant-c"))
        .item("sk", s("doc#1"))
        .item("n", AttributeValue::N("41".into()))
        .send()
        .await
        .unwrap();
    let updated = admin
        .update_item()
        .table_name("records")
        .set_key(Some(key("tenant-c", "doc#1")))
        .update_expression("SET n = n + :one")
        .expression_attribute_values(":one", AttributeValue::N("1".into()))
        .return_values(ReturnValue::AllNew)
        .send()
        .await
        .unwrap();
    assert_eq!(
        updated.attributes().unwrap().get("n"),
        Some(&AttributeValue::N("42".into()))
    );
    let queried = admin
        .query()
        .table_name("records")
        .key_condition_expression("pk = :p AND begins_with(sk, :d)")
        .expression_attribute_values(":p", s("tenant-a"))
        .expression_attribute_values(":d", s("doc"))
        .select(Select::Count)
        .send()
        .await
        .unwrap();
    assert_eq!(queried.count(), 2);
    let scanned: Vec<_> = admin
        .scan()
        .table_name("records")
        .limit(1)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    assert_eq!(scanned.len(), 4);
    // DeleteItem is explicitly denied to admin; alice may delete her own items.
    let alice = client_for(&staging, "alice", ALICE).await;
    alice
        .delete_item()
        .table_name("records")
        .set_key(Some(key("tenant-a", "doc#2")))
        .send()
        .await
        .unwrap();
    let gone = admin
        .get_item()
        .table_name("records")
        .set_key(Some(key("tenant-a", "doc#2")))
        .send()
        .await
        .unwrap();
    assert!(gone.item().is_none());
}

#[tokio::test]
async fn implicit_and_explicit_denials_carry_aws_messages() {
    let (staging, _) = staging().await;
    let nobody = client_for(&staging, "nobody", NOBODY).await;
    let implicit = nobody
        .get_item()
        .table_name("records")
        .set_key(Some(key("tenant-a", "doc#1")))
        .send()
        .await
        .unwrap_err();
    assert_eq!(support::http_status(&implicit), Some(400));
    let implicit = implicit.into_service_error();
    assert_eq!(implicit.code(), Some("AccessDeniedException"));
    assert_eq!(
        implicit.message(),
        Some(
            denial(
                "nobody",
                "GetItem",
                "because no identity-based policy allows the dynamodb:GetItem action"
            )
            .as_str()
        )
    );
    let admin = client_for(&staging, "admin", ADMIN).await;
    let explicit = admin
        .delete_item()
        .table_name("records")
        .set_key(Some(key("tenant-a", "doc#1")))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(explicit.code(), Some("AccessDeniedException"));
    assert_eq!(
        explicit.message(),
        Some(
            denial(
                "admin",
                "DeleteItem",
                "with an explicit deny in an identity-based policy"
            )
            .as_str()
        )
    );
}

/// A denied caller gets the same AccessDeniedException whether or not the condition would
/// hold and whether or not the table exists; an allowed caller learns both.
#[tokio::test]
async fn authorization_comes_before_conditions_and_table_lookup() {
    let (staging, _) = staging().await;
    let put = |client: Client, pk: &'static str, condition: &'static str| async move {
        client
            .put_item()
            .table_name("records")
            .item("pk", s(pk))
            .item("sk", s("doc#1"))
            .item("body", s("overwritten"))
            .condition_expression(condition)
            .send()
            .await
            .map_err(|e| e.into_service_error())
    };
    let alice = client_for(&staging, "alice", ALICE).await;
    for condition in ["attribute_exists(pk)", "attribute_not_exists(pk)"] {
        let error = put(alice.clone(), "tenant-b", condition).await.unwrap_err();
        assert_eq!(error.code(), Some("AccessDeniedException"), "{condition}");
    }
    let failed = put(alice.clone(), "tenant-a", "attribute_not_exists(pk)")
        .await
        .unwrap_err();
    assert!(failed.is_conditional_check_failed_exception());
    let admin = client_for(&staging, "admin", ADMIN).await;
    let untouched = admin
        .get_item()
        .table_name("records")
        .set_key(Some(key("tenant-b", "doc#1")))
        .send()
        .await
        .unwrap();
    assert_eq!(untouched.item().unwrap().get("body"), Some(&s("b1")));

    let nobody = client_for(&staging, "nobody", NOBODY).await;
    let hidden = nobody
        .get_item()
        .table_name("no-such-table")
        .set_key(Some(key("tenant-a", "doc#1")))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(hidden.code(), Some("AccessDeniedException"));
    let revealed = admin
        .get_item()
        .table_name("no-such-table")
        .set_key(Some(key("tenant-a", "doc#1")))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(revealed.is_resource_not_found_exception());
    assert_eq!(revealed.message(), Some("Requested resource not found"));
}

#[tokio::test]
async fn leading_keys_hold_get_put_and_query_to_the_callers_partition() {
    let (staging, _) = staging().await;
    let alice = client_for(&staging, "alice", ALICE).await;
    let own = alice
        .get_item()
        .table_name("records")
        .set_key(Some(key("tenant-a", "doc#1")))
        .send()
        .await
        .unwrap();
    assert_eq!(own.item().unwrap().get("body"), Some(&s("a1")));
    let other = alice
        .get_item()
        .table_name("records")
        .set_key(Some(key("tenant-b", "doc#1")))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(other.code(), Some("AccessDeniedException"));
    let other_put = alice
        .put_item()
        .table_name("records")
        .item("pk", s("tenant-b"))
        .item("sk", s("canary"))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(other_put.code(), Some("AccessDeniedException"));
    let own_query = alice
        .query()
        .table_name("records")
        .key_condition_expression("pk = :p")
        .expression_attribute_values(":p", s("tenant-a"))
        .send()
        .await
        .unwrap();
    assert_eq!(own_query.count(), 2);
    let other_query = alice
        .query()
        .table_name("records")
        .key_condition_expression("pk = :p")
        .expression_attribute_values(":p", s("tenant-b"))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(other_query.code(), Some("AccessDeniedException"));
}

/// A Scan carries no `dynamodb:LeadingKeys`; `ForAllValues` over an absent key holds, so a
/// leading-keys policy alone lets Scan read every tenant. A `Null` condition requiring the
/// key closes the gap.
/// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html>.
#[tokio::test]
async fn scan_passes_for_all_values_vacuously_unless_a_null_check_requires_the_key() {
    let (staging, _) = staging().await;
    let alice = client_for(&staging, "alice", ALICE).await;
    let everything = alice.scan().table_name("records").send().await.unwrap();
    let tenants: std::collections::BTreeSet<_> = everything
        .items()
        .iter()
        .filter_map(|item| item.get("pk")?.as_s().ok())
        .collect();
    assert_eq!(tenants.len(), 2, "the Scan reads tenant-b's items too");

    let strict = client_for(&staging, "strict", STRICT).await;
    let denied = strict
        .scan()
        .table_name("records")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(denied.code(), Some("AccessDeniedException"));
    assert_eq!(
        denied.message(),
        Some(
            denial(
                "strict",
                "Scan",
                "because no identity-based policy allows the dynamodb:Scan action"
            )
            .as_str()
        )
    );
    let own = strict
        .get_item()
        .table_name("records")
        .set_key(Some(key("tenant-a", "doc#1")))
        .send()
        .await
        .unwrap();
    assert!(own.item().is_some());
}

/// The Cognito pattern: a web-identity session's `sub` chooses the partition through a
/// policy variable.
#[tokio::test]
async fn leading_keys_follow_the_web_identity_subject() {
    let (staging, provider) = staging().await;
    let sts = aws_sdk_sts::Client::new(&sdk_config(&staging, None).await);
    let assumed = sts
        .assume_role_with_web_identity()
        .role_arn("arn:aws:iam::111122223333:role/Tenant")
        .role_session_name("tenant-a-user")
        .web_identity_token(provider.token("tenant-a", "client-a"))
        .send()
        .await
        .unwrap();
    let issued = assumed.credentials().unwrap();
    let session = credentials(
        issued.access_key_id(),
        issued.secret_access_key(),
        Some(issued.session_token()),
    );
    let client = Client::new(&sdk_config(&staging, Some(session)).await);
    let own = client
        .get_item()
        .table_name("records")
        .set_key(Some(key("tenant-a", "doc#1")))
        .send()
        .await
        .unwrap();
    assert_eq!(own.item().unwrap().get("body"), Some(&s("a1")));
    let other = client
        .get_item()
        .table_name("records")
        .set_key(Some(key("tenant-b", "doc#1")))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(other.code(), Some("AccessDeniedException"));
    assert!(other.message().unwrap().starts_with(
        "User: arn:aws:sts::111122223333:assumed-role/Tenant/tenant-a-user is not authorized"
    ));
}

#[tokio::test]
async fn sdk_paginates_projects_and_reads_validation_errors() {
    let (staging, _) = staging().await;
    let admin = client_for(&staging, "admin", ADMIN).await;
    let pages: Vec<_> = admin
        .query()
        .table_name("records")
        .key_condition_expression("pk = :p")
        .expression_attribute_values(":p", s("tenant-a"))
        .projection_expression("sk, #b")
        .expression_attribute_names("#b", "body")
        .scan_index_forward(false)
        .limit(1)
        .into_paginator()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    let items: Vec<_> = pages.iter().flat_map(|page| page.items()).collect();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].get("sk"), Some(&s("doc#2")));
    assert_eq!(items[1].get("sk"), Some(&s("doc#1")));
    assert!(items.iter().all(|item| !item.contains_key("pk")));

    let invalid = admin
        .get_item()
        .table_name("records")
        .key("pk", s("tenant-a"))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(invalid.code(), Some("ValidationException"));
    assert_eq!(
        invalid.message(),
        Some("The provided key element does not match the schema")
    );
    let undefined = admin
        .update_item()
        .table_name("records")
        .set_key(Some(key("tenant-a", "doc#1")))
        .update_expression("SET #missing = :v")
        .expression_attribute_values(":v", s("x"))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(
        undefined.message(),
        Some(
            "Invalid UpdateExpression: An expression attribute name used in the document path is not defined; attribute name: #missing"
        )
    );
}

/// BatchGetItem is authorized per table as `dynamodb:BatchGetItem`, with
/// `dynamodb:LeadingKeys` holding every requested partition key: `ForAllValues` refuses a
/// request that mixes in another tenant's key, `ForAnyValue` lets it read that tenant.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html>.
#[tokio::test]
async fn batch_get_item_is_authorized_per_table_with_every_requested_leading_key() {
    let (staging, _) = staging().await;
    let batch = |keys: Vec<HashMap<String, AttributeValue>>| {
        aws_sdk_dynamodb::types::KeysAndAttributes::builder()
            .set_keys(Some(keys))
            .build()
            .unwrap()
    };
    let bodies = |output: &aws_sdk_dynamodb::operation::batch_get_item::BatchGetItemOutput| {
        let mut bodies: Vec<String> = output.responses().unwrap()["records"]
            .iter()
            .map(|item| item["body"].as_s().unwrap().clone())
            .collect();
        bodies.sort();
        bodies
    };
    let alice = client_for(&staging, "alice", ALICE).await;
    let own = alice
        .batch_get_item()
        .request_items(
            "records",
            batch(vec![
                key("tenant-a", "doc#1"),
                key("tenant-a", "doc#2"),
                key("tenant-a", "none"),
            ]),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(bodies(&own), ["a1", "a2"]);
    assert!(own.unprocessed_keys().unwrap().is_empty());

    let mixed = || batch(vec![key("tenant-a", "doc#1"), key("tenant-b", "doc#1")]);
    let refused = alice
        .batch_get_item()
        .request_items("records", mixed())
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(refused.code(), Some("AccessDeniedException"));
    assert_eq!(
        refused.message(),
        Some(
            denial(
                "alice",
                "BatchGetItem",
                "because no identity-based policy allows the dynamodb:BatchGetItem action"
            )
            .as_str()
        )
    );

    let any = client_for(&staging, "any", ANY).await;
    let leaked = any
        .batch_get_item()
        .request_items("records", mixed())
        .send()
        .await
        .unwrap();
    assert_eq!(bodies(&leaked), ["a1", "b1"]);
    let alone = any
        .batch_get_item()
        .request_items("records", batch(vec![key("tenant-b", "doc#1")]))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(alone.code(), Some("AccessDeniedException"));

    let duplicates = alice
        .batch_get_item()
        .request_items(
            "records",
            batch(vec![key("tenant-a", "doc#1"), key("tenant-a", "doc#1")]),
        )
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(duplicates.code(), Some("ValidationException"));
    assert_eq!(
        duplicates.message(),
        Some("Provided list of item keys contains duplicates")
    );
}

/// BatchWriteItem is authorized per table as `dynamodb:BatchWriteItem` with every put item's
/// and deleted key's partition key in `dynamodb:LeadingKeys`; a denied table fails the whole
/// request before anything is written, and deleting a key nobody wrote changes nothing.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html>.
#[tokio::test]
async fn batch_write_item_is_authorized_per_table_and_writes_nothing_when_denied() {
    use aws_sdk_dynamodb::types::{DeleteRequest, PutRequest, WriteRequest};
    let (staging, _) = staging().await;
    let put = |pk: &str, sk: &str| {
        let mut item = key(pk, sk);
        item.insert("body".to_string(), s("batch"));
        WriteRequest::builder()
            .put_request(PutRequest::builder().set_item(Some(item)).build().unwrap())
            .build()
    };
    let delete = |pk: &str, sk: &str| {
        WriteRequest::builder()
            .delete_request(
                DeleteRequest::builder()
                    .set_key(Some(key(pk, sk)))
                    .build()
                    .unwrap(),
            )
            .build()
    };
    let alice = client_for(&staging, "alice", ALICE).await;
    let read = |pk: &'static str, sk: &'static str| {
        let alice = alice.clone();
        async move {
            alice
                .get_item()
                .table_name("records")
                .set_key(Some(key(pk, sk)))
                .send()
                .await
                .unwrap()
                .item()
                .cloned()
        }
    };
    let refused = alice
        .batch_write_item()
        .request_items(
            "records",
            vec![put("tenant-a", "doc#3"), delete("tenant-b", "doc#1")],
        )
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(refused.code(), Some("AccessDeniedException"));
    assert_eq!(
        refused.message(),
        Some(
            denial(
                "alice",
                "BatchWriteItem",
                "because no identity-based policy allows the dynamodb:BatchWriteItem action"
            )
            .as_str()
        )
    );
    assert_eq!(read("tenant-a", "doc#3").await, None, "nothing written");

    let written = alice
        .batch_write_item()
        .request_items(
            "records",
            vec![
                put("tenant-a", "doc#3"),
                delete("tenant-a", "never-written"),
            ],
        )
        .send()
        .await
        .unwrap();
    assert!(written.unprocessed_items().unwrap().is_empty());
    assert_eq!(
        read("tenant-a", "doc#3").await.unwrap().get("body"),
        Some(&s("batch"))
    );
    assert_eq!(
        read("tenant-a", "doc#1").await.unwrap().get("body"),
        Some(&s("a1"))
    );

    let nobody = client_for(&staging, "nobody", NOBODY).await;
    let error = nobody
        .batch_write_item()
        .request_items("records", vec![delete("tenant-a", "doc#1")])
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(error.code(), Some("AccessDeniedException"));
    assert_eq!(
        read("tenant-a", "doc#1").await.unwrap().get("body"),
        Some(&s("a1"))
    );
}
