//! A human-readable account of one decision, for `xtenant sim explain`.

use super::decision::{Decision, Evaluation};
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
    let _ = writeln!(out, "action:   {}", input.action);
    let _ = writeln!(out, "resource: {}", input.resource);
    let mut policies = input.identity_policies.len();
    policies += usize::from(input.resource_policy.is_some());
    policies += input.session_policies.map_or(0, <[_]>::len);
    policies += usize::from(input.permissions_boundary.is_some());
    let _ = writeln!(out, "policies evaluated: {policies}");
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
            statement.kind.phrase()
        );
    }
    if let Some(reason) = evaluation.denial_reason(input.action) {
        let _ = writeln!(out, "reason: {reason}");
    }
    out
}
