//! AWS's policy evaluation logic.
//! CONTRACT PLACEHOLDER: the IAM engine work replaces the body of `evaluate`.

use super::{Evaluation, NamedPolicy, RequestContext};

/// Who is asking, as `Principal` / `NotPrincipal` elements of resource-based and trust
/// policies match it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrincipalMatch {
    /// Values an `"AWS"` principal element may name for this caller: the role ARN, the
    /// assumed-role session ARN, the account root ARN, the account id.
    pub aws: Vec<String>,
    /// The identity provider of a web-identity caller (`cognito-identity.amazonaws.com`,
    /// an OIDC provider ARN), matched by `"Federated"`.
    pub federated: Option<String>,
    /// A service principal such as `s3.amazonaws.com`, matched by `"Service"`.
    pub service: Option<String>,
}

/// Everything one evaluation needs. The caller builds the full context, including the
/// global `aws:*` keys.
#[derive(Debug, Clone)]
pub struct EvaluationInput<'a> {
    /// `service:Operation`, for example `s3:GetObject`.
    pub action: &'a str,
    /// The resource ARN, or `*`.
    pub resource: &'a str,
    pub principal: &'a PrincipalMatch,
    pub context: &'a RequestContext,
    pub identity_policies: &'a [NamedPolicy],
    /// A bucket policy, secret resource policy or role trust policy.
    pub resource_policy: Option<&'a NamedPolicy>,
    /// The kind to report for `resource_policy` (resource-based or trust).
    pub resource_policy_is_trust: bool,
    /// `None` when the session was created without session policies.
    pub session_policies: Option<&'a [NamedPolicy]>,
    pub permissions_boundary: Option<&'a NamedPolicy>,
}

/// Evaluates one request.
pub fn evaluate(_input: &EvaluationInput<'_>) -> Evaluation {
    todo!("IAM engine")
}
