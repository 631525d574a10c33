//! Authorizing Secrets Manager requests and writing AWS's denial message.

use crate::sim::core::{AccessRequest, SimCore};
use crate::sim::iam::{NamedPolicy, RequestContext};
use crate::sim::principal::Principal;

use super::secrets_error::SecretsError;

/// One authorization question about a secret (or `*` for ListSecrets).
pub(crate) struct SecretAccess<'a> {
    pub action: &'a str,
    /// The secret's ARN, or `*`.
    pub resource: &'a str,
    /// What the denial message names as the resource: the `SecretId` as the caller sent
    /// it; `None` for actions without a resource.
    pub shown_resource: Option<&'a str>,
    pub context: RequestContext,
    pub resource_policy: Option<&'a NamedPolicy>,
}

impl SecretAccess<'_> {
    /// `Ok` when allowed; otherwise AccessDeniedException with AWS's message:
    /// `User: ARN is not authorized to perform: ACTION on resource: ID because no
    /// identity-based policy allows the ACTION action`, or `... with an explicit deny in a
    /// resource-based policy`; ListSecrets has no `on resource` part.
    /// See https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html.
    pub fn require(
        &self,
        core: &dyn SimCore,
        caller: Option<&Principal>,
    ) -> Result<(), SecretsError> {
        let Some(principal) = caller else {
            return Err(SecretsError::missing_authentication());
        };
        let evaluation = core.authorize(&AccessRequest {
            principal,
            action: self.action,
            resource: self.resource,
            context: self.context.clone(),
            resource_policy: self.resource_policy,
        });
        if evaluation.is_allowed() {
            return Ok(());
        }
        let reason = evaluation.denial_reason(self.action).unwrap_or_else(|| {
            format!(
                "because no identity-based policy allows the {} action",
                self.action
            )
        });
        let on_resource = self
            .shown_resource
            .map(|resource| format!(" on resource: {resource}"))
            .unwrap_or_default();
        Err(SecretsError::access_denied(format!(
            "User: {} is not authorized to perform: {}{on_resource} {reason}",
            principal.arn, self.action
        )))
    }
}

/// Finds the secret a `SecretId` names and authorizes `action` on it, before revealing
/// whether it exists: a secret that does not exist is authorized against the ARN its
/// name would have, so a caller without access gets AccessDeniedException and only an
/// allowed caller learns ResourceNotFoundException. Returns the secret's name.
/// See https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html#API_GetSecretValue_Errors.
pub(crate) fn authorize_on_secret(
    core: &dyn SimCore,
    caller: Option<&Principal>,
    state: &super::secrets_state::SecretsState,
    secret_id: &str,
    action: &str,
    extra_context: &RequestContext,
) -> Result<String, SecretsError> {
    let found = state
        .resolve(secret_id)
        .and_then(|name| state.secrets.get(name));
    let (resource, mut context, policy) = match found {
        Some(secret) => (secret.arn.clone(), secret.context(), secret.policy.as_ref()),
        None => {
            let arn = state.unresolved_arn(secret_id);
            let mut context = RequestContext::new();
            context.set("secretsmanager:SecretId", arn.clone());
            (arn, context, None)
        }
    };
    context.extend(extra_context);
    SecretAccess {
        action,
        resource: &resource,
        shown_resource: Some(secret_id),
        context,
        resource_policy: policy,
    }
    .require(core, caller)?;
    found
        .map(|secret| secret.name.clone())
        .ok_or_else(SecretsError::secret_not_found)
}
