//! The ID-token claims that decide an identity-pool role, read without verification: the
//! harness only reports them; Cognito verifies the token it receives.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;

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

/// Decodes the payload (the middle part) of a JWT.
pub fn role_claims(token: &str) -> Result<RoleClaims, ClaimsError> {
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
    fn a_non_jwt_is_an_error() {
        assert!(matches!(role_claims("opaque"), Err(ClaimsError::NotAJwt)));
    }
}
