//! The RSA key local staging's Cognito pools sign tokens with, and its JWKS form.
//!
//! Key generation is slow, so each key is generated once per process and shared; each
//! issuer publishes it under its own `kid`. There are two: AWS signs a user pool's ID and
//! access tokens with different keys, so a verifier that mixes them up must fail here too.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header};
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::traits::PublicKeyParts;
use std::sync::{Arc, OnceLock};

/// Errors while minting a token.
#[derive(Debug, thiserror::Error)]
#[error("failed to sign a token")]
pub struct SigningError(#[source] pub jsonwebtoken::errors::Error);

/// A signing key under one `kid`.
#[derive(Clone)]
pub struct SigningKey {
    kid: String,
    material: Arc<KeyMaterial>,
}

struct KeyMaterial {
    encoding: EncodingKey,
    decoding: DecodingKey,
    modulus_b64: String,
    exponent_b64: String,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

/// Which of the process-wide keys a [`SigningKey`] uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SharedKey {
    /// ID tokens and the identity pools' OpenID tokens.
    First,
    /// A user pool's access tokens.
    Second,
}

fn shared_material(which: SharedKey) -> Arc<KeyMaterial> {
    static FIRST: OnceLock<Arc<KeyMaterial>> = OnceLock::new();
    static SECOND: OnceLock<Arc<KeyMaterial>> = OnceLock::new();
    let slot = match which {
        SharedKey::First => &FIRST,
        SharedKey::Second => &SECOND,
    };
    slot.get_or_init(|| {
        let private = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 2048)
            .expect("RSA-2048 key generation with the OS RNG does not fail");
        let der = private
            .to_pkcs1_der()
            .expect("a freshly generated RSA key encodes as PKCS#1");
        let modulus = private.n().to_bytes_be();
        let exponent = private.e().to_bytes_be();
        Arc::new(KeyMaterial {
            encoding: EncodingKey::from_rsa_der(der.as_bytes()),
            decoding: DecodingKey::from_rsa_raw_components(&modulus, &exponent),
            modulus_b64: URL_SAFE_NO_PAD.encode(&modulus),
            exponent_b64: URL_SAFE_NO_PAD.encode(&exponent),
        })
    })
    .clone()
}

impl SigningKey {
    /// The first process-wide key, published under `kid`.
    pub fn shared(kid: impl Into<String>) -> Self {
        SigningKey::shared_as(kid, SharedKey::First)
    }

    /// One of the process-wide keys, published under `kid`.
    pub fn shared_as(kid: impl Into<String>, which: SharedKey) -> Self {
        SigningKey {
            kid: kid.into(),
            material: shared_material(which),
        }
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// Signs claims as an RS256 JWT whose header names this key's `kid`.
    pub fn sign(&self, claims: &serde_json::Value) -> Result<String, SigningError> {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, claims, &self.material.encoding).map_err(SigningError)
    }

    /// The key for checking signatures this key made.
    pub fn decoding_key(&self) -> &DecodingKey {
        &self.material.decoding
    }

    /// The JWKS document (`{"keys": [...]}`) with this key's public half.
    /// See <https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html>.
    pub fn jwks(&self) -> serde_json::Value {
        jwks_of(&[self])
    }

    /// This key's public half as one JWK.
    fn jwk(&self) -> serde_json::Value {
        serde_json::json!({
            "alg": "RS256",
            "e": self.material.exponent_b64,
            "kid": self.kid,
            "kty": "RSA",
            "n": self.material.modulus_b64,
            "use": "sig",
        })
    }
}

/// The JWKS document publishing every key of an issuer.
/// See <https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html>.
pub fn jwks_of(keys: &[&SigningKey]) -> serde_json::Value {
    serde_json::json!({ "keys": keys.iter().map(|key| key.jwk()).collect::<Vec<_>>() })
}

/// Checks an RS256 signature made by `key` and returns the claims, without judging
/// lifetime or audience (callers compare `exp` with the core's clock).
pub fn verify_signature(key: &SigningKey, token: &str) -> Option<serde_json::Value> {
    let header = jsonwebtoken::decode_header(token).ok()?;
    if header.alg != Algorithm::RS256 || header.kid.as_deref() != Some(key.kid()) {
        return None;
    }
    let mut validation = jsonwebtoken::Validation::new(Algorithm::RS256);
    validation.validate_exp = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    jsonwebtoken::decode::<serde_json::Value>(token, key.decoding_key(), &validation)
        .ok()
        .map(|data| data.claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_token_verifies_and_a_tampered_one_does_not() {
        let key = SigningKey::shared("pool-kid");
        let token = key.sign(&serde_json::json!({"sub": "u1"})).unwrap();
        assert_eq!(verify_signature(&key, &token).unwrap()["sub"], "u1");
        let mut parts: Vec<String> = token.split('.').map(str::to_string).collect();
        parts[1] = URL_SAFE_NO_PAD.encode(br#"{"sub":"u2"}"#);
        assert!(verify_signature(&key, &parts.join(".")).is_none());
        assert!(verify_signature(&SigningKey::shared("other-kid"), &token).is_none());
    }

    #[test]
    fn jwks_publishes_the_key_under_its_kid() {
        let jwks = SigningKey::shared("k1").jwks();
        assert_eq!(jwks["keys"][0]["kid"], "k1");
        assert_eq!(jwks["keys"][0]["alg"], "RS256");
        assert_eq!(jwks["keys"][0]["e"], "AQAB");
    }
}
