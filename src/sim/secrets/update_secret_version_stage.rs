//! UpdateSecretVersionStage: moves or removes one staging label.
//! See https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_UpdateSecretVersionStage.html.

use serde::Deserialize;
use serde_json::{Value, json};

use super::access::authorize_on_secret;
use super::secret_record::{AWSCURRENT, AWSPREVIOUS};
use super::secrets_error::SecretsError;
use super::secrets_state::SecretsState;
use crate::sim::core::SimCore;
use crate::sim::iam::RequestContext;
use crate::sim::principal::Principal;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct UpdateSecretVersionStageInput {
    secret_id: String,
    version_stage: String,
    #[serde(default)]
    remove_from_version_id: Option<String>,
    #[serde(default)]
    move_to_version_id: Option<String>,
}

pub(crate) fn update_secret_version_stage(
    core: &dyn SimCore,
    caller: Option<&Principal>,
    state: &mut SecretsState,
    input: UpdateSecretVersionStageInput,
) -> Result<Value, SecretsError> {
    let name = authorize_on_secret(
        core,
        caller,
        state,
        &input.secret_id,
        "secretsmanager:UpdateSecretVersionStage",
        &RequestContext::new(),
    )?;
    let now = core.now();
    let secret = state.live_mut(&name)?;
    let label = input.version_stage;
    for id in [&input.remove_from_version_id, &input.move_to_version_id]
        .into_iter()
        .flatten()
    {
        if !secret.versions.contains_key(id) {
            return Err(SecretsError::version_not_found("VersionId", id));
        }
    }
    let holder = secret.version_with_stage(&label).map(|(id, _)| id.clone());
    // A label attached elsewhere moves only when the caller names the version it leaves;
    // otherwise the call fails rather than silently taking the label.
    // See https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_UpdateSecretVersionStage.html#SecretsManager-UpdateSecretVersionStage-request-RemoveFromVersionId.
    if let Some(holder) = &holder
        && input.move_to_version_id.as_deref() != Some(holder.as_str())
        && input.remove_from_version_id.as_deref() != Some(holder.as_str())
    {
        return Err(SecretsError::invalid_parameter(format!(
            "The staging label {label} is currently attached to version {holder}, so you must explicitly reference that version in RemoveFromVersionId."
        )));
    }
    if let Some(from) = &input.remove_from_version_id
        && holder.as_deref() != Some(from.as_str())
    {
        return Err(SecretsError::invalid_parameter(format!(
            "The staging label {label} is not attached to version {from}."
        )));
    }
    if let Some(from) = &input.remove_from_version_id
        && let Some(version) = secret.versions.get_mut(from)
    {
        version.stages.retain(|stage| *stage != label);
    }
    if let Some(to) = &input.move_to_version_id
        && let Some(version) = secret.versions.get_mut(to)
        && !version.stages.contains(&label)
    {
        version.stages.push(label.clone());
    }
    // Whenever AWSCURRENT moves, AWSPREVIOUS follows to the version it left.
    // See https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_UpdateSecretVersionStage.html.
    if label == AWSCURRENT
        && let (Some(from), Some(to)) = (&input.remove_from_version_id, &input.move_to_version_id)
        && from != to
    {
        for version in secret.versions.values_mut() {
            version.stages.retain(|stage| stage != AWSPREVIOUS);
        }
        if let Some(version) = secret.versions.get_mut(from) {
            version.stages.push(AWSPREVIOUS.to_string());
        }
    }
    secret.last_changed = now;
    Ok(json!({ "ARN": secret.arn, "Name": secret.name }))
}
