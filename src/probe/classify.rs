//! The fail-closed verdict table: which observations prove an allow, which prove a denial,
//! and why everything else proves nothing.

use super::observation::{CallEnd, Observation};
use super::record::Verdict;
use super::service::AwsService;

/// A verdict and the one-line reason for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classification {
    pub verdict: Verdict,
    pub reason: String,
}

impl Classification {
    fn allowed(reason: impl Into<String>) -> Classification {
        Classification {
            verdict: Verdict::Allowed,
            reason: reason.into(),
        }
    }

    fn denied(reason: impl Into<String>) -> Classification {
        Classification {
            verdict: Verdict::Denied,
            reason: reason.into(),
        }
    }

    pub(crate) fn inconclusive(reason: impl Into<String>) -> Classification {
        Classification {
            verdict: Verdict::Inconclusive,
            reason: reason.into(),
        }
    }
}

/// Classifies one observation of `api` (for example `s3:GetObject`) on `service`.
///
/// Allowed needs a success or an error only possible after authorization; Denied needs the
/// service's documented denial with its documented status; everything else is Inconclusive.
pub fn classify(service: AwsService, api: &str, observation: &Observation) -> Classification {
    match observation.end {
        CallEnd::Success => {
            return Classification::allowed(format!("{api} succeeded"));
        }
        CallEnd::ServiceError => {}
        CallEnd::Timeout => {
            return Classification::inconclusive(format!(
                "{api} timed out: {}",
                detail(observation)
            ));
        }
        CallEnd::Network => {
            return Classification::inconclusive(format!(
                "{api} failed on the network: {}",
                detail(observation)
            ));
        }
        CallEnd::MalformedResponse => {
            return Classification::inconclusive(format!(
                "{api} returned a response that could not be parsed: {}",
                detail(observation)
            ));
        }
        CallEnd::RequestNotSent => {
            return Classification::inconclusive(format!(
                "{api} was never sent: {}",
                detail(observation)
            ));
        }
    }

    let status = observation.http_status;
    let code = observation.error_code.as_deref();
    if api == "s3:HeadObject" {
        return classify_head_object(status);
    }
    if let Some(reason) = known_inconclusive(code, status) {
        return Classification::inconclusive(format!("{api}: {reason}"));
    }
    match (service, status, code) {
        // S3 answers a denied request with 403 AccessDenied
        // (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList).
        // S3 also answers 403 for a key that does not exist when the caller lacks
        // s3:ListBucket, whatever it may do to the key itself; when the message names
        // s3:ListBucket, the 403 says nothing about the object call
        // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html#API_GetObject_Permissions).
        (AwsService::S3, Some(403), Some("AccessDenied"))
            if api != "s3:ListObjectsV2" && denies_list_bucket(observation) =>
        {
            Classification::inconclusive(format!(
                "{api} returned 403 AccessDenied for s3:ListBucket: S3 answers so when the key \
                 does not exist and the caller may not list the bucket, so it proves nothing \
                 about {api}; point the probe at an object that exists"
            ))
        }
        (AwsService::S3, Some(403), Some("AccessDenied")) => {
            Classification::denied(format!("{api} returned 403 AccessDenied"))
        }
        // S3 returns 404 NoSuchKey only to callers allowed to read the key (and to list the
        // bucket); without permission it returns 403 (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html#API_GetObject_Permissions).
        (AwsService::S3, Some(404), Some("NoSuchKey")) => Classification::allowed(format!(
            "{api} returned 404 NoSuchKey, which S3 returns only after authorization"
        )),
        // A failed If-None-Match / If-Match condition is evaluated after authorization
        // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-requests.html).
        (AwsService::S3, Some(412), Some("PreconditionFailed")) => Classification::allowed(
            format!("{api} returned 412 PreconditionFailed: authorized, nothing changed"),
        ),
        // DynamoDB denies with 400 AccessDeniedException
        // (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html).
        (AwsService::DynamoDb, Some(400), Some("AccessDeniedException")) => {
            Classification::denied(format!("{api} returned 400 AccessDeniedException"))
        }
        // A condition is evaluated only on an authorized request
        // (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html).
        (AwsService::DynamoDb, Some(400), Some("ConditionalCheckFailedException")) => {
            Classification::allowed(format!(
                "{api} returned ConditionalCheckFailedException: authorized, nothing changed"
            ))
        }
        // Secrets Manager denies with 400 AccessDeniedException
        // (https://docs.aws.amazon.com/secretsmanager/latest/apireference/CommonErrors.html).
        (AwsService::SecretsManager, Some(400), Some("AccessDeniedException")) => {
            Classification::denied(format!("{api} returned 400 AccessDeniedException"))
        }
        // Secrets Manager reports a missing secret only to a caller allowed to act on it, and
        // an idempotency-token conflict only after authorization
        // (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutSecretValue.html).
        (AwsService::SecretsManager, Some(400), Some("ResourceNotFoundException")) => {
            Classification::allowed(format!(
                "{api} returned ResourceNotFoundException, which follows authorization"
            ))
        }
        (AwsService::SecretsManager, Some(400), Some("ResourceExistsException")) => {
            Classification::allowed(format!(
                "{api} returned ResourceExistsException: authorized, nothing changed"
            ))
        }
        (_, _, _) => Classification::inconclusive(format!(
            "{api} returned {} {}: not a documented allow or denial",
            status.map_or_else(|| "no status".to_owned(), |s| s.to_string()),
            code.unwrap_or("without an error code"),
        )),
    }
}

/// Whether the denial message names s3:ListBucket as the denied action (the IAM form
/// "is not authorized to perform: s3:ListBucket").
// Access denied messages name the action: https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html.
fn denies_list_bucket(observation: &Observation) -> bool {
    observation
        .error_message
        .as_deref()
        .is_some_and(|message| message.contains("perform: s3:ListBucket"))
}

/// HEAD responses carry no body, so only the status speaks.
// HeadObject returns 404 only to a caller allowed s3:GetObject and s3:ListBucket, and 403
// both for a denial and for a missing key without s3:ListBucket
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html#API_HeadObject_Permissions).
fn classify_head_object(status: Option<u16>) -> Classification {
    match status {
        Some(404) => Classification::allowed(
            "s3:HeadObject returned 404, which S3 returns only after authorization",
        ),
        Some(403) => Classification::inconclusive(
            "s3:HeadObject returned 403 without a body: a denial cannot be told from a missing key",
        ),
        Some(other) => Classification::inconclusive(format!(
            "s3:HeadObject returned {other}: not a documented allow or denial"
        )),
        None => Classification::inconclusive("s3:HeadObject returned no status"),
    }
}

/// Errors that say the harness, not the policy, failed: they never count as a verdict.
fn known_inconclusive(code: Option<&str>, status: Option<u16>) -> Option<String> {
    let code_text = code.unwrap_or_default();
    let reason = match code_text {
        // Expired or unknown credentials and bad signatures are authentication failures,
        // not authorization decisions (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html).
        "ExpiredToken" | "ExpiredTokenException" | "TokenRefreshRequired" => {
            "the credentials had expired"
        }
        "InvalidClientTokenId"
        | "UnrecognizedClientException"
        | "InvalidAccessKeyId"
        | "InvalidToken" => "the credentials were not recognised",
        "SignatureDoesNotMatch" | "InvalidSignatureException" | "IncompleteSignature" => {
            "the request signature was rejected"
        }
        // Throttling codes that outlived the SDK's retries
        // (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html).
        "Throttling"
        | "ThrottlingException"
        | "ThrottledException"
        | "SlowDown"
        | "RequestLimitExceeded"
        | "TooManyRequestsException"
        | "ProvisionedThroughputExceededException"
        | "RequestThrottled"
        | "RequestThrottledException"
        | "LimitExceededException" => "throttled past the SDK's retries",
        _ => match status {
            Some(status) if status >= 500 => "the service failed with a server error",
            _ => return None,
        },
    };
    Some(format!(
        "{reason} ({} {code_text})",
        status.map_or_else(|| "no status".to_owned(), |s| s.to_string())
    ))
}

fn detail(observation: &Observation) -> &str {
    observation
        .transport_detail
        .as_deref()
        .unwrap_or("no further detail")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service_error(status: u16, code: &str) -> Observation {
        Observation {
            end: CallEnd::ServiceError,
            http_status: Some(status),
            error_code: Some(code.to_owned()),
            error_message: Some("message".to_owned()),
            request_id: None,
            transport_detail: None,
        }
    }

    fn verdict(service: AwsService, api: &str, status: u16, code: &str) -> Verdict {
        classify(service, api, &service_error(status, code)).verdict
    }

    #[test]
    fn documented_denials_are_denied_only_with_their_documented_status() {
        assert_eq!(
            verdict(AwsService::S3, "s3:GetObject", 403, "AccessDenied"),
            Verdict::Denied
        );
        assert_eq!(
            verdict(
                AwsService::DynamoDb,
                "dynamodb:GetItem",
                400,
                "AccessDeniedException"
            ),
            Verdict::Denied
        );
        assert_eq!(
            verdict(
                AwsService::SecretsManager,
                "secretsmanager:GetSecretValue",
                400,
                "AccessDeniedException"
            ),
            Verdict::Denied
        );
        assert_eq!(
            verdict(AwsService::S3, "s3:GetObject", 400, "AccessDenied"),
            Verdict::Inconclusive
        );
        assert_eq!(
            verdict(AwsService::S3, "s3:GetObject", 403, "AccessDeniedException"),
            Verdict::Inconclusive
        );
    }

    #[test]
    fn errors_only_possible_after_authorization_are_allowed() {
        assert_eq!(
            verdict(AwsService::S3, "s3:GetObject", 404, "NoSuchKey"),
            Verdict::Allowed
        );
        assert_eq!(
            verdict(AwsService::S3, "s3:PutObject", 412, "PreconditionFailed"),
            Verdict::Allowed
        );
        assert_eq!(
            verdict(
                AwsService::DynamoDb,
                "dynamodb:PutItem",
                400,
                "ConditionalCheckFailedException"
            ),
            Verdict::Allowed
        );
        assert_eq!(
            verdict(
                AwsService::SecretsManager,
                "secretsmanager:PutSecretValue",
                400,
                "ResourceExistsException"
            ),
            Verdict::Allowed
        );
        // DynamoDB's ResourceNotFoundException means a wrong table name: it proves nothing.
        assert_eq!(
            verdict(
                AwsService::DynamoDb,
                "dynamodb:GetItem",
                400,
                "ResourceNotFoundException"
            ),
            Verdict::Inconclusive
        );
    }

    #[test]
    fn authentication_throttling_server_and_unknown_errors_are_inconclusive() {
        for (status, code) in [
            (400, "ExpiredToken"),
            (400, "ExpiredTokenException"),
            (403, "InvalidAccessKeyId"),
            (403, "SignatureDoesNotMatch"),
            (400, "ThrottlingException"),
            (503, "SlowDown"),
            (500, "InternalError"),
            (400, "SomethingNobodyDocumented"),
        ] {
            assert_eq!(
                verdict(AwsService::S3, "s3:GetObject", status, code),
                Verdict::Inconclusive,
                "{status} {code}"
            );
            assert_eq!(
                verdict(AwsService::DynamoDb, "dynamodb:GetItem", status, code),
                Verdict::Inconclusive,
                "{status} {code}"
            );
        }
    }

    #[test]
    fn an_s3_object_403_that_denies_list_bucket_is_inconclusive() {
        let missing_key = Observation {
            error_message: Some(
                "User: arn:aws:sts::111122223333:assumed-role/R/s is not authorized to perform: \
                 s3:ListBucket on resource: \"arn:aws:s3:::b\" because no identity-based policy \
                 allows the s3:ListBucket action"
                    .to_owned(),
            ),
            ..service_error(403, "AccessDenied")
        };
        for api in ["s3:GetObject", "s3:DeleteObject", "s3:PutObject"] {
            assert_eq!(
                classify(AwsService::S3, api, &missing_key).verdict,
                Verdict::Inconclusive,
                "{api}"
            );
        }
        // Listing is what s3:ListBucket authorizes, so there the 403 is a denial.
        assert_eq!(
            classify(AwsService::S3, "s3:ListObjectsV2", &missing_key).verdict,
            Verdict::Denied
        );
        let object_denied = Observation {
            error_message: Some(
                "User: arn:aws:sts::111122223333:assumed-role/R/s is not authorized to perform: \
                 s3:GetObject on resource: \"arn:aws:s3:::b/k\""
                    .to_owned(),
            ),
            ..service_error(403, "AccessDenied")
        };
        assert_eq!(
            classify(AwsService::S3, "s3:GetObject", &object_denied).verdict,
            Verdict::Denied
        );
    }

    #[test]
    fn head_object_decides_on_status_and_a_bare_403_proves_nothing() {
        let head =
            |status| classify(AwsService::S3, "s3:HeadObject", &service_error(status, "")).verdict;
        assert_eq!(head(404), Verdict::Allowed);
        assert_eq!(head(403), Verdict::Inconclusive);
        assert_eq!(head(500), Verdict::Inconclusive);
    }

    #[test]
    fn transport_failures_are_inconclusive() {
        for end in [
            CallEnd::Timeout,
            CallEnd::Network,
            CallEnd::MalformedResponse,
            CallEnd::RequestNotSent,
        ] {
            let observation = Observation {
                end,
                http_status: None,
                error_code: None,
                error_message: None,
                request_id: None,
                transport_detail: None,
            };
            assert_eq!(
                classify(AwsService::S3, "s3:GetObject", &observation).verdict,
                Verdict::Inconclusive
            );
        }
    }
}
