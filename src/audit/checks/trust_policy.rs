//! XA003 and XA004: a role trusting `cognito-identity.amazonaws.com` without the `aud`
//! condition equal to this pool, or without an `amr` condition.

use crate::audit::code::FindingCode;
use crate::audit::finding::Finding;
use crate::audit::identity_layer::IdentityLayer;
use crate::audit::policy_document::{Effect, PolicyStatement};

const COGNITO_IDENTITY: &str = "cognito-identity.amazonaws.com";
const AUD: &str = "cognito-identity.amazonaws.com:aud";
const AMR: &str = "cognito-identity.amazonaws.com:amr";

// A role for identity pools should require `aud` (the pool id) and `amr`
// (https://docs.aws.amazon.com/cognito/latest/developerguide/role-trust-and-permissions.html).
pub(super) fn check(layer: &IdentityLayer, findings: &mut Vec<Finding>) {
    for role in &layer.roles {
        let Ok(trust) = &role.trust_policy.document else {
            continue;
        };
        for statement in trust.statements.iter().filter(|s| trusts_cognito(s)) {
            if !requires_aud(statement, &layer.identity_pool_id) {
                let found: Vec<String> = statement
                    .conditions_on(AUD)
                    .map(|c| format!("{} {}", c.operator, c.values.join(",")))
                    .collect();
                let detail = if found.is_empty() {
                    format!(
                        "trust policy of role {} has no {AUD} condition: a token of any identity pool is accepted",
                        role.name
                    )
                } else {
                    format!(
                        "trust policy of role {} requires {AUD} as `{}`, not StringEquals {}",
                        role.name,
                        found.join("; "),
                        layer.identity_pool_id
                    )
                };
                findings.push(Finding::new(
                    FindingCode::TrustWithoutAud,
                    &role.arn,
                    detail,
                ));
            }
            if statement.conditions_on(AMR).next().is_none() {
                findings.push(Finding::new(
                    FindingCode::TrustWithoutAmr,
                    &role.arn,
                    format!(
                        "trust policy of role {} has no {AMR} condition: guest identities of the pool are accepted too",
                        role.name
                    ),
                ));
            }
        }
    }
}

fn trusts_cognito(statement: &PolicyStatement) -> bool {
    statement.effect == Effect::Allow
        && statement
            .federated
            .iter()
            .any(|principal| principal == COGNITO_IDENTITY)
}

/// `StringEquals` (not `...IfExists`, not a wildcard) with this pool's id as its only value.
fn requires_aud(statement: &PolicyStatement, pool_id: &str) -> bool {
    statement.conditions_on(AUD).any(|condition| {
        condition.operator == "StringEquals"
            && !condition.values.is_empty()
            && condition.values.iter().all(|value| value == pool_id)
    })
}
