//! Secrets Manager errors in the JSON 1.1 shape, with the codes and messages the API
//! reference lists.
//! See https://docs.aws.amazon.com/secretsmanager/latest/apireference/CommonErrors.html.

use http::StatusCode;

use crate::sim::request::SimResponse;

pub(crate) const JSON_CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// One Secrets Manager error. Messages never carry secret values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("secrets manager error {code} ({status}): {message}")]
pub struct SecretsError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl SecretsError {
    fn client(code: &'static str, message: impl Into<String>) -> SecretsError {
        SecretsError {
            status: StatusCode::BAD_REQUEST,
            code,
            message: message.into(),
        }
    }

    /// 400 AccessDeniedException, the JSON protocol's denial.
    /// See https://docs.aws.amazon.com/secretsmanager/latest/apireference/CommonErrors.html.
    pub fn access_denied(message: String) -> SecretsError {
        SecretsError::client("AccessDeniedException", message)
    }

    /// See https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html#API_GetSecretValue_Errors.
    pub fn secret_not_found() -> SecretsError {
        SecretsError::client(
            "ResourceNotFoundException",
            "Secrets Manager can't find the specified secret.",
        )
    }

    /// A version that does not exist, named by id or label.
    pub fn version_not_found(what: &str, value: &str) -> SecretsError {
        SecretsError::client(
            "ResourceNotFoundException",
            format!("Secrets Manager can't find the specified secret value for {what}: {value}"),
        )
    }

    /// See https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html#API_CreateSecret_Errors.
    pub fn resource_exists(message: impl Into<String>) -> SecretsError {
        SecretsError::client("ResourceExistsException", message)
    }

    /// A `ClientRequestToken` that names an existing version with a different value: a
    /// version cannot be modified. The wording follows what AWS returns (the API reference
    /// lists only the code), as the emulators validated against AWS reproduce it.
    /// See https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutSecretValue.html#API_PutSecretValue_Errors.
    pub fn token_in_use(token: &str, arn: &str) -> SecretsError {
        SecretsError::resource_exists(format!(
            "You can't use ClientRequestToken {token} because that value is already in use for a version of secret {arn}."
        ))
    }

    /// The secret is scheduled for deletion.
    /// See https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html#API_GetSecretValue_Errors.
    pub fn marked_for_deletion() -> SecretsError {
        SecretsError::client(
            "InvalidRequestException",
            "You can't perform this operation on the secret because it was marked for deletion.",
        )
    }

    pub fn invalid_request(message: impl Into<String>) -> SecretsError {
        SecretsError::client("InvalidRequestException", message)
    }

    pub fn invalid_parameter(message: impl Into<String>) -> SecretsError {
        SecretsError::client("InvalidParameterException", message)
    }

    /// See https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_ListSecrets.html#API_ListSecrets_Errors.
    pub fn invalid_next_token() -> SecretsError {
        SecretsError::client(
            "InvalidNextTokenException",
            "The NextToken value is invalid.",
        )
    }

    /// A body that is not JSON. The message never echoes the body.
    pub fn serialization() -> SecretsError {
        SecretsError::client(
            "SerializationException",
            "request body is not a valid JSON object",
        )
    }

    /// A request without credentials.
    /// See https://docs.aws.amazon.com/secretsmanager/latest/apireference/CommonErrors.html.
    pub fn missing_authentication() -> SecretsError {
        SecretsError {
            status: StatusCode::FORBIDDEN,
            code: "MissingAuthenticationTokenException",
            message: "Missing Authentication Token".to_string(),
        }
    }

    /// An operation local staging does not serve; never a success or a denial.
    pub fn unknown_operation(operation: &str) -> SecretsError {
        SecretsError::client(
            "UnknownOperationException",
            format!("local staging does not implement secretsmanager {operation}"),
        )
    }

    /// See https://docs.aws.amazon.com/secretsmanager/latest/apireference/CommonErrors.html.
    pub fn internal() -> SecretsError {
        SecretsError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: "InternalServiceError",
            message: "An error occurred on the server side.".to_string(),
        }
    }

    pub fn to_response(&self) -> SimResponse {
        SimResponse::json_error(self.status, JSON_CONTENT_TYPE, self.code, &self.message)
    }
}
