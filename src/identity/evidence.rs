//! What a user's sign-in and credential exchange showed: never the tokens themselves.
//! CONTRACT between the harness (which fills it) and the reporters (which read it).

use serde::Serialize;

/// Per-user evidence of who the harness was on AWS.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct UserEvidence {
    pub user: String,
    pub tenant: String,
    pub identity_id: Option<String>,
    /// The assumed-role ARN from GetCallerIdentity.
    pub caller_arn: Option<String>,
    /// The role ARN derived from `caller_arn`.
    pub role_arn: Option<String>,
    pub account: Option<String>,
    /// `cognito:groups` from the ID token.
    pub groups: Vec<String>,
    /// `cognito:preferred_role` from the ID token.
    pub preferred_role: Option<String>,
    /// `cognito:roles` from the ID token.
    pub roles: Vec<String>,
    /// The sign-in or exchange failure, when there was one (never containing a secret).
    pub error: Option<String>,
}
