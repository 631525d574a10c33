//! InitiateAuth, AdminInitiateAuth and RespondToAuthChallenge: password, SRP and refresh
//! sign-ins, and the NEW_PASSWORD_REQUIRED challenge.

use super::error::IdpError;
use super::password_policy::check_password_policy;
use super::request_body::{RequestBody, StringMap};
use super::secret_hash::check_secret_hash;
use super::service::{CognitoIdpService, authorize_admin, now_seconds};
use super::srp;
use super::state::{
    CHALLENGE_SESSION_SECONDS, IdpState, PendingPasswordChange, PendingSrp, RefreshGrant,
    opaque_token,
};
use super::tokens::{SignIn, mint_tokens};
use super::user_pool::{UserPool, may_write, require_flow};
use super::world::{ExplicitAuthFlow, PreventUserExistenceErrors, UserPoolClientSpec, UserStatus};
use crate::sim::core::SimCore;
use crate::sim::principal::Principal;
use serde_json::{Value, json};

impl CognitoIdpService {
    /// InitiateAuth: USER_PASSWORD_AUTH, USER_SRP_AUTH and REFRESH_TOKEN_AUTH.
    /// See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html>.
    pub(super) fn initiate_auth(
        &self,
        core: &dyn SimCore,
        body: &RequestBody,
    ) -> Result<Value, IdpError> {
        let (pool, client) = self.pool_client(body.required("ClientId")?)?;
        let flow = body.required("AuthFlow")?;
        let params = body.string_map("AuthParameters");
        match flow {
            "USER_PASSWORD_AUTH" => {
                require_flow(client, ExplicitAuthFlow::UserPasswordAuth, flow)?;
                self.password_sign_in(core, pool, client, &params)
            }
            "USER_SRP_AUTH" => {
                require_flow(client, ExplicitAuthFlow::UserSrpAuth, flow)?;
                self.begin_srp(core, pool, client, &params)
            }
            "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" => {
                require_flow(
                    client,
                    ExplicitAuthFlow::RefreshTokenAuth,
                    "REFRESH_TOKEN_AUTH",
                )?;
                self.refresh(core, pool, client, &params)
            }
            "CUSTOM_AUTH" => {
                require_flow(client, ExplicitAuthFlow::CustomAuth, flow)?;
                self.begin_custom_auth(pool, client, &params)
            }
            // The admin flows belong to AdminInitiateAuth.
            // See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html#CognitoUserPools-InitiateAuth-request-AuthFlow>.
            "ADMIN_USER_PASSWORD_AUTH" | "ADMIN_NO_SRP_AUTH" => Err(IdpError::InvalidParameter(
                "Initiate Auth method not supported.".to_string(),
            )),
            other => Err(IdpError::InvalidParameter(format!(
                "1 validation error detected: Value '{other}' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set"
            ))),
        }
    }

    /// AdminInitiateAuth: a signed call that IAM must allow on the pool's ARN.
    /// See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminInitiateAuth.html>.
    pub(super) fn admin_initiate_auth(
        &self,
        core: &dyn SimCore,
        body: &RequestBody,
        caller: Option<&Principal>,
    ) -> Result<Value, IdpError> {
        let pool = self.pool(body.required("UserPoolId")?)?;
        authorize_admin(core, caller, "cognito-idp:AdminInitiateAuth", pool)?;
        let client_id = body.required("ClientId")?;
        let client = pool.client(client_id).ok_or_else(|| {
            IdpError::ResourceNotFound(format!("User pool client {client_id} does not exist."))
        })?;
        let flow = body.required("AuthFlow")?;
        let params = body.string_map("AuthParameters");
        match flow {
            "ADMIN_USER_PASSWORD_AUTH" | "ADMIN_NO_SRP_AUTH" => {
                require_flow(client, ExplicitAuthFlow::AdminUserPasswordAuth, flow)?;
                self.password_sign_in(core, pool, client, &params)
            }
            "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" => {
                require_flow(
                    client,
                    ExplicitAuthFlow::RefreshTokenAuth,
                    "REFRESH_TOKEN_AUTH",
                )?;
                self.refresh(core, pool, client, &params)
            }
            other => Err(IdpError::InvalidParameter(format!(
                "Initiate Auth method {other} not supported."
            ))),
        }
    }

    /// RespondToAuthChallenge: PASSWORD_VERIFIER (SRP) and NEW_PASSWORD_REQUIRED.
    /// See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RespondToAuthChallenge.html>.
    pub(super) fn respond_to_auth_challenge(
        &self,
        core: &dyn SimCore,
        body: &RequestBody,
    ) -> Result<Value, IdpError> {
        let (pool, client) = self.pool_client(body.required("ClientId")?)?;
        let responses = body.string_map("ChallengeResponses");
        match body.required("ChallengeName")? {
            "PASSWORD_VERIFIER" => self.verify_srp(core, pool, client, &responses),
            "NEW_PASSWORD_REQUIRED" => {
                self.answer_new_password(core, pool, client, body.required("Session")?, &responses)
            }
            "CUSTOM_CHALLENGE" => {
                body.required("Session")?;
                self.answer_custom_challenge(client, &responses)
            }
            other => Err(IdpError::InvalidParameter(format!(
                "challenge {other} is not supported by local staging"
            ))),
        }
    }

    fn password_sign_in(
        &self,
        core: &dyn SimCore,
        pool: &UserPool,
        client: &UserPoolClientSpec,
        params: &StringMap<'_>,
    ) -> Result<Value, IdpError> {
        let username = params.required("USERNAME")?;
        let password = params.required("PASSWORD")?;
        check_secret_hash(
            &client.client_id,
            client.client_secret.as_ref(),
            params.get("SECRET_HASH"),
            &[username],
        )?;
        let mut state = self.lock()?;
        let Some(user) = state.users.get(pool.id()).and_then(|u| u.get(username)) else {
            return Err(unknown_user(client));
        };
        if !user.password_matches(password) {
            return Err(IdpError::incorrect_credentials());
        }
        complete_sign_in(&mut state, now_seconds(core), pool, client, username)
    }

    fn begin_srp(
        &self,
        core: &dyn SimCore,
        pool: &UserPool,
        client: &UserPoolClientSpec,
        params: &StringMap<'_>,
    ) -> Result<Value, IdpError> {
        let username = params.required("USERNAME")?;
        let srp_a = params.required("SRP_A")?;
        check_secret_hash(
            &client.client_id,
            client.client_secret.as_ref(),
            params.get("SECRET_HASH"),
            &[username],
        )?;
        let mut state = self.lock()?;
        let known = state.users.get(pool.id()).and_then(|u| u.get(username));
        let (existing, password) = match known {
            Some(user) => (
                Some(user.username.clone()),
                user.password.expose().to_string(),
            ),
            None if client.prevent_user_existence_errors == PreventUserExistenceErrors::Legacy => {
                return Err(unknown_user(client));
            }
            // With user existence errors prevented, an unknown user still gets a challenge
            // and fails at the verifier step.
            // See <https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-managing-errors.html>.
            None => (None, opaque_token(32)),
        };
        let (session, challenge) = srp::begin(pool.srp_pool_name(), username, &password, srp_a)
            .map_err(|e| IdpError::InvalidParameter(e.to_string()))?;
        let secret_block = opaque_token(96);
        state.srp_sessions.insert(
            secret_block.clone(),
            PendingSrp {
                pool_id: pool.id().to_string(),
                client_id: client.client_id.clone(),
                username: existing,
                user_id_for_srp: username.to_string(),
                session,
                expires_at: now_seconds(core) + CHALLENGE_SESSION_SECONDS,
            },
        );
        Ok(json!({
            "ChallengeName": "PASSWORD_VERIFIER",
            "ChallengeParameters": {
                "SALT": challenge.salt,
                "SECRET_BLOCK": secret_block,
                "SRP_B": challenge.srp_b,
                "USERNAME": username,
                "USER_ID_FOR_SRP": username,
            }
        }))
    }

    fn verify_srp(
        &self,
        core: &dyn SimCore,
        pool: &UserPool,
        client: &UserPoolClientSpec,
        responses: &StringMap<'_>,
    ) -> Result<Value, IdpError> {
        let username = responses.required("USERNAME")?;
        let secret_block = responses.required("PASSWORD_CLAIM_SECRET_BLOCK")?;
        let signature = responses.required("PASSWORD_CLAIM_SIGNATURE")?;
        let timestamp = responses.required("TIMESTAMP")?;
        check_secret_hash(
            &client.client_id,
            client.client_secret.as_ref(),
            responses.get("SECRET_HASH"),
            &[username],
        )?;
        let now = now_seconds(core);
        let mut state = self.lock()?;
        // A secret block answers one challenge only.
        let pending = state
            .srp_sessions
            .remove(secret_block)
            .filter(|p| p.pool_id == pool.id() && p.client_id == client.client_id)
            .ok_or_else(invalid_session)?;
        if pending.expires_at <= now {
            return Err(invalid_session());
        }
        if pending.user_id_for_srp != username {
            return Err(IdpError::incorrect_credentials());
        }
        let proven = pending
            .session
            .verify_claim(
                pool.srp_pool_name(),
                &pending.user_id_for_srp,
                secret_block,
                timestamp,
                signature,
            )
            .map_err(|e| IdpError::InvalidParameter(e.to_string()))?;
        match pending.username {
            Some(existing) if proven => complete_sign_in(&mut state, now, pool, client, &existing),
            _ => Err(IdpError::incorrect_credentials()),
        }
    }

    fn answer_new_password(
        &self,
        core: &dyn SimCore,
        pool: &UserPool,
        client: &UserPoolClientSpec,
        session: &str,
        responses: &StringMap<'_>,
    ) -> Result<Value, IdpError> {
        let username = responses.required("USERNAME")?;
        let new_password = responses.required("NEW_PASSWORD")?;
        check_secret_hash(
            &client.client_id,
            client.client_secret.as_ref(),
            responses.get("SECRET_HASH"),
            &[username],
        )?;
        let now = now_seconds(core);
        let mut state = self.lock()?;
        let pending = state
            .password_changes
            .get(session)
            .filter(|p| {
                p.pool_id == pool.id()
                    && p.client_id == client.client_id
                    && p.username == username
                    && p.expires_at > now
            })
            .cloned()
            .ok_or_else(invalid_session)?;
        check_password_policy(new_password)?;
        // Required attributes arrive as `userAttributes.NAME`; the client must be allowed
        // to write them.
        let mut updates = Vec::new();
        for (key, value) in responses.entries() {
            if let Some(name) = key.strip_prefix("userAttributes.") {
                if !may_write(client, name) {
                    return Err(unauthorized_attribute());
                }
                updates.push((name.to_string(), value.to_string()));
            }
        }
        state.password_changes.remove(session);
        let user = state
            .users
            .get_mut(pool.id())
            .and_then(|u| u.get_mut(&pending.username))
            .ok_or_else(|| IdpError::UserNotFound("User does not exist.".to_string()))?;
        user.password = crate::secret::SecretString::new(new_password);
        user.status = UserStatus::Confirmed;
        user.attributes.extend(updates);
        complete_sign_in(&mut state, now, pool, client, &pending.username)
    }

    fn refresh(
        &self,
        core: &dyn SimCore,
        pool: &UserPool,
        client: &UserPoolClientSpec,
        params: &StringMap<'_>,
    ) -> Result<Value, IdpError> {
        let token = params
            .get("REFRESH_TOKEN")
            .or_else(|| params.get("REFRESH"))
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                IdpError::InvalidParameter("Missing required parameter REFRESH_TOKEN".to_string())
            })?;
        let now = now_seconds(core);
        let state = self.lock()?;
        let invalid = || IdpError::NotAuthorized("Invalid Refresh Token".to_string());
        let grant = state
            .refresh_tokens
            .get(token)
            .filter(|g| g.pool_id == pool.id() && g.client_id == client.client_id)
            .cloned()
            .ok_or_else(invalid)?;
        if state.revoked_sign_ins.contains(&grant.origin_jti) {
            return Err(IdpError::NotAuthorized(
                "Refresh Token has been revoked".to_string(),
            ));
        }
        if grant.expires_at <= now {
            return Err(IdpError::NotAuthorized(
                "Refresh Token has expired".to_string(),
            ));
        }
        let user = state
            .users
            .get(pool.id())
            .and_then(|u| u.get(&grant.username))
            .ok_or_else(invalid)?;
        check_secret_hash(
            &client.client_id,
            client.client_secret.as_ref(),
            params.get("SECRET_HASH"),
            &[&user.username, &user.sub],
        )?;
        let tokens = mint_tokens(&SignIn {
            pool,
            client,
            user,
            origin_jti: &grant.origin_jti,
            auth_time: grant.auth_time,
            now,
        })
        .map_err(|e| IdpError::Internal(e.to_string()))?;
        // A refresh returns new ID and access tokens but no new refresh token.
        // See <https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-refresh-token.html>.
        Ok(json!({
            "AuthenticationResult": {
                "AccessToken": tokens.access_token,
                "ExpiresIn": tokens.expires_in,
                "IdToken": tokens.id_token,
                "TokenType": "Bearer",
            },
            "ChallengeParameters": {},
        }))
    }
}

/// After the password is proven: refuses unconfirmed users, asks FORCE_CHANGE_PASSWORD
/// users for a new password, and signs confirmed users in.
fn complete_sign_in(
    state: &mut IdpState,
    now: u64,
    pool: &UserPool,
    client: &UserPoolClientSpec,
    username: &str,
) -> Result<Value, IdpError> {
    let user = state
        .users
        .get_mut(pool.id())
        .and_then(|u| u.get_mut(username))
        .ok_or_else(IdpError::incorrect_credentials)?;
    match user.status {
        // See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html#API_InitiateAuth_Errors>.
        UserStatus::Unconfirmed => Err(IdpError::UserNotConfirmed(
            "User is not confirmed.".to_string(),
        )),
        // See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RespondToAuthChallenge.html#CognitoUserPools-RespondToAuthChallenge-request-ChallengeName>.
        UserStatus::ForceChangePassword => {
            let visible: serde_json::Map<String, Value> = user
                .attributes
                .iter()
                .filter(|(name, _)| name.as_str() != "sub")
                .map(|(name, value)| (name.clone(), json!(value)))
                .collect();
            let session = opaque_token(96);
            state.password_changes.insert(
                session.clone(),
                PendingPasswordChange {
                    pool_id: pool.id().to_string(),
                    client_id: client.client_id.clone(),
                    username: username.to_string(),
                    expires_at: now + CHALLENGE_SESSION_SECONDS,
                },
            );
            Ok(json!({
                "ChallengeName": "NEW_PASSWORD_REQUIRED",
                "Session": session,
                "ChallengeParameters": {
                    "USER_ID_FOR_SRP": username,
                    "requiredAttributes": "[]",
                    "userAttributes": Value::Object(visible).to_string(),
                },
            }))
        }
        UserStatus::Confirmed => {
            let origin_jti = uuid::Uuid::new_v4().to_string();
            user.sign_ins.push(origin_jti.clone());
            let tokens = mint_tokens(&SignIn {
                pool,
                client,
                user,
                origin_jti: &origin_jti,
                auth_time: now,
                now,
            })
            .map_err(|e| IdpError::Internal(e.to_string()))?;
            let refresh_token = opaque_token(96);
            state.refresh_tokens.insert(
                refresh_token.clone(),
                RefreshGrant {
                    pool_id: pool.id().to_string(),
                    client_id: client.client_id.clone(),
                    username: username.to_string(),
                    origin_jti,
                    auth_time: now,
                    expires_at: now + client.refresh_token_seconds(),
                },
            );
            Ok(json!({
                "AuthenticationResult": {
                    "AccessToken": tokens.access_token,
                    "ExpiresIn": tokens.expires_in,
                    "IdToken": tokens.id_token,
                    "RefreshToken": refresh_token,
                    "TokenType": "Bearer",
                },
                "ChallengeParameters": {},
            }))
        }
    }
}

/// An unknown user: hidden behind "Incorrect username or password." unless the client
/// uses LEGACY user existence errors.
/// See <https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-managing-errors.html>.
fn unknown_user(client: &UserPoolClientSpec) -> IdpError {
    match client.prevent_user_existence_errors {
        PreventUserExistenceErrors::Enabled => IdpError::incorrect_credentials(),
        PreventUserExistenceErrors::Legacy => {
            IdpError::UserNotFound("User does not exist.".to_string())
        }
    }
}

fn invalid_session() -> IdpError {
    IdpError::NotAuthorized("Invalid session for the user.".to_string())
}

/// See <https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-attributes.html#user-pool-settings-attribute-permissions-and-scopes>.
pub(super) fn unauthorized_attribute() -> IdpError {
    IdpError::NotAuthorized("A client attempted to write unauthorized attribute".to_string())
}
