//! DeleteSecret: scheduled deletion with a recovery window, or immediate with
//! `ForceDeleteWithoutRecovery`.
//! See https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DeleteSecret.html.

use serde::Deserialize;
use serde_json::{Value, json};
use std::time::Duration;

use super::access::authorize_on_secret;
use super::secret_record::epoch_seconds;
use super::secrets_error::SecretsError;
use super::secrets_state::SecretsState;
use crate::sim::core::SimCore;
use crate::sim::iam::RequestContext;
use crate::sim::principal::Principal;

/// The recovery window when none is given, and its bounds.
/// See https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DeleteSecret.html#SecretsManager-DeleteSecret-request-RecoveryWindowInDays.
const DEFAULT_RECOVERY_DAYS: i64 = 30;
const RECOVERY_DAYS: std::ops::RangeInclusive<i64> = 7..=30;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct DeleteSecretInput {
    secret_id: String,
    #[serde(default)]
    recovery_window_in_days: Option<i64>,
    #[serde(default)]
    force_delete_without_recovery: Option<bool>,
}

pub(crate) fn delete_secret(
    core: &dyn SimCore,
    caller: Option<&Principal>,
    state: &mut SecretsState,
    input: DeleteSecretInput,
) -> Result<Value, SecretsError> {
    let force = input.force_delete_without_recovery.unwrap_or(false);
    if force && input.recovery_window_in_days.is_some() {
        return Err(SecretsError::invalid_parameter(
            "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
        ));
    }
    let days = input
        .recovery_window_in_days
        .unwrap_or(DEFAULT_RECOVERY_DAYS);
    if !RECOVERY_DAYS.contains(&days) {
        return Err(SecretsError::invalid_parameter(
            "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).",
        ));
    }
    let name = authorize_on_secret(
        core,
        caller,
        state,
        &input.secret_id,
        "secretsmanager:DeleteSecret",
        &RequestContext::new(),
    )?;
    let now = core.now();
    if force {
        let secret = state
            .secrets
            .remove(&name)
            .ok_or_else(SecretsError::secret_not_found)?;
        return Ok(json!({
            "ARN": secret.arn,
            "Name": secret.name,
            "DeletionDate": epoch_seconds(now),
        }));
    }
    let secret = state.live_mut(&name)?;
    secret.deleted = Some(now);
    let deletion = now + Duration::from_secs(days as u64 * 86_400);
    Ok(json!({
        "ARN": secret.arn,
        "Name": secret.name,
        "DeletionDate": epoch_seconds(deletion),
    }))
}
