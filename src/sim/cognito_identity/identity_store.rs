//! The identities an identity pool has handed out, and the login each is bound to.

use std::collections::BTreeMap;

/// One identity.
#[derive(Debug, Clone)]
pub struct IdentityRecord {
    pub identity_pool_id: String,
    /// `(provider name, sub)` once a login is linked; `None` for a guest identity.
    pub login: Option<(String, String)>,
}

/// Identity ids by id and by login.
#[derive(Debug, Default)]
pub struct IdentityStore {
    by_id: BTreeMap<String, IdentityRecord>,
    by_login: BTreeMap<(String, String, String), String>,
}

impl IdentityStore {
    pub fn get(&self, identity_id: &str) -> Option<&IdentityRecord> {
        self.by_id.get(identity_id)
    }

    /// The identity of a login, created on first sight: the same login always maps to the
    /// same identity id.
    /// See <https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetId.html>.
    pub fn for_login(&mut self, pool_id: &str, provider: &str, sub: &str, region: &str) -> String {
        let key = (pool_id.to_string(), provider.to_string(), sub.to_string());
        if let Some(id) = self.by_login.get(&key) {
            return id.clone();
        }
        let id = new_identity_id(region);
        self.by_id.insert(
            id.clone(),
            IdentityRecord {
                identity_pool_id: pool_id.to_string(),
                login: Some((provider.to_string(), sub.to_string())),
            },
        );
        self.by_login.insert(key, id.clone());
        id
    }

    /// A new guest identity.
    pub fn new_guest(&mut self, pool_id: &str, region: &str) -> String {
        let id = new_identity_id(region);
        self.by_id.insert(
            id.clone(),
            IdentityRecord {
                identity_pool_id: pool_id.to_string(),
                login: None,
            },
        );
        id
    }

    /// Links a login to a guest identity, unless the login already has an identity.
    pub fn link(&mut self, identity_id: &str, provider: &str, sub: &str) -> bool {
        let Some(record) = self.by_id.get_mut(identity_id) else {
            return false;
        };
        let key = (
            record.identity_pool_id.clone(),
            provider.to_string(),
            sub.to_string(),
        );
        if record.login.is_some() || self.by_login.contains_key(&key) {
            return false;
        }
        record.login = Some((provider.to_string(), sub.to_string()));
        self.by_login.insert(key, identity_id.to_string());
        true
    }
}

/// Identity ids are `REGION:GUID`.
fn new_identity_id(region: &str) -> String {
    format!("{region}:{}", uuid::Uuid::new_v4())
}
