//! A canary: something a probe writes because no write-free method could prove a write, or
//! something an attack changes in the identity layer (a user attribute, a signed-up user).

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
    /// A user attribute an attack changed (claim-tamper): restored to `original` only while
    /// it still holds `tampered`.
    UserAttribute {
        user_pool_id: String,
        username: String,
        attribute: String,
        original: String,
        tampered: String,
    },
    /// A user an attack created by self sign-up: the canary username is ours alone, so the
    /// user is deleted whatever it holds.
    SignedUpUser {
        user_pool_id: String,
        username: String,
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
            Canary::UserAttribute {
                user_pool_id,
                username,
                attribute,
                ..
            } => format!(
                "attribute `{attribute}` of user `{username}` in user pool `{user_pool_id}`"
            ),
            Canary::SignedUpUser {
                user_pool_id,
                username,
            } => format!("signed-up user `{username}` in user pool `{user_pool_id}`"),
        }
    }
}
