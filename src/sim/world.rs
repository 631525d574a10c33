//! The world file: everything local staging is seeded with.
//!
//! Top-level keys are sections in snake_case; the items inside a section use the field
//! names of the AWS API that creates them (PascalCase), so a real configuration can be
//! transcribed.

use serde::Deserialize;

use super::cognito_identity::world::IdentityPoolSpec;
use super::cognito_idp::world::UserPoolSpec;
use super::dynamodb::world::DynamoDbWorld;
use super::iam_world::{IamWorld, OidcProviderSpec};
use super::s3::world::S3World;
use super::secrets::world::SecretsWorld;

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
}

/// A problem in the world file, located by its key path (for example
/// `s3.buckets[0].Policy`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid world at `{path}`: {message}")]
pub struct WorldError {
    pub path: String,
    pub message: String,
}

/// Why a world file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum WorldLoadError {
    #[error("failed to read world file `{path}`")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// The YAML does not match the world file's shape; `location` is `line L, column C`
    /// when serde_yaml knows it.
    #[error("failed to parse world `{origin}`{location}")]
    Parse {
        origin: String,
        location: String,
        #[source]
        source: serde_yaml::Error,
    },
    #[error("invalid world `{origin}`: {}", join_errors(.errors))]
    Invalid {
        origin: String,
        errors: Vec<WorldError>,
    },
}

fn join_errors(errors: &[WorldError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl World {
    /// Reads and validates a world file.
    pub fn load(path: impl AsRef<std::path::Path>) -> Result<World, WorldLoadError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| WorldLoadError::Read {
            path: path.display().to_string(),
            source,
        })?;
        World::from_yaml(&text, &path.display().to_string())
    }

    /// Parses and validates a world from YAML text; `origin` names it in errors (a path, or
    /// a label such as `<test>`).
    pub fn from_yaml(text: &str, origin: &str) -> Result<World, WorldLoadError> {
        let world: World = serde_yaml::from_str(text).map_err(|source| {
            let location = source
                .location()
                .map(|l| format!(" at line {}, column {}", l.line(), l.column()))
                .unwrap_or_default();
            WorldError::parse(origin, location, source)
        })?;
        let errors = world.validate();
        if errors.is_empty() {
            Ok(world)
        } else {
            Err(WorldLoadError::Invalid {
                origin: origin.to_string(),
                errors,
            })
        }
    }

    /// Every semantic problem of the sections the core owns (account, region, IAM, OIDC
    /// providers); the services check their own sections when they are seeded.
    pub fn validate(&self) -> Vec<WorldError> {
        let mut errors = Vec::new();
        // Account ids are twelve digits.
        // See <https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html>.
        if self.account_id.len() != 12 || !self.account_id.bytes().all(|b| b.is_ascii_digit()) {
            errors.push(WorldError::new("account_id", "must be twelve digits"));
        }
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
        if let Err(mut iam_errors) = super::iam_store::IamStore::from_world(self) {
            errors.append(&mut iam_errors);
        }
        errors
    }
}

impl WorldError {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        WorldError {
            path: path.into(),
            message: message.into(),
        }
    }

    fn parse(origin: &str, location: String, source: serde_yaml::Error) -> WorldLoadError {
        WorldLoadError::Parse {
            origin: origin.to_string(),
            location,
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity"}]}"#;

    fn errors_of(yaml: &str) -> Vec<WorldError> {
        match World::from_yaml(yaml, "w.yaml") {
            Err(WorldLoadError::Invalid { errors, .. }) => errors,
            other => panic!("expected semantic errors, got {other:?}"),
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
    fn a_yaml_error_names_the_origin_line_and_column() {
        let error = World::from_yaml(
            "account_id: \"111122223333\"\nregion: us-east-1\nunknown_section: 1\n",
            "w.yaml",
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "failed to parse world `w.yaml` at line 3, column 1"
        );
        let cause = std::error::Error::source(&error)
            .expect("the YAML error")
            .to_string();
        assert!(cause.contains("unknown_section"), "{cause}");
    }

    #[test]
    fn semantic_errors_carry_key_paths_and_are_all_collected() {
        let errors = errors_of(&format!(
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
        let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
        assert!(paths.contains(&"account_id"), "{paths:?}");
        assert!(paths.contains(&"region"), "{paths:?}");
        assert!(
            paths.contains(&"iam.roles[0].ManagedPolicyArns[0]"),
            "{paths:?}"
        );
        assert!(
            paths.contains(&"iam.roles[1].AssumeRolePolicyDocument"),
            "{paths:?}"
        );
        assert!(
            paths.contains(&"iam.users[0].AccessKeys[0].AccessKeyId"),
            "{paths:?}"
        );
    }

    #[test]
    fn oidc_providers_need_https_and_a_jwks() {
        let errors = errors_of(
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
        let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
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
