//! PutSecretValue, idempotent on `ClientRequestToken`.
//! See https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutSecretValue.html.

use serde::Deserialize;
use serde_json::{Value, json};

use super::access::authorize_on_secret;
use super::secret_record::AWSCURRENT;
use super::secret_value::{value_from_input, version_id_from_token};
use super::secrets_error::SecretsError;
use super::secrets_state::SecretsState;
use crate::sim::core::SimCore;
use crate::sim::iam::RequestContext;
use crate::sim::principal::Principal;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct PutSecretValueInput {
    secret_id: String,
    #[serde(default)]
    client_request_token: Option<String>,
    #[serde(default)]
    secret_string: Option<String>,
    #[serde(default)]
    secret_binary: Option<String>,
    #[serde(default)]
    version_stages: Option<Vec<String>>,
}

pub(crate) fn put_secret_value(
    core: &dyn SimCore,
    caller: Option<&Principal>,
    state: &mut SecretsState,
    input: PutSecretValueInput,
) -> Result<Value, SecretsError> {
    let name = authorize_on_secret(
        core,
        caller,
        state,
        &input.secret_id,
        "secretsmanager:PutSecretValue",
        &RequestContext::new(),
    )?;
    let value = value_from_input(input.secret_string, input.secret_binary)?.ok_or_else(|| {
        SecretsError::invalid_parameter("You must provide either SecretString or SecretBinary.")
    })?;
    let version_id = version_id_from_token(input.client_request_token)?;
    let now = core.now();
    let secret = state.live_mut(&name)?;
    // The same token with the same value is a retry and changes nothing; with a different
    // value it would modify a version, which Secrets Manager refuses.
    // See https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutSecretValue.html#SecretsManager-PutSecretValue-request-ClientRequestToken.
    if let Some(existing) = secret.versions.get(&version_id) {
        if existing.value != value {
            return Err(SecretsError::token_in_use(&version_id, &secret.arn));
        }
        return Ok(json!({
            "ARN": secret.arn,
            "Name": secret.name,
            "VersionId": version_id,
            "VersionStages": existing.stages,
        }));
    }
    let stages = input
        .version_stages
        .unwrap_or_else(|| vec![AWSCURRENT.to_string()]);
    secret.add_version(version_id.clone(), value, stages.clone(), now);
    Ok(json!({
        "ARN": secret.arn,
        "Name": secret.name,
        "VersionId": version_id,
        "VersionStages": stages,
    }))
}
