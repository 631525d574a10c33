//! S3 errors in the REST-XML shape S3 returns.
//! See https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html.

use base64::Engine;
use http::StatusCode;
use sha2::{Digest, Sha256};

use super::xml::{XML_DECLARATION, push_element};
use crate::sim::request::{SimRequest, SimResponse};

/// One S3 error: status, code, message and the extra elements S3 adds for it
/// (`Key`, `BucketName`, `Condition`, ...).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("s3 error {code} ({status}): {message}")]
pub struct S3Error {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub details: Vec<(&'static str, String)>,
}

impl S3Error {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> S3Error {
        S3Error {
            status,
            code,
            message: message.into(),
            details: Vec::new(),
        }
    }

    fn with(mut self, element: &'static str, value: impl Into<String>) -> S3Error {
        self.details.push((element, value.into()));
        self
    }

    /// 403 AccessDenied with the given message ("Access Denied", or the longer same-account
    /// message naming the caller, action, resource and reason).
    /// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html.
    pub fn access_denied(message: impl Into<String>) -> S3Error {
        S3Error::new(StatusCode::FORBIDDEN, "AccessDenied", message)
    }

    /// See https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList.
    pub fn no_such_key(key: &str) -> S3Error {
        S3Error::new(
            StatusCode::NOT_FOUND,
            "NoSuchKey",
            "The specified key does not exist.",
        )
        .with("Key", key)
    }

    /// See https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList.
    pub fn no_such_bucket(bucket: &str) -> S3Error {
        S3Error::new(
            StatusCode::NOT_FOUND,
            "NoSuchBucket",
            "The specified bucket does not exist.",
        )
        .with("BucketName", bucket)
    }

    /// 412, naming the header whose condition failed.
    /// See https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList.
    pub fn precondition_failed(condition: &'static str) -> S3Error {
        S3Error::new(
            StatusCode::PRECONDITION_FAILED,
            "PreconditionFailed",
            "At least one of the pre-conditions you specified did not hold",
        )
        .with("Condition", condition)
    }

    /// 400 InvalidArgument naming the argument and its value.
    pub fn invalid_argument(message: &str, name: &str, value: &str) -> S3Error {
        S3Error::new(StatusCode::BAD_REQUEST, "InvalidArgument", message)
            .with("ArgumentName", name)
            .with("ArgumentValue", value)
    }

    /// 416 for a range that starts past the end of the object.
    /// See https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList.
    pub fn invalid_range(requested: &str, size: usize) -> S3Error {
        S3Error::new(
            StatusCode::RANGE_NOT_SATISFIABLE,
            "InvalidRange",
            "The requested range is not satisfiable",
        )
        .with("RangeRequested", requested)
        .with("ActualObjectSize", size.to_string())
    }

    /// See https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList.
    pub fn bad_digest() -> S3Error {
        S3Error::new(
            StatusCode::BAD_REQUEST,
            "BadDigest",
            "The Content-MD5 you specified did not match what we received.",
        )
    }

    /// See https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList.
    pub fn invalid_digest() -> S3Error {
        S3Error::new(
            StatusCode::BAD_REQUEST,
            "InvalidDigest",
            "The Content-MD5 you specified is not valid.",
        )
    }

    /// The body does not match an `x-amz-checksum-*` header: the BadDigest row of the list,
    /// worded as S3 words it for the algorithm.
    /// See https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList.
    pub fn checksum_mismatch(algorithm: &str) -> S3Error {
        S3Error::new(
            StatusCode::BAD_REQUEST,
            "BadDigest",
            format!(
                "The {} you specified did not match the calculated checksum.",
                algorithm.to_uppercase()
            ),
        )
    }

    /// An `x-amz-checksum-*` header that is not the base64 of a digest of its algorithm.
    /// See https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList.
    pub fn invalid_checksum_header(header: &str) -> S3Error {
        S3Error::new(
            StatusCode::BAD_REQUEST,
            "InvalidRequest",
            format!("Value for {header} header is invalid."),
        )
    }

    /// See https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList.
    pub fn invalid_uri() -> S3Error {
        S3Error::new(
            StatusCode::BAD_REQUEST,
            "InvalidURI",
            "Couldn't parse the specified URI.",
        )
    }

    /// An operation or header local staging does not implement; never a denial or success.
    /// See https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList.
    pub fn not_implemented(what: &str) -> S3Error {
        S3Error::new(
            StatusCode::NOT_IMPLEMENTED,
            "NotImplemented",
            "A header you provided implies functionality that is not implemented.",
        )
        .with("Feature", what)
    }

    /// See https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList.
    pub fn method_not_allowed(method: &str) -> S3Error {
        S3Error::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "MethodNotAllowed",
            "The specified method is not allowed against this resource.",
        )
        .with("Method", method)
    }

    /// See https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList.
    pub fn internal_error() -> S3Error {
        S3Error::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalError",
            "We encountered an internal error. Please try again.",
        )
    }

    /// The response: XML body `<Error><Code/><Message/>...<RequestId/><HostId/></Error>`,
    /// or no body at all for HEAD, whose errors S3 sends as a bare status.
    /// See https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html.
    pub fn to_response(&self, request: &SimRequest) -> SimResponse {
        if request.method == http::Method::HEAD {
            return SimResponse::new(self.status, "application/xml", bytes::Bytes::new());
        }
        let mut body = String::from(XML_DECLARATION);
        body.push_str("<Error>");
        push_element(&mut body, "Code", self.code);
        push_element(&mut body, "Message", &self.message);
        for (element, value) in &self.details {
            push_element(&mut body, element, value);
        }
        push_element(&mut body, "RequestId", &request.request_id);
        push_element(&mut body, "HostId", &host_id(&request.request_id));
        body.push_str("</Error>");
        SimResponse::new(self.status, "application/xml", body)
    }
}

/// A stable stand-in for S3's extended request id, derived from the request id.
pub(crate) fn host_id(request_id: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(request_id.as_bytes()))
}
