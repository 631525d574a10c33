//! What an AWS request is, read off the wire the way AWS routes it: the service from the
//! SigV4 credential scope (or, for the unsigned Cognito and STS calls, from `X-Amz-Target` /
//! the query `Action`), the operation from `X-Amz-Target`, `Action` or S3's method and
//! path, and the resource it names.

use http::{HeaderMap, Method, Uri};
use percent_encoding::percent_decode_str;

/// The wire protocol of a service, which decides the shape of its error bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// S3: REST with XML error bodies.
    RestXml,
    /// STS: the query protocol, `<ErrorResponse>` bodies.
    Query,
    /// DynamoDB, Secrets Manager, Cognito: JSON 1.0/1.1 with `__type`.
    Json,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsRequest {
    /// The signing name: `s3`, `dynamodb`, `secretsmanager`, `sts`, `cognito-idp`,
    /// `cognito-identity`.
    pub service: String,
    /// The API operation, for example `GetObject` or `GetSecretValue`.
    pub operation: String,
    /// What the call is about: `bucket/key` (S3, `bucket/prefix` for a listing), the
    /// `SecretId`, or the `TableName` and key.
    pub resource: String,
    /// Stable across the SDK's retries of one call, so that a fault applies to every
    /// attempt, and the same for every caller: the S3 method, path and query, or the
    /// operation and resource (the body when there is none; S3 bodies are left out:
    /// aws-chunked signatures differ per attempt).
    pub identity: Vec<u8>,
}

impl AwsRequest {
    pub fn protocol(&self) -> Protocol {
        match self.service.as_str() {
            "s3" => Protocol::RestXml,
            "sts" => Protocol::Query,
            _ => Protocol::Json,
        }
    }

    /// `service:Operation`, as the harness names the call it made (`s3:GetObject`).
    pub fn api_call(&self) -> String {
        format!("{}:{}", self.service, self.operation)
    }
}

pub fn describe(method: &Method, uri: &Uri, headers: &HeaderMap, body: &[u8]) -> AwsRequest {
    let target = header(headers, "x-amz-target");
    let form_action = form_value(body, "Action");
    let service = signing_service(headers)
        .or_else(|| target.as_deref().and_then(service_of_target))
        .or_else(|| form_action.as_ref().map(|_| "sts".to_owned()))
        .unwrap_or_else(|| "s3".to_owned());
    if service == "s3" {
        let path = percent_decode_str(uri.path()).decode_utf8_lossy();
        let path = path.trim_start_matches('/').to_owned();
        let query = uri.query().unwrap_or("");
        let is_list = query.split('&').any(|pair| pair == "list-type=2");
        let operation = match (method.as_str(), is_list, path.contains('/')) {
            ("GET", true, _) => "ListObjectsV2",
            ("GET", false, true) => "GetObject",
            ("HEAD", _, true) => "HeadObject",
            ("PUT", _, true) => "PutObject",
            ("DELETE", _, true) => "DeleteObject",
            _ => "Other",
        };
        let resource = if is_list {
            let prefix = form_value(query.as_bytes(), "prefix").unwrap_or_default();
            format!("{}/{prefix}", path.trim_end_matches('/'))
        } else {
            path
        };
        let identity = format!("{method} {} {query}", uri.path()).into_bytes();
        return AwsRequest {
            service,
            operation: operation.to_owned(),
            resource,
            identity,
        };
    }
    let operation = target
        .as_deref()
        .and_then(|target| target.rsplit_once('.').map(|(_, op)| op.to_owned()))
        .or(form_action)
        .unwrap_or_else(|| "Other".to_owned());
    let resource = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .map(|json| json_resource(&json))
        .unwrap_or_default();
    // The same call by every user gets the same fault decision: a probed call is known
    // by its resource (a write's idempotency token and canary value differ per caller);
    // a sign-in call, which names no resource, by its body.
    let mut identity = operation.clone().into_bytes();
    if resource.is_empty() {
        identity.extend_from_slice(body);
    } else {
        identity.extend_from_slice(resource.as_bytes());
    }
    AwsRequest {
        service,
        operation,
        resource,
        identity,
    }
}

/// `Credential=AKID/date/region/service/aws4_request` in the Authorization header.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html.
fn signing_service(headers: &HeaderMap) -> Option<String> {
    let authorization = header(headers, "authorization")?;
    let scope = authorization.split("Credential=").nth(1)?;
    let scope = scope.split([',', ' ']).next()?;
    scope.split('/').nth(3).map(str::to_owned)
}

fn service_of_target(target: &str) -> Option<String> {
    let prefix = target.split('.').next()?;
    let service = match prefix {
        "AWSCognitoIdentityProviderService" => "cognito-idp",
        "AWSCognitoIdentityService" => "cognito-identity",
        "secretsmanager" => "secretsmanager",
        prefix if prefix.starts_with("DynamoDB") => "dynamodb",
        _ => return None,
    };
    Some(service.to_owned())
}

fn json_resource(json: &serde_json::Value) -> String {
    if let Some(secret) = json.get("SecretId").and_then(|v| v.as_str()) {
        return secret.to_owned();
    }
    if let Some(table) = json.get("TableName").and_then(|v| v.as_str()) {
        let key = json.get("Key").map(ToString::to_string).unwrap_or_default();
        return format!("{table} {key}");
    }
    String::new()
}

pub fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
}

/// One value of a `application/x-www-form-urlencoded` body or query string.
fn form_value(body: &[u8], name: &str) -> Option<String> {
    form_urlencoded::parse(body)
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}
