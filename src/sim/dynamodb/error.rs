//! The errors local staging's DynamoDB returns, in the shape of the DynamoDB JSON protocol.

use crate::sim::request::SimResponse;
use http::StatusCode;

/// The content type of every DynamoDB response.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.LowLevelAPI.html>.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.0";

/// An error a DynamoDB operation answers with. Every variant is a 400, as the DynamoDB
/// error reference lists them, except `InternalServerError`.
/// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html>.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DynamoDbError {
    /// The caller is not allowed to perform the action on the resource.
    #[error("access denied: {0}")]
    AccessDenied(String),
    /// The table does not exist.
    #[error("requested resource not found")]
    ResourceNotFound,
    /// A `ConditionExpression` evaluated to false.
    #[error("the conditional request failed")]
    ConditionalCheckFailed,
    /// The request is well-formed JSON but breaks a rule of the API.
    #[error("validation failed: {0}")]
    Validation(String),
    /// The body is not the JSON the operation expects.
    #[error("malformed request body: {0}")]
    Serialization(String),
    /// The `X-Amz-Target` names no DynamoDB operation local staging serves.
    #[error("unknown operation `{0}`")]
    UnknownOperation(String),
    /// The request carried no signature.
    #[error("request is missing an authentication token")]
    MissingAuthenticationToken,
}

impl DynamoDbError {
    /// The `__type` of the error body. DynamoDB's own errors live in the
    /// `com.amazonaws.dynamodb.v20120810` namespace; request validation and the service
    /// framework's errors in `com.amazon.coral.*`, which is what DynamoDB sends.
    /// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html#Programming.Errors.MessagesAndCodes>.
    pub fn type_name(&self) -> &'static str {
        match self {
            DynamoDbError::AccessDenied(_) => {
                "com.amazonaws.dynamodb.v20120810#AccessDeniedException"
            }
            DynamoDbError::ResourceNotFound => {
                "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException"
            }
            DynamoDbError::ConditionalCheckFailed => {
                "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException"
            }
            DynamoDbError::Validation(_) => "com.amazon.coral.validate#ValidationException",
            DynamoDbError::Serialization(_) => "com.amazon.coral.service#SerializationException",
            DynamoDbError::UnknownOperation(_) => {
                "com.amazon.coral.service#UnknownOperationException"
            }
            DynamoDbError::MissingAuthenticationToken => {
                "com.amazon.coral.service#MissingAuthenticationTokenException"
            }
        }
    }

    /// The short error code the SDKs match on (the part after `#`).
    pub fn code(&self) -> &'static str {
        let full = self.type_name();
        full.rsplit('#').next().unwrap_or(full)
    }

    /// The `message` of the error body, worded as DynamoDB words it.
    pub fn message(&self) -> String {
        match self {
            DynamoDbError::AccessDenied(message)
            | DynamoDbError::Validation(message)
            | DynamoDbError::Serialization(message) => message.clone(),
            // DynamoDB's message for a missing table.
            // See <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html#API_GetItem_Errors>.
            DynamoDbError::ResourceNotFound => "Requested resource not found".to_string(),
            // See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html>.
            DynamoDbError::ConditionalCheckFailed => "The conditional request failed".to_string(),
            DynamoDbError::UnknownOperation(_) => String::new(),
            DynamoDbError::MissingAuthenticationToken => {
                "Request is missing Authentication Token".to_string()
            }
        }
    }

    /// The HTTP status: DynamoDB answers every client error with 400.
    /// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html#Programming.Errors.MessagesAndCodes.http400>.
    pub fn status(&self) -> StatusCode {
        StatusCode::BAD_REQUEST
    }

    /// The error as the HTTP response DynamoDB sends.
    pub fn to_response(&self) -> SimResponse {
        SimResponse::json_error(
            self.status(),
            CONTENT_TYPE,
            self.type_name(),
            &self.message(),
        )
    }

    /// A `ValidationException` with the given message.
    pub fn validation(message: impl Into<String>) -> Self {
        DynamoDbError::Validation(message.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(error: &DynamoDbError) -> serde_json::Value {
        let response = error.to_response();
        assert_eq!(response.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            response.headers.get(http::header::CONTENT_TYPE).unwrap(),
            CONTENT_TYPE
        );
        serde_json::from_slice(&response.body).unwrap()
    }

    #[test]
    fn access_denied_carries_the_message_and_dynamodb_type() {
        let value = body(&DynamoDbError::AccessDenied(
            "User: x is not authorized".into(),
        ));
        assert_eq!(
            value["__type"],
            "com.amazonaws.dynamodb.v20120810#AccessDeniedException"
        );
        assert_eq!(value["message"], "User: x is not authorized");
    }

    #[test]
    fn resource_not_found_uses_aws_wording() {
        let value = body(&DynamoDbError::ResourceNotFound);
        assert_eq!(
            value["__type"],
            "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException"
        );
        assert_eq!(value["message"], "Requested resource not found");
    }

    #[test]
    fn conditional_check_failed_uses_aws_wording() {
        let value = body(&DynamoDbError::ConditionalCheckFailed);
        assert_eq!(
            value["__type"],
            "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException"
        );
        assert_eq!(value["message"], "The conditional request failed");
    }

    #[test]
    fn validation_uses_the_coral_namespace() {
        let error = DynamoDbError::validation("bad");
        assert_eq!(error.code(), "ValidationException");
        assert_eq!(
            body(&error)["__type"],
            "com.amazon.coral.validate#ValidationException"
        );
    }

    #[test]
    fn missing_token_is_a_400_with_coral_type() {
        let value = body(&DynamoDbError::MissingAuthenticationToken);
        assert_eq!(
            value["__type"],
            "com.amazon.coral.service#MissingAuthenticationTokenException"
        );
    }
}
