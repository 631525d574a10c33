//! The errors of the Cognito identity pools API, with the codes its API reference lists.

use crate::sim::request::SimResponse;
use http::StatusCode;

const JSON_1_1: &str = "application/x-amz-json-1.1";

/// An error an identity pools operation returns.
/// See <https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetCredentialsForIdentity.html#API_GetCredentialsForIdentity_Errors>.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdentityError {
    #[error("NotAuthorizedException: {0}")]
    NotAuthorized(String),
    #[error("ResourceNotFoundException: {0}")]
    ResourceNotFound(String),
    #[error("InvalidParameterException: {0}")]
    InvalidParameter(String),
    /// A member that breaks the API's constraints (pattern, length).
    #[error("ValidationException: {0}")]
    Validation(String),
    /// The role refused the identity pool's token (its trust policy), or no role is set.
    #[error("InvalidIdentityPoolConfigurationException: {0}")]
    InvalidIdentityPoolConfiguration(String),
    /// STS failed for a reason other than the trust policy.
    #[error("ExternalServiceException: {0}")]
    ExternalService(String),
    #[error("ResourceConflictException: {0}")]
    ResourceConflict(String),
    #[error("SerializationException: {0}")]
    Serialization(String),
    #[error("UnknownOperationException: {0}")]
    UnknownOperation(String),
    #[error("InternalErrorException: {0}")]
    Internal(String),
    /// IAM denied a signed configuration read.
    #[error("AccessDeniedException: {0}")]
    AccessDenied(String),
    /// A configuration read arrived without a SigV4 signature.
    #[error("MissingAuthenticationTokenException: {0}")]
    MissingAuthenticationToken(String),
}

impl IdentityError {
    pub fn code(&self) -> &'static str {
        match self {
            IdentityError::NotAuthorized(_) => "NotAuthorizedException",
            IdentityError::ResourceNotFound(_) => "ResourceNotFoundException",
            IdentityError::InvalidParameter(_) => "InvalidParameterException",
            IdentityError::Validation(_) => "ValidationException",
            IdentityError::InvalidIdentityPoolConfiguration(_) => {
                "InvalidIdentityPoolConfigurationException"
            }
            IdentityError::ExternalService(_) => "ExternalServiceException",
            IdentityError::ResourceConflict(_) => "ResourceConflictException",
            IdentityError::Serialization(_) => "SerializationException",
            IdentityError::UnknownOperation(_) => "UnknownOperationException",
            IdentityError::Internal(_) => "InternalErrorException",
            IdentityError::AccessDenied(_) => "AccessDeniedException",
            IdentityError::MissingAuthenticationToken(_) => "MissingAuthenticationTokenException",
        }
    }

    fn message(&self) -> &str {
        match self {
            IdentityError::NotAuthorized(m)
            | IdentityError::ResourceNotFound(m)
            | IdentityError::InvalidParameter(m)
            | IdentityError::Validation(m)
            | IdentityError::InvalidIdentityPoolConfiguration(m)
            | IdentityError::ExternalService(m)
            | IdentityError::ResourceConflict(m)
            | IdentityError::Serialization(m)
            | IdentityError::UnknownOperation(m)
            | IdentityError::Internal(m)
            | IdentityError::AccessDenied(m)
            | IdentityError::MissingAuthenticationToken(m) => m,
        }
    }

    /// Client errors are HTTP 400; internal errors 500.
    /// See <https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/CommonErrors.html>.
    pub fn into_response(self) -> SimResponse {
        let status = match self {
            IdentityError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            // An unsigned request is refused with 403, as every signed AWS API does
            // (https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/CommonErrors.html).
            IdentityError::MissingAuthenticationToken(_) => StatusCode::FORBIDDEN,
            _ => StatusCode::BAD_REQUEST,
        };
        SimResponse::json_error(status, JSON_1_1, self.code(), self.message())
    }

    /// The message AWS gives when a role is missing or refuses the identity pool.
    pub fn invalid_configuration() -> Self {
        IdentityError::InvalidIdentityPoolConfiguration(
            "Invalid identity pool configuration. Check assigned IAM roles for this pool."
                .to_string(),
        )
    }
}
