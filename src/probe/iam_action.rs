//! The IAM action that authorizes each probed API: a denial counts only when it names this
//! action (or a documented dependency of it, see `classify`).

/// The IAM action AWS evaluates for `api` (`service:Operation`). Most operations are
/// authorized by the action of the same name; the exceptions are listed here.
pub fn iam_action_of(api: &str) -> &str {
    match api {
        // ListObjectsV2 is authorized by s3:ListBucket
        // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html).
        "s3:ListObjectsV2" => "s3:ListBucket",
        // So is ListObjects, version 1
        // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjects.html).
        "s3:ListObjects" => "s3:ListBucket",
        // HeadObject is authorized by s3:GetObject
        // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html).
        "s3:HeadObject" => "s3:GetObject",
        // GetObject, PutObject, DeleteObject, every DynamoDB and Secrets Manager operation the
        // harness makes share their operation's name
        // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html,
        // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html,
        // https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_iam-permissions.html).
        other => other,
    }
}

/// The action a per-item error inside a successful batch answer names, for the batch APIs
/// that authorize each item separately: BatchGetSecretValue needs
/// `secretsmanager:GetSecretValue` for each secret
/// (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_BatchGetSecretValue.html).
pub fn per_item_action_of(api: &str) -> Option<&'static str> {
    match api {
        "secretsmanager:BatchGetSecretValue" => Some("secretsmanager:GetSecretValue"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s3_listing_and_heads_are_authorized_by_other_actions() {
        assert_eq!(iam_action_of("s3:ListObjectsV2"), "s3:ListBucket");
        assert_eq!(iam_action_of("s3:ListObjects"), "s3:ListBucket");
        assert_eq!(iam_action_of("s3:HeadObject"), "s3:GetObject");
        assert_eq!(iam_action_of("s3:GetObject"), "s3:GetObject");
        assert_eq!(iam_action_of("dynamodb:Query"), "dynamodb:Query");
        assert_eq!(
            iam_action_of("secretsmanager:GetSecretValue"),
            "secretsmanager:GetSecretValue"
        );
    }
}
