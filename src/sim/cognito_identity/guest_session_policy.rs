//! The session policy Cognito attaches to unauthenticated (guest) sessions in the enhanced
//! flow: the guest role's permissions are intersected with it, whatever the role allows.
//! See <https://docs.aws.amazon.com/cognito/latest/developerguide/iam-roles.html#access-policies-scope-down-services>
//! and the managed policy `AmazonCognitoUnAuthedIdentitiesSessionPolicy`.

/// The services a guest session can reach through the enhanced flow, as the IAM roles
/// page of the Cognito Developer Guide lists them.
const GUEST_SERVICE_ACTIONS: &[&str] = &[
    "appsync:*",
    "cloudwatch:*",
    "cognito-identity:*",
    "cognito-sync:*",
    "comprehend:*",
    "dynamodb:*",
    "firehose:*",
    "gamelift:*",
    "geo:*",
    "iot:*",
    "kinesis:*",
    "kms:*",
    "lambda:*",
    "lex:*",
    "logs:*",
    "machinelearning:*",
    "mobileanalytics:*",
    "mobiletargeting:*",
    "personalize:*",
    "polly:*",
    "rekognition:*",
    "rum:PutRumEvents",
    "s3:*",
    "sagemaker:InvokeEndpoint",
    "sdb:*",
    "ses:*",
    "sns:*",
    "sqs:*",
    "textract:*",
    "transcribe:*",
    "translate:*",
];

/// The inline session policy passed to AssumeRoleWithWebIdentity for guests.
pub fn guest_session_policy() -> String {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "CognitoUnAuthedIdentitiesSessionPolicy",
            "Effect": "Allow",
            "Action": GUEST_SERVICE_ACTIONS,
            "Resource": "*",
        }]
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guest_policy_leaves_out_secrets_manager_and_iam() {
        let policy: serde_json::Value = serde_json::from_str(&guest_session_policy()).unwrap();
        let actions = policy["Statement"][0]["Action"].as_array().unwrap();
        assert!(actions.iter().any(|a| a == "s3:*"));
        assert!(
            !actions
                .iter()
                .any(|a| a.as_str().unwrap().starts_with("secretsmanager"))
        );
        assert!(
            !actions
                .iter()
                .any(|a| a.as_str().unwrap().starts_with("iam"))
        );
    }
}
