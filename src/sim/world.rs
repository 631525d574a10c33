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
