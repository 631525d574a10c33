//! One HTTP request as a service of local staging sees it, after SigV4 verification.

use super::principal::Principal;
use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};
use std::sync::Arc;

/// A request routed to a service. The front door has already verified the signature (when
/// there is one) and decoded an aws-chunked body. `Debug` shows header names and the body
/// length only: headers carry signatures and session tokens, bodies carry passwords and
/// secret values.
#[derive(Clone)]
pub struct SimRequest {
    pub method: Method,
    /// The percent-encoded path as sent, for example `/bucket/tenant-a/doc.txt`.
    pub raw_path: String,
    /// Query parameters, percent-decoded, in the order sent.
    pub query: Vec<(String, String)>,
    pub headers: HeaderMap,
    /// The payload, with any aws-chunked framing removed.
    pub body: Bytes,
    /// The id every response carries (`x-amz-request-id`, `x-amzn-RequestId`).
    pub request_id: String,
    /// The signed-in caller; `None` for unsigned requests (Cognito's public APIs, STS
    /// AssumeRoleWithWebIdentity).
    pub caller: Option<Arc<Principal>>,
}

impl SimRequest {
    /// The `X-Amz-Target` operation of a JSON-protocol request (`DynamoDB_20120810.GetItem`
    /// gives `GetItem`).
    pub fn target_operation(&self) -> Option<&str> {
        let target = self.headers.get("x-amz-target")?.to_str().ok()?;
        Some(target.rsplit('.').next().unwrap_or(target))
    }

    /// A query parameter's first value.
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }
}

/// A response a service produces; the front door adds the request-id headers. `Debug`
/// shows the body length only (responses carry credentials and secret values).
#[derive(Clone)]
pub struct SimResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

/// Query parameters whose values are credentials or signatures.
const SECRET_QUERY_PARAMETERS: [&str; 2] = ["X-Amz-Security-Token", "X-Amz-Signature"];

impl std::fmt::Debug for SimRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let query: Vec<(&str, &str)> = self
            .query
            .iter()
            .map(|(k, v)| {
                let shown = if SECRET_QUERY_PARAMETERS
                    .iter()
                    .any(|s| s.eq_ignore_ascii_case(k))
                {
                    "***"
                } else {
                    v.as_str()
                };
                (k.as_str(), shown)
            })
            .collect();
        let header_names: Vec<&str> = self.headers.keys().map(|k| k.as_str()).collect();
        f.debug_struct("SimRequest")
            .field("method", &self.method)
            .field("raw_path", &self.raw_path)
            .field("query", &query)
            .field("header_names", &header_names)
            .field("body_bytes", &self.body.len())
            .field("request_id", &self.request_id)
            .field("caller", &self.caller.as_ref().map(|p| p.arn.as_str()))
            .finish()
    }
}

impl std::fmt::Debug for SimResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let header_names: Vec<&str> = self.headers.keys().map(|k| k.as_str()).collect();
        f.debug_struct("SimResponse")
            .field("status", &self.status)
            .field("header_names", &header_names)
            .field("body_bytes", &self.body.len())
            .finish()
    }
}

impl SimResponse {
    pub fn new(status: StatusCode, content_type: &str, body: impl Into<Bytes>) -> Self {
        let mut headers = HeaderMap::new();
        if let Ok(v) = content_type.parse() {
            headers.insert(http::header::CONTENT_TYPE, v);
        }
        SimResponse {
            status,
            headers,
            body: body.into(),
        }
    }

    /// A JSON body in the `application/x-amz-json-1.x` protocols.
    pub fn json(status: StatusCode, content_type: &str, value: &serde_json::Value) -> Self {
        Self::new(status, content_type, value.to_string())
    }

    /// An error in the AWS JSON protocol shape: `{"__type": code, "message": ...}`.
    /// See <https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html#operation-error-serialization>.
    pub fn json_error(status: StatusCode, content_type: &str, code: &str, message: &str) -> Self {
        let mut response = Self::json(
            status,
            content_type,
            &serde_json::json!({ "__type": code, "message": message }),
        );
        if let Ok(v) = code.parse() {
            response.headers.insert("x-amzn-errortype", v);
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_tokens_signatures_or_bodies() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-amz-security-token",
            "session-token-value".parse().unwrap(),
        );
        let request = SimRequest {
            method: Method::POST,
            raw_path: "/".to_string(),
            query: vec![("X-Amz-Signature".to_string(), "sig-value".to_string())],
            headers,
            body: Bytes::from_static(b"{\"SecretString\":\"hunter2\"}"),
            request_id: "r-1".to_string(),
            caller: None,
        };
        let shown = format!("{request:?}");
        assert!(!shown.contains("session-token-value"), "{shown}");
        assert!(!shown.contains("sig-value"), "{shown}");
        assert!(!shown.contains("hunter2"), "{shown}");
        let response = SimResponse::new(
            StatusCode::OK,
            "text/xml",
            "<SecretAccessKey>k</SecretAccessKey>",
        );
        assert!(!format!("{response:?}").contains("SecretAccessKey"));
    }
}
