//! One secret: its identity, metadata, policy and versions with staging labels.

use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::time::{SystemTime, UNIX_EPOCH};

use super::secret_value::SecretValue;
use crate::sim::iam::{NamedPolicy, RequestContext};

/// The staging label of the version GetSecretValue returns by default.
/// See https://docs.aws.amazon.com/secretsmanager/latest/userguide/whats-in-a-secret.html#term_version.
pub(crate) const AWSCURRENT: &str = "AWSCURRENT";
/// The label the previous AWSCURRENT version gets when AWSCURRENT moves.
pub(crate) const AWSPREVIOUS: &str = "AWSPREVIOUS";

#[derive(Debug, Clone)]
pub(crate) struct SecretVersion {
    pub value: SecretValue,
    pub stages: Vec<String>,
    pub created: SystemTime,
}

#[derive(Debug, Clone)]
pub(crate) struct SecretRecord {
    pub arn: String,
    pub name: String,
    pub description: Option<String>,
    pub kms_key_id: Option<String>,
    pub tags: Vec<(String, String)>,
    pub policy: Option<NamedPolicy>,
    /// Keyed by version id.
    pub versions: BTreeMap<String, SecretVersion>,
    pub created: SystemTime,
    pub last_changed: SystemTime,
    /// Set when deletion is scheduled.
    pub deleted: Option<SystemTime>,
}

/// Seconds since the epoch with milliseconds, as the JSON protocol writes timestamps.
/// See https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html.
pub(crate) fn epoch_seconds(time: SystemTime) -> f64 {
    let duration = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    (duration.as_millis() as f64) / 1000.0
}

impl SecretRecord {
    /// The version carrying a label, if any.
    pub fn version_with_stage(&self, stage: &str) -> Option<(&String, &SecretVersion)> {
        self.versions
            .iter()
            .find(|(_, version)| version.stages.iter().any(|s| s == stage))
    }

    /// Adds a version and moves the given labels to it; when AWSCURRENT moves, the version
    /// that had it becomes AWSPREVIOUS.
    /// See https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutSecretValue.html.
    pub fn add_version(
        &mut self,
        version_id: String,
        value: SecretValue,
        stages: Vec<String>,
        now: SystemTime,
    ) {
        let previous_current = if stages.iter().any(|s| s == AWSCURRENT) {
            self.version_with_stage(AWSCURRENT)
                .map(|(id, _)| id.clone())
        } else {
            None
        };
        for version in self.versions.values_mut() {
            version.stages.retain(|label| !stages.contains(label));
        }
        if let Some(previous) = previous_current {
            for version in self.versions.values_mut() {
                version.stages.retain(|label| label != AWSPREVIOUS);
            }
            if let Some(version) = self.versions.get_mut(&previous) {
                version.stages.push(AWSPREVIOUS.to_string());
            }
        }
        self.versions.insert(
            version_id,
            SecretVersion {
                value,
                stages,
                created: now,
            },
        );
        self.last_changed = now;
    }

    /// The condition keys every request about this secret carries: its ARN as
    /// `secretsmanager:SecretId` and each tag as `aws:ResourceTag/*` and
    /// `secretsmanager:ResourceTag/*`.
    /// See https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecretsmanager.html#awssecretsmanager-policy-keys.
    pub fn context(&self) -> RequestContext {
        let mut context = RequestContext::new();
        context.set("secretsmanager:SecretId", self.arn.clone());
        for (key, value) in &self.tags {
            context.set(format!("aws:ResourceTag/{key}"), value.clone());
            context.set(format!("secretsmanager:ResourceTag/{key}"), value.clone());
        }
        context
    }

    pub fn tags_json(&self) -> Value {
        Value::Array(
            self.tags
                .iter()
                .map(|(key, value)| json!({"Key": key, "Value": value}))
                .collect(),
        )
    }

    pub fn versions_to_stages_json(&self) -> Value {
        let map: serde_json::Map<String, Value> = self
            .versions
            .iter()
            .filter(|(_, version)| !version.stages.is_empty())
            .map(|(id, version)| (id.clone(), json!(version.stages)))
            .collect();
        Value::Object(map)
    }

    /// The metadata DescribeSecret returns; ListSecrets uses the same fields with
    /// `SecretVersionsToStages` for `VersionIdsToStages`.
    /// See https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DescribeSecret.html#API_DescribeSecret_ResponseSyntax.
    pub fn metadata_json(&self, versions_field: &str) -> Value {
        let mut out = serde_json::Map::new();
        out.insert("ARN".into(), json!(self.arn));
        out.insert("Name".into(), json!(self.name));
        if let Some(description) = &self.description {
            out.insert("Description".into(), json!(description));
        }
        if let Some(kms_key_id) = &self.kms_key_id {
            out.insert("KmsKeyId".into(), json!(kms_key_id));
        }
        if !self.tags.is_empty() {
            out.insert("Tags".into(), self.tags_json());
        }
        out.insert(versions_field.into(), self.versions_to_stages_json());
        out.insert("CreatedDate".into(), json!(epoch_seconds(self.created)));
        out.insert(
            "LastChangedDate".into(),
            json!(epoch_seconds(self.last_changed)),
        );
        if let Some(deleted) = self.deleted {
            out.insert("DeletedDate".into(), json!(epoch_seconds(deleted)));
        }
        Value::Object(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::SecretString;

    fn record() -> SecretRecord {
        SecretRecord {
            arn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:n-AbCdEf".into(),
            name: "n".into(),
            description: None,
            kms_key_id: None,
            tags: vec![("tenant".into(), "acme".into())],
            policy: None,
            versions: BTreeMap::new(),
            created: UNIX_EPOCH,
            last_changed: UNIX_EPOCH,
            deleted: None,
        }
    }

    fn text(value: &str) -> SecretValue {
        SecretValue::Text(SecretString::new(value))
    }

    #[test]
    fn awscurrent_moves_and_the_old_current_becomes_awsprevious() {
        let mut secret = record();
        secret.add_version("v1".into(), text("a"), vec![AWSCURRENT.into()], UNIX_EPOCH);
        secret.add_version("v2".into(), text("b"), vec![AWSCURRENT.into()], UNIX_EPOCH);
        secret.add_version("v3".into(), text("c"), vec![AWSCURRENT.into()], UNIX_EPOCH);
        assert_eq!(secret.versions["v3"].stages, vec![AWSCURRENT]);
        assert_eq!(secret.versions["v2"].stages, vec![AWSPREVIOUS]);
        assert!(secret.versions["v1"].stages.is_empty());
        assert_eq!(
            secret.versions_to_stages_json(),
            json!({"v2": ["AWSPREVIOUS"], "v3": ["AWSCURRENT"]})
        );
    }

    #[test]
    fn tags_become_both_resource_tag_keys() {
        let context = record().context();
        assert_eq!(
            context.get("aws:ResourceTag/tenant"),
            Some(&["acme".to_string()][..])
        );
        assert_eq!(
            context.get("secretsmanager:ResourceTag/tenant"),
            Some(&["acme".to_string()][..])
        );
        assert!(context.get("secretsmanager:SecretId").is_some());
    }
}
