//! The world file's `identity_pools` section: identity pools as CreateIdentityPool,
//! SetIdentityPoolRoles and SetPrincipalTagAttributeMap describe them.

use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

use crate::sim::cognito_idp::world::UserPoolSpec;
use crate::sim::world::WorldError;

/// One identity pool.
/// See <https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_CreateIdentityPool.html>.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct IdentityPoolSpec {
    /// `REGION:uuid`.
    pub identity_pool_id: String,
    pub identity_pool_name: String,
    /// Guest access.
    #[serde(default)]
    pub allow_unauthenticated_identities: bool,
    /// The basic (classic) flow. AWS refuses GetOpenIdToken only when this is explicitly
    /// false; a pool created without the setting allows it (aws/aws-cli#7652).
    #[serde(default)]
    pub allow_classic_flow: Option<bool>,
    #[serde(default)]
    pub cognito_identity_providers: Vec<CognitoIdentityProviderSpec>,
    /// As SetIdentityPoolRoles takes them.
    #[serde(default)]
    pub roles: IdentityPoolRoles,
    /// Keyed `provider:clientId`, as SetIdentityPoolRoles takes them.
    #[serde(default)]
    pub role_mappings: BTreeMap<String, RoleMappingSpec>,
    /// Keyed by provider name, as SetPrincipalTagAttributeMap takes them.
    #[serde(default)]
    pub principal_tags: BTreeMap<String, PrincipalTagMapSpec>,
}

/// A user pool app client the identity pool trusts.
/// See <https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_CognitoIdentityProvider.html>.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct CognitoIdentityProviderSpec {
    /// `cognito-idp.REGION.amazonaws.com/POOLID`.
    pub provider_name: String,
    pub client_id: String,
    /// Check with the user pool that the token was not revoked by a global sign-out.
    #[serde(default)]
    pub server_side_token_check: bool,
}

/// The default roles.
/// See <https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_SetIdentityPoolRoles.html>.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentityPoolRoles {
    #[serde(default)]
    pub authenticated: Option<String>,
    #[serde(default)]
    pub unauthenticated: Option<String>,
}

/// See <https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_RoleMapping.html>.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct RoleMappingSpec {
    #[serde(rename = "Type")]
    pub mapping_type: RoleMappingType,
    #[serde(default)]
    pub ambiguous_role_resolution: Option<AmbiguousRoleResolution>,
    #[serde(default)]
    pub rules_configuration: Option<RulesConfiguration>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum RoleMappingType {
    Token,
    Rules,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum AmbiguousRoleResolution {
    AuthenticatedRole,
    Deny,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct RulesConfiguration {
    pub rules: Vec<MappingRule>,
}

/// See <https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_MappingRule.html>.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct MappingRule {
    pub claim: String,
    pub match_type: MatchType,
    pub value: String,
    #[serde(rename = "RoleARN")]
    pub role_arn: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum MatchType {
    Equals,
    Contains,
    StartsWith,
    NotEqual,
}

/// See <https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_SetPrincipalTagAttributeMap.html>.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct PrincipalTagMapSpec {
    #[serde(default)]
    pub use_defaults: bool,
    /// Tag key to the token claim that gives its value.
    #[serde(default)]
    pub principal_tags: BTreeMap<String, String>,
}

/// Checks ids, that providers name existing user pools and clients, that mappings and tag
/// maps name configured providers, and that roles exist (when `role_arns` is known).
pub fn validate_identity_pools(
    pools: &[IdentityPoolSpec],
    user_pools: &[UserPoolSpec],
    region: &str,
    role_arns: Option<&BTreeSet<String>>,
) -> Result<(), WorldError> {
    let mut ids = BTreeSet::new();
    for (p, pool) in pools.iter().enumerate() {
        let at = |field: &str| format!("identity_pools[{p}].{field}");
        // Identity pool ids are `REGION:GUID`.
        // See <https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_IdentityPool.html>.
        let well_formed = pool
            .identity_pool_id
            .strip_prefix(region)
            .and_then(|rest| rest.strip_prefix(':'))
            .is_some_and(|guid| uuid::Uuid::parse_str(guid).is_ok());
        if !well_formed {
            return Err(error(
                at("IdentityPoolId"),
                format!(
                    "identity pool id `{}` is not `{region}:` followed by a GUID",
                    pool.identity_pool_id
                ),
            ));
        }
        if !ids.insert(pool.identity_pool_id.as_str()) {
            return Err(error(
                at("IdentityPoolId"),
                "duplicate identity pool id".into(),
            ));
        }
        let mut providers = BTreeSet::new();
        for (i, provider) in pool.cognito_identity_providers.iter().enumerate() {
            let path = at(&format!("CognitoIdentityProviders[{i}]"));
            let prefix = format!("cognito-idp.{region}.amazonaws.com/");
            let Some(user_pool) = provider
                .provider_name
                .strip_prefix(&prefix)
                .and_then(|id| user_pools.iter().find(|u| u.id == id))
            else {
                return Err(error(
                    format!("{path}.ProviderName"),
                    format!(
                        "`{}` does not name a user pool of this world as `{prefix}POOLID`",
                        provider.provider_name
                    ),
                ));
            };
            if !user_pool
                .clients
                .iter()
                .any(|c| c.client_id == provider.client_id)
            {
                return Err(error(
                    format!("{path}.ClientId"),
                    format!(
                        "client `{}` is not a client of user pool `{}`",
                        provider.client_id, user_pool.id
                    ),
                ));
            }
            providers.insert(format!("{}:{}", provider.provider_name, provider.client_id));
        }
        let check_role = |path: String, role: &str| match role_arns {
            Some(known) if !known.contains(role) => Err(error(
                path,
                format!("role `{role}` is not defined in `iam.roles`"),
            )),
            _ => Ok(()),
        };
        if let Some(role) = &pool.roles.authenticated {
            check_role(at("Roles.authenticated"), role)?;
        }
        if let Some(role) = &pool.roles.unauthenticated {
            check_role(at("Roles.unauthenticated"), role)?;
        }
        for (key, mapping) in &pool.role_mappings {
            let path = at(&format!("RoleMappings.\"{key}\""));
            if !providers.contains(key) {
                return Err(error(
                    path,
                    "a role mapping key must be `ProviderName:ClientId` of a configured provider"
                        .into(),
                ));
            }
            // AmbiguousRoleResolution is required for Token and Rules mappings.
            // See <https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_RoleMapping.html>.
            if mapping.ambiguous_role_resolution.is_none() {
                return Err(error(
                    format!("{path}.AmbiguousRoleResolution"),
                    "required for Token and Rules mappings".into(),
                ));
            }
            if mapping.mapping_type == RoleMappingType::Rules {
                let rules = mapping
                    .rules_configuration
                    .as_ref()
                    .map(|c| c.rules.as_slice());
                // A rules configuration holds 1 to 25 rules.
                // See <https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_RulesConfigurationType.html>.
                match rules {
                    Some(rules) if (1..=25).contains(&rules.len()) => {
                        for (r, rule) in rules.iter().enumerate() {
                            check_role(
                                format!("{path}.RulesConfiguration.Rules[{r}].RoleARN"),
                                &rule.role_arn,
                            )?;
                        }
                    }
                    _ => {
                        return Err(error(
                            format!("{path}.RulesConfiguration"),
                            "a Rules mapping needs between 1 and 25 rules".into(),
                        ));
                    }
                }
            }
        }
        for provider in pool.principal_tags.keys() {
            if !pool
                .cognito_identity_providers
                .iter()
                .any(|p| &p.provider_name == provider)
            {
                return Err(error(
                    at(&format!("PrincipalTags.\"{provider}\"")),
                    "principal tags must name a configured provider".into(),
                ));
            }
        }
    }
    Ok(())
}

fn error(path: String, message: String) -> WorldError {
    WorldError { path, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user_pools() -> Vec<UserPoolSpec> {
        serde_yaml::from_str("- { Id: us-east-1_Pool1, PoolName: p, Clients: [{ ClientId: web }] }")
            .unwrap()
    }

    fn parse(yaml: &str) -> Vec<IdentityPoolSpec> {
        serde_yaml::from_str(yaml).unwrap()
    }

    const GOOD: &str = r#"
- IdentityPoolId: "us-east-1:11111111-2222-3333-4444-555555555555"
  IdentityPoolName: tenants
  AllowUnauthenticatedIdentities: true
  AllowClassicFlow: false
  CognitoIdentityProviders:
    - { ProviderName: cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool1, ClientId: web, ServerSideTokenCheck: true }
  Roles: { authenticated: "arn:aws:iam::111122223333:role/Auth", unauthenticated: "arn:aws:iam::111122223333:role/Guest" }
  RoleMappings:
    "cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool1:web":
      Type: Rules
      AmbiguousRoleResolution: Deny
      RulesConfiguration:
        Rules:
          - { Claim: "custom:tenant_id", MatchType: Equals, Value: acme, RoleARN: "arn:aws:iam::111122223333:role/Acme" }
  PrincipalTags:
    cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool1: { UseDefaults: false, PrincipalTags: { tenant: "custom:tenant_id" } }
"#;

    #[test]
    fn a_transcribed_identity_pool_validates() {
        let pools = parse(GOOD);
        assert!(validate_identity_pools(&pools, &user_pools(), "us-east-1", None).is_ok());
        assert_eq!(pools[0].allow_classic_flow, Some(false));
    }

    #[test]
    fn a_rule_role_missing_from_iam_is_reported_with_its_path() {
        let pools = parse(GOOD);
        let known = BTreeSet::from([
            "arn:aws:iam::111122223333:role/Auth".to_string(),
            "arn:aws:iam::111122223333:role/Guest".to_string(),
        ]);
        let e =
            validate_identity_pools(&pools, &user_pools(), "us-east-1", Some(&known)).unwrap_err();
        assert!(
            e.path.ends_with("RulesConfiguration.Rules[0].RoleARN"),
            "{}",
            e.path
        );
    }

    #[test]
    fn a_provider_with_an_unknown_client_is_refused() {
        let pools = parse(&GOOD.replace("ClientId: web", "ClientId: ghost"));
        let e = validate_identity_pools(&pools, &user_pools(), "us-east-1", None).unwrap_err();
        assert_eq!(
            e.path,
            "identity_pools[0].CognitoIdentityProviders[0].ClientId"
        );
    }

    #[test]
    fn a_mapping_without_ambiguous_role_resolution_is_refused() {
        let pools = parse(&GOOD.replace("AmbiguousRoleResolution: Deny", ""));
        let e = validate_identity_pools(&pools, &user_pools(), "us-east-1", None).unwrap_err();
        assert!(e.path.ends_with("AmbiguousRoleResolution"));
    }
}
