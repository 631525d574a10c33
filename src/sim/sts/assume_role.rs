//! AssumeRole: a signed caller (an IAM user or a role session, of any account of the world)
//! asks for a session of a role. The role's trust policy must allow the caller explicitly,
//! even within one account (a role trust policy is one of the two resource-based policies
//! that must); naming the caller's account delegates to its identity policies; across
//! accounts the caller's identity policy must allow `sts:AssumeRole` as well.
//! See <https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html>,
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html>
//! and <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html>.

use super::web_identity::{check_session_name, session_policies, validation_error};
use crate::sim::authorization::authorize_with_trust_policy;
use crate::sim::clock::iso8601;
use crate::sim::core::{AccessRequest, SimCore, StsError};
use crate::sim::iam::{PolicyKind, RequestContext};
use crate::sim::principal::{Principal, PrincipalKind};
use crate::sim::sessions::SessionStore;
use crate::sim::state::SimState;
use std::sync::Arc;
use std::time::Duration;

/// DurationSeconds' lower bound, and the one-hour limit of a session assumed by a role
/// session (role chaining).
/// See <https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html#API_AssumeRole_RequestParameters>.
const MIN_DURATION_SECONDS: u32 = 900;
const ROLE_CHAINING_MAX_SECONDS: u32 = 3600;

/// The parameters of one AssumeRole call.
#[derive(Debug, Clone)]
pub struct AssumeRoleRequest {
    pub role_arn: String,
    pub role_session_name: String,
    pub duration_seconds: Option<u32>,
    /// `sts:ExternalId` of the trust policy's conditions.
    pub external_id: Option<String>,
    pub policy: Option<String>,
    pub policy_arns: Vec<String>,
}

/// A session STS issued to a caller.
pub struct AssumedRole {
    pub keys: crate::sim::sessions::FreshKeys,
    pub principal: Arc<Principal>,
    pub expiration: std::time::SystemTime,
}

pub fn assume_role(
    state: &SimState,
    caller: &Principal,
    request: &AssumeRoleRequest,
) -> Result<AssumedRole, StsError> {
    check_session_name(&request.role_session_name)?;
    let chained = matches!(caller.kind, PrincipalKind::AssumedRole { .. });
    if let Some(duration) = request.duration_seconds {
        if duration < MIN_DURATION_SECONDS {
            return Err(validation_error(&format!(
                "1 validation error detected: Value '{duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"
            )));
        }
        if chained && duration > ROLE_CHAINING_MAX_SECONDS {
            return Err(validation_error(
                "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
            ));
        }
    }
    let denied = || StsError {
        code: "AccessDenied".to_string(),
        message: format!(
            "User: {} is not authorized to perform: sts:AssumeRole on resource: {}",
            caller.arn, request.role_arn
        ),
        status: 403,
    };
    // An unknown role is refused as a denied one: the caller learns nothing of the account.
    let role = state
        .iam()
        .role_by_arn(&request.role_arn)
        .ok_or_else(denied)?;
    let mut context = RequestContext::new();
    // See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_externalid>.
    if let Some(external_id) = &request.external_id {
        context.set("sts:ExternalId", external_id.as_str());
    }
    let evaluation = authorize_with_trust_policy(
        state,
        &AccessRequest {
            principal: caller,
            action: "sts:AssumeRole",
            resource: &role.arn,
            context,
            resource_policy: Some(&role.trust_policy),
        },
    );
    // Allowed by the identity policies alone is not enough: the trust policy itself must
    // have allowed (it is among the deciding statements).
    let trusted = evaluation
        .statements
        .iter()
        .any(|statement| statement.allow && statement.kind == PolicyKind::Trust);
    if !evaluation.is_allowed() || !trusted {
        return Err(denied());
    }

    let limit = if chained {
        ROLE_CHAINING_MAX_SECONDS.min(role.max_session_seconds)
    } else {
        role.max_session_seconds
    };
    let duration = request
        .duration_seconds
        .unwrap_or_else(|| state.credentials_lifetime_seconds().min(limit));
    if duration > role.max_session_seconds {
        return Err(validation_error(
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
        ));
    }
    let session_policies =
        session_policies(state, request.policy.as_deref(), &request.policy_arns)?;
    let now = state.now();
    let expiration = now + Duration::from_secs(u64::from(duration));
    let mut session_context = RequestContext::new();
    // See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-tokenissuetime>.
    session_context.set("aws:TokenIssueTime", iso8601(now));
    let keys = SessionStore::fresh_keys();
    let principal = Arc::new(Principal {
        kind: PrincipalKind::AssumedRole {
            role_arn: role.arn.clone(),
            role_name: role.name.clone(),
            session_name: request.role_session_name.clone(),
        },
        // The session is in the role's account, whichever account the caller is in.
        arn: format!(
            "arn:aws:sts::{}:assumed-role/{}/{}",
            role.account, role.name, request.role_session_name
        ),
        account: role.account.clone(),
        userid: format!("{}:{}", role.role_id, request.role_session_name),
        access_key_id: keys.access_key_id.clone(),
        principal_tags: role.tags.clone(),
        session_policies,
        federated_context: session_context,
        expires: Some(expiration),
    });
    state.sessions().insert(&keys, principal.clone());
    Ok(AssumedRole {
        keys,
        principal,
        expiration,
    })
}
