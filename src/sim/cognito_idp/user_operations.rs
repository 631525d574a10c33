//! SignUp, GetUser, UpdateUserAttributes, DeleteUser, GlobalSignOut and
//! AdminUserGlobalSignOut.

use super::auth_flows::unauthorized_attribute;
use super::error::IdpError;
use super::password_policy::check_password_policy;
use super::request_body::RequestBody;
use super::secret_hash::check_secret_hash;
use super::service::{CognitoIdpService, authorize_admin, now_seconds};
use super::signing_key::verify_signature;
use super::state::IdpState;
use super::user_pool::{UserPool, may_read, may_write};
use super::user_record::UserRecord;
use super::world::UserStatus;
use crate::secret::SecretString;
use crate::sim::core::SimCore;
use crate::sim::principal::Principal;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// What a valid access token says.
struct AccessTokenClaims {
    pool_id: String,
    client_id: String,
    username: String,
}

impl CognitoIdpService {
    /// SignUp: refused when only administrators may create users, and for attributes the
    /// client may not write.
    /// See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SignUp.html>.
    pub(super) fn sign_up(&self, body: &RequestBody) -> Result<Value, IdpError> {
        let (pool, client) = self.pool_client(body.required("ClientId")?)?;
        // See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminCreateUserConfigType.html#CognitoUserPools-Type-AdminCreateUserConfigType-AllowAdminCreateUserOnly>.
        if pool
            .spec
            .admin_create_user_config
            .allow_admin_create_user_only
        {
            return Err(IdpError::NotAuthorized(
                "SignUp is not permitted for this user pool".to_string(),
            ));
        }
        let username = body.required("Username")?;
        let password = body.required("Password")?;
        check_secret_hash(
            &client.client_id,
            client.client_secret.as_ref(),
            body.optional("SecretHash"),
            &[username],
        )?;
        let attributes = body.attributes("UserAttributes")?;
        if attributes.iter().any(|(name, _)| !may_write(client, name)) {
            return Err(unauthorized_attribute());
        }
        check_password_policy(password)?;
        let mut state = self.lock()?;
        let users = state.users.entry(pool.id().to_string()).or_default();
        if users.contains_key(username) {
            return Err(IdpError::UsernameExists("User already exists".to_string()));
        }
        let sub = uuid::Uuid::new_v4().to_string();
        let mut stored: BTreeMap<String, String> = attributes.into_iter().collect();
        stored.insert("sub".to_string(), sub.clone());
        // The pool's stand-in for a pre sign-up trigger that sets `autoConfirmUser`; the
        // response then says `UserConfirmed: true`
        // (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-sign-up.html).
        let confirmed = pool.spec.auto_confirm_sign_up;
        let status = if confirmed {
            UserStatus::Confirmed
        } else {
            UserStatus::Unconfirmed
        };
        users.insert(
            username.to_string(),
            UserRecord {
                username: username.to_string(),
                sub: sub.clone(),
                password: SecretString::new(password),
                status,
                attributes: stored,
                groups: Vec::new(),
                sign_ins: Vec::new(),
            },
        );
        Ok(json!({ "UserConfirmed": confirmed, "UserSub": sub }))
    }

    /// GetUser: the signed-in user's readable attributes.
    /// See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetUser.html>.
    pub(super) fn get_user(
        &self,
        core: &dyn SimCore,
        body: &RequestBody,
    ) -> Result<Value, IdpError> {
        let token = body.required("AccessToken")?;
        let state = self.lock()?;
        let claims = self.verify_access_token(&state, now_seconds(core), token)?;
        let (pool, client) = self.pool_client(&claims.client_id)?;
        let user = find_user(&state, pool, &claims.username)?;
        let attributes: Vec<Value> = user
            .attributes
            .iter()
            .filter(|(name, _)| may_read(client, name))
            .map(|(name, value)| json!({ "Name": name, "Value": value }))
            .collect();
        Ok(json!({ "Username": user.username, "UserAttributes": attributes }))
    }

    /// UpdateUserAttributes: refused for any attribute the client may not write
    /// (NotAuthorizedException) and for an attribute the schema declares immutable
    /// (InvalidParameterException). A client that lists `custom:tenant_id` in
    /// `WriteAttributes` lets its users change their tenant: the escalation this emulator
    /// must reproduce.
    /// See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateUserAttributes.html>.
    pub(super) fn update_user_attributes(
        &self,
        core: &dyn SimCore,
        body: &RequestBody,
    ) -> Result<Value, IdpError> {
        let token = body.required("AccessToken")?;
        let updates = body.attributes("UserAttributes")?;
        let mut state = self.lock()?;
        let claims = self.verify_access_token(&state, now_seconds(core), token)?;
        let (pool, client) = self.pool_client(&claims.client_id)?;
        if updates.iter().any(|(name, _)| !may_write(client, name)) {
            return Err(unauthorized_attribute());
        }
        check_mutable(pool, &updates)?;
        let user = state
            .users
            .get_mut(pool.id())
            .and_then(|u| u.get_mut(&claims.username))
            .ok_or_else(|| IdpError::UserNotFound("User does not exist.".to_string()))?;
        user.attributes.extend(updates);
        Ok(json!({ "CodeDeliveryDetailsList": [] }))
    }

    /// DeleteUser: the signed-in user deletes themself; their sign-ins are revoked with them.
    /// See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DeleteUser.html>.
    pub(super) fn delete_user(
        &self,
        core: &dyn SimCore,
        body: &RequestBody,
    ) -> Result<Value, IdpError> {
        let token = body.required("AccessToken")?;
        let mut state = self.lock()?;
        let claims = self.verify_access_token(&state, now_seconds(core), token)?;
        let removed = state
            .users
            .get_mut(&claims.pool_id)
            .and_then(|users| users.remove(&claims.username))
            .ok_or_else(|| IdpError::UserNotFound("User does not exist.".to_string()))?;
        state.revoked_sign_ins.extend(removed.sign_ins);
        Ok(json!({}))
    }

    /// GlobalSignOut: revokes every refresh token of the signed-in user.
    /// See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GlobalSignOut.html>.
    pub(super) fn global_sign_out(
        &self,
        core: &dyn SimCore,
        body: &RequestBody,
    ) -> Result<Value, IdpError> {
        let token = body.required("AccessToken")?;
        let mut state = self.lock()?;
        let claims = self.verify_access_token(&state, now_seconds(core), token)?;
        revoke_all_sign_ins(&mut state, &claims.pool_id, &claims.username)?;
        Ok(json!({}))
    }

    /// AdminUserGlobalSignOut: a signed call IAM must allow; revokes every refresh token
    /// of the user and marks their ID and access tokens revoked.
    /// See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminUserGlobalSignOut.html>.
    pub(super) fn admin_user_global_sign_out(
        &self,
        core: &dyn SimCore,
        body: &RequestBody,
        caller: Option<&Principal>,
    ) -> Result<Value, IdpError> {
        let pool = self.pool(body.required("UserPoolId")?)?;
        authorize_admin(core, caller, "cognito-idp:AdminUserGlobalSignOut", pool)?;
        let username = body.required("Username")?;
        let mut state = self.lock()?;
        revoke_all_sign_ins(&mut state, pool.id(), username)?;
        Ok(json!({}))
    }

    /// Checks an access token: signature by one of the pools, `token_use` = access, not
    /// expired, not revoked.
    /// See <https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html>.
    fn verify_access_token(
        &self,
        state: &IdpState,
        now: u64,
        token: &str,
    ) -> Result<AccessTokenClaims, IdpError> {
        let invalid = || IdpError::NotAuthorized("Invalid Access Token".to_string());
        let kid = jsonwebtoken::decode_header(token)
            .ok()
            .and_then(|h| h.kid)
            .ok_or_else(invalid)?;
        let pool = self.pool_by_key_id(&kid).ok_or_else(invalid)?;
        let claims = verify_signature(&pool.access_key, token).ok_or_else(invalid)?;
        let text = |name: &str| claims.get(name).and_then(Value::as_str);
        if text("token_use") != Some("access") || text("iss") != Some(pool.issuer.as_str()) {
            return Err(invalid());
        }
        let expires = claims
            .get("exp")
            .and_then(Value::as_u64)
            .ok_or_else(invalid)?;
        if expires <= now {
            return Err(IdpError::NotAuthorized(
                "Access Token has expired".to_string(),
            ));
        }
        let origin = text("origin_jti").ok_or_else(invalid)?;
        if state.revoked_sign_ins.contains(origin) {
            return Err(IdpError::NotAuthorized(
                "Access Token has been revoked".to_string(),
            ));
        }
        Ok(AccessTokenClaims {
            pool_id: pool.id().to_string(),
            client_id: text("client_id").ok_or_else(invalid)?.to_string(),
            username: text("username").ok_or_else(invalid)?.to_string(),
        })
    }
}

/// Refuses a write to an attribute the schema declares immutable, with the message AWS gives
/// (`user.custom:tenant_id: Attribute cannot be updated.`).
// Mutable false: set at sign-up or creation only
// (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SchemaAttributeType.html#CognitoUserPools-Type-SchemaAttributeType-Mutable).
pub(super) fn check_mutable(pool: &UserPool, updates: &[(String, String)]) -> Result<(), IdpError> {
    match updates.iter().find(|(name, _)| !pool.spec.is_mutable(name)) {
        Some((name, _)) => Err(IdpError::InvalidParameter(format!(
            "user.{name}: Attribute cannot be updated."
        ))),
        None => Ok(()),
    }
}

pub(super) fn find_user<'s>(
    state: &'s IdpState,
    pool: &UserPool,
    username: &str,
) -> Result<&'s UserRecord, IdpError> {
    state
        .users
        .get(pool.id())
        .and_then(|u| u.get(username))
        .ok_or_else(|| IdpError::UserNotFound("User does not exist.".to_string()))
}

fn revoke_all_sign_ins(
    state: &mut IdpState,
    pool_id: &str,
    username: &str,
) -> Result<(), IdpError> {
    let user = state
        .users
        .get_mut(pool_id)
        .and_then(|u| u.get_mut(username))
        .ok_or_else(|| IdpError::UserNotFound("User does not exist.".to_string()))?;
    let origins = std::mem::take(&mut user.sign_ins);
    state.revoked_sign_ins.extend(origins);
    Ok(())
}
