//! Which service a request is for: by the SigV4 credential scope when signed, otherwise by
//! `X-Amz-Target`, the STS form `Action` or the user-pool `.well-known` path.

use http::{HeaderMap, Method};

/// The services local staging serves on its one port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceName {
    S3,
    DynamoDb,
    SecretsManager,
    Sts,
    CognitoIdp,
    CognitoIdentity,
    /// IAM's role and policy reads.
    Iam,
}

/// The wire protocol a service speaks, which decides how errors are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// S3's REST-XML.
    RestXml,
    /// `application/x-amz-json-1.0` or `1.1`.
    Json { content_type: &'static str },
    /// STS's and IAM's query protocol with XML responses.
    Query,
}

/// `X-Amz-Target` prefixes of the Cognito APIs callable without a signature.
/// See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/Welcome.html>.
const USER_POOL_TARGET: &str = "AWSCognitoIdentityProviderService.";
/// See <https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/Welcome.html>.
const IDENTITY_POOL_TARGET: &str = "AWSCognitoIdentityService.";
const DYNAMODB_TARGET: &str = "DynamoDB_";
const SECRETS_TARGET: &str = "secretsmanager.";

impl ServiceName {
    /// The signing name in a credential scope.
    /// See <https://docs.aws.amazon.com/general/latest/gr/rande.html> (service endpoints).
    pub fn from_signing_name(name: &str) -> Option<ServiceName> {
        match name {
            "s3" => Some(ServiceName::S3),
            "dynamodb" => Some(ServiceName::DynamoDb),
            "secretsmanager" => Some(ServiceName::SecretsManager),
            "sts" => Some(ServiceName::Sts),
            "cognito-idp" => Some(ServiceName::CognitoIdp),
            "cognito-identity" => Some(ServiceName::CognitoIdentity),
            "iam" => Some(ServiceName::Iam),
            _ => None,
        }
    }

    pub fn protocol(self) -> Protocol {
        match self {
            ServiceName::S3 => Protocol::RestXml,
            ServiceName::DynamoDb => Protocol::Json {
                content_type: "application/x-amz-json-1.0",
            },
            ServiceName::SecretsManager
            | ServiceName::CognitoIdp
            | ServiceName::CognitoIdentity => Protocol::Json {
                content_type: "application/x-amz-json-1.1",
            },
            ServiceName::Sts | ServiceName::Iam => Protocol::Query,
        }
    }

    /// S3 signs the path as sent; the others encode it a second time.
    pub fn double_encodes_path(self) -> bool {
        self != ServiceName::S3
    }
}

/// The service of an unsigned request (`query` is the decoded query string).
pub fn route_unsigned(
    method: &Method,
    raw_path: &str,
    query: &[(String, String)],
    headers: &HeaderMap,
) -> ServiceName {
    if let Some(target) = headers.get("x-amz-target").and_then(|v| v.to_str().ok()) {
        if target.starts_with(USER_POOL_TARGET) {
            return ServiceName::CognitoIdp;
        }
        if target.starts_with(IDENTITY_POOL_TARGET) {
            return ServiceName::CognitoIdentity;
        }
        if target.starts_with(DYNAMODB_TARGET) {
            return ServiceName::DynamoDb;
        }
        if target.starts_with(SECRETS_TARGET) {
            return ServiceName::SecretsManager;
        }
    }
    // A user pool's public keys and OpenID configuration: `/{poolId}/.well-known/...`.
    // See <https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html>.
    if method == Method::GET && is_well_known_path(raw_path) {
        return ServiceName::CognitoIdp;
    }
    let is_form = headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    // The query protocol sends `Action` in a form body (POST) or in the query string (GET).
    // See <https://docs.aws.amazon.com/STS/latest/APIReference/CommonParameters.html>.
    let has_action = query.iter().any(|(k, _)| k == "Action");
    if raw_path == "/" && ((method == Method::POST && is_form) || has_action) {
        return ServiceName::Sts;
    }
    // Anything else is an anonymous S3 request, which S3 answers from the bucket policy.
    ServiceName::S3
}

fn is_well_known_path(raw_path: &str) -> bool {
    let mut segments = raw_path.trim_start_matches('/').splitn(2, '/');
    let pool = segments.next().unwrap_or("");
    let rest = segments.next().unwrap_or("");
    pool.contains('_') && rest.starts_with(".well-known/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, v.parse().unwrap());
        }
        map
    }

    #[test]
    fn unsigned_requests_route_by_target_form_and_path() {
        let post = Method::POST;
        assert_eq!(
            route_unsigned(
                &post,
                "/",
                &[],
                &headers(&[(
                    "x-amz-target",
                    "AWSCognitoIdentityProviderService.InitiateAuth"
                )])
            ),
            ServiceName::CognitoIdp
        );
        assert_eq!(
            route_unsigned(
                &post,
                "/",
                &[],
                &headers(&[("x-amz-target", "AWSCognitoIdentityService.GetId")])
            ),
            ServiceName::CognitoIdentity
        );
        assert_eq!(
            route_unsigned(
                &post,
                "/",
                &[],
                &headers(&[("content-type", "application/x-www-form-urlencoded")])
            ),
            ServiceName::Sts
        );
        assert_eq!(
            route_unsigned(
                &Method::GET,
                "/us-east-1_AbC/.well-known/jwks.json",
                &[],
                &HeaderMap::new()
            ),
            ServiceName::CognitoIdp
        );
        assert_eq!(
            route_unsigned(&Method::GET, "/bucket/key", &[], &HeaderMap::new()),
            ServiceName::S3
        );
        let action = [(
            "Action".to_string(),
            "AssumeRoleWithWebIdentity".to_string(),
        )];
        assert_eq!(
            route_unsigned(&Method::GET, "/", &action, &HeaderMap::new()),
            ServiceName::Sts
        );
    }

    #[test]
    fn signing_names_map_to_services() {
        assert_eq!(
            ServiceName::from_signing_name("cognito-identity"),
            Some(ServiceName::CognitoIdentity)
        );
        assert_eq!(ServiceName::from_signing_name("sqs"), None);
    }
}
