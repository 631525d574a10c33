//! Checking the `Logins` map of an identity pool request: the ID token of a user pool
//! the identity pool trusts.

use super::error::IdentityError;
use super::world::IdentityPoolSpec;
use crate::sim::cognito_idp::CognitoIdpService;
use crate::sim::core::SimCore;
use serde_json::Value;

/// A login the identity pool accepted.
#[derive(Debug, Clone)]
pub struct VerifiedLogin {
    /// `cognito-idp.REGION.amazonaws.com/POOLID`.
    pub provider_name: String,
    /// The token's `aud`: the app client.
    pub client_id: String,
    pub sub: String,
    pub claims: Value,
}

fn refused(why: &str) -> IdentityError {
    IdentityError::NotAuthorized(format!("Invalid login token. {why}"))
}

/// Verifies the one login of a request: a provider the pool trusts, a token the core
/// verifies (signature, issuer, expiry), issued by that provider, an ID token, for a
/// client the pool trusts, and not revoked when the provider uses ServerSideTokenCheck.
/// See <https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-integrating-user-pools-with-identity-pools.html>.
pub fn verify_login(
    core: &dyn SimCore,
    user_pools: &CognitoIdpService,
    pool: &IdentityPoolSpec,
    logins: &serde_json::Map<String, Value>,
    now: u64,
) -> Result<VerifiedLogin, IdentityError> {
    let mut entries = logins.iter();
    let (Some((provider_name, token)), None) = (entries.next(), entries.next()) else {
        return Err(IdentityError::InvalidParameter(
            "local staging accepts exactly one login per request".to_string(),
        ));
    };
    let token = token
        .as_str()
        .ok_or_else(|| IdentityError::InvalidParameter("a login token must be a string".into()))?;
    let trusted: Vec<_> = pool
        .cognito_identity_providers
        .iter()
        .filter(|p| &p.provider_name == provider_name)
        .collect();
    if trusted.is_empty() {
        return Err(refused(
            "Token is not from a supported provider of this identity pool.",
        ));
    }
    let verified = core
        .verify_token(token)
        .map_err(|e| refused(&format!("Couldn't verify signed token ({}).", e.code)))?;
    if verified.issuer != format!("https://{provider_name}") {
        return Err(refused("Issuer doesn't match providerName"));
    }
    let claims = verified.claims;
    let text = |name: &str| claims.get(name).and_then(Value::as_str);
    // Identity pools take ID tokens, not access tokens.
    // See <https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-id-token.html>.
    if text("token_use") != Some("id") {
        return Err(refused("Not a valid OpenId Connect identity token."));
    }
    // The core checked expiry; checking again with the same clock keeps this fail-closed
    // whatever the core's leeway.
    if claims
        .get("exp")
        .and_then(Value::as_u64)
        .is_none_or(|exp| exp <= now)
    {
        return Err(refused("Token expired."));
    }
    let client_id = text("aud").unwrap_or_default().to_string();
    let Some(provider) = trusted.iter().find(|p| p.client_id == client_id) else {
        return Err(refused("Incorrect token audience."));
    };
    // See <https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_CognitoIdentityProvider.html#CognitoIdentity-Type-CognitoIdentityProvider-ServerSideTokenCheck>.
    if provider.server_side_token_check {
        let origin = text("origin_jti").unwrap_or_default();
        if origin.is_empty() || user_pools.is_sign_in_revoked(origin) {
            return Err(refused("Token has been revoked."));
        }
    }
    let sub = text("sub")
        .filter(|s| !s.is_empty())
        .ok_or_else(|| refused("The token has no sub."))?
        .to_string();
    Ok(VerifiedLogin {
        provider_name: provider_name.clone(),
        client_id,
        sub,
        claims,
    })
}
