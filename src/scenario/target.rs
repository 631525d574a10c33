//! The validated target: region, user pool and app client, identity pool, and whether
//! this is local staging.

use super::secret_source::SecretSource;
use serde::Serialize;
use std::path::PathBuf;

/// Where a scenario runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub region: String,
    pub user_pool: UserPoolTarget,
    pub identity_pool: IdentityPoolTarget,
    /// The local staging world file (resolved against the scenario's folder), or `None`
    /// for a real AWS account.
    pub local_world: Option<PathBuf>,
}

/// The user pool and app client users sign in with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserPoolTarget {
    pub id: String,
    pub client_id: String,
    pub client_secret: Option<SecretSource>,
    pub sign_in: SignInFlow,
}

/// The identity pool users exchange their ID token at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityPoolTarget {
    pub id: String,
    pub flow: IdentityFlow,
}

/// User-pool sign-in flow (Cognito API Reference, InitiateAuth / AdminInitiateAuth
/// `AuthFlow`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum SignInFlow {
    /// `USER_PASSWORD_AUTH`.
    UserPassword,
    /// `USER_SRP_AUTH`.
    UserSrp,
    /// `ADMIN_USER_PASSWORD_AUTH`, with the ambient AWS credentials.
    AdminUserPassword,
    /// `CUSTOM_AUTH`: the pool's own challenges, which the harness reports it cannot answer.
    Custom,
}

/// Identity pool authentication flow (Cognito Developer Guide, "Identity pools (federated
/// identities) authentication flow").
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum IdentityFlow {
    /// GetId + GetCredentialsForIdentity.
    Enhanced,
    /// GetId + GetOpenIdToken + STS AssumeRoleWithWebIdentity.
    Basic,
}
