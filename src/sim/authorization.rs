//! Turns a service's access question into a full policy evaluation: the global condition
//! keys of the caller, its identity and session policies, and the resource policy.

use super::account_world::arn_account;
use super::clock::{epoch_seconds, iso8601};
use super::core::{AccessRequest, SimCore};
use super::iam::{Evaluation, EvaluationInput, PrincipalMatch, RequestContext};
use super::principal::{Principal, PrincipalKind};
use super::state::SimState;

/// Evaluates one request of a signed-in caller.
pub fn authorize(state: &SimState, request: &AccessRequest<'_>) -> Evaluation {
    with_evaluation_input(state, request, super::iam::evaluate)
}

/// Evaluates an `sts:AssumeRole` request of a signed-in caller: the role's trust policy is
/// the resource policy, evaluated as a trust policy (its statements name no resource).
pub fn authorize_with_trust_policy(state: &SimState, request: &AccessRequest<'_>) -> Evaluation {
    evaluation_input(state, request, true, super::iam::evaluate)
}

/// Evaluates one request and renders the explanation `xtenant sim explain` prints.
pub fn authorize_explained(state: &SimState, request: &AccessRequest<'_>) -> (Evaluation, String) {
    with_evaluation_input(state, request, |input| {
        let evaluation = super::iam::evaluate(input);
        let explanation = super::iam::explain::explain(input, &evaluation);
        (evaluation, explanation)
    })
}

/// Builds the evaluation input of a request (context, the caller's identity and session
/// policies, boundary, resource policy) and hands it to `f`.
fn with_evaluation_input<T>(
    state: &SimState,
    request: &AccessRequest<'_>,
    f: impl FnOnce(&EvaluationInput<'_>) -> T,
) -> T {
    evaluation_input(state, request, false, f)
}

/// `with_evaluation_input`, with the resource policy read as a role trust policy when
/// `resource_policy_is_trust`.
fn evaluation_input<T>(
    state: &SimState,
    request: &AccessRequest<'_>,
    resource_policy_is_trust: bool,
    f: impl FnOnce(&EvaluationInput<'_>) -> T,
) -> T {
    let principal = request.principal;
    let mut context = global_context(state, principal);
    context.extend(&request.context);

    let (identity_policies, permissions_boundary, principal_match) = match &principal.kind {
        PrincipalKind::AssumedRole { role_arn, .. } => {
            let role = state.iam().role_by_arn(role_arn);
            let policies = role
                .map(|r| r.identity_policies.as_slice())
                .unwrap_or_default();
            let boundary = role.and_then(|r| r.permissions_boundary.as_ref());
            (
                policies,
                boundary,
                aws_principal(principal, &[role_arn.as_str(), principal.arn.as_str()]),
            )
        }
        PrincipalKind::IamUser { .. } => {
            let policies = state
                .iam()
                .user_by_arn(&principal.arn)
                .map(|u| u.identity_policies.as_slice())
                .unwrap_or_default();
            (
                policies,
                None,
                aws_principal(principal, &[principal.arn.as_str()]),
            )
        }
    };
    let cross_account = resource_account(request).is_some_and(|owner| owner != principal.account);

    f(&EvaluationInput {
        action: request.action,
        resource: request.resource,
        principal: &principal_match,
        context: &context,
        identity_policies,
        resource_policy: request.resource_policy,
        resource_policy_is_trust,
        session_policies: principal.session_policies.as_deref(),
        permissions_boundary,
        cross_account,
    })
}

/// The account that owns the resource: the account field of its ARN, or for S3 (whose
/// ARNs have none) the bucket owner the service puts in `s3:ResourceAccount`. `None` for
/// actions on `*`, which stay within the caller's account.
/// See <https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html#condition-key-bucket-ops-2>.
fn resource_account<'a>(request: &'a AccessRequest<'_>) -> Option<&'a str> {
    arn_account(request.resource).or_else(|| {
        request
            .context
            .get("s3:ResourceAccount")
            .and_then(|values| values.first())
            .map(String::as_str)
    })
}

/// What an `"AWS"` principal element may name for this caller: its ARNs, its account's
/// root and its account id.
fn aws_principal(principal: &Principal, arns: &[&str]) -> PrincipalMatch {
    let mut aws: Vec<String> = arns.iter().map(|a| (*a).to_string()).collect();
    aws.push(format!("arn:aws:iam::{}:root", principal.account));
    aws.push(principal.account.clone());
    PrincipalMatch {
        aws,
        federated: None,
        service: None,
    }
}

/// The global condition keys AWS adds to every request of this caller.
/// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html>.
pub fn global_context(state: &SimState, principal: &Principal) -> RequestContext {
    let mut context = time_context(state);
    // aws:PrincipalArn is the role's ARN for a role session, the user's ARN for a user.
    // See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn>.
    match &principal.kind {
        PrincipalKind::AssumedRole { role_arn, .. } => {
            context.set("aws:PrincipalArn", role_arn.as_str());
            // See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principaltype>.
            context.set("aws:PrincipalType", "AssumedRole");
        }
        PrincipalKind::IamUser { user_name } => {
            context.set("aws:PrincipalArn", principal.arn.as_str());
            context.set("aws:PrincipalType", "User");
            // aws:username exists only for IAM users.
            // See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-username>.
            context.set("aws:username", user_name.as_str());
        }
    }
    context.set("aws:PrincipalAccount", principal.account.as_str());
    context.set("aws:userid", principal.userid.as_str());
    // See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principaltag>.
    for (key, value) in &principal.principal_tags {
        context.set(format!("aws:PrincipalTag/{key}"), value.as_str());
    }
    context.extend(&principal.federated_context);
    context
}

/// Keys every request has, signed or not: time, transport and region.
pub fn time_context(state: &SimState) -> RequestContext {
    let now = state.now();
    let mut context = RequestContext::new();
    context.set("aws:CurrentTime", iso8601(now));
    context.set("aws:EpochTime", epoch_seconds(now).to_string());
    // True when local staging was started with TLS (`sim serve --tls`, local targets),
    // false over plain HTTP.
    // See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-securetransport>.
    context.set(
        "aws:SecureTransport",
        if state.secure_transport() {
            "true"
        } else {
            "false"
        },
    );
    context.set("aws:RequestedRegion", state.region());
    // Local staging binds 127.0.0.1, so every caller connects from loopback.
    // See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceip>.
    context.set("aws:SourceIp", "127.0.0.1");
    // Callers of local staging are never AWS services acting on their own or for a caller.
    // See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalisawsservice>.
    context.set("aws:PrincipalIsAWSService", "false");
    // See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-viaawsservice>.
    context.set("aws:ViaAWSService", "false");
    context
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::world::World;

    #[test]
    fn an_iam_user_gets_user_keys_and_its_tags() {
        let world = World::from_yaml(
            r#"account_id: "111122223333"
region: eu-west-1
iam:
  users:
    - UserName: carol
      Tags: [{Key: team, Value: audit}]
      AccessKeys:
        - AccessKeyId: AKIACAROLEXAMPLE0001
          SecretAccessKey: carol-secret
"#,
            "w.yaml",
        )
        .unwrap();
        let state = SimState::from_world(&world).unwrap();
        let user = state.iam().user("carol").unwrap();
        let principal = Principal {
            kind: PrincipalKind::IamUser {
                user_name: "carol".to_string(),
            },
            arn: user.arn.clone(),
            account: "111122223333".to_string(),
            userid: user.user_id.clone(),
            access_key_id: "AKIACAROLEXAMPLE0001".to_string(),
            principal_tags: user.tags.clone(),
            session_policies: None,
            federated_context: RequestContext::new(),
            expires: None,
        };
        let context = global_context(&state, &principal);
        let value = |k: &str| context.get(k).map(|v| v.join(","));
        assert_eq!(value("aws:username").as_deref(), Some("carol"));
        assert_eq!(value("aws:PrincipalType").as_deref(), Some("User"));
        assert_eq!(
            value("aws:PrincipalArn").as_deref(),
            Some("arn:aws:iam::111122223333:user/carol")
        );
        assert_eq!(value("aws:PrincipalTag/team").as_deref(), Some("audit"));
        assert_eq!(value("aws:RequestedRegion").as_deref(), Some("eu-west-1"));
        assert_eq!(value("aws:ViaAWSService").as_deref(), Some("false"));
        assert_eq!(value("aws:SourceIp").as_deref(), Some("127.0.0.1"));
        assert_eq!(value("aws:PrincipalIsAWSService").as_deref(), Some("false"));
        assert!(user.user_id.starts_with("AIDA") && user.user_id.len() == 21);
    }
}
