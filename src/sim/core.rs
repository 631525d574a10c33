//! What every service of local staging needs from the core: authorization, STS's
//! web-identity exchange, and the registry of token issuers.

use super::iam::{Evaluation, NamedPolicy, RequestContext};
use super::principal::Principal;
use std::time::SystemTime;

/// One authorization question a service asks about a signed request.
#[derive(Debug, Clone)]
pub struct AccessRequest<'a> {
    pub principal: &'a Principal,
    /// `service:Operation`, for example `s3:GetObject`.
    pub action: &'a str,
    /// The resource ARN, or `*` for actions that support no resource (ListSecrets).
    pub resource: &'a str,
    /// Service-specific keys (`s3:prefix`, `dynamodb:LeadingKeys`, `aws:ResourceTag/*`);
    /// the core adds the global `aws:*` keys and the principal's federated keys.
    pub context: RequestContext,
    /// The resource's own policy (bucket policy, secret resource policy), if any.
    pub resource_policy: Option<&'a NamedPolicy>,
}

/// AssumeRoleWithWebIdentity's parameters, as Cognito's identity pools and the STS API pass them.
/// See <https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html>.
/// `Debug` masks the token.
#[derive(Clone)]
pub struct WebIdentityRequest {
    pub role_arn: String,
    pub role_session_name: String,
    pub web_identity_token: String,
    pub duration_seconds: Option<u32>,
    /// An inline session policy (JSON).
    pub policy: Option<String>,
    pub policy_arns: Vec<String>,
}

/// Temporary credentials STS issued. `Debug` masks the secret key and the session token.
#[derive(Clone)]
pub struct IssuedCredentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: String,
    pub expiration: SystemTime,
    /// `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`.
    pub assumed_role_arn: String,
    /// `ROLEID:SESSION`.
    pub assumed_role_id: String,
    /// The token's `sub`.
    pub subject_from_web_identity_token: String,
    /// The token's `aud`.
    pub audience: String,
    /// The token's `iss` (the provider).
    pub provider: String,
}

impl std::fmt::Debug for WebIdentityRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebIdentityRequest")
            .field("role_arn", &self.role_arn)
            .field("role_session_name", &self.role_session_name)
            .field("web_identity_token", &"***")
            .field("duration_seconds", &self.duration_seconds)
            .field("policy", &self.policy)
            .field("policy_arns", &self.policy_arns)
            .finish()
    }
}

impl std::fmt::Debug for IssuedCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedCredentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"***")
            .field("session_token", &"***")
            .field("expiration", &self.expiration)
            .field("assumed_role_arn", &self.assumed_role_arn)
            .field("assumed_role_id", &self.assumed_role_id)
            .field(
                "subject_from_web_identity_token",
                &self.subject_from_web_identity_token,
            )
            .field("audience", &self.audience)
            .field("provider", &self.provider)
            .finish()
    }
}

/// An STS error with the code and HTTP status the STS API reference lists for it.
/// See <https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html#API_AssumeRoleWithWebIdentity_Errors>.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct StsError {
    /// `AccessDenied`, `InvalidIdentityToken`, `ExpiredTokenException`, `IDPRejectedClaim`,
    /// `MalformedPolicyDocument`, `PackedPolicyTooLarge`, `ValidationError`, ...
    pub code: String,
    pub message: String,
    pub status: u16,
}

/// A JWT issuer whose tokens STS accepts (an OIDC identity provider, or one of local
/// staging's Cognito pools registering itself).
#[derive(Debug, Clone)]
pub struct TokenIssuer {
    /// The `iss` claim, for example `https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC`
    /// or `cognito-identity.amazonaws.com`.
    pub issuer: String,
    /// The signing keys as a JWKS document (`{"keys": [...]}`).
    pub jwks: serde_json::Value,
    /// Accepted `aud` values; empty accepts any (Cognito identity's own issuer checks
    /// `aud` through the trust policy instead).
    pub client_ids: Vec<String>,
    /// The `Federated` principal a trust policy names for this issuer.
    pub federated_principal: String,
}

/// The core services offer each other. Implemented by local staging's shared state.
pub trait SimCore: Send + Sync {
    fn account_id(&self) -> &str;
    fn region(&self) -> &str;
    /// The current time; tests may pin it.
    fn now(&self) -> SystemTime;
    /// Evaluates a request with the principal's identity policies, its session policies and
    /// the given resource policy, following AWS's evaluation logic.
    fn authorize(&self, request: &AccessRequest<'_>) -> Evaluation;
    /// STS AssumeRoleWithWebIdentity: verifies the token, evaluates the trust policy and
    /// issues a session.
    fn assume_role_with_web_identity(
        &self,
        request: &WebIdentityRequest,
    ) -> Result<IssuedCredentials, StsError>;
    /// Makes STS accept tokens from this issuer.
    fn register_issuer(&self, issuer: TokenIssuer);
    /// Verifies a JWT against the registered issuers: signature (RS256 with a key from the
    /// issuer's JWKS, selected by `kid`), `iss` registered, `exp` in the future, and `aud`
    /// among the issuer's client ids when it has any. Returns the issuer and the claims.
    fn verify_token(&self, token: &str) -> Result<VerifiedToken, StsError>;
}

/// A JWT whose signature and lifetime the core checked.
#[derive(Debug, Clone)]
pub struct VerifiedToken {
    pub issuer: String,
    pub claims: serde_json::Value,
}
