//! Why the front door refused a request before any service saw it, and how each AWS
//! protocol reports it.

use super::request::SimResponse;
use super::router::Protocol;
use http::StatusCode;

/// A request the front door refuses: a signature, credential or framing problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    #[error("malformed signature: {0}")]
    Malformed(String),
    #[error("the access key id is unknown")]
    UnknownAccessKey,
    #[error("the signature does not match")]
    SignatureMismatch,
    #[error("the credential is scoped to region `{0}`")]
    WrongRegion(String),
    #[error("the session token is missing or does not belong to the access key")]
    InvalidToken,
    #[error("the security token has expired")]
    ExpiredToken,
    #[error("the request time is more than 15 minutes away from the server's time")]
    RequestTimeTooSkewed,
    #[error("the presigned request has expired")]
    PresignedExpired,
    #[error("the payload does not match x-amz-content-sha256")]
    ContentHashMismatch,
    #[error("the payload does not match its {0} checksum")]
    ChecksumMismatch(String),
    #[error("malformed aws-chunked body: {0}")]
    MalformedChunkedBody(String),
    #[error("unsupported payload signing `{0}`")]
    UnsupportedPayload(String),
    #[error("the request is not signed")]
    MissingAuthentication,
    #[error("the request body could not be read or exceeds 64 MiB")]
    UnreadableBody,
}

impl AuthError {
    /// The error as the service's protocol reports it.
    pub fn to_response(&self, protocol: Protocol, request_id: &str) -> SimResponse {
        match protocol {
            Protocol::RestXml => self.s3_response(request_id),
            Protocol::Json { content_type } => self.json_response(content_type),
            Protocol::Query => self.query_response(request_id),
        }
    }

    /// Amazon S3's error codes.
    /// See <https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList>.
    fn s3_response(&self, request_id: &str) -> SimResponse {
        let (status, code, message) = match self {
            AuthError::Malformed(detail) => (
                StatusCode::BAD_REQUEST,
                "AuthorizationHeaderMalformed",
                format!("The authorization header is malformed: {detail}"),
            ),
            AuthError::UnknownAccessKey => (
                StatusCode::FORBIDDEN,
                "InvalidAccessKeyId",
                "The AWS Access Key Id you provided does not exist in our records.".into(),
            ),
            AuthError::SignatureMismatch => (
                StatusCode::FORBIDDEN,
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided. Check your key and signing method.".into(),
            ),
            AuthError::WrongRegion(region) => (
                StatusCode::BAD_REQUEST,
                "AuthorizationHeaderMalformed",
                format!("The authorization header is malformed; the region '{region}' is wrong."),
            ),
            AuthError::InvalidToken => (
                StatusCode::BAD_REQUEST,
                "InvalidToken",
                "The provided token is malformed or otherwise invalid.".into(),
            ),
            AuthError::ExpiredToken => (
                StatusCode::BAD_REQUEST,
                "ExpiredToken",
                "The provided token has expired.".into(),
            ),
            AuthError::RequestTimeTooSkewed => (
                StatusCode::FORBIDDEN,
                "RequestTimeTooSkewed",
                "The difference between the request time and the server's time is too large."
                    .into(),
            ),
            AuthError::PresignedExpired => (
                StatusCode::FORBIDDEN,
                "AccessDenied",
                "Request has expired".into(),
            ),
            AuthError::ContentHashMismatch => (
                StatusCode::BAD_REQUEST,
                "XAmzContentSHA256Mismatch",
                "The provided 'x-amz-content-sha256' header does not match what was computed."
                    .into(),
            ),
            AuthError::ChecksumMismatch(algorithm) => (
                StatusCode::BAD_REQUEST,
                "BadDigest",
                format!("The {algorithm} you specified did not match the calculated checksum."),
            ),
            AuthError::MalformedChunkedBody(detail) => (
                StatusCode::BAD_REQUEST,
                "IncompleteBody",
                format!("The aws-chunked body is malformed: {detail}"),
            ),
            AuthError::UnreadableBody => (
                StatusCode::BAD_REQUEST,
                "IncompleteBody",
                "The request body could not be read in full.".into(),
            ),
            AuthError::UnsupportedPayload(mode) => (
                StatusCode::NOT_IMPLEMENTED,
                "NotImplemented",
                format!("Local staging does not support the payload signing mode {mode}."),
            ),
            AuthError::MissingAuthentication => (
                StatusCode::FORBIDDEN,
                "AccessDenied",
                "Access Denied".into(),
            ),
        };
        s3_error(status, code, &message, request_id)
    }

    /// The errors AWS JSON services (DynamoDB, Secrets Manager, Cognito) return.
    /// See <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html>.
    fn json_response(&self, content_type: &str) -> SimResponse {
        let (code, message) = match self {
            AuthError::Malformed(detail) => (
                "IncompleteSignatureException",
                format!("The request signature is malformed: {detail}"),
            ),
            AuthError::UnknownAccessKey | AuthError::InvalidToken => (
                "UnrecognizedClientException",
                "The security token included in the request is invalid.".to_string(),
            ),
            AuthError::SignatureMismatch => (
                "InvalidSignatureException",
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.".to_string(),
            ),
            AuthError::WrongRegion(region) => (
                "InvalidSignatureException",
                format!("Credential should be scoped to a valid region, not '{region}'."),
            ),
            AuthError::ExpiredToken => (
                "ExpiredTokenException",
                "The security token included in the request is expired".to_string(),
            ),
            AuthError::RequestTimeTooSkewed | AuthError::PresignedExpired => (
                "InvalidSignatureException",
                "Signature expired: the request time is more than 15 minutes away from the server's time.".to_string(),
            ),
            AuthError::ContentHashMismatch
            | AuthError::ChecksumMismatch(_)
            | AuthError::MalformedChunkedBody(_)
            | AuthError::UnsupportedPayload(_)
            | AuthError::UnreadableBody => ("SerializationException", self.to_string()),
            AuthError::MissingAuthentication => (
                "MissingAuthenticationTokenException",
                "Request is missing Authentication Token".to_string(),
            ),
        };
        SimResponse::json_error(StatusCode::BAD_REQUEST, content_type, code, &message)
    }

    /// STS's query-protocol errors.
    /// See <https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html>.
    fn query_response(&self, request_id: &str) -> SimResponse {
        let (status, code, message) = match self {
            AuthError::Malformed(detail) => (
                StatusCode::BAD_REQUEST,
                "IncompleteSignature",
                format!("The request signature is malformed: {detail}"),
            ),
            AuthError::UnknownAccessKey | AuthError::InvalidToken => (
                StatusCode::FORBIDDEN,
                "InvalidClientTokenId",
                "The security token included in the request is invalid.".to_string(),
            ),
            AuthError::SignatureMismatch => (
                StatusCode::FORBIDDEN,
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.".to_string(),
            ),
            AuthError::WrongRegion(region) => (
                StatusCode::FORBIDDEN,
                "SignatureDoesNotMatch",
                format!("Credential should be scoped to a valid region, not '{region}'."),
            ),
            AuthError::ExpiredToken => (
                StatusCode::BAD_REQUEST,
                "ExpiredToken",
                "The security token included in the request is expired".to_string(),
            ),
            AuthError::RequestTimeTooSkewed | AuthError::PresignedExpired => (
                StatusCode::FORBIDDEN,
                "SignatureDoesNotMatch",
                "Signature expired: the request time is more than 15 minutes away from the server's time.".to_string(),
            ),
            AuthError::ContentHashMismatch
            | AuthError::ChecksumMismatch(_)
            | AuthError::MalformedChunkedBody(_)
            | AuthError::UnsupportedPayload(_)
            | AuthError::UnreadableBody => {
                (StatusCode::BAD_REQUEST, "InvalidParameterValue", self.to_string())
            }
            AuthError::MissingAuthentication => (
                StatusCode::FORBIDDEN,
                "MissingAuthenticationToken",
                "Request is missing Authentication Token".to_string(),
            ),
        };
        query_error(status, code, &message, request_id)
    }
}

/// An S3 REST-XML error body.
/// See <https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#RESTErrorResponses>.
pub fn s3_error(status: StatusCode, code: &str, message: &str, request_id: &str) -> SimResponse {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{}</Code><Message>{}</Message><RequestId>{}</RequestId><HostId>{}</HostId></Error>",
        xml_escape(code),
        xml_escape(message),
        xml_escape(request_id),
        xml_escape(request_id)
    );
    SimResponse::new(status, "application/xml", body)
}

/// A query-protocol (STS) error body; `Type` is `Sender` for 4xx and `Receiver` for 5xx.
/// See <https://smithy.io/2.0/aws/protocols/aws-query-protocol.html#operation-error-serialization>.
pub fn query_error(status: StatusCode, code: &str, message: &str, request_id: &str) -> SimResponse {
    let kind = if status.is_server_error() {
        "Receiver"
    } else {
        "Sender"
    };
    let body = format!(
        "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>{kind}</Type><Code>{}</Code><Message>{}</Message></Error><RequestId>{}</RequestId></ErrorResponse>",
        xml_escape(code),
        xml_escape(message),
        xml_escape(request_id)
    );
    SimResponse::new(status, "text/xml", body)
}

pub fn xml_escape(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}
