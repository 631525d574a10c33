//! The fail-closed verdict table: which observations prove an allow, which prove a denial,
//! and why everything else proves nothing.

use super::denial::Denial;
use super::iam_action::iam_action_of;
use super::observation::{CallEnd, Observation};
use super::record::Verdict;
use super::service::AwsService;

/// A verdict, the one-line reason for it, and the authorization decision it rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classification {
    pub verdict: Verdict,
    pub reason: String,
    /// The decision the error message stated, whichever action it names (set for every
    /// access-denied response whose message is an IAM authorization decision).
    pub denial: Option<Denial>,
}

impl Classification {
    pub(crate) fn allowed(reason: impl Into<String>) -> Classification {
        Classification {
            verdict: Verdict::Allowed,
            reason: reason.into(),
            denial: None,
        }
    }

    pub(crate) fn denied(reason: impl Into<String>, denial: Denial) -> Classification {
        Classification {
            verdict: Verdict::Denied,
            reason: reason.into(),
            denial: Some(denial),
        }
    }

    pub(crate) fn inconclusive(reason: impl Into<String>) -> Classification {
        Classification {
            verdict: Verdict::Inconclusive,
            reason: reason.into(),
            denial: None,
        }
    }

    fn with_denial(mut self, denial: Denial) -> Classification {
        self.denial = Some(denial);
        self
    }
}

/// Classifies one observation of `api` (for example `s3:GetObject`) on `service`.
///
/// Allowed needs a well-formed success or an error only possible after authorization;
/// Denied needs the service's documented denial with its documented status and a message
/// that is an IAM authorization decision naming the probed call's action (or a documented
/// dependency of a read); everything else is Inconclusive. `docs/verdicts.md` states the
/// same rules for users.
pub fn classify(service: AwsService, api: &str, observation: &Observation) -> Classification {
    match observation.end {
        CallEnd::Success => {
            return classify_success(api, observation);
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
        // (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList);
        // DynamoDB and Secrets Manager with 400 AccessDeniedException
        // (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html,
        // https://docs.aws.amazon.com/secretsmanager/latest/apireference/CommonErrors.html).
        // The code alone is not a denial of the probed call: the message must say so.
        (AwsService::S3, Some(403), Some("AccessDenied"))
        | (AwsService::DynamoDb, Some(400), Some("AccessDeniedException"))
        | (AwsService::SecretsManager, Some(400), Some("AccessDeniedException")) => {
            classify_denial(service, api, observation)
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
        // A condition is evaluated only on an authorized request
        // (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html).
        (AwsService::DynamoDb, Some(400), Some("ConditionalCheckFailedException")) => {
            Classification::allowed(format!(
                "{api} returned ConditionalCheckFailedException: authorized, nothing changed"
            ))
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

/// The one success status each API reference documents: DeleteObject answers
/// `204 No Content` (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html),
/// every other probed S3 operation and every JSON-protocol operation `200 OK`
/// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html,
/// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/CommonErrors.html).
pub fn documented_success_status(api: &str) -> u16 {
    match api {
        "s3:DeleteObject" => 204,
        _ => 200,
    }
}

/// A success proves authorization only when it is the response the API reference
/// documents: its status, and a shape the probe checked (see `Observation::shape_problem`).
fn classify_success(api: &str, observation: &Observation) -> Classification {
    let documented = documented_success_status(api);
    match (
        observation.http_status,
        observation.shape_problem.as_deref(),
    ) {
        (None, _) => Classification::inconclusive(format!(
            "{api} reported success but no HTTP response was observed: not a well-formed success"
        )),
        (Some(status), _) if status != documented => Classification::inconclusive(format!(
            "{api} answered {status} where its API reference documents {documented}: not a \
             well-formed success"
        )),
        (Some(status), Some(problem)) => Classification::inconclusive(format!(
            "{api} answered {status} but {problem}: not a well-formed success"
        )),
        (Some(_), None) => Classification::allowed(format!("{api} succeeded")),
    }
}

/// Reads to which AWS documents a second permission: without it the data is not readable,
/// so its denial is the read's denial (flagged with the action; see docs/verdicts.md).
// SSE-KMS objects need kms:Decrypt to be downloaded
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html);
// secrets under a customer managed key need kms:Decrypt for GetSecretValue
// (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html,
// https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html#security-encryption-authz).
pub fn documented_dependencies(api: &str) -> &'static [&'static str] {
    match api {
        "s3:GetObject" | "secretsmanager:GetSecretValue" => &["kms:Decrypt"],
        _ => &[],
    }
}

/// An access-denied code: Denied only when the message is an IAM authorization decision
/// naming the probed call's action or a documented dependency of it.
// Access-denied messages name the action and the policy type:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html.
fn classify_denial(service: AwsService, api: &str, observation: &Observation) -> Classification {
    let answered = format!(
        "{api} returned {} {}",
        observation.http_status.unwrap_or_default(),
        observation.error_code.as_deref().unwrap_or_default()
    );
    let message = observation.error_message.as_deref().unwrap_or_default();
    let Some(denial) = Denial::parse(message) else {
        // S3 sends the bare "Access Denied" to callers outside the bucket owner's account
        // or organization (https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html#access-denied-message-examples).
        if is_bare_access_denied(message) {
            return Classification::inconclusive(format!(
                "{answered} with the bare message \"Access Denied\", which names no denied \
                 action (S3 answers so outside the bucket owner's account or organization), \
                 so it proves nothing about {api}; see docs/verdicts.md"
            ));
        }
        return Classification::inconclusive(format!(
            "{answered} whose message is not an IAM authorization decision (no \"User: ... is \
             not authorized to perform: ACTION\"), so it proves nothing about {api}"
        ));
    };
    let probed = iam_action_of(api);
    if denial.names(probed) {
        return Classification::denied(format!("{answered}: {denial}"), denial);
    }
    // S3 also answers 403 for a key that does not exist when the caller lacks
    // s3:ListBucket, whatever it may do to the key itself; when the message names
    // s3:ListBucket, the 403 says nothing about the object call
    // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html#API_GetObject_Permissions).
    if service == AwsService::S3 && denial.names("s3:ListBucket") {
        return Classification::inconclusive(format!(
            "{answered} for s3:ListBucket: S3 answers so when the key does not exist and the \
             caller may not list the bucket, so it proves nothing about {api}; point the probe \
             at an object that exists"
        ))
        .with_denial(denial);
    }
    if documented_dependencies(api)
        .iter()
        .any(|dependency| denial.names(dependency))
    {
        return Classification::denied(
            format!(
                "{answered}: denied by {}, not {probed} ({denial}); {api} needs {} to return \
                 this data, so it was not readable",
                denial.action, denial.action
            ),
            denial,
        );
    }
    Classification::inconclusive(format!(
        "{answered}: denied by {}, not {probed} ({denial}), so it proves nothing about {probed}",
        denial.action
    ))
    .with_denial(denial)
}

/// S3's message without a decision: "Access Denied" (the trailing period varies).
fn is_bare_access_denied(message: &str) -> bool {
    message
        .trim()
        .trim_end_matches('.')
        .eq_ignore_ascii_case("access denied")
}

/// Whether the service said the request's credentials had expired: the case where the
/// harness renews them and makes the probe again.
// ExpiredToken (S3, STS), ExpiredTokenException (JSON services) and S3's
// TokenRefreshRequired (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList,
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html).
pub fn is_expired_credentials(code: Option<&str>) -> bool {
    matches!(
        code,
        Some("ExpiredToken" | "ExpiredTokenException" | "TokenRefreshRequired")
    )
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
        code if is_expired_credentials(Some(code)) => "the credentials had expired",
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
    use crate::probe::denial::DenialLayer;

    const ROLE: &str = "arn:aws:sts::111122223333:assumed-role/acme/CognitoIdentityCredentials";

    /// AWS's implicit-deny wording for `action`.
    fn not_authorized(action: &str) -> String {
        format!(
            "User: {ROLE} is not authorized to perform: {action} on resource: \
             arn:aws:x:us-east-1:111122223333:r because no identity-based policy allows the \
             {action} action"
        )
    }

    fn error_with(status: u16, code: &str, message: &str) -> Observation {
        Observation {
            end: CallEnd::ServiceError,
            http_status: Some(status),
            error_code: Some(code.to_owned()),
            error_message: Some(message.to_owned()),
            request_id: None,
            transport_detail: None,
            shape_problem: None,
        }
    }

    fn service_error(status: u16, code: &str) -> Observation {
        error_with(status, code, "message")
    }

    fn verdict(service: AwsService, api: &str, status: u16, code: &str) -> Verdict {
        classify(service, api, &service_error(status, code)).verdict
    }

    /// The verdict of an access-denied response to `api` whose message denies `action`.
    fn denied_by(service: AwsService, api: &str, action: &str) -> Classification {
        let (status, code) = match service {
            AwsService::S3 => (403, "AccessDenied"),
            AwsService::DynamoDb | AwsService::SecretsManager => (400, "AccessDeniedException"),
        };
        classify(
            service,
            api,
            &error_with(status, code, &not_authorized(action)),
        )
    }

    #[test]
    fn documented_denials_naming_the_probed_action_are_denied_with_their_decision() {
        for (service, api, action) in [
            (AwsService::S3, "s3:GetObject", "s3:GetObject"),
            (AwsService::S3, "s3:PutObject", "s3:PutObject"),
            (AwsService::S3, "s3:DeleteObject", "s3:DeleteObject"),
            (AwsService::S3, "s3:ListObjectsV2", "s3:ListBucket"),
            (AwsService::DynamoDb, "dynamodb:GetItem", "dynamodb:GetItem"),
            (AwsService::DynamoDb, "dynamodb:Query", "dynamodb:Query"),
            (
                AwsService::SecretsManager,
                "secretsmanager:GetSecretValue",
                "secretsmanager:GetSecretValue",
            ),
        ] {
            let classification = denied_by(service, api, action);
            assert_eq!(classification.verdict, Verdict::Denied, "{api}");
            let denial = classification.denial.expect("the decision is recorded");
            assert_eq!(denial.action, action);
            assert_eq!(denial.layer, DenialLayer::Identity);
            assert!(!denial.explicit);
        }
    }

    #[test]
    fn a_denial_code_with_the_wrong_status_is_inconclusive_whatever_it_says() {
        let message = not_authorized("s3:GetObject");
        for (status, code) in [(400, "AccessDenied"), (403, "AccessDeniedException")] {
            let observation = error_with(status, code, &message);
            assert_eq!(
                classify(AwsService::S3, "s3:GetObject", &observation).verdict,
                Verdict::Inconclusive,
                "{status} {code}"
            );
        }
    }

    #[test]
    fn an_access_denied_without_an_authorization_decision_is_inconclusive() {
        for message in [
            "Access Denied",
            "Access Denied.",
            "There were headers present in the request which were not signed",
            "Request has expired",
            "Invalid date format header, expected to be in ISO8601, RFC1123 or RFC1123Z time format.",
            "",
        ] {
            let classification = classify(
                AwsService::S3,
                "s3:GetObject",
                &error_with(403, "AccessDenied", message),
            );
            assert_eq!(classification.verdict, Verdict::Inconclusive, "{message}");
            assert_eq!(classification.denial, None);
            assert!(
                classification
                    .reason
                    .contains("proves nothing about s3:GetObject"),
                "{}",
                classification.reason
            );
        }
        let bare = classify(
            AwsService::S3,
            "s3:GetObject",
            &error_with(403, "AccessDenied", "Access Denied"),
        );
        assert!(bare.reason.contains("bare message"), "{}", bare.reason);
        let json = classify(
            AwsService::SecretsManager,
            "secretsmanager:GetSecretValue",
            &error_with(400, "AccessDeniedException", "Access to KMS is not allowed"),
        );
        assert_eq!(json.verdict, Verdict::Inconclusive);
    }

    #[test]
    fn a_denial_of_another_action_is_inconclusive_and_keeps_that_action() {
        for (service, api, action) in [
            (AwsService::S3, "s3:PutObject", "kms:GenerateDataKey"),
            (AwsService::S3, "s3:PutObject", "kms:Decrypt"),
            // A conditional delete also needs s3:GetObject: its denial says nothing of
            // s3:DeleteObject.
            (AwsService::S3, "s3:DeleteObject", "s3:GetObject"),
            (AwsService::DynamoDb, "dynamodb:GetItem", "dynamodb:Query"),
            (
                AwsService::SecretsManager,
                "secretsmanager:DescribeSecret",
                "kms:Decrypt",
            ),
            (
                AwsService::SecretsManager,
                "secretsmanager:GetSecretValue",
                "secretsmanager:DescribeSecret",
            ),
        ] {
            let classification = denied_by(service, api, action);
            assert_eq!(
                classification.verdict,
                Verdict::Inconclusive,
                "{api} {action}"
            );
            assert_eq!(
                classification.denial.map(|denial| denial.action).as_deref(),
                Some(action)
            );
            assert!(
                classification
                    .reason
                    .contains(&format!("denied by {action}, not ")),
                "{}",
                classification.reason
            );
        }
    }

    #[test]
    fn a_kms_decrypt_denial_of_a_read_is_denied_and_says_which_action_denied() {
        for (service, api) in [
            (AwsService::S3, "s3:GetObject"),
            (AwsService::SecretsManager, "secretsmanager:GetSecretValue"),
        ] {
            let classification = denied_by(service, api, "kms:Decrypt");
            assert_eq!(classification.verdict, Verdict::Denied, "{api}");
            assert_eq!(
                classification.denial.map(|denial| denial.action).as_deref(),
                Some("kms:Decrypt")
            );
            assert!(
                classification
                    .reason
                    .contains(&format!("denied by kms:Decrypt, not {api}")),
                "{}",
                classification.reason
            );
        }
    }

    #[test]
    fn explicit_denials_of_every_policy_type_are_denied() {
        for phrase in [
            "an identity-based policy",
            "a resource-based policy",
            "a permissions boundary",
            "a session policy",
            "a service control policy",
        ] {
            let message = format!(
                "User: {ROLE} is not authorized to perform: dynamodb:PutItem on resource: \
                 arn:aws:dynamodb:us-east-1:111122223333:table/records with an explicit deny \
                 in {phrase}"
            );
            let classification = classify(
                AwsService::DynamoDb,
                "dynamodb:PutItem",
                &error_with(400, "AccessDeniedException", &message),
            );
            assert_eq!(classification.verdict, Verdict::Denied, "{phrase}");
            assert!(classification.denial.unwrap().explicit);
        }
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
        let missing_key = error_with(
            403,
            "AccessDenied",
            "User: arn:aws:sts::111122223333:assumed-role/R/s is not authorized to perform: \
             s3:ListBucket on resource: \"arn:aws:s3:::b\" because no identity-based policy \
             allows the s3:ListBucket action",
        );
        for api in ["s3:GetObject", "s3:DeleteObject", "s3:PutObject"] {
            let classification = classify(AwsService::S3, api, &missing_key);
            assert_eq!(classification.verdict, Verdict::Inconclusive, "{api}");
            assert!(
                classification.reason.contains("key does not exist"),
                "{}",
                classification.reason
            );
        }
        // Listing is what s3:ListBucket authorizes, so there the 403 is a denial.
        assert_eq!(
            classify(AwsService::S3, "s3:ListObjectsV2", &missing_key).verdict,
            Verdict::Denied
        );
        let object_denied = error_with(
            403,
            "AccessDenied",
            "User: arn:aws:sts::111122223333:assumed-role/R/s is not authorized to perform: \
             s3:GetObject on resource: \"arn:aws:s3:::b/k\"",
        );
        assert_eq!(
            classify(AwsService::S3, "s3:GetObject", &object_denied).verdict,
            Verdict::Denied
        );
    }

    fn success(status: u16) -> Observation {
        Observation::success(Some(status), None)
    }

    #[test]
    fn a_success_is_allowed_only_with_its_documented_status_and_shape() {
        assert_eq!(
            classify(AwsService::S3, "s3:GetObject", &success(200)).verdict,
            Verdict::Allowed
        );
        assert_eq!(
            classify(AwsService::S3, "s3:DeleteObject", &success(204)).verdict,
            Verdict::Allowed
        );
        for (api, status) in [
            ("s3:DeleteObject", 200),
            ("s3:GetObject", 204),
            ("s3:GetObject", 206),
            ("s3:PutObject", 202),
        ] {
            let classification = classify(AwsService::S3, api, &success(status));
            assert_eq!(
                classification.verdict,
                Verdict::Inconclusive,
                "{api} {status}"
            );
            assert!(
                classification.reason.contains("not a well-formed success"),
                "{}",
                classification.reason
            );
        }
        let unobserved = Observation::success(None, None);
        assert_eq!(
            classify(AwsService::S3, "s3:GetObject", &unobserved).verdict,
            Verdict::Inconclusive
        );
        let truncated = Observation {
            shape_problem: Some("the body could not be read in full".to_owned()),
            ..success(200)
        };
        let classification = classify(AwsService::S3, "s3:GetObject", &truncated);
        assert_eq!(classification.verdict, Verdict::Inconclusive);
        assert!(
            classification
                .reason
                .contains("the body could not be read in full"),
            "{}",
            classification.reason
        );
    }

    #[test]
    fn expired_credentials_are_recognised_in_every_service_wording() {
        for code in [
            "ExpiredToken",
            "ExpiredTokenException",
            "TokenRefreshRequired",
        ] {
            assert!(is_expired_credentials(Some(code)), "{code}");
        }
        assert!(!is_expired_credentials(Some("InvalidAccessKeyId")));
        assert!(!is_expired_credentials(None));
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
                ..Observation::not_sent()
            };
            assert_eq!(
                classify(AwsService::S3, "s3:GetObject", &observation).verdict,
                Verdict::Inconclusive
            );
        }
    }
}
