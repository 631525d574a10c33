//! AWS's policy evaluation logic for requests within one account, and across accounts.
//! See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>.

use super::decision::{DecidingStatement, Decision, Evaluation, PolicyKind};
use super::principal_element::PrincipalHit;
use super::resource::ResourceMatch;
use super::statement::{Effect, Statement};
use super::{NamedPolicy, RequestContext};

/// Who is asking, as `Principal` / `NotPrincipal` elements of resource-based and trust
/// policies match it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrincipalMatch {
    /// Values an `"AWS"` principal element may name for this caller: the role ARN, the
    /// assumed-role session ARN, the account root ARN, the account id.
    pub aws: Vec<String>,
    /// The identity provider of a web-identity caller (`cognito-identity.amazonaws.com`,
    /// an OIDC provider ARN), matched by `"Federated"`.
    pub federated: Option<String>,
    /// A service principal such as `s3.amazonaws.com`, matched by `"Service"`.
    pub service: Option<String>,
}

/// Everything one evaluation needs. The caller builds the full context, including the
/// global `aws:*` keys.
#[derive(Debug, Clone)]
pub struct EvaluationInput<'a> {
    /// `service:Operation`, for example `s3:GetObject`.
    pub action: &'a str,
    /// The resource ARN, or `*`.
    pub resource: &'a str,
    pub principal: &'a PrincipalMatch,
    pub context: &'a RequestContext,
    pub identity_policies: &'a [NamedPolicy],
    /// A bucket policy, secret resource policy or role trust policy.
    pub resource_policy: Option<&'a NamedPolicy>,
    /// The kind to report for `resource_policy` (resource-based or trust).
    pub resource_policy_is_trust: bool,
    /// `None` when the session was created without session policies.
    pub session_policies: Option<&'a [NamedPolicy]>,
    pub permissions_boundary: Option<&'a NamedPolicy>,
    /// The caller and the resource are in different accounts: both the caller's side
    /// (identity policies, within boundary and session policies) and the resource policy
    /// must allow.
    pub cross_account: bool,
}

impl EvaluationInput<'_> {
    fn resource_kind(&self) -> PolicyKind {
        if self.resource_policy_is_trust {
            PolicyKind::Trust
        } else {
            PolicyKind::Resource
        }
    }
}

/// A statement that applied to the request, with the principal it matched through.
struct Applied {
    statement: DecidingStatement,
    hit: Option<PrincipalHit>,
}

/// Statements of one kind of policy that applied, split by effect.
#[derive(Default)]
struct KindResult {
    allows: Vec<Applied>,
    denies: Vec<Applied>,
}

/// Evaluates one request.
///
/// 1. An explicit deny in any policy decides.
/// 2. An allow in a resource-based policy that names the session, the user, a federated
///    provider or a service is enough; one that names the role (or everyone) still needs
///    the permissions boundary and session policies to allow; one that names only the
///    account delegates to the identity-based policies.
/// 3. Otherwise an identity-based allow is needed, within the permissions boundary and the
///    session policies.
/// 4. Anything else is an implicit deny.
///
/// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html>
/// and <https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session>.
pub fn evaluate(input: &EvaluationInput<'_>) -> Evaluation {
    let action_lowered = input.action.to_lowercase();
    let has_boundary = input.permissions_boundary.is_some();
    let run = |policies: &mut dyn Iterator<Item = &NamedPolicy>, kind: PolicyKind| {
        let mut result = KindResult::default();
        for policy in policies {
            collect_applied(
                input,
                &action_lowered,
                policy,
                kind,
                has_boundary,
                &mut result,
            );
        }
        result
    };
    let identity = run(&mut input.identity_policies.iter(), PolicyKind::Identity);
    let resource = run(
        &mut input.resource_policy.into_iter(),
        input.resource_kind(),
    );
    let boundary = run(
        &mut input.permissions_boundary.into_iter(),
        PolicyKind::PermissionsBoundary,
    );
    let session = run(
        &mut input.session_policies.unwrap_or_default().iter(),
        PolicyKind::Session,
    );

    // Explicit deny in any policy wins.
    // See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_AccessPolicyLanguage_Interplay.html>.
    let any_deny = [&identity, &resource, &boundary, &session]
        .iter()
        .any(|r| !r.denies.is_empty());
    if any_deny {
        let statements = [identity, resource, boundary, session]
            .into_iter()
            .flat_map(|r| r.denies.into_iter().map(|a| a.statement))
            .collect();
        return Evaluation {
            decision: Decision::ExplicitDeny,
            statements,
            missing_allow_in: None,
        };
    }

    // A permissions boundary and session policies limit what they are attached to: an
    // absent one limits nothing.
    // See <https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html>.
    let boundary_allows = !has_boundary || !boundary.allows.is_empty();
    let session_allows = input.session_policies.is_none() || !session.allows.is_empty();
    let limits_allow = boundary_allows && session_allows;
    let boundary_statements: Vec<DecidingStatement> =
        boundary.allows.into_iter().map(|a| a.statement).collect();
    let session_statements: Vec<DecidingStatement> =
        session.allows.into_iter().map(|a| a.statement).collect();
    let limiting_statements = || {
        boundary_statements
            .iter()
            .chain(&session_statements)
            .cloned()
    };

    // Across accounts, the trusted account (the caller's identity policies, within its
    // permissions boundary and session policies) and the trusting account (the resource's
    // policy, naming the caller or its account) must both allow; neither side alone is
    // enough, whatever principal the resource policy names.
    // See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html>.
    if input.cross_account {
        let identity_allowed = !identity.allows.is_empty();
        let resource_allowed = resource.allows.iter().any(|a| a.hit.is_some());
        if identity_allowed && limits_allow && resource_allowed {
            let mut statements: Vec<DecidingStatement> =
                identity.allows.into_iter().map(|a| a.statement).collect();
            statements.extend(resource.allows.into_iter().map(|a| a.statement));
            statements.extend(limiting_statements());
            return allow(statements);
        }
        let missing = if !identity_allowed {
            PolicyKind::Identity
        } else if !boundary_allows {
            PolicyKind::PermissionsBoundary
        } else if !session_allows {
            PolicyKind::Session
        } else {
            input.resource_kind()
        };
        return Evaluation {
            decision: Decision::ImplicitDeny,
            statements: Vec::new(),
            missing_allow_in: Some(missing),
        };
    }

    // Sort the resource-based allows by the principal they named.
    let mut standalone = Vec::new();
    let mut session_limited = Vec::new();
    let mut limited = Vec::new();
    let mut delegated = Vec::new();
    for applied in resource.allows {
        match applied.hit {
            Some(hit) if hit.grants_beyond_session_and_boundary() => {
                standalone.push(applied.statement)
            }
            Some(PrincipalHit::Account) => delegated.push(applied.statement),
            Some(hit) if hit.limited_by_permissions_boundary() => limited.push(applied.statement),
            Some(_) => session_limited.push(applied.statement),
            None => {}
        }
    }
    if !standalone.is_empty() {
        return allow(standalone);
    }
    // The session-policies page lists only a grant to the session itself as beyond a
    // session policy, so a wildcard grant stays within it.
    // See <https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session>.
    if !session_limited.is_empty() && session_allows {
        session_limited.extend(session_statements.iter().cloned());
        return allow(session_limited);
    }
    if !limited.is_empty() && limits_allow {
        limited.extend(limiting_statements());
        return allow(limited);
    }
    let identity_allowed = !identity.allows.is_empty();
    if identity_allowed && limits_allow {
        let mut statements: Vec<DecidingStatement> =
            identity.allows.into_iter().map(|a| a.statement).collect();
        statements.extend(delegated);
        statements.extend(limiting_statements());
        return allow(statements);
    }

    // Implicit deny: name the first kind of policy, in evaluation order, that lacked an
    // allow; AWS's denial messages say which.
    // See <https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html>.
    let missing = if !session_limited.is_empty() {
        // A wildcard grant applied: only the session policy stood in its way.
        PolicyKind::Session
    } else if !identity_allowed && limited.is_empty() {
        if input.identity_policies.is_empty() && input.resource_policy.is_some() {
            input.resource_kind()
        } else {
            PolicyKind::Identity
        }
    } else if !boundary_allows {
        PolicyKind::PermissionsBoundary
    } else {
        PolicyKind::Session
    };
    Evaluation {
        decision: Decision::ImplicitDeny,
        statements: Vec::new(),
        missing_allow_in: Some(missing),
    }
}

fn allow(statements: Vec<DecidingStatement>) -> Evaluation {
    Evaluation {
        decision: Decision::Allow,
        statements,
        missing_allow_in: None,
    }
}

fn collect_applied(
    input: &EvaluationInput<'_>,
    action_lowered: &str,
    policy: &NamedPolicy,
    kind: PolicyKind,
    has_boundary: bool,
    result: &mut KindResult,
) {
    for (index, statement) in policy.policy.statements.iter().enumerate() {
        let Some(hit) = applies(input, action_lowered, statement, kind, has_boundary) else {
            continue;
        };
        let applied = Applied {
            statement: DecidingStatement {
                policy: policy.name.clone(),
                kind,
                sid: statement.sid.clone().filter(|s| !s.is_empty()),
                index,
                allow: statement.effect == Effect::Allow,
            },
            hit,
        };
        match statement.effect {
            Effect::Allow => result.allows.push(applied),
            Effect::Deny => result.denies.push(applied),
        }
    }
}

/// Whether a statement applies to the request: `Some(hit)` when it does, where `hit` is the
/// principal it matched through (`None` inside for policies without a principal).
fn applies(
    input: &EvaluationInput<'_>,
    action_lowered: &str,
    statement: &Statement,
    kind: PolicyKind,
    has_boundary: bool,
) -> Option<Option<PrincipalHit>> {
    let is_deny = statement.effect == Effect::Deny;
    if !statement.actions.applies_to_lowered(action_lowered) {
        return None;
    }
    match &statement.resources {
        Some(resources) => match resources.applies_to(input.resource, input.context) {
            ResourceMatch::Applies => {}
            ResourceMatch::DoesNotApply | ResourceMatch::Unresolvable => return None,
        },
        // A trust policy has no Resource: its statements are about the role itself. Any
        // other policy without one is malformed; it may deny but never allow.
        None if kind == PolicyKind::Trust || is_deny => {}
        None => return None,
    }
    let resource_based = matches!(kind, PolicyKind::Resource | PolicyKind::Trust);
    let hit = match &statement.principal {
        Some(principal) => Some(principal.applies_to(input.principal, is_deny, has_boundary)?),
        // A resource-based statement without a principal is malformed; it may deny
        // everyone but allow no one.
        None if resource_based && !is_deny => return None,
        None if resource_based => Some(PrincipalHit::Everyone),
        None => None,
    };
    // Conditions: every one must hold.
    // See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_logic_multiple_context_keys_or_values.html>.
    if !statement.conditions.iter().all(|c| c.holds(input.context)) {
        return None;
    }
    Some(hit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::iam::Policy;

    fn named(name: &str, json: &str) -> NamedPolicy {
        NamedPolicy::new(name, Policy::parse(json).expect("valid test policy"))
    }

    fn run(
        identity: &[NamedPolicy],
        session: Option<&[NamedPolicy]>,
        action: &str,
        resource: &str,
    ) -> Evaluation {
        let principal = PrincipalMatch::default();
        let context = RequestContext::new();
        evaluate(&EvaluationInput {
            action,
            resource,
            principal: &principal,
            context: &context,
            identity_policies: identity,
            resource_policy: None,
            resource_policy_is_trust: false,
            session_policies: session,
            permissions_boundary: None,
            cross_account: false,
        })
    }

    const READ_ALL: &str = r#"{"Version":"2012-10-17","Statement":[
        {"Sid":"Read","Effect":"Allow","Action":"s3:Get*","Resource":"*"},
        {"Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::secret/*"}]}"#;

    #[test]
    fn identity_allow_explicit_deny_and_implicit_deny() {
        let policies = [named("role/R/inline/read", READ_ALL)];
        let allowed = run(&policies, None, "s3:GetObject", "arn:aws:s3:::b/k");
        assert_eq!(allowed.decision, Decision::Allow);
        assert_eq!(allowed.statements[0].sid.as_deref(), Some("Read"));
        let denied = run(&policies, None, "s3:GetObject", "arn:aws:s3:::secret/k");
        assert_eq!(denied.decision, Decision::ExplicitDeny);
        assert_eq!(denied.statements[0].index, 1);
        let implicit = run(&policies, None, "s3:PutObject", "arn:aws:s3:::b/k");
        assert_eq!(implicit.decision, Decision::ImplicitDeny);
        assert_eq!(implicit.missing_allow_in, Some(PolicyKind::Identity));
    }

    #[test]
    fn session_policies_intersect_with_identity_policies() {
        let policies = [named("role/R/inline/read", READ_ALL)];
        let session = [named(
            "session",
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObjectTagging","Resource":"*"}}"#,
        )];
        let narrowed = run(
            &policies,
            Some(&session),
            "s3:GetObject",
            "arn:aws:s3:::b/k",
        );
        assert_eq!(narrowed.decision, Decision::ImplicitDeny);
        assert_eq!(narrowed.missing_allow_in, Some(PolicyKind::Session));
        let both = run(
            &policies,
            Some(&session),
            "s3:GetObjectTagging",
            "arn:aws:s3:::b/k",
        );
        assert_eq!(both.decision, Decision::Allow);
    }
}
