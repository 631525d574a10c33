//! The JWT issuers STS trusts, and verification of their tokens.

use super::clock::epoch_seconds;
use super::core::{StsError, TokenIssuer, VerifiedToken};
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, RwLock};
use std::time::SystemTime;

/// Registered issuers, keyed by `iss` without its `https://` scheme.
#[derive(Debug, Default)]
pub struct TokenIssuerRegistry {
    issuers: RwLock<BTreeMap<String, Arc<Registered>>>,
}

/// An issuer with its JWKS parsed once, when it is registered, rather than on every token.
#[derive(Debug)]
struct Registered {
    issuer: TokenIssuer,
    /// `None` when the JWKS document does not parse: its tokens are then refused.
    keys: Option<JwkSet>,
}

/// The issuer with its scheme removed: Cognito writes `iss` as
/// `https://cognito-identity.amazonaws.com` while trust policies name
/// `cognito-identity.amazonaws.com`, and condition keys use the bare form.
/// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif>.
pub fn issuer_key(issuer: &str) -> &str {
    issuer
        .strip_prefix("https://")
        .unwrap_or(issuer)
        .trim_end_matches('/')
}

impl TokenIssuerRegistry {
    pub fn register(&self, issuer: TokenIssuer) {
        let key = issuer_key(&issuer.issuer).to_string();
        let keys = serde_json::from_value(issuer.jwks.clone()).ok();
        self.issuers
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(key, Arc::new(Registered { issuer, keys }));
    }

    fn registered(&self, issuer: &str) -> Option<Arc<Registered>> {
        self.issuers
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(issuer_key(issuer))
            .cloned()
    }

    pub fn get(&self, issuer: &str) -> Option<TokenIssuer> {
        self.registered(issuer).map(|r| r.issuer.clone())
    }

    /// Verifies signature (RS256, key chosen by `kid`), issuer, expiry and audience.
    /// Errors follow the AssumeRoleWithWebIdentity error list.
    /// See <https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html#API_AssumeRoleWithWebIdentity_Errors>.
    pub fn verify(
        &self,
        token: &str,
        now: SystemTime,
    ) -> Result<(TokenIssuer, VerifiedToken), StsError> {
        let header = jsonwebtoken::decode_header(token)
            .map_err(|_| invalid_token("The web identity token is not a well-formed JWT."))?;
        if header.alg != Algorithm::RS256 {
            return Err(invalid_token(
                "The web identity token is not signed with RS256.",
            ));
        }
        let unverified: serde_json::Value = jsonwebtoken::dangerous::insecure_decode(token)
            .map(|data| data.claims)
            .map_err(|_| invalid_token("The web identity token is not a well-formed JWT."))?;
        let iss = unverified
            .get("iss")
            .and_then(|v| v.as_str())
            .ok_or_else(|| invalid_token("The web identity token has no issuer."))?;
        let registered = self.registered(iss).ok_or_else(|| {
            // The message STS gives when no provider matches the `iss` claim.
            invalid_token(&format!(
                "No OpenIDConnect provider found in your account for {iss}"
            ))
        })?;
        let jwks = registered
            .keys
            .as_ref()
            .ok_or_else(|| invalid_token("The identity provider's signing keys are unusable."))?;
        let jwk = match &header.kid {
            Some(kid) => jwks.find(kid),
            None if jwks.keys.len() == 1 => jwks.keys.first(),
            None => None,
        }
        .ok_or_else(|| invalid_token("No signing key of the provider matches the token."))?;
        let key = DecodingKey::from_jwk(jwk)
            .map_err(|_| invalid_token("The identity provider's signing key is unusable."))?;
        let mut validation = Validation::new(Algorithm::RS256);
        // Expiry is checked below against local staging's clock, which tests can move.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        validation.validate_aud = false;
        validation.required_spec_claims = HashSet::new();
        let claims: serde_json::Value = jsonwebtoken::decode(token, &key, &validation)
            .map(|data| data.claims)
            .map_err(|_| invalid_token("The web identity token's signature is invalid."))?;

        let now_seconds = epoch_seconds(now);
        let exp = claims
            .get("exp")
            .and_then(serde_json::Value::as_i64)
            .ok_or_else(|| invalid_token("The web identity token has no expiry."))?;
        if exp <= now_seconds {
            // STS reports an expired token as ExpiredTokenException (400).
            return Err(StsError {
                code: "ExpiredTokenException".to_string(),
                message:
                    "Token expired: current date/time must be before the expiration date/time."
                        .to_string(),
                status: 400,
            });
        }
        if let Some(nbf) = claims.get("nbf").and_then(serde_json::Value::as_i64)
            && nbf > now_seconds
        {
            return Err(invalid_token("The web identity token is not valid yet."));
        }
        let issuer = &registered.issuer;
        if !issuer.client_ids.is_empty() {
            let audiences = audiences(&claims);
            if !audiences
                .iter()
                .any(|aud| issuer.client_ids.iter().any(|id| id == aud))
            {
                return Err(invalid_token("Incorrect token audience"));
            }
        }
        let verified = VerifiedToken {
            issuer: issuer.issuer.clone(),
            claims,
        };
        Ok((issuer.clone(), verified))
    }
}

/// The `aud` claim as a list (a string or an array of strings).
pub fn audiences(claims: &serde_json::Value) -> Vec<String> {
    match claims.get("aud") {
        Some(serde_json::Value::String(aud)) => vec![aud.clone()],
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

fn invalid_token(message: &str) -> StsError {
    StsError {
        code: "InvalidIdentityToken".to_string(),
        message: message.to_string(),
        status: 400,
    }
}
