//! BatchGetSecretValue with a `SecretIdList`: authorized as
//! `secretsmanager:BatchGetSecretValue` (an action without a resource type, so on `*`),
//! then each secret as its own GetSecretValue; a secret that fails lands in `Errors` with
//! its code and message while the call still answers 200.
//! See https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_BatchGetSecretValue.html
//! and https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecretsmanager.html.

use serde::Deserialize;
use serde_json::{Value, json};

use super::access::SecretAccess;
use super::get_secret_value::{GetSecretValueInput, get_secret_value};
use super::secrets_error::SecretsError;
use super::secrets_state::SecretsState;
use crate::sim::core::SimCore;
use crate::sim::iam::RequestContext;
use crate::sim::principal::Principal;

/// A SecretIdList holds 1 to 20 secrets.
/// See https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_BatchGetSecretValue.html#SecretsManager-BatchGetSecretValue-request-SecretIdList.
const MAX_SECRETS: usize = 20;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct BatchGetSecretValueInput {
    #[serde(default)]
    secret_id_list: Option<Vec<String>>,
    #[serde(default)]
    filters: Option<Value>,
    #[serde(default)]
    next_token: Option<String>,
    #[serde(default, rename = "MaxResults")]
    _max_results: Option<i64>,
}

pub(crate) fn batch_get_secret_value(
    core: &dyn SimCore,
    caller: Option<&Principal>,
    state: &SecretsState,
    input: BatchGetSecretValueInput,
) -> Result<Value, SecretsError> {
    SecretAccess {
        action: "secretsmanager:BatchGetSecretValue",
        resource: "*",
        shown_resource: None,
        context: RequestContext::new(),
        resource_policy: None,
    }
    .require(core, caller)?;
    let ids = match (input.secret_id_list, input.filters) {
        (Some(_), Some(_)) => {
            return Err(SecretsError::invalid_parameter(
                "Either 'SecretIdList' or 'Filters' must be provided, but not both.",
            ));
        }
        (Some(ids), None) => ids,
        (None, Some(_)) => {
            return Err(SecretsError::invalid_request(
                "local staging serves BatchGetSecretValue with a SecretIdList only, not Filters",
            ));
        }
        (None, None) => {
            return Err(SecretsError::invalid_parameter(
                "Either 'SecretIdList' or 'Filters' must be provided.",
            ));
        }
    };
    if ids.is_empty() || ids.len() > MAX_SECRETS {
        return Err(SecretsError::invalid_parameter(
            "SecretIdList must contain between 1 and 20 secret IDs.",
        ));
    }
    // A SecretIdList is answered in one page; a NextToken belongs to a Filters listing.
    if input.next_token.is_some() {
        return Err(SecretsError::invalid_next_token());
    }
    let mut values = Vec::new();
    let mut errors = Vec::new();
    for id in ids {
        let one = GetSecretValueInput::of(&id);
        match get_secret_value(core, caller, state, one) {
            Ok(value) => values.push(value),
            Err(error) => errors.push(json!({
                "SecretId": id,
                "ErrorCode": error.code,
                "Message": error.message,
            })),
        }
    }
    Ok(json!({ "SecretValues": values, "Errors": errors }))
}
