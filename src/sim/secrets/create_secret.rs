//! CreateSecret, for seeding and canaries.
//! See https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html.

use serde::Deserialize;
use serde_json::{Value, json};

use super::access::SecretAccess;
use super::secret_record::{AWSCURRENT, SecretRecord};
use super::secret_value::{value_from_input, version_id_from_token};
use super::secrets_error::SecretsError;
use super::secrets_state::SecretsState;
use super::world::check_secret_name;
use crate::sim::core::SimCore;
use crate::sim::iam::RequestContext;
use crate::sim::principal::Principal;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct CreateSecretInput {
    name: String,
    #[serde(default)]
    client_request_token: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    kms_key_id: Option<String>,
    #[serde(default)]
    secret_string: Option<String>,
    #[serde(default)]
    secret_binary: Option<String>,
    #[serde(default)]
    tags: Vec<TagInput>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TagInput {
    key: String,
    value: String,
}

pub(crate) fn create_secret(
    core: &dyn SimCore,
    caller: Option<&Principal>,
    state: &mut SecretsState,
    input: CreateSecretInput,
) -> Result<Value, SecretsError> {
    check_secret_name(&input.name).map_err(|_| {
        SecretsError::invalid_parameter(
            "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!",
        )
    })?;
    let existing = state.secrets.get(&input.name);
    let arn = existing
        .map(|secret| secret.arn.clone())
        .unwrap_or_else(|| state.next_arn(&input.name));
    // CreateSecret's condition keys: the name, description, key and the request's tags.
    // See https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecretsmanager.html#awssecretsmanager-actions-as-permissions.
    let mut context = RequestContext::new();
    context.set("secretsmanager:Name", input.name.clone());
    if let Some(description) = &input.description {
        context.set("secretsmanager:Description", description.clone());
    }
    if let Some(kms_key_id) = &input.kms_key_id {
        context.set("secretsmanager:KmsKeyId", kms_key_id.clone());
    }
    for tag in &input.tags {
        context.set(format!("aws:RequestTag/{}", tag.key), tag.value.clone());
    }
    context.set_multi("aws:TagKeys", input.tags.iter().map(|t| t.key.clone()));
    SecretAccess {
        action: "secretsmanager:CreateSecret",
        resource: &arn,
        shown_resource: Some(&arn),
        context,
        resource_policy: None,
    }
    .require(core, caller)?;
    let value = value_from_input(input.secret_string, input.secret_binary)?;
    if let Some(existing) = existing {
        if existing.deleted.is_some() {
            return Err(SecretsError::invalid_request(
                "You can't create this secret because a secret with this name is already scheduled for deletion.",
            ));
        }
        // A retry with the token and value of the version it created is ignored.
        // See https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html#SecretsManager-CreateSecret-request-ClientRequestToken.
        if let (Some(token), Some(value)) = (&input.client_request_token, &value)
            && let Some(version) = existing.versions.get(token)
        {
            if &version.value == value {
                return Ok(json!({"ARN": existing.arn, "Name": existing.name, "VersionId": token}));
            }
            return Err(SecretsError::token_in_use(token, &existing.arn));
        }
        return Err(SecretsError::resource_exists(format!(
            "The operation failed because the secret {} already exists.",
            input.name
        )));
    }
    let now = core.now();
    let mut record = SecretRecord {
        arn: arn.clone(),
        name: input.name.clone(),
        description: input.description,
        kms_key_id: input.kms_key_id,
        tags: input.tags.into_iter().map(|t| (t.key, t.value)).collect(),
        policy: None,
        versions: Default::default(),
        created: now,
        last_changed: now,
        deleted: None,
    };
    let mut out = json!({"ARN": arn, "Name": input.name});
    if let Some(value) = value {
        let version_id = version_id_from_token(input.client_request_token)?;
        record.add_version(version_id.clone(), value, vec![AWSCURRENT.to_string()], now);
        out["VersionId"] = json!(version_id);
    }
    state.insert_new(record);
    Ok(out)
}
