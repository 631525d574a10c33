//! Local staging's Secrets Manager through aws-sdk-secretsmanager: reads, writes and
//! idempotency, lookups by name and ARN, and the shapes of denials and misses.

use aws_sdk_secretsmanager::error::ProvideErrorMetadata;
use aws_sdk_secretsmanager::types::Filter;
use xtenant::sim::LocalStaging;

use crate::s3::{ACME, AUDITOR, GLOBEX, WORLD, failure};
use crate::support::{credentials, sdk_config, start};

const TOKEN: &str = "5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b";

async fn client_for(staging: &LocalStaging, user: (&str, &str)) -> aws_sdk_secretsmanager::Client {
    aws_sdk_secretsmanager::Client::new(
        &sdk_config(staging, Some(credentials(user.0, user.1, None))).await,
    )
}

#[tokio::test]
async fn a_tenant_reads_describes_and_rotates_its_own_secret() {
    let staging = start(WORLD).await;
    let acme = client_for(&staging, ACME).await;
    let value = acme
        .get_secret_value()
        .secret_id("acme/db")
        .send()
        .await
        .unwrap();
    assert_eq!(value.secret_string(), Some("acme-db-password"));
    assert_eq!(value.name(), Some("acme/db"));
    let arn = value.arn().unwrap().to_string();
    let prefix = "arn:aws:secretsmanager:us-east-1:111122223333:secret:acme/db-";
    assert!(
        arn.starts_with(prefix) && arn.len() == prefix.len() + 6,
        "{arn}"
    );
    assert_eq!(value.version_stages(), ["AWSCURRENT".to_string()]);

    let described = acme.describe_secret().secret_id(&arn).send().await.unwrap();
    assert_eq!(described.name(), Some("acme/db"));
    assert_eq!(described.tags().len(), 1);

    let put = acme
        .put_secret_value()
        .secret_id("acme/db")
        .secret_string("acme-db-password-2")
        .client_request_token(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(put.version_id(), Some(TOKEN));
    let current = acme
        .get_secret_value()
        .secret_id("acme/db")
        .send()
        .await
        .unwrap();
    assert_eq!(current.secret_string(), Some("acme-db-password-2"));
    let previous = acme
        .get_secret_value()
        .secret_id("acme/db")
        .version_stage("AWSPREVIOUS")
        .send()
        .await
        .unwrap();
    assert_eq!(previous.secret_string(), Some("acme-db-password"));
}

#[tokio::test]
async fn secrets_are_found_by_full_and_partial_arn() {
    let staging = start(WORLD).await;
    let acme = client_for(&staging, ACME).await;
    let arn = acme
        .describe_secret()
        .secret_id("acme/db")
        .send()
        .await
        .unwrap()
        .arn()
        .unwrap()
        .to_string();
    let partial = &arn[..arn.len() - 7];
    let by_partial = acme
        .get_secret_value()
        .secret_id(partial)
        .send()
        .await
        .unwrap();
    assert_eq!(by_partial.arn(), Some(arn.as_str()));
}

#[tokio::test]
async fn cross_tenant_reads_are_access_denied_with_the_secret_id_as_sent() {
    let staging = start(WORLD).await;
    let acme = client_for(&staging, ACME).await;
    let error = acme
        .get_secret_value()
        .secret_id("globex/db")
        .send()
        .await
        .unwrap_err();
    let (status, code, message) = failure(&error);
    assert_eq!((status, code.as_str()), (400, "AccessDeniedException"));
    assert_eq!(
        message,
        "User: arn:aws:iam::111122223333:user/acme-app is not authorized to perform: secretsmanager:GetSecretValue on resource: globex/db because no identity-based policy allows the secretsmanager:GetSecretValue action"
    );
    let error = acme
        .put_secret_value()
        .secret_id("globex/db")
        .secret_string("x")
        .client_request_token(TOKEN)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some("AccessDeniedException"));
    let globex = client_for(&staging, GLOBEX).await;
    let value = globex
        .get_secret_value()
        .secret_id("globex/db")
        .send()
        .await
        .unwrap();
    assert_eq!(
        value.secret_string(),
        Some("globex-db-password"),
        "the denied write changed nothing"
    );
}

#[tokio::test]
async fn a_resource_policy_deny_is_reported_as_explicit() {
    let staging = start(WORLD).await;
    let acme = client_for(&staging, ACME).await;
    let error = acme
        .describe_secret()
        .secret_id("globex/vault")
        .send()
        .await
        .unwrap_err();
    let message = error.message().unwrap_or_default().to_string();
    assert_eq!(error.code(), Some("AccessDeniedException"));
    assert!(
        message.ends_with("with an explicit deny in a resource-based policy"),
        "{message}"
    );
    let globex = client_for(&staging, GLOBEX).await;
    assert!(
        globex
            .get_secret_value()
            .secret_id("globex/vault")
            .send()
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn a_missing_secret_is_not_found_only_where_the_caller_may_act() {
    let staging = start(WORLD).await;
    let auditor = client_for(&staging, AUDITOR).await;
    let error = auditor
        .describe_secret()
        .secret_id("acme/nope")
        .send()
        .await
        .unwrap_err();
    let (status, code, message) = failure(&error);
    assert_eq!((status, code.as_str()), (400, "ResourceNotFoundException"));
    assert_eq!(message, "Secrets Manager can't find the specified secret.");
    assert!(error.into_service_error().is_resource_not_found_exception());
    // The tenant's access depends on the secret's tag, which a missing secret lacks.
    let acme = client_for(&staging, ACME).await;
    let error = acme
        .get_secret_value()
        .secret_id("acme/nope")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some("AccessDeniedException"));
}

#[tokio::test]
async fn put_secret_value_is_idempotent_on_the_token_and_refuses_a_changed_value() {
    let staging = start(WORLD).await;
    let acme = client_for(&staging, ACME).await;
    let put = |value: &'static str| {
        acme.put_secret_value()
            .secret_id("acme/db")
            .secret_string(value)
            .client_request_token(TOKEN)
            .send()
    };
    let first = put("v2").await.unwrap();
    let again = put("v2").await.unwrap();
    assert_eq!(first.version_id(), again.version_id());
    let error = put("v3").await.unwrap_err();
    let (status, code, _) = failure(&error);
    assert_eq!((status, code.as_str()), (400, "ResourceExistsException"));
    assert!(error.into_service_error().is_resource_exists_exception());
    let value = acme
        .get_secret_value()
        .secret_id("acme/db")
        .send()
        .await
        .unwrap();
    assert_eq!(value.secret_string(), Some("v2"));
}

#[tokio::test]
async fn list_secrets_is_account_wide_and_its_denial_names_no_resource() {
    let staging = start(WORLD).await;
    let auditor = client_for(&staging, AUDITOR).await;
    let listed = auditor.list_secrets().send().await.unwrap();
    let names: Vec<&str> = listed
        .secret_list()
        .iter()
        .filter_map(|s| s.name())
        .collect();
    assert_eq!(names, vec!["acme/db", "globex/db", "globex/vault"]);
    let filtered = auditor
        .list_secrets()
        .filters(
            Filter::builder()
                .key("name".into())
                .values("globex/")
                .build(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(filtered.secret_list().len(), 2);

    let acme = client_for(&staging, ACME).await;
    let error = acme.list_secrets().send().await.unwrap_err();
    let (status, code, message) = failure(&error);
    assert_eq!((status, code.as_str()), (400, "AccessDeniedException"));
    assert_eq!(
        message,
        "User: arn:aws:iam::111122223333:user/acme-app is not authorized to perform: secretsmanager:ListSecrets because no identity-based policy allows the secretsmanager:ListSecrets action"
    );
}

#[tokio::test]
async fn canaries_are_created_and_force_deleted_only_in_the_own_namespace() {
    let staging = start(WORLD).await;
    let acme = client_for(&staging, ACME).await;
    let created = acme
        .create_secret()
        .name("acme/canary-1")
        .secret_string("canary")
        .send()
        .await
        .unwrap();
    let error = acme
        .create_secret()
        .name("acme/canary-1")
        .secret_string("again")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some("ResourceExistsException"));
    let deleted = acme
        .delete_secret()
        .secret_id(created.arn().unwrap())
        .force_delete_without_recovery(true)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.name(), Some("acme/canary-1"));
    let error = acme
        .create_secret()
        .name("globex/canary-1")
        .secret_string("x")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some("AccessDeniedException"));
}

#[tokio::test]
async fn staging_labels_move_only_from_the_version_named_and_awsprevious_follows_awscurrent() {
    let staging = start(WORLD).await;
    let acme = client_for(&staging, ACME).await;
    let current = acme
        .describe_secret()
        .secret_id("acme/db")
        .send()
        .await
        .unwrap();
    let seeded = current
        .version_ids_to_stages()
        .unwrap()
        .iter()
        .find(|(_, stages)| stages.contains(&"AWSCURRENT".to_string()))
        .map(|(id, _)| id.clone())
        .unwrap();
    acme.put_secret_value()
        .secret_id("acme/db")
        .secret_string("canary")
        .client_request_token(TOKEN)
        .version_stages("XTENANT-CANARY")
        .send()
        .await
        .unwrap();

    // Moving AWSCURRENT without naming the version that holds it is refused.
    let refused = acme
        .update_secret_version_stage()
        .secret_id("acme/db")
        .version_stage("AWSCURRENT")
        .move_to_version_id(TOKEN)
        .send()
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Some("InvalidParameterException"));

    // Removing the canary's own label leaves the version with no label at all.
    acme.update_secret_version_stage()
        .secret_id("acme/db")
        .version_stage("XTENANT-CANARY")
        .remove_from_version_id(TOKEN)
        .send()
        .await
        .unwrap();
    let stages = acme
        .describe_secret()
        .secret_id("acme/db")
        .send()
        .await
        .unwrap()
        .version_ids_to_stages()
        .cloned()
        .unwrap_or_default();
    assert!(!stages.contains_key(TOKEN), "{stages:?}");
    assert_eq!(stages.get(&seeded), Some(&vec!["AWSCURRENT".to_string()]));

    // Moving AWSCURRENT with both ids works and AWSPREVIOUS follows to the old version.
    acme.update_secret_version_stage()
        .secret_id("acme/db")
        .version_stage("AWSCURRENT")
        .remove_from_version_id(&seeded)
        .move_to_version_id(TOKEN)
        .send()
        .await
        .unwrap();
    let stages = acme
        .describe_secret()
        .secret_id("acme/db")
        .send()
        .await
        .unwrap()
        .version_ids_to_stages()
        .cloned()
        .unwrap_or_default();
    assert_eq!(stages.get(TOKEN), Some(&vec!["AWSCURRENT".to_string()]));
    assert_eq!(stages.get(&seeded), Some(&vec!["AWSPREVIOUS".to_string()]));

    let globex = client_for(&staging, GLOBEX).await;
    let denied = globex
        .update_secret_version_stage()
        .secret_id("acme/db")
        .version_stage("AWSCURRENT")
        .remove_from_version_id(TOKEN)
        .move_to_version_id(&seeded)
        .send()
        .await
        .unwrap_err();
    assert_eq!(denied.code(), Some("AccessDeniedException"));
}

/// BatchGetSecretValue needs `secretsmanager:BatchGetSecretValue` (on `*`) and then
/// `secretsmanager:GetSecretValue` per secret: a secret the caller may not read comes back
/// in `Errors`, worded as GetSecretValue's denial, inside a 200.
/// See https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_BatchGetSecretValue.html.
#[tokio::test]
async fn batch_get_secret_value_refuses_per_secret_inside_a_success() {
    let staging = start(WORLD).await;
    let acme = client_for(&staging, ACME).await;
    let answer = acme
        .batch_get_secret_value()
        .secret_id_list("acme/db")
        .secret_id_list("globex/db")
        .send()
        .await
        .unwrap();
    let values: Vec<(Option<&str>, Option<&str>)> = answer
        .secret_values()
        .iter()
        .map(|entry| (entry.name(), entry.secret_string()))
        .collect();
    assert_eq!(values, [(Some("acme/db"), Some("acme-db-password"))]);
    let [error] = answer.errors() else {
        panic!("one error expected: {:?}", answer.errors());
    };
    assert_eq!(error.secret_id(), Some("globex/db"));
    assert_eq!(error.error_code(), Some("AccessDeniedException"));
    assert_eq!(
        error.message(),
        Some(
            "User: arn:aws:iam::111122223333:user/acme-app is not authorized to perform: secretsmanager:GetSecretValue on resource: globex/db because no identity-based policy allows the secretsmanager:GetSecretValue action"
        )
    );

    let auditor = client_for(&staging, AUDITOR).await;
    let refused = auditor
        .batch_get_secret_value()
        .secret_id_list("acme/db")
        .send()
        .await
        .unwrap_err();
    let (status, code, message) = failure(&refused);
    assert_eq!((status, code.as_str()), (400, "AccessDeniedException"));
    assert_eq!(
        message,
        "User: arn:aws:iam::111122223333:user/auditor is not authorized to perform: secretsmanager:BatchGetSecretValue because no identity-based policy allows the secretsmanager:BatchGetSecretValue action"
    );
    let both = acme
        .batch_get_secret_value()
        .secret_id_list("acme/db")
        .filters(Filter::builder().key("name".into()).values("acme").build())
        .send()
        .await
        .unwrap_err();
    assert_eq!(both.code(), Some("InvalidParameterException"));
}
