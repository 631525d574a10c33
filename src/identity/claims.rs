//! The ID-token claims that decide an identity-pool role, read without verification: the
//! harness only reports them; Cognito verifies the token it receives.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use std::collections::BTreeMap;

/// `cognito:groups`, `cognito:preferred_role`, `cognito:roles` and `exp`.
// Claims of the ID token: https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-id-token.html.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct RoleClaims {
    #[serde(rename = "cognito:groups", default)]
    pub groups: Vec<String>,
    #[serde(rename = "cognito:preferred_role", default)]
    pub preferred_role: Option<String>,
    #[serde(rename = "cognito:roles", default)]
    pub roles: Vec<String>,
    /// Expiry, seconds since the epoch.
    #[serde(default)]
    pub exp: Option<u64>,
}

/// Why a token's payload could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ClaimsError {
    #[error("the token is not three dot-separated parts")]
    NotAJwt,
    #[error("the token payload is not base64url")]
    Base64(#[source] base64::DecodeError),
    #[error("the token payload is not the expected JSON")]
    Json(#[source] serde_json::Error),
}

/// Every claim of a JWT whose value is a string (`custom:tenant_id`, `email`), by name:
/// what a role mapping rule or a principal-tag map can read.
// Rules and principal tags match string claims of the ID token
// (https://docs.aws.amazon.com/cognito/latest/developerguide/role-based-access-control.html,
// https://docs.aws.amazon.com/cognito/latest/developerguide/attributes-for-access-control.html).
pub fn string_claims(token: &str) -> Result<BTreeMap<String, String>, ClaimsError> {
    let all: serde_json::Map<String, serde_json::Value> = decode_payload(token)?;
    Ok(all
        .into_iter()
        .filter_map(|(name, value)| match value {
            serde_json::Value::String(text) => Some((name, text)),
            _ => None,
        })
        .collect())
}

/// Decodes the payload (the middle part) of a JWT.
pub fn role_claims(token: &str) -> Result<RoleClaims, ClaimsError> {
    decode_payload(token)
}

fn decode_payload<T: serde::de::DeserializeOwned>(token: &str) -> Result<T, ClaimsError> {
    let mut parts = token.split('.');
    let (Some(_header), Some(payload), Some(_signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ClaimsError::NotAJwt);
    };
    // JWTs use unpadded base64url (RFC 7515 §2); tolerate padding some encoders add.
    let bytes = URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(ClaimsError::Base64)?;
    serde_json::from_slice(&bytes).map_err(ClaimsError::Json)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(payload: &str) -> String {
        format!(
            "eyJhbGciOiJSUzI1NiJ9.{}.c2ln",
            URL_SAFE_NO_PAD.encode(payload)
        )
    }

    #[test]
    fn reads_the_role_deciding_claims() {
        let token = jwt(
            r#"{"sub":"s","cognito:groups":["acme-users"],"cognito:preferred_role":"arn:aws:iam::111122223333:role/acme","cognito:roles":["arn:aws:iam::111122223333:role/acme"],"exp":1900000000}"#,
        );
        let claims = role_claims(&token).unwrap();
        assert_eq!(claims.groups, vec!["acme-users"]);
        assert_eq!(
            claims.preferred_role.as_deref(),
            Some("arn:aws:iam::111122223333:role/acme")
        );
        assert_eq!(claims.roles.len(), 1);
        assert_eq!(claims.exp, Some(1_900_000_000));
    }

    #[test]
    fn a_user_without_groups_has_empty_claims() {
        let claims = role_claims(&jwt(r#"{"sub":"s"}"#)).unwrap();
        assert_eq!(claims, RoleClaims::default());
    }

    #[test]
    fn string_claims_are_every_claim_with_a_string_value() {
        let token = jwt(
            r#"{"sub":"s","custom:tenant_id":"acme","email":"a@acme.example","exp":1900000000,"cognito:groups":["g"]}"#,
        );
        let claims = string_claims(&token).unwrap();
        let names: Vec<&str> = claims.keys().map(String::as_str).collect();
        assert_eq!(names, ["custom:tenant_id", "email", "sub"]);
        assert_eq!(claims["custom:tenant_id"], "acme");
    }

    #[test]
    fn a_non_jwt_is_an_error() {
        assert!(matches!(role_claims("opaque"), Err(ClaimsError::NotAJwt)));
    }
}
