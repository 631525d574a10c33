//! The world file's IAM section: roles, managed policies, users, OIDC providers.
//!
//! Field names follow the IAM API that creates each item (`CreateRole`, `CreatePolicy`,
//! `CreateUser`, `CreateOpenIDConnectProvider`) so a real configuration can be transcribed.

use crate::secret::SecretString;
use serde::{Deserialize, Deserializer};

/// `iam:` in the world file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IamWorld {
    #[serde(default)]
    pub roles: Vec<RoleSpec>,
    /// Customer managed policies, referenced by ARN from roles and users.
    #[serde(default)]
    pub policies: Vec<ManagedPolicySpec>,
    #[serde(default)]
    pub users: Vec<UserSpec>,
}

/// A role, as `CreateRole` plus `PutRolePolicy` / `AttachRolePolicy` describe it.
/// See <https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html>.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct RoleSpec {
    pub role_name: String,
    /// Defaults to `/`.
    #[serde(default)]
    pub path: Option<String>,
    pub assume_role_policy_document: PolicyDocument,
    #[serde(default)]
    pub policies: Vec<InlinePolicySpec>,
    #[serde(default)]
    pub managed_policy_arns: Vec<String>,
    #[serde(default)]
    pub tags: Vec<TagSpec>,
    /// Seconds, 3600..=43200; defaults to 3600.
    #[serde(default)]
    pub max_session_duration: Option<u32>,
    /// The ARN of a managed policy used as the role's permissions boundary.
    #[serde(default)]
    pub permissions_boundary: Option<String>,
}

/// An inline policy embedded in a role or user.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct InlinePolicySpec {
    pub policy_name: String,
    pub policy_document: PolicyDocument,
}

/// A customer managed policy; its ARN is `arn:aws:iam::ACCOUNT:policy{Path}{PolicyName}`.
/// See <https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html>.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct ManagedPolicySpec {
    pub policy_name: String,
    #[serde(default)]
    pub path: Option<String>,
    pub policy_document: PolicyDocument,
}

/// An IAM user with long-term access keys.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct UserSpec {
    pub user_name: String,
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub access_keys: Vec<AccessKeySpec>,
    #[serde(default)]
    pub policies: Vec<InlinePolicySpec>,
    #[serde(default)]
    pub managed_policy_arns: Vec<String>,
    #[serde(default)]
    pub tags: Vec<TagSpec>,
}

/// A long-term access key pair. `Debug` never prints the secret.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct AccessKeySpec {
    pub access_key_id: String,
    #[serde(deserialize_with = "deserialize_secret")]
    pub secret_access_key: SecretString,
}

fn deserialize_secret<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<SecretString, D::Error> {
    String::deserialize(deserializer).map(SecretString::new)
}

impl std::fmt::Debug for AccessKeySpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessKeySpec")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &self.secret_access_key)
            .finish()
    }
}

/// A tag on a role or user (`aws:PrincipalTag/*` for its sessions).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct TagSpec {
    pub key: String,
    pub value: String,
}

/// An OIDC identity provider STS trusts, as `CreateOpenIDConnectProvider` describes it,
/// with its signing keys given inline because local staging cannot fetch them.
/// See <https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html>.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcProviderSpec {
    /// The issuer URL (`https://...`), equal to the tokens' `iss` claim.
    #[serde(rename = "Url")]
    pub url: String,
    #[serde(rename = "ClientIDList", default)]
    pub client_id_list: Vec<String>,
    /// The provider's JWKS (`{"keys": [...]}`), as a YAML map or a JSON string.
    #[serde(rename = "Jwks")]
    pub jwks: JsonDocument,
}

/// A JSON document written either as a YAML map or as a JSON string.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonDocument {
    pub value: serde_json::Value,
}

impl<'de> Deserialize<'de> for JsonDocument {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let yaml = serde_yaml::Value::deserialize(deserializer)?;
        let value = match yaml {
            serde_yaml::Value::String(text) => serde_json::from_str(&text).map_err(|e| {
                serde::de::Error::custom(format!("the string is not a JSON document: {e}"))
            })?,
            other => serde_json::to_value(&other).map_err(|e| {
                serde::de::Error::custom(format!("the value cannot be read as JSON: {e}"))
            })?,
        };
        Ok(JsonDocument { value })
    }
}

/// An IAM policy document as the world file writes it (YAML map or JSON string). It is
/// parsed into a `Policy` during validation, where a bad policy gets its key path.
pub type PolicyDocument = JsonDocument;

impl JsonDocument {
    /// The document as JSON text, as IAM would store it.
    pub fn to_json_text(&self) -> String {
        self.value.to_string()
    }
}
