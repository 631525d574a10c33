//! The answer to a faulted call, in the service's own protocol: S3's XML `<Error>`, the JSON
//! protocols' `__type`, STS's query `<ErrorResponse>`.

use crate::aws_request::{AwsRequest, Protocol};
use crate::fault_rules::FaultKind;
use http::{HeaderMap, StatusCode};

/// A protocol-shaped error: status, code and message.
#[derive(Debug, Clone)]
pub struct ServiceError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

/// The error `kind` stands for on `request`'s protocol, or `None` for the kinds that are
/// not an error document (reset, hang, garbage, truncation).
pub fn service_error(
    kind: FaultKind,
    request: &AwsRequest,
    headers: &HeaderMap,
    body: &[u8],
) -> Option<ServiceError> {
    let protocol = request.protocol();
    let error = |status: u16, code: &'static str, message: String| ServiceError {
        status: StatusCode::from_u16(status).expect("a valid status"),
        code,
        message,
    };
    let by_protocol = |s3: &'static str, json: &'static str, query: &'static str| match protocol {
        Protocol::RestXml => s3,
        Protocol::Json => json,
        Protocol::Query => query,
    };
    Some(match kind {
        // Common errors: https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
        // and https://docs.aws.amazon.com/secretsmanager/latest/apireference/CommonErrors.html.
        FaultKind::InternalError => error(
            500,
            by_protocol("InternalError", "InternalFailure", "InternalFailure"),
            "We encountered an internal error. Please try again.".into(),
        ),
        FaultKind::ServiceUnavailable => error(
            503,
            by_protocol(
                "ServiceUnavailable",
                "ServiceUnavailable",
                "ServiceUnavailable",
            ),
            "Service is unable to handle request.".into(),
        ),
        FaultKind::Throttling => match protocol {
            Protocol::RestXml => error(503, "SlowDown", "Please reduce your request rate.".into()),
            Protocol::Json => error(400, "ThrottlingException", "Rate exceeded".into()),
            Protocol::Query => error(400, "Throttling", "Rate exceeded".into()),
        },
        FaultKind::SignatureDoesNotMatch => match protocol {
            Protocol::RestXml => error(
                403,
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided."
                    .into(),
            ),
            _ => error(
                by_status(protocol, 400, 403),
                by_protocol("", "InvalidSignatureException", "SignatureDoesNotMatch"),
                "The request signature we calculated does not match the signature you provided."
                    .into(),
            ),
        },
        FaultKind::RequestTimeTooSkewed => match protocol {
            Protocol::RestXml => error(
                403,
                "RequestTimeTooSkewed",
                "The difference between the request time and the current time is too large.".into(),
            ),
            _ => error(
                400,
                by_protocol("", "InvalidSignatureException", "RequestExpired"),
                "Signature expired: 20260101T000000Z is now earlier than 20260101T000500Z.".into(),
            ),
        },
        FaultKind::ExpiredToken => error(
            400,
            by_protocol(
                "ExpiredToken",
                "ExpiredTokenException",
                "ExpiredTokenException",
            ),
            "The security token included in the request is expired".into(),
        ),
        FaultKind::InvalidAccessKeyId => match protocol {
            Protocol::RestXml => error(
                403,
                "InvalidAccessKeyId",
                "The AWS Access Key Id you provided does not exist in our records.".into(),
            ),
            _ => error(
                by_status(protocol, 400, 403),
                by_protocol("", "UnrecognizedClientException", "InvalidClientTokenId"),
                "The security token included in the request is invalid.".into(),
            ),
        },
        FaultKind::UnrecognizedClient => error(
            by_status(protocol, 400, 403),
            by_protocol(
                "InvalidToken",
                "UnrecognizedClientException",
                "InvalidClientTokenId",
            ),
            "The security token included in the request is invalid.".into(),
        ),
        // What S3 and Secrets Manager answer when the key policy of a customer managed KMS
        // key refuses the caller: https://docs.aws.amazon.com/kms/latest/developerguide/troubleshooting-key-policies.html.
        FaultKind::AccessDeniedOtherAction => error(
            by_status(protocol, 403, 400),
            by_protocol("AccessDenied", "AccessDeniedException", "AccessDenied"),
            format!(
                "User: {} is not authorized to perform: kms:Decrypt on resource: \
                 arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab \
                 because no identity-based policy allows the kms:Decrypt action",
                caller(headers)
            ),
        ),
        FaultKind::AccessDeniedWithoutDecision => error(
            by_status(protocol, 403, 400),
            by_protocol("AccessDenied", "AccessDeniedException", "AccessDenied"),
            "There were headers present in the request which were not signed".into(),
        ),
        FaultKind::EchoRequest => error(
            400,
            by_protocol("InvalidArgument", "ValidationException", "ValidationError"),
            echo(headers, body),
        ),
        FaultKind::ConnectionReset
        | FaultKind::Hang
        | FaultKind::GarbageBody
        | FaultKind::TruncatedBody => return None,
    })
}

fn by_status(protocol: Protocol, rest_xml: u16, other: u16) -> u16 {
    match protocol {
        Protocol::RestXml => rest_xml,
        Protocol::Json | Protocol::Query => other,
    }
}

/// The principal the way AWS names it in a denial (the access key is all the proxy sees).
fn caller(headers: &HeaderMap) -> String {
    let access_key = crate::aws_request::header(headers, "authorization")
        .and_then(|auth| {
            auth.split("Credential=")
                .nth(1)
                .and_then(|scope| scope.split('/').next().map(str::to_owned))
        })
        .unwrap_or_else(|| "anonymous".to_owned());
    format!("arn:aws:sts::111122223333:assumed-role/unknown/{access_key}")
}

/// A validation message that echoes every input, as AWS's "Value '...' at '...' failed to
/// satisfy constraint" messages do: the Logins map (ID token), the whole body, and the
/// headers that carry credentials.
// https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/CommonErrors.html (ValidationError).
fn echo(headers: &HeaderMap, body: &[u8]) -> String {
    let body = String::from_utf8_lossy(body);
    let logins = serde_json::from_str::<serde_json::Value>(&body)
        .ok()
        .and_then(|json| json.get("Logins").map(ToString::to_string))
        .unwrap_or_else(|| "{}".to_owned());
    let header = |name| crate::aws_request::header(headers, name).unwrap_or_default();
    format!(
        "2 validation errors detected: Value '{logins}' at 'logins' failed to satisfy \
         constraint: Map value must satisfy constraint: [Member must have length less than \
         or equal to 50000]; request '{body}' with Authorization '{}' and \
         X-Amz-Security-Token '{}' failed to satisfy constraint",
        header("authorization"),
        header("x-amz-security-token"),
    )
}

/// The error document of `error` on `protocol`, with its content type.
pub fn error_body(protocol: Protocol, error: &ServiceError) -> (&'static str, String) {
    let request_id = "fa017fa0-0000-4000-8000-000000000001";
    match protocol {
        // https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#RESTErrorResponses.
        Protocol::RestXml => (
            "application/xml",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{}</Code><Message>{}</Message>\
                 <RequestId>FA017FA000000001</RequestId></Error>",
                error.code,
                xml_escape(&error.message)
            ),
        ),
        // https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html (query errors).
        Protocol::Query => (
            "text/xml",
            format!(
                "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error>\
                 <Type>Sender</Type><Code>{}</Code><Message>{}</Message></Error>\
                 <RequestId>{request_id}</RequestId></ErrorResponse>",
                error.code,
                xml_escape(&error.message)
            ),
        ),
        // JSON 1.0/1.1 errors carry `__type` and `message`:
        // https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html#operation-error-serialization.
        Protocol::Json => (
            "application/x-amz-json-1.1",
            serde_json::json!({"__type": error.code, "message": error.message}).to_string(),
        ),
    }
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
