//! Secrets Manager probes: GetSecretValue, PutSecretValue, ListSecrets and DescribeSecret.
//! A write is proved by an idempotency-token conflict that cannot create a version.

use super::attempt::{Attempt, read_evidence_of};
use super::canary_intent::{record_intent, settle};
use super::clients::ProbeClients;
use super::record::Verdict;
use super::service::AwsService;
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
    let result = clients
        .secrets
        .get_secret_value()
        .secret_id(secret_id)
        .send()
        .await;
    let mut attempt = Attempt::from_result(
        SERVICE,
        "secretsmanager:GetSecretValue",
        "direct",
        &result,
        200,
    );
    if let Ok(output) = &result {
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
    let result = clients.secrets.list_secrets().max_results(1).send().await;
    Attempt::from_result(
        SERVICE,
        "secretsmanager:ListSecrets",
        "account-wide",
        &result,
        200,
    )
}

pub async fn describe_secret(clients: &ProbeClients, secret_id: &str) -> Attempt {
    let result = clients
        .secrets
        .describe_secret()
        .secret_id(secret_id)
        .send()
        .await;
    Attempt::from_result(
        SERVICE,
        "secretsmanager:DescribeSecret",
        "direct",
        &result,
        200,
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
    let described = clients
        .secrets
        .describe_secret()
        .secret_id(secret_id)
        .send()
        .await;
    let describe = Attempt::from_result(
        SERVICE,
        "secretsmanager:DescribeSecret",
        "idempotency-token-conflict",
        &described,
        200,
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
    let result = clients
        .secrets
        .put_secret_value()
        .secret_id(secret_id)
        .client_request_token(version)
        .secret_string(format!("xtenant probe {}", uuid::Uuid::new_v4()))
        .send()
        .await;
    let attempt = Attempt::from_result(
        SERVICE,
        "secretsmanager:PutSecretValue",
        "idempotency-token-conflict",
        &result,
        200,
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
    ) {
        Ok(intent) => intent,
        Err(not_made) => return *not_made,
    };
    let result = clients
        .secrets
        .put_secret_value()
        .secret_id(secret_id)
        .client_request_token(uuid::Uuid::new_v4().to_string())
        .secret_string(format!("xtenant canary {intent}"))
        .version_stages(version_stage.clone())
        .send()
        .await;
    let attempt = Attempt::from_result(
        SERVICE,
        "secretsmanager:PutSecretValue",
        "canary-version",
        &result,
        200,
    );
    match (attempt.classification.verdict, result.is_ok()) {
        (Verdict::Allowed, true) => {
            let note =
                match cleanup::remove_secret_canary(&clients.secrets, secret_id, &version_stage)
                    .await
                {
                    Ok(resolution) => match ledger.resolve(&intent, resolution) {
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
