//! What the audit read of the target's identity layer, in the services' own terms: the
//! identity pool, its roles and mappings, principal-tag maps, the user pool and app
//! client, and every role's trust and permission policies. Parts it could not read are
//! `None` (with a warning in the report), never a default that would pass a check.

use super::policy_document::PolicyDocument;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default)]
pub struct IdentityLayer {
    /// The scenario's identity pool id.
    pub identity_pool_id: String,
    pub identity_pool: Option<IdentityPoolConfig>,
    pub pool_roles: Option<PoolRoles>,
    /// One per Cognito provider of the pool whose map could be read.
    pub principal_tags: Vec<PrincipalTagMap>,
    pub user_pool: Option<UserPoolConfig>,
    pub app_client: Option<AppClientConfig>,
    /// Every role read, in the order they were found.
    pub roles: Vec<RoleRead>,
}

/// DescribeIdentityPool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityPoolConfig {
    pub allow_unauthenticated: bool,
    /// `None` when the pool carries no setting, which AWS treats as allowed.
    pub allow_classic_flow: Option<bool>,
    pub providers: Vec<CognitoProvider>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CognitoProvider {
    pub provider_name: String,
    pub client_id: String,
    pub server_side_token_check: bool,
}

/// GetIdentityPoolRoles.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PoolRoles {
    pub authenticated: Option<String>,
    pub unauthenticated: Option<String>,
    /// Keyed `provider:client`.
    pub mappings: BTreeMap<String, RoleMappingConfig>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleMappingConfig {
    /// `Token` or `Rules`.
    pub mapping_type: String,
    pub ambiguous_role_resolution: Option<String>,
    pub rules: Vec<MappingRuleConfig>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingRuleConfig {
    pub claim: String,
    pub role_arn: String,
}

/// GetPrincipalTagAttributeMap for one provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrincipalTagMap {
    pub provider_name: String,
    pub use_defaults: bool,
    /// Tag key to claim.
    pub tags: BTreeMap<String, String>,
}

/// DescribeUserPool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserPoolConfig {
    pub user_pool_id: String,
    pub allow_admin_create_user_only: bool,
}

/// DescribeUserPoolClient (the client secret is never kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppClientConfig {
    pub client_id: String,
    /// `None`: the client may write every attribute.
    pub write_attributes: Option<Vec<String>>,
    /// `None`: the client reads the standard attributes and the verification flags only.
    pub read_attributes: Option<Vec<String>>,
    pub id_token_seconds: u64,
    pub access_token_seconds: u64,
}

/// One role: GetRole and its policies.
#[derive(Debug, Clone)]
pub struct RoleRead {
    pub arn: String,
    pub name: String,
    pub trust_policy: PolicyRead,
    /// Inline then attached managed policies; empty when they could not be listed.
    pub permission_policies: Vec<PolicyRead>,
}

/// One policy document, or why it could not be read.
#[derive(Debug, Clone)]
pub struct PolicyRead {
    /// `inline PolicyName` or the managed policy's ARN; `trust policy` for the trust policy.
    pub label: String,
    pub document: Result<PolicyDocument, String>,
}

impl IdentityLayer {
    pub fn role(&self, arn: &str) -> Option<&RoleRead> {
        self.roles.iter().find(|role| role.arn == arn)
    }

    /// The roles the identity pool itself can hand out to authenticated users: the
    /// default authenticated role and every rule's role.
    pub fn authenticated_role_arns(&self) -> Vec<String> {
        let mut arns = Vec::new();
        if let Some(roles) = &self.pool_roles {
            arns.extend(roles.authenticated.clone());
            for mapping in roles.mappings.values() {
                arns.extend(mapping.rules.iter().map(|rule| rule.role_arn.clone()));
            }
        }
        arns.sort();
        arns.dedup();
        arns
    }
}
