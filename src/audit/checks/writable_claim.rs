//! XA006: a Rules mapping or a principal tag fed by a claim the app client may write.

use crate::audit::code::FindingCode;
use crate::audit::finding::Finding;
use crate::audit::identity_layer::IdentityLayer;

// A client created without WriteAttributes may write every writable attribute
// (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UserPoolClientType.html#CognitoUserPools-Type-UserPoolClientType-WriteAttributes).
pub(super) fn check(layer: &IdentityLayer, findings: &mut Vec<Finding>) {
    let Some(client) = &layer.app_client else {
        return;
    };
    let writable = |claim: &str| {
        is_user_attribute(claim)
            && match &client.write_attributes {
                None => true,
                Some(attributes) => attributes.iter().any(|a| a == claim),
            }
    };
    let how = match client.write_attributes {
        None => "the client has no WriteAttributes, so it writes every attribute",
        Some(_) => "the client's WriteAttributes list it",
    };
    if let Some(roles) = &layer.pool_roles {
        for (provider, mapping) in &roles.mappings {
            for rule in mapping.rules.iter().filter(|rule| writable(&rule.claim)) {
                findings.push(Finding::new(
                    FindingCode::WritableClaim,
                    &client.client_id,
                    format!(
                        "rule of {provider} on claim `{}` picks {}, and {how}",
                        rule.claim, rule.role_arn
                    ),
                ));
            }
        }
    }
    for map in &layer.principal_tags {
        for (tag, claim) in map.tags.iter().filter(|(_, claim)| writable(claim)) {
            findings.push(Finding::new(
                FindingCode::WritableClaim,
                &client.client_id,
                format!(
                    "principal tag `{tag}` of {} comes from claim `{claim}`, and {how}",
                    map.provider_name
                ),
            ));
        }
    }
}

/// Claims that are user attributes; `cognito:groups`, `aud` or `sub` are not writable.
pub(super) fn is_user_attribute(claim: &str) -> bool {
    !claim.starts_with("cognito:")
        && !matches!(
            claim,
            "sub" | "aud" | "iss" | "exp" | "iat" | "auth_time" | "token_use" | "email_verified"
        )
}
