//! The AWS services the harness probes.

use serde::Serialize;
use std::fmt;

/// A probed service; each has its own error shapes and therefore its own verdict table.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum AwsService {
    S3,
    DynamoDb,
    SecretsManager,
}

impl AwsService {
    /// The IAM service prefix (`s3`, `dynamodb`, `secretsmanager`).
    pub fn iam_prefix(self) -> &'static str {
        match self {
            AwsService::S3 => "s3",
            AwsService::DynamoDb => "dynamodb",
            AwsService::SecretsManager => "secretsmanager",
        }
    }
}

impl fmt::Display for AwsService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.iam_prefix())
    }
}
