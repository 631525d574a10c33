//! The custom authentication flow (`ALLOW_CUSTOM_AUTH`, InitiateAuth `CUSTOM_AUTH`).
//!
//! On AWS the flow is driven by the pool's Lambda triggers: define auth challenge picks the
//! next challenge, create auth challenge makes it, verify auth challenge response checks
//! the answer. Local staging runs no Lambda, so it stands for the commonest configuration
//! of those triggers: the first (and only) challenge is `CUSTOM_CHALLENGE`, and no answer
//! is ever verified, so the flow never issues tokens. That is enough for a client that
//! offers the flow to be transcribed, and for a harness to see a challenge it cannot answer.
//! See <https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-challenge.html>.

use super::error::IdpError;
use super::request_body::StringMap;
use super::secret_hash::check_secret_hash;
use super::service::CognitoIdpService;
use super::state::opaque_token;
use super::user_pool::UserPool;
use super::world::{PreventUserExistenceErrors, UserPoolClientSpec};
use serde_json::{Value, json};

/// The challenge a custom flow answers InitiateAuth with.
/// See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html#CognitoUserPools-InitiateAuth-response-ChallengeName>.
pub const CUSTOM_CHALLENGE: &str = "CUSTOM_CHALLENGE";

impl CognitoIdpService {
    /// InitiateAuth `CUSTOM_AUTH`: `USERNAME` (and `SECRET_HASH` for a client with a
    /// secret) in, `CUSTOM_CHALLENGE` with a `Session` and the `USERNAME` challenge
    /// parameter out ("All challenges require USERNAME").
    /// See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html#CognitoUserPools-InitiateAuth-request-AuthParameters>.
    pub(super) fn begin_custom_auth(
        &self,
        pool: &UserPool,
        client: &UserPoolClientSpec,
        params: &StringMap<'_>,
    ) -> Result<Value, IdpError> {
        let username = params.required("USERNAME")?;
        check_secret_hash(
            &client.client_id,
            client.client_secret.as_ref(),
            params.get("SECRET_HASH"),
            &[username],
        )?;
        let state = self.lock()?;
        let known = state
            .users
            .get(pool.id())
            .is_some_and(|users| users.contains_key(username));
        // With user existence errors prevented, an unknown user gets the same challenge
        // as a known one (and, like every answer here, fails at the response).
        // See <https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-managing-errors.html>.
        if !known && client.prevent_user_existence_errors == PreventUserExistenceErrors::Legacy {
            return Err(IdpError::UserNotFound("User does not exist.".to_string()));
        }
        Ok(json!({
            "ChallengeName": CUSTOM_CHALLENGE,
            "Session": opaque_token(64),
            "ChallengeParameters": { "USERNAME": username },
        }))
    }

    /// RespondToAuthChallenge `CUSTOM_CHALLENGE`: the `ANSWER` would go to the verify auth
    /// challenge response trigger, which local staging does not run, so the challenge
    /// sequence fails as a define auth challenge trigger failing it does: NotAuthorized.
    /// See <https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RespondToAuthChallenge.html#CognitoUserPools-RespondToAuthChallenge-request-ChallengeResponses>
    /// and <https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-define-auth-challenge.html> (failAuthentication).
    pub(super) fn answer_custom_challenge(
        &self,
        client: &UserPoolClientSpec,
        responses: &StringMap<'_>,
    ) -> Result<Value, IdpError> {
        let username = responses.required("USERNAME")?;
        responses.required("ANSWER")?;
        check_secret_hash(
            &client.client_id,
            client.client_secret.as_ref(),
            responses.get("SECRET_HASH"),
            &[username],
        )?;
        Err(IdpError::incorrect_credentials())
    }
}
