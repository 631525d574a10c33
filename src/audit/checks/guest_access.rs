//! XA001: guest access on, with what the unauthenticated role may do.

use crate::audit::checks::DATA_SERVICES;
use crate::audit::code::FindingCode;
use crate::audit::finding::Finding;
use crate::audit::identity_layer::IdentityLayer;
use crate::audit::policy_document::Effect;

// With AllowUnauthenticatedIdentities, GetId without Logins yields an identity and the
// unauthenticated role's credentials
// (https://docs.aws.amazon.com/cognito/latest/developerguide/identity-pools.html).
pub(super) fn check(layer: &IdentityLayer, findings: &mut Vec<Finding>) {
    let Some(pool) = &layer.identity_pool else {
        return;
    };
    if !pool.allow_unauthenticated {
        return;
    }
    let role_arn = layer
        .pool_roles
        .as_ref()
        .and_then(|roles| roles.unauthenticated.clone());
    let reach = match role_arn.as_deref().and_then(|arn| layer.role(arn)) {
        Some(role) => {
            let actions: Vec<String> = role
                .permission_policies
                .iter()
                .filter_map(|policy| policy.document.as_ref().ok())
                .flat_map(|document| &document.statements)
                .filter(|statement| statement.effect == Effect::Allow)
                .filter(|statement| DATA_SERVICES.iter().any(|s| statement.names_service(s)))
                .flat_map(|statement| {
                    let actions = statement.actions.join(", ");
                    let resources = statement.resources.join(", ");
                    [format!("{actions} on {resources}")]
                })
                .collect();
            if actions.is_empty() {
                format!(
                    "the unauthenticated role {} allows no data action",
                    role.name
                )
            } else {
                format!(
                    "the unauthenticated role {} allows {}",
                    role.name,
                    actions.join("; ")
                )
            }
        }
        None => match role_arn {
            Some(arn) => format!("the unauthenticated role {arn} could not be read"),
            None => "the pool has no unauthenticated role".to_owned(),
        },
    };
    findings.push(Finding::new(
        FindingCode::GuestAccess,
        &layer.identity_pool_id,
        format!("AllowUnauthenticatedIdentities is true; {reach}"),
    ));
}
