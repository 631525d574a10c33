//! Reads the identity layer through the real SDK clients with the ambient credentials.
//! A read that fails is a warning naming the API and the permission to grant, and the part
//! it would have read stays unknown; nothing here fails the run.

use super::finding::AuditWarning;
use super::identity_layer::{
    AppClientConfig, CognitoProvider, IdentityLayer, IdentityPoolConfig, MappingRuleConfig,
    PolicyRead, PoolRoles, PrincipalTagMap, RoleMappingConfig, RoleRead, UserPoolConfig,
};
use super::policy_document::PolicyDocument;
use crate::attack::role_name;
use crate::error_chain::error_chain;
use crate::redaction::Redactor;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use std::collections::BTreeMap;

/// The clients of one audit, all signing with the ambient credentials.
pub struct AuditClients {
    pub identity: aws_sdk_cognitoidentity::Client,
    pub user_pools: aws_sdk_cognitoidentityprovider::Client,
    pub iam: aws_sdk_iam::Client,
}

/// The failed reads, one warning per API.
#[derive(Debug, Default)]
pub struct Warnings {
    by_action: BTreeMap<String, AuditWarning>,
    redactor: Redactor,
}

impl Warnings {
    pub fn new(redactor: Redactor) -> Self {
        Warnings {
            by_action: BTreeMap::new(),
            redactor,
        }
    }

    fn add<E>(&mut self, action: &str, resource: &str, error: &E)
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        let answer = match error.code() {
            Some(code) => format!("{code}: {}", error.message().unwrap_or_default()),
            None => error_chain(error),
        };
        let entry = self
            .by_action
            .entry(action.to_owned())
            .or_insert_with(|| AuditWarning {
                action: action.to_owned(),
                resources: Vec::new(),
                error: self.redactor.scrub(&answer),
            });
        if !entry.resources.iter().any(|known| known == resource) {
            entry.resources.push(resource.to_owned());
        }
    }

    pub fn into_vec(self) -> Vec<AuditWarning> {
        self.by_action.into_values().collect()
    }
}

/// What the scenario points the audit at.
pub struct AuditSubject<'a> {
    pub identity_pool_id: &'a str,
    pub user_pool_id: &'a str,
    pub client_id: &'a str,
    /// Roles the scenario names, beyond those the pool hands out.
    pub scenario_roles: &'a [String],
}

/// Reads everything the checks need. Secrets in the answers (the app client's secret) are
/// registered with `redactor` the moment they arrive and never kept.
pub async fn read_identity_layer(
    clients: &AuditClients,
    subject: &AuditSubject<'_>,
    redactor: &Redactor,
    warnings: &mut Warnings,
) -> IdentityLayer {
    let pool_id = subject.identity_pool_id;
    let mut layer = IdentityLayer {
        identity_pool_id: pool_id.to_owned(),
        ..IdentityLayer::default()
    };
    let pool_arn = format!("identitypool/{pool_id}");
    // See <https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_DescribeIdentityPool.html>.
    match clients
        .identity
        .describe_identity_pool()
        .identity_pool_id(pool_id)
        .send()
        .await
    {
        Ok(pool) => {
            layer.identity_pool = Some(IdentityPoolConfig {
                allow_unauthenticated: pool.allow_unauthenticated_identities(),
                allow_classic_flow: pool.allow_classic_flow(),
                providers: pool
                    .cognito_identity_providers()
                    .iter()
                    .map(|provider| CognitoProvider {
                        provider_name: provider.provider_name().unwrap_or_default().to_owned(),
                        client_id: provider.client_id().unwrap_or_default().to_owned(),
                        server_side_token_check: provider
                            .server_side_token_check()
                            .unwrap_or(false),
                    })
                    .collect(),
            });
        }
        Err(error) => warnings.add("cognito-identity:DescribeIdentityPool", &pool_arn, &error),
    }
    // See <https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetIdentityPoolRoles.html>.
    match clients
        .identity
        .get_identity_pool_roles()
        .identity_pool_id(pool_id)
        .send()
        .await
    {
        Ok(answer) => {
            let roles = answer.roles();
            layer.pool_roles = Some(PoolRoles {
                authenticated: roles.and_then(|r| r.get("authenticated")).cloned(),
                unauthenticated: roles.and_then(|r| r.get("unauthenticated")).cloned(),
                mappings: answer
                    .role_mappings()
                    .into_iter()
                    .flatten()
                    .map(|(key, mapping)| {
                        (
                            key.clone(),
                            RoleMappingConfig {
                                mapping_type: mapping.r#type().as_str().to_owned(),
                                ambiguous_role_resolution: mapping
                                    .ambiguous_role_resolution()
                                    .map(|r| r.as_str().to_owned()),
                                rules: mapping
                                    .rules_configuration()
                                    .map(|rules| rules.rules())
                                    .unwrap_or_default()
                                    .iter()
                                    .map(|rule| MappingRuleConfig {
                                        claim: rule.claim().to_owned(),
                                        role_arn: rule.role_arn().to_owned(),
                                    })
                                    .collect(),
                            },
                        )
                    })
                    .collect(),
            });
        }
        Err(error) => warnings.add("cognito-identity:GetIdentityPoolRoles", &pool_arn, &error),
    }
    let providers: Vec<String> = layer
        .identity_pool
        .iter()
        .flat_map(|pool| &pool.providers)
        .map(|provider| provider.provider_name.clone())
        .collect();
    for provider in providers {
        // See <https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetPrincipalTagAttributeMap.html>.
        match clients
            .identity
            .get_principal_tag_attribute_map()
            .identity_pool_id(pool_id)
            .identity_provider_name(&provider)
            .send()
            .await
        {
            Ok(map) => layer.principal_tags.push(PrincipalTagMap {
                provider_name: provider,
                use_defaults: map.use_defaults().unwrap_or(false),
                tags: map
                    .principal_tags()
                    .into_iter()
                    .flatten()
                    .map(|(tag, claim)| (tag.clone(), claim.clone()))
                    .collect(),
            }),
            Err(error) => warnings.add(
                "cognito-identity:GetPrincipalTagAttributeMap",
                &pool_arn,
                &error,
            ),
        }
    }
    read_user_pool(clients, subject, redactor, warnings, &mut layer).await;

    let mut role_arns = layer.authenticated_role_arns();
    role_arns.extend(read_group_roles(clients, subject, warnings, &layer).await);
    if let Some(roles) = &layer.pool_roles {
        role_arns.extend(roles.unauthenticated.clone());
    }
    role_arns.extend(subject.scenario_roles.iter().cloned());
    let mut seen = std::collections::BTreeSet::new();
    for arn in role_arns {
        if seen.insert(arn.clone())
            && let Some(role) = read_role(&clients.iam, &arn, warnings).await
        {
            layer.roles.push(role);
        }
    }
    layer
}

/// The roles of the user pool's groups, when a Token role mapping can hand them out (the
/// `cognito:preferred_role` or `cognito:roles` of the ID token come from the groups).
/// See <https://docs.aws.amazon.com/cognito/latest/developerguide/role-based-access-control.html>
/// and <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListGroups.html>.
async fn read_group_roles(
    clients: &AuditClients,
    subject: &AuditSubject<'_>,
    warnings: &mut Warnings,
    layer: &IdentityLayer,
) -> Vec<String> {
    let token_mapped = layer
        .pool_roles
        .iter()
        .flat_map(|roles| roles.mappings.values())
        .any(|mapping| mapping.mapping_type == "Token");
    if !token_mapped {
        return Vec::new();
    }
    let pool_arn = format!("userpool/{}", subject.user_pool_id);
    let mut roles = Vec::new();
    let mut next_token: Option<String> = None;
    loop {
        let page = clients
            .user_pools
            .list_groups()
            .user_pool_id(subject.user_pool_id)
            .set_next_token(next_token.take())
            .send()
            .await;
        match page {
            Ok(page) => {
                roles.extend(
                    page.groups()
                        .iter()
                        .filter_map(|group| group.role_arn().map(str::to_owned)),
                );
                match page.next_token() {
                    Some(token) if !token.is_empty() => next_token = Some(token.to_owned()),
                    _ => break,
                }
            }
            Err(error) => {
                warnings.add("cognito-idp:ListGroups", &pool_arn, &error);
                break;
            }
        }
    }
    roles
}

async fn read_user_pool(
    clients: &AuditClients,
    subject: &AuditSubject<'_>,
    redactor: &Redactor,
    warnings: &mut Warnings,
    layer: &mut IdentityLayer,
) {
    let pool_arn = format!("userpool/{}", subject.user_pool_id);
    // See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DescribeUserPool.html>.
    match clients
        .user_pools
        .describe_user_pool()
        .user_pool_id(subject.user_pool_id)
        .send()
        .await
    {
        Ok(answer) => {
            layer.user_pool = answer.user_pool().map(|pool| UserPoolConfig {
                user_pool_id: subject.user_pool_id.to_owned(),
                allow_admin_create_user_only: pool
                    .admin_create_user_config()
                    .is_some_and(|config| config.allow_admin_create_user_only()),
            });
        }
        Err(error) => warnings.add("cognito-idp:DescribeUserPool", &pool_arn, &error),
    }
    // See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DescribeUserPoolClient.html>.
    match clients
        .user_pools
        .describe_user_pool_client()
        .user_pool_id(subject.user_pool_id)
        .client_id(subject.client_id)
        .send()
        .await
    {
        Ok(answer) => {
            layer.app_client = answer.user_pool_client().map(|client| {
                // DescribeUserPoolClient returns the client secret: masked from here on.
                if let Some(secret) = client.client_secret() {
                    redactor.register_str(secret);
                }
                AppClientConfig {
                    client_id: subject.client_id.to_owned(),
                    write_attributes: client.write_attributes.clone(),
                    read_attributes: client.read_attributes.clone(),
                    id_token_seconds: token_seconds(
                        client.id_token_validity(),
                        client
                            .token_validity_units()
                            .and_then(|units| units.id_token()),
                        3600,
                    ),
                    access_token_seconds: token_seconds(
                        client.access_token_validity(),
                        client
                            .token_validity_units()
                            .and_then(|units| units.access_token()),
                        3600,
                    ),
                }
            });
        }
        Err(error) => warnings.add("cognito-idp:DescribeUserPoolClient", &pool_arn, &error),
    }
}

/// A token's lifetime in seconds: hours unless `TokenValidityUnits` says otherwise, one
/// hour when not set.
// See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_TokenValidityUnitsType.html>.
fn token_seconds(
    validity: Option<i32>,
    unit: Option<&aws_sdk_cognitoidentityprovider::types::TimeUnitsType>,
    default_seconds: u64,
) -> u64 {
    let Some(validity) = validity else {
        return default_seconds;
    };
    let unit_seconds = match unit.map(|unit| unit.as_str()) {
        Some("seconds") => 1,
        Some("minutes") => 60,
        Some("days") => 86_400,
        _ => 3600,
    };
    u64::try_from(validity).unwrap_or(0) * unit_seconds
}

/// GetRole, then its inline and attached policies.
async fn read_role(
    iam: &aws_sdk_iam::Client,
    arn: &str,
    warnings: &mut Warnings,
) -> Option<RoleRead> {
    let name = role_name(arn);
    // See <https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html>.
    let role = match iam.get_role().role_name(name).send().await {
        Ok(answer) => answer.role?.clone(),
        Err(error) => {
            warnings.add("iam:GetRole", arn, &error);
            return None;
        }
    };
    let trust_policy = PolicyRead {
        label: "trust policy".to_owned(),
        document: decoded(role.assume_role_policy_document()),
    };
    let mut permission_policies = Vec::new();
    // See <https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListRolePolicies.html>.
    let mut pages = iam
        .list_role_policies()
        .role_name(name)
        .into_paginator()
        .send();
    let mut inline_names = Vec::new();
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => inline_names.extend(page.policy_names().iter().cloned()),
            Err(error) => {
                warnings.add("iam:ListRolePolicies", arn, &error);
                break;
            }
        }
    }
    for policy_name in inline_names {
        // See <https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html>.
        match iam
            .get_role_policy()
            .role_name(name)
            .policy_name(&policy_name)
            .send()
            .await
        {
            Ok(answer) => permission_policies.push(PolicyRead {
                label: format!("inline policy {policy_name}"),
                document: decoded(Some(answer.policy_document())),
            }),
            Err(error) => warnings.add("iam:GetRolePolicy", arn, &error),
        }
    }
    // See <https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListAttachedRolePolicies.html>.
    let mut pages = iam
        .list_attached_role_policies()
        .role_name(name)
        .into_paginator()
        .send();
    let mut attached = Vec::new();
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => attached.extend(
                page.attached_policies()
                    .iter()
                    .filter_map(|policy| policy.policy_arn().map(str::to_owned)),
            ),
            Err(error) => {
                warnings.add("iam:ListAttachedRolePolicies", arn, &error);
                break;
            }
        }
    }
    for policy_arn in attached {
        if let Some(document) = read_managed_policy(iam, &policy_arn, warnings).await {
            permission_policies.push(PolicyRead {
                label: format!("managed policy {policy_arn}"),
                document,
            });
        }
    }
    Some(RoleRead {
        arn: role.arn().to_owned(),
        name: name.to_owned(),
        trust_policy,
        permission_policies,
    })
}

/// GetPolicy for the default version, then GetPolicyVersion for its document.
async fn read_managed_policy(
    iam: &aws_sdk_iam::Client,
    policy_arn: &str,
    warnings: &mut Warnings,
) -> Option<Result<PolicyDocument, String>> {
    // See <https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetPolicy.html>.
    let version = match iam.get_policy().policy_arn(policy_arn).send().await {
        Ok(answer) => answer.policy()?.default_version_id()?.to_owned(),
        Err(error) => {
            warnings.add("iam:GetPolicy", policy_arn, &error);
            return None;
        }
    };
    // See <https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetPolicyVersion.html>.
    match iam
        .get_policy_version()
        .policy_arn(policy_arn)
        .version_id(version)
        .send()
        .await
    {
        Ok(answer) => Some(decoded(answer.policy_version()?.document())),
        Err(error) => {
            warnings.add("iam:GetPolicyVersion", policy_arn, &error);
            None
        }
    }
}

/// IAM returns policy documents URL-encoded (RFC 3986); decode, then read.
// "Policies returned by this operation are URL-encoded compliant with RFC 3986"
// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html).
fn decoded(document: Option<&str>) -> Result<PolicyDocument, String> {
    let encoded = document.ok_or_else(|| "IAM returned no document".to_owned())?;
    let text = percent_encoding::percent_decode_str(encoded)
        .decode_utf8()
        .map_err(|_| "the URL-decoded document is not UTF-8".to_owned())?;
    PolicyDocument::parse(&text)
}
