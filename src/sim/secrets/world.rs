//! The world file's `secrets` section: a list of secrets in CreateSecret's field names,
//! plus the resource policy.

use base64::Engine;
use serde::Deserialize;
use std::collections::BTreeSet;
use std::fmt;

use crate::sim::iam_world::PolicyDocument;
use crate::sim::world::WorldError;

/// The list of seeded secrets.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(transparent)]
pub struct SecretsWorld {
    pub secrets: Vec<SecretSpec>,
}

/// One secret. `Debug` never shows the value.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct SecretSpec {
    pub name: String,
    #[serde(default)]
    pub secret_string: Option<String>,
    /// Base64, as the JSON API carries binary values.
    #[serde(default)]
    pub secret_binary: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub tags: Vec<SecretTagSpec>,
    /// The resource policy: a YAML map or a JSON string.
    #[serde(default)]
    pub resource_policy: Option<PolicyDocument>,
    #[serde(default)]
    pub kms_key_id: Option<String>,
}

impl fmt::Debug for SecretSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretSpec")
            .field("name", &self.name)
            .field("has_secret_string", &self.secret_string.is_some())
            .field("has_secret_binary", &self.secret_binary.is_some())
            .field("description", &self.description)
            .field("tags", &self.tags)
            .field("has_resource_policy", &self.resource_policy.is_some())
            .field("kms_key_id", &self.kms_key_id)
            .finish()
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct SecretTagSpec {
    pub key: String,
    pub value: String,
}

impl SecretSpec {
    /// The binary value decoded, when one is given.
    pub fn secret_binary_bytes(&self, path: &str) -> Result<Option<Vec<u8>>, WorldError> {
        self.secret_binary
            .as_ref()
            .map(|encoded| {
                base64::engine::general_purpose::STANDARD
                    .decode(encoded.trim())
                    .map_err(|_| WorldError {
                        path: format!("{path}.SecretBinary"),
                        message: "not valid base64".to_string(),
                    })
            })
            .transpose()
    }
}

impl SecretsWorld {
    /// Every problem in the section, each with its key path.
    pub fn validate(&self) -> Vec<WorldError> {
        let mut errors = Vec::new();
        let mut names = BTreeSet::new();
        for (index, secret) in self.secrets.iter().enumerate() {
            let path = format!("secrets[{index}]");
            if let Err(message) = check_secret_name(&secret.name) {
                errors.push(WorldError {
                    path: format!("{path}.Name"),
                    message,
                });
            }
            if !names.insert(secret.name.as_str()) {
                errors.push(WorldError {
                    path: format!("{path}.Name"),
                    message: format!("secret `{}` is defined twice", secret.name),
                });
            }
            if secret.secret_string.is_some() && secret.secret_binary.is_some() {
                errors.push(WorldError {
                    path: path.clone(),
                    message: "give either `SecretString` or `SecretBinary`, not both".to_string(),
                });
            }
            if let Err(error) = secret.secret_binary_bytes(&path) {
                errors.push(error);
            }
        }
        errors
    }
}

/// Secret names: 1 to 512 characters, letters, digits and `/_+=.@-`.
/// See https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html#SecretsManager-CreateSecret-request-Name.
pub fn check_secret_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name.chars().count() > 512 {
        return Err(format!(
            "secret name `{name}` is invalid: it must be 1 to 512 characters long"
        ));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "/_+=.@-".contains(*c)))
    {
        return Err(format!(
            "secret name `{name}` is invalid: `{bad}` is not allowed (letters, digits and /_+=.@- are)"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_reports_every_problem_with_its_key_path() {
        let world: SecretsWorld = serde_yaml::from_str(
            r#"
- {Name: tenant-a/db, SecretString: x}
- {Name: tenant-a/db, SecretString: y}
- {Name: "bad name", SecretString: x}
- {Name: both, SecretString: x, SecretBinary: eA==}
- {Name: bin, SecretBinary: "!!notbase64"}
"#,
        )
        .unwrap();
        let paths: Vec<String> = world.validate().into_iter().map(|e| e.path).collect();
        assert_eq!(
            paths,
            vec![
                "secrets[1].Name",
                "secrets[2].Name",
                "secrets[3]",
                "secrets[4].SecretBinary"
            ]
        );
    }

    #[test]
    fn debug_never_shows_secret_values() {
        let world: SecretsWorld =
            serde_yaml::from_str("- {Name: n, SecretString: hunter2-Pa55}").unwrap();
        assert!(!format!("{world:?}").contains("hunter2"));
    }

    #[test]
    fn unknown_fields_are_errors() {
        let result: Result<SecretsWorld, _> = serde_yaml::from_str("- {Name: n, SecretStrin: x}");
        assert!(result.is_err());
    }
}
