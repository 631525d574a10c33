//! The kinds of identity-layer attack, each with the AWS behaviour its verdict rests on.

use serde::Serialize;
use std::fmt;

/// One way of getting credentials other than the ones the application hands out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AttackKind {
    /// GetId → GetOpenIdToken → STS AssumeRoleWithWebIdentity on another role.
    BasicFlow,
    /// GetCredentialsForIdentity with CustomRoleArn set to another role.
    CustomRoleArn,
    /// GetCredentialsForIdentity with another user's identity id and this user's logins.
    IdentitySwap,
    /// GetId and GetCredentialsForIdentity without logins, on a matrix that lists no guest.
    Guest,
    /// GetCredentialsForIdentity for a user declared `credentials: refused`.
    Unmapped,
    /// A guest token of `attacks.foreign_pool` → STS AssumeRoleWithWebIdentity on a role.
    ForeignToken,
    /// GlobalSignOut, then the old ID token and refresh token (opt-in: ends the session).
    Revocation,
}

impl AttackKind {
    pub const ALL: [AttackKind; 7] = [
        AttackKind::BasicFlow,
        AttackKind::CustomRoleArn,
        AttackKind::IdentitySwap,
        AttackKind::Guest,
        AttackKind::Unmapped,
        AttackKind::ForeignToken,
        AttackKind::Revocation,
    ];

    /// Whether the kind runs only when the scenario switches it on (it changes state that
    /// cannot be undone within the run).
    pub fn opt_in(self) -> bool {
        self == AttackKind::Revocation
    }

    /// The name used in case names and in the scenario's `attacks:` section.
    pub fn as_str(self) -> &'static str {
        match self {
            AttackKind::BasicFlow => "basic-flow",
            AttackKind::CustomRoleArn => "custom-role-arn",
            AttackKind::IdentitySwap => "identity-swap",
            AttackKind::Guest => "guest",
            AttackKind::Unmapped => "unmapped",
            AttackKind::ForeignToken => "foreign-token",
            AttackKind::Revocation => "revocation",
        }
    }

    /// What the case expects, in one line (shown as the case's rule).
    pub fn rule(self) -> &'static str {
        match self {
            AttackKind::BasicFlow => {
                "the basic flow must not yield a role the user does not get from the pool"
            }
            AttackKind::CustomRoleArn => {
                "CustomRoleArn must not yield a role the user does not get from the pool"
            }
            AttackKind::IdentitySwap => {
                "another user's identity id must not yield credentials for these logins"
            }
            AttackKind::Guest => "an unauthenticated identity must not reach any tenant resource",
            AttackKind::Unmapped => "a user no role mapping matches must be refused credentials",
            AttackKind::ForeignToken => {
                "a token from an identity pool the application does not own must assume no role"
            }
            AttackKind::Revocation => {
                "after GlobalSignOut the old ID token must mint no credentials and the refresh token must be refused"
            }
        }
    }

    /// The AWS documentation the verdict of this kind follows.
    pub fn reference(self) -> &'static str {
        match self {
            AttackKind::BasicFlow => {
                "https://docs.aws.amazon.com/cognito/latest/developerguide/authentication-flow.html"
            }
            AttackKind::CustomRoleArn => {
                "https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetCredentialsForIdentity.html"
            }
            AttackKind::IdentitySwap => {
                "https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetCredentialsForIdentity.html"
            }
            AttackKind::Guest => {
                "https://docs.aws.amazon.com/cognito/latest/developerguide/identity-pools.html"
            }
            AttackKind::Unmapped => {
                "https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_RoleMapping.html"
            }
            AttackKind::ForeignToken => {
                "https://docs.aws.amazon.com/cognito/latest/developerguide/role-trust-and-permissions.html"
            }
            AttackKind::Revocation => {
                "https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_CognitoIdentityProvider.html"
            }
        }
    }

    /// The API call whose answer decides the case.
    pub fn api(self) -> &'static str {
        match self {
            AttackKind::BasicFlow | AttackKind::ForeignToken => "sts:AssumeRoleWithWebIdentity",
            AttackKind::CustomRoleArn
            | AttackKind::IdentitySwap
            | AttackKind::Guest
            | AttackKind::Unmapped
            | AttackKind::Revocation => "cognito-identity:GetCredentialsForIdentity",
        }
    }
}

impl fmt::Display for AttackKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
