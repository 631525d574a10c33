//! The IAM entities local staging knows: roles, users with long-term keys, managed
//! policies and OIDC providers, built and checked from the world file.

use super::account_world::arn_account;
use super::core::TokenIssuer;
use super::iam::{NamedPolicy, Policy, PolicyUse};
use super::iam_world::{IamWorld, InlinePolicySpec, PolicyDocument, TagSpec};
use super::world::{World, WorldError};
use crate::secret::SecretString;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// The default and the bounds of a role's maximum session duration.
/// See <https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html> (MaxSessionDuration).
pub const DEFAULT_MAX_SESSION_SECONDS: u32 = 3600;
const MAX_SESSION_SECONDS_LIMIT: u32 = 43200;

/// An IAM role.
#[derive(Debug, Clone)]
pub struct Role {
    pub name: String,
    pub arn: String,
    /// The account that owns the role (its sessions' `aws:PrincipalAccount`).
    pub account: String,
    /// The unique id (`AROA...`) that `aws:userid` starts with for its sessions.
    pub role_id: String,
    pub trust_policy: NamedPolicy,
    /// Inline policies, then managed policies, in world-file order.
    pub identity_policies: Vec<NamedPolicy>,
    pub tags: BTreeMap<String, String>,
    pub max_session_seconds: u32,
    pub permissions_boundary: Option<NamedPolicy>,
}

/// An IAM user.
#[derive(Debug, Clone)]
pub struct User {
    pub name: String,
    pub arn: String,
    /// The account that owns the user.
    pub account: String,
    /// The unique id (`AIDA...`), the user's `aws:userid`.
    pub user_id: String,
    pub identity_policies: Vec<NamedPolicy>,
    pub tags: BTreeMap<String, String>,
}

/// A long-term access key and the user it belongs to.
#[derive(Debug, Clone)]
pub struct LongTermKey {
    pub user_name: String,
    pub user_arn: String,
    pub secret_access_key: SecretString,
}

/// Everything IAM holds for the world's accounts (the default one and `accounts:`).
/// Roles and users are keyed by ARN, which carries their account.
#[derive(Debug, Clone, Default)]
pub struct IamStore {
    default_account: String,
    roles: BTreeMap<String, Role>,
    users: BTreeMap<String, User>,
    access_keys: HashMap<String, LongTermKey>,
    managed_policies: BTreeMap<String, NamedPolicy>,
    oidc_issuers: Vec<TokenIssuer>,
}

impl IamStore {
    /// Builds the store, collecting every problem with its key path.
    pub fn from_world(world: &World) -> Result<IamStore, Vec<WorldError>> {
        let mut errors = Vec::new();
        let mut store = IamStore {
            default_account: world.account_id.clone(),
            ..IamStore::default()
        };
        store.add_account(&world.account_id, &world.iam, "", &mut errors);
        for (index, account) in world.accounts.iter().enumerate() {
            store.add_account(
                &account.account_id,
                &account.iam,
                &format!("accounts[{index}]."),
                &mut errors,
            );
        }
        let account = &world.account_id;

        for (i, spec) in world.oidc_providers.iter().enumerate() {
            let at = format!("oidc_providers[{i}]");
            let Some(host_and_path) = spec.url.strip_prefix("https://") else {
                errors.push(WorldError::new(
                    format!("{at}.Url"),
                    "must start with `https://`",
                ));
                continue;
            };
            match serde_json::from_value::<jsonwebtoken::jwk::JwkSet>(spec.jwks.value.clone()) {
                Err(e) => {
                    errors.push(WorldError::new(
                        format!("{at}.Jwks"),
                        format!("not a JWKS document: {e}"),
                    ));
                    continue;
                }
                Ok(set) if set.keys.is_empty() => {
                    errors.push(WorldError::new(format!("{at}.Jwks"), "has no keys"));
                    continue;
                }
                Ok(_) => {}
            }
            // The principal a trust policy names for an OIDC provider is its IAM ARN.
            // See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-federated-web-identity>.
            let host_and_path = host_and_path.trim_end_matches('/');
            store.oidc_issuers.push(TokenIssuer {
                issuer: spec.url.clone(),
                jwks: spec.jwks.value.clone(),
                client_ids: spec.client_id_list.clone(),
                federated_principal: format!(
                    "arn:aws:iam::{account}:oidc-provider/{host_and_path}"
                ),
            });
        }

        if errors.is_empty() {
            Ok(store)
        } else {
            Err(errors)
        }
    }

    /// Adds one account's policies, roles and users; key paths start with `prefix`
    /// (empty for the default account, `accounts[N].` for the others).
    fn add_account(
        &mut self,
        account: &str,
        iam: &IamWorld,
        prefix: &str,
        errors: &mut Vec<WorldError>,
    ) {
        for (i, spec) in iam.policies.iter().enumerate() {
            let at = format!("{prefix}iam.policies[{i}]");
            let path = checked_path(spec.path.as_deref(), &format!("{at}.Path"), errors);
            let arn = format!("arn:aws:iam::{account}:policy{path}{}", spec.policy_name);
            let name = format!("policy/{}", spec.policy_name);
            if let Some(policy) = parse_policy(
                &name,
                &spec.policy_document,
                PolicyUse::Identity,
                &format!("{at}.PolicyDocument"),
                errors,
            ) && self.managed_policies.insert(arn.clone(), policy).is_some()
            {
                errors.push(WorldError::new(
                    format!("{at}.PolicyName"),
                    format!("duplicate managed policy `{arn}`"),
                ));
            }
        }

        for (i, spec) in iam.roles.iter().enumerate() {
            let at = format!("{prefix}iam.roles[{i}]");
            check_name(&spec.role_name, &format!("{at}.RoleName"), errors);
            let path = checked_path(spec.path.as_deref(), &format!("{at}.Path"), errors);
            let arn = format!("arn:aws:iam::{account}:role{path}{}", spec.role_name);
            let trust_policy = parse_policy(
                &format!("role/{}/trust", spec.role_name),
                &spec.assume_role_policy_document,
                PolicyUse::Trust,
                &format!("{at}.AssumeRolePolicyDocument"),
                errors,
            );
            let identity_policies = self.identity_policies(
                &format!("role/{}", spec.role_name),
                &spec.policies,
                &spec.managed_policy_arns,
                account,
                &at,
                errors,
            );
            let permissions_boundary = spec.permissions_boundary.as_ref().and_then(|arn| {
                self.managed_one(arn, account, &format!("{at}.PermissionsBoundary"), errors)
            });
            let max_session_seconds = spec
                .max_session_duration
                .unwrap_or(DEFAULT_MAX_SESSION_SECONDS);
            if !(DEFAULT_MAX_SESSION_SECONDS..=MAX_SESSION_SECONDS_LIMIT)
                .contains(&max_session_seconds)
            {
                errors.push(WorldError::new(
                    format!("{at}.MaxSessionDuration"),
                    "must be between 3600 and 43200 seconds",
                ));
            }
            let Some(trust_policy) = trust_policy else {
                continue;
            };
            let duplicate = self
                .roles
                .values()
                .any(|role| role.account == account && role.name == spec.role_name);
            let role = Role {
                account: account.to_string(),
                name: spec.role_name.clone(),
                role_id: stable_id("AROA", &arn),
                arn,
                trust_policy,
                identity_policies,
                tags: tags(&spec.tags, &at, errors),
                max_session_seconds,
                permissions_boundary,
            };
            if duplicate || self.roles.insert(role.arn.clone(), role).is_some() {
                errors.push(WorldError::new(
                    format!("{at}.RoleName"),
                    format!("duplicate role `{}`", spec.role_name),
                ));
            }
        }

        for (i, spec) in iam.users.iter().enumerate() {
            let at = format!("{prefix}iam.users[{i}]");
            check_name(&spec.user_name, &format!("{at}.UserName"), errors);
            let path = checked_path(spec.path.as_deref(), &format!("{at}.Path"), errors);
            let arn = format!("arn:aws:iam::{account}:user{path}{}", spec.user_name);
            let identity_policies = self.identity_policies(
                &format!("user/{}", spec.user_name),
                &spec.policies,
                &spec.managed_policy_arns,
                account,
                &at,
                errors,
            );
            for (k, key) in spec.access_keys.iter().enumerate() {
                let key_at = format!("{at}.AccessKeys[{k}]");
                // Access key ids are 16 to 128 word characters.
                // See <https://docs.aws.amazon.com/IAM/latest/APIReference/API_AccessKey.html>.
                let id_ok = (16..=128).contains(&key.access_key_id.len())
                    && key
                        .access_key_id
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_');
                if !id_ok {
                    errors.push(WorldError::new(
                        format!("{key_at}.AccessKeyId"),
                        "must be 16 to 128 letters, digits or underscores",
                    ));
                }
                if key.secret_access_key.expose().is_empty() {
                    errors.push(WorldError::new(
                        format!("{key_at}.SecretAccessKey"),
                        "must not be empty",
                    ));
                }
                let previous = self.access_keys.insert(
                    key.access_key_id.clone(),
                    LongTermKey {
                        user_name: spec.user_name.clone(),
                        user_arn: arn.clone(),
                        secret_access_key: key.secret_access_key.clone(),
                    },
                );
                if previous.is_some() {
                    errors.push(WorldError::new(
                        format!("{key_at}.AccessKeyId"),
                        format!("duplicate access key id `{}`", key.access_key_id),
                    ));
                }
            }
            let duplicate = self
                .users
                .values()
                .any(|user| user.account == account && user.name == spec.user_name);
            let user = User {
                account: account.to_string(),
                name: spec.user_name.clone(),
                user_id: stable_id("AIDA", &arn),
                arn,
                identity_policies,
                tags: tags(&spec.tags, &at, errors),
            };
            if duplicate || self.users.insert(user.arn.clone(), user).is_some() {
                errors.push(WorldError::new(
                    format!("{at}.UserName"),
                    format!("duplicate user `{}`", spec.user_name),
                ));
            }
        }
    }

    /// The inline policies (parsed as identity policies) then the managed policies, by ARN,
    /// of a role or user at `at` in the world file.
    fn identity_policies(
        &self,
        owner: &str,
        inline: &[InlinePolicySpec],
        managed_arns: &[String],
        account: &str,
        at: &str,
        errors: &mut Vec<WorldError>,
    ) -> Vec<NamedPolicy> {
        let mut policies: Vec<NamedPolicy> = inline
            .iter()
            .enumerate()
            .filter_map(|(p, spec)| {
                parse_policy(
                    &format!("{owner}/inline/{}", spec.policy_name),
                    &spec.policy_document,
                    PolicyUse::Identity,
                    &format!("{at}.Policies[{p}].PolicyDocument"),
                    errors,
                )
            })
            .collect();
        policies.extend(managed_arns.iter().enumerate().filter_map(|(m, arn)| {
            self.managed_one(
                arn,
                account,
                &format!("{at}.ManagedPolicyArns[{m}]"),
                errors,
            )
        }));
        policies
    }

    /// The managed policy `arn` names; an error at `at` when the world has none, or when
    /// it belongs to another account than `account`, the role's or user's own (a customer
    /// managed policy attaches only within its account).
    /// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#customer-managed-policies>.
    fn managed_one(
        &self,
        arn: &str,
        account: &str,
        at: &str,
        errors: &mut Vec<WorldError>,
    ) -> Option<NamedPolicy> {
        if arn_account(arn).is_some_and(|owner| owner != account) {
            errors.push(WorldError::new(
                at,
                format!("`{arn}` is a managed policy of another account than `{account}`"),
            ));
            return None;
        }
        let found = self.managed_policies.get(arn).cloned();
        if found.is_none() {
            errors.push(WorldError::new(
                at,
                format!("no managed policy `{arn}` in `iam.policies`"),
            ));
        }
        found
    }

    /// The role an ARN names, in whichever account, if it exists (its path must match too).
    pub fn role_by_arn(&self, arn: &str) -> Option<&Role> {
        self.roles.get(arn)
    }

    /// A user of the default account, by name.
    pub fn user(&self, name: &str) -> Option<&User> {
        self.users
            .values()
            .find(|user| user.account == self.default_account && user.name == name)
    }

    /// The user an ARN names, in whichever account.
    pub fn user_by_arn(&self, arn: &str) -> Option<&User> {
        self.users.get(arn)
    }

    pub fn access_key(&self, access_key_id: &str) -> Option<&LongTermKey> {
        self.access_keys.get(access_key_id)
    }

    pub fn managed_policy(&self, arn: &str) -> Option<&NamedPolicy> {
        self.managed_policies.get(arn)
    }

    pub fn oidc_issuers(&self) -> &[TokenIssuer] {
        &self.oidc_issuers
    }
}

/// Parses a policy with the rules of where it is used (trust policies need `Principal`,
/// identity policies must not have one).
fn parse_policy(
    name: &str,
    document: &PolicyDocument,
    policy_use: PolicyUse,
    at: &str,
    errors: &mut Vec<WorldError>,
) -> Option<NamedPolicy> {
    match Policy::parse_for(&document.to_json_text(), policy_use) {
        Ok(policy) => Some(NamedPolicy {
            name: name.to_string(),
            policy: Arc::new(policy),
        }),
        Err(e) => {
            errors.push(WorldError::new(at, e.to_string()));
            None
        }
    }
}

/// IAM paths start and end with `/`.
/// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-friendly-names>.
fn checked_path(path: Option<&str>, at: &str, errors: &mut Vec<WorldError>) -> String {
    let path = path.unwrap_or("/");
    if !path.starts_with('/') || !path.ends_with('/') {
        errors.push(WorldError::new(at, "must start and end with `/`"));
    }
    path.to_string()
}

/// Role and user names are 1 to 64 characters of `[\w+=,.@-]`.
/// See <https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html>.
fn check_name(name: &str, at: &str, errors: &mut Vec<WorldError>) {
    let ok = (1..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c));
    if !ok {
        errors.push(WorldError::new(
            at,
            "must be 1 to 64 letters, digits or `_+=,.@-`",
        ));
    }
}

fn tags(specs: &[TagSpec], at: &str, errors: &mut Vec<WorldError>) -> BTreeMap<String, String> {
    let mut tags = BTreeMap::new();
    for (t, tag) in specs.iter().enumerate() {
        if tags.insert(tag.key.clone(), tag.value.clone()).is_some() {
            errors.push(WorldError::new(
                format!("{at}.Tags[{t}].Key"),
                format!("duplicate tag key `{}`", tag.key),
            ));
        }
    }
    tags
}

/// A unique id in IAM's shape (prefix + 17 upper-case letters and digits), derived from
/// the ARN so the same world always gives the same ids.
/// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids>.
pub fn stable_id(prefix: &str, seed: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let digest = Sha256::digest(seed.as_bytes());
    let tail: String = digest
        .iter()
        .take(17)
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect();
    format!("{prefix}{tail}")
}
