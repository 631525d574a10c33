//! The identity-pool exchange: an identity id and temporary AWS credentials, by the enhanced
//! flow, the basic (classic) flow, or as an unauthenticated guest.

use super::error::IdentityError;
use super::user::{IdentityFlow, UserAccess, UserSpec};
use crate::secret::SecretString;
use aws_credential_types::Credentials;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use std::collections::HashMap;
use std::time::SystemTime;

/// Unsigned clients for Cognito identity pools and STS.
#[derive(Debug, Clone)]
pub struct ExchangeClients {
    pub identity: aws_sdk_cognitoidentity::Client,
    pub sts: aws_sdk_sts::Client,
}

/// What one exchange produced.
#[derive(Debug, Clone)]
pub struct Exchanged {
    pub identity_id: String,
    pub credentials: Credentials,
}

/// Exchanges the user's ID token (none for a guest) for credentials. A known identity id is
/// reused, since GetId returns the same id for the same login anyway.
pub async fn exchange(
    clients: &ExchangeClients,
    spec: &UserSpec,
    id_token: Option<&SecretString>,
    known_identity_id: Option<&str>,
) -> Result<Exchanged, IdentityError> {
    let logins = logins(spec, id_token);
    let identity_id = match known_identity_id {
        Some(id) => id.to_owned(),
        None => get_id(clients, spec, &logins).await?,
    };
    let credentials = match &spec.identity_flow {
        IdentityFlow::Enhanced { custom_role_arn } => {
            enhanced(
                clients,
                spec,
                &identity_id,
                &logins,
                custom_role_arn.as_deref(),
            )
            .await?
        }
        IdentityFlow::Basic { role_arn } => {
            basic(clients, spec, &identity_id, &logins, role_arn).await?
        }
    };
    // Registered before anything can print them: an echoing error of a later call would
    // otherwise carry them.
    spec.redactor.register_str(credentials.secret_access_key());
    if let Some(session_token) = credentials.session_token() {
        spec.redactor.register_str(session_token);
    }
    Ok(Exchanged {
        identity_id,
        credentials,
    })
}

/// `{provider: id token}` for a signed-in user, empty for a guest.
pub fn logins(spec: &UserSpec, id_token: Option<&SecretString>) -> HashMap<String, String> {
    let mut logins = HashMap::new();
    if let (UserAccess::SignedIn { pool, .. }, Some(token)) = (&spec.access, id_token) {
        logins.insert(
            pool.login_provider(&spec.target.region),
            token.expose().to_owned(),
        );
    }
    logins
}

/// GetId; without logins it creates or returns an unauthenticated identity.
// https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetId.html.
pub async fn get_id(
    clients: &ExchangeClients,
    spec: &UserSpec,
    logins: &HashMap<String, String>,
) -> Result<String, IdentityError> {
    let output = clients
        .identity
        .get_id()
        .identity_pool_id(&spec.identity_pool_id)
        .set_logins((!logins.is_empty()).then(|| logins.clone()))
        .send()
        .await
        .map_err(|error| exchange_error(spec, "GetId", error))?;
    output
        .identity_id()
        .map(str::to_owned)
        .ok_or_else(|| incomplete(spec, "GetId", "IdentityId"))
}

/// GetCredentialsForIdentity: the pool's role mapping (or the allowed custom role) decides.
// https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetCredentialsForIdentity.html.
async fn enhanced(
    clients: &ExchangeClients,
    spec: &UserSpec,
    identity_id: &str,
    logins: &HashMap<String, String>,
    custom_role_arn: Option<&str>,
) -> Result<Credentials, IdentityError> {
    let operation = "GetCredentialsForIdentity";
    let output = clients
        .identity
        .get_credentials_for_identity()
        .identity_id(identity_id)
        .set_logins((!logins.is_empty()).then(|| logins.clone()))
        .set_custom_role_arn(custom_role_arn.map(str::to_owned))
        .send()
        .await
        .map_err(|error| exchange_error(spec, operation, error))?;
    let issued = output
        .credentials()
        .ok_or_else(|| incomplete(spec, operation, "Credentials"))?;
    let (Some(access_key_id), Some(secret_key), Some(session_token)) = (
        issued.access_key_id(),
        issued.secret_key(),
        issued.session_token(),
    ) else {
        return Err(incomplete(spec, operation, "complete credentials"));
    };
    Ok(Credentials::new(
        access_key_id,
        secret_key,
        Some(session_token.to_owned()),
        issued
            .expiration()
            .and_then(|expiry| SystemTime::try_from(*expiry).ok()),
        "xtenant-cognito-enhanced",
    ))
}

/// GetOpenIdToken, then STS AssumeRoleWithWebIdentity with the scenario's role.
// Basic flow: https://docs.aws.amazon.com/cognito/latest/developerguide/authentication-flow.html.
async fn basic(
    clients: &ExchangeClients,
    spec: &UserSpec,
    identity_id: &str,
    logins: &HashMap<String, String>,
    role_arn: &str,
) -> Result<Credentials, IdentityError> {
    let output = clients
        .identity
        .get_open_id_token()
        .identity_id(identity_id)
        .set_logins((!logins.is_empty()).then(|| logins.clone()))
        .send()
        .await
        .map_err(|error| exchange_error(spec, "GetOpenIdToken", error))?;
    let token = output
        .token()
        .ok_or_else(|| incomplete(spec, "GetOpenIdToken", "Token"))?;
    spec.redactor.register_str(token);
    let operation = "AssumeRoleWithWebIdentity";
    let assumed = clients
        .sts
        .assume_role_with_web_identity()
        .role_arn(role_arn)
        .role_session_name(session_name(&spec.name))
        .web_identity_token(token)
        .send()
        .await
        .map_err(|error| exchange_error(spec, operation, error))?;
    let issued = assumed
        .credentials()
        .ok_or_else(|| incomplete(spec, operation, "Credentials"))?;
    Ok(Credentials::new(
        issued.access_key_id(),
        issued.secret_access_key(),
        Some(issued.session_token().to_owned()),
        SystemTime::try_from(*issued.expiration()).ok(),
        "xtenant-cognito-basic",
    ))
}

/// A RoleSessionName from the user's name: 2 to 64 of `[\w+=,.@-]`.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html.
pub fn session_name(user: &str) -> String {
    let cleaned: String = format!("xtenant-{user}")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "_+=,.@-".contains(c) {
                c
            } else {
                '-'
            }
        })
        .take(64)
        .collect();
    cleaned
}

fn exchange_error<E>(spec: &UserSpec, operation: &'static str, error: E) -> IdentityError
where
    E: std::error::Error + ProvideErrorMetadata + Send + Sync + 'static,
{
    IdentityError::Exchange {
        user: spec.name.clone(),
        operation,
        code: error.code().map(str::to_owned),
        source: Box::new(error),
    }
}

fn incomplete(spec: &UserSpec, operation: &'static str, missing: &'static str) -> IdentityError {
    IdentityError::IncompleteResponse {
        user: spec.name.clone(),
        operation,
        missing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_names_keep_only_characters_sts_accepts() {
        assert_eq!(session_name("alice smith/ü"), "xtenant-alice-smith--");
        assert_eq!(session_name(&"a".repeat(100)).len(), 64);
    }
}
