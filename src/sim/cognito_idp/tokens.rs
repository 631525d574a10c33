//! Minting the ID and access tokens of a sign-in.

use super::group_roles::group_roles;
use super::signing_key::SigningError;
use super::user_pool::{UserPool, may_read};
use super::user_record::UserRecord;
use super::world::UserPoolClientSpec;
use serde_json::{Map, Value, json};

/// The two JWTs of a sign-in. Never printed.
pub struct MintedTokens {
    pub id_token: String,
    pub access_token: String,
    /// The access token's lifetime in seconds (`ExpiresIn`).
    pub expires_in: u64,
}

impl std::fmt::Debug for MintedTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MintedTokens(***)")
    }
}

/// One sign-in's identity: who, through which client, since when.
pub struct SignIn<'a> {
    pub pool: &'a UserPool,
    pub client: &'a UserPoolClientSpec,
    pub user: &'a UserRecord,
    pub origin_jti: &'a str,
    pub auth_time: u64,
    pub now: u64,
}

/// Mints the ID token (claims per the ID token page: `sub`, `iss`, `aud`, `token_use`,
/// `auth_time`, `iat`, `exp`, `cognito:username`, readable attributes, groups and roles)
/// and the access token.
/// See <https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-id-token.html>
/// and <https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html>.
pub fn mint_tokens(sign_in: &SignIn<'_>) -> Result<MintedTokens, SigningError> {
    let SignIn {
        pool,
        client,
        user,
        origin_jti,
        auth_time,
        now,
    } = *sign_in;
    let id_lifetime = client.id_token_seconds();
    let access_lifetime = client.access_token_seconds();
    let groups: Vec<_> = user.groups.iter().filter_map(|g| pool.group(g)).collect();
    let roles = group_roles(groups.iter().copied());
    let event_id = uuid::Uuid::new_v4().to_string();

    let mut id = Map::new();
    for (name, value) in &user.attributes {
        if may_read(client, name) {
            id.insert(name.clone(), attribute_claim(name, value));
        }
    }
    id.insert("sub".into(), json!(user.sub));
    if !user.groups.is_empty() {
        id.insert("cognito:groups".into(), json!(user.groups));
    }
    if !roles.roles.is_empty() {
        id.insert("cognito:roles".into(), json!(roles.roles));
    }
    if let Some(preferred) = &roles.preferred_role {
        id.insert("cognito:preferred_role".into(), json!(preferred));
    }
    id.insert("iss".into(), json!(pool.issuer));
    id.insert("cognito:username".into(), json!(user.username));
    id.insert("origin_jti".into(), json!(origin_jti));
    id.insert("aud".into(), json!(client.client_id));
    id.insert("event_id".into(), json!(event_id));
    id.insert("token_use".into(), json!("id"));
    id.insert("auth_time".into(), json!(auth_time));
    id.insert("iat".into(), json!(now));
    id.insert("exp".into(), json!(now + id_lifetime));
    id.insert("jti".into(), json!(uuid::Uuid::new_v4().to_string()));

    let mut access = Map::new();
    access.insert("sub".into(), json!(user.sub));
    if !user.groups.is_empty() {
        access.insert("cognito:groups".into(), json!(user.groups));
    }
    access.insert("iss".into(), json!(pool.issuer));
    access.insert("client_id".into(), json!(client.client_id));
    access.insert("origin_jti".into(), json!(origin_jti));
    access.insert("event_id".into(), json!(event_id));
    access.insert("token_use".into(), json!("access"));
    access.insert("scope".into(), json!("aws.cognito.signin.user.admin"));
    access.insert("auth_time".into(), json!(auth_time));
    access.insert("iat".into(), json!(now));
    access.insert("exp".into(), json!(now + access_lifetime));
    access.insert("jti".into(), json!(uuid::Uuid::new_v4().to_string()));
    access.insert("username".into(), json!(user.username));

    Ok(MintedTokens {
        id_token: pool.key.sign(&Value::Object(id))?,
        access_token: pool.access_key.sign(&Value::Object(access))?,
        expires_in: access_lifetime,
    })
}

/// `email_verified` and `phone_number_verified` are booleans in tokens; every other
/// attribute, custom ones included, is a string.
fn attribute_claim(name: &str, value: &str) -> Value {
    match (name, value) {
        ("email_verified" | "phone_number_verified", "true") => Value::Bool(true),
        ("email_verified" | "phone_number_verified", "false") => Value::Bool(false),
        _ => Value::String(value.to_string()),
    }
}
