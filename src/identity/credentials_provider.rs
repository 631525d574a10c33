//! One user's temporary AWS credentials, cached and renewed before they expire: the SDK
//! asks this provider before every signed call.

use super::claims::{RoleClaims, role_claims};
use super::error::IdentityError;
use super::exchange::{ExchangeClients, exchange, get_id, logins};
use super::sign_in::{self, SignInClients};
use super::tokens::Tokens;
use super::user::{SignInFlow, UserAccess, UserSpec};
use crate::secret::SecretString;
use aws_credential_types::Credentials;
use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{ProvideCredentials, future};
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// Credentials and tokens are renewed this long before they expire, so a call signed now
/// still reaches AWS in time.
const RENEWAL_MARGIN: Duration = Duration::from_secs(5 * 60);

/// A user's credential provider. Cloning shares the cache.
#[derive(Clone)]
pub struct UserCredentialsProvider {
    inner: Arc<Inner>,
}

struct Inner {
    spec: UserSpec,
    sign_in: SignInClients,
    exchange: ExchangeClients,
    state: tokio::sync::Mutex<State>,
}

#[derive(Default)]
struct State {
    tokens: Option<Tokens>,
    identity_id: Option<String>,
    credentials: Option<Credentials>,
    claims: RoleClaims,
}

impl fmt::Debug for UserCredentialsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserCredentialsProvider")
            .field("user", &self.inner.spec.name)
            .finish_non_exhaustive()
    }
}

impl UserCredentialsProvider {
    pub fn new(
        spec: UserSpec,
        sign_in: SignInClients,
        exchange: ExchangeClients,
    ) -> UserCredentialsProvider {
        UserCredentialsProvider {
            inner: Arc::new(Inner {
                spec,
                sign_in,
                exchange,
                state: tokio::sync::Mutex::new(State::default()),
            }),
        }
    }

    /// Cached credentials while they have more than `RENEWAL_MARGIN` left; otherwise new
    /// ones, signing in again (by refresh token when there is one) if the ID token is
    /// about to expire too.
    pub async fn credentials(&self) -> Result<Credentials, IdentityError> {
        let inner = &*self.inner;
        let mut state = inner.state.lock().await;
        if let Some(credentials) = &state.credentials
            && is_fresh(credentials.expiry())
        {
            return Ok(credentials.clone());
        }
        let id_token = fresh_id_token(inner, &mut state).await?;
        let exchanged = exchange(
            &inner.exchange,
            &inner.spec,
            id_token.as_ref(),
            state.identity_id.as_deref(),
        )
        .await?;
        state.identity_id = Some(exchanged.identity_id);
        state.credentials = Some(exchanged.credentials.clone());
        Ok(exchanged.credentials)
    }

    /// The access key id of the cached credentials, without exchanging: what the next
    /// signed call will use while they are fresh.
    pub async fn cached_access_key_id(&self) -> Option<String> {
        self.inner
            .state
            .lock()
            .await
            .credentials
            .as_ref()
            .map(|credentials| credentials.access_key_id().to_owned())
    }

    /// Exchanges again after a service rejected the credentials signed with
    /// `rejected_access_key_id` as expired although they were declared valid. The tokens
    /// are kept: the cached ID token is exchanged first, and the user signs in again (by
    /// refresh token when there is one) only when the identity pool rejects that token too.
    /// When the cache already holds other credentials (another probe renewed them first),
    /// nothing is exchanged.
    pub async fn renew_rejected(
        &self,
        rejected_access_key_id: Option<&str>,
    ) -> Result<(), IdentityError> {
        {
            let mut state = self.inner.state.lock().await;
            let still_cached = match (&state.credentials, rejected_access_key_id) {
                (Some(current), Some(rejected)) => current.access_key_id() == rejected,
                (Some(_), None) => true,
                (None, _) => false,
            };
            if still_cached {
                state.credentials = None;
            }
        }
        match self.credentials().await {
            Ok(_) => Ok(()),
            Err(error) if id_token_rejected(&error) => {
                if let Some(tokens) = self.inner.state.lock().await.tokens.as_mut() {
                    tokens.expires_at = SystemTime::UNIX_EPOCH;
                }
                self.credentials().await.map(|_| ())
            }
            Err(error) => Err(error),
        }
    }

    /// The user's current ID token (signing in again if it is about to expire; `None` for
    /// a guest) and identity id (by GetId when no exchange has produced one yet), for the
    /// attacks that make identity-pool calls of their own with this user's sign-in.
    pub async fn identity(&self) -> Result<(Option<SecretString>, String), IdentityError> {
        let inner = &*self.inner;
        let mut state = inner.state.lock().await;
        let id_token = fresh_id_token(inner, &mut state).await?;
        let identity_id = match &state.identity_id {
            Some(id) => id.clone(),
            None => {
                let logins = logins(&inner.spec, id_token.as_ref());
                let id = get_id(&inner.exchange, &inner.spec, &logins).await?;
                state.identity_id = Some(id.clone());
                id
            }
        };
        Ok((id_token, identity_id))
    }

    /// The user's current tokens (signing in again if the ID token is about to expire);
    /// `None` for a guest.
    pub async fn tokens(&self) -> Result<Option<Tokens>, IdentityError> {
        let inner = &*self.inner;
        let mut state = inner.state.lock().await;
        fresh_id_token(inner, &mut state).await?;
        Ok(state.tokens.clone())
    }

    /// New tokens for the user (by refresh token when there is one), registered with the
    /// redactor but never cached: after an attack changed the user's attributes it reads
    /// the changed claims from them, while every other case keeps the tokens it had.
    /// `None` for a guest.
    pub async fn new_tokens_uncached(&self) -> Result<Option<Tokens>, IdentityError> {
        let inner = &*self.inner;
        let UserAccess::SignedIn {
            pool,
            username,
            password,
            flow,
        } = &inner.spec.access
        else {
            return Ok(None);
        };
        let previous = inner.state.lock().await.tokens.clone();
        let account = sign_in::Credentials {
            user: &inner.spec.name,
            pool,
            username,
            password,
        };
        let tokens = sign_in_again(inner, account, *flow, previous.as_ref()).await?;
        tokens.register_with(&inner.spec.redactor);
        Ok(Some(tokens))
    }

    /// The current sign-in's tokens (none before the first sign-in, or for a guest) and
    /// the expiry of the cached credentials, for the revocation attack, which signs the
    /// user out and then tries the old tokens.
    pub async fn current_tokens(&self) -> (Option<Tokens>, Option<SystemTime>) {
        let state = self.inner.state.lock().await;
        let expiry = state.credentials.as_ref().and_then(Credentials::expiry);
        (state.tokens.clone(), expiry)
    }

    /// The unsigned user-pool clients of this user's target.
    pub fn sign_in_clients(&self) -> &SignInClients {
        &self.inner.sign_in
    }

    /// The user this provider signs in as.
    pub fn spec(&self) -> &UserSpec {
        &self.inner.spec
    }

    /// The unsigned identity-pool and STS clients of this user's target.
    pub fn exchange_clients(&self) -> &ExchangeClients {
        &self.inner.exchange
    }

    /// The identity id of the last exchange.
    pub async fn identity_id(&self) -> Option<String> {
        self.inner.state.lock().await.identity_id.clone()
    }

    /// The role-deciding claims of the current ID token (empty for a guest).
    pub async fn role_claims(&self) -> RoleClaims {
        self.inner.state.lock().await.claims.clone()
    }
}

/// The current ID token, signing in again (by refresh token when there is one) if it is
/// about to expire; `None` for a guest.
async fn fresh_id_token(
    inner: &Inner,
    state: &mut State,
) -> Result<Option<SecretString>, IdentityError> {
    match &inner.spec.access {
        UserAccess::Guest => Ok(None),
        UserAccess::SignedIn {
            pool,
            username,
            password,
            flow,
        } => {
            let current = state
                .tokens
                .as_ref()
                .filter(|tokens| is_fresh(Some(tokens.expires_at)));
            if let Some(tokens) = current {
                return Ok(Some(tokens.id_token.clone()));
            }
            let account = sign_in::Credentials {
                user: &inner.spec.name,
                pool,
                username,
                password,
            };
            let tokens = sign_in_again(inner, account, *flow, state.tokens.as_ref()).await?;
            tokens.register_with(&inner.spec.redactor);
            state.claims =
                role_claims(tokens.id_token.expose()).map_err(|error| IdentityError::IdToken {
                    user: inner.spec.name.clone(),
                    source: Box::new(error),
                })?;
            state.tokens = Some(tokens.clone());
            Ok(Some(tokens.id_token))
        }
    }
}

/// New tokens: by refresh token when there is one, else (or when the refresh token is
/// expired or revoked) by a full sign-in.
async fn sign_in_again(
    inner: &Inner,
    account: sign_in::Credentials<'_>,
    flow: SignInFlow,
    previous: Option<&Tokens>,
) -> Result<Tokens, IdentityError> {
    if let Some(refresh_token) = previous.and_then(|tokens| tokens.refresh_token.as_ref())
        && let Ok(tokens) = sign_in::refresh(
            &inner.sign_in,
            account.user,
            account.pool,
            account.username,
            refresh_token,
        )
        .await
    {
        return Ok(tokens);
    }
    sign_in::sign_in(&inner.sign_in, account, flow).await
}

/// Whether an exchange failed because the identity pool or STS refused the ID token:
/// Cognito answers NotAuthorizedException for an expired or invalid login token
/// (https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetCredentialsForIdentity.html#API_GetCredentialsForIdentity_Errors),
/// STS ExpiredTokenException or InvalidIdentityToken
/// (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html#API_AssumeRoleWithWebIdentity_Errors).
fn id_token_rejected(error: &IdentityError) -> bool {
    matches!(
        error.aws_error_code(),
        Some("NotAuthorizedException" | "ExpiredTokenException" | "InvalidIdentityToken")
    )
}

fn is_fresh(expiry: Option<SystemTime>) -> bool {
    match expiry {
        Some(expiry) => expiry > SystemTime::now() + RENEWAL_MARGIN,
        None => true,
    }
}

impl ProvideCredentials for UserCredentialsProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move {
            self.credentials()
                .await
                .map_err(CredentialsError::provider_error)
        })
    }
}
