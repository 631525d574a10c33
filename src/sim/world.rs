//! The world file: everything local staging is seeded with.
//!
//! Top-level keys are sections in snake_case; the items inside a section use the field
//! names of the AWS API that creates them (PascalCase), so a real configuration can be
//! transcribed.

use serde::Deserialize;

use super::world_file::{load_world_file, world_from_source};
use crate::scenario::diagnostics::Diagnostics;

use super::account_world::{AccountSpec, is_account_id};
use super::cognito_identity::world::IdentityPoolSpec;
use super::cognito_idp::world::UserPoolSpec;
use super::dynamodb::world::DynamoDbWorld;
use super::iam_world::{IamWorld, OidcProviderSpec};
use super::s3::world::S3World;
use super::secrets::world::SecretsWorld;
use super::staging_settings::StagingSettings;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct World {
    /// Twelve digits.
    pub account_id: String,
    /// For example `us-east-1`.
    pub region: String,
    #[serde(default)]
    pub iam: IamWorld,
    #[serde(default)]
    pub oidc_providers: Vec<OidcProviderSpec>,
    #[serde(default)]
    pub user_pools: Vec<UserPoolSpec>,
    #[serde(default)]
    pub identity_pools: Vec<IdentityPoolSpec>,
    #[serde(default)]
    pub s3: S3World,
    #[serde(default)]
    pub dynamodb: DynamoDbWorld,
    #[serde(default)]
    pub secrets: SecretsWorld,
    /// Settings of local staging itself (credentials lifetime, clock offset).
    #[serde(default)]
    pub staging: StagingSettings,
    /// Further accounts beside this one (the default account), for cross-account trust
    /// and foreign identity pools.
    #[serde(default)]
    pub accounts: Vec<AccountSpec>,
}

/// A problem in the world file, located by its key path (for example
/// `s3.buckets[0].Policy`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid world at `{path}`: {message}")]
pub struct WorldError {
    pub path: String,
    pub message: String,
}

/// Why a world file could not be loaded: every problem found, each located in the file
/// and masked (`Display` is a one-line summary; render the diagnostics to show them).
#[derive(Debug, Clone, thiserror::Error)]
#[error("invalid world `{}`: {} problem{} found", .diagnostics.file().display(), .diagnostics.len(), if .diagnostics.len() == 1 { "" } else { "s" })]
pub struct WorldLoadError {
    pub diagnostics: Diagnostics,
}

impl World {
    /// Reads and validates a world file.
    pub fn load(path: impl AsRef<std::path::Path>) -> Result<World, WorldLoadError> {
        load_world_file(path.as_ref()).map_err(|diagnostics| WorldLoadError { diagnostics })
    }

    /// Parses and validates a world from YAML text; `origin` names it in errors (a path, or
    /// a label such as `<test>`).
    pub fn from_yaml(text: &str, origin: &str) -> Result<World, WorldLoadError> {
        world_from_source(text, std::path::Path::new(origin))
            .map_err(|diagnostics| WorldLoadError { diagnostics })
    }

    /// Every semantic problem of the world: the sections the core owns (account, region,
    /// IAM, OIDC providers) and every service's section, as each service checks it when it
    /// is seeded, so a world that validates also starts.
    pub fn validate(&self) -> Vec<WorldError> {
        let mut errors = Vec::new();
        // Account ids are twelve digits.
        // See <https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html>.
        if !is_account_id(&self.account_id) {
            errors.push(WorldError::new("account_id", "must be twelve digits"));
        }
        errors.extend(self.account_problems());
        let region_ok = !self.region.is_empty()
            && self
                .region
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && self.region.contains('-');
        if !region_ok {
            errors.push(WorldError::new(
                "region",
                "must be a region code such as `us-east-1`",
            ));
        }
        errors.extend(self.staging.validate());
        if let Err(mut iam_errors) = super::iam_store::IamStore::from_world(self) {
            errors.append(&mut iam_errors);
        }
        errors.extend(self.service_problems());
        errors
    }

    /// The ids of `accounts:`: twelve digits, each different from the default account's
    /// and from every other entry's.
    fn account_problems(&self) -> Vec<WorldError> {
        let mut errors = Vec::new();
        let mut seen = std::collections::BTreeSet::from([self.account_id.as_str()]);
        for (index, account) in self.accounts.iter().enumerate() {
            let at = format!("accounts[{index}].account_id");
            if !is_account_id(&account.account_id) {
                errors.push(WorldError::new(at, "must be twelve digits"));
            } else if !seen.insert(account.account_id.as_str()) {
                errors.push(WorldError::new(
                    at,
                    format!(
                        "account `{}` is already defined (the world's own `account_id` or an earlier entry)",
                        account.account_id
                    ),
                ));
            }
        }
        errors
    }

    /// Every identity pool of the world with the account that owns it and the key path of
    /// the list it is in (`identity_pools`, `accounts[0].identity_pools`).
    pub fn identity_pools_by_account(&self) -> Vec<(&str, String, &[IdentityPoolSpec])> {
        let mut all = vec![(
            self.account_id.as_str(),
            String::new(),
            self.identity_pools.as_slice(),
        )];
        for (index, account) in self.accounts.iter().enumerate() {
            all.push((
                account.account_id.as_str(),
                format!("accounts[{index}]."),
                account.identity_pools.as_slice(),
            ));
        }
        all
    }

    /// Every S3 section of the world with the account that owns its buckets and its key
    /// path prefix.
    pub fn s3_by_account(&self) -> Vec<(&str, String, &S3World)> {
        let mut all = vec![(self.account_id.as_str(), String::new(), &self.s3)];
        for (index, account) in self.accounts.iter().enumerate() {
            all.push((
                account.account_id.as_str(),
                format!("accounts[{index}]."),
                &account.s3,
            ));
        }
        all
    }

    /// What the services' `from_world` would refuse, without seeding them.
    fn service_problems(&self) -> Vec<WorldError> {
        use super::cognito_identity::world::validate_identity_pools;
        use super::cognito_idp::world::{validate_user_pools, world_role_arns};
        use super::s3::resource_policy::resource_policy_from_world;
        let mut errors = Vec::new();
        let role_arns = world_role_arns(self);
        errors.extend(validate_user_pools(&self.user_pools, &self.region, Some(&role_arns)).err());
        let mut pool_ids = std::collections::BTreeSet::new();
        for (_, prefix, pools) in self.identity_pools_by_account() {
            errors.extend(
                validate_identity_pools(pools, &self.user_pools, &self.region, Some(&role_arns))
                    .err()
                    .map(|e| e.under(&prefix)),
            );
            for (index, pool) in pools.iter().enumerate() {
                if !prefix.is_empty() && !pool_ids.insert(pool.identity_pool_id.as_str()) {
                    errors.push(WorldError::new(
                        format!("{prefix}identity_pools[{index}].IdentityPoolId"),
                        "duplicate identity pool id (identity pool ids are unique across accounts)",
                    ));
                }
                if prefix.is_empty() {
                    pool_ids.insert(pool.identity_pool_id.as_str());
                }
            }
        }
        if let Err(mut table_errors) = self.dynamodb.validate(&self.region, &self.account_id) {
            errors.append(&mut table_errors);
        }
        let mut bucket_names = std::collections::BTreeSet::new();
        for (_, prefix, s3) in self.s3_by_account() {
            errors.extend(s3.validate().into_iter().map(|e| e.under(&prefix)));
            for (index, bucket) in s3.buckets.iter().enumerate() {
                // Bucket names are unique across all accounts.
                // See <https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html>.
                if !bucket_names.insert(bucket.bucket.as_str()) && !prefix.is_empty() {
                    errors.push(WorldError::new(
                        format!("{prefix}s3.buckets[{index}].Bucket"),
                        format!(
                            "bucket `{}` exists in another account (bucket names are global)",
                            bucket.bucket
                        ),
                    ));
                }
            }
        }
        for (_, prefix, s3) in self.s3_by_account() {
            errors.extend(bucket_problems(s3, &prefix));
        }
        errors.extend(self.secrets.validate());
        for (index, secret) in self.secrets.secrets.iter().enumerate() {
            let path = format!("secrets[{index}]");
            if let Some(policy) = &secret.resource_policy {
                errors.extend(
                    resource_policy_from_world(
                        policy,
                        String::new(),
                        &format!("{path}.ResourcePolicy"),
                    )
                    .err(),
                );
            }
            errors.extend(secret.secret_binary_bytes(&path).err());
        }
        // One problem is reported once, however many checks find it.
        let mut seen = std::collections::BTreeSet::new();
        errors.retain(|e| seen.insert((e.path.clone(), e.message.clone())));
        errors
    }
}

/// The bucket policies and seeded object bodies of one S3 section that would not load.
fn bucket_problems(s3: &S3World, prefix: &str) -> Vec<WorldError> {
    use super::s3::resource_policy::resource_policy_from_world;
    let mut errors = Vec::new();
    for (index, bucket) in s3.buckets.iter().enumerate() {
        let path = format!("{prefix}s3.buckets[{index}]");
        if let Some(policy) = &bucket.policy {
            errors.extend(
                resource_policy_from_world(policy, String::new(), &format!("{path}.Policy")).err(),
            );
        }
        for (object_index, object) in bucket.objects.iter().enumerate() {
            errors.extend(
                object
                    .body_bytes(&format!("{path}.Objects[{object_index}]"))
                    .err(),
            );
        }
    }
    errors
}

impl WorldError {
    /// The same problem, its path under `prefix` (for example `accounts[0].`).
    pub fn under(mut self, prefix: &str) -> Self {
        self.path = format!("{prefix}{}", self.path);
        self
    }

    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        WorldError {
            path: path.into(),
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity"}]}"#;

    /// The key paths of the world's problems, in file order.
    fn paths_of(yaml: &str) -> Vec<String> {
        match World::from_yaml(yaml, "w.yaml") {
            Err(error) => error
                .diagnostics
                .iter()
                .map(|d| d.path.to_string())
                .collect(),
            Ok(_) => panic!("expected problems"),
        }
    }

    #[test]
    fn policies_may_be_yaml_maps_or_json_strings() {
        let yaml = format!(
            r#"account_id: "111122223333"
region: us-east-1
iam:
  roles:
    - RoleName: FromJson
      AssumeRolePolicyDocument: '{TRUST}'
    - RoleName: FromYaml
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {{Federated: cognito-identity.amazonaws.com}}
            Action: sts:AssumeRoleWithWebIdentity
"#
        );
        let world = World::from_yaml(&yaml, "w.yaml").expect("valid world");
        assert_eq!(world.iam.roles.len(), 2);
        assert_eq!(
            world.iam.roles[0].assume_role_policy_document,
            world.iam.roles[1].assume_role_policy_document
        );
    }

    #[test]
    fn a_shape_error_names_the_file_line_column_and_a_near_key() {
        let error = World::from_yaml(
            "account_id: \"111122223333\"\nregion: us-east-1\nuser_pool: []\n",
            "w.yaml",
        )
        .unwrap_err();
        assert_eq!(error.to_string(), "invalid world `w.yaml`: 1 problem found");
        let only = error.diagnostics.iter().next().unwrap();
        assert_eq!(only.code.as_str(), "X0101");
        let at = error.diagnostics.location(only);
        assert_eq!((at.line, at.column), (3, 1));
        let rendered = error.diagnostics.render();
        assert!(
            rendered.contains("did you mean `user_pools`?"),
            "{rendered}"
        );
    }

    #[test]
    fn semantic_errors_carry_key_paths_and_are_all_collected() {
        let paths = paths_of(&format!(
            r#"account_id: "12345"
region: Mars
iam:
  roles:
    - RoleName: Good
      AssumeRolePolicyDocument: '{TRUST}'
      ManagedPolicyArns: ["arn:aws:iam::111122223333:policy/Missing"]
    - RoleName: Broken
      AssumeRolePolicyDocument: '{{"Statement": "nope"}}'
  users:
    - UserName: carol
      AccessKeys:
        - AccessKeyId: short
          SecretAccessKey: s
"#
        ));
        for expected in [
            "account_id",
            "region",
            "iam.roles[0].ManagedPolicyArns[0]",
            "iam.roles[1].AssumeRolePolicyDocument",
            "iam.users[0].AccessKeys[0].AccessKeyId",
        ] {
            assert!(paths.iter().any(|p| p == expected), "{paths:?}");
        }
    }

    #[test]
    fn oidc_providers_need_https_and_a_jwks() {
        let paths = paths_of(
            r#"account_id: "111122223333"
region: us-east-1
oidc_providers:
  - Url: http://idp.example.test
    Jwks: {keys: []}
  - Url: https://idp.example.test
    Jwks: '{"not": "a jwks"}'
  - Url: https://idp.example.test
    Jwks: {keys: []}
"#,
        );
        assert_eq!(
            paths,
            vec![
                "oidc_providers[0].Url",
                "oidc_providers[1].Jwks",
                "oidc_providers[2].Jwks"
            ]
        );
    }

    #[test]
    fn secrets_never_appear_in_debug_output() {
        let world = World::from_yaml(
            r#"account_id: "111122223333"
region: us-east-1
iam:
  users:
    - UserName: carol
      AccessKeys:
        - AccessKeyId: AKIACAROLEXAMPLE0001
          SecretAccessKey: hunter2-super-secret
"#,
            "w.yaml",
        )
        .expect("valid world");
        assert!(!format!("{world:?}").contains("hunter2"));
    }
}
