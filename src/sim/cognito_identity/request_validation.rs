//! The input validation Cognito Identity runs before anything else: identity pool ids and
//! identity ids must match the API's pattern and length, or the request is a
//! ValidationException naming the member, never a lookup that fails later.
//! See <https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetId.html#API_GetId_RequestSyntax>
//! and <https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/CommonErrors.html>.

use super::error::IdentityError;
use serde_json::{Map, Value};

/// `IdentityPoolId` and `IdentityId`: `[\w-]+:[0-9a-f-]+`, 1 to 55 characters.
const ID_PATTERN: &str = r"[\w-]+:[0-9a-f-]+";
const ID_MAX_LENGTH: usize = 55;

/// Checks every id member the request carries, in the order AWS names them.
pub fn validate_ids(body: &Map<String, Value>) -> Result<(), IdentityError> {
    for (member, wire_name) in [
        ("IdentityPoolId", "identityPoolId"),
        ("IdentityId", "identityId"),
    ] {
        if let Some(Value::String(value)) = body.get(member) {
            check_id(value, wire_name)?;
        }
    }
    Ok(())
}

fn check_id(value: &str, wire_name: &str) -> Result<(), IdentityError> {
    let length = value.chars().count();
    if length == 0 || length > ID_MAX_LENGTH {
        return Err(IdentityError::Validation(format!(
            "1 validation error detected: Value '{value}' at '{wire_name}' failed to satisfy constraint: Member must have length between 1 and {ID_MAX_LENGTH}"
        )));
    }
    if !matches_id_pattern(value) {
        return Err(IdentityError::Validation(format!(
            "1 validation error detected: Value '{value}' at '{wire_name}' failed to satisfy constraint: Member must satisfy regular expression pattern: {ID_PATTERN}"
        )));
    }
    Ok(())
}

/// `[\w-]+:[0-9a-f-]+` over the whole value; `\w` is ASCII letters, digits and `_`.
fn matches_id_pattern(value: &str) -> bool {
    let Some((region, id)) = value.split_once(':') else {
        return false;
    };
    !region.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        && !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b) || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_the_documented_pattern() {
        assert!(matches_id_pattern(
            "us-east-1:5b0e7c2a-6d1f-4e8a-9c3b-2f4d6a8e0c11"
        ));
        // A user pool id is the usual mistake.
        assert!(!matches_id_pattern("us-east-1_Pacific01"));
        assert!(!matches_id_pattern("us-east-1:ABCDEF"));
        assert!(!matches_id_pattern("us-east-1:abc:def"));
        assert!(!matches_id_pattern(":abc"));
        let long = format!("us-east-1:{}", "a".repeat(50));
        let error = check_id(&long, "identityPoolId").unwrap_err();
        assert_eq!(error.code(), "ValidationException");
    }
}
