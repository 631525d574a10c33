//! The Secrets Manager service driven with hand-built requests and a test core.

use http::{Method, StatusCode};
use serde_json::{Value, json};
use std::sync::Arc;

use super::SecretsService;
use crate::sim::iam::PolicyKind;
use crate::sim::principal::Principal;
use crate::sim::request::SimResponse;
use crate::sim::s3::test_core::{
    ACCOUNT, TestCore, allow, explicit_deny, implicit_deny, request, role_session,
};
use crate::sim::world::World;

const WORLD: &str = r#"
account_id: "123456789012"
region: us-east-1
secrets:
  - Name: acme/db
    SecretString: acme-password-1
    Description: Acme database
    Tags: [{Key: tenant, Value: acme}]
  - Name: globex/db
    SecretString: globex-password-1
    Tags: [{Key: tenant, Value: globex}]
    ResourcePolicy: '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"secretsmanager:*","Resource":"*"}]}'
  - Name: acme/cert
    SecretBinary: AAEC
    Tags: [{Key: tenant, Value: acme}]
"#;

const TOKEN_A: &str = "11111111-1111-4111-8111-111111111111";

fn service(core: &TestCore) -> SecretsService {
    let world: World = serde_yaml::from_str(WORLD).unwrap();
    SecretsService::from_world(&world, core).unwrap()
}

fn caller() -> Option<Arc<Principal>> {
    Some(role_session("TenantAcme"))
}

fn call(
    service: &SecretsService,
    core: &TestCore,
    operation: &str,
    input: Value,
) -> (StatusCode, Value) {
    call_as(service, core, operation, input, caller())
}

fn call_as(
    service: &SecretsService,
    core: &TestCore,
    operation: &str,
    input: Value,
    caller: Option<Arc<Principal>>,
) -> (StatusCode, Value) {
    let target = format!("secretsmanager.{operation}");
    let response: SimResponse = service.handle(
        core,
        &request(
            Method::POST,
            "/",
            &[],
            &[
                ("x-amz-target", target.as_str()),
                ("content-type", "application/x-amz-json-1.1"),
            ],
            input.to_string(),
            caller,
        ),
    );
    (
        response.status,
        serde_json::from_slice(&response.body).unwrap(),
    )
}

fn arn_of(service: &SecretsService, core: &TestCore, name: &str) -> String {
    let (_, out) = call(service, core, "DescribeSecret", json!({"SecretId": name}));
    out["ARN"].as_str().unwrap().to_string()
}

#[test]
fn get_secret_value_returns_the_current_version_and_authorizes_on_the_arn_with_tags() {
    let core = TestCore::allow_all();
    let secrets = service(&core);
    let (status, out) = call(
        &secrets,
        &core,
        "GetSecretValue",
        json!({"SecretId": "acme/db"}),
    );
    assert_eq!(status, StatusCode::OK);
    assert_eq!(out["SecretString"], "acme-password-1");
    assert_eq!(out["Name"], "acme/db");
    assert_eq!(out["VersionStages"], json!(["AWSCURRENT"]));
    let arn = out["ARN"].as_str().unwrap();
    assert!(arn.starts_with(&format!(
        "arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:acme/db-"
    )));
    assert_eq!(
        arn.len(),
        format!("arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:acme/db-").len() + 6
    );
    let asked = &core.asked()[0];
    assert_eq!(asked.action, "secretsmanager:GetSecretValue");
    assert_eq!(asked.resource, arn);
    assert_eq!(
        asked.context.get("secretsmanager:SecretId"),
        Some(&[arn.to_string()][..])
    );
    assert_eq!(
        asked.context.get("aws:ResourceTag/tenant"),
        Some(&["acme".to_string()][..])
    );
    assert_eq!(
        asked.context.get("secretsmanager:ResourceTag/tenant"),
        Some(&["acme".to_string()][..])
    );
}

#[test]
fn secrets_are_found_by_name_full_arn_and_partial_arn() {
    let core = TestCore::allow_all();
    let secrets = service(&core);
    let arn = arn_of(&secrets, &core, "acme/db");
    let partial = &arn[..arn.len() - 7];
    for id in [arn.as_str(), partial] {
        let (status, out) = call(&secrets, &core, "GetSecretValue", json!({"SecretId": id}));
        assert_eq!(status, StatusCode::OK, "{id}");
        assert_eq!(out["Name"], "acme/db");
    }
    let wrong_suffix = format!("{partial}-ZZZZZZ");
    let (status, out) = call(
        &secrets,
        &core,
        "GetSecretValue",
        json!({"SecretId": wrong_suffix}),
    );
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(out["__type"], "ResourceNotFoundException");
}

#[test]
fn binary_secrets_come_back_base64() {
    let core = TestCore::allow_all();
    let secrets = service(&core);
    let (_, out) = call(
        &secrets,
        &core,
        "GetSecretValue",
        json!({"SecretId": "acme/cert"}),
    );
    assert_eq!(out["SecretBinary"], "AAEC");
    assert!(out.get("SecretString").is_none());
}

#[test]
fn implicit_denial_has_aws_shape_and_names_the_secret_id_as_sent() {
    let core = TestCore::new(|_| implicit_deny());
    let secrets = service(&core);
    let (status, out) = call(
        &secrets,
        &core,
        "GetSecretValue",
        json!({"SecretId": "globex/db"}),
    );
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(out["__type"], "AccessDeniedException");
    assert_eq!(
        out["message"],
        format!(
            "User: arn:aws:sts::{ACCOUNT}:assumed-role/TenantAcme/test is not authorized to perform: secretsmanager:GetSecretValue on resource: globex/db because no identity-based policy allows the secretsmanager:GetSecretValue action"
        )
    );
    assert!(!out.to_string().contains("globex-password"));
}

#[test]
fn explicit_denial_in_the_resource_policy_says_so() {
    let core = TestCore::new(|r| {
        if r.resource_policy.is_some() {
            explicit_deny(PolicyKind::Resource)
        } else {
            allow()
        }
    });
    let secrets = service(&core);
    let (_, out) = call(
        &secrets,
        &core,
        "GetSecretValue",
        json!({"SecretId": "globex/db"}),
    );
    assert_eq!(out["__type"], "AccessDeniedException");
    assert!(
        out["message"]
            .as_str()
            .unwrap()
            .ends_with("on resource: globex/db with an explicit deny in a resource-based policy")
    );
    assert!(core.asked()[0].had_resource_policy);
    let (status, _) = call(
        &secrets,
        &core,
        "GetSecretValue",
        json!({"SecretId": "acme/db"}),
    );
    assert_eq!(status, StatusCode::OK);
}

#[test]
fn a_missing_secret_is_not_found_only_for_callers_allowed_on_its_arn() {
    let core = TestCore::new(|r| {
        if r.resource.contains(":secret:acme/") {
            allow()
        } else {
            implicit_deny()
        }
    });
    let secrets = service(&core);
    let (status, out) = call(
        &secrets,
        &core,
        "GetSecretValue",
        json!({"SecretId": "acme/missing"}),
    );
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(out["__type"], "ResourceNotFoundException");
    assert_eq!(
        out["message"],
        "Secrets Manager can't find the specified secret."
    );
    assert_eq!(
        core.asked()[0].resource,
        format!("arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:acme/missing")
    );
    let (_, out) = call(
        &secrets,
        &core,
        "GetSecretValue",
        json!({"SecretId": "globex/missing"}),
    );
    assert_eq!(out["__type"], "AccessDeniedException");
}

#[test]
fn tag_scoped_access_follows_the_resource_tag() {
    let core = TestCore::new(|r| {
        let tenant = r.context.get("aws:ResourceTag/tenant");
        if tenant == Some(&["acme".to_string()][..]) {
            allow()
        } else {
            implicit_deny()
        }
    });
    let secrets = service(&core);
    let (status, _) = call(
        &secrets,
        &core,
        "GetSecretValue",
        json!({"SecretId": "acme/db"}),
    );
    assert_eq!(status, StatusCode::OK);
    let (_, out) = call(
        &secrets,
        &core,
        "GetSecretValue",
        json!({"SecretId": "globex/db"}),
    );
    assert_eq!(out["__type"], "AccessDeniedException");
}

#[test]
fn put_secret_value_moves_awscurrent_and_is_idempotent_on_the_token() {
    let core = TestCore::allow_all();
    let secrets = service(&core);
    let put = |value: &str| {
        call(
            &secrets,
            &core,
            "PutSecretValue",
            json!({"SecretId": "acme/db", "ClientRequestToken": TOKEN_A, "SecretString": value}),
        )
    };
    let (status, out) = put("acme-password-2");
    assert_eq!(status, StatusCode::OK);
    assert_eq!(out["VersionId"], TOKEN_A);
    assert_eq!(out["VersionStages"], json!(["AWSCURRENT"]));
    let (_, value) = call(
        &secrets,
        &core,
        "GetSecretValue",
        json!({"SecretId": "acme/db"}),
    );
    assert_eq!(value["SecretString"], "acme-password-2");
    let (_, previous) = call(
        &secrets,
        &core,
        "GetSecretValue",
        json!({"SecretId": "acme/db", "VersionStage": "AWSPREVIOUS"}),
    );
    assert_eq!(previous["SecretString"], "acme-password-1");

    let (status, again) = put("acme-password-2");
    assert_eq!(status, StatusCode::OK, "same token, same value: a retry");
    assert_eq!(again["VersionId"], TOKEN_A);
    let (_, described) = call(
        &secrets,
        &core,
        "DescribeSecret",
        json!({"SecretId": "acme/db"}),
    );
    assert_eq!(
        described["VersionIdsToStages"].as_object().unwrap().len(),
        2
    );

    let (status, conflict) = put("something-else");
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(conflict["__type"], "ResourceExistsException");
    let arn = arn_of(&secrets, &core, "acme/db");
    assert_eq!(
        conflict["message"],
        format!(
            "You can't use ClientRequestToken {TOKEN_A} because that value is already in use for a version of secret {arn}."
        )
    );
    assert!(!conflict.to_string().contains("something-else"));
    let (_, value) = call(
        &secrets,
        &core,
        "GetSecretValue",
        json!({"SecretId": "acme/db"}),
    );
    assert_eq!(value["SecretString"], "acme-password-2");
}

#[test]
fn a_denied_put_changes_nothing() {
    let core = TestCore::new(|r| {
        if r.action == "secretsmanager:PutSecretValue" {
            implicit_deny()
        } else {
            allow()
        }
    });
    let secrets = service(&core);
    let (_, out) = call(
        &secrets,
        &core,
        "PutSecretValue",
        json!({"SecretId": "acme/db", "ClientRequestToken": TOKEN_A, "SecretString": "x"}),
    );
    assert_eq!(out["__type"], "AccessDeniedException");
    let (_, value) = call(
        &secrets,
        &core,
        "GetSecretValue",
        json!({"SecretId": "acme/db"}),
    );
    assert_eq!(value["SecretString"], "acme-password-1");
}

#[test]
fn describe_secret_shows_metadata_never_the_value() {
    let core = TestCore::allow_all();
    let secrets = service(&core);
    let (status, out) = call(
        &secrets,
        &core,
        "DescribeSecret",
        json!({"SecretId": "acme/db"}),
    );
    assert_eq!(status, StatusCode::OK);
    assert_eq!(out["Description"], "Acme database");
    assert_eq!(out["Tags"], json!([{"Key": "tenant", "Value": "acme"}]));
    assert!(out["CreatedDate"].is_number());
    assert!(!out.to_string().contains("acme-password"));
    assert_eq!(core.asked()[0].action, "secretsmanager:DescribeSecret");
}

#[test]
fn list_secrets_is_authorized_on_star_and_its_denial_names_no_resource() {
    let core = TestCore::new(|_| implicit_deny());
    let secrets = service(&core);
    let (_, out) = call(&secrets, &core, "ListSecrets", json!({}));
    assert_eq!(out["__type"], "AccessDeniedException");
    assert_eq!(
        out["message"],
        format!(
            "User: arn:aws:sts::{ACCOUNT}:assumed-role/TenantAcme/test is not authorized to perform: secretsmanager:ListSecrets because no identity-based policy allows the secretsmanager:ListSecrets action"
        )
    );
    assert_eq!(core.asked()[0].resource, "*");
}

#[test]
fn list_secrets_filters_and_pages() {
    let core = TestCore::allow_all();
    let secrets = service(&core);
    let names = |out: &Value| -> Vec<String> {
        out["SecretList"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["Name"].as_str().unwrap().to_string())
            .collect()
    };
    let (_, all) = call(&secrets, &core, "ListSecrets", json!({}));
    assert_eq!(names(&all), vec!["acme/cert", "acme/db", "globex/db"]);
    assert!(!all.to_string().contains("password"));
    let (_, acme) = call(
        &secrets,
        &core,
        "ListSecrets",
        json!({"Filters": [{"Key": "name", "Values": ["acme/"]}]}),
    );
    assert_eq!(names(&acme), vec!["acme/cert", "acme/db"]);
    let (_, not_globex) = call(
        &secrets,
        &core,
        "ListSecrets",
        json!({"Filters": [{"Key": "tag-value", "Values": ["!globex"]}]}),
    );
    assert_eq!(names(&not_globex), vec!["acme/cert", "acme/db"]);
    let (_, first) = call(&secrets, &core, "ListSecrets", json!({"MaxResults": 2}));
    assert_eq!(names(&first), vec!["acme/cert", "acme/db"]);
    let token = first["NextToken"].as_str().unwrap();
    let (_, second) = call(
        &secrets,
        &core,
        "ListSecrets",
        json!({"MaxResults": 2, "NextToken": token}),
    );
    assert_eq!(names(&second), vec!["globex/db"]);
    assert!(second.get("NextToken").is_none());
    let (_, bad) = call(
        &secrets,
        &core,
        "ListSecrets",
        json!({"Filters": [{"Key": "colour", "Values": ["x"]}]}),
    );
    assert_eq!(bad["__type"], "InvalidParameterException");
}

#[test]
fn create_and_delete_round_trip_with_a_fresh_arn_on_recreate() {
    let core = TestCore::allow_all();
    let secrets = service(&core);
    let create = || {
        call(
            &secrets,
            &core,
            "CreateSecret",
            json!({"Name": "canary/x", "SecretString": "v", "ClientRequestToken": TOKEN_A,
                   "Tags": [{"Key": "tenant", "Value": "acme"}]}),
        )
    };
    let (status, created) = create();
    assert_eq!(status, StatusCode::OK);
    assert_eq!(created["VersionId"], TOKEN_A);
    let asked = core.asked();
    assert_eq!(asked[0].action, "secretsmanager:CreateSecret");
    assert_eq!(
        asked[0].context.get("aws:RequestTag/tenant"),
        Some(&["acme".to_string()][..])
    );
    assert_eq!(
        asked[0].context.get("aws:TagKeys"),
        Some(&["tenant".to_string()][..])
    );
    let (status, retried) = create();
    assert_eq!(status, StatusCode::OK, "same token and value: a retry");
    assert_eq!(retried["ARN"], created["ARN"]);
    let (_, duplicate) = call(
        &secrets,
        &core,
        "CreateSecret",
        json!({"Name": "canary/x", "SecretString": "v"}),
    );
    assert_eq!(duplicate["__type"], "ResourceExistsException");
    assert_eq!(
        duplicate["message"],
        "The operation failed because the secret canary/x already exists."
    );

    let (status, deleted) = call(
        &secrets,
        &core,
        "DeleteSecret",
        json!({"SecretId": "canary/x", "ForceDeleteWithoutRecovery": true}),
    );
    assert_eq!(status, StatusCode::OK);
    assert_eq!(deleted["ARN"], created["ARN"]);
    let (_, gone) = call(
        &secrets,
        &core,
        "GetSecretValue",
        json!({"SecretId": "canary/x"}),
    );
    assert_eq!(gone["__type"], "ResourceNotFoundException");
    let (_, recreated) = create();
    assert_ne!(recreated["ARN"], created["ARN"]);
}

#[test]
fn scheduled_deletion_blocks_reads_and_recreation() {
    let core = TestCore::allow_all();
    let secrets = service(&core);
    let (status, out) = call(
        &secrets,
        &core,
        "DeleteSecret",
        json!({"SecretId": "acme/db", "RecoveryWindowInDays": 7}),
    );
    assert_eq!(status, StatusCode::OK);
    assert!(out["DeletionDate"].as_f64().unwrap() > 1_700_000_000.0 + 6.0 * 86_400.0);
    let (_, read) = call(
        &secrets,
        &core,
        "GetSecretValue",
        json!({"SecretId": "acme/db"}),
    );
    assert_eq!(read["__type"], "InvalidRequestException");
    let (_, described) = call(
        &secrets,
        &core,
        "DescribeSecret",
        json!({"SecretId": "acme/db"}),
    );
    assert!(described["DeletedDate"].is_number());
    let (_, recreate) = call(
        &secrets,
        &core,
        "CreateSecret",
        json!({"Name": "acme/db", "SecretString": "v"}),
    );
    assert_eq!(recreate["__type"], "InvalidRequestException");
    let (_, listed) = call(&secrets, &core, "ListSecrets", json!({}));
    assert_eq!(listed["SecretList"].as_array().unwrap().len(), 2);
}

#[test]
fn invalid_parameters_are_rejected_before_anything_happens() {
    let core = TestCore::allow_all();
    let secrets = service(&core);
    let (_, both) = call(
        &secrets,
        &core,
        "DeleteSecret",
        json!({"SecretId": "acme/db", "RecoveryWindowInDays": 7, "ForceDeleteWithoutRecovery": true}),
    );
    assert_eq!(both["__type"], "InvalidParameterException");
    let (_, wrong_type) = call(
        &secrets,
        &core,
        "PutSecretValue",
        json!({"SecretId": "acme/db", "SecretString": ["hunter2"]}),
    );
    assert_eq!(wrong_type["__type"], "InvalidParameterException");
    assert!(
        !wrong_type.to_string().contains("hunter2"),
        "errors never echo values"
    );
}

#[test]
fn unknown_operations_and_unsigned_callers_are_errors_never_success() {
    let core = TestCore::allow_all();
    let secrets = service(&core);
    let (status, out) = call(
        &secrets,
        &core,
        "RotateSecret",
        json!({"SecretId": "acme/db"}),
    );
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(out["__type"], "UnknownOperationException");
    let (status, out) = call_as(
        &secrets,
        &core,
        "GetSecretValue",
        json!({"SecretId": "acme/db"}),
        None,
    );
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(out["__type"], "MissingAuthenticationTokenException");
}

#[test]
fn seeded_arns_and_version_ids_are_the_same_on_every_run() {
    let core = TestCore::allow_all();
    let (first, second) = (service(&core), service(&core));
    let (_, a) = call(
        &first,
        &core,
        "GetSecretValue",
        json!({"SecretId": "acme/db"}),
    );
    let (_, b) = call(
        &second,
        &core,
        "GetSecretValue",
        json!({"SecretId": "acme/db"}),
    );
    assert_eq!(a["ARN"], b["ARN"]);
    assert_eq!(a["VersionId"], b["VersionId"]);
}

#[test]
fn debug_output_of_the_service_never_shows_a_secret_value() {
    let core = TestCore::allow_all();
    let secrets = service(&core);
    let debug = format!("{secrets:?}");
    assert!(debug.contains("acme/db"));
    assert!(!debug.contains("acme-password-1"));
}

#[test]
fn world_errors_name_the_key_path() {
    let core = TestCore::allow_all();
    let world: World = serde_yaml::from_str(
        "account_id: '123456789012'\nregion: us-east-1\nsecrets: [{Name: a}, {Name: a}]",
    )
    .unwrap();
    let error = SecretsService::from_world(&world, &core).unwrap_err();
    assert_eq!(error.path, "secrets[1].Name");
}

#[test]
fn racing_puts_with_one_token_create_one_version() {
    let core = Arc::new(TestCore::allow_all());
    let secrets = Arc::new(service(&core));
    let handles: Vec<_> = (0..16)
        .map(|i| {
            let (core, secrets) = (core.clone(), secrets.clone());
            std::thread::spawn(move || {
                call(
                    &secrets,
                    &core,
                    "PutSecretValue",
                    json!({"SecretId": "acme/db", "ClientRequestToken": TOKEN_A,
                           "SecretString": format!("value-{}", i % 2)}),
                )
            })
        })
        .collect();
    let results: Vec<(StatusCode, Value)> =
        handles.into_iter().map(|h| h.join().unwrap()).collect();
    let winners = results.iter().filter(|(s, _)| *s == StatusCode::OK).count();
    let conflicts = results
        .iter()
        .filter(|(_, out)| out["__type"] == "ResourceExistsException")
        .count();
    assert_eq!(winners + conflicts, 16);
    assert_eq!(winners, 8, "every writer of the winning value succeeds");
    let (_, described) = call(
        &secrets,
        &core,
        "DescribeSecret",
        json!({"SecretId": "acme/db"}),
    );
    assert_eq!(
        described["VersionIdsToStages"].as_object().unwrap().len(),
        2
    );
}

/// Secrets scoped by tag: a tenant reads the secrets tagged with its own tenant.
const TENANT_TAG_POLICY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Action": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:PutSecretValue"],
    "Resource": "*",
    "Condition": {"StringEquals": {"aws:ResourceTag/tenant": "${aws:PrincipalTag/tenant}"}}
  }]
}"#;

fn tenant(name: &str) -> Option<Arc<Principal>> {
    Some(crate::sim::s3::test_core::tagged_role_session(
        "Tenant",
        &[("tenant", name)],
    ))
}

#[test]
fn with_the_iam_engine_tag_scoped_secrets_isolate_tenants() {
    let core = crate::sim::s3::test_core::iam_engine_core(&[TENANT_TAG_POLICY]);
    let secrets = service(&core);
    let get = |id: &str, who: &str| {
        call_as(
            &secrets,
            &core,
            "GetSecretValue",
            json!({"SecretId": id}),
            tenant(who),
        )
    };
    let (status, out) = get("acme/db", "acme");
    assert_eq!(status, StatusCode::OK);
    assert_eq!(out["SecretString"], "acme-password-1");
    // Globex's secret carries a resource policy that denies everyone.
    let (_, out) = get("globex/db", "acme");
    assert_eq!(out["__type"], "AccessDeniedException");
    assert!(
        out["message"]
            .as_str()
            .unwrap()
            .ends_with("with an explicit deny in a resource-based policy")
    );
    let (_, out) = get("acme/db", "globex");
    assert_eq!(out["__type"], "AccessDeniedException");
    assert!(out["message"].as_str().unwrap().ends_with(
        "because no identity-based policy allows the secretsmanager:GetSecretValue action"
    ));
    // A secret that does not exist has no tags, so the tag condition cannot hold.
    let (_, out) = get("acme/missing", "acme");
    assert_eq!(out["__type"], "AccessDeniedException");
}

#[test]
fn with_the_iam_engine_name_scoped_access_sees_not_found_only_in_its_own_path() {
    let core = crate::sim::s3::test_core::iam_engine_core(&[&format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow",
            "Action": "secretsmanager:GetSecretValue",
            "Resource": "arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:acme/*"}}]}}"#
    )]);
    let secrets = service(&core);
    let (_, out) = call(
        &secrets,
        &core,
        "GetSecretValue",
        json!({"SecretId": "acme/missing"}),
    );
    assert_eq!(out["__type"], "ResourceNotFoundException");
    let (_, out) = call(
        &secrets,
        &core,
        "GetSecretValue",
        json!({"SecretId": "globex/missing"}),
    );
    assert_eq!(out["__type"], "AccessDeniedException");
    let (status, _) = call(
        &secrets,
        &core,
        "GetSecretValue",
        json!({"SecretId": "acme/db"}),
    );
    assert_eq!(status, StatusCode::OK);
}
