//! XA005: a role mapping resolving an ambiguous (or unmatched) user to the default
//! authenticated role.

use crate::audit::code::FindingCode;
use crate::audit::finding::Finding;
use crate::audit::identity_layer::IdentityLayer;

// AmbiguousRoleResolution AuthenticatedRole gives a user no rule or token role decides the
// pool's authenticated role (https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_RoleMapping.html).
pub(super) fn check(layer: &IdentityLayer, findings: &mut Vec<Finding>) {
    let Some(roles) = &layer.pool_roles else {
        return;
    };
    for (provider, mapping) in &roles.mappings {
        if mapping.ambiguous_role_resolution.as_deref() == Some("AuthenticatedRole") {
            let default = roles
                .authenticated
                .as_deref()
                .unwrap_or("(no authenticated role)");
            findings.push(Finding::new(
                FindingCode::AmbiguousToAuthenticatedRole,
                provider,
                format!(
                    "{} mapping of {provider} has AmbiguousRoleResolution AuthenticatedRole: a user no rule matches gets {default}",
                    mapping.mapping_type
                ),
            ));
        }
    }
}
