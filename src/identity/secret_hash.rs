//! SECRET_HASH: what an app client with a secret requires on every sign-in call.

use crate::secret::SecretString;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Base64(HMAC-SHA256(key = client secret, message = username + client id)).
// https://docs.aws.amazon.com/cognito/latest/developerguide/signing-up-users-in-your-app.html#cognito-user-pools-computing-secret-hash.
pub fn secret_hash(client_secret: &SecretString, username: &str, client_id: &str) -> SecretString {
    let mut mac = Hmac::<Sha256>::new_from_slice(client_secret.expose().as_bytes())
        .expect("HMAC accepts keys of any length");
    mac.update(username.as_bytes());
    mac.update(client_id.as_bytes());
    SecretString::new(STANDARD.encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_hash_matches_an_independent_hmac_sha256() {
        // Computed with Python's hmac module:
        // base64(hmac.new(b"client-secret", b"alice" + b"client-id", sha256).digest()).
        let hash = secret_hash(&SecretString::new("client-secret"), "alice", "client-id");
        assert_eq!(hash.expose(), EXPECTED);
    }

    #[test]
    fn the_order_is_username_then_client_id() {
        let hash = secret_hash(&SecretString::new("client-secret"), "client-id", "alice");
        assert_ne!(hash.expose(), EXPECTED);
    }

    const EXPECTED: &str = "qROqM+PMKX09MK8ulDVm8LCWdCRqQQEUG9HcF+N7/S4=";
}
