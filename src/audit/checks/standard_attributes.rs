//! The standard attributes of a user pool: what an app client without `ReadAttributes` or
//! `WriteAttributes` reads and writes.

// The standard attributes
// (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-attributes.html).
const STANDARD_ATTRIBUTES: [&str; 18] = [
    "address",
    "birthdate",
    "email",
    "family_name",
    "gender",
    "given_name",
    "locale",
    "middle_name",
    "name",
    "nickname",
    "phone_number",
    "picture",
    "preferred_username",
    "profile",
    "sub",
    "updated_at",
    "website",
    "zoneinfo",
];

pub(super) fn is_standard(attribute: &str) -> bool {
    STANDARD_ATTRIBUTES.contains(&attribute)
}

/// What a client without ReadAttributes reads.
// "When you don't specify the ReadAttributes for your app client, your app can read the
// values of email_verified, phone_number_verified, and the standard attributes"
// (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html#CognitoUserPools-CreateUserPoolClient-request-ReadAttributes).
pub(super) fn readable_by_default(attribute: &str) -> bool {
    is_standard(attribute) || matches!(attribute, "email_verified" | "phone_number_verified")
}

/// What a client without WriteAttributes writes.
// "When you don't specify the WriteAttributes for your app client, your app can write the
// values of the Standard attributes of your user pool"
// (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html#CognitoUserPools-CreateUserPoolClient-request-WriteAttributes).
pub(super) fn writable_by_default(attribute: &str) -> bool {
    is_standard(attribute)
}
