//! The administrative user calls (signed, authorized by IAM on the pool's ARN) and the
//! confirmation of a self sign-up: AdminGetUser, AdminUpdateUserAttributes,
//! AdminDeleteUser, AdminConfirmSignUp and ConfirmSignUp.

use super::error::IdpError;
use super::request_body::RequestBody;
use super::secret_hash::check_secret_hash;
use super::service::{CognitoIdpService, authorize_admin};
use super::user_operations::{check_mutable, find_user};
use super::world::UserStatus;
use crate::sim::core::SimCore;
use crate::sim::principal::Principal;
use serde_json::{Value, json};

impl CognitoIdpService {
    /// AdminGetUser: every attribute of the user, with its status.
    /// See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminGetUser.html>.
    pub(super) fn admin_get_user(
        &self,
        core: &dyn SimCore,
        body: &RequestBody,
        caller: Option<&Principal>,
    ) -> Result<Value, IdpError> {
        let pool = self.pool(body.required("UserPoolId")?)?;
        authorize_admin(core, caller, "cognito-idp:AdminGetUser", pool)?;
        let username = body.required("Username")?;
        let state = self.lock()?;
        let user = find_user(&state, pool, username)?;
        let attributes: Vec<Value> = user
            .attributes
            .iter()
            .map(|(name, value)| json!({ "Name": name, "Value": value }))
            .collect();
        Ok(json!({
            "Username": user.username,
            "UserAttributes": attributes,
            "UserStatus": user.status.as_str(),
            "Enabled": true,
        }))
    }

    /// AdminUpdateUserAttributes: an administrator may write any attribute but `sub`, an
    /// immutable one excepted; the app client's WriteAttributes do not apply.
    /// See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminUpdateUserAttributes.html>.
    pub(super) fn admin_update_user_attributes(
        &self,
        core: &dyn SimCore,
        body: &RequestBody,
        caller: Option<&Principal>,
    ) -> Result<Value, IdpError> {
        let pool = self.pool(body.required("UserPoolId")?)?;
        authorize_admin(core, caller, "cognito-idp:AdminUpdateUserAttributes", pool)?;
        let username = body.required("Username")?;
        let updates = body.attributes("UserAttributes")?;
        if updates.iter().any(|(name, _)| name == "sub") {
            return Err(IdpError::InvalidParameter(
                "user.sub: Attribute cannot be updated.".to_string(),
            ));
        }
        check_mutable(pool, &updates)?;
        let mut state = self.lock()?;
        let user = state
            .users
            .get_mut(pool.id())
            .and_then(|users| users.get_mut(username))
            .ok_or_else(|| IdpError::UserNotFound("User does not exist.".to_string()))?;
        user.attributes.extend(updates);
        Ok(json!({}))
    }

    /// AdminDeleteUser: removes the user; their tokens stop working with them.
    /// See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminDeleteUser.html>.
    pub(super) fn admin_delete_user(
        &self,
        core: &dyn SimCore,
        body: &RequestBody,
        caller: Option<&Principal>,
    ) -> Result<Value, IdpError> {
        let pool = self.pool(body.required("UserPoolId")?)?;
        authorize_admin(core, caller, "cognito-idp:AdminDeleteUser", pool)?;
        let username = body.required("Username")?;
        let mut state = self.lock()?;
        let removed = state
            .users
            .get_mut(pool.id())
            .and_then(|users| users.remove(username))
            .ok_or_else(|| IdpError::UserNotFound("User does not exist.".to_string()))?;
        state.revoked_sign_ins.extend(removed.sign_ins);
        Ok(json!({}))
    }

    /// AdminConfirmSignUp: confirms a user who signed up, without a code.
    /// See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminConfirmSignUp.html>.
    pub(super) fn admin_confirm_sign_up(
        &self,
        core: &dyn SimCore,
        body: &RequestBody,
        caller: Option<&Principal>,
    ) -> Result<Value, IdpError> {
        let pool = self.pool(body.required("UserPoolId")?)?;
        authorize_admin(core, caller, "cognito-idp:AdminConfirmSignUp", pool)?;
        let username = body.required("Username")?;
        let pool_id = pool.id().to_string();
        self.confirm(&pool_id, username)?;
        Ok(json!({}))
    }

    /// ConfirmSignUp: confirms a user who signed up with the code the pool sent. Local
    /// staging sends nothing: the code is the pool's `SignUpConfirmationCode` from the
    /// world file, and a pool without one confirms no code.
    /// See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ConfirmSignUp.html>.
    pub(super) fn confirm_sign_up(&self, body: &RequestBody) -> Result<Value, IdpError> {
        let (pool, client) = self.pool_client(body.required("ClientId")?)?;
        let username = body.required("Username")?;
        let code = body.required("ConfirmationCode")?;
        check_secret_hash(
            &client.client_id,
            client.client_secret.as_ref(),
            body.optional("SecretHash"),
            &[username],
        )?;
        let expected = pool.spec.sign_up_confirmation_code.as_deref();
        if expected != Some(code) {
            // A wrong code is CodeMismatchException
            // (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ConfirmSignUp.html#API_ConfirmSignUp_Errors).
            return Err(IdpError::CodeMismatch(
                "Invalid verification code provided, please try again.".to_string(),
            ));
        }
        let pool_id = pool.id().to_string();
        self.confirm(&pool_id, username)?;
        Ok(json!({}))
    }

    /// Moves an UNCONFIRMED user to CONFIRMED; any other status is NotAuthorizedException.
    fn confirm(&self, pool_id: &str, username: &str) -> Result<(), IdpError> {
        let mut state = self.lock()?;
        let user = state
            .users
            .get_mut(pool_id)
            .and_then(|users| users.get_mut(username))
            .ok_or_else(|| IdpError::UserNotFound("User does not exist.".to_string()))?;
        if user.status != UserStatus::Unconfirmed {
            return Err(IdpError::NotAuthorized(format!(
                "User cannot be confirmed. Current status is {}",
                user.status.as_str()
            )));
        }
        user.status = UserStatus::Confirmed;
        Ok(())
    }
}
