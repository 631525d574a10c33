//! User-pool sign-in: USER_PASSWORD_AUTH, USER_SRP_AUTH, ADMIN_USER_PASSWORD_AUTH and
//! REFRESH_TOKEN_AUTH, each with SECRET_HASH when the app client has a secret; CUSTOM_AUTH
//! is started only to report the app's challenge as one the harness cannot answer.

use super::error::IdentityError;
use super::secret_hash::secret_hash;
use super::srp::{SrpClient, VerifierChallenge};
use super::tokens::Tokens;
use super::user::{SignInFlow, UserPoolClient};
use crate::secret::SecretString;
use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::types::{
    AuthFlowType, AuthenticationResultType, ChallengeNameType,
};
use std::collections::HashMap;
use std::time::{Duration, SystemTime};

/// The clients sign-in needs: unsigned for the public flows, and the ambient credentials'
/// client for ADMIN_USER_PASSWORD_AUTH.
#[derive(Debug, Clone)]
pub struct SignInClients {
    pub unsigned: Client,
    pub ambient: Option<Client>,
}

/// A user's sign-in details, borrowed from the `UserSpec`.
#[derive(Debug, Clone, Copy)]
pub struct Credentials<'a> {
    /// The scenario's name for the user, used in errors.
    pub user: &'a str,
    pub pool: &'a UserPoolClient,
    pub username: &'a str,
    pub password: &'a SecretString,
}

/// Signs in with `flow` and returns the tokens, or a per-user error naming any challenge
/// the harness cannot answer.
// InitiateAuth: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html.
pub async fn sign_in(
    clients: &SignInClients,
    credentials: Credentials<'_>,
    flow: SignInFlow,
) -> Result<Tokens, IdentityError> {
    match flow {
        SignInFlow::UserPassword => user_password(clients, credentials).await,
        SignInFlow::UserSrp => user_srp(clients, credentials).await,
        SignInFlow::AdminUserPassword => admin_user_password(clients, credentials).await,
        SignInFlow::Custom => custom(clients, credentials).await,
    }
}

/// CUSTOM_AUTH: the app's define auth challenge trigger decides what comes next, usually
/// a CUSTOM_CHALLENGE only the app can answer. The harness never answers one: the
/// challenge becomes the user's sign-in error, so their probes are Inconclusive.
// CUSTOM_AUTH and CUSTOM_CHALLENGE: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html.
async fn custom(
    clients: &SignInClients,
    credentials: Credentials<'_>,
) -> Result<Tokens, IdentityError> {
    let output = clients
        .unsigned
        .initiate_auth()
        .auth_flow(AuthFlowType::CustomAuth)
        .client_id(&credentials.pool.client_id)
        .set_auth_parameters(Some(base_parameters(
            credentials.pool,
            credentials.username,
        )))
        .send()
        .await
        .map_err(|error| sign_in_error(credentials.user, SignInFlow::Custom, error))?;
    tokens_or_challenge(
        credentials.user,
        "InitiateAuth",
        output.authentication_result(),
        output.challenge_name(),
        None,
    )
}

async fn user_password(
    clients: &SignInClients,
    credentials: Credentials<'_>,
) -> Result<Tokens, IdentityError> {
    let mut parameters = base_parameters(credentials.pool, credentials.username);
    parameters.insert(
        "PASSWORD".to_owned(),
        credentials.password.expose().to_owned(),
    );
    let output = clients
        .unsigned
        .initiate_auth()
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .client_id(&credentials.pool.client_id)
        .set_auth_parameters(Some(parameters))
        .send()
        .await
        .map_err(|error| sign_in_error(credentials.user, SignInFlow::UserPassword, error))?;
    tokens_or_challenge(
        credentials.user,
        "InitiateAuth",
        output.authentication_result(),
        output.challenge_name(),
        None,
    )
}

async fn admin_user_password(
    clients: &SignInClients,
    credentials: Credentials<'_>,
) -> Result<Tokens, IdentityError> {
    let flow = SignInFlow::AdminUserPassword;
    let Some(client) = &clients.ambient else {
        return Err(IdentityError::SignIn {
            user: credentials.user.to_owned(),
            flow: flow.as_str(),
            source: "no ambient AWS credentials were configured for the admin flow".into(),
        });
    };
    let mut parameters = base_parameters(credentials.pool, credentials.username);
    parameters.insert(
        "PASSWORD".to_owned(),
        credentials.password.expose().to_owned(),
    );
    // AdminInitiateAuth is signed with developer credentials:
    // https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminInitiateAuth.html.
    let output = client
        .admin_initiate_auth()
        .user_pool_id(&credentials.pool.user_pool_id)
        .client_id(&credentials.pool.client_id)
        .auth_flow(AuthFlowType::AdminUserPasswordAuth)
        .set_auth_parameters(Some(parameters))
        .send()
        .await
        .map_err(|error| sign_in_error(credentials.user, flow, error))?;
    tokens_or_challenge(
        credentials.user,
        "AdminInitiateAuth",
        output.authentication_result(),
        output.challenge_name(),
        None,
    )
}

/// USER_SRP_AUTH: InitiateAuth with SRP_A, then RespondToAuthChallenge(PASSWORD_VERIFIER).
// PASSWORD_VERIFIER responses: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RespondToAuthChallenge.html.
async fn user_srp(
    clients: &SignInClients,
    credentials: Credentials<'_>,
) -> Result<Tokens, IdentityError> {
    let flow = SignInFlow::UserSrp;
    let user = credentials.user;
    let pool = credentials.pool;
    let srp = SrpClient::new();
    let mut parameters = base_parameters(pool, credentials.username);
    parameters.insert("SRP_A".to_owned(), srp.public_a_hex());
    let started = clients
        .unsigned
        .initiate_auth()
        .auth_flow(AuthFlowType::UserSrpAuth)
        .client_id(&pool.client_id)
        .set_auth_parameters(Some(parameters))
        .send()
        .await
        .map_err(|error| sign_in_error(user, flow, error))?;
    if started.challenge_name() != Some(&ChallengeNameType::PasswordVerifier) {
        return tokens_or_challenge(
            user,
            "InitiateAuth",
            started.authentication_result(),
            started.challenge_name(),
            Some("PASSWORD_VERIFIER"),
        );
    }
    let empty = HashMap::new();
    let challenge = started.challenge_parameters().unwrap_or(&empty);
    let parameter = |name: &'static str| {
        challenge
            .get(name)
            .map(String::as_str)
            .ok_or(IdentityError::IncompleteResponse {
                user: user.to_owned(),
                operation: "InitiateAuth",
                missing: name,
            })
    };
    let user_id_for_srp = parameter("USER_ID_FOR_SRP")?;
    let claim = srp
        .password_claim(
            pool.pool_name(),
            user_id_for_srp,
            credentials.password,
            &VerifierChallenge {
                salt_hex: parameter("SALT")?,
                srp_b_hex: parameter("SRP_B")?,
                secret_block_b64: parameter("SECRET_BLOCK")?,
            },
        )
        .map_err(|source| IdentityError::Srp {
            user: user.to_owned(),
            source,
        })?;
    let mut responses = base_parameters(pool, user_id_for_srp);
    responses.insert("PASSWORD_CLAIM_SECRET_BLOCK".to_owned(), claim.secret_block);
    responses.insert("PASSWORD_CLAIM_SIGNATURE".to_owned(), claim.signature);
    responses.insert("TIMESTAMP".to_owned(), claim.timestamp);
    let answered = clients
        .unsigned
        .respond_to_auth_challenge()
        .client_id(&pool.client_id)
        .challenge_name(ChallengeNameType::PasswordVerifier)
        .set_challenge_responses(Some(responses))
        .set_session(started.session().map(str::to_owned))
        .send()
        .await
        .map_err(|error| sign_in_error(user, flow, error))?;
    tokens_or_challenge(
        user,
        "RespondToAuthChallenge",
        answered.authentication_result(),
        answered.challenge_name(),
        None,
    )
}

/// REFRESH_TOKEN_AUTH: new ID and access tokens for a long run. Cognito returns a new
/// refresh token only when rotation is on; otherwise the old one stays valid.
// REFRESH_TOKEN_AUTH parameters: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html#CognitoUserPools-InitiateAuth-request-AuthParameters.
pub async fn refresh(
    clients: &SignInClients,
    user: &str,
    pool: &UserPoolClient,
    username: &str,
    refresh_token: &SecretString,
) -> Result<Tokens, IdentityError> {
    let mut parameters = HashMap::new();
    parameters.insert(
        "REFRESH_TOKEN".to_owned(),
        refresh_token.expose().to_owned(),
    );
    insert_secret_hash(&mut parameters, pool, username);
    let output = clients
        .unsigned
        .initiate_auth()
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .client_id(&pool.client_id)
        .set_auth_parameters(Some(parameters))
        .send()
        .await
        .map_err(|error| IdentityError::SignIn {
            user: user.to_owned(),
            flow: "REFRESH_TOKEN_AUTH",
            source: Box::new(error),
        })?;
    let mut tokens = tokens_or_challenge(
        user,
        "InitiateAuth",
        output.authentication_result(),
        output.challenge_name(),
        None,
    )?;
    if tokens.refresh_token.is_none() {
        tokens.refresh_token = Some(refresh_token.clone());
    }
    Ok(tokens)
}

/// USERNAME, plus SECRET_HASH when the app client has a secret.
fn base_parameters(pool: &UserPoolClient, username: &str) -> HashMap<String, String> {
    let mut parameters = HashMap::new();
    parameters.insert("USERNAME".to_owned(), username.to_owned());
    insert_secret_hash(&mut parameters, pool, username);
    parameters
}

/// SECRET_HASH, when the app client has a secret.
fn insert_secret_hash(
    parameters: &mut HashMap<String, String>,
    pool: &UserPoolClient,
    username: &str,
) {
    if let Some(secret) = &pool.client_secret {
        parameters.insert(
            "SECRET_HASH".to_owned(),
            secret_hash(secret, username, &pool.client_id)
                .expose()
                .to_owned(),
        );
    }
}

fn tokens_or_challenge(
    user: &str,
    operation: &'static str,
    result: Option<&AuthenticationResultType>,
    challenge: Option<&ChallengeNameType>,
    expected_challenge: Option<&'static str>,
) -> Result<Tokens, IdentityError> {
    if let Some(challenge) = challenge {
        return Err(IdentityError::UnsupportedChallenge {
            user: user.to_owned(),
            challenge: challenge.as_str().to_owned(),
        });
    }
    let incomplete = |missing| IdentityError::IncompleteResponse {
        user: user.to_owned(),
        operation,
        missing,
    };
    let result =
        result.ok_or_else(|| incomplete(expected_challenge.unwrap_or("AuthenticationResult")))?;
    let id_token = result.id_token().ok_or_else(|| incomplete("IdToken"))?;
    let access_token = result
        .access_token()
        .ok_or_else(|| incomplete("AccessToken"))?;
    let lifetime = u64::try_from(result.expires_in()).unwrap_or(0);
    Ok(Tokens {
        id_token: SecretString::new(id_token),
        access_token: SecretString::new(access_token),
        refresh_token: result.refresh_token().map(SecretString::new),
        expires_at: SystemTime::now() + Duration::from_secs(lifetime),
    })
}

fn sign_in_error<E>(user: &str, flow: SignInFlow, error: E) -> IdentityError
where
    E: std::error::Error + Send + Sync + 'static,
{
    IdentityError::SignIn {
        user: user.to_owned(),
        flow: flow.as_str(),
        source: Box::new(error),
    }
}
