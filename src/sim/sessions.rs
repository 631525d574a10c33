//! Temporary credentials STS issued, looked up by access key id when a request is signed.

use super::principal::Principal;
use crate::secret::SecretString;
use rand::Rng;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// One issued session: the keys and the principal they sign as.
#[derive(Debug, Clone)]
pub struct Session {
    pub principal: Arc<Principal>,
    pub secret_access_key: SecretString,
    pub session_token: SecretString,
}

/// Every session issued since start. Expired sessions stay so that their use is reported as
/// expired rather than unknown.
#[derive(Debug, Default)]
pub struct SessionStore {
    by_access_key: Mutex<HashMap<String, Session>>,
}

/// Fresh random credentials in the shapes STS uses.
#[derive(Debug)]
pub struct FreshKeys {
    pub access_key_id: String,
    pub secret_access_key: SecretString,
    pub session_token: SecretString,
}

impl SessionStore {
    /// Fresh keys: `ASIA` + 16 characters for temporary access key ids.
    /// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids>.
    pub fn fresh_keys() -> FreshKeys {
        FreshKeys {
            access_key_id: format!("ASIA{}", random_text(16, UPPER_ALPHANUMERIC)),
            secret_access_key: SecretString::new(random_text(40, SECRET_ALPHABET)),
            session_token: SecretString::new(random_text(356, SECRET_ALPHABET)),
        }
    }

    pub fn insert(&self, keys: &FreshKeys, principal: Arc<Principal>) {
        let session = Session {
            principal,
            secret_access_key: keys.secret_access_key.clone(),
            session_token: keys.session_token.clone(),
        };
        self.lock().insert(keys.access_key_id.clone(), session);
    }

    pub fn get(&self, access_key_id: &str) -> Option<Session> {
        self.lock().get(access_key_id).cloned()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Session>> {
        // A panic while holding the lock cannot leave the map half-written (insert and get
        // are single operations), so a poisoned lock is still consistent.
        self.by_access_key
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

const UPPER_ALPHANUMERIC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const SECRET_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn random_text(len: usize, alphabet: &[u8]) -> String {
    let mut rng = rand::thread_rng();
    (0..len)
        .map(|_| alphabet[rng.gen_range(0..alphabet.len())] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_keys_have_sts_shapes_and_differ() {
        let a = SessionStore::fresh_keys();
        let b = SessionStore::fresh_keys();
        assert!(a.access_key_id.starts_with("ASIA"));
        assert_eq!(a.access_key_id.len(), 20);
        assert_eq!(a.secret_access_key.expose().len(), 40);
        assert_ne!(a.access_key_id, b.access_key_id);
        assert_ne!(a.session_token.expose(), b.session_token.expose());
    }
}
