//! The SigV4 signing keys local staging derived, kept per (secret, date, region, service).
//!
//! A signing key depends only on those four, and a client derives it once per day and
//! service and signs every request of the day with it, so the server can do the same
//! instead of four HMACs per request. Every signature is still recomputed and compared.
//! See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html#derive-signing-key>.

use super::sigv4::{self, DerivedKey, SignatureClaim};
use crate::secret::SecretString;
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

/// How many keys are kept; past it the cache starts over (a run signs with a few keys per
/// user, so this is reached only by a long-lived `sim serve` with many sessions).
const CAPACITY: usize = 4096;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Scope {
    secret_access_key: SecretString,
    date: String,
    region: String,
    service: String,
}

/// Derived keys by scope, bounded by [`CAPACITY`].
#[derive(Default)]
pub struct SigningKeyCache {
    keys: Mutex<HashMap<Scope, DerivedKey>>,
}

/// No `Debug` of the keys: each is as good as the secret for a day.
impl std::fmt::Debug for SigningKeyCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKeyCache").finish_non_exhaustive()
    }
}

impl SigningKeyCache {
    /// The key `secret_access_key` signs the claim's scope with, derived on first use.
    pub fn key(&self, secret_access_key: &SecretString, claim: &SignatureClaim) -> DerivedKey {
        let scope = Scope {
            secret_access_key: secret_access_key.clone(),
            date: claim.scope_date.clone(),
            region: claim.region.clone(),
            service: claim.service.clone(),
        };
        if let Some(key) = self.lock().get(&scope) {
            return *key;
        }
        let key = sigv4::signing_key(secret_access_key.expose(), claim);
        let mut keys = self.lock();
        if keys.len() >= CAPACITY {
            keys.clear();
        }
        keys.insert(scope, key);
        key
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Scope, DerivedKey>> {
        // Inserts and lookups are single operations, so a poisoned map is still consistent.
        self.keys.lock().unwrap_or_else(PoisonError::into_inner)
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.lock().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(date: &str, region: &str, service: &str) -> SignatureClaim {
        SignatureClaim {
            access_key_id: "AKIDEXAMPLE".into(),
            scope_date: date.into(),
            region: region.into(),
            service: service.into(),
            signed_headers: vec!["host".into()],
            signature: String::new(),
            amz_date: format!("{date}T000000Z"),
            presigned_expires_seconds: None,
            session_token: None,
        }
    }

    #[test]
    fn a_cached_key_is_the_key_derived_for_that_scope_only() {
        let cache = SigningKeyCache::default();
        let secret = SecretString::new("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        let other_secret = SecretString::new("another-secret");
        let s3 = claim("20150830", "us-east-1", "s3");
        for _ in 0..3 {
            assert_eq!(
                cache.key(&secret, &s3),
                sigv4::signing_key(secret.expose(), &s3)
            );
        }
        assert_eq!(cache.len(), 1);
        for other in [
            claim("20150831", "us-east-1", "s3"),
            claim("20150830", "eu-west-1", "s3"),
            claim("20150830", "us-east-1", "dynamodb"),
        ] {
            let key = cache.key(&secret, &other);
            assert_eq!(key, sigv4::signing_key(secret.expose(), &other));
            assert_ne!(key, cache.key(&secret, &s3));
        }
        assert_ne!(cache.key(&other_secret, &s3), cache.key(&secret, &s3));
        assert_eq!(cache.len(), 5);
    }

    #[test]
    fn the_cache_stays_bounded() {
        let cache = SigningKeyCache::default();
        let s3 = claim("20150830", "us-east-1", "s3");
        for n in 0..CAPACITY + 10 {
            let secret = SecretString::new(format!("secret-{n}"));
            assert_eq!(
                cache.key(&secret, &s3),
                sigv4::signing_key(secret.expose(), &s3)
            );
        }
        assert!(cache.len() <= CAPACITY);
    }
}
