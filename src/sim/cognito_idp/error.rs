//! The errors of the Cognito user pools API, with the codes its API reference lists.

use crate::sim::request::SimResponse;
use http::StatusCode;

/// The JSON 1.1 content type Cognito's APIs answer with.
pub const JSON_1_1: &str = "application/x-amz-json-1.1";

/// An error a user pools operation returns.
/// See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html#API_InitiateAuth_Errors>.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdpError {
    #[error("NotAuthorizedException: {0}")]
    NotAuthorized(String),
    #[error("UserNotFoundException: {0}")]
    UserNotFound(String),
    #[error("UserNotConfirmedException: {0}")]
    UserNotConfirmed(String),
    #[error("InvalidParameterException: {0}")]
    InvalidParameter(String),
    #[error("InvalidPasswordException: {0}")]
    InvalidPassword(String),
    #[error("UsernameExistsException: {0}")]
    UsernameExists(String),
    #[error("CodeMismatchException: {0}")]
    CodeMismatch(String),
    #[error("ResourceNotFoundException: {0}")]
    ResourceNotFound(String),
    /// IAM refused a signed administrative call.
    #[error("AccessDeniedException: {0}")]
    AccessDenied(String),
    /// An administrative call arrived without a SigV4 signature.
    #[error("MissingAuthenticationTokenException: {0}")]
    MissingAuthenticationToken(String),
    #[error("SerializationException: {0}")]
    Serialization(String),
    #[error("UnknownOperationException: {0}")]
    UnknownOperation(String),
    #[error("InternalErrorException: {0}")]
    Internal(String),
}

impl IdpError {
    pub fn code(&self) -> &'static str {
        match self {
            IdpError::NotAuthorized(_) => "NotAuthorizedException",
            IdpError::UserNotFound(_) => "UserNotFoundException",
            IdpError::UserNotConfirmed(_) => "UserNotConfirmedException",
            IdpError::InvalidParameter(_) => "InvalidParameterException",
            IdpError::InvalidPassword(_) => "InvalidPasswordException",
            IdpError::UsernameExists(_) => "UsernameExistsException",
            IdpError::CodeMismatch(_) => "CodeMismatchException",
            IdpError::ResourceNotFound(_) => "ResourceNotFoundException",
            IdpError::AccessDenied(_) => "AccessDeniedException",
            IdpError::MissingAuthenticationToken(_) => "MissingAuthenticationTokenException",
            IdpError::Serialization(_) => "SerializationException",
            IdpError::UnknownOperation(_) => "UnknownOperationException",
            IdpError::Internal(_) => "InternalErrorException",
        }
    }

    fn message(&self) -> &str {
        match self {
            IdpError::NotAuthorized(m)
            | IdpError::UserNotFound(m)
            | IdpError::UserNotConfirmed(m)
            | IdpError::InvalidParameter(m)
            | IdpError::InvalidPassword(m)
            | IdpError::UsernameExists(m)
            | IdpError::CodeMismatch(m)
            | IdpError::ResourceNotFound(m)
            | IdpError::AccessDenied(m)
            | IdpError::MissingAuthenticationToken(m)
            | IdpError::Serialization(m)
            | IdpError::UnknownOperation(m)
            | IdpError::Internal(m) => m,
        }
    }

    /// Client errors are HTTP 400 in Cognito's JSON APIs; internal errors are 500.
    /// See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/CommonErrors.html>.
    pub fn status(&self) -> StatusCode {
        match self {
            IdpError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::BAD_REQUEST,
        }
    }

    pub fn into_response(self) -> SimResponse {
        SimResponse::json_error(self.status(), JSON_1_1, self.code(), self.message())
    }

    /// The message Cognito gives for a wrong password, and for an unknown user when the
    /// client prevents user existence errors.
    /// See <https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-managing-errors.html>.
    pub fn incorrect_credentials() -> Self {
        IdpError::NotAuthorized("Incorrect username or password.".to_string())
    }
}
