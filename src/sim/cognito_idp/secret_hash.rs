//! SECRET_HASH: how a client with a secret proves it knows the secret.
//! Base64(HMAC-SHA256(key = client secret, message = username + client id)).
//! See <https://docs.aws.amazon.com/cognito/latest/developerguide/signing-up-users-in-your-app.html#cognito-user-pools-computing-secret-hash>.

use super::error::IdpError;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::secret::SecretString;

/// Computes the SECRET_HASH a client sends for `username`.
pub fn secret_hash(client_secret: &SecretString, username: &str, client_id: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(client_secret.expose().as_bytes())
        .expect("HMAC accepts keys of any length");
    mac.update(username.as_bytes());
    mac.update(client_id.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

/// Checks the SECRET_HASH of a request when the client has a secret. Any of `usernames`
/// may be the one hashed (Cognito accepts the username or, for refresh, the `sub`).
pub fn check_secret_hash(
    client_id: &str,
    client_secret: Option<&SecretString>,
    presented: Option<&str>,
    usernames: &[&str],
) -> Result<(), IdpError> {
    let Some(secret) = client_secret else {
        return Ok(());
    };
    let Some(presented) = presented.filter(|p| !p.is_empty()) else {
        return Err(IdpError::NotAuthorized(format!(
            "Client {client_id} is configured for secret but secret was not received"
        )));
    };
    let matches = usernames.iter().any(|username| {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.expose().as_bytes())
            .expect("HMAC accepts keys of any length");
        mac.update(username.as_bytes());
        mac.update(client_id.as_bytes());
        STANDARD
            .decode(presented)
            .is_ok_and(|bytes| mac.verify_slice(&bytes).is_ok())
    });
    if matches {
        Ok(())
    } else {
        Err(IdpError::NotAuthorized(format!(
            "Unable to verify secret hash for client {client_id}"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_hmac_of_username_and_client_id() {
        let secret = SecretString::new("s3cr3t");
        let hash = secret_hash(&secret, "alice", "client1");
        assert!(check_secret_hash("client1", Some(&secret), Some(&hash), &["alice"]).is_ok());
        let wrong = check_secret_hash("client1", Some(&secret), Some(&hash), &["bob"]);
        assert_eq!(wrong.unwrap_err().code(), "NotAuthorizedException");
        let missing = check_secret_hash("client1", Some(&secret), None, &["alice"]);
        assert_eq!(missing.unwrap_err().code(), "NotAuthorizedException");
        assert!(check_secret_hash("client1", None, None, &["alice"]).is_ok());
    }
}
