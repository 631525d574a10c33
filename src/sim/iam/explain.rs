//! A human-readable account of one decision, for `xtenant sim explain`. It names policies,
//! statements and the caller's ARN, never context values such as tags.

use super::decision::{Decision, Evaluation, PolicyKind};
use super::evaluate::EvaluationInput;
use std::fmt::Write;

/// Renders a decision: the request, the outcome, each deciding statement (policy, kind, Sid
/// or index, effect) and, for an implicit deny, which kind of policy lacked an allow.
pub fn explain(input: &EvaluationInput<'_>, evaluation: &Evaluation) -> String {
    let mut out = String::new();
    let outcome = match evaluation.decision {
        Decision::Allow => "allowed",
        Decision::ExplicitDeny => "denied (explicit deny)",
        Decision::ImplicitDeny => "denied (implicit deny)",
    };
    let _ = writeln!(out, "decision: {outcome}");
    let caller = input
        .principal
        .aws
        .first()
        .or(input.principal.federated.as_ref())
        .or(input.principal.service.as_ref())
        .map_or("(anonymous)", String::as_str);
    let _ = writeln!(out, "caller:   {caller}");
    let _ = writeln!(out, "action:   {}", input.action);
    let _ = writeln!(out, "resource: {}", input.resource);
    let resource_kind = if input.resource_policy_is_trust {
        PolicyKind::Trust
    } else {
        PolicyKind::Resource
    };
    let evaluated: Vec<(&str, PolicyKind)> = input
        .identity_policies
        .iter()
        .map(|p| (p.name.as_str(), PolicyKind::Identity))
        .chain(
            input
                .resource_policy
                .map(|p| (p.name.as_str(), resource_kind)),
        )
        .chain(
            input
                .permissions_boundary
                .map(|p| (p.name.as_str(), PolicyKind::PermissionsBoundary)),
        )
        .chain(
            input
                .session_policies
                .unwrap_or_default()
                .iter()
                .map(|p| (p.name.as_str(), PolicyKind::Session)),
        )
        .collect();
    if input.cross_account {
        // See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html>.
        let _ = writeln!(
            out,
            "cross-account request: the caller's identity policies and the resource's policy must both allow"
        );
    }
    let _ = writeln!(out, "policies evaluated: {}", evaluated.len());
    for (name, kind) in &evaluated {
        let _ = writeln!(out, "  - {name} ({})", kind_label(*kind));
    }
    match evaluation.decision {
        Decision::Allow => {
            let _ = writeln!(out, "allowed by:");
        }
        Decision::ExplicitDeny => {
            let _ = writeln!(out, "denied by:");
        }
        Decision::ImplicitDeny => {}
    }
    for statement in &evaluation.statements {
        let label = match &statement.sid {
            Some(sid) => format!("statement \"{sid}\" (#{})", statement.index),
            None => format!("statement #{}", statement.index),
        };
        let effect = if statement.allow { "Allow" } else { "Deny" };
        let _ = writeln!(
            out,
            "  - {} ({}), {label}: {effect}",
            statement.policy,
            kind_label(statement.kind)
        );
    }
    if let Some(reason) = evaluation.denial_reason(input.action) {
        let _ = writeln!(out, "reason: {reason}");
    }
    out
}

/// AWS's phrase for the kind, with trust policies named as such.
fn kind_label(kind: PolicyKind) -> &'static str {
    match kind {
        PolicyKind::Trust => "role trust policy",
        other => other.phrase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::iam::{NamedPolicy, Policy, PrincipalMatch, RequestContext, evaluate};

    fn render(identity_json: &str, action: &str) -> String {
        let policies = [NamedPolicy::new(
            "role/TenantAcme/inline/s3",
            Policy::parse(identity_json).expect("valid test policy"),
        )];
        let principal = PrincipalMatch::default();
        let context = RequestContext::new();
        let input = EvaluationInput {
            action,
            resource: "arn:aws:s3:::data/acme/x",
            principal: &principal,
            context: &context,
            identity_policies: &policies,
            resource_policy: None,
            resource_policy_is_trust: false,
            session_policies: None,
            permissions_boundary: None,
            cross_account: false,
        };
        explain(&input, &evaluate(&input))
    }

    const POLICY: &str = r#"{"Version":"2012-10-17","Statement":[
        {"Sid":"Read","Effect":"Allow","Action":"s3:GetObject","Resource":"*"},
        {"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}]}"#;

    #[test]
    fn explains_an_allow_with_its_statement() {
        let text = render(POLICY, "s3:GetObject");
        assert_eq!(
            text,
            "decision: allowed\n\
             caller:   (anonymous)\n\
             action:   s3:GetObject\n\
             resource: arn:aws:s3:::data/acme/x\n\
             policies evaluated: 1\n  \
             - role/TenantAcme/inline/s3 (identity-based policy)\n\
             allowed by:\n  \
             - role/TenantAcme/inline/s3 (identity-based policy), statement \"Read\" (#0): Allow\n"
        );
    }

    #[test]
    fn explains_an_explicit_deny_by_index() {
        let text = render(POLICY, "s3:DeleteObject");
        assert!(
            text.starts_with("decision: denied (explicit deny)\n"),
            "{text}"
        );
        assert!(
            text.contains("role/TenantAcme/inline/s3 (identity-based policy), statement #1: Deny"),
            "{text}"
        );
        assert!(
            text.contains("reason: with an explicit deny in an identity-based policy"),
            "{text}"
        );
    }

    #[test]
    fn explains_which_kind_lacked_an_allow() {
        let text = render(POLICY, "s3:PutObject");
        assert!(
            text.starts_with("decision: denied (implicit deny)\n"),
            "{text}"
        );
        assert!(
            text.contains(
                "reason: because no identity-based policy allows the s3:PutObject action"
            ),
            "{text}"
        );
    }
}
