//! The user-pool tokens of one sign-in, each a `SecretString`.

use crate::redaction::Redactor;
use crate::secret::SecretString;
use std::time::SystemTime;

/// Tokens from a successful sign-in. `Debug` prints only masks.
#[derive(Debug, Clone)]
pub struct Tokens {
    pub id_token: SecretString,
    pub access_token: SecretString,
    /// Absent after a refresh unless Cognito rotated it.
    pub refresh_token: Option<SecretString>,
    /// When the ID token stops being accepted.
    pub expires_at: SystemTime,
}

impl Tokens {
    /// Makes the redactor mask every one of these tokens from now on.
    pub fn register_with(&self, redactor: &Redactor) {
        redactor.register(&self.id_token);
        redactor.register(&self.access_token);
        if let Some(refresh_token) = &self.refresh_token {
            redactor.register(refresh_token);
        }
    }
}
