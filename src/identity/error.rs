//! Why a user could not become an AWS principal. No variant ever carries a secret.

use super::srp::SrpError;

type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
    #[error("user `{user}` could not sign in with {flow}")]
    SignIn {
        user: String,
        flow: &'static str,
        #[source]
        source: BoxError,
    },
    #[error(
        "user `{user}` was asked for the `{challenge}` challenge, which the harness cannot answer"
    )]
    UnsupportedChallenge { user: String, challenge: String },
    #[error("user `{user}` could not answer the SRP challenge")]
    Srp {
        user: String,
        #[source]
        source: SrpError,
    },
    #[error("user `{user}`: {operation} returned no {missing}")]
    IncompleteResponse {
        user: String,
        operation: &'static str,
        missing: &'static str,
    },
    #[error("user `{user}`: the identity-pool exchange failed at {operation}")]
    Exchange {
        user: String,
        operation: &'static str,
        /// The AWS error code, when the service answered (for example STS `AccessDenied`
        /// when a trust policy refuses the role).
        code: Option<String>,
        #[source]
        source: BoxError,
    },
    #[error("user `{user}`: GetCallerIdentity failed with the exchanged credentials")]
    CallerIdentity {
        user: String,
        #[source]
        source: BoxError,
    },
    #[error("user `{user}`: the ID token payload could not be decoded")]
    IdToken {
        user: String,
        #[source]
        source: BoxError,
    },
}

impl IdentityError {
    /// The AWS error code of a failed exchange call, if the service answered with one.
    pub fn aws_error_code(&self) -> Option<&str> {
        match self {
            IdentityError::Exchange { code, .. } => code.as_deref(),
            _ => None,
        }
    }
}
