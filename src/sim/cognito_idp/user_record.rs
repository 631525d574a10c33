//! A user of a pool as the service holds it at run time.

use super::world::{UserSpec, UserStatus};
use crate::secret::SecretString;
use std::collections::BTreeMap;

/// A user: its password, status, attributes (with `sub`) and groups.
#[derive(Debug, Clone)]
pub struct UserRecord {
    pub username: String,
    pub sub: String,
    pub password: SecretString,
    pub status: UserStatus,
    /// Attribute name to value, `sub` included.
    pub attributes: BTreeMap<String, String>,
    pub groups: Vec<String>,
    /// The `origin_jti` of every sign-in of this user, so a global sign-out can revoke
    /// every token they produced.
    pub sign_ins: Vec<String>,
}

impl UserRecord {
    /// A user from the world file, with a fresh `sub`.
    pub fn from_spec(spec: &UserSpec) -> Self {
        let sub = uuid::Uuid::new_v4().to_string();
        let mut attributes: BTreeMap<String, String> = spec
            .attributes
            .iter()
            .map(|a| (a.name.clone(), a.value.clone()))
            .collect();
        attributes.insert("sub".to_string(), sub.clone());
        UserRecord {
            username: spec.username.clone(),
            sub,
            password: spec.password.clone(),
            status: spec.user_status,
            attributes,
            groups: spec.groups.clone(),
            sign_ins: Vec::new(),
        }
    }

    pub fn password_matches(&self, presented: &str) -> bool {
        let stored = self.password.expose().as_bytes();
        let presented = presented.as_bytes();
        // Compare without an early exit so timing does not reveal a prefix.
        stored.len() == presented.len()
            && stored
                .iter()
                .zip(presented)
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    }
}
