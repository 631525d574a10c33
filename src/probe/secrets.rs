//! Secrets Manager probes: GetSecretValue, PutSecretValue, ListSecrets and DescribeSecret.
//! A write is proved by an idempotency-token conflict that cannot create a version.

use super::attempt::{Attempt, read_evidence_of};
use super::canary_intent::{record_intent, settle};
use super::clients::ProbeClients;
use super::record::Verdict;
use super::service::AwsService;
use super::wire_response::{SeenResponse, WireResponse};
use crate::ledger::{Canary, CleanupLedger, Resolution, cleanup};

const SERVICE: AwsService = AwsService::SecretsManager;

/// The Secrets Manager operations a probe can make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretsCall {
    GetSecretValue,
    PutSecretValue,
    ListSecrets,
    DescribeSecret,
}

impl SecretsCall {
    pub fn from_api(api: &str) -> Option<SecretsCall> {
        match api {
            "secretsmanager:GetSecretValue" => Some(SecretsCall::GetSecretValue),
            "secretsmanager:PutSecretValue" => Some(SecretsCall::PutSecretValue),
            "secretsmanager:ListSecrets" => Some(SecretsCall::ListSecrets),
            "secretsmanager:DescribeSecret" => Some(SecretsCall::DescribeSecret),
            _ => None,
        }
    }
}

/// Reads the secret; a readable secret is recorded by size and hash only.
pub async fn get_secret_value(clients: &ProbeClients, secret_id: &str) -> Attempt {
    let wire = WireResponse::default();
    let result = clients
        .secrets
        .get_secret_value()
        .secret_id(secret_id)
        .customize()
        .interceptor(wire.clone())
        .send()
        .await;
    // A secret value always comes with the secret's ARN and Name and one of SecretString
    // or SecretBinary (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html#API_GetSecretValue_ResponseSyntax).
    let mut attempt = Attempt::from_checked_result(
        SERVICE,
        "secretsmanager:GetSecretValue",
        "direct",
        &result,
        &wire,
        |output, _| {
            let has_value = output.secret_string().is_some() || output.secret_binary().is_some();
            missing_fields(&[
                ("ARN", output.arn().is_some()),
                ("Name", output.name().is_some()),
                ("SecretString or SecretBinary", has_value),
            ])
        },
    );
    if let Ok(output) = &result
        && attempt.classification.verdict == Verdict::Allowed
    {
        let content: &[u8] = match (output.secret_string(), output.secret_binary()) {
            (Some(text), _) => text.as_bytes(),
            (None, Some(binary)) => binary.as_ref(),
            (None, None) => &[],
        };
        attempt.read_evidence = Some(read_evidence_of(content));
    }
    attempt
}

/// Lists at most one secret; ListSecrets is authorized account-wide.
// ListSecrets resource: https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_iam-permissions.html.
pub async fn list_secrets(clients: &ProbeClients) -> Attempt {
    let wire = WireResponse::default();
    let result = clients
        .secrets
        .list_secrets()
        .max_results(1)
        .customize()
        .interceptor(wire.clone())
        .send()
        .await;
    Attempt::from_result(
        SERVICE,
        "secretsmanager:ListSecrets",
        "account-wide",
        &result,
        &wire,
    )
}

pub async fn describe_secret(clients: &ProbeClients, secret_id: &str) -> Attempt {
    let wire = WireResponse::default();
    let result = clients
        .secrets
        .describe_secret()
        .secret_id(secret_id)
        .customize()
        .interceptor(wire.clone())
        .send()
        .await;
    // DescribeSecret always returns the secret's ARN and Name
    // (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DescribeSecret.html#API_DescribeSecret_ResponseSyntax).
    Attempt::from_checked_result(
        SERVICE,
        "secretsmanager:DescribeSecret",
        "direct",
        &result,
        &wire,
        |output, _| {
            missing_fields(&[
                ("ARN", output.arn().is_some()),
                ("Name", output.name().is_some()),
            ])
        },
    )
}

/// Proves PutSecretValue authorization without creating a version.
///
/// The request reuses an existing version id as its `ClientRequestToken` with a value that
/// differs from that version's: Secrets Manager then refuses (ResourceExistsException)
/// because a version cannot be modified, and a matching value would be ignored as
/// idempotent, so no outcome writes. Learning a version id needs DescribeSecret (metadata
/// only, never the value). When DescribeSecret is not allowed, the only remaining proof is a
/// canary version under a unique staging label, recorded in the ledger first: without
/// AWSCURRENT in its labels it never becomes the secret's current value, and removing the
/// label afterwards leaves it deprecated for Secrets Manager to delete.
// ClientRequestToken idempotency and VersionStages:
// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutSecretValue.html.
pub async fn put_secret_value(
    clients: &ProbeClients,
    ledger: &CleanupLedger,
    secret_id: &str,
) -> Attempt {
    let wire = WireResponse::default();
    let described = clients
        .secrets
        .describe_secret()
        .secret_id(secret_id)
        .customize()
        .interceptor(wire.clone())
        .send()
        .await;
    let describe = Attempt::from_result(
        SERVICE,
        "secretsmanager:DescribeSecret",
        "idempotency-token-conflict",
        &described,
        &wire,
    );
    match (&described, describe.classification.verdict) {
        (Ok(output), _) => {
            let version = output.version_ids_to_stages().and_then(|versions| {
                versions
                    .iter()
                    .find(|(_, stages)| stages.iter().any(|stage| stage == "AWSCURRENT"))
                    .or_else(|| versions.iter().next())
                    .map(|(version, _)| version.clone())
            });
            match version {
                Some(version) => put_with_conflicting_token(clients, secret_id, &version).await,
                // The first version of a secret always becomes AWSCURRENT, so a canary here
                // would give an existing secret a value: no write is attempted.
                None => Attempt::not_made(
                    "secretsmanager:PutSecretValue",
                    "idempotency-token-conflict",
                    "the secret has no version to conflict with, and a canary would become its \
                     current value; no write attempted",
                ),
            }
        }
        // Not allowed to read the metadata (or no such secret): a canary version is the only
        // proof left.
        (Err(_), Verdict::Denied | Verdict::Allowed) => {
            put_canary_version(clients, ledger, secret_id).await
        }
        // DescribeSecret failed for a reason that proves nothing: do not write on a guess.
        (Err(_), Verdict::Inconclusive) => describe.with_note(
            "DescribeSecret, needed to prove the write without writing, failed; no write attempted",
        ),
    }
}

async fn put_with_conflicting_token(
    clients: &ProbeClients,
    secret_id: &str,
    version: &str,
) -> Attempt {
    let wire = WireResponse::default();
    let result = clients
        .secrets
        .put_secret_value()
        .secret_id(secret_id)
        .client_request_token(version)
        .secret_string(format!("xtenant probe {}", uuid::Uuid::new_v4()))
        .customize()
        .interceptor(wire.clone())
        .send()
        .await;
    let attempt = Attempt::from_checked_result(
        SERVICE,
        "secretsmanager:PutSecretValue",
        "idempotency-token-conflict",
        &result,
        &wire,
        put_secret_value_shape,
    );
    // The value is random, so it never matches the version's: success means the service
    // did not refuse the conflict, and the record must say a version may have been written.
    if result.is_ok() {
        return attempt.with_note(
            "the write succeeded although its token named an existing version with a different \
             value: the service ignored the conflict and may have written a version",
        );
    }
    attempt
}

async fn put_canary_version(
    clients: &ProbeClients,
    ledger: &CleanupLedger,
    secret_id: &str,
) -> Attempt {
    let version_stage = format!("xtenant-canary-{}", uuid::Uuid::new_v4().simple());
    let canary = Canary::SecretVersion {
        secret_id: secret_id.to_owned(),
        version_stage: version_stage.clone(),
    };
    let intent = match record_intent(
        clients,
        ledger,
        canary,
        "secretsmanager:PutSecretValue",
        "canary-version",
    )
    .await
    {
        Ok(intent) => intent,
        Err(not_made) => return *not_made,
    };
    let wire = WireResponse::default();
    let result = clients
        .secrets
        .put_secret_value()
        .secret_id(secret_id)
        .client_request_token(uuid::Uuid::new_v4().to_string())
        .secret_string(format!("xtenant canary {intent}"))
        .version_stages(version_stage.clone())
        .customize()
        .interceptor(wire.clone())
        .send()
        .await;
    let attempt = Attempt::from_checked_result(
        SERVICE,
        "secretsmanager:PutSecretValue",
        "canary-version",
        &result,
        &wire,
        put_secret_value_shape,
    );
    match (attempt.classification.verdict, result.is_ok()) {
        (Verdict::Allowed, true) => {
            let note =
                match cleanup::remove_secret_canary(&clients.secrets, secret_id, &version_stage)
                    .await
                {
                    Ok(resolution) => match ledger.resolve_durably(&intent, resolution).await {
                        Ok(()) => "canary version created and its label removed".to_owned(),
                        Err(error) => {
                            format!("canary label removed but the ledger was not updated: {error}")
                        }
                    },
                    Err(_) => format!(
                        "canary version created; its label could not be removed with these \
                     credentials, intent {intent} stays in the ledger for `xtenant cleanup`"
                    ),
                };
            attempt.with_note(note)
        }
        (Verdict::Allowed | Verdict::Denied, _) => {
            settle(ledger, &intent, Resolution::NotCreated, attempt)
        }
        (Verdict::Inconclusive, _) => attempt.with_note(format!(
            "canary intent {intent} stays in the cleanup ledger"
        )),
    }
}

/// A stored version is answered with the secret's ARN and the new VersionId
/// (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutSecretValue.html#API_PutSecretValue_ResponseSyntax).
fn put_secret_value_shape(
    output: &aws_sdk_secretsmanager::operation::put_secret_value::PutSecretValueOutput,
    _seen: &SeenResponse,
) -> Option<String> {
    missing_fields(&[
        ("ARN", output.arn().is_some()),
        ("VersionId", output.version_id().is_some()),
    ])
}

/// The documented response fields a success lacks, as a shape problem.
fn missing_fields(fields: &[(&str, bool)]) -> Option<String> {
    let missing: Vec<&str> = fields
        .iter()
        .filter(|(_, present)| !present)
        .map(|(name, _)| *name)
        .collect();
    (!missing.is_empty()).then(|| format!("it lacks {}", missing.join(", ")))
}
