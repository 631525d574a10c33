//! The kinds of identity-layer attack, each with the AWS behaviour its verdict rests on.

use serde::Serialize;
use std::fmt;

/// One way of getting credentials other than the ones the application hands out.
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
    /// UpdateUserAttributes with the user's own access token, setting a claim that can
    /// decide a role or a principal tag to another tenant's value.
    ClaimTamper,
    /// SignUp with the app client, as a stranger carrying another tenant's claims.
    SignUp,
    /// A guest token of `attacks.foreign_pool` → STS AssumeRoleWithWebIdentity on a role.
    ForeignToken,
    /// GlobalSignOut, then the old ID token and refresh token (opt-in: ends the session).
    Revocation,
}

impl AttackKind {
    pub const ALL: [AttackKind; 9] = [
        AttackKind::BasicFlow,
        AttackKind::CustomRoleArn,
        AttackKind::IdentitySwap,
        AttackKind::Guest,
        AttackKind::Unmapped,
        AttackKind::ClaimTamper,
        AttackKind::SignUp,
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
            AttackKind::ClaimTamper => "claim-tamper",
            AttackKind::SignUp => "sign-up",
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
            AttackKind::ClaimTamper => {
                "a user must not change a claim that decides their role or principal tags"
            }
            AttackKind::SignUp => "a stranger must not sign up to the user pool",
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
            AttackKind::ClaimTamper => {
                "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateUserAttributes.html"
            }
            AttackKind::SignUp => {
                "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SignUp.html"
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
            AttackKind::ClaimTamper => "cognito-idp:UpdateUserAttributes",
            AttackKind::SignUp => "cognito-idp:SignUp",
        }
    }
}

impl fmt::Display for AttackKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
