//! The authenticated caller behind a set of credentials.

use super::iam::{NamedPolicy, RequestContext};
use std::collections::BTreeMap;
use std::time::SystemTime;

/// What kind of IAM identity signed the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalKind {
    /// A role session from STS: `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`.
    AssumedRole {
        role_arn: String,
        role_name: String,
        session_name: String,
    },
    /// An IAM user with long-term keys from the world file: `arn:aws:iam::ACCOUNT:user/NAME`.
    IamUser { user_name: String },
}

/// The caller a verified signature resolves to.
#[derive(Debug, Clone)]
pub struct Principal {
    pub kind: PrincipalKind,
    /// The caller's ARN as GetCallerIdentity returns it.
    pub arn: String,
    pub account: String,
    /// `aws:userid`: `ROLEID:SESSION` for a role session, the user id for a user.
    /// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#principaltable>.
    pub userid: String,
    pub access_key_id: String,
    /// Session tags (`aws:PrincipalTag/*`), role or user tags merged under them.
    pub principal_tags: BTreeMap<String, String>,
    /// Session policies passed at AssumeRole* time; `None` when none were passed.
    pub session_policies: Option<Vec<NamedPolicy>>,
    /// Keys carried from the web identity that created the session, such as
    /// `cognito-identity.amazonaws.com:sub`, usable as policy variables.
    pub federated_context: RequestContext,
    /// When the credentials stop working; `None` for long-term keys.
    pub expires: Option<SystemTime>,
}
