//! The checks a run makes before its first probe, so that a setup problem is one clear
//! error instead of an Inconclusive verdict on every probe: every password source resolves
//! (done while the run is prepared, [`super::scenario_input`]), ambient AWS credentials
//! exist when the sign-in flow needs them, and (for `xtenant run --preflight`, which does
//! only this) the pools answer a real sign-in and exchange.

use super::backend::ProbeBackend;
use super::harness_backend::HarnessBackend;
use crate::identity::{AwsTarget, CredentialsSource};
use crate::redaction::Redactor;
use crate::scenario::{Scenario, SignInFlow};
use aws_credential_types::provider::ProvideCredentials;
use std::time::Duration;

/// How long the ambient credential chain may take (an instance-metadata lookup off EC2
/// waits for its own timeouts).
const AMBIENT_CREDENTIALS_PATIENCE: Duration = Duration::from_secs(15);

/// A setup problem found before the first probe. Messages never carry a secret.
#[derive(Debug, thiserror::Error)]
pub enum PreflightError {
    #[error(
        "the scenario signs in with `flow: admin` (ADMIN_USER_PASSWORD_AUTH), which calls AdminInitiateAuth \
         with the ambient AWS credentials, and none resolved{profile}: {reason}; set \
         AWS_PROFILE to a profile that exists, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
    )]
    NoAmbientCredentials {
        /// ` with AWS_PROFILE=`name``, when it is set: the usual culprit.
        profile: String,
        reason: String,
    },
    #[error(
        "user `{user}` could not sign in and exchange its token, so the user pool `{user_pool}`, \
         app client `{app_client}` or identity pool `{identity_pool}` is missing or refuses it: \
         {reason}"
    )]
    SignIn {
        user: String,
        user_pool: String,
        app_client: String,
        identity_pool: String,
        reason: String,
    },
}

/// Resolves the ambient credential chain when the scenario's sign-in flow needs it.
/// Returns whether it was needed. A secret key the chain yields is registered with
/// `redactor` at once.
// ADMIN_USER_PASSWORD_AUTH is AdminInitiateAuth, a request signed with IAM credentials
// (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminInitiateAuth.html).
pub async fn check_ambient_credentials(
    scenario: &Scenario,
    aws: &AwsTarget,
    redactor: &Redactor,
) -> Result<bool, PreflightError> {
    if scenario.target.user_pool.sign_in != SignInFlow::AdminUserPassword {
        return Ok(false);
    }
    let config = aws.sdk_config(CredentialsSource::Ambient).await;
    let Some(provider) = config.credentials_provider() else {
        return Err(PreflightError::NoAmbientCredentials {
            profile: profile_note(),
            reason: "no credential provider is configured".to_owned(),
        });
    };
    let resolved =
        tokio::time::timeout(AMBIENT_CREDENTIALS_PATIENCE, provider.provide_credentials()).await;
    match resolved {
        Ok(Ok(credentials)) => {
            redactor.register_str(credentials.secret_access_key());
            if let Some(session_token) = credentials.session_token() {
                redactor.register_str(session_token);
            }
            Ok(true)
        }
        Ok(Err(error)) => Err(PreflightError::NoAmbientCredentials {
            profile: profile_note(),
            reason: redactor.scrub(&crate::error_chain::error_chain(&error)),
        }),
        Err(_) => Err(PreflightError::NoAmbientCredentials {
            profile: profile_note(),
            reason: format!(
                "the credential chain did not answer within {} s",
                AMBIENT_CREDENTIALS_PATIENCE.as_secs()
            ),
        }),
    }
}

/// ` with AWS_PROFILE=`name`` when the variable is set, else nothing.
fn profile_note() -> String {
    std::env::var("AWS_PROFILE")
        .ok()
        .filter(|profile| !profile.is_empty())
        .map(|profile| format!(" with AWS_PROFILE=`{profile}`"))
        .unwrap_or_default()
}

/// Signs in the scenario's first user who signs in and exchanges its token, which only
/// works when the user pool, the app client and the identity pool exist. Returns that
/// user, or `None` when no user signs in (guests only).
pub async fn check_pools(
    scenario: &Scenario,
    backend: &HarnessBackend,
    redactor: &Redactor,
) -> Result<Option<String>, PreflightError> {
    let Some(user) = scenario
        .users
        .iter()
        .find(|user| !user.guest && !user.credentials_refused)
    else {
        return Ok(None);
    };
    match backend.prepare_user(&user.name).await {
        Ok(_) => Ok(Some(user.name.clone())),
        Err(error) => Err(PreflightError::SignIn {
            user: user.name.clone(),
            user_pool: scenario.target.user_pool.id.clone(),
            app_client: scenario.target.user_pool.client_id.clone(),
            identity_pool: scenario.target.identity_pool.id.clone(),
            reason: redactor.scrub(&crate::error_chain::error_chain(&error)),
        }),
    }
}
