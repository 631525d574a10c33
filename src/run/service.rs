//! The AWS service a request goes to, the key of the per-service rate limits.

use crate::scenario::ResourceTarget;
use serde::Serialize;
use std::fmt;

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Service {
    S3,
    DynamoDb,
    SecretsManager,
    /// Sign-in and credential exchange: Cognito user pools, identity pools and STS.
    SignIn,
}

impl Service {
    pub const ALL: [Service; 4] = [
        Service::S3,
        Service::DynamoDb,
        Service::SecretsManager,
        Service::SignIn,
    ];

    pub fn of(target: &ResourceTarget) -> Service {
        match target {
            ResourceTarget::S3Object { .. } | ResourceTarget::S3Prefix { .. } => Service::S3,
            ResourceTarget::DynamoDbItem { .. } => Service::DynamoDb,
            ResourceTarget::Secret { .. } => Service::SecretsManager,
            // Attacks call the identity pool and STS, under the sign-in budget.
            ResourceTarget::Identity { .. } => Service::SignIn,
        }
    }
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Service::S3 => "s3",
            Service::DynamoDb => "dynamodb",
            Service::SecretsManager => "secretsmanager",
            Service::SignIn => "sign-in",
        })
    }
}
