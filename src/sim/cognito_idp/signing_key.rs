//! The RSA key local staging's Cognito pools sign tokens with, and its JWKS form.
//!
//! Key generation is slow, so each key is generated once per process and shared; each
//! issuer publishes it under its own `kid`. There are two: AWS signs a user pool's ID and
//! access tokens with different keys, so a verifier that mixes them up must fail here too.
//! A key is generated when first used, or ahead of that on a thread of its own
//! ([`generate_in_background`], which local staging calls as it starts), by AWS-LC, and is
//! never written anywhere: every process signs with fresh keys.

use aws_lc_rs::encoding::AsDer;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, Header};
use rsa::pkcs8::DecodePrivateKey;
use rsa::traits::PublicKeyParts;
use std::sync::OnceLock;

/// Errors while minting a token.
#[derive(Debug, thiserror::Error)]
pub enum SigningError {
    #[error("failed to encode a token's header or claims")]
    Encode(#[source] serde_json::Error),
    #[error("failed to sign a token")]
    Sign(#[source] aws_lc_rs::error::Unspecified),
}

/// A signing key under one `kid`.
#[derive(Clone)]
pub struct SigningKey {
    kid: String,
    which: SharedKey,
}

struct KeyMaterial {
    signing: aws_lc_rs::rsa::KeyPair,
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

fn slot(which: SharedKey) -> &'static OnceLock<KeyMaterial> {
    static FIRST: OnceLock<KeyMaterial> = OnceLock::new();
    static SECOND: OnceLock<KeyMaterial> = OnceLock::new();
    match which {
        SharedKey::First => &FIRST,
        SharedKey::Second => &SECOND,
    }
}

/// The key's material, generated now unless it was already (a caller racing the
/// background thread waits for its key instead of generating another).
fn shared_material(which: SharedKey) -> &'static KeyMaterial {
    slot(which).get_or_init(generate)
}

/// Starts generating `keys` on threads of their own, so the first token a pool signs
/// need not wait for them. Keys already generated, or being generated, are left alone.
pub fn generate_in_background(keys: &[SharedKey]) {
    for &which in keys {
        if slot(which).get().is_none() {
            std::thread::Builder::new()
                .name("xtenant-signing-key".into())
                .spawn(move || {
                    shared_material(which);
                })
                // Without a thread the key is generated on first use instead.
                .ok();
        }
    }
}

/// A fresh RSA-2048 key from AWS-LC (about three times less CPU than the pure-Rust `rsa`
/// crate's generator), with its public half in the form `jsonwebtoken` verifies with.
fn generate() -> KeyMaterial {
    let pair = aws_lc_rs::rsa::KeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048)
        .expect("RSA-2048 key generation with AWS-LC does not fail");
    let pkcs8 = pair
        .as_der()
        .expect("a freshly generated RSA key encodes as PKCS#8");
    let private = rsa::RsaPrivateKey::from_pkcs8_der(pkcs8.as_ref())
        .expect("AWS-LC's PKCS#8 encoding of an RSA key parses");
    let modulus = private.n().to_bytes_be();
    let exponent = private.e().to_bytes_be();
    KeyMaterial {
        signing: pair,
        decoding: DecodingKey::from_rsa_raw_components(&modulus, &exponent),
        modulus_b64: URL_SAFE_NO_PAD.encode(&modulus),
        exponent_b64: URL_SAFE_NO_PAD.encode(&exponent),
    }
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
            which,
        }
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    fn material(&self) -> &'static KeyMaterial {
        shared_material(self.which)
    }

    /// Signs claims as an RS256 JWT whose header names this key's `kid`.
    ///
    /// The JWS compact serialization (RFC 7515 §7.1) signed with RSASSA-PKCS1-v1_5 and
    /// SHA-256, which is what `RS256` names (RFC 7518 §3.3), by AWS-LC: the `rsa` crate's
    /// signature took milliseconds of CPU per token.
    pub fn sign(&self, claims: &serde_json::Value) -> Result<String, SigningError> {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(self.kid.clone());
        let part = |value: Result<Vec<u8>, serde_json::Error>| {
            value
                .map(|json| URL_SAFE_NO_PAD.encode(json))
                .map_err(SigningError::Encode)
        };
        let message = format!(
            "{}.{}",
            part(serde_json::to_vec(&header))?,
            part(serde_json::to_vec(claims))?
        );
        let key = &self.material().signing;
        let mut signature = vec![0; key.public_modulus_len()];
        key.sign(
            &aws_lc_rs::signature::RSA_PKCS1_SHA256,
            &aws_lc_rs::rand::SystemRandom::new(),
            message.as_bytes(),
            &mut signature,
        )
        .map_err(SigningError::Sign)?;
        Ok(format!("{message}.{}", URL_SAFE_NO_PAD.encode(signature)))
    }

    /// The key for checking signatures this key made.
    pub fn decoding_key(&self) -> &DecodingKey {
        &self.material().decoding
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
            "e": self.material().exponent_b64,
            "kid": self.kid,
            "kty": "RSA",
            "n": self.material().modulus_b64,
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
        let header = jsonwebtoken::decode_header(&token).unwrap();
        assert_eq!(header.alg, Algorithm::RS256);
        assert_eq!(header.kid.as_deref(), Some("pool-kid"));
        assert_eq!(header.typ.as_deref(), Some("JWT"));
        assert_eq!(token.split('.').count(), 3);
        let mut parts: Vec<String> = token.split('.').map(str::to_string).collect();
        parts[1] = URL_SAFE_NO_PAD.encode(br#"{"sub":"u2"}"#);
        assert!(verify_signature(&key, &parts.join(".")).is_none());
        assert!(verify_signature(&SigningKey::shared("other-kid"), &token).is_none());
    }

    #[test]
    fn the_two_keys_are_distinct_rsa_2048_keys_each_generated_once() {
        generate_in_background(&[SharedKey::First, SharedKey::Second]);
        let id = SigningKey::shared("id-kid");
        let access = SigningKey::shared_as("access-kid", SharedKey::Second);
        let modulus = |key: &SigningKey| key.jwks()["keys"][0]["n"].as_str().unwrap().to_owned();
        let id_modulus = modulus(&id);
        assert_eq!(URL_SAFE_NO_PAD.decode(&id_modulus).unwrap().len(), 256);
        assert_ne!(id_modulus, modulus(&access));
        // A later call neither regenerates nor replaces a key.
        generate_in_background(&[SharedKey::First]);
        assert_eq!(modulus(&SigningKey::shared("again")), id_modulus);
        // An access token does not verify under the ID token key, even with its kid.
        let token = access.sign(&serde_json::json!({"sub": "u1"})).unwrap();
        assert!(verify_signature(&access, &token).is_some());
        let id_with_access_kid = SigningKey::shared("access-kid");
        assert!(verify_signature(&id_with_access_kid, &token).is_none());
    }

    #[test]
    fn jwks_publishes_the_key_under_its_kid() {
        let jwks = SigningKey::shared("k1").jwks();
        assert_eq!(jwks["keys"][0]["kid"], "k1");
        assert_eq!(jwks["keys"][0]["alg"], "RS256");
        assert_eq!(jwks["keys"][0]["e"], "AQAB");
    }
}
