//! DescribeSecret: the secret's metadata, never its value.
//! See https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DescribeSecret.html.

use serde::Deserialize;
use serde_json::Value;

use super::access::authorize_on_secret;
use super::secrets_error::SecretsError;
use super::secrets_state::SecretsState;
use crate::sim::core::SimCore;
use crate::sim::iam::RequestContext;
use crate::sim::principal::Principal;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct DescribeSecretInput {
    secret_id: String,
}

pub(crate) fn describe_secret(
    core: &dyn SimCore,
    caller: Option<&Principal>,
    state: &SecretsState,
    input: DescribeSecretInput,
) -> Result<Value, SecretsError> {
    let name = authorize_on_secret(
        core,
        caller,
        state,
        &input.secret_id,
        "secretsmanager:DescribeSecret",
        &RequestContext::new(),
    )?;
    let secret = state
        .secrets
        .get(&name)
        .ok_or_else(SecretsError::secret_not_found)?;
    Ok(secret.metadata_json("VersionIdsToStages"))
}
