//! The OpenID token an identity pool mints for an identity and hands to STS.
//! See <https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetOpenIdToken.html>.

use crate::sim::cognito_idp::signing_key::{SigningError, SigningKey};
use crate::sim::core::TokenIssuer;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// The `iss` of identity pool tokens.
pub const ISSUER: &str = "https://cognito-identity.amazonaws.com";
/// The `Federated` principal trust policies name for identity pool tokens.
/// See <https://docs.aws.amazon.com/cognito/latest/developerguide/role-trust-and-permissions.html>.
pub const FEDERATED_PRINCIPAL: &str = "cognito-identity.amazonaws.com";
/// GetOpenIdToken's tokens last ten minutes.
/// See <https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetOpenIdToken.html#API_GetOpenIdToken_ResponseSyntax>.
pub const TOKEN_SECONDS: u64 = 600;

/// How the identity signed in, as the `amr` claim says it.
#[derive(Debug, Clone)]
pub enum AuthenticationMethod {
    Unauthenticated,
    /// Signed in through a user pool: the provider name and the user's `sub`.
    Authenticated {
        provider_name: String,
        sub: String,
    },
}

impl AuthenticationMethod {
    /// `["unauthenticated"]`, or `["authenticated", provider,
    /// "provider:CognitoSignIn:sub"]`.
    /// See <https://docs.aws.amazon.com/cognito/latest/developerguide/role-trust-and-permissions.html>.
    pub fn amr(&self) -> Vec<String> {
        match self {
            AuthenticationMethod::Unauthenticated => vec!["unauthenticated".to_string()],
            AuthenticationMethod::Authenticated { provider_name, sub } => vec![
                "authenticated".to_string(),
                provider_name.clone(),
                format!("{provider_name}:CognitoSignIn:{sub}"),
            ],
        }
    }
}

/// The identity pools' token issuer as STS registers it: any `aud` (trust policies check
/// `cognito-identity.amazonaws.com:aud`), federated principal
/// `cognito-identity.amazonaws.com`.
pub fn token_issuer(key: &SigningKey) -> TokenIssuer {
    TokenIssuer {
        issuer: ISSUER.to_string(),
        jwks: key.jwks(),
        client_ids: Vec::new(),
        federated_principal: FEDERATED_PRINCIPAL.to_string(),
    }
}

/// Mints the token for `identity_id` of `identity_pool_id`. Principal tags travel in the
/// `https://aws.amazon.com/tags` claim, where STS reads session tags.
/// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html#id_session-tags_adding-assume-role-idp>.
pub fn mint_open_id_token(
    key: &SigningKey,
    identity_pool_id: &str,
    identity_id: &str,
    method: &AuthenticationMethod,
    tags: &BTreeMap<String, String>,
    now: u64,
) -> Result<String, SigningError> {
    let mut claims = Map::new();
    claims.insert("iss".into(), json!(ISSUER));
    claims.insert("sub".into(), json!(identity_id));
    claims.insert("aud".into(), json!(identity_pool_id));
    claims.insert("amr".into(), json!(method.amr()));
    claims.insert("iat".into(), json!(now));
    claims.insert("exp".into(), json!(now + TOKEN_SECONDS));
    if !tags.is_empty() {
        let principal_tags: Map<String, Value> =
            tags.iter().map(|(k, v)| (k.clone(), json!([v]))).collect();
        claims.insert(
            "https://aws.amazon.com/tags".into(),
            json!({ "principal_tags": principal_tags }),
        );
    }
    key.sign(&Value::Object(claims))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::cognito_idp::signing_key::verify_signature;

    #[test]
    fn the_token_carries_pool_identity_amr_and_tags() {
        let key = SigningKey::shared("identity-test");
        let method = AuthenticationMethod::Authenticated {
            provider_name: "cognito-idp.us-east-1.amazonaws.com/us-east-1_P".into(),
            sub: "s-1".into(),
        };
        let tags = BTreeMap::from([("tenant".to_string(), "acme".to_string())]);
        let token = mint_open_id_token(&key, "us-east-1:pool", "us-east-1:id", &method, &tags, 100)
            .unwrap();
        let claims = verify_signature(&key, &token).unwrap();
        assert_eq!(claims["iss"], ISSUER);
        assert_eq!(claims["aud"], "us-east-1:pool");
        assert_eq!(claims["sub"], "us-east-1:id");
        assert_eq!(claims["exp"], 700);
        assert_eq!(claims["amr"][0], "authenticated");
        assert_eq!(
            claims["amr"][2],
            "cognito-idp.us-east-1.amazonaws.com/us-east-1_P:CognitoSignIn:s-1"
        );
        assert_eq!(
            claims["https://aws.amazon.com/tags"]["principal_tags"]["tenant"][0],
            "acme"
        );
    }
}
