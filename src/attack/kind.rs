//! The kinds of identity-layer attack, each with the AWS behaviour its verdict rests on.

use serde::Serialize;
use std::fmt;

/// One way of getting credentials other than the ones the application hands out.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
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
}

impl AttackKind {
    pub const ALL: [AttackKind; 5] = [
        AttackKind::BasicFlow,
        AttackKind::CustomRoleArn,
        AttackKind::IdentitySwap,
        AttackKind::Guest,
        AttackKind::Unmapped,
    ];

    /// The name used in case names and in the scenario's `attacks:` section.
    pub fn as_str(self) -> &'static str {
        match self {
            AttackKind::BasicFlow => "basic-flow",
            AttackKind::CustomRoleArn => "custom-role-arn",
            AttackKind::IdentitySwap => "identity-swap",
            AttackKind::Guest => "guest",
            AttackKind::Unmapped => "unmapped",
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
        }
    }

    /// The API call whose answer decides the case.
    pub fn api(self) -> &'static str {
        match self {
            AttackKind::BasicFlow => "sts:AssumeRoleWithWebIdentity",
            AttackKind::CustomRoleArn
            | AttackKind::IdentitySwap
            | AttackKind::Guest
            | AttackKind::Unmapped => "cognito-identity:GetCredentialsForIdentity",
        }
    }
}

impl fmt::Display for AttackKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
