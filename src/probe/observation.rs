//! What came back from one SDK call, reduced to the facts a verdict may rest on.

use crate::error_chain::error_chain;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

/// How a call ended, before any judgement about authorization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallEnd {
    /// The service answered with a success status.
    Success,
    /// The service answered with an error it described (status, code, message).
    ServiceError,
    /// The SDK's operation or attempt timeout fired.
    Timeout,
    /// The connection failed or was reset before a full response arrived.
    Network,
    /// A response arrived that the SDK could not parse.
    MalformedResponse,
    /// The SDK refused to build the request (for example missing credentials).
    RequestNotSent,
}

/// One call's observable result: never a payload, only metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observation {
    pub end: CallEnd,
    pub http_status: Option<u16>,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub request_id: Option<String>,
    /// The SDK's own description of a failure that carried no service error (timeouts,
    /// resets, construction failures).
    pub transport_detail: Option<String>,
    /// Why a success response is not the well-formed success its API reference documents
    /// (a body that could not be read, a missing header, an unexpected body).
    pub shape_problem: Option<String>,
}

impl Observation {
    /// A successful response with the status seen on the wire and its request id.
    pub fn success(http_status: Option<u16>, request_id: Option<String>) -> Observation {
        Observation {
            end: CallEnd::Success,
            http_status,
            error_code: None,
            error_message: None,
            request_id,
            transport_detail: None,
            shape_problem: None,
        }
    }

    /// A call that was never made.
    pub fn not_sent() -> Observation {
        Observation {
            end: CallEnd::RequestNotSent,
            http_status: None,
            error_code: None,
            error_message: None,
            request_id: None,
            transport_detail: None,
            shape_problem: None,
        }
    }

    /// Reduces an SDK error to its observable facts.
    pub fn from_sdk_error<E>(error: &SdkError<E, HttpResponse>) -> Observation
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        let raw = error.raw_response();
        let http_status = raw.map(|response| response.status().as_u16());
        let request_id = raw.and_then(request_id_of);
        let (end, transport_detail) = match error {
            SdkError::ServiceError(_) => (CallEnd::ServiceError, None),
            SdkError::TimeoutError(_) => (CallEnd::Timeout, Some(error_chain(error))),
            SdkError::DispatchFailure(failure) if failure.is_timeout() => {
                (CallEnd::Timeout, Some(error_chain(error)))
            }
            SdkError::DispatchFailure(_) => (CallEnd::Network, Some(error_chain(error))),
            SdkError::ResponseError(_) => (CallEnd::MalformedResponse, Some(error_chain(error))),
            SdkError::ConstructionFailure(_) => (CallEnd::RequestNotSent, Some(error_chain(error))),
            _ => (CallEnd::MalformedResponse, Some(error_chain(error))),
        };
        Observation {
            end,
            http_status,
            error_code: error.code().map(str::to_owned),
            error_message: error.message().map(str::to_owned),
            request_id,
            transport_detail,
            shape_problem: None,
        }
    }
}

/// The request id a service put in its response headers.
// S3 returns `x-amz-request-id`; JSON-protocol services return `x-amzn-RequestId`
// (https://docs.aws.amazon.com/AmazonS3/latest/API/RESTCommonResponseHeaders.html,
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html).
fn request_id_of(response: &HttpResponse) -> Option<String> {
    ["x-amz-request-id", "x-amzn-requestid", "x-amzn-request-id"]
        .iter()
        .find_map(|name| response.headers().get(*name))
        .map(str::to_owned)
}
