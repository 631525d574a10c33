//! The answer to a request whose handling failed inside local staging (a bug, never a
//! verdict): each protocol's documented 500, so a client sees an error, not a denial.

use super::auth_error::{query_error, s3_error};
use super::request::SimResponse;
use super::router::Protocol;
use http::StatusCode;

const MESSAGE: &str = "local staging failed to process the request";

/// A 500 in the shape the protocol documents: S3 `InternalError`, `InternalFailure` for the
/// JSON and query services.
pub fn internal_failure_response(protocol: Protocol, request_id: &str) -> SimResponse {
    match protocol {
        // See <https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList>.
        Protocol::RestXml => s3_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalError",
            MESSAGE,
            request_id,
        ),
        // See <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/CommonErrors.html>.
        Protocol::Json { content_type } => SimResponse::json_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            content_type,
            "InternalFailure",
            MESSAGE,
        ),
        // See <https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html>.
        Protocol::Query => query_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalFailure",
            MESSAGE,
            request_id,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(response: &SimResponse) -> String {
        String::from_utf8(response.body.to_vec()).unwrap()
    }

    #[test]
    fn every_protocol_reports_a_server_side_500() {
        let s3 = internal_failure_response(Protocol::RestXml, "req-1");
        assert_eq!(s3.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(body(&s3).contains("<Code>InternalError</Code>"));

        let json = internal_failure_response(
            Protocol::Json {
                content_type: "application/x-amz-json-1.0",
            },
            "req-2",
        );
        assert_eq!(json.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(body(&json).contains("\"__type\":\"InternalFailure\""));

        let query = internal_failure_response(Protocol::Query, "req-3");
        assert_eq!(query.status, StatusCode::INTERNAL_SERVER_ERROR);
        // A 5xx is the server's fault: the query protocol says `Receiver`.
        assert!(body(&query).contains("<Type>Receiver</Type>"));
        assert!(body(&query).contains("<Code>InternalFailure</Code>"));
    }
}
