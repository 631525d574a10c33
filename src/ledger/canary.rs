//! A canary: something a probe writes because no write-free method could prove a write.

use serde::{Deserialize, Serialize};

/// What a probe may have created, with what proves it is ours (never another tenant's data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Canary {
    /// An S3 object whose body is exactly `marker`; removed only while it still is.
    S3Object {
        bucket: String,
        key: String,
        marker: String,
    },
    /// A Secrets Manager version carrying the staging label `version_stage`; cleanup removes
    /// the label, which leaves the version deprecated for Secrets Manager to delete.
    SecretVersion {
        secret_id: String,
        version_stage: String,
    },
}

impl Canary {
    /// A one-line description for logs and reasons.
    pub fn describe(&self) -> String {
        match self {
            Canary::S3Object { bucket, key, .. } => format!("s3://{bucket}/{key}"),
            Canary::SecretVersion {
                secret_id,
                version_stage,
            } => format!("secret `{secret_id}` version labelled `{version_stage}`"),
        }
    }
}
