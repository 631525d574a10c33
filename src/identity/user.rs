//! Who a scenario user is: how they sign in, how their identity becomes AWS credentials,
//! and which role they are expected to receive.

use super::target::AwsTarget;
use crate::redaction::Redactor;
use crate::secret::SecretString;

/// A user-pool app client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserPoolClient {
    /// `region_poolname`, for example `eu-west-1_AbCdEf123`.
    pub user_pool_id: String,
    pub client_id: String,
    /// Set when the app client has a secret; every call then carries SECRET_HASH.
    pub client_secret: Option<SecretString>,
}

impl UserPoolClient {
    /// The part after the underscore, which SRP hashes into the password verifier.
    pub fn pool_name(&self) -> &str {
        self.user_pool_id
            .split_once('_')
            .map_or(self.user_pool_id.as_str(), |(_, name)| name)
    }

    /// The identity-pool login provider name for this pool.
    // Logins keys for user pools: https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-integrating-user-pools-with-identity-pools.html.
    pub fn login_provider(&self, region: &str) -> String {
        format!("cognito-idp.{region}.amazonaws.com/{}", self.user_pool_id)
    }
}

/// How a user signs in to the user pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInFlow {
    /// `USER_PASSWORD_AUTH`: the password goes to Cognito over TLS.
    UserPassword,
    /// `USER_SRP_AUTH`: Secure Remote Password; the password never leaves the harness.
    UserSrp,
    /// `ADMIN_USER_PASSWORD_AUTH` with the ambient AWS credentials.
    AdminUserPassword,
    /// `CUSTOM_AUTH`: started with the username; the app's custom challenge that follows
    /// is one the harness cannot answer.
    Custom,
}

impl SignInFlow {
    pub fn as_str(self) -> &'static str {
        match self {
            SignInFlow::UserPassword => "USER_PASSWORD_AUTH",
            SignInFlow::UserSrp => "USER_SRP_AUTH",
            SignInFlow::AdminUserPassword => "ADMIN_USER_PASSWORD_AUTH",
            SignInFlow::Custom => "CUSTOM_AUTH",
        }
    }
}

/// How the identity pool turns an identity into AWS credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdentityFlow {
    /// GetId + GetCredentialsForIdentity; the pool's role mapping picks the role unless a
    /// custom role ARN is requested (and allowed by the mapping).
    Enhanced { custom_role_arn: Option<String> },
    /// GetId + GetOpenIdToken + STS AssumeRoleWithWebIdentity with the scenario's role.
    Basic { role_arn: String },
}

/// Whether the user signs in or is an unauthenticated guest of the identity pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserAccess {
    SignedIn {
        pool: UserPoolClient,
        username: String,
        password: SecretString,
        flow: SignInFlow,
    },
    /// An unauthenticated identity: GetId without logins.
    Guest,
}

/// Everything the harness needs to become one scenario user on AWS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserSpec {
    /// The scenario's name for the user (used in probe names and evidence).
    pub name: String,
    pub tenant: String,
    pub access: UserAccess,
    pub identity_pool_id: String,
    pub identity_flow: IdentityFlow,
    pub target: AwsTarget,
    /// The role ARN (or role name) the scenario expects the user to receive.
    pub expected_role: Option<String>,
    /// Every token and credential this user is issued is registered here the moment it
    /// arrives, so that no output shows it (the run shares one redactor among its users).
    pub redactor: Redactor,
}
