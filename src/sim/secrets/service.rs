//! The Secrets Manager service: seeding from the world file and dispatching JSON 1.1
//! requests (`X-Amz-Target: secretsmanager.Operation`) to operations.

use serde::de::DeserializeOwned;
use serde_json::Value;
use std::sync::Mutex;

use super::batch_get_secret_value::batch_get_secret_value;
use super::create_secret::create_secret;
use super::delete_secret::delete_secret;
use super::describe_secret::describe_secret;
use super::get_secret_value::get_secret_value;
use super::list_secrets::list_secrets;
use super::put_secret_value::put_secret_value;
use super::secret_record::{AWSCURRENT, SecretRecord};
use super::secret_value::SecretValue;
use super::secrets_error::{JSON_CONTENT_TYPE, SecretsError};
use super::secrets_state::SecretsState;
use super::update_secret_version_stage::update_secret_version_stage;
use crate::secret::SecretString;
use crate::sim::core::SimCore;
use crate::sim::request::{SimRequest, SimResponse};
use crate::sim::s3::resource_policy::resource_policy_from_world;
use crate::sim::world::{World, WorldError};

/// Local staging's Secrets Manager.
#[derive(Debug)]
pub struct SecretsService {
    state: Mutex<SecretsState>,
}

/// A version id derived from the secret's ARN, so seeded worlds give the same ids on
/// every run.
pub(crate) fn seeded_version_id(arn: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("{arn}#seed").as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string()
}

impl SecretsService {
    /// Seeds the service from the world file.
    pub fn from_world(world: &World, core: &dyn SimCore) -> Result<Self, WorldError> {
        if let Some(error) = world.secrets.validate().into_iter().next() {
            return Err(error);
        }
        let mut state = SecretsState::new(core.account_id(), core.region());
        let now = core.now();
        for (index, spec) in world.secrets.secrets.iter().enumerate() {
            let path = format!("secrets[{index}]");
            let policy = spec
                .resource_policy
                .as_ref()
                .map(|value| {
                    resource_policy_from_world(
                        value,
                        format!("secretsmanager/{}/resource-policy", spec.name),
                        &format!("{path}.ResourcePolicy"),
                    )
                })
                .transpose()?;
            let arn = state.next_arn(&spec.name);
            let mut record = SecretRecord {
                arn: arn.clone(),
                name: spec.name.clone(),
                description: spec.description.clone(),
                kms_key_id: spec.kms_key_id.clone(),
                tags: spec
                    .tags
                    .iter()
                    .map(|t| (t.key.clone(), t.value.clone()))
                    .collect(),
                policy,
                versions: Default::default(),
                created: now,
                last_changed: now,
                deleted: None,
            };
            let value = match (&spec.secret_string, spec.secret_binary_bytes(&path)?) {
                (Some(text), _) => Some(SecretValue::Text(SecretString::new(text.clone()))),
                (None, Some(bytes)) => Some(SecretValue::Binary(bytes)),
                (None, None) => None,
            };
            if let Some(value) = value {
                record.add_version(
                    seeded_version_id(&arn),
                    value,
                    vec![AWSCURRENT.to_string()],
                    now,
                );
            }
            state.insert_new(record);
        }
        Ok(SecretsService {
            state: Mutex::new(state),
        })
    }

    /// Serves one verified request routed to this service.
    pub fn handle(&self, core: &dyn SimCore, request: &SimRequest) -> SimResponse {
        match self.dispatch(core, request) {
            Ok(value) => SimResponse::json(http::StatusCode::OK, JSON_CONTENT_TYPE, &value),
            Err(error) => error.to_response(),
        }
    }

    fn dispatch(&self, core: &dyn SimCore, request: &SimRequest) -> Result<Value, SecretsError> {
        let target = request
            .header("x-amz-target")
            .ok_or_else(|| SecretsError::unknown_operation("(no X-Amz-Target)"))?;
        let operation = target
            .strip_prefix("secretsmanager.")
            .ok_or_else(|| SecretsError::unknown_operation(target))?;
        let caller = request.caller.as_deref();
        let body = &request.body;
        // One lock for the whole request: authorization and the change it allows happen
        // atomically, and no lock is ever held across an await (handlers are sync).
        let mut state = self.state.lock().map_err(|_| SecretsError::internal())?;
        match operation {
            "GetSecretValue" => get_secret_value(core, caller, &state, parse(body)?),
            "BatchGetSecretValue" => batch_get_secret_value(core, caller, &state, parse(body)?),
            "DescribeSecret" => describe_secret(core, caller, &state, parse(body)?),
            "PutSecretValue" => put_secret_value(core, caller, &mut state, parse(body)?),
            "ListSecrets" => list_secrets(core, caller, &state, parse(body)?),
            "CreateSecret" => create_secret(core, caller, &mut state, parse(body)?),
            "DeleteSecret" => delete_secret(core, caller, &mut state, parse(body)?),
            "UpdateSecretVersionStage" => {
                update_secret_version_stage(core, caller, &mut state, parse(body)?)
            }
            other => Err(SecretsError::unknown_operation(other)),
        }
    }
}

/// Parses an operation's input. Error messages never echo the body: it may hold a
/// secret value.
fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, SecretsError> {
    let value: Value = if body.is_empty() {
        Value::Object(Default::default())
    } else {
        serde_json::from_slice(body).map_err(|_| SecretsError::serialization())?
    };
    if !value.is_object() {
        return Err(SecretsError::serialization());
    }
    serde_json::from_value(value).map_err(|error| {
        // serde names the field for missing fields; other messages may quote values.
        let message = error.to_string();
        if message.starts_with("missing field") {
            SecretsError::invalid_parameter(message)
        } else {
            SecretsError::invalid_parameter("a request parameter has the wrong type")
        }
    })
}
