//! The identity pool reads an audit makes: DescribeIdentityPool, GetIdentityPoolRoles and
//! GetPrincipalTagAttributeMap, answered from the world's pool as the API reference
//! shapes them, each authorized by IAM on the pool's ARN.

use super::error::IdentityError;
use super::world::{
    AmbiguousRoleResolution, IdentityPoolSpec, MatchType, RoleMappingSpec, RoleMappingType,
};
use crate::sim::core::{AccessRequest, SimCore};
use crate::sim::iam::RequestContext;
use crate::sim::principal::Principal;
use serde_json::{Map, Value, json};

/// `arn:aws:cognito-identity:REGION:ACCOUNT:identitypool/ID`, the resource of every read.
/// See <https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncognitoidentity.html>.
pub fn identity_pool_arn(region: &str, account_id: &str, identity_pool_id: &str) -> String {
    format!("arn:aws:cognito-identity:{region}:{account_id}:identitypool/{identity_pool_id}")
}

/// Authorizes a signed read with IAM; an unsigned one is refused before IAM is asked.
pub fn authorize_read(
    core: &dyn SimCore,
    caller: Option<&Principal>,
    action: &str,
    resource: &str,
) -> Result<(), IdentityError> {
    let Some(principal) = caller else {
        // The configuration reads are signed APIs, unlike GetId and GetCredentialsForIdentity
        // (https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/CommonErrors.html).
        return Err(IdentityError::MissingAuthenticationToken(
            "Request is missing Authentication Token".to_owned(),
        ));
    };
    let evaluation = core.authorize(&AccessRequest {
        principal,
        action,
        resource,
        context: RequestContext::new(),
        resource_policy: None,
    });
    if evaluation.is_allowed() {
        return Ok(());
    }
    // See <https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html>.
    let reason = evaluation.denial_reason(action).unwrap_or_default();
    Err(IdentityError::AccessDenied(format!(
        "User: {} is not authorized to perform: {action} on resource: {resource} {reason}",
        principal.arn
    )))
}

/// See <https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_DescribeIdentityPool.html>.
pub fn describe_identity_pool(pool: &IdentityPoolSpec) -> Value {
    let providers: Vec<Value> = pool
        .cognito_identity_providers
        .iter()
        .map(|provider| {
            json!({
                "ProviderName": provider.provider_name,
                "ClientId": provider.client_id,
                "ServerSideTokenCheck": provider.server_side_token_check,
            })
        })
        .collect();
    let mut described = json!({
        "IdentityPoolId": pool.identity_pool_id,
        "IdentityPoolName": pool.identity_pool_name,
        "AllowUnauthenticatedIdentities": pool.allow_unauthenticated_identities,
        "CognitoIdentityProviders": providers,
    });
    // A pool created without the setting carries none, and allows the classic flow.
    if let Some(allow) = pool.allow_classic_flow {
        described["AllowClassicFlow"] = Value::Bool(allow);
    }
    described
}

/// See <https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetIdentityPoolRoles.html>.
pub fn identity_pool_roles(pool: &IdentityPoolSpec) -> Value {
    let mut roles = Map::new();
    if let Some(arn) = &pool.roles.authenticated {
        roles.insert("authenticated".to_owned(), json!(arn));
    }
    if let Some(arn) = &pool.roles.unauthenticated {
        roles.insert("unauthenticated".to_owned(), json!(arn));
    }
    let mappings: Map<String, Value> = pool
        .role_mappings
        .iter()
        .map(|(key, mapping)| (key.clone(), role_mapping(mapping)))
        .collect();
    let mut answer = json!({ "IdentityPoolId": pool.identity_pool_id, "Roles": roles });
    if !mappings.is_empty() {
        answer["RoleMappings"] = Value::Object(mappings);
    }
    answer
}

/// See <https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_RoleMapping.html>.
fn role_mapping(mapping: &RoleMappingSpec) -> Value {
    let mut value = json!({
        "Type": match mapping.mapping_type {
            RoleMappingType::Token => "Token",
            RoleMappingType::Rules => "Rules",
        },
    });
    if let Some(resolution) = mapping.ambiguous_role_resolution {
        value["AmbiguousRoleResolution"] = json!(match resolution {
            AmbiguousRoleResolution::AuthenticatedRole => "AuthenticatedRole",
            AmbiguousRoleResolution::Deny => "Deny",
        });
    }
    if let Some(rules) = &mapping.rules_configuration {
        let rules: Vec<Value> = rules
            .rules
            .iter()
            .map(|rule| {
                json!({
                    "Claim": rule.claim,
                    "MatchType": match rule.match_type {
                        MatchType::Equals => "Equals",
                        MatchType::Contains => "Contains",
                        MatchType::StartsWith => "StartsWith",
                        MatchType::NotEqual => "NotEqual",
                    },
                    "Value": rule.value,
                    "RoleARN": rule.role_arn,
                })
            })
            .collect();
        value["RulesConfiguration"] = json!({ "Rules": rules });
    }
    value
}

/// The pool's tag map for one provider; a provider without one answers `UseDefaults: false`
/// and no tags, as a pool where SetPrincipalTagAttributeMap was never called.
/// See <https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetPrincipalTagAttributeMap.html>.
pub fn principal_tag_attribute_map(
    pool: &IdentityPoolSpec,
    provider_name: &str,
) -> Result<Value, IdentityError> {
    if !pool
        .cognito_identity_providers
        .iter()
        .any(|provider| provider.provider_name == provider_name)
    {
        return Err(IdentityError::ResourceNotFound(format!(
            "Identity provider {provider_name} is not configured for identity pool {}.",
            pool.identity_pool_id
        )));
    }
    let map = pool.principal_tags.get(provider_name);
    Ok(json!({
        "IdentityPoolId": pool.identity_pool_id,
        "IdentityProviderName": provider_name,
        "UseDefaults": map.is_some_and(|map| map.use_defaults),
        "PrincipalTags": map.map(|map| map.principal_tags.clone()).unwrap_or_default(),
    }))
}
