//! GetSecretValue.
//! See https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html.

use base64::Engine;
use serde::Deserialize;
use serde_json::{Value, json};

use super::access::authorize_on_secret;
use super::secret_record::{AWSCURRENT, epoch_seconds};
use super::secret_value::SecretValue;
use super::secrets_error::SecretsError;
use super::secrets_state::SecretsState;
use crate::sim::core::SimCore;
use crate::sim::iam::RequestContext;
use crate::sim::principal::Principal;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct GetSecretValueInput {
    secret_id: String,
    #[serde(default)]
    version_id: Option<String>,
    #[serde(default)]
    version_stage: Option<String>,
}

impl GetSecretValueInput {
    /// The current version of `secret_id`, as BatchGetSecretValue reads each secret.
    pub(crate) fn of(secret_id: &str) -> GetSecretValueInput {
        GetSecretValueInput {
            secret_id: secret_id.to_owned(),
            version_id: None,
            version_stage: None,
        }
    }
}

pub(crate) fn get_secret_value(
    core: &dyn SimCore,
    caller: Option<&Principal>,
    state: &SecretsState,
    input: GetSecretValueInput,
) -> Result<Value, SecretsError> {
    // GetSecretValue's own condition keys.
    // See https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecretsmanager.html#awssecretsmanager-actions-as-permissions.
    let mut context = RequestContext::new();
    if let Some(version_id) = &input.version_id {
        context.set("secretsmanager:VersionId", version_id.clone());
    }
    if let Some(stage) = &input.version_stage {
        context.set("secretsmanager:VersionStage", stage.clone());
    }
    let name = authorize_on_secret(
        core,
        caller,
        state,
        &input.secret_id,
        "secretsmanager:GetSecretValue",
        &context,
    )?;
    let secret = state.live(&name)?;
    let (version_id, version) = match (&input.version_id, &input.version_stage) {
        (Some(id), stage) => {
            let version = secret
                .versions
                .get(id)
                .filter(|v| stage.as_ref().is_none_or(|s| v.stages.contains(s)))
                .ok_or_else(|| SecretsError::version_not_found("VersionId", id))?;
            (id, version)
        }
        (None, stage) => {
            let stage = stage.as_deref().unwrap_or(AWSCURRENT);
            secret
                .version_with_stage(stage)
                .ok_or_else(|| SecretsError::version_not_found("staging label", stage))?
        }
    };
    let mut out = json!({
        "ARN": secret.arn,
        "Name": secret.name,
        "VersionId": version_id,
        "VersionStages": version.stages,
        "CreatedDate": epoch_seconds(version.created),
    });
    match &version.value {
        SecretValue::Text(text) => out["SecretString"] = json!(text.expose()),
        SecretValue::Binary(bytes) => {
            out["SecretBinary"] = json!(base64::engine::general_purpose::STANDARD.encode(bytes))
        }
    }
    Ok(out)
}
