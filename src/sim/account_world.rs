//! The world file's `accounts:` section: further AWS accounts beside the world's own (the
//! default account), each with its own IAM roles and users, identity pools and buckets, so
//! cross-account trust and a foreign identity pool can be modelled in one world.
//!
//! A request whose caller and resource are in different accounts is evaluated with the
//! cross-account rules (both the caller's identity policies and the resource's policy must
//! allow); within one account the single-account rules apply, as before.
//! See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html>.

use serde::Deserialize;

use super::cognito_identity::world::IdentityPoolSpec;
use super::iam_world::IamWorld;
use super::s3::world::S3World;

/// One entry of `accounts:`. Its sections read exactly as the top-level ones do.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountSpec {
    /// Twelve digits, different from the world's `account_id` and every other entry's.
    pub account_id: String,
    #[serde(default)]
    pub iam: IamWorld,
    #[serde(default)]
    pub identity_pools: Vec<IdentityPoolSpec>,
    /// Buckets this account owns (bucket names are global, so they must differ from every
    /// other account's).
    #[serde(default)]
    pub s3: S3World,
}

/// Account ids are twelve digits.
/// See <https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html>.
pub fn is_account_id(id: &str) -> bool {
    id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit())
}

/// The account field of an ARN (`arn:partition:service:region:ACCOUNT:resource`), when it
/// has one (S3 bucket and object ARNs have none).
/// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html>.
pub fn arn_account(arn: &str) -> Option<&str> {
    let account = arn.strip_prefix("arn:")?.split(':').nth(3)?;
    (!account.is_empty()).then_some(account)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_account_of_an_arn_is_its_fifth_field() {
        assert_eq!(
            arn_account("arn:aws:iam::444455556666:role/R"),
            Some("444455556666")
        );
        assert_eq!(
            arn_account("arn:aws:dynamodb:us-east-1:444455556666:table/t"),
            Some("444455556666")
        );
        assert_eq!(arn_account("arn:aws:s3:::bucket/key"), None);
        assert_eq!(arn_account("*"), None);
    }
}
