//! The Secrets Manager BatchGetSecretValue probe: the cell's secret named in a
//! `SecretIdList`. The call needs `secretsmanager:BatchGetSecretValue` and, for each secret,
//! `secretsmanager:GetSecretValue`; a secret the caller may not read comes back as an entry
//! of `Errors` inside a 200, so the verdict is read per secret.
// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_BatchGetSecretValue.html

use super::attempt::{Attempt, read_evidence_of};
use super::classify::Classification;
use super::clients::ProbeClients;
use super::denial::Denial;
use super::record::Verdict;
use super::service::AwsService;
use super::wire_response::WireResponse;

const API: &str = "secretsmanager:BatchGetSecretValue";

/// The per-secret action of BatchGetSecretValue, which a per-secret error names.
pub const PER_SECRET_ACTION: &str = "secretsmanager:GetSecretValue";

/// Asks for `secret_id` alone with BatchGetSecretValue.
///
/// A 200 is Allowed only when it returns the secret's value (a breach when denied was
/// expected: it is the other tenant's secret), Denied only when its `Errors` entry for the
/// secret is `AccessDeniedException` with an authorization decision naming
/// `secretsmanager:GetSecretValue`, and Inconclusive otherwise (another per-secret error,
/// or the secret in neither list). A whole-call error is classified like any other call.
// Per-secret errors: https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_APIErrorType.html.
pub async fn batch_get_secret_value(clients: &ProbeClients, secret_id: &str) -> Attempt {
    let wire = WireResponse::default();
    let result = clients
        .secrets
        .batch_get_secret_value()
        .secret_id_list(secret_id)
        .customize()
        .interceptor(wire.clone())
        .send()
        .await;
    let mut attempt =
        Attempt::from_result(AwsService::SecretsManager, API, "batch", &result, &wire);
    let Ok(output) = &result else {
        return attempt;
    };
    if attempt.classification.verdict != Verdict::Allowed {
        return attempt;
    }
    let names_target =
        |name: Option<&str>, arn: Option<&str>| name == Some(secret_id) || arn == Some(secret_id);
    if let Some(entry) = output
        .secret_values()
        .iter()
        .find(|entry| names_target(entry.name(), entry.arn()))
    {
        let content: Option<&[u8]> = match (entry.secret_string(), entry.secret_binary()) {
            (Some(text), _) => Some(text.as_bytes()),
            (None, Some(binary)) => Some(binary.as_ref()),
            (None, None) => None,
        };
        return match content {
            Some(content) => {
                attempt.read_evidence = Some(read_evidence_of(content));
                attempt.classification =
                    Classification::allowed(format!("{API} returned the secret's value"));
                attempt
            }
            None => {
                attempt.classification = Classification::inconclusive(format!(
                    "{API} returned an entry for the secret without SecretString or SecretBinary"
                ));
                attempt
            }
        };
    }
    let Some(error) = output
        .errors()
        .iter()
        .find(|error| error.secret_id() == Some(secret_id))
    else {
        attempt.classification = Classification::inconclusive(format!(
            "{API} answered 200 but neither returned nor refused the secret"
        ));
        return attempt;
    };
    let code = error.error_code().unwrap_or("no code");
    attempt.classification = match (code, error.message().and_then(Denial::parse)) {
        ("AccessDeniedException", Some(denial)) if denial.names(PER_SECRET_ACTION) => {
            Classification::denied(
                format!("{API} refused the secret: its Errors entry denies {PER_SECRET_ACTION}"),
                denial,
            )
        }
        ("AccessDeniedException", Some(denial)) => {
            let reason = format!(
                "{API} refused the secret, but the decision names {}, not {PER_SECRET_ACTION}",
                denial.action
            );
            let mut classification = Classification::inconclusive(reason);
            classification.denial = Some(denial);
            classification
        }
        (code, _) => Classification::inconclusive(format!(
            "{API} answered 200 with {code} for the secret, not a value or an authorization decision"
        )),
    };
    if let Some(observation) = attempt.observation.as_mut() {
        observation.error_code = error.error_code().map(str::to_owned);
        observation.error_message = error.message().map(str::to_owned);
    }
    attempt
}
